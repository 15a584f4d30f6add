import { useI18n, type MessageKey } from "../../i18n";

type Target = "settings" | "calculator" | "mail-settings" | "datamap";
type Step = { title: MessageKey; text: MessageKey; target: Target | null; testid: string };

const STEPS: Step[] = [
  { title: "guide.org", text: "guide.orgText", target: "settings", testid: "guide-org" },
  { title: "guide.regimes", text: "guide.regimesText", target: "calculator", testid: "guide-regimes" },
  { title: "guide.smtp", text: "guide.smtpText", target: "mail-settings", testid: "guide-smtp" },
  { title: "guide.datamap", text: "guide.datamapText", target: "datamap", testid: "guide-datamap" },
];

/** The first-run guide: the four things to set up, each linked to its screen. */
export function Guide({ onGo, onDismiss }: { onGo: (screen: Target) => void; onDismiss?: () => void }) {
  const { t } = useI18n();
  return (
    <section className="panel guide" aria-labelledby="guide-heading" data-testid="guide">
      <h1 id="guide-heading">{t("guide.title")}</h1>
      <p>{t("guide.intro")}</p>
      <ol className="guide-steps">
        {STEPS.map((s) => (
          <li key={s.title} data-testid={s.testid}>
            <h2>{t(s.title)}</h2>
            <p>{t(s.text)}</p>
            {s.target ? (
              <button type="button" onClick={() => s.target && onGo(s.target)}>
                {t("guide.open")}: {t(s.title)}
              </button>
            ) : (
              <p className="muted">{t("guide.notYet")}</p>
            )}
          </li>
        ))}
      </ol>
      {onDismiss && (
        <button type="button" className="link" data-testid="guide-dismiss" onClick={onDismiss}>
          {t("guide.dismiss")}
        </button>
      )}
    </section>
  );
}

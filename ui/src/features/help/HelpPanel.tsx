import { useI18n, type MessageKey } from "../../i18n";

export type HelpTopic = "dashboard" | "list" | "new" | "detail" | "calculator" | "settings" | "guide" | "first-run";

const TITLES: Record<HelpTopic, MessageKey> = {
  dashboard: "nav.dashboard",
  list: "nav.requests",
  new: "nav.new",
  detail: "nav.requests",
  calculator: "nav.calculator",
  settings: "nav.settings",
  guide: "nav.guide",
  "first-run": "nav.guide",
};

/** In-app help for the screen the officer is on. */
export function HelpPanel({ topic, onClose }: { topic: HelpTopic; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <aside className="help-panel" aria-labelledby="help-heading" data-testid="help-panel" data-topic={topic}>
      <h2 id="help-heading">{t("help.title", { screen: t(TITLES[topic]) })}</h2>
      <p>{t(`help.${topic}`)}</p>
      <p className="muted">{t("keys.note")}</p>
      <button type="button" data-testid="help-close" onClick={onClose}>
        {t("help.close")}
      </button>
    </aside>
  );
}

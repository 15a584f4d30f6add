import { useI18n } from "../../i18n";
import { LIST_KEYS, SHORTCUTS } from "./shortcuts";
import { howKey, purposeKey, TOPICS, type HelpTopic } from "./topics";

export type { HelpTopic };

const KEYS_BY_LABEL = new Map([...SHORTCUTS, ...LIST_KEYS].map((s) => [s.label, s.keys]));

/** In-app help for the screen the officer is on: what it is for, how to do the main tasks, keys, the CLI. */
export function HelpPanel({ topic, onClose }: { topic: HelpTopic; onClose: () => void }) {
  const { t } = useI18n();
  const info = TOPICS[topic];
  const keys = [...info.keys, "keys.help" as const, "keys.sheet" as const];
  return (
    <aside className="help-panel" aria-labelledby="help-heading" data-testid="help-panel" data-topic={topic}>
      <h2 id="help-heading">{t("help.title", { screen: t(info.title) })}</h2>
      <p data-testid="help-purpose">{t(purposeKey(topic))}</p>
      <h3>{t("help.howTo")}</h3>
      <ul data-testid="help-how">
        {t(howKey(topic))
          .split("\n")
          .map((step) => (
            <li key={step}>{step}</li>
          ))}
      </ul>
      <h3>{t("help.keys")}</h3>
      <dl className="help-keys" data-testid="help-keys">
        {keys.map((label) => (
          <div key={label}>
            <dt>
              {(KEYS_BY_LABEL.get(label) ?? []).map((k, n) => (
                <span key={k}>
                  {n > 0 && " / "}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("keys.note")}</p>
      <h3>{t("help.cli")}</h3>
      {info.cli.length > 0 ? (
        <pre className="help-cli" data-testid="help-cli" lang="en">
          <code>{info.cli.join("\n")}</code>
        </pre>
      ) : (
        <p className="muted" data-testid="help-cli-none">
          {t("help.noCli")}
        </p>
      )}
      <button type="button" data-testid="help-close" onClick={onClose}>
        {t("help.close")}
      </button>
    </aside>
  );
}

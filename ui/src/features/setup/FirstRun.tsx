import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useLoadDemo } from "../requests/queries";
import { TeamConnect } from "./TeamConnect";

type Props = { dbPath: string; onDone: () => void };

/** Shown once, on an empty database: start with demo data or with nothing. */
export function FirstRun({ dbPath, onDone }: Props) {
  const demo = useLoadDemo();
  const { t } = useI18n();
  return (
    <section data-testid="first-run" aria-labelledby="welcome-heading" className="panel welcome">
      <h1 id="welcome-heading">{t("firstRun.title")}</h1>
      <p>
        {t("firstRun.where")}
        <br />
        <code>{dbPath}</code>
      </p>
      <p>{t("firstRun.demo")}</p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="load-demo"
          disabled={demo.isPending}
          onClick={() => demo.mutate(undefined, { onSuccess: onDone })}
        >
          {t("firstRun.load")}
        </button>
        <button type="button" data-testid="start-empty" onClick={onDone}>
          {t("firstRun.empty")}
        </button>
      </div>
      {demo.isError && (
        <p role="alert" className="error">
          {t("error.notSaved", { message: messageOf(demo.error) })}
        </p>
      )}
      <TeamConnect />
    </section>
  );
}

import { useState, type FormEvent } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { age } from "./format";
import { useBackupNow, useBackupSchedule, useChooseBackupFolder, useSetBackupSchedule } from "./queries";

/** Backups: the folder (picked in the OS dialog) and how many to keep, daily at start, back up now, and how to restore. */
export function BackupPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const schedule = useBackupSchedule();
  const save = useSetBackupSchedule();
  const now = useBackupNow();
  const choose = useChooseBackupFolder();
  const [dir, setDir] = useState("");
  const [keep, setKeep] = useState(7);
  const [daily, setDaily] = useState(false);
  // The form starts from the schedule as loaded, and again whenever a save returns it.
  const [shown, setShown] = useState<typeof schedule.data>(undefined);
  if (schedule.data && schedule.data !== shown) {
    setShown(schedule.data);
    setDir(schedule.data.dir ?? "");
    setKeep(schedule.data.keep);
    setDaily(schedule.data.daily);
  }

  if (schedule.isError)
    return (
      <p role="alert" lang="en">
        {messageOf(schedule.error)}
      </p>
    );
  if (!schedule.data) return <p>{t("list.loading")}</p>;
  const errorAt = (field: string) => {
    const error = save.error ?? now.error ?? choose.error;
    return error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field} lang="en">
        {error.message}
      </span>
    ) : null;
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    now.reset();
    save.mutate({ dir, keep, daily });
  }

  return (
    <section className="panel" aria-labelledby="backup-heading" data-testid="backup-panel">
      <h2 id="backup-heading">{t("backup.title")}</h2>
      <p className="muted">{t("backup.intro")}</p>
      <p data-testid="last-backup">
        {t("backup.last", { age: age(schedule.data.last_backup_at, new Date(), i18n), count: schedule.data.backups })}
      </p>
      <form onSubmit={submit} noValidate className="settings">
        <div className="field">
          <span id="backup-dir-label">{t("backup.dir")}</span>{" "}
          <code aria-labelledby="backup-dir-label" data-testid="backup-dir">
            {dir === "" ? t("backup.noDir") : dir}
          </code>{" "}
          <button
            type="button"
            data-testid="choose-backup-dir"
            disabled={choose.isPending}
            onClick={() => choose.mutate(t("backup.chooseTitle"), { onSuccess: (picked) => picked !== null && setDir(picked) })}
          >
            {t("backup.chooseDir")}
          </button>
          {errorAt("dir")}
        </div>
        <label>
          {t("backup.keep")}
          <input name="keep" type="number" min={1} max={365} value={keep} onChange={(e) => setKeep(Number(e.target.value))} />
          {errorAt("keep")}
        </label>
        <label className="check">
          <input type="checkbox" name="daily" checked={daily} onChange={(e) => setDaily(e.target.checked)} />
          {t("backup.daily")}
        </label>
        <div className="actions">
          <button type="submit" disabled={save.isPending} data-testid="save-backup-schedule">
            {t("backup.saveSchedule")}
          </button>
          <button type="button" disabled={now.isPending} onClick={() => now.mutate()} data-testid="backup-now">
            {now.isPending ? t("backup.backingUp") : t("backup.now")}
          </button>
        </div>
        {save.isSuccess && <p role="status">{t("backup.saved")}</p>}
        {now.data && (
          <p role="status" data-testid="backup-done">
            {t("backup.done", { path: now.data.path, requests: now.data.requests, files: now.data.evidence_files })}
          </p>
        )}
        {now.error && !(now.error instanceof IpcFailure && now.error.field) && (
          <p role="alert" lang="en">
            {messageOf(now.error)}
          </p>
        )}
      </form>
      <h3>{t("backup.restoreTitle")}</h3>
      <p>
        {rich(t("backup.restore"), {
          restore: <code>rightsdesk restore FILE</code>,
          db: <code>--db PATH</code>,
          force: <code>--force</code>,
          passphrase: <code>RIGHTSDESK_PASSPHRASE</code>,
          verify: <code>rightsdesk restore FILE --verify-only</code>,
        })}
      </p>
    </section>
  );
}

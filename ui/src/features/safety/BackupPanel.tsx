import { useEffect, useState, type FormEvent } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { age } from "./format";
import { useBackupNow, useBackupSchedule, useSetBackupSchedule } from "./queries";

/** Backups: the folder and how many to keep, daily at start, back up now, and how to restore. */
export function BackupPanel() {
  const schedule = useBackupSchedule();
  const save = useSetBackupSchedule();
  const now = useBackupNow();
  const [dir, setDir] = useState("");
  const [keep, setKeep] = useState(7);
  const [daily, setDaily] = useState(false);
  useEffect(() => {
    if (schedule.data) {
      setDir(schedule.data.dir ?? "");
      setKeep(schedule.data.keep);
      setDaily(schedule.data.daily);
    }
  }, [schedule.data]);

  if (schedule.isError) return <p role="alert">{messageOf(schedule.error)}</p>;
  if (!schedule.data) return <p>Loading…</p>;
  const errorAt = (field: string) => {
    const error = save.error ?? now.error;
    return error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field}>
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
      <h2 id="backup-heading">Backups</h2>
      <p className="muted">
        A backup is one encrypted file holding the database and every evidence file, readable only with this
        database&apos;s key (its passphrase, or the key in this computer&apos;s keyring).
      </p>
      <p data-testid="last-backup">
        Last backup: {age(schedule.data.last_backup_at, new Date())} ({schedule.data.backups} kept in the folder)
      </p>
      <form onSubmit={submit} noValidate className="settings">
        <label>
          Backup folder (absolute path)
          <input name="dir" value={dir} onChange={(e) => setDir(e.target.value)} data-testid="backup-dir" />
          {errorAt("dir")}
        </label>
        <label>
          Backups to keep
          <input name="keep" type="number" min={1} max={365} value={keep} onChange={(e) => setKeep(Number(e.target.value))} />
          {errorAt("keep")}
        </label>
        <label className="check">
          <input type="checkbox" name="daily" checked={daily} onChange={(e) => setDaily(e.target.checked)} />
          Back up when Rightsdesk starts if the last backup is more than a day old
        </label>
        <div className="actions">
          <button type="submit" disabled={save.isPending} data-testid="save-backup-schedule">
            Save schedule
          </button>
          <button type="button" disabled={now.isPending} onClick={() => now.mutate()} data-testid="backup-now">
            {now.isPending ? "Backing up…" : "Back up now"}
          </button>
        </div>
        {save.isSuccess && <p role="status">Schedule saved.</p>}
        {now.data && (
          <p role="status" data-testid="backup-done">
            Backup written: {now.data.path} ({now.data.requests} requests, {now.data.evidence_files} evidence files)
          </p>
        )}
        {now.error && !(now.error instanceof IpcFailure && now.error.field) && <p role="alert">{messageOf(now.error)}</p>}
      </form>
      <h3>Restoring a backup</h3>
      <p>
        Close Rightsdesk, then run <code>rightsdesk restore FILE</code> (add <code>--db PATH</code> for another
        location, <code>--force</code> to replace the current database). With a passphrase-protected database set{" "}
        <code>RIGHTSDESK_PASSPHRASE</code> first. The backup is checked completely before anything is written; check one
        without restoring with <code>rightsdesk restore FILE --verify-only</code>.
      </p>
    </section>
  );
}

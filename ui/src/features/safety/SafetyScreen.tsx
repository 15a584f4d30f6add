import { BackupPanel } from "./BackupPanel";
import { PurgePanel } from "./PurgePanel";
import { RetentionPanel } from "./RetentionPanel";

/** Backups, retention periods and the purge: keeping the data this tool holds safe, and no longer than needed. */
export function SafetyScreen() {
  return (
    <div className="stack" data-testid="safety-screen">
      <h1>Backups and retention</h1>
      <BackupPanel />
      <PurgePanel />
      <RetentionPanel />
    </div>
  );
}

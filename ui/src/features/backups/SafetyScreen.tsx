import { useI18n } from "../../i18n";
import { BackupPanel } from "./BackupPanel";
import { PurgePanel } from "../retention/PurgePanel";
import { RetentionPanel } from "../retention/RetentionPanel";

/**
 * Backups, retention periods and the purge: keeping the data this tool holds safe, and no longer than needed.
 * The screen of the backups feature; it shows the retention feature's panels below the backups (retention does not use backups).
 */
export function SafetyScreen() {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="safety-screen">
      <h1>{t("safety.title")}</h1>
      <BackupPanel />
      <PurgePanel />
      <RetentionPanel />
    </div>
  );
}

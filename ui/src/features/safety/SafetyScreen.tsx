import { useI18n } from "../../i18n";
import { BackupPanel } from "./BackupPanel";
import { PurgePanel } from "./PurgePanel";
import { RetentionPanel } from "./RetentionPanel";

/** Backups, retention periods and the purge: keeping the data this tool holds safe, and no longer than needed. */
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

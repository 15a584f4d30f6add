import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import type { AppInfo } from "../../ipc/types";
import { BackupPanel } from "./BackupPanel";
import { PurgePanel } from "../retention/PurgePanel";
import { RetentionPanel } from "../retention/RetentionPanel";

type TeamInfo = NonNullable<AppInfo["team"]>;

/**
 * Backups, retention periods and the purge: keeping the data this tool holds safe, and no longer than needed.
 * The screen of the backups feature; it shows the retention feature's panels below the backups (retention does not use backups).
 * On a team register (`team`) the backups are the server's or the command line's (the window's backup commands refuse it),
 * and only the team's admin purges or changes the periods: the others see the preview and the periods read-only.
 */
export function SafetyScreen({ team = null }: { team?: TeamInfo | null }) {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="safety-screen">
      <h1>{t("safety.title")}</h1>
      {team ? (
        <p className="notice" data-testid="team-backup-note">
          {rich(t("safety.teamBackup"), { command: <code>rightsdesk backup --db postgresql://…</code> })}
        </p>
      ) : (
        <BackupPanel />
      )}
      <PurgePanel team={team} />
      <RetentionPanel team={team} />
    </div>
  );
}

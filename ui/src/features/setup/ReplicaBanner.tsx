import { useQueryClient } from "@tanstack/react-query";
import { useI18n } from "../../i18n";

/**
 * On a read replica (a standby in recovery) the window cannot hear the team's changes (the server refuses LISTEN
 * there): said once, plainly, with a Reload that reads again everything the window shows. A change made here is
 * refused by the server, and the window says why (the core's replica message).
 */
export function ReplicaBanner() {
  const client = useQueryClient();
  const { t } = useI18n();
  return (
    <p className="notice" role="status" data-testid="replica-banner">
      {t("team.replica")}{" "}
      <button type="button" className="link" data-testid="replica-reload" onClick={() => void client.invalidateQueries()}>
        {t("team.reload")}
      </button>
    </p>
  );
}

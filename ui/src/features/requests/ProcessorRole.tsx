import { useI18n } from "../../i18n";
import { useProcessorRole } from "./queries";

/**
 * A request received as processor for a customer (issue 19 item 12): who the controller is,
 * that the due date is the controller's, and our contractual assistance date where one is set.
 * Rendered inside the detail's facts list; nothing for the organisation's own requests.
 */
export function ProcessorRoleRows({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data: role } = useProcessorRole(id);
  if (!role) return null;
  return (
    <>
      <dt>{t("detail.processorFor")}</dt>
      <dd data-testid="detail-processor-for">
        {role.controller} <span className="muted">&lt;{role.controller_email}&gt;</span>
        <br />
        <span className="muted">{t("detail.processorNote")}</span>
      </dd>
      {role.assistance_due && (
        <>
          <dt>{t("detail.assistanceDue")}</dt>
          <dd data-testid="detail-assistance-due">
            {role.assistance_due}{" "}
            <time className="muted" dateTime={role.assistance_due}>
              {i18n.weekday(role.assistance_due)}
            </time>
          </dd>
        </>
      )}
    </>
  );
}

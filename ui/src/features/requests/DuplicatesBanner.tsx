import { messageOf } from "../../ipc/call";
import { useLinkRequests, useMarkDuplicate, usePossibleDuplicates } from "./queries";
import { DICTIONARIES, useI18n, type MessageKey } from "../../i18n";

const DICT_KEYS = DICTIONARIES.en;

/** Flags other open requests of the same subject; the officer links them or marks this one a duplicate. */
export function DuplicatesBanner({ requestId, closed }: { requestId: string; closed: boolean }) {
  const found = usePossibleDuplicates(requestId);
  const link = useLinkRequests();
  const mark = useMarkDuplicate();
  const i18n = useI18n();
  const { t, label } = i18n;
  if (closed || !found.isSuccess || found.data.length === 0) return null;
  const matched = (what: string) => {
    const key = `dup.matched.${what}`;
    return key in DICT_KEYS ? t(key as MessageKey) : what;
  };

  return (
    <div className="callout" role="status" data-testid="possible-duplicates">
      <p>
        <strong>{t("dup.title")}</strong>
      </p>
      <ul>
        {found.data.map((d) => (
          <li key={d.id} data-testid="possible-duplicate" data-reference={d.reference}>
            {t("dup.line", {
              reference: d.reference,
              type: label("type", d.type),
              date: i18n.date(d.received_on),
              status: label("status", d.status),
            })}{" "}
            <span className="muted">{t("dup.same", { what: matched(d.matched_on) })}</span>{" "}
            {d.linked ? (
              <span className="muted">{t("dup.linked")}</span>
            ) : (
              <button type="button" data-testid="link-request" onClick={() => link.mutate({ requestId, otherId: d.id })}>
                {t("dup.link")}
              </button>
            )}{" "}
            <button type="button" data-testid="mark-duplicate" onClick={() => mark.mutate({ requestId, ofId: d.id })}>
              {t("dup.mark")}
            </button>
          </li>
        ))}
      </ul>
      {(link.isError || mark.isError) && (
        <p role="alert" className="error">
          {t("error.notSaved", { message: messageOf(link.error ?? mark.error) })}
        </p>
      )}
    </div>
  );
}

import { messageOf } from "../../ipc/call";
import { useLinkRequests, useMarkDuplicate, usePossibleDuplicates } from "./queries";

/** Flags other open requests of the same subject; the officer links them or marks this one a duplicate. */
export function DuplicatesBanner({ requestId, closed }: { requestId: string; closed: boolean }) {
  const found = usePossibleDuplicates(requestId);
  const link = useLinkRequests();
  const mark = useMarkDuplicate();
  if (closed || !found.isSuccess || found.data.length === 0) return null;

  return (
    <div className="callout" role="status" data-testid="possible-duplicates">
      <p>
        <strong>The same subject has another open request.</strong>
      </p>
      <ul>
        {found.data.map((d) => (
          <li key={d.id} data-testid="possible-duplicate" data-reference={d.reference}>
            {d.reference} — {d.type}, received {d.received_on}, {d.status.replace(/-/g, " ")}{" "}
            <span className="muted">(same {d.matched_on})</span>{" "}
            {d.linked ? (
              <span className="muted">linked</span>
            ) : (
              <button type="button" data-testid="link-request" onClick={() => link.mutate({ requestId, otherId: d.id })}>
                Link
              </button>
            )}{" "}
            <button type="button" data-testid="mark-duplicate" onClick={() => mark.mutate({ requestId, ofId: d.id })}>
              Mark this request a duplicate of it
            </button>
          </li>
        ))}
      </ul>
      {(link.isError || mark.isError) && (
        <p role="alert" className="error">
          {messageOf(link.error ?? mark.error)}
        </p>
      )}
    </div>
  );
}

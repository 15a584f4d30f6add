import { useState } from "react";
import { messageOf } from "../../ipc/call";
import { letterStateText, templateText } from "./format";
import { useConfirmLetter, useLetterSource, useOutbox, useResendLetter, useSendOutbox } from "./queries";
import { Instant } from "../../i18n/Instant";

/** Every letter with its state; send what is due, settle the unknown ones, read the exact bytes. */
export function Outbox() {
  const letters = useOutbox(null);
  const sendAll = useSendOutbox();
  const confirm = useConfirmLetter();
  const resend = useResendLetter();
  const source = useLetterSource();
  const [shownSource, setShownSource] = useState<string | null>(null);
  const error = sendAll.error ?? confirm.error ?? resend.error ?? source.error;

  return (
    <section className="panel" aria-labelledby="outbox-heading" data-testid="outbox">
      <div className="toolbar">
        <h1 id="outbox-heading">Outbox</h1>
        <button type="button" className="primary" data-testid="send-outbox" disabled={sendAll.isPending} onClick={() => sendAll.mutate()}>
          {sendAll.isPending ? "Sending…" : "Send what is due"}
        </button>
      </div>
      <p className="muted">
        Every letter is stored here before it is sent. Temporary failures are retried automatically with growing pauses. A letter marked
        “unknown” was being sent when the program stopped: the server may have it. Check (the recipient, your copy, the server’s log, by its
        Message-ID) and then confirm it or send it again.
      </p>
      {sendAll.data && (
        <p className="notice" role="status" data-testid="send-report">
          Sent {sendAll.data.sent}, retrying {sendAll.data.retrying}, failed {sendAll.data.failed}, unknown {sendAll.data.unknown}.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {messageOf(error)}
        </p>
      )}
      {letters.isPending && <p>Loading…</p>}
      {letters.data?.length === 0 && <p className="empty">No letters yet.</p>}
      {letters.data && letters.data.length > 0 && (
        <table className="requests outbox">
          <thead>
            <tr>
              <th>State</th>
              <th>Request</th>
              <th>Letter</th>
              <th>To</th>
              <th>When</th>
              <th>Server / reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {letters.data.map((l) => (
              <tr key={l.id} data-letter-state={l.state} data-testid="outbox-row">
                <td>
                  <span className={`letter-state state-${l.state}`}>{letterStateText(l.state)}</span>
                  {l.attempts > 1 && <div className="muted">{l.attempts} attempts</div>}
                </td>
                <td>{l.reference ?? "—"}</td>
                <td>
                  {templateText(l.template)} ({l.lang})
                </td>
                <td>{l.to}</td>
                <td className="date">
                  <Instant at={l.sent_at ?? l.queued_at} />
                  {l.state === "queued" && l.next_attempt_at && <div className="muted">next try <Instant at={l.next_attempt_at} /></div>}
                </td>
                <td className="reply">{l.state === "sent" ? l.server_reply : l.last_error}</td>
                <td>
                  <div className="actions">
                    {l.state === "unknown" && (
                      <button type="button" data-testid="confirm-letter" onClick={() => confirm.mutate({ id: l.id, note: "checked by the officer" })}>
                        It arrived
                      </button>
                    )}
                    {(l.state === "unknown" || l.state === "failed") && (
                      <button type="button" data-testid="resend-letter" onClick={() => resend.mutate(l.id)}>
                        Send again
                      </button>
                    )}
                    <button
                      type="button"
                      onClick={() => source.mutate(l.id, { onSuccess: (text) => setShownSource(text) })}
                    >
                      Source
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shownSource !== null && (
        <>
          <h2>Exact message</h2>
          <pre className="letter-source" data-testid="letter-source">
            {shownSource}
          </pre>
          <button type="button" onClick={() => setShownSource(null)}>
            Close
          </button>
        </>
      )}
    </section>
  );
}

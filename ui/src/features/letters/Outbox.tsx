import { useState } from "react";
import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { templateLabel } from "./format";
import { useConfirmLetter, useLetterSource, useOutbox, useResendLetter, useSendOutbox } from "./queries";
import { Instant } from "../../i18n/Instant";

/** Every letter with its state; send what is due, settle the unknown ones, read the exact bytes.
 * `readOnly` for an auditor's window on a team register: the letters are shown, nothing is sent. */
export function Outbox({ readOnly = false }: { readOnly?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
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
        <h1 id="outbox-heading">{t("outbox.title")}</h1>
        {!readOnly && (
          <button type="button" className="primary" data-testid="send-outbox" disabled={sendAll.isPending} onClick={() => sendAll.mutate()}>
            {sendAll.isPending ? t("mail.sending") : t("outbox.sendDue")}
          </button>
        )}
      </div>
      <p className="muted">{t("outbox.intro")}</p>
      {readOnly && (
        <p className="notice" data-testid="outbox-read-only">
          {t("outbox.readOnly")}
        </p>
      )}
      {sendAll.data && (
        <p className="notice" role="status" data-testid="send-report">
          {t("outbox.report", {
            sent: sendAll.data.sent,
            retrying: sendAll.data.retrying,
            failed: sendAll.data.failed,
            unknown: sendAll.data.unknown,
          })}
        </p>
      )}
      {error && (
        <p role="alert" className="error" lang="en">
          {messageOf(error)}
        </p>
      )}
      {letters.isPending && <p>{t("list.loading")}</p>}
      {letters.data?.length === 0 && <p className="empty">{t("outbox.none")}</p>}
      {letters.data && letters.data.length > 0 && (
        <table className="requests outbox">
          <thead>
            <tr>
              <th>{t("outbox.col.state")}</th>
              <th>{t("outbox.col.request")}</th>
              <th>{t("outbox.col.letter")}</th>
              <th>{t("outbox.col.to")}</th>
              <th>{t("outbox.col.when")}</th>
              <th>{t("outbox.col.reply")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {letters.data.map((l) => (
              <tr key={l.id} data-letter-state={l.state} data-testid="outbox-row">
                <td>
                  <span className={`letter-state state-${l.state}`}>{t(`letterState.${l.state}`)}</span>
                  {l.attempts > 1 && <div className="muted">{t("outbox.attempts", { count: l.attempts })}</div>}
                </td>
                <td>{l.reference ?? "—"}</td>
                <td>
                  {templateLabel(l.template, i18n)} ({l.lang})
                </td>
                <td>{l.to}</td>
                <td className="date">
                  <Instant at={l.sent_at ?? l.queued_at} />
                  {l.state === "queued" && l.next_attempt_at && (
                    <div className="muted">{rich(t("outbox.nextTry"), { when: <Instant at={l.next_attempt_at} /> })}</div>
                  )}
                </td>
                <td className="reply" lang="en">
                  {l.state === "sent" ? l.server_reply : l.last_error}
                </td>
                <td>
                  <div className="actions">
                    {!readOnly && l.state === "unknown" && (
                      <button
                        type="button"
                        data-testid="confirm-letter"
                        onClick={() => confirm.mutate({ id: l.id, note: "checked by the officer" })}
                      >
                        {t("outbox.arrived")}
                      </button>
                    )}
                    {!readOnly && (l.state === "unknown" || l.state === "failed") && (
                      <button type="button" data-testid="resend-letter" onClick={() => resend.mutate(l.id)}>
                        {t("outbox.resend")}
                      </button>
                    )}
                    <button type="button" onClick={() => source.mutate(l.id, { onSuccess: (text) => setShownSource(text) })}>
                      {t("outbox.source")}
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
          <h2>{t("outbox.exact")}</h2>
          <pre className="letter-source" data-testid="letter-source">
            {shownSource}
          </pre>
          <button type="button" onClick={() => setShownSource(null)}>
            {t("outbox.close")}
          </button>
        </>
      )}
    </section>
  );
}

// A request's conversation: the letters sent and the mails received in one list, by the mail
// server's time (acceptance for a letter, arrival for a mail), in the organisation's zone. A mail
// is shown as the plain text the core extracted (HTML only turned into text there): it is put in
// the page as text, never as HTML, so nothing in it runs or loads. Attachments are listed by name,
// size and type and never opened. While the request awaits identity evidence or a clarification, a
// received mail carries the one click that records it, dated by its arrival (not in a window that
// changes nothing: an auditor's or a read replica's on a team register).
import { messageOf } from "../../ipc/call";
import type { ConversationMail_Serialize as ConversationMail, ReceivedAs } from "../../ipc/bindings";
import { DICTIONARIES, useI18n, type MessageKey } from "../../i18n";
import { templateText } from "../letters/format";
import { formatArrival, formatSize } from "../mailbox/format";
import { useConversation, useRecordReceived, useSaveAttachment } from "./queries";

const KNOWN = DICTIONARIES.en;

type Props = {
  requestId: string;
  /** The organisation's time zone: the zone the dates of receipt are in. */
  zone: string;
  /** The window changes nothing (an auditor's or a read replica's on a team register): no record buttons. */
  readOnly?: boolean;
};

export function Conversation({ requestId, zone, readOnly = false }: Props) {
  const conversation = useConversation(requestId);
  const record = useRecordReceived(requestId);
  const save = useSaveAttachment();
  const i18n = useI18n();
  const { t, locale } = i18n;

  const kindName = (m: ConversationMail) => {
    if (m.direction === "in") {
      const key = `conversation.kind.${m.kind}`;
      return key in KNOWN ? t(key as MessageKey) : m.kind;
    }
    return `template.${m.kind}` in KNOWN ? t(`template.${m.kind}` as MessageKey) : templateText(m.kind);
  };
  const offerText = (what: ReceivedAs, m: ConversationMail) =>
    t(what === "identity" ? "conversation.identityReceived" : "conversation.clarificationReceived", { date: i18n.date(m.arrived_on) });

  let body;
  if (conversation.isPending) {
    body = <p>{t("conversation.loading")}</p>;
  } else if (conversation.isError) {
    body = (
      <p role="alert" className="error">
        {t("error.notLoaded", { message: messageOf(conversation.error) })}
      </p>
    );
  } else {
    const c = conversation.data;
    body = (
      <>
        {c.awaiting_identity && (
          <p className="notice" data-testid="awaiting-identity">
            {t("conversation.awaitingIdentity", { date: i18n.date(c.awaiting_identity) })}
          </p>
        )}
        {c.awaiting_clarification && (
          <p className="notice" data-testid="awaiting-clarification">
            {t("conversation.awaitingClarification", { date: i18n.date(c.awaiting_clarification) })}
          </p>
        )}
        {c.mails.length === 0 ? (
          <p className="muted">{t("conversation.empty")}</p>
        ) : (
          <ol className="conversation-list">
            {c.mails.map((m) => (
              <li
                key={`${m.direction}:${m.id}`}
                className={`conversation-mail conversation-${m.direction}`}
                data-testid="conversation-mail"
                data-direction={m.direction}
                data-mail-id={m.id}
              >
                <p className="conversation-head">
                  <strong>{m.direction === "out" ? t("conversation.sent") : t("conversation.received")}</strong> · {kindName(m)} ·{" "}
                  <time dateTime={m.at} data-testid="mail-time">
                    {t(m.direction === "out" ? "conversation.sentAt" : "conversation.receivedAt", {
                      time: formatArrival(m.at, locale, zone),
                    })}
                  </time>
                </p>
                <dl className="facts">
                  <dt>{t("conversation.from")}</dt>
                  <dd data-testid="mail-from">{m.from}</dd>
                  <dt>{t("conversation.to")}</dt>
                  <dd>{m.to}</dd>
                  <dt>{t("conversation.subject")}</dt>
                  <dd data-testid="mail-subject">{m.subject || t("conversation.noSubject")}</dd>
                </dl>
                <pre className="conversation-body" data-testid="mail-body">
                  {m.body || t("conversation.noText")}
                </pre>
                {m.attachments.length > 0 && (
                  <>
                    <p className="muted">{t("conversation.attachments")}</p>
                    <ul data-testid="mail-attachments">
                      {m.attachments.map((a, i) => (
                        <li key={i} data-testid="mail-attachment">
                          {a.name} — {formatSize(a.size, locale)} — <code>{a.type}</code>{" "}
                          {m.direction === "in" && (
                            <button
                              type="button"
                              className="link"
                              data-testid="save-attachment"
                              disabled={save.isPending}
                              onClick={() => save.mutate({ mailId: m.id, index: i, name: a.name, title: t("conversation.saveTitle") })}
                            >
                              {t("conversation.save")}
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {m.warning && (
                  <p className="muted" lang="en">
                    {t("conversation.warning", { message: m.warning })}
                  </p>
                )}
                {m.recorded.map((r) => (
                  <p key={r} className="notice" data-testid="mail-recorded" data-recorded={r}>
                    {t(r === "identity" ? "conversation.recordedIdentity" : "conversation.recordedClarification")}
                  </p>
                ))}
                {m.offers.length > 0 && !readOnly && (
                  <div className="actions">
                    {m.offers.map((what) => (
                      <button
                        key={what}
                        type="button"
                        data-testid={`received-${what}`}
                        disabled={record.isPending}
                        onClick={() => record.mutate({ mailId: m.id, what })}
                      >
                        {offerText(what, m)}
                      </button>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
        {save.data != null && (
          <p className="notice" data-testid="attachment-saved">
            {t("conversation.saved", { size: formatSize(save.data, locale) })}
          </p>
        )}
        {save.isError && (
          <p role="alert" className="error">
            {t("error.notSaved", { message: messageOf(save.error) })}
          </p>
        )}
        {record.isError && (
          <p role="alert" className="error" data-testid="record-error">
            {t("conversation.notRecorded", { message: messageOf(record.error) })}
          </p>
        )}
      </>
    );
  }

  return (
    <section id="conversation" className="detail-section" aria-labelledby="conversation-heading" data-testid="conversation">
      <h2 id="conversation-heading" tabIndex={-1}>
        {t("conversation.title")}
      </h2>
      <p className="muted">{t("conversation.intro")}</p>
      {body}
    </section>
  );
}

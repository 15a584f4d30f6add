// A task's system owner: Send to owner, the mails sent, the owner's reply and the close it offers.
import type { TaskOwner as Owner } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { Instant } from "../../i18n/Instant";
import { useCloseFromReply, useSendToOwner } from "./queries";

const MAIL_STATE = {
  queued: "owners.mail.queued",
  sending: "owners.mail.sending",
  sent: "owners.mail.sent",
  failed: "owners.mail.failed",
  unknown: "owners.mail.unknown",
} as const;

type Props = { taskId: string; owner: Owner | undefined; open: boolean };

export function TaskOwner({ taskId, owner, open }: Props) {
  const send = useSendToOwner();
  const close = useCloseFromReply();
  const { t } = useI18n();
  if (!owner) return null;
  const last = owner.mails[owner.mails.length - 1];
  const reply = owner.replies[owner.replies.length - 1];
  const offer = [...owner.replies].reverse().find((r) => r.state === "offered");
  return (
    <div className="task-owner" data-testid="task-owner">
      {last && (
        <div className="muted" data-testid="owner-mail" data-state={last.state}>
          {t(last.kind === "reminder" ? "owners.reminded" : "owners.asked", { to: last.to, due: last.due ?? "—" })}{" "}
          <time dateTime={last.queued_at}>
            <Instant at={last.queued_at} />
          </time>{" "}
          ({t(MAIL_STATE[last.state])})
        </div>
      )}
      {reply && (
        <div data-testid="owner-reply" data-suggestion={reply.suggestion ?? ""} data-state={reply.state}>
          {t("owners.replied", { from: reply.from, files: String(reply.evidence.length) })}{" "}
          <time dateTime={reply.received_at}>
            <Instant at={reply.received_at} />
          </time>
        </div>
      )}
      {open && offer && (
        <button type="button" data-testid="close-from-reply" disabled={close.isPending} onClick={() => close.mutate(offer.id)}>
          {t(offer.suggestion === "not-held" ? "owners.closeNotHeld" : "owners.closeDone")}
        </button>
      )}
      {open && (
        <button
          type="button"
          data-testid="send-to-owner"
          disabled={send.isPending || owner.owner === null}
          title={owner.cannot_send ?? undefined}
          onClick={() => send.mutate(taskId)}
        >
          {t(last ? "owners.sendAgain" : "owners.send")}
        </button>
      )}
      {open && owner.cannot_send && (
        <span className="muted" lang="en" data-testid="owner-cannot-send">
          {owner.cannot_send}
        </span>
      )}
      {send.data?.send_error && (
        <p role="status" className="muted" lang="en" data-testid="owner-send-error">
          {t("owners.notSentYet", { error: send.data.send_error })}
        </p>
      )}
      {(send.isError || close.isError) && (
        <p role="alert" className="field-error" lang="en" data-error-for="owner">
          {messageOf(send.error ?? close.error)}
        </p>
      )}
    </div>
  );
}

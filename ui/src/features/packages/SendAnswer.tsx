// Send answer: the response letter goes out from the request, with the answer package attached when
// the mail server takes it; otherwise the officer is told how the package will be delivered and
// confirms sending the letter without it. A passphrase generated for an encrypted package is shown once,
// for another channel: it is never in the mail.
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call, messageOf } from "../../ipc/call";
import type { AnswerInput, Request } from "../../ipc/types";
import { useI18n } from "../../i18n";
import { useRequestWorkChanged } from "../requests/queries";
import { humanBytes } from "./progress";

type Props = { request: Request };

export function SendAnswer({ request }: Props) {
  const { t } = useI18n();
  const invalidate = useRequestWorkChanged();
  const [encrypt, setEncrypt] = useState(false);
  const [details, setDetails] = useState("");
  const [reason, setReason] = useState("");
  const send = useMutation({
    mutationFn: (input: AnswerInput) => call(commands.sendAnswer(request.id, input)),
    onSuccess: invalidate,
  });
  if (request.status !== "in-progress" && request.status !== "received" && !send.data) return null;
  const input = (withoutPackage: boolean): AnswerInput => ({
    encrypt,
    without_package: withoutPackage,
    open_tasks_reason: reason.trim() === "" ? null : reason,
    details,
    kept: "",
    lang: null,
  });
  const o = send.data;
  return (
    <div className="send-answer" data-testid="send-answer">
      <h3>{t("answer.title")}</h3>
      <p className="muted">{t("answer.intro")}</p>
      {!o || o.state === "needs-confirmation" ? (
        <form
          className="clock-form"
          onSubmit={(e) => {
            e.preventDefault();
            send.mutate(input(false));
          }}
        >
          <label>
            <input type="checkbox" name="answer-encrypt" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />{" "}
            {t("answer.encrypt")}
          </label>
          <label>
            {t("answer.details")}
            <textarea name="answer-details" value={details} onChange={(e) => setDetails(e.target.value)} />
          </label>
          <label>
            {t("answer.openTasksReason")}
            <input name="answer-open-tasks-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" data-testid="send-answer-button" disabled={send.isPending}>
            {send.isPending ? t("answer.sending") : t("answer.send")}
          </button>
        </form>
      ) : null}
      {o?.state === "needs-confirmation" && (
        <div role="status" data-testid="answer-too-large">
          <p lang="en">{o.delivery}</p>
          <button type="button" data-testid="send-without-package" disabled={send.isPending} onClick={() => send.mutate(input(true))}>
            {t("answer.withoutPackage")}
          </button>
        </div>
      )}
      {o?.state === "sent" && (
        <p role="status" data-testid="answer-sent" data-attached={String(o.attached)}>
          {o.package && o.attached
            ? t("answer.sentWith", { name: o.package.name, size: humanBytes(o.package.bytes), on: o.answered_on ?? "—" })
            : t("answer.sent", { on: o.answered_on ?? "—" })}
        </p>
      )}
      {o?.state === "queued" && (
        <p role="status" data-testid="answer-queued" lang="en">
          {t("answer.queued", { error: o.problem ?? "" })}
        </p>
      )}
      {o?.passphrase && (
        <p role="status" data-testid="answer-passphrase">
          {t("answer.passphrase")} <code>{o.passphrase}</code>
        </p>
      )}
      {send.isError && (
        <p role="alert" className="error" lang="en" data-testid="answer-error">
          {messageOf(send.error)}
        </p>
      )}
    </div>
  );
}

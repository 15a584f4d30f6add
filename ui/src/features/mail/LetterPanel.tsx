import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, LetterInput, TemplateName } from "../../ipc/types";
import { letterStateText, templateText } from "./format";
import { useLetterKinds, useOutbox, usePreviewLetter, useSendLetter } from "./queries";
import { Instant } from "../../i18n/Instant";

type Props = { requestId: string };

const FIELD_LABELS: Record<string, string> = {
  reasons: "Reasons",
  details: "Details (what you ask, or what was done)",
  kept: "What was kept, and under which legal duty",
};

/** Letters to the request's subject: choose, preview, send; and the letters so far. */
export function LetterPanel({ requestId }: Props) {
  const kinds = useLetterKinds();
  const letters = useOutbox(requestId);
  const preview = usePreviewLetter();
  const send = useSendLetter();
  const [template, setTemplate] = useState<TemplateName>("acknowledgement");
  const [lang, setLang] = useState<Lang | "">("");
  const [fields, setFields] = useState({ reasons: "", details: "", kept: "" });

  const kind = kinds.data?.find((k) => k.template === template);
  const input: LetterInput = { template, lang: lang === "" ? null : lang, ...fields };
  const shown = new Set(["details", ...(kind?.required_fields ?? [])]);
  if (template === "response-erasure") shown.add("kept");
  if (template === "appeal-decision" || template === "refusal" || template === "extension-notice") shown.add("reasons");
  const error = send.error ?? preview.error;

  return (
    <div className="letters" data-testid="letters">
      <div className="clock-form">
        <label>
          Letter
          <select
            name="letter-template"
            value={template}
            onChange={(e) => {
              setTemplate(e.target.value as TemplateName);
              preview.reset();
              send.reset();
            }}
          >
            {(kinds.data ?? []).map((k) => (
              <option key={k.template} value={k.template}>
                {templateText(k.template)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language
          <select name="letter-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang | "")}>
            <option value="">Default</option>
            <option value="en">English</option>
            <option value="de">Deutsch</option>
            <option value="fr">Français</option>
          </select>
        </label>
      </div>
      {[...shown].map((f) => (
        <label key={f} className="letter-field">
          {FIELD_LABELS[f]}
          {kind?.required_fields.includes(f) ? " (required)" : ""}
          <textarea
            name={`letter-${f}`}
            rows={3}
            value={fields[f as keyof typeof fields]}
            aria-invalid={error instanceof IpcFailure && error.field === f}
            onChange={(e) => setFields({ ...fields, [f]: e.target.value })}
          />
          {error instanceof IpcFailure && error.field === f && (
            <span className="field-error" data-error-for={f}>
              {error.message}
            </span>
          )}
        </label>
      ))}
      <div className="actions">
        <button type="button" data-testid="preview-letter" onClick={() => preview.mutate({ requestId, input })} disabled={preview.isPending}>
          Preview
        </button>
        <button
          type="button"
          className="primary"
          data-testid="send-letter"
          disabled={send.isPending || !preview.data}
          title={preview.data ? undefined : "Preview the letter first"}
          onClick={() => send.mutate({ requestId, input }, { onSuccess: () => preview.reset() })}
        >
          {send.isPending ? "Sending…" : "Send"}
        </button>
      </div>
      {error && !(error instanceof IpcFailure && error.field && shown.has(error.field)) && (
        <p role="alert" className="error" data-error-for={error instanceof IpcFailure ? error.field ?? undefined : undefined}>
          {messageOf(error)}
        </p>
      )}
      {preview.data && (
        <div className="letter-preview" data-testid="letter-preview">
          <p>
            <strong>To:</strong> {preview.data.to}
            <br />
            <strong>Subject:</strong> {preview.data.subject}
          </p>
          <pre>{preview.data.text}</pre>
        </div>
      )}
      {send.data && (
        <p className="notice" role="status" data-testid="letter-result">
          {letterStateText(send.data.letter.state)}
          {send.data.letter.server_reply ? ` — the server answered: ${send.data.letter.server_reply}` : ""}
          {send.data.send_error ? ` — not sent yet: ${send.data.send_error}` : ""}
          {send.data.letter.state !== "sent" && send.data.letter.last_error ? ` — ${send.data.letter.last_error}` : ""}
        </p>
      )}
      {letters.data && letters.data.length > 0 && (
        <ul className="letter-list" data-testid="request-letters">
          {letters.data.map((l) => (
            <li key={l.id} data-letter-state={l.state}>
              {templateText(l.template)} ({l.lang}) — <span className={`letter-state state-${l.state}`}>{letterStateText(l.state)}</span>{" "}
              <span className="muted"><Instant at={l.sent_at ?? l.queued_at} /></span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

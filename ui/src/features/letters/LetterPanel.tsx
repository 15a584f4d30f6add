import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, LetterInput, LetterState, TemplateName } from "../../ipc/types";
import { templateText } from "./format";
import { DICTIONARIES } from "../../i18n";
import { useBuiltPackage, useLetterKinds, useOutbox, usePreviewLetter, useSendLetter } from "./queries";
import { humanBytes } from "../packages/progress";
import { Instant } from "../../i18n/Instant";
import { useI18n, type MessageKey } from "../../i18n";

type Props = { requestId: string; initialTemplate?: TemplateName };

const KNOWN = DICTIONARIES.en;

const FIELD_LABELS: Record<string, MessageKey> = {
  reasons: "letters.reasons",
  details: "letters.details",
  kept: "letters.kept",
};

/** Letters to the request's subject: choose, preview, send; and the letters so far. */
export function LetterPanel({ requestId, initialTemplate }: Props) {
  const kinds = useLetterKinds();
  const letters = useOutbox(requestId);
  const preview = usePreviewLetter();
  const send = useSendLetter();
  const [template, setTemplate] = useState<TemplateName>(initialTemplate ?? "acknowledgement");
  const [lang, setLang] = useState<Lang | "">("");
  const [fields, setFields] = useState({ reasons: "", details: "", kept: "" });
  // A response letter offers the request's built package as its attachment (checked by default when it fits).
  const isResponse = template.startsWith("response");
  const built = useBuiltPackage(requestId, isResponse);
  const pkg = isResponse ? (built.data ?? null) : null;
  const [attachChoice, setAttachChoice] = useState<boolean | null>(null);
  const attach = pkg !== null && pkg.fits && (attachChoice ?? true);

  const kind = kinds.data?.find((k) => k.template === template);
  const input: LetterInput = { template, lang: lang === "" ? null : lang, ...fields };
  const shown = new Set(["details", ...(kind?.required_fields ?? [])]);
  if (template === "response-erasure") shown.add("kept");
  if (template === "appeal-decision" || template === "refusal" || template === "extension-notice") shown.add("reasons");
  const error = send.error ?? preview.error;
  const { t } = useI18n();
  const templateName = (name: string) => (`template.${name}` in KNOWN ? t(`template.${name}` as MessageKey) : templateText(name));
  const stateName = (s: LetterState) => t(`letterState.${s}`);

  return (
    <div className="letters" data-testid="letters">
      <div className="clock-form">
        <label>
          {t("letters.letter")}
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
                {templateName(k.template)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("letters.language")}
          <select name="letter-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang | "")}>
            <option value="">{t("letters.default")}</option>
            <option value="en">English</option>
            <option value="de">Deutsch</option>
            <option value="fr">Français</option>
          </select>
        </label>
      </div>
      {[...shown].map((f) => (
        <label key={f} className="letter-field">
          {FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f}
          {kind?.required_fields.includes(f) ? ` ${t("letters.required")}` : ""}
          <textarea
            name={`letter-${f}`}
            rows={3}
            value={fields[f as keyof typeof fields]}
            aria-invalid={error instanceof IpcFailure && error.field === f}
            onChange={(e) => setFields({ ...fields, [f]: e.target.value })}
          />
          {error instanceof IpcFailure && error.field === f && (
            <span className="field-error" data-error-for={f} lang="en">
              {error.message}
            </span>
          )}
        </label>
      ))}
      {pkg && (
        <div className="letter-attachment">
          <label className="check-inline">
            <input
              type="checkbox"
              data-testid="attach-package"
              checked={attach}
              disabled={!pkg.fits}
              onChange={(e) => setAttachChoice(e.target.checked)}
            />{" "}
            {t("letters.attachPackage", { name: pkg.name, size: humanBytes(pkg.bytes) })}
          </label>
          {!pkg.fits && (
            <p className="muted" data-testid="attach-package-too-large">
              {t("letters.packageTooLarge", { limit: humanBytes(pkg.limit_bytes) })}
            </p>
          )}
          {attach && pkg.encrypted && <p className="muted">{t("letters.passphraseSeparately")}</p>}
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          data-testid="preview-letter"
          onClick={() => preview.mutate({ requestId, input })}
          disabled={preview.isPending}
        >
          {t("letters.preview")}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="send-letter"
          disabled={send.isPending || !preview.data}
          title={preview.data ? undefined : t("letters.previewFirst")}
          onClick={() => send.mutate({ requestId, input, attachPackage: attach }, { onSuccess: () => preview.reset() })}
        >
          {send.isPending ? t("letters.sending") : t("letters.send")}
        </button>
      </div>
      {error && !(error instanceof IpcFailure && error.field && shown.has(error.field)) && (
        <p role="alert" className="error" data-error-for={error instanceof IpcFailure ? (error.field ?? undefined) : undefined}>
          {t("error.notSaved", { message: messageOf(error) })}
        </p>
      )}
      {preview.data && (
        <div className="letter-preview" data-testid="letter-preview">
          <p>
            <strong>{t("letters.to")}</strong> {preview.data.to}
            <br />
            <strong>{t("letters.subject")}</strong> {preview.data.subject}
          </p>
          <pre>{preview.data.text}</pre>
        </div>
      )}
      {send.data && (
        <p className="notice" role="status" data-testid="letter-result">
          {stateName(send.data.letter.state)}
          {send.data.letter.server_reply ? ` — ${t("letters.serverAnswered", { reply: send.data.letter.server_reply })}` : ""}
          {send.data.send_error ? ` — ${t("letters.notSentYet", { error: send.data.send_error })}` : ""}
          {send.data.letter.state !== "sent" && send.data.letter.last_error ? ` — ${send.data.letter.last_error}` : ""}
        </p>
      )}
      {letters.data && letters.data.length > 0 && (
        <ul className="letter-list" data-testid="request-letters">
          {letters.data.map((l) => (
            <li key={l.id} data-letter-state={l.state}>
              {templateName(l.template)} ({l.lang}) — <span className={`letter-state state-${l.state}`}>{stateName(l.state)}</span>{" "}
              <span className="muted">
                <Instant at={l.sent_at ?? l.queued_at} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

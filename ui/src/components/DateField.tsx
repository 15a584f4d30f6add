// The one date entry of the app: a text field in the format of the interface
// language (DD.MM.YYYY, DD/MM/YYYY, "10 Feb 2025"; ISO everywhere), the date
// read back in words beside it, and an error naming the field when the text is
// no date. The form receives ISO `YYYY-MM-DD`, or "" when the field is empty.
// A form refuses to submit while a date field holds no date: see `invalidDateField`.
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n";
import { dateMessage, formatDateInput, formatDateWords, parseDate, type DateParse } from "../i18n/dateEntry";

type Props = {
  name: string;
  /** The field's label, named in its error. */
  label: string;
  /** ISO `YYYY-MM-DD`, or "". */
  value: string;
  onChange: (iso: string) => void;
  /** An ISO date shown as the example (the app's "today"); else the language's pattern. */
  placeholderDate?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
};

/** The first date field of `form` whose text is not a date (it then shows its error), or null. */
export function invalidDateField(form: Element | null): HTMLInputElement | null {
  if (!form) return null;
  const fields = [...form.querySelectorAll<HTMLInputElement>("input[data-date-field]")];
  const bad = fields.filter((f) => !f.checkValidity());
  bad[0]?.focus();
  return bad[0] ?? null;
}

export function DateField({ name, label, value, onChange, placeholderDate, ...aria }: Props) {
  const { language, locale } = useI18n();
  const [text, setText] = useState(() => formatDateInput(value, language));
  const [shown, setShown] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const parsed: DateParse = parseDate(text, language);

  // A value set from outside (a reset, today's date): written the language's way. A new
  // language: the date typed so far, read in the language it was typed in, written in the new one.
  const typedIn = useRef(language);
  useEffect(() => {
    const before = typedIn.current;
    typedIn.current = language;
    setText((current) => {
      const now = parseDate(current, before);
      if (now.kind === "error") return current;
      if ((now.kind === "ok" ? now.iso : "") === value && before === language) return current;
      return formatDateInput(value, language);
    });
  }, [value, language]);

  const error = parsed.kind === "error" ? dateMessage(language, parsed.reason, { field: label, text: text.trim() }, locale) : "";
  useEffect(() => {
    input.current?.setCustomValidity(error);
  }, [error]);

  const errorId = `${name}-date-error`;
  const describedBy = [shown && error ? errorId : null, aria["aria-describedby"]].filter(Boolean).join(" ") || undefined;
  return (
    <span className="date-field" style={{ display: "flex", flexDirection: "column", gap: 2 }}>
      <input
        ref={input}
        name={name}
        type="text"
        inputMode="text"
        autoComplete="off"
        spellCheck={false}
        data-date-field=""
        value={text}
        placeholder={placeholderDate ? formatDateInput(placeholderDate, language) : dateMessage(language, "hint", {}, locale)}
        aria-invalid={(shown && error !== "") || aria["aria-invalid"] || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const p = parseDate(next, language);
          if (p.kind === "ok") onChange(p.iso);
          else if (p.kind === "empty") onChange("");
          if (p.kind !== "error") setShown(false);
        }}
        onBlur={() => setShown(true)}
        onInvalid={() => setShown(true)}
      />
      {parsed.kind === "ok" && (
        <span className="date-echo muted" data-date-echo={name} data-iso={parsed.iso} aria-live="polite">
          {formatDateWords(parsed.iso, language, locale)}
        </span>
      )}
      {shown && error && (
        <span className="field-error" id={errorId} data-date-error={name} role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

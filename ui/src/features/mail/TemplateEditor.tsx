import { useEffect, useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, TemplateName } from "../../ipc/types";
import { templateText } from "./format";
import { useLetterKinds, useLetterTemplate, useSaveLetterTemplate } from "./queries";

export function TemplateEditor() {
  const kinds = useLetterKinds();
  const [name, setName] = useState<TemplateName>("acknowledgement");
  const [lang, setLang] = useState<Lang>("en");
  const template = useLetterTemplate(name, lang);
  const save = useSaveLetterTemplate();
  const [source, setSource] = useState("");

  useEffect(() => {
    if (template.data) setSource(template.data.source);
  }, [template.data]);

  return (
    <div className="template-editor">
      <p className="muted">
        A template is plain text: a <code>Subject:</code> line, a blank line, then paragraphs. Placeholders such as{" "}
        <code>{"{{subject.name}}"}</code> are filled in; the HTML version is made from the same text, with everything typed escaped.
      </p>
      <div className="clock-form">
        <label>
          Letter
          <select name="template" value={name} onChange={(e) => setName(e.target.value as TemplateName)}>
            {(kinds.data ?? []).map((k) => (
              <option key={k.template} value={k.template}>
                {templateText(k.template)}
              </option>
            ))}
            <option value="reminder-digest">Reminder digest</option>
          </select>
        </label>
        <label>
          Language
          <select name="template-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="en">English</option>
            <option value="de">Deutsch</option>
            <option value="fr">Français</option>
          </select>
        </label>
      </div>
      <label className="wide">
        Text {template.data?.customised ? "(changed by your organisation)" : "(as shipped)"}
        <textarea name="template-source" rows={14} value={source} onChange={(e) => setSource(e.target.value)} />
        {save.error instanceof IpcFailure && save.error.field === "source" && (
          <span className="field-error" data-error-for="source">
            {save.error.message}
          </span>
        )}
      </label>
      <div className="actions">
        <button type="button" onClick={() => save.mutate({ name, lang, source })} disabled={save.isPending}>
          Save template
        </button>
        <button type="button" onClick={() => save.mutate({ name, lang, source: "" })} disabled={save.isPending}>
          Restore the shipped text
        </button>
      </div>
      {save.isError && !(save.error instanceof IpcFailure && save.error.field === "source") && (
        <p role="alert" className="error">
          {messageOf(save.error)}
        </p>
      )}
    </div>
  );
}

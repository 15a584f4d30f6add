import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, TemplateName } from "../../ipc/types";
import { useI18n } from "../../i18n";
import { rich } from "../../i18n/rich";
import { templateLabel } from "./format";
import { useLetterKinds, useLetterTemplate, useSaveLetterTemplate } from "./queries";

/** The letter templates; `readOnly` on a team register for a login that is not its admin. */
export function TemplateEditor({ readOnly = false }: { readOnly?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const kinds = useLetterKinds();
  const [name, setName] = useState<TemplateName>("acknowledgement");
  const [lang, setLang] = useState<Lang>("en");
  const template = useLetterTemplate(name, lang);
  const save = useSaveLetterTemplate();
  const [source, setSource] = useState("");
  // The editor shows the chosen template as loaded, and again when another one is chosen or a save reloads it.
  const [shown, setShown] = useState<typeof template.data>(undefined);
  if (template.data && template.data !== shown) {
    setShown(template.data);
    setSource(template.data.source);
  }

  return (
    <div className="template-editor">
      <p className="muted">
        {rich(t("templates.intro"), { subjectLine: <code>Subject:</code>, placeholder: <code>{"{{subject.name}}"}</code> })}
      </p>
      <div className="clock-form">
        <label>
          {t("templates.letter")}
          <select name="template" value={name} onChange={(e) => setName(e.target.value as TemplateName)}>
            {(kinds.data ?? []).map((k) => (
              <option key={k.template} value={k.template}>
                {templateLabel(k.template, i18n)}
              </option>
            ))}
            <option value="reminder-digest">{templateLabel("reminder-digest", i18n)}</option>
          </select>
        </label>
        <label>
          {t("templates.language")}
          <select name="template-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="en" lang="en">
              English
            </option>
            <option value="de" lang="de">
              Deutsch
            </option>
            <option value="fr" lang="fr">
              Français
            </option>
          </select>
        </label>
      </div>
      <label className="wide">
        {template.data?.customised ? t("templates.textCustomised") : t("templates.textShipped")}
        <textarea name="template-source" rows={14} value={source} readOnly={readOnly} onChange={(e) => setSource(e.target.value)} />
        {save.error instanceof IpcFailure && save.error.field === "source" && (
          <span className="field-error" data-error-for="source" lang="en">
            {save.error.message}
          </span>
        )}
      </label>
      {!readOnly && (
        <div className="actions">
          <button type="button" onClick={() => save.mutate({ name, lang, source })} disabled={save.isPending}>
            {t("templates.save")}
          </button>
          <button type="button" onClick={() => save.mutate({ name, lang, source: "" })} disabled={save.isPending}>
            {t("templates.restore")}
          </button>
        </div>
      )}
      {save.isError && !(save.error instanceof IpcFailure && save.error.field === "source") && (
        <p role="alert" className="error" lang="en">
          {messageOf(save.error)}
        </p>
      )}
    </div>
  );
}

// Mail settings: how the colleagues who hold the data are asked (Send to owner): the working days
// between the owner's due date and the request's internal target, and between reminders. The core
// checks the numbers and names the field; the message is shown beside it. On a team register they
// are the team's: read-only (saying so) unless the login is its admin; the server refuses the others.
import { useState, type FormEvent } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useOwnerSettings, useSetOwnerSettings } from "./queries";

type Field = "lead_working_days" | "reminder_working_days";
type Form = Record<Field, string>;

/** A whole number of days as typed ("3"), or null (empty, "2.5", "-1", "x"). */
function wholeDays(text: string): number | null {
  const t = text.trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}

export function OwnerMailSettings({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useI18n();
  const saved = useOwnerSettings();
  const save = useSetOwnerSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [notWhole, setNotWhole] = useState<Field | null>(null);

  // The form starts once from the settings as loaded.
  if (saved.data && form === null) {
    setForm({
      lead_working_days: String(saved.data.lead_working_days),
      reminder_working_days: String(saved.data.reminder_working_days),
    });
  }
  if (saved.isError) return <p role="alert">{t("error.notLoaded", { message: messageOf(saved.error) })}</p>;
  if (!form) return <p>{t("list.loading")}</p>;

  const error = save.error;
  const at = (field: Field) => {
    if (notWhole === field)
      return (
        <span className="field-error" role="alert" data-error-for={field}>
          {t("owners.settings.wholeDays")}
        </span>
      );
    if (!notWhole && error instanceof IpcFailure && error.field === field)
      return (
        <span className="field-error" role="alert" data-error-for={field} lang="en">
          {error.message}
        </span>
      );
    return null;
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const lead = wholeDays(form.lead_working_days);
    const reminder = wholeDays(form.reminder_working_days);
    const bad: Field | null = lead === null ? "lead_working_days" : reminder === null ? "reminder_working_days" : null;
    setNotWhole(bad);
    if (bad || lead === null || reminder === null) {
      save.reset();
      return;
    }
    save.mutate({ lead_working_days: lead, reminder_working_days: reminder });
  }

  const input = (field: Field, min: number) => (
    <input
      name={field}
      type="number"
      min={min}
      step={1}
      inputMode="numeric"
      value={form[field]}
      disabled={readOnly}
      onChange={(e) => setForm({ ...form, [field]: e.target.value })}
      aria-invalid={notWhole === field || (error instanceof IpcFailure && error.field === field)}
    />
  );

  return (
    <section aria-labelledby="owner-mail-heading" data-testid="owner-mail-settings">
      <h2 id="owner-mail-heading">{t("owners.settings.title")}</h2>
      <p className="muted">{t("owners.settings.help")}</p>
      {readOnly && (
        <p className="notice" data-testid="owner-settings-read-only">
          {t("owners.settings.teamReadOnly")}
        </p>
      )}
      <form onSubmit={submit} noValidate className="settings">
        <label>
          {t("owners.settings.lead")}
          {input("lead_working_days", 0)}
          <span className="muted">{t("owners.settings.leadHint")}</span>
          {at("lead_working_days")}
        </label>
        <label>
          {t("owners.settings.reminder")}
          {input("reminder_working_days", 1)}
          <span className="muted">{t("owners.settings.reminderHint")}</span>
          {at("reminder_working_days")}
        </label>
        {error && !(error instanceof IpcFailure && error.field) && (
          <p role="alert" className="error">
            {t("error.notSaved", { message: messageOf(error) })}
          </p>
        )}
        {save.isSuccess && !notWhole && (
          <p role="status" data-testid="owner-settings-saved">
            {t("owners.settings.saved")}
          </p>
        )}
        {!readOnly && (
          <div className="actions">
            <button type="submit" data-testid="save-owner-settings" disabled={save.isPending}>
              {t("owners.settings.save")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

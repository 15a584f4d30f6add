import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, MailSettingsInput, MailSettingsValues, Security } from "../../ipc/types";

import { teamAdmin, type TeamInfo } from "../setup/team";
import { useI18n } from "../../i18n";
import { passwordStatusText } from "./format";
import { useMailSettings, useSaveMailSettings, useSendTestMessage } from "./queries";
import { TemplateEditor } from "./TemplateEditor";
import { MailboxSettings } from "../mailbox/MailboxSettings";
import { OwnerMailSettings } from "../tasks/OwnerMailSettings";

function fieldError(error: unknown, field: string) {
  if (error instanceof IpcFailure && error.field === field) {
    return (
      <span className="field-error" data-error-for={field} lang="en">
        {error.message}
      </span>
    );
  }
  return null;
}

type Form = Omit<MailSettingsValues, "reminder_days" | "appeal_days"> & { reminder_days: string; appeal_days: string };

/** The settings of the local file, or of a team register (`team`): there the form is read-only
 * unless the login is the team's admin, and the SMTP password stays in this workstation's keyring. */
export function MailSettings({ team = null }: { team?: TeamInfo | null }) {
  const { t } = useI18n();
  const readOnly = !teamAdmin(team);
  const current = useMailSettings();
  const save = useSaveMailSettings();
  const test = useSendTestMessage();
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState("");
  const [testTo, setTestTo] = useState("");

  // The form starts once from the settings as first loaded (the defaults when none are saved).
  if (current.data && form === null) {
    const s = current.data.settings ?? current.data.defaults;
    setForm({ ...s, reminder_days: s.reminder_days.join(", "), appeal_days: s.appeal_days == null ? "" : String(s.appeal_days) });
    setTestTo(s.officer_address ?? "");
  }

  if (current.isError)
    return (
      <p role="alert" className="error" lang="en">
        {messageOf(current.error)}
      </p>
    );
  if (current.isPending || form === null) return <p>{t("list.loading")}</p>;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const text = (key: keyof Form, label: string, type = "text") => (
    <label>
      {label}
      <input
        name={key}
        type={type}
        value={(form[key] as string | null) ?? ""}
        aria-invalid={save.error instanceof IpcFailure && save.error.field === key}
        onChange={(e) => set(key, e.target.value as never)}
      />
      {fieldError(save.error, key)}
    </label>
  );
  const passwordField = (
    <label className="wide">
      {t("mail.password")}
      <input name="password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
      <span className="muted" data-testid="password-status">
        {passwordStatusText(current.data.password, t)}
      </span>
      {fieldError(save.error, "password")}
    </label>
  );
  const optional = (v: string | null) => (v && v.trim() !== "" ? v : null);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const settings: MailSettingsInput = {
      ...form,
      port: Number(form.port),
      username: optional(form.username),
      reply_to: optional(form.reply_to),
      officer_address: optional(form.officer_address),
      extra_ca_pem: optional(form.extra_ca_pem),
      eu_representative: optional(form.eu_representative),
      appeal_days: form.appeal_days.trim() === "" ? null : Number(form.appeal_days),
      reminder_days: form.reminder_days
        .split(/[,\s]+/)
        .filter((d) => d !== "")
        .map(Number),
    };
    save.mutate({ settings, password: password === "" ? null : password }, { onSuccess: () => setPassword("") });
  };
  // Not the admin: the team's settings go back as loaded, only the password is kept here.
  const keepPassword = () => {
    if (!current.data?.settings) return;
    save.mutate({ settings: current.data.settings, password }, { onSuccess: () => setPassword("") });
  };

  return (
    <section className="panel" aria-labelledby="mail-settings-heading" data-testid="mail-settings">
      <h1 id="mail-settings-heading">{t("mail.title")}</h1>
      {team && (
        <p className="notice" data-testid="team-mail-note">
          {readOnly ? t("mail.teamReadOnly", { login: team.login, role: team.role || t("mail.noRole") }) + " " : ""}
          {t("mail.teamPassword")}
        </p>
      )}
      <form className="settings" onSubmit={submit}>
        <fieldset disabled={readOnly}>
          <legend>{t("mail.server")}</legend>
          <div className="grid">
            {text("host", t("mail.host"))}
            <label>
              {t("mail.port")}
              <input
                name="port"
                type="number"
                min={1}
                max={65535}
                value={form.port}
                onChange={(e) => set("port", Number(e.target.value))}
              />
              {fieldError(save.error, "port")}
            </label>
            <label>
              {t("mail.security")}
              <select name="security" value={form.security} onChange={(e) => set("security", e.target.value as Security)}>
                <option value="starttls">{t("mail.starttls")}</option>
                <option value="tls">{t("mail.tls")}</option>
                <option value="none">{t("mail.plain")}</option>
              </select>
              {fieldError(save.error, "security")}
            </label>
            {text("username", t("mail.username"))}
            {!readOnly && passwordField}
            <label className="wide">
              {t("mail.extraCa")}
              <textarea
                name="extra_ca_pem"
                rows={3}
                value={form.extra_ca_pem ?? ""}
                onChange={(e) => set("extra_ca_pem", e.target.value)}
              />
              {fieldError(save.error, "extra_ca_pem")}
            </label>
          </div>
        </fieldset>
        {readOnly && (
          <fieldset>
            <legend>{t("mail.password")}</legend>
            <div className="grid">{passwordField}</div>
            <div className="actions">
              <button
                type="button"
                data-testid="keep-mail-password"
                disabled={save.isPending || password === "" || !current.data.settings}
                onClick={keepPassword}
              >
                {t("mail.keepPassword")}
              </button>
            </div>
          </fieldset>
        )}
        <fieldset disabled={readOnly}>
          <legend>{t("mail.letters")}</legend>
          <div className="grid">
            {text("from_name", t("mail.fromName"))}
            {text("from_address", t("mail.fromAddress"))}
            {text("reply_to", t("mail.replyTo"))}
            {text("officer_address", t("mail.officer"))}
            {text("org_name", t("mail.org"))}
            <label>
              {t("mail.dpoAppointed")}
              <select
                name="dpo_appointed"
                value={form.dpo_appointed == null ? "" : form.dpo_appointed ? "yes" : "no"}
                onChange={(e) => set("dpo_appointed", e.target.value === "" ? null : e.target.value === "yes")}
              >
                <option value="">{t("mail.dpoUnset")}</option>
                <option value="yes">{t("mail.dpoYes")}</option>
                <option value="no">{t("mail.dpoNo")}</option>
              </select>
            </label>
            {text("dpo_contact", t("mail.dpo"))}
            {text("eu_representative", t("mail.euRepresentative"))}
            {text("appeal_days", t("mail.appealDays"), "number")}
            <label>
              {t("mail.defaultLang")}
              <select name="default_lang" value={form.default_lang} onChange={(e) => set("default_lang", e.target.value as Lang)}>
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
            <label>
              {t("mail.reminderDays")}
              <input name="reminder_days" value={form.reminder_days} onChange={(e) => set("reminder_days", e.target.value)} />
              {fieldError(save.error, "reminder_days")}
            </label>
          </div>
        </fieldset>
        {!readOnly && (
          <div className="actions">
            <button type="submit" className="primary" data-testid="save-mail-settings" disabled={save.isPending}>
              {t("mail.save")}
            </button>
          </div>
        )}
        {save.isSuccess && !save.data.notice && (
          <p className="notice" role="status">
            {t("mail.saved")}
          </p>
        )}
        {save.data?.notice && (
          <p className="notice" role="status" data-testid="keyring-notice" lang="en">
            {save.data.notice}
          </p>
        )}
        {save.isError && !(save.error instanceof IpcFailure && save.error.field) && (
          <p role="alert" className="error" lang="en">
            {messageOf(save.error)}
          </p>
        )}
      </form>

      <h2>{t("mail.test")}</h2>
      <div className="clock-form">
        <label>
          {t("mail.testTo")}
          <input name="test-to" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
        </label>
        <button type="button" data-testid="send-test" disabled={test.isPending || testTo === ""} onClick={() => test.mutate(testTo)}>
          {test.isPending ? t("mail.sending") : t("mail.sendTest")}
        </button>
      </div>
      {test.data && (
        <>
          <p className={test.data.ok ? "" : "error"}>{test.data.ok ? t("mail.testOk") : t("mail.testFailed")}</p>
          <pre className="server-reply" data-testid="smtp-test-reply" lang="en">
            {test.data.reply}
          </pre>
        </>
      )}
      {test.isError && (
        <p
          role="alert"
          className="error"
          lang="en"
          data-error-for={test.error instanceof IpcFailure ? (test.error.field ?? undefined) : undefined}
        >
          {messageOf(test.error)}
        </p>
      )}

      {/* The privacy mailbox's settings are the team's on a team register (its admin's). */}
      <MailboxSettings team={team} />
      {/* The owners' mail settings are the team's too (its admin's) on a team register. */}
      <OwnerMailSettings readOnly={readOnly} />
      <h2>{t("mail.templates")}</h2>
      <TemplateEditor readOnly={readOnly} />
    </section>
  );
}

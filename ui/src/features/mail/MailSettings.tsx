import { useEffect, useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { Lang, MailSettingsInput, MailSettingsValues, Security } from "../../ipc/types";
import { passwordStatusText } from "./format";
import { useMailSettings, useSaveMailSettings, useSendTestMessage } from "./queries";
import { TemplateEditor } from "./TemplateEditor";

function fieldError(error: unknown, field: string) {
  if (error instanceof IpcFailure && error.field === field) {
    return (
      <span className="field-error" data-error-for={field}>
        {error.message}
      </span>
    );
  }
  return null;
}

type Form = Omit<MailSettingsValues, "reminder_days"> & { reminder_days: string };

export function MailSettings() {
  const current = useMailSettings();
  const save = useSaveMailSettings();
  const test = useSendTestMessage();
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState("");
  const [testTo, setTestTo] = useState("");

  useEffect(() => {
    if (current.data && form === null) {
      const s = current.data.settings ?? current.data.defaults;
      setForm({ ...s, reminder_days: s.reminder_days.join(", ") });
      setTestTo(s.officer_address ?? "");
    }
  }, [current.data, form]);

  if (current.isPending || form === null) return <p>Loading…</p>;
  if (current.isError) return <p role="alert" className="error">{messageOf(current.error)}</p>;

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
      reminder_days: form.reminder_days
        .split(/[,\s]+/)
        .filter((d) => d !== "")
        .map(Number),
    };
    save.mutate({ settings, password: password === "" ? null : password }, { onSuccess: () => setPassword("") });
  };

  return (
    <section className="panel" aria-labelledby="mail-settings-heading" data-testid="mail-settings">
      <h1 id="mail-settings-heading">Mail</h1>
      <form className="settings" onSubmit={submit}>
        <fieldset>
          <legend>Mail server</legend>
          <div className="grid">
            {text("host", "Host")}
            <label>
              Port
              <input name="port" type="number" min={1} max={65535} value={form.port} onChange={(e) => set("port", Number(e.target.value))} />
              {fieldError(save.error, "port")}
            </label>
            <label>
              Security
              <select name="security" value={form.security} onChange={(e) => set("security", e.target.value as Security)}>
                <option value="starttls">STARTTLS (required)</option>
                <option value="tls">TLS from the start (SMTPS)</option>
                <option value="none">None — only for a server on this machine</option>
              </select>
              {fieldError(save.error, "security")}
            </label>
            {text("username", "User name (empty: no login)")}
            <label className="wide">
              Password
              <input
                name="password"
                type="password"
                autoComplete="off"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <span className="muted" data-testid="password-status">
                {passwordStatusText(current.data.password)}
              </span>
              {fieldError(save.error, "password")}
            </label>
            <label className="wide">
              Extra CA certificate (PEM), for an internal relay with a private CA
              <textarea name="extra_ca_pem" rows={3} value={form.extra_ca_pem ?? ""} onChange={(e) => set("extra_ca_pem", e.target.value)} />
              {fieldError(save.error, "extra_ca_pem")}
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Letters</legend>
          <div className="grid">
            {text("from_name", "Sender name")}
            {text("from_address", "Sender address")}
            {text("reply_to", "Reply-to (optional)")}
            {text("officer_address", "Your mailbox (a copy of every letter, and the reminders)")}
            {text("org_name", "Organisation (signs the letters)")}
            {text("dpo_contact", "Data protection officer contact")}
            <label>
              Default language
              <select name="default_lang" value={form.default_lang} onChange={(e) => set("default_lang", e.target.value as Lang)}>
                <option value="en">English</option>
                <option value="de">Deutsch</option>
                <option value="fr">Français</option>
              </select>
            </label>
            <label>
              Reminders, days before the due date
              <input name="reminder_days" value={form.reminder_days} onChange={(e) => set("reminder_days", e.target.value)} />
              {fieldError(save.error, "reminder_days")}
            </label>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" data-testid="save-mail-settings" disabled={save.isPending}>
            Save
          </button>
        </div>
        {save.isSuccess && !save.data.notice && <p className="notice" role="status">Saved.</p>}
        {save.data?.notice && (
          <p className="notice" role="status" data-testid="keyring-notice">
            {save.data.notice}
          </p>
        )}
        {save.isError && !(save.error instanceof IpcFailure && save.error.field) && (
          <p role="alert" className="error">
            {messageOf(save.error)}
          </p>
        )}
      </form>

      <h2>Send a test message</h2>
      <div className="clock-form">
        <label>
          To
          <input name="test-to" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
        </label>
        <button type="button" data-testid="send-test" disabled={test.isPending || testTo === ""} onClick={() => test.mutate(testTo)}>
          {test.isPending ? "Sending…" : "Send test message"}
        </button>
      </div>
      {test.data && (
        <>
          <p className={test.data.ok ? "" : "error"}>{test.data.ok ? "The server took the message. Its answer:" : "The server did not take the message:"}</p>
          <pre className="server-reply" data-testid="smtp-test-reply">
            {test.data.reply}
          </pre>
        </>
      )}
      {test.isError && (
        <p role="alert" className="error" data-error-for={test.error instanceof IpcFailure ? test.error.field ?? undefined : undefined}>
          {messageOf(test.error)}
        </p>
      )}

      <h2>Letter templates</h2>
      <TemplateEditor />
    </section>
  );
}

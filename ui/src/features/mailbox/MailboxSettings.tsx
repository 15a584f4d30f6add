// The privacy mailbox's settings, a section of the mail settings: the IMAP server, the login
// (the password goes to the OS keyring, never to disk in clear), the folder read, what is done
// with a filed mail, the law suggested for accepted requests, and how often the app reads it.
// "Test connection" logs in and shows the server's capabilities and the folder's message count.
import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { ImapPassword, MailboxSettingsInput, MailboxSettingsValues, OnFiled, Security } from "../../ipc/types";
import { useI18n, type MessageKey } from "../../i18n";
import { useMailboxSettings, useSaveMailboxSettings, useTestMailbox } from "./queries";

function fieldError(error: unknown, field: string) {
  if (error instanceof IpcFailure && error.field === field) {
    return (
      <span className="field-error" data-error-for={`mailbox-${field}`} lang="en">
        {error.message}
      </span>
    );
  }
  return null;
}

const PASSWORD_TEXT: Record<ImapPassword, MessageKey> = {
  environment: "mailbox.pwEnvironment",
  keyring: "mailbox.pwKeyring",
  session: "mailbox.pwSession",
  missing: "mailbox.pwMissing",
};

type Form = MailboxSettingsValues & { poll: string };

export function MailboxSettings() {
  const { t, number } = useI18n();
  const current = useMailboxSettings();
  const save = useSaveMailboxSettings();
  const test = useTestMailbox();
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState("");

  if (current.data && form === null) {
    const s = current.data.settings ?? current.data.defaults;
    setForm({ ...s, poll: String(current.data.poll_minutes) });
  }
  if (current.isError)
    return (
      <p role="alert" className="error" lang="en">
        {messageOf(current.error)}
      </p>
    );
  if (current.isPending || form === null) return <p>{t("list.loading")}</p>;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const optional = (v: string | null | undefined) => (v && v.trim() !== "" ? v : null);
  const text = (key: "host" | "username" | "folder" | "move_to" | "regime" | "jurisdiction", label: string) => (
    <label>
      {label}
      <input
        name={`mailbox-${key}`}
        value={(form[key] as string | null) ?? ""}
        aria-invalid={save.error instanceof IpcFailure && save.error.field === key}
        onChange={(e) => set(key, e.target.value)}
      />
      {fieldError(save.error, key)}
    </label>
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const { poll, ...rest } = form;
    const settings: MailboxSettingsInput = {
      ...rest,
      port: Number(form.port),
      username: optional(form.username),
      extra_ca_pem: optional(form.extra_ca_pem),
      move_to: optional(form.move_to),
    };
    test.reset();
    save.mutate({ settings, password: password === "" ? null : password, pollMinutes: Number(poll) }, { onSuccess: () => setPassword("") });
  };

  return (
    <section aria-labelledby="mailbox-heading" data-testid="mailbox-settings">
      <h2 id="mailbox-heading">{t("mailbox.title")}</h2>
      <p className="muted">{t("mailbox.intro")}</p>
      <form className="settings" noValidate onSubmit={submit}>
        <fieldset>
          <legend>{t("mailbox.title")}</legend>
          <div className="grid">
            {text("host", t("mailbox.host"))}
            <label>
              {t("mailbox.port")}
              <input
                name="mailbox-port"
                type="number"
                min={1}
                max={65535}
                value={form.port}
                onChange={(e) => set("port", Number(e.target.value))}
              />
              {fieldError(save.error, "port")}
            </label>
            <label>
              {t("mailbox.security")}
              <select name="mailbox-security" value={form.security} onChange={(e) => set("security", e.target.value as Security)}>
                <option value="tls">{t("mailbox.tls")}</option>
                <option value="starttls">{t("mailbox.starttls")}</option>
                <option value="none">{t("mailbox.plain")}</option>
              </select>
              {fieldError(save.error, "security")}
            </label>
            {text("username", t("mailbox.username"))}
            <label>
              {t("mailbox.password")}
              <input
                name="mailbox-password"
                type="password"
                autoComplete="off"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <span className="muted" data-testid="mailbox-password-status">
                {current.data.password ? t(PASSWORD_TEXT[current.data.password]) : ""}
              </span>
              {fieldError(save.error, "password")}
            </label>
            {text("folder", t("mailbox.folder"))}
            <label>
              {t("mailbox.onFiled")}
              <select name="mailbox-on-filed" value={form.on_filed} onChange={(e) => set("on_filed", e.target.value as OnFiled)}>
                <option value="leave">{t("mailbox.leave")}</option>
                <option value="flag">{t("mailbox.flag")}</option>
                <option value="move">{t("mailbox.move")}</option>
              </select>
            </label>
            {form.on_filed === "move" && text("move_to", t("mailbox.moveTo"))}
            {text("regime", t("mailbox.regime"))}
            {text("jurisdiction", t("mailbox.jurisdiction"))}
            <label>
              {t("mailbox.poll")}
              <input name="mailbox-poll" type="number" min={1} max={1440} value={form.poll} onChange={(e) => set("poll", e.target.value)} />
              {fieldError(save.error, "poll_minutes")}
            </label>
            <label className="wide">
              {t("mailbox.extraCa")}
              <textarea
                name="mailbox-extra-ca"
                rows={3}
                value={form.extra_ca_pem ?? ""}
                onChange={(e) => set("extra_ca_pem", e.target.value)}
              />
              {fieldError(save.error, "extra_ca_pem")}
            </label>
          </div>
        </fieldset>
        <p>
          <button type="submit" className="primary" data-testid="save-mailbox" disabled={save.isPending}>
            {t("mailbox.save")}
          </button>{" "}
          <button
            type="button"
            data-testid="test-mailbox"
            disabled={test.isPending || !current.data.settings}
            onClick={() => test.mutate()}
          >
            {t("mailbox.test")}
          </button>
        </p>
        {save.isSuccess && (
          <p className="notice" data-testid="mailbox-saved">
            {save.data.notice ?? t("mailbox.saved")}
          </p>
        )}
        {save.isError && !(save.error instanceof IpcFailure && save.error.field) && (
          <p role="alert" className="error" lang="en">
            {messageOf(save.error)}
          </p>
        )}
        {test.isSuccess && (
          <p className="notice" data-testid="mailbox-test-result">
            {t("mailbox.testOk", {
              server: test.data.server,
              folder: test.data.folder,
              count: number(test.data.messages),
              caps: test.data.capabilities.join(" "),
            })}
          </p>
        )}
        {test.isError && (
          <p role="alert" className="error" lang="en" data-testid="mailbox-test-error">
            {messageOf(test.error)}
          </p>
        )}
      </form>
    </section>
  );
}

// The privacy mailbox's settings, a section of the mail settings: the IMAP server, the login
// (the password goes to the OS keyring, never to disk in clear), the folder read, what is done
// with a filed mail, the law suggested for accepted requests, and how often the app reads it.
// "Test connection" logs in and shows the server's capabilities and the folder's message count.
// Microsoft 365, Google Workspace and other OAuth providers: no password; the app registration's
// client ID (and secret, to the keyring), the endpoints (preset, editable for another provider),
// and "Sign in…" (OAuthSignIn).
// On a team register the settings are the team's, changed by its admin only; the others see them
// read-only and keep the IMAP password (or sign in) for this workstation's keyring only.
import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type {
  ImapPassword,
  MailboxSettingsInput,
  MailboxSettingsValues,
  Mechanism,
  OAuthValues,
  OnFiled,
  Provider,
  Security,
} from "../../ipc/types";
import { useI18n, type MessageKey } from "../../i18n";
import { teamAdmin, type TeamInfo } from "../setup/team";
import { OAuthSignIn } from "./OAuthSignIn";
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
type Auth = "password" | Provider;

/** The endpoints and scopes used: those set (another provider, or an override made with the
 *  command line), else the provider's, as the core presets them (`core/src/mailbox/oauth.rs`). */
function preset(o: OAuthValues): { token: string; device: string; scopes: string } {
  const tenant = o.tenant.trim() || "organizations";
  const own =
    o.provider === "microsoft"
      ? {
          token: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
          device: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/devicecode`,
          scopes: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
        }
      : o.provider === "google"
        ? {
            token: "https://oauth2.googleapis.com/token",
            device: "https://oauth2.googleapis.com/device/code",
            scopes: "https://mail.google.com/",
          }
        : { token: "", device: "", scopes: "" };
  return { token: o.token_endpoint ?? own.token, device: o.device_endpoint ?? own.device, scopes: o.scopes ?? own.scopes };
}

const NEW_OAUTH: OAuthValues = {
  provider: "microsoft",
  tenant: "",
  client_id: "",
  token_endpoint: null,
  device_endpoint: null,
  scopes: null,
  mechanism: "xoauth2",
};

export function MailboxSettings({ team = null }: { team?: TeamInfo | null }) {
  const { t, number } = useI18n();
  const readOnly = !teamAdmin(team);
  const current = useMailboxSettings();
  const save = useSaveMailboxSettings();
  const test = useTestMailbox();
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState("");
  const [clientSecret, setClientSecret] = useState("");

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
  const auth: Auth = form.oauth ? form.oauth.provider : "password";
  const oauth = form.oauth ?? null;
  const setOAuth = (patch: Partial<OAuthValues>) => setForm({ ...form, oauth: { ...(form.oauth ?? NEW_OAUTH), ...patch } });
  const chooseAuth = (a: Auth) => {
    if (a === "password") return setForm({ ...form, oauth: null });
    const o = { ...(form.oauth ?? NEW_OAUTH), provider: a };
    // Another provider starts from the endpoints shown, to edit; a preset uses the core's own.
    const shown = preset(o);
    setForm({
      ...form,
      oauth:
        a === "custom"
          ? {
              ...o,
              token_endpoint: o.token_endpoint ?? shown.token,
              device_endpoint: o.device_endpoint ?? shown.device,
              scopes: o.scopes ?? shown.scopes,
            }
          : { ...o, token_endpoint: null, device_endpoint: null, scopes: null },
    });
  };
  const oauthText = (
    key: "client_id" | "tenant" | "token_endpoint" | "device_endpoint" | "scopes",
    label: string,
    value: string,
    editable: boolean,
  ) => (
    <label className={key === "client_id" || key === "tenant" ? undefined : "wide"}>
      {label}
      <input
        name={`mailbox-${key}`}
        value={value}
        readOnly={!editable}
        aria-invalid={save.error instanceof IpcFailure && save.error.field === key}
        onChange={(e) => setOAuth({ [key]: e.target.value })}
      />
      {fieldError(save.error, key)}
    </label>
  );
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

  /** The IMAP password for this workstation's keyring, with what is kept now (`name`: the form's field). */
  const passwordField = (name: string) => {
    const kept = current.data?.password;
    return (
      <label>
        {t("mailbox.password")}
        <input name={name} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
        <span className="muted" data-testid="mailbox-password-status">
          {kept ? t(PASSWORD_TEXT[kept]) : ""}
        </span>
        {fieldError(save.error, "password")}
      </label>
    );
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const { poll, ...rest } = form;
    const settings: MailboxSettingsInput = {
      ...rest,
      port: Number(form.port),
      username: optional(form.username),
      extra_ca_pem: optional(form.extra_ca_pem),
      move_to: optional(form.move_to),
      oauth: form.oauth
        ? {
            ...form.oauth,
            token_endpoint: optional(form.oauth.token_endpoint),
            device_endpoint: optional(form.oauth.device_endpoint),
            scopes: optional(form.oauth.scopes),
          }
        : null,
    };
    test.reset();
    save.mutate(
      {
        settings,
        password: password === "" || form.oauth ? null : password,
        clientSecret: clientSecret === "" || !form.oauth ? null : clientSecret,
        pollMinutes: Number(poll),
      },
      {
        onSuccess: () => {
          setPassword("");
          setClientSecret("");
        },
      },
    );
  };

  // Not the admin: the team's settings go back as loaded, only the password is kept on this workstation.
  const keepPassword = (e: React.FormEvent) => {
    e.preventDefault();
    if (!current.data.settings) return;
    save.mutate(
      { settings: current.data.settings, password, clientSecret: null, pollMinutes: current.data.poll_minutes },
      { onSuccess: () => setPassword("") },
    );
  };

  return (
    <section aria-labelledby="mailbox-heading" data-testid="mailbox-settings">
      <h2 id="mailbox-heading">{t("mailbox.title")}</h2>
      <p className="muted">{t("mailbox.intro")}</p>
      {team && (
        <p className="notice" data-testid="team-mailbox-note">
          {readOnly ? t("mailbox.teamReadOnly", { login: team.login, role: team.role || t("mailbox.noRole") }) + " " : ""}
          {t("mailbox.teamPassword")}
        </p>
      )}
      {readOnly && current.data.settings && !current.data.settings.oauth && (
        <form className="settings" noValidate onSubmit={keepPassword} data-testid="keep-mailbox-password-form">
          {passwordField("mailbox-keep-password")}{" "}
          <button type="submit" data-testid="keep-mailbox-password" disabled={save.isPending || password === ""}>
            {t("mailbox.keepPassword")}
          </button>
        </form>
      )}
      <form className="settings" noValidate onSubmit={submit}>
        <fieldset disabled={readOnly}>
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
              {t("mailbox.auth")}
              <select name="mailbox-auth" value={auth} onChange={(e) => chooseAuth(e.target.value as Auth)}>
                <option value="password">{t("mailbox.authPassword")}</option>
                {/* Product names, the same in every language. */}
                <option value="microsoft">Microsoft 365</option>
                <option value="google">Google Workspace</option>
                <option value="custom">{t("mailbox.authCustom")}</option>
              </select>
              {fieldError(save.error, "auth")}
            </label>
            {oauth === null && !readOnly && passwordField("mailbox-password")}
            {oauth !== null && (
              <>
                <p className="muted wide">{t("mailbox.oauthIntro")}</p>
                {oauthText("client_id", t("mailbox.clientId"), oauth.client_id, true)}
                {oauth.provider === "microsoft" && oauthText("tenant", t("mailbox.tenant"), oauth.tenant, true)}
                <label>
                  {t("mailbox.clientSecret")}
                  <input
                    name="mailbox-client_secret"
                    type="password"
                    autoComplete="off"
                    value={clientSecret}
                    onChange={(e) => setClientSecret(e.target.value)}
                  />
                  {fieldError(save.error, "client_secret")}
                </label>
                <label>
                  {t("mailbox.mechanism")}
                  <select
                    name="mailbox-mechanism"
                    value={oauth.mechanism}
                    onChange={(e) => setOAuth({ mechanism: e.target.value as Mechanism })}
                  >
                    <option value="xoauth2">XOAUTH2</option>
                    <option value="oauthbearer">OAUTHBEARER</option>
                  </select>
                </label>
                {oauthText("token_endpoint", t("mailbox.tokenEndpoint"), preset(oauth).token, oauth.provider === "custom")}
                {oauthText("device_endpoint", t("mailbox.deviceEndpoint"), preset(oauth).device, oauth.provider === "custom")}
                {oauthText("scopes", t("mailbox.scopes"), preset(oauth).scopes, oauth.provider === "custom")}
              </>
            )}
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
          {!readOnly && (
            <>
              <button type="submit" className="primary" data-testid="save-mailbox" disabled={save.isPending}>
                {t("mailbox.save")}
              </button>{" "}
            </>
          )}
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
      {oauth !== null && (
        <OAuthSignIn
          saved={!!current.data.settings?.oauth}
          kept={current.data.settings?.oauth ? current.data.password : null}
          onChange={() => test.reset()}
        />
      )}
    </section>
  );
}

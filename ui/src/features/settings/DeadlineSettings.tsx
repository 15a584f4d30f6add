import { useState, type FormEvent } from "react";
import type { EngineOptions } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useDeadlineOptions, useSetDeadlineOptions } from "../deadlines/queries";
import { LANGUAGES, useI18n, type Language } from "../../i18n";
import { teamAdmin, type TeamInfo } from "../setup/team";

/** Settings: the interface language (this workstation's); the organisation's promise, the internal target, and the
 * readings where sources disagree (the register's). On a team register (`team`) the deadline settings are the team's:
 * read-only unless the login is its admin (and never on a read replica); the server refuses the others regardless. */
export function DeadlineSettings({ team = null }: { team?: TeamInfo | null }) {
  const readOnly = !teamAdmin(team) || Boolean(team?.replica);
  const saved = useDeadlineOptions();
  const save = useSetDeadlineOptions();
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<EngineOptions | null>(null);
  // The form starts from the options as loaded, and again whenever a save returns them.
  const [shown, setShown] = useState<EngineOptions | undefined>(undefined);
  if (saved.data && saved.data !== shown) {
    setShown(saved.data);
    setForm(saved.data);
  }

  if (saved.isError) return <p role="alert">{t("error.notLoaded", { message: messageOf(saved.error) })}</p>;
  if (!form) return <p>{t("list.loading")}</p>;
  const set = <K extends keyof EngineOptions>(key: K, value: EngineOptions[K]) => setForm({ ...form, [key]: value });
  const error = save.error;
  const at = (field: string) =>
    error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field} lang="en">
        {error.message}
      </span>
    ) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form && !readOnly) save.mutate(form);
  }

  return (
    <section className="panel" aria-labelledby="settings-heading" data-testid="deadline-settings">
      <h1 id="settings-heading">{t("settings.title")}</h1>
      <h2>{t("settings.interface")}</h2>
      <div>
        <label className="settings-interface">
          {t("settings.language")}
          <select
            name="settings-language"
            data-testid="settings-language"
            value={i18n.language}
            onChange={(e) => i18n.setLanguage(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l.value} value={l.value} lang={l.value}>
                {l.label}
              </option>
            ))}
          </select>
          <span className="muted">{t("settings.languageHint")}</span>
        </label>
      </div>
      <h2>{t("settings.deadlines")}</h2>
      <p className="muted">{t("settings.intro")}</p>
      {team && (
        <p className="notice" data-testid="team-settings-note">
          {readOnly
            ? t(team.replica ? "settings.teamReplica" : "settings.teamReadOnly", {
                login: team.login,
                role: team.role || t("settings.noRole"),
              })
            : t("settings.teamAdmin")}
        </p>
      )}
      <form onSubmit={submit} noValidate className="settings" data-testid="deadline-form" aria-readonly={readOnly || undefined}>
        <fieldset disabled={readOnly} className="plain">
          <label>
            {t("settings.promise")}
            <input
              name="promise_days"
              type="number"
              min={1}
              value={form.promise_days ?? ""}
              onChange={(e) => set("promise_days", e.target.value === "" ? null : Number(e.target.value))}
            />
            <span className="muted">{t("settings.promiseHint")}</span>
            {at("promise_days")}
          </label>
          <label>
            {t("settings.promiseExtended")}
            <input
              name="promise_extended_days"
              type="number"
              min={1}
              value={form.promise_extended_days ?? ""}
              onChange={(e) => set("promise_extended_days", e.target.value === "" ? null : Number(e.target.value))}
            />
            <span className="muted">{t("settings.promiseExtendedHint")}</span>
            {at("promise_extended_days")}
          </label>
          <label>
            {t("settings.promiseFrom")}
            <select
              name="promise_from"
              value={form.promise_from}
              onChange={(e) => set("promise_from", e.target.value as EngineOptions["promise_from"])}
            >
              <option value="receipt">{t("settings.promiseFromReceipt")}</option>
              <option value="verification">{t("settings.promiseFromVerification")}</option>
            </select>
            <span className="muted">{t("settings.promiseFromHint")}</span>
          </label>
          <label>
            {t("settings.target")}
            <input
              name="target_working_days"
              type="number"
              min={0}
              value={form.target_working_days}
              onChange={(e) => set("target_working_days", Number(e.target.value))}
            />
            {at("target_working_days")}
          </label>
          <fieldset>
            <legend>{t("settings.readings")}</legend>
            <label className="check">
              <input
                type="checkbox"
                name="eu_identity_pause"
                checked={form.eu_identity_pause}
                onChange={(e) => set("eu_identity_pause", e.target.checked)}
              />
              {t("settings.euPause")}
              <span className="muted">{t("settings.euPauseHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="uk_day_after_receipt"
                checked={form.uk_day_after_receipt}
                onChange={(e) => set("uk_day_after_receipt", e.target.checked)}
              />
              {t("settings.ukDayAfter")}
              <span className="muted">{t("settings.ukDayAfterHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="ccpa_receipt_is_day_one"
                checked={form.ccpa_receipt_is_day_one}
                onChange={(e) => set("ccpa_receipt_is_day_one", e.target.checked)}
              />
              {t("settings.ccpaDayOne")}
              <span className="muted">{t("settings.ccpaDayOneHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="ccpa_roll_holidays"
                checked={form.ccpa_roll_holidays}
                onChange={(e) => set("ccpa_roll_holidays", e.target.checked)}
              />
              {t("settings.ccpaRoll")}
              <span className="muted">{t("settings.ccpaRollHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="eu_extension_from_start"
                checked={form.eu_extension_from_start}
                onChange={(e) => set("eu_extension_from_start", e.target.checked)}
              />
              {t("settings.euExtensionFromStart")}
              <span className="muted">{t("settings.euExtensionFromStartHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="popia_reasonable_time"
                checked={form.popia_reasonable_time}
                onChange={(e) => set("popia_reasonable_time", e.target.checked)}
              />
              {t("settings.popiaReasonable")}
              <span className="muted">{t("settings.popiaReasonableHint")}</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                name="lgpd_small_agent"
                checked={form.lgpd_small_agent}
                onChange={(e) => set("lgpd_small_agent", e.target.checked)}
              />
              {t("settings.lgpdSmallAgent")}
              <span className="muted">{t("settings.lgpdSmallAgentHint")}</span>
            </label>
            <label>
              {t("settings.ccpaCalendar")}
              <select
                name="ccpa_calendar"
                value={form.ccpa_calendar}
                onChange={(e) => set("ccpa_calendar", e.target.value as EngineOptions["ccpa_calendar"])}
              >
                <option value="us-federal">{t("settings.usFederal")}</option>
                <option value="california">{t("settings.california")}</option>
              </select>
            </label>
          </fieldset>
          {error && !(error instanceof IpcFailure && error.field) && (
            <p role="alert" className="error">
              {t("error.notSaved", { message: messageOf(error) })}
            </p>
          )}
          {save.isSuccess && <p role="status">{t("settings.saved")}</p>}
          {!readOnly && (
            <div className="actions">
              <button type="submit" className="primary" data-testid="save-settings" disabled={save.isPending}>
                {t("settings.save")}
              </button>
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}

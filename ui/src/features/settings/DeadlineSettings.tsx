import { useState, type FormEvent } from "react";
import type { EngineOptions } from "../../ipc/types";
import { IpcFailure, messageOf } from "../../ipc/call";
import { useDeadlineOptions, useSetDeadlineOptions } from "../deadlines/queries";
import { LANGUAGES, useI18n, type Language, type MessageKey } from "../../i18n";
import { teamAdmin, type TeamInfo } from "../setup/team";

type BooleanOption = { [K in keyof EngineOptions]: EngineOptions[K] extends boolean ? K : never }[keyof EngineOptions];

/** The readings of the law an organisation may choose, each a checkbox with its hint (`settings.readings`). */
const READINGS = [
  ["eu_identity_pause", "settings.euPause", "settings.euPauseHint"],
  ["uk_day_after_receipt", "settings.ukDayAfter", "settings.ukDayAfterHint"],
  ["ccpa_receipt_is_day_one", "settings.ccpaDayOne", "settings.ccpaDayOneHint"],
  ["ccpa_roll_holidays", "settings.ccpaRoll", "settings.ccpaRollHint"],
  ["eu_extension_from_start", "settings.euExtensionFromStart", "settings.euExtensionFromStartHint"],
  ["popia_reasonable_time", "settings.popiaReasonable", "settings.popiaReasonableHint"],
  ["lgpd_small_agent", "settings.lgpdSmallAgent", "settings.lgpdSmallAgentHint"],
] as const satisfies readonly (readonly [BooleanOption, MessageKey, MessageKey])[];

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
            {READINGS.map(([key, label, hint]) => (
              <label className="check" key={key}>
                <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
                {t(label)}
                <span className="muted">{t(hint)}</span>
              </label>
            ))}
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

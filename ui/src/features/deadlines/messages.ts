// The words of deadlines in English, German and French, side by side: every date of a
// request and how it was reached, recording what moves the clock, and the deadline
// calculator. The explanation of each date is written here too, from the engine's step codes
// (`stepMessages` below); the citations stay as the law is cited.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

import type { PeriodUnit, StepBase, StepCode, StepLabel, StepSubject } from "../../ipc/bindings";

const en = {
  // Every date of a request and how it was reached.
  "schedule.noStatutory": "This law sets no statutory date (“without delay” or “a reasonable period”): Rightsdesk shows an internal target only.",
  "schedule.ack_due": "Acknowledge by",
  "schedule.due": "Legal due date",
  "schedule.extension_notice_due": "Extension notice by",
  "schedule.extended_due": "Extended due date",
  "schedule.promised_due": "Our promise",
  "schedule.target": "Internal target",
  "schedule.targetNote": "internal, not a legal date",
  "schedule.how": "How the dates were reached",
  "schedule.readings": "Readings used where the sources disagree",
  "schedule.ruleSet": "Rule set {ruleSet}",
  "schedule.english": "Steps recorded by an earlier version are shown in the deadline engine’s own English.",

  // Recording what moves the clock.
  "clockForm.what": "What happened",
  "clockForm.on": "On",
  "clockForm.reason": "Reason",
  "clockForm.until": "New date announced (Switzerland only)",
  "clockForm.record": "Record",

  // The deadline calculator ("what if").
  "calc.title": "Deadline calculator",
  "calc.intro": "What if a request arrived on a given day? Every date, and how it was reached. Nothing is saved.",
  "calc.optional": "(optional)",
  "calc.submit": "Calculate",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "schedule.noStatutory": "Dieses Gesetz setzt keine gesetzliche Frist („unverzüglich“ oder „in angemessener Frist“): Rightsdesk zeigt nur ein internes Ziel.",
  "schedule.ack_due": "Eingangsbestätigung bis",
  "schedule.due": "Gesetzliche Frist",
  "schedule.extension_notice_due": "Mitteilung der Verlängerung bis",
  "schedule.extended_due": "Verlängerte Frist",
  "schedule.promised_due": "Unser Versprechen",
  "schedule.target": "Internes Ziel",
  "schedule.targetNote": "intern, keine gesetzliche Frist",
  "schedule.how": "Wie die Fristen berechnet wurden",
  "schedule.readings": "Angewandte Lesarten, wo die Quellen voneinander abweichen",
  "schedule.ruleSet": "Regelwerk {ruleSet}",
  "schedule.english": "Schritte, die eine frühere Version aufgezeichnet hat, stehen in der englischen Aufzeichnung der Fristberechnung.",

  "clockForm.what": "Was ist geschehen",
  "clockForm.on": "Am",
  "clockForm.reason": "Begründung",
  "clockForm.until": "Angekündigtes neues Datum (nur Schweiz)",
  "clockForm.record": "Erfassen",

  "calc.title": "Fristenrechner",
  "calc.intro": "Was wäre, wenn eine Anfrage an einem bestimmten Tag einginge? Jede Frist und wie sie zustande kommt. Es wird nichts gespeichert.",
  "calc.optional": "(optional)",
  "calc.submit": "Berechnen",
};

const fr: Same = {
  "schedule.noStatutory": "Cette loi ne fixe pas d’échéance légale (« sans délai » ou « dans un délai raisonnable ») : Rightsdesk n’affiche qu’un objectif interne.",
  "schedule.ack_due": "Accuser réception avant le",
  "schedule.due": "Échéance légale",
  "schedule.extension_notice_due": "Informer d’une prolongation avant le",
  "schedule.extended_due": "Échéance prolongée",
  "schedule.promised_due": "Notre engagement",
  "schedule.target": "Objectif interne",
  "schedule.targetNote": "interne, pas une échéance légale",
  "schedule.how": "Comment les dates ont été obtenues",
  "schedule.readings": "Lectures retenues là où les sources divergent",
  "schedule.ruleSet": "Jeu de règles {ruleSet}",
  "schedule.english": "Les étapes enregistrées par une version antérieure restent dans l’anglais du moteur de calcul des délais.",

  "clockForm.what": "Ce qui s’est passé",
  "clockForm.on": "Le",
  "clockForm.reason": "Motif",
  "clockForm.until": "Nouvelle date annoncée (Suisse uniquement)",
  "clockForm.record": "Consigner",

  "calc.title": "Calcul des délais",
  "calc.intro": "Et si une demande arrivait un jour donné ? Toutes les dates, et comment elles sont obtenues. Rien n’est enregistré.",
  "calc.optional": "(facultatif)",
  "calc.submit": "Calculer",
};

export const messages = { en, de, fr };

// The explanation of every date, step by step, in the interface language (issue 21, item 3).
// The engine sends each step as a code with its parameters; `steps.ts` fills these sentences.
// Placeholders: {date} {from} {on} {by} {until} are dates, written as the officer types them
// (28.02.2025, 28/02/2025, 28 Feb 2025); {period} a period in words; {count} a number (ICU
// plural); {subject} {event} {base} {label} {skipped} the words below;
// {day} {month} the day of the month counted from and the month reached (“no 31 Feb”). The citation after
// each step stays as the law is cited, untranslated. `Record<StepCode, …>` makes the type checker
// refuse a code without a sentence in any language.

export type StepWords = {
  sentence: Record<StepCode, string>;
  /** A period: ICU plural on {count}. */
  unit: Record<PeriodUnit, string>;
  /** What kept the clock waiting ("Identity evidence awaited"). */
  subject: Record<StepSubject, string>;
  /** What restarted it ("Identity evidence received"). */
  event: Record<StepSubject, string>;
  base: Record<StepBase, string>;
  label: Record<StepLabel, string>;
  /** A rest day passed over: {date} and {why}. */
  restDay: string;
  holiday: string;
  /** A holiday only announced, not yet proclaimed: the date moved on an assumption. */
  expectedHoliday: string;
};

const stepsEn: StepWords = {
  sentence: {
    legacy: "{detail}",
    received: "Received {date}",
    "day-after-receipt": "The organisation counts from the day after receipt: {date}",
    "clock-restarted": "{event} {on}: the time limit runs from that day",
    "cost-notice-reflection": "Cost contribution announced {on}: {count, plural, one {# day} other {# days}} to reflect, the period runs from {date}",
    "no-pause-for-verification": "Verifying identity does not stop the clock",
    "identity-no-pause": "Identity evidence was requested; under the reading in use this does not stop the clock",
    "no-statutory-date-before": "Received before {date}: the law then set no date",
    "no-statutory-date": "The law sets no date for the answer",
    "reasonable-time": "The organisation reads POPIA’s “reasonable time” without PAIA’s 30 days",
    acknowledge: "Acknowledge within {period} of receipt: by {date}",
    "receipt-is-day-one": "The day of receipt is day 1 of {count}: {period} after it",
    "small-agent-doubled": "The organisation is a small processing agent: the period is doubled to {period}",
    period: "{period} from {from} → {date}",
    "period-clamped": "{period} from {from} → {date} (no {day} {month}: the month’s last day)",
    "clock-paused": "{subject} {from} to {until}: {count, plural, one {# day does} other {# days do}} not count (both included) → {date}",
    "clock-paused-open": "{subject} since {from}, still open: {count, plural, one {# day} other {# days}} so far do not count → {date}",
    "extension-announced": "Subject told on {on} that the answer will come by {date}",
    extension: "Notice sent {on} (on time, by {by}): {period} from {base} ({from}) → {date}",
    "no-roll": "{label}: {date} (not moved to a working day)",
    "working-day": "{date} is a working day → {label}: {date}",
    rolled: "{skipped} → next working day → {label}: {date}",
    "target-before-due": "{count, plural, one {# working day} other {# working days}} before {from} → target {date} (internal, not a legal date)",
    "target-from-start": "{period} from {from} → target {date} (internal, not a legal date)",
    "promise-unverified": "Our promise of {count} days counts from identity verification: not yet verified, no promised date yet",
    "promise-extended": "Notice given {on} (by the promised {by}): our promise for complex requests, {count} days from {base} → {date}",
    "promise-capped": "Our promise of {count} days from {base} would end {by}, after the legal date: promised {date}",
    promise: "Our promise: {count} calendar days from {base} ({from}) → promised {date}",
  },
  unit: {
    months: "{count, plural, one {one calendar month} other {# calendar months}}",
    days: "{count, plural, one {one calendar day} other {# calendar days}}",
    "business-days": "{count, plural, one {one business day} other {# business days}}",
  },
  subject: {
    identity: "Identity evidence awaited",
    fee: "Fee awaited",
    clarification: "Clarification awaited",
    officer: "Paused by the officer",
  },
  event: {
    identity: "Identity evidence received",
    fee: "Fee paid",
    clarification: "Clarification received",
    officer: "Resumed",
  },
  base: {
    start: "the start date",
    receipt: "receipt",
    "end-of-first-month": "the end of the first month",
    "original-deadline": "the original deadline",
    verification: "identity verification",
  },
  label: { due: "legal due date", "extended-due": "extended due date" },
  restDay: "{date} ({why})",
  holiday: "public holiday: {name}",
  expectedHoliday: "assuming the expected public holiday {name}, announced but not yet proclaimed",
};

const stepsDe: StepWords = {
  sentence: {
    legacy: "{detail}",
    received: "Eingegangen am {date}",
    "day-after-receipt": "Die Organisation zählt ab dem Tag nach Eingang: {date}",
    "clock-restarted": "{event} {on}: Die Frist läuft ab diesem Tag",
    "cost-notice-reflection": "Kostenbeteiligung mitgeteilt am {on}: {count, plural, one {# Tag} other {# Tage}} Bedenkzeit, die Frist läuft ab {date}",
    "no-pause-for-verification": "Die Identitätsprüfung hemmt die Frist nicht",
    "identity-no-pause": "Ein Identitätsnachweis wurde angefordert; nach der angewandten Lesart hemmt das die Frist nicht",
    "no-statutory-date-before": "Eingegangen vor dem {date}: Das Gesetz setzte damals keine Frist",
    "no-statutory-date": "Das Gesetz setzt keine Frist für die Antwort",
    "reasonable-time": "Die Organisation liest die „angemessene Frist“ des POPIA ohne die 30 Tage des PAIA",
    acknowledge: "Frist für die Eingangsbestätigung: {period} ab Eingang, also bis {date}",
    "receipt-is-day-one": "Der Eingangstag ist Tag 1 von {count}: {period} danach",
    "small-agent-doubled": "Die Organisation ist ein kleiner Verarbeiter: Die Frist verdoppelt sich auf {period}",
    period: "{period} ab {from} → {date}",
    "period-clamped": "{period} ab {from} → {date} (kein {day}. {month}: der letzte Tag des Monats)",
    "clock-paused": "{subject} vom {from} bis {until}: {count, plural, one {# Tag zählt} other {# Tage zählen}} nicht (beide Tage eingeschlossen) → {date}",
    "clock-paused-open": "{subject} seit {from}, noch offen: {count, plural, one {# Tag zählt} other {# Tage zählen}} bisher nicht → {date}",
    "extension-announced": "Der betroffenen Person am {on} mitgeteilt, dass die Antwort bis {date} kommt",
    extension: "Mitteilung am {on} (rechtzeitig, Frist {by}): {period} ab {base} ({from}) → {date}",
    "no-roll": "{label}: {date} (nicht auf einen Arbeitstag verschoben)",
    "working-day": "Der {date} ist ein Arbeitstag → {label}: {date}",
    rolled: "{skipped} → nächster Arbeitstag → {label}: {date}",
    "target-before-due": "{count, plural, one {# Arbeitstag} other {# Arbeitstage}} vor dem {from} → Ziel {date} (intern, keine gesetzliche Frist)",
    "target-from-start": "{period} ab {from} → Ziel {date} (intern, keine gesetzliche Frist)",
    "promise-unverified": "Unser Versprechen von {count} Tagen zählt ab der Identitätsprüfung: noch nicht geprüft, noch kein versprochenes Datum",
    "promise-extended": "Mitteilung am {on} (vor dem versprochenen {by}): unser Versprechen für aufwendige Anfragen, {count} Tage ab {base} → {date}",
    "promise-capped": "Unser Versprechen von {count} Tagen ab {base} endete am {by}, nach der gesetzlichen Frist: versprochen bis {date}",
    promise: "Unser Versprechen: {count} Kalendertage ab {base} ({from}) → versprochen bis {date}",
  },
  unit: {
    months: "{count, plural, one {ein Kalendermonat} other {# Kalendermonate}}",
    days: "{count, plural, one {ein Kalendertag} other {# Kalendertage}}",
    "business-days": "{count, plural, one {ein Geschäftstag} other {# Geschäftstage}}",
  },
  subject: {
    identity: "Identitätsnachweis ausstehend",
    fee: "Gebühr ausstehend",
    clarification: "Präzisierung ausstehend",
    officer: "Vom Bearbeiter angehalten",
  },
  event: {
    identity: "Identitätsnachweis eingegangen am",
    fee: "Gebühr bezahlt am",
    clarification: "Präzisierung eingegangen am",
    officer: "Fortgesetzt am",
  },
  base: {
    start: "Fristbeginn",
    receipt: "Eingang",
    "end-of-first-month": "Ende des ersten Monats",
    "original-deadline": "der ursprünglichen Frist",
    verification: "der Identitätsprüfung",
  },
  label: { due: "gesetzliche Frist", "extended-due": "verlängerte Frist" },
  restDay: "{date} ({why})",
  holiday: "Feiertag: {name}",
  expectedHoliday: "angenommen als erwarteter Feiertag {name}, angekündigt, aber noch nicht verkündet",
};

const stepsFr: StepWords = {
  sentence: {
    legacy: "{detail}",
    received: "Reçue le {date}",
    "day-after-receipt": "L’organisation compte à partir du lendemain de la réception : {date}",
    "clock-restarted": "{event} {on} : le délai court à partir de ce jour",
    "cost-notice-reflection": "Participation aux frais annoncée le {on} : {count, plural, one {# jour} other {# jours}} de réflexion, le délai court à partir du {date}",
    "no-pause-for-verification": "La vérification de l’identité ne suspend pas le délai",
    "identity-no-pause": "Un justificatif d’identité a été demandé ; selon la lecture retenue, cela ne suspend pas le délai",
    "no-statutory-date-before": "Reçue avant le {date} : la loi ne fixait alors aucune échéance",
    "no-statutory-date": "La loi ne fixe aucune échéance pour la réponse",
    "reasonable-time": "L’organisation lit le « délai raisonnable » de la POPIA sans les 30 jours de la PAIA",
    acknowledge: "Délai pour accuser réception : {period} à compter de la réception, soit le {date}",
    "receipt-is-day-one": "Le jour de la réception est le jour 1 sur {count} : {period} après lui",
    "small-agent-doubled": "L’organisation est un petit agent de traitement : le délai est doublé, soit {period}",
    period: "{period} à compter du {from} → {date}",
    "period-clamped": "{period} à compter du {from} → {date} (pas de {day} {month} : le dernier jour du mois)",
    "clock-paused": "{subject} du {from} au {until} : {count, plural, one {# jour n’est pas compté} other {# jours ne sont pas comptés}} (les deux inclus) → {date}",
    "clock-paused-open": "{subject} depuis le {from}, toujours en cours : {count, plural, one {# jour n’est pas compté} other {# jours ne sont pas comptés}} jusqu’ici → {date}",
    "extension-announced": "Personne concernée informée le {on} que la réponse viendra au plus tard le {date}",
    extension: "Avis envoyé le {on} (à temps, avant le {by}) : {period} à compter de {base} ({from}) → {date}",
    "no-roll": "{label} : {date} (non reportée à un jour ouvré)",
    "working-day": "Le {date} est un jour ouvré → {label} : {date}",
    rolled: "{skipped} → jour ouvré suivant → {label} : {date}",
    "target-before-due": "{count, plural, one {# jour ouvré} other {# jours ouvrés}} avant le {from} → objectif {date} (interne, pas une échéance légale)",
    "target-from-start": "{period} à compter du {from} → objectif {date} (interne, pas une échéance légale)",
    "promise-unverified": "Notre engagement de {count} jours court à partir de la vérification de l’identité : pas encore vérifiée, pas encore de date promise",
    "promise-extended": "Avis donné le {on} (avant le {by} promis) : notre engagement pour les demandes complexes, {count} jours à compter de {base} → {date}",
    "promise-capped": "Notre engagement de {count} jours à compter de {base} finirait le {by}, après l’échéance légale : promis pour le {date}",
    promise: "Notre engagement : {count} jours calendaires à compter de {base} ({from}) → promis pour le {date}",
  },
  unit: {
    months: "{count, plural, one {un mois civil} other {# mois civils}}",
    days: "{count, plural, one {un jour calendaire} other {# jours calendaires}}",
    "business-days": "{count, plural, one {un jour ouvré} other {# jours ouvrés}}",
  },
  subject: {
    identity: "Justificatif d’identité attendu",
    fee: "Frais attendus",
    clarification: "Précisions attendues",
    officer: "Suspendu par le responsable",
  },
  event: {
    identity: "Justificatif d’identité reçu le",
    fee: "Frais payés le",
    clarification: "Précisions reçues le",
    officer: "Reprise le",
  },
  base: {
    start: "la date de départ",
    receipt: "la réception",
    "end-of-first-month": "la fin du premier mois",
    "original-deadline": "l’échéance initiale",
    verification: "la vérification de l’identité",
  },
  label: { due: "échéance légale", "extended-due": "échéance prolongée" },
  restDay: "{date} ({why})",
  holiday: "jour férié : {name}",
  expectedHoliday: "en supposant le jour férié attendu {name}, annoncé mais pas encore proclamé",
};

export const stepMessages = { en: stepsEn, de: stepsDe, fr: stepsFr };

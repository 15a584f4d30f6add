// The words of deadlines in English, German and French, side by side: every date of a
// request and how it was reached, recording what moves the clock, and the deadline
// calculator. The engine's own explanation of a date stays in English; only its framing is here.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

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
  "schedule.english": "Each step’s details are the deadline engine’s own record, in English, with the law behind it.",

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
  "schedule.english": "Die Einzelheiten jedes Schritts sind die eigene Aufzeichnung der Fristberechnung, auf Englisch, mit seiner Rechtsgrundlage.",

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
  "schedule.english": "Le détail de chaque étape est l’enregistrement propre du moteur de calcul des délais, en anglais, avec le texte applicable.",

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

// The audit trail's words in English, German and French, side by side: checking the chain
// and what it found.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  "audit.title": "Audit trail",
  "audit.intro": "Every event is sealed with a hash chained to the one before. The check recomputes the chain and compares it with the events: any edit, deletion, insertion or reordering shows where it happened.",
  "audit.checkAgain": "Check again",
  "audit.checking": "Checking…",
  "audit.intact": "Intact: {count, plural, one {# event checked} other {# events checked}}. Head hash {hash}",
  "audit.changed": "The trail was changed outside Rightsdesk:",
  "audit.export": "Export for a regulator",
  "audit.exportIntro": "Identifiers, actions, who and when, and the hashes; no personal data in clear.",
  "audit.exportCsv": "Export as CSV",
  "audit.exportJson": "Export as JSON",
  "audit.exported": "The audit trail (copy it into a file)",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "audit.title": "Prüfprotokoll",
  "audit.intro": "Jedes Ereignis wird mit einem Hash versiegelt, der mit dem vorherigen verkettet ist. Die Prüfung berechnet die Kette neu und vergleicht sie mit den Ereignissen: Jede Änderung, Löschung, Einfügung oder Umordnung zeigt sich an der Stelle, an der sie geschah.",
  "audit.checkAgain": "Erneut prüfen",
  "audit.checking": "Wird geprüft…",
  "audit.intact": "Unverändert: {count, plural, one {# Ereignis geprüft} other {# Ereignisse geprüft}}. Letzter Hash {hash}",
  "audit.changed": "Das Protokoll wurde außerhalb von Rightsdesk verändert:",
  "audit.export": "Export für eine Aufsichtsbehörde",
  "audit.exportIntro": "Kennungen, Aktionen, wer und wann sowie die Hashes; keine personenbezogenen Daten im Klartext.",
  "audit.exportCsv": "Als CSV exportieren",
  "audit.exportJson": "Als JSON exportieren",
  "audit.exported": "Das Prüfprotokoll (in eine Datei kopieren)",
};

const fr: Same = {
  "audit.title": "Piste d’audit",
  "audit.intro": "Chaque événement est scellé par une empreinte chaînée à la précédente. La vérification recalcule la chaîne et la compare aux événements : toute modification, suppression, insertion ou réorganisation apparaît là où elle a eu lieu.",
  "audit.checkAgain": "Vérifier à nouveau",
  "audit.checking": "Vérification…",
  "audit.intact": "Intacte : {count, plural, one {# événement vérifié} other {# événements vérifiés}}. Empreinte de tête {hash}",
  "audit.changed": "La piste a été modifiée en dehors de Rightsdesk :",
  "audit.export": "Export pour une autorité de contrôle",
  "audit.exportIntro": "Identifiants, actions, qui et quand, et les empreintes ; aucune donnée personnelle en clair.",
  "audit.exportCsv": "Exporter en CSV",
  "audit.exportJson": "Exporter en JSON",
  "audit.exported": "La piste d’audit (à copier dans un fichier)",
};

export const messages = { en, de, fr };

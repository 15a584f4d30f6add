// The words of identity checks in English, German and French, side by side: how the
// subject's identity was checked, and the methods the core accepts.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  "identity.title": "Identity",
  "identity.none": "Not checked yet.",
  "identity.verified": "Verified",
  "identity.failed": "Not verified",
  "identity.form": "Record an identity check",
  "identity.method": "Method",
  "identity.outcome": "Outcome",
  "identity.on": "On (empty: today)",
  "identity.note": "Note",
  "identity.record": "Record the check",
  "identity.ask": "Proof requested…",
  "identity.documents": "Identity documents attached below are deleted when the identity is verified.",
  "idmethod.reply-from-address-on-file": "Reply from the address on file",
  "idmethod.account-data-match": "Match with account data",
  "idmethod.document-seen": "Identity document seen",
  "idmethod.authorised-agent": "Authorised agent (with proof of authority)",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "identity.title": "Identität",
  "identity.none": "Noch nicht geprüft.",
  "identity.verified": "Bestätigt",
  "identity.failed": "Nicht bestätigt",
  "identity.form": "Identitätsprüfung erfassen",
  "identity.method": "Verfahren",
  "identity.outcome": "Ergebnis",
  "identity.on": "Am (leer: heute)",
  "identity.note": "Notiz",
  "identity.record": "Prüfung erfassen",
  "identity.ask": "Nachweis angefordert…",
  "identity.documents": "Unten angehängte Ausweisdokumente werden gelöscht, sobald die Identität bestätigt ist.",
  "idmethod.reply-from-address-on-file": "Antwort von der hinterlegten Adresse",
  "idmethod.account-data-match": "Abgleich mit Kontodaten",
  "idmethod.document-seen": "Ausweisdokument eingesehen",
  "idmethod.authorised-agent": "Bevollmächtigte Person (mit Vollmachtsnachweis)",
};

const fr: Same = {
  "identity.title": "Identité",
  "identity.none": "Pas encore vérifiée.",
  "identity.verified": "Vérifiée",
  "identity.failed": "Non vérifiée",
  "identity.form": "Consigner une vérification d’identité",
  "identity.method": "Méthode",
  "identity.outcome": "Résultat",
  "identity.on": "Le (vide : aujourd’hui)",
  "identity.note": "Note",
  "identity.record": "Consigner la vérification",
  "identity.ask": "Justificatif demandé…",
  "identity.documents": "Les pièces d’identité jointes ci-dessous sont supprimées dès que l’identité est vérifiée.",
  "idmethod.reply-from-address-on-file": "Réponse depuis l’adresse connue",
  "idmethod.account-data-match": "Concordance avec les données du compte",
  "idmethod.document-seen": "Pièce d’identité examinée",
  "idmethod.authorised-agent": "Mandataire (avec preuve du mandat)",
};

export const messages = { en, de, fr };

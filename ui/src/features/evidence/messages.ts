// The words of evidence in English, German and French, side by side: the files on a
// request and their sizes.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  "evidence.title": "Evidence",
  "evidence.none": "No files.",
  "evidence.identityDocument": "identity document",
  "evidence.task": "task",
  "evidence.deletedOn": "deleted on {date}",
  "evidence.whyRemove": "Why is this file removed?",
  "evidence.reload": "Reload",
  "evidence.remove": "Remove",
  "evidence.attachForm": "Attach a file",
  "evidence.file": "File",
  "evidence.choose": "Choose file…",
  "evidence.chooseTitle": "Choose the file to attach",
  "evidence.noneChosen": "No file chosen",
  "evidence.forTask": "For the task",
  "evidence.request": "(the request)",
  "evidence.identityCheckbox": "Identity document",
  "evidence.attach": "Attach",
  "evidence.save": "Save a copy…",
  "evidence.saveTitle": "Save a copy of the file",
  "evidence.saved": "Saved a copy ({size}).",
  "size.bytes": "{n} bytes",
  "size.kb": "{n} KB",
  "size.mb": "{n} MB",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "evidence.title": "Nachweise",
  "evidence.none": "Keine Dateien.",
  "evidence.identityDocument": "Ausweisdokument",
  "evidence.task": "Aufgabe",
  "evidence.deletedOn": "wird am {date} gelöscht",
  "evidence.whyRemove": "Warum wird diese Datei entfernt?",
  "evidence.reload": "Neu laden",
  "evidence.remove": "Entfernen",
  "evidence.attachForm": "Datei anhängen",
  "evidence.file": "Datei",
  "evidence.choose": "Datei wählen…",
  "evidence.chooseTitle": "Datei zum Anhängen wählen",
  "evidence.noneChosen": "Keine Datei gewählt",
  "evidence.forTask": "Zur Aufgabe",
  "evidence.request": "(die Anfrage)",
  "evidence.identityCheckbox": "Ausweisdokument",
  "evidence.attach": "Anhängen",
  "evidence.save": "Kopie speichern…",
  "evidence.saveTitle": "Kopie der Datei speichern",
  "evidence.saved": "Kopie gespeichert ({size}).",
  "size.bytes": "{n} Byte",
  "size.kb": "{n} KB",
  "size.mb": "{n} MB",
};

const fr: Same = {
  "evidence.title": "Pièces",
  "evidence.none": "Aucun fichier.",
  "evidence.identityDocument": "pièce d’identité",
  "evidence.task": "tâche",
  "evidence.deletedOn": "supprimé le {date}",
  "evidence.whyRemove": "Pourquoi ce fichier est-il retiré ?",
  "evidence.reload": "Recharger",
  "evidence.remove": "Retirer",
  "evidence.attachForm": "Joindre un fichier",
  "evidence.file": "Fichier",
  "evidence.choose": "Choisir le fichier…",
  "evidence.chooseTitle": "Choisir le fichier à joindre",
  "evidence.noneChosen": "Aucun fichier choisi",
  "evidence.forTask": "Pour la tâche",
  "evidence.request": "(la demande)",
  "evidence.identityCheckbox": "Pièce d’identité",
  "evidence.attach": "Joindre",
  "evidence.save": "Enregistrer une copie…",
  "evidence.saveTitle": "Enregistrer une copie du fichier",
  "evidence.saved": "Copie enregistrée ({size}).",
  "size.bytes": "{n} octets",
  "size.kb": "{n} Ko",
  "size.mb": "{n} Mo",
};

export const messages = { en, de, fr };

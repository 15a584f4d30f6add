// The words of tasks in English, German and French, side by side: the request's work list,
// one task per system of the data map, and a task's status.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  "tasks.title": "Tasks",
  "tasks.none": "No tasks. Tasks are created from the data map when a request is registered.",
  "tasks.generate": "Add tasks for systems added to the map since",
  "tasks.kept": "Kept: {exemption}",
  "tasks.duty": "Legal duty on the map: {duty}",
  "tasks.noteShown": "Note: {note}",
  "tasks.note": "Note",
  "tasks.done": "Done",
  "tasks.notHeld": "No data held",
  "tasks.exempt": "Keep under an exemption…",
  "tasks.why": "Why the data is kept",
  "tasks.recordExemption": "Record the exemption",
  "tasks.reopen": "Reopen",
  "taskStatus.open": "Open",
  "taskStatus.done": "Done",
  "taskStatus.exempt": "Kept (exemption)",
  "taskStatus.not-held": "No data held",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "tasks.title": "Aufgaben",
  "tasks.none": "Keine Aufgaben. Aufgaben werden beim Erfassen einer Anfrage aus der Datenlandkarte angelegt.",
  "tasks.generate": "Aufgaben für seither hinzugefügte Systeme anlegen",
  "tasks.kept": "Aufbewahrt: {exemption}",
  "tasks.duty": "Rechtspflicht laut Datenlandkarte: {duty}",
  "tasks.noteShown": "Notiz: {note}",
  "tasks.note": "Notiz",
  "tasks.done": "Erledigt",
  "tasks.notHeld": "Keine Daten vorhanden",
  "tasks.exempt": "Aufgrund einer Ausnahme aufbewahren…",
  "tasks.why": "Warum die Daten aufbewahrt werden",
  "tasks.recordExemption": "Ausnahme erfassen",
  "tasks.reopen": "Wieder öffnen",
  "taskStatus.open": "Offen",
  "taskStatus.done": "Erledigt",
  "taskStatus.exempt": "Aufbewahrt (Ausnahme)",
  "taskStatus.not-held": "Keine Daten vorhanden",
};

const fr: Same = {
  "tasks.title": "Tâches",
  "tasks.none": "Aucune tâche. Les tâches sont créées à partir de la cartographie des données lors de l’enregistrement d’une demande.",
  "tasks.generate": "Ajouter les tâches des systèmes ajoutés depuis à la cartographie",
  "tasks.kept": "Conservées : {exemption}",
  "tasks.duty": "Obligation légale selon la cartographie : {duty}",
  "tasks.noteShown": "Note : {note}",
  "tasks.note": "Note",
  "tasks.done": "Fait",
  "tasks.notHeld": "Aucune donnée détenue",
  "tasks.exempt": "Conserver au titre d’une exception…",
  "tasks.why": "Pourquoi les données sont conservées",
  "tasks.recordExemption": "Consigner l’exception",
  "tasks.reopen": "Rouvrir",
  "taskStatus.open": "Ouverte",
  "taskStatus.done": "Faite",
  "taskStatus.exempt": "Conservées (exception)",
  "taskStatus.not-held": "Aucune donnée détenue",
};

export const messages = { en, de, fr };

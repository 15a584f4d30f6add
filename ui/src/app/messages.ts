// The app shell's words in English, German and French, side by side: the skip link, the
// navigation, the theme, and the frame around an error the core sent (its message stays as sent).
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  "app.skip": "Skip to content",
  "nav.main": "Main",
  "nav.dashboard": "Dashboard",
  "nav.requests": "Requests",
  "nav.new": "New request",
  "nav.calculator": "Deadline calculator",
  "nav.settings": "Settings",
  "nav.guide": "Getting started",
  "nav.help": "Help",
  "nav.shortcuts": "Keyboard shortcuts",
  "nav.language": "Language",

  "theme.label": "Theme",

  // Navigation entries and names of the other screens.
  "nav.import": "Import",
  "nav.register": "Register & figures",
  "nav.outbox": "Outbox",
  "nav.inbox": "Inbox",
  "nav.reminders": "Reminders",
  "nav.mailSettings": "Mail settings",
  "nav.datamap": "Data map",
  "nav.audit": "Audit trail",
  "nav.safety": "Backups and retention",
  "nav.detail": "A request",
  "nav.firstRun": "Welcome",

  // The frame around an error the core sent (its message stays as sent).
  "error.generic": "Something went wrong; the change was not saved.",
  "error.notSaved": "Not saved: {message}",
  "error.notLoaded": "Could not load this: {message}",
  "error.coreLanguage": "Messages from the register itself are in English.",
  "app.openErrorTitle": "The database could not be opened",
  "app.openErrorHint": "Nothing was changed. Set RIGHTSDESK_DB to another file, or install the Rightsdesk version that wrote it.",

  // The status line: a background job that failed, in the core's words, and when.
  "status.dailyBackup": "The daily backup failed: {message} — {time}",
  "status.auditAnchor": "The audit trail could not be mailed to your mailbox: {message} — {time}",
  "status.ruleRefresh": "The dates of open requests could not be updated to this version's rules: {message} — {time}",
  "status.outbox": "Letters could not be sent: {message} — {time}",
  "status.mailbox": "The privacy mailbox could not be read (it is tried again; see the Inbox): {message} — {time}",
  "status.teamUpdates": "The connection to the team register dropped: {message} — {time}",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "app.skip": "Zum Inhalt springen",
  "nav.main": "Hauptnavigation",
  "nav.dashboard": "Übersicht",
  "nav.requests": "Anfragen",
  "nav.new": "Neue Anfrage",
  "nav.calculator": "Fristenrechner",
  "nav.settings": "Einstellungen",
  "nav.guide": "Erste Schritte",
  "nav.help": "Hilfe",
  "nav.shortcuts": "Tastenkürzel",
  "nav.language": "Sprache",

  "theme.label": "Farbschema",

  "nav.import": "Import",
  "nav.register": "Verzeichnis & Kennzahlen",
  "nav.outbox": "Postausgang",
  "nav.inbox": "Posteingang",
  "nav.reminders": "Erinnerungen",
  "nav.mailSettings": "E-Mail-Einstellungen",
  "nav.datamap": "Datenlandkarte",
  "nav.audit": "Prüfprotokoll",
  "nav.safety": "Sicherung und Aufbewahrung",
  "nav.detail": "Eine Anfrage",
  "nav.firstRun": "Willkommen",

  "error.generic": "Etwas ist schiefgegangen; die Änderung wurde nicht gespeichert.",
  "error.notSaved": "Nicht gespeichert: {message}",
  "error.notLoaded": "Konnte nicht geladen werden: {message}",
  "error.coreLanguage": "Meldungen des Registers selbst sind auf Englisch.",
  "app.openErrorTitle": "Die Datenbank konnte nicht geöffnet werden",
  "app.openErrorHint": "Es wurde nichts verändert. Setzen Sie RIGHTSDESK_DB auf eine andere Datei oder installieren Sie die Rightsdesk-Version, die sie geschrieben hat.",

  "status.dailyBackup": "Die tägliche Sicherung ist fehlgeschlagen: {message} — {time}",
  "status.auditAnchor": "Das Prüfprotokoll konnte nicht an Ihr Postfach gesendet werden: {message} — {time}",
  "status.ruleRefresh": "Die Fristen offener Anfragen konnten nicht an die Regeln dieser Version angepasst werden: {message} — {time}",
  "status.outbox": "Briefe konnten nicht gesendet werden: {message} — {time}",
  "status.mailbox": "Das Datenschutz-Postfach konnte nicht gelesen werden (neuer Versuch folgt; siehe Posteingang): {message} — {time}",
  "status.teamUpdates": "Die Verbindung zum Team-Register ist unterbrochen: {message} — {time}",
};

const fr: Same = {
  "app.skip": "Aller au contenu",
  "nav.main": "Navigation principale",
  "nav.dashboard": "Tableau de bord",
  "nav.requests": "Demandes",
  "nav.new": "Nouvelle demande",
  "nav.calculator": "Calcul des délais",
  "nav.settings": "Paramètres",
  "nav.guide": "Premiers pas",
  "nav.help": "Aide",
  "nav.shortcuts": "Raccourcis clavier",
  "nav.language": "Langue",

  "theme.label": "Thème",

  "nav.import": "Import",
  "nav.register": "Registre et chiffres",
  "nav.outbox": "Boîte d’envoi",
  "nav.inbox": "Boîte de réception",
  "nav.reminders": "Rappels",
  "nav.mailSettings": "Paramètres de messagerie",
  "nav.datamap": "Cartographie des données",
  "nav.audit": "Piste d’audit",
  "nav.safety": "Sauvegardes et conservation",
  "nav.detail": "Une demande",
  "nav.firstRun": "Bienvenue",

  "error.generic": "Une erreur s’est produite ; la modification n’a pas été enregistrée.",
  "error.notSaved": "Non enregistré : {message}",
  "error.notLoaded": "Chargement impossible : {message}",
  "error.coreLanguage": "Les messages du registre lui-même sont en anglais.",
  "app.openErrorTitle": "La base de données n’a pas pu être ouverte",
  "app.openErrorHint": "Rien n’a été modifié. Indiquez un autre fichier dans RIGHTSDESK_DB, ou installez la version de Rightsdesk qui l’a écrit.",

  "status.dailyBackup": "La sauvegarde quotidienne a échoué : {message} — {time}",
  "status.auditAnchor": "La piste d’audit n’a pas pu être envoyée à votre boîte aux lettres : {message} — {time}",
  "status.ruleRefresh": "Les délais des demandes ouvertes n’ont pas pu être mis à jour selon les règles de cette version : {message} — {time}",
  "status.outbox": "Des courriers n’ont pas pu être envoyés : {message} — {time}",
  "status.mailbox": "La boîte protection des données n’a pas pu être lue (nouvel essai à venir ; voir la boîte de réception) : {message} — {time}",
  "status.teamUpdates": "La connexion au registre d’équipe est interrompue : {message} — {time}",
};

export const messages = { en, de, fr };

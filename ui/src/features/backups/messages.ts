// The words of backups in English, German and French, side by side: the backup folder,
// how many to keep, backing up now and how to restore; and the title of the screen that
// also shows retention.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  // Backups, and the screen they share with retention.
  "safety.title": "Backups and retention",
  "safety.teamBackup": "A team register is backed up with {command} or with the server's own tools (README: Running it on the organisation's PostgreSQL); this window makes no backup of it.",
  "backup.title": "Backups",
  "backup.intro": "A backup is one encrypted file holding the database and every evidence file, readable only with this database's key (its passphrase, or the key in this computer's keyring).",
  "backup.last": "Last backup: {age} ({count} kept in the folder)",
  "backup.never": "never",
  "backup.lessThanHour": "less than an hour ago",
  "backup.hoursAgo": "{count, plural, one {# hour ago} other {# hours ago}}",
  "backup.daysAgo": "{count, plural, one {# day ago} other {# days ago}}",
  "backup.dir": "Backup folder:",
  "backup.noDir": "none chosen yet",
  "backup.chooseDir": "Choose folder…",
  "backup.chooseTitle": "Choose the backup folder",
  "backup.keep": "Backups to keep",
  "backup.daily": "Back up when Rightsdesk starts if the last backup is more than a day old",
  "backup.saveSchedule": "Save schedule",
  "backup.backingUp": "Backing up…",
  "backup.now": "Back up now",
  "backup.saved": "Schedule saved.",
  "backup.done": "Backup written: {path} ({requests, plural, one {# request} other {# requests}}, {files, plural, one {# evidence file} other {# evidence files}})",
  "backup.restoreTitle": "Restoring a backup",
  "backup.restore": "Close Rightsdesk, then run {restore} (add {db} for another location, {force} to replace the current database). With a passphrase-protected database set {passphrase} first. The backup is checked completely before anything is written; check one without restoring with {verify}.",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "safety.title": "Sicherung und Aufbewahrung",
  "safety.teamBackup": "Ein Team-Register wird mit {command} oder mit den eigenen Werkzeugen des Servers gesichert (README: Running it on the organisation's PostgreSQL); dieses Fenster sichert es nicht.",
  "backup.title": "Sicherungen",
  "backup.intro": "Eine Sicherung ist eine verschlüsselte Datei mit der Datenbank und allen Nachweisdateien, lesbar nur mit dem Schlüssel dieser Datenbank (ihrer Passphrase oder dem Schlüssel im Schlüsselbund dieses Rechners).",
  "backup.last": "Letzte Sicherung: {age} ({count} im Ordner aufbewahrt)",
  "backup.never": "nie",
  "backup.lessThanHour": "vor weniger als einer Stunde",
  "backup.hoursAgo": "{count, plural, one {vor # Stunde} other {vor # Stunden}}",
  "backup.daysAgo": "{count, plural, one {vor # Tag} other {vor # Tagen}}",
  "backup.dir": "Sicherungsordner:",
  "backup.noDir": "noch keiner gewählt",
  "backup.chooseDir": "Ordner wählen…",
  "backup.chooseTitle": "Sicherungsordner wählen",
  "backup.keep": "Aufzubewahrende Sicherungen",
  "backup.daily": "Beim Start von Rightsdesk sichern, wenn die letzte Sicherung älter als einen Tag ist",
  "backup.saveSchedule": "Zeitplan speichern",
  "backup.backingUp": "Wird gesichert…",
  "backup.now": "Jetzt sichern",
  "backup.saved": "Zeitplan gespeichert.",
  "backup.done": "Sicherung geschrieben: {path} ({requests, plural, one {# Anfrage} other {# Anfragen}}, {files, plural, one {# Nachweisdatei} other {# Nachweisdateien}})",
  "backup.restoreTitle": "Eine Sicherung wiederherstellen",
  "backup.restore": "Schließen Sie Rightsdesk und führen Sie dann {restore} aus (mit {db} für einen anderen Speicherort, mit {force}, um die aktuelle Datenbank zu ersetzen). Bei einer mit Passphrase geschützten Datenbank setzen Sie zuerst {passphrase}. Die Sicherung wird vollständig geprüft, bevor etwas geschrieben wird; prüfen ohne wiederherzustellen mit {verify}.",
};

const fr: Same = {
  "safety.title": "Sauvegardes et conservation",
  "safety.teamBackup": "Un registre d’équipe se sauvegarde avec {command} ou avec les outils du serveur (README : Running it on the organisation's PostgreSQL) ; cette fenêtre n’en fait pas de sauvegarde.",
  "backup.title": "Sauvegardes",
  "backup.intro": "Une sauvegarde est un fichier chiffré contenant la base de données et toutes les pièces, lisible uniquement avec la clé de cette base (sa phrase secrète, ou la clé du trousseau de cet ordinateur).",
  "backup.last": "Dernière sauvegarde : {age} ({count, plural, one {# conservée} other {# conservées}} dans le dossier)",
  "backup.never": "jamais",
  "backup.lessThanHour": "il y a moins d’une heure",
  "backup.hoursAgo": "{count, plural, one {il y a # heure} other {il y a # heures}}",
  "backup.daysAgo": "{count, plural, one {il y a # jour} other {il y a # jours}}",
  "backup.dir": "Dossier des sauvegardes :",
  "backup.noDir": "aucun choisi pour l’instant",
  "backup.chooseDir": "Choisir le dossier…",
  "backup.chooseTitle": "Choisir le dossier des sauvegardes",
  "backup.keep": "Sauvegardes à conserver",
  "backup.daily": "Sauvegarder au démarrage de Rightsdesk si la dernière sauvegarde date de plus d’un jour",
  "backup.saveSchedule": "Enregistrer la planification",
  "backup.backingUp": "Sauvegarde…",
  "backup.now": "Sauvegarder maintenant",
  "backup.saved": "Planification enregistrée.",
  "backup.done": "Sauvegarde écrite : {path} ({requests, plural, one {# demande} other {# demandes}}, {files, plural, one {# pièce} other {# pièces}})",
  "backup.restoreTitle": "Restaurer une sauvegarde",
  "backup.restore": "Fermez Rightsdesk, puis lancez {restore} (ajoutez {db} pour un autre emplacement, {force} pour remplacer la base actuelle). Pour une base protégée par une phrase secrète, définissez d’abord {passphrase}. La sauvegarde est entièrement vérifiée avant toute écriture ; pour en vérifier une sans la restaurer : {verify}.",
};

export const messages = { en, de, fr };

// The words of setting up in English, German and French, side by side: the first run
// (demo data or an empty register) and unlocking an encrypted register.
// The type checker holds German and French to the English keys; i18n/coverage.test.ts checks
// that none is missing or empty.

const en = {
  // First run.
  "firstRun.title": "Welcome to Rightsdesk",
  "firstRun.where": "Your requests are kept in a local database on this computer:",
  "firstRun.demo": "To look around first, load a demo data set: invented people with access, erasure and opt-out requests under GDPR, UK GDPR and CCPA at every stage. You can start over later by using a new database file.",
  "firstRun.load": "Load demo data",
  "firstRun.empty": "Start with an empty register",

  // Unlocking an encrypted register.
  "unlock.titleNew": "Protect your new register",
  "unlock.title": "Unlock the register",
  "unlock.introNew": "Rightsdesk encrypts its database. Choose a passphrase of at least 8 characters for {path}.",
  "unlock.intro": "Rightsdesk encrypts its database. Enter the passphrase of {path}.",
  "unlock.keyring": "The OS keyring could not hold the key: {reason}",
  "unlock.passphrase": "Passphrase",
  "unlock.repeat": "Repeat the passphrase",
  "unlock.mismatch": "The two passphrases differ.",
  "unlock.create": "Create the encrypted register",
  "unlock.submit": "Unlock",
  "unlock.forgotten": "A forgotten passphrase cannot be recovered: the data is encrypted with it. Keep it in your password manager.",

  // Connecting to a team register (PostgreSQL).
  "team.local": "Keep a register on this computer",
  "team.title": "Connect to a team register",
  "team.intro": "Your team keeps its register on a PostgreSQL server. Enter its address and your own password; your database administrator gives you both (rightsdesk team add).",
  "team.address": "Address",
  "team.addressHint": "postgresql://YOU@HOST:5432/DBNAME?sslmode=verify-full (add &sslrootcert=FILE for your organisation's CA)",
  "team.password": "Password",
  "team.connect": "Connect",
  "team.connecting": "Connecting…",
  "team.continue": "Continue",
  "team.notKept": "Connected. The OS keyring could not keep the password, so it is kept for this session only: you will be asked again at the next start.",
  "team.banner": "Team register: {address} — as {login}",
  "team.replica": "This server is a read-only copy (replica): it shows what the primary server had committed when the window last read it, takes no change, and does not refresh by itself.",
  "team.reload": "Reload",
  "team.unavailable": "Connect to it again, or keep a register on this computer instead.",
  "team.limited": "On a team register every screen works on the team's database: the settings, the data map, the mail settings and letter templates and the retention periods are changed by the team's admin (read-only for the others); the CSV import is not the auditor's.",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "firstRun.title": "Willkommen bei Rightsdesk",
  "firstRun.where": "Ihre Anfragen werden in einer lokalen Datenbank auf diesem Computer gespeichert:",
  "firstRun.demo": "Um sich zuerst umzusehen, laden Sie einen Demodatensatz: erfundene Personen mit Auskunfts-, Löschungs- und Opt-out-Anfragen nach DSGVO, UK GDPR und CCPA in jedem Bearbeitungsstand. Mit einer neuen Datenbankdatei können Sie später neu beginnen.",
  "firstRun.load": "Demodaten laden",
  "firstRun.empty": "Mit einem leeren Register beginnen",

  "unlock.titleNew": "Ihr neues Register schützen",
  "unlock.title": "Register entsperren",
  "unlock.introNew": "Rightsdesk verschlüsselt seine Datenbank. Wählen Sie eine Passphrase mit mindestens 8 Zeichen für {path}.",
  "unlock.intro": "Rightsdesk verschlüsselt seine Datenbank. Geben Sie die Passphrase für {path} ein.",
  "unlock.keyring": "Der Schlüsselbund des Betriebssystems konnte den Schlüssel nicht aufnehmen: {reason}",
  "unlock.passphrase": "Passphrase",
  "unlock.repeat": "Passphrase wiederholen",
  "unlock.mismatch": "Die beiden Passphrasen stimmen nicht überein.",
  "unlock.create": "Verschlüsseltes Register anlegen",
  "unlock.submit": "Entsperren",
  "unlock.forgotten": "Eine vergessene Passphrase lässt sich nicht wiederherstellen: Die Daten sind damit verschlüsselt. Bewahren Sie sie in Ihrem Passwortmanager auf.",

  "team.local": "Register auf diesem Computer führen",
  "team.title": "Mit einem Team-Register verbinden",
  "team.intro": "Ihr Team führt sein Register auf einem PostgreSQL-Server. Geben Sie dessen Adresse und Ihr eigenes Passwort ein; beides erhalten Sie von Ihrer Datenbankadministration (rightsdesk team add).",
  "team.address": "Adresse",
  "team.addressHint": "postgresql://SIE@HOST:5432/DATENBANK?sslmode=verify-full (mit &sslrootcert=DATEI für die Zertifizierungsstelle Ihrer Organisation)",
  "team.password": "Passwort",
  "team.connect": "Verbinden",
  "team.connecting": "Verbindung wird hergestellt …",
  "team.continue": "Weiter",
  "team.notKept": "Verbunden. Der Schlüsselbund des Betriebssystems konnte das Passwort nicht aufnehmen; es gilt nur für diese Sitzung, beim nächsten Start werden Sie erneut gefragt.",
  "team.banner": "Team-Register: {address} — als {login}",
  "team.replica": "Dieser Server ist eine schreibgeschützte Kopie (Replikat): Er zeigt, was der Primärserver beim letzten Lesen des Fensters gespeichert hatte, nimmt keine Änderung an und aktualisiert sich nicht von selbst.",
  "team.reload": "Neu laden",
  "team.unavailable": "Verbinden Sie sich erneut damit oder führen Sie stattdessen ein Register auf diesem Computer.",
  "team.limited": "Auf einem Team-Register arbeitet jeder Bereich mit der Datenbank des Teams: die Einstellungen, die Datenlandkarte, die Mail-Einstellungen und Briefvorlagen und die Aufbewahrungsfristen ändert der Admin des Teams (für die anderen nur zur Ansicht); der CSV-Import ist nicht für Prüfer.",
};

const fr: Same = {
  "firstRun.title": "Bienvenue dans Rightsdesk",
  "firstRun.where": "Vos demandes sont conservées dans une base de données locale sur cet ordinateur :",
  "firstRun.demo": "Pour découvrir l’application, chargez un jeu de données de démonstration : des personnes fictives avec des demandes d’accès, d’effacement et d’opt-out au titre du RGPD, du UK GDPR et du CCPA, à chaque étape. Vous pourrez recommencer plus tard avec un nouveau fichier de base de données.",
  "firstRun.load": "Charger les données de démonstration",
  "firstRun.empty": "Commencer avec un registre vide",

  "unlock.titleNew": "Protéger votre nouveau registre",
  "unlock.title": "Déverrouiller le registre",
  "unlock.introNew": "Rightsdesk chiffre sa base de données. Choisissez une phrase secrète d’au moins 8 caractères pour {path}.",
  "unlock.intro": "Rightsdesk chiffre sa base de données. Saisissez la phrase secrète de {path}.",
  "unlock.keyring": "Le trousseau du système n’a pas pu conserver la clé : {reason}",
  "unlock.passphrase": "Phrase secrète",
  "unlock.repeat": "Répétez la phrase secrète",
  "unlock.mismatch": "Les deux phrases secrètes diffèrent.",
  "unlock.create": "Créer le registre chiffré",
  "unlock.submit": "Déverrouiller",
  "unlock.forgotten": "Une phrase secrète oubliée ne peut pas être récupérée : les données sont chiffrées avec elle. Conservez-la dans votre gestionnaire de mots de passe.",

  "team.local": "Tenir un registre sur cet ordinateur",
  "team.title": "Se connecter à un registre d’équipe",
  "team.intro": "Votre équipe tient son registre sur un serveur PostgreSQL. Saisissez son adresse et votre propre mot de passe ; votre administrateur de base de données vous les fournit (rightsdesk team add).",
  "team.address": "Adresse",
  "team.addressHint": "postgresql://VOUS@HÔTE:5432/BASE?sslmode=verify-full (ajoutez &sslrootcert=FICHIER pour l’autorité de certification de votre organisation)",
  "team.password": "Mot de passe",
  "team.connect": "Se connecter",
  "team.connecting": "Connexion…",
  "team.continue": "Continuer",
  "team.notKept": "Connecté. Le trousseau du système n’a pas pu conserver le mot de passe ; il ne vaut que pour cette session et vous sera redemandé au prochain démarrage.",
  "team.banner": "Registre d’équipe : {address} — en tant que {login}",
  "team.replica": "Ce serveur est une copie en lecture seule (réplique) : il montre ce que le serveur principal avait enregistré lors de la dernière lecture de la fenêtre, n’accepte aucune modification et ne se met pas à jour de lui-même.",
  "team.reload": "Recharger",
  "team.unavailable": "Reconnectez-vous, ou tenez plutôt un registre sur cet ordinateur.",
  "team.limited": "Sur un registre d’équipe, chaque écran travaille sur la base de l’équipe : les réglages, la cartographie, les réglages de messagerie et modèles de courrier et les durées de conservation sont modifiés par l’admin de l’équipe (en lecture seule pour les autres) ; l’import CSV n’est pas pour l’auditeur.",
};

export const messages = { en, de, fr };

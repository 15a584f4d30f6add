// In-app help: one topic per screen. `help.<topic>` (what the screen is for) is
// in the main dictionaries for the first screens and here for the others;
// `help.<topic>.how` holds the main tasks, one per line. The shortcuts and the
// command-line equivalents are listed in features/help/topics.ts (commands
// are not translated). Button names of screens that are not translated yet are
// quoted in English, as the officer sees them.

const en = {
  "help.howTo": "How to",
  "help.keys": "Keyboard",
  "help.cli": "Command line",
  "help.noCli": "This screen has no command-line equivalent.",

  "help.import": "Register many requests at once from a CSV file, checked row by row before anything is written.",
  "help.register": "The register of every request, exported for a spreadsheet or a regulator, and the yearly figures per request type.",
  "help.outbox": "Every letter Rightsdesk sends, with its state: queued, sending, sent (with the server’s answer), failed (with the reason) or unknown.",
  "help.reminders": "What falls due within your reminder thresholds or is overdue, and the calendar export of every open due date.",
  "help.mail-settings": "The mail server letters go through, the sender, your own mailbox for copies and reminders, and the letter templates.",
  "help.datamap": "The organisation’s systems and processors: what each holds, why, how long, and how to search, export and delete there. Each new request becomes a task per system.",
  "help.audit": "The hash-chained audit trail of every timeline event: check that nothing was edited, deleted or reordered, and export it for a regulator.",
  "help.safety": "Encrypted backups of the register and its evidence, how long closed requests keep personal data under each law, and the purge.",

  "help.dashboard.how": "Open a request from the overdue or due-soon tables by its reference.\nWork down “Needs you today” first: each line says what is due and by when.\n“Show all in the list” opens the open requests in the list.",
  "help.list.how": "Type in the search field to find a request by name, email, reference or notes.\nFilter by status or type, or tick “Open only”; click a column header to sort.\nTick requests to change their status or mark them duplicates together.\nSave the current search and filters as a view.",
  "help.new.how": "Choose the request type, the law and the jurisdiction.\nEnter the subject’s name and email, the channel and the date of receipt.\nPress “Register request”: the request opens with its legal due date.",
  "help.detail.how": "Read each date with the explanation of how it was reached.\nRecord what moves the clock (identity or clarification requested or received, a fee, an extension notice): the dates are recomputed.\nChange the status; refusing or marking a duplicate needs a reason.\nWrite letters, work through the tasks, and read the timeline.",
  "help.calculator.how": "Choose a law, a jurisdiction, a request type and the date of receipt.\nAdd the dates of events such as identity requested or an extension notice, if any.\nPress “Calculate” to see every date with its explanation.",
  "help.settings.how": "Choose the language of the interface.\nSet your promise to subjects and the internal target.\nChoose the reading to use where the sources disagree, then save: open requests are recomputed.",
  "help.guide.how": "Follow the four steps: organisation, laws, mail, data map.\nEach step opens the screen where you set it up.\nHide the guide when you are done; it stays in the sidebar.",
  "help.first-run.how": "“Load demo data” fills the register with invented requests to look around.\n“Start with an empty register” begins with your own requests.",
  "help.import.how": "Choose a CSV file (or paste it): UTF-8 or Windows-1252, comma, semicolon or tab.\nCheck which column fills which field, and the defaults for rows without a law or channel.\nRead the report per row: errors name the line and the field; duplicates are shown.\nPress “Import”: every row is registered, or none is.",
  "help.register.how": "Export the register as CSV or JSON.\nChoose a year to see the figures per request type: received, complied with, denied, days to respond.\n“Save as CSV” writes the figures beside the database; “Print” gives a clean page.",
  "help.outbox.how": "See the state of each letter and the server’s answer.\nA letter in state “unknown”: check whether it arrived, then confirm it or send it again (same Message-ID).\nOpen “Exact message” to see the bytes that were sent.",
  "help.reminders.how": "Open a request from the list of what falls due.\n“Export deadlines (.ics)” writes every open due date for your calendar (without subjects’ names).",
  "help.mail-settings.how": "Enter the server, port, security and login; the password goes to the OS keyring.\nSet the sender, a reply-to and your own mailbox.\n“Send a test message” shows the server’s answer verbatim.\nEdit the letter templates in English, German and French.",
  "help.datamap.how": "Add a system or processor, or use the starter map and edit it.\nImport or export the map as CSV or JSON; a file with a bad row is refused whole.\nRequests registered afterwards get a task for each system.",
  "help.audit.how": "“Check again” recomputes the whole chain and names the first event that does not match.\nNote the head hash somewhere else: it proves the trail later.\nExport the trail (no personal data in clear) for a regulator.",
  "help.safety.how": "Choose a backup folder and how many to keep, or press “Back up now”.\nSet each law’s retention period; the default and its basis are shown.\nCheck “Next purge”, then “Purge…” and confirm: personal data of expired closed requests is removed, the anonymised record stays.",
} as const;

type Same = Record<keyof typeof en, string>;

const de: Same = {
  "help.howTo": "So geht’s",
  "help.keys": "Tastatur",
  "help.cli": "Befehlszeile",
  "help.noCli": "Für diesen Bildschirm gibt es keine Entsprechung auf der Befehlszeile.",

  "help.import": "Viele Anfragen auf einmal aus einer CSV-Datei erfassen, Zeile für Zeile geprüft, bevor etwas geschrieben wird.",
  "help.register": "Das Verzeichnis aller Anfragen, exportiert für eine Tabellenkalkulation oder die Aufsichtsbehörde, und die Jahreszahlen je Art der Anfrage.",
  "help.outbox": "Jedes Schreiben, das Rightsdesk versendet, mit seinem Stand: vorgemerkt, wird gesendet, versandt (mit der Antwort des Servers), fehlgeschlagen (mit dem Grund) oder unbekannt.",
  "help.reminders": "Was innerhalb Ihrer Erinnerungsschwellen fällig oder überfällig ist, und der Kalenderexport aller offenen Fristen.",
  "help.mail-settings": "Der Mailserver, über den Schreiben versandt werden, der Absender, Ihr eigenes Postfach für Kopien und Erinnerungen, und die Briefvorlagen.",
  "help.datamap": "Die Systeme und Auftragsverarbeiter der Organisation: was jedes enthält, wozu, wie lange, und wie dort gesucht, exportiert und gelöscht wird. Jede neue Anfrage erhält eine Aufgabe je System.",
  "help.audit": "Das verkettete Prüfprotokoll aller Verlaufseinträge: prüfen, dass nichts geändert, gelöscht oder umgestellt wurde, und für die Aufsichtsbehörde exportieren.",
  "help.safety": "Verschlüsselte Sicherungen des Registers und seiner Nachweise, wie lange abgeschlossene Anfragen personenbezogene Daten je Gesetz behalten, und die Löschung.",

  "help.dashboard.how": "Öffnen Sie eine Anfrage aus den Tabellen „Überfällige Anfragen“ oder „Bald fällig“ über ihr Aktenzeichen.\nArbeiten Sie zuerst „Heute zu tun“ ab: Jede Zeile sagt, was bis wann fällig ist.\n„Alle in der Liste zeigen“ öffnet die offenen Anfragen in der Liste.",
  "help.list.how": "Tippen Sie in das Suchfeld, um eine Anfrage nach Name, E-Mail, Aktenzeichen oder Notizen zu finden.\nFiltern Sie nach Status oder Art oder wählen Sie „Nur offene“; klicken Sie auf eine Spaltenüberschrift, um zu sortieren.\nMarkieren Sie Anfragen, um ihren Status gemeinsam zu ändern oder sie als Duplikate zu kennzeichnen.\nSpeichern Sie Suche und Filter als Ansicht.",
  "help.new.how": "Wählen Sie die Art der Anfrage, das Gesetz und den Rechtsraum.\nGeben Sie Name und E-Mail der betroffenen Person, den Eingangsweg und das Eingangsdatum ein.\nDrücken Sie „Anfrage erfassen“: Die Anfrage öffnet sich mit ihrer gesetzlichen Frist.",
  "help.detail.how": "Lesen Sie jede Frist mit der Herleitung, wie sie zustande kam.\nErfassen Sie, was die Frist beeinflusst (Identitätsnachweis oder Präzisierung angefordert oder eingegangen, ein Entgelt, eine Mitteilung der Verlängerung): Die Fristen werden neu berechnet.\nÄndern Sie den Status; Ablehnen oder als Duplikat Kennzeichnen erfordert eine Begründung.\nSchreiben Sie Briefe, arbeiten Sie die Aufgaben ab und lesen Sie den Verlauf.",
  "help.calculator.how": "Wählen Sie Gesetz, Rechtsraum, Art der Anfrage und Eingangsdatum.\nTragen Sie gegebenenfalls die Daten von Ereignissen ein, etwa angeforderter Identitätsnachweis oder Mitteilung der Verlängerung.\nDrücken Sie „Berechnen“, um jede Frist mit ihrer Herleitung zu sehen.",
  "help.settings.how": "Wählen Sie die Sprache der Oberfläche.\nLegen Sie Ihr Versprechen gegenüber betroffenen Personen und das interne Ziel fest.\nWählen Sie die Lesart, wo die Quellen abweichen, und speichern Sie: Offene Anfragen werden neu berechnet.",
  "help.guide.how": "Folgen Sie den vier Schritten: Organisation, Gesetze, E-Mail, Datenlandkarte.\nJeder Schritt öffnet den Bildschirm, auf dem Sie ihn einrichten.\nBlenden Sie die Anleitung aus, wenn Sie fertig sind; sie bleibt in der Seitenleiste.",
  "help.first-run.how": "„Demodaten laden“ füllt das Register mit erfundenen Anfragen zum Umsehen.\n„Mit einem leeren Register beginnen“ startet mit Ihren eigenen Anfragen.",
  "help.import.how": "Wählen Sie eine CSV-Datei (oder fügen Sie sie ein): UTF-8 oder Windows-1252, Komma, Semikolon oder Tabulator.\nPrüfen Sie, welche Spalte welches Feld füllt, und die Vorgaben für Zeilen ohne Gesetz oder Eingangsweg.\nLesen Sie den Bericht je Zeile: Fehler nennen Zeile und Feld; Duplikate werden angezeigt.\nDrücken Sie „Import“: Alle Zeilen werden erfasst oder keine.",
  "help.register.how": "Exportieren Sie das Verzeichnis als CSV oder JSON.\nWählen Sie ein Jahr, um die Zahlen je Art der Anfrage zu sehen: eingegangen, ganz oder teilweise erfüllt, abgelehnt, Tage bis zur Antwort.\n„Save as CSV“ schreibt die Zahlen neben die Datenbank; „Print“ ergibt eine saubere Druckseite.",
  "help.outbox.how": "Sehen Sie den Stand jedes Schreibens und die Antwort des Servers.\nEin Schreiben im Stand „unknown“: Prüfen Sie, ob es ankam, und bestätigen Sie es dann oder senden Sie es erneut (gleiche Message-ID).\nÖffnen Sie „Exact message“, um die gesendeten Bytes zu sehen.",
  "help.reminders.how": "Öffnen Sie eine Anfrage aus der Liste dessen, was fällig wird.\n„Export deadlines (.ics)“ schreibt alle offenen Fristen für Ihren Kalender (ohne Namen betroffener Personen).",
  "help.mail-settings.how": "Geben Sie Server, Port, Sicherheit und Anmeldung ein; das Passwort kommt in den Schlüsselbund des Betriebssystems.\nLegen Sie Absender, Antwortadresse und Ihr eigenes Postfach fest.\n„Send a test message“ zeigt die Antwort des Servers wörtlich.\nBearbeiten Sie die Briefvorlagen auf Englisch, Deutsch und Französisch.",
  "help.datamap.how": "Fügen Sie ein System oder einen Auftragsverarbeiter hinzu, oder übernehmen Sie die Startkarte und passen Sie sie an.\nImportieren oder exportieren Sie die Karte als CSV oder JSON; eine Datei mit einer fehlerhaften Zeile wird ganz abgelehnt.\nDanach erfasste Anfragen erhalten eine Aufgabe je System.",
  "help.audit.how": "„Check again“ berechnet die ganze Kette neu und nennt den ersten Eintrag, der nicht passt.\nNotieren Sie den Kopf-Hash an anderer Stelle: Er belegt das Protokoll später.\nExportieren Sie das Protokoll (keine personenbezogenen Daten im Klartext) für die Aufsichtsbehörde.",
  "help.safety.how": "Wählen Sie einen Sicherungsordner und wie viele Sicherungen bleiben, oder drücken Sie „Back up now“.\nLegen Sie die Aufbewahrungsfrist je Gesetz fest; Vorgabe und Begründung werden angezeigt.\nPrüfen Sie „Next purge“, dann „Purge…“ und bestätigen Sie: Personenbezogene Daten abgelaufener, abgeschlossener Anfragen werden gelöscht, der anonymisierte Eintrag bleibt.",
};

const fr: Same = {
  "help.howTo": "Comment faire",
  "help.keys": "Clavier",
  "help.cli": "Ligne de commande",
  "help.noCli": "Cet écran n’a pas d’équivalent en ligne de commande.",

  "help.import": "Enregistrer de nombreuses demandes à la fois depuis un fichier CSV, vérifié ligne par ligne avant toute écriture.",
  "help.register": "Le registre de toutes les demandes, exporté pour un tableur ou une autorité de contrôle, et les chiffres annuels par type de demande.",
  "help.outbox": "Chaque courrier envoyé par Rightsdesk, avec son état : en file, en cours d’envoi, envoyé (avec la réponse du serveur), en échec (avec le motif) ou inconnu.",
  "help.reminders": "Ce qui arrive à échéance dans vos seuils de rappel ou est en retard, et l’export agenda de toutes les échéances ouvertes.",
  "help.mail-settings": "Le serveur de messagerie par lequel partent les courriers, l’expéditeur, votre propre boîte pour les copies et les rappels, et les modèles de courrier.",
  "help.datamap": "Les systèmes et sous-traitants de l’organisation : ce que chacun contient, pourquoi, combien de temps, et comment y rechercher, exporter et effacer. Chaque nouvelle demande reçoit une tâche par système.",
  "help.audit": "La piste d’audit chaînée de chaque entrée d’historique : vérifier que rien n’a été modifié, supprimé ou réordonné, et l’exporter pour une autorité de contrôle.",
  "help.safety": "Les sauvegardes chiffrées du registre et de ses pièces, la durée pendant laquelle les demandes clôturées gardent des données personnelles selon chaque loi, et la purge.",

  "help.dashboard.how": "Ouvrez une demande depuis les tableaux « Demandes en retard » ou « Échéance proche » par sa référence.\nTraitez d’abord « À traiter aujourd’hui » : chaque ligne dit ce qui est dû et pour quand.\n« Tout afficher dans la liste » ouvre les demandes ouvertes dans la liste.",
  "help.list.how": "Saisissez dans le champ de recherche un nom, un e-mail, une référence ou une note pour trouver une demande.\nFiltrez par statut ou par type, ou cochez « Ouvertes seulement » ; cliquez sur un en-tête de colonne pour trier.\nCochez des demandes pour changer leur statut ou les marquer comme doublons ensemble.\nEnregistrez la recherche et les filtres comme vue.",
  "help.new.how": "Choisissez le type de demande, la loi et la juridiction.\nSaisissez le nom et l’e-mail de la personne concernée, le canal et la date de réception.\nAppuyez sur « Enregistrer la demande » : la demande s’ouvre avec son échéance légale.",
  "help.detail.how": "Lisez chaque date avec l’explication de son calcul.\nConsignez ce qui agit sur le délai (justificatif d’identité ou précisions demandés ou reçus, des frais, l’information d’une prolongation) : les dates sont recalculées.\nChangez le statut ; refuser ou marquer comme doublon exige un motif.\nRédigez des courriers, traitez les tâches et lisez l’historique.",
  "help.calculator.how": "Choisissez une loi, une juridiction, un type de demande et la date de réception.\nAjoutez le cas échéant les dates d’événements, comme un justificatif d’identité demandé ou l’information d’une prolongation.\nAppuyez sur « Calculer » pour voir chaque date avec son explication.",
  "help.settings.how": "Choisissez la langue de l’interface.\nFixez votre engagement envers les personnes concernées et l’objectif interne.\nChoisissez la lecture à retenir là où les sources divergent, puis enregistrez : les demandes ouvertes sont recalculées.",
  "help.guide.how": "Suivez les quatre étapes : organisation, lois, messagerie, cartographie des données.\nChaque étape ouvre l’écran où la configurer.\nMasquez le guide une fois terminé ; il reste dans la barre latérale.",
  "help.first-run.how": "« Charger les données de démonstration » remplit le registre de demandes fictives pour découvrir l’application.\n« Commencer avec un registre vide » démarre avec vos propres demandes.",
  "help.import.how": "Choisissez un fichier CSV (ou collez-le) : UTF-8 ou Windows-1252, virgule, point-virgule ou tabulation.\nVérifiez quelle colonne remplit quel champ, et les valeurs par défaut pour les lignes sans loi ni canal.\nLisez le rapport par ligne : les erreurs nomment la ligne et le champ ; les doublons sont signalés.\nAppuyez sur « Import » : toutes les lignes sont enregistrées, ou aucune.",
  "help.register.how": "Exportez le registre en CSV ou en JSON.\nChoisissez une année pour voir les chiffres par type de demande : reçues, satisfaites en tout ou partie, refusées, jours de réponse.\n« Save as CSV » écrit les chiffres à côté de la base de données ; « Print » donne une page propre.",
  "help.outbox.how": "Voyez l’état de chaque courrier et la réponse du serveur.\nUn courrier à l’état « unknown » : vérifiez s’il est arrivé, puis confirmez-le ou renvoyez-le (même Message-ID).\nOuvrez « Exact message » pour voir les octets envoyés.",
  "help.reminders.how": "Ouvrez une demande depuis la liste de ce qui arrive à échéance.\n« Export deadlines (.ics) » écrit toutes les échéances ouvertes pour votre agenda (sans le nom des personnes concernées).",
  "help.mail-settings.how": "Saisissez le serveur, le port, la sécurité et l’identifiant ; le mot de passe va dans le trousseau du système.\nIndiquez l’expéditeur, une adresse de réponse et votre propre boîte.\n« Send a test message » affiche la réponse du serveur telle quelle.\nModifiez les modèles de courrier en anglais, allemand et français.",
  "help.datamap.how": "Ajoutez un système ou un sous-traitant, ou partez de la cartographie de départ et adaptez-la.\nImportez ou exportez la cartographie en CSV ou JSON ; un fichier avec une ligne erronée est refusé en entier.\nLes demandes enregistrées ensuite reçoivent une tâche par système.",
  "help.audit.how": "« Check again » recalcule toute la chaîne et nomme la première entrée qui ne correspond pas.\nNotez l’empreinte de tête ailleurs : elle prouvera la piste plus tard.\nExportez la piste (sans données personnelles en clair) pour une autorité de contrôle.",
  "help.safety.how": "Choisissez un dossier de sauvegarde et combien en garder, ou appuyez sur « Back up now ».\nFixez la durée de conservation de chaque loi ; la valeur par défaut et son fondement sont affichés.\nVérifiez « Next purge », puis « Purge… » et confirmez : les données personnelles des demandes clôturées échues sont supprimées, l’enregistrement anonymisé reste.",
};

export const helpTopics = { en, de, fr };

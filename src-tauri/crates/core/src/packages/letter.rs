//! The cover letter: what the law of the request asks the controller to tell
//! the subject besides the copy of the data, in the request's language
//! (en/de/fr). Per family of law:
//!
//! - GDPR/UK GDPR: Art. 15(1)(a) purposes, (b) categories, (c) recipients,
//!   (d) retention, (e) rectification, erasure, restriction, objection, (f)
//!   complaint to a supervisory authority, (g) source, (h) automated
//!   decision-making, and Art. 15(2) transfer safeguards;
//! - CCPA: categories of personal information, of sources, the business or
//!   commercial purposes, the categories of third parties, and the specific
//!   pieces (Cal. Civ. Code §§ 1798.110, 1798.130), with the CCPA's rights;
//! - LGPD: Art. 9 (purpose, form and duration, shared use, rights) and the
//!   complete declaration of Art. 19(II) (origin, criteria, purpose);
//! - PIPEDA: Schedule 1 principle 4.9 (existence, use, disclosure, third
//!   parties, source) and the Office of the Privacy Commissioner;
//! - the others: what is held, why, who receives it, how long, the source, and
//!   the authority of the law.
//!
//! The letter never asserts what nobody recorded: a system with no
//! automated-decision fact or no transfer safeguard is printed as "not
//! recorded" (and the build refuses it unless the officer states the fact).

use crate::domain::Lang;
use crate::domain::{Request, RequestType};
use crate::letters::templates::Family;
use crate::packages::html::{escape, page_in};
use crate::packages::sources::SystemSummary;

pub struct LetterInput<'a> {
    pub request: &'a Request,
    pub regime_name: &'a str,
    pub organisation: &'a str,
    pub date: chrono::NaiveDate,
    pub systems: &'a [SystemSummary],
    pub lang: Lang,
}

/// The families whose letter states automated decisions and transfer safeguards
/// (and whose build needs those facts recorded).
pub fn needs_facts(family: Option<Family>) -> bool {
    matches!(family, Some(Family::Gdpr | Family::Uk | Family::Lgpd))
}

fn t(lang: Lang, en: &'static str, de: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::De => de,
        Lang::Fr => fr,
    }
}

fn dash() -> String {
    "<span class=\"muted\">—</span>".into()
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return dash();
    }
    items.iter().map(|i| escape(i)).collect::<Vec<_>>().join("<br>")
}

/// One value, or a dash where the data map records none.
fn one(value: &str) -> String {
    if value.trim().is_empty() {
        dash()
    } else {
        escape(value)
    }
}

fn not_recorded(lang: Lang) -> String {
    format!(
        "<em>{}</em>",
        t(lang, "not recorded in our data map", "in unserem Verzeichnis nicht erfasst", "non consigné dans notre registre")
    )
}

/// Automated decisions per system: the recorded description, "none" as none, or "not recorded".
fn automated(l: &LetterInput<'_>, cite: &str) -> String {
    let lang = l.lang;
    let rows: Vec<String> = l
        .systems
        .iter()
        .map(|s| {
            let what = match s.automated_decisions.as_deref().map(str::trim) {
                Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("keine") || v.eq_ignore_ascii_case("aucune") => {
                    t(lang, "none", "keine", "aucune").to_string()
                }
                Some(v) if !v.is_empty() => escape(v),
                _ => not_recorded(lang),
            };
            format!("<li><strong>{}</strong>: {what}</li>", escape(&s.name))
        })
        .collect();
    format!(
        "<h2>{}</h2>\n<p>{}</p>\n<ul>\n{}\n</ul>\n",
        t(lang, "Automated decisions", "Automatisierte Entscheidungen", "Décisions automatisées"),
        match lang {
            Lang::En => format!(
                "For each system: whether we take decisions about you based solely on automated processing, including profiling, and if so the logic involved, its significance and the envisaged consequences for you ({cite})."
            ),
            Lang::De => format!(
                "Für jedes System: ob wir Entscheidungen über Sie ausschließlich auf Grundlage einer automatisierten Verarbeitung einschließlich Profiling treffen, und wenn ja, die involvierte Logik, ihre Tragweite und die angestrebten Auswirkungen für Sie ({cite})."
            ),
            Lang::Fr => format!(
                "Pour chaque système : si nous prenons à votre sujet des décisions fondées exclusivement sur un traitement automatisé, y compris le profilage, et dans ce cas la logique sous-jacente, son importance et les conséquences prévues pour vous ({cite})."
            ),
        },
        rows.join("\n")
    )
}

/// Where each system holds the data and the safeguard recorded; never "no transfer" for an unrecorded one.
fn transfers(l: &LetterInput<'_>, heading: &str, cite: &str) -> String {
    let lang = l.lang;
    let rows: Vec<String> = l
        .systems
        .iter()
        .map(|s| {
            let location = if s.location.trim().is_empty() { not_recorded(lang) } else { escape(s.location.trim()) };
            let safeguard = match s.transfers.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() => escape(v),
                _ if crate::packages::workspace::in_eea(&s.location) => t(
                    lang,
                    "none needed (within the EEA)",
                    "nicht erforderlich (innerhalb des EWR)",
                    "aucune n'est nécessaire (dans l'EEE)",
                )
                .to_string(),
                _ => not_recorded(lang),
            };
            format!(
                "<li><strong>{}</strong>: {location} · {} {safeguard}</li>",
                escape(&s.name),
                t(lang, "safeguard:", "Garantie:", "garantie :")
            )
        })
        .collect();
    format!(
        "<h2>{heading}</h2>\n<p>{}</p>\n<ul>\n{}\n</ul>\n",
        match lang {
            Lang::En => format!("Where each system holds your data and, for a place outside the European Economic Area, the safeguard for the transfer ({cite})."),
            Lang::De => format!("Wo jedes System Ihre Daten speichert und, für einen Ort außerhalb des Europäischen Wirtschaftsraums, die geeignete Garantie für die Übermittlung ({cite})."),
            Lang::Fr => format!("Où chaque système conserve vos données et, pour un lieu hors de l'Espace économique européen, la garantie encadrant le transfert ({cite})."),
        },
        rows.join("\n")
    )
}

fn rights(items: &[String]) -> String {
    format!("<ul>\n{}\n</ul>\n", items.iter().map(|i| format!("<li>{i}</li>")).collect::<Vec<_>>().join("\n"))
}

fn table(l: &LetterInput<'_>, head: [&str; 7], legal_basis: bool) -> String {
    let mut rows = String::new();
    for s in l.systems {
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&s.name),
            list(&s.purposes),
            if legal_basis { format!("<td>{}</td>", one(&s.legal_basis)) } else { String::new() },
            list(&s.categories),
            list(&s.recipients),
            one(&s.retention),
            one(&s.source),
        ));
    }
    let heads: Vec<String> =
        head.iter().enumerate().filter(|(i, _)| legal_basis || *i != 2).map(|(_, h)| format!("<th>{}</th>", escape(h))).collect();
    format!("<table><thead><tr>{}</tr></thead><tbody>\n{rows}</tbody></table>\n", heads.join(""))
}

fn package_contents(lang: Lang) -> String {
    match lang {
        Lang::En => "<h2>What is in this package</h2>\n<p><strong>index.html</strong> lists every file. Your data is in <strong>data/</strong> as JSON and as a CSV \
             file per category (spreadsheets open these); copies of records from each system are in <strong>evidence/</strong>. \
             <strong>manifest.json</strong> and <strong>SHA256SUMS</strong> hold a SHA-256 fingerprint of every file, so you \
             can check that nothing was changed (for example with <code>sha256sum -c SHA256SUMS</code>).</p>\n",
        Lang::De => "<h2>Was dieses Paket enthält</h2>\n<p><strong>index.html</strong> listet jede Datei auf. Ihre Daten liegen in <strong>data/</strong> als JSON und als CSV-Datei \
             je Kategorie (Tabellenprogramme öffnen sie); Kopien von Datensätzen aus jedem System liegen in <strong>evidence/</strong>. \
             <strong>manifest.json</strong> und <strong>SHA256SUMS</strong> enthalten einen SHA-256-Fingerabdruck jeder Datei, damit Sie \
             prüfen können, dass nichts verändert wurde (zum Beispiel mit <code>sha256sum -c SHA256SUMS</code>).</p>\n",
        Lang::Fr => "<h2>Contenu de ce paquet</h2>\n<p><strong>index.html</strong> liste chaque fichier. Vos données se trouvent dans <strong>data/</strong> en JSON et en fichier CSV \
             par catégorie (lisibles par un tableur) ; les copies des enregistrements de chaque système sont dans <strong>evidence/</strong>. \
             <strong>manifest.json</strong> et <strong>SHA256SUMS</strong> contiennent une empreinte SHA-256 de chaque fichier, pour que vous \
             puissiez vérifier que rien n'a été modifié (par exemple avec <code>sha256sum -c SHA256SUMS</code>).</p>\n",
    }
    .to_string()
}

pub fn cover_letter(l: &LetterInput<'_>) -> String {
    let r = l.request;
    let lang = l.lang;
    let family = Family::of_regime(&r.regime);
    let authority = escape(&crate::letters::authorities::for_request_in(&r.regime, &r.jurisdiction, lang));
    let portability = r.request_type == RequestType::Portability;
    let what_short = if portability {
        t(lang, "a copy of your data to take with you", "eine Kopie Ihrer Daten zur Mitnahme", "une copie de vos données à emporter")
    } else {
        t(lang, "a copy of your personal data", "eine Kopie Ihrer personenbezogenen Daten", "une copie de vos données personnelles")
    };
    let reference = escape(&r.reference);
    let received = lang.date(r.received_on);
    let regime = escape(l.regime_name);
    let intro = |law: &str| {
        match lang {
        Lang::En => format!(
            "On {received} you asked us for {} under the {regime}. This package holds that copy and the information the law says you should have with it ({law}).",
            if portability { "a copy of the personal data you gave us, in a structured, commonly used and machine-readable form" } else { "access to your personal data" }
        ),
        Lang::De => format!(
            "Am {received} haben Sie nach {regime} {} verlangt. Dieses Paket enthält diese Kopie und die Informationen, die Ihnen nach dem Gesetz dazu zustehen ({law}).",
            if portability { "eine Kopie der Daten, die Sie uns bereitgestellt haben, in einem strukturierten, gängigen und maschinenlesbaren Format," } else { "Auskunft über Ihre personenbezogenen Daten" }
        ),
        Lang::Fr => format!(
            "Le {received}, vous nous avez demandé {} au titre du {regime}. Ce paquet contient cette copie et les informations que la loi vous reconnaît ({law}).",
            if portability { "une copie des données que vous nous avez fournies, dans un format structuré, couramment utilisé et lisible par machine," } else { "l'accès à vos données personnelles" }
        ),
    }
    };
    let reply = match lang {
        Lang::En => format!("To use any of these rights, reply to us quoting the reference {reference}."),
        Lang::De => format!("Um eines dieser Rechte auszuüben, antworten Sie uns bitte unter Angabe der Vorgangsnummer {reference}."),
        Lang::Fr => format!("Pour exercer l'un de ces droits, répondez-nous en indiquant la référence {reference}."),
    };
    let mut body = String::new();
    match family {
        Some(Family::Gdpr | Family::Uk) => {
            let law = if family == Some(Family::Uk) { "UK GDPR" } else { t(lang, "GDPR", "DSGVO", "RGPD") };
            let a = |x: &str| format!("{law} Art. {x}");
            body.push_str(&format!("<p>{}</p>\n", intro(&a("15(1), 15(2)"))));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(
                    lang,
                    "What we hold, why, for how long, and where it came from",
                    "Was wir speichern, warum, wie lange und woher",
                    "Ce que nous détenons, pourquoi, combien de temps et d'où cela vient"
                )
            ));
            let heads = match lang {
                Lang::En => [
                    "System",
                    "Purposes (Art. 15(1)(a))",
                    "Legal basis",
                    "Categories of data (Art. 15(1)(b))",
                    "Recipients (Art. 15(1)(c))",
                    "How long we keep it (Art. 15(1)(d))",
                    "Source (Art. 15(1)(g))",
                ],
                Lang::De => [
                    "System",
                    "Zwecke (Art. 15 Abs. 1 lit. a)",
                    "Rechtsgrundlage",
                    "Datenkategorien (Art. 15 Abs. 1 lit. b)",
                    "Empfänger (Art. 15 Abs. 1 lit. c)",
                    "Speicherdauer (Art. 15 Abs. 1 lit. d)",
                    "Herkunft (Art. 15 Abs. 1 lit. g)",
                ],
                Lang::Fr => [
                    "Système",
                    "Finalités (art. 15(1)(a))",
                    "Base légale",
                    "Catégories de données (art. 15(1)(b))",
                    "Destinataires (art. 15(1)(c))",
                    "Durée de conservation (art. 15(1)(d))",
                    "Source (art. 15(1)(g))",
                ],
            };
            body.push_str(&table(l, heads, true));
            body.push_str(&transfers(
                l,
                t(lang, "Where your data is held, and transfers", "Speicherort und Übermittlungen", "Lieu de conservation et transferts"),
                &a("15(2)"),
            ));
            body.push_str(&automated(l, &a("15(1)(h), 22")));
            body.push_str(&format!("<h2>{}</h2>\n", t(lang, "Your rights", "Ihre Rechte", "Vos droits")));
            let complaint_to = if family == Some(Family::Uk) {
                authority.clone()
            } else {
                format!("{} ({authority})", t(lang, "a supervisory authority", "einer Aufsichtsbehörde", "une autorité de contrôle"))
            };
            body.push_str(&rights(&match lang {
                Lang::En => vec![
                    format!("to have inaccurate data corrected (rectification, {})", a("16")),
                    format!("to have data erased (erasure, {})", a("17")),
                    format!("to have its use restricted (restriction, {})", a("18")),
                    format!("to object to its use, including for direct marketing (objection, {})", a("21")),
                    format!("to receive the data you gave us in a machine-readable form (portability, {})", a("20")),
                    format!("to lodge a complaint with {complaint_to} ({}), and to go to court ({})", a("15(1)(f), 77"), a("79")),
                ],
                Lang::De => vec![
                    format!("Berichtigung unrichtiger Daten ({})", a("16")),
                    format!("Löschung ({})", a("17")),
                    format!("Einschränkung der Verarbeitung ({})", a("18")),
                    format!("Widerspruch gegen die Verarbeitung, auch gegen Direktwerbung ({})", a("21")),
                    format!(
                        "Herausgabe der von Ihnen bereitgestellten Daten in maschinenlesbarer Form (Datenübertragbarkeit, {})",
                        a("20")
                    ),
                    format!("Beschwerde bei {complaint_to} ({}) und gerichtlicher Rechtsbehelf ({})", a("15 Abs. 1 lit. f, 77"), a("79")),
                ],
                Lang::Fr => vec![
                    format!("Faire rectifier des données inexactes (rectification, {})", a("16")),
                    format!("Faire effacer des données (effacement, {})", a("17")),
                    format!("Faire limiter leur traitement (limitation, {})", a("18")),
                    format!("Vous opposer à leur traitement, y compris à des fins de prospection (opposition, {})", a("21")),
                    format!(
                        "Recevoir les données que vous nous avez fournies dans un format lisible par machine (portabilité, {})",
                        a("20")
                    ),
                    format!(
                        "Introduire une réclamation auprès de {complaint_to} ({}) et former un recours juridictionnel ({})",
                        a("15(1)(f), 77"),
                        a("79")
                    ),
                ],
            }));
        }
        Some(Family::Ccpa) => {
            body.push_str(&format!("<p>{}</p>\n", intro("Cal. Civ. Code §§ 1798.110, 1798.130")));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(
                    lang,
                    "The personal information we collected about you",
                    "Die personenbezogenen Informationen, die wir über Sie erhoben haben",
                    "Les renseignements personnels que nous avons recueillis à votre sujet"
                )
            ));
            let heads = match lang {
                Lang::En => [
                    "System",
                    "Business or commercial purposes",
                    "",
                    "Categories of personal information",
                    "Categories of third parties to whom we disclosed it",
                    "How long we keep it",
                    "Categories of sources",
                ],
                Lang::De => [
                    "System",
                    "Geschäftliche oder kommerzielle Zwecke",
                    "",
                    "Kategorien personenbezogener Informationen",
                    "Kategorien von Dritten, denen wir sie offengelegt haben",
                    "Speicherdauer",
                    "Kategorien von Quellen",
                ],
                Lang::Fr => [
                    "Système",
                    "Finalités commerciales ou professionnelles",
                    "",
                    "Catégories de renseignements personnels",
                    "Catégories de tiers à qui nous les avons communiqués",
                    "Durée de conservation",
                    "Catégories de sources",
                ],
            };
            body.push_str(&table(l, heads, false));
            body.push_str(&format!(
                "<p>{}</p>\n",
                t(lang, "The specific pieces of personal information we collected about you are in data/ and evidence/ in this package.",
                  "Die konkreten personenbezogenen Informationen, die wir über Sie erhoben haben, finden Sie in data/ und evidence/ in diesem Paket.",
                  "Les éléments précis de renseignements personnels que nous avons recueillis à votre sujet se trouvent dans data/ et evidence/ de ce paquet.")
            ));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(lang, "Your rights under the CCPA", "Ihre Rechte nach dem CCPA", "Vos droits en vertu du CCPA")
            ));
            body.push_str(&rights(&match lang {
                Lang::En => vec!["the right to know what personal information we collect, use and disclose (§§ 1798.100, 1798.110)".into(), "the right to delete it (§ 1798.105)".into(), "the right to correct inaccurate personal information (§ 1798.106)".into(), "the right to opt out of its sale or sharing (§ 1798.120)".into(), "the right to limit the use and disclosure of sensitive personal information (§ 1798.121)".into(), "the right not to be discriminated against for using these rights (§ 1798.125)".into()],
                Lang::De => vec!["das Recht zu erfahren, welche personenbezogenen Informationen wir erheben, nutzen und offenlegen (§§ 1798.100, 1798.110)".into(), "das Recht auf Löschung (§ 1798.105)".into(), "das Recht auf Berichtigung unrichtiger Informationen (§ 1798.106)".into(), "das Recht, dem Verkauf oder der Weitergabe zu widersprechen (opt-out, § 1798.120)".into(), "das Recht, die Nutzung und Offenlegung sensibler personenbezogener Informationen zu beschränken (§ 1798.121)".into(), "das Recht, wegen der Ausübung dieser Rechte nicht benachteiligt zu werden (§ 1798.125)".into()],
                Lang::Fr => vec!["Le droit de savoir quels renseignements personnels nous recueillons, utilisons et communiquons (§§ 1798.100, 1798.110)".into(), "Le droit de les faire supprimer (§ 1798.105)".into(), "Le droit de faire corriger des renseignements inexacts (§ 1798.106)".into(), "Le droit de refuser leur vente ou leur partage (opt-out, § 1798.120)".into(), "Le droit de limiter l'utilisation et la communication des renseignements personnels sensibles (§ 1798.121)".into(), "Le droit de ne pas subir de discrimination pour avoir exercé ces droits (§ 1798.125)".into()],
            }));
        }
        Some(Family::Lgpd) => {
            body.push_str(&format!("<p>{}</p>\n", intro("LGPD Art. 9, Art. 19(II)")));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(
                    lang,
                    "Complete declaration of your data (LGPD Art. 19(II))",
                    "Vollständige Erklärung über Ihre Daten (LGPD Art. 19(II))",
                    "Déclaration complète de vos données (LGPD art. 19(II))"
                )
            ));
            let heads = match lang {
                Lang::En => [
                    "System",
                    "Purpose (Art. 9(I))",
                    "Criteria used: legal basis (Art. 19(II))",
                    "Data",
                    "Shared use: with whom (Art. 9(V))",
                    "Form and duration (Art. 9(II))",
                    "Origin of the data (Art. 19(II))",
                ],
                Lang::De => [
                    "System",
                    "Zweck (Art. 9(I))",
                    "Verwendete Kriterien: Rechtsgrundlage (Art. 19(II))",
                    "Daten",
                    "Gemeinsame Nutzung: mit wem (Art. 9(V))",
                    "Art und Dauer (Art. 9(II))",
                    "Herkunft der Daten (Art. 19(II))",
                ],
                Lang::Fr => [
                    "Système",
                    "Finalité (art. 9(I))",
                    "Critères utilisés : base légale (art. 19(II))",
                    "Données",
                    "Usage partagé : avec qui (art. 9(V))",
                    "Forme et durée (art. 9(II))",
                    "Origine des données (art. 19(II))",
                ],
            };
            body.push_str(&table(l, heads, true));
            body.push_str(&format!(
                "<p>{}: {}</p>\n",
                t(
                    lang,
                    "Controller (Art. 9(III), (IV))",
                    "Verantwortlicher (Art. 9(III), (IV))",
                    "Responsable du traitement (art. 9(III), (IV))"
                ),
                escape(l.organisation)
            ));
            body.push_str(&transfers(
                l,
                t(
                    lang,
                    "International transfer (LGPD Art. 33)",
                    "Internationale Übermittlung (LGPD Art. 33)",
                    "Transfert international (LGPD art. 33)",
                ),
                "LGPD Art. 33",
            ));
            body.push_str(&automated(l, "LGPD Art. 20"));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(lang, "Your rights (LGPD Art. 18)", "Ihre Rechte (LGPD Art. 18)", "Vos droits (LGPD art. 18)")
            ));
            body.push_str(&rights(&match lang {
                Lang::En => vec![
                    "confirmation of processing and access (Art. 18(I), (II))".into(),
                    "correction of incomplete, inaccurate or outdated data (Art. 18(III))".into(),
                    "anonymisation, blocking or deletion of unnecessary or excessive data (Art. 18(IV))".into(),
                    "portability (Art. 18(V))".into(),
                    "deletion of data processed with your consent (Art. 18(VI))".into(),
                    "information about the public and private entities we share data with (Art. 18(VII))".into(),
                    "withdrawal of consent (Art. 18(IX))".into(),
                    "review of decisions taken solely on automated processing (Art. 20)".into(),
                    format!("to petition {authority} (Art. 18 §1)"),
                ],
                Lang::De => vec![
                    "Bestätigung der Verarbeitung und Zugang (Art. 18(I), (II))".into(),
                    "Berichtigung unvollständiger, unrichtiger oder veralteter Daten (Art. 18(III))".into(),
                    "Anonymisierung, Sperrung oder Löschung unnötiger oder übermäßiger Daten (Art. 18(IV))".into(),
                    "Datenübertragbarkeit (Art. 18(V))".into(),
                    "Löschung der mit Ihrer Einwilligung verarbeiteten Daten (Art. 18(VI))".into(),
                    "Auskunft über die öffentlichen und privaten Stellen, mit denen wir Daten teilen (Art. 18(VII))".into(),
                    "Widerruf der Einwilligung (Art. 18(IX))".into(),
                    "Überprüfung ausschließlich automatisierter Entscheidungen (Art. 20)".into(),
                    format!("Eingabe bei {authority} (Art. 18 §1)"),
                ],
                Lang::Fr => vec![
                    "Confirmation du traitement et accès (art. 18(I), (II))".into(),
                    "Correction de données incomplètes, inexactes ou périmées (art. 18(III))".into(),
                    "Anonymisation, blocage ou suppression de données inutiles ou excessives (art. 18(IV))".into(),
                    "Portabilité (art. 18(V))".into(),
                    "Suppression des données traitées avec votre consentement (art. 18(VI))".into(),
                    "Information sur les entités publiques et privées avec lesquelles nous partageons des données (art. 18(VII))".into(),
                    "Retrait du consentement (art. 18(IX))".into(),
                    "Révision des décisions fondées exclusivement sur un traitement automatisé (art. 20)".into(),
                    format!("Saisir {authority} (art. 18 §1)"),
                ],
            }));
        }
        Some(Family::Pipeda) => {
            body.push_str(&format!("<p>{}</p>\n", intro("PIPEDA, Schedule 1, Principle 4.9")));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(
                    lang,
                    "The existence, use and disclosure of your personal information (Principle 4.9)",
                    "Bestand, Verwendung und Weitergabe Ihrer personenbezogenen Informationen (Grundsatz 4.9)",
                    "L'existence, l'utilisation et la communication de vos renseignements personnels (principe 4.9)"
                )
            ));
            let heads = match lang {
                Lang::En => [
                    "System",
                    "How we use it",
                    "",
                    "Personal information",
                    "Third parties to which it has been disclosed (4.9.3)",
                    "How long we keep it",
                    "Source (4.9.1)",
                ],
                Lang::De => [
                    "System",
                    "Wie wir sie verwenden",
                    "",
                    "Personenbezogene Informationen",
                    "Dritte, an die sie weitergegeben wurden (4.9.3)",
                    "Speicherdauer",
                    "Herkunft (4.9.1)",
                ],
                Lang::Fr => [
                    "Système",
                    "Utilisation",
                    "",
                    "Renseignements personnels",
                    "Tiers à qui ils ont été communiqués (4.9.3)",
                    "Durée de conservation",
                    "Source (4.9.1)",
                ],
            };
            body.push_str(&table(l, heads, false));
            body.push_str(&format!("<h2>{}</h2>\n", t(lang, "Your rights", "Ihre Rechte", "Vos droits")));
            body.push_str(&rights(&match lang {
                Lang::En => vec![
                    "to challenge the accuracy and completeness of the information and have it amended (Principle 4.9.5)".into(),
                    format!("to file a complaint with {authority} (PIPEDA s. 11)"),
                ],
                Lang::De => vec![
                    "die Richtigkeit und Vollständigkeit der Informationen anzufechten und sie ändern zu lassen (Grundsatz 4.9.5)".into(),
                    format!("Beschwerde bei {authority} (PIPEDA s. 11)"),
                ],
                Lang::Fr => vec![
                    "Contester l'exactitude et l'intégralité des renseignements et les faire modifier (principe 4.9.5)".into(),
                    format!("Déposer une plainte auprès de {authority} (LPRPDE art. 11)"),
                ],
            }));
        }
        _ => {
            body.push_str(&format!("<p>{}</p>\n", intro(l.regime_name)));
            body.push_str(&format!(
                "<h2>{}</h2>\n",
                t(
                    lang,
                    "What we hold, why, who receives it, for how long, and where it came from",
                    "Was wir speichern, warum, wer es erhält, wie lange und woher",
                    "Ce que nous détenons, pourquoi, qui le reçoit, combien de temps et d'où cela vient"
                )
            ));
            let heads = match lang {
                Lang::En => ["System", "Purposes", "", "Categories of data", "Recipients", "How long we keep it", "Source"],
                Lang::De => ["System", "Zwecke", "", "Datenkategorien", "Empfänger", "Speicherdauer", "Herkunft"],
                Lang::Fr => ["Système", "Finalités", "", "Catégories de données", "Destinataires", "Durée de conservation", "Source"],
            };
            body.push_str(&table(l, heads, false));
            body.push_str(&format!("<h2>{}</h2>\n", t(lang, "Your rights", "Ihre Rechte", "Vos droits")));
            body.push_str(&rights(&match lang {
                Lang::En => vec!["to have inaccurate data corrected".into(), format!("to complain to {authority}")],
                Lang::De => vec!["Berichtigung unrichtiger Daten".into(), format!("Beschwerde bei {authority}")],
                Lang::Fr => vec!["Faire rectifier des données inexactes".into(), format!("Adresser une plainte à {authority}")],
            }));
        }
    }
    body.push_str(&format!("<p>{reply}</p>\n"));
    body.push_str(&package_contents(lang));
    let head = match lang {
        Lang::En => format!(
            "<p class=\"muted\">{} · {} · our reference {reference}</p>\n<h1>Your request: {what_short}</h1>\n<p>Dear {},</p>\n",
            escape(l.organisation),
            lang.date(l.date),
            escape(&r.subject.name)
        ),
        Lang::De => format!(
            "<p class=\"muted\">{} · {} · Vorgangsnummer {reference}</p>\n<h1>Ihre Anfrage: {what_short}</h1>\n<p>Guten Tag {},</p>\n",
            escape(l.organisation),
            lang.date(l.date),
            escape(&r.subject.name)
        ),
        Lang::Fr => format!(
            "<p class=\"muted\">{} · {} · notre référence {reference}</p>\n<h1>Votre demande : {what_short}</h1>\n<p>Bonjour {},</p>\n",
            escape(l.organisation),
            lang.date(l.date),
            escape(&r.subject.name)
        ),
    };
    let close = match lang {
        Lang::En => "Yours sincerely,",
        Lang::De => "Mit freundlichen Grüßen",
        Lang::Fr => "Veuillez agréer nos salutations distinguées,",
    };
    let body = format!("{head}{body}<p>{close}<br>{}</p>\n", escape(l.organisation));
    let title = match lang {
        Lang::En => format!("Your request {}", r.reference),
        Lang::De => format!("Ihre Anfrage {}", r.reference),
        Lang::Fr => format!("Votre demande {}", r.reference),
    };
    page_in(lang.as_str(), &title, &body)
}

//! What a package is made of, independent of where it comes from.
//!
//! The seam to the data map: [`PackageSources`] lists the systems that hold
//! the subject's data (with their purposes, categories, recipients, retention
//! and source, for the cover letter), the evidence files collected from them,
//! and structured records per category. [`sources_for`] fills it from what the
//! register itself knows (the subject's requests); [`crate::packages::workspace`] adds
//! the data map's systems and the evidence collected on the request, and the
//! CLI's `--evidence SYSTEM=PATH` adds plain files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::Request;

/// One system of the data map, as the cover letter describes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SystemSummary {
    pub name: String,
    pub purposes: Vec<String>,
    pub categories: Vec<String>,
    pub recipients: Vec<String>,
    pub retention: String,
    /// Where the data came from (Art. 15(1)(g)).
    pub source: String,
    pub legal_basis: String,
    /// The transfer safeguard recorded for the system (Art. 15(2)); none when not recorded (never read as "no transfer").
    pub transfers: Option<String>,
    /// Automated decision-making (Art. 15(1)(h)): `none`, or its logic, significance and consequences;
    /// none when not recorded (never read as "no automated decisions").
    pub automated_decisions: Option<String>,
    /// Where the data is held, as the data map records it (empty: not recorded).
    #[serde(default)]
    pub location: String,
    /// Facts the cover letter needs that the data map lacks for this system ([`FACTS`] keys).
    #[serde(default)]
    pub missing: Vec<String>,
}

/// The data-map facts a cover letter may need: (key, what the officer is told is missing).
pub const FACTS: [(&str, &str); 2] = [
    ("automated_decisions", "automated decision-making (none, or its logic, significance and consequences)"),
    ("transfer_safeguard", "the transfer safeguard for its location outside the EEA (or where it is held)"),
];

/// What is missing, as the officer is told: `the transfer safeguard …`.
pub fn fact_label(key: &str) -> &'static str {
    FACTS.iter().find(|(k, _)| *k == key).map_or("a fact", |(_, l)| l)
}

/// A file collected from a system (an export, a screenshot, a PDF).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// The system it came from; it goes under `evidence/<system>/`.
    pub system: String,
    pub source: EvidenceSource,
}

/// Where an evidence file's bytes are.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum EvidenceSource {
    /// A plain file on disk (the CLI's `--evidence SYSTEM=PATH`), streamed in.
    Path { path: PathBuf },
    /// A file collected on the request (`evidence`), stored encrypted:
    /// decrypted in memory while it is written into the ZIP, never to disk.
    Stored {
        id: String,
        /// Its safe display name, which becomes its name in the ZIP.
        name: String,
        bytes: u64,
    },
}

impl EvidenceFile {
    /// A plain file on disk.
    pub fn file(system: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        EvidenceFile { system: system.into(), source: EvidenceSource::Path { path: path.into() } }
    }

    /// A file stored on the request by the work feature.
    pub fn stored(system: impl Into<String>, evidence: &crate::evidence::Evidence) -> Self {
        EvidenceFile {
            system: system.into(),
            source: EvidenceSource::Stored { id: evidence.id.clone(), name: evidence.name.clone(), bytes: u64::from(evidence.size) },
        }
    }
}

/// Structured records of one category, written as JSON and as CSV.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryRecords {
    /// e.g. "Identity and contact".
    pub category: String,
    pub rows: Vec<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct PackageSources {
    pub systems: Vec<SystemSummary>,
    pub evidence: Vec<EvidenceFile>,
    pub records: Vec<CategoryRecords>,
}

fn request_record(r: &Request) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("reference".into(), r.reference.clone()),
        ("type".into(), r.request_type.as_str().into()),
        ("regime".into(), r.regime.clone()),
        ("jurisdiction".into(), r.jurisdiction.clone()),
        ("channel".into(), r.channel.as_str().into()),
        ("received_on".into(), r.received_on.to_string()),
        ("status".into(), r.status.as_str().into()),
        ("due".into(), r.due.map(|d| d.to_string()).unwrap_or_default()),
        ("notes".into(), r.notes.clone()),
    ])
}

/// The register as a system of its own in the cover letter, in `lang`, with
/// the legal basis under the request's own law (a GDPR article in an LGPD or
/// CCPA letter would be false).
pub fn register_system(regime: &str, lang: crate::domain::Lang) -> SystemSummary {
    use crate::domain::Lang;
    let t = |en: &str, de: &str, fr: &str| match lang {
        Lang::En => en.to_string(),
        Lang::De => de.to_string(),
        Lang::Fr => fr.to_string(),
    };
    SystemSummary {
        name: t("Data-subject request register", "Register der Betroffenenanfragen", "Registre des demandes des personnes concernées"),
        purposes: vec![t(
            "Handling your requests about your personal data and showing that we handled them as the law requires",
            "Bearbeitung Ihrer Anfragen zu Ihren personenbezogenen Daten und Nachweis, dass wir sie gesetzeskonform bearbeitet haben",
            "Traitement de vos demandes concernant vos données personnelles et preuve que nous les avons traitées comme la loi l'exige",
        )],
        categories: vec![
            t("Identity and contact data", "Identitäts- und Kontaktdaten", "Données d'identité et de contact"),
            t("Your requests and our handling of them", "Ihre Anfragen und deren Bearbeitung", "Vos demandes et leur traitement"),
        ],
        recipients: vec![t(
            "No one outside our organisation, unless a supervisory authority or court asks",
            "Niemand außerhalb unserer Organisation, es sei denn, eine Aufsichtsbehörde oder ein Gericht verlangt es",
            "Personne en dehors de notre organisation, sauf demande d'une autorité de contrôle ou d'un tribunal",
        )],
        retention: t(
            "As long as needed to show how each request was handled, then deleted under our retention schedule",
            "So lange, wie es nötig ist, um die Bearbeitung jeder Anfrage nachzuweisen; danach Löschung nach unserem Löschkonzept",
            "Aussi longtemps que nécessaire pour démontrer le traitement de chaque demande, puis suppression selon notre calendrier de conservation",
        ),
        source: t("You, when you made your request", "Sie selbst, mit Ihrer Anfrage", "Vous-même, lors de votre demande"),
        legal_basis: match regime {
            "eu-gdpr" => t(
                "Legal obligation (GDPR Art. 6(1)(c) with Art. 12 and 5(2))",
                "Rechtliche Verpflichtung (DSGVO Art. 6(1)(c) mit Art. 12 und 5(2))",
                "Obligation légale (RGPD Art. 6(1)(c) avec art. 12 et 5(2))",
            ),
            "uk-gdpr" => t(
                "Legal obligation (UK GDPR Art. 6(1)(c) with Art. 12 and 5(2))",
                "Rechtliche Verpflichtung (UK GDPR Art. 6(1)(c) mit Art. 12 und 5(2))",
                "Obligation légale (UK GDPR Art. 6(1)(c) avec art. 12 et 5(2))",
            ),
            "lgpd" => t(
                "Compliance with a legal obligation (LGPD Art. 7(II) with Art. 18)",
                "Erfüllung einer rechtlichen Verpflichtung (LGPD Art. 7(II) mit Art. 18)",
                "Respect d'une obligation légale (LGPD art. 7(II) avec art. 18)",
            ),
            _ => t("Handling your request as the law requires", "Bearbeitung Ihrer Anfrage wie gesetzlich vorgeschrieben", "Traitement de votre demande comme la loi l'exige"),
        },
        // Rightsdesk keeps the register on the organisation's own computer: it is not transferred.
        transfers: Some(t("none needed: not transferred", "nicht erforderlich: wird nicht übermittelt", "aucune n'est nécessaire : non transféré")),
        automated_decisions: Some("none".into()),
        location: t("On our own premises", "In unseren eigenen Räumen", "Dans nos propres locaux"),
        missing: Vec::new(),
    }
}

/// What the register itself holds about the subject of `request`: their
/// identity and contact data, and every request they made (`theirs`, which
/// includes `request`). The register is a system of its own in the letter.
pub fn sources_for(request: &Request, theirs: &[Request]) -> PackageSources {
    let mut identity =
        vec![BTreeMap::from([("field".to_string(), "name".to_string()), ("value".to_string(), request.subject.name.clone())])];
    if let Some(email) = &request.subject.email {
        identity.push(BTreeMap::from([("field".into(), "email".into()), ("value".into(), email.clone())]));
    }
    for id in &request.subject.identifiers {
        identity.push(BTreeMap::from([("field".into(), id.kind.clone()), ("value".into(), id.value.clone())]));
    }
    PackageSources {
        systems: vec![register_system(&request.regime, crate::domain::Lang::En)],
        evidence: Vec::new(),
        records: vec![
            CategoryRecords { category: "Identity and contact".into(), rows: identity },
            CategoryRecords { category: "Requests".into(), rows: theirs.iter().map(request_record).collect() },
        ],
    }
}

//! What a package is made of, independent of where it comes from.
//!
//! The seam to the data map: [`PackageSources`] lists the systems that hold
//! the subject's data (with their purposes, categories, recipients, retention
//! and source, for the cover letter), the evidence files collected from them,
//! and structured records per category. [`sources_for`] fills it from what the
//! register itself knows (the subject's requests); [`super::workspace`] adds
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
    /// Transfers outside the EEA and their safeguards (Art. 15(2)), if any.
    pub transfers: Option<String>,
    /// Automated decision-making (Art. 15(1)(h)), if any.
    pub automated_decisions: Option<String>,
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
    /// A file collected on the request (`work::evidence`), stored encrypted:
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
    pub fn stored(system: impl Into<String>, evidence: &crate::work::evidence::Evidence) -> Self {
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

/// What the register itself holds about the subject of `request`: their
/// identity and contact data, and every request they made (`theirs`, which
/// includes `request`). The register is a system of its own in the letter.
pub fn sources_for(request: &Request, theirs: &[Request]) -> PackageSources {
    let mut identity = vec![BTreeMap::from([
        ("field".to_string(), "name".to_string()),
        ("value".to_string(), request.subject.name.clone()),
    ])];
    if let Some(email) = &request.subject.email {
        identity.push(BTreeMap::from([("field".into(), "email".into()), ("value".into(), email.clone())]));
    }
    for id in &request.subject.identifiers {
        identity.push(BTreeMap::from([("field".into(), id.kind.clone()), ("value".into(), id.value.clone())]));
    }
    PackageSources {
        systems: vec![SystemSummary {
            name: "Data-subject request register".into(),
            purposes: vec!["Handling your requests about your personal data and showing that we handled them as the law requires".into()],
            categories: vec!["Identity and contact data".into(), "Your requests and our handling of them".into()],
            recipients: vec!["No one outside our organisation, unless a supervisory authority or court asks".into()],
            retention: "As long as needed to show how each request was handled, then deleted under our retention schedule".into(),
            source: "You, when you made your request".into(),
            legal_basis: "Legal obligation (GDPR Art. 6(1)(c) with Art. 12 and 5(2))".into(),
            transfers: None,
            automated_decisions: None,
        }],
        evidence: Vec::new(),
        records: vec![
            CategoryRecords { category: "Identity and contact".into(), rows: identity },
            CategoryRecords { category: "Requests".into(), rows: theirs.iter().map(request_record).collect() },
        ],
    }
}

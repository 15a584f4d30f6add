//! The answer package for an access or portability request: one ZIP with a
//! readable offline index, the cover letter (GDPR Art. 15(1)), the evidence
//! per system, the subject's data as JSON and as CSV per category, and a
//! manifest with the SHA-256 of every file. Optionally AES-256 encrypted.
//!
//! What goes in comes from [`PackageSources`] (the seam to the data map);
//! [`writer`] streams it into the ZIP (memory flat, whatever the size) through
//! [`crate::files::atomic`] (never a half-written ZIP under the final name);
//! [`verify`] reads a package back and recomputes every hash.

mod answer;
mod attach;
mod build;
mod data;
mod html;
mod letter;
mod passphrase;
mod purge;
mod sources;
mod statements;
mod verify;
mod workspace;
mod writer;

pub use answer::{send_answer, AnswerInput, AnswerOutcome, AnswerState};
pub use attach::{built_package, package_attachment, package_attachment_in, write_package, BuiltPackage};
pub use build::{
    build, build_in, contents, default_file_name, missing_facts, out_path, request_lang, MissingFact, PackageContents, PackageOptions,
    PackageProgress, PackageReport, PlannedEvidence,
};
pub use passphrase::{generate_passphrase, passphrase_entropy_bits, passphrase_words, PASSPHRASE_WORDS};
pub use purge::PackageFiles;
pub use sources::{fact_label, sources_for, CategoryRecords, EvidenceFile, EvidenceSource, PackageSources, SystemSummary, FACTS};
pub use statements::{state_fact, FactStatement};
pub use verify::{verify, CheckedFile, VerifyReport};
pub use workspace::{in_eea, sources_from_workspace, GENERAL};

/// The manifest's name inside the ZIP, and the `sha256sum -c` list beside it.
pub const MANIFEST: &str = "manifest.json";
pub const CHECKSUMS: &str = "SHA256SUMS";
/// The shortest passphrase accepted for an encrypted package.
pub const MIN_PASSPHRASE: usize = 12;

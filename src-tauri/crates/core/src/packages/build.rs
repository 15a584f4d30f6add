//! Building a package: gather, check, stream into a temporary ZIP, rename,
//! and record it on the request's timeline.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::domain::{Request, RequestId, RequestType};
use crate::error::{Error, Result};
use crate::files::atomic::AtomicFile;
use crate::files::destination::Overwrite;
use crate::packages::data::{csv_file, json_file, slug};
use crate::packages::html::{escape, href, page};
use crate::packages::letter::{cover_letter, needs_facts, LetterInput};
use crate::packages::sources::fact_label;
use crate::packages::sources::{sources_for, CategoryRecords, EvidenceFile, EvidenceSource, PackageSources, SystemSummary};
use crate::packages::writer::{is_already_compressed, Entry, PackageWriter};
use crate::packages::{CHECKSUMS, MANIFEST, MIN_PASSPHRASE};
use crate::requests;
use crate::requests::rows::RequestFilter;
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Db, Dialect, Store};

pub struct PackageOptions<'a> {
    pub out: &'a Path,
    /// AES-256 with this passphrase (shared with the subject out of band); none for a plain ZIP.
    pub passphrase: Option<&'a str>,
    /// Whether a file that appeared under `out` since the destination was checked may be
    /// replaced: `Refuse` unless the officer said `--force` or confirmed the save dialog.
    pub overwrite: Overwrite,
}

/// How far the writing has got, for a progress bar.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageProgress {
    /// The file being written into the package.
    pub file: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes_total: u64,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageReport {
    pub package_id: String,
    pub path: String,
    pub reference: String,
    /// Files listed in the manifest.
    pub files: u32,
    /// Their uncompressed size.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    pub encrypted: bool,
    pub manifest_sha256: String,
}

/// `DSR-2025-0001-package.zip`: the reference, never the subject's name.
pub fn default_file_name(reference: &str) -> String {
    format!("{reference}-package.zip")
}

fn safe_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let cleaned: String = name.chars().map(|c| if c.is_control() || matches!(c, '/' | '\\' | ':') { '_' } else { c }).collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// A stored evidence file that could not be read back names the file, not its content.
fn stored_error(name: &str, e: &Error) -> Error {
    match e {
        Error::Invalid { .. } => Error::invalid("evidence", format!("the stored file {name} is damaged or was changed")),
        other => Error::invalid("evidence", format!("the stored file {name} could not be read ({other})")),
    }
}

fn unique(path: String, used: &mut HashSet<String>) -> String {
    if used.insert(path.clone()) {
        return path;
    }
    let (stem, ext) = match path.rsplit_once('.') {
        Some((s, e)) if !s.ends_with('/') => (s.to_string(), format!(".{e}")),
        _ => (path.clone(), String::new()),
    };
    (2..).map(|n| format!("{stem}-{n}{ext}")).find(|p| used.insert(p.clone())).unwrap_or(path)
}

fn human_bytes(n: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let f = n as f64;
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KiB", f / 1024.0),
        1_048_576..=1_073_741_823 => format!("{:.1} MiB", f / 1_048_576.0),
        _ => format!("{:.2} GiB", f / 1_073_741_824.0),
    }
}

fn index_html(request: &Request, organisation: &str, data_files: &[(String, String, String)], entries: &[Entry]) -> String {
    let mut data = String::new();
    for (category, csv, json) in data_files {
        data.push_str(&format!("<li>{}: <a href=\"{}\">CSV</a> · <a href=\"{}\">JSON</a></li>\n", escape(category), href(csv), href(json)));
    }
    let mut evidence = String::new();
    let mut files = String::new();
    for e in entries {
        if e.path.starts_with("evidence/") {
            evidence.push_str(&format!("<li><a href=\"{}\">{}</a> ({})</li>\n", href(&e.path), escape(&e.path), human_bytes(e.bytes)));
        }
        files.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td><code>{}</code></td></tr>\n",
            href(&e.path),
            escape(&e.path),
            human_bytes(e.bytes),
            e.sha256
        ));
    }
    if evidence.is_empty() {
        evidence.push_str("<li class=\"muted\">No copies of records were needed beyond the data above.</li>\n");
    }
    let body = format!(
        "<p class=\"muted\">{org} · reference {reference}</p>\n<h1>Your personal data</h1>\n\
         <p>This package answers your request {reference}. Start with the <a href=\"cover-letter.html\">cover letter</a>: \
         it explains what we hold, why, for how long, who receives it, where it came from, and your rights.</p>\n\
         <h2>Your data, machine-readable</h2>\n<ul>\n{data}</ul>\n\
         <h2>Copies of records from our systems</h2>\n<ul>\n{evidence}</ul>\n\
         <h2>Every file and its fingerprint</h2>\n\
         <p>Each file's SHA-256 is listed here and in {manifest} and {sums}; the index itself is listed in those two.</p>\n\
         <table><thead><tr><th>File</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>\n{files}</tbody></table>\n",
        org = escape(organisation),
        reference = escape(&request.reference),
        manifest = MANIFEST,
        sums = CHECKSUMS,
    );
    page(&format!("Your personal data ({})", request.reference), &body)
}

/// One evidence file as it will appear in the package.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedEvidence {
    /// Its path inside the ZIP: `evidence/<system>/<name>`.
    pub path: String,
    pub system: String,
    pub name: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    /// Collected on the request and stored encrypted (else a plain file given to the CLI).
    pub stored: bool,
    /// Already compressed (PDF, image, archive …): stored in the ZIP as it is, not deflated again.
    pub kept_as_is: bool,
}

/// What a package of a request will hold, for the officer to check before building.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackageContents {
    pub reference: String,
    /// The systems the cover letter describes, the register first.
    pub systems: Vec<SystemSummary>,
    pub evidence: Vec<PlannedEvidence>,
    /// Facts the cover letter needs that the data map lacks (and no statement
    /// covers): the build is refused until each is filled in or stated.
    pub missing: Vec<MissingFact>,
    /// The request's tasks still open (neither done, exempt nor not held).
    pub open_tasks: u32,
    /// No evidence would go in while tasks are open: the package would likely
    /// miss what the systems hold, so the officer confirms before it is built
    /// (the app's "Build anyway", the CLI's `--allow-open-tasks`).
    pub warn_open_tasks: bool,
}

impl PackageContents {
    /// The warning behind [`PackageContents::warn_open_tasks`], in words (no personal data).
    pub fn open_tasks_warning(&self) -> Option<String> {
        self.warn_open_tasks.then(|| {
            format!(
                "{} has {} open task{} and no evidence would go into the package: the systems' data may be missing from it",
                self.reference,
                self.open_tasks,
                if self.open_tasks == 1 { "" } else { "s" }
            )
        })
    }
}

/// A fact the cover letter needs for a system that the data map does not record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MissingFact {
    pub system: String,
    /// `automated_decisions` or `transfer_safeguard` (a data-map field).
    pub fact: String,
    /// What is missing, in words.
    pub label: String,
}

/// The language of a request's letters when none is chosen: the mail
/// settings' default language (as for every other letter), else English.
pub fn request_lang<'a>(store: impl Into<Store<'a>>) -> Result<crate::domain::Lang> {
    Ok(crate::settings::mail::load(store)?.map(|s| s.default_lang).unwrap_or_default())
}

/// The facts the letter of `request` needs that `sources` lacks, by system.
pub fn missing_facts(request: &Request, sources: &PackageSources) -> Vec<MissingFact> {
    if !needs_facts(crate::letters::templates::Family::of_regime(&request.regime)) {
        return Vec::new();
    }
    sources
        .systems
        .iter()
        .flat_map(|s| s.missing.iter().map(|f| MissingFact { system: s.name.clone(), fact: f.clone(), label: fact_label(f).to_string() }))
        .collect()
}

/// Applies the officer's recorded statements to the systems they name.
fn apply_statements(store: Store<'_>, request: &Request, sources: &mut PackageSources) -> Result<usize> {
    let statements = store.read(|c| crate::packages::statements::for_request(c, &request.id))?;
    let mut used = 0;
    for st in &statements {
        for s in sources.systems.iter_mut().filter(|s| s.name.trim().eq_ignore_ascii_case(st.system.trim())) {
            match st.fact.as_str() {
                "automated_decisions" => s.automated_decisions = Some(st.statement.clone()),
                "transfer_safeguard" => s.transfers = Some(st.statement.clone()),
                _ => continue,
            }
            s.missing.retain(|f| f != &st.fact);
            used += 1;
        }
    }
    Ok(used)
}

/// The request, and everything its package is made of: what the register
/// holds, plus `extra` (the data map's systems, evidence, records).
fn gather(db: Store<'_>, clock: &dyn Clock, id: &str, extra: PackageSources) -> Result<(Request, PackageSources)> {
    let detail = requests::detail(db, clock, id)?;
    let request = detail.request;
    if !matches!(request.request_type, RequestType::Access | RequestType::Portability) {
        return Err(Error::invalid("type", "an answer package is built for access and portability requests"));
    }
    // The subject's other requests are data we hold about them too.
    let theirs: Vec<Request> = match &request.subject.email {
        Some(email) => {
            requests::list(db, clock, &RequestFilter { search: Some(email.clone()), limit: Some(10_000), ..Default::default() })?
                .into_iter()
                .filter(|r| r.subject.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(email)))
                .collect()
        }
        None => vec![request.clone()],
    };
    let mut sources = sources_for(&request, &theirs);
    sources.records.push(CategoryRecords {
        category: "Request history".into(),
        rows: detail
            .timeline
            .iter()
            .map(|e| BTreeMap::from([("at".into(), e.at.to_rfc3339()), ("event".into(), e.summary.clone())]))
            .collect(),
    });
    sources.systems.extend(extra.systems);
    sources.evidence.extend(extra.evidence);
    sources.records.extend(extra.records);
    Ok((request, sources))
}

/// Where each evidence file goes in the ZIP and how large it is; a plain file
/// that is missing or not a file is refused here, before the ZIP is started.
fn plan_evidence(files: &[EvidenceFile]) -> Result<Vec<PlannedEvidence>> {
    let mut used = HashSet::new();
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let (name, bytes, stored) = match &file.source {
            EvidenceSource::Path { path } => {
                let meta = std::fs::metadata(path).map_err(|e| {
                    Error::Io(std::io::Error::new(e.kind(), format!("evidence file {} could not be read: {e}", path.display())))
                })?;
                if !meta.is_file() {
                    return Err(Error::invalid("evidence", format!("{} is not a file", path.display())));
                }
                (safe_name(path), meta.len(), false)
            }
            EvidenceSource::Stored { name, bytes, .. } => (safe_name(Path::new(name)), *bytes, true),
        };
        let path = unique(format!("evidence/{}/{}", slug(&file.system), name), &mut used);
        let kept_as_is = is_already_compressed(&path);
        planned.push(PlannedEvidence { path, system: file.system.clone(), name, bytes, stored, kept_as_is });
    }
    Ok(planned)
}

/// What building the package of request `id` with `extra` would put in it.
pub fn contents<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, extra: PackageSources) -> Result<PackageContents> {
    let db = store.into();
    let (request, mut sources) = gather(db, clock, id, extra)?;
    apply_statements(db, &request, &mut sources)?;
    let evidence = plan_evidence(&sources.evidence)?;
    let missing = missing_facts(&request, &sources);
    let open_tasks =
        crate::tasks::list(db, request.id.as_str())?.iter().filter(|t| t.status == crate::tasks::TaskStatus::Open).count() as u32;
    let warn_open_tasks = open_tasks > 0 && evidence.is_empty();
    Ok(PackageContents { reference: request.reference, systems: sources.systems, evidence, missing, open_tasks, warn_open_tasks })
}

/// Builds the package for request `id` (its UUID or reference) at `options.out`.
/// `extra` adds the data map's systems, evidence and records to what the register
/// holds ([`crate::packages::sources_from_workspace`] gives the workspace's).
pub fn build<'a>(
    db: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    extra: PackageSources,
    options: &PackageOptions<'_>,
    actor: &str,
    progress: &mut dyn FnMut(&PackageProgress),
) -> Result<PackageReport> {
    build_in(db, clock, id, extra, options, None, actor, progress)
}

/// [`build`] with the cover letter in `lang` (none: the letters' default language, see [`request_lang`]).
/// Refused, naming each system and fact, while the letter would need a fact the
/// data map lacks and the officer has not stated ([`crate::packages::state_fact`]).
#[allow(clippy::too_many_arguments)]
pub fn build_in<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &RequestId,
    extra: PackageSources,
    options: &PackageOptions<'_>,
    lang: Option<crate::domain::Lang>,
    actor: &str,
    progress: &mut dyn FnMut(&PackageProgress),
) -> Result<PackageReport> {
    let db = store.into();
    if let Some(p) = options.passphrase {
        if p.chars().count() < MIN_PASSPHRASE {
            return Err(Error::invalid("passphrase", format!("is shorter than {MIN_PASSPHRASE} characters")));
        }
    }
    let (request, mut sources) = gather(db, clock, id.as_str(), extra)?;
    let stated = apply_statements(db, &request, &mut sources)?;
    let missing = missing_facts(&request, &sources);
    if !missing.is_empty() {
        let named: Vec<String> = missing.iter().map(|m| format!("{}: {}", m.system, m.label)).collect();
        return Err(Error::invalid(
            "datamap",
            format!(
                "the cover letter needs facts the data map does not record — {}. Fill them in on the data map, or state them \
                 for this request (rightsdesk package ID --state \"SYSTEM:FACT=STATEMENT\", FACT being automated_decisions \
                 or transfer_safeguard)",
                named.join("; ")
            ),
        ));
    }
    let lang = match lang {
        Some(l) => l,
        None => request_lang(db)?,
    };
    // The register describes itself in the letter's language.
    if let Some(register) = sources.systems.first_mut() {
        *register = crate::packages::sources::register_system(&request.regime, lang);
    }

    let organisation = db.read(|c| settings::get(c, settings::ORG_NAME))?.unwrap_or_else(|| "The data protection team".to_string());
    let regime_name = crate::deadlines::regime(&request.regime).map_or(request.regime.clone(), |r| r.name.clone());
    let now = clock.now();

    // Everything generated in memory first (small), and every evidence file checked, before the ZIP is started.
    let letter = cover_letter(&LetterInput {
        request: &request,
        regime_name: &regime_name,
        organisation: &organisation,
        date: clock.today(request.time_zone.parse().unwrap_or(chrono_tz::Tz::UTC)),
        systems: &sources.systems,
        lang,
    });
    let mut used = HashSet::new();
    let mut generated: Vec<(String, Vec<u8>)> = vec![("cover-letter.html".into(), letter.into_bytes())];
    let mut data_files = Vec::new();
    let json_path = unique("data/your-data.json".into(), &mut used);
    generated.push((json_path.clone(), json_file(&request.reference, &sources.records)?));
    for category in &sources.records {
        let csv_path = unique(format!("data/{}.csv", slug(&category.category)), &mut used);
        generated.push((csv_path.clone(), csv_file(category)?));
        data_files.push((category.category.clone(), csv_path, json_path.clone()));
    }
    let evidence = plan_evidence(&sources.evidence)?;
    let bytes_total: u64 = generated.iter().map(|(_, b)| b.len() as u64).sum::<u64>() + evidence.iter().map(|e| e.bytes).sum::<u64>();

    let mut out = AtomicFile::create(options.out)?;
    let mut done = 0u64;
    let mut last_reported = 0u64;
    let mut on_bytes = |n: u64, file: &str| {
        done += n;
        // At most one report per MiB (and one per file start), so a UI is not flooded.
        if done - last_reported >= 1 << 20 || done == n {
            last_reported = done;
            progress(&PackageProgress { file: file.into(), bytes_done: done, bytes_total, done: false });
        }
    };
    let target = options.out.to_path_buf();
    let entries = {
        let mut w = PackageWriter::new(out.file(), &target, options.passphrase, now.naive_utc(), &mut on_bytes);
        for (path, bytes) in &generated {
            w.add_bytes(path, bytes)?;
        }
        for (planned, file) in evidence.iter().zip(&sources.evidence) {
            match &file.source {
                EvidenceSource::Path { path } => w.add_file(&planned.path, path)?,
                EvidenceSource::Stored { id, name, .. } => {
                    // Decrypted chunk by chunk straight into the ZIP: never on disk in plain text, memory flat.
                    let (stored, mut reader) = crate::evidence::open(db, id).map_err(|e| stored_error(name, &e))?;
                    w.add_reader(&planned.path, &mut reader, u64::from(stored.size), name)?;
                }
            }
        }
        let index = index_html(&request, &organisation, &data_files, &w.entries);
        w.add_bytes("index.html", index.as_bytes())?;
        let manifest = json!({
            "format": "rightsdesk-package/1",
            "reference": request.reference,
            "request_id": request.id,
            "created_at": now.to_rfc3339(),
            "encrypted": options.passphrase.is_some(),
            "files": w.entries,
        });
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
        let sums: String = w.entries.iter().map(|e| format!("{}  {}\n", e.sha256, e.path)).collect();
        w.add_unlisted(MANIFEST, &manifest)?;
        w.add_unlisted(CHECKSUMS, sums.as_bytes())?;
        let manifest_sha256 = format!("{:x}", Sha256::digest(&manifest));
        (w.finish()?, manifest_sha256)
    };
    let (entries, manifest_sha256) = entries;

    let files = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    let bytes: u64 = entries.iter().map(|e| e.bytes).sum();
    let package_id = uuid::Uuid::now_v7().to_string();
    let file_name = options.out.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let encrypted = options.passphrase.is_some();
    // The row, its event and (on a team register) the kept copy commit together, and the ZIP
    // takes its name last inside that transaction: a build refused by the server (an auditor's)
    // or killed midway leaves no file, no row and no kept copy.
    db.write(|tx| {
        tx.execute(
            "INSERT INTO packages (id, request_id, file_name, manifest_sha256, files, bytes, encrypted, created_at, actor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[
                &package_id,
                &request.id,
                &file_name,
                &manifest_sha256,
                &files,
                &i64::try_from(bytes).unwrap_or(i64::MAX),
                &i64::from(encrypted),
                &now.to_rfc3339(),
                &actor,
            ],
        )?;
        // On a team register the ZIP is kept in the database too, sealed like a stored file,
        // so the other officers find it for the response letter.
        let kept = match tx.dialect() {
            Dialect::Postgres => Some(crate::evidence::place::keep_package(tx, &manifest_sha256, out.temp_path())?),
            Dialect::Sqlite => None,
        };
        let mut data = json!({ "package": package_id, "file_name": file_name, "manifest_sha256": manifest_sha256, "encrypted": encrypted, "lang": lang.as_str(), "facts_stated": stated });
        if let Some((zip_sha256, zip_bytes)) = &kept {
            data["kept"] = json!({ "zip_sha256": zip_sha256, "zip_bytes": zip_bytes });
        }
        events::append(
            tx,
            Some(&request.id),
            now,
            actor,
            NewEvent {
                kind: EventKind::PackageBuilt,
                summary: format!(
                    "Answer package built: {files} files, {}{}{}",
                    human_bytes(bytes),
                    if encrypted { ", AES-256 encrypted" } else { ", not encrypted" },
                    if kept.is_some() { ", kept in the team register" } else { "" }
                ),
                data,
            },
        )?;
        out.commit_as(options.overwrite)
    })?;
    progress(&PackageProgress { file: String::new(), bytes_done: bytes_total, bytes_total, done: true });
    Ok(PackageReport {
        package_id,
        path: options.out.display().to_string(),
        reference: request.reference,
        files,
        bytes,
        encrypted,
        manifest_sha256,
    })
}

/// Where to write the package of request `id`: `out` as given, or, when empty,
/// `packages/<reference>-package.zip` in the folder that holds the database.
pub fn out_path(db: &Db, clock: &dyn Clock, id: &RequestId, out: &str) -> Result<std::path::PathBuf> {
    let out = out.trim();
    if !out.is_empty() {
        return Ok(std::path::PathBuf::from(out));
    }
    let reference = requests::detail(db, clock, id.as_str())?.request.reference;
    let dir = db.path().parent().unwrap_or(Path::new(".")).join("packages");
    std::fs::create_dir_all(&dir).map_err(|e| crate::files::atomic::write_error(&dir, &e))?;
    Ok(dir.join(default_file_name(&reference)))
}

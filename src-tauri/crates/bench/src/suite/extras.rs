//! The register's bulk paths, through the same core calls as the app's import
//! and export screens: CSV import of as many requests as the data set holds
//! (into a fresh database, one transaction, every row validated and dated) and
//! the register exported to CSV. Targets at 100,000: import < 5 s, export < 2 s.

use rightsdesk_core::import::{self, ImportOptions};
use rightsdesk_core::register::{self, ExportFormat};
use rightsdesk_core::Result;

use super::register::inputs;
use super::Target;
use crate::report::Figure;
use crate::timing::once;

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    let dir = std::env::temp_dir().join(format!("rightsdesk-bench-extras-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = (|| {
        let mut figures = vec![export(t, &dir)?];
        figures.push(import(t, &dir)?);
        Ok(figures)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The CSV import alone, into a fresh database in the temporary folder.
pub fn import_only(t: &Target<'_>) -> Result<Vec<Figure>> {
    let dir = std::env::temp_dir().join(format!("rightsdesk-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = import(t, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(vec![result?])
}

fn export(t: &Target<'_>, dir: &std::path::Path) -> Result<Figure> {
    let out = dir.join("register.csv");
    let out_text = out.display().to_string();
    let (ms, result) = once(|| register::export_to_file(t.db, &t.clock, ExportFormat::Csv, &out_text));
    let written = result?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    Ok(Figure::new("register export to CSV", Some(t.size), "total", ms / 1e3, "s", Some(2.0)).note(&format!(
        "{} requests, {:.1} MB",
        written.requests,
        bytes as f64 / 1e6
    )))
}

/// A CSV file of `n` requests (the `first`th onwards) as a web form's export would give them.
pub fn csv(first: u64, n: u64) -> Vec<u8> {
    let mut out = String::from("name,email,type,regime,jurisdiction,received,channel\n");
    for (i, r) in inputs(11 + first, n).into_iter().enumerate() {
        let i = first + i as u64;
        // Unique addresses: the import refuses (or skips) duplicates of the same subject and type.
        let email = r.subject_email.replacen('@', &format!("+{i}@"), 1);
        out.push_str(&format!(
            "\"{}\",{email},{},{},{},{},{}\n",
            r.subject_name.replace('"', "\"\""),
            r.request_type,
            r.regime,
            r.jurisdiction,
            r.received,
            r.channel.map_or("", |c| c.as_str())
        ));
    }
    out.into_bytes()
}

/// The most rows the import takes in one file (it asks for larger files to be split).
const FILE_ROWS: u64 = 50_000;

fn import(t: &Target<'_>, dir: &std::path::Path) -> Result<Figure> {
    let db = super::open(&dir.join("import.sqlite3"), t.key)?;
    let options = ImportOptions { skip_duplicates: true, ..Default::default() };
    let (mut ms, mut imported, mut mb, mut files) = (0.0, 0, 0.0, 0);
    let mut done = 0;
    while done < t.size {
        let rows = FILE_ROWS.min(t.size - done);
        let bytes = csv(done, rows);
        let (took, result) = once(|| import::commit(&db, &t.clock, "requests.csv", &bytes, &options, "bench"));
        imported += result?.imported;
        ms += took;
        mb += bytes.len() as f64 / 1e6;
        files += 1;
        done += rows;
    }
    Ok(Figure::new("CSV import", Some(t.size), "total", ms / 1e3, "s", Some(5.0))
        .reason(
            "each row is still inserted into the requests table, its UNIQUE keys and its event, and linked into the audit \
             chain (its state hashed on a second thread, which makes the rows ready while the writer writes); the secondary \
             indexes are built again after the first file (into the empty register) and added to row by row for the second; \
             each file writes some 135 MB of encrypted pages to the WAL at its commit, and the search index takes a tenth of \
             the time: encryption, the kernel's writes, SQLite",
        )
        .note(&format!(
        "{imported} rows imported into an empty database, {files} file(s) of at most {FILE_ROWS} rows (the import's limit), {mb:.1} MB of CSV"
    )))
}

//! Diagnosis, not targets: the same operations with one setting changed, to
//! show where the time of a missed target goes and what a fix would buy.
//! Figures are "info"; the settings are changed on the benchmark's own
//! connection only and restored after.

use rightsdesk_core::requests;
use rightsdesk_core::Result;

use super::{dashboard, list, percentiles, register, Target};
use crate::report::Figure;
use crate::timing::measure;

fn pragma(t: &Target<'_>, sql: &str) -> Result<()> {
    t.db.read(|c| Ok(c.execute_batch(sql)?))
}

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    // SQLCipher decrypts every page it reads into SQLite's page cache (2 MB by
    // default); a search that walks a 10 MB index decrypts it again each time.
    pragma(t, "PRAGMA cache_size = -65536;")?;
    let email = list::cases(t)?.into_iter().find(|(name, _)| name.contains("email"));
    if let Some((name, filter)) = email {
        let _ = requests::list(t.db, &t.clock, &filter)?;
        let s = measure(t.effort.warmup, t.effort.samples, |_| requests::list(t.db, &t.clock, &filter));
        let mut f = percentiles(&format!("diagnosis: {name}, 64 MB page cache"), t.size, s, None, None);
        f[0].note = "info: the default cache is 2 MB; see ARCHITECTURE.md".into();
        figures.extend(f);
    }
    let s = measure(t.effort.warmup, t.effort.samples, |_| dashboard::counts(t));
    figures.extend(percentiles("diagnosis: dashboard counts, 64 MB page cache", t.size, s, None, None));
    pragma(t, "PRAGMA cache_size = -2000;")?;
    // The same registrations again, later in the run: how far two runs of one
    // measurement differ. (This line once turned the writer's automatic WAL
    // checkpoint off; since the checkpoints moved to a background connection
    // (issue 21) the writer's is off in both, so it would measure nothing else.)
    let mut again = register::run_with(t, "diagnosis: register 1,000 again, after the other benchmarks", "", None)?;
    for f in &mut again {
        f.note = format!("info: the same 1,000 registrations as the target's line; {}", f.note);
    }
    figures.extend(again);
    Ok(figures)
}

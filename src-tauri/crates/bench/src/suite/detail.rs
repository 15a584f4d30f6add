//! One request with its timeline (`requests::detail`), by id and by
//! reference, for requests spread over the whole data set. Target: < 1 ms.

use rightsdesk_core::requests;
use rightsdesk_core::Result;

use super::{percentiles, Target};
use crate::report::Figure;
use crate::timing::measure;

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    let (ids, refs) = t.db.read(|c| {
        let step = (t.size / 200).max(1) as i64;
        let mut stmt = c.prepare("SELECT id, reference FROM requests WHERE number % ?1 = 0 ORDER BY number")?;
        let rows = stmt.query_map([step], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let pairs = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(pairs.into_iter().unzip::<_, _, Vec<_>, Vec<_>>())
    })?;
    let events: usize =
        ids.iter().take(20).map(|id| requests::detail(t.db, &t.clock, id).map(|d| d.timeline.len())).sum::<Result<usize>>()?;
    let by_id = measure(t.effort.warmup, t.effort.samples, |i| requests::detail(t.db, &t.clock, &ids[i % ids.len()]));
    let by_ref = measure(t.effort.warmup, t.effort.samples, |i| requests::detail(t.db, &t.clock, &refs[i % refs.len()]));
    let mut figures = percentiles("detail: request + timeline, by id", t.size, by_id, Some(1.0), None);
    figures[0].note = format!("about {} timeline events each", events / ids.len().clamp(1, 20));
    figures.extend(percentiles("detail: request + timeline, by reference", t.size, by_ref, Some(1.0), None));
    Ok(figures)
}

//! The yearly figures a regulator asks for, and the monthly series the app charts.
//!
//! CCPA regulations §7102(a): a business handling the personal information of
//! 10 million or more consumers a year publishes, per type of request, the
//! number received, complied with in whole or in part, and denied, and the
//! median or mean number of days within which it substantively responded. We
//! give both the median and the mean. A request counts in the year it was
//! received; "complied with in whole or in part" is a request completed,
//! "denied" one refused; days are calendar days from receipt to the closing
//! status change (in the organisation's local dates).

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::domain::{RequestType, Status};
use crate::error::{Error, Result};
use crate::store::Store;

/// One type of request in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TypeFigures {
    /// A request type's name (`access`, `erasure`…) or `all` for the total.
    pub request_type: String,
    pub label: String,
    pub received: u32,
    pub complied_in_whole_or_in_part: u32,
    pub denied: u32,
    /// Withdrawn by the subject or closed as a duplicate.
    pub withdrawn_or_duplicate: u32,
    pub still_open: u32,
    /// Over requests complied with or denied; none when there are none.
    pub median_days_to_respond: Option<f64>,
    pub mean_days_to_respond: Option<f64>,
}

/// One month of the year, for the charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// Requests received that month.
    pub received: u32,
    /// Of those, answered (closed) so far.
    pub answered: u32,
    /// Of those answered, on or before the due date in force.
    pub answered_on_time: u32,
    /// `answered_on_time / answered`, none when nothing was answered.
    pub on_time_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct YearMetrics {
    pub year: i32,
    /// Types with at least one request that year, in the order of [`RequestType::ALL`].
    pub by_type: Vec<TypeFigures>,
    pub total: TypeFigures,
    /// January to December.
    pub months: Vec<MonthFigures>,
    /// The day the figures were computed (open requests may still close).
    pub as_of: String,
}

/// What the figures read of one request (the register export's columns of the same names).
struct Counted {
    request_type: String,
    status: String,
    received_on: NaiveDate,
    /// The local date it was closed, for a closed request.
    closed_on: Option<NaiveDate>,
    days_to_respond: Option<i64>,
    /// Closed on or before the legal due date; none when open or without one.
    on_time: Option<bool>,
}

/// A request's type, status, date of receipt, legal due date and closing date, as stored.
type StoredRow = (String, String, String, Option<String>, Option<String>);

/// The requests received in `year`, on either store: the text dates compare as dates.
fn received_in<'a>(store: impl Into<Store<'a>>, year: i32) -> Result<Vec<Counted>> {
    let rows: Vec<StoredRow> = store.into().read(|c| {
        c.query_map(
            "SELECT request_type, status, received_on, due, closed_on FROM requests \
             WHERE received_on >= ?1 AND received_on <= ?2 ORDER BY number",
            &[&format!("{year:04}-01-01"), &format!("{year:04}-12-31")],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
    })?;
    let corrupt = |field: &str| Error::Internal(format!("a stored request has an unreadable {field}"));
    rows.into_iter()
        .map(|(request_type, status, received_on, due, closed)| {
            let date = |s: &str, field: &str| s.parse::<NaiveDate>().map_err(|_| corrupt(field));
            let received_on = date(&received_on, "date of receipt")?;
            let due = due.as_deref().map(|d| date(d, "due date")).transpose()?;
            let closed_on = match status.parse::<Status>() {
                Ok(s) if s.is_closed() => closed.as_deref().map(|d| date(d, "closing date")).transpose()?,
                _ => None,
            };
            Ok(Counted {
                days_to_respond: closed_on.map(|d| (d - received_on).num_days()),
                on_time: match (closed_on, due) {
                    (Some(c), Some(d)) => Some(c <= d),
                    _ => None,
                },
                request_type,
                status,
                received_on,
                closed_on,
            })
        })
        .collect()
}

fn figures(request_type: &str, label: &str, rows: &[&Counted]) -> TypeFigures {
    let count = |status: &str| u32::try_from(rows.iter().filter(|r| r.status == status).count()).unwrap_or(u32::MAX);
    let mut days: Vec<i64> =
        rows.iter().filter(|r| r.status == "completed" || r.status == "refused").filter_map(|r| r.days_to_respond).collect();
    days.sort_unstable();
    #[allow(clippy::cast_precision_loss)]
    let (median, mean) = if days.is_empty() {
        (None, None)
    } else {
        let n = days.len();
        let median = if n % 2 == 1 { days[n / 2] as f64 } else { (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0 };
        let mean = days.iter().sum::<i64>() as f64 / n as f64;
        (Some(median), Some((mean * 10.0).round() / 10.0))
    };
    TypeFigures {
        request_type: request_type.into(),
        label: label.into(),
        received: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        complied_in_whole_or_in_part: count("completed"),
        denied: count("refused"),
        withdrawn_or_duplicate: count("withdrawn") + count("duplicate"),
        still_open: u32::try_from(rows.iter().filter(|r| r.closed_on.is_none()).count()).unwrap_or(u32::MAX),
        median_days_to_respond: median,
        mean_days_to_respond: mean,
    }
}

/// The figures of the requests received in `year`, on either store (an auditor may read them).
pub fn year_metrics<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, year: i32) -> Result<YearMetrics> {
    if !(2000..=9999).contains(&year) {
        return Err(Error::invalid("year", "is a four-digit year from 2000"));
    }
    let rows = received_in(store, year)?;
    let in_year: Vec<&Counted> = rows.iter().filter(|r| r.received_on.year() == year).collect();
    let by_type = RequestType::ALL
        .iter()
        .filter_map(|t| {
            let of_type: Vec<&Counted> = in_year.iter().copied().filter(|r| r.request_type == t.as_str()).collect();
            (!of_type.is_empty()).then(|| figures(t.as_str(), t.label(), &of_type))
        })
        .collect();
    let mut by_month: BTreeMap<u32, Vec<&Counted>> = (1..=12).map(|m| (m, Vec::new())).collect();
    for r in &in_year {
        by_month.entry(r.received_on.month()).or_default().push(r);
    }
    let months = by_month
        .into_iter()
        .map(|(m, rs)| {
            let answered = rs.iter().filter(|r| r.closed_on.is_some() && r.on_time.is_some()).count();
            let on_time = rs.iter().filter(|r| r.on_time == Some(true)).count();
            #[allow(clippy::cast_precision_loss)]
            let rate = (answered > 0).then(|| on_time as f64 / answered as f64);
            MonthFigures {
                month: format!("{year}-{m:02}"),
                received: u32::try_from(rs.len()).unwrap_or(u32::MAX),
                answered: u32::try_from(answered).unwrap_or(u32::MAX),
                answered_on_time: u32::try_from(on_time).unwrap_or(u32::MAX),
                on_time_rate: rate,
            }
        })
        .collect();
    Ok(YearMetrics { year, by_type, total: figures("all", "All requests", &in_year), months, as_of: clock.now().date_naive().to_string() })
}

/// The yearly figures as CSV, one line per request type and one for all.
pub fn metrics_csv(m: &YearMetrics, out: &mut dyn std::io::Write) -> Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let io = |e: csv::Error| Error::Internal(format!("CSV: {e}"));
    w.write_record([
        "year",
        "request_type",
        "received",
        "complied_in_whole_or_in_part",
        "denied",
        "withdrawn_or_duplicate",
        "still_open",
        "median_days_to_respond",
        "mean_days_to_respond",
    ])
    .map_err(io)?;
    let num = |v: Option<f64>| v.map(|d| format!("{d}")).unwrap_or_default();
    for f in m.by_type.iter().chain(std::iter::once(&m.total)) {
        w.write_record([
            m.year.to_string(),
            f.request_type.clone(),
            f.received.to_string(),
            f.complied_in_whole_or_in_part.to_string(),
            f.denied.to_string(),
            f.withdrawn_or_duplicate.to_string(),
            f.still_open.to_string(),
            num(f.median_days_to_respond),
            num(f.mean_days_to_respond),
        ])
        .map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the yearly figures as CSV to `out` atomically; an empty `out` means
/// `exports/figures-<year>.csv` in the folder that holds the database (a team register has
/// no such folder: there `out` must name the file).
pub fn metrics_to_file<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, year: i32, out: &str) -> Result<super::ExportResult> {
    let store = store.into();
    let m = year_metrics(store, clock, year)?;
    let path = if out.trim().is_empty() {
        let Store::Sqlite(db) = store else {
            return Err(Error::invalid("out", "names the file to write: a team register has no folder of its own"));
        };
        let dir = db.path().parent().unwrap_or(std::path::Path::new(".")).join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| crate::files::atomic::write_error(&dir, &e))?;
        dir.join(format!("figures-{year}.csv"))
    } else {
        std::path::PathBuf::from(out.trim())
    };
    crate::files::atomic::write_with(&path, |f| metrics_csv(&m, f))?;
    Ok(super::ExportResult { path: path.display().to_string(), requests: m.total.received })
}

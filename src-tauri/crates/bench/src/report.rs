//! The figures: each measurement beside its target, printed as a table and
//! kept in `target/bench-results.json` and `target/bench-results.md`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One measured (or not yet measurable) figure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    /// What was measured, e.g. "list: first page by due date".
    pub bench: String,
    /// Requests in the database (none where size does not apply).
    pub size: Option<u64>,
    /// p50, p95, total, PSS ...
    pub metric: String,
    pub value: Option<f64>,
    pub unit: String,
    /// The target as the issue states it, e.g. "< 5 ms" (none: shown for growth only).
    pub target: Option<f64>,
    /// met, MISSED, info, not measured
    pub verdict: String,
    pub note: String,
    /// Why the target is missed where the benchmark knows (printed with a miss).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Figure {
    /// A measured value against a target "below `target`"; `target` none: for information.
    pub fn new(bench: &str, size: Option<u64>, metric: &str, value: f64, unit: &str, target: Option<f64>) -> Figure {
        let verdict = match target {
            Some(t) if value < t => "met",
            Some(_) => "MISSED",
            None => "info",
        };
        Figure {
            bench: bench.into(),
            size,
            metric: metric.into(),
            value: Some(value),
            unit: unit.into(),
            target,
            verdict: verdict.into(),
            note: String::new(),
            reason: String::new(),
        }
    }

    /// A figure that cannot be measured yet, and why.
    pub fn not_measured(bench: &str, size: Option<u64>, metric: &str, unit: &str, target: Option<f64>, why: &str) -> Figure {
        Figure {
            bench: bench.into(),
            size,
            metric: metric.into(),
            value: None,
            unit: unit.into(),
            target,
            verdict: "not measured".into(),
            note: why.into(),
            reason: String::new(),
        }
    }

    pub fn note(mut self, note: &str) -> Figure {
        self.note = note.into();
        self
    }

    /// What keeps the figure above its target, printed only when it is.
    pub fn reason(mut self, reason: &str) -> Figure {
        self.reason = reason.into();
        self
    }

    fn key(&self) -> (String, Option<u64>, String) {
        (self.bench.clone(), self.size, self.metric.clone())
    }
}

/// The machine the figures were measured on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub ram_gb: f64,
    pub os: String,
}

impl Machine {
    pub fn this() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_string()))
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kb: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0);
        let os = std::fs::read_to_string("/etc/os-release")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string()))
            .unwrap_or_else(|| std::env::consts::OS.into());
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            ram_gb: (kb / 1024.0 / 1024.0 * 10.0).round() / 10.0,
            os,
        }
    }

    pub fn describe(&self) -> String {
        format!("{} CPUs ({}), {} GB RAM, {}", self.cpus, self.cpu_model, self.ram_gb, self.os)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub machine: Machine,
    pub figures: Vec<Figure>,
}

/// Where the figures go: `target/bench-results.json` (and `.md`) in the workspace.
pub fn default_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target"));
    target.join("bench-results.json")
}

/// The smallest data set the summary and the verdicts show (the targets are set at 100,000).
const SUMMARY_FROM: u64 = 100_000;

fn fmt_value(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn fmt_size(size: Option<u64>) -> String {
    size.map_or_else(
        || "—".into(),
        |n| {
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        },
    )
}

impl Report {
    /// The figures as a Markdown table (also readable as plain text).
    pub fn table(&self) -> String {
        let mut rows = vec![[
            "benchmark".to_string(),
            "requests".into(),
            "metric".into(),
            "value".into(),
            "target".into(),
            "verdict".into(),
            "note".into(),
        ]];
        for f in &self.figures {
            rows.push([
                f.bench.clone(),
                fmt_size(f.size),
                f.metric.clone(),
                f.value.map_or_else(|| "—".into(), |v| format!("{} {}", fmt_value(v), f.unit)),
                f.target.map_or_else(|| "—".into(), |t| format!("< {} {}", fmt_value(t), f.unit)),
                f.verdict.clone(),
                f.note.clone(),
            ]);
        }
        let widths: Vec<usize> = (0..7).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        let line = |r: &[String; 7]| {
            let cells: Vec<String> = r.iter().zip(&widths).map(|(s, w)| format!("{s:<w$}", w = *w)).collect();
            format!("| {} |", cells.join(" | "))
        };
        let mut out = vec![line(&rows[0])];
        out.push(format!("|{}|", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|")));
        out.extend(rows[1..].iter().map(line));
        out.join("\n")
    }

    /// The sizes a benchmark's summary rows show: 100,000 and above (the sizes
    /// the targets are set for), or its largest when it ran on none of those.
    fn summary_sizes(&self, bench: &str) -> Vec<Option<u64>> {
        let mut sizes: Vec<Option<u64>> = Vec::new();
        for f in self.figures.iter().filter(|f| f.bench == bench) {
            if !sizes.contains(&f.size) {
                sizes.push(f.size);
            }
        }
        sizes.sort();
        let large: Vec<Option<u64>> = sizes.iter().copied().filter(|s| s.is_none_or(|n| n >= SUMMARY_FROM)).collect();
        if large.is_empty() {
            sizes.last().copied().into_iter().collect()
        } else {
            large
        }
    }

    fn benches(&self) -> Vec<&str> {
        let mut benches: Vec<&str> = Vec::new();
        for f in &self.figures {
            if !benches.contains(&f.bench.as_str()) {
                benches.push(&f.bench);
            }
        }
        benches
    }

    /// The README's table: one row per benchmark and size (100,000 and
    /// 1,000,000; sizeless ones once), p50 and p95 side by side, each verdict
    /// against its target.
    pub fn summary(&self) -> String {
        let value = |f: &Figure| f.value.map_or_else(|| "—".into(), |v| format!("{} {}", fmt_value(v), f.unit));
        let mut out = vec![
            "| benchmark | requests | p50 / value | p95 | target | verdict | note |".to_string(),
            "|---|---|---|---|---|---|---|".to_string(),
        ];
        for bench in self.benches() {
            for size in self.summary_sizes(bench) {
                let of: Vec<&Figure> = self.figures.iter().filter(|f| f.bench == bench && f.size == size).collect();
                let p95 = of.iter().find(|f| f.metric == "p95");
                let main = of.iter().find(|f| f.metric != "p95").or(p95).copied();
                let Some(main) = main else { continue };
                let targets: Vec<String> = of.iter().filter_map(|f| f.target.map(fmt_value)).fold(Vec::new(), |mut v, t| {
                    if !v.contains(&t) {
                        v.push(t);
                    }
                    v
                });
                let target = if targets.is_empty() { "—".to_string() } else { format!("< {} {}", targets.join(" / "), main.unit) };
                let verdict = if of.iter().any(|f| f.verdict == "MISSED") {
                    let missed: Vec<&str> = of.iter().filter(|f| f.verdict == "MISSED").map(|f| f.metric.as_str()).collect();
                    if of.len() > 1 {
                        format!("MISSED ({})", missed.join(", "))
                    } else {
                        "MISSED".into()
                    }
                } else {
                    main.verdict.clone()
                };
                let metric = if main.metric == "p50" { String::new() } else { format!(" ({})", main.metric) };
                out.push(format!(
                    "| {bench}{metric} | {} | {} | {} | {target} | {verdict} | {} |",
                    fmt_size(size),
                    value(main),
                    p95.filter(|p| !std::ptr::eq(**p, main)).map_or_else(String::new, |p| value(p)),
                    main.note.replace('|', "/")
                ));
            }
        }
        out.join("\n")
    }

    /// Each target at 100,000 and 1,000,000 requests (and those without a
    /// size): met, or the miss with its reason. One line each.
    pub fn verdicts(&self) -> String {
        let mut out = Vec::new();
        for f in &self.figures {
            let Some(target) = f.target else { continue };
            if f.size.is_some_and(|n| n < SUMMARY_FROM) {
                continue;
            }
            let at = f.size.map_or_else(String::new, |n| format!(" at {}", fmt_size(Some(n))));
            let value = f.value.map_or_else(|| "—".into(), |v| format!("{} {}", fmt_value(v), f.unit));
            let against = format!("{} {value} against < {} {}", f.metric, fmt_value(target), f.unit);
            out.push(match f.verdict.as_str() {
                "met" => format!("met     {}{at}: {against}", f.bench),
                "MISSED" => {
                    // A p95 line shares the reason or note of its p50 line (the same benchmark and size).
                    let why = std::iter::once(f)
                        .chain(self.figures.iter().filter(|g| g.bench == f.bench && g.size == f.size))
                        .flat_map(|g| [&g.reason, &g.note])
                        .find(|w| !w.is_empty())
                        .map_or("the benchmark recorded no reason", |w| w.as_str());
                    format!("MISSED  {}{at}: {against}; why: {why}", f.bench)
                }
                other => format!("{other}  {}{at}: {}", f.bench, f.note),
            });
        }
        out.join("\n")
    }

    /// How each measured figure grows with the register, smallest to largest
    /// data set (p50 or the single value), with the factor from first to last.
    pub fn growth(&self) -> String {
        let mut out = Vec::new();
        for bench in self.benches() {
            let mut of: Vec<&Figure> =
                self.figures.iter().filter(|f| f.bench == bench && f.size.is_some() && f.metric != "p95" && f.value.is_some()).collect();
            of.sort_by_key(|f| f.size);
            let metrics: Vec<&str> = of.iter().map(|f| f.metric.as_str()).fold(Vec::new(), |mut v, m| {
                if !v.contains(&m) {
                    v.push(m);
                }
                v
            });
            for metric in metrics {
                let series: Vec<&&Figure> = of.iter().filter(|f| f.metric == metric).collect();
                if series.len() < 2 {
                    continue;
                }
                let steps: Vec<String> =
                    series.iter().map(|f| format!("{}: {} {}", fmt_size(f.size), fmt_value(f.value.unwrap_or(0.0)), f.unit)).collect();
                let (first, last) = (series[0], series[series.len() - 1]);
                let factor = match (first.value, last.value) {
                    (Some(a), Some(b)) if a > 0.0 => {
                        format!(" (×{} from {} to {})", fmt_value(b / a), fmt_size(first.size), fmt_size(last.size))
                    }
                    _ => String::new(),
                };
                out.push(format!("{bench} ({metric}): {}{factor}", steps.join(" → ")));
            }
        }
        out.join("\n")
    }

    pub fn load(path: &Path) -> Option<Report> {
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
    }

    /// Adds figures (replacing any with the same benchmark, size and metric).
    pub fn merge(&mut self, figures: Vec<Figure>) {
        for f in figures {
            match self.figures.iter_mut().find(|g| g.key() == f.key()) {
                Some(g) => *g = f,
                None => self.figures.push(f),
            }
        }
    }

    /// Writes `path` (JSON) and the same name with `.md`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        write_whole(path, json.as_bytes())?;
        let md = format!(
            "# Rightsdesk benchmark results\n\nMeasured on: {}\n\n## Summary (the README's table)\n\n{}\n\n\
             ## Targets at 100,000 and 1,000,000 requests\n\n```\n{}\n```\n\n## Growth from 1,000 to 1,000,000 requests\n\n```\n{}\n```\n\n\
             ## Every figure, at every size\n\n{}\n",
            self.machine.describe(),
            self.summary(),
            self.verdicts(),
            self.growth(),
            self.table()
        );
        write_whole(&path.with_extension("md"), md.as_bytes())
    }
}

/// Written whole or not at all, through the core's one atomic writer.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    rightsdesk_core::files::atomic::write_bytes(path, bytes).map_err(std::io::Error::other)
}

/// Merges `figures` into the report at `path` (a fresh one when `fresh`), saves it, and returns it.
pub fn record(path: &Path, figures: Vec<Figure>, fresh: bool) -> std::io::Result<Report> {
    let mut report =
        if fresh { None } else { Report::load(path) }.unwrap_or_else(|| Report { machine: Machine::this(), figures: Vec::new() });
    report.machine = Machine::this();
    report.merge(figures);
    report.save(path)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missed_target_says_so_in_the_table() {
        let report = Report {
            machine: Machine::this(),
            figures: vec![
                Figure::new("list", Some(100_000), "p50", 7.5, "ms", Some(5.0)),
                Figure::new("detail", Some(100_000), "p50", 0.2, "ms", Some(1.0)),
                Figure::not_measured("import", Some(100_000), "total", "s", Some(5.0), "import is not on main yet"),
            ],
        };
        let table = report.table();
        assert!(table.contains("| 100,000 "), "{table}");
        assert!(table.lines().any(|l| l.contains("list") && l.contains("MISSED") && l.contains("< 5.00 ms")), "{table}");
        assert!(table.lines().any(|l| l.contains("detail") && l.contains("met")), "{table}");
        assert!(table.contains("import is not on main yet"), "{table}");
        let summary = report.summary();
        assert!(
            summary.lines().any(|l| l.starts_with("| list | 100,000 | 7.50 ms") && l.contains("< 5.00 ms") && l.contains("MISSED")),
            "{summary}"
        );
        assert!(summary.lines().any(|l| l.starts_with("| import (total) | 100,000 | — ") && l.contains("not measured")), "{summary}");
    }

    #[test]
    fn each_target_at_the_large_sizes_is_printed_met_or_missed_with_its_reason_and_growth_reads_across() {
        let report = Report {
            machine: Machine::this(),
            figures: vec![
                Figure::new("list", Some(1_000), "p50", 0.5, "ms", Some(5.0)),
                Figure::new("list", Some(100_000), "p50", 1.0, "ms", Some(5.0)),
                Figure::new("list", Some(1_000_000), "p50", 2.0, "ms", Some(5.0)),
                Figure::new("import", Some(100_000), "total", 6.0, "s", Some(5.0)).reason("the indexes"),
            ],
        };
        let verdicts = report.verdicts();
        assert!(!verdicts.contains("1,000:"), "no verdict below 100,000: {verdicts}");
        assert!(verdicts.lines().any(|l| l.starts_with("met") && l.contains("list at 1,000,000")), "{verdicts}");
        assert!(
            verdicts.lines().any(|l| l.starts_with("MISSED") && l.contains("import at 100,000") && l.ends_with("why: the indexes")),
            "{verdicts}"
        );
        let growth = report.growth();
        assert!(
            growth.contains("list (p50): 1,000: 0.50 ms → 100,000: 1.00 ms → 1,000,000: 2.00 ms (×4.00 from 1,000 to 1,000,000)"),
            "{growth}"
        );
        let summary = report.summary();
        assert!(summary.contains("| list | 1,000,000 | 2.00 ms"), "{summary}");
        assert!(!summary.contains("| list | 1,000 |"), "{summary}");
    }

    #[test]
    fn recording_twice_replaces_a_figure_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        record(&path, vec![Figure::new("a", None, "p50", 1.0, "ms", None)], true).unwrap();
        record(&path, vec![Figure::new("b", None, "p50", 2.0, "ms", None)], false).unwrap();
        let report = record(&path, vec![Figure::new("a", None, "p50", 3.0, "ms", None)], false).unwrap();
        assert_eq!(report.figures.len(), 2);
        assert_eq!(report.figures[0].value, Some(3.0));
        assert!(std::fs::read_to_string(path.with_extension("md")).unwrap().contains("| a "));
    }
}

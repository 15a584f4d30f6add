//! bench-app: the whole app on a large data set — start (release build) to the
//! first painted list, memory (PSS) of the idle app with all its processes, and
//! whether the list is virtualised (rows in the DOM vs rows in the database).
//!
//! Each run gets its own Xvfb, session bus, WebKitWebDriver and home directory
//! (as the end-to-end harness does); the app is launched by the driver when the
//! session is requested. "Start" runs from the app's `exec` (a two-line wrapper
//! the driver launches notes the time, then `exec`s the app) to the frame after
//! the first request row is in the DOM, as an officer's start from the desktop;
//! the WebDriver session before it (the request to the driver, the driver's own
//! start-up of the browser process) is reported apart.
//!
//! `bench-app --app target/release/rightsdesk-app --db target/bench/100000.sqlite3`

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use serde_json::{json, Value};

use rightsdesk_bench::report::{self, Figure};
use rightsdesk_bench::timing;

#[derive(Parser)]
#[command(name = "bench-app", about = "Whole-app start time and memory on a large data set")]
struct Args {
    /// The app binary (a release build).
    #[arg(long)]
    app: PathBuf,
    /// The data set (written by gen-dataset).
    #[arg(long)]
    db: PathBuf,
    #[arg(long, env = "RIGHTSDESK_PASSPHRASE", hide_env_values = true)]
    passphrase: String,
    /// Starts measured; the first is cold-ish, the median is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Requests in the data set (for the table; read from the file name when absent).
    #[arg(long)]
    size: Option<u64>,
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also measure the floor: the same app on a new, empty database (its
    /// first-run screen): WebKit's processes, the UI bundle and one query.
    #[arg(long)]
    floor: bool,
    /// Extra environment for the app (KEY=VALUE, repeatable), for diagnosis,
    /// e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1; figures are then not recorded.
    #[arg(long = "env")]
    envs: Vec<String>,
}

type Error = Box<dyn std::error::Error>;

/// A child in its own process group, stopped with the group.
struct Group(Child);

impl Group {
    fn spawn(cmd: &mut Command) -> Result<Group, Error> {
        Ok(Group(cmd.process_group(0).spawn()?))
    }
    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_xvfb(log: &Path) -> Result<(Group, String), Error> {
    let mut cmd = Command::new("Xvfb");
    cmd.args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(File::create(log)?);
    let mut xvfb = Group::spawn(&mut cmd)?;
    let stdout = xvfb.0.stdout.take().ok_or("no Xvfb stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    if line.trim().is_empty() {
        return Err("Xvfb reported no display".into());
    }
    Ok((xvfb, format!(":{}", line.trim())))
}

/// Waits until WebKitWebDriver answers `/status` with ready.
fn wait_ready(port: u16) -> Result<(), Error> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n");
            let mut body = String::new();
            let _ = s.read_to_string(&mut body);
            if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("WebKitWebDriver did not become ready".into())
}

const FIRST_ROW_JS: &str = r#"
const done = arguments[arguments.length - 1];
// Where the page's time went (ms from navigation start): the document, then each
// resource and IPC call (Tauri's IPC is a fetch to its own scheme).
const timeline = () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const parts = nav ? [`dom ${Math.round(nav.domContentLoadedEventEnd)}`] : [];
  for (const e of performance.getEntriesByType('resource')) {
    const name = e.name.replace(/^.*\//, '').slice(0, 40);
    parts.push(`${name} ${Math.round(e.startTime)}+${Math.round(e.duration)}`);
  }
  return parts.join(', ');
};
const look = () => {
  if (document.querySelector(arguments[0])) {
    requestAnimationFrame(() => requestAnimationFrame(() => done({ painted: Date.now(), origin: performance.timeOrigin, timeline: timeline() })));
  } else {
    setTimeout(look, 5);
  }
};
look();
"#;

const SCROLL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const rows = () => [...document.querySelectorAll('[data-testid=request-row]')];
const first = rows()[0];
let box = first;
while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 1 && getComputedStyle(box).overflowY !== 'visible')) {
  box = box.parentElement;
}
const scroller = (!box || box === document.body) ? (document.scrollingElement || document.documentElement) : box;
const before = rows().length;
const firstText = rows()[0] ? rows()[0].innerText : '';
scroller.scrollTop = scroller.scrollHeight;
setTimeout(() => {
  scroller.scrollTop = scroller.scrollHeight;
  setTimeout(() => {
    const after = rows();
    done({ before, after: after.length, firstChanged: after.length > 0 && after[0].innerText !== firstText,
           scrollHeight: scroller.scrollHeight });
  }, 800);
}, 800);
"#;

/// Proportional set size and resident size (kB) of `pid`.
fn memory_kb(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name)).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    (field("Pss:"), field("Rss:"))
}

/// Every process (pid, parent, name, exe).
fn processes() -> Vec<(u32, u32, String, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // comm is in parentheses and may hold spaces; the fields after it are space-separated.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let name = stat[open + 1..close].to_string();
        let ppid = stat[close + 2..].split(' ').nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
        out.push((pid, ppid, name, exe));
    }
    out
}

/// The app's processes: those running `app` under `root`, and all their descendants (WebKit's).
fn app_processes(app: &Path, root: u32) -> Vec<(u32, String)> {
    let all = processes();
    let children: HashMap<u32, Vec<u32>> = all.iter().fold(HashMap::new(), |mut m, p| {
        m.entry(p.1).or_default().push(p.0);
        m
    });
    let under_root = |mut pid: u32| {
        let parent: HashMap<u32, u32> = all.iter().map(|p| (p.0, p.1)).collect();
        while pid > 1 {
            if pid == root {
                return true;
            }
            pid = parent.get(&pid).copied().unwrap_or(0);
        }
        false
    };
    let mut found: Vec<u32> = all.iter().filter(|p| p.3 == app && under_root(p.0)).map(|p| p.0).collect();
    let mut i = 0;
    while i < found.len() {
        if let Some(kids) = children.get(&found[i]) {
            for k in kids {
                if !found.contains(k) {
                    found.push(*k);
                }
            }
        }
        i += 1;
    }
    found.into_iter().map(|pid| (pid, all.iter().find(|p| p.0 == pid).map(|p| p.2.clone()).unwrap_or_default())).collect()
}

struct Run {
    /// From the app's exec to the painted list.
    start_ms: f64,
    /// From the WebDriver session's request to the app's exec.
    session_ms: f64,
    page_ms: f64,
    pss_mb: f64,
    rss_mb: f64,
    processes: String,
    scroll: Value,
}

/// What the page shows once it is ready: a request row, or the first-run screen (floor).
const ROW: &str = "[data-testid=request-row]";
const FIRST_RUN: &str = "[data-testid=first-run]";

async fn one_run(args: &Args, app: &Path, db: Option<&Path>) -> Result<Run, Error> {
    let home = std::env::temp_dir().join(format!("rightsdesk-bench-app-{}-{}", std::process::id(), epoch_ms() as u64));
    for sub in ["home", "data", "config", "cache", "runtime"] {
        std::fs::create_dir_all(home.join(sub))?;
    }
    std::fs::set_permissions(home.join("runtime"), std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let result = async {
        let (_xvfb, display) = start_xvfb(&home.join("xvfb.log"))?;
        let port = free_port()?;
        let log = File::create(home.join("webdriver.log"))?;
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "WebKitWebDriver", &format!("--port={port}")])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .current_dir(&home)
            .env("HOME", home.join("home"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .envs(args.envs.iter().filter_map(|kv| kv.split_once('=')))
            .env("RIGHTSDESK_DB", db.map_or_else(|| home.join("empty.sqlite3"), Path::to_path_buf))
            .env("RIGHTSDESK_PASSPHRASE", &args.passphrase)
            .env("RIGHTSDESK_NOW", "2026-11-23T12:00:00Z")
            .env("DISPLAY", &display)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("GDK_BACKEND", "x11")
            .env("NO_AT_BRIDGE", "1")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS");
        let driver = Group::spawn(&mut cmd)?;
        wait_ready(port)?;
        let mut caps = serde_json::Map::new();
        // The driver launches a wrapper that notes when it was exec'd, then becomes the app.
        let exec_ns = home.join("exec-ns");
        let wrapper = home.join("launch-app");
        std::fs::write(&wrapper, format!("#!/bin/sh\ndate +%s%N > '{}'\nexec '{}' \"$@\"\n", exec_ns.display(), app.display()))?;
        std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        caps.insert("webkitgtk:browserOptions".into(), json!({ "binary": wrapper, "args": [] }));
        let t0 = epoch_ms();
        let client = fantoccini::ClientBuilder::rustls()?.capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await?;
        client.update_timeouts(fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(60)), None, None)).await?;
        let deadline = Instant::now() + Duration::from_secs(60);
        let painted = loop {
            let wanted = if db.is_some() { ROW } else { FIRST_RUN };
            match client.execute_async(FIRST_ROW_JS, vec![json!(wanted)]).await {
                Ok(v) => {
                    let at = |k: &str| v.get(k).and_then(Value::as_f64).ok_or("the page returned no time");
                    let timeline = v.get("timeline").and_then(Value::as_str).unwrap_or_default().to_string();
                    break (at("painted")?, at("origin")?, timeline);
                }
                Err(e) if Instant::now() > deadline => {
                    let page = client.execute("return document.body ? document.body.innerText.slice(0, 600) : ''", vec![]).await;
                    return Err(format!("no request row appeared: {e}\npage: {page:?}").into());
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        };
        let (painted, origin, timeline) = painted;
        eprintln!("bench-app: page timeline (ms from navigation start): {timeline}; painted at {:.0}", painted - origin);
        let exec_ms = std::fs::read_to_string(&exec_ns)?.trim().parse::<f64>().map_err(|e| format!("exec time: {e}"))? / 1e6;
        let start_ms = painted - exec_ms;
        let session_ms = exec_ms - t0;
        // Split: launch (driver, app process, database unlock, WebKit processes) up
        // to the page's navigation start, then the page (UI bundle, IPC, render).
        let page_ms = painted - origin;
        // Idle: let WebKit settle before reading memory.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let procs = app_processes(app, driver.pid());
        let mut pss = 0;
        let mut rss = 0;
        let mut names = Vec::new();
        for (pid, name) in &procs {
            let (p, r) = memory_kb(*pid);
            pss += p;
            rss += r;
            names.push(format!("{name} {:.0}", p as f64 / 1024.0));
        }
        let scroll = if db.is_some() { client.execute_async(SCROLL_JS, vec![]).await.unwrap_or(Value::Null) } else { Value::Null };
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        drop(driver);
        Ok::<Run, Error>(Run {
            start_ms,
            session_ms,
            page_ms,
            pss_mb: pss as f64 / 1024.0,
            rss_mb: rss as f64 / 1024.0,
            processes: names.join(", "),
            scroll,
        })
    }
    .await;
    let _ = std::fs::remove_dir_all(&home);
    result
}

fn size_of(args: &Args) -> Option<u64> {
    args.size.or_else(|| args.db.file_stem()?.to_str()?.parse().ok())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args).await {
        eprintln!("bench-app: {e}");
        std::process::exit(1);
    }
}

async fn run(args: &Args) -> Result<(), Error> {
    let app = args.app.canonicalize().map_err(|e| format!("app binary {}: {e}", args.app.display()))?;
    // The app runs in its own home directory: give it the data set's absolute path.
    let db = args.db.canonicalize().map_err(|e| format!("data set {}: {e}", args.db.display()))?;
    let size = size_of(args);
    let mut runs = Vec::new();
    for i in 0..args.runs.max(1) {
        let r = one_run(args, &app, Some(&db)).await?;
        eprintln!(
            "bench-app: run {}: first list painted {:.0} ms after exec ({:.0} ms of it in the page; the WebDriver session before exec {:.0} ms); PSS {:.0} MB ({})",
            i + 1,
            r.start_ms,
            r.page_ms,
            r.session_ms,
            r.pss_mb,
            r.processes
        );
        runs.push(r);
    }
    let mut starts: Vec<f64> = runs.iter().map(|r| r.start_ms).collect();
    let start = timing::stats(&mut starts);
    let mut pages: Vec<f64> = runs.iter().map(|r| r.page_ms).collect();
    let page = timing::stats(&mut pages);
    let mut sessions: Vec<f64> = runs.iter().map(|r| r.session_ms).collect();
    let session = timing::stats(&mut sessions);
    let last = runs.last().ok_or("no run")?;
    let mut figures = vec![
        Figure::new("app: start to first painted list (release, from exec)", size, "p50", start.p50 / 1e3, "s", Some(1.0)).note(&format!(
            "{} starts, from the app's exec to the frame after the first row; slowest {:.2} s; the WebDriver session is apart",
            runs.len(),
            start.max / 1e3
        )),
        Figure::new("app: start, of it in the page (UI, IPC, render)", size, "p50", page.p50 / 1e3, "s", None).note(&format!(
            "from the web page's navigation start to the painted list; the rest ({:.2} s) is launching: app process, \
             database unlock (passphrase KDF), WebKit's processes",
            (start.p50 - page.p50) / 1e3
        )),
        Figure::new("app: WebDriver session before exec (not part of start)", size, "p50", session.p50 / 1e3, "s", None).note(
            "from the bench's new-session request to the app's exec: the driver's own start-up, which an officer's start does not have",
        ),
        Figure::new("app: idle memory, all processes", size, "PSS", last.pss_mb, "MB", Some(300.0))
            .note(&format!("RSS {:.0} MB; PSS by process (MB): {}", last.rss_mb, last.processes)),
    ];
    let before = last.scroll.get("before").and_then(Value::as_u64);
    let after = last.scroll.get("after").and_then(Value::as_u64);
    let changed = last.scroll.get("firstChanged").and_then(Value::as_bool).unwrap_or(false);
    let total = size.unwrap_or(0);
    let mut f = match (before, after) {
        (Some(b), Some(a)) => {
            let virtualised = b < total.min(1_000) && a < total.min(1_000) && changed;
            let mut f =
                Figure::new("app: list scrolls through all rows, virtualised", size, "rows in DOM", b as f64, "rows", Some(1_000.0));
            f.verdict = if virtualised { "met" } else { "MISSED" }.into();
            f.note = format!(
                "{b} rows in the DOM at the top, {a} after scrolling to the end ({}); {}",
                if changed { "the rows changed" } else { "the same rows" },
                if virtualised {
                    "virtualised"
                } else {
                    "the list is not virtualised yet (another helper's work): it holds a fixed page and does not reach the end"
                }
            );
            f
        }
        _ => Figure::not_measured(
            "app: list scrolls through all rows, virtualised",
            size,
            "rows in DOM",
            "rows",
            Some(1_000.0),
            "the scroll check did not run",
        ),
    };
    if f.value.is_none() {
        f.note.push_str(&format!(" ({})", last.scroll));
    }
    figures.push(f);
    if args.floor {
        let mut floors = Vec::new();
        for i in 0..args.runs.max(1) {
            let r = one_run(args, &app, None).await?;
            eprintln!(
                "bench-app: floor run {}: first-run screen {:.0} ms after exec; PSS {:.0} MB ({})",
                i + 1,
                r.start_ms,
                r.pss_mb,
                r.processes
            );
            floors.push(r);
        }
        let mut starts: Vec<f64> = floors.iter().map(|r| r.start_ms).collect();
        let start = timing::stats(&mut starts);
        let last = floors.last().ok_or("no run")?;
        figures.push(
            Figure::new("app floor: start on an empty database (first-run screen)", None, "p50", start.p50 / 1e3, "s", None)
                .note("the same release app and WebKit with no data, from exec: what start costs before any list"),
        );
        figures.push(
            Figure::new("app floor: idle memory on an empty database", None, "PSS", last.pss_mb, "MB", None)
                .note(&format!("RSS {:.0} MB; PSS by process (MB): {}", last.rss_mb, last.processes)),
        );
    }
    if !args.envs.is_empty() {
        eprintln!("bench-app: diagnosis with {:?}; figures not recorded", args.envs);
        return Ok(());
    }
    let out = args.out.clone().unwrap_or_else(report::default_path);
    let report = report::record(&out, figures, false)?;
    println!("{}", report.table());
    Ok(())
}

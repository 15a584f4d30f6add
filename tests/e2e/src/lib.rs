//! End-to-end harness: the real Rightsdesk window, driven over WebDriver.
//!
//! Each [`App`] gets its own X server (`Xvfb -displayfd`), its own session bus
//! (`dbus-run-session`), its own `WebKitWebDriver` on a free port and its own
//! temporary home, so tests run in parallel and never touch a user's data.
//! The app binary is `target/debug/rightsdesk-app` (or `RIGHTSDESK_APP_BIN`);
//! the CLI is `target/debug/rightsdesk` (or `RIGHTSDESK_CLI_BIN`).
//!
//! Run:
//!
//! ```text
//! npm --prefix ui run build && cargo build -p rightsdesk-app -p rightsdesk-cli
//! cargo test -p rightsdesk-e2e            # or: cargo test --workspace (builds both binaries too)
//! ```
//!
//! (`cargo test -p rightsdesk-e2e` alone does not rebuild the app: build it first.)
//! Needs Debian's `xvfb`, `webkit2gtk-driver` and `dbus` (scripts/install-deps.sh).
//!
//! Environment: `RIGHTSDESK_APP_BIN`, `RIGHTSDESK_CLI_BIN` (binaries),
//! `RIGHTSDESK_APP_ARGS` (extra arguments for the app; e.g. `--automation` to
//! try the harness on WebKitGTK's MiniBrowser), `RIGHTSDESK_E2E_TIMEOUT_SECS`
//! (per-test limit, default 120). The app and CLI get `RIGHTSDESK_DB`,
//! `RIGHTSDESK_PASSPHRASE` ([`TEST_PASSPHRASE`], so no keyring is needed) and,
//! if pinned, `RIGHTSDESK_NOW`. On failure or timeout a screenshot goes to
//! `target/e2e-failures/<test>.png` and the tail of the WebDriver/app log to stderr.

use std::fs::{self, File};
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini::{elements::Element, Client, Locator};

pub mod team;
use serde_json::{json, Value};

/// Every end-to-end test runs under this limit, so a hang fails instead of blocking CI
/// (`RIGHTSDESK_E2E_TIMEOUT_SECS` overrides it).
pub const TEST_TIMEOUT: Duration = Duration::from_secs(120);

fn test_timeout() -> Duration {
    std::env::var("RIGHTSDESK_E2E_TIMEOUT_SECS").ok().and_then(|s| s.parse().ok()).map_or(TEST_TIMEOUT, Duration::from_secs)
}
/// How long [`App::wait_for`] and friends poll before failing.
pub const WAIT: Duration = Duration::from_secs(15);
/// The database passphrase every sandbox gives the app and the CLI
/// (`RIGHTSDESK_PASSPHRASE`), so no OS keyring is needed.
pub const TEST_PASSPHRASE: &str = "e2e sandbox passphrase, not a secret";
const POLL: Duration = Duration::from_millis(100);

thread_local! {
    /// Set while [`within`] drops a body that ran out of time, so [`App`]'s
    /// drop saves a screenshot and the log as it does for a panic.
    static TIMED_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a test body under [`TEST_TIMEOUT`] (or `RIGHTSDESK_E2E_TIMEOUT_SECS`); a timeout is a test failure.
/// Dropping the body on timeout drops its [`App`], which stops every process.
pub async fn within<F: Future<Output = ()>>(body: F) {
    let started = Instant::now();
    let limit = test_timeout();
    let mut body = Box::pin(body);
    tokio::select! {
        () = &mut body => {}
        () = tokio::time::sleep(limit) => {
            TIMED_OUT.with(|t| t.set(true));
            drop(body);
            TIMED_OUT.with(|t| t.set(false));
            panic!("end-to-end test did not finish within {limit:?}");
        }
    }
    eprintln!("[e2e] {} passed in {:.1?}", test_label(), started.elapsed());
}

/// The workspace root (where `target/` and `docs/` live).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn target_debug() -> PathBuf {
    target_dir().join("debug")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => {
            let t = PathBuf::from(t);
            if t.is_absolute() {
                t
            } else {
                workspace_root().join(t)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// The desktop app under test: `RIGHTSDESK_APP_BIN` or `target/debug/rightsdesk-app`.
pub fn app_bin() -> PathBuf {
    let path = std::env::var_os("RIGHTSDESK_APP_BIN").map_or_else(|| target_debug().join("rightsdesk-app"), PathBuf::from);
    assert!(
        path.is_file(),
        "app binary {} not found: run `npm --prefix ui run build && cargo build -p rightsdesk-app` first \
         (or point RIGHTSDESK_APP_BIN at it)",
        path.display()
    );
    path.canonicalize().expect("app binary path")
}

/// The command-line tool: `RIGHTSDESK_CLI_BIN` or `target/debug/rightsdesk`.
pub fn cli_bin() -> PathBuf {
    let path = std::env::var_os("RIGHTSDESK_CLI_BIN").map_or_else(|| target_debug().join("rightsdesk"), PathBuf::from);
    assert!(
        path.is_file(),
        "CLI binary {} not found: run `cargo build -p rightsdesk-cli` first (or point RIGHTSDESK_CLI_BIN at it)",
        path.display()
    );
    path
}

fn test_label() -> String {
    let name = std::thread::current().name().unwrap_or("e2e").to_string();
    name.rsplit("::").next().unwrap_or("e2e").to_string()
}

/// A private home for one test: temp dir with HOME, XDG dirs and the database path.
/// The CLI and the app both run inside it.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    db: PathBuf,
    now: Option<String>,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A sandbox pinned to `now` whose database holds the demo requests (loaded with the CLI).
    pub fn with_demo(now: &str) -> Sandbox {
        let sandbox = Sandbox::new().with_now(now);
        sandbox.cli_json(&["demo", "load", "--json"]);
        sandbox
    }

    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("rightsdesk-e2e-").tempdir().expect("temp dir");
        for sub in ["home", "data", "config", "cache", "runtime"] {
            fs::create_dir_all(dir.path().join(sub)).expect("sandbox dir");
        }
        fs::set_permissions(dir.path().join("runtime"), fs::Permissions::from_mode(0o700)).expect("chmod runtime dir");
        let db = dir.path().join("rightsdesk.sqlite3");
        Sandbox { dir, db, now: None }
    }

    /// Pins the clock (RFC 3339) for the app and the CLI run from this sandbox.
    pub fn with_now(mut self, now: &str) -> Self {
        self.now = Some(now.to_string());
        self
    }

    /// Uses another database file instead of `<tmp>/rightsdesk.sqlite3`.
    pub fn with_db(mut self, db: impl Into<PathBuf>) -> Self {
        self.db = db.into();
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// The environment every process of this test gets.
    fn apply_env(&self, cmd: &mut Command) {
        let d = self.dir.path();
        cmd.env("HOME", d.join("home"))
            .env("XDG_DATA_HOME", d.join("data"))
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("XDG_CACHE_HOME", d.join("cache"))
            .env("XDG_RUNTIME_DIR", d.join("runtime"))
            .env("RIGHTSDESK_DB", &self.db)
            .env("RIGHTSDESK_PASSPHRASE", TEST_PASSPHRASE)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("RIGHTSDESK_NOW");
        if let Some(now) = &self.now {
            cmd.env("RIGHTSDESK_NOW", now);
        }
    }

    /// Runs the CLI against this sandbox's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(cli_bin());
        cmd.args(args).stdin(Stdio::null()).current_dir(self.dir.path());
        self.apply_env(&mut cmd);
        cmd.output().expect("run rightsdesk CLI")
    }

    /// Runs the CLI, asserts success and parses its stdout as JSON.
    pub fn cli_json(&self, args: &[&str]) -> Value {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "rightsdesk {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("rightsdesk {args:?}: stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }
}

/// A child started in its own process group, stopped as a group.
#[derive(Debug)]
struct Proc {
    name: &'static str,
    child: Child,
    stopped: bool,
}

impl Proc {
    fn spawn(name: &'static str, cmd: &mut Command) -> Proc {
        cmd.process_group(0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Proc { name, child, stopped: false }
    }

    fn signal_group(&self, sig: &str) {
        let _ =
            Command::new("kill").args([sig, "--", &format!("-{}", self.child.id())]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }

    /// SIGTERM to the whole group, up to `grace` to exit, then SIGKILL.
    fn stop(&mut self, grace: Duration) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            // The leader is gone; children may linger in the group.
            self.signal_group("-KILL");
            return;
        }
        self.signal_group("-TERM");
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                self.signal_group("-KILL");
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        eprintln!("[e2e] {} did not stop on SIGTERM; killing", self.name);
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(3));
    }
}

/// Options for [`App::start`].
#[derive(Debug, Default)]
pub struct Options {
    sandbox: Option<Sandbox>,
    now: Option<String>,
    db: Option<PathBuf>,
    env: Vec<(String, String)>,
    keyring: bool,
}

impl Options {
    pub fn new() -> Self {
        Self::default()
    }
    /// Pins the app's clock (`RIGHTSDESK_NOW`, RFC 3339).
    pub fn now(mut self, now: &str) -> Self {
        self.now = Some(now.to_string());
        self
    }
    /// Uses this database file.
    pub fn db(mut self, db: impl Into<PathBuf>) -> Self {
        self.db = Some(db.into());
        self
    }
    /// Runs the app inside an existing sandbox (e.g. one the CLI already wrote to).
    pub fn sandbox(mut self, sandbox: Sandbox) -> Self {
        self.sandbox = Some(sandbox);
        self
    }
    /// Gives the app one more environment variable (e.g. `RIGHTSDESK_THEME=dark`).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }
    /// Runs an OS keyring (gnome-keyring's Secret Service, unlocked, kept in the sandbox's data
    /// folder) on the app's session bus: a later start in the same sandbox finds what it kept.
    pub fn keyring(mut self) -> Self {
        self.keyring = true;
        self
    }
}

/// One running app window with its X server, session bus and WebDriver.
pub struct App {
    client: Option<Client>,
    /// The app's X display (its own Xvfb), for screenshots.
    display: String,
    driver: Option<Proc>,
    xvfb: Option<Proc>,
    _xvfb_stdout: Option<ChildStdout>,
    log: PathBuf,
    label: String,
    /// Dropped last: the files the processes used.
    sandbox: Sandbox,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("sandbox", &self.sandbox).field("label", &self.label).finish()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

fn start_xvfb(log: &Path) -> (Proc, ChildStdout, String) {
    let mut cmd = Command::new("Xvfb");
    // -displayfd 1: Xvfb picks a free display and writes its number to our pipe.
    cmd.args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(File::create(log).map(Stdio::from).unwrap_or_else(|_| Stdio::null()));
    let mut proc = Proc::spawn("Xvfb", &mut cmd);
    let stdout = proc.child.stdout.take().expect("Xvfb stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let n = reader.read_line(&mut line);
        let _ = tx.send((n.map(|_| line), reader.into_inner()));
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok((Ok(line), stdout)) if !line.trim().is_empty() => {
            let _ = reader.join();
            (proc, stdout, format!(":{}", line.trim()))
        }
        other => {
            proc.stop(Duration::from_secs(1));
            let err = fs::read_to_string(log).unwrap_or_default();
            panic!("Xvfb did not report a display ({:?}):\n{err}", other.map(|(l, _)| l));
        }
    }
}

const SET_VALUE_JS: &str = r#"
const el = document.querySelector(arguments[0]);
if (!el) { throw new Error('set_value: no element matches ' + arguments[0]); }
// A select whose option is not there yet (still loading) is left alone: setting a value it
// does not have would send React an empty value it cannot be told about again.
if (el instanceof HTMLSelectElement && ![...el.options].some(o => o.value === arguments[1])) { return null; }
const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
            : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
            : HTMLInputElement.prototype;
Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);
el.dispatchEvent(new Event('input', { bubbles: true }));
el.dispatchEvent(new Event('change', { bubbles: true }));
return el.value;
"#;

impl App {
    /// Presses keys as a person would (WebDriver key actions, sent to whatever has the focus).
    pub async fn press(&self, keys: &[char]) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_string());
        for &k in keys {
            actions = actions.then(KeyAction::Down { value: k }).then(KeyAction::Up { value: k });
        }
        self.client().perform_actions(actions).await.expect("key actions");
    }

    /// Injects axe-core (from the UI's node_modules; the CSP forbids remote scripts,
    /// WebDriver's script execution is not subject to it) and returns the serious
    /// and critical violations on the current screen.
    pub async fn serious_violations(&self) -> Vec<String> {
        if self.js("return typeof window.axe;", vec![]).await != json!("object") {
            let path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
            let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run npm ci in ui/)", path.display()));
            let loaded = self.js(&format!("{source}\nreturn typeof window.axe;"), vec![]).await;
            assert_eq!(loaded, json!("object"), "axe-core did not load into the page");
        }
        let result = self
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe.run");
        result.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
    }

    /// Starts Xvfb, a session bus, WebKitWebDriver and the app; returns once
    /// a WebDriver session with the app window exists.
    pub async fn start(opts: Options) -> App {
        let app = app_bin();
        let mut sandbox = opts.sandbox.unwrap_or_default();
        if let Some(now) = opts.now {
            sandbox.now = Some(now);
        }
        if let Some(db) = opts.db {
            sandbox.db = db;
        }
        let label = test_label();
        let logs = sandbox.path().join("logs");
        fs::create_dir_all(&logs).expect("log dir");
        let started = Instant::now();

        let (xvfb, xvfb_stdout, display) = start_xvfb(&logs.join("xvfb.log"));

        let mut last_err = String::new();
        let log = logs.join("webdriver.log");
        let log_file = File::create(&log).expect("driver log");
        let args: Vec<String> =
            std::env::var("RIGHTSDESK_APP_ARGS").map(|a| a.split_whitespace().map(str::to_string).collect()).unwrap_or_default();
        for _attempt in 0..3 {
            let port = free_port();
            let mut cmd = Command::new("dbus-run-session");
            if opts.keyring {
                let script = format!(
                    "printf %s 'e2e keyring password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
                     exec WebKitWebDriver --port={port}"
                );
                cmd.args(["--", "bash", "-c", &script]);
            } else {
                cmd.args(["--", "WebKitWebDriver", &format!("--port={port}")]);
            }
            cmd.stdin(Stdio::null())
                .stdout(log_file.try_clone().map(Stdio::from).expect("driver log"))
                .stderr(log_file.try_clone().map(Stdio::from).expect("driver log"))
                .current_dir(sandbox.path());
            sandbox.apply_env(&mut cmd);
            cmd.env("DISPLAY", &display).env("TAURI_WEBVIEW_AUTOMATION", "true").env("GDK_BACKEND", "x11").env("NO_AT_BRIDGE", "1");
            cmd.envs(opts.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let mut driver = Proc::spawn("WebKitWebDriver", &mut cmd);

            let url = format!("http://127.0.0.1:{port}");
            let mut caps = serde_json::Map::new();
            caps.insert("webkitgtk:browserOptions".into(), json!({ "binary": app, "args": args }));
            let deadline = Instant::now() + Duration::from_secs(20);
            let client = loop {
                let connect = async { fantoccini::ClientBuilder::rustls().expect("rustls").capabilities(caps.clone()).connect(&url).await };
                match tokio::time::timeout(Duration::from_secs(20), connect).await {
                    Ok(Ok(c)) => break Some(c),
                    Err(_) => {
                        last_err =
                            "new session request timed out after 20 s (does the app start? is TAURI_WEBVIEW_AUTOMATION honoured?)".into();
                        break None;
                    }
                    Ok(Err(e)) => {
                        last_err = e.to_string();
                        if matches!(driver.child.try_wait(), Ok(Some(_))) || Instant::now() > deadline {
                            break None;
                        }
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            };
            match client {
                Some(client) => {
                    let app = App {
                        client: Some(client),
                        display: display.clone(),
                        driver: Some(driver),
                        xvfb: Some(xvfb),
                        _xvfb_stdout: Some(xvfb_stdout),
                        log,
                        label,
                        sandbox,
                    };
                    eprintln!("[e2e] {}: app up on {display} in {:?}", app.label, started.elapsed());
                    return app;
                }
                None => driver.stop(Duration::from_secs(2)),
            }
        }
        drop(xvfb);
        panic!(
            "no WebDriver session with {}: {last_err}\n--- webdriver log ---\n{}",
            app.display(),
            fs::read_to_string(&log).unwrap_or_default()
        );
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("WebDriver session is open")
    }

    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    pub fn db_path(&self) -> &Path {
        self.sandbox.db_path()
    }

    /// Runs the CLI against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.sandbox.cli(args)
    }

    /// Waits up to [`WAIT`] for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_within(css, WAIT).await
    }

    pub async fn wait_for_within(&self, css: &str, limit: Duration) -> Element {
        let deadline = Instant::now() + limit;
        loop {
            match self.client().find(Locator::Css(css)).await {
                Ok(el) => return el,
                Err(e) if Instant::now() > deadline => {
                    panic!("{css:?} did not appear within {limit:?}: {e}\n{}", self.page_summary().await)
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Waits until `cond` holds; `what` names it in the failure message.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut cond: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let deadline = Instant::now() + WAIT;
        while !cond().await {
            if Instant::now() > deadline {
                panic!("timed out after {WAIT:?} waiting until {what}\n{}", self.page_summary().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until no element matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        self.wait_until(&format!("{css:?} is gone"), || async { self.count(css).await == 0 }).await;
    }

    /// All elements matching `css` now (no waiting).
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client().find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    pub async fn count(&self, css: &str) -> usize {
        self.all(css).await.len()
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.count(css).await > 0
    }

    /// The visible text of the first element matching `css` (waits for it).
    ///
    /// WebKit's WebDriver reads the text of a box that clips it (`overflow: hidden`, as a name
    /// shortened with an ellipsis) as empty; the page's own `innerText`, which is empty for
    /// what is not displayed at all, then says what the officer sees.
    pub async fn text_of(&self, css: &str) -> String {
        let el = self.wait_for(css).await;
        let text = el.text().await.unwrap_or_else(|e| panic!("text of {css:?}: {e}")).trim().to_string();
        if !text.is_empty() {
            return text;
        }
        el.prop("innerText").await.unwrap_or_else(|e| panic!("innerText of {css:?}: {e}")).unwrap_or_default().trim().to_string()
    }

    /// Clicks the first element matching `css` (waits for it) as a person
    /// would: a WebDriver click, which fails if the element is hidden or covered.
    pub async fn click(&self, css: &str) {
        let el = self.wait_for(css).await;
        if let Err(e) = el.click().await {
            panic!("cannot click {css:?}: {e:?}\n{}", self.page_summary().await);
        }
    }

    /// Types into a text field (clears it first).
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        el.clear().await.unwrap_or_else(|e| panic!("clear {css:?}: {e}"));
        el.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css:?}: {e}"));
    }

    /// Sets an input, textarea or select the way React notices: the native
    /// value setter, then `input` and `change` events. A select is retried until
    /// it has an option with that value (options may load asynchronously).
    /// Returns the value read back.
    pub async fn set_value(&self, css: &str, value: &str) -> String {
        self.wait_for(css).await;
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self
                .client()
                .execute(SET_VALUE_JS, vec![json!(css), json!(value)])
                .await
                .unwrap_or_else(|e| panic!("set {css:?} to {value:?}: {e}"));
            let got = v.as_str().unwrap_or_default().to_string();
            if got == value {
                return got;
            }
            if Instant::now() > deadline {
                let options = self
                    .js(
                        "const el = document.querySelector(arguments[0]); \
                         return el && el.options ? [...el.options].map(o => o.value).join(', ') : '(not a select)';",
                        vec![json!(css)],
                    )
                    .await;
                panic!("{css:?} did not take the value {value:?} (it reads {got:?}; options: {options})");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Answers the OS file dialog titled `title` — the real GTK file chooser the
    /// backend opened — as a person would, by typing `path` into it and pressing
    /// Return (xdotool on this app's own X server; Debian package `xdotool`).
    /// `replace` also confirms GTK's "replace the existing file?" question.
    /// Panics if no such dialog appears or it does not close.
    pub async fn answer_file_dialog(&self, title: &str, path: &Path, replace: bool) {
        let dialog = self.wait_for_x_window(title).await;
        let xdo = |args: &[&str]| {
            let out =
                Command::new("xdotool").args(args).env("DISPLAY", &self.display).output().expect("run xdotool (Debian package xdotool)");
            assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        // No window manager runs on the test's X server: give the dialog the keyboard focus directly.
        xdo(&["windowfocus", "--sync", &dialog]);
        // Ctrl+L opens the location field of an open dialog; a save dialog's name field has the focus
        // already. Ctrl+A replaces what is there (the suggested name).
        xdo(&["key", "--clearmodifiers", "ctrl+l"]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        xdo(&["key", "--clearmodifiers", "ctrl+a"]);
        xdo(&["type", "--delay", "20", &path.to_string_lossy()]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        xdo(&["key", "Return"]);
        if replace {
            // GTK's question names the file; its "Replace" button has the mnemonic Alt+R.
            tokio::time::sleep(Duration::from_millis(800)).await;
            xdo(&["key", "--clearmodifiers", "alt+r"]);
        }
        // Should a folder dialog open the typed folder on the first Return, the next one picks it.
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(800)).await;
            if !self.x_windows(title).contains(&dialog) {
                return;
            }
            xdo(&["key", "Return"]);
        }
        let deadline = Instant::now() + WAIT;
        while self.x_windows(title).contains(&dialog) {
            assert!(Instant::now() < deadline, "the file dialog {title:?} did not close after typing {}", path.display());
            tokio::time::sleep(POLL).await;
        }
    }

    /// Presses Escape in the OS file dialog titled `title` (the officer cancels it).
    pub async fn cancel_file_dialog(&self, title: &str) {
        let dialog = self.wait_for_x_window(title).await;
        for args in [vec!["windowfocus", "--sync", dialog.as_str()], vec!["key", "Escape"]] {
            let out = Command::new("xdotool").args(&args).env("DISPLAY", &self.display).output().expect("run xdotool");
            assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let deadline = Instant::now() + WAIT;
        while self.x_windows(title).contains(&dialog) {
            assert!(Instant::now() < deadline, "the file dialog {title:?} did not close on Escape");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether a window titled exactly `title` is shown on this app's X server.
    pub fn has_x_window(&self, title: &str) -> bool {
        !self.x_windows(title).is_empty()
    }

    fn x_windows(&self, title: &str) -> Vec<String> {
        let pattern = format!("^{}$", title.replace(['.', '(', ')', '[', ']', '*', '+', '?', '^', '$', '|'], "."));
        Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &pattern])
            .env("DISPLAY", &self.display)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    async fn wait_for_x_window(&self, title: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(w) = self.x_windows(title).into_iter().next() {
                // Let GTK finish mapping and focusing its widgets.
                tokio::time::sleep(Duration::from_millis(500)).await;
                return w;
            }
            assert!(Instant::now() < deadline, "no file dialog titled {title:?} appeared\n{}", self.page_summary().await);
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs a script in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client().execute(script, args).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// A PNG of the window, written to `path` (relative paths are relative to the workspace root).
    ///
    /// Taken from the X server (ImageMagick's `import` on this app's own Xvfb,
    /// cropped to the window), so it is what the screen shows. Not WebDriver's
    /// snapshot: with WebKit's compositing off, as the app turns it off on a
    /// machine without a GPU (this one; `rightsdesk-app`'s `run`), WebKitGTK
    /// never completes a snapshot of the new-request form.
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> PathBuf {
        tokio::time::sleep(Duration::from_millis(500)).await; // the screen can lag the DOM by a frame
        let path = path.as_ref();
        let path = if path.is_absolute() { path.to_path_buf() } else { workspace_root().join(path) };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("screenshot dir");
        }
        let (x, y, width, height) = self.client().get_window_rect().await.expect("window rect");
        let out = tokio::process::Command::new("import")
            .args(["-display", &self.display, "-window", "root", "-crop", &format!("{width}x{height}+{x}+{y}"), "+repage", "png:-"])
            .output()
            .await
            .expect("run ImageMagick's import (Debian package imagemagick)");
        assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
        let png = out.stdout;
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// What the page shows, for failure messages: URL, first-level testids, alerts, text.
    pub async fn page_summary(&self) -> String {
        let Some(client) = self.client.as_ref() else { return String::new() };
        let script = r#"
            const ids = [...document.querySelectorAll('[data-testid]')].map(e => e.getAttribute('data-testid'));
            const alerts = [...document.querySelectorAll('[role=alert]')].map(e => e.innerText);
            const errs = [...document.querySelectorAll('[data-error-for]')].map(e => e.getAttribute('data-error-for') + ': ' + e.innerText);
            return 'url: ' + location.href + '\ntestids: ' + [...new Set(ids)].join(', ')
              + '\nalerts: ' + JSON.stringify(alerts) + '\nfield errors: ' + JSON.stringify(errs)
              + '\ntext: ' + (document.body ? document.body.innerText.slice(0, 1500) : '(no body)');
        "#;
        let fut = client.execute(script, vec![]);
        match tokio::time::timeout(Duration::from_secs(5), fut).await {
            Ok(Ok(v)) => format!("--- page ---\n{}", v.as_str().unwrap_or_default()),
            Ok(Err(e)) => format!("--- page unavailable: {e}"),
            Err(_) => "--- page unavailable: script timed out".to_string(),
        }
    }

    /// Closes the WebDriver session and stops every process. Dropping does the
    /// same (best effort); calling this at the end of a test is cleaner.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        self.stop_processes();
    }

    /// As [`App::close`], handing back the sandbox: the next start in it finds the files (and
    /// the keyring, see [`Options::keyring`]) this one left.
    pub async fn close_keeping_sandbox(mut self) -> Sandbox {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        self.stop_processes();
        std::mem::take(&mut self.sandbox)
    }

    fn stop_processes(&mut self) {
        if let Some(mut d) = self.driver.take() {
            d.stop(Duration::from_secs(5));
        }
        if let Some(mut x) = self.xvfb.take() {
            x.stop(Duration::from_secs(3));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let failing = std::thread::panicking() || TIMED_OUT.with(std::cell::Cell::get);
        if let Some(client) = self.client.take() {
            // Only a multi-thread runtime lets us finish async work here.
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
                    tokio::task::block_in_place(|| {
                        handle.block_on(async {
                            if failing {
                                let shot = target_dir().join("e2e-failures").join(format!("{}.png", self.label));
                                let _ = fs::create_dir_all(shot.parent().expect("parent"));
                                if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(5), client.screenshot()).await {
                                    let _ = fs::write(&shot, png);
                                    eprintln!("[e2e] failure screenshot: {}", shot.display());
                                }
                            }
                            let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
                        })
                    });
                }
            }
        }
        self.stop_processes();
        if failing {
            let log = fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            eprintln!("[e2e] {}: last lines of the WebDriver/app log:\n{}", self.label, tail.join("\n"));
        }
        // The sandbox (temp dir) is removed after this; TempDir ignores errors.
    }
}

/// Opens the test's database read-only with the core library (beside a running
/// app, which holds the writer lock) and counts requests (0 if the file does not exist yet).
pub fn count_requests(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    let key = rightsdesk_core::store::DbKey::passphrase(TEST_PASSPHRASE).expect("test passphrase");
    let db = rightsdesk_core::store::Db::open_read_only(db, &key).expect("open database");
    rightsdesk_core::requests::count(&db).expect("count requests")
}

//! The shell is locked down: the ACL lists exactly the commands the app
//! registers, the window's one capability allows exactly those (no plugin
//! permission, no fs/shell/sql; the file dialog is opened from Rust only), the
//! CSP allows no inline script and no remote content, and a panic prints no
//! personal data.

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The quoted names inside the `let commands = &[ ... ];` list of build.rs.
fn acl_commands() -> BTreeSet<String> {
    let build = read("build.rs");
    let start = build.find("let commands = &[").expect("command list in build.rs");
    let list = &build[start..build[start..].find("];").unwrap() + start];
    list.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// The last path segment of each entry of `collect_commands![ ... ]` in lib.rs.
fn registered_commands() -> BTreeSet<String> {
    let lib = read("src/lib.rs");
    let start = lib.find("collect_commands![").expect("collect_commands! in lib.rs");
    let body = &lib[start + "collect_commands![".len()..];
    let body = &body[..body.find(']').unwrap()];
    body.split(',').map(|e| e.trim()).filter(|e| !e.is_empty()).map(|e| e.rsplit("::").next().unwrap().to_string()).collect()
}

#[test]
fn the_window_may_call_exactly_the_commands_the_app_registers_and_nothing_else() {
    let acl = acl_commands();
    assert_eq!(acl, registered_commands(), "build.rs and collect_commands! disagree");
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let allowed: BTreeSet<String> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().expect("plain permission names").to_string()).collect();
    let expected: BTreeSet<String> = acl.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(allowed, expected, "the capability must allow exactly the app's commands (no plugins, no core:*)");
    let caps = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities")).unwrap().count();
    assert_eq!(caps, 1, "one capability, for the main window");
}

#[test]
fn the_csp_runs_no_inline_script_and_loads_nothing_remote() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    let script = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap();
    assert_eq!(script, "script-src 'self'");
    assert!(csp.contains("default-src 'self'") && csp.contains("object-src 'none'"));
    for d in csp.split(';') {
        for source in d.split_whitespace().skip(1) {
            let remote = source.starts_with("https:") || source.starts_with("http:") || source == "*";
            assert!(!remote || source == "http://ipc.localhost", "remote source {source} in the CSP");
        }
    }
    assert!(conf["plugins"].is_null() || conf["plugins"].as_object().unwrap().is_empty());
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    let cargo = read("Cargo.toml");
    for plugin in ["tauri-plugin-fs", "tauri-plugin-shell", "tauri-plugin-sql", "tauri-plugin-updater"] {
        assert!(!cargo.contains(plugin), "{plugin} must not be a dependency");
    }
}

/// Every file under `dir` whose name ends with one of `exts`.
fn sources(dir: &Path, exts: &[&str]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(sources(&path, exts));
        } else if exts.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_file_dialog_is_opened_by_the_backend_only_and_the_window_cannot_call_it() {
    // Rust registers tauri-plugin-dialog and opens it (commands/files.rs); the window's capability
    // grants none of the plugin's commands (the exact-set test above), and the UI has no client for it.
    let lib = read("src/lib.rs");
    assert!(lib.contains(".plugin(tauri_plugin_dialog::init())"));
    for name in ["choose_save_path", "choose_open_path", "choose_folder"] {
        assert!(acl_commands().contains(name), "{name} is an app command");
    }
    let cap = read("capabilities/main.json");
    assert!(!cap.contains("dialog:"), "no dialog permission for the window");
    let package = read("../ui/package.json");
    assert!(!package.contains("plugin-dialog"), "the UI has no dialog plugin client");
    // The plugin replaces window.alert/confirm with calls the window may not make: the UI asks in its own markup.
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src");
    for file in sources(&ui, &[".ts", ".tsx"]) {
        let text = std::fs::read_to_string(&file).unwrap();
        for call in ["window.confirm(", "window.alert(", "plugin:dialog"] {
            assert!(!text.contains(call), "{} calls {call}", file.display());
        }
    }
}

/// The child half of the next test: panics with personal data in the message.
#[test]
fn panic_child() {
    if std::env::var_os("RIGHTSDESK_PANIC_CHILD").is_none() {
        return;
    }
    rightsdesk_app::install_panic_hook();
    let name = "Ada Lovelace-Example";
    panic!("could not parse the request of {name} <ada@example.org>");
}

#[test]
fn a_panic_prints_where_it_happened_but_not_the_personal_data_in_its_message() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "panic_child", "--nocapture", "--test-threads=1"])
        .env("RIGHTSDESK_PANIC_CHILD", "1")
        .output()
        .unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(all.contains("details are withheld"), "{all}");
    assert!(!all.contains("Ada") && !all.contains("ada@example.org"), "{all}");
}

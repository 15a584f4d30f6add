//! The Rightsdesk desktop shell: window, IPC commands, app state.
//!
//! The only crate that depends on tauri. Each command is a few lines: take the
//! state, call one `rightsdesk_core` service on a blocking thread, map the
//! error to [`error::IpcError`]. Nothing here computes what the core owns.

mod commands;
pub mod error;
mod grants;
mod mailbox_watch;
mod state;
mod status;
mod team_watch;

use tauri_specta::{collect_commands, Builder};

/// The typed command set; also the source of `ui/src/ipc/bindings.ts`.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new().commands(collect_commands![
        commands::setup::app_info,
        commands::status::app_status,
        commands::setup::load_demo,
        commands::setup::unlock_database,
        commands::setup::first_paint_done,
        commands::team::connect_team,
        commands::team::watch_register,
        commands::team::use_local_register,
        commands::requests::list_requests,
        commands::requests::get_request,
        commands::requests::register_request,
        commands::requests::register_processor_request,
        commands::requests::processor_role,
        commands::requests::change_status,
        commands::deadlines::record_clock_event,
        commands::deadlines::what_if,
        commands::deadlines::deadline_options,
        commands::deadlines::set_deadline_options,
        commands::deadlines::holidays,
        commands::mail::get_mail_settings,
        commands::mail::save_mail_settings,
        commands::mail::send_test_message,
        commands::mail::letter_kinds,
        commands::mail::preview_letter,
        commands::mail::send_letter,
        commands::mail::list_outbox,
        commands::mail::send_outbox,
        commands::mail::confirm_letter_sent,
        commands::mail::resend_letter,
        commands::mail::letter_source,
        commands::mail::list_reminders,
        commands::mail::get_letter_template,
        commands::mail::save_letter_template,
        commands::mailbox::get_mailbox_settings,
        commands::mailbox::save_mailbox_settings,
        commands::mailbox::test_mailbox,
        commands::mailbox::fetch_mailbox,
        commands::mailbox::mailbox_status,
        commands::mailbox::list_intake,
        commands::mailbox::get_intake_item,
        commands::mailbox::accept_intake,
        commands::mailbox::dismiss_intake,
        commands::mailbox::link_intake,
        commands::mailbox::start_mailbox_sign_in,
        commands::mailbox::mailbox_sign_in_status,
        commands::mailbox::cancel_mailbox_sign_in,
        commands::mailbox::sign_out_mailbox,
        commands::conversation::request_conversation,
        commands::conversation::record_mail_received,
        commands::conversation::save_mail_attachment,
        commands::work::list_systems,
        commands::work::save_system,
        commands::work::delete_system,
        commands::work::import_datamap,
        commands::work::export_datamap,
        commands::work::load_starter_map,
        commands::work::list_tasks,
        commands::work::generate_tasks,
        commands::work::update_task,
        commands::work::assign_task,
        commands::work::assignable_people,
        commands::work::list_identity_checks,
        commands::work::verify_identity,
        commands::work::request_identity,
        commands::work::list_evidence,
        commands::work::add_evidence,
        commands::work::remove_evidence,
        commands::work::save_evidence,
        commands::work::verify_audit,
        commands::work::export_audit,
        commands::work::possible_duplicates,
        commands::work::link_requests,
        commands::work::mark_duplicate,
        commands::package::build_package,
        commands::package::verify_package,
        commands::package::package_contents,
        commands::package::state_package_fact,
        commands::package::generate_passphrase,
        commands::package::built_package,
        commands::owners::task_owners,
        commands::owners::send_to_owner,
        commands::owners::close_task_from_reply,
        commands::owners::remind_owners,
        commands::owners::owner_settings,
        commands::owners::set_owner_settings,
        commands::owners::send_answer,
        commands::import::preview_import,
        commands::import::commit_import,
        commands::register::export_register,
        commands::register::year_metrics,
        commands::register::export_metrics,
        commands::safety::backup_schedule,
        commands::safety::set_backup_schedule,
        commands::safety::backup_now,
        commands::safety::retention_policies,
        commands::safety::set_retention,
        commands::safety::intake_dismissed_days,
        commands::safety::set_intake_dismissed_days,
        commands::safety::purge_preview,
        commands::safety::run_purge,
        commands::workspace::dashboard,
        commands::workspace::next_step,
        commands::workspace::search_requests,
        commands::workspace::list_saved_filters,
        commands::workspace::save_filter,
        commands::workspace::delete_saved_filter,
        commands::workspace::bulk_change_status,
        commands::workspace::bulk_mark_duplicate,
        commands::workspace::ui_preferences,
        commands::files::choose_save_path,
        commands::files::choose_open_path,
        commands::files::choose_folder,
        commands::files::save_calendar,
    ])
}

/// Where the generated TypeScript bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/ipc/bindings.ts";

/// Writes the TypeScript bindings to `path`.
pub fn export_bindings(path: &std::path::Path) -> std::io::Result<()> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by `cargo run -p rightsdesk-app --bin export-bindings`. Do not edit.\n"),
            path,
        )
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// A panic prints where it happened, never its message: a payload may quote
/// the personal data being processed (a name in a failed parse, say).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("Rightsdesk stopped unexpectedly (at {at}); details are withheld because they may contain personal data");
    }));
}

/// Brings the running app's window to the front (a second launch asked for it).
fn focus_main_window(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager that refuses leaves the window where it was, and nothing is lost.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

pub fn run() {
    software_rendering_without_compositing();
    install_panic_hook();
    start_log();
    let builder = specta_builder();
    let state = state::App::open_default();
    tauri::Builder::default()
        // First, so a second launch hands over to the running app and exits before any window exists.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| focus_main_window(app)))
        // Opened from Rust only (commands/files.rs); the window holds no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(grants::Grants::default())
        .manage(commands::package::BuiltPackages::default())
        .manage(commands::mail::MailState::default())
        .manage(mailbox_watch::MailboxWatch::default())
        .manage(commands::mailbox::SignIn::default())
        .manage(team_watch::Watchers::default())
        .setup(|app| {
            use tauri::Manager;
            // The outbox and the mailbox start once the window has painted its first screen: their
            // first runs read the register, which the first list would otherwise wait for.
            let (handle, state) = (app.handle().clone(), app.state::<state::App>().inner().clone());
            std::thread::spawn(move || {
                if let state::DbState::Team(team) = state.state() {
                    team_watch::start(handle.clone(), team);
                }
                state.wait_for_first_paint();
                commands::mail::start_outbox_worker(handle.clone());
                mailbox_watch::start(handle);
            });
            Ok(())
        })
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Rightsdesk could not start: {e}");
            std::process::exit(1);
        });
}

/// The log: `logs/` beside the register's database (see `rightsdesk_log`). Without a data
/// directory, or where the folder cannot be written, the app runs without one and says so on stderr.
fn start_log() {
    let Some(mut db) = rightsdesk_core::paths::default_db_path() else { return };
    if rightsdesk_core::store::pg::is_postgres_url(&db.to_string_lossy()) {
        // A team register's address is no folder: the log goes to the data directory's.
        let Some(data) = rightsdesk_core::paths::data_dir() else { return };
        db = data.join(rightsdesk_core::paths::DB_FILE);
    }
    match rightsdesk_log::install(&rightsdesk_log::dir_for(&db), rightsdesk_log::level_from_env()) {
        Ok(()) => tracing::info!(version = env!("CARGO_PKG_VERSION"), "app started"),
        Err(why) => eprintln!("Rightsdesk runs without a log: {why}"),
    }
}

/// On Linux without a GPU (no DRM render node), WebKitGTK would composite
/// every frame with Mesa's software rasteriser; its plain software path is
/// faster and lighter there (measured: the list painted 1.3 s sooner and 100 MB
/// less memory, `scripts/bench.sh`). So compositing is turned off on such a
/// machine, unless the officer chose: `WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps
/// it, `=1` turns it off anywhere. Without compositing nothing is handed from
/// the web process to the window as DMA-BUF, so WebKit's DMA-BUF renderer is
/// turned off with it (`WEBKIT_DISABLE_DMABUF_RENDERER=1`, unless the officer
/// set that variable): measured with `bench-app --env`, the app's own process
/// 5 MB lighter at 100,000 requests (124 → 119 MB PSS), the start unchanged.
/// Must run before any thread starts (it sets the variables for WebKit to read
/// at start).
fn software_rendering_without_compositing() {
    if cfg!(target_os = "linux") && turn_compositing_off(std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some(), has_render_node()) {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
            std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        }
    }
}

/// Off only where there is no GPU and the officer has not chosen either way.
fn turn_compositing_off(officer_chose: bool, gpu: bool) -> bool {
    !officer_chose && !gpu
}

/// Whether a GPU render node exists (`/dev/dri/renderD*`), which WebKit's compositing would use.
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD"))).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn compositing_is_turned_off_only_without_a_gpu_and_without_the_officers_choice() {
        assert!(super::turn_compositing_off(false, false), "no GPU, no choice: off");
        assert!(!super::turn_compositing_off(false, true), "a GPU composites");
        assert!(!super::turn_compositing_off(true, false), "WEBKIT_DISABLE_COMPOSITING_MODE set (0 or 1) is left to WebKit");
    }

    #[test]
    fn the_ui_bindings_match_the_rust_commands() {
        let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(super::BINDINGS_PATH);
        let dir = tempfile_dir();
        let fresh_path = dir.join("bindings.ts");
        super::export_bindings(&fresh_path).unwrap();
        let fresh = std::fs::read_to_string(&fresh_path).unwrap();
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        // A test's scratch folder in the temp dir: one left behind harms nothing.
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            fresh == committed,
            "ui/src/ipc/bindings.ts is out of date with the Rust commands; \
             run `cargo run -p rightsdesk-app --bin export-bindings` and commit the result"
        );
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rightsdesk-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

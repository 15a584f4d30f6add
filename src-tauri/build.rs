fn main() {
    // Every app command is listed for the ACL; capabilities/main.json allows exactly these.
    let commands = &[
        "app_info",
        "load_demo",
        "unlock_database",
        "list_requests",
        "get_request",
        "register_request",
        "change_status",
        "record_clock_event",
        "what_if",
        "deadline_options",
        "set_deadline_options",
        "holidays",
        "dashboard",
        "search_requests",
        "list_saved_filters",
        "save_filter",
        "delete_saved_filter",
        "bulk_change_status",
        "bulk_mark_duplicate",
        "ui_preferences",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}

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
        "backup_schedule",
        "set_backup_schedule",
        "backup_now",
        "retention_policies",
        "set_retention",
        "purge_preview",
        "run_purge",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}

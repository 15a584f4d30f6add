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
        "list_systems",
        "save_system",
        "delete_system",
        "import_datamap",
        "export_datamap",
        "load_starter_map",
        "list_tasks",
        "generate_tasks",
        "update_task",
        "list_identity_checks",
        "verify_identity",
        "request_identity",
        "list_evidence",
        "add_evidence",
        "remove_evidence",
        "verify_audit",
        "export_audit",
        "possible_duplicates",
        "link_requests",
        "mark_duplicate",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}

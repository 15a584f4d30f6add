//! Regenerates `ui/src/ipc/bindings.ts` from the Rust commands.

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rightsdesk_app::BINDINGS_PATH);
    if let Err(e) = rightsdesk_app::export_bindings(&path) {
        eprintln!("could not write the bindings: {e}");
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}

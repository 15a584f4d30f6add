use rightsdesk_core::package::{self, PackageContents, PackageOptions, PackageProgress, PackageReport, VerifyReport};
use rightsdesk_core::services::current_actor;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::IpcError;
use crate::state::{blocking, App};

/// Builds the answer package of request `id` at `out` (empty: the packages folder beside the
/// database), reporting progress on `on_progress`: the register's data, the data map's systems and the
/// evidence stored on the request.
#[tauri::command]
#[specta::specta]
pub async fn build_package(
    state: State<'_, App>,
    id: String,
    out: String,
    passphrase: Option<String>,
    on_progress: Channel<PackageProgress>,
) -> Result<PackageReport, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || {
        let out = package::out_path(&db, &*clock, &id, &out)?;
        let options = PackageOptions { out: &out, passphrase: passphrase.as_deref().filter(|p| !p.is_empty()) };
        let mut progress = |p: &PackageProgress| {
            let _ = on_progress.send(p.clone());
        };
        let sources = package::sources_from_workspace(&db, &id)?;
        package::build(&db, &*clock, &id, sources, &options, &current_actor(), &mut progress)
    })
    .await
}

/// What the package of request `id` will hold: the systems its cover letter describes and the evidence files.
#[tauri::command]
#[specta::specta]
pub async fn package_contents(state: State<'_, App>, id: String) -> Result<PackageContents, IpcError> {
    let (db, clock) = (state.db()?, state.clock.clone());
    blocking(move || {
        let sources = package::sources_from_workspace(&db, &id)?;
        package::contents(&db, &*clock, &id, sources)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_package(path: String, passphrase: Option<String>) -> Result<VerifyReport, IpcError> {
    blocking(move || package::verify(std::path::Path::new(&path), passphrase.as_deref().filter(|p| !p.is_empty()))).await
}

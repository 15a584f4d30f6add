use rightsdesk_core::domain::Lang;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::files::destination::Overwrite;
use rightsdesk_core::packages::{
    self, BuiltPackage, FactStatement, PackageContents, PackageOptions, PackageProgress, PackageReport, VerifyReport,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::files::destination;
use crate::commands::mail::actor_on;
use crate::error::IpcError;
use crate::grants::{Grants, OpenPurpose, SavePurpose};
use crate::state::{blocking, App, Register};

/// Where the ZIP may go: never over the register's own files. On a team register none of its
/// files is on this computer, but the local register file (and its folders) still is not written over.
fn package_destination(register: &Register, out: &std::path::Path) -> rightsdesk_core::Result<std::path::PathBuf> {
    match register {
        Register::File(db) => destination(db, out),
        Register::Team(_) => {
            let local = rightsdesk_core::paths::default_db_path().unwrap_or_else(|| std::path::PathBuf::from("rightsdesk.sqlite3"));
            rightsdesk_core::files::destination::check(
                out,
                &rightsdesk_core::files::destination::Protected::for_database(&local),
                Overwrite::Allowed,
            )
        }
    }
}

/// Builds the answer package of request `id` at `out` (a file the officer picked with
/// `choose_save_path(package)`), reporting progress on `on_progress`: the register's data, the data
/// map's systems and the evidence stored on the request. On a team register the package is also kept in
/// the team's database, so every officer's response letter finds it. The cover letter is in `lang` (none: the mail
/// settings' default language, else English, as `rightsdesk package --lang`).
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn build_package(
    state: State<'_, App>,
    grants: State<'_, Grants>,
    built: State<'_, BuiltPackages>,
    id: String,
    out: String,
    passphrase: Option<String>,
    lang: Option<Lang>,
    on_progress: Channel<PackageProgress>,
) -> Result<PackageReport, IpcError> {
    let out = grants.take_save(SavePurpose::Package, &out, "out")?;
    let (register, clock) = (state.register()?, state.clock.clone());
    let request = id.clone();
    let report = blocking(move || {
        let out = package_destination(&register, &out)?;
        let db = register.store();
        let options =
            PackageOptions { out: &out, passphrase: passphrase.as_deref().filter(|p| !p.is_empty()), overwrite: Overwrite::Allowed };
        let mut progress = |p: &PackageProgress| {
            // Only the progress bar: a window that stopped listening does not stop the package.
            let _ = on_progress.send(p.clone());
        };
        let sources = packages::sources_from_workspace(db, &id)?;
        packages::build_in(db, &*clock, &RequestId::from(&id), sources, &options, lang, &actor_on(&register), &mut progress)
    })
    .await?;
    // The package just written may be read back (verified) without a second dialog.
    grants.grant_open(OpenPurpose::Package, std::path::PathBuf::from(&report.path))?;
    built.remember(&[&request, &report.reference], std::path::PathBuf::from(&report.path));
    Ok(report)
}

/// The file each request's package was saved to in this session (the save dialog may put it anywhere;
/// the database keeps only its name), by the request's id and reference: the response letter attaches it.
#[derive(Default)]
pub struct BuiltPackages(std::sync::Mutex<std::collections::HashMap<String, std::path::PathBuf>>);

impl BuiltPackages {
    fn remember(&self, keys: &[&str], path: std::path::PathBuf) {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for k in keys {
            map.insert((*k).to_string(), path.clone());
        }
    }

    pub fn get(&self, request: &str) -> Option<std::path::PathBuf> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(request).cloned()
    }
}

/// A generated passphrase for an encrypted package: six words of the EFF large list (about 77 bits),
/// shown once to the officer, who sends it by another channel than the package.
#[tauri::command]
#[specta::specta]
pub async fn generate_passphrase() -> Result<String, IpcError> {
    blocking(packages::generate_passphrase).await
}

/// The package of request `id` that the response letter can attach (saved this session, or in the
/// default packages folder; on a team register the newest one kept in the team's database, whoever built it), with its size and whether it fits the mail server's limit.
#[tauri::command]
#[specta::specta]
pub async fn built_package(state: State<'_, App>, built: State<'_, BuiltPackages>, id: String) -> Result<Option<BuiltPackage>, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    let known = built.get(&id);
    blocking(move || packages::built_package(register.store(), &*clock, &RequestId::from(&id), known.as_deref())).await
}

/// What the package of request `id` will hold: the systems its cover letter describes and the evidence files.
#[tauri::command]
#[specta::specta]
pub async fn package_contents(state: State<'_, App>, id: String) -> Result<PackageContents, IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || {
        let db = register.store();
        let sources = packages::sources_from_workspace(db, &id)?;
        packages::contents(db, &*clock, &id, sources)
    })
    .await
}

/// Records the officer's statement of a fact the data map lacks for request `id`'s package (a system's
/// automated decisions or transfer safeguard); it goes on the request's timeline, and the build accepts it.
#[tauri::command]
#[specta::specta]
pub async fn state_package_fact(state: State<'_, App>, id: String, statement: FactStatement) -> Result<(), IpcError> {
    let (register, clock) = (state.register()?, state.clock.clone());
    blocking(move || packages::state_fact(register.store(), &*clock, &RequestId::from(&id), &statement, &actor_on(&register))).await
}

/// Checks a package the officer picked with `choose_open_path(package)`.
#[tauri::command]
#[specta::specta]
pub async fn verify_package(grants: State<'_, Grants>, path: String, passphrase: Option<String>) -> Result<VerifyReport, IpcError> {
    let path = grants.open(OpenPurpose::Package, &path, "path")?;
    blocking(move || packages::verify(&path, passphrase.as_deref().filter(|p| !p.is_empty()))).await
}

//! Where a command may write a file: the one guard every export, package,
//! calendar, backup file and evidence copy passes before it writes.
//!
//! [`check`] refuses, naming the file: a folder; an existing file unless the
//! officer allowed replacing it (`--force` in the CLI, a confirmed save dialog
//! in the app); and always — even when replacing is allowed — the database,
//! every file named after it beside it (`-wal`, `-shm`, `-journal`, `.lock`),
//! its evidence folder, the app's data directory, and any folder the caller
//! adds (the configured backup folder). The target is resolved the way the
//! operating system will resolve it: its folder is canonicalised (symlinks,
//! `..`, relative paths), a symlink at the target is followed to what it names,
//! and on Unix an existing target that is the same file as the database (a hard
//! link) is recognised by its device and inode. What it does not do: hold the
//! answer until the write — a file created between the check and the write is
//! not seen; the writers create under a temporary name and rename, so the
//! database itself can never be half-replaced.
//!
//! The data directory is the app's own folder ([`crate::paths::data_dir`]),
//! whole, plus the database's files and its `evidence/` folder wherever the
//! database lives; a database kept elsewhere (`--db ~/r.sqlite3`) does not make
//! its whole folder unwritable (that would forbid exporting to the home folder).

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::atomic::parent_of;

/// Whether an existing (unprotected) file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse an existing file (the default).
    Refuse,
    /// The officer asked to replace it (`--force`, or a confirmed save dialog).
    Allowed,
}

impl Overwrite {
    /// `--force` as a flag.
    pub fn from_force(force: bool) -> Overwrite {
        if force {
            Overwrite::Allowed
        } else {
            Overwrite::Refuse
        }
    }
}

/// What no command may write over: the database, its companion files, and the data folders.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The database, resolved.
    database: PathBuf,
    /// Folders whose whole content is off limits, resolved.
    dirs: Vec<PathBuf>,
}

impl Protected {
    /// The database at `db` with every file named after it, its `evidence/`
    /// folder, and the app's data directory.
    pub fn for_database(db: &Path) -> Protected {
        let database = resolve(db);
        // Resolved too: an evidence folder that is a symlink is protected where it really is.
        let mut dirs = vec![resolve(&parent_of(&database).join(crate::paths::EVIDENCE_DIR))];
        if let Some(data) = crate::paths::data_dir() {
            dirs.push(resolve(&data));
        }
        Protected { database, dirs }
    }

    /// Also protects everything under `dir` (the configured backup folder, say).
    pub fn with_dir(mut self, dir: &Path) -> Protected {
        self.dirs.push(resolve(dir));
        self
    }

    /// The database path as resolved (symlinks and `..` followed).
    pub fn database(&self) -> &Path {
        &self.database
    }

    /// Why `resolved` is off limits, if it is.
    fn refuses(&self, resolved: &Path) -> Option<String> {
        let db_dir = parent_of(&self.database);
        if resolved == self.database {
            return Some("is the database".into());
        }
        if parent_of(resolved) == db_dir {
            if let (Some(db_name), Some(name)) = (self.database.file_name(), resolved.file_name()) {
                if name.as_encoded_bytes().starts_with(db_name.as_encoded_bytes()) {
                    return Some("is one of the database's own files".into());
                }
            }
        }
        for dir in &self.dirs {
            if resolved.starts_with(dir) {
                return Some(format!("is inside the data folder {}", dir.display()));
            }
        }
        if same_file_as_database(resolved, &self.database) {
            return Some("is the database under another name".into());
        }
        None
    }
}

/// Checks that a command may write `path`; returns where the file will land
/// (its folder resolved, its own name kept, so a rename replaces a symlink and
/// not what it points at).
pub fn check(path: &Path, protected: &Protected, overwrite: Overwrite) -> Result<PathBuf> {
    let Some(name) = path.file_name().filter(|n| !n.is_empty() && *n != "." && *n != "..") else {
        return Err(Error::invalid("out", format!("{} does not name a file", path.display())));
    };
    let landing = resolve(&parent_of(path)).join(name);
    // Follow a symlink at the target to what it names (a few hops; a loop is refused).
    let mut targets = vec![landing.clone()];
    let mut current = landing.clone();
    for _ in 0..40 {
        match std::fs::read_link(&current) {
            Ok(next) => {
                let next = if next.is_absolute() { next } else { parent_of(&current).join(next) };
                current = resolve(&parent_of(&next)).join(next.file_name().unwrap_or(name));
                targets.push(current.clone());
            }
            Err(_) => break,
        }
    }
    for target in &targets {
        if let Some(why) = protected.refuses(target) {
            return Err(Error::invalid(
                "out",
                format!("{} {why}; no command writes there, not even with --force; choose a file elsewhere", path.display()),
            ));
        }
    }
    if current.is_dir() {
        return Err(Error::invalid("out", format!("{} is a folder; give a file name inside it", path.display())));
    }
    let exists = std::fs::symlink_metadata(&landing).is_ok();
    if exists && overwrite == Overwrite::Refuse {
        return Err(Error::invalid("out", format!("{} already exists; nothing was written (add --force to replace it)", path.display())));
    }
    Ok(landing)
}

/// `path` made absolute the way the OS resolves it: its longest existing
/// ancestor canonicalised (symlinks and `..` followed), the rest appended with
/// `.` and `..` applied lexically (a folder that does not exist holds no links).
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut rest: Vec<OsString> = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(base) {
            let mut out = real;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            (Some(parent), None) => {
                // `..` or `.` at the end of a path that does not exist.
                rest.push(base.components().next_back().map(|c| c.as_os_str().to_os_string()).unwrap_or_default());
                base = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(unix)]
fn same_file_as_database(target: &Path, database: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(t), Ok(d)) = (std::fs::metadata(target), std::fs::metadata(database)) else { return false };
    t.dev() == d.dev() && t.ino() == d.ino()
}

#[cfg(not(unix))]
fn same_file_as_database(_target: &Path, _database: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, Protected) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("r.sqlite3");
        std::fs::create_dir_all(db.parent().unwrap().join("evidence")).unwrap();
        std::fs::write(&db, b"db").unwrap();
        let protected = Protected::for_database(&db);
        (dir, db, protected)
    }

    #[test]
    fn a_new_file_beside_the_database_is_allowed_and_an_existing_one_needs_force() {
        let (dir, _db, p) = setup();
        let out = dir.path().join("data").join("export.csv");
        assert!(check(&out, &p, Overwrite::Refuse).is_ok());
        std::fs::write(&out, b"old").unwrap();
        let err = check(&out, &p, Overwrite::Refuse).unwrap_err().to_string();
        assert!(err.contains("export.csv") && err.contains("--force"), "{err}");
        assert!(check(&out, &p, Overwrite::Allowed).is_ok());
    }

    #[test]
    fn the_database_its_companions_and_evidence_are_refused_even_when_allowed() {
        let (dir, db, p) = setup();
        let data = dir.path().join("data");
        for target in [
            db.clone(),
            data.join("r.sqlite3-wal"),
            data.join("r.sqlite3-shm"),
            data.join("r.sqlite3-journal"),
            data.join("r.sqlite3.lock"),
            data.join("evidence").join("ab").join("x"),
            data.join("evidence").join("..").join("r.sqlite3"),
            data.join("nowhere").join("..").join("r.sqlite3"),
        ] {
            let err = check(&target, &p, Overwrite::Allowed).unwrap_err().to_string();
            assert!(err.contains("not even with --force"), "{target:?}: {err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_or_hard_link_to_the_database_is_refused() {
        let (dir, db, p) = setup();
        let link = dir.path().join("innocent.csv");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(check(&link, &p, Overwrite::Allowed).is_err());
        let chain = dir.path().join("chain.csv");
        std::os::unix::fs::symlink(&link, &chain).unwrap();
        assert!(check(&chain, &p, Overwrite::Allowed).is_err());
        let folder_link = dir.path().join("d");
        std::os::unix::fs::symlink(db.parent().unwrap(), &folder_link).unwrap();
        assert!(check(&folder_link.join("r.sqlite3-wal"), &p, Overwrite::Allowed).is_err());
        // An evidence folder kept elsewhere through a symlink is protected where it really is.
        let elsewhere = dir.path().join("evidence-store");
        std::fs::create_dir(&elsewhere).unwrap();
        let data = db.parent().unwrap();
        std::fs::remove_dir(data.join("evidence")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, data.join("evidence")).unwrap();
        let p = Protected::for_database(&db);
        assert!(check(&elsewhere.join("blob"), &p, Overwrite::Allowed).is_err());
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&db, &hard).unwrap();
        assert!(check(&hard, &p, Overwrite::Allowed).is_err());
    }

    #[test]
    fn a_folder_is_refused() {
        let (dir, _db, p) = setup();
        let err = check(dir.path(), &p, Overwrite::Allowed).unwrap_err().to_string();
        assert!(err.contains("folder"), "{err}");
    }
}

//! Secrets a local server keeps beside its data (the dev signing key, a service's cursor
//! key): readable and writable by their owner only (mode `0600` on Unix), and written whole
//! or not at all, so that two servers starting on the same directory agree on one key and a
//! crash never leaves half a key behind.
//!
//! A new file is written under a temporary name and then linked into place, which fails if
//! the name exists ([`std::fs::hard_link`]): of two racing writers exactly one wins and the
//! other reads the winner's key. A file found with looser permissions is tightened, with a
//! warning, since other local users may have read it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a secret file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}", path.display())]
pub struct SecretFileError {
    action: &'static str,
    path: PathBuf,
    source: std::io::Error,
}

impl SecretFileError {
    fn new(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

/// The file's bytes, `None` if it does not exist. Looser permissions than owner-only are
/// tightened first.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, SecretFileError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            restrict(path)?;
            Ok(Some(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SecretFileError::new("read", path, e)),
    }
}

/// Writes `contents` to `path` unless it exists: `true` if this call created it, `false` if
/// another writer got there first (read theirs). With `replace`, an existing file is
/// replaced instead (for one that did not parse).
pub fn create(path: &Path, contents: &[u8], replace: bool) -> Result<bool, SecretFileError> {
    let temporary = temporary_name(path);
    let written = write_private(&temporary, contents)
        .map_err(|e| SecretFileError::new("write", &temporary, e));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    let placed = if replace {
        std::fs::rename(&temporary, path).map(|()| true)
    } else {
        let linked = match std::fs::hard_link(&temporary, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        };
        let _ = std::fs::remove_file(&temporary);
        linked
    };
    placed.map_err(|e| SecretFileError::new("write", path, e))
}

fn temporary_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    path.with_file_name(name)
}

fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Owner-only permissions, with a warning when they were looser.
fn restrict(path: &Path) -> Result<(), SecretFileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata =
            std::fs::metadata(path).map_err(|e| SecretFileError::new("inspect", path, e))?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "a secret file was readable by others; restricting it to its owner (0600)"
            );
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| SecretFileError::new("restrict the permissions of", path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn secrets_are_owner_only_and_the_first_writer_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        assert_eq!(read(&path).unwrap(), None);
        assert!(create(&path, b"first", false).unwrap());
        assert_eq!(mode(&path), 0o600);
        assert!(!create(&path, b"second", false).unwrap());
        assert_eq!(read(&path).unwrap().as_deref(), Some(&b"first"[..]));
        assert!(create(&path, b"third", true).unwrap());
        assert_eq!(read(&path).unwrap().as_deref(), Some(&b"third"[..]));
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_readable_secret_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, b"k").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read(&path).unwrap().as_deref(), Some(&b"k"[..]));
        assert_eq!(mode(&path), 0o600);
    }
}

//! Where a `<service>-local` binary keeps what must survive a restart (the dev signing key,
//! so printed tokens stay valid; a service may keep its own data beside it), as flags:
//! `--data-dir` (created owner-only, `0700`) or `--in-memory` (nothing kept).

use std::path::{Path, PathBuf};

use crate::devauth::SigningKey;

/// The data flags every `<service>-local` without a store of its own takes.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct DataArgs {
    /// Where the dev signing key (and the service's own local data) live.
    #[arg(long, default_value = ".data/local")]
    pub data_dir: PathBuf,
    /// Keep everything in memory (tokens die with the process).
    #[arg(long)]
    pub in_memory: bool,
}

/// Why the data directory could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot create the data directory {}", path.display())]
pub struct DataDirError {
    path: PathBuf,
    source: std::io::Error,
}

impl DataArgs {
    /// Where the dev signing key lives: in `--data-dir` (created owner-only if missing), or
    /// nowhere with `--in-memory`.
    pub fn signing_key(&self) -> Result<SigningKey, DataDirError> {
        if self.in_memory {
            return Ok(SigningKey::Ephemeral);
        }
        create_private_dir(&self.data_dir)?;
        Ok(SigningKey::Persisted(self.data_dir.clone()))
    }

    /// How the start-up lines name where data lives.
    pub fn label(&self) -> String {
        if self.in_memory {
            "in memory".to_owned()
        } else {
            format!("in {}", self.data_dir.display())
        }
    }
}

/// Creates `dir` readable by its owner only (an existing one is left as it is).
pub fn create_private_dir(dir: &Path) -> Result<(), DataDirError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| DataDirError {
        path: dir.to_owned(),
        source,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_data_dir_is_the_owner_s_and_in_memory_keeps_nothing() {
        let root = tempfile::tempdir().unwrap();
        let args = DataArgs {
            data_dir: root.path().join("a/b"),
            in_memory: false,
        };
        assert_eq!(
            args.signing_key().unwrap(),
            SigningKey::Persisted(args.data_dir.clone())
        );
        let mode = std::fs::metadata(&args.data_dir)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
        let memory = DataArgs {
            data_dir: root.path().join("unused"),
            in_memory: true,
        };
        assert_eq!(memory.signing_key().unwrap(), SigningKey::Ephemeral);
        assert!(!memory.data_dir.exists());
        assert_eq!(memory.label(), "in memory");
    }
}

//! Every file the program writes goes through here: a temporary file beside the
//! destination, created exclusively under an unpredictable name (so nothing planted
//! at a guessable name is followed), written and synced, then renamed over the
//! destination. A reader never sees half a file, and a failure leaves the old one.
//!
//! `-o FILE`, `build --out-dir` and `init` all use it; `Transaction` stages a whole
//! tree before it renames anything.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Writes `contents` to `path` atomically, replacing what is there.
pub fn write_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut t = Transaction::default();
    t.stage(path, contents)?;
    t.commit().map(|_| ()).map_err(|e| e.error)
}

/// Writes `contents` to `path` atomically, failing with `AlreadyExists` when anything
/// is there: the file appears whole or not at all, and is never replaced.
/// Missing parent folders are created (and removed again when nothing is written).
pub fn create_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut t = Transaction::default();
    if let Some(dir) = parent(path) {
        t.create_dirs(dir)?;
    }
    let tmp = t.temp_beside(path, contents)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    t.created_dirs.clear();
    Ok(())
}

/// Files staged beside their destinations, renamed only by `commit`. Dropped without
/// a commit, it removes its temporary files and the folders it created, so the tree
/// is as it was.
#[derive(Default)]
pub struct Transaction {
    staged: Vec<(NamedTempFile, PathBuf)>,
    created_dirs: Vec<PathBuf>,
}

/// A rename that failed part-way through `commit`.
#[derive(Debug)]
pub struct CommitError {
    pub path: PathBuf,
    pub error: std::io::Error,
    /// The destinations already replaced before the failure.
    pub done: Vec<PathBuf>,
}

impl Transaction {
    /// Writes `contents` to a temporary file beside `path`, creating missing parent
    /// folders (remembered, so a rollback removes them).
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = parent(path) {
            self.create_dirs(dir)?;
        }
        let tmp = self.temp_beside(path, contents)?;
        self.staged.push((tmp, path.to_path_buf()));
        Ok(())
    }

    fn temp_beside(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<NamedTempFile> {
        let name = path.file_name().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path")
        })?;
        let dir = parent(path).unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", name.to_string_lossy()))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(contents)?;
        tmp.as_file().sync_all()?;
        Ok(tmp)
    }

    /// `create_dir_all` that remembers which folders it made, outermost first.
    fn create_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        for d in missing.into_iter().rev() {
            match std::fs::create_dir(&d) {
                Ok(()) => self.created_dirs.push(d),
                // Another process made it between the look and the create: fine.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Renames every staged file over its destination, in staging order. Each rename
    /// is atomic; on a failure the remaining temporaries are removed and the error
    /// says which destinations were already replaced.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, CommitError> {
        let mut done = Vec::new();
        let staged = std::mem::take(&mut self.staged);
        // Folders now hold (or are about to hold) real files: never roll them back.
        self.created_dirs.clear();
        for (tmp, path) in staged {
            if let Err(e) = tmp.persist(&path) {
                return Err(CommitError {
                    path,
                    error: e.error,
                    done,
                });
            }
            done.push(path);
        }
        Ok(done)
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        // NamedTempFile removes its file when dropped; folders go innermost first.
        self.staged.clear();
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_transaction_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b/file.txt");
        {
            let mut t = Transaction::default();
            t.stage(&path, b"x").unwrap();
            assert!(root.path().join("a/b").is_dir());
        }
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn commit_replaces_and_leaves_no_temporaries() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("f.txt");
        std::fs::write(&path, "old").unwrap();
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn create_new_never_replaces() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("spec.yaml");
        create_new(&path, b"first").unwrap();
        let e = create_new(&path, b"second").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}

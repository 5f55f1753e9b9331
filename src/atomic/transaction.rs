//! `Transaction`: files staged beside their destinations, renamed all at once;
//! journaled for an `--out-dir` tree.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{Durability, JOURNAL_PREFIX, JOURNAL_SUFFIX, fail_point, journal, lock, parent};

/// Files staged beside their destinations, renamed only by `commit`. Dropped without
/// a commit, it removes its temporary files and the folders it created, so the tree
/// is as it was.
#[derive(Default)]
pub struct Transaction {
    pub(super) staged: Vec<(NamedTempFile, PathBuf)>,
    pub(super) created_dirs: Vec<PathBuf>,
    journal: Option<Journal>,
    durability: Durability,
}

/// The journal of a tree's transaction: an open, locked file in the tree's root.
struct Journal {
    root: PathBuf,
    file: NamedTempFile,
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
    /// A transaction over the tree at `root` (which must exist), journaled there
    /// so that an interrupted one can be finished by `recover`.
    pub fn journaled(root: &Path) -> std::io::Result<Transaction> {
        // Created under a name `journals` does not match, locked, and only then
        // given its journal name: no other build can take it for an abandoned one
        // between its creation and its lock. The lock is held until the journal is
        // removed; `recover` leaves a locked journal alone, its build still running.
        let new = tempfile::Builder::new()
            .prefix(JOURNAL_PREFIX)
            .suffix(".new")
            .tempfile_in(from_root(root))?;
        lock(new.as_file(), false, true)?;
        let name = new
            .path()
            .with_extension("")
            .with_extension(&JOURNAL_SUFFIX[1..]);
        let file = new.persist_noclobber(&name).map_err(|e| e.error)?;
        let file = NamedTempFile::from_parts(file, tempfile::TempPath::try_from_path(name)?);
        let mut t = Transaction::default();
        t.journal = Some(Journal {
            root: root.to_path_buf(),
            file,
        });
        Ok(t)
    }

    /// The transaction, with its commit made as durable as `durability` says.
    pub fn with_durability(mut self, durability: Durability) -> Transaction {
        self.durability = durability;
        self
    }

    /// Writes `contents` to a temporary file beside `path`, creating missing parent
    /// folders (remembered, so a rollback removes them). Journaled, the temporary
    /// file's name is chosen and written to the journal before the file is created:
    /// a stop at any point leaves no temporary file the journal does not name, so
    /// the next build removes it.
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = parent(path) {
            self.create_dirs(dir)?;
        }
        let tmp = match &mut self.journal {
            None => temp_beside(path, contents, None)?,
            Some(j) => {
                let dest = relative_to(&j.root, path)?;
                let (dir, name) = match dest.rsplit_once('/') {
                    Some((dir, name)) => (Some(dir), name),
                    None => (None, dest.as_str()),
                };
                let tmp_name = journal::temporary_name(name);
                let tmp_rel = match dir {
                    Some(dir) => format!("{dir}/{tmp_name}"),
                    None => tmp_name.clone(),
                };
                j.file
                    .write_all(journal::stage_line(&tmp_rel, &dest).as_bytes())?;
                j.file.flush()?;
                temp_beside(path, contents, Some(&tmp_name))?
            }
        };
        self.staged.push((tmp, path.to_path_buf()));
        Ok(())
    }

    /// Appends `contents` to the file staged last: a file staged in parts, as they
    /// render, is never whole in memory.
    pub fn append_to_last(&mut self, contents: &[u8]) -> std::io::Result<()> {
        let (tmp, _) = self.staged.last_mut().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file was staged")
        })?;
        write_in_pieces(tmp, contents)
    }

    /// `create_dir_all` that remembers which folders it made, outermost first.
    pub(super) fn create_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
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
        let synced = self.durability == Durability::Synced;
        pause_point();
        if synced {
            // Every staged file on the disk before the commit marker can be: a
            // build that recovery rolls forward after a power cut renames whole files.
            for (tmp, path) in &self.staged {
                if let Err(error) = tmp.as_file().sync_data() {
                    return Err(CommitError {
                        path: path.clone(),
                        error,
                        done,
                    });
                }
            }
        }
        if let Some(j) = &mut self.journal {
            // From here on the transaction goes forward: the journal says so before
            // the first rename (on the disk too when synced).
            let marked = j.file.write_all(b"commit\n").and_then(|()| {
                if synced {
                    j.file.as_file().sync_data()?;
                }
                Ok(())
            });
            if let Err(error) = marked {
                return Err(CommitError {
                    path: j.file.path().to_path_buf(),
                    error,
                    done,
                });
            }
        }
        let staged = std::mem::take(&mut self.staged);
        // Folders now hold (or are about to hold) real files: never roll them back.
        self.created_dirs.clear();
        let Some(journal) = self.journal.take() else {
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
            return sync_folders(synced, done);
        };
        // Journaled: every temporary file stays on disk until renamed, so a rename
        // that fails (or a stop) leaves exactly what the journal names for
        // `recover` to finish.
        let mut pending = Vec::new();
        for (tmp, path) in staged {
            match tmp.into_temp_path().keep() {
                Ok(kept) => pending.push((kept, path)),
                Err(e) => {
                    let _ = journal.file.keep();
                    return Err(CommitError {
                        path,
                        error: e.error,
                        done,
                    });
                }
            }
        }
        for (n, (tmp, path)) in pending.into_iter().enumerate() {
            fail_point("SSM_PROFILE_ABORT_AFTER_RENAMES", n);
            if let Err(error) = std::fs::rename(&tmp, &path) {
                // The journal stays: the next build finishes this one.
                let _ = journal.file.keep();
                return Err(CommitError { path, error, done });
            }
            done.push(path);
        }
        // The renames on the disk before the journal goes (when synced).
        let done = sync_folders(synced, done)?;
        // Removing the journal (and its lock) ends the transaction.
        drop(journal);
        Ok(done)
    }
}

/// Test hook (debug builds only): `SSM_PROFILE_PAUSE_BEFORE_COMMIT_MS=N` says so
/// on stderr and sleeps N ms once everything is staged, before the first rename,
/// so that a test can start a second build of the tree right then.
fn pause_point() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("SSM_PROFILE_PAUSE_BEFORE_COMMIT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("test hook: staged, pausing before the renames");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// `dir` as a path from the file system's root. tempfile makes a relative folder
/// absolute itself, asking the system for the working folder each time (a `getcwd`
/// per staged file); the program never changes its working folder, so it is asked
/// once.
fn from_root(dir: &Path) -> std::borrow::Cow<'_, Path> {
    static WORKING: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    match WORKING.get_or_init(|| std::env::current_dir().ok()) {
        Some(working) if dir.is_relative() => working.join(dir).into(),
        _ => dir.into(),
    }
}

/// A new file beside `path` holding `contents`, created exclusively (never
/// through a link planted at its name): named `exact` when given (a journaled
/// stage names it first), else `.NAME.XXXXXX.tmp` with a random middle.
pub(super) fn temp_beside(
    path: &Path,
    contents: &[u8],
    exact: Option<&str>,
) -> std::io::Result<NamedTempFile> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"))?;
    let dir = parent(path).unwrap_or(Path::new("."));
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    match exact {
        // One attempt: a file already at a name the journal holds is not ours.
        Some(exact) => builder.prefix(exact).suffix("").rand_bytes(0),
        None => builder.prefix(&prefix).suffix(".tmp"),
    };
    // A generated file is read by everyone, like a file the editor saves (the
    // umask still applies); tempfile's own default, 0600, is for secrets.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(from_root(dir))?;
    #[cfg(debug_assertions)]
    {
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let made = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        fail_point("SSM_PROFILE_ABORT_AFTER_TEMP_FILES", made);
    }
    write_in_pieces(&mut tmp, contents)?;
    Ok(tmp)
}

/// The most one `write` call hands the kernel. Linux 6.18's ext4 gives a write that
/// covers an aligned 2 MiB range a 2 MiB page-cache folio, and on the virtual machine
/// BENCHMARKS.md describes, filling fresh 2 MiB blocks was ten times slower than
/// filling small ones: a 27 MB file took 70 ms in one call and 6 ms in 1 MiB calls
/// (the two Terraform files were a fifth of fleet-1000's time, issue 26). Elsewhere
/// the extra calls cost a few microseconds per file this large.
pub(super) const WRITE_PIECE: usize = 1 << 20;

/// Writes `contents` to `out` in calls of at most `WRITE_PIECE` bytes.
pub(super) fn write_in_pieces(out: &mut impl Write, contents: &[u8]) -> std::io::Result<()> {
    contents
        .chunks(WRITE_PIECE)
        .try_for_each(|piece| out.write_all(piece))
}

/// When `synced`, syncs every folder that holds one of `done` and each folder above
/// it (so the renames, and the folders made for them, reach the disk), each once; a
/// folder with nothing unwritten costs little.
fn sync_folders(synced: bool, done: Vec<PathBuf>) -> Result<Vec<PathBuf>, CommitError> {
    if !synced {
        return Ok(done);
    }
    let mut folders: Vec<&Path> = Vec::new();
    for path in &done {
        let mut dir = parent(path);
        while let Some(d) = dir.filter(|d| !folders.contains(d)) {
            folders.push(d);
            dir = parent(d);
        }
    }
    let failed = folders.iter().find_map(|dir| {
        let synced = File::open(dir).and_then(|f| f.sync_all());
        synced.err().map(|error| (dir.to_path_buf(), error))
    });
    match failed {
        None => Ok(done),
        Some((path, error)) => Err(CommitError { path, error, done }),
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

/// `path` relative to `root`, `/`-separated, for a journal line.
fn relative_to(root: &Path, path: &Path) -> std::io::Result<String> {
    let rel = path.strip_prefix(root).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is outside {}", path.display(), root.display()),
        )
    })?;
    let text = rel.to_str().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "path is not UTF-8")
    })?;
    if text.contains(['\t', '\n']) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "path holds a tab or newline",
        ));
    }
    Ok(text.replace('\\', "/"))
}

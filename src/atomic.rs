//! Every file the program writes goes through here: a temporary file beside the
//! destination, created exclusively under an unpredictable name (so nothing planted
//! at a guessable name is followed), written, then renamed over the destination. A
//! reader never sees half a file, and a failure leaves the old one.
//!
//! `-o FILE`, `build --out-dir` and `init` all use it; `Transaction` stages a whole
//! tree before it renames anything. A tree's transaction keeps a journal in the
//! tree (`.ssm-profile-build-XXXXXX.journal`, locked while its build runs) naming
//! every temporary file and its destination, and a `commit` line once all are
//! staged: a build stopped part-way (`kill -9`, a refused rename) is finished by
//! the next one (`recover`): rolled forward when it had committed, its temporary
//! files removed when it had not.
//!
//! Durability (see `Durability`): by default nothing is synced to the disk. The
//! promise is atomicity against interruption, which the journal and the renames give
//! without `fsync`, since the page cache outlives a killed process; a power cut can
//! lose what the kernel had not yet written, and the next `build` rewrites whatever
//! differs from the plan (it compares bytes, not times), `check` reporting it until
//! then. That is what cargo, terraform and most generators promise for files that
//! can be regenerated, and it keeps a build at the cost of its CPU time: one `fsync`
//! per file was 0.5 to 4 ms each on the benchmark machine, 85% of the seed's wall
//! time (BENCHMARKS.md). `Durability::Synced` (`build --fsync`) adds power-loss
//! durability: every staged file and the journal reach the disk before the commit
//! marker, and the folders after the renames.

use std::fs::File;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// How a tree's journal files are named: `PREFIX` + random + `SUFFIX`, in the tree.
pub const JOURNAL_PREFIX: &str = ".ssm-profile-build-";
pub const JOURNAL_SUFFIX: &str = ".journal";

/// Writes `contents` to `path` atomically, replacing what is there.
pub fn write_file(path: &Path, contents: &[u8], durability: Durability) -> std::io::Result<()> {
    let mut t = Transaction::default().with_durability(durability);
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
    // A spec is the user's source, not a file the next build regenerates: synced.
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    t.created_dirs.clear();
    Ok(())
}

/// How far a write goes to survive a power cut; every write is atomic against
/// interruption (a killed process, a failed rename) either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// Nothing synced: after a power cut a file may be old, new or empty, which the
    /// next build rewrites (the module's comment says why this is the default).
    #[default]
    Atomic,
    /// Also against a power cut: the staged files and the journal are synced before
    /// the commit marker, and the folders holding the renamed files after it, so a
    /// committed build is on the disk whole (or finished by `recover`).
    Synced,
}

/// Files staged beside their destinations, renamed only by `commit`. Dropped without
/// a commit, it removes its temporary files and the folders it created, so the tree
/// is as it was.
#[derive(Default)]
pub struct Transaction {
    staged: Vec<(NamedTempFile, PathBuf)>,
    created_dirs: Vec<PathBuf>,
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
            .tempfile_in(root)?;
        lock(new.as_file(), true)?;
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
    /// folders (remembered, so a rollback removes them).
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = parent(path) {
            self.create_dirs(dir)?;
        }
        let tmp = self.temp_beside(path, contents)?;
        if let Some(j) = &mut self.journal {
            // The temporary file sits beside its destination (tempfile makes its
            // path absolute, so it is named from the destination's).
            let dest = relative_to(&j.root, path)?;
            let tmp_name = tmp
                .path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let tmp_rel = match dest.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{tmp_name}"),
                None => tmp_name.to_string(),
            };
            let line = format!("stage\t{tmp_rel}\t{dest}\n");
            // Written before the next file is staged, so a stop here leaves no
            // temporary file the journal does not name.
            j.file.write_all(line.as_bytes())?;
            j.file.flush()?;
        }
        self.staged.push((tmp, path.to_path_buf()));
        Ok(())
    }

    fn temp_beside(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<NamedTempFile> {
        let name = path.file_name().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path")
        })?;
        let dir = parent(path).unwrap_or(Path::new("."));
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // A generated file is read by everyone, like a file the editor saves (the
        // umask still applies); tempfile's own default, 0600, is for secrets.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder.tempfile_in(dir)?;
        tmp.write_all(contents)?;
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
        let synced = self.durability == Durability::Synced;
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
            fail_point(n);
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

/// Test hook (debug builds only): `SSM_PROFILE_ABORT_AFTER_RENAMES=N` stops the
/// process as `kill -9` would, after N renames of a commit.
fn fail_point(renamed: usize) {
    #[cfg(debug_assertions)]
    if std::env::var("SSM_PROFILE_ABORT_AFTER_RENAMES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        == Some(renamed)
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = renamed;
}

/// Takes an exclusive lock on `file` (released when it is closed): waiting for it
/// when `wait`, else `Ok(false)` when another open file holds it. Without flock
/// (not unix) every journal counts as unlocked.
fn lock(file: &File, wait: bool) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        let op = if wait {
            FlockOperation::LockExclusive
        } else {
            FlockOperation::NonBlockingLockExclusive
        };
        match flock(file, op) {
            Ok(()) => Ok(true),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, wait);
        Ok(true)
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

/// What `recover` found and did in a tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Destinations an interrupted, committed build had not yet replaced, now
    /// replaced with what it staged.
    pub finished: Vec<PathBuf>,
    /// Temporary files of an interrupted build that had not committed, removed.
    pub removed: Vec<PathBuf>,
}

/// The journals of builds in the tree at `root`, each with whether its build is
/// still running (its lock is held).
pub fn journals(root: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(JOURNAL_PREFIX) && name.ends_with(JOURNAL_SUFFIX);
        if !(ours && entry.file_type()?.is_file()) {
            continue;
        }
        // A build that ends between the listing and here removes its journal.
        let file = match File::open(entry.path()) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let running = !lock(&file, false)?;
        if removed(&file)? {
            continue;
        }
        found.push((entry.path(), running));
    }
    found.sort();
    Ok(found)
}

/// Finishes every interrupted build of the tree at `root` (journals whose build is
/// no longer running): one that had committed is rolled forward (its remaining
/// temporary files renamed over their destinations), one that had not is rolled
/// back (its temporary files removed). Then its journal is removed.
pub fn recover(root: &Path) -> std::io::Result<Recovery> {
    let mut recovery = Recovery::default();
    for (journal, running) in journals(root)? {
        if running {
            continue;
        }
        // The build may have ended (and removed its journal) since `journals` looked,
        // or another recovery finished it: both leave nothing to do.
        let file = match File::open(&journal) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        // Held while recovering, so two recoveries never finish the same build. The
        // lock is free too once its build removed the journal and exited: a journal
        // no longer in the tree is not recovered.
        if !lock(&file, false)? || removed(&file)? {
            continue;
        }
        let (pairs, committed) = read_journal(root, &file)?;
        for (tmp, dest) in pairs {
            if !tmp.exists() {
                continue;
            }
            if committed {
                std::fs::rename(&tmp, &dest)?;
                recovery.finished.push(dest);
            } else {
                std::fs::remove_file(&tmp)?;
                recovery.removed.push(tmp);
            }
        }
        match std::fs::remove_file(&journal) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(recovery)
}

/// A journal's (temporary file, destination) pairs, and whether it had committed.
fn read_journal(root: &Path, file: &File) -> std::io::Result<(Vec<(PathBuf, PathBuf)>, bool)> {
    let mut pairs = Vec::new();
    let mut committed = false;
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let mut parts = line.split('\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("stage"), Some(tmp), Some(dest)) => {
                pairs.push((safe_join(root, tmp)?, safe_join(root, dest)?))
            }
            (Some("commit"), None, None) => committed = true,
            // A line cut short by the stop: nothing after it happened.
            _ => break,
        }
    }
    Ok((pairs, committed))
}

/// What `recover` would rename over each destination, without changing the tree:
/// (destination, temporary file) of every committed journal whose build is no
/// longer running. A build compares its files with these, since `recover` runs only
/// once it commits (so that a build that fails leaves the tree as it was).
pub fn pending(root: &Path) -> std::io::Result<std::collections::BTreeMap<PathBuf, PathBuf>> {
    let mut pending = std::collections::BTreeMap::new();
    for (journal, running) in journals(root)? {
        let file = match File::open(&journal) {
            Ok(file) if !running => file,
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => continue,
        };
        let (pairs, committed) = read_journal(root, &file)?;
        if committed {
            pending.extend(pairs.into_iter().map(|(tmp, dest)| (dest, tmp)));
        }
    }
    Ok(pending)
}

/// Whether the open journal `file` was removed from the tree (its build ended).
fn removed(file: &File) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(file.metadata()?.nlink() == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(false)
    }
}

/// `root` joined with a journal's relative path, refusing anything that would leave
/// the tree (a journal is a file in the tree, so it is not trusted further).
fn safe_join(root: &Path, rel: &str) -> std::io::Result<PathBuf> {
    let ok = !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if !ok {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("journal names `{rel}`, which is not a path inside the tree"),
        ));
    }
    Ok(root.join(rel))
}

fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

#[cfg(test)]
mod tests;

//! Every file the program writes goes through here: a temporary file beside the
//! destination, created exclusively under an unpredictable name (so nothing planted
//! at a guessable name is followed), written, then renamed over the destination. A
//! reader never sees half a file, and a failure leaves the old one.
//!
//! `-o FILE`, `build --out-dir` and `init` all use it; `Transaction` stages a whole
//! tree before it renames anything. A tree's transaction keeps a journal in the
//! tree (`.ssm-profile-build-XXXXXX.journal`, locked while its build runs) naming
//! every temporary file and its destination, each written before its file is
//! created, and a `commit` line once all are staged: a build stopped part-way
//! (`kill -9`, a refused rename) is finished by the next one (`recover`): rolled
//! forward when it had committed, its temporary files removed when it had not.
//! A build holds the tree's lock (`out_dir`) throughout, so builds of one tree
//! take turns. Everything in the tree is untrusted: `recover` acts only on what a
//! build of the same plan provably wrote, never through a symbolic link.
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

use std::path::Path;

mod journal;
mod out_dir;
mod recover;
mod transaction;

pub use journal::{JOURNAL_PREFIX, JOURNAL_SUFFIX, is_temporary_of, journals};
pub use out_dir::{Access, OutDirLock};
pub use recover::{Recovery, RecoveryPlan, Refusal, leftovers, plan_recovery};
pub use transaction::{CommitError, Transaction};

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
    let tmp = transaction::temp_beside(path, contents, None)?;
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

/// Test hooks (debug builds only), each stopping the process as `kill -9` would:
/// `SSM_PROFILE_ABORT_AFTER_RENAMES=N` after N renames of a commit,
/// `SSM_PROFILE_ABORT_AFTER_TEMP_FILES=N` once the Nth temporary file exists (empty).
fn fail_point(hook: &str, count: usize) {
    #[cfg(debug_assertions)]
    if std::env::var(hook)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        == Some(count)
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = (hook, count);
}

/// Takes a lock on `file` (released when it is closed): exclusive unless `shared`,
/// waiting for it when `wait`, else `Ok(false)` when another open file holds it.
/// Without flock (not unix) every lock is free.
#[cfg(unix)]
fn lock<F: std::os::fd::AsFd>(file: &F, shared: bool, wait: bool) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    let op = match (shared, wait) {
        (false, true) => FlockOperation::LockExclusive,
        (false, false) => FlockOperation::NonBlockingLockExclusive,
        (true, true) => FlockOperation::LockShared,
        (true, false) => FlockOperation::NonBlockingLockShared,
    };
    match flock(file, op) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn lock<F>(file: &F, shared: bool, wait: bool) -> std::io::Result<bool> {
    let _ = (file, shared, wait);
    Ok(true)
}

fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

#[cfg(test)]
mod tests;

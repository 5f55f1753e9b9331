//! `build --out-dir`: every file staged as soon as it renders, renamed only when all
//! are staged.

use std::path::{Path, PathBuf};

use super::paths::{Folders, PlannedFile, check_destination, executable};
use super::tree::{Handed, Tree};
use crate::atomic::Durability;
use crate::atomic::{Access, OutDirLock, RecoveryPlan, Refusal, Transaction};
use crate::diag::{Diagnostic, Error};

/// What `write` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// What finishing an interrupted earlier build did, before this one wrote.
    pub recovered: crate::atomic::Recovery,
}

/// A tree rendered and its changed files staged, not yet renamed: `commit` renames
/// them; dropped, it removes what it staged (and the folders, the out dir included,
/// that it made), so the tree is as it was.
pub struct Staged {
    out_dir: PathBuf,
    durability: Durability,
    /// What `atomic::recover` will rename over a destination before this build
    /// commits: the file is compared with that.
    recovering: std::collections::BTreeMap<PathBuf, PathBuf>,
    /// What finishing an interrupted earlier build will do, checked.
    recovery: Option<RecoveryPlan>,
    transaction: Option<Transaction>,
    /// The tree's lock, held from before the first comparison with the disk to
    /// the last rename: builds of one tree take turns (dropped last).
    lock: Option<OutDirLock>,
    made_root: bool,
    report: WriteReport,
    /// An error found before rendering that the renders' own errors come before.
    doomed: Option<Error>,
    /// The specs' warnings, in spec order.
    pub warnings: Vec<Diagnostic>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + use<> {
    let path = path.display().to_string();
    move |error| Error::Io {
        path: path.clone(),
        error,
    }
}

/// Renders the tree and stages every file whose bytes (or mode) differ from the
/// disk's, each as soon as it renders. First every destination is checked (no
/// symbolic links on the way, no folder where a file goes), the tree is locked
/// (telling `waiting` when another build holds it, then waiting) and the journals
/// of an interrupted build are checked (`atomic::plan_recovery`: anything it
/// cannot prove a build wrote is refused); an error (of a spec, a target, a write)
/// removes what was staged. `write` renames; files whose bytes already match are
/// not touched, so their timestamps do not change.
pub fn stage(
    tree: &mut Tree,
    durability: Durability,
    waiting: &mut dyn FnMut(&str),
) -> Result<Staged, Error> {
    let out_dir = tree.out_dir.clone();
    // Reported after the warnings, once every spec has rendered, as it always was.
    let mut folders = Folders::default();
    let doomed = tree
        .files
        .iter()
        .find_map(|f| check_destination(&out_dir, f, &mut folders).err());
    let mut staged = Staged {
        recovering: Default::default(),
        recovery: None,
        out_dir,
        durability,
        transaction: None,
        lock: None,
        made_root: false,
        report: WriteReport::default(),
        doomed,
        warnings: Vec::new(),
    };
    // A build that writes nothing needs neither the lock nor the journals.
    if !tree.doomed() && staged.doomed.is_none() {
        let out_dir = &staged.out_dir;
        let mut wait = || {
            waiting(&format!(
                "{}: another build is writing this tree; waiting for it to finish",
                out_dir.display()
            ))
        };
        let lock = OutDirLock::acquire(out_dir, Access::Exclusive, &mut wait)
            .map_err(io(out_dir))?
            .ok_or_else(|| io(out_dir)(std::io::ErrorKind::NotFound.into()))?;
        staged.made_root = lock.made();
        let planned = tree.files.iter().map(|f| f.relative.as_str()).collect();
        let plan = crate::atomic::plan_recovery(&lock, &planned).map_err(refused)?;
        staged.lock = Some(lock);
        staged.recovering = plan.pending();
        staged.recovery = Some(plan);
    }
    // A file rendered in pieces goes to its staged file piece by piece when nothing
    // is there to compare it with (a fresh tree): it is never whole in memory.
    let recovering = staged.recovering.clone();
    let in_parts = |file: &PlannedFile| {
        !recovering.contains_key(&file.path)
            && std::fs::symlink_metadata(&file.path)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    };
    staged.warnings = tree.render_in_parts(&in_parts, &mut |file, handed| match handed {
        Handed::Whole(contents) => staged.take(file, contents),
        Handed::Part { text, first, .. } => staged.take_part(file, text, first),
    })?;
    Ok(staged)
}

/// The user's error for a tree recovery will not touch.
fn refused(refusal: Refusal) -> Error {
    match refusal {
        Refusal::Io { path, error } => io(&path)(error),
        Refusal::Untrusted { delete, why } => Error::Usage(format!(
            "{}: {why}. A build acts only on files it can prove a build of these specs wrote, and never follows a link in DIR: nothing was written. Delete {} (and find out how it got there), then build again",
            delete.display(),
            delete.display()
        )),
    }
}

impl Staged {
    fn take(&mut self, file: &PlannedFile, contents: String) -> Result<(), Error> {
        if self.doomed.is_some() {
            return Ok(());
        }
        let same = match self.recovering.get(&file.path).filter(|t| t.is_file()) {
            Some(tmp) => same_bytes(tmp, contents.as_bytes()),
            None => std::fs::symlink_metadata(&file.path).is_ok_and(|m| {
                m.is_file() && !executable(&m) && same_bytes(&file.path, contents.as_bytes())
            }),
        };
        if same {
            self.report.unchanged.push(file.relative.clone());
            hand_back(contents);
            return Ok(());
        }
        self.take_new(file, contents)
    }

    /// Stages a file whose bytes differ from the disk's (or the first part of one).
    fn take_new(&mut self, file: &PlannedFile, contents: String) -> Result<(), Error> {
        if self.doomed.is_some() {
            return Ok(());
        }
        let transaction = match &mut self.transaction {
            Some(t) => t,
            None => {
                let out_dir = &self.out_dir;
                self.made_root |= !out_dir.exists();
                std::fs::create_dir_all(out_dir).map_err(io(out_dir))?;
                let t = Transaction::journaled(out_dir)
                    .map_err(io(out_dir))?
                    .with_durability(self.durability);
                self.transaction.insert(t)
            }
        };
        transaction
            .stage(&file.path, contents.as_bytes())
            .map_err(io(&file.path))?;
        hand_back(contents);
        self.report.written.push(file.relative.clone());
        Ok(())
    }

    /// The next part of a file with nothing at its destination: the first is staged
    /// like a changed file, each next one appended to it (the parts come in order,
    /// with no other file between them).
    fn take_part(&mut self, file: &PlannedFile, part: String, first: bool) -> Result<(), Error> {
        if first {
            return self.take_new(file, part);
        }
        if self.doomed.is_some() {
            return Ok(());
        }
        let transaction = self.transaction.as_mut().ok_or_else(|| {
            Error::Usage(format!(
                "internal error: a part of {} came before its first",
                file.relative
            ))
        })?;
        transaction
            .append_to_last(part.as_bytes())
            .map_err(io(&file.path))?;
        crate::text::buffers::give_back(part);
        Ok(())
    }
}

/// A file's buffer once the file is written or compared: kept for the next file to
/// render (`text::buffers`); when it held a whole output (larger than any buffer
/// kept: a fleet's 26 MB Terraform module), every freed page goes back to the system
/// at once, so the next whole output does not render beside it (`memory`).
pub(super) fn hand_back(contents: String) {
    let whole_output = contents.capacity() > crate::text::buffers::LARGEST_KEPT;
    crate::text::buffers::give_back(contents);
    if whole_output {
        crate::memory::return_freed();
    }
}

/// Whether the file at `path` holds exactly `expected`, read a block at a time (a
/// fleet's files are up to 28 MB; neither side is copied).
pub(super) fn same_bytes(path: &Path, expected: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(expected.len() as u64) {
        return false;
    }
    // Filled by `read_to_end`, which writes into spare capacity: a zeroed 64 KiB
    // block per file was 7% of the seed's instructions over an unchanged tree, and
    // its fresh pages a fault each. Each read asks for exactly the bytes still
    // expected (up to a block), the length the file had when it was opened: a file of
    // up to 8 KiB (the most std's first read asks for) is one `read`, not three (the
    // last two to find its end).
    let size = expected.len().clamp(1, 64 << 10);
    let mut block = Vec::with_capacity(size);
    let mut rest = expected;
    while !rest.is_empty() {
        block.clear();
        let want = rest.len().min(size);
        match (&mut file).take(want as u64).read_to_end(&mut block) {
            Ok(n) if n == want && block[..] == rest[..n] => rest = &rest[n..],
            _ => return false,
        }
    }
    true
}

/// Renames what `stage` staged over the destinations: first an interrupted earlier
/// build is finished (`atomic::recover`), then the staged files are renamed; a stop
/// part-way is finished by the next build.
pub fn write(mut staged: Staged) -> Result<WriteReport, Error> {
    if let Some(e) = staged.doomed.take() {
        return Err(e);
    }
    let out_dir = staged.out_dir.clone();
    let mut report = std::mem::take(&mut staged.report);
    if let Some(plan) = staged.recovery.take() {
        report.recovered = plan.apply().map_err(io(&out_dir))?;
    }
    // The out dir holds the build's files from here on, whatever the commit does.
    staged.made_root = false;
    let Some(transaction) = staged.transaction.take() else {
        return Ok(report);
    };
    match transaction.commit() {
        Ok(_) => Ok(report),
        Err(e) => {
            let done = if e.done.is_empty() {
                "no file was replaced yet".to_string()
            } else {
                format!(
                    "already replaced: {}",
                    report.written[..e.done.len()].join(", ")
                )
            };
            Err(Error::Io {
                path: e.path.display().to_string(),
                error: std::io::Error::new(
                    e.error.kind(),
                    format!(
                        "{} ({done}; the next build finishes this one, and `check` reports it until then)",
                        e.error
                    ),
                ),
            })
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // The transaction first: it removes its files and folders, then the root.
        self.transaction = None;
        if self.made_root {
            let _ = std::fs::remove_dir(&self.out_dir);
        }
    }
}

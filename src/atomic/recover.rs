//! Finishing a build of a tree that was stopped part-way, from its journal.
//!
//! A tree arrives through pull requests like a spec does, so nothing in it is
//! trusted, its journals least of all. Recovery acts only on what it can prove a
//! build of this plan wrote: a journal named as a build names one, whose every
//! line is one a build writes, naming a destination the current build plans and
//! a temporary file beside it under the name a build gives (`.NAME.XXXXXX.tmp`),
//! which is a regular file. Anything else is refused before the build writes
//! anything, naming the file to delete. Every folder is opened from the tree's
//! locked root handle one component at a time with `O_NOFOLLOW`, and every
//! rename and removal is made relative to the folder's handle (`renameat`,
//! `unlinkat`), so no symbolic link is followed at any component: a link planted
//! in the tree, or swapped in while recovery runs, cannot send it outside DIR.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::PathBuf;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::journal::{self, Unreadable};
use super::{OutDirLock, lock};

/// What recovery found and did in a tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Destinations an interrupted, committed build had not yet replaced, now
    /// replaced with what it staged.
    pub finished: Vec<PathBuf>,
    /// Temporary files of an interrupted build (that had not committed, or that
    /// no journal names), removed.
    pub removed: Vec<PathBuf>,
}

/// Why a tree cannot be recovered.
#[derive(Debug)]
pub enum Refusal {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// `delete` is a file in the tree that recovery cannot prove a build wrote;
    /// `why` says what is wrong with it. Nothing was written.
    Untrusted { delete: PathBuf, why: String },
}

/// One temporary file a journal names: in the folder `dir` (relative to the tree,
/// `""` for its root), beside the destination `dest`.
#[derive(Debug)]
struct Stage {
    dir: String,
    tmp: String,
    dest: String,
    present: bool,
}

#[derive(Debug)]
struct JournalPlan {
    name: String,
    /// Open and locked until the plan is applied or dropped.
    _file: File,
    committed: bool,
    stages: Vec<Stage>,
}

/// What recovery will do, every part of it checked; `apply` does it.
#[derive(Debug)]
pub struct RecoveryPlan {
    root: PathBuf,
    fd: OwnedFd,
    journals: Vec<JournalPlan>,
    /// Files of ours no journal names (`dir`, name): a temporary file made before
    /// its journal line (older versions) or a journal never given its name.
    leftovers: Vec<(String, String)>,
}

/// Reads every journal of the locked tree and checks every entry (see the
/// module's comment) against `planned`, the tree's paths (`/`-separated) the
/// current build writes. Changes nothing.
pub fn plan_recovery(
    out_dir: &OutDirLock,
    planned: &BTreeSet<&str>,
) -> Result<RecoveryPlan, Refusal> {
    let root = out_dir.path().to_path_buf();
    let io = |path: PathBuf| move |error: std::io::Error| Refusal::Io { path, error };
    let fd = out_dir
        .fd()
        .try_clone_to_owned()
        .map_err(io(root.clone()))?;
    let mut plan = RecoveryPlan {
        root: root.clone(),
        fd,
        journals: Vec::new(),
        leftovers: Vec::new(),
    };
    let mut running = false;
    let mut named = BTreeSet::new();
    for (name, kind) in list(plan.fd.as_fd()).map_err(io(root.clone()))? {
        if !journal::looks_like_journal(&name) {
            continue;
        }
        let path = root.join(&name);
        let untrusted = |why: &str| Refusal::Untrusted {
            delete: path.clone(),
            why: why.to_string(),
        };
        let new = journal::is_new_journal_name(&name);
        if !(new || journal::is_journal_name(&name)) {
            return Err(untrusted(
                "is named like a build's journal, but not as a build names one",
            ));
        }
        if kind != FileType::RegularFile {
            return Err(untrusted("is not a regular file, so no build wrote it"));
        }
        let file = match open_file(plan.fd.as_fd(), &name) {
            Ok(Some(file)) => file,
            Ok(None) => continue,
            Err(error) => return Err(Refusal::Io { path, error }),
        };
        // An older ssm-profile, which does not lock the tree, may be writing.
        if !lock(&file, false, false).map_err(io(path.clone()))? {
            running = true;
            continue;
        }
        if journal::removed(&file).map_err(io(path.clone()))? {
            continue;
        }
        if new {
            // Stopped before it was named: it names nothing yet.
            plan.leftovers.push((String::new(), name));
            continue;
        }
        let entries = journal::read(&file, planned.len()).map_err(|e| match e {
            Unreadable::Io(error) => Refusal::Io {
                path: path.clone(),
                error,
            },
            Unreadable::Malformed { line, why } => untrusted(&format!("line {line}: {why}")),
        })?;
        let mut dests = BTreeSet::new();
        let mut stages = Vec::new();
        for (n, (tmp, dest)) in entries.stages.into_iter().enumerate() {
            let line = n + 1;
            if !planned.contains(dest.as_str()) {
                return Err(untrusted(&format!(
                    "line {line} names a destination this build does not write"
                )));
            }
            if !dests.insert(dest.clone()) {
                return Err(untrusted(&format!(
                    "line {line} names a destination a line before it named"
                )));
            }
            let (dir, dest_name) = split(&dest);
            let (tmp_dir, tmp_name) = split(&tmp);
            if tmp_dir != dir || !journal::is_temporary_of(tmp_name, dest_name) {
                return Err(untrusted(&format!(
                    "line {line} names a temporary file that is not beside its destination under the name a build gives one"
                )));
            }
            let present = match find(plan.fd.as_fd(), dir, tmp_name) {
                Ok(found) => found,
                Err(Found::Io(error)) => return Err(Refusal::Io { path, error }),
                Err(Found::Not(what)) => {
                    return Err(untrusted(&format!(
                        "line {line} names {}, which {what}; recovery never follows a link",
                        root.join(&tmp).display()
                    )));
                }
            };
            named.insert(tmp.clone());
            stages.push(Stage {
                dir: dir.to_string(),
                tmp: tmp_name.to_string(),
                dest: dest_name.to_string(),
                present,
            });
        }
        plan.journals.push(JournalPlan {
            name,
            _file: file,
            committed: entries.committed,
            stages,
        });
    }
    // A running build's temporary files are its own.
    if !running {
        for (dir, name, regular) in
            temporaries(plan.fd.as_fd(), planned).map_err(io(root.clone()))?
        {
            let rel = join(&dir, &name);
            if named.contains(&rel) {
                continue;
            }
            if !regular {
                return Err(Refusal::Untrusted {
                    delete: root.join(&rel),
                    why: "is named like a temporary file of a build, but is not a regular file, so no build wrote it".into(),
                });
            }
            plan.leftovers.push((dir, name));
        }
    }
    Ok(plan)
}

impl RecoveryPlan {
    /// What recovery will rename over each destination (destination, temporary
    /// file), for a build to compare its files with before recovery runs.
    pub fn pending(&self) -> BTreeMap<PathBuf, PathBuf> {
        let mut pending = BTreeMap::new();
        for j in self.journals.iter().filter(|j| j.committed) {
            for s in j.stages.iter().filter(|s| s.present) {
                pending.insert(
                    self.root.join(join(&s.dir, &s.dest)),
                    self.root.join(join(&s.dir, &s.tmp)),
                );
            }
        }
        pending
    }

    /// Finishes every interrupted build: one that had committed is rolled forward
    /// (its remaining temporary files renamed over their destinations), one that
    /// had not is rolled back (its temporary files removed); then its journal is
    /// removed, and the leftovers no journal names. Each file is checked again as
    /// it is acted on, through the folders' handles.
    pub fn apply(self) -> std::io::Result<Recovery> {
        let mut recovery = Recovery::default();
        let root = self.fd.as_fd();
        for j in &self.journals {
            for s in j.stages.iter().filter(|s| s.present) {
                let Some(dir) = checked_dir(root, &s.dir, &s.tmp)? else {
                    continue;
                };
                if j.committed {
                    rustix::fs::renameat(&dir, s.tmp.as_str(), &dir, s.dest.as_str())?;
                    recovery
                        .finished
                        .push(self.root.join(join(&s.dir, &s.dest)));
                } else {
                    rustix::fs::unlinkat(&dir, s.tmp.as_str(), AtFlags::empty())?;
                    recovery.removed.push(self.root.join(join(&s.dir, &s.tmp)));
                }
            }
            remove(root, &j.name)?;
        }
        for (dir_rel, name) in &self.leftovers {
            let Some(dir) = checked_dir(root, dir_rel, name)? else {
                continue;
            };
            remove(dir.as_fd(), name)?;
            recovery.removed.push(self.root.join(join(dir_rel, name)));
        }
        Ok(recovery)
    }
}

/// The folder `dir` of the tree, when `name` in it is still a regular file (none
/// when it is gone); an error when anything on the way is not what was checked.
fn checked_dir(root: BorrowedFd, dir: &str, name: &str) -> std::io::Result<Option<OwnedFd>> {
    match find(root, dir, name) {
        Ok(false) => Ok(None),
        Ok(true) => open_dir(root, dir).map_err(|_| changed(dir, name)),
        Err(Found::Io(error)) => Err(error),
        Err(Found::Not(_)) => Err(changed(dir, name)),
    }
}

fn changed(dir: &str, name: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "{} changed while the build recovered it; nothing was followed",
            join(dir, name)
        ),
    )
}

fn remove(dir: BorrowedFd, name: &str) -> std::io::Result<()> {
    match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
        Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The temporary files (folder, name, whether a regular file) beside the planned
/// files: every entry named `.NAME.XXXXXX.tmp` in a planned file's folder, where
/// NAME is a file planned there. A folder that is a link or missing is skipped
/// (the build refuses a link on the way to a planned file on its own).
pub(super) fn temporaries(
    root: BorrowedFd,
    planned: &BTreeSet<&str>,
) -> std::io::Result<Vec<(String, String, bool)>> {
    let mut folders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for rel in planned {
        let (dir, name) = split(rel);
        folders.entry(dir).or_default().insert(name);
    }
    let mut found = Vec::new();
    for (dir, names) in folders {
        let Ok(Some(fd)) = open_dir(root, dir) else {
            continue;
        };
        for (name, kind) in list_owned(fd)? {
            let ours = names.iter().any(|n| journal::is_temporary_of(&name, n));
            if ours {
                found.push((dir.to_string(), name, kind == FileType::RegularFile));
            }
        }
    }
    Ok(found)
}

/// The leftovers `check` reports: temporary files beside planned files, and
/// journals never given their name, as paths.
pub fn leftovers(out_dir: &OutDirLock, planned: &BTreeSet<&str>) -> std::io::Result<Vec<PathBuf>> {
    let root = out_dir.fd();
    let mut found: Vec<PathBuf> = temporaries(root, planned)?
        .into_iter()
        .map(|(dir, name, _)| out_dir.path().join(join(&dir, &name)))
        .collect();
    for (name, _) in list(root)? {
        if journal::looks_like_journal(&name) && !name.ends_with(super::JOURNAL_SUFFIX) {
            found.push(out_dir.path().join(name));
        }
    }
    found.sort();
    Ok(found)
}

/// A relative path's folder (`""` at the root) and name.
fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Why `find` found no regular file to act on.
enum Found {
    Io(std::io::Error),
    /// Something other than a folder on the way, or other than a regular file at
    /// the name: what it is.
    Not(String),
}

/// Whether `name` in the folder `dir` of the tree is a regular file (`false`: it
/// or its folder is missing), reached without following any link.
fn find(root: BorrowedFd, dir: &str, name: &str) -> Result<bool, Found> {
    let fd = match open_dir(root, dir) {
        Ok(Some(fd)) => fd,
        Ok(None) => return Ok(false),
        Err(Walk::Io(error)) => return Err(Found::Io(error)),
        Err(Walk::NotAFolder(at)) => {
            return Err(Found::Not(format!(
                "lies under {at}, a symbolic link or a file where a folder belongs"
            )));
        }
    };
    match rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::RegularFile => Ok(true),
        Ok(_) => Err(Found::Not("is not a regular file".into())),
        Err(rustix::io::Errno::NOENT) => Ok(false),
        Err(e) => Err(Found::Io(e.into())),
    }
}

enum Walk {
    Io(std::io::Error),
    /// The path (relative to the tree) that is a link or not a folder.
    NotAFolder(String),
}

/// Opens the folder `dir` (relative, `/`-separated; `""` is the root) one
/// component at a time from `root`, refusing a symbolic link or a non-folder at
/// any of them; `None` when one is missing.
fn open_dir(root: BorrowedFd, dir: &str) -> Result<Option<OwnedFd>, Walk> {
    if dir.is_empty() {
        return root.try_clone_to_owned().map(Some).map_err(Walk::Io);
    }
    // The folder opened last; the root itself is only borrowed.
    let mut fd: Option<OwnedFd> = None;
    let mut at = String::new();
    for segment in dir.split('/') {
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(segment);
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(Walk::NotAFolder(at));
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let from = fd.as_ref().map_or(root, |f| f.as_fd());
        fd = match rustix::fs::openat(from, segment, flags, Mode::empty()) {
            Ok(next) => Some(next),
            Err(rustix::io::Errno::NOENT) => return Ok(None),
            Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => {
                return Err(Walk::NotAFolder(at));
            }
            Err(e) => return Err(Walk::Io(e.into())),
        };
    }
    Ok(fd)
}

/// Opens the regular file `name` in the folder `dir` to read, never through a link
/// nor waiting on a FIFO; `None` when it is gone.
fn open_file(dir: BorrowedFd, name: &str) -> std::io::Result<Option<File>> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rustix::fs::openat(dir, name, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if FileType::from_raw_mode(rustix::fs::fstat(&fd)?.st_mode) != FileType::RegularFile {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a regular file",
        ));
    }
    Ok(Some(File::from(fd)))
}

/// The entries of a folder (names that are not UTF-8 are no names of ours and
/// are left out), with their own types (a link is a link). The folder's
/// descriptor is read from a copy (its own position), so it can be read again.
fn list(dir: BorrowedFd) -> std::io::Result<Vec<(String, FileType)>> {
    entries(rustix::fs::Dir::read_from(dir)?)
}

/// `list` of a folder whose descriptor is not needed afterwards: read as it is
/// (a copy is three system calls more per folder).
fn list_owned(dir: OwnedFd) -> std::io::Result<Vec<(String, FileType)>> {
    entries(rustix::fs::Dir::new(dir)?)
}

fn entries(mut listing: rustix::fs::Dir) -> std::io::Result<Vec<(String, FileType)>> {
    let mut found = Vec::new();
    while let Some(entry) = listing.read() {
        let entry = entry?;
        let Ok(name) = entry.file_name().to_str() else {
            continue;
        };
        if name == "." || name == ".." {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => {
                match rustix::fs::statat(listing.fd()?, name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => FileType::from_raw_mode(st.st_mode),
                    Err(rustix::io::Errno::NOENT) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            kind => kind,
        };
        found.push((name.to_string(), kind));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

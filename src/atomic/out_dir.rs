//! The lock on an `--out-dir` tree: a build holds it exclusively from before it
//! compares a file with the disk until its last rename, `check` holds it shared
//! while it reads, so two builds never mix their files and `check` never reads a
//! tree a build is half-way through. It is a `flock` on the folder itself (no lock
//! file is left in the tree), which the kernel drops when the process ends, however
//! it ends.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use super::lock;

/// How a tree is held: by one build alone, or by any number of readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Exclusive,
    Shared,
}

/// A tree's root folder, open and locked until dropped. Everything recovery does
/// in the tree is done relative to this handle.
#[derive(Debug)]
pub struct OutDirLock {
    path: PathBuf,
    fd: OwnedFd,
    made: bool,
}

impl OutDirLock {
    /// Opens and locks the folder `path` (the user's own path, followed as given).
    /// `Exclusive` creates it when missing (`made` says so); `Shared` returns
    /// `None` for a missing folder. When another process holds the lock, calls
    /// `waiting` once, then waits for it.
    pub fn acquire(
        path: &Path,
        access: Access,
        waiting: &mut dyn FnMut(),
    ) -> std::io::Result<Option<OutDirLock>> {
        let mut made = false;
        let mut told = false;
        // A build that made the folder and then failed removes it; one that waited
        // on it then holds a folder no longer at `path`, and tries again.
        for _ in 0..100 {
            if access == Access::Exclusive && !path.exists() {
                made = true;
                std::fs::create_dir_all(path)?;
            }
            let fd = match rustix::fs::open(
                path,
                rustix::fs::OFlags::RDONLY
                    | rustix::fs::OFlags::DIRECTORY
                    | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            ) {
                Ok(fd) => fd,
                Err(rustix::io::Errno::NOENT) if access == Access::Shared => return Ok(None),
                Err(rustix::io::Errno::NOENT) => continue,
                Err(e) => return Err(e.into()),
            };
            let shared = access == Access::Shared;
            if !lock(&fd, shared, false)? {
                if !told {
                    waiting();
                    told = true;
                }
                lock(&fd, shared, true)?;
            }
            if still_at(&fd, path)? {
                return Ok(Some(OutDirLock {
                    path: path.to_path_buf(),
                    fd,
                    made,
                }));
            }
        }
        Err(std::io::Error::other(format!(
            "{} kept being removed and made again by other builds",
            path.display()
        )))
    }

    /// The folder, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this lock made the folder (so a build that fails removes it).
    pub fn made(&self) -> bool {
        self.made
    }

    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Whether the open folder `fd` is still the one at `path`.
fn still_at(fd: &OwnedFd, path: &Path) -> std::io::Result<bool> {
    let open = rustix::fs::fstat(fd)?;
    match rustix::fs::stat(path) {
        Ok(now) => Ok(now.st_dev == open.st_dev && now.st_ino == open.st_ino),
        Err(rustix::io::Errno::NOENT) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

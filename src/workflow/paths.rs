//! Where a spec's files go in the tree, and what may stand in their way there.

use std::path::{Path, PathBuf};

use crate::diag::Error;

/// One file the tree should hold (its contents are rendered by `Tree::render`).
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Path inside the out dir, `/`-separated, as `Output::out_dir_path` gives it.
    pub relative: String,
    pub path: PathBuf,
    pub spec: String,
}

/// The name a spec's files carry in the tree: its file stem (`prod.yaml` -> `prod`).
pub fn spec_stem(spec: &str) -> Result<String, Error> {
    if spec == "-" {
        return Err(Error::Usage(
            "standard input (`-`) has no file name to name the generated files after; give spec files with --out-dir".into(),
        ));
    }
    let stem = Path::new(spec)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem.is_empty() || stem.starts_with('.') {
        return Err(Error::Usage(format!(
            "{spec}: cannot name generated files after this path; give the spec a file name such as prod.yaml"
        )));
    }
    Ok(stem)
}

/// What makes an existing file itself, whatever path names it (links, `..`, hard
/// links): its device and inode; elsewhere, its canonical path.
#[derive(Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The identity of the file at `path`; `None` when there is none.
pub fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(FileId)
    }
}

/// Whether `a` and `b` name one existing file (through links, `..`, hard links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    file_id(a).is_some_and(|id| file_id(b) == Some(id))
}

/// Whether a file's mode marks it executable: generated files are not, and git
/// records the difference.
pub(super) fn executable(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// The folders on the way to a tree's files found to be folders, not links: the
/// files of one tree share their folders (each target's, each spec's), so each
/// folder is looked at once per tree, not once per file.
#[derive(Debug, Default)]
pub(super) struct Folders(std::collections::HashSet<PathBuf>);

/// What is wrong on the way from the out dir to a planned file: a symbolic link
/// (a write would land outside DIR) or a file where a folder belongs, or a folder
/// where the file belongs. `None` when the way is clear (or not there yet).
/// `folders` holds what earlier calls found; the file itself is always looked at.
pub(super) fn way_problem(
    out_dir: &Path,
    file: &PlannedFile,
    folders: &mut Folders,
) -> Option<(PathBuf, &'static str)> {
    let mut at = out_dir.to_path_buf();
    let segments: Vec<&str> = file.relative.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        at.push(segment);
        let last = i + 1 == segments.len();
        if !last && folders.0.contains(&at) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return None;
        };
        if meta.file_type().is_symlink() && !last {
            return Some((
                at,
                "is a symbolic link where a folder of generated files belongs (a write would land wherever it points)",
            ));
        }
        if !last && !meta.is_dir() {
            return Some((at, "is a file where a folder of generated files belongs"));
        }
        if last && meta.is_dir() {
            return Some((at, "is a folder where a generated file belongs"));
        }
        if !last {
            folders.0.insert(at.clone());
        }
    }
    None
}

/// Refuses a planned file whose way is not clear (`way_problem`), before anything
/// is written.
pub(super) fn check_destination(
    out_dir: &Path,
    file: &PlannedFile,
    folders: &mut Folders,
) -> Result<(), Error> {
    match way_problem(out_dir, file, folders) {
        None => Ok(()),
        Some((at, why)) => Err(Error::Usage(format!(
            "{}: {why}; build --out-dir writes only regular files and folders inside {}: replace it",
            at.display(),
            out_dir.display()
        ))),
    }
}

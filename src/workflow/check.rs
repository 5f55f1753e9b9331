//! `check`: each planned file compared with the disk, and what the tree holds that
//! `build` would not write.

use std::path::{Path, PathBuf};

use super::paths::{Folders, PlannedFile, executable, way_problem};
use super::tree::Tree;
use crate::diag::{Diagnostic, Error};
use crate::diag::{line_safe, terminal_safe};

/// The state of one planned file on disk.
#[derive(Debug, PartialEq, Eq)]
pub enum FileState {
    UpToDate,
    Missing,
    /// The file differs; `diff` is a unified diff from the disk to what build writes.
    Drifted {
        diff: String,
        note: Option<String>,
    },
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub files: Vec<(PlannedFile, FileState)>,
    /// Files in the tree that no given spec generates (`check --exhaustive`), and
    /// symbolic links in its target folders.
    pub strays: Vec<PathBuf>,
    /// Journals of builds that were stopped part-way (`false`), or that are writing
    /// the tree right now (`true`): the tree is a mix of old and new files.
    pub interrupted: Vec<(PathBuf, bool)>,
    /// Temporary files of builds beside the planned files, and journals never
    /// given their name: what a stopped build leaves (the next build removes them).
    pub temporaries: Vec<PathBuf>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.files.iter().all(|(_, s)| *s == FileState::UpToDate)
            && self.strays.is_empty()
            && self.interrupted.is_empty()
            && self.temporaries.is_empty()
    }

    /// The report for the user: a diff per drifted file, a line per missing file,
    /// and a summary line. `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, line: &str| {
            if color {
                format!("\x1b[{code}m{line}\x1b[0m")
            } else {
                line.to_string()
            }
        };
        let mut out = String::new();
        let (mut ok, mut drifted, mut missing) = (0, 0, 0);
        for (file, state) in &self.files {
            match state {
                FileState::UpToDate => ok += 1,
                FileState::Missing => {
                    missing += 1;
                    out.push_str(&paint(
                        "1;31",
                        &format!(
                            "missing: {} (generated from {})",
                            terminal_safe(&file.path.display().to_string()),
                            terminal_safe(&file.spec)
                        ),
                    ));
                    out.push('\n');
                }
                FileState::Drifted { diff, note } => {
                    drifted += 1;
                    out.push_str(&paint(
                        "1",
                        &format!(
                            "drifted: {} (generated from {})",
                            terminal_safe(&file.path.display().to_string()),
                            terminal_safe(&file.spec)
                        ),
                    ));
                    out.push('\n');
                    if let Some(note) = note {
                        out.push_str(&terminal_safe(note));
                        out.push('\n');
                    }
                    // The disk's bytes, escaped a whole line at a time (a line that
                    // starts with spaces is where a log reader looks for `::`); a CR
                    // before the line feed is shown, not dropped.
                    for line in diff.split_terminator('\n').map(line_safe) {
                        let line = line.as_str();
                        let code = if line.starts_with("+++") || line.starts_with("---") {
                            "1"
                        } else if line.starts_with('+') {
                            "32"
                        } else if line.starts_with('-') {
                            "31"
                        } else if line.starts_with("@@") {
                            "36"
                        } else {
                            ""
                        };
                        out.push_str(&if code.is_empty() {
                            line.to_string()
                        } else {
                            paint(code, line)
                        });
                        out.push('\n');
                    }
                }
            }
        }
        for path in &self.strays {
            out.push_str(&paint(
                "1;31",
                &format!(
                    "stray: {} (no spec given generates it)",
                    terminal_safe(&path.display().to_string())
                ),
            ));
            out.push('\n');
        }
        for (journal, running) in &self.interrupted {
            let what = if *running {
                "a build is writing this tree right now"
            } else {
                "a build was stopped while it replaced files; the next build finishes it, or refuses and names the file to delete when no build of these specs wrote it"
            };
            out.push_str(&paint(
                "1;31",
                &format!(
                    "interrupted: {} ({what})",
                    terminal_safe(&journal.display().to_string())
                ),
            ));
            out.push('\n');
        }
        for path in &self.temporaries {
            out.push_str(&paint(
                "1;31",
                &format!(
                    "temporary: {} (left by a build that was stopped; the next build removes it)",
                    terminal_safe(&path.display().to_string())
                ),
            ));
            out.push('\n');
        }
        let total = self.files.len();
        if !self.strays.is_empty() {
            let (them, their) = match self.strays.len() {
                1 => ("it", "its"),
                _ => ("them", "their"),
            };
            out.push_str(&format!(
                "{}: delete {them} if {their} spec is gone, or name {their} spec\n",
                count(self.strays.len(), "stray file")
            ));
        }
        let files = count(total, "generated file");
        if drifted + missing == 0 && self.is_clean() {
            out.push_str(&format!("{files} up to date\n"));
        } else if drifted + missing == 0 {
            out.push_str(&format!(
                "{files} up to date, but the tree is not clean ({} stray, {}{})\n",
                self.strays.len(),
                count(self.interrupted.len(), "interrupted build"),
                match self.temporaries.len() {
                    0 => String::new(),
                    n => format!(", {n} temporary"),
                }
            ));
        } else {
            out.push_str(&format!(
                "{drifted} drifted, {missing} missing, {ok} up to date of {files}; run `ssm-profile build` with the same arguments and --out-dir to update them\n"
            ));
        }
        out
    }
}

/// Files under the tree's target folders (the first segment of every planned
/// path: `cloudformation/`, `terraform/`, ...) that the plan does not hold, sorted.
/// Other folders of DIR are the user's and are not looked at.
pub fn strays(files: &[PlannedFile], out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let planned: std::collections::BTreeSet<&Path> =
        files.iter().map(|f| f.path.as_path()).collect();
    let roots: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.relative.split('/').next())
        .collect();
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = Vec::new();
    for root in roots {
        let path = out_dir.join(root);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => found.push(path),
            Ok(meta) if meta.is_dir() => pending.push(path),
            // Missing, or a file where the folder belongs (drift `check` reports).
            _ => {}
        }
    }
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(Error::Io {
                    path: dir.display().to_string(),
                    error,
                });
            }
        };
        for entry in entries {
            let entry = entry.map_err(|error| Error::Io {
                path: dir.display().to_string(),
                error,
            })?;
            let path = entry.path();
            // The entry's own type: a symbolic link is never followed (two links
            // to `.` would make the walk endless); it is reported, as a planned
            // path or not, since build writes none.
            let kind = entry.file_type().map_err(|error| Error::Io {
                path: path.display().to_string(),
                error,
            })?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_symlink() || !planned.contains(path.as_path()) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Renders the tree and compares each file with the disk as it comes (keeping the
/// verdict and the diff, not the contents), and names builds of the tree that were
/// stopped part-way and the temporary files they left; returns the report and the
/// specs' warnings. Never writes. Holds the tree's lock shared throughout (telling
/// `waiting` when a build holds it, then waiting for the build to end), so it
/// never reads a tree a build is half-way through.
/// Anything on disk that is not the planned regular file (a folder, a symbolic
/// link, an executable file, a file where a folder belongs, a file that cannot be
/// read) is drift, reported with a note.
pub fn check(
    tree: &mut Tree,
    waiting: &mut dyn FnMut(&str),
) -> Result<(CheckReport, Vec<Diagnostic>), Error> {
    let out_dir = tree.out_dir.clone();
    let io = |error| Error::Io {
        path: out_dir.display().to_string(),
        error,
    };
    let lock = match std::fs::metadata(&out_dir) {
        Ok(meta) if meta.is_dir() => {
            let mut wait = || {
                waiting(&format!(
                    "{}: a build is writing this tree; waiting for it to finish before checking",
                    out_dir.display()
                ))
            };
            crate::atomic::OutDirLock::acquire(&out_dir, crate::atomic::Access::Shared, &mut wait)
                .map_err(io)?
        }
        _ => None,
    };
    let planned = tree.files.iter().map(|f| f.relative.as_str()).collect();
    let mut report = CheckReport {
        interrupted: crate::atomic::journals(&out_dir).map_err(io)?,
        temporaries: match &lock {
            Some(lock) => crate::atomic::leftovers(lock, &planned).map_err(io)?,
            None => Vec::new(),
        },
        ..CheckReport::default()
    };
    let mut folders = Folders::default();
    let warnings = tree.render(&mut |file, contents| {
        let state = match way_problem(&out_dir, file, &mut folders) {
            Some((at, why)) => FileState::Drifted {
                diff: String::new(),
                note: Some(format!("{} {why}", at.display())),
            },
            None => file_state(file, &contents),
        };
        super::write::hand_back(contents);
        report.files.push((file.clone(), state));
        Ok(())
    })?;
    // Reported in plan order, whichever order the files rendered in.
    let order: std::collections::HashMap<&str, usize> = tree
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.relative.as_str(), i))
        .collect();
    report
        .files
        .sort_by_key(|(f, _)| order.get(f.relative.as_str()).copied());
    Ok((report, warnings))
}

fn file_state(file: &PlannedFile, contents: &str) -> FileState {
    let noted = |note: String| FileState::Drifted {
        diff: String::new(),
        note: Some(note),
    };
    let meta = match std::fs::symlink_metadata(&file.path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileState::Missing,
        // A file where a folder on the way belongs (ENOTDIR), or a folder that
        // cannot be searched.
        Err(error) => {
            return noted(format!(
                "the path cannot be reached: {error} (is a file where a folder belongs?)"
            ));
        }
    };
    if meta.file_type().is_symlink() {
        return noted("a symbolic link is where the generated file belongs".into());
    }
    if meta.is_dir() {
        return noted("a folder is where the generated file belongs".into());
    }
    if !meta.is_file() {
        return noted(
            "something other than a regular file is where the generated file belongs".into(),
        );
    }
    // Compared a block at a time; read whole only to show how it differs.
    if super::write::same_bytes(&file.path, contents.as_bytes()) {
        return if executable(&meta) {
            noted("the file is executable; generated files are not (git records the mode)".into())
        } else {
            FileState::UpToDate
        };
    }
    match std::fs::read(&file.path) {
        Ok(bytes) => drift(&file.path, &bytes, contents),
        Err(error) => noted(format!("the file cannot be read: {error}")),
    }
}

pub(super) fn drift(path: &Path, on_disk: &[u8], expected: &str) -> FileState {
    let old = String::from_utf8_lossy(on_disk);
    let note = if old.replace("\r\n", "\n") == expected {
        Some("the file differs only in line endings (CRLF); generated files use LF: add `* text eol=lf` for them to .gitattributes".to_string())
    } else if std::str::from_utf8(on_disk).is_err() {
        Some("the file on disk is not valid UTF-8".to_string())
    } else {
        None
    };
    let diff = similar::TextDiff::from_lines(old.as_ref(), expected)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{} (on disk)", path.display()),
            &format!("{} (generated)", path.display()),
        )
        .to_string();
    FileState::Drifted { diff, note }
}

/// `1 file`, `2 files`: the summary lines count in English.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

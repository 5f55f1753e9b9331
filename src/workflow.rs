//! The team workflow: `build --out-dir` writes every output of every spec into one
//! stable tree, and `check` proves a committed tree is what `build` would write.
//!
//! Both start from the same `tree`, so they cannot disagree about a file. No file of
//! the tree changes until every spec has compiled and every target has rendered:
//! each file is staged (written beside its destination, under the journal) as soon
//! as it renders and dropped, and only renamed once all are staged (`write`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::atomic::Durability;
use crate::backend::{Output, RenderError, RenderOptions};
use crate::diag::{Diagnostic, Error, codes};
use crate::source::Source;

/// One file the tree should hold (its contents are rendered by `Tree::render`).
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Path inside the out dir, `/`-separated, as `Output::out_dir_path` gives it.
    pub relative: String,
    pub path: PathBuf,
    pub spec: String,
}

/// Everything `build --out-dir` would write, in memory, and the warnings of the
/// specs: for the benchmarks and tests; the commands stream the tree instead.
#[derive(Debug, Default)]
pub struct Plan {
    /// The tree's root, as given to `--out-dir`.
    pub out_dir: PathBuf,
    pub files: Vec<PlannedFile>,
    /// The contents of `files`, in the same order.
    pub contents: Vec<String>,
    /// The specs' warnings, in spec order.
    pub warnings: Vec<crate::diag::Diagnostic>,
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

/// Compiles every spec and renders every output of the selected targets (all when
/// `targets` is empty), holding every file. A target that refuses a spec is an
/// error that names the targets that accepted it, so a tree is never silently
/// incomplete.
pub fn plan(specs: &[String], out_dir: &Path, targets: &[&str]) -> Result<Plan, Error> {
    plan_layout(specs, out_dir, targets, None)
}

/// `plan` for the outputs of one `--layout` (`None`: the default tree).
pub fn plan_layout(
    specs: &[String],
    out_dir: &Path,
    targets: &[&str],
    layout: Option<&str>,
) -> Result<Plan, Error> {
    let mut tree = tree(specs, out_dir, targets, layout)?;
    let mut contents = Vec::new();
    let warnings = tree.render(&mut |_, text| {
        contents.push(text);
        Ok(())
    })?;
    Ok(Plan {
        out_dir: tree.out_dir,
        files: tree.files,
        contents,
        warnings,
    })
}

/// Whether `a` and `b` name one existing file (through links, `..`, hard links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// Whether a file's mode marks it executable: generated files are not, and git
/// records the difference.
fn executable(meta: &std::fs::Metadata) -> bool {
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

/// What is wrong on the way from the out dir to a planned file: a symbolic link
/// (a write would land outside DIR) or a file where a folder belongs, or a folder
/// where the file belongs. `None` when the way is clear (or not there yet).
fn way_problem(out_dir: &Path, file: &PlannedFile) -> Option<(PathBuf, &'static str)> {
    let mut at = out_dir.to_path_buf();
    let segments: Vec<&str> = file.relative.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        at.push(segment);
        let last = i + 1 == segments.len();
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
    }
    None
}

/// Refuses a planned file whose way is not clear (`way_problem`), before anything
/// is written.
fn check_destination(out_dir: &Path, file: &PlannedFile) -> Result<(), Error> {
    match way_problem(out_dir, file) {
        None => Ok(()),
        Some((at, why)) => Err(Error::Usage(format!(
            "{}: {why}; build --out-dir writes only regular files and folders inside {}: replace it",
            at.display(),
            out_dir.display()
        ))),
    }
}

/// Writes `-o PATH`: atomically for a regular file (or a missing one), through a
/// symbolic link to the file it names, and straight into what is not a regular
/// file (a FIFO, a device), which a rename would replace. Refuses a folder, and the
/// spec being read (`spec`, unless it is standard input). `/dev/stdout` and the
/// other names of a standard stream never get here (`cli::stream`).
pub fn write_output(
    path: &Path,
    spec: &str,
    contents: &[u8],
    durability: Durability,
) -> Result<(), Error> {
    let io = |error| Error::Io {
        path: path.display().to_string(),
        error,
    };
    if spec != "-" && same_file(path, Path::new(spec)) {
        return Err(Error::Usage(format!(
            "-o {}: that is the spec being read; write the output to another file",
            path.display()
        )));
    }
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match path.canonicalize() {
            Ok(target) => target,
            Err(error) => {
                return Err(Error::Io {
                    path: path.display().to_string(),
                    error: std::io::Error::new(
                        error.kind(),
                        format!("a symbolic link to a file that cannot be reached ({error})"),
                    ),
                });
            }
        },
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(Error::Usage(format!(
            "-o {}: is a folder; give a file path (or --out-dir for a tree)",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|mut f| std::io::Write::write_all(&mut f, contents))
            .map_err(io),
        _ => crate::atomic::write_file(&target, contents, durability).map_err(io),
    }
}

/// The commented starter spec `init` writes.
pub const STARTER: &str = include_str!("starter.yaml");

/// Where `ssm-profile schema` goes for the starter spec at `spec`: beside it, since
/// the starter's `$schema=./spec.schema.json` is read relative to the spec's folder
/// (as yaml-language-server resolves it), whatever folder the command ran in.
pub fn starter_schema_path(spec: &Path) -> std::path::PathBuf {
    spec.parent()
        .unwrap_or(Path::new(""))
        .join("spec.schema.json")
}

/// The starter spec for `spec`: its header's commands name the spec and the schema by
/// the paths `init` was given, so they run from the folder `init` ran in.
pub fn starter(spec: &Path) -> String {
    use crate::backend::header::{comment_safe, shell_quote};
    let word = |p: &Path| comment_safe(&shell_quote(&p.display().to_string()));
    STARTER
        .replacen(
            "ssm-profile build ssm-profile.yaml",
            &format!("ssm-profile build {}", word(spec)),
            1,
        )
        .replacen(
            "ssm-profile explain ssm-profile.yaml",
            &format!("ssm-profile explain {}", word(spec)),
            1,
        )
        .replacen(
            "ssm-profile schema > spec.schema.json",
            &format!("ssm-profile schema > {}", word(&starter_schema_path(spec))),
            1,
        )
}

/// Writes the starter spec to `path`; refuses when anything exists there.
pub fn init(path: &Path) -> Result<(), Error> {
    crate::atomic::create_new(path, starter(path).as_bytes()).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{}: the file exists; init never overwrites a spec (choose another path)",
                path.display()
            ))
        } else {
            Error::Io {
                path: path.display().to_string(),
                error,
            }
        }
    })
}

mod check;
pub use check::*;
mod tree;
pub use tree::*;
mod write;
pub use write::*;

#[cfg(test)]
mod tests;

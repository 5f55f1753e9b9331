//! The team workflow: `build --out-dir` writes every output of every spec into one
//! stable tree, and `check` proves a committed tree is what `build` would write.
//!
//! Both start from the same `tree`, so they cannot disagree about a file. No file of
//! the tree changes until every spec has compiled and every target has rendered:
//! each file is staged (written beside its destination, under the journal) as soon
//! as it renders and dropped, and only renamed once all are staged (`write`).

use std::path::{Path, PathBuf};

use crate::atomic::Durability;
use crate::diag::Error;

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
pub use check::{CheckReport, FileState, check, strays};
mod paths;
pub use paths::{PlannedFile, same_file, spec_stem};
mod schedule;
mod tree;
pub use tree::{Handed, Tree, tree};
mod write;
pub use write::{Staged, WriteReport, stage, write};

#[cfg(test)]
mod tests;

//! The team workflow: `build --out-dir` writes every output of every spec into one
//! stable tree, and `check` proves a committed tree is what `build` would write.
//!
//! Both start from the same `plan`, so they cannot disagree about a file. Nothing is
//! written until every spec has compiled and every target has rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::backend::{Output, RenderError, RenderOptions};
use crate::diag::{Diagnostic, Error, codes};
use crate::source::Source;

/// One file the tree should hold.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Path inside the out dir, `/`-separated, as `Output::out_dir_path` gives it.
    pub relative: String,
    pub path: PathBuf,
    pub contents: String,
    pub spec: String,
}

/// Everything `build --out-dir` would write, and the warnings of the specs.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<PlannedFile>,
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
/// `targets` is empty). A target that refuses a spec is an error that names the
/// targets that accepted it, so a tree is never silently incomplete.
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
    let mut stems: BTreeMap<String, &str> = BTreeMap::new();
    for spec in specs {
        let stem = spec_stem(spec)?;
        if let Some(first) = stems.insert(stem.clone(), spec) {
            return Err(Error::Usage(format!(
                "{first} and {spec} would both write files named `{stem}` into the out dir; rename one spec"
            )));
        }
    }
    let outputs: Vec<Output> = Output::in_layout(layout)
        .filter(|o| targets.is_empty() || targets.contains(&o.target()))
        .collect();
    if let (Some(layout), []) = (layout, outputs.as_slice()) {
        let takes: Vec<&str> = Output::every()
            .filter(|o| o.layout() == Some(layout))
            .map(|o| o.target())
            .collect();
        return Err(Error::Usage(format!(
            "`--layout {layout}` applies only to --target {}",
            takes.join(", --target ")
        )));
    }
    let mut plan = Plan::default();
    // Every spec's errors are reported, not only the first invalid spec's.
    let mut invalid = Vec::new();
    for spec in specs {
        let stem = spec_stem(spec)?;
        let source = Source::read(spec)?;
        let model = match crate::load_all(&source) {
            Ok(model) => model,
            Err(errors) => {
                invalid.extend(errors);
                continue;
            }
        };
        let mut refused = Vec::new();
        let mut accepted = Vec::new();
        let mut notes = Vec::new();
        for &output in &outputs {
            match output.generate_files(&model, &source.name, RenderOptions::default()) {
                Ok(files) => {
                    for (inside, contents) in files {
                        let mut relative = output.out_dir_path(&stem);
                        if !inside.is_empty() {
                            relative = format!("{relative}/{inside}");
                        }
                        let path = out_dir.join(&relative);
                        notes.extend(output.notes(&contents).into_iter().map(|n| {
                            Diagnostic::warning(codes::TEMPLATE_SIZE, n)
                                .in_file(path.display().to_string())
                        }));
                        plan.files.push(PlannedFile {
                            path,
                            relative,
                            contents,
                            spec: source.name.clone(),
                        });
                    }
                    accepted.push(output.target());
                }
                Err(RenderError::Refused { target, message }) => refused.push((target, message)),
                Err(e) => return Err(e.for_source(&source)),
            }
        }
        refused.dedup_by_key(|(t, _)| *t);
        accepted.dedup();
        if let Some((target, message)) = refused.first() {
            let hint = if accepted.is_empty() {
                String::new()
            } else {
                let flags: Vec<String> = accepted.iter().map(|t| format!("--target {t}")).collect();
                format!(
                    " (target {target} refuses this spec; to build only the targets that accept it, add {})",
                    flags.join(" ")
                )
            };
            return Err(RenderError::Refused {
                target,
                message: format!("{message}{hint}"),
            }
            .for_source(&source));
        }
        plan.warnings.extend(crate::warnings(&model, &source));
        plan.warnings.extend(notes);
    }
    if !invalid.is_empty() {
        return Err(Error::Specs(invalid));
    }
    // Different stems can still meet in one file (`prod-eu` and `prod_eu` share the
    // Python module `prod_eu`): refuse before anything is written.
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for file in &plan.files {
        if let Some(first) = owners.insert(&file.relative, &file.spec)
            && first != file.spec
        {
            return Err(Error::Usage(format!(
                "{first} and {} would both write {}; rename one spec",
                file.spec, file.relative
            )));
        }
    }
    Ok(plan)
}

/// What `write` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
}

/// Writes the plan in two phases (see `atomic::Transaction`). First every changed
/// file is staged beside its destination; any failure there removes what was staged
/// and the folders made for it, so the tree is as it was. Then the staged files are
/// renamed over the destinations. Files whose bytes already match are not touched,
/// so their timestamps do not change.
pub fn write(plan: &Plan) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    let mut transaction = crate::atomic::Transaction::default();
    let mut staged = Vec::new();
    for file in &plan.files {
        if std::fs::read(&file.path).is_ok_and(|old| old == file.contents.as_bytes()) {
            report.unchanged.push(file.relative.clone());
            continue;
        }
        let io = |error| Error::Io {
            path: file.path.display().to_string(),
            error,
        };
        if file.path.is_dir() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a directory is where the generated file belongs",
            )));
        }
        transaction
            .stage(&file.path, file.contents.as_bytes())
            .map_err(io)?;
        staged.push(file.relative.clone());
    }
    match transaction.commit() {
        Ok(_) => {
            report.written = staged;
            Ok(report)
        }
        Err(e) => {
            let done = if e.done.is_empty() {
                "no file was changed".to_string()
            } else {
                format!("already replaced: {}", staged[..e.done.len()].join(", "))
            };
            Err(Error::Io {
                path: e.path.display().to_string(),
                error: std::io::Error::new(e.error.kind(), format!("{} ({done})", e.error)),
            })
        }
    }
}

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
    /// Files in the tree that no given spec generates (`check --exhaustive`).
    pub strays: Vec<PathBuf>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.files.iter().all(|(_, s)| *s == FileState::UpToDate) && self.strays.is_empty()
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
                            file.path.display(),
                            file.spec
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
                            file.path.display(),
                            file.spec
                        ),
                    ));
                    out.push('\n');
                    if let Some(note) = note {
                        out.push_str(note);
                        out.push('\n');
                    }
                    for line in diff.lines() {
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
                &format!("stray: {} (no spec given generates it)", path.display()),
            ));
            out.push('\n');
        }
        let total = self.files.len();
        if !self.strays.is_empty() {
            out.push_str(&format!(
                "{} stray files: delete them if their spec is gone, or name their spec\n",
                self.strays.len()
            ));
        }
        if drifted + missing == 0 {
            out.push_str(&format!("{total} generated files up to date\n"));
        } else {
            out.push_str(&format!(
                "{drifted} drifted, {missing} missing, {ok} up to date of {total} generated files; run `ssm-profile build` with the same arguments and --out-dir to update them\n"
            ));
        }
        out
    }
}

/// Files under the tree's target folders (the first segment of every planned
/// path: `cloudformation/`, `terraform/`, ...) that the plan does not hold, sorted.
/// Other folders of DIR are the user's and are not looked at.
pub fn strays(plan: &Plan, out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let planned: std::collections::BTreeSet<&Path> =
        plan.files.iter().map(|f| f.path.as_path()).collect();
    let roots: std::collections::BTreeSet<&str> = plan
        .files
        .iter()
        .filter_map(|f| f.relative.split('/').next())
        .collect();
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = roots.iter().map(|r| out_dir.join(r)).collect();
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
            let path = entry
                .map_err(|error| Error::Io {
                    path: dir.display().to_string(),
                    error,
                })?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if !planned.contains(path.as_path()) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Compares every planned file with the disk. Never writes.
pub fn check(plan: &Plan) -> Result<CheckReport, Error> {
    let mut report = CheckReport::default();
    for file in &plan.files {
        let state = match std::fs::read(&file.path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => FileState::UpToDate,
            Ok(bytes) => drift(&file.path, &bytes, &file.contents),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileState::Missing,
            Err(error) if file.path.is_dir() => FileState::Drifted {
                diff: String::new(),
                note: Some(format!("a directory is where the file belongs ({error})")),
            },
            Err(error) => {
                return Err(Error::Io {
                    path: file.path.display().to_string(),
                    error,
                });
            }
        };
        report.files.push((file.clone(), state));
    }
    Ok(report)
}

fn drift(path: &Path, on_disk: &[u8], expected: &str) -> FileState {
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

/// The commented starter spec `init` writes.
pub const STARTER: &str = include_str!("starter.yaml");

/// Writes the starter spec to `path`; refuses when anything exists there.
pub fn init(path: &Path) -> Result<(), Error> {
    crate::atomic::create_new(path, STARTER.as_bytes()).map_err(|error| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_spec_compiles_for_every_target() {
        let source = Source::new("ssm-profile.yaml", STARTER);
        let model = crate::load(&source).expect("the starter compiles");
        assert_eq!(model.profiles.len(), 1);
        assert!(model.profiles[0].warnings.is_empty());
        for o in Output::every() {
            o.generate_files(&model, "ssm-profile.yaml", RenderOptions::default())
                .unwrap_or_else(|e| panic!("{o:?} refuses the starter: {e}"));
        }
    }

    #[test]
    fn out_dir_paths_are_distinct_relative_and_named_after_the_spec() {
        let paths: Vec<String> = Output::all().map(|o| o.out_dir_path("prod")).collect();
        for (i, p) in paths.iter().enumerate() {
            assert!(p.contains("prod"), "{p}");
            assert!(!p.starts_with('/') && !p.contains('\\'), "{p}");
            assert!(
                p.split('/')
                    .all(|seg| !seg.is_empty() && seg != ".." && seg != "."),
                "{p}"
            );
            assert!(!paths[..i].contains(p), "two outputs share {p}");
        }
    }

    #[test]
    fn stems_name_the_generated_files() {
        assert_eq!(spec_stem("specs/prod.yaml").unwrap(), "prod");
        assert_eq!(spec_stem("prod.ssm.json").unwrap(), "prod.ssm");
        assert!(spec_stem("-").is_err());
        assert!(spec_stem("specs/.yaml").is_err());
    }

    #[test]
    fn crlf_drift_says_so() {
        let FileState::Drifted { note, diff } = drift(Path::new("f"), b"a\r\nb\r\n", "a\nb\n")
        else {
            panic!("not drift");
        };
        assert!(note.unwrap().contains("CRLF"));
        assert!(diff.contains("-a\r"));
    }
}

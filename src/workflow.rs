//! The team workflow: `build --out-dir` writes every output of every spec into one
//! stable tree, and `check` proves a committed tree is what `build` would write.
//!
//! Both start from the same `plan`, so they cannot disagree about a file. Nothing is
//! written until every spec has compiled and every target has rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::backend::{Output, RenderError, RenderOptions};
use crate::diag::Error;
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
    /// The tree's root, as given to `--out-dir`.
    pub out_dir: PathBuf,
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
    let mut plan = Plan {
        out_dir: out_dir.to_path_buf(),
        ..Plan::default()
    };
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
        for &output in outputs.iter().filter(|o| o.applies(&model)) {
            match output.generate_files(&model, &source.name, RenderOptions::default()) {
                Ok(files) => {
                    for (inside, contents) in files {
                        let mut relative = output.out_dir_path(&stem);
                        if !inside.is_empty() {
                            relative = format!("{relative}/{inside}");
                        }
                        plan.files.push(PlannedFile {
                            path: out_dir.join(&relative),
                            relative,
                            contents,
                            spec: source.name.clone(),
                        });
                    }
                    accepted.push(output.target());
                }
                Err(RenderError::Refused { target, message }) => refused.push((target, message)),
                Err(e) => return Err(crate::render_error(&source, e)),
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
            let refusal = RenderError::Refused {
                target,
                message: format!("{message}{hint}"),
            };
            return Err(crate::render_error(&source, refusal));
        }
        plan.warnings.extend(crate::warnings(&model, &source));
    }
    if !invalid.is_empty() {
        return Err(Error::Specs(invalid));
    }
    // Different stems can still meet in one file (`prod-eu` and `prod_eu` share the
    // Python module `prod_eu`): refuse before anything is written.
    check_collisions(&plan, specs)?;
    Ok(plan)
}

/// Two planned files at one path (`x.yaml`'s app and `x-app.yaml`'s construct are
/// both `cdk/x-app.ts`), at paths that differ only in case (one file on macOS and
/// Windows), or a file where another needs a folder: refused before anything is
/// written, naming both specs. So is a planned file that is one of the specs.
fn check_collisions(plan: &Plan, specs: &[String]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &PlannedFile> = BTreeMap::new();
    for file in &plan.files {
        let key = file.relative.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let paths = if first.relative == file.relative {
                file.relative.clone()
            } else {
                format!(
                    "{} and {}, one file where case is ignored (macOS, Windows)",
                    first.relative, file.relative
                )
            };
            return Err(Error::Usage(format!(
                "{} and {} would both write {paths}; rename one spec",
                first.spec, file.spec
            )));
        }
        seen.insert(key, file);
    }
    for (key, file) in &seen {
        let folder = format!("{key}/");
        if let Some((_, inner)) = seen
            .range(folder.clone()..)
            .next()
            .filter(|(k, _)| k.starts_with(&folder))
        {
            return Err(Error::Usage(format!(
                "{} (from {}) is a file where {} (from {}) needs a folder; rename one spec",
                file.relative, file.spec, inner.relative, inner.spec
            )));
        }
    }
    for file in &plan.files {
        if let Some(spec) = specs.iter().find(|s| same_file(Path::new(s), &file.path)) {
            return Err(Error::Usage(format!(
                "{spec} is the spec being read and {} would replace it; keep specs outside the out dir's target folders",
                file.relative
            )));
        }
    }
    Ok(())
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

/// What `write` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// What finishing an interrupted earlier build did, before this one wrote.
    pub recovered: crate::atomic::Recovery,
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

/// Writes the plan in two phases (see `atomic::Transaction`). First an interrupted
/// earlier build is finished (`atomic::recover`) and every destination is checked
/// (no symbolic links on the way, no folder where a file goes). Then every changed
/// file is staged beside its destination under a journal; any failure there removes
/// what was staged and the folders made for it, so the tree is as it was. Then the
/// staged files are renamed over the destinations; a stop part-way is finished by
/// the next build. Files whose bytes (and mode) already match are not touched, so
/// their timestamps do not change.
pub fn write(plan: &Plan) -> Result<WriteReport, Error> {
    let out_dir = &plan.out_dir;
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |error| Error::Io {
            path: path.clone(),
            error,
        }
    };
    let mut report = WriteReport {
        recovered: crate::atomic::recover(out_dir).map_err(io(out_dir))?,
        ..WriteReport::default()
    };
    let mut changed = Vec::new();
    for file in &plan.files {
        check_destination(out_dir, file)?;
        let same = std::fs::symlink_metadata(&file.path).is_ok_and(|m| {
            m.is_file()
                && !executable(&m)
                && std::fs::read(&file.path).is_ok_and(|old| old == file.contents.as_bytes())
        });
        if same {
            report.unchanged.push(file.relative.clone());
        } else {
            changed.push(file);
        }
    }
    if changed.is_empty() {
        return Ok(report);
    }
    let made_root = !out_dir.exists();
    std::fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    let staged = (|| {
        let mut transaction =
            crate::atomic::Transaction::journaled(out_dir).map_err(io(out_dir))?;
        for file in &changed {
            transaction
                .stage(&file.path, file.contents.as_bytes())
                .map_err(io(&file.path))?;
        }
        Ok(transaction)
    })();
    let transaction = match staged {
        Ok(t) => t,
        Err(e) => {
            if made_root {
                let _ = std::fs::remove_dir(out_dir);
            }
            return Err(e);
        }
    };
    let names: Vec<String> = changed.iter().map(|f| f.relative.clone()).collect();
    match transaction.commit() {
        Ok(_) => {
            report.written = names;
            Ok(report)
        }
        Err(e) => {
            let done = if e.done.is_empty() {
                "no file was replaced yet".to_string()
            } else {
                format!("already replaced: {}", names[..e.done.len()].join(", "))
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

/// Writes `-o PATH`: atomically for a regular file (or a missing one), through a
/// symbolic link to the file it names, and straight into what is not a regular
/// file (a FIFO, `/dev/stdout`, a device), which a rename would replace. Refuses
/// a folder, and the spec being read (`spec`, unless it is standard input).
pub fn write_output(path: &Path, spec: &str, contents: &[u8]) -> Result<(), Error> {
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
        _ => crate::atomic::write_file(&target, contents).map_err(io),
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
    /// Files in the tree that no given spec generates (`check --exhaustive`), and
    /// symbolic links in its target folders.
    pub strays: Vec<PathBuf>,
    /// Journals of builds that were stopped part-way (`false`), or that are writing
    /// the tree right now (`true`): the tree is a mix of old and new files.
    pub interrupted: Vec<(PathBuf, bool)>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.files.iter().all(|(_, s)| *s == FileState::UpToDate)
            && self.strays.is_empty()
            && self.interrupted.is_empty()
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
        for (journal, running) in &self.interrupted {
            let what = if *running {
                "a build is writing this tree right now"
            } else {
                "a build was stopped while it replaced files; the next build finishes it"
            };
            out.push_str(&paint(
                "1;31",
                &format!("interrupted: {} ({what})", journal.display()),
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
        if drifted + missing == 0 && self.is_clean() {
            out.push_str(&format!("{total} generated files up to date\n"));
        } else if drifted + missing == 0 {
            out.push_str(&format!(
                "{total} generated files up to date, but the tree is not clean ({} stray, {} interrupted build)\n",
                self.strays.len(),
                self.interrupted.len()
            ));
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

/// Compares every planned file with the disk, and names builds of the tree that
/// were stopped part-way. Never writes. Anything on disk that is not the planned
/// regular file (a folder, a symbolic link, an executable file, a file where a
/// folder belongs, a file that cannot be read) is drift, reported with a note.
pub fn check(plan: &Plan) -> Result<CheckReport, Error> {
    let mut report = CheckReport {
        interrupted: crate::atomic::journals(&plan.out_dir).map_err(|error| Error::Io {
            path: plan.out_dir.display().to_string(),
            error,
        })?,
        ..CheckReport::default()
    };
    for file in &plan.files {
        let state = match way_problem(&plan.out_dir, file) {
            Some((at, why)) => FileState::Drifted {
                diff: String::new(),
                note: Some(format!("{} {why}", at.display())),
            },
            None => file_state(file),
        };
        report.files.push((file.clone(), state));
    }
    Ok(report)
}

fn file_state(file: &PlannedFile) -> FileState {
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
    match std::fs::read(&file.path) {
        Ok(bytes) if bytes == file.contents.as_bytes() => {
            if executable(&meta) {
                noted(
                    "the file is executable; generated files are not (git records the mode)".into(),
                )
            } else {
                FileState::UpToDate
            }
        }
        Ok(bytes) => drift(&file.path, &bytes, &file.contents),
        Err(error) => noted(format!("the file cannot be read: {error}")),
    }
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
        for o in Output::every().filter(|o| o.applies(&model)) {
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

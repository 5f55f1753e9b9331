//! The team workflow: `build --out-dir` writes every output of every spec into one
//! stable tree, and `check` proves a committed tree is what `build` would write.
//!
//! Both start from the same `plan`, so they cannot disagree about a file. Nothing is
//! written until every spec has compiled and every target has rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::atomic::Durability;
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
        // The first refusal, in table order, is the one reported.
        let mut refused = None;
        let mut accepted = Vec::new();
        let mut notes = Vec::new();
        // Only the outputs that apply to this spec (a rollout needs `rollout:`); they
        // render in parallel and their files are taken in table order.
        let applicable: Vec<Output> = outputs
            .iter()
            .copied()
            .filter(|o| o.applies(&model))
            .collect();
        // The split into stacks is measured once for the spec, not once per output.
        let split = crate::backend::stacks::SharedSplit::new();
        let generated = in_parallel(&applicable, |output| {
            output.generate_files_sharing(&model, &source.name, RenderOptions::default(), &split)
        });
        for (&output, result) in applicable.iter().zip(generated) {
            match result {
                Ok(files) => {
                    for file in files {
                        let relative = output.file_out_dir_path(&stem, &file);
                        let contents = file.text;
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
                Err(refusal @ RenderError::Refused { .. }) => {
                    refused.get_or_insert(refusal);
                }
                Err(e) => return Err(crate::render_error(&source, e)),
            }
        }
        accepted.dedup();
        if let Some(RenderError::Refused {
            target,
            at,
            message,
        }) = refused
        {
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
                at,
                message: format!("{message}{hint}"),
            };
            return Err(crate::render_error(&source, refusal));
        }
        plan.warnings.extend(crate::warnings(&model, &source));
        plan.warnings.extend(notes);
    }
    if !invalid.is_empty() {
        return Err(Error::Specs(invalid));
    }
    // Different stems can still meet in one file (`prod-eu` and `prod_eu` share the
    // Python module `prod_eu`): refuse before anything is written.
    check_collisions(&plan, specs)?;
    Ok(plan)
}

/// `f` of every item, in the items' order, computed on up to as many threads as the
/// machine has cores (the calling thread is one of them).
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                std::thread::Builder::new()
                    // As much stack as the main thread: templates and serialisers recurse.
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, work)
                    .expect("a thread to render on")
            })
            .collect();
        let mut done = work();
        for helper in helpers {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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
    write_durably(plan, Durability::default())
}

/// `write`, with the commit as durable as `durability` says (`build --fsync`).
pub fn write_durably(plan: &Plan, durability: Durability) -> Result<WriteReport, Error> {
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
        let mut transaction = crate::atomic::Transaction::journaled(out_dir)
            .map_err(io(out_dir))?
            .with_durability(durability);
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

mod check;
pub use check::*;

#[cfg(test)]
mod tests;

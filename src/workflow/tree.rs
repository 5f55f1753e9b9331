//! The tree `build --out-dir` and `check` work on: every spec loaded and every file's
//! path known (and checked for collisions) before the first file renders; then each
//! file rendered and handed over one at a time, as it renders (each output's files in
//! plan order; two outputs rendered together interleave), to be staged or compared
//! and dropped. A fleet's 221 MB of files were once all held until the last
//! had rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::paths::{FileId, PlannedFile, file_id, spec_stem};
use super::schedule::{Given, render_outputs};
use crate::backend::stacks::SharedSplit;
use crate::backend::{Output, RenderError, RenderOptions};
use crate::diag::{Diagnostic, Error, codes};
use crate::model::Model;
use crate::source::Source;

/// A file handed over by `Tree::render_in_parts`.
pub enum Handed {
    /// The whole file.
    Whole(String),
    /// The next part of a file handed over in parts: the first opens it, the last
    /// closes it.
    Part {
        text: String,
        first: bool,
        last: bool,
    },
}

/// One spec of the tree: its model (`None`: invalid, its errors in `Tree::pending`),
/// the outputs that apply to it and how many files each plans.
struct Job {
    source: Source,
    stem: String,
    model: Option<Model>,
    outputs: Vec<Output>,
    /// Files planned per output, in `outputs` order; `None` when planning refused
    /// (the render reports the refusal as it always did).
    counts: Option<Vec<usize>>,
    /// The split into stacks, measured while planning and reused by the render.
    split: SharedSplit,
}

/// Every file of a `build --out-dir` (or `check`) before any is rendered.
pub struct Tree {
    /// The tree's root, as given to `--out-dir`.
    pub out_dir: PathBuf,
    /// Every file, in plan order: spec order, then table order, then each output's.
    pub files: Vec<PlannedFile>,
    jobs: Vec<Job>,
    /// The error the tree already has (an unreadable or invalid spec, colliding
    /// paths). It is reported after a render that hands nothing over, since a
    /// target's refusal of a spec was always reported first.
    pending: Option<Error>,
    /// A spec's planning refused: its render reports why.
    refused: bool,
}

/// Loads every spec and plans every path of the outputs of one `--layout` (`None`:
/// the default tree) of the selected targets (all when `targets` is empty).
pub fn tree(
    specs: &[String],
    out_dir: &Path,
    targets: &[&str],
    layout: Option<&str>,
) -> Result<Tree, Error> {
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
        let mut takes: Vec<&str> = Vec::new();
        for o in Output::every().filter(|o| o.layout() == Some(layout)) {
            if !takes.contains(&o.target()) {
                takes.push(o.target());
            }
        }
        return Err(Error::Usage(format!(
            "`--layout {layout}` applies only to --target {}",
            takes.join(", --target ")
        )));
    }
    let mut tree = Tree {
        out_dir: out_dir.to_path_buf(),
        files: Vec::new(),
        jobs: Vec::new(),
        pending: None,
        refused: false,
    };
    // Every spec's errors are reported, not only the first invalid spec's.
    let mut invalid = Vec::new();
    for spec in specs {
        let stem = spec_stem(spec)?;
        let source = match Source::read(spec) {
            Ok(source) => source,
            // Reported after the specs before it render (a refusal of one of them
            // comes first, as when each spec rendered before the next was read).
            Err(e) => {
                tree.pending = Some(e);
                return Ok(tree);
            }
        };
        let model = match crate::load_all(&source) {
            Ok(model) => model,
            Err(errors) => {
                invalid.extend(errors);
                tree.jobs.push(Job {
                    source,
                    stem,
                    model: None,
                    outputs: Vec::new(),
                    counts: None,
                    split: SharedSplit::new(),
                });
                continue;
            }
        };
        // Only the outputs that apply to this spec (a rollout needs `rollout:`).
        let applicable: Vec<Output> = outputs
            .iter()
            .copied()
            .filter(|o| o.applies(&model))
            .collect();
        // The split into stacks is measured once for the spec, not once per output.
        let split = SharedSplit::new();
        let mut counts = Some(Vec::new());
        for output in &applicable {
            match output.planned_files(&model, &source.name, RenderOptions::default(), &split) {
                Ok(files) => {
                    if let Some(counts) = counts.as_mut() {
                        counts.push(files.len());
                    }
                    for file in files {
                        let relative = output.file_out_dir_path(&stem, &file);
                        tree.files.push(PlannedFile {
                            path: out_dir.join(&relative),
                            relative,
                            spec: source.name.clone(),
                        });
                    }
                }
                Err(_) => counts = None,
            }
        }
        tree.refused |= counts.is_none();
        tree.jobs.push(Job {
            source,
            stem,
            model: Some(model),
            outputs: applicable,
            counts,
            split,
        });
    }
    if !invalid.is_empty() {
        tree.pending = Some(Error::Specs(invalid));
    } else if !tree.refused {
        // Different stems can still meet in one file (`prod-eu` and `prod_eu` share
        // the Python module `prod_eu`): refused before anything renders.
        tree.pending = check_collisions(&tree.files, specs).err();
    }
    Ok(tree)
}

impl Tree {
    /// Whether the tree will fail whatever renders: nothing is handed over then.
    pub fn doomed(&self) -> bool {
        self.pending.is_some() || self.refused
    }

    /// Renders every file and hands it to `take` (spec by spec; each output's files in
    /// plan order, `self.files`, but the files of two outputs rendered together
    /// interleave: `Target::together`), then returns the specs' warnings (in spec
    /// order). Any error stops it; a spec's
    /// error is the one `plan` always reported (the first refusal in table order,
    /// naming the targets that accept the spec).
    pub fn render(
        &mut self,
        take: &mut dyn FnMut(&PlannedFile, String) -> Result<(), Error>,
    ) -> Result<Vec<Diagnostic>, Error> {
        self.render_in_parts(&|_| false, &mut |file, handed| match handed {
            Handed::Whole(text) => take(file, text),
            Handed::Part { .. } => Err(Error::Usage(format!(
                "internal error: {} was handed over in parts",
                file.relative
            ))),
        })
    }

    /// `render`, but the file of an output rendered in pieces (`Output::pieces`: a
    /// fleet's Terraform configuration) for which `in_parts` says yes is handed
    /// over piece by piece, in order (`Handed::Part`), instead of joined: it is
    /// never whole in memory, and what renders after it need not wait for it.
    pub fn render_in_parts(
        &mut self,
        in_parts: &dyn Fn(&PlannedFile) -> bool,
        take: &mut dyn FnMut(&PlannedFile, Handed) -> Result<(), Error>,
    ) -> Result<Vec<Diagnostic>, Error> {
        let dry = self.doomed();
        // Every spec is read; the rendering threads start below.
        crate::memory::rendering();
        let mut warnings = Vec::new();
        let mut next = 0;
        for job in &mut self.jobs {
            // Dropped once its files are taken: one spec's model at a time stays.
            let Some(model) = job.model.take() else {
                continue;
            };
            let mut notes = Vec::new();
            // Once an output of the spec fails, the build fails: its later files
            // are rendered (for the refusal's list of accepting targets) but not taken.
            let mut failed = dry;
            // Each output's files taken so far, and where its first is in the plan.
            let mut taken = vec![0; job.outputs.len()];
            let first: Vec<usize> = job
                .counts
                .iter()
                .flatten()
                .scan(next, |at, n| Some(std::mem::replace(at, *at + n)))
                .collect();
            let files = &self.files;
            let stem = &job.stem;
            let outputs = &job.outputs;
            // An output rendered in pieces plans one file.
            let streamed: Vec<bool> = (0..outputs.len())
                .map(|i| {
                    !dry && outputs[i].pieces(&model).is_some()
                        && job.counts.as_ref().is_some_and(|c| c[i] == 1)
                        && files.get(first[i]).is_some_and(in_parts)
                })
                .collect();
            let results = render_outputs(
                outputs,
                &model,
                &job.source.name,
                &job.split,
                &streamed,
                &mut |i, given| {
                    let (file, part) = match given {
                        Given::File(file) => (file, None),
                        Given::Part { file, first, last } => (file, Some((first, last))),
                        Given::Done(result) => {
                            let planned = job.counts.as_ref().and_then(|c| c.get(i)).copied();
                            if result.is_err() {
                                failed = true;
                            } else if !failed && planned != Some(taken[i]) {
                                failed = true;
                                return Err(crate::render_error(
                                    &job.source,
                                    RenderError::Internal(format!(
                                        "{outputs:?}[{i}] rendered {} files, {planned:?} planned",
                                        taken[i]
                                    )),
                                ));
                            }
                            return Ok(());
                        }
                    };
                    if failed {
                        return Ok(());
                    }
                    let relative = outputs[i].file_out_dir_path(stem, &file);
                    let at = first.get(i).map(|f| f + taken[i]);
                    let Some(planned) = at.and_then(|at| files.get(at)).filter(|p| {
                        p.relative == relative && taken[i] < job.counts.as_ref().map_or(0, |c| c[i])
                    }) else {
                        return Err(crate::render_error(
                            &job.source,
                            RenderError::Internal(format!("{relative} was not planned there")),
                        ));
                    };
                    let Some((first_part, last_part)) = part else {
                        taken[i] += 1;
                        notes.extend(outputs[i].notes(&file.text).into_iter().map(|n| {
                            Diagnostic::warning(codes::TEMPLATE_SIZE, n)
                                .in_file(planned.path.display().to_string())
                        }));
                        return take(planned, Handed::Whole(file.text));
                    };
                    // No output rendered in pieces has notes (they measure a whole
                    // template body, which never renders in pieces).
                    taken[i] += usize::from(last_part);
                    take(
                        planned,
                        Handed::Part {
                            text: file.text,
                            first: first_part,
                            last: last_part,
                        },
                    )
                },
            )?;
            next += job.counts.iter().flatten().sum::<usize>();
            spec_result(&job.source, outputs, results)?;
            warnings.extend(crate::warnings(&model, &job.source));
            warnings.extend(notes);
        }
        match self.pending.take() {
            Some(e) => Err(e),
            None if self.refused => Err(Error::Usage(
                "internal error: a target refused a spec while planning but not while rendering"
                    .into(),
            )),
            None => Ok(warnings),
        }
    }
}

/// The error of one spec from its outputs' results, in table order: the first
/// internal error, else the first refusal with the targets that accepted the spec.
/// A target accepts it only if every output of it does: one whose rollout refuses
/// (a StackSet's one template over a quota) while its stacks split still refuses.
fn spec_result(
    source: &Source,
    outputs: &[Output],
    results: Vec<Result<(), RenderError>>,
) -> Result<(), Error> {
    let mut refused = None;
    let mut refusing = Vec::new();
    for (&output, result) in outputs.iter().zip(results) {
        match result {
            Ok(()) => {}
            Err(refusal @ RenderError::Refused { .. }) => {
                refusing.push(output.target());
                refused.get_or_insert(refusal);
            }
            Err(e) => return Err(crate::render_error(source, e)),
        }
    }
    let mut accepted: Vec<&str> = Vec::new();
    for target in outputs.iter().map(|o| o.target()) {
        if !refusing.contains(&target) && !accepted.contains(&target) {
            accepted.push(target);
        }
    }
    let Some(RenderError::Refused {
        target,
        at,
        message,
    }) = refused
    else {
        return Ok(());
    };
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
    Err(crate::render_error(source, refusal))
}

/// Two planned files at one path (`x.yaml`'s app and `x-app.yaml`'s construct are
/// both `cdk/x-app.ts`), at paths that differ only in case (one file on macOS and
/// Windows), or a file where another needs a folder: refused before anything is
/// written, naming both specs. So is a planned file that is one of the specs.
fn check_collisions(files: &[PlannedFile], specs: &[String]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &PlannedFile> = BTreeMap::new();
    for file in files {
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
    // Each spec's identity once, then one look per planned file.
    let spec_ids: Vec<(&String, FileId)> = specs
        .iter()
        .filter_map(|s| Some((s, file_id(Path::new(s))?)))
        .collect();
    for file in files.iter().filter(|_| !spec_ids.is_empty()) {
        let Some(id) = file_id(&file.path) else {
            continue;
        };
        if let Some((spec, _)) = spec_ids.iter().find(|(_, s)| *s == id) {
            return Err(Error::Usage(format!(
                "{spec} is the spec being read and {} would replace it; keep specs outside the out dir's target folders",
                file.relative
            )));
        }
    }
    Ok(())
}

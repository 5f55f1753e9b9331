//! Backends turn the model into files as text. None of them writes to disk.
//!
//! `target::TARGETS` lists every target, each one value that owns its outputs: the
//! command line, the generated-file header, the `--out-dir` tree and the golden files
//! all read their rows. Adding an output is one row in its target and the render
//! function it names.

pub mod adoption;
pub mod capability;
pub mod cdk;
pub mod cloudformation;
pub mod describe;
pub mod document;
pub mod emit;
mod error;
pub mod hcl;
pub mod header;
pub mod interpreted;
pub mod naming;
pub use naming::{python_module, typescript_module};
pub mod rollout;
pub mod scanners;
pub mod stacks;
pub mod target;
pub mod templating;
pub mod terraform;

use crate::model::Model;
use crate::refdata::limits;

pub use crate::text::pretty_json;
pub use error::RenderError;
pub use header::CommentSyntax;

pub mod outputs;
pub use outputs::{FolderFile, OutputDef, Render, StackFiles};
use target::{TARGETS, Target};

/// One file of an output as every command writes it, with its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `/`-separated path inside a folder output's folder; empty otherwise.
    pub inside: String,
    /// The stack's number (from 1) when the spec is written as several stacks.
    pub stack: Option<usize>,
    pub text: String,
}

/// A handle on one output: a row of a target's outputs, with its target; cheap to
/// copy and compare.
#[derive(Clone, Copy)]
pub struct Output {
    target: &'static Target,
    def: &'static OutputDef,
}

impl PartialEq for Output {
    fn eq(&self, other: &Output) -> bool {
        std::ptr::eq(self.def, other.def)
    }
}

impl Eq for Output {}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.def.golden)
    }
}

/// What a user asked for with `--target`, `--format`, `--language`, `--app` and
/// `--layout`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub target: &'a str,
    pub format: Option<&'a str>,
    pub language: Option<&'a str>,
    pub app: bool,
    pub rollout: bool,
    pub adoption: Option<&'a str>,
    pub layout: Option<&'a str>,
}

impl Output {
    /// Every output of the default layout (what `build --out-dir` writes when no
    /// `--layout` is given), in table order.
    pub fn all() -> impl Iterator<Item = Output> {
        Output::in_layout(None)
    }

    /// Every output of one layout (`None`: the default), in table order.
    pub fn in_layout(layout: Option<&str>) -> impl Iterator<Item = Output> + '_ {
        Output::every().filter(move |o| o.def.layout == layout)
    }

    /// Every output of every layout, in table order: what the goldens hold.
    pub fn every() -> impl Iterator<Item = Output> {
        TARGETS
            .iter()
            .flat_map(|target| target.outputs.iter().map(move |def| Output { target, def }))
    }

    /// The output whose golden file is `golden` (`cloudformation.yaml`, ...).
    pub fn by_golden(golden: &str) -> Option<Output> {
        Output::every().find(|o| o.def.golden == golden)
    }

    /// Every target name, in table order.
    pub fn targets() -> Vec<&'static str> {
        TARGETS.iter().map(|t| t.name()).collect()
    }

    /// The targets `build --no-provider-block` applies to.
    pub fn provider_block_targets() -> Vec<&'static str> {
        TARGETS
            .iter()
            .filter(|t| t.provider_block)
            .map(|t| t.name())
            .collect()
    }

    /// The values one column of the table takes for `target`, in table order.
    fn values(target: &str, column: fn(&OutputDef) -> Option<&'static str>) -> Vec<&'static str> {
        let mut values: Vec<&'static str> = Vec::new();
        let rows = target::by_name(target).map_or(&[][..], |t| t.outputs);
        for d in rows {
            if let Some(v) = column(d)
                && !values.contains(&v)
            {
                values.push(v);
            }
        }
        values
    }

    /// Every `--format` value of any target, for the command line's value list.
    pub fn all_formats() -> Vec<&'static str> {
        Output::column_values(|d| d.format)
    }

    /// Every `--language` value of any target.
    pub fn all_languages() -> Vec<&'static str> {
        Output::column_values(|d| d.language)
    }

    /// Every `--layout` value of any target.
    pub fn all_layouts() -> Vec<&'static str> {
        Output::column_values(|d| d.layout)
    }

    /// Every `--adoption` value of any target.
    pub fn all_adoptions() -> Vec<&'static str> {
        Output::column_values(|d| d.adoption)
    }

    fn column_values(column: fn(&OutputDef) -> Option<&'static str>) -> Vec<&'static str> {
        let mut values: Vec<&'static str> = Vec::new();
        for v in Output::every().filter_map(|o| column(o.def)) {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        values
    }

    /// The output a selection names, or why the combination names none.
    pub fn select(s: Selection) -> Result<Output, String> {
        if !Output::targets().contains(&s.target) {
            return Err(format!(
                "unknown target `{}`; targets: {}",
                s.target,
                Output::targets().join(", ")
            ));
        }
        let formats = Output::values(s.target, |d| d.format);
        let languages = Output::values(s.target, |d| d.language);
        let layouts = Output::values(s.target, |d| d.layout);
        let adoptions = Output::values(s.target, |d| d.adoption);
        let Some(target) = target::by_name(s.target) else {
            return Err(format!("unknown target `{}`", s.target));
        };
        let has_app = target.outputs.iter().any(|d| d.app);
        let has_rollout = target.outputs.iter().any(|d| d.rollout);
        let takes = || {
            let mut parts = Vec::new();
            if !formats.is_empty() {
                parts.push(format!("`--format {}`", formats.join("|")));
            }
            if !languages.is_empty() {
                parts.push(format!("`--language {}`", languages.join("|")));
            }
            if has_app {
                parts.push("`--app`".to_string());
            }
            if has_rollout {
                parts.push("`--rollout`".to_string());
            }
            if !adoptions.is_empty() {
                parts.push(format!("`--adoption {}`", adoptions.join("|")));
            }
            if !layouts.is_empty() {
                parts.push(format!("`--layout {}`", layouts.join("|")));
            }
            if target.provider_block {
                parts.push("`--no-provider-block`".to_string());
            }
            format!("`--target {}` takes {}", s.target, parts.join(" and "))
        };
        let refuse = |flag: String| Err(format!("{flag} does not apply here: {}", takes()));
        if let Some(f) = s.format
            && !formats.contains(&f)
        {
            return refuse(format!("`--format {f}`"));
        }
        if let Some(l) = s.language
            && !languages.contains(&l)
        {
            return refuse(format!("`--language {l}`"));
        }
        if s.app && !has_app {
            return refuse("`--app`".to_string());
        }
        if s.rollout && !has_rollout {
            return refuse("`--rollout`".to_string());
        }
        if let Some(a) = s.adoption
            && !adoptions.contains(&a)
        {
            return refuse(format!("`--adoption {a}`"));
        }
        if let Some(l) = s.layout
            && !layouts.contains(&l)
        {
            return refuse(format!("`--layout {l}`"));
        }
        Output::in_layout(s.layout)
            .find(|o| {
                std::ptr::eq(o.target, target)
                    && o.def.app == s.app
                    && o.def.rollout == s.rollout
                    && o.def.adoption == s.adoption
                    && s.format.is_none_or(|f| o.def.format == Some(f))
                    && s.language.is_none_or(|l| o.def.language == Some(l))
            })
            .ok_or_else(|| format!("no output matches those flags: {}", takes()))
    }

    /// The fewest `build` flags that select this output: `--target`, then `--format`
    /// and `--language` only where they differ from the target's default, and `--app`.
    pub fn flags(self) -> Vec<String> {
        let d = self.def;
        let name = self.target.name();
        let mut flags = vec![format!("--target {name}")];
        let default = |column: fn(&OutputDef) -> Option<&'static str>| {
            Output::values(name, column).first().copied()
        };
        if let Some(f) = d.format
            && default(|d| d.format) != Some(f)
        {
            flags.push(format!("--format {f}"));
        }
        if let Some(l) = d.language
            && default(|d| d.language) != Some(l)
        {
            flags.push(format!("--language {l}"));
        }
        if d.app {
            flags.push("--app".to_string());
        }
        if d.rollout {
            flags.push("--rollout".to_string());
        }
        if let Some(a) = d.adoption {
            flags.push(format!("--adoption {a}"));
        }
        if let Some(l) = d.layout {
            flags.push(format!("--layout {l}"));
        }
        flags
    }

    /// The `--layout` value that selects this output, if it is not of the default layout.
    pub fn layout(self) -> Option<&'static str> {
        self.def.layout
    }

    /// Whether this output is written for `model`: a rollout output only for a spec
    /// that has `rollout`, an adoption output only for a spec with an `adopt: true`
    /// profile; every other output always.
    pub fn applies(self, model: &Model) -> bool {
        (!self.def.rollout || model.rollout.is_some())
            && (self.def.adoption.is_none() || adoption::adopts(model))
    }

    /// The `--adoption` value that selects this output, if it is an adoption file.
    pub fn adoption(self) -> Option<&'static str> {
        self.def.adoption
    }

    /// Whether this output is the rollout (`--rollout`).
    pub fn is_rollout(self) -> bool {
        self.def.rollout
    }

    /// Whether a spec too large for one stack is written as several files of this
    /// output (each at most a CloudFormation template's 1 MB): an output that does
    /// not split grows with the spec (a fleet's Terraform is 28 MB).
    pub fn splits(self) -> bool {
        self.def.stacks.is_some()
    }

    /// Whether this output is a folder of files (`Render::Folder`) rather than one file.
    pub fn is_folder(self) -> bool {
        matches!(self.def.render, Render::Folder(..))
    }

    /// The file name of this output's golden file beside a fixture's spec.
    pub fn golden_name(self) -> &'static str {
        self.def.golden
    }

    /// The target this output belongs to, as the command line names it.
    pub fn target(self) -> &'static str {
        self.target.name()
    }

    /// Where `build --out-dir` writes this output for the spec whose file stem is
    /// `stem`, relative to the out dir, `/`-separated.
    pub fn out_dir_path(self, stem: &str) -> String {
        Output::fill(self.def.out_dir, stem)
    }

    /// Where `build --out-dir` writes `file` of this output for the spec whose file
    /// stem is `stem`: `out_dir_path`, a path inside its folder, or one stack's path.
    pub fn file_out_dir_path(self, stem: &str, file: &GeneratedFile) -> String {
        match (file.stack, self.def.stacks) {
            (Some(n), Some(s)) => Output::fill(s.out_dir, stem).replace("{n}", &n.to_string()),
            _ if file.inside.is_empty() => self.out_dir_path(stem),
            _ => format!("{}/{}", self.out_dir_path(stem), file.inside),
        }
    }

    /// The golden of `file` beside a fixture's spec, `/`-separated: `golden_name`, a
    /// path inside its folder, or one stack's golden.
    pub fn file_golden_path(self, file: &GeneratedFile) -> String {
        match (file.stack, self.def.stacks) {
            (Some(n), Some(s)) => s.golden.replace("{n}", &n.to_string()),
            _ if file.inside.is_empty() => self.def.golden.to_string(),
            _ => format!("{}/{}", self.def.golden, file.inside),
        }
    }

    /// Whether `name` is the golden of one stack of this output (any number from 1).
    pub fn is_stack_golden(self, name: &str) -> bool {
        let Some(s) = self.def.stacks else {
            return false;
        };
        let (before, after) = s.golden.split_once("{n}").expect("a {n} in the golden");
        name.strip_prefix(before)
            .and_then(|rest| rest.strip_suffix(after))
            .is_some_and(|n| {
                !n.starts_with('0') && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
            })
    }

    fn fill(pattern: &str, stem: &str) -> String {
        // Each module name is worked out only for a pattern that holds it: the Python
        // one is looked up among hundreds of module names, for every path of a tree.
        let mut path = pattern.replace("{stem}", stem);
        if path.contains("{py_module}") {
            path = path.replace("{py_module}", &python_module(stem));
        }
        if path.contains("{ts_module}") {
            path = path.replace("{ts_module}", &typescript_module(stem));
        }
        path
    }

    /// How this output's language writes the generated-file header.
    pub fn comment_syntax(self) -> CommentSyntax {
        self.def.comment
    }

    /// The file as every command writes it: the generated-file header (naming
    /// the file name of `spec_name`, the spec path as the user gave it, and the
    /// command that regenerates the file) and the rendered model. A folder output is
    /// an internal error here: its files come from `generate_files`.
    pub fn generate(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> Result<String, RenderError> {
        self.finish(spec_name, options, self.render(model, options)?)
    }

    /// `generate` of a text rendered already (`Target::together`).
    fn finish(
        self,
        spec_name: &str,
        options: RenderOptions,
        body: String,
    ) -> Result<String, RenderError> {
        let flags = self.header_flags(options);
        let notes = self.stack_notes(options);
        let header = header::Header {
            spec_name,
            flags: &flags,
            notes: &notes,
        };
        let text = header::apply(self.def.comment, &header, body).map_err(RenderError::Internal)?;
        if self.def.template_body {
            check_template_body(self.target.name(), &text, self.def.stacks.is_some())?;
        }
        Ok(text)
    }

    /// What the user should know before deploying this file as it was generated:
    /// a CloudFormation template over 51,200 bytes needs an S3 bucket to deploy.
    pub fn notes(self, text: &str) -> Vec<String> {
        let size = text.len();
        if self.def.template_body && size > limits::CFN_TEMPLATE_BODY_INLINE_MAX {
            vec![format!(
                "the CloudFormation template is {} bytes, over the {} bytes CloudFormation takes inline: deploy it with `aws cloudformation deploy --s3-bucket BUCKET ...` (the CLI uploads it there first)",
                thousands(size),
                thousands(limits::CFN_TEMPLATE_BODY_INLINE_MAX)
            )]
        } else {
            Vec::new()
        }
    }

    /// Every file of this output as `build --out-dir` writes it, each with its
    /// header: one file, the files of a folder output, or, for a spec too large for
    /// one CloudFormation stack (`stacks::split`), one file per stack.
    pub fn generate_files(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> Result<Vec<GeneratedFile>, RenderError> {
        self.generate_files_sharing(model, spec_name, options, &stacks::SharedSplit::new())
    }

    /// `generate_files`, with the spec's split into stacks measured at most once for
    /// every output given the same `split` (and the same model, spec name and options).
    pub fn generate_files_sharing(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        split: &stacks::SharedSplit,
    ) -> Result<Vec<GeneratedFile>, RenderError> {
        let mut files = Vec::new();
        self.generate_files_into(model, spec_name, options, split, &mut |f| {
            files.push(f);
            Ok(())
        })?;
        Ok(files)
    }

    /// The `build` flags the header names: a folder, and one stack of several, are
    /// written only with `--out-dir`.
    fn header_flags(self, options: RenderOptions) -> Vec<String> {
        let mut flags = self.flags();
        flags.extend(options.flags().iter().map(|f| f.to_string()));
        if self.is_folder() || options.stack.is_some() {
            flags.push("--out-dir DIR".to_string());
        }
        flags
    }

    /// The header's lines for one stack of several: which, and how it is deployed.
    fn stack_notes(self, options: RenderOptions) -> Vec<String> {
        let Some(options::StackPart { n, of }) = options.stack else {
            return Vec::new();
        };
        let mut notes = vec![
            format!(
                "Stack {n} of {of}: the spec declares `stacks: {of}` (a CloudFormation stack holds 500"
            ),
            "resources, 200 outputs, 1 MB of template); each profile stays in its stack whatever".to_string(),
            "other profiles are added, removed or reordered. Deploy each stack that --out-dir writes.".to_string(),
        ];
        if let Some(deploy) = self.target.stack_notes {
            notes.extend(deploy(self.def, options::StackPart { n, of }));
        }
        notes
    }

    /// `Ok` when this output's target can express `model` (a rollout's, what its
    /// StackSets deploy); else the refusal, naming a target that can.
    fn check(self, model: &Model) -> Result<(), RenderError> {
        let every = target::every_capability();
        if self.def.rollout {
            capability::rollout(self.target.capabilities).check(model, &every)
        } else {
            self.target.capabilities.check(model, &every)
        }
    }

    /// Renders the model into one file. `Err(Refused)` says why this target cannot
    /// express a valid spec. A folder output renders through `generate_files`.
    pub fn render(self, model: &Model, options: RenderOptions) -> Result<String, RenderError> {
        match self.def.render {
            Render::File(render) => {
                self.check(model)?;
                render(model, options)
            }
            Render::Template(syntax) => {
                self.check(model)?;
                syntax.render(model, options.stack)
            }
            Render::Folder(..) => Err(RenderError::Internal(format!(
                "{} is a folder of files; render it with generate_files",
                self.def.golden
            ))),
        }
    }
}

/// CloudFormation reads a template body of 1 MB at most, from S3 (docs/sources.md 7).
/// `splits`: `--out-dir` writes the output as several stacks (not a rollout's).
fn check_template_body(target: &'static str, text: &str, splits: bool) -> Result<(), RenderError> {
    let size = text.len();
    if size <= limits::CFN_TEMPLATE_BODY_MAX {
        return Ok(());
    }
    Err(RenderError::Refused {
        target,
        at: None,
        message: format!(
            "the CloudFormation template would be {} bytes, but CloudFormation accepts a template of 1 MB ({} bytes) at most (CloudFormation quotas); {}split the profiles across several spec files, each of which builds a stack of its own, or use `--target terraform`, which has no such quota",
            thousands(size),
            thousands(limits::CFN_TEMPLATE_BODY_MAX),
            if splits {
                "build with `--out-dir DIR`, which writes the spec as several stacks, or "
            } else {
                ""
            },
        ),
    })
}

/// `236209` -> `236,209`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

mod files;
pub mod options;
pub use options::RenderOptions;

#[cfg(test)]
mod tests;

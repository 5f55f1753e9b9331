//! What a row of a target's outputs says: one kind of output file. The command line,
//! the generated-file header, the `--out-dir` tree, `check` and the golden files all
//! read the rows (`target::TARGETS`).

use super::RenderError;
use super::capability::Capabilities;
use super::cloudformation::TemplateSyntax;
use super::header::CommentSyntax;
use super::options::{RenderOptions, StackPart};
use crate::model::Model;

/// One deploy tool and everything the program writes for it.
#[derive(Debug)]
pub struct Target {
    /// What it can express of a valid model; `capabilities.target` is its name as
    /// `--target` takes it.
    pub capabilities: Capabilities,
    /// Its outputs. The first row is what the target gives when no `--format` or
    /// `--language` is given; rows are in the order goldens and `--out-dir` list them.
    pub outputs: &'static [OutputDef],
    /// The header lines of one stack of a spec written as several, after the lines
    /// every target shares: how to deploy that stack. Required of a target with an
    /// output that is split (`OutputDef::stacks`), `None` for one that never is.
    pub stack_notes: Option<fn(&OutputDef, StackPart) -> Vec<String>>,
    /// `build --no-provider-block` applies: the output pins its provider in a block
    /// a caller's root configuration would hold instead.
    pub provider_block: bool,
    /// Rows whose files are rendered together (`Together`), when a tree holds both.
    pub together: &'static [Together],
    /// Rows whose one file renders in pieces (`Pieces`) when a tree holds it.
    pub pieces: &'static [Pieces],
}

/// A row whose one file `--out-dir` and `check` render as pieces, on several
/// threads, joined in order: a fleet's Terraform configuration is 26 MB, which one
/// thread rendering it whole made the build's last half second. `render(model,
/// options, k, of)` gives piece `k` of `of` before the header, and the pieces joined
/// in order are exactly the row's own render function's text (the header goes
/// before the first).
#[derive(Debug)]
pub struct Pieces {
    /// The row, by golden name (`OutputDef::golden`).
    pub row: &'static str,
    /// How many pieces the file of `model` is rendered in (1: whole).
    pub count: fn(&Model) -> usize,
    pub render: fn(&Model, RenderOptions, usize, usize) -> Result<String, RenderError>,
}

/// Two rows of a target whose files `--out-dir` and `check` render together, one
/// stack (or the whole spec) at a time, because they share most of their work (the
/// CDK's module and app of one language hold the same construct). `render` gives
/// the two rows' texts, before their headers, each exactly as the row's own render
/// function gives it.
#[derive(Debug)]
pub struct Together {
    /// The two rows, by golden name (`OutputDef::golden`), in table order.
    pub rows: [&'static str; 2],
    pub render: fn(&Model, RenderOptions) -> Result<[String; 2], RenderError>,
}

impl Target {
    /// The name `--target` takes.
    pub fn name(&self) -> &'static str {
        self.capabilities.target
    }
}

/// One kind of output file: a row of a target's `outputs` (`target::Target`).
#[derive(Debug)]
pub struct OutputDef {
    /// The `--format` value that selects it, for targets that have formats.
    pub format: Option<&'static str>,
    /// The `--language` value that selects it, for targets that have languages.
    pub language: Option<&'static str>,
    /// Selected by `--app`: a runnable app rather than a module.
    pub app: bool,
    /// Selected by `--rollout`: the spec's `rollout` as service-managed StackSets
    /// (written only for a spec that has one; see `Output::applies`).
    pub rollout: bool,
    /// The `--adoption` value that selects it: a file that takes over resources that
    /// exist already (written only for a spec with an `adopt: true` profile; see
    /// `Output::applies`).
    pub adoption: Option<&'static str>,
    /// The `--layout` value that selects it; `None` for the default layout, which is
    /// what `build --out-dir` writes when no `--layout` is given.
    pub layout: Option<&'static str>,
    /// The file name of its golden file beside a fixture's spec (a folder for a
    /// `Render::Folder` output).
    pub golden: &'static str,
    /// Where `build --out-dir` writes it (a folder for a `Render::Folder` output):
    /// `{stem}` stands for the spec's file stem, `{py_module}` and `{ts_module}` for
    /// the module names derived from it (`python_module`, `typescript_module`). This
    /// is the documented tree of docs/workflow.md: change a path only with a note
    /// there, since users commit it.
    pub out_dir: &'static str,
    /// How its language writes the generated-file header (for a folder: each file
    /// says its own).
    pub comment: CommentSyntax,
    /// The file is a CloudFormation template body, which CloudFormation takes up to
    /// 1 MB from S3 and up to 51,200 bytes inline (docs/sources.md 7).
    pub template_body: bool,
    /// Where `build --out-dir` writes each stack of a spec too large for one
    /// CloudFormation stack (`stacks::split`), and the golden of each; `None` for an
    /// output that is never split (Terraform has no such quota; a rollout's StackSet
    /// takes one template).
    pub stacks: Option<StackFiles>,
    /// The checks of `scripts/conformance` that judge this output's goldens (by the
    /// names it reports them under): an output no tool judges is not done.
    pub judges: &'static [&'static str],
    pub render: Render,
}

/// The files of a split output: `{n}` stands for the stack's number, from 1 (not
/// padded), and the out-dir path's other placeholders are `out_dir`'s.
#[derive(Debug, Clone, Copy)]
pub struct StackFiles {
    pub golden: &'static str,
    pub out_dir: &'static str,
}

/// How an output is rendered: one file, or a folder of files.
#[derive(Debug, Clone, Copy)]
pub enum Render {
    File(fn(&Model, RenderOptions) -> Result<String, RenderError>),
    /// The CloudFormation template of the model, or of one stack of several
    /// (`RenderOptions::stack`), in this syntax: one file, which a spec in one stack
    /// takes from what the split measured (`stacks::SharedSplit::take_measured`).
    Template(TemplateSyntax),
    /// The files of a folder, each with its `/`-separated path inside the folder;
    /// the second function gives those paths, in the same order, without rendering.
    Folder(
        fn(&Model, RenderOptions) -> Result<Vec<FolderFile>, RenderError>,
        fn() -> Vec<&'static str>,
    ),
}

/// One file of a `Render::Folder` output, before its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFile {
    /// `/`-separated path inside the folder (`main.tf`, `examples/basic/main.tf`).
    pub path: &'static str,
    pub comment: CommentSyntax,
    pub text: String,
}

//! The table of every output: one row per kind of output file. The command line, the
//! generated-file header, the `--out-dir` tree, `check` and the golden files all read it.

use super::{CommentSyntax, RenderError, RenderOptions, cdk, cloudformation, terraform};
use crate::model::Model;

/// One kind of output file: a row of `OUTPUTS`.
#[derive(Debug)]
pub struct OutputDef {
    /// The target it belongs to, as `--target` names it.
    pub target: &'static str,
    /// The `--format` value that selects it, for targets that have formats.
    pub format: Option<&'static str>,
    /// The `--language` value that selects it, for targets that have languages.
    pub language: Option<&'static str>,
    /// Selected by `--app`: a runnable app rather than a module.
    pub app: bool,
    /// Selected by `--rollout`: the spec's `rollout` as service-managed StackSets
    /// (written only for a spec that has one; see `Output::applies`).
    pub rollout: bool,
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

/// Every output. Within a target, the first row is what the target gives when no
/// `--format` or `--language` is given, and rows are in the order golden files and
/// `--out-dir` list them.
pub static OUTPUTS: &[OutputDef] = &[
    OutputDef {
        target: "cloudformation",
        format: Some("json"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "cloudformation.json",
        out_dir: "cloudformation/{stem}.template.json",
        comment: CommentSyntax::None,
        template_body: true,
        stacks: Some(StackFiles {
            golden: "cloudformation.stack-{n}.json",
            out_dir: "cloudformation/{stem}.stack-{n}.template.json",
        }),
        render: Render::File(|m, o| cloudformation::json(m, o.stack)),
    },
    OutputDef {
        target: "cloudformation",
        format: Some("yaml"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "cloudformation.yaml",
        out_dir: "cloudformation/{stem}.template.yaml",
        comment: CommentSyntax::Hash,
        template_body: true,
        stacks: Some(StackFiles {
            golden: "cloudformation.stack-{n}.yaml",
            out_dir: "cloudformation/{stem}.stack-{n}.template.yaml",
        }),
        render: Render::File(|m, o| cloudformation::yaml(m, o.stack)),
    },
    // The rollout: StackSets that deploy the template above to an organization.
    OutputDef {
        target: "cloudformation",
        format: Some("json"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "cloudformation-rollout.json",
        out_dir: "cloudformation/{stem}.rollout.template.json",
        comment: CommentSyntax::None,
        template_body: true,
        stacks: None,
        render: Render::File(|m, _| cloudformation::rollout::json(m)),
    },
    OutputDef {
        target: "cloudformation",
        format: Some("yaml"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "cloudformation-rollout.yaml",
        out_dir: "cloudformation/{stem}.rollout.template.yaml",
        comment: CommentSyntax::Hash,
        template_body: true,
        stacks: None,
        render: Render::File(|m, _| cloudformation::rollout::yaml(m)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: false,
        rollout: false,
        layout: None,
        golden: "cdk.ts",
        out_dir: "cdk/{ts_module}.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        stacks: Some(StackFiles {
            golden: "cdk.stack-{n}.ts",
            out_dir: "cdk/{ts_module}.stack-{n}.ts",
        }),
        render: Render::File(|m, o| cdk::render(m, cdk::Language::TypeScript, false, o.stack)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: false,
        rollout: false,
        layout: None,
        golden: "cdk.py",
        out_dir: "cdk/{py_module}.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: Some(StackFiles {
            golden: "cdk.stack-{n}.py",
            out_dir: "cdk/{py_module}_stack_{n}.py",
        }),
        render: Render::File(|m, o| cdk::render(m, cdk::Language::Python, false, o.stack)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: true,
        rollout: false,
        layout: None,
        golden: "cdk-app.ts",
        out_dir: "cdk/{ts_module}-app.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        stacks: Some(StackFiles {
            golden: "cdk-app.stack-{n}.ts",
            out_dir: "cdk/{ts_module}-app.stack-{n}.ts",
        }),
        render: Render::File(|m, o| cdk::render(m, cdk::Language::TypeScript, true, o.stack)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: true,
        rollout: false,
        layout: None,
        golden: "cdk-app.py",
        out_dir: "cdk/{stem}-app.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: Some(StackFiles {
            golden: "cdk-app.stack-{n}.py",
            out_dir: "cdk/{stem}-app.stack-{n}.py",
        }),
        render: Render::File(|m, o| cdk::render(m, cdk::Language::Python, true, o.stack)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: false,
        rollout: true,
        layout: None,
        golden: "cdk-rollout.ts",
        out_dir: "cdk/{ts_module}-rollout.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        stacks: None,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: false,
        rollout: true,
        layout: None,
        golden: "cdk-rollout.py",
        out_dir: "cdk/{py_module}_rollout.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: None,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: true,
        rollout: true,
        layout: None,
        golden: "cdk-rollout-app.ts",
        out_dir: "cdk/{ts_module}-rollout-app.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        stacks: None,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, true)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: true,
        rollout: true,
        layout: None,
        golden: "cdk-rollout-app.py",
        out_dir: "cdk/{stem}-rollout-app.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: None,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, true)),
    },
    // Terraform loads every .tf and .tf.json of a folder: the two syntaxes of the
    // same resources cannot share one.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "terraform.tf",
        out_dir: "terraform/{stem}/main.tf",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: None,
        render: Render::File(terraform::hcl),
    },
    OutputDef {
        target: "terraform",
        format: Some("json"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "terraform.tf.json",
        out_dir: "terraform-json/{stem}/main.tf.json",
        comment: CommentSyntax::JsonCommentKey,
        template_body: false,
        stacks: None,
        render: Render::File(terraform::json),
    },
    // The rollout is applied in the management account (or a delegated
    // administrator): a folder of its own, apart from the per-account configuration.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "terraform-rollout.tf",
        out_dir: "terraform/{stem}-rollout/main.tf",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: None,
        render: Render::File(terraform::rollout_hcl),
    },
    OutputDef {
        target: "terraform",
        format: Some("json"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "terraform-rollout.tf.json",
        out_dir: "terraform-json/{stem}-rollout/main.tf.json",
        comment: CommentSyntax::JsonCommentKey,
        template_body: false,
        stacks: None,
        render: Render::File(terraform::rollout_json),
    },
    // The same configuration as a module users call: a folder per spec.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: false,
        layout: Some("module"),
        golden: "terraform-module",
        out_dir: "terraform-module/{stem}",
        comment: CommentSyntax::Hash,
        template_body: false,
        stacks: None,
        render: Render::Folder(terraform::module, terraform::module::paths),
    },
];

//! Backends turn the model into files as text. None of them writes to disk.

pub mod cdk;
mod cfn_yaml;
pub mod cloudformation;
pub mod header;

use crate::model::Model;

pub use header::CommentSyntax;

/// One kind of output file. Each backend renders one or more of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    CloudFormationJson,
    CloudFormationYaml,
    CdkTypescript,
    CdkPython,
    CdkTypescriptApp,
    CdkPythonApp,
}

impl Output {
    /// Every output, in the order golden files and `--out-dir` list them.
    pub const ALL: &'static [Output] = &[
        Output::CloudFormationJson,
        Output::CloudFormationYaml,
        Output::CdkTypescript,
        Output::CdkPython,
        Output::CdkTypescriptApp,
        Output::CdkPythonApp,
    ];

    /// The file name of this output's golden file beside a fixture's spec.
    pub fn golden_name(self) -> &'static str {
        match self {
            Output::CloudFormationJson => "cloudformation.json",
            Output::CloudFormationYaml => "cloudformation.yaml",
            Output::CdkTypescript => "cdk.ts",
            Output::CdkPython => "cdk.py",
            Output::CdkTypescriptApp => "cdk-app.ts",
            Output::CdkPythonApp => "cdk-app.py",
        }
    }

    /// The target this output belongs to, as the CLI names it.
    pub fn target(self) -> &'static str {
        match self {
            Output::CloudFormationJson | Output::CloudFormationYaml => "cloudformation",
            Output::CdkTypescript
            | Output::CdkPython
            | Output::CdkTypescriptApp
            | Output::CdkPythonApp => "cdk",
        }
    }

    /// Where `build --out-dir` writes this output for the spec whose file stem is
    /// `name`, relative to the out dir, `/`-separated. This is the documented tree of
    /// docs/workflow.md: change a path only with a note there, since users commit it.
    pub fn out_dir_path(self, name: &str) -> String {
        match self {
            Output::CloudFormationJson => format!("cloudformation/{name}.template.json"),
            Output::CloudFormationYaml => format!("cloudformation/{name}.template.yaml"),
            Output::CdkTypescript => format!("cdk/{name}.ts"),
            Output::CdkPython => format!("cdk/{name}.py"),
            Output::CdkTypescriptApp => format!("cdk/{name}-app.ts"),
            Output::CdkPythonApp => format!("cdk/{name}-app.py"),
        }
    }

    /// How this output's language writes the generated-file header.
    pub fn comment_syntax(self) -> CommentSyntax {
        match self {
            Output::CloudFormationJson => CommentSyntax::None,
            Output::CloudFormationYaml => CommentSyntax::Hash,
            Output::CdkTypescript | Output::CdkTypescriptApp => CommentSyntax::Slashes,
            Output::CdkPython | Output::CdkPythonApp => CommentSyntax::Hash,
        }
    }

    /// The file as every command writes it: the generated-file header (naming
    /// `spec_name`, the spec path as the user gave it) and the rendered model.
    pub fn generate(self, model: &Model, spec_name: &str) -> Result<String, String> {
        header::apply(self, spec_name, self.render(model)?)
    }

    /// Renders the model. `Err` carries a message for a spec that is valid but that
    /// this target cannot express.
    pub fn render(self, model: &Model) -> Result<String, String> {
        match self {
            Output::CloudFormationJson => cloudformation::json(model),
            Output::CloudFormationYaml => cloudformation::yaml(model),
            Output::CdkTypescript => cdk::render(model, cdk::Language::TypeScript, false),
            Output::CdkPython => cdk::render(model, cdk::Language::Python, false),
            Output::CdkTypescriptApp => cdk::render(model, cdk::Language::TypeScript, true),
            Output::CdkPythonApp => cdk::render(model, cdk::Language::Python, true),
        }
    }
}

/// Serialises data as pretty JSON with LF endings and one trailing newline.
pub fn pretty_json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    text.push('\n');
    text
}

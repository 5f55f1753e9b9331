//! Backends turn the model into files as text. None of them writes to disk.

pub mod capability;
pub mod cdk;
mod cfn_yaml;
pub mod cloudformation;
pub mod describe;
pub mod document;
mod error;
pub mod hcl;
pub mod header;
pub mod naming;
pub mod templating;
pub mod terraform;

use crate::model::Model;

pub use crate::text::pretty_json;
pub use error::RenderError;
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
    TerraformHcl,
    TerraformJson,
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
        Output::TerraformHcl,
        Output::TerraformJson,
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
            Output::TerraformHcl => "terraform.tf",
            Output::TerraformJson => "terraform.tf.json",
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
            Output::TerraformHcl | Output::TerraformJson => "terraform",
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
            // Terraform loads every .tf and .tf.json of a folder: the two syntaxes of
            // the same resources cannot share one.
            Output::TerraformHcl => format!("terraform/{name}/main.tf"),
            Output::TerraformJson => format!("terraform-json/{name}/main.tf.json"),
        }
    }

    /// How this output's language writes the generated-file header.
    pub fn comment_syntax(self) -> CommentSyntax {
        match self {
            Output::CloudFormationJson => CommentSyntax::None,
            Output::CloudFormationYaml => CommentSyntax::Hash,
            Output::CdkTypescript | Output::CdkTypescriptApp => CommentSyntax::Slashes,
            Output::CdkPython | Output::CdkPythonApp => CommentSyntax::Hash,
            Output::TerraformHcl => CommentSyntax::Hash,
            Output::TerraformJson => CommentSyntax::JsonCommentKey,
        }
    }

    /// The file as every command writes it: the generated-file header (naming
    /// `spec_name`, the spec path as the user gave it) and the rendered model.
    pub fn generate(self, model: &Model, spec_name: &str) -> Result<String, String> {
        self.generate_with(model, spec_name, RenderOptions::default())
    }

    /// `generate` with options other than the defaults.
    pub fn generate_with(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> Result<String, String> {
        header::apply(self, spec_name, options, self.render_with(model, options)?)
    }

    /// Renders the model. `Err` carries a message for a spec that is valid but that
    /// this target cannot express.
    pub fn render(self, model: &Model) -> Result<String, String> {
        self.render_with(model, RenderOptions::default())
    }

    /// `render` with options other than the defaults.
    pub fn render_with(self, model: &Model, options: RenderOptions) -> Result<String, String> {
        let rendered = match self {
            Output::CloudFormationJson => cloudformation::json(model),
            Output::CloudFormationYaml => cloudformation::yaml(model),
            Output::CdkTypescript => cdk::render(model, cdk::Language::TypeScript, false),
            Output::CdkPython => cdk::render(model, cdk::Language::Python, false),
            Output::CdkTypescriptApp => cdk::render(model, cdk::Language::TypeScript, true),
            Output::CdkPythonApp => cdk::render(model, cdk::Language::Python, true),
            Output::TerraformHcl => terraform::hcl(model, options),
            Output::TerraformJson => terraform::json(model, options),
        };
        rendered.map_err(|e| e.to_string())
    }
}

/// Choices that change how an output is written, never what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Terraform: emit `terraform { required_providers { aws = ... } }`; off when the
    /// output is used as a module whose root pins the provider.
    pub terraform_provider_block: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            terraform_provider_block: true,
        }
    }
}

//! The module folder: every file of `FILES`, rendered over the root configuration's
//! `Context` (with `Layout::Module`) and the module's `Inputs`.

use serde::Serialize;

use super::docs::terraform_docs;
use super::{FILES, Inputs, REQUIRED_VERSION, Variable};
use crate::backend::templating;
use crate::backend::terraform::context::{Context, Layout};
use crate::backend::{CommentSyntax, FolderFile, RenderError, RenderOptions};
use crate::model::Model;
use crate::refdata::limits;

/// A variable as the templates read it.
#[derive(Debug, Serialize)]
struct VariableView<'a> {
    #[serde(flatten)]
    variable: &'a Variable,
    default_hcl: String,
}

/// What the module's other templates read beside the `Context`.
#[derive(Debug, Serialize)]
struct ModuleCtx<'a> {
    #[serde(flatten)]
    context: &'a Context<'a>,
    required_version: &'static str,
    variables: Vec<VariableView<'a>>,
    /// The example sets one tag (unless a profile holds IAM's maximum already).
    example_tags: bool,
    terraform_docs: String,
}

/// The module folder.
pub fn render(model: &Model) -> Result<Vec<FolderFile>, RenderError> {
    let inputs = Inputs::new(model);
    let options = RenderOptions {
        terraform_provider_block: false,
        ..RenderOptions::default()
    };
    let context = Context::with_layout(model, options, Layout::Module(&inputs));
    let ctx = ModuleCtx {
        context: &context,
        required_version: REQUIRED_VERSION,
        variables: inputs
            .variables
            .iter()
            .map(|variable| VariableView {
                variable,
                default_hcl: variable.default_hcl(),
            })
            .collect(),
        example_tags: model
            .profiles
            .iter()
            .all(|p| p.tags.len() < limits::TAGS_MAX),
        terraform_docs: terraform_docs(&context, &inputs.variables),
    };
    let env = crate::backend::terraform::environment();
    FILES
        .iter()
        .map(|(path, template)| {
            Ok(FolderFile {
                path,
                comment: if path.ends_with(".md") {
                    CommentSyntax::Html
                } else {
                    CommentSyntax::Hash
                },
                text: templating::render(env, template, &ctx)?,
            })
        })
        .collect()
}

//! AWS CDK v2: one construct holding every profile of the spec, in TypeScript or
//! Python, optionally wrapped in a runnable app. Rendered from the minijinja templates
//! under `templates/cdk/`; every spec string reaches the code through `ts_string` or
//! `py_string`, every identifier derives from `Profile.id` / `CustomPolicy.id`.
//!
//! Choices that keep the synthesized template equal in IAM meaning to the
//! CloudFormation target:
//! - Principals use `ServicePrincipal.fromStaticServicePrincipleName`: the plain
//!   `ServicePrincipal` of aws-cdk-lib 2.276.0 rewrites `ec2.amazonaws.com.cn` to
//!   `ec2.amazonaws.com`, which is not the aws-cn principal the model chose.
//! - AWS managed policies come from `fromAwsManagedPolicyName` (the stack's
//!   partition); every other ARN is the model's literal ARN for the spec's partition,
//!   so the construct refuses a stack whose partition is known and differs.
//! - The trust statement's Sid is set through the L1 override: `iam.Role` builds the
//!   statement itself and offers no Sid.
//!
//! `context` builds what a template needs, `literal` spells strings and comments,
//! `layout` places lines as the formatters would, `filters` hands both to the
//! templates, and `code` uses both for what repeats per list item (statements).

mod adopt;
mod code;
mod context;
mod filters;
pub mod layout;
mod literal;
mod rollout;

pub use rollout::CLASS_NAME as ROLLOUT_CLASS_NAME;
mod suppressions;
pub mod target;

/// The target's name, as `--target` takes it.
pub const NAME: &str = "cdk";

use std::sync::LazyLock;

use minijinja::Environment;

use super::RenderError;
use super::naming::{lower_camel_case, snake_case};
use super::options::StackPart;
use super::templating;
use crate::model::Model;

pub use literal::{comment, py_string, ts_key, ts_string};

/// The construct, the same text in the module and the app.
pub const TYPESCRIPT_TEMPLATE: &str = "cdk/construct.ts.j2";
pub const PYTHON_TEMPLATE: &str = "cdk/construct.py.j2";
/// What comes before the construct: what the file is, its imports.
pub const TYPESCRIPT_OPENING_TEMPLATE: &str = "cdk/opening.ts.j2";
pub const PYTHON_OPENING_TEMPLATE: &str = "cdk/opening.py.j2";
/// The app's closing, after the construct.
pub const TYPESCRIPT_APP_TEMPLATE: &str = "cdk/app.ts.j2";
pub const PYTHON_APP_TEMPLATE: &str = "cdk/app.py.j2";
pub const TYPESCRIPT_ROLLOUT_TEMPLATE: &str = "cdk/rollout.ts.j2";
pub const PYTHON_ROLLOUT_TEMPLATE: &str = "cdk/rollout.py.j2";

/// The class every output defines; the app instantiates it in a stack of this name.
pub const CLASS_NAME: &str = "SsmProfiles";
pub const STACK_ID: &str = "SsmProfileStack";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    TypeScript,
    Python,
}

impl Language {
    /// The templates of the construct, the opening and the app's closing.
    fn templates(self) -> [&'static str; 3] {
        match self {
            Language::TypeScript => [
                TYPESCRIPT_TEMPLATE,
                TYPESCRIPT_OPENING_TEMPLATE,
                TYPESCRIPT_APP_TEMPLATE,
            ],
            Language::Python => [
                PYTHON_TEMPLATE,
                PYTHON_OPENING_TEMPLATE,
                PYTHON_APP_TEMPLATE,
            ],
        }
    }

    /// A public member name for a construct id (`SsmBoundedRole`): lowerCamelCase in
    /// TypeScript, snake_case in Python.
    fn member(self, construct_id: &str) -> String {
        match self {
            Language::TypeScript => lower_camel_case(construct_id),
            Language::Python => snake_case(construct_id),
        }
    }
}

/// Renders the construct module (or, with `app`, the runnable app) in `language`:
/// the file's opening, the construct and the app's closing, into one buffer.
pub fn render(
    model: &Model,
    language: Language,
    app: bool,
    stack: Option<StackPart>,
) -> Result<String, RenderError> {
    let contexts = context::module_context(model, language, app, stack);
    let [construct, opening, closing] = language.templates();
    let env = environment();
    let closing_context = contexts.app.as_ref().filter(|_| app);
    let mut text = crate::text::buffers::with_capacity(
        HEADER_ROOM
            + OPENING_ROOM
            + contexts.construct.text_estimate()
            + closing_context.map_or(0, |c| c.text_estimate()),
    );
    templating::render_into(&mut text, env, opening, &contexts.opening.with_app(app))?;
    templating::render_into(&mut text, env, construct, &contexts.construct)?;
    if let Some(context) = closing_context {
        templating::render_into(&mut text, env, closing, context)?;
    }
    Ok(text)
}

/// The construct module and the runnable app in `language`, as `render` gives each:
/// the app holds the module's construct, spelled and rendered once for both (it was
/// half of the CDK's work, and the CDK most of a fleet's).
pub fn render_module_and_app(
    model: &Model,
    language: Language,
    stack: Option<StackPart>,
) -> Result<[String; 2], RenderError> {
    let contexts = context::module_context(model, language, true, stack);
    let [construct, opening, closing] = language.templates();
    let env = environment();
    let Some(app_context) = &contexts.app else {
        return Err(RenderError::Internal(
            "the CDK app's context was not built".into(),
        ));
    };
    let mut module = crate::text::buffers::with_capacity(
        HEADER_ROOM + OPENING_ROOM + contexts.construct.text_estimate(),
    );
    templating::render_into(&mut module, env, opening, &contexts.opening.with_app(false))?;
    let at = module.len();
    templating::render_into(&mut module, env, construct, &contexts.construct)?;
    let opening = templating::render(env, opening, &contexts.opening.with_app(true))?;
    let closing = templating::render(env, closing, app_context)?;
    let mut app = crate::text::buffers::with_capacity(
        HEADER_ROOM + opening.len() + module.len() - at + closing.len(),
    );
    app.push_str(&opening);
    app.push_str(&module[at..]);
    app.push_str(&closing);
    Ok([module, app])
}

/// Room left in a file's buffer for the generated-file header, which goes in front
/// of the text in place (`header::apply`) instead of into a second buffer.
const HEADER_ROOM: usize = 2 << 10;

/// Room for a file's opening (the app's comment and the imports).
const OPENING_ROOM: usize = 1 << 10;

/// The rollout (`--rollout`): a construct of CfnStackSets (or, with `app`, a
/// runnable app) in `language`.
pub fn render_rollout(model: &Model, language: Language, app: bool) -> Result<String, RenderError> {
    let context = rollout::context(model, language, app)?;
    let template = match language {
        Language::TypeScript => TYPESCRIPT_ROLLOUT_TEMPLATE,
        Language::Python => PYTHON_ROLLOUT_TEMPLATE,
    };
    templating::render(environment(), template, &context)
}

/// This backend's environment, built (and its templates compiled) once per process.
pub(crate) fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: LazyLock<Environment<'static>> =
        LazyLock::new(|| templating::environment(filters::add_filters));
    &ENVIRONMENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_follow_each_language_convention() {
        let cases = [
            (
                "SSMInstanceProfileRole",
                "ssmInstanceProfileRole",
                "ssm_instance_profile_role",
            ),
            (
                "SsmBoundedS3Policy2",
                "ssmBoundedS3Policy2",
                "ssm_bounded_s3_policy2",
            ),
            (
                "P1stInstanceProfile",
                "p1stInstanceProfile",
                "p1st_instance_profile",
            ),
            ("WebTierProdRole", "webTierProdRole", "web_tier_prod_role"),
            ("AB", "ab", "ab"),
        ];
        for (id, ts, py) in cases {
            assert_eq!(Language::TypeScript.member(id), ts, "{id}");
            assert_eq!(Language::Python.member(id), py, "{id}");
        }
    }

    /// A tag value may hold U+2028 (Unicode white space, not a control character):
    /// it must reach the code escaped, in every output, through the context's
    /// escapers (`code::Spell`), like every other spec string.
    #[test]
    fn spec_strings_reach_the_code_only_escaped() {
        let spec = "version: 1\nprofiles:\n  - name: p\n    description: \"it's \\\" \\\\ done\"\n    tags:\n      k: \"a\u{2028}b\"\n";
        let model =
            crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec");
        for (language, desc) in [
            (Language::TypeScript, r#"description: 'it\'s " \\ done',"#),
            (Language::Python, r#"description="it's \" \\ done","#),
        ] {
            for app in [false, true] {
                let code = render(&model, language, app, None).expect("renders");
                assert!(code.contains(desc), "{language:?} app={app}:\n{code}");
                assert!(
                    code.contains(r"a\u2028b"),
                    "{language:?} app={app}:\n{code}"
                );
                let raw = code
                    .split('\n')
                    .flat_map(str::chars)
                    .any(crate::text::is_unsafe_in_code);
                assert!(!raw, "{language:?} app={app}:\n{code}");
            }
        }
    }
}

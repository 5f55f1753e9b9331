//! The minijinja environment every text backend starts from. Each backend (CDK,
//! Terraform HCL) builds its own, once per process, with its own escaping filters and
//! its own embedded templates, whose names are constants beside its code.
//!
//! An undefined variable is an error, never an empty string; nothing is escaped
//! automatically: every spec string reaches a template's output only through the
//! escaping filter of that template's language.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::RenderError;

/// (name, source) of a backend's embedded templates.
pub type Templates = &'static [(&'static str, &'static str)];

/// The base environment with `add_filters`' filters and `templates` to load from.
/// A template is compiled the first time it is rendered, once per process (the
/// environment keeps it): compiling all of them up front was a third of the seed
/// spec's instructions, and a build of the default tree needs half of them.
/// Embedded templates are part of the binary: one that does not parse is a bug, an
/// internal error when first rendered (a unit test loads them all).
pub fn environment(
    templates: Templates,
    add_filters: fn(&mut Environment<'static>),
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // trim_blocks/lstrip_blocks let `{% %}` lines vanish, so templates can be indented
    // for reading without indenting the output.
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("a fixed, valid syntax configuration"),
    );
    // No auto-escaping: each language's escaping is explicit, through its filter.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    add_filters(&mut env);
    env.set_loader(move |name| {
        Ok(templates
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, source)| source.to_string()))
    });
    env
}

/// Renders the template `name` of `env` with `context`.
pub fn render(
    env: &Environment<'static>,
    name: &str,
    context: &impl Serialize,
) -> Result<String, RenderError> {
    env.get_template(name)
        .and_then(|template| template.render(minijinja::value::Serde(context)))
        .map_err(|e| RenderError::Internal(format!("rendering {name}: {e:#}")))
}

#[cfg(test)]
mod tests {
    use super::super::{cdk, terraform};

    #[test]
    fn every_template_of_every_backend_loads() {
        for (env, templates) in [
            (cdk::environment(), cdk::TEMPLATES),
            (terraform::environment(), terraform::TEMPLATES),
        ] {
            assert!(!templates.is_empty());
            for (name, _) in templates {
                env.get_template(name)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }

    #[test]
    fn templates_load_by_name_only_when_asked() {
        let env = super::environment(&[("t", "{{ 1 + 1 }}"), ("bad", "{% if %}")], |_| {});
        assert_eq!(super::render(&env, "t", &()).unwrap(), "2");
        assert!(env.get_template("bad").is_err());
        assert!(env.get_template("missing").is_err());
    }

    #[test]
    fn an_undefined_variable_is_an_error() {
        let env = super::environment(&[("t", "{{ missing }}")], |_| {});
        let err = super::render(&env, "t", &serde_json::json!({})).unwrap_err();
        assert!(
            err.to_string().starts_with("internal error: rendering t:"),
            "{err}"
        );
    }
}

//! The minijinja environment every text backend starts from, and the templates.
//! Each backend (CDK, Terraform HCL) builds its own environment, once per process,
//! with its own escaping filters; its templates' names are constants beside its
//! code.
//!
//! The templates of `templates/` are compiled when the program is built
//! (`build.rs`), not when it runs: compiling the three a default tree uses was a
//! quarter of the seed spec's instructions (BENCHMARKS.md). A run rebuilds a
//! template's instructions the first time it renders it (`compiled.rs`), once per
//! process, and runs them in minijinja's own interpreter. A template that does not
//! compile fails the build.
//!
//! An undefined variable is an error, never an empty string; nothing is escaped
//! automatically: every spec string reaches a template's output only through the
//! escaping filter of that template's language.

mod compiled;
mod syntax;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use minijinja::machinery::{self, Instructions};
use minijinja::value::{DynObject, Object, ObjectRepr, Serde};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use super::RenderError;

/// The base environment with `add_filters`' filters.
pub fn environment(add_filters: fn(&mut Environment<'static>)) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // For a template compiled at run time (the tests' own): the same syntax as build.rs.
    env.set_syntax(syntax::syntax());
    // No auto-escaping: each language's escaping is explicit, through its filter.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    add_filters(&mut env);
    env
}

/// The instructions of template `name` (its path under `templates/`), built the
/// first time it is asked for.
fn instructions(name: &str) -> Option<&'static Instructions<'static>> {
    static BUILT: [OnceLock<Instructions<'static>>; compiled::TEMPLATES.len()] =
        [const { OnceLock::new() }; compiled::TEMPLATES.len()];
    let i = compiled::TEMPLATES
        .iter()
        .position(|(known, _)| *known == name)?;
    Some(BUILT[i].get_or_init(compiled::TEMPLATES[i].1))
}

/// Renders the template `name` with `context` in `env`, as minijinja's
/// `Template::render` does (the same interpreter, no blocks, no auto-escaping).
pub fn render(
    env: &Environment<'static>,
    name: &str,
    context: &impl Serialize,
) -> Result<String, RenderError> {
    let mut text = String::new();
    render_into(&mut text, env, name, context)?;
    Ok(text)
}

/// `render`, appended to `text`: a buffer sized beforehand is not grown through
/// twenty reallocations into ever fresh pages for a text of a megabyte.
pub fn render_into(
    text: &mut String,
    env: &Environment<'static>,
    name: &str,
    context: &impl Serialize,
) -> Result<(), RenderError> {
    static NO_BLOCKS: BTreeMap<&str, Instructions<'static>> = BTreeMap::new();
    let fail =
        |e: &dyn std::fmt::Display| RenderError::Internal(format!("rendering {name}: {e:#}"));
    let instructions = instructions(name).ok_or_else(|| fail(&"no such template"))?;
    machinery::eval(
        env,
        instructions,
        Value::from(Serde(context)),
        &NO_BLOCKS,
        &mut machinery::make_string_output(text),
        AutoEscape::None,
    )
    .map_err(|e| fail(&e))?;
    Ok(())
}

/// Code a backend has spelled already (through its escapers), handed to a template
/// whole: `{{ code }}` writes it as it is and `{% if code %}` is false when it is
/// empty, as for a string; but a string of a context is copied into minijinja's own
/// value before the template runs, and this is not (a fleet's CDK policies copied
/// their statements, tens of kilobytes each, megabytes a stack).
#[derive(Debug, Clone, Default)]
pub struct Code(Arc<CodeText>);

#[derive(Debug, Default)]
struct CodeText(String);

impl Code {
    pub fn new(text: String) -> Code {
        Code(Arc::new(CodeText(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0.0
    }

    pub fn len(&self) -> usize {
        self.0.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.0.is_empty()
    }
}

impl Object for CodeText {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.0.is_empty()
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::from_dyn_object(DynObject::new(Arc::clone(&self.0))).serialize(serializer)
    }
}

#[cfg(test)]
mod tests;

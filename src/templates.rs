//! minijinja templates for the text targets (HCL, TypeScript, Python), embedded in the
//! binary. Template names are constants; an undefined variable is an error, never an
//! empty string; every spec string reaches a template's output only through the
//! escaping filter of that template's language (see `escape`).

use std::sync::LazyLock;

use minijinja::{Environment, UndefinedBehavior};

/// (name, source) of every embedded template. Backends refer to the name constants
/// declared beside their code.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        crate::backend::cdk::TYPESCRIPT_TEMPLATE,
        include_str!("../templates/cdk/construct.ts.j2"),
    ),
    (
        crate::backend::cdk::PYTHON_TEMPLATE,
        include_str!("../templates/cdk/construct.py.j2"),
    ),
];

/// The environment every text backend renders with, built (and every template
/// compiled) once per process.
pub fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(build_environment);
    &ENVIRONMENT
}

fn build_environment() -> Environment<'static> {
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
    env.add_filter("ts_string", |s: &str| crate::backend::cdk::ts_string(s));
    env.add_filter("py_string", |s: &str| crate::backend::cdk::py_string(s));
    env.add_filter("comment", |s: &str| crate::backend::cdk::comment(s));
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("embedded template {name} does not parse: {e}"));
    }
    env
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_template_loads() {
        let env = super::environment();
        for (name, _) in super::TEMPLATES {
            env.get_template(name).expect("loads");
        }
    }
}

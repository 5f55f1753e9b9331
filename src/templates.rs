//! minijinja templates for the text targets (HCL, TypeScript, Python), embedded in the
//! binary. Template names are constants; an undefined variable is an error, never an
//! empty string; every spec string reaches a template's output only through the
//! escaping filter of that template's language (see `escape`).

use std::sync::LazyLock;

use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

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
    (
        crate::backend::terraform::TEMPLATE_NAME,
        crate::backend::terraform::TEMPLATE_SOURCE,
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
    register_cdk_layout(&mut env);
    register_hcl_filters(&mut env);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("embedded template {name} does not parse: {e}"));
    }
    env
}

/// CDK (`ts_string` / `py_string` are registered with the other filters above);
/// `ts_key` spells an object key as prettier does (bare when it is an identifier);
/// `items|py_brackets(indent, head, "()")` and `ts_brackets` lay out a call's
/// arguments or a list's items, `value|ts_property(indent, key)` a string property,
/// each as its formatter would (see `backend::cdk::layout`).
fn register_cdk_layout(env: &mut Environment<'static>) {
    use crate::backend::cdk::{self, layout};
    env.add_filter("ts_key", |s: &str| cdk::ts_key(s));
    fn brackets(pair: &str) -> Result<(&str, &str), Error> {
        match pair {
            "()" | "[]" | "{}" => Ok(pair.split_at(1)),
            _ => Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("brackets must be (), [] or {{}}, not {pair:?}"),
            )),
        }
    }
    env.add_filter(
        "py_brackets",
        |items: Vec<String>, indent: usize, head: &str, pair: &str, tail: Option<&str>| {
            let (open, close) = brackets(pair)?;
            Ok::<_, Error>(layout::python_brackets(
                indent,
                head,
                open,
                &items,
                close,
                tail.unwrap_or(""),
            ))
        },
    );
    env.add_filter(
        "ts_brackets",
        |items: Vec<String>, indent: usize, head: &str, pair: &str, tail: Option<&str>| {
            let (open, close) = brackets(pair)?;
            Ok::<_, Error>(layout::typescript_brackets(
                indent,
                head,
                open,
                &items,
                close,
                tail.unwrap_or(""),
            ))
        },
    );
    env.add_filter(
        "ts_property",
        |value: &str, indent: usize, key: &str, tail: Option<&str>| {
            layout::typescript_property(indent, key, value, tail.unwrap_or(","))
        },
    );
}

/// HCL: `hcl_string` quotes and escapes a string (see `backend::hcl::hcl_string`);
/// `hcl_value` spells a `terraform::Expr` (number, string, reference or interpolated
/// string, literal parts through the same escaper); `hcl_comment` keeps comment text
/// on one line; `pad(n)` left-aligns an argument name so `=` lines up as
/// `terraform fmt` aligns it.
fn register_hcl_filters(env: &mut Environment<'static>) {
    env.add_filter("hcl_string", |s: &str| crate::backend::hcl::hcl_string(s));
    env.add_filter("hcl_comment", |s: &str| crate::backend::hcl::hcl_comment(s));
    env.add_filter("pad", |s: &str, width: usize| format!("{s:<width$}"));
    env.add_filter("hcl_value", |v: Value| -> Result<String, Error> {
        expr_of(&v).map(|e| e.to_hcl())
    });
}

/// Reads back a serialised `terraform::Expr` from the template context.
fn expr_of(v: &Value) -> Result<crate::backend::terraform::Expr, Error> {
    use crate::backend::terraform::{Expr, Segment};
    let bad = |why: &str| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("hcl_value: {why}: {v}"),
        )
    };
    let kind = v.get_attr("kind")?;
    match kind.as_str() {
        Some("number") => {
            let n = v
                .get_attr("value")?
                .as_i64()
                .ok_or_else(|| bad("not a number"))?;
            Ok(Expr::Number {
                value: u32::try_from(n).map_err(|_| bad("out of range"))?,
            })
        }
        Some("template") => {
            let mut segments = Vec::new();
            for s in v.get_attr("segments")?.try_iter()? {
                let text = s
                    .get_attr("text")?
                    .as_str()
                    .ok_or_else(|| bad("segment text"))?
                    .to_string();
                segments.push(match s.get_attr("kind")?.as_str() {
                    Some("literal") => Segment::Literal(text),
                    Some("reference") => Segment::Reference(text),
                    _ => return Err(bad("segment kind")),
                });
            }
            Ok(Expr::Template { segments })
        }
        _ => Err(bad("not an expression")),
    }
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

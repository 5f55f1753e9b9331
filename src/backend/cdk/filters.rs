//! The filters of the CDK rollout templates (the construct templates get their code
//! already spelled from `code`, and call none). `ts_string` / `py_string` quote and
//! escape a string (see `literal`), `comment` keeps comment text on one line;
//! `items|py_brackets(indent, head, "()")` and `ts_brackets` lay out a call's
//! arguments or a list's items, `value|ts_property(indent, key)` a string property,
//! each as its formatter would (see `layout`).

use minijinja::{Environment, Error, ErrorKind};

use super::layout;
use super::literal::{comment, py_string, ts_string};

pub(super) fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("ts_string", |s: &str| ts_string(s));
    env.add_filter("py_string", |s: &str| py_string(s));
    env.add_filter("comment", |s: &str| comment(s));
    env.add_filter("py_brackets", brackets_filter(layout::python_brackets));
    env.add_filter("ts_brackets", brackets_filter(layout::typescript_brackets));
    env.add_filter(
        "ts_property",
        |value: &str, indent: usize, key: &str, tail: Option<&str>| {
            layout::typescript_property(indent, key, value, tail.unwrap_or(","))
        },
    );
}

/// `layout::python_brackets` or `typescript_brackets`, as a filter:
/// `items|NAME(indent, head, "()", tail)` (`tail` optional).
type Layout = fn(usize, &str, &str, &[String], &str, &str) -> String;

fn brackets_filter(
    layout: Layout,
) -> impl Fn(Vec<String>, usize, &str, &str, Option<&str>) -> Result<String, Error> + Send + Sync + 'static
{
    move |items, indent, head, pair, tail| {
        let (open, close) = brackets(pair)?;
        Ok(layout(
            indent,
            head,
            open,
            &items,
            close,
            tail.unwrap_or(""),
        ))
    }
}

fn brackets(pair: &str) -> Result<(&str, &str), Error> {
    match pair {
        "()" | "[]" | "{}" => Ok(pair.split_at(1)),
        _ => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("brackets must be (), [] or {{}}, not {pair:?}"),
        )),
    }
}

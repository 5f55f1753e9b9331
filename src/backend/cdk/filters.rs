//! The CDK templates' filters. `ts_string` / `py_string` quote and escape a string
//! (see `literal`), `comment` keeps comment text on one line, `ts_key` spells an
//! object key as prettier does (bare when it is an identifier);
//! `items|py_brackets(indent, head, "()")` and `ts_brackets` lay out a call's
//! arguments or a list's items, `value|ts_property(indent, key)` a string property,
//! each as its formatter would (see `layout`); `type|py_annotation(indent, name)` a
//! class attribute's annotation; the function `ts_object_call(indent, head, args)`
//! the opening and closing lines of a call whose last argument is an object literal,
//! and the column of its properties.

use minijinja::{Environment, Error, ErrorKind};

use super::layout;
use super::literal::{comment, py_string, ts_key, ts_string};

pub(super) fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("ts_string", |s: &str| ts_string(s));
    env.add_filter("py_string", |s: &str| py_string(s));
    env.add_filter("comment", |s: &str| comment(s));
    env.add_filter("ts_key", |s: &str| ts_key(s));
    env.add_filter("py_brackets", brackets_filter(layout::python_brackets));
    env.add_filter("ts_brackets", brackets_filter(layout::typescript_brackets));
    env.add_filter(
        "py_annotation",
        |annotation: &str, indent: usize, name: &str| {
            layout::python_annotation(indent, name, annotation)
        },
    );
    env.add_function(
        "ts_object_call",
        |indent: usize, head: &str, args: Vec<String>, tail: Option<&str>| {
            minijinja::Value::from(minijinja::value::Serde(layout::typescript_object_call(
                indent,
                head,
                &args,
                tail.unwrap_or(";"),
            )))
        },
    );
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

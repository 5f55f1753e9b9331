//! Code the context spells in Rust instead of the templates: what repeats per list
//! item. A policy statement's actions and resources are hundreds of literals in a
//! large spec; quoted and laid out by filters, one call per item, they were most of
//! the CDK's rendering time. Each literal still comes from `ts_string` / `py_string`
//! and each layout from `layout`, exactly as the filters would call them.

use serde::Serialize;

use super::layout::{self, ObjectCall};
use super::literal::{comment, py_string, ts_string};
use crate::model::Statement;

/// One `iam.PolicyStatement`, its spec-dependent lines laid out for the column the
/// template writes it at.
#[derive(Debug, Serialize)]
pub(super) struct StatementCode {
    /// Comment text.
    purpose: String,
    /// TypeScript: the whole `sid: '...',` line; Python: the literal.
    sid: String,
    /// The `actions` and `resources` properties, every line indented.
    actions: String,
    resources: String,
}

/// A policy's statements in TypeScript, inside the object literal `call` opens
/// (`new iam.ManagedPolicy(this, id, {`).
pub(super) fn typescript_statements(
    call: &ObjectCall,
    statements: &[Statement],
) -> Vec<StatementCode> {
    let indent = call.indent + 4;
    let brackets = |head: &str, literals: Vec<String>| {
        layout::typescript_brackets(indent, head, "[", &literals, "]", ",")
    };
    statements
        .iter()
        .map(|s| StatementCode {
            purpose: comment(&s.purpose),
            sid: layout::typescript_property(indent, "sid", &ts_string(&s.sid), ","),
            actions: brackets("actions: ", spelled(&s.actions, ts_string)),
            resources: brackets("resources: ", spelled(&s.resources, ts_string)),
        })
        .collect()
}

/// Each of `items` as a literal of the language `spell` escapes for.
fn spelled<S: AsRef<str>>(items: &[S], spell: fn(&str) -> String) -> Vec<String> {
    items.iter().map(|i| spell(i.as_ref())).collect()
}

/// A policy's statements in Python, at the columns the template writes them at.
pub(super) fn python_statements(statements: &[Statement]) -> Vec<StatementCode> {
    statements
        .iter()
        .map(|s| StatementCode {
            purpose: comment(&s.purpose),
            sid: py_string(&s.sid),
            actions: layout::python_brackets(
                20,
                "actions=",
                "[",
                &spelled(&s.actions, py_string),
                "]",
                ",",
            ),
            // One a line even when they would fit on one: ruff format keeps the
            // magic trailing comma's layout, and the goldens have always had it.
            resources: layout::one_a_line(
                20,
                4,
                "resources=",
                "[",
                &spelled(&s.resources, py_string),
                "]",
                ",",
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{UNSAFE_SAMPLES, is_unsafe_in_code};

    /// Statements are spelled here, not by the templates' filters: each of their
    /// strings must still reach the code only as its language's literal (or comment).
    #[test]
    fn statement_strings_reach_the_code_only_escaped() {
        let statements: Vec<Statement> = UNSAFE_SAMPLES
            .iter()
            .map(|s| Statement {
                sid: s.to_string(),
                actions: vec![s.to_string(), "s3:GetObject".into()],
                resources: vec![(*s).into(); 3],
                purpose: s.to_string(),
            })
            .collect();
        let call = layout::typescript_object_call(4, "this.p = new iam.ManagedPolicy", &[], ";");
        let spelled = [
            (
                typescript_statements(&call, &statements),
                ts_string as fn(&str) -> String,
            ),
            (python_statements(&statements), py_string),
        ];
        for (code, literal) in spelled {
            for (c, sample) in code.iter().zip(UNSAFE_SAMPLES) {
                // Layout breaks lines; nothing else unsafe may appear.
                for text in [&c.purpose, &c.sid, &c.actions, &c.resources] {
                    let raw = text.split('\n').flat_map(str::chars).any(is_unsafe_in_code);
                    assert!(!raw, "{text:?}");
                }
                assert_eq!(c.purpose, comment(sample));
                for text in [&c.sid, &c.actions, &c.resources] {
                    assert!(text.contains(&literal(sample)), "{text:?}");
                }
            }
        }
    }
}

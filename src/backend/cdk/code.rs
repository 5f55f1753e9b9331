//! Spec-dependent code the context spells in Rust for the templates: literals through
//! `ts_string` / `py_string` (the only way spec text becomes code), comments through
//! `comment`, and lines laid out by `layout`, exactly as the templates' filters would
//! call them. Called once per list item from a template, those filters were most of
//! the CDK's rendering time in a large spec (a statement's hundreds of resources),
//! and the expressions calling them most of the templates' compile time.

use super::Language;
use super::layout::{self, ObjectCall};
use super::literal::{comment, py_string, ts_key, ts_string};
use crate::model::{Effect, Part, Resource, Statement, Text};

/// Spells code in one language.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spell(pub Language);

impl Spell {
    pub fn ts(self) -> bool {
        self.0 == Language::TypeScript
    }

    /// A string literal of this language.
    pub fn string(self, s: &str) -> String {
        match self.0 {
            Language::TypeScript => ts_string(s),
            Language::Python => py_string(s),
        }
    }

    /// A `Text`: literal parts and the stack's account or region, joined with `+`.
    pub fn text(self, t: &Text) -> String {
        let string = match self.0 {
            Language::TypeScript => ts_string,
            Language::Python => py_string,
        };
        operands(t, string).join(" + ")
    }

    /// A string property: in TypeScript the whole `key: 'value',` line at `indent`,
    /// laid out as prettier would; in Python the literal alone (the template writes
    /// `key=` at a column of its own, and ruff never splits a string).
    pub fn property(self, call: Option<&ObjectCall>, key: &str, value: &str) -> String {
        match (self.0, call) {
            (Language::TypeScript, Some(c)) => {
                layout::typescript_property(c.indent, key, &ts_string(value), ",")
            }
            _ => py_string(value),
        }
    }

    /// `head(items)` + `tail` at `indent`: TypeScript's `indent` and `tail` first,
    /// then Python's.
    pub fn call(
        self,
        ts: (usize, &str),
        py: (usize, &str),
        head: &str,
        items: &[String],
    ) -> String {
        self.brackets(ts, py, head, "()", items)
    }

    /// `head` + `pair`'s brackets around `items`, laid out as the language's formatter
    /// would.
    pub fn brackets(
        self,
        (ts_indent, ts_tail): (usize, &str),
        (py_indent, py_tail): (usize, &str),
        head: &str,
        pair: &str,
        items: &[String],
    ) -> String {
        let (open, close) = pair.split_at(1);
        match self.0 {
            Language::TypeScript => {
                layout::typescript_brackets(ts_indent, head, open, items, close, ts_tail)
            }
            Language::Python => {
                layout::python_brackets(py_indent, head, open, items, close, py_tail)
            }
        }
    }

    /// TypeScript: `head(args..., {` as prettier lays it out; Python has no use for it.
    pub fn object_call(self, indent: usize, head: &str, args: [&str; 2]) -> Option<ObjectCall> {
        self.ts().then(|| {
            let args = [args[0].to_string(), ts_string(args[1])];
            layout::typescript_object_call(indent, head, &args, ";")
        })
    }

    /// One operator's group of a trust statement, `operator: { key: value, ... }`,
    /// the values already spelled.
    pub fn condition(
        self,
        call: Option<&ObjectCall>,
        operator: &str,
        entries: &[(&str, String)],
    ) -> String {
        match (self.0, call) {
            (Language::TypeScript, Some(c)) => layout::typescript_brackets(
                c.indent + 2,
                &format!("{}: ", ts_key(operator)),
                "{",
                &entries
                    .iter()
                    .map(|(key, value)| format!("{}: {value}", ts_key(key)))
                    .collect::<Vec<_>>(),
                "}",
                ",",
            ),
            _ => layout::python_brackets(
                20,
                &format!("{}: ", py_string(operator)),
                "{",
                &entries
                    .iter()
                    .map(|(key, value)| format!("{}: {value}", py_string(key)))
                    .collect::<Vec<_>>(),
                "}",
                ",",
            ),
        }
    }

    /// A policy's `statements` property, from its opening line to its closing one:
    /// in TypeScript inside the object literal `call` opens (`new
    /// iam.ManagedPolicy(this, id, {`), in Python at the columns ruff format keeps.
    pub fn statements(self, call: Option<&ObjectCall>, statements: &[Statement]) -> String {
        let mut out = String::new();
        match (self.0, call) {
            (Language::TypeScript, Some(c)) => typescript_statements(&mut out, c, statements),
            _ => python_statements(&mut out, statements),
        }
        out
    }
}

fn typescript_statements(out: &mut String, call: &ObjectCall, statements: &[Statement]) {
    let indent = call.indent + 4;
    let pad = &call.pad;
    let brackets = |head: &str, literals: Vec<String>| {
        layout::typescript_brackets(indent, head, "[", &literals, "]", ",")
    };
    let line = |out: &mut String, pieces: &[&str]| {
        out.push_str(pad);
        pieces.iter().for_each(|p| out.push_str(p));
        out.push('\n');
    };
    line(out, &["statements: ["]);
    for s in statements {
        line(out, &["  // ", &comment(&s.purpose)]);
        line(out, &["  new iam.PolicyStatement({"]);
        for property in [
            layout::typescript_property(indent, "sid", &ts_string(&s.sid), ","),
            format!("{pad}    effect: iam.Effect.{},", effect(s)),
            brackets("actions: ", spelled(&s.actions, ts_string)),
            layout::typescript_concatenations(
                indent,
                if s.not_resource {
                    "notResources: "
                } else {
                    "resources: "
                },
                resource_operands(&s.resources, ts_string),
                ",",
            ),
        ] {
            out.push_str(&property);
            out.push('\n');
        }
        line(out, &["  }),"]);
    }
    out.push_str(pad);
    out.push_str("],");
}

/// The `iam.Effect` member of a statement's effect.
fn effect(s: &Statement) -> &'static str {
    match s.effect {
        Effect::Allow => "ALLOW",
        Effect::Deny => "DENY",
    }
}

/// Each of `items` as a literal of the language `spell` escapes for.
fn spelled<S: AsRef<str>>(items: &[S], spell: fn(&str) -> String) -> Vec<String> {
    items.iter().map(|i| spell(i.as_ref())).collect()
}

/// The operands of a text's concatenation: its literal parts through `string` (the
/// language's escaper), its deploy-time parts as the stack's account or region.
fn operands(t: &Text, string: fn(&str) -> String) -> Vec<String> {
    t.0.iter()
        .map(|part| match part {
            Part::Literal(s) => string(s),
            Part::AccountId => "stack.account".to_string(),
            Part::Region => "stack.region".to_string(),
        })
        .collect()
}

/// Each resource as the operands of a concatenation: a literal alone, an ARN of the
/// deploying account with the stack's account between its parts.
fn resource_operands(items: &[Resource], string: fn(&str) -> String) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|r| match r.literal() {
            Some(s) => vec![string(s)],
            None => operands(&r.text(), string),
        })
        .collect()
}

fn python_statements(out: &mut String, statements: &[Statement]) {
    out.push_str("            statements=[\n");
    for s in statements {
        for piece in [
            "                # ",
            &comment(&s.purpose),
            "\n                iam.PolicyStatement(\n                    sid=",
            &py_string(&s.sid),
            ",\n                    effect=iam.Effect.",
            effect(s),
            ",\n",
        ] {
            out.push_str(piece);
        }
        let actions = layout::python_brackets(
            20,
            "actions=",
            "[",
            &spelled(&s.actions, py_string),
            "]",
            ",",
        );
        // One a line even when they would fit on one: ruff format keeps the magic
        // trailing comma's layout, and the goldens have always had it.
        let resources = layout::python_concatenations(
            20,
            if s.not_resource {
                "not_resources="
            } else {
                "resources="
            },
            resource_operands(&s.resources, py_string),
            ",",
        );
        for property in [actions, resources] {
            out.push_str(&property);
            out.push('\n');
        }
        out.push_str("                ),\n");
    }
    out.push_str("            ],");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{UNSAFE_SAMPLES, is_unsafe_in_code};

    /// Statements are spelled here, not by the templates' filters: each of their
    /// strings must still reach the code only as its language's literal (or comment).
    #[test]
    fn statement_strings_reach_the_code_only_escaped() {
        let call = layout::typescript_object_call(4, "this.p = new iam.ManagedPolicy", &[], ";");
        for sample in UNSAFE_SAMPLES {
            let statement = Statement {
                effect: Effect::Allow,
                not_resource: false,
                sid: sample.to_string(),
                actions: vec![sample.to_string(), "s3:GetObject".into()],
                resources: vec![(*sample).into(); 3],
                purpose: sample.to_string(),
            };
            let spelled = [
                (Spell(Language::TypeScript), ts_string(sample)),
                (Spell(Language::Python), py_string(sample)),
            ];
            for (spell, literal) in spelled {
                let code = spell.statements(Some(&call), std::slice::from_ref(&statement));
                // Layout breaks lines; nothing else unsafe may appear.
                let raw = code.split('\n').flat_map(str::chars).any(is_unsafe_in_code);
                assert!(!raw, "{code:?}");
                assert_eq!(code.matches(&literal).count(), 5, "{code}");
                assert!(code.contains(&comment(sample)), "{code}");
            }
        }
    }
}

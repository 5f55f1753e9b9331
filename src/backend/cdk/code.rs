//! Spec-dependent code the context spells in Rust for the templates: literals through
//! `ts_string` / `py_string` (the only way spec text becomes code), comments through
//! `comment`, and lines laid out by `layout`, exactly as the templates' filters would
//! call them. Called once per list item from a template, those filters were most of
//! the CDK's rendering time in a large spec (a statement's hundreds of resources),
//! and the expressions calling them most of the templates' compile time.

use super::Language;
use super::layout::{self, ObjectCall};
use super::literal::{comment, push_py_string, push_ts_string, py_string, ts_key, ts_string};
use crate::model::{Effect, Part, Resource, Statement, Text};

/// Spells code in one language.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spell(pub Language);

impl Spell {
    pub fn ts(self) -> bool {
        self.0 == Language::TypeScript
    }

    /// The escaper that appends a string literal of this language to a buffer.
    pub fn push_string(self) -> fn(&mut String, &str) {
        match self.0 {
            Language::TypeScript => push_ts_string,
            Language::Python => push_py_string,
        }
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
        let mut out = String::with_capacity(statements_len(statements));
        match (self.0, call) {
            (Language::TypeScript, Some(c)) => typescript_statements(&mut out, c, statements),
            _ => python_statements(&mut out, statements),
        }
        out
    }
}

/// About how many bytes a policy's statements take, at least, in either language:
/// the buffer is sized once instead of grown through a dozen copies.
fn statements_len(statements: &[Statement]) -> usize {
    const STATEMENT: usize = 256;
    const ITEM: usize = 32;
    statements
        .iter()
        .map(|s| {
            STATEMENT
                + s.purpose.len()
                + s.sid.len()
                + s.actions.iter().map(|a| a.len() + ITEM).sum::<usize>()
                + s.resources
                    .iter()
                    .map(|r| r.literal().map_or(4 * ITEM, str::len) + ITEM)
                    .sum::<usize>()
        })
        .sum()
}

/// Literals of one list spelled into one buffer (a policy's hundreds of ARNs
/// without a string each), read by `layout` as `&str`s.
#[derive(Debug, Default)]
pub(super) struct Spelled {
    text: String,
    ends: Vec<usize>,
}

impl Spelled {
    /// Empties it for the next list, keeping its room.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Adds the literal of `s` that `push` (`push_ts_string`, `push_py_string`) spells.
    pub fn push(&mut self, push: fn(&mut String, &str), s: &str) {
        push(&mut self.text, s);
        self.ends.push(self.text.len());
    }

    /// Holds just the literals of `resources`, if every one of them is a literal
    /// (`false`, and part of them, when one names the deploying account).
    fn literals(&mut self, push: fn(&mut String, &str), resources: &[Resource]) -> bool {
        self.clear();
        resources.iter().all(|r| match r.literal() {
            Some(s) => {
                self.push(push, s);
                true
            }
            None => false,
        })
    }

    /// The literals, in order.
    pub fn items(&self) -> Vec<&str> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let item = &self.text[start..end];
                start = end;
                item
            })
            .collect()
    }
}

fn typescript_statements(out: &mut String, call: &ObjectCall, statements: &[Statement]) {
    let indent = call.indent + 4;
    let pad = &call.pad;
    let line = |out: &mut String, pieces: &[&str]| {
        out.push_str(pad);
        pieces.iter().for_each(|p| out.push_str(p));
        out.push('\n');
    };
    let mut spelled = Spelled::default();
    line(out, &["statements: ["]);
    for s in statements {
        line(out, &["  // ", &comment(&s.purpose)]);
        line(out, &["  new iam.PolicyStatement({"]);
        layout::push_typescript_property(out, indent, "sid", &ts_string(&s.sid), ",");
        out.push('\n');
        line(out, &["    effect: iam.Effect.", effect(s), ","]);
        spelled.clear();
        s.actions
            .iter()
            .for_each(|a| spelled.push(push_ts_string, a));
        layout::push_typescript_brackets(out, indent, "actions: ", "[", &spelled.items(), "]", ",");
        out.push('\n');
        let head = if s.not_resource {
            "notResources: "
        } else {
            "resources: "
        };
        // A list of literals alone (nearly every statement) is `typescript_brackets`
        // of them, as `typescript_concatenations` lays it out.
        if spelled.literals(push_ts_string, &s.resources) {
            layout::push_typescript_brackets(out, indent, head, "[", &spelled.items(), "]", ",");
        } else {
            let operands = resource_operands(&s.resources, ts_string);
            out.push_str(&layout::typescript_concatenations(
                indent, head, operands, ",",
            ));
        }
        out.push('\n');
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
    let mut spelled = Spelled::default();
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
        spelled.clear();
        s.actions
            .iter()
            .for_each(|a| spelled.push(push_py_string, a));
        layout::push_python_brackets(out, 20, "actions=", "[", &spelled.items(), "]", ",");
        out.push('\n');
        let head = if s.not_resource {
            "not_resources="
        } else {
            "resources="
        };
        // One a line even when they would fit on one: ruff format keeps the magic
        // trailing comma's layout, and the goldens have always had it. A list of
        // literals alone is laid out as `python_concatenations` lays it out.
        if spelled.literals(push_py_string, &s.resources) {
            layout::push_one_a_line(out, 20, 4, head, "[", &spelled.items(), "]", ",");
        } else {
            let operands = resource_operands(&s.resources, py_string);
            out.push_str(&layout::python_concatenations(20, head, operands, ","));
        }
        out.push('\n');
        out.push_str("                ),\n");
    }
    out.push_str("            ],");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{UNSAFE_SAMPLES, is_unsafe_in_code};

    /// A statement whose resources are all literals is laid out from its literals
    /// spelled into one buffer, by the brackets' layout: that must be what the
    /// concatenations' layout gives the same items, one operand each.
    #[test]
    fn literal_resources_are_laid_out_as_concatenations_of_one_operand() {
        let long = |i: usize| format!("'arn:aws:s3:::bucket-{i}-{}/*'", "x".repeat(40));
        let lists: [Vec<String>; 3] = [
            vec!["'a'".into()],
            vec![long(1)],
            (0..9).map(long).collect(),
        ];
        for items in lists {
            let operands = || items.iter().map(|i| vec![i.clone()]).collect::<Vec<_>>();
            let mut spelled = Spelled::default();
            spelled.push(push_ts_string, "stays");
            spelled.clear();
            items
                .iter()
                .for_each(|i| spelled.push(|out, s| out.push_str(s), i));
            assert_eq!(spelled.items(), items);
            let mut ts = String::from("x\n");
            layout::push_typescript_brackets(
                &mut ts,
                10,
                "resources: ",
                "[",
                &spelled.items(),
                "]",
                ",",
            );
            let want = layout::typescript_concatenations(10, "resources: ", operands(), ",");
            assert_eq!(ts, format!("x\n{want}"));
            let mut py = String::from("x\n");
            layout::push_one_a_line(
                &mut py,
                20,
                4,
                "resources=",
                "[",
                &spelled.items(),
                "]",
                ",",
            );
            let want = layout::python_concatenations(20, "resources=", operands(), ",");
            assert_eq!(py, format!("x\n{want}"));
        }
    }

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

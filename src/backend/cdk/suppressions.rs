//! cdk-nag's suppressions (`backend::scanners`) as CDK code: the `cdk_nag` metadata
//! cdk-nag 2.x reads from the CloudFormation resource, written with aws-cdk-lib's own
//! `addMetadata`, and the same findings as the acknowledgments cdk-nag 3.x reads
//! (construct-tree metadata under aws-cdk-lib's `Validations` key, written by the
//! module's function), so the generated code does not depend on cdk-nag. Every string goes
//! through the language's escaper (`Spell::string`); the lines are laid out as
//! prettier and ruff format write them, expanded with trailing commas, which both
//! keep as written.

use super::code::{Spell, Spelled};
use super::layout::{self, ObjectCall};
use super::literal::{comment, push_py_string};
use crate::backend::scanners::CdkNag;
use crate::text::push_spaces;

/// The TypeScript module's function that writes the metadata (construct.ts.j2).
const TS_FUNCTION: &str = "suppressCdkNag";

/// The Python module's function that writes cdk-nag 3.x's acknowledgments of the
/// `cdk_nag` metadata (construct.py.j2).
const PY_ACKNOWLEDGE: &str = "_acknowledge_cdk_nag";

/// The comment above each suppression.
const NOTE: &str = "cdk-nag: the findings here are AWS's design (AWS's page in each reason); the spec's scanner_suppressions: false leaves this out";

/// The lines that suppress `rules` on the CloudFormation resource of `member`, a
/// construct whose default child is a `cfn_class` (`CfnRole`), or "" for none.
/// Python reads the child into `variable` first, as the trust statement's Sid does;
/// TypeScript calls the module's function.
pub(super) fn lines(
    spell: Spell,
    member: &str,
    cfn_class: &str,
    variable: &str,
    rules: &[CdkNag],
) -> String {
    if rules.is_empty() {
        return String::new();
    }
    if spell.ts() {
        typescript(spell, member, rules)
    } else {
        python(spell, member, cfn_class, variable, rules)
    }
}

/// About how many bytes the lines take, at least: the buffer is sized once (a
/// policy's suppression lists a finding for each of its hundreds of wildcards).
fn lines_len(rules: &[CdkNag]) -> usize {
    const RULE: usize = 256;
    const FINDING: usize = 32;
    1024 + rules
        .iter()
        .map(|r| {
            RULE + r.reason.len()
                + r.applies_to
                    .iter()
                    .map(|a| a.len() + FINDING)
                    .sum::<usize>()
        })
        .sum::<usize>()
}

fn typescript(spell: Spell, member: &str, rules: &[CdkNag]) -> String {
    // A function of the module (construct.ts.j2) reads the resource: a cast of a long
    // member, inline, is a layout prettier writes in a way of its own.
    let call: ObjectCall =
        layout::typescript_object_call(4, TS_FUNCTION, &[format!("this.{member}")], ";");
    let i = call.indent;
    let mut out = String::with_capacity(lines_len(rules));
    for piece in ["    // ", &comment(NOTE), "\n", &call.open, "\n"] {
        out.push_str(piece);
    }
    push_spaces(&mut out, i);
    out.push_str("rules_to_suppress: [\n");
    let mut findings = Spelled::default();
    for r in rules {
        push_spaces(&mut out, i + 2);
        out.push_str("{\n");
        layout::push_typescript_property(&mut out, i + 4, "id", &spell.string(r.id), ",");
        out.push('\n');
        layout::push_typescript_property(&mut out, i + 4, "reason", &spell.string(&r.reason), ",");
        out.push('\n');
        findings.clear();
        r.applies_to
            .iter()
            .for_each(|a| findings.push(spell.push_string(), a));
        layout::push_typescript_brackets(
            &mut out,
            i + 4,
            "applies_to: ",
            "[",
            &findings.items(),
            "]",
            ",",
        );
        out.push('\n');
        push_spaces(&mut out, i + 2);
        out.push_str("},\n");
    }
    push_spaces(&mut out, i);
    out.push_str("],\n");
    out.push_str(&call.close);
    out
}

fn python(spell: Spell, member: &str, cfn_class: &str, variable: &str, rules: &[CdkNag]) -> String {
    let mut out = String::with_capacity(lines_len(rules));
    for piece in ["        # ", &comment(NOTE), "\n"] {
        out.push_str(piece);
    }
    out.push_str(&spell.call(
        (0, ""),
        (8, ""),
        &format!("{variable} = cast"),
        &[
            format!("iam.{cfn_class}"),
            format!("self.{member}.node.default_child"),
        ],
    ));
    for piece in ["\n        ", variable, ".add_metadata(\n            "] {
        out.push_str(piece);
    }
    push_py_string(&mut out, "cdk_nag");
    out.push_str(",\n            {\n                ");
    push_py_string(&mut out, "rules_to_suppress");
    out.push_str(": [\n");
    let applies_to = format!("{}: ", spell.string("applies_to"));
    let mut findings = Spelled::default();
    for r in rules {
        out.push_str("                    {\n");
        for (key, value) in [("id", r.id), ("reason", r.reason.as_str())] {
            out.push_str("                        ");
            push_py_string(&mut out, key);
            out.push_str(": ");
            push_py_string(&mut out, value);
            out.push_str(",\n");
        }
        findings.clear();
        r.applies_to
            .iter()
            .for_each(|a| findings.push(push_py_string, a));
        layout::push_python_brackets(&mut out, 24, &applies_to, "[", &findings.items(), "]", ",");
        out.push_str("\n                    },\n");
    }
    out.push_str("                ],\n");
    out.push_str("            },\n");
    out.push_str("        )\n");
    // cdk-nag 3.x reads the same findings as acknowledgments (construct.py.j2).
    for piece in ["        ", PY_ACKNOWLEDGE, "(", variable, ")"] {
        out.push_str(piece);
    }
    out
}

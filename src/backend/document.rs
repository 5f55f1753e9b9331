//! IAM policy documents as JSON data, built once for every target that writes them
//! as data (CloudFormation, Terraform JSON). A target only says how it spells a string
//! (`Spelling`): CloudFormation writes literals as they are and deploy-time values
//! with `Ref` / `Fn::Sub`; Terraform JSON escapes template openers and interpolates
//! data sources.

use std::borrow::Cow;

use serde_json::Value;

use super::emit::{Data, Emit, entry, replay};
use crate::model::{POLICY_VERSION, Resource, Statement, Text, TrustStatement};

/// How a target writes the strings of a policy document.
pub trait Spelling {
    /// A string known when the file is written (also used for object keys).
    fn literal<'s>(&self, s: &'s str) -> Cow<'s, str>;
    /// A string that may hold values known only at deploy time.
    fn text(&self, t: &Text) -> Value;
    /// `text`, written to `e`.
    fn emit_text<E: Emit>(&self, t: &Text, e: &mut E) {
        replay(&self.text(t), e);
    }
}

/// A JSON object of `entries`, in order, each value moved in. `json!` takes a
/// `Value` by serialising it into a copy: building a fleet's policies with it
/// copied every policy document twice (BENCHMARKS.md).
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

/// A role's trust policy as data (`write_trust_policy`).
pub fn trust_policy(trust: &TrustStatement, spelling: &impl Spelling) -> Value {
    let mut data = Data::default();
    write_trust_policy(trust, spelling, &mut data);
    data.finish()
}

/// A custom policy's document as data (`write_policy_document`).
pub fn policy_document(statements: &[Statement], spelling: &impl Spelling) -> Value {
    let mut data = Data::default();
    write_policy_document(statements, spelling, &mut data);
    data.finish()
}

/// A role's trust policy: its one statement, with the model's condition groups.
pub fn write_trust_policy<E: Emit>(trust: &TrustStatement, spelling: &impl Spelling, e: &mut E) {
    e.begin_map();
    entry(e, "Version", POLICY_VERSION);
    e.key("Statement");
    e.begin_list();
    e.begin_map();
    entry(e, "Sid", &spelling.literal(trust.sid));
    entry(e, "Effect", "Allow");
    e.key("Principal");
    e.begin_map();
    entry(e, "Service", &spelling.literal(&trust.service));
    e.end_map();
    entry(e, "Action", "sts:AssumeRole");
    if !trust.conditions.is_empty() {
        e.key("Condition");
        e.begin_map();
        for g in &trust.conditions {
            e.key(&spelling.literal(g.operator));
            e.begin_map();
            for condition in &g.entries {
                e.key(&spelling.literal(condition.key));
                spelling.emit_text(&condition.value, e);
            }
            e.end_map();
        }
        e.end_map();
    }
    e.end_map();
    e.end_list();
    e.end_map();
}

/// A custom policy's document: one statement per model statement.
pub fn write_policy_document<E: Emit>(
    statements: &[Statement],
    spelling: &impl Spelling,
    e: &mut E,
) {
    e.begin_map();
    entry(e, "Version", POLICY_VERSION);
    e.key("Statement");
    e.begin_list();
    for s in statements {
        e.begin_map();
        entry(e, "Sid", &spelling.literal(&s.sid));
        entry(e, "Effect", s.effect.as_str());
        e.key("Action");
        one_or_many(&s.actions, spelling, e);
        e.key(s.resource_element());
        resources(&s.resources, spelling, e);
        e.end_map();
    }
    e.end_list();
    e.end_map();
}

/// IAM accepts a string or a list; a single value reads better as a string.
fn one_or_many<S: AsRef<str>, E: Emit>(items: &[S], spelling: &impl Spelling, e: &mut E) {
    match items {
        [one] => e.string(&spelling.literal(one.as_ref())),
        _ => {
            e.begin_list();
            for item in items {
                e.string(&spelling.literal(item.as_ref()));
            }
            e.end_list();
        }
    }
}

/// Resources as `one_or_many` writes strings; an ARN of the deploying account is a
/// text the target spells (`Fn::Sub`, an interpolated data source).
fn resources<E: Emit>(items: &[Resource], spelling: &impl Spelling, e: &mut E) {
    let one = |r: &Resource, e: &mut E| match r.literal() {
        Some(s) => e.string(&spelling.literal(s)),
        None => spelling.emit_text(&r.text(), e),
    };
    match items {
        [r] => one(r, e),
        _ => {
            e.begin_list();
            for r in items {
                one(r, e);
            }
            e.end_list();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, Effect, Part};
    use serde_json::json;

    /// Marks every literal and deploy-time part, to show where each is spelled.
    struct Marked;

    impl Spelling for Marked {
        fn literal<'s>(&self, s: &'s str) -> Cow<'s, str> {
            Cow::Owned(format!("<{s}>"))
        }
        fn text(&self, t: &Text) -> Value {
            json!(format!("text of {} parts", t.0.len()))
        }
    }

    #[test]
    fn conditions_with_one_operator_share_its_object() {
        let value = |s: &str| Text(vec![Part::Literal(s.into())]);
        let trust = TrustStatement::new(
            "Trust",
            "ssm.amazonaws.com".into(),
            vec![
                Condition {
                    operator: "StringEquals",
                    key: "aws:SourceAccount",
                    value: Text(vec![Part::AccountId]),
                },
                Condition {
                    operator: "ArnLike",
                    key: "aws:SourceArn",
                    value: value("arn"),
                },
                Condition {
                    operator: "StringEquals",
                    key: "aws:SourceOrgID",
                    value: value("o-1"),
                },
            ],
        );
        assert_eq!(
            trust_policy(&trust, &Marked),
            json!({ "Version": "2012-10-17", "Statement": [{
                "Sid": "<Trust>",
                "Effect": "Allow",
                "Principal": { "Service": "<ssm.amazonaws.com>" },
                "Action": "sts:AssumeRole",
                "Condition": {
                    "<StringEquals>": {
                        "<aws:SourceAccount>": "text of 1 parts",
                        "<aws:SourceOrgID>": "text of 1 parts",
                    },
                    "<ArnLike>": { "<aws:SourceArn>": "text of 1 parts" },
                },
            }] })
        );
    }

    #[test]
    fn single_actions_and_resources_are_strings() {
        let statement = |actions: &[&str]| Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: "S".into(),
            actions: actions.iter().map(|s| s.to_string()).collect(),
            resources: vec!["*".into()],
            purpose: "p".into(),
        };
        let doc = policy_document(&[statement(&["a"]), statement(&["a", "b"])], &Marked);
        assert_eq!(doc["Statement"][0]["Action"], json!("<a>"));
        assert_eq!(doc["Statement"][1]["Action"], json!(["<a>", "<b>"]));
        assert_eq!(doc["Statement"][1]["Resource"], json!("<*>"));
    }
}

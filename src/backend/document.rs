//! IAM policy documents as JSON data, built once for every target that writes them
//! as data (CloudFormation, Terraform JSON). A target only says how it spells a string
//! (`Spelling`): CloudFormation writes literals as they are and deploy-time values
//! with `Ref` / `Fn::Sub`; Terraform JSON escapes template openers and interpolates
//! data sources.

use serde_json::{Map, Value, json};

use crate::model::{POLICY_VERSION, Resource, Statement, Text, TrustStatement};

/// How a target writes the strings of a policy document.
pub trait Spelling {
    /// A string known when the file is written (also used for object keys).
    fn literal(&self, s: &str) -> String;
    /// A string that may hold values known only at deploy time.
    fn text(&self, t: &Text) -> Value;
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

/// A role's trust policy: its one statement, with the model's condition groups.
pub fn trust_policy(trust: &TrustStatement, spelling: &impl Spelling) -> Value {
    let mut statement = Map::new();
    statement.insert("Sid".into(), json!(spelling.literal(trust.sid)));
    statement.insert("Effect".into(), json!("Allow"));
    statement.insert(
        "Principal".into(),
        json!({ "Service": spelling.literal(&trust.service) }),
    );
    statement.insert("Action".into(), json!("sts:AssumeRole"));
    if !trust.conditions.is_empty() {
        let condition: Map<String, Value> = trust
            .conditions
            .iter()
            .map(|g| {
                let entries: Map<String, Value> = g
                    .entries
                    .iter()
                    .map(|e| (spelling.literal(e.key), spelling.text(&e.value)))
                    .collect();
                (spelling.literal(g.operator), Value::Object(entries))
            })
            .collect();
        statement.insert("Condition".into(), Value::Object(condition));
    }
    object([
        ("Version", POLICY_VERSION.into()),
        ("Statement", Value::Array(vec![Value::Object(statement)])),
    ])
}

/// A custom policy's document: one statement per model statement.
pub fn policy_document(statements: &[Statement], spelling: &impl Spelling) -> Value {
    let statements: Vec<Value> = statements
        .iter()
        .map(|s| {
            object([
                ("Sid", Value::String(spelling.literal(&s.sid))),
                ("Effect", s.effect.as_str().into()),
                ("Action", one_or_many(&s.actions, spelling)),
                (s.resource_element(), resources(&s.resources, spelling)),
            ])
        })
        .collect();
    object([
        ("Version", POLICY_VERSION.into()),
        ("Statement", Value::Array(statements)),
    ])
}

/// IAM accepts a string or a list; a single value reads better as a string.
fn one_or_many<S: AsRef<str>>(items: &[S], spelling: &impl Spelling) -> Value {
    match items {
        [one] => Value::String(spelling.literal(one.as_ref())),
        _ => Value::Array(
            items
                .iter()
                .map(|s| Value::String(spelling.literal(s.as_ref())))
                .collect(),
        ),
    }
}

/// Resources as `one_or_many` writes strings; an ARN of the deploying account is a
/// text the target spells (`Fn::Sub`, an interpolated data source).
fn resources(items: &[Resource], spelling: &impl Spelling) -> Value {
    let one = |r: &Resource| match r.literal() {
        Some(s) => Value::String(spelling.literal(s)),
        None => spelling.text(&r.text()),
    };
    match items {
        [r] => one(r),
        _ => Value::Array(items.iter().map(one).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, Effect, Part};

    /// Marks every literal and deploy-time part, to show where each is spelled.
    struct Marked;

    impl Spelling for Marked {
        fn literal(&self, s: &str) -> String {
            format!("<{s}>")
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

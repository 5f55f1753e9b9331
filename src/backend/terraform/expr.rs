//! Argument values: a number, or a string that may interpolate references, spelled
//! as HCL or as Terraform JSON, every literal part through that syntax's escaper.

use std::borrow::Cow;

use serde_json::{Value, json};

use crate::backend::hcl::{escape_template_literal, hcl_string, tf_json_string};
use crate::model::{Part, Text};

/// Where the deploy-time parts of a `Text` come from.
pub const ACCOUNT_ID_REF: &str = "data.aws_caller_identity.current.account_id";
pub const REGION_REF: &str = "data.aws_region.current.region";

/// A value of an argument: a number, or a string that may interpolate references.
/// A string made of one reference is written as the bare reference in HCL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Number(u32),
    Bool(bool),
    /// A tuple of values (`["a", "b"]`), written on one line.
    List(Vec<Expr>),
    Template(Vec<Segment>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Reference(String),
}

impl Expr {
    pub fn string(s: &str) -> Expr {
        Expr::Template(vec![Segment::Literal(s.to_string())])
    }

    pub fn reference(r: impl Into<String>) -> Expr {
        Expr::Template(vec![Segment::Reference(r.into())])
    }

    /// A model text, its deploy-time parts read from data sources.
    pub fn text(t: &Text) -> Expr {
        Expr::Template(
            t.0.iter()
                .map(|p| match p {
                    Part::Literal(s) => Segment::Literal(s.clone()),
                    Part::AccountId => Segment::Reference(ACCOUNT_ID_REF.into()),
                    Part::Region => Segment::Reference(REGION_REF.into()),
                })
                .collect(),
        )
    }

    /// The string, when it is one literal.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Expr::Template(segments) => match segments.as_slice() {
                [Segment::Literal(s)] => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The HCL spelling: every literal segment through the one HCL escaper.
    pub fn to_hcl(&self) -> String {
        match self {
            Expr::Number(value) => value.to_string(),
            Expr::Bool(value) => value.to_string(),
            Expr::List(items) => {
                let items: Vec<String> = items.iter().map(Expr::to_hcl).collect();
                format!("[{}]", items.join(", "))
            }
            Expr::Template(segments) => match segments.as_slice() {
                [Segment::Reference(r)] => r.clone(),
                [Segment::Literal(s)] => hcl_string(s),
                _ => format!("\"{}\"", interpolated(segments, escape_template_literal)),
            },
        }
    }

    /// The Terraform JSON spelling: a string template (or a number).
    pub fn to_json(&self) -> Value {
        match self {
            Expr::Number(value) => json!(value),
            Expr::Bool(value) => json!(value),
            Expr::List(items) => Value::Array(items.iter().map(Expr::to_json).collect()),
            Expr::Template(segments) => match segments.as_slice() {
                [Segment::Literal(s)] => Value::String(tf_json_string(s).into_owned()),
                _ => Value::String(interpolated(segments, tf_json_string)),
            },
        }
    }
}

/// The segments as a template body: literals through `escape`, references as `${r}`.
fn interpolated(segments: &[Segment], escape: fn(&str) -> Cow<'_, str>) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Literal(l) => out.push_str(&escape(l)),
            Segment::Reference(r) => {
                out.push_str("${");
                out.push_str(r);
                out.push('}');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploy_time_parts_interpolate_data_sources() {
        let t = Text(vec![
            Part::Literal("arn:aws:ssm:".into()),
            Part::Region,
            Part::Literal(":".into()),
            Part::AccountId,
            Part::Literal(":*".into()),
        ]);
        let e = Expr::text(&t);
        assert_eq!(
            e.to_hcl(),
            "\"arn:aws:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*\""
        );
        assert_eq!(
            e.to_json(),
            json!(
                "arn:aws:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"
            )
        );
        let lone = Expr::text(&Text(vec![Part::AccountId]));
        assert_eq!(lone.to_hcl(), ACCOUNT_ID_REF);
        assert_eq!(
            lone.to_json(),
            json!("${data.aws_caller_identity.current.account_id}")
        );
    }

    #[test]
    fn literal_segments_beside_references_are_escaped() {
        let e = Expr::Template(vec![
            Segment::Literal("a\"${b}".into()),
            Segment::Reference("data.x.y.z".into()),
        ]);
        assert_eq!(e.to_hcl(), r#""a\"$${b}${data.x.y.z}""#);
        assert_eq!(e.to_json(), json!("a\"$${b}${data.x.y.z}"));
    }

    #[test]
    fn booleans_and_lists() {
        let list = Expr::List(vec![Expr::string("a${b}"), Expr::Bool(true)]);
        assert_eq!(list.to_hcl(), r#"["a$${b}", true]"#);
        assert_eq!(list.to_json(), json!(["a$${b}", true]));
    }

    #[test]
    fn numbers_and_lone_strings() {
        assert_eq!(Expr::Number(3600).to_hcl(), "3600");
        assert_eq!(Expr::Number(3600).to_json(), json!(3600));
        assert_eq!(Expr::string("a${b}").to_hcl(), r#""a$${b}""#);
        assert_eq!(Expr::string("a${b}").to_json(), json!("a$${b}"));
    }
}

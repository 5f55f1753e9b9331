//! Policy documents compared by what IAM reads in them, not by their text: the
//! order of statements and of values, one value or a list of one, `Sid`s, the
//! `Version`, and the case of action names and condition keys (both case-insensitive
//! in IAM) do not count.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One statement reduced to its meaning: compact JSON with sorted keys and sets,
/// comparable and printable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Meaning(String);

impl Meaning {
    /// The statement as compact JSON, for a report.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// Every statement of a document, each reduced to its meaning, sorted.
pub fn statements(document: &Value) -> Vec<Meaning> {
    let list = match document.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    let mut out: Vec<Meaning> = list.iter().map(statement).collect();
    out.sort();
    out
}

/// What one document grants that the other does not, and the reverse: the
/// statements only in `spec`, and those only in `live` (as multisets).
pub fn difference(spec: &Value, live: &Value) -> (Vec<Meaning>, Vec<Meaning>) {
    let mut only_live = statements(live);
    let mut only_spec = Vec::new();
    for s in statements(spec) {
        match only_live.iter().position(|l| *l == s) {
            Some(i) => {
                only_live.remove(i);
            }
            None => only_spec.push(s),
        }
    }
    (only_spec, only_live)
}

fn statement(s: &Value) -> Meaning {
    let mut out = BTreeMap::new();
    let Value::Object(fields) = s else {
        return Meaning(s.to_string());
    };
    for (key, value) in fields {
        let value = match key.as_str() {
            "Sid" => continue,
            "Action" | "NotAction" => set(value, true),
            "Resource" | "NotResource" => set(value, false),
            "Principal" | "NotPrincipal" => principal(value),
            "Condition" => condition(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Meaning(serde_json::to_string(&out).unwrap_or_default())
}

/// A string or a list of them as a sorted set (lowercased for action names).
fn set(v: &Value, fold_case: bool) -> Value {
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let set: BTreeSet<String> = items
        .into_iter()
        .map(|i| {
            let s = match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if fold_case { s.to_lowercase() } else { s }
        })
        .collect();
    Value::Array(set.into_iter().map(Value::String).collect())
}

fn principal(v: &Value) -> Value {
    match v {
        Value::Object(types) => Value::Object(
            types
                .iter()
                .map(|(t, ids)| (t.clone(), set(ids, false)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        ),
        other => other.clone(),
    }
}

fn condition(v: &Value) -> Value {
    let Value::Object(operators) = v else {
        return v.clone();
    };
    let mut out = BTreeMap::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            out.insert(operator.clone(), keys.clone());
            continue;
        };
        let keys: BTreeMap<String, Value> = keys
            .iter()
            .map(|(k, values)| (k.to_lowercase(), set(values, false)))
            .collect();
        out.insert(operator.clone(), Value::Object(keys.into_iter().collect()));
    }
    Value::Object(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn order_single_values_and_sids_do_not_count() {
        let spec = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"]},
            {"Sid": "B", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::c/*"},
        ]});
        let live = json!({"Statement": [
            {"Effect": "Allow", "Action": ["S3:getobject", "s3:PutObject"], "Resource": "arn:aws:s3:::c/*"},
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
        ]});
        assert_eq!(difference(&spec, &live), (Vec::new(), Vec::new()));
    }

    #[test]
    fn a_changed_resource_is_a_difference_both_ways() {
        let spec = json!({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}});
        let live = json!({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/logs/*"}});
        let (only_spec, only_live) = difference(&spec, &live);
        assert_eq!((only_spec.len(), only_live.len()), (1, 1));
        assert!(only_live[0].text().contains("b/logs/*"));
    }

    #[test]
    fn a_statement_given_twice_counts_twice() {
        let s = json!({"Effect": "Allow", "Action": "a:b", "Resource": "*"});
        let spec = json!({"Statement": [s.clone()]});
        let live = json!({"Statement": [s.clone(), s]});
        assert_eq!(difference(&spec, &live).1.len(), 1);
    }
}

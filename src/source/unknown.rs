//! Unknown fields, every one of them (issue 26 item 5).
//!
//! serde stops at the first error, and `deny_unknown_fields` makes an unknown field
//! one, so a misspelt field hid every other error of the spec. Instead the spec is
//! read through `serde_ignored`, which hands over the path of each key the spec
//! types do not have and reads on without it; `Source::parse_all` makes each an
//! error at its key. What is unknown is decided by serde's own derive (the types
//! are the one definition), and the names a misspelling is compared with are the
//! same types' fields, read from their schemars schema.

use serde_ignored::Path;
use serde_json::Value;

use crate::spec::Spec;

/// An unknown field: the path of the mapping that holds it (`profiles[0]`) and its
/// key (`partitoin`), apart, since a key may hold a `.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub parent: String,
    pub key: String,
}

impl Field {
    /// The key `serde_ignored` reports at `path` (always a mapping's: the spec types
    /// have no tuples).
    pub(super) fn of(path: &Path) -> Field {
        match path {
            Path::Map { parent, key } => Field {
                parent: field_path(parent),
                key: key.clone(),
            },
            other => Field {
                parent: field_path(other),
                key: String::new(),
            },
        }
    }

    /// The field's path: `profiles[0].partitoin`.
    pub(super) fn path(&self) -> String {
        join(&self.parent, &self.key)
    }

    /// The error for it, worded as serde words it (`unknown field `x`, expected one
    /// of `a`, `b``), so that `SpecError::in_user_words` gives it the "did you mean"
    /// of every other unknown name.
    pub(super) fn message(&self) -> String {
        let key = &self.key;
        let names = fields_at(&self.parent);
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match quoted.as_slice() {
            [] => format!("unknown field `{key}`, there are no fields"),
            [one] => format!("unknown field `{key}`, expected {one}"),
            [a, b] => format!("unknown field `{key}`, expected {a} or {b}"),
            all => format!("unknown field `{key}`, expected one of {}", all.join(", ")),
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The spec's field path of a node `serde_ignored` reports: `profiles[0].s3`.
fn field_path(path: &Path) -> String {
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => join(&field_path(parent), key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

/// The fields of the spec type at `path` (`profiles[0].s3`), in their order.
pub(super) fn fields_at(path: &str) -> Vec<String> {
    let schema = schemars::schema_for!(Spec).to_value();
    let mut node = resolve(&schema, &schema);
    for segment in path.split(['.', '[']).filter(|s| !s.is_empty()) {
        let next = if segment.ends_with(']') {
            node.get("items")
        } else {
            node.get("properties").and_then(|p| p.get(segment))
        };
        match next {
            Some(next) => node = resolve(&schema, next),
            None => return Vec::new(),
        }
    }
    match node.get("properties").and_then(Value::as_object) {
        Some(properties) => properties.keys().cloned().collect(),
        None => Vec::new(),
    }
}

/// The schema a node stands for: its `$ref`'s definition, or the alternative of an
/// `Option` (`anyOf` with `null`) that is not `null`.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    if let Some(name) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        && let Some(def) = root.get("$defs").and_then(|d| d.get(name))
    {
        return resolve(root, def);
    }
    let alternatives = (node.get("anyOf").or_else(|| node.get("oneOf"))).and_then(Value::as_array);
    if let Some(some) = alternatives
        .into_iter()
        .flatten()
        .find(|a| a.get("type") != Some(&Value::from("null")))
    {
        return resolve(root, some);
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_of_each_spec_type_are_found_by_path() {
        let profile = fields_at("profiles[3]");
        assert_eq!(profile[..3], ["name", "kind", "description"]);
        assert!(profile.contains(&"parameter_store".to_string()));
        assert_eq!(
            fields_at("profiles[0].s3.buckets[1]"),
            ["name", "prefix", "encrypted", "cross_account"]
        );
        assert_eq!(fields_at("profiles[0].hybrid"), ["account_id", "region"]);
        assert!(fields_at("").contains(&"rollout".to_string()));
        assert!(fields_at("rollout").contains(&"iam_region".to_string()));
        assert!(
            fields_at("profiles[0].session_manager.s3_logging").contains(&"bucket".to_string())
        );
        assert!(fields_at("profiles[0].name").is_empty());
    }

    #[test]
    fn messages_are_worded_as_serde_words_them() {
        let field = |parent: &str, key: &str| Field {
            parent: parent.into(),
            key: key.into(),
        };
        assert_eq!(
            field("profiles[0].hybrid", "acount_id").message(),
            "unknown field `acount_id`, expected `account_id` or `region`"
        );
        assert!(
            field("", "verson")
                .message()
                .starts_with("unknown field `verson`, expected one of `version`, ")
        );
        // A key with a dot is one key of its mapping.
        let dotted = field("profiles[0]", "a.b");
        assert_eq!(dotted.path(), "profiles[0].a.b");
        assert!(dotted.message().contains("expected one of `name`, "));
    }
}

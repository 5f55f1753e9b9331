//! The `Context` in Terraform's JSON syntax. Terraform JSON has no place for comments
//! inside an expression, so policy documents live in `locals` (readable objects) and
//! resources `jsonencode` them; purposes and reasons go into `//` comment properties.

use serde_json::{Map, Value, json};

use super::context::{Attrs, Context, Tags};
use super::expr::Expr;
use crate::backend::document::{self, Spelling};
use crate::backend::hcl::tf_json_string;
use crate::model::Text;

/// Terraform JSON strings are templates: literals escape template openers; deploy-time
/// parts interpolate data sources.
struct TerraformJson;

impl Spelling for TerraformJson {
    fn literal(&self, s: &str) -> String {
        tf_json_string(s)
    }

    fn text(&self, t: &Text) -> Value {
        Expr::text(t).to_json()
    }
}

impl Context<'_> {
    /// The same configuration in Terraform's JSON syntax, as `text::pretty_json` would
    /// write the whole document, written a resource at a time: a fleet's document
    /// as one `serde_json::Value` tree was several times its 28 MB of text.
    pub fn json_text(&self) -> String {
        self.json_text_in(String::new())
    }

    /// `json_text`, written into `out` (empty, with room reserved).
    pub fn json_text_in(&self, mut out: String) -> String {
        let mut root = JsonObject::open(&mut out, 0);
        if self.provider_block {
            root.value("terraform", &provider_block(super::AWS_PROVIDER_VERSION));
        }
        if self.uses_account_id || self.uses_region {
            let mut data = root.object("data");
            if self.uses_account_id {
                data.value("aws_caller_identity", &json!({ "current": {} }));
            }
            if self.uses_region {
                data.value("aws_region", &json!({ "current": {} }));
            }
            data.close();
        }
        let profiles = &self.profiles;
        if profiles
            .iter()
            .any(|p| p.role.is_some() || !p.policies.is_empty())
        {
            let mut locals = root.object("locals");
            for p in profiles {
                if let Some(r) = &p.role {
                    let trust = document::trust_policy(r.trust.statement, &TerraformJson);
                    locals.value(&r.trust_local, &trust);
                }
                for policy in &p.policies {
                    let doc = document::policy_document(policy.statements, &TerraformJson);
                    locals.value(&policy.document_local, &doc);
                }
            }
            locals.close();
        }
        let mut resources = root.object("resource");
        resources.each("aws_iam_role", profiles.iter().flat_map(|p| &p.role), |r| {
            let mut body = attrs_json(&r.attrs);
            body.insert(
                "assume_role_policy".into(),
                json!(format!("${{jsonencode(local.{})}}", r.trust_local)),
            );
            insert_tags(&mut body, &r.tags);
            (&r.address, body)
        });
        resources.each(
            "aws_iam_policy",
            profiles.iter().flat_map(|p| &p.policies),
            |policy| {
                let mut body = Map::new();
                let purposes: Vec<String> = policy
                    .statements
                    .iter()
                    .map(|s| format!("{}: {}", s.sid, s.purpose))
                    .collect();
                body.insert("//".into(), json!(purposes.join("; ")));
                body.extend(attrs_json(&policy.attrs));
                body.insert(
                    "policy".into(),
                    json!(format!("${{jsonencode(local.{})}}", policy.document_local)),
                );
                insert_tags(&mut body, &policy.tags);
                (&policy.address, body)
            },
        );
        resources.each(
            "aws_iam_role_policy_attachment",
            profiles.iter().flat_map(|p| &p.attachments),
            |a| {
                let mut body = Map::new();
                body.insert("//".into(), json!(a.reason));
                body.extend(attrs_json(&a.attrs));
                (&a.address, body)
            },
        );
        resources.each(
            "aws_iam_instance_profile",
            profiles.iter().flat_map(|p| &p.instance_profile),
            |ip| {
                let mut body = attrs_json(&ip.attrs);
                insert_tags(&mut body, &ip.tags);
                (&ip.address, body)
            },
        );
        resources.each(
            "aws_ssm_service_setting",
            profiles.iter().flat_map(|p| &p.service_setting),
            |ss| {
                let mut body = Map::new();
                body.insert("//".into(), json!(ss.purpose));
                body.extend(attrs_json(&ss.attrs));
                body.insert("depends_on".into(), json!([ss.depends_on]));
                (&ss.address, body)
            },
        );
        resources.close();
        let mut outputs = profiles.iter().flat_map(|p| &p.outputs).peekable();
        if outputs.peek().is_some() {
            let mut object = root.object("output");
            for o in outputs {
                object.value(&o.name, &Value::Object(attrs_json(&o.attrs)));
            }
            object.close();
        }
        root.close();
        out.push('\n');
        out
    }
}

/// A JSON object being written into a document as `serde_json`'s pretty printer lays
/// it out (two spaces a level), an entry at a time. Keys are written as they come:
/// the configuration's addresses and local names are unique in their namespace
/// (`naming::Unique`), as a `Map` would have made them.
struct JsonObject<'a> {
    out: &'a mut String,
    /// How deep the object stands in the document (the root is 0).
    depth: usize,
    empty: bool,
}

impl<'a> JsonObject<'a> {
    fn open(out: &'a mut String, depth: usize) -> JsonObject<'a> {
        out.push('{');
        JsonObject {
            out,
            depth,
            empty: true,
        }
    }

    fn key(&mut self, key: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('\n');
        indent(self.out, self.depth + 1);
        self.out.push_str(&crate::text::json_string(key));
        self.out.push_str(": ");
    }

    fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        crate::text::pretty_json_nested(value, self.depth + 1, self.out);
    }

    fn object(&mut self, key: &str) -> JsonObject<'_> {
        self.key(key);
        JsonObject::open(self.out, self.depth + 1)
    }

    /// `key`: an object of one entry per item (address, body), left out when there
    /// is no item.
    fn each<'i, T: 'i>(
        &mut self,
        key: &str,
        items: impl Iterator<Item = &'i T>,
        entry: impl Fn(&'i T) -> (&'i String, Map<String, Value>),
    ) {
        let mut items = items.peekable();
        if items.peek().is_none() {
            return;
        }
        let mut object = self.object(key);
        for item in items {
            let (address, body) = entry(item);
            object.value(address, &Value::Object(body));
        }
        object.close();
    }

    fn close(self) {
        if !self.empty {
            self.out.push('\n');
            indent(self.out, self.depth);
        }
        self.out.push('}');
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `terraform { required_providers { aws = ... } }` in the JSON syntax.
pub(super) fn provider_block(version: &str) -> Value {
    json!({ "required_providers": { "aws": {
        "source": super::AWS_PROVIDER_SOURCE,
        "version": version,
    } } })
}

pub(super) fn attrs_json(attrs: &Attrs) -> Map<String, Value> {
    attrs
        .items
        .iter()
        .map(|a| (a.key.to_string(), a.value.to_json()))
        .collect()
}

fn insert_tags(body: &mut Map<String, Value>, tags: &Option<Tags>) {
    if let Some(tags) = tags {
        let map: Map<String, Value> = tags
            .items
            .iter()
            .map(|t| (tf_json_string(&t.key), json!(tf_json_string(&t.value))))
            .collect();
        body.insert("tags".into(), Value::Object(map));
    }
}

//! The `Context` in Terraform's JSON syntax. Terraform JSON has no place for comments
//! inside an expression, so policy documents live in `locals` (readable objects) and
//! resources `jsonencode` them; purposes and reasons go into `//` comment properties.

use serde_json::{Map, Value, json};

use super::context::{Attrs, Context, ProfileCtx, Tags};
use super::expr::Expr;
use crate::backend::document::{self, Spelling};
use crate::backend::emit::{PrettyJson, replay};
use crate::backend::hcl::tf_json_string;
use crate::model::Text;

/// Terraform JSON strings are templates: literals escape template openers; deploy-time
/// parts interpolate data sources.
struct TerraformJson;

impl Spelling for TerraformJson {
    fn literal<'s>(&self, s: &'s str) -> std::borrow::Cow<'s, str> {
        tf_json_string(s)
    }

    fn text(&self, t: &Text) -> Value {
        Expr::text(t).to_json()
    }
}

impl<'m> Context<'m> {
    /// The same configuration in Terraform's JSON syntax, as `text::pretty_json` would
    /// write the whole document, written a resource at a time: a fleet's document
    /// as one `serde_json::Value` tree was several times its 28 MB of text.
    pub fn json_text(&self) -> String {
        self.json_text_in(String::new(), self.profiles.iter().cloned())
    }

    /// `json_text` of this head (its own profiles left aside) and `profiles`, written
    /// into `out` (empty, with room reserved). Each profile's context is dropped once
    /// its entries are written: a fleet's contexts, held whole, spelled every
    /// resource of every statement in HCL too and were the peak of a build.
    pub fn json_text_in(
        &self,
        mut out: String,
        profiles: impl Iterator<Item = ProfileCtx<'m>>,
    ) -> String {
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
        // The locals come first and are most of the document: they go to `out`
        // itself, opened at the first; each other section is gathered on its own
        // and written after them, in the order of a whole `Context`.
        let mut locals = false;
        let mut sections: [Entries; RESOURCE_TYPES.len()] =
            std::array::from_fn(|_| Entries::new(3));
        let mut outputs = Entries::new(2);
        for p in profiles {
            if let Some(r) = &p.role {
                root.local(&mut locals, &r.trust_local, |e| {
                    document::write_trust_policy(r.trust.statement, &TerraformJson, e)
                });
            }
            for policy in &p.policies {
                root.local(&mut locals, &policy.document_local, |e| {
                    document::write_policy_document(policy.statements, &TerraformJson, e)
                });
            }
            write_resources(&p, &mut sections);
            for o in &p.outputs {
                outputs.value(&o.name, &Value::Object(attrs_json(&o.attrs)));
            }
        }
        if locals {
            root.nested(false).close();
        }
        let mut resources = root.object("resource");
        for (kind, entries) in RESOURCE_TYPES.iter().zip(&sections) {
            resources.entries(kind, entries);
        }
        resources.close();
        root.entries("output", &outputs);
        root.close();
        out.push('\n');
        out
    }
}

/// The resource types of the configuration, in the order the document lists them.
const RESOURCE_TYPES: [&str; 5] = [
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_ssm_service_setting",
];

/// A profile's resources, each added to its type's entries (`RESOURCE_TYPES`' order).
fn write_resources(p: &ProfileCtx, sections: &mut [Entries; RESOURCE_TYPES.len()]) {
    let [roles, policies, attachments, instance_profiles, settings] = sections;
    if let Some(r) = &p.role {
        let mut body = attrs_json(&r.attrs);
        body.insert(
            "assume_role_policy".into(),
            json!(format!("${{jsonencode(local.{})}}", r.trust_local)),
        );
        insert_tags(&mut body, &r.tags);
        roles.value(&r.address, &Value::Object(body));
    }
    for policy in &p.policies {
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
        policies.value(&policy.address, &Value::Object(body));
    }
    for a in &p.attachments {
        let mut body = Map::new();
        body.insert("//".into(), json!(a.reason));
        body.extend(attrs_json(&a.attrs));
        attachments.value(&a.address, &Value::Object(body));
    }
    if let Some(ip) = &p.instance_profile {
        let mut body = attrs_json(&ip.attrs);
        insert_tags(&mut body, &ip.tags);
        instance_profiles.value(&ip.address, &Value::Object(body));
    }
    if let Some(ss) = &p.service_setting {
        let mut body = Map::new();
        body.insert("//".into(), json!(ss.purpose));
        body.extend(attrs_json(&ss.attrs));
        body.insert("depends_on".into(), json!([ss.depends_on]));
        settings.value(&ss.address, &Value::Object(body));
    }
}

/// The entries of an object at `depth - 1` gathered apart from the document (as
/// `JsonObject` writes them, without the braces), to be written into it later.
struct Entries {
    text: String,
    depth: usize,
}

impl Entries {
    fn new(depth: usize) -> Entries {
        Entries {
            text: String::new(),
            depth,
        }
    }

    fn value(&mut self, key: &str, value: &Value) {
        let empty = self.text.is_empty();
        JsonObject {
            out: &mut self.text,
            depth: self.depth - 1,
            empty,
        }
        .value(key, value);
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
        self.emit(key, |e| replay(value, e));
    }

    /// `key` and the value `write` emits, written straight into the document.
    fn emit(&mut self, key: &str, write: impl FnOnce(&mut PrettyJson)) {
        self.key(key);
        let mut e = PrettyJson::nested(std::mem::take(self.out), self.depth + 1);
        write(&mut e);
        *self.out = e.into_inner();
    }

    fn object(&mut self, key: &str) -> JsonObject<'_> {
        self.key(key);
        JsonObject::open(self.out, self.depth + 1)
    }

    /// An entry of the `locals` object, opened (`opened`) at the first: it stays
    /// the last entry of this object until closed (`nested(false).close()`).
    fn local(&mut self, opened: &mut bool, key: &str, write: impl FnOnce(&mut PrettyJson)) {
        let first = !*opened;
        if first {
            self.key("locals");
            self.out.push('{');
            *opened = true;
        }
        self.nested(first).emit(key, write);
    }

    /// The object this one's last entry opened.
    fn nested(&mut self, empty: bool) -> JsonObject<'_> {
        JsonObject {
            out: self.out,
            depth: self.depth + 1,
            empty,
        }
    }

    /// `key`: an object holding `entries` (written at this object's depth + 2), left
    /// out when there is none.
    fn entries(&mut self, key: &str, entries: &Entries) {
        if entries.text.is_empty() {
            return;
        }
        debug_assert_eq!(entries.depth, self.depth + 2);
        let object = self.object(key);
        object.out.push_str(&entries.text);
        JsonObject {
            empty: false,
            ..object
        }
        .close();
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
            .map(|t| {
                (
                    tf_json_string(&t.key).into_owned(),
                    Value::String(tf_json_string(&t.value).into_owned()),
                )
            })
            .collect();
        body.insert("tags".into(), Value::Object(map));
    }
}

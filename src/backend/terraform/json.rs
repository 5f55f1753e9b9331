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

impl Context {
    /// The same configuration in Terraform's JSON syntax.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        if self.provider_block {
            root.insert("terraform".into(), provider_block());
        }
        let mut data = Map::new();
        if self.uses_account_id {
            data.insert("aws_caller_identity".into(), json!({ "current": {} }));
        }
        if self.uses_region {
            data.insert("aws_region".into(), json!({ "current": {} }));
        }
        if !data.is_empty() {
            root.insert("data".into(), Value::Object(data));
        }

        let mut locals = Map::new();
        let mut roles = Map::new();
        let mut policies = Map::new();
        let mut attachments = Map::new();
        let mut instance_profiles = Map::new();
        let mut service_settings = Map::new();
        let mut outputs = Map::new();
        for p in &self.profiles {
            if let Some(r) = &p.role {
                locals.insert(
                    r.trust_local.clone(),
                    document::trust_policy(&r.trust.statement, &TerraformJson),
                );
                let mut body = attrs_json(&r.attrs);
                body.insert(
                    "assume_role_policy".into(),
                    json!(format!("${{jsonencode(local.{})}}", r.trust_local)),
                );
                insert_tags(&mut body, &r.tags);
                roles.insert(r.address.clone(), Value::Object(body));
            }
            for policy in &p.policies {
                locals.insert(
                    policy.document_local.clone(),
                    document::policy_document(&policy.statements, &TerraformJson),
                );
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
                policies.insert(policy.address.clone(), Value::Object(body));
            }
            for a in &p.attachments {
                let mut body = Map::new();
                body.insert("//".into(), json!(a.reason));
                body.extend(attrs_json(&a.attrs));
                attachments.insert(a.address.clone(), Value::Object(body));
            }
            if let Some(ip) = &p.instance_profile {
                let mut body = attrs_json(&ip.attrs);
                insert_tags(&mut body, &ip.tags);
                instance_profiles.insert(ip.address.clone(), Value::Object(body));
            }
            if let Some(ss) = &p.service_setting {
                let mut body = Map::new();
                body.insert("//".into(), json!(ss.purpose));
                body.extend(attrs_json(&ss.attrs));
                body.insert("depends_on".into(), json!([ss.depends_on]));
                service_settings.insert(ss.address.clone(), Value::Object(body));
            }
            for o in &p.outputs {
                outputs.insert(o.name.clone(), Value::Object(attrs_json(&o.attrs)));
            }
        }
        if !locals.is_empty() {
            root.insert("locals".into(), Value::Object(locals));
        }
        let mut resources = Map::new();
        for (kind, map) in [
            ("aws_iam_role", roles),
            ("aws_iam_policy", policies),
            ("aws_iam_role_policy_attachment", attachments),
            ("aws_iam_instance_profile", instance_profiles),
            ("aws_ssm_service_setting", service_settings),
        ] {
            if !map.is_empty() {
                resources.insert(kind.into(), Value::Object(map));
            }
        }
        root.insert("resource".into(), Value::Object(resources));
        if !outputs.is_empty() {
            root.insert("output".into(), Value::Object(outputs));
        }
        Value::Object(root)
    }
}

/// `terraform { required_providers { aws = ... } }` in the JSON syntax.
pub(super) fn provider_block() -> Value {
    json!({ "required_providers": { "aws": {
        "source": super::AWS_PROVIDER_SOURCE,
        "version": super::AWS_PROVIDER_VERSION,
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

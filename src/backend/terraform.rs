//! Terraform: HCL rendered by a minijinja template, and Terraform JSON built as data,
//! both from one `Context` so the two formats cannot drift apart.
//!
//! Choices the model leaves to this backend:
//! - Partition: ARNs are written with the spec's partition as literals, exactly as
//!   the CloudFormation backend writes them, so both mean the same in any account.
//!   Deploy-time account and region (hybrid roles without `hybrid.account_id` /
//!   `hybrid.region`) come from `data.aws_caller_identity.current.account_id` and
//!   `data.aws_region.current.region`, declared only when used.
//! - Addresses are snake_case forms of the model's identifier stems; a collision
//!   (possible only through case, e.g. `SSMProfile` and `SsmProfile`) gets `_2`,
//!   `_3`, ... in spec order, so names stay stable while later profiles are added.
//! - Managed policy attachments are named after the policy (last ARN segment):
//!   `<profile>_amazon_ssm_managed_instance_core`. Custom policy attachments share
//!   the policy's address.
//! - The `terraform { required_providers }` block is emitted unless the caller asks
//!   for module use (`--no-provider-block`): a module must not pin providers.
//! - Terraform JSON has no place for comments inside an expression, so its policy
//!   documents live in `locals` (readable objects) and resources `jsonencode` them;
//!   statement purposes go into a `//` comment property of the policy resource.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::RenderOptions;
use super::hcl::tf_json_string;
use crate::model::{Kind, Model, POLICY_VERSION, Part, Profile, RoleRef, Text};

pub const TEMPLATE_NAME: &str = "terraform/main.tf.j2";
pub const TEMPLATE_SOURCE: &str = include_str!("../../templates/terraform/main.tf.j2");

pub const AWS_PROVIDER_SOURCE: &str = "hashicorp/aws";
/// 6.0 renamed `data.aws_region`'s `name` to `region`, which this output reads.
pub const AWS_PROVIDER_VERSION: &str = ">= 6.0";

const ACCOUNT_ID_REF: &str = "data.aws_caller_identity.current.account_id";
const REGION_REF: &str = "data.aws_region.current.region";

pub fn hcl(model: &Model, options: RenderOptions) -> Result<String, String> {
    let ctx = Context::new(model, options);
    let env = crate::templates::environment();
    let template = env
        .get_template(TEMPLATE_NAME)
        .map_err(|e| format!("internal error: {e}"))?;
    template
        .render(minijinja::value::Serde(&ctx))
        .map_err(|e| format!("internal error rendering {TEMPLATE_NAME}: {e:#}"))
}

pub fn json(model: &Model, options: RenderOptions) -> Result<String, String> {
    Ok(super::pretty_json(&Context::new(model, options).to_json()))
}

/// A value of an argument: a number, or a string that may interpolate references.
/// A string made of one reference is written as the bare reference in HCL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expr {
    Number { value: u32 },
    Template { segments: Vec<Segment> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Segment {
    Literal(String),
    Reference(String),
}

impl Expr {
    pub fn string(s: &str) -> Expr {
        Expr::Template {
            segments: vec![Segment::Literal(s.to_string())],
        }
    }

    pub fn reference(r: impl Into<String>) -> Expr {
        Expr::Template {
            segments: vec![Segment::Reference(r.into())],
        }
    }

    fn text(t: &Text) -> Expr {
        Expr::Template {
            segments: t
                .0
                .iter()
                .map(|p| match p {
                    Part::Literal(s) => Segment::Literal(s.clone()),
                    Part::AccountId => Segment::Reference(ACCOUNT_ID_REF.into()),
                    Part::Region => Segment::Reference(REGION_REF.into()),
                })
                .collect(),
        }
    }

    /// The HCL spelling: every literal segment through the one HCL escaper.
    pub fn to_hcl(&self) -> String {
        match self {
            Expr::Number { value } => value.to_string(),
            Expr::Template { segments } => match segments.as_slice() {
                [Segment::Reference(r)] => r.clone(),
                [Segment::Literal(s)] => super::hcl::hcl_string(s),
                _ => {
                    let mut out = String::from("\"");
                    for s in segments {
                        match s {
                            Segment::Literal(l) => {
                                out.push_str(&super::hcl::escape_template_literal(l))
                            }
                            Segment::Reference(r) => {
                                out.push_str("${");
                                out.push_str(r);
                                out.push('}');
                            }
                        }
                    }
                    out.push('"');
                    out
                }
            },
        }
    }

    /// The Terraform JSON spelling: a string template (or a number).
    pub fn to_json(&self) -> Value {
        match self {
            Expr::Number { value } => json!(value),
            Expr::Template { segments } => {
                let mut out = String::new();
                for s in segments {
                    match s {
                        Segment::Literal(l) => out.push_str(&tf_json_string(l)),
                        Segment::Reference(r) => {
                            out.push_str("${");
                            out.push_str(r);
                            out.push('}');
                        }
                    }
                }
                Value::String(out)
            }
        }
    }
}

/// One `key = value` argument on a single line.
#[derive(Debug, Clone, Serialize)]
pub struct Attr {
    pub key: &'static str,
    pub value: Expr,
}

/// `name` and, when the spec gives one, `path`: how every IAM resource opens.
fn name_and_path(name: &str, path: Option<&str>) -> Vec<Attr> {
    let mut items = vec![Attr {
        key: "name",
        value: Expr::string(name),
    }];
    if let Some(path) = path {
        items.push(Attr {
            key: "path",
            value: Expr::string(path),
        });
    }
    items
}

/// A run of single-line arguments, with the key width `terraform fmt` aligns `=` to.
#[derive(Debug, Clone, Serialize)]
pub struct Attrs {
    pub items: Vec<Attr>,
    pub width: usize,
}

impl Attrs {
    fn new(items: Vec<Attr>) -> Attrs {
        let width = items.iter().map(|a| a.key.len()).max().unwrap_or(0);
        Attrs { items, width }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagCtx {
    pub key: String,
    pub value: String,
}

/// A map of tags, with the width of the longest quoted key (for `=` alignment).
#[derive(Debug, Clone, Serialize)]
pub struct Tags {
    pub items: Vec<TagCtx>,
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub provider_block: bool,
    pub provider_source: &'static str,
    pub provider_version: &'static str,
    pub policy_version: &'static str,
    pub uses_account_id: bool,
    pub uses_region: bool,
    pub profiles: Vec<ProfileCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileCtx {
    pub name: String,
    pub kind: &'static str,
    pub role: Option<RoleCtx>,
    pub existing_role: Option<String>,
    pub policies: Vec<PolicyCtx>,
    pub attachments: Vec<AttachmentCtx>,
    pub instance_profile: Option<InstanceProfileCtx>,
    pub outputs: Vec<OutputCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleCtx {
    pub address: String,
    pub attrs: Attrs,
    pub trust: TrustCtx,
    /// Name of the JSON local holding the trust policy.
    pub trust_local: String,
    pub tags: Option<Tags>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrustCtx {
    pub purpose: String,
    pub sid: String,
    pub service: String,
    /// Conditions grouped by operator, in model order.
    pub conditions: Vec<ConditionGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionGroup {
    pub operator: String,
    pub entries: Vec<ConditionEntry>,
    /// Width of the longest quoted key, for `=` alignment.
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionEntry {
    pub key: String,
    pub value: Expr,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyCtx {
    pub address: String,
    pub attrs: Attrs,
    pub statements: Vec<StatementCtx>,
    /// Name of the JSON local holding the policy document.
    pub document_local: String,
    pub tags: Option<Tags>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementCtx {
    pub purpose: String,
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentCtx {
    pub address: String,
    /// Why the policy is attached (a comment).
    pub reason: String,
    pub attrs: Attrs,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceProfileCtx {
    pub address: String,
    pub attrs: Attrs,
    pub tags: Option<Tags>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutputCtx {
    pub name: String,
    pub attrs: Attrs,
}

/// Hands out unique Terraform names within one namespace, first come first served.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.0.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.0.insert(name.clone());
        name
    }
}

/// `SSMInstanceProfileS3Policy` -> `ssm_instance_profile_s3_policy`. A new word
/// starts at an upper-case letter after a lower-case letter or digit, at the last
/// capital of an acronym followed by lower case, and at any non-alphanumeric run.
pub fn snake_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && !out.is_empty() && !out.ends_with('_') {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        format!("p_{out}")
    } else {
        out
    }
}

fn tags_of(p: &Profile) -> Option<Tags> {
    if p.tags.is_empty() {
        return None;
    }
    Some(Tags {
        width: p
            .tags
            .iter()
            .map(|t| super::hcl::hcl_string(&t.key).chars().count())
            .max()
            .unwrap_or(0),
        items: p
            .tags
            .iter()
            .map(|t| TagCtx {
                key: t.key.clone(),
                value: t.value.clone(),
            })
            .collect(),
    })
}

fn trust_purpose(kind: Kind) -> &'static str {
    match kind {
        Kind::InstanceProfile => {
            "EC2 assumes this role for the instances that carry the instance profile"
        }
        Kind::HybridServiceRole => {
            "hybrid environment: Systems Manager assumes this role for on-premises servers, only for this account and region (confused-deputy conditions)"
        }
    }
}

fn policy_name_of_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

impl Context {
    pub fn new(model: &Model, options: RenderOptions) -> Context {
        let mut profile_names = Names::default();
        let mut policy_names = Names::default();
        let mut attachment_names = Names::default();
        let mut output_names = Names::default();
        let mut uses_account_id = false;
        let mut uses_region = false;
        let mut profiles = Vec::new();

        for p in &model.profiles {
            let address = profile_names.claim(&snake_case(&p.id));
            let tags = tags_of(p);
            let (role, existing_role, role_name_expr) = match &p.role {
                RoleRef::Create(r) => {
                    let mut items = name_and_path(&r.name, r.path.as_deref());
                    if let Some(d) = &r.description {
                        items.push(Attr {
                            key: "description",
                            value: Expr::string(d),
                        });
                    }
                    if let Some(b) = &r.permissions_boundary {
                        items.push(Attr {
                            key: "permissions_boundary",
                            value: Expr::string(b),
                        });
                    }
                    if let Some(s) = r.max_session_duration {
                        items.push(Attr {
                            key: "max_session_duration",
                            value: Expr::Number { value: s },
                        });
                    }
                    let mut groups: Vec<ConditionGroup> = Vec::new();
                    for c in &r.trust.conditions {
                        for part in &c.value.0 {
                            match part {
                                Part::AccountId => uses_account_id = true,
                                Part::Region => uses_region = true,
                                Part::Literal(_) => {}
                            }
                        }
                        let entry = ConditionEntry {
                            key: c.key.to_string(),
                            value: Expr::text(&c.value),
                        };
                        let width = super::hcl::hcl_string(&entry.key).chars().count();
                        match groups.iter_mut().find(|g| g.operator == c.operator) {
                            Some(g) => {
                                g.width = g.width.max(width);
                                g.entries.push(entry);
                            }
                            None => groups.push(ConditionGroup {
                                operator: c.operator.to_string(),
                                entries: vec![entry],
                                width,
                            }),
                        }
                    }
                    let role = RoleCtx {
                        address: address.clone(),
                        attrs: Attrs::new(items),
                        trust: TrustCtx {
                            purpose: trust_purpose(p.kind).to_string(),
                            sid: r.trust.sid.to_string(),
                            service: r.trust.service.clone(),
                            conditions: groups,
                        },
                        trust_local: format!("{address}_trust_policy"),
                        tags: tags.clone(),
                    };
                    (
                        Some(role),
                        None,
                        Expr::reference(format!("aws_iam_role.{address}.name")),
                    )
                }
                RoleRef::Existing { name } => (None, Some(name.clone()), Expr::string(name)),
            };

            let mut attachments = Vec::new();
            for m in &p.managed_policies {
                let base = format!("{address}_{}", snake_case(policy_name_of_arn(&m.arn)));
                attachments.push(AttachmentCtx {
                    address: attachment_names.claim(&base),
                    reason: m.reason.clone(),
                    attrs: Attrs::new(vec![
                        Attr {
                            key: "role",
                            value: role_name_expr.clone(),
                        },
                        Attr {
                            key: "policy_arn",
                            value: Expr::string(&m.arn),
                        },
                    ]),
                });
            }

            let mut policies = Vec::new();
            for c in &p.custom_policies {
                let policy_address = policy_names.claim(&snake_case(&c.id));
                let items = name_and_path(&c.name, c.path.as_deref());
                policies.push(PolicyCtx {
                    address: policy_address.clone(),
                    attrs: Attrs::new(items),
                    statements: c
                        .statements
                        .iter()
                        .map(|s| StatementCtx {
                            purpose: s.purpose.clone(),
                            sid: s.sid.clone(),
                            actions: s.actions.clone(),
                            resources: s.resources.clone(),
                        })
                        .collect(),
                    document_local: format!("{policy_address}_document"),
                    tags: tags.clone(),
                });
                attachments.push(AttachmentCtx {
                    address: attachment_names.claim(&policy_address),
                    reason: format!("the policy {} written above", c.name),
                    attrs: Attrs::new(vec![
                        Attr {
                            key: "role",
                            value: role_name_expr.clone(),
                        },
                        Attr {
                            key: "policy_arn",
                            value: Expr::reference(format!("aws_iam_policy.{policy_address}.arn")),
                        },
                    ]),
                });
            }

            let instance_profile = p.instance_profile.as_ref().map(|ip| {
                let mut items = name_and_path(&ip.name, ip.path.as_deref());
                items.push(Attr {
                    key: "role",
                    value: role_name_expr.clone(),
                });
                InstanceProfileCtx {
                    address: address.clone(),
                    attrs: Attrs::new(items),
                    tags: tags.clone(),
                }
            });

            let mut outputs = Vec::new();
            let mut output = |suffix: &str, description: String, value: String| {
                outputs.push(OutputCtx {
                    name: output_names.claim(&format!("{address}_{suffix}")),
                    attrs: Attrs::new(vec![
                        Attr {
                            key: "description",
                            value: Expr::string(&description),
                        },
                        Attr {
                            key: "value",
                            value: Expr::reference(value),
                        },
                    ]),
                });
            };
            if let Some(r) = &role {
                output(
                    "role_arn",
                    format!("ARN of the role {}", p.role.name()),
                    format!("aws_iam_role.{}.arn", r.address),
                );
            }
            if let Some(ip) = &p.instance_profile {
                output(
                    "instance_profile_name",
                    format!(
                        "Name of the instance profile {}, for launching EC2 instances",
                        ip.name
                    ),
                    format!("aws_iam_instance_profile.{address}.name"),
                );
                output(
                    "instance_profile_arn",
                    format!("ARN of the instance profile {}", ip.name),
                    format!("aws_iam_instance_profile.{address}.arn"),
                );
            }

            profiles.push(ProfileCtx {
                name: p.name.clone(),
                kind: match p.kind {
                    Kind::InstanceProfile => "instance profile",
                    Kind::HybridServiceRole => "hybrid service role",
                },
                role,
                existing_role,
                policies,
                attachments,
                instance_profile,
                outputs,
            });
        }

        Context {
            provider_block: options.terraform_provider_block,
            provider_source: AWS_PROVIDER_SOURCE,
            provider_version: AWS_PROVIDER_VERSION,
            policy_version: POLICY_VERSION,
            uses_account_id,
            uses_region,
            profiles,
        }
    }

    /// The same configuration in Terraform's JSON syntax.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        if self.provider_block {
            root.insert(
                "terraform".into(),
                json!({ "required_providers": { "aws": {
                    "source": self.provider_source,
                    "version": self.provider_version,
                } } }),
            );
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
        let mut outputs = Map::new();
        for p in &self.profiles {
            if let Some(r) = &p.role {
                locals.insert(r.trust_local.clone(), trust_document_json(&r.trust));
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
                    policy_document_json(&policy.statements),
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

fn attrs_json(attrs: &Attrs) -> Map<String, Value> {
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

fn one_or_many(items: &[String]) -> Value {
    match items {
        [one] => json!(tf_json_string(one)),
        _ => Value::Array(items.iter().map(|s| json!(tf_json_string(s))).collect()),
    }
}

fn trust_document_json(t: &TrustCtx) -> Value {
    let mut statement = Map::new();
    statement.insert("Sid".into(), json!(tf_json_string(&t.sid)));
    statement.insert("Effect".into(), json!("Allow"));
    statement.insert(
        "Principal".into(),
        json!({ "Service": tf_json_string(&t.service) }),
    );
    statement.insert("Action".into(), json!("sts:AssumeRole"));
    if !t.conditions.is_empty() {
        let mut condition = Map::new();
        for g in &t.conditions {
            let entries: Map<String, Value> = g
                .entries
                .iter()
                .map(|e| (tf_json_string(&e.key), e.value.to_json()))
                .collect();
            condition.insert(tf_json_string(&g.operator), Value::Object(entries));
        }
        statement.insert("Condition".into(), Value::Object(condition));
    }
    json!({ "Version": POLICY_VERSION, "Statement": [statement] })
}

fn policy_document_json(statements: &[StatementCtx]) -> Value {
    let statements: Vec<Value> = statements
        .iter()
        .map(|s| {
            json!({
                "Sid": tf_json_string(&s.sid),
                "Effect": "Allow",
                "Action": one_or_many(&s.actions),
                "Resource": one_or_many(&s.resources),
            })
        })
        .collect();
    json!({ "Version": POLICY_VERSION, "Statement": statements })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_words_acronyms_and_digits() {
        for (id, expected) in [
            ("SSMInstanceProfile", "ssm_instance_profile"),
            (
                "SSMInstanceProfileS3Policy",
                "ssm_instance_profile_s3_policy",
            ),
            (
                "AmazonSSMManagedInstanceCore",
                "amazon_ssm_managed_instance_core",
            ),
            (
                "CloudWatchAgentServerPolicy",
                "cloud_watch_agent_server_policy",
            ),
            (
                "AmazonInspector2ManagedCispolicy",
                "amazon_inspector2_managed_cispolicy",
            ),
            ("WebTier", "web_tier"),
            ("P1st", "p1st"),
            ("my-policy.v2", "my_policy_v2"),
            ("Ops_Extras", "ops_extras"),
            ("9lives", "p_9lives"),
        ] {
            assert_eq!(snake_case(id), expected, "{id}");
        }
    }

    #[test]
    fn names_are_disambiguated_in_claim_order() {
        let mut names = Names::default();
        assert_eq!(names.claim("ssm"), "ssm");
        assert_eq!(names.claim("ssm"), "ssm_2");
        assert_eq!(names.claim("ssm"), "ssm_3");
        assert_eq!(names.claim("other"), "other");
    }

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
        let e = Expr::Template {
            segments: vec![
                Segment::Literal("a\"${b}".into()),
                Segment::Reference("data.x.y.z".into()),
            ],
        };
        assert_eq!(e.to_hcl(), r#""a\"$${b}${data.x.y.z}""#);
        assert_eq!(e.to_json(), json!("a\"$${b}${data.x.y.z}"));
    }
}

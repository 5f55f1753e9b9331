//! The one `Context` both Terraform syntaxes are written from: what the configuration
//! declares, with every address chosen and every HCL value spelled (`Attr::hcl`), so
//! the HCL template only lays it out and `json` only re-spells it.

use serde::Serialize;

use super::expr::Expr;
use super::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION};
use crate::backend::RenderOptions;
use crate::backend::describe::{self, Attribute, Resource};
use crate::backend::hcl::hcl_string;
use crate::backend::naming::{Unique, snake_case};
use crate::model::Kind;
use crate::model::{Model, POLICY_VERSION, Part, Profile, RoleRef, Statement, TrustStatement};

/// One `key = value` argument on a single line.
#[derive(Debug, Clone, Serialize)]
pub struct Attr {
    pub key: &'static str,
    /// The value, for Terraform JSON.
    #[serde(skip)]
    pub value: Expr,
    /// The value as HCL, for the template.
    pub hcl: String,
}

impl Attr {
    fn new(key: &'static str, value: Expr) -> Attr {
        Attr {
            key,
            hcl: value.to_hcl(),
            value,
        }
    }
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
    pub purpose: &'static str,
    pub statement: TrustStatement,
    /// The statement's conditions grouped by operator, in model order, for HCL.
    pub conditions: Vec<ConditionGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionGroup {
    pub operator: &'static str,
    pub entries: Vec<ConditionEntry>,
    /// Width of the longest quoted key, for `=` alignment.
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionEntry {
    pub key: &'static str,
    /// The value as HCL.
    pub hcl: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyCtx {
    pub address: String,
    pub attrs: Attrs,
    pub statements: Vec<Statement>,
    /// Name of the JSON local holding the policy document.
    pub document_local: String,
    pub tags: Option<Tags>,
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

/// The namespaces Terraform names live in, each handing out unique names.
struct Names {
    profiles: Unique,
    policies: Unique,
    attachments: Unique,
    outputs: Unique,
}

impl Context {
    pub fn new(model: &Model, options: RenderOptions) -> Context {
        let mut names = Names {
            profiles: Unique::new("_"),
            policies: Unique::new("_"),
            attachments: Unique::new("_"),
            outputs: Unique::new("_"),
        };
        let deploy_time_parts = || {
            model.profiles.iter().flat_map(|p| match &p.role {
                RoleRef::Create(r) => r.trust.conditions.iter().flat_map(|c| &c.value.0).collect(),
                RoleRef::Existing { .. } => Vec::new(),
            })
        };
        Context {
            provider_block: options.terraform_provider_block,
            provider_source: AWS_PROVIDER_SOURCE,
            provider_version: AWS_PROVIDER_VERSION,
            policy_version: POLICY_VERSION,
            uses_account_id: deploy_time_parts().any(|p| *p == Part::AccountId),
            uses_region: deploy_time_parts().any(|p| *p == Part::Region),
            profiles: model
                .profiles
                .iter()
                .map(|p| profile_ctx(p, &mut names))
                .collect(),
        }
    }
}

fn profile_ctx(p: &Profile, names: &mut Names) -> ProfileCtx {
    let address = names.profiles.claim(&snake_case(&p.id));
    let tags = tags_of(p);
    let (role, existing_role, role_name) = match &p.role {
        RoleRef::Create(r) => {
            let mut items = name_and_path(&r.name, r.path.as_deref());
            if let Some(d) = &r.description {
                items.push(Attr::new("description", Expr::string(d)));
            }
            if let Some(b) = &r.permissions_boundary {
                items.push(Attr::new("permissions_boundary", Expr::string(b)));
            }
            if let Some(s) = r.max_session_duration {
                items.push(Attr::new("max_session_duration", Expr::Number(s)));
            }
            let role = RoleCtx {
                address: address.clone(),
                attrs: Attrs::new(items),
                trust: trust_ctx(p.kind, &r.trust),
                trust_local: format!("{address}_trust_policy"),
                tags: tags.clone(),
            };
            let name = Expr::reference(format!("aws_iam_role.{address}.name"));
            (Some(role), None, name)
        }
        RoleRef::Existing { name } => (None, Some(name.clone()), Expr::string(name)),
    };
    let attach = |address: String, reason: String, policy_arn: Expr| AttachmentCtx {
        address,
        reason,
        attrs: Attrs::new(vec![
            Attr::new("role", role_name.clone()),
            Attr::new("policy_arn", policy_arn),
        ]),
    };

    let mut attachments = Vec::new();
    for m in &p.managed_policies {
        let base = format!("{address}_{}", snake_case(policy_name_of_arn(&m.arn)));
        let address = names.attachments.claim(&base);
        attachments.push(attach(address, m.reason.clone(), Expr::string(&m.arn)));
    }

    let mut policies = Vec::new();
    for c in &p.custom_policies {
        let policy_address = names.policies.claim(&snake_case(&c.id));
        policies.push(PolicyCtx {
            address: policy_address.clone(),
            attrs: Attrs::new(name_and_path(&c.name, c.path.as_deref())),
            statements: c.statements.clone(),
            document_local: format!("{policy_address}_document"),
            tags: tags.clone(),
        });
        attachments.push(attach(
            names.attachments.claim(&policy_address),
            format!("the policy {} written above", c.name),
            Expr::reference(format!("aws_iam_policy.{policy_address}.arn")),
        ));
    }

    let instance_profile = p.instance_profile.as_ref().map(|ip| {
        let mut items = name_and_path(&ip.name, ip.path.as_deref());
        items.push(Attr::new("role", role_name.clone()));
        InstanceProfileCtx {
            address: address.clone(),
            attrs: Attrs::new(items),
            tags: tags.clone(),
        }
    });

    let outputs = describe::stack_outputs(p)
        .into_iter()
        .map(|o| {
            let resource = match o.resource {
                Resource::Role => "aws_iam_role",
                Resource::InstanceProfile => "aws_iam_instance_profile",
            };
            let attribute = match o.attribute {
                Attribute::Arn => "arn",
                Attribute::Name => "name",
            };
            OutputCtx {
                name: names
                    .outputs
                    .claim(&format!("{address}_{}", snake_case(o.suffix()))),
                attrs: Attrs::new(vec![
                    Attr::new("description", Expr::string(&o.description)),
                    Attr::new(
                        "value",
                        Expr::reference(format!("{resource}.{address}.{attribute}")),
                    ),
                ]),
            }
        })
        .collect();

    ProfileCtx {
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
    }
}

/// `name` and, when the spec gives one, `path`: how every IAM resource opens.
fn name_and_path(name: &str, path: Option<&str>) -> Vec<Attr> {
    let mut items = vec![Attr::new("name", Expr::string(name))];
    if let Some(path) = path {
        items.push(Attr::new("path", Expr::string(path)));
    }
    items
}

fn trust_ctx(kind: Kind, trust: &TrustStatement) -> TrustCtx {
    let mut groups: Vec<ConditionGroup> = Vec::new();
    for c in &trust.conditions {
        let entry = ConditionEntry {
            key: c.key,
            hcl: Expr::text(&c.value).to_hcl(),
        };
        let width = hcl_string(entry.key).chars().count();
        match groups.iter_mut().find(|g| g.operator == c.operator) {
            Some(g) => {
                g.width = g.width.max(width);
                g.entries.push(entry);
            }
            None => groups.push(ConditionGroup {
                operator: c.operator,
                entries: vec![entry],
                width,
            }),
        }
    }
    TrustCtx {
        purpose: trust_purpose(kind),
        statement: trust.clone(),
        conditions: groups,
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
            .map(|t| hcl_string(&t.key).chars().count())
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

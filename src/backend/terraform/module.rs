//! `--layout module`: the configuration as a module users call, a folder per spec.
//!
//! `main.tf` is the root configuration's template over the same `Context`, built with
//! `Layout::Module`: every resource counts on the `create` input, names start with
//! `name_prefix`, and path, permissions boundary and tags read their inputs.
//! `Inputs` decides those inputs from the model: each has a type, a description, the
//! spec's value as its default, and a validation wherever the compiler has a rule
//! (IAM's name, path, ARN and tag rules, the quota of policies per role). What only
//! the spec decides (the grants, the regions, the managed policies it selects) stays
//! literal in `main.tf`.
//!
//! The language is what Terraform (>= 1.0) and OpenTofu both read: the blocks and
//! functions used are on the allow-list of `tests/terraform_module.rs`. The README's
//! inputs and outputs are written in terraform-docs' format (`markdown table`),
//! between its markers, so running terraform-docs over the folder changes nothing.

use serde::Serialize;
use serde_json::{Value, json};

use super::expr::Expr;
use crate::backend::hcl::hcl_string;
use crate::model::{Model, Profile, RoleRef, Statement};
use crate::refdata::limits;
use crate::refdata::rules::{self, policy_arn_pattern};

/// The oldest Terraform that reads the module: `one()` came in 0.15, validation
/// blocks in 0.13. Every OpenTofu release (1.6 on) satisfies it.
pub const REQUIRED_VERSION: &str = ">= 1.0";

/// Every file of the module folder, in the order the folder lists them.
pub const FILES: &[(&str, &str)] = &[
    ("versions.tf", "terraform/versions.tf.j2"),
    ("variables.tf", "terraform/variables.tf.j2"),
    ("main.tf", super::TEMPLATE_NAME),
    ("outputs.tf", "terraform/outputs.tf.j2"),
    ("examples/basic/main.tf", "terraform/example.tf.j2"),
    ("README.md", "terraform/README.md.j2"),
];

/// The paths of `FILES`, in order: the module's files, before they are rendered.
pub fn paths() -> Vec<&'static str> {
    FILES.iter().map(|(path, _)| *path).collect()
}

/// One input variable.
#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    pub name: &'static str,
    pub description: String,
    /// The type constraint as HCL.
    pub type_hcl: &'static str,
    /// The spec's value: a string, null, a bool, or an empty list or map.
    pub default: Value,
    pub validations: Vec<Validation>,
}

impl Variable {
    /// The default as HCL.
    pub fn default_hcl(&self) -> String {
        match &self.default {
            Value::String(s) => hcl_string(s),
            Value::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => hcl_string(s),
                        other => other.to_string(),
                    })
                    .collect();
                format!("[{}]", items.join(", "))
            }
            other => other.to_string(),
        }
    }

    /// The default as terraform-docs shows it: JSON, in a table cell.
    pub fn default_doc(&self) -> String {
        self.default.to_string().replace('|', "\\|")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The condition as HCL (it reads only its own variable, as Terraform 1.0 requires).
    pub condition: String,
    /// A sentence (Terraform 1.0 wants an upper-case start and a full stop).
    pub error_message: String,
}

/// The module's inputs, and how the resources of each profile read them.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Per profile: its resources' `path`.
    paths: Vec<Expr>,
    /// Per profile: its role's `permissions_boundary`.
    boundaries: Vec<Expr>,
    /// Per profile with `parameter_store`: its `readable` entries as HCL.
    readable: Vec<Option<String>>,
    pub variables: Vec<Variable>,
}

/// One value per profile: the same for all (the default is that value), or not (the
/// default is null, and each profile falls back to its own).
enum Shared<'a> {
    All(Option<&'a str>),
    Differ,
}

fn shared<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Option<Shared<'a>> {
    let values: Vec<Option<&str>> = values.collect();
    let first = *values.first()?;
    Some(if values.iter().all(|v| *v == first) {
        Shared::All(first)
    } else {
        Shared::Differ
    })
}

/// The path of the resources a profile creates (role, policies, instance profile:
/// the model gives them the spec's one path); `None` when it creates none of them.
fn profile_path(p: &Profile) -> Option<Option<&str>> {
    if let RoleRef::Create(r) = &p.role {
        return Some(r.path.as_deref());
    }
    if let Some(ip) = &p.instance_profile {
        return Some(ip.path.as_deref());
    }
    p.custom_policies.first().map(|c| c.path.as_deref())
}

fn boundary_of(p: &Profile) -> Option<Option<&str>> {
    match &p.role {
        RoleRef::Create(r) => Some(r.permissions_boundary.as_deref()),
        RoleRef::Existing { .. } => None,
    }
}

/// `(a|b)` of the partitions' ARN ids, or the one id.
fn partitions_pattern(model: &Model) -> String {
    let mut ids: Vec<&str> = model.profiles.iter().map(|p| p.arn_partition).collect();
    ids.dedup();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() == 1 {
        ids[0].to_string()
    } else {
        format!("({})", ids.join("|"))
    }
}

fn list_hcl(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| hcl_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn code(s: &str) -> String {
    format!("`{s}`")
}

impl Inputs {
    pub fn new(model: &Model) -> Inputs {
        let mut variables = vec![Variable {
            name: "create",
            description: "Whether to create the resources of this module; false creates none, and every output is null".into(),
            type_hcl: "bool",
            default: json!(true),
            validations: Vec::new(),
        }];

        // name_prefix: as long as the tightest of IAM's name limits allows.
        let mut names: Vec<(&str, usize)> = Vec::new();
        for p in &model.profiles {
            if let RoleRef::Create(r) = &p.role {
                names.push((&r.name, rules::ROLE_NAME.max()));
            }
            for c in &p.custom_policies {
                names.push((&c.name, rules::POLICY_NAME.max()));
            }
            if let Some(ip) = &p.instance_profile {
                names.push((&ip.name, rules::INSTANCE_PROFILE_NAME.max()));
            }
        }
        let tightest = names
            .iter()
            .map(|(n, max)| (*n, *max, max.saturating_sub(n.chars().count())))
            .min_by_key(|(_, _, room)| *room);
        if let Some((name, max, room)) = tightest {
            let existing: Vec<String> = model
                .profiles
                .iter()
                .filter_map(|p| match &p.role {
                    RoleRef::Existing { name } => Some(code(name)),
                    RoleRef::Create(_) => None,
                })
                .collect();
            let keeps = if existing.is_empty() {
                String::new()
            } else {
                format!(
                    " (the existing role {} keeps its name)",
                    existing.join(", ")
                )
            };
            variables.push(Variable {
                name: "name_prefix",
                description: format!(
                    "Text put before the name of every role, policy and instance profile this module creates{keeps}: at most {room} characters of letters, digits and {}",
                    code("_+=,.@-")
                ),
                type_hcl: "string",
                default: json!(""),
                validations: vec![Validation {
                    condition: format!(
                        "length(var.name_prefix) <= {room} && can(regex({}, var.name_prefix))",
                        hcl_string(&format!("^{}*$", rules::IAM_NAME_CHARS.re2()))
                    ),
                    error_message: format!(
                        "The name_prefix must be at most {room} characters (the name {name} leaves {room} of the {max} IAM allows) of {}.",
                        rules::ROLE_NAME.words
                    ),
                }],
            });
        }

        // path
        let path_condition = |var: &str| {
            format!(
                "try(length({var}) <= {} && can(regex({}, {var})), false)",
                rules::PATH.max,
                hcl_string(&rules::PATH.re2_pattern())
            )
        };
        let path_message = format!(
            "The path must be / or segments of {} each between slashes (as /platform/ssm/), at most {} characters.",
            rules::PATH.words,
            rules::PATH.max
        );
        let paths = match shared(model.profiles.iter().filter_map(|p| profile_path(p))) {
            None => vec![Expr::reference("var.path"); model.profiles.len()],
            Some(Shared::All(path)) => {
                variables.push(Variable {
                    name: "path",
                    description:
                        "IAM path of every role, policy and instance profile this module creates"
                            .into(),
                    type_hcl: "string",
                    default: json!(path.unwrap_or("/")),
                    validations: vec![Validation {
                        condition: path_condition("var.path"),
                        error_message: path_message.clone(),
                    }],
                });
                vec![Expr::reference("var.path"); model.profiles.len()]
            }
            Some(Shared::Differ) => {
                variables.push(Variable {
                    name: "path",
                    description: "IAM path of every role, policy and instance profile this module creates; null keeps the path the spec gives each profile".into(),
                    type_hcl: "string",
                    default: Value::Null,
                    validations: vec![Validation {
                        condition: format!("var.path == null || {}", path_condition("var.path")),
                        error_message: path_message.clone(),
                    }],
                });
                model
                    .profiles
                    .iter()
                    .map(|p| {
                        let own = profile_path(p).flatten().unwrap_or("/");
                        Expr::reference(format!("coalesce(var.path, {})", hcl_string(own)))
                    })
                    .collect()
            }
        };

        // permissions_boundary
        let boundary_condition = format!(
            "var.permissions_boundary == null || can(regex({}, var.permissions_boundary))",
            hcl_string(&policy_arn_pattern(&partitions_pattern(model)))
        );
        let boundary_message = format!(
            "The permissions_boundary must be null or the ARN of a managed policy of partition {}.",
            partitions_pattern(model)
        );
        let boundary_description = "ARN of the managed policy that bounds the permissions of every role this module creates; null sets no boundary";
        let boundaries = match shared(model.profiles.iter().filter_map(|p| boundary_of(p))) {
            None => Vec::new(),
            Some(shared) => {
                let (default, description, exprs) = match shared {
                    Shared::All(b) => (
                        b.map_or(Value::Null, |b| json!(b)),
                        boundary_description.to_string(),
                        vec![Expr::reference("var.permissions_boundary"); model.profiles.len()],
                    ),
                    Shared::Differ => (
                        Value::Null,
                        format!(
                            "{boundary_description}; null keeps the boundary the spec gives each profile"
                        ),
                        model
                            .profiles
                            .iter()
                            .map(|p| match boundary_of(p).flatten() {
                                Some(b) => Expr::reference(format!(
                                    "coalesce(var.permissions_boundary, {})",
                                    hcl_string(b)
                                )),
                                None => Expr::reference("var.permissions_boundary"),
                            })
                            .collect(),
                    ),
                };
                variables.push(Variable {
                    name: "permissions_boundary",
                    description,
                    type_hcl: "string",
                    default,
                    validations: vec![Validation {
                        condition: boundary_condition,
                        error_message: boundary_message,
                    }],
                });
                exprs
            }
        };

        // tags: merged over each profile's spec tags.
        let mut spec_keys: Vec<String> = model
            .profiles
            .iter()
            .flat_map(|p| p.tags.iter().map(|t| t.key.clone()))
            .collect();
        spec_keys.sort();
        spec_keys.dedup();
        let (count_condition, count_message) = if spec_keys.is_empty() {
            (
                format!("length(var.tags) <= {}", limits::TAGS_MAX),
                format!("At most {} tags are allowed.", limits::TAGS_MAX),
            )
        } else {
            (
                format!(
                    "length(setunion(keys(var.tags), {})) <= {}",
                    list_hcl(&spec_keys),
                    limits::TAGS_MAX
                ),
                format!(
                    "With the spec's tags, at most {} tags are allowed on a resource.",
                    limits::TAGS_MAX
                ),
            )
        };
        variables.push(Variable {
            name: "tags",
            description: "Tags for every resource this module creates, merged over the spec's tags (a key given here wins)".into(),
            type_hcl: "map(string)",
            default: json!({}),
            validations: vec![
                Validation {
                    condition: count_condition,
                    error_message: count_message,
                },
                Validation {
                    condition: format!(
                        "alltrue([for k in keys(var.tags) : length(k) <= {} && can(regex({}, k)) && lower(substr(k, 0, 4)) != \"aws:\"])",
                        rules::TAG_KEY.max(),
                        hcl_string(&rules::TAG_KEY.re2_pattern())
                    ),
                    error_message: format!(
                        "Tag keys must be {} to {} letters, digits, spaces and _.:/=+-@, and must not begin with aws:.",
                        rules::TAG_KEY.min(),
                        rules::TAG_KEY.max()
                    ),
                },
                Validation {
                    condition: format!(
                        "alltrue([for v in values(var.tags) : length(v) <= {} && can(regex({}, v))])",
                        rules::TAG_VALUE.max(),
                        hcl_string(&rules::TAG_VALUE.re2_pattern())
                    ),
                    error_message: format!(
                        "Tag values must be at most {} letters, digits, spaces and _.:/=+-@.",
                        rules::TAG_VALUE.max()
                    ),
                },
            ],
        });

        // additional_policy_arns: attached to every role, within the quota of the role
        // with the least room (IAM's default, or the spec's managed_policy_quota).
        let (quota, attached) = model
            .profiles
            .iter()
            .map(|p| {
                let attached = p.managed_policies.len() + p.custom_policies.len();
                (p.managed_policy_quota, attached)
            })
            .min_by_key(|(quota, attached)| quota.saturating_sub(*attached))
            .unwrap_or((limits::MANAGED_POLICIES_PER_ROLE, 0));
        let room = quota.saturating_sub(attached);
        let holds = if quota == limits::MANAGED_POLICIES_PER_ROLE {
            format!("a role holds {quota} managed policies by default")
        } else {
            format!(
                "the role holds {quota} managed policies in this account (managed_policy_quota)"
            )
        };
        let mut spec_arns: Vec<String> = model
            .profiles
            .iter()
            .flat_map(|p| p.managed_policies.iter().map(|m| m.arn.clone()))
            .collect();
        spec_arns.sort();
        spec_arns.dedup();
        let mut validations = vec![
            Validation {
                condition: format!(
                    "alltrue([for arn in var.additional_policy_arns : can(regex({}, arn))])",
                    hcl_string(&policy_arn_pattern(&partitions_pattern(model)))
                ),
                error_message: format!(
                    "Each of additional_policy_arns must be the ARN of a managed policy of partition {}.",
                    partitions_pattern(model)
                ),
            },
            Validation {
                condition: format!("length(var.additional_policy_arns) <= {room}"),
                error_message: format!(
                    "At most {room} more policies fit: {holds}, and the spec attaches {attached}."
                ),
            },
        ];
        if !spec_arns.is_empty() {
            validations.push(Validation {
                condition: format!(
                    "length(setintersection(var.additional_policy_arns, {})) == 0",
                    list_hcl(&spec_arns)
                ),
                error_message:
                    "The additional_policy_arns must not repeat a policy the spec attaches already."
                        .into(),
            });
        }
        variables.push(Variable {
            name: "additional_policy_arns",
            description: format!(
                "ARNs of more managed policies to attach to every role of this module, besides the spec's; at most {room}"
            ),
            type_hcl: "list(string)",
            default: json!([]),
            validations,
        });

        let (readable_input, readable) = readable::input(model);
        variables.extend(readable_input);

        Inputs {
            paths,
            boundaries,
            readable,
            variables,
        }
    }

    /// The `NotResource` of statement `s` of profile `index` as HCL, when it is one
    /// of the Parameter Store Denies, which read the `readable` input.
    pub fn not_resource(&self, index: usize, p: &Profile, s: &Statement) -> Option<String> {
        let list = self.readable.get(index)?.as_deref()?;
        readable::not_resource(p.parameter_store.as_ref()?, s, list)
    }

    /// The `count` of every resource.
    pub fn count(&self) -> String {
        "var.create ? 1 : 0".into()
    }

    /// The name of a resource this module creates: the prefix, then the spec's name.
    pub fn name(&self, name: &str) -> Expr {
        use super::expr::Segment;
        Expr::Template(vec![
            Segment::Reference("var.name_prefix".into()),
            Segment::Literal(name.to_string()),
        ])
    }

    /// The `path` of the resources of profile `index`.
    pub fn path(&self, index: usize) -> Expr {
        self.paths[index].clone()
    }

    /// The `permissions_boundary` of the role of profile `index`.
    pub fn boundary(&self, index: usize) -> Expr {
        self.boundaries[index].clone()
    }

    /// The `count` of a role's attachments of `additional_policy_arns`.
    pub fn additional_count(&self) -> String {
        "var.create ? length(var.additional_policy_arns) : 0".into()
    }

    pub fn additional_arn(&self) -> Expr {
        Expr::reference("var.additional_policy_arns[count.index]")
    }
}

pub mod docs;
pub mod folder;
pub mod readable;

#[cfg(test)]
mod tests;

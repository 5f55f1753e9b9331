//! The module's inputs besides `readable`, one function each: its type, its
//! description, the spec's value as its default, and the validations derived from
//! the rule the compiler holds (`refdata::rules`, `refdata::limits`). What each
//! profile creates, its path and boundary and the policies its role holds are the
//! model's (`model/created.rs`); this file only spells them as Terraform reads them.

use serde_json::{Value, json};

use super::super::expr::Expr;
use super::{Validation, Variable};
use crate::backend::hcl::hcl_string;
use crate::model::{Model, RoleRef};
use crate::refdata::limits;
use crate::refdata::rules::{self, policy_arn_pattern};

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

/// `(a|b)` of the partitions' ARN ids, or the one id.
fn partitions_pattern(model: &Model) -> String {
    let mut ids: Vec<&str> = model.profiles.iter().map(|p| p.arn_partition).collect();
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

/// `create`: whether the module creates anything.
pub fn create() -> Variable {
    Variable {
        name: "create",
        description: "Whether to create the resources of this module; false creates none, and every output is null".into(),
        type_hcl: "bool",
        default: json!(true),
        validations: Vec::new(),
    }
}

/// `name_prefix`: as long as the tightest of IAM's name limits allows; none when the
/// module creates no named resource.
pub fn name_prefix(model: &Model) -> Option<Variable> {
    let (name, max, room) = model
        .profiles
        .iter()
        .flat_map(|p| p.created_names())
        .map(|(n, rule)| (n, rule.max(), rule.max().saturating_sub(n.chars().count())))
        .min_by_key(|(_, _, room)| *room)?;
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
    Some(Variable {
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
    })
}

/// `path`, and per profile the expression its resources' `path` reads.
pub fn path(model: &Model) -> (Option<Variable>, Vec<Expr>) {
    let condition = |var: &str| {
        format!(
            "try(length({var}) <= {} && can(regex({}, {var})), false)",
            rules::PATH.max,
            hcl_string(&rules::PATH.re2_pattern())
        )
    };
    let error_message = format!(
        "The path must be / or segments of {} each between slashes (as /platform/ssm/), at most {} characters.",
        rules::PATH.words,
        rules::PATH.max
    );
    let every = vec![Expr::reference("var.path"); model.profiles.len()];
    match shared(model.profiles.iter().filter_map(|p| p.created_path())) {
        None => (None, every),
        Some(Shared::All(path)) => {
            let variable = Variable {
                name: "path",
                description:
                    "IAM path of every role, policy and instance profile this module creates".into(),
                type_hcl: "string",
                default: json!(path.unwrap_or("/")),
                validations: vec![Validation {
                    condition: condition("var.path"),
                    error_message,
                }],
            };
            (Some(variable), every)
        }
        Some(Shared::Differ) => {
            let variable = Variable {
                name: "path",
                description: "IAM path of every role, policy and instance profile this module creates; null keeps the path the spec gives each profile".into(),
                type_hcl: "string",
                default: Value::Null,
                validations: vec![Validation {
                    condition: format!("var.path == null || {}", condition("var.path")),
                    error_message,
                }],
            };
            let own = model.profiles.iter().map(|p| {
                let own = p.created_path().flatten().unwrap_or("/");
                Expr::reference(format!("coalesce(var.path, {})", hcl_string(own)))
            });
            (Some(variable), own.collect())
        }
    }
}

/// `permissions_boundary`, when the module creates a role, and per profile the
/// expression its role's `permissions_boundary` reads.
pub fn permissions_boundary(model: &Model) -> (Option<Variable>, Vec<Expr>) {
    let Some(shared) = shared(model.profiles.iter().filter_map(|p| p.created_boundary())) else {
        return (None, Vec::new());
    };
    let described = "ARN of the managed policy that bounds the permissions of every role this module creates; null sets no boundary";
    let (default, description, exprs) = match shared {
        Shared::All(b) => (
            b.map_or(Value::Null, |b| json!(b)),
            described.to_string(),
            vec![Expr::reference("var.permissions_boundary"); model.profiles.len()],
        ),
        Shared::Differ => (
            Value::Null,
            format!("{described}; null keeps the boundary the spec gives each profile"),
            model
                .profiles
                .iter()
                .map(|p| match p.created_boundary().flatten() {
                    Some(b) => Expr::reference(format!(
                        "coalesce(var.permissions_boundary, {})",
                        hcl_string(b)
                    )),
                    None => Expr::reference("var.permissions_boundary"),
                })
                .collect(),
        ),
    };
    let partitions = partitions_pattern(model);
    let variable = Variable {
        name: "permissions_boundary",
        description,
        type_hcl: "string",
        default,
        validations: vec![Validation {
            condition: format!(
                "var.permissions_boundary == null || can(regex({}, var.permissions_boundary))",
                hcl_string(&policy_arn_pattern(&partitions))
            ),
            error_message: format!(
                "The permissions_boundary must be null or the ARN of a managed policy of partition {partitions}."
            ),
        }],
    };
    (Some(variable), exprs)
}

/// `tags`: merged over each profile's spec tags, within IAM's count and characters.
pub fn tags(model: &Model) -> Variable {
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
    Variable {
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
    }
}

/// `additional_policy_arns`: attached to every role, within the quota of the role
/// with the least room (IAM's default, or the spec's managed_policy_quota).
pub fn additional_policy_arns(model: &Model) -> Variable {
    let (quota, attached) = model
        .profiles
        .iter()
        .map(|p| (p.managed_policy_quota, p.attached_policies()))
        .min_by_key(|(quota, attached)| quota.saturating_sub(*attached))
        .unwrap_or((limits::MANAGED_POLICIES_PER_ROLE, 0));
    let room = quota.saturating_sub(attached);
    let holds = if quota == limits::MANAGED_POLICIES_PER_ROLE {
        format!("a role holds {quota} managed policies by default")
    } else {
        format!("the role holds {quota} managed policies in this account (managed_policy_quota)")
    };
    let mut spec_arns: Vec<String> = model
        .profiles
        .iter()
        .flat_map(|p| p.managed_policies.iter().map(|m| m.arn.clone()))
        .collect();
    spec_arns.sort();
    spec_arns.dedup();
    let partitions = partitions_pattern(model);
    let mut validations = vec![
        Validation {
            condition: format!(
                "alltrue([for arn in var.additional_policy_arns : can(regex({}, arn))])",
                hcl_string(&policy_arn_pattern(&partitions))
            ),
            error_message: format!(
                "Each of additional_policy_arns must be the ARN of a managed policy of partition {partitions}."
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
    Variable {
        name: "additional_policy_arns",
        description: format!(
            "ARNs of more managed policies to attach to every role of this module, besides the spec's; at most {room}"
        ),
        type_hcl: "list(string)",
        default: json!([]),
        validations,
    }
}

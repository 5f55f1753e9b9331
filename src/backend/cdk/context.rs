//! What a CDK template needs, for one output file: every identifier chosen, every
//! value as the model holds it (the templates quote them through `ts_string` /
//! `py_string`), except policy statements, spelled and laid out by `code`.

use std::collections::BTreeSet;

use serde::Serialize;

use super::code::{self, StatementCode};
use super::layout::{self, ObjectCall};
use super::literal::ts_string;
use super::{CLASS_NAME, Language, STACK_ID};
use crate::backend::cloudformation::setting_logical_id;
use crate::backend::describe::{self, Resource};
use crate::backend::naming::Unique;
use crate::backend::stacks::StackPart;
use crate::model::{Model, Part, Profile, RoleRef, Text};

#[derive(Debug, Serialize)]
pub(super) struct ModuleContext {
    /// Also define an App and a Stack and synthesize.
    app: bool,
    class_name: &'static str,
    /// `SsmProfileStack`, or `SsmProfileStack-N` for one stack of several.
    stack_id: String,
    stack_description: String,
    /// The one partition whose literal ARNs the model holds; `None` when profiles
    /// differ, and no single stack can deploy them all.
    partition: Option<&'static str>,
    partition_note: String,
    partition_error: String,
    uses_duration: bool,
    uses_tags: bool,
    /// Some profile sets an SSM service setting (`aws_ssm`).
    uses_ssm: bool,
    creates_roles: bool,
    profiles: Vec<ProfileContext>,
}

#[derive(Debug, Serialize)]
struct ProfileContext {
    name: String,
    role: RoleContext,
    policies: Vec<PolicyContext>,
    instance_profile: Option<InstanceProfileContext>,
    service_setting: Option<ServiceSettingContext>,
    /// The app's stack outputs, named as the CloudFormation target names them.
    outputs: Vec<OutputContext>,
}

#[derive(Debug, Serialize)]
struct RoleContext {
    member: String,
    construct_id: String,
    /// The construct creates the role; otherwise it imports `name` by name.
    created: bool,
    name: String,
    path: Option<String>,
    description: Option<String>,
    principal: String,
    trust_sid: &'static str,
    conditions: Vec<ConditionContext>,
    managed_policies: Vec<ManagedPolicyContext>,
    permissions_boundary: Option<ArnContext>,
    max_session_duration: Option<u32>,
    tags: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct ConditionContext {
    operator: &'static str,
    key: &'static str,
    value: Vec<TextPart>,
    /// The value joins literal text with `stack.account` / `stack.region`; Python
    /// names it in `py_variable` (`source_arn` for `aws:SourceArn`) first, as the
    /// concatenation would not fit in the condition dict.
    concatenation: bool,
    py_variable: String,
}

/// A piece of a deploy-time string: `literal` text, or the stack's `account` or
/// `region` (the template spells these as `stack.account` / `stack.region`).
#[derive(Debug, Serialize)]
struct TextPart {
    kind: &'static str,
    text: String,
}

#[derive(Debug, Serialize)]
struct ManagedPolicyContext {
    /// Set for AWS managed policies (`arn:P:iam::aws:policy/NAME`): `NAME`, which
    /// `fromAwsManagedPolicyName` puts in the stack's partition.
    aws_name: Option<String>,
    /// The construct id an imported customer managed policy needs.
    construct_id: String,
    arn: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct ArnContext {
    construct_id: String,
    arn: String,
}

#[derive(Debug, Serialize)]
struct PolicyContext {
    member: String,
    construct_id: String,
    name: String,
    path: Option<String>,
    /// TypeScript: `new iam.ManagedPolicy(this, id, {` as prettier lays it out.
    call: Option<ObjectCall>,
    statements: Vec<StatementCode>,
}

#[derive(Debug, Serialize)]
struct InstanceProfileContext {
    member: String,
    construct_id: String,
    name: String,
    path: Option<String>,
}

/// `new ssm.CfnServiceSetting(this, construct_id, { settingId, settingValue })`, with
/// a dependency on the role it names.
#[derive(Debug, Serialize)]
struct ServiceSettingContext {
    member: String,
    construct_id: String,
    setting_id: &'static str,
    value: String,
}

/// `new CfnOutput(stack, id, { description, value: profiles.member.attribute })`.
#[derive(Debug, Serialize)]
struct OutputContext {
    id: String,
    description: String,
    member: String,
    attribute: String,
}

/// Hands out member names in one language: ids are unique, but two ids that differ
/// only in letter case (`SSMX`, `SsmX`) would give the same member.
struct Members {
    language: Language,
    names: Unique,
}

impl Members {
    fn name(&mut self, construct_id: &str) -> String {
        self.names.claim(&self.language.member(construct_id))
    }
}

pub(super) fn module_context(
    model: &Model,
    language: Language,
    app: bool,
    stack: Option<StackPart>,
) -> ModuleContext {
    let mut members = Members {
        language,
        names: Unique::new(""),
    };
    let profiles: Vec<ProfileContext> = model
        .profiles
        .iter()
        .map(|p| profile_context(p, &mut members))
        .collect();
    let partitions: BTreeSet<&'static str> =
        model.profiles.iter().map(|p| p.arn_partition).collect();
    let partition = match partitions.len() {
        1 => partitions.first().copied(),
        _ => None,
    };
    let listed: Vec<&str> = partitions.iter().copied().collect();
    ModuleContext {
        app,
        class_name: CLASS_NAME,
        stack_id: match stack {
            Some(s) => format!("{STACK_ID}-{}", s.n),
            None => STACK_ID.to_string(),
        },
        stack_description: describe::part_description(model, stack),
        partition,
        partition_note: format!(
            "partition {}: policies hold its literal ARNs; AWS managed policies follow the stack's partition",
            listed.join(", ")
        ),
        partition_error: format!(
            "{CLASS_NAME} was generated for partition {}, but this stack is in a region of partition ",
            listed.join(", ")
        ),
        uses_duration: profiles
            .iter()
            .any(|p| p.role.max_session_duration.is_some()),
        uses_tags: profiles.iter().any(|p| !p.role.tags.is_empty()),
        uses_ssm: profiles.iter().any(|p| p.service_setting.is_some()),
        creates_roles: profiles.iter().any(|p| p.role.created),
        profiles,
    }
}

fn profile_context(p: &Profile, members: &mut Members) -> ProfileContext {
    let role_id = format!("{}Role", p.id);
    let aws_prefix = format!("arn:{}:iam::aws:policy/", p.arn_partition);
    let role = match &p.role {
        RoleRef::Create(r) => RoleContext {
            member: members.name(&role_id),
            construct_id: role_id.clone(),
            created: true,
            name: r.name.clone(),
            path: r.path.clone(),
            description: r.description.clone(),
            principal: r.trust.service.clone(),
            trust_sid: r.trust.sid,
            conditions: r
                .trust
                .conditions
                .iter()
                .map(|c| ConditionContext {
                    operator: c.operator,
                    key: c.key,
                    value: text_parts(&c.value),
                    concatenation: c.value.0.len() > 1,
                    py_variable: Language::Python.member(c.key.rsplit(':').next().unwrap_or(c.key)),
                })
                .collect(),
            managed_policies: p
                .managed_policies
                .iter()
                .enumerate()
                .map(|(i, m)| ManagedPolicyContext {
                    aws_name: m.arn.strip_prefix(&aws_prefix).map(str::to_string),
                    construct_id: format!("{}ManagedPolicyArn{}", p.id, i + 1),
                    arn: m.arn.clone(),
                    reason: m.reason.clone(),
                })
                .collect(),
            permissions_boundary: r.permissions_boundary.as_ref().map(|arn| ArnContext {
                construct_id: format!("{}PermissionsBoundary", p.id),
                arn: arn.clone(),
            }),
            max_session_duration: r.max_session_duration,
            tags: p
                .tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect(),
        },
        RoleRef::Existing { name } => RoleContext {
            member: members.name(&role_id),
            construct_id: role_id.clone(),
            created: false,
            name: name.clone(),
            path: None,
            description: None,
            principal: String::new(),
            trust_sid: "",
            conditions: Vec::new(),
            managed_policies: Vec::new(),
            permissions_boundary: None,
            max_session_duration: None,
            tags: Vec::new(),
        },
    };
    let policies = p
        .custom_policies
        .iter()
        .map(|c| {
            let member = members.name(&c.id);
            let (call, statements) = match members.language {
                Language::TypeScript => {
                    let call = layout::typescript_object_call(
                        4,
                        &format!("this.{member} = new iam.ManagedPolicy"),
                        &["this".to_string(), ts_string(&c.id)],
                        ";",
                    );
                    let statements = code::typescript_statements(&call, &c.statements);
                    (Some(call), statements)
                }
                Language::Python => (None, code::python_statements(&c.statements)),
            };
            PolicyContext {
                member,
                construct_id: c.id.clone(),
                name: c.name.clone(),
                path: c.path.clone(),
                call,
                statements,
            }
        })
        .collect();
    let instance_profile = p.instance_profile.as_ref().map(|ip| {
        let construct_id = format!("{}InstanceProfile", p.id);
        InstanceProfileContext {
            member: members.name(&construct_id),
            name: ip.name.clone(),
            path: ip.path.clone(),
            construct_id,
        }
    });
    let service_setting = p.service_setting.as_ref().map(|s| {
        let construct_id = setting_logical_id(p);
        ServiceSettingContext {
            member: members.name(&construct_id),
            construct_id,
            setting_id: s.id,
            value: s.value.clone(),
        }
    });
    let outputs = describe::stack_outputs(p)
        .into_iter()
        .map(|o| OutputContext {
            id: format!("{}{}", p.id, o.suffix()),
            member: match o.resource {
                Resource::Role => role.member.clone(),
                Resource::InstanceProfile => instance_profile
                    .as_ref()
                    .map(|ip| ip.member.clone())
                    .expect("instance profile outputs only for an instance profile"),
            },
            // The CDK names these attributes after the output: `roleArn`,
            // `instanceProfileName`, `instance_profile_arn`, ...
            attribute: members.language.member(o.suffix()),
            description: o.description,
        })
        .collect();
    ProfileContext {
        name: p.name.clone(),
        role,
        policies,
        instance_profile,
        service_setting,
        outputs,
    }
}

fn text_parts(t: &Text) -> Vec<TextPart> {
    t.0.iter()
        .map(|part| match part {
            Part::Literal(s) => TextPart {
                kind: "literal",
                text: s.clone(),
            },
            Part::AccountId => TextPart {
                kind: "account",
                text: String::new(),
            },
            Part::Region => TextPart {
                kind: "region",
                text: String::new(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differing_only_in_case_get_distinct_members() {
        let mut members = Members {
            language: Language::Python,
            names: Unique::new(""),
        };
        assert_eq!(members.name("SSMXRole"), "ssmx_role");
        assert_eq!(members.name("SsmxRole"), "ssmx_role2");
    }
}

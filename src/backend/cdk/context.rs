//! What a CDK template needs, for one output file: every identifier chosen, and every
//! spec-dependent piece of code already spelled by `code` (literals, comments, lines
//! laid out as the formatters would), so the templates place strings and call no
//! filter. A field of code says what it holds: a *literal* (`'x'`, `"x"`), a
//! *comment* (comment-safe text), or *line(s)* (indented, without the last newline).
//! Where the languages differ, TypeScript's fields are often whole property lines
//! (prettier breaks them after the key when too long) and Python's the literal alone.

use std::collections::BTreeSet;

use serde::Serialize;

use super::code::Spell;
use super::layout::{ObjectCall, python_annotation};
use super::literal::comment;
use super::suppressions;
use super::{CLASS_NAME, Language, STACK_ID};
use crate::backend::cloudformation::setting_logical_id;
use crate::backend::describe::{self, Resource};
use crate::backend::naming::Unique;
use crate::backend::options::StackPart;
use crate::backend::scanners;
use crate::model::{Model, Profile, RoleRef};

#[derive(Debug, Serialize)]
pub(super) struct ModuleContext {
    /// Also define an App and a Stack and synthesize.
    app: bool,
    class_name: &'static str,
    /// The class name's literal: the construct's id in the app.
    class_id: String,
    /// TypeScript: the app's `const stack = new Stack(app, id, {` call.
    stack_call: Option<ObjectCall>,
    /// Literal of `SsmProfileStack`, or `SsmProfileStack-N` for one stack of several.
    stack_id: String,
    /// `.stack-N` for one stack of several, as the app's name under `--out-dir` ends
    /// (`cdk/NAME-app.stack-N.py`, the CDK's rows in `cdk/target.rs`), for the app's
    /// run comment.
    app_file_stack: String,
    /// TypeScript: the `description` line; Python: the literal.
    stack_description: String,
    /// Literal of the one partition whose literal ARNs the model holds; `None` when
    /// profiles differ, and no single stack can deploy them all.
    partition: Option<String>,
    /// Comment.
    partition_note: String,
    /// TypeScript: the `throw new Error(...)` line(s); Python: the message's literal.
    partition_error: String,
    uses_duration: bool,
    uses_tags: bool,
    /// Some profile sets an SSM service setting (`aws_ssm`).
    uses_ssm: bool,
    creates_roles: bool,
    /// Python: some line reads a construct's CloudFormation resource with `cast`.
    uses_cast: bool,
    /// Some resource carries cdk-nag's suppressions (TypeScript: the module defines
    /// the function that writes them).
    uses_cdk_nag: bool,
    /// Some profile is adopted (`CfnResource`, `RemovalPolicy`).
    adopts: bool,
    profiles: Vec<ProfileContext>,
}

#[derive(Debug, Serialize)]
struct ProfileContext {
    /// Comment.
    name: String,
    /// Python: the class attribute annotations' lines, as ruff format lays them out.
    annotations: Vec<String>,
    role: RoleContext,
    policies: Vec<PolicyContext>,
    instance_profile: Option<InstanceProfileContext>,
    service_setting: Option<ServiceSettingContext>,
    /// The app's stack outputs, named as the CloudFormation target names them.
    outputs: Vec<OutputContext>,
    /// An adopted profile: the lines that retain each of its resources and give it
    /// the logical ID the resource mapping names (`adoption::imports`).
    adopt: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
struct RoleContext {
    member: String,
    /// The construct creates the role; otherwise it imports it by name (`import`).
    created: bool,
    /// TypeScript: `this.member = new iam.Role(this, id, {`.
    call: Option<ObjectCall>,
    /// Literal.
    construct_id: String,
    /// TypeScript: property lines; Python: literals.
    name: String,
    path: Option<String>,
    description: Option<String>,
    /// Literal.
    principal: String,
    conditions: Vec<ConditionContext>,
    managed_policies: Vec<ManagedPolicyContext>,
    /// Line(s).
    permissions_boundary: Option<String>,
    max_session_duration: Option<u32>,
    /// The lines that name the trust statement (`iam.Role` writes it without a Sid).
    trust_sid: String,
    /// One `Tags.of(role).add(key, value)` line(s) a tag.
    tags: Vec<String>,
    /// An existing role: the line(s) that import it.
    import: String,
    /// The lines of its scanner suppressions (`suppressions::lines`), or "".
    suppression: String,
}

#[derive(Debug, Serialize)]
struct ConditionContext {
    /// Python: `source_arn = ...` (for `aws:SourceArn`) for each value that joins
    /// literal text with `stack.account` / `stack.region`, as the concatenation would
    /// not fit in the condition dict.
    assignments: Vec<String>,
    /// `operator: { key: value, ... }` line(s): one operator, all its keys.
    line: String,
}

#[derive(Debug, Serialize)]
struct ManagedPolicyContext {
    /// Comment.
    reason: String,
    /// `fromAwsManagedPolicyName(NAME)` for an AWS managed policy (the stack's
    /// partition), else `fromManagedPolicyArn(this, id, arn)`: line(s).
    line: String,
}

#[derive(Debug, Serialize)]
struct PolicyContext {
    member: String,
    /// Literal.
    construct_id: String,
    /// TypeScript: `this.member = new iam.ManagedPolicy(this, id, {`.
    call: Option<ObjectCall>,
    /// TypeScript: property lines; Python: literals.
    name: String,
    path: Option<String>,
    /// `roles: [this.role]` line(s).
    roles: String,
    /// The `statements` property's lines.
    statements: String,
    /// The lines of its scanner suppressions (`suppressions::lines`), or "".
    suppression: String,
}

#[derive(Debug, Serialize)]
struct InstanceProfileContext {
    member: String,
    /// Literal.
    construct_id: String,
    call: Option<ObjectCall>,
    /// TypeScript: property lines; Python: literals.
    name: String,
    path: Option<String>,
}

/// `new ssm.CfnServiceSetting(this, construct_id, { settingId, settingValue })`, with
/// a dependency on the role it names.
#[derive(Debug, Serialize)]
struct ServiceSettingContext {
    member: String,
    /// Literal.
    construct_id: String,
    call: Option<ObjectCall>,
    /// TypeScript: property lines; Python: literals.
    setting_id: String,
    value: String,
    /// `member.node.addDependency(role)` line(s).
    dependency: String,
}

/// `new CfnOutput(stack, id, { description, value: profiles.member.attribute })`.
#[derive(Debug, Serialize)]
struct OutputContext {
    call: Option<ObjectCall>,
    /// Literal.
    id: String,
    /// TypeScript: the property line; Python: the literal.
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

/// A path property, left out when empty as the templates always have.
fn path(spell: Spell, call: Option<&ObjectCall>, path: &Option<String>) -> Option<String> {
    path.as_deref()
        .filter(|p| !p.is_empty())
        .map(|p| spell.property(call, "path", p))
}

pub(super) fn module_context(
    model: &Model,
    language: Language,
    app: bool,
    stack: Option<StackPart>,
) -> ModuleContext {
    let spell = Spell(language);
    let mut members = Members {
        language,
        names: Unique::new(""),
    };
    let profiles: Vec<ProfileContext> = model
        .profiles
        .iter()
        .map(|p| profile_context(model, p, spell, &mut members))
        .collect();
    let partitions: BTreeSet<&'static str> =
        model.profiles.iter().map(|p| p.arn_partition).collect();
    let partition = match partitions.len() {
        1 => partitions.first().map(|p| spell.string(p)),
        _ => None,
    };
    let listed: Vec<&str> = partitions.iter().copied().collect();
    let message = spell.string(&format!(
        "{CLASS_NAME} was generated for partition {}, but this stack is in a region of partition ",
        listed.join(", ")
    ));
    let stack_id = match stack {
        Some(s) => format!("{STACK_ID}-{}", s.n),
        None => STACK_ID.to_string(),
    };
    let stack_call = spell.object_call(0, "const stack = new Stack", ["app", &stack_id]);
    ModuleContext {
        app,
        class_name: CLASS_NAME,
        class_id: spell.string(CLASS_NAME),
        stack_id: spell.string(&stack_id),
        app_file_stack: stack.map(|s| format!(".stack-{}", s.n)).unwrap_or_default(),
        stack_description: spell.property(
            stack_call.as_ref(),
            "description",
            &describe::part_description(model, stack),
        ),
        stack_call,
        partition,
        partition_note: comment(&format!(
            "partition {}: policies hold its literal ARNs; AWS managed policies follow the stack's partition",
            listed.join(", ")
        )),
        partition_error: match language {
            Language::TypeScript => spell.call(
                (6, ";"),
                (0, ""),
                "throw new Error",
                &[message + " + partition"],
            ),
            Language::Python => message,
        },
        uses_duration: profiles
            .iter()
            .any(|p| p.role.max_session_duration.is_some()),
        uses_tags: profiles.iter().any(|p| !p.role.tags.is_empty()),
        uses_ssm: profiles.iter().any(|p| p.service_setting.is_some()),
        creates_roles: profiles.iter().any(|p| p.role.created),
        uses_cast: profiles.iter().any(|p| {
            p.role.created
                || !p.adopt.is_empty()
                || p.policies.iter().any(|c| !c.suppression.is_empty())
        }),
        uses_cdk_nag: profiles.iter().any(|p| {
            !p.role.suppression.is_empty() || p.policies.iter().any(|c| !c.suppression.is_empty())
        }),
        adopts: profiles.iter().any(|p| !p.adopt.is_empty()),
        profiles,
    }
}

fn profile_context(
    model: &Model,
    p: &Profile,
    spell: Spell,
    members: &mut Members,
) -> ProfileContext {
    let role_id = format!("{}Role", p.id);
    let member = members.name(&role_id);
    let (this, self_) = (format!("this.{member}"), format!("self.{member}"));
    let role = match &p.role {
        RoleRef::Create(r) => {
            let call = spell.object_call(4, &format!("{this} = new iam.Role"), ["this", &role_id]);
            let c = call.as_ref();
            let aws_prefix = format!("arn:{}:iam::aws:policy/", p.arn_partition);
            RoleContext {
                created: true,
                construct_id: spell.string(&role_id),
                name: spell.property(c, "roleName", &r.name),
                path: path(spell, c, &r.path),
                description: r
                    .description
                    .as_ref()
                    .map(|d| spell.property(c, "description", d)),
                principal: spell.string(&r.trust.service),
                conditions: r
                    .trust
                    .conditions
                    .iter()
                    .map(|group| {
                        let mut assignments = Vec::new();
                        let entries: Vec<(&str, String)> = group
                            .entries
                            .iter()
                            .map(|e| {
                                let value = spell.text(&e.value);
                                if spell.ts() || e.value.0.len() <= 1 {
                                    return (e.key, value);
                                }
                                let variable = Language::Python
                                    .member(e.key.rsplit(':').next().unwrap_or(e.key));
                                assignments.push(format!("{variable} = {value}"));
                                (e.key, variable)
                            })
                            .collect();
                        ConditionContext {
                            line: spell.condition(c, group.operator, &entries),
                            assignments,
                        }
                    })
                    .collect(),
                managed_policies: p
                    .managed_policies
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let indent = (c.map_or(0, |c| c.indent + 2), ",");
                        let line = match m.arn.strip_prefix(&aws_prefix) {
                            Some(name) => spell.call(
                                indent,
                                (16, ","),
                                if spell.ts() {
                                    "iam.ManagedPolicy.fromAwsManagedPolicyName"
                                } else {
                                    "iam.ManagedPolicy.from_aws_managed_policy_name"
                                },
                                &[spell.string(name)],
                            ),
                            None => {
                                let id = format!("{}ManagedPolicyArn{}", p.id, i + 1);
                                let (head, scope) = if spell.ts() {
                                    ("iam.ManagedPolicy.fromManagedPolicyArn", "this")
                                } else {
                                    ("iam.ManagedPolicy.from_managed_policy_arn", "self")
                                };
                                let args = [scope.into(), spell.string(&id), spell.string(&m.arn)];
                                spell.call(indent, (16, ","), head, &args)
                            }
                        };
                        ManagedPolicyContext {
                            reason: comment(&m.reason),
                            line,
                        }
                    })
                    .collect(),
                permissions_boundary: r.permissions_boundary.as_ref().map(|arn| {
                    let id = spell.string(&format!("{}PermissionsBoundary", p.id));
                    let (head, scope) = if spell.ts() {
                        (
                            "permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn",
                            "this",
                        )
                    } else {
                        (
                            "permissions_boundary=iam.ManagedPolicy.from_managed_policy_arn",
                            "self",
                        )
                    };
                    let ts = (c.map_or(0, |c| c.indent), ",");
                    spell.call(ts, (12, ","), head, &[scope.into(), id, spell.string(arn)])
                }),
                max_session_duration: r.max_session_duration,
                trust_sid: match spell.0 {
                    Language::TypeScript => spell.call(
                        (4, ";"),
                        (0, ""),
                        &format!("({this}.node.defaultChild as iam.CfnRole).addPropertyOverride"),
                        &[
                            "'AssumeRolePolicyDocument.Statement.0.Sid'".into(),
                            spell.string(r.trust.sid),
                        ],
                    ),
                    Language::Python => [
                        spell.call(
                            (0, ""),
                            (8, ""),
                            "cfn_role = cast",
                            &["iam.CfnRole".into(), format!("{self_}.node.default_child")],
                        ),
                        spell.call(
                            (0, ""),
                            (8, ""),
                            "cfn_role.add_property_override",
                            &[
                                "\"AssumeRolePolicyDocument.Statement.0.Sid\"".into(),
                                spell.string(r.trust.sid),
                            ],
                        ),
                    ]
                    .join("\n"),
                },
                tags: p
                    .tags
                    .iter()
                    .map(|t| {
                        let head = match spell.0 {
                            Language::TypeScript => format!("Tags.of({this}).add"),
                            Language::Python => format!("Tags.of({self_}).add"),
                        };
                        let args = [spell.string(&t.key), spell.string(&t.value)];
                        spell.call((4, ";"), (8, ""), &head, &args)
                    })
                    .collect(),
                call,
                ..RoleContext::default()
            }
        }
        RoleRef::Existing { name } => {
            let (head, scope) = match spell.0 {
                Language::TypeScript => (format!("{this} = iam.Role.fromRoleName"), "this"),
                Language::Python => (format!("{self_} = iam.Role.from_role_name"), "self"),
            };
            let args = [scope.into(), spell.string(&role_id), spell.string(name)];
            RoleContext {
                import: spell.call((4, ";"), (8, ""), &head, &args),
                ..RoleContext::default()
            }
        }
    };
    let suppression = suppressions::lines(
        spell,
        &member,
        "CfnRole",
        "cfn_role",
        &scanners::cdk_nag_role(model, p),
    );
    let role = RoleContext {
        member,
        suppression,
        ..role
    };
    let role_type = if role.created {
        "iam.Role"
    } else {
        "iam.IRole"
    };
    let mut annotations = vec![(role.member.clone(), role_type)];
    let policies: Vec<PolicyContext> = p
        .custom_policies
        .iter()
        .map(|cp| {
            let member = members.name(&cp.id);
            annotations.push((member.clone(), "iam.ManagedPolicy"));
            let head = format!("this.{member} = new iam.ManagedPolicy");
            let call = spell.object_call(4, &head, ["this", &cp.id]);
            let c = call.as_ref();
            let ts = (c.map_or(0, |c| c.indent), ",");
            PolicyContext {
                construct_id: spell.string(&cp.id),
                name: spell.property(c, "managedPolicyName", &cp.name),
                path: path(spell, c, &cp.path),
                roles: match spell.0 {
                    Language::TypeScript => {
                        spell.brackets(ts, (0, ""), "roles: ", "[]", std::slice::from_ref(&this))
                    }
                    Language::Python => {
                        spell.brackets(ts, (12, ","), "roles=", "[]", std::slice::from_ref(&self_))
                    }
                },
                statements: spell.statements(c, &cp.statements),
                suppression: suppressions::lines(
                    spell,
                    &member,
                    "CfnManagedPolicy",
                    "cfn_policy",
                    &scanners::cdk_nag_policy(model, p, cp),
                ),
                call,
                member,
            }
        })
        .collect();
    let instance_profile = p.instance_profile.as_ref().map(|ip| {
        let construct_id = format!("{}InstanceProfile", p.id);
        let member = members.name(&construct_id);
        annotations.push((member.clone(), "iam.InstanceProfile"));
        let head = format!("this.{member} = new iam.InstanceProfile");
        let call = spell.object_call(4, &head, ["this", &construct_id]);
        let c = call.as_ref();
        InstanceProfileContext {
            construct_id: spell.string(&construct_id),
            name: spell.property(c, "instanceProfileName", &ip.name),
            path: path(spell, c, &ip.path),
            call,
            member,
        }
    });
    let service_setting = p.service_setting.as_ref().map(|s| {
        let construct_id = setting_logical_id(p);
        let member = members.name(&construct_id);
        annotations.push((member.clone(), "ssm.CfnServiceSetting"));
        let head = format!("this.{member} = new ssm.CfnServiceSetting");
        let call = spell.object_call(4, &head, ["this", &construct_id]);
        let c = call.as_ref();
        let dependency = match spell.0 {
            Language::TypeScript => {
                let head = format!("this.{member}.node.addDependency");
                spell.call((4, ";"), (0, ""), &head, std::slice::from_ref(&this))
            }
            Language::Python => {
                let head = format!("self.{member}.node.add_dependency");
                spell.call((0, ""), (8, ""), &head, std::slice::from_ref(&self_))
            }
        };
        ServiceSettingContext {
            construct_id: spell.string(&construct_id),
            setting_id: spell.property(c, "settingId", s.id),
            value: spell.property(c, "settingValue", &s.value),
            dependency,
            call,
            member,
        }
    });
    let outputs = describe::stack_outputs(p)
        .into_iter()
        .map(|o| {
            let id = format!("{}{}", p.id, o.suffix());
            let call = spell.object_call(0, "new CfnOutput", ["stack", &id]);
            OutputContext {
                id: spell.string(&id),
                description: spell.property(call.as_ref(), "description", &o.description),
                call,
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
            }
        })
        .collect();
    let adopt = if p.adopt {
        let mut members = vec![role.member.clone()];
        members.extend(policies.iter().map(|c| c.member.clone()));
        members.extend(instance_profile.iter().map(|c| c.member.clone()));
        super::adopt::lines(spell, &members, p)
    } else {
        Vec::new()
    };
    ProfileContext {
        adopt,
        name: comment(&p.name),
        annotations: match spell.0 {
            Language::TypeScript => Vec::new(),
            Language::Python => annotations
                .iter()
                .map(|(member, annotation)| python_annotation(4, member, annotation))
                .collect(),
        },
        role,
        policies,
        instance_profile,
        service_setting,
        outputs,
    }
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

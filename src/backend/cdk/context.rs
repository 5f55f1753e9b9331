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
use crate::backend::describe;
use crate::backend::naming::Unique;
use crate::backend::options::StackPart;
use crate::backend::scanners;
use crate::backend::templating::Code;
use crate::model::{Model, Profile};
use resources::{InstanceProfileContext, OutputContext, PolicyContext, ServiceSettingContext};
use role::RoleContext;

/// The construct: the text the module and the app share (construct.ts.j2,
/// construct.py.j2).
#[derive(Debug, Serialize)]
pub(super) struct ModuleContext {
    class_name: &'static str,
    /// Literal of the one partition whose literal ARNs the model holds; `None` when
    /// profiles differ, and no single stack can deploy them all.
    partition: Option<String>,
    /// Comment.
    partition_note: String,
    /// TypeScript: the `throw new Error(...)` line(s); Python: the message's literal.
    partition_error: String,
    /// Some resource carries cdk-nag's suppressions (TypeScript: the module defines
    /// the function that writes them).
    uses_cdk_nag: bool,
    profiles: Vec<ProfileContext>,
}

/// The file's opening: what it is and its imports (opening.ts.j2, opening.py.j2).
#[derive(Debug, Clone, Serialize)]
pub(super) struct OpeningContext {
    /// Also define an App and a Stack and synthesize.
    app: bool,
    /// `.stack-N` for one stack of several, as the app's name under `--out-dir` ends
    /// (`cdk/NAME-app.stack-N.py`, the CDK's rows in `cdk/target.rs`), for the app's
    /// run comment.
    app_file_stack: String,
    /// The construct's `partition`: imported only when it is known.
    partition: Option<String>,
    uses_duration: bool,
    uses_tags: bool,
    /// Some profile sets an SSM service setting (`aws_ssm`).
    uses_ssm: bool,
    /// Python: some line reads a construct's CloudFormation resource with `cast`.
    uses_cast: bool,
    uses_cdk_nag: bool,
    /// Some profile is adopted (`CfnResource`, `RemovalPolicy`).
    adopts: bool,
}

impl ModuleContext {
    /// About how long the construct's text will be: its policies' statements and
    /// cdk-nag's suppressions, the bulk of a large spec's, and a profile's other lines.
    pub(super) fn text_estimate(&self) -> usize {
        const CLASS: usize = 4 << 10;
        const PROFILE: usize = 4 << 10;
        CLASS
            + self
                .profiles
                .iter()
                .map(|p| {
                    PROFILE
                        + p.role.suppression.len()
                        + p.policies
                            .iter()
                            .map(|c| c.statements.len() + c.suppression.len())
                            .sum::<usize>()
                })
                .sum::<usize>()
    }
}

impl AppContext {
    /// About how long the app's closing will be: the stack and an output a few lines.
    pub(super) fn text_estimate(&self) -> usize {
        (1 << 10) + 256 * self.outputs.len()
    }
}

impl OpeningContext {
    /// The opening of the module (`app` false) or of the app.
    pub(super) fn with_app(&self, app: bool) -> OpeningContext {
        OpeningContext {
            app,
            ..self.clone()
        }
    }
}

/// The runnable app's closing: its stack, the construct in it and the stack's
/// outputs (app.ts.j2, app.py.j2).
#[derive(Debug, Serialize)]
pub(super) struct AppContext {
    class_name: &'static str,
    /// The class name's literal: the construct's id in the app.
    class_id: String,
    /// TypeScript: the app's `const stack = new Stack(app, id, {` call.
    stack_call: Option<ObjectCall>,
    /// Literal of `SsmProfileStack`, or `SsmProfileStack-N` for one stack of several.
    stack_id: String,
    /// TypeScript: the `description` line; Python: the literal.
    stack_description: String,
    /// Every profile's stack outputs, named as the CloudFormation target names them.
    outputs: Vec<OutputContext>,
}

/// What the CDK templates need for one stack in one language: the construct, the
/// opening (its `app` set per file) and, when asked for, the app's closing.
pub(super) struct Contexts {
    pub(super) construct: ModuleContext,
    pub(super) opening: OpeningContext,
    pub(super) app: Option<AppContext>,
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
    /// The app's stack outputs (moved to `AppContext`; empty without the app).
    #[serde(skip)]
    outputs: Vec<OutputContext>,
    /// An adopted profile: the lines that retain each of its resources and give it
    /// the logical ID the resource mapping names (`adoption::imports`).
    adopt: Vec<String>,
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

/// The contexts of one stack (`None`: the whole spec) in `language`; `app`: with
/// the app's closing.
pub(super) fn module_context(
    model: &Model,
    language: Language,
    app: bool,
    stack: Option<StackPart>,
) -> Contexts {
    let spell = Spell(language);
    let mut members = Members {
        language,
        names: Unique::new(""),
    };
    let mut profiles: Vec<ProfileContext> = model
        .profiles
        .iter()
        .map(|p| profile_context(model, p, spell, &mut members, app))
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
    let app = app.then(|| {
        let stack_id = match stack {
            Some(s) => format!("{STACK_ID}-{}", s.n),
            None => STACK_ID.to_string(),
        };
        let stack_call = spell.object_call(0, "const stack = new Stack", ["app", &stack_id]);
        AppContext {
            class_name: CLASS_NAME,
            class_id: spell.string(CLASS_NAME),
            stack_id: spell.string(&stack_id),
            stack_description: spell.property(
                stack_call.as_ref(),
                "description",
                &describe::part_description(model, stack),
            ),
            stack_call,
            outputs: profiles
                .iter_mut()
                .flat_map(|p| std::mem::take(&mut p.outputs))
                .collect(),
        }
    });
    let uses_cdk_nag = profiles.iter().any(|p| {
        !p.role.suppression.is_empty() || p.policies.iter().any(|c| !c.suppression.is_empty())
    });
    let opening = OpeningContext {
        app: false,
        app_file_stack: stack.map(|s| format!(".stack-{}", s.n)).unwrap_or_default(),
        partition: partition.clone(),
        uses_duration: profiles
            .iter()
            .any(|p| p.role.max_session_duration.is_some()),
        uses_tags: profiles.iter().any(|p| !p.role.tags.is_empty()),
        uses_ssm: profiles.iter().any(|p| p.service_setting.is_some()),
        uses_cast: profiles.iter().any(|p| {
            p.role.created
                || !p.adopt.is_empty()
                || p.policies.iter().any(|c| !c.suppression.is_empty())
        }),
        uses_cdk_nag,
        adopts: profiles.iter().any(|p| !p.adopt.is_empty()),
    };
    let construct = ModuleContext {
        class_name: CLASS_NAME,
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
        uses_cdk_nag,
        profiles,
    };
    Contexts {
        construct,
        opening,
        app,
    }
}

fn profile_context(
    model: &Model,
    p: &Profile,
    spell: Spell,
    members: &mut Members,
    app: bool,
) -> ProfileContext {
    let role_id = format!("{}Role", p.id);
    let member = members.name(&role_id);
    let suppression = suppressions::lines(
        spell,
        &member,
        "CfnRole",
        "cfn_role",
        &scanners::cdk_nag_role(model, p),
    );
    let mut role = role::role(p, spell, &role_id, member);
    role.suppression = Code::new(suppression);
    let role_type = if role.created {
        "iam.Role"
    } else {
        "iam.IRole"
    };
    // Members are claimed in the order the constructs are written.
    let mut annotations = vec![(role.member.clone(), role_type)];
    let nag = scanners::cdk_nag_policies(model, p);
    let policies: Vec<PolicyContext> = p
        .custom_policies
        .iter()
        .zip(&nag)
        .map(|(cp, nag)| {
            let member = members.name(&cp.id);
            annotations.push((member.clone(), "iam.ManagedPolicy"));
            resources::policy(cp, nag, spell, &role.member, member)
        })
        .collect();
    let instance_profile = p.instance_profile.as_ref().and_then(|_| {
        let construct_id = format!("{}InstanceProfile", p.id);
        let member = members.name(&construct_id);
        annotations.push((member.clone(), "iam.InstanceProfile"));
        resources::instance_profile(p, spell, &construct_id, member)
    });
    let service_setting = p.service_setting.as_ref().map(|s| {
        let member = members.name(&setting_logical_id(p));
        annotations.push((member.clone(), "ssm.CfnServiceSetting"));
        resources::service_setting(p, s, spell, &role.member, member)
    });
    let outputs = if app {
        resources::outputs(
            p,
            spell,
            members,
            &role.member,
            instance_profile.as_ref().map(|ip| ip.member.as_str()),
        )
    } else {
        Vec::new()
    };
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

mod resources;
mod role;

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

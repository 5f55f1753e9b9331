//! A profile's constructs besides its role: its custom policies (each attached to
//! the role, with cdk-nag's suppressions), its instance profile, the SSM service
//! setting of a Default Host Management profile, and the stack's outputs, named as
//! the CloudFormation target names them.

use serde::Serialize;

use super::super::Language;
use super::super::code::Spell;
use super::super::layout::ObjectCall;
use super::super::suppressions;
use super::{Members, path};
use crate::backend::cloudformation::setting_logical_id;
use crate::backend::describe::{self, Resource};
use crate::backend::scanners;
use crate::backend::templating::Code;
use crate::model::{CustomPolicy, Profile, ServiceSetting};

#[derive(Debug, Serialize)]
pub(super) struct PolicyContext {
    pub(super) member: String,
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
    pub(super) statements: Code,
    /// The lines of its scanner suppressions (`suppressions::lines`), or "".
    pub(super) suppression: Code,
}

#[derive(Debug, Serialize)]
pub(super) struct InstanceProfileContext {
    pub(super) member: String,
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
pub(super) struct ServiceSettingContext {
    pub(super) member: String,
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
pub(super) struct OutputContext {
    call: Option<ObjectCall>,
    /// Literal.
    id: String,
    /// TypeScript: the property line; Python: the literal.
    description: String,
    member: String,
    attribute: String,
}

/// A custom policy attached to the role held by `role`, with cdk-nag's suppressions
/// `nag` (`scanners::cdk_nag_policies`).
pub(super) fn policy(
    cp: &CustomPolicy,
    nag: &[scanners::CdkNag],
    spell: Spell,
    role: &str,
    member: String,
) -> PolicyContext {
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
                spell.brackets(ts, (0, ""), "roles: ", "[]", &[format!("this.{role}")])
            }
            Language::Python => {
                spell.brackets(ts, (12, ","), "roles=", "[]", &[format!("self.{role}")])
            }
        },
        statements: Code::new(spell.statements(c, &cp.statements)),
        suppression: Code::new(suppressions::lines(
            spell,
            &member,
            "CfnManagedPolicy",
            "cfn_policy",
            nag,
        )),
        call,
        member,
    }
}

/// The instance profile of `p`, its construct `construct_id` held by `member`.
pub(super) fn instance_profile(
    p: &Profile,
    spell: Spell,
    construct_id: &str,
    member: String,
) -> Option<InstanceProfileContext> {
    let ip = p.instance_profile.as_ref()?;
    let head = format!("this.{member} = new iam.InstanceProfile");
    let call = spell.object_call(4, &head, ["this", construct_id]);
    let c = call.as_ref();
    Some(InstanceProfileContext {
        construct_id: spell.string(construct_id),
        name: spell.property(c, "instanceProfileName", &ip.name),
        path: path(spell, c, &ip.path),
        call,
        member,
    })
}

/// The account setting `s` (held by `member`), set after the role held by `role`.
pub(super) fn service_setting(
    p: &Profile,
    s: &ServiceSetting,
    spell: Spell,
    role: &str,
    member: String,
) -> ServiceSettingContext {
    let construct_id = setting_logical_id(p);
    let head = format!("this.{member} = new ssm.CfnServiceSetting");
    let call = spell.object_call(4, &head, ["this", &construct_id]);
    let c = call.as_ref();
    let dependency = match spell.0 {
        Language::TypeScript => {
            let head = format!("this.{member}.node.addDependency");
            spell.call((4, ";"), (0, ""), &head, &[format!("this.{role}")])
        }
        Language::Python => {
            let head = format!("self.{member}.node.add_dependency");
            spell.call((0, ""), (8, ""), &head, &[format!("self.{role}")])
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
}

/// The stack's outputs of `p`, read from the members that hold its role and its
/// instance profile.
pub(super) fn outputs(
    p: &Profile,
    spell: Spell,
    members: &Members,
    role: &str,
    instance_profile: Option<&str>,
) -> Vec<OutputContext> {
    describe::stack_outputs(p)
        .into_iter()
        .map(|o| {
            let id = format!("{}{}", p.id, o.suffix());
            let call = spell.object_call(0, "new CfnOutput", ["stack", &id]);
            OutputContext {
                id: spell.string(&id),
                description: spell.property(call.as_ref(), "description", &o.description),
                call,
                member: match o.resource {
                    Resource::Role => role.to_string(),
                    Resource::InstanceProfile => instance_profile
                        .expect("instance profile outputs only for an instance profile")
                        .to_string(),
                },
                // The CDK names these attributes after the output: `roleArn`,
                // `instanceProfileName`, `instance_profile_arn`, ...
                attribute: members.language.member(o.suffix()),
            }
        })
        .collect()
}

//! CloudFormation: the template is written as it is built (`emit::Emit`), as JSON,
//! as YAML, or as data for the outputs that embed it or change it.

use std::borrow::Cow;

use serde_json::{Number, Value};

pub mod rollout;
pub mod target;

/// The target's name, as `--target` takes it.
pub const NAME: &str = "cloudformation";
pub mod yaml;

use super::RenderError;
use super::describe::{self, Attribute, Resource};
use super::document::{self, Spelling};
use super::emit::{Data, Emit, Intrinsic, PrettyJson, entry};
use super::options::StackPart;
use super::scanners::{self, Guard};
use crate::model::{Model, Part, Profile, RoleRef, Text};

/// The two syntaxes a template is written in (`Render::Template`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateSyntax {
    Json = 0,
    Yaml = 1,
}

impl TemplateSyntax {
    /// `json` or `yaml`.
    pub fn render(self, model: &Model, stack: Option<StackPart>) -> Result<String, RenderError> {
        match self {
            TemplateSyntax::Json => json(model, stack),
            TemplateSyntax::Yaml => yaml(model, stack),
        }
    }
}

/// The template of `model`, or of one stack of several (`stack`), as JSON.
pub fn json(model: &Model, stack: Option<StackPart>) -> Result<String, RenderError> {
    let mut out = PrettyJson::with_capacity(capacity(model));
    write_template(model, Scope::Whole, stack, &mut out);
    Ok(out.finish())
}

pub fn yaml(model: &Model, stack: Option<StackPart>) -> Result<String, RenderError> {
    let mut out = yaml::Yaml::with_capacity(capacity(model));
    write_template(model, Scope::Whole, stack, &mut out);
    Ok(out.finish())
}

/// Room for a template of `model` in either syntax: a fleet's profile is ~26 KB, and
/// a buffer grown by doubling copied each stack's text several times.
fn capacity(model: &Model) -> usize {
    let resources: usize = model
        .profiles
        .iter()
        .map(|p| {
            let statements = p.custom_policies.iter().flat_map(|c| &c.statements);
            statements.map(|s| s.resources.len() + 4).sum::<usize>() + 8
        })
        .sum();
    4_096 + resources * 96
}

/// Which resources of the model a template holds: all of them, or one of the two
/// halves a rollout deploys with StackSets of their own (IAM is global, the Default
/// Host Management setting regional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Whole,
    /// Roles, policies and instance profiles, with their outputs.
    Iam,
    /// The service settings alone (the roles they name are in the IAM half).
    Settings,
}

/// The template of `scope` as data (for one stack of several, `stack` says which in
/// its description). The caller has checked that CloudFormation can express the model.
pub fn scoped_template(model: &Model, scope: Scope, stack: Option<StackPart>) -> Value {
    let mut data = Data::default();
    write_template(model, scope, stack, &mut data);
    data.finish()
}

/// The template of `scope` (`scoped_template`), written to `e`.
pub fn write_template<E: Emit>(model: &Model, scope: Scope, stack: Option<StackPart>, e: &mut E) {
    let description = match scope {
        Scope::Whole => Cow::Owned(describe::part_description(model, stack)),
        Scope::Iam => Cow::Borrowed(describe::STACK_DESCRIPTION),
        Scope::Settings => Cow::Borrowed(describe::SETTINGS_DESCRIPTION),
    };
    e.begin_map();
    entry(e, "AWSTemplateFormatVersion", "2010-09-09");
    entry(e, "Description", &description);
    e.key("Resources");
    e.begin_map();
    for p in &model.profiles {
        if scope != Scope::Settings {
            profile_resources(model, p, e);
        }
        if scope != Scope::Iam {
            setting_resource(p, scope, e);
        }
    }
    e.end_map();
    if scope != Scope::Settings {
        e.key("Outputs");
        e.begin_map();
        for p in &model.profiles {
            profile_outputs(p, e);
        }
        e.end_map();
    }
    e.end_map();
}

/// CloudFormation writes literals as they are, and deploy-time values with `Ref` or
/// `Fn::Sub` (see `text`).
struct CloudFormation;

impl Spelling for CloudFormation {
    fn literal<'s>(&self, s: &'s str) -> Cow<'s, str> {
        Cow::Borrowed(s)
    }

    fn text(&self, t: &Text) -> Value {
        text(t)
    }

    fn emit_text<E: Emit>(&self, t: &Text, e: &mut E) {
        write_text(t, e);
    }
}

/// The logical IDs of a profile's role and instance profile (its custom policies' are
/// their `id`s).
pub fn logical_ids(p: &Profile) -> (String, String) {
    (format!("{}Role", p.id), format!("{}InstanceProfile", p.id))
}

/// The logical ID of a profile's service setting (the CDK's construct ID too).
pub fn setting_logical_id(p: &Profile) -> String {
    format!("{}ServiceSetting", p.id)
}

/// A resource's `Roles`: the role the profile creates, by `Ref`, or the one it names.
fn roles<E: Emit>(p: &Profile, role_id: &str, e: &mut E) {
    e.key("Roles");
    e.begin_list();
    match &p.role {
        RoleRef::Create(_) => e.intrinsic(Intrinsic::Ref(role_id)),
        RoleRef::Existing { name } => e.string(name),
    }
    e.end_list();
}

fn profile_resources<E: Emit>(model: &Model, p: &Profile, e: &mut E) {
    let (role_id, profile_id) = logical_ids(p);

    if let RoleRef::Create(role) = &p.role {
        e.key(&role_id);
        open_resource(p, "AWS::IAM::Role", &scanners::guard_role(model, p), e);
        entry(e, "RoleName", &role.name);
        if let Some(d) = &role.description {
            entry(e, "Description", d);
        }
        if let Some(path) = &role.path {
            entry(e, "Path", path);
        }
        e.key("AssumeRolePolicyDocument");
        document::write_trust_policy(&role.trust, &CloudFormation, e);
        if !p.managed_policies.is_empty() {
            e.key("ManagedPolicyArns");
            e.begin_list();
            for m in &p.managed_policies {
                e.string(m.arn.as_str());
            }
            e.end_list();
        }
        if let Some(b) = &role.permissions_boundary {
            entry(e, "PermissionsBoundary", b);
        }
        if let Some(s) = role.max_session_duration {
            e.key("MaxSessionDuration");
            e.number(&Number::from(s));
        }
        if !p.tags.is_empty() {
            e.key("Tags");
            e.begin_list();
            for t in &p.tags {
                e.begin_map();
                entry(e, "Key", &t.key);
                entry(e, "Value", &t.value);
                e.end_map();
            }
            e.end_list();
        }
        close_resource(e);
    }

    for policy in &p.custom_policies {
        e.key(&policy.id);
        let guard = scanners::guard_policy(model, p, policy);
        open_resource(p, "AWS::IAM::ManagedPolicy", &guard, e);
        entry(e, "ManagedPolicyName", &policy.name);
        if let Some(path) = &policy.path {
            entry(e, "Path", path);
        }
        e.key("PolicyDocument");
        document::write_policy_document(&policy.statements, &CloudFormation, e);
        roles(p, &role_id, e);
        close_resource(e);
    }

    if let Some(ip) = &p.instance_profile {
        e.key(&profile_id);
        open_resource(p, "AWS::IAM::InstanceProfile", &[], e);
        entry(e, "InstanceProfileName", &ip.name);
        if let Some(path) = &ip.path {
            entry(e, "Path", path);
        }
        roles(p, &role_id, e);
        close_resource(e);
    }
}

/// A profile's outputs: each resource's ARN or name.
fn profile_outputs<E: Emit>(p: &Profile, e: &mut E) {
    let (role_id, profile_id) = logical_ids(p);
    for o in describe::stack_outputs(p) {
        let resource = match o.resource {
            Resource::Role => &role_id,
            Resource::InstanceProfile => &profile_id,
        };
        e.key(&format!("{}{}", p.id, o.suffix()));
        e.begin_map();
        entry(e, "Description", &o.description);
        e.key("Value");
        match o.attribute {
            Attribute::Arn => e.intrinsic(Intrinsic::GetAtt(&[resource, "Arn"])),
            Attribute::Name => e.intrinsic(Intrinsic::Ref(resource)),
        }
        e.end_map();
    }
}

/// Opens a resource of `kind` up to its `Properties`' first entry: an adopted
/// profile's resources are kept when they leave the stack or are replaced
/// (CloudFormation imports a resource only with a `DeletionPolicy`, and one made by
/// hand, which instances may be using, should outlive the stack), and the
/// `Metadata` suppresses the Guard rules (and their cfn_nag twins, which carry the
/// reasons) it breaks by design. `close_resource` closes it.
fn open_resource<E: Emit>(p: &Profile, kind: &str, guard: &[Guard], e: &mut E) {
    e.begin_map();
    entry(e, "Type", kind);
    if p.adopt {
        entry(e, "DeletionPolicy", "Retain");
        entry(e, "UpdateReplacePolicy", "Retain");
    }
    if !guard.is_empty() {
        e.key("Metadata");
        e.begin_map();
        e.key("guard");
        e.begin_map();
        e.key("SuppressedRules");
        e.begin_list();
        for g in guard {
            e.string(g.rule);
        }
        e.end_list();
        e.end_map();
        e.key("cfn_nag");
        e.begin_map();
        e.key("rules_to_suppress");
        e.begin_list();
        for g in guard {
            e.begin_map();
            entry(e, "id", g.cfn_nag);
            entry(e, "reason", &g.reason);
            e.end_map();
        }
        e.end_list();
        e.end_map();
        e.end_map();
    }
    e.key("Properties");
    e.begin_map();
}

fn close_resource<E: Emit>(e: &mut E) {
    e.end_map();
    e.end_map();
}

/// A profile's service setting. The value names the role by a literal name: in the
/// whole template, DependsOn orders the two.
fn setting_resource<E: Emit>(p: &Profile, scope: Scope, e: &mut E) {
    let Some(setting) = &p.service_setting else {
        return;
    };
    e.key(&setting_logical_id(p));
    e.begin_map();
    entry(e, "Type", "AWS::SSM::ServiceSetting");
    if scope == Scope::Whole {
        entry(e, "DependsOn", &logical_ids(p).0);
    }
    e.key("Properties");
    e.begin_map();
    entry(e, "SettingId", setting.id);
    entry(e, "SettingValue", &setting.value);
    e.end_map();
    e.end_map();
}

/// A model text as CloudFormation data (`write_text`).
fn text(t: &Text) -> Value {
    let mut data = Data::default();
    write_text(t, &mut data);
    data.finish()
}

/// A model text as CloudFormation: a plain string when fully known, `Ref` for a lone
/// pseudo parameter, `Fn::Sub` otherwise (with literal `${` escaped as `${!`).
fn write_text<E: Emit>(t: &Text, e: &mut E) {
    if let Some(s) = t.literal() {
        return e.string(s);
    }
    if let [Part::AccountId] = t.0.as_slice() {
        return e.intrinsic(Intrinsic::Ref("AWS::AccountId"));
    }
    if let [Part::Region] = t.0.as_slice() {
        return e.intrinsic(Intrinsic::Ref("AWS::Region"));
    }
    let mut sub = String::new();
    for part in &t.0 {
        match part {
            Part::Literal(s) => sub.push_str(&escape_sub(s)),
            Part::AccountId => sub.push_str("${AWS::AccountId}"),
            Part::Region => sub.push_str("${AWS::Region}"),
        }
    }
    e.intrinsic(Intrinsic::Sub(&sub));
}

/// Literal text inside `Fn::Sub`: `${` would start a substitution, `${!` writes it.
pub fn escape_sub(s: &str) -> String {
    s.replace("${", "${!")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sub_escapes_only_substitution_openers() {
        assert_eq!(escape_sub("arn:aws:ssm:"), "arn:aws:ssm:");
        assert_eq!(escape_sub("a${b}"), "a${!b}");
        assert_eq!(escape_sub("$ {x} $"), "$ {x} $");
    }

    /// A parameter ARN of the deploying account is an `Fn::Sub`: its literal parts
    /// (which `readable`'s name rule keeps free of `$`, `{` and `}` already) cannot
    /// start a substitution of their own.
    #[test]
    fn an_arn_of_the_account_substitutes_the_account_alone() {
        let r = crate::model::Resource::in_account("arn:aws:ssm:*:", ":parameter/app/*");
        assert_eq!(
            text(&r.text()),
            json!({ "Fn::Sub": "arn:aws:ssm:*:${AWS::AccountId}:parameter/app/*" })
        );
        let r = crate::model::Resource::in_account("arn:${x}:", ":${AWS::Region}");
        assert_eq!(
            text(&r.text()),
            json!({ "Fn::Sub": "arn:${!x}:${AWS::AccountId}:${!AWS::Region}" })
        );
    }
}

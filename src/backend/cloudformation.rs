//! CloudFormation: the template is built as data, then serialised as JSON or YAML.

use serde_json::{Map, Value, json};

pub mod rollout;
pub mod target;

/// The target's name, as `--target` takes it.
pub const NAME: &str = "cloudformation";
pub mod yaml;

use super::RenderError;
use super::describe::{self, Attribute, Resource};
use super::document::{self, Spelling, object};
use super::options::StackPart;
use super::scanners::{self, Guard};
use crate::model::{Model, Part, Profile, RoleRef, Text};

/// The template of `model`, or of one stack of several (`stack`), as JSON.
pub fn json(model: &Model, stack: Option<StackPart>) -> Result<String, RenderError> {
    Ok(crate::text::pretty_json(&scoped_template(
        model,
        Scope::Whole,
        stack,
    )))
}

pub fn yaml(model: &Model, stack: Option<StackPart>) -> Result<String, RenderError> {
    Ok(yaml::to_yaml(&scoped_template(model, Scope::Whole, stack)))
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
    let mut resources = Map::new();
    let mut outputs = Map::new();
    for p in &model.profiles {
        if scope != Scope::Settings {
            profile_resources(model, p, &mut resources, &mut outputs);
        }
        if scope != Scope::Iam {
            setting_resource(p, scope, &mut resources);
        }
    }
    let description = match scope {
        Scope::Whole => describe::part_description(model, stack),
        Scope::Iam => describe::STACK_DESCRIPTION.to_string(),
        Scope::Settings => describe::SETTINGS_DESCRIPTION.to_string(),
    };
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    template.insert("Description".into(), json!(description));
    template.insert("Resources".into(), Value::Object(resources));
    if scope != Scope::Settings {
        template.insert("Outputs".into(), Value::Object(outputs));
    }
    Value::Object(template)
}

/// CloudFormation writes literals as they are, and deploy-time values with `Ref` or
/// `Fn::Sub` (see `text`).
struct CloudFormation;

impl Spelling for CloudFormation {
    fn literal(&self, s: &str) -> String {
        s.to_string()
    }

    fn text(&self, t: &Text) -> Value {
        text(t)
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

fn profile_resources(
    model: &Model,
    p: &Profile,
    resources: &mut Map<String, Value>,
    outputs: &mut Map<String, Value>,
) {
    let (role_id, profile_id) = logical_ids(p);
    let role_value = match &p.role {
        RoleRef::Create(_) => json!({ "Ref": role_id }),
        RoleRef::Existing { name } => Value::String(name.clone()),
    };

    if let RoleRef::Create(role) = &p.role {
        let mut props = Map::new();
        props.insert("RoleName".into(), json!(role.name));
        if let Some(d) = &role.description {
            props.insert("Description".into(), json!(d));
        }
        if let Some(path) = &role.path {
            props.insert("Path".into(), json!(path));
        }
        props.insert(
            "AssumeRolePolicyDocument".into(),
            document::trust_policy(&role.trust, &CloudFormation),
        );
        if !p.managed_policies.is_empty() {
            let arns: Vec<&str> = p.managed_policies.iter().map(|m| m.arn.as_str()).collect();
            props.insert("ManagedPolicyArns".into(), json!(arns));
        }
        if let Some(b) = &role.permissions_boundary {
            props.insert("PermissionsBoundary".into(), json!(b));
        }
        if let Some(s) = role.max_session_duration {
            props.insert("MaxSessionDuration".into(), json!(s));
        }
        if !p.tags.is_empty() {
            let tags: Vec<Value> = p
                .tags
                .iter()
                .map(|t| json!({ "Key": t.key, "Value": t.value }))
                .collect();
            props.insert("Tags".into(), Value::Array(tags));
        }
        let guard = scanners::guard_role(model, p);
        resources.insert(
            role_id.clone(),
            retained(p, resource("AWS::IAM::Role", &guard, props)),
        );
    }

    for policy in &p.custom_policies {
        let mut props = Map::new();
        props.insert("ManagedPolicyName".into(), json!(policy.name));
        if let Some(path) = &policy.path {
            props.insert("Path".into(), json!(path));
        }
        props.insert(
            "PolicyDocument".into(),
            document::policy_document(&policy.statements, &CloudFormation),
        );
        props.insert("Roles".into(), Value::Array(vec![role_value.clone()]));
        let guard = scanners::guard_policy(model, p, policy);
        resources.insert(
            policy.id.clone(),
            retained(p, resource("AWS::IAM::ManagedPolicy", &guard, props)),
        );
    }

    if let Some(ip) = &p.instance_profile {
        let mut props = Map::new();
        props.insert("InstanceProfileName".into(), json!(ip.name));
        if let Some(path) = &ip.path {
            props.insert("Path".into(), json!(path));
        }
        props.insert("Roles".into(), Value::Array(vec![role_value]));
        resources.insert(
            profile_id.clone(),
            retained(
                p,
                object([
                    ("Type", "AWS::IAM::InstanceProfile".into()),
                    ("Properties", Value::Object(props)),
                ]),
            ),
        );
    }

    for o in describe::stack_outputs(p) {
        let resource = match o.resource {
            Resource::Role => &role_id,
            Resource::InstanceProfile => &profile_id,
        };
        let value = match o.attribute {
            Attribute::Arn => json!({ "Fn::GetAtt": [resource, "Arn"] }),
            Attribute::Name => json!({ "Ref": resource }),
        };
        outputs.insert(
            format!("{}{}", p.id, o.suffix()),
            object([("Description", o.description.into()), ("Value", value)]),
        );
    }
}

/// A resource of `kind`, with the `Metadata` that suppresses the Guard rules (and their
/// cfn_nag twins, which carry the reasons) it breaks by design.
fn resource(kind: &str, guard: &[Guard], props: Map<String, Value>) -> Value {
    let mut resource = Map::new();
    resource.insert("Type".into(), json!(kind));
    if !guard.is_empty() {
        let rules: Vec<&str> = guard.iter().map(|g| g.rule).collect();
        let reasons: Vec<Value> = guard
            .iter()
            .map(|g| json!({ "id": g.cfn_nag, "reason": g.reason }))
            .collect();
        resource.insert(
            "Metadata".into(),
            json!({
                "guard": { "SuppressedRules": rules },
                "cfn_nag": { "rules_to_suppress": reasons },
            }),
        );
    }
    resource.insert("Properties".into(), Value::Object(props));
    Value::Object(resource)
}

/// A CloudFormation resource of an adopted profile, kept when it leaves the stack
/// or is replaced: CloudFormation imports a resource only with a `DeletionPolicy`,
/// and one made by hand, which instances may be using, should outlive the stack.
/// Other profiles' resources are returned as they are.
fn retained(p: &Profile, resource: Value) -> Value {
    let Value::Object(fields) = resource else {
        return resource;
    };
    if !p.adopt {
        return Value::Object(fields);
    }
    let mut out = Map::new();
    for (key, value) in fields {
        let after_type = key == "Type";
        out.insert(key, value);
        if after_type {
            out.insert("DeletionPolicy".into(), json!("Retain"));
            out.insert("UpdateReplacePolicy".into(), json!("Retain"));
        }
    }
    Value::Object(out)
}

/// A profile's service setting. The value names the role by a literal name: in the
/// whole template, DependsOn orders the two.
fn setting_resource(p: &Profile, scope: Scope, resources: &mut Map<String, Value>) {
    let Some(setting) = &p.service_setting else {
        return;
    };
    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::SSM::ServiceSetting"));
    if scope == Scope::Whole {
        resource.insert("DependsOn".into(), json!(logical_ids(p).0));
    }
    resource.insert(
        "Properties".into(),
        json!({ "SettingId": setting.id, "SettingValue": setting.value }),
    );
    resources.insert(setting_logical_id(p), Value::Object(resource));
}

/// A model text as CloudFormation: a plain string when fully known, `Ref` for a lone
/// pseudo parameter, `Fn::Sub` otherwise (with literal `${` escaped as `${!`).
fn text(t: &Text) -> Value {
    if let Some(s) = t.literal() {
        return json!(s);
    }
    if let [Part::AccountId] = t.0.as_slice() {
        return json!({ "Ref": "AWS::AccountId" });
    }
    if let [Part::Region] = t.0.as_slice() {
        return json!({ "Ref": "AWS::Region" });
    }
    let mut sub = String::new();
    for part in &t.0 {
        match part {
            Part::Literal(s) => sub.push_str(&escape_sub(s)),
            Part::AccountId => sub.push_str("${AWS::AccountId}"),
            Part::Region => sub.push_str("${AWS::Region}"),
        }
    }
    json!({ "Fn::Sub": sub })
}

/// Literal text inside `Fn::Sub`: `${` would start a substitution, `${!` writes it.
pub fn escape_sub(s: &str) -> String {
    s.replace("${", "${!")
}

#[cfg(test)]
mod tests {
    use super::*;

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

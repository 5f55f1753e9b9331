//! CloudFormation: the template is built as data, then serialised as JSON or YAML.

use serde_json::{Map, Value, json};

use super::RenderError;
use super::capability::CLOUDFORMATION;
use super::describe::{self, Attribute, Resource};
use super::document::{self, Spelling};
use crate::model::{Model, Part, Profile, RoleRef, Text};

pub fn json(model: &Model) -> Result<String, RenderError> {
    Ok(crate::text::pretty_json(&template(model)?))
}

pub fn yaml(model: &Model) -> Result<String, RenderError> {
    Ok(super::cfn_yaml::to_yaml(&template(model)?))
}

/// The whole template as data, or why this target cannot express the model (for
/// tests that compare what templates mean).
pub fn template(model: &Model) -> Result<Value, RenderError> {
    CLOUDFORMATION.check(model)?;
    let mut resources = Map::new();
    let mut outputs = Map::new();
    for p in &model.profiles {
        profile_resources(p, &mut resources, &mut outputs);
    }
    Ok(json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": describe::stack_description(model),
        "Resources": resources,
        "Outputs": outputs,
    }))
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

fn logical_ids(p: &Profile) -> (String, String) {
    (format!("{}Role", p.id), format!("{}InstanceProfile", p.id))
}

/// The logical ID of a profile's service setting (the CDK's construct ID too).
pub fn setting_logical_id(p: &Profile) -> String {
    format!("{}ServiceSetting", p.id)
}

fn profile_resources(
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
        resources.insert(
            role_id.clone(),
            json!({ "Type": "AWS::IAM::Role", "Properties": props }),
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
        props.insert("Roles".into(), json!([role_value.clone()]));
        resources.insert(
            policy.id.clone(),
            json!({ "Type": "AWS::IAM::ManagedPolicy", "Properties": props }),
        );
    }

    if let Some(ip) = &p.instance_profile {
        let mut props = Map::new();
        props.insert("InstanceProfileName".into(), json!(ip.name));
        if let Some(path) = &ip.path {
            props.insert("Path".into(), json!(path));
        }
        props.insert("Roles".into(), json!([role_value]));
        resources.insert(
            profile_id.clone(),
            json!({ "Type": "AWS::IAM::InstanceProfile", "Properties": props }),
        );
    }

    if let Some(setting) = &p.service_setting {
        // The value names the role by a literal name: DependsOn orders the two.
        resources.insert(
            setting_logical_id(p),
            json!({
                "Type": "AWS::SSM::ServiceSetting",
                "DependsOn": role_id,
                "Properties": {
                    "SettingId": setting.id,
                    "SettingValue": setting.value,
                },
            }),
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
            json!({ "Description": o.description, "Value": value }),
        );
    }
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
}

//! The rollout as CloudFormation (`build --rollout`): a template of service-managed
//! StackSets, as `backend::rollout` decides them.

use serde_json::{Map, Value, json};

use crate::backend::RenderError;
use crate::backend::rollout;
use crate::model::Model;
use crate::refdata::rules;

/// The rollout (`build --rollout`): a template of service-managed StackSets.
pub fn json(model: &Model) -> Result<String, RenderError> {
    Ok(crate::text::pretty_json(&template(model)?))
}

pub fn yaml(model: &Model) -> Result<String, RenderError> {
    Ok(super::yaml::to_yaml(&template(model)?))
}

/// The rollout's template as data: an `AWS::CloudFormation::StackSet` per StackSet of
/// `rollout::stack_sets`, each creating its stack instances (StackInstancesGroup).
pub fn template(model: &Model) -> Result<Value, RenderError> {
    let (r, sets) = rollout::stack_sets(model, super::NAME)?;
    let arn_format = rollout::stack_set_arn_format(r);
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    template.insert("Description".into(), json!(rollout::ROLLOUT_DESCRIPTION));
    if rollout::needs_management_account(r, &sets) {
        template.insert(
            "Parameters".into(),
            json!({ rollout::MANAGEMENT_ACCOUNT_PARAMETER: {
                "Type": "String",
                "AllowedPattern": rules::ACCOUNT_ID.pattern(),
                "Description": rollout::MANAGEMENT_ACCOUNT_DESCRIPTION,
            } }),
        );
    }
    if let Some((regions, description)) = rollout::delegated_admin_regions(r) {
        template.insert(
            "Rules".into(),
            json!({ rollout::DELEGATED_ADMIN_RULE: { "Assertions": [{
                "Assert": { "Fn::Contains": [regions, { "Ref": "AWS::Region" }] },
                "AssertDescription": description,
            }] } }),
        );
    }
    let mut resources = Map::new();
    for set in sets {
        let mut props = Map::new();
        props.insert("StackSetName".into(), json!(set.name));
        props.insert("Description".into(), json!(set.description));
        props.insert("PermissionModel".into(), json!(rollout::SERVICE_MANAGED));
        if let Some(call_as) = rollout::call_as(r) {
            props.insert("CallAs".into(), json!(call_as));
        }
        if !set.capabilities.is_empty() {
            props.insert("Capabilities".into(), json!(set.capabilities));
        }
        let mut auto = Map::new();
        auto.insert("Enabled".into(), json!(r.auto_deployment));
        if r.auto_deployment {
            auto.insert(
                "RetainStacksOnAccountRemoval".into(),
                json!(r.retain_stacks_on_account_removal),
            );
        }
        if let Some(after) = rollout::auto_deployment_after(r, &set) {
            auto.insert(
                "DependsOn".into(),
                json!([{ "Fn::Sub": [arn_format, { "StackSetId": { "Ref": after } }] }]),
            );
        }
        props.insert("AutoDeployment".into(), Value::Object(auto));
        props.insert("ManagedExecution".into(), json!({ "Active": true }));
        props.insert(
            "OperationPreferences".into(),
            json!({
                "FailureTolerancePercentage": r.failure_tolerance_percentage,
                "MaxConcurrentPercentage": r.max_concurrent_percentage,
            }),
        );
        props.insert(
            "StackInstancesGroup".into(),
            json!([{
                "DeploymentTargets": { "OrganizationalUnitIds": r.organizational_units },
                "Regions": set.regions,
            }]),
        );
        props.insert("TemplateBody".into(), json!(set.template_body));
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::CloudFormation::StackSet"));
        // AutoDeployment.DependsOn's Ref orders the first deployment too.
        if let (Some(after), None) = (set.after, rollout::auto_deployment_after(r, &set)) {
            resource.insert("DependsOn".into(), json!(after));
        }
        resource.insert("Properties".into(), Value::Object(props));
        resources.insert(set.logical_id.into(), Value::Object(resource));
    }
    template.insert("Resources".into(), Value::Object(resources));
    Ok(Value::Object(template))
}

//! What the rollout templates (`templates/cdk/rollout.{ts,py}.j2`) need: the
//! rollout's StackSets (`backend::rollout`) as `CfnStackSet` constructs, every value
//! as the model holds it (the templates quote them through `ts_string` /
//! `py_string`).

use serde::Serialize;

use super::Language;
use crate::backend::RenderError;
use crate::backend::naming::Unique;
use crate::backend::rollout::{self as plan, ROLLOUT_DESCRIPTION, SERVICE_MANAGED};
use crate::model::Model;
use crate::refdata::rules;

/// The class the rollout outputs define, and the app's stack (apart from the
/// profiles' `SsmProfileStack`: one app may hold both).
pub const CLASS_NAME: &str = "SsmProfilesRollout";
const ROLLOUT_STACK_ID: &str = "SsmProfileRolloutStack";

#[derive(Debug, Serialize)]
pub(super) struct RolloutContext {
    app: bool,
    class_name: &'static str,
    stack_id: &'static str,
    stack_description: &'static str,
    permission_model: &'static str,
    call_as: Option<&'static str>,
    organizational_units: Vec<String>,
    auto_deployment: bool,
    retain_stacks_on_account_removal: bool,
    max_concurrent_percentage: u32,
    failure_tolerance_percentage: u32,
    stack_sets: Vec<StackSetContext>,
    /// The `Fn.sub` format of a StackSet's ARN (`backend::rollout`).
    stack_set_arn_format: String,
    /// `ManagementAccountId`'s (name, pattern, description), for a delegated
    /// administrator whose StackSets name each other by ARN.
    management_account: Option<[String; 3]>,
    /// The delegated administrator's region rule: (logical ID, regions, description).
    region_rule: Option<(&'static str, Vec<&'static str>, String)>,
    /// Whether the code calls `Fn` (the rule, or an ARN for AutoDeployment.DependsOn).
    uses_fn: bool,
}

#[derive(Debug, Serialize)]
struct StackSetContext {
    member: String,
    construct_id: &'static str,
    name: String,
    description: String,
    purpose: &'static str,
    capabilities: Vec<&'static str>,
    regions: Vec<String>,
    template_body: String,
    /// The member of the StackSet deployed before this one.
    after: Option<String>,
    /// The member of the StackSet whose ARN AutoDeployment.DependsOn names.
    auto_after: Option<String>,
}

pub(super) fn context(
    model: &Model,
    language: Language,
    app: bool,
) -> Result<RolloutContext, RenderError> {
    let (r, sets) = plan::stack_sets(model, super::NAME)?;
    let mut names = Unique::new("");
    let members: Vec<(&'static str, String)> = sets
        .iter()
        .map(|s| (s.logical_id, names.claim(&language.member(s.logical_id))))
        .collect();
    let member_of = |id: &str| {
        members
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, m)| m.clone())
    };
    let management_account = plan::needs_management_account(r, &sets).then(|| {
        [
            plan::MANAGEMENT_ACCOUNT_PARAMETER.to_string(),
            rules::ACCOUNT_ID.pattern(),
            plan::MANAGEMENT_ACCOUNT_DESCRIPTION.to_string(),
        ]
    });
    let stack_sets: Vec<StackSetContext> = sets
        .iter()
        .map(|s| (plan::auto_deployment_after(r, s), s.clone()))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(auto_after, s)| StackSetContext {
            auto_after: auto_after.and_then(member_of),
            member: member_of(s.logical_id).expect("every StackSet has a member"),
            construct_id: s.logical_id,
            name: s.name,
            description: s.description,
            purpose: s.purpose,
            capabilities: s.capabilities,
            regions: s.regions,
            template_body: s.template_body,
            after: s.after.and_then(member_of),
        })
        .collect();
    let uses_fn = r.call_as == crate::model::CallAs::DelegatedAdmin
        || stack_sets.iter().any(|s| s.auto_after.is_some());
    Ok(RolloutContext {
        app,
        class_name: CLASS_NAME,
        stack_id: ROLLOUT_STACK_ID,
        stack_description: ROLLOUT_DESCRIPTION,
        permission_model: SERVICE_MANAGED,
        call_as: plan::call_as(r),
        organizational_units: r.organizational_units.clone(),
        auto_deployment: r.auto_deployment,
        retain_stacks_on_account_removal: r.retain_stacks_on_account_removal,
        max_concurrent_percentage: r.max_concurrent_percentage,
        failure_tolerance_percentage: r.failure_tolerance_percentage,
        stack_sets,
        uses_fn,
        stack_set_arn_format: plan::stack_set_arn_format(r),
        management_account,
        region_rule: plan::delegated_admin_regions(r)
            .map(|(regions, why)| (plan::DELEGATED_ADMIN_RULE, regions.to_vec(), why)),
    })
}

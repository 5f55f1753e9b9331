//! The stack instances a CloudFormation StackSet loses. Its `StackInstancesGroup`
//! updates in place, but every (OU, region) it no longer lists is a
//! DeleteStackInstances (`refdata::replacement::REMOVED_STACK_INSTANCES`): the
//! stacks in every account of that OU, and the roles and instance profiles in them,
//! are deleted. That is a deletion for `impact`, not an update, though the StackSet
//! itself stays.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Change, Item, Resource};

/// The kind `impact` gives a StackSet's lost stack instances.
pub const LOST_INSTANCES: &str = "AWS::CloudFormation::StackSet stack instances";

/// One deleted item per (OU, region) a CloudFormation StackSet of `before` targets
/// and the same StackSet (container and logical ID) of `after` no longer does.
pub fn lost(before: &[Resource], after: &[Resource]) -> Vec<Item> {
    let mut out = Vec::new();
    for was in before
        .iter()
        .filter(|r| r.kind == "AWS::CloudFormation::StackSet")
    {
        let Some(now) = after
            .iter()
            .find(|r| r.kind == was.kind && r.container == was.container && r.key == was.key)
        else {
            // A StackSet deleted or renamed loses all its instances: impact says so already.
            continue;
        };
        let kept = targets(now);
        for (ou, region) in targets(was).difference(&kept) {
            let mut resource = was.clone();
            resource.kind = LOST_INSTANCES.to_string();
            resource.key = format!("{} OU {ou} in {region}", was.key);
            resource.cdk = None;
            out.push(Item {
                resource,
                change: Change::Deleted,
            });
        }
    }
    out
}

/// Every (OU, region) a StackSet's `StackInstancesGroup` names.
fn targets(r: &Resource) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let groups = r
        .properties
        .get("StackInstancesGroup")
        .and_then(Value::as_array);
    for g in groups.into_iter().flatten() {
        let ous = g["DeploymentTargets"]["OrganizationalUnitIds"].as_array();
        let regions = g["Regions"].as_array();
        for ou in ous.into_iter().flatten() {
            for region in regions.into_iter().flatten() {
                // A value that is not literal (a Ref) is compared as its JSON text.
                let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
                out.insert((text(ou), text(region)));
            }
        }
    }
    out
}

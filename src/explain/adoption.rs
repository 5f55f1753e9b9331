//! What `adopt: true` means, for `explain`: which resources are taken over, how each
//! target does it, and what the first deploy then does to them.

use std::fmt::Write;

use serde_json::{Value, json};

use super::Lines;
use crate::backend::adoption::imports;
use crate::model::Profile;

/// What the first deploy after an import does to the adopted resources.
const AUTHORITATIVE: &str = "After the import the spec is authoritative: the first deploy sets the role's trust policy, description, session duration, permissions boundary and tags, and the custom policies' statements, to the spec's. CloudFormation and the CDK hold the role's managed policies as one list (ManagedPolicyArns), Terraform one attachment each: a policy attached by hand that the spec does not list is not detached by Terraform, so detach it yourself (`ssm-profile drift` names it).";

const HOW: &str = "Terraform imports them with the import blocks of imports.tf on the next apply; CloudFormation with an IMPORT change set of the import template and the resources to import, then an update to the full template; the CDK with `cdk import --resource-mapping`, then `cdk deploy`. CloudFormation and the CDK retain them (DeletionPolicy and UpdateReplacePolicy Retain): deleting the stack or replacing a resource leaves the one made by hand, which instances may be using.";

/// The `Adoption` section of an adopted profile; nothing for the others.
pub(super) fn section(out: &mut Lines, p: &Profile) {
    if !p.adopt {
        return;
    }
    out.blank();
    let _ = writeln!(out, "  Adoption (adopt: true)");
    let mut names = vec![format!("the role {}", p.role.name())];
    names.extend(
        p.custom_policies
            .iter()
            .map(|c| format!("the policy {}", c.name)),
    );
    names.extend(
        p.instance_profile
            .iter()
            .map(|ip| format!("the instance profile {}", ip.name)),
    );
    let _ = writeln!(
        out,
        "    These exist already and are taken over, not created: {}.",
        names.join(", ")
    );
    let _ = writeln!(out, "    {HOW}");
    let _ = writeln!(out, "    {AUTHORITATIVE}");
    let _ = writeln!(
        out,
        "    Before the first deploy: `ssm-profile drift SPEC --live FILE` says what it would change."
    );
}

/// `adoption` of `explain --format json`: null, or the resources taken over.
pub(super) fn json(p: &Profile) -> Value {
    if !p.adopt {
        return Value::Null;
    }
    json!({
        "imports": imports(p).iter().map(|i| json!({
            "resource_type": i.resource_type,
            "logical_id": i.logical_id,
            "identifier": { i.identifier_key: i.identifier },
        })).collect::<Vec<_>>(),
        "how": HOW,
        "after": AUTHORITATIVE,
    })
}

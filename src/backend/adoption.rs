//! Adoption (`adopt: true`): the files that take over a profile's role, custom
//! policies and instance profile where they exist already, instead of creating
//! them. Each target imports in its own tool's way (`cloudformation`: an import
//! template and the resources to import; `terraform`: `import` blocks; `cdk`: the
//! resource mapping of `cdk import`); what is imported, and by which identifier, is
//! decided here once, from the model.

pub mod cdk;
pub mod cloudformation;

use super::RenderError;
use super::cloudformation::logical_ids;
use crate::model::{CustomPolicy, Model, Profile, RoleRef};

/// Whether any profile of `model` is adopted: the adoption outputs are written only
/// then (`Output::applies`).
pub fn adopts(model: &Model) -> bool {
    model.profiles.iter().any(|p| p.adopt)
}

/// The model of the adopted profiles alone, or why there is nothing to adopt.
pub fn adopted(model: &Model, target: &'static str) -> Result<Model, RenderError> {
    let indices: Vec<usize> = (0..model.profiles.len())
        .filter(|&i| model.profiles[i].adopt)
        .collect();
    if indices.is_empty() {
        return Err(RenderError::Refused {
            target,
            at: None,
            message: "no profile of this spec has `adopt: true`, so there is nothing to import: set `adopt: true` on the profiles whose resources exist already".to_string(),
        });
    }
    Ok(super::stacks::part(model, &indices))
}

/// One resource to take over: its CloudFormation type and logical ID (the CDK's too,
/// which overrides its logical IDs to these), and the property it is imported by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub resource_type: &'static str,
    pub logical_id: String,
    pub identifier_key: &'static str,
    pub identifier: String,
}

/// The resources of an adopted profile, in the template's order: the role, the
/// custom policies, the instance profile. A policy is imported by its ARN, in the
/// spec's `account_id`, which the model requires with `adopt`.
pub fn imports(p: &Profile) -> Vec<Import> {
    let (role_id, profile_id) = logical_ids(p);
    let mut out = Vec::new();
    if let RoleRef::Create(role) = &p.role {
        out.push(Import {
            resource_type: "AWS::IAM::Role",
            logical_id: role_id,
            identifier_key: "RoleName",
            identifier: role.name.clone(),
        });
    }
    for policy in &p.custom_policies {
        out.push(Import {
            resource_type: "AWS::IAM::ManagedPolicy",
            logical_id: policy.id.clone(),
            identifier_key: "PolicyArn",
            identifier: policy_arn(p, policy, p.account_id.as_deref().unwrap_or_default()),
        });
    }
    if let Some(ip) = &p.instance_profile {
        out.push(Import {
            resource_type: "AWS::IAM::InstanceProfile",
            logical_id: profile_id,
            identifier_key: "InstanceProfileName",
            identifier: ip.name.clone(),
        });
    }
    out
}

/// The ARN of a custom policy in `account`: `arn:PARTITION:iam::ACCOUNT:policy` then
/// its path (`/` by default) and name.
pub fn policy_arn(p: &Profile, policy: &CustomPolicy, account: &str) -> String {
    format!(
        "arn:{}:iam::{account}:policy{}{}",
        p.arn_partition,
        policy.path.as_deref().unwrap_or("/"),
        policy.name
    )
}

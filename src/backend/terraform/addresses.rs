//! The addresses Terraform knows the attachments by, and the check that no two
//! attachments ask for one.

use crate::backend::RenderError;
use crate::backend::naming::snake_case;
use crate::model::Model;

/// The address of the attachment of the managed policy `arn` to the role at
/// `role_address`: the role's, then the policy's name (`web_amazon_ssm_managed_instance_core`).
pub(super) fn managed_attachment(role_address: &str, arn: &str) -> String {
    format!("{role_address}_{}", snake_case(policy_name_of_arn(arn)))
}

/// The address of the module's attachment of its `additional_policy_arns` input.
pub(super) fn input_attachment(role_address: &str) -> String {
    format!("{role_address}_additional")
}

/// Refuses a spec in which two attachments ask for one address (`module_layout`: the
/// module's attachment of its `additional_policy_arns` input is one more): `Unique` would give
/// the later one a number, and which one is later depends on the profiles around
/// it, so removing a policy from one profile would rename (detach, then attach
/// again) another profile's attachment. Profile and policy addresses cannot collide
/// (the model refuses identifiers equal but for case); attachments join two names,
/// and `web` with the policy `XAmazonSSMManagedInstanceCore` is `web-x` with Core.
pub fn check_addresses(model: &Model, module_layout: bool) -> Result<(), RenderError> {
    let mut claimed: std::collections::BTreeMap<String, String> = Default::default();
    for (i, p) in model.profiles.iter().enumerate() {
        let role = snake_case(&p.id);
        let mut asked: Vec<(String, String)> = (p.managed_policies.iter())
            .map(|m| {
                (
                    managed_attachment(&role, &m.arn),
                    format!("the policy {}", m.arn),
                )
            })
            .collect();
        asked.extend((p.custom_policies.iter()).map(|c| {
            let what = format!("the policy {} it writes", c.name);
            (snake_case(&c.id), what)
        }));
        if module_layout {
            asked.push((
                input_attachment(&role),
                "the additional_policy_arns input".into(),
            ));
        }
        for (address, what) in asked {
            let this = format!("profile `{}`'s attachment of {what}", p.name);
            if let Some(first) = claimed.insert(address.clone(), this.clone()) {
                return Err(RenderError::Refused {
                    target: "terraform",
                    at: Some(format!("profiles[{i}].name")),
                    message: format!(
                        "{this} and {first} would both be the Terraform resource `aws_iam_role_policy_attachment.{address}`; rename the profile (or the policy) so that each address is its own"
                    ),
                });
            }
        }
    }
    Ok(())
}

fn policy_name_of_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

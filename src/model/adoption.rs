//! `adopt` across the spec: what it cannot be combined with at the top level, and
//! the spec's `account_id`, which it needs.

use super::rules::is_account_id;
use crate::diag::RuleError;
use crate::refdata::rules;
use crate::spec::Spec;

/// Adoption imports resources into one configuration per account: not into the
/// StackSets of a rollout (which create their stacks in every account), nor into a
/// spec split over several stacks (each stack would need its own import).
pub(super) fn check(spec: &Spec) -> Vec<RuleError> {
    let mut errors = Vec::new();
    if let Some(account) = spec.account_id.as_ref().filter(|a| !is_account_id(a)) {
        errors.push(RuleError::new(
            "account_id",
            format!(
                "`{account}` is not an AWS account ID ({})",
                rules::ACCOUNT_ID.words
            ),
        ));
    }
    for (i, _) in spec.profiles.iter().enumerate().filter(|(_, p)| p.adopt) {
        if spec.account_id.is_none() {
            // The import files name each customer managed policy by its ARN
            // (AWS::IAM::ManagedPolicy's primaryIdentifier is PolicyArn), which holds
            // the account; a file the user must edit before use is not written.
            errors.push(RuleError::new(
                format!("profiles[{i}].adopt"),
                "`adopt` takes over the profile's customer managed policies, which CloudFormation and the CDK import by their ARN, and an ARN holds the account: give the spec's `account_id` (the 12-digit account the profiles are deployed in, quoted: account_id: \"111122223333\")",
            ));
        }
        if spec.rollout.is_some() {
            errors.push(RuleError::new(
                format!("profiles[{i}].adopt"),
                "`adopt` takes over resources in the one account a configuration is deployed to, but `rollout` creates the profiles in every account of its OUs with StackSets, which import no resources: adopt in each account first, or leave `adopt` out",
            ));
        } else if spec.stacks.is_some() {
            errors.push(RuleError::new(
                format!("profiles[{i}].adopt"),
                "`adopt` writes one import for the spec's one stack, but `stacks` splits the spec over several: adopt the profiles in a spec of their own without `stacks`",
            ));
        }
    }
    errors
}

//! `adopt` across the spec: what it cannot be combined with at the top level.

use crate::diag::RuleError;
use crate::spec::Spec;

/// Adoption imports resources into one configuration per account: not into the
/// StackSets of a rollout (which create their stacks in every account), nor into a
/// spec split over several stacks (each stack would need its own import).
pub(super) fn check(spec: &Spec) -> Vec<RuleError> {
    let mut errors = Vec::new();
    for (i, _) in spec.profiles.iter().enumerate().filter(|(_, p)| p.adopt) {
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

//! What each target can express of a valid model, and the refusal, naming the target
//! and one that can, when it cannot. Every backend checks its own row before it
//! renders anything.

use super::RenderError;
use crate::model::{Model, Profile, RoleRef};
use crate::refdata::limits;

/// One target's abilities beyond what every target can express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The target as the command line names it (`--target`).
    pub target: &'static str,
    /// The target as the subject of a refusal's "cannot ...".
    pub subject: &'static str,
    /// Attach managed policies to an existing role, one the output does not create.
    /// CloudFormation attaches them only through a role the stack owns
    /// (AWS::IAM::Role ManagedPolicyArns); AWS::IAM::ManagedPolicy.Roles works only
    /// for policies the stack creates.
    pub managed_policies_on_existing_role: bool,
    /// The most managed policies one role may attach by ARN, when the target caps it
    /// below IAM's quota: CloudFormation's AWS::IAM::Role ManagedPolicyArns holds 20
    /// ARNs at most (aws-facts.md 7 and 8, [CFN] registry schema), while an account's
    /// raised quota may be 25. Policies the output writes attach through their own
    /// `Roles` and do not count.
    pub managed_policy_arns_max: Option<usize>,
}

pub const CLOUDFORMATION: Capabilities = Capabilities {
    target: "cloudformation",
    subject: "CloudFormation",
    managed_policies_on_existing_role: false,
    managed_policy_arns_max: Some(limits::CFN_MANAGED_POLICY_ARNS_MAX),
};

/// The CDK synthesizes CloudFormation, so it inherits CloudFormation's limits.
pub const CDK: Capabilities = Capabilities {
    target: "cdk",
    subject: "the CDK synthesizes CloudFormation, which",
    managed_policies_on_existing_role: false,
    managed_policy_arns_max: Some(limits::CFN_MANAGED_POLICY_ARNS_MAX),
};

pub const TERRAFORM: Capabilities = Capabilities {
    target: "terraform",
    subject: "Terraform",
    managed_policies_on_existing_role: true,
    managed_policy_arns_max: None,
};

/// Every target, in the order a refusal looks for one that can.
pub const ALL: &[Capabilities] = &[CLOUDFORMATION, CDK, TERRAFORM];

impl Capabilities {
    /// `Ok` when this target can express every profile of `model`; else the refusal
    /// for the first profile it cannot.
    pub fn check(&self, model: &Model) -> Result<(), RenderError> {
        model.profiles.iter().try_for_each(|p| {
            self.check_managed_policies(p)?;
            self.check_managed_policy_arns(p)
        })
    }

    fn check_managed_policy_arns(&self, p: &Profile) -> Result<(), RenderError> {
        let n = p.managed_policies.len();
        match self.managed_policy_arns_max {
            Some(max) if n > max => Err(self.refuse(format!(
                "profile `{}`: {} cannot attach more than {max} managed policies by ARN to one role (AWS::IAM::Role ManagedPolicyArns holds {max} at most, whatever the account's quota), and this profile attaches {n}; {}attach fewer by ARN",
                p.name,
                self.subject,
                instead(|c| c.managed_policy_arns_max.is_none_or(|m| m >= n)),
            ))),
            _ => Ok(()),
        }
    }

    fn check_managed_policies(&self, p: &Profile) -> Result<(), RenderError> {
        let RoleRef::Existing { name } = &p.role else {
            return Ok(());
        };
        if self.managed_policies_on_existing_role || p.managed_policies.is_empty() {
            return Ok(());
        }
        let arns: Vec<&str> = p.managed_policies.iter().map(|m| m.arn.as_str()).collect();
        Err(self.refuse(format!(
            "profile `{}`: {} cannot attach managed policies ({}) to the existing role `{name}`, which the stack does not own; {}set `core: false` and attach them outside this stack",
            p.name,
            self.subject,
            arns.join(", "),
            instead(|c| c.managed_policies_on_existing_role),
        )))
    }

    fn refuse(&self, message: String) -> RenderError {
        RenderError::Refused {
            target: self.target,
            message,
        }
    }
}

/// `use `--target T`, which can, or ` for the first target `can` holds for.
fn instead(can: impl Fn(&Capabilities) -> bool) -> String {
    ALL.iter()
        .find(|c| can(c))
        .map(|c| format!("use `--target {}`, which can, or ", c.target))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing_role_with_core() -> Model {
        let spec = "version: 1\nprofiles:\n  - name: p\n    existing_role: ops-role\n";
        crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
    }

    #[test]
    fn cloudformation_attaches_twenty_policies_by_arn_at_most() {
        let arns = |n: usize| {
            let additional: Vec<String> = (1..n)
                .map(|i| format!("arn:aws:iam::111122223333:policy/P{i}"))
                .collect();
            let spec = format!(
                "version: 1\nprofiles:\n  - name: p\n    managed_policy_quota: 25\n    managed_policies:\n      additional: [{}]\n",
                additional.join(", ")
            );
            crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
        };
        for target in ALL {
            assert_eq!(target.check(&arns(20)), Ok(()), "{}", target.target);
        }
        let Err(RenderError::Refused { message, .. }) = CLOUDFORMATION.check(&arns(21)) else {
            panic!("CloudFormation refuses 21 ARNs");
        };
        assert!(
            message.starts_with(
                "profile `p`: CloudFormation cannot attach more than 20 managed policies by ARN"
            ),
            "{message}"
        );
        assert!(message.contains("this profile attaches 21; use `--target terraform`, which can"));
        assert!(CDK.check(&arns(21)).is_err());
        assert_eq!(TERRAFORM.check(&arns(25)), Ok(()));
    }

    #[test]
    fn refusals_name_the_target_and_one_that_can() {
        let model = existing_role_with_core();
        let Err(RenderError::Refused { target, message }) = CLOUDFORMATION.check(&model) else {
            panic!("CloudFormation refuses");
        };
        assert_eq!(target, "cloudformation");
        assert!(
            message.starts_with("profile `p`: CloudFormation cannot attach managed policies (arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore) to the existing role `ops-role`"),
            "{message}"
        );
        assert!(message.contains("use `--target terraform`, which can, or set `core: false`"));
        let Err(RenderError::Refused { target, message }) = CDK.check(&model) else {
            panic!("the CDK refuses");
        };
        assert_eq!(target, "cdk");
        assert!(message.contains(": the CDK synthesizes CloudFormation, which cannot attach"));
        assert_eq!(TERRAFORM.check(&model), Ok(()));
    }
}

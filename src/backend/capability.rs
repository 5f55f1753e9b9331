//! What each target can express of a valid model, and the refusal, naming the target
//! and one that can, when it cannot. Every backend checks its own row before it
//! renders anything.

use super::RenderError;
use super::describe::{stack_outputs, stack_resource_count};
use super::interpreted::{self, Interprets};
use crate::model::{Model, Profile, RoleRef};
use crate::refdata::{self, limits};

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
    /// ARNs at most (docs/sources.md 7 and 8, [CFN] registry schema), while an account's
    /// raised quota may be 25. Policies the output writes attach through their own
    /// `Roles` and do not count.
    pub managed_policy_arns_max: Option<usize>,
    /// The whole spec becomes one CloudFormation stack, so CloudFormation's quotas
    /// per template apply: 500 resources and 200 outputs (docs/sources.md 7, the
    /// cloudformation-limits page). The CDK refuses more than 500 resources at synth
    /// too; outputs over 200 fail at deploy.
    pub one_template: bool,
    /// Resources the target's deploy tool adds to each stack, which count against
    /// CloudFormation's 500 as ours do (`limits::CDK_ADDED_RESOURCES`).
    pub added_resources: usize,
    /// Set the Default Host Management setting in a partition whose CloudFormation
    /// registry has no `AWS::SSM::ServiceSetting` (`refdata::dhmc`); Terraform calls
    /// the Systems Manager API instead.
    pub service_setting_without_resource_type: bool,
    /// Text in spec strings that the target (or the tool it hands its output to)
    /// would read as an instruction: see `interpreted`.
    pub interprets: Interprets,
    /// What a refusal of interpreted text says before what the tool would do with
    /// it, when the tool that interprets it is not this target itself ("the CDK
    /// synthesizes CloudFormation, and "); empty otherwise.
    pub interpreted_through: &'static str,
    /// The target's `--rollout` output: service-managed StackSets, which deploy the
    /// CloudFormation template in every account, so it expresses only what
    /// CloudFormation can, and a refusal names no other target.
    pub rollout: bool,
}

/// The `--rollout` output of `target`: whatever the target, the StackSets deploy
/// CloudFormation's template (the CDK's also reads CDK tokens in the code it holds).
pub const fn rollout(target: Capabilities) -> Capabilities {
    Capabilities {
        target: target.target,
        subject: "the rollout's StackSets deploy CloudFormation, which",
        managed_policies_on_existing_role: false,
        managed_policy_arns_max: Some(limits::CFN_MANAGED_POLICY_ARNS_MAX),
        one_template: true,
        added_resources: 0,
        service_setting_without_resource_type: false,
        interprets: Interprets {
            dynamic_references: true,
            cdk_tokens: target.interprets.cdk_tokens,
        },
        interpreted_through: target.interpreted_through,
        rollout: true,
    }
}

impl Capabilities {
    /// `Ok` when this target can express every profile of `model`; else the refusal
    /// for the first profile it cannot.
    /// `every` is every target's, for a refusal that names one that can.
    pub fn check(&self, model: &Model, every: &[&Capabilities]) -> Result<(), RenderError> {
        self.check_profiles(model, every)?;
        self.check_template_quotas(model, every)
    }

    /// `check` but for the quotas of one template, which `--out-dir` meets by
    /// writing several stacks (`stacks::split`).
    pub fn check_profiles(
        &self,
        model: &Model,
        every: &[&Capabilities],
    ) -> Result<(), RenderError> {
        self.check_interpreted(model, every)?;
        model.profiles.iter().enumerate().try_for_each(|(i, p)| {
            self.check_managed_policies(i, p, every)?;
            self.check_managed_policy_arns(i, p, every)?;
            self.check_service_setting(i, p, every)
        })
    }

    /// The refusal is placed at the first profile that takes the stack over a quota.
    fn check_template_quotas(
        &self,
        model: &Model,
        every: &[&Capabilities],
    ) -> Result<(), RenderError> {
        if !self.one_template {
            return Ok(());
        }
        let (mut resources, mut outputs) = (self.added_resources, 0);
        for (i, p) in model.profiles.iter().enumerate() {
            resources += stack_resource_count(p);
            outputs += stack_outputs(p).len();
            for (what, n, max) in [
                ("resources", resources, limits::CFN_RESOURCES_MAX),
                ("outputs", outputs, limits::CFN_OUTPUTS_MAX),
            ] {
                if n > max {
                    let other = every
                        .iter()
                        .filter(|_| !self.rollout)
                        .find(|c| !c.one_template)
                        .map(|c| {
                            format!(", or use `--target {}`, which has no such quota", c.target)
                        })
                        .unwrap_or_default();
                    // A rollout's StackSet takes one template; `--out-dir` splits the rest.
                    let out_dir = if self.rollout {
                        ""
                    } else {
                        "declare `stacks` (a number of stacks) and build with `--out-dir DIR`, which writes the spec as that many stacks, or "
                    };
                    let added = if what == "resources" && self.added_resources > 0 {
                        format!(
                            " (with the {} the CDK adds, AWS::CDK::Metadata)",
                            self.added_resources
                        )
                    } else {
                        String::new()
                    };
                    return Err(self.refuse_at(format!("profiles[{i}]"), format!(
                        "with this profile the spec's one stack needs {n} {what}{added}, but {} cannot put more than {max} {what} in one template (CloudFormation quotas); {out_dir}move this profile and the ones after it to another spec file, which builds a stack of its own{other}",
                        self.subject,
                    )));
                }
            }
        }
        Ok(())
    }

    fn check_managed_policy_arns(
        &self,
        i: usize,
        p: &Profile,
        every: &[&Capabilities],
    ) -> Result<(), RenderError> {
        let n = p.managed_policies.len();
        match self.managed_policy_arns_max {
            Some(max) if n > max => Err(self.refuse_at(format!("profiles[{i}].managed_policies"), format!(
                "{} cannot attach more than {max} managed policies by ARN to one role (AWS::IAM::Role ManagedPolicyArns holds {max} at most, whatever the account's quota), and this profile attaches {n}; {}attach fewer by ARN",
                self.subject,
                self.instead(every, |c| c.managed_policy_arns_max.is_none_or(|m| m >= n)),
            ))),
            _ => Ok(()),
        }
    }

    fn check_service_setting(
        &self,
        i: usize,
        p: &Profile,
        every: &[&Capabilities],
    ) -> Result<(), RenderError> {
        if p.service_setting.is_none() || self.service_setting_without_resource_type {
            return Ok(());
        }
        let regions = refdata::partition(p.partition).regions;
        if !regions
            .iter()
            .all(|r| refdata::dhmc::NO_SERVICE_SETTING_RESOURCE.contains(r))
        {
            return Ok(());
        }
        Err(self.refuse_at(format!("profiles[{i}].kind"), format!(
            "{} cannot set Default Host Management in partition {}: its registry has no AWS::SSM::ServiceSetting in {}; {}leave `kind: default-host-management` out of this spec",
            self.subject,
            p.arn_partition,
            regions.join(", "),
            self.instead(every, |c| c.service_setting_without_resource_type),
        )))
    }

    /// No spec text may become an instruction to the deploy tool. The refusal
    /// begins with the spec field, so it is shown at that field.
    fn check_interpreted(&self, model: &Model, every: &[&Capabilities]) -> Result<(), RenderError> {
        let Some(found) = interpreted::find(model, self.interprets) else {
            return Ok(());
        };
        let (what, does) = match found.kind {
            interpreted::Kind::DynamicReference => (
                "a CloudFormation dynamic reference",
                "CloudFormation would replace it with the value it names when it deploys, and has no way to write it literally",
            ),
            interpreted::Kind::CdkToken => (
                "how the CDK encodes a token",
                "`cdk synth` would replace it with a deploy-time value or fail",
            ),
        };
        let kind = found.kind;
        Err(self.refuse_at(
            found.field.clone(),
            format!(
                "{}`{}` is {what}: {}{does}; remove it from the spec, or {}",
                found
                    .entry
                    .as_ref()
                    .map_or(String::new(), |e| format!("{e}: ")),
                found.text,
                if kind == interpreted::Kind::DynamicReference {
                    self.interpreted_through
                } else {
                    ""
                },
                every
                    .iter()
                    .filter(|_| !self.rollout)
                    .find(|c| match kind {
                        interpreted::Kind::DynamicReference => !c.interprets.dynamic_references,
                        interpreted::Kind::CdkToken => !c.interprets.cdk_tokens,
                    })
                    .map_or("write it another way".to_string(), |c| format!(
                        "use `--target {}`, which keeps it as text",
                        c.target
                    )),
            ),
        ))
    }

    fn check_managed_policies(
        &self,
        i: usize,
        p: &Profile,
        every: &[&Capabilities],
    ) -> Result<(), RenderError> {
        let RoleRef::Existing { name } = &p.role else {
            return Ok(());
        };
        if self.managed_policies_on_existing_role || p.managed_policies.is_empty() {
            return Ok(());
        }
        let arns: Vec<&str> = p.managed_policies.iter().map(|m| m.arn.as_str()).collect();
        Err(self.refuse_at(format!("profiles[{i}].existing_role"), format!(
            "{} cannot attach managed policies ({}) to the existing role `{name}`, which the stack does not own; {}set `core: false` and attach them outside this stack",
            self.subject,
            arns.join(", "),
            self.instead(every, |c| c.managed_policies_on_existing_role),
        )))
    }

    /// A refusal about the spec field `at`.
    fn refuse_at(&self, at: String, message: String) -> RenderError {
        RenderError::Refused {
            target: self.target,
            at: Some(at),
            message,
        }
    }

    /// `use `--target T`, which can, or ` for the first target `can` holds for;
    /// nothing for a rollout, which every target deploys with CloudFormation.
    fn instead(&self, every: &[&Capabilities], can: impl Fn(&Capabilities) -> bool) -> String {
        every
            .iter()
            .filter(|_| !self.rollout)
            .find(|c| can(c))
            .map(|c| format!("use `--target {}`, which can, or ", c.target))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::target::every_capability;

    /// A target's capabilities, checked among every target's.
    #[derive(Clone, Copy)]
    struct Of(&'static Capabilities);

    impl Of {
        fn check(self, model: &Model) -> Result<(), RenderError> {
            self.0.check(model, &every_capability())
        }
    }

    impl std::ops::Deref for Of {
        type Target = Capabilities;
        fn deref(&self) -> &Capabilities {
            self.0
        }
    }

    static CLOUDFORMATION: Of = Of(&crate::backend::cloudformation::target::TARGET.capabilities);
    static CDK: Of = Of(&crate::backend::cdk::target::TARGET.capabilities);
    static TERRAFORM: Of = Of(&crate::backend::terraform::target::TARGET.capabilities);
    static ALL: [Of; 3] = [
        Of(&crate::backend::cloudformation::target::TARGET.capabilities),
        Of(&crate::backend::cdk::target::TARGET.capabilities),
        Of(&crate::backend::terraform::target::TARGET.capabilities),
    ];

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
        let Err(RenderError::Refused { at, message, .. }) = CLOUDFORMATION.check(&arns(21)) else {
            panic!("CloudFormation refuses 21 ARNs");
        };
        assert_eq!(at.as_deref(), Some("profiles[0].managed_policies"));
        assert!(
            message
                .starts_with("CloudFormation cannot attach more than 20 managed policies by ARN"),
            "{message}"
        );
        assert!(message.contains("this profile attaches 21; use `--target terraform`, which can"));
        assert!(CDK.check(&arns(21)).is_err());
        assert_eq!(TERRAFORM.check(&arns(25)), Ok(()));
    }

    fn load(spec: &str) -> Model {
        crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
    }

    /// `n` instance profiles (2 resources and 3 outputs each), or S3 policies for
    /// existing hybrid roles (1 resource and no output each).
    fn profiles(n: usize, policies_only: bool) -> Model {
        let mut spec = String::from("version: 1\nprofiles:\n");
        for i in 0..n {
            spec.push_str(&format!("  - name: p{i}\n"));
            if policies_only {
                spec.push_str(&format!(
                    "    kind: hybrid-service-role\n    existing_role: r{i}\n    managed_policies: {{core: false}}\n    s3: {{buckets: [{{name: my-bucket}}]}}\n"
                ));
            }
        }
        load(&spec)
    }

    #[test]
    fn one_template_holds_500_resources_and_200_outputs() {
        assert_eq!(CLOUDFORMATION.check(&profiles(66, false)), Ok(()));
        let Err(RenderError::Refused { at, message, .. }) =
            CLOUDFORMATION.check(&profiles(67, false))
        else {
            panic!("201 outputs are refused");
        };
        assert_eq!(at.as_deref(), Some("profiles[66]"));
        assert_eq!(
            message,
            "with this profile the spec's one stack needs 201 outputs, but CloudFormation cannot put more than 200 outputs in one template (CloudFormation quotas); declare `stacks` (a number of stacks) and build with `--out-dir DIR`, which writes the spec as that many stacks, or move this profile and the ones after it to another spec file, which builds a stack of its own, or use `--target terraform`, which has no such quota"
        );
        assert_eq!(CLOUDFORMATION.check(&profiles(500, true)), Ok(()));
        // The CDK adds AWS::CDK::Metadata to the stack it synthesizes: 499 of ours fit.
        assert_eq!(CDK.check(&profiles(499, true)), Ok(()));
        let Err(RenderError::Refused { at, message, .. }) = CDK.check(&profiles(500, true)) else {
            panic!("500 resources and the CDK's metadata are refused");
        };
        assert_eq!(at.as_deref(), Some("profiles[499]"));
        assert!(message.starts_with("with this profile the spec's one stack needs 501 resources (with the 1 the CDK adds, AWS::CDK::Metadata), but the CDK synthesizes CloudFormation, which cannot put more than 500 resources"), "{message}");
        assert_eq!(TERRAFORM.check(&profiles(501, true)), Ok(()));
    }

    #[test]
    fn the_counts_are_the_template_s() {
        for spec in [
            include_str!("../../fixtures/multi-profile/spec.yaml"),
            include_str!("../../fixtures/large-policy/spec.yaml"),
            include_str!("../../fixtures/existing-role/spec.yaml"),
            include_str!("../../fixtures/session-manager/spec.yaml"),
        ] {
            let model = load(spec);
            let t = crate::backend::cloudformation::scoped_template(
                &model,
                crate::backend::cloudformation::Scope::Whole,
                None,
            );
            let resources: usize = model.profiles.iter().map(|p| stack_resource_count(p)).sum();
            let outputs: usize = model.profiles.iter().map(|p| stack_outputs(p).len()).sum();
            assert_eq!(t["Resources"].as_object().unwrap().len(), resources);
            assert_eq!(t["Outputs"].as_object().unwrap().len(), outputs);
        }
    }

    #[test]
    fn refusals_name_the_target_and_one_that_can() {
        let model = existing_role_with_core();
        let Err(RenderError::Refused {
            target,
            at,
            message,
        }) = CLOUDFORMATION.check(&model)
        else {
            panic!("CloudFormation refuses");
        };
        assert_eq!(target, "cloudformation");
        assert_eq!(at.as_deref(), Some("profiles[0].existing_role"));
        assert!(
            message.starts_with("CloudFormation cannot attach managed policies (arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore) to the existing role `ops-role`"),
            "{message}"
        );
        assert!(message.contains("use `--target terraform`, which can, or set `core: false`"));
        let Err(RenderError::Refused {
            target, message, ..
        }) = CDK.check(&model)
        else {
            panic!("the CDK refuses");
        };
        assert_eq!(target, "cdk");
        assert!(message.starts_with("the CDK synthesizes CloudFormation, which cannot attach"));
        assert_eq!(TERRAFORM.check(&model), Ok(()));
    }

    #[test]
    fn default_host_management_is_refused_where_cloudformation_has_no_setting_resource() {
        for (partition, refused) in [
            ("aws", false),
            ("aws-eusc", false),
            ("aws-cn", true),
            ("aws-us-gov", true),
        ] {
            let spec = format!(
                "version: 1\nprofiles:\n  - name: d\n    kind: default-host-management\n    partition: {partition}\n"
            );
            let model = crate::load(&crate::source::Source::new("spec.yaml", spec)).unwrap();
            assert_eq!(TERRAFORM.check(&model), Ok(()));
            for target in [CLOUDFORMATION, CDK] {
                match target.check(&model) {
                    Ok(()) => assert!(!refused, "{partition}: {}", target.target),
                    Err(RenderError::Refused { message, .. }) => {
                        assert!(refused, "{partition}: {message}");
                        assert!(message.contains("no AWS::SSM::ServiceSetting"), "{message}");
                        assert!(
                            message.contains("use `--target terraform`, which can"),
                            "{message}"
                        );
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }
}

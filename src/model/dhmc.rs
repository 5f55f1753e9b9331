//! Default Host Management Configuration (docs/sources.md 6a): the account
//! setting that names the DHMC role, one per account and region, and the precedence
//! of instance profiles over it.

use super::created::aws_managed_arn;
use super::{Kind, Part, Profile, RoleRef, ServiceSetting, Text, Warning};
use crate::diag::RuleError;
use crate::refdata::{self, Partition};
use crate::spec::Spec;

/// The setting a Default Host Management profile writes: its value is the role's
/// name with its path below `/` (`service-role/NAME`).
pub(super) fn service_setting(role: &str, path: &str, partition: Partition) -> ServiceSetting {
    let id = refdata::dhmc::SETTING_ID;
    ServiceSetting {
        id,
        arn: Text(vec![
            Part::Literal(format!("arn:{}:ssm:", partition.arn_id)),
            Part::Region,
            Part::Literal(":".into()),
            Part::AccountId,
            Part::Literal(format!(":servicesetting{id}")),
        ]),
        value: format!("{}{role}", path.trim_start_matches('/')),
        role: role.to_string(),
    }
}

/// An account has one DHMC setting per region: two profiles setting it would
/// overwrite each other. One error for every DHMC profile after the first.
pub(super) fn check_one_setting(spec: &Spec) -> Vec<RuleError> {
    let mut dhmc = spec
        .profiles
        .iter()
        .enumerate()
        .filter(|(_, p)| Kind::from(p.kind) == Kind::DefaultHostManagement);
    let Some((_, first)) = dhmc.next() else {
        return Vec::new();
    };
    dhmc.map(|(i, second)| {
        RuleError::new(
            format!("profiles[{i}].kind"),
            format!(
                "profile `{}` is a second `kind: default-host-management` profile; an account has one Default Host Management setting per region, which profile `{}` sets already",
                second.name, first.name
            ),
        )
    })
    .collect()
}

/// The instance profiles of `profiles` whose role holds AmazonSSMManagedInstanceCore:
/// on their instances, the instance profile takes precedence over DHMC.
pub fn core_instance_profiles<P: AsRef<Profile>>(profiles: &[P]) -> Vec<&Profile> {
    profiles
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| p.instance_profile.is_some() && has_core(p))
        .collect()
}

/// Whether the profile's role holds AmazonSSMManagedInstanceCore.
pub fn has_core(p: &Profile) -> bool {
    let core = aws_managed_arn(p.arn_partition, refdata::CORE_POLICY);
    p.managed_policies.iter().any(|m| m.arn == core)
}

/// The action whose grant makes an instance profile take precedence over DHMC: "if
/// the instance profile includes ssm:UpdateInstanceInformation, the instance profile
/// takes precedence" (AWS Systems Manager User Guide, "Managing EC2 instances
/// automatically with Default Host Management Configuration").
const PRECEDENCE_ACTION: &str = "ssm:UpdateInstanceInformation";

/// Whether an IAM action pattern (`*` and `?` wildcards, case-insensitive, as IAM
/// matches actions) covers `action`.
fn covers(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], a) || (!a.is_empty() && go(p, &a[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => go(&p[1..], &a[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

/// How sure the compiler is that an instance profile takes precedence over DHMC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precedence {
    /// Its role holds AmazonSSMManagedInstanceCore, or a statement the compiler
    /// writes grants the action.
    Does,
    /// Its role holds policies the compiler cannot read: managed policies the spec
    /// names by ARN, or an existing role's own.
    May,
    No,
}

fn precedence(p: &Profile) -> Precedence {
    if p.instance_profile.is_none() {
        return Precedence::No;
    }
    let granted = p
        .custom_policies
        .iter()
        .flat_map(|c| &c.statements)
        .flat_map(|s| &s.actions)
        .any(|a| covers(a, PRECEDENCE_ACTION));
    if has_core(p) || granted {
        return Precedence::Does;
    }
    let known: Vec<String> = [
        refdata::DIRECTORY_SERVICE_POLICY,
        refdata::CLOUDWATCH_AGENT_POLICY,
        refdata::PATCH_ASSOCIATION_POLICY,
    ]
    .iter()
    .map(|n| aws_managed_arn(p.arn_partition, n))
    .collect();
    let unseen = p.managed_policies.iter().any(|m| !known.contains(&m.arn));
    if unseen || matches!(p.role, RoleRef::Existing { .. }) {
        Precedence::May
    } else {
        Precedence::No
    }
}

/// A spec that holds both kinds: each instance profile that takes precedence over
/// DHMC, or may, warns at its own entry (the one to change), naming the DHMC profile.
pub(super) fn warn_of_precedence(profiles: &mut [Profile]) {
    let Some(dhmc) = profiles
        .iter()
        .find(|p| p.kind == Kind::DefaultHostManagement && matches!(p.role, RoleRef::Create(_)))
        .map(|p| p.name.clone())
    else {
        return;
    };
    let takes = format!(
        "uses this instance profile for Systems Manager, not the Default Host Management of profile `{dhmc}` (an instance profile that grants {PRECEDENCE_ACTION} takes precedence over DHMC)"
    );
    for p in profiles.iter_mut() {
        let warning = match precedence(p) {
            Precedence::Does => Warning::new(
                "",
                format!(
                    "instance profile `{}` grants {PRECEDENCE_ACTION} ({} or a statement of the spec): an instance launched with it {takes}",
                    p.name,
                    refdata::CORE_POLICY,
                ),
            ),
            Precedence::May => Warning::new(
                match p.role {
                    RoleRef::Existing { .. } => "existing_role",
                    RoleRef::Create(_) => "managed_policies.additional",
                },
                format!(
                    "instance profile `{}` may grant {PRECEDENCE_ACTION} through policies the compiler cannot read (managed policies named by ARN, or an existing role's own): if it does, an instance launched with it {takes}",
                    p.name,
                ),
            ),
            Precedence::No => continue,
        };
        p.warnings.push(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn load(profiles: &str) -> Model {
        let spec = format!("version: 1\nprofiles:\n{profiles}");
        crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
    }

    #[test]
    fn the_setting_names_the_role_with_its_path_below_the_root() {
        for (path, value) in [
            ("", "service-role/D"),
            ("    path: /\n", "D"),
            ("    path: /a/b/\n", "a/b/D"),
        ] {
            let model = load(&format!(
                "  - name: D\n    kind: default-host-management\n{path}"
            ));
            let p = &model.profiles[0];
            let setting = p.service_setting.as_ref().expect("a setting");
            assert_eq!(setting.value, value, "{path:?}");
            assert_eq!(setting.role, "D");
            assert!(p.instance_profile.is_none());
            let RoleRef::Create(role) = &p.role else {
                panic!("created")
            };
            assert_eq!(role.trust.service, "ssm.amazonaws.com");
            assert!(role.trust.conditions.is_empty());
            let arns: Vec<&str> = p.managed_policies.iter().map(|m| m.arn.as_str()).collect();
            assert_eq!(
                arns,
                ["arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy"]
            );
        }
    }

    #[test]
    fn only_the_instance_profiles_with_core_are_named_as_taking_precedence() {
        let model = load(
            "  - name: D\n    kind: default-host-management\n  - name: A\n  - name: B\n    managed_policies: {core: false}\n  - name: H\n    kind: hybrid-service-role\n  - name: C\n",
        );
        let names: Vec<&str> = core_instance_profiles(&model.profiles)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["A", "C"]);
        // Each warns at its own entry, and the DHMC profile has nothing to change.
        let warned = |i: usize| -> Vec<&str> {
            let w = &model.profiles[i].warnings;
            w.iter().map(|w| w.message.as_str()).collect()
        };
        assert!(warned(0).is_empty(), "{:?}", warned(0));
        for (i, name) in [(1, "A"), (4, "C")] {
            let w = &model.profiles[i].warnings;
            assert_eq!(w.len(), 1, "{w:?}");
            assert_eq!(w[0].field, "");
            assert!(
                w[0].message.starts_with(&format!(
                    "instance profile `{name}` grants ssm:UpdateInstanceInformation"
                )) && w[0]
                    .message
                    .contains("Default Host Management of profile `D`"),
                "{w:?}"
            );
        }
        assert!(warned(2).len() == 1 && warned(2)[0].starts_with("`core: false`"));
        assert!(warned(3).is_empty());
        assert!(
            model.profiles[1..]
                .iter()
                .all(|p| p.service_setting.is_none())
        );
    }

    #[test]
    fn profiles_whose_policies_the_compiler_cannot_read_may_take_precedence() {
        let model = load(
            "  - name: D\n    kind: default-host-management\n  - name: Core\n  - name: Extra\n    managed_policies:\n      core: false\n      additional: [arn:aws:iam::123456789012:policy/Fleet]\n  - name: Known\n    managed_policies: {core: false, cloudwatch_agent: true}\n  - name: Theirs\n    existing_role: TheirRole\n    managed_policies: {core: false}\n",
        );
        assert!(model.profiles[0].warnings.is_empty());
        let precedence = |i: usize| -> Vec<(String, String)> {
            (model.profiles[i].warnings.iter())
                .filter(|w| w.message.contains("ssm:UpdateInstanceInformation"))
                .map(|w| (w.field.clone(), w.message.clone()))
                .collect()
        };
        let core = precedence(1);
        assert_eq!(core.len(), 1, "{core:?}");
        assert!(
            core[0]
                .1
                .starts_with("instance profile `Core` grants ssm:UpdateInstanceInformation")
        );
        for (i, name, field) in [
            (2, "Extra", "managed_policies.additional"),
            (4, "Theirs", "existing_role"),
        ] {
            let w = precedence(i);
            assert_eq!(w.len(), 1, "{w:?}");
            assert_eq!(w[0].0, field);
            assert!(
                w[0].1.starts_with(&format!(
                    "instance profile `{name}` may grant ssm:UpdateInstanceInformation"
                )),
                "{w:?}"
            );
        }
        assert!(precedence(3).is_empty());
    }

    #[test]
    fn action_patterns_match_as_iam_matches_them() {
        for yes in [
            "ssm:UpdateInstanceInformation",
            "ssm:*",
            "*",
            "SSM:update*",
            "ssm:Update?nstanceInformation",
        ] {
            assert!(covers(yes, PRECEDENCE_ACTION), "{yes}");
        }
        for no in ["ssm:Get*", "ssmmessages:*", "ssm:UpdateInstance", "s3:*"] {
            assert!(!covers(no, PRECEDENCE_ACTION), "{no}");
        }
    }

    #[test]
    fn instance_profiles_alone_warn_of_nothing() {
        let model = load("  - name: A\n  - name: B\n");
        assert!(model.profiles.iter().all(|p| p.warnings.is_empty()));
    }
}

//! Default Host Management Configuration (docs/sources.md 6a): the account
//! setting that names the DHMC role, one per account and region, and the precedence
//! of instance profiles over it.

use super::{Kind, Part, Profile, RoleRef, ServiceSetting, Text};
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
    let core = format!(
        "arn:{}:iam::aws:policy/{}",
        p.arn_partition,
        refdata::CORE_POLICY
    );
    p.managed_policies.iter().any(|m| m.arn == core)
}

/// A spec that holds both kinds: the DHMC profile warns, naming the instance
/// profiles that take precedence over it.
pub(super) fn warn_of_precedence(profiles: &mut [Profile]) {
    let names: Vec<String> = core_instance_profiles(profiles)
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect();
    if names.is_empty() {
        return;
    }
    let (them, carry) = if names.len() == 1 {
        ("it", "carries")
    } else {
        ("them", "carry")
    };
    let warning = format!(
        "instance profile{} {} {carry} {}: an instance launched with {them} uses that instance profile for Systems Manager, not Default Host Management (an instance profile that grants ssm:UpdateInstanceInformation takes precedence over DHMC)",
        if names.len() == 1 { "" } else { "s" },
        names.join(", "),
        refdata::CORE_POLICY,
    );
    for p in profiles.iter_mut() {
        if p.kind == Kind::DefaultHostManagement && matches!(p.role, RoleRef::Create(_)) {
            p.warnings.push(warning.clone());
        }
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
        let warnings = &model.profiles[0].warnings;
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .starts_with("instance profiles `A`, `C` carry AmazonSSMManagedInstanceCore"),
            "{warnings:?}"
        );
        assert!(
            model.profiles[1..]
                .iter()
                .all(|p| p.service_setting.is_none())
        );
    }

    #[test]
    fn instance_profiles_alone_warn_of_nothing() {
        let model = load("  - name: A\n  - name: B\n");
        assert!(model.profiles.iter().all(|p| p.warnings.is_empty()));
    }
}

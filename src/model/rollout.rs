//! The organization-wide rollout (docs/sources.md 6b): where service-managed
//! StackSets deploy the profiles, checked against the regions of the profiles'
//! partition and the StackSet API's own rules.

use serde::Serialize;

use super::rules::check_region;
use super::{Ctx, Kind, Profile, RoleRef};
use crate::diag::RuleError;
use crate::refdata::{self, Partition};
use crate::spec::{self, RolloutSpec, SETTING_STACK_SET_SUFFIX};

/// Where and how the rollout's StackSets deploy.
#[derive(Debug, Clone, Serialize)]
pub struct Rollout {
    /// OU IDs (`ou-...`) or the root ID (`r-...`), in spec order.
    pub organizational_units: Vec<String>,
    /// The one region per account of the IAM resources.
    pub iam_region: String,
    /// The regions of the regional resources (the Default Host Management setting).
    pub regions: Vec<String>,
    pub call_as: CallAs,
    pub auto_deployment: bool,
    pub retain_stacks_on_account_removal: bool,
    pub max_concurrent_percentage: u32,
    pub failure_tolerance_percentage: u32,
    /// The partition every profile is of: a StackSet deploys within one.
    pub arn_partition: &'static str,
    /// The StackSet of the IAM resources: `rollout.name`, or `ssm-profile-` and the
    /// spec's file stem. Never from a profile: a StackSet cannot be renamed, only
    /// replaced (with every stack instance in every account), so adding, removing or
    /// reordering profiles must not touch it.
    pub iam_stack_set: String,
    /// The StackSet of the Default Host Management setting, when the spec has one:
    /// the IAM StackSet's name and `-dhmc-setting`.
    pub setting_stack_set: Option<String>,
    /// (field path, warning), for the commands to place in the spec.
    pub warnings: Vec<(String, String)>,
}

/// Who deploys the StackSets: the model's own, spelled as the spec spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallAs {
    #[serde(rename = "self")]
    SelfAccount,
    DelegatedAdmin,
}

/// An organization root (`r-` and 4 to 32 characters) or OU ID (`ou-`, the root's
/// 4 to 32, `-`, 8 to 32), of lowercase letters and digits: the pattern of
/// AWS::CloudFormation::StackSet's OrganizationalUnitId (cfn-lint schema,
/// schema_date 2026-10-20), which the Organizations API uses too.
fn is_ou_or_root_id(id: &str) -> bool {
    let part = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(root) = id.strip_prefix("r-") {
        return part(root, 4, 32);
    }
    match id.strip_prefix("ou-").and_then(|rest| rest.split_once('-')) {
        Some((root, ou)) => part(root, 4, 32) && part(ou, 8, 32),
        None => false,
    }
}

/// The rollout of `spec`, if it has one, checked against its built profiles. Every
/// independent error is reported.
pub(super) fn build(
    spec: &spec::Spec,
    profiles: &[Profile],
    spec_name: &str,
) -> Result<Option<Rollout>, Vec<RuleError>> {
    let Some(r) = &spec.rollout else {
        return Ok(None);
    };
    let ctx = Ctx {
        at: "rollout".into(),
        errors: Default::default(),
    };
    let partition = match one_partition(spec) {
        Ok(p) => Some(p),
        Err(e) => {
            ctx.report(e);
            None
        }
    };
    let stack_set = ctx.recover(stack_set_name(r, spec_name).map(Some), None);
    check_units(&ctx, r);
    let has_setting = spec
        .profiles
        .iter()
        .any(|p| Kind::from(p.kind) == Kind::DefaultHostManagement);
    if let Some(partition) = partition {
        check_regions(&ctx, r, partition, has_setting);
    }
    if !(1..=100).contains(&r.max_concurrent_percentage) {
        ctx.report(ctx.err(
            "max_concurrent_percentage",
            format!(
                "{} is not a percentage of accounts to deploy to at once: give 1 to 100",
                r.max_concurrent_percentage
            ),
        ));
    }
    if r.failure_tolerance_percentage > 100 {
        ctx.report(ctx.err(
            "failure_tolerance_percentage",
            format!(
                "{} is not a percentage of accounts: give 0 to 100",
                r.failure_tolerance_percentage
            ),
        ));
    }
    if r.retain_stacks_on_account_removal && !r.auto_deployment {
        ctx.report(ctx.err(
            "retain_stacks_on_account_removal",
            "`retain_stacks_on_account_removal` applies only with `auto_deployment: true` (CloudFormation's AutoDeployment takes it only when enabled)",
        ));
    }
    let errors = ctx.errors.into_inner();
    if !errors.is_empty() {
        return Err(errors);
    }
    let partition = partition.expect("no error, so one partition");
    let stack_set = stack_set.expect("no error, so a StackSet name");
    Ok(Some(Rollout {
        organizational_units: r.organizational_units.clone(),
        iam_region: r.iam_region.clone(),
        regions: r
            .regions
            .clone()
            .unwrap_or_else(|| vec![r.iam_region.clone()]),
        call_as: match r.call_as {
            spec::CallAs::SelfAccount => CallAs::SelfAccount,
            spec::CallAs::DelegatedAdmin => CallAs::DelegatedAdmin,
        },
        auto_deployment: r.auto_deployment,
        retain_stacks_on_account_removal: r.retain_stacks_on_account_removal,
        max_concurrent_percentage: r.max_concurrent_percentage,
        failure_tolerance_percentage: r.failure_tolerance_percentage,
        arn_partition: partition.arn_id,
        setting_stack_set: profiles
            .iter()
            .any(|p| p.service_setting.is_some())
            .then(|| format!("{stack_set}{SETTING_STACK_SET_SUFFIX}")),
        iam_stack_set: stack_set,
        warnings: warnings(r, profiles, has_setting),
    }))
}

/// The IAM StackSet's name: `rollout.name`, or `ssm-profile-` and the file stem of
/// `spec_name`; refused unless it and the setting's StackSet name (whether or not the
/// spec has the setting today, so adding it later cannot fail) are StackSet names.
fn stack_set_name(r: &RolloutSpec, spec_name: &str) -> Result<String, RuleError> {
    let fits =
        |name: &str| refdata::limits::stack_set_name(&format!("{name}{SETTING_STACK_SET_SUFFIX}"));
    let max = refdata::limits::STACK_SET_NAME_MAX - spec::SETTING_STACK_SET_SUFFIX.len();
    if let Some(name) = &r.name {
        if fits(name) {
            return Ok(name.clone());
        }
        return Err(RuleError::new(
            "rollout.name",
            format!(
                "`{name}` is not a StackSet name: give a letter, then letters, digits or hyphens, at most {max} characters (CloudFormation allows 128, and the setting's StackSet adds `{SETTING_STACK_SET_SUFFIX}`)"
            ),
        ));
    }
    let stem = std::path::Path::new(spec_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let name = format!("ssm-profile-{stem}");
    if spec_name != "<stdin>" && fits(&name) {
        return Ok(name);
    }
    let why = if spec_name == "<stdin>" {
        "a spec read from standard input has no file name to name its StackSets after".to_string()
    } else {
        format!(
            "the StackSets are named `ssm-profile-` and the spec's file name without its extension, and `{name}` is not a StackSet name (letters, digits and hyphens, at most {max} characters)"
        )
    };
    Err(RuleError::new(
        "rollout",
        format!("{why}; give `rollout.name`, which names them whatever the file is called"),
    ))
}

/// The partition of every profile; a StackSet deploys within one.
fn one_partition(spec: &spec::Spec) -> Result<Partition, RuleError> {
    let mut names: Vec<spec::PartitionName> = Vec::new();
    for p in &spec.profiles {
        if !names.contains(&p.partition) {
            names.push(p.partition);
        }
    }
    match names.as_slice() {
        [one] => Ok(refdata::partition(*one)),
        _ => {
            let ids: Vec<&str> = names
                .iter()
                .map(|n| refdata::partition(*n).arn_id)
                .collect();
            Err(RuleError::new(
                "rollout",
                format!(
                    "the profiles are of partitions {}, but a StackSet deploys within one partition; roll each partition's profiles out from a spec of their own",
                    ids.join(", ")
                ),
            ))
        }
    }
}

fn check_units(ctx: &Ctx, r: &RolloutSpec) {
    if r.organizational_units.is_empty() {
        ctx.report(ctx.err(
            "organizational_units",
            "give at least one organizational unit (`ou-...`) or the organization root (`r-...`)",
        ));
    }
    for (i, id) in r.organizational_units.iter().enumerate() {
        let field = format!("organizational_units[{i}]");
        if !is_ou_or_root_id(id) {
            ctx.report(ctx.err(
                &field,
                format!("`{id}` is neither an OU ID (`ou-` then 4 to 32 and 8 to 32 lowercase letters or digits, as ou-ab12-cd34ef56) nor a root ID (`r-` then 4 to 32, as r-ab12)"),
            ));
        } else if r.organizational_units[..i].contains(id) {
            ctx.report(ctx.err(&field, format!("`{id}` is listed twice")));
        }
    }
}

fn check_regions(ctx: &Ctx, r: &RolloutSpec, partition: Partition, has_setting: bool) {
    // The setting's regions: `regions`, or `iam_region` when it is left out.
    let no_setting_resource = |field: &str, region: &str| {
        if has_setting && refdata::dhmc::NO_SERVICE_SETTING_RESOURCE.contains(&region) {
            ctx.report(ctx.err(
                field,
                format!("CloudFormation has no AWS::SSM::ServiceSetting in {region}, so a StackSet cannot set Default Host Management there; leave the region out, and set it there with `--target terraform` (without `--rollout`)"),
            ));
        }
    };
    ctx.recover(
        check_region(ctx, "iam_region", &r.iam_region, partition),
        (),
    );
    match &r.regions {
        None => no_setting_resource("iam_region", &r.iam_region),
        Some(regions) if regions.is_empty() => ctx.report(ctx.err(
            "regions",
            "give at least one region, or leave `regions` out for `iam_region` alone",
        )),
        Some(regions) => {
            for (i, region) in regions.iter().enumerate() {
                let field = format!("regions[{i}]");
                if let Err(e) = check_region(ctx, &field, region, partition) {
                    ctx.report(e);
                } else if regions[..i].contains(region) {
                    ctx.report(ctx.err(&field, format!("region `{region}` is listed twice")));
                } else {
                    no_setting_resource(&field, region);
                }
            }
        }
    }
}

fn warnings(r: &RolloutSpec, profiles: &[Profile], has_setting: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(regions) = &r.regions
        && !has_setting
        && regions != std::slice::from_ref(&r.iam_region)
    {
        out.push((
            "rollout.regions".to_string(),
            "`regions` places regional resources, and this spec has none (no `kind: default-host-management` profile): the StackSet deploys to `iam_region` alone".to_string(),
        ));
    }
    for p in profiles {
        if let RoleRef::Existing { name } = &p.role {
            out.push((
                "rollout".to_string(),
                format!(
                    "profile `{}` names the existing role `{name}`: it must exist in every account of the OUs, or the stack fails there",
                    p.name
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ou_and_root_ids_follow_the_stack_set_pattern() {
        for ok in ["ou-abcd-11112222", "r-ab12", "ou-a1b2c3d4-abcdefgh12"] {
            assert!(is_ou_or_root_id(ok), "{ok}");
        }
        for bad in [
            "ou-abc-11112222",
            "ou-abcd-1111222",
            "OU-abcd-11112222",
            "ou-ABCD-11112222",
            "r-abc",
            "123456789012",
            "ou-abcd",
            "ou-abcd-11112222-x",
        ] {
            assert!(!is_ou_or_root_id(bad), "{bad}");
        }
    }

    fn stack_sets(spec: &str, spec_name: &str) -> Result<(String, Option<String>), String> {
        let spec = crate::source::Source::new(spec_name, spec)
            .parse()
            .expect("parses");
        match super::super::build(&spec, spec_name) {
            Ok(m) => {
                let r = m.rollout.expect("a rollout");
                Ok((r.iam_stack_set, r.setting_stack_set))
            }
            Err(e) => Err(e.message),
        }
    }

    const ROLLOUT: &str =
        "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: us-east-1\n";

    #[test]
    fn stack_sets_are_named_from_the_spec_never_from_a_profile() {
        let one = format!("{ROLLOUT}profiles:\n  - name: web\n");
        let two = format!(
            "{ROLLOUT}profiles:\n  - name: NewTeam\n  - name: web\n  - name: dhmc\n    kind: default-host-management\n"
        );
        assert_eq!(
            stack_sets(&one, "teams/platform.yaml"),
            Ok(("ssm-profile-platform".into(), None))
        );
        assert_eq!(
            stack_sets(&two, "teams/platform.yaml"),
            Ok((
                "ssm-profile-platform".into(),
                Some("ssm-profile-platform-dhmc-setting".into())
            ))
        );
        let named = two.replace("rollout:\n", "rollout:\n  name: Fleet-1\n");
        assert_eq!(
            stack_sets(&named, "-"),
            Ok(("Fleet-1".into(), Some("Fleet-1-dhmc-setting".into())))
        );
    }

    #[test]
    fn stack_set_names_follow_create_stack_set() {
        let spec = |name: &str| format!("{ROLLOUT}  name: \"{name}\"\nprofiles:\n  - name: web\n");
        let longest = format!("a{}", "-".repeat(114));
        assert!(stack_sets(&spec(&longest), "s.yaml").is_ok());
        for bad in [
            format!("{longest}b"),
            "1abc".to_string(),
            "a_b".into(),
            "a.b".into(),
            "".into(),
            "\u{e9}t\u{e9}".into(),
        ] {
            let e = stack_sets(&spec(&bad), "s.yaml").expect_err(&bad);
            assert!(e.contains("is not a StackSet name"), "{e}");
        }
        let unnamed = format!("{ROLLOUT}profiles:\n  - name: web\n");
        for (file, why) in [
            ("<stdin>", "standard input"),
            (
                "my_spec.yaml",
                "`ssm-profile-my_spec` is not a StackSet name",
            ),
            ("web.prod.yaml", "`ssm-profile-web.prod`"),
        ] {
            let e = stack_sets(&unnamed, file).expect_err(file);
            assert!(e.contains(why) && e.contains("give `rollout.name`"), "{e}");
        }
    }
}

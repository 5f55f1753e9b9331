//! `explain`: what a spec grants, in plain language, profile by profile. Every
//! sentence comes from the model (reasons and purposes are written there, beside the
//! rule that adds the grant), so the account cannot disagree with the generated code.
//!
//! The text is for a terminal: every line is written through `line`, which escapes
//! the control, bidi and zero-width characters a spec value may hold, so a
//! description cannot add lines, clear the screen or reorder what is shown.
//! `explain_json` gives the same account as data, for tools that review grants.

mod adoption;
mod parameters;
mod role;
mod scanners;

use std::fmt::Write;

use serde_json::json;

use crate::model::{
    CallAs, ConditionEntry, DEPLOYING_ACCOUNT, Effect, Kind, Model, Part, Profile, Resource,
    ResourceNote, RoleRef, Rollout, ServiceSetting, Text, core_instance_profiles, has_core,
};
use crate::refdata::{self, Citation, limits};

/// The account of every profile in `model`; `spec_name` is the file as given.
pub fn explain(model: &Model, spec_name: &str) -> String {
    let mut out = Lines::default();
    let n = model.profiles.len();
    let _ = writeln!(
        out,
        "{spec_name}: {n} profile{}",
        if n == 1 { "" } else { "s" }
    );
    let overriding = core_instance_profiles(&model.profiles);
    for p in &model.profiles {
        out.blank();
        profile(&mut out, p, &overriding);
        scanners::text(&mut out, model, p);
    }
    if let Some(r) = &model.rollout {
        out.blank();
        rollout(&mut out, r);
    }
    out.text
}

/// Where `build --rollout` deploys the profiles, and what it never reaches.
fn rollout(out: &mut Lines, r: &Rollout) {
    let _ = writeln!(
        out,
        "Rollout: service-managed CloudFormation StackSets (`build --rollout`)"
    );
    let _ = writeln!(
        out,
        "  Deployed {}.",
        match r.call_as {
            CallAs::SelfAccount => "from the organization's management account",
            CallAs::DelegatedAdmin =>
                "by a delegated administrator of CloudFormation StackSets (CallAs DELEGATED_ADMIN)",
        }
    );
    if r.call_as == CallAs::DelegatedAdmin {
        // The template asserts the region (rule DelegatedAdministratorRegion in every
        // target); a reader of explain should learn it before a deploy fails on it.
        let _ = writeln!(
            out,
            "  A delegated administrator manages StackSets only in the regions AWS lists ({}): deploy the rollout from one of {}; in any other region the template stops before any StackSet operation.",
            refdata::stacksets::DELEGATED_ADMIN_PAGE.cite(),
            r.delegated_admin_regions.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "  To every account of {} and of the OUs below, never to the management account itself: service-managed StackSets do not deploy there (build without `--rollout` for it).",
        r.organizational_units.join(", ")
    );
    let _ = writeln!(
        out,
        "  StackSet {}: the roles, policies and instance profiles above, in {} only; IAM is global, so a second region would fail with \"already exists\".",
        r.iam_stack_set, r.iam_region
    );
    if let Some(setting) = &r.setting_stack_set {
        let _ = writeln!(
            out,
            "  StackSet {setting}: the Default Host Management setting, in {}, after the first.",
            r.regions.join(", ")
        );
    }
    if r.auto_deployment {
        let _ = writeln!(
            out,
            "  Accounts that join the OUs later get the stacks (auto deployment); an account that leaves {}.",
            if r.retain_stacks_on_account_removal {
                "keeps its stacks"
            } else {
                "has its stacks deleted"
            }
        );
    } else {
        let _ = writeln!(
            out,
            "  Auto deployment is off: accounts that join the OUs later get nothing until the StackSets are deployed again."
        );
    }
    let _ = writeln!(
        out,
        "  An operation deploys to at most {}% of the accounts at once, and stops in a region once more than {}% fail (with CloudFormation's default strict failure tolerance, fewer at once when the tolerance is lower).",
        r.max_concurrent_percentage, r.failure_tolerance_percentage
    );
    out.blank();
    let _ = writeln!(out, "  Warnings");
    if r.warnings.is_empty() {
        let _ = writeln!(out, "    none");
    }
    for (_, w) in &r.warnings {
        let _ = writeln!(out, "    - {w}");
    }
}

/// The explain text being written: each `writeln!` is one line, escaped with
/// `diag::terminal_safe`; `blank` adds an empty line.
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn blank(&mut self) {
        self.text.push('\n');
    }
}

impl Write for Lines {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(&crate::diag::terminal_safe(s));
        Ok(())
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::fmt::Result {
        // `writeln!` ends the format with its own line feed: keep it, escape the rest.
        let line = args.to_string();
        let body = line.strip_suffix('\n').unwrap_or(&line);
        self.text.push_str(&crate::diag::terminal_safe(body));
        if body.len() < line.len() {
            self.text.push('\n');
        }
        Ok(())
    }
}

fn profile(out: &mut Lines, p: &Profile, overriding: &[&Profile]) {
    let kind = match p.kind {
        Kind::InstanceProfile => "an EC2 instance profile",
        Kind::HybridServiceRole => "a service role for hybrid (on-premises) managed nodes",
        Kind::DefaultHostManagement => "the Default Host Management Configuration (DHMC) role",
    };
    let _ = writeln!(
        out,
        "Profile {}: {kind}, partition {}",
        p.name, p.arn_partition
    );

    role::who_may_assume(out, p);
    managed_policies(out, p);
    custom_policies(out, p);
    parameters::section(out, p);
    role::instance_profile(out, p);
    if let Some(setting) = &p.service_setting {
        default_host_management(out, p, setting, overriding);
    }
    adoption::section(out, p);
    warnings_section(out, p);
}

/// The managed policies attached by ARN, each with why, and the custom ones by name.
fn managed_policies(out: &mut Lines, p: &Profile) {
    let attached = p.attached_policies();
    let quota = p.managed_policy_quota;
    out.blank();
    let _ = writeln!(
        out,
        "  Managed policies: {attached} of the {quota} a role may hold {} ({} by ARN, {} written by ssm-profile)",
        if quota == limits::MANAGED_POLICIES_PER_ROLE {
            "by default"
        } else {
            "in this account, as managed_policy_quota says"
        },
        p.managed_policies.len(),
        p.custom_policies.len()
    );
    for m in &p.managed_policies {
        let _ = writeln!(out, "    {}", m.arn);
        let _ = writeln!(out, "      why: {}", m.reason);
    }
    for c in &p.custom_policies {
        let _ = writeln!(out, "    {} (written by ssm-profile, below)", c.name);
    }
}

/// Each policy ssm-profile writes, statement by statement, and the dated AWS pages
/// that say what granted buckets are for, numbered as first used.
fn custom_policies(out: &mut Lines, p: &Profile) {
    let mut sources: Vec<&Citation> = Vec::new();
    for c in &p.custom_policies {
        let path = c
            .path
            .as_deref()
            .map(|p| format!(" at path {p}"))
            .unwrap_or_default();
        out.blank();
        let _ = writeln!(out, "  Policy {}{path}", c.name);
        for s in &c.statements {
            let _ = writeln!(out, "    {}: {}", s.sid, s.purpose);
            let (verb, on) = match s.effect {
                Effect::Allow => ("allows", "on"),
                Effect::Deny => ("denies", "on every resource but"),
            };
            let _ = writeln!(out, "      {verb} {}", s.actions.join(", "));
            for (i, r) in s.resources.iter().enumerate() {
                let lead = if i == 0 { on } else { "" };
                let shown = r.in_words();
                let _ = writeln!(out, "      {lead:<width$} {shown}", width = on.len());
                let noted = |n: &&ResourceNote| r.literal() == Some(&*n.resource);
                if let Some(note) = p.resource_notes().find(noted) {
                    let n = match sources.iter().position(|c| *c == note.source) {
                        Some(i) => i + 1,
                        None => {
                            sources.push(note.source);
                            sources.len()
                        }
                    };
                    let _ = writeln!(out, "           {} [{n}]", note.purpose);
                }
            }
        }
    }
    if !sources.is_empty() {
        out.blank();
        let _ = writeln!(out, "  Sources");
        for (i, c) in sources.iter().enumerate() {
            let _ = writeln!(out, "    [{}] {}, {}, {}", i + 1, c.doc, c.url, date(c));
        }
    }
}

/// The profile's warnings, or none.
fn warnings_section(out: &mut Lines, p: &Profile) {
    let warnings = warnings(p);
    out.blank();
    let _ = writeln!(out, "  Warnings");
    if warnings.is_empty() {
        let _ = writeln!(out, "    none");
    }
    for w in &warnings {
        let _ = writeln!(out, "    - {w}");
    }
}

/// The profile's warnings, and what explain adds about the managed-policy limit.
fn warnings(p: &Profile) -> Vec<String> {
    let attached = p.attached_policies();
    let quota = p.managed_policy_quota;
    let max = *limits::MANAGED_POLICY_QUOTA.end();
    let mut warnings: Vec<String> = p.warnings.iter().map(|w| w.message.clone()).collect();
    if let RoleRef::Existing { name } = &p.role {
        warnings.push(format!(
            "the policies that {name} holds already count towards the same limit of {quota} managed policies per role"
        ));
    } else if attached + 1 >= quota {
        warnings.push(if quota >= max {
            format!("{attached} of {quota} managed policies per role are used; IAM allows no more")
        } else {
            format!(
                "{attached} of {quota} managed policies per role are used; more need a quota increase (IAM allows {max} at most; then set `managed_policy_quota`)"
            )
        });
    }
    warnings
}

/// The account of `explain` as data (`explain --format json`): per profile, who may
/// assume the role, every managed policy with why, every statement ssm-profile
/// writes with its purpose, the instance profile and the warnings. Strings are the
/// spec's own (unescaped); deploy-time values read `<the deploying account>` and
/// `<the deploying region>`. `format_version` changes only when a key changes
/// meaning or goes away.
pub fn explain_json(model: &Model, spec_name: &str) -> serde_json::Value {
    let overriding = core_instance_profiles(&model.profiles);
    let profiles: Vec<serde_json::Value> = model
        .profiles
        .iter()
        .map(|p| scanners::with_json(profile_json(p, &overriding), model, p))
        .collect();
    json!({
        "format_version": 1,
        "spec": spec_name,
        "profiles": profiles,
        "rollout": model.rollout.as_ref().map(rollout_json),
    })
}

fn rollout_json(r: &Rollout) -> serde_json::Value {
    let mut stack_sets = vec![json!({
        "name": r.iam_stack_set,
        "holds": "iam",
        "regions": [r.iam_region],
    })];
    if let Some(setting) = &r.setting_stack_set {
        stack_sets.push(json!({
            "name": setting,
            "holds": "default-host-management-setting",
            "regions": r.regions,
            "after": r.iam_stack_set,
        }));
    }
    json!({
        "permission_model": "SERVICE_MANAGED",
        "call_as": r.call_as,
        "organizational_units": r.organizational_units,
        "includes_management_account": false,
        "iam_region": r.iam_region,
        "regions": r.regions,
        "auto_deployment": r.auto_deployment,
        "retain_stacks_on_account_removal": r.retain_stacks_on_account_removal,
        "max_concurrent_percentage": r.max_concurrent_percentage,
        "failure_tolerance_percentage": r.failure_tolerance_percentage,
        "stack_sets": stack_sets,
        "warnings": r.warnings.iter().map(|(_, w)| w).collect::<Vec<_>>(),
    })
}

fn profile_json(p: &Profile, overriding: &[&Profile]) -> serde_json::Value {
    let role = match &p.role {
        RoleRef::Create(role) => json!({
            "created": true,
            "name": role.name,
            "path": role.path,
            "description": role.description,
            "trusted_service": role.trust.service,
            "conditions": role.trust.each_condition().map(|(operator, c)| json!({
                "operator": operator,
                "key": c.key,
                "value": text(&c.value),
            })).collect::<Vec<_>>(),
            "permissions_boundary": role.permissions_boundary,
            "max_session_duration": role.max_session_duration,
        }),
        RoleRef::Existing { name } => json!({ "created": false, "name": name }),
    };
    let tags: serde_json::Map<String, serde_json::Value> = p
        .tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone().into()))
        .collect();
    json!({
        "name": p.name,
        "kind": p.kind,
        "partition": p.partition,
        "arn_partition": p.arn_partition,
        "role": role,
        "tags": tags,
        "managed_policy_limit": p.managed_policy_quota,
        "managed_policies": p.managed_policies.iter().map(|m| json!({
            "arn": m.arn,
            "reason": m.reason,
        })).collect::<Vec<_>>(),
        "custom_policies": p.custom_policies.iter().map(|c| json!({
            "name": c.name,
            "path": c.path,
            "statements": c.statements.iter().map(|s| json!({
                "sid": s.sid,
                "purpose": s.purpose,
                "effect": s.effect.as_str(),
                "actions": s.actions,
                "resources": if s.not_resource { Vec::new() } else { in_words(&s.resources) },
                "not_resources": if s.not_resource { in_words(&s.resources) } else { Vec::new() },
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "resource_notes": p.resource_notes().map(|n| json!({
            "resource": n.resource,
            "purpose": n.purpose,
            "source": n.source,
        })).collect::<Vec<_>>(),
        "instance_profile": p.instance_profile.as_ref().map(|ip| json!({
            "name": ip.name,
            "path": ip.path,
            "takes_precedence_over_default_host_management": has_core(p),
        })),
        "default_host_management": p.service_setting.as_ref().map(|s| json!({
            "setting_id": s.id,
            "value": s.value,
            "region": text(&Text(vec![Part::Region])),
            "requires": {
                "imds_version": 2,
                "ssm_agent_min_version": refdata::dhmc::MIN_AGENT_VERSION,
            },
            "overridden_by_instance_profiles": overriding.iter().map(|o| &o.name).collect::<Vec<_>>(),
            "replaces_existing_role": true,
        })),
        "parameter_store": parameters::json(p),
        "adoption": adoption::json(p),
        "warnings": warnings(p),
    })
}

/// The account setting of a Default Host Management profile, what the instances need
/// for it, and what takes precedence over it.
fn default_host_management(
    out: &mut Lines,
    p: &Profile,
    setting: &ServiceSetting,
    overriding: &[&Profile],
) {
    out.blank();
    let _ = writeln!(out, "  Default Host Management setting");
    let _ = writeln!(
        out,
        "    The account setting {} becomes {}, in the region the template is deployed to; every region has its own setting (`rollout` sets it in several).",
        setting.id, setting.value
    );
    let _ = writeln!(
        out,
        "    {} ({}): {}.",
        refdata::dhmc::REPLACES_EXISTING,
        refdata::dhmc::UPDATE_SERVICE_SETTING_PAGE.cite(),
        refdata::dhmc::CHECK_FIRST
    );
    let _ = writeln!(
        out,
        "    Systems Manager then manages every EC2 instance there that meets the prerequisites: IMDSv2 (instance metadata service version 2), and SSM Agent {} or later.",
        refdata::dhmc::MIN_AGENT_VERSION
    );
    let _ = writeln!(
        out,
        "    An instance profile that grants ssm:UpdateInstanceInformation ({} does) takes precedence over DHMC on its instances.",
        refdata::CORE_POLICY
    );
    if !overriding.is_empty() {
        let names: Vec<&str> = overriding.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(
            out,
            "    In this spec: {} (instances launched with {} do not use this role).",
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" }
        );
    }
    let without: Vec<&str> = refdata::partition(p.partition)
        .regions
        .iter()
        .copied()
        .filter(|r| refdata::dhmc::NO_SERVICE_SETTING_RESOURCE.contains(r))
        .collect();
    if !without.is_empty() {
        let _ = writeln!(
            out,
            "    CloudFormation has no AWS::SSM::ServiceSetting in {}: set it there with Terraform.",
            without.join(", ")
        );
    }
}

/// `aws:SourceAccount equals 111122223333 (StringEquals)`
fn condition(operator: &str, c: &ConditionEntry) -> String {
    let verb = match operator {
        "StringEquals" => "equals",
        "ArnEquals" | "ArnLike" => "matches",
        other => other,
    };
    format!("{} {verb} {} ({operator})", c.key, text(&c.value))
}

/// Resources with the deploying account named in words.
fn in_words(resources: &[Resource]) -> Vec<String> {
    resources
        .iter()
        .map(|r| r.in_words().into_owned())
        .collect()
}

/// A model text with its deploy-time parts named in words.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Literal(s) => s.clone(),
            Part::AccountId => DEPLOYING_ACCOUNT.into(),
            Part::Region => "<the deploying region>".into(),
        })
        .collect()
}

/// `as of 2026-11-28` for a page read that day, `2023` for an older page.
fn date(c: &Citation) -> String {
    if c.date.len() == 10 {
        format!("as of {}", c.date)
    } else {
        c.date.to_string()
    }
}

fn duration(seconds: u32) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    let hours = format!("{h} hour{}", if h == 1 { "" } else { "s" });
    if m == 0 {
        hours
    } else {
        format!("{hours} {m} minute{}", if m == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests;

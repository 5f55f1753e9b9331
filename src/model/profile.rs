//! One profile, step by step: its name and identifier, its role, the policies it
//! attaches and, for EC2, its instance profile. A step whose result later steps do
//! not need keeps its error (`Ctx::recover`) and the next step runs, so one run
//! reports every independent error, in the order of the steps.

use std::sync::Arc;

use super::dhmc;
use super::names::profile_id;
use super::parameters::parameter_store_policies;
use super::rules::{
    check_attachment_count, check_description, check_iam_name, check_managed_policy_quota,
    check_path, check_policy_arn, check_policy_characters, check_session_duration, check_tags,
};
use super::split::split_policy;
use super::statements::{
    managed_policies, s3_statements, session_manager_statements, trust_statement,
};
use super::{
    Ctx, CustomPolicy, InstanceProfile, Kind, Profile, ResourceNote, Role, RoleRef, Warning,
};
use crate::diag::RuleError;
use crate::refdata::{self, Confirmed, Partition, limits, rules};
use crate::spec::{ProfileSpec, SessionManagerSpec};

pub(super) fn build(p: &ProfileSpec, ctx: &Ctx) -> Result<Profile, RuleError> {
    let kind = Kind::from(p.kind);
    let partition = refdata::partition(p.partition);
    let name_ok = ctx.recover(
        check_iam_name(ctx, "name", &p.name, "a role name", &rules::ROLE_NAME).map(|_| true),
        false,
    );
    // A name already refused says nothing more by failing to give an identifier.
    let id = match profile_id(ctx, &p.name) {
        Ok(id) => id,
        Err(e) if name_ok => ctx.recover(Err(e), "Profile".to_string()),
        Err(_) => "Profile".to_string(),
    };
    let path = ctx.recover(
        p.path.as_deref().map(|v| check_path(ctx, v)).transpose(),
        None,
    );
    // AWS puts the DHMC role (and the policies made for a service role) under
    // /service-role/ unless told otherwise.
    let path = match (kind, path) {
        (Kind::DefaultHostManagement, None) if p.path.is_none() => {
            Some(refdata::dhmc::DEFAULT_PATH.to_string())
        }
        (_, path) => path,
    };
    let mut warnings = Vec::new();
    let tags = check_tags(ctx, &p.tags);

    if kind != Kind::HybridServiceRole && p.hybrid.is_some() {
        ctx.report(ctx.err(
            "hybrid",
            "`hybrid` applies only to `kind: hybrid-service-role`",
        ));
    }
    if kind == Kind::DefaultHostManagement {
        check_default_host_management(p, partition, ctx, &mut warnings);
    }

    if p.adopt && p.existing_role.is_some() {
        ctx.report(ctx.err(
            "adopt",
            "`adopt` takes over a role the spec creates, but `existing_role` leaves the role unmanaged: to bring a role made by hand under the spec, drop `existing_role` and give its name as `name`",
        ));
    }
    let role = ctx.recover(
        match &p.existing_role {
            Some(existing) => existing_role(p, existing, ctx),
            None => created_role(p, partition, &path, ctx, &mut warnings).map(RoleRef::Create),
        },
        RoleRef::Existing {
            name: p.name.clone(),
        },
    );
    let managed_policies = ctx.recover(
        managed_policies(p, partition, ctx, &mut warnings),
        Vec::new(),
    );
    let mut custom_policies = Vec::new();
    let mut resource_notes = Vec::new();
    if p.s3.is_some() {
        custom_policies.extend(ctx.recover(
            s3_policies(
                p,
                &id,
                partition,
                &path,
                ctx,
                &mut warnings,
                &mut resource_notes,
            ),
            Vec::new(),
        ));
    }
    if let Some(sm) = &p.session_manager {
        custom_policies.extend(ctx.recover(
            session_manager_policies(p, sm, &id, partition, &path, ctx, &mut warnings),
            Vec::new(),
        ));
    }
    let mut parameter_store = None;
    if let Some(ps) = &p.parameter_store {
        let built =
            parameter_store_policies(p, ps, &id, partition, &path, ctx, derives_valid_names(p));
        if let Some((policies, access)) = ctx.recover(built, None) {
            custom_policies.extend(policies);
            parameter_store = Some(access);
        }
    }
    ctx.recover(check_policy_characters(ctx, &custom_policies), ());
    // An invalid quota is reported; the count is then checked against none.
    let quota = ctx.recover(
        check_managed_policy_quota(ctx, p.managed_policy_quota).map(Some),
        None,
    );
    if let Some(quota) = quota {
        ctx.recover(
            check_attachment_count(
                ctx,
                managed_policies.len(),
                custom_policies.len(),
                quota,
                p.managed_policy_quota.is_some(),
            ),
            (),
        );
    }
    let managed_policy_quota = quota.unwrap_or(limits::MANAGED_POLICIES_PER_ROLE);
    let instance_profile = if name_ok {
        ctx.recover(instance_profile(p, kind, &path, ctx), None)
    } else {
        None
    };
    let service_setting = match (&role, kind) {
        (RoleRef::Create(r), Kind::DefaultHostManagement) => Some(dhmc::service_setting(
            &r.name,
            r.path.as_deref().unwrap_or("/"),
            partition,
        )),
        _ => None,
    };

    let designed_wildcards =
        super::scanners::designed_wildcards(&custom_policies, &resource_notes, partition.arn_id);
    Ok(Profile {
        name: p.name.clone(),
        id,
        kind,
        partition: p.partition,
        arn_partition: partition.arn_id,
        role,
        managed_policies,
        managed_policy_quota,
        stack: p.stack.map(|n| n as usize),
        adopt: p.adopt,
        account_id: None,
        custom_policies,
        instance_profile,
        service_setting,
        tags,
        resource_notes_by_region: resource_notes,
        designed_wildcards,
        parameter_store,
        warnings,
    })
}

/// A role that exists already: the spec names it, so it may not set its properties.
fn existing_role(p: &ProfileSpec, name: &str, ctx: &Ctx) -> Result<RoleRef, RuleError> {
    check_iam_name(ctx, "existing_role", name, "a role name", &rules::ROLE_NAME)?;
    for (field, given) in [
        ("description", p.description.is_some()),
        ("permissions_boundary", p.permissions_boundary.is_some()),
        ("max_session_duration", p.max_session_duration.is_some()),
        ("hybrid", p.hybrid.is_some()),
    ] {
        if given {
            return Err(ctx.err(
                field,
                format!("`{field}` sets a property of the role, but `existing_role` names a role this spec does not create"),
            ));
        }
    }
    Ok(RoleRef::Existing {
        name: name.to_string(),
    })
}

/// What a Default Host Management profile may not say: it creates its role (the
/// setting names it, and it must trust Systems Manager), and the role gets the DHMC
/// policy instead of AmazonSSMManagedInstanceCore.
fn check_default_host_management(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) {
    if p.existing_role.is_some() {
        ctx.report(ctx.err(
            "existing_role",
            "`kind: default-host-management` creates its role, trusted by ssm.amazonaws.com, and points the account's DHMC setting at it; leave `existing_role` out",
        ));
    }
    if p.managed_policies.core.is_some() {
        ctx.report(ctx.err(
            "managed_policies.core",
            format!(
                "`core` does not apply to `kind: default-host-management`: its role gets {} instead of {}; leave `core` out",
                refdata::dhmc::POLICY,
                refdata::CORE_POLICY
            ),
        ));
    }
    if let Confirmed::No(why) = refdata::dhmc::confirmed(partition.name) {
        warnings.push(Warning::new("partition", why));
    }
}

fn created_role(
    p: &ProfileSpec,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<Role, RuleError> {
    Ok(Role {
        name: p.name.clone(),
        path: path.clone(),
        description: ctx.recover(
            p.description
                .as_deref()
                .map(|d| check_description(ctx, d))
                .transpose(),
            None,
        ),
        trust: trust_statement(p, partition, ctx, warnings)?,
        permissions_boundary: ctx.recover(
            p.permissions_boundary
                .as_deref()
                .map(|arn| check_policy_arn(ctx, "permissions_boundary", arn, partition))
                .transpose(),
            None,
        ),
        max_session_duration: ctx.recover(
            p.max_session_duration
                .map(|s| check_session_duration(ctx, s))
                .transpose(),
            None,
        ),
    })
}

/// Whether the profile's name is a valid role name (its own check, at `name`): an
/// invalid one is reported once, there, and not again for each policy name derived
/// from it (issue 26 item 6).
fn derives_valid_names(p: &ProfileSpec) -> bool {
    rules::ROLE_NAME.violation(&p.name).is_none()
}

/// The S3 policy: its name is the spec's `policy_name` or derived from the profile's.
fn s3_policies(
    p: &ProfileSpec,
    id: &str,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
    notes: &mut Vec<Arc<[ResourceNote]>>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    // A name the user wrote is checked at its field; one derived from the profile's
    // name is checked at `name` (the field the user wrote), and only when that name
    // is itself valid: otherwise its own error already says what to fix.
    let (name, field, what) = match p.s3.as_ref().and_then(|s3| s3.policy_name.as_ref()) {
        Some(n) => (n.clone(), "s3.policy_name", "a policy name"),
        None => (
            format!("{}S3Policy", p.name),
            "name",
            "the S3 policy name derived from it",
        ),
    };
    if field != "name" || derives_valid_names(p) {
        ctx.recover(
            check_iam_name(ctx, field, &name, what, &rules::POLICY_NAME),
            (),
        );
    }
    let before = ctx.error_count();
    let statements = s3_statements(p, partition, ctx, warnings, notes)?;
    // Regions and buckets already refused are why the policy is empty.
    if statements.is_empty() && ctx.error_count() == before {
        return Err(ctx.err(
            "s3",
            "the S3 policy would be empty: give `vpc_endpoint_regions`, `buckets`, or leave `s3` out",
        ));
    }
    split_policy(
        ctx,
        field,
        &name,
        &format!("{id}S3Policy"),
        path.clone(),
        statements,
    )
}

/// The Session Manager policy, named after the profile.
fn session_manager_policies(
    p: &ProfileSpec,
    sm: &SessionManagerSpec,
    id: &str,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    let before = ctx.error_count();
    let statements = session_manager_statements(sm, partition, ctx, warnings)?;
    // A key or log bucket already refused is why nothing is granted.
    if statements.is_empty() && ctx.error_count() == before {
        return Err(ctx.err(
            "session_manager",
            "`session_manager` grants nothing: set `kms_key_arn`, `s3_logging` or `cloudwatch_logging`, or leave it out",
        ));
    }
    let name = format!("{}SessionManagerPolicy", p.name);
    if derives_valid_names(p) {
        check_iam_name(
            ctx,
            "name",
            &name,
            "the Session Manager policy name derived from it",
            &rules::POLICY_NAME,
        )?;
    }
    split_policy(
        ctx,
        "session_manager",
        &name,
        &format!("{id}SessionManagerPolicy"),
        path.clone(),
        statements,
    )
}

/// EC2 instances take a role through an instance profile of the same name; a hybrid
/// service role has none.
fn instance_profile(
    p: &ProfileSpec,
    kind: Kind,
    path: &Option<String>,
    ctx: &Ctx,
) -> Result<Option<InstanceProfile>, RuleError> {
    match kind {
        Kind::InstanceProfile => {
            check_iam_name(
                ctx,
                "name",
                &p.name,
                "an instance profile name",
                &rules::INSTANCE_PROFILE_NAME,
            )?;
            Ok(Some(InstanceProfile {
                name: p.name.clone(),
                path: path.clone(),
            }))
        }
        Kind::HybridServiceRole | Kind::DefaultHostManagement => Ok(None),
    }
}

//! One profile, step by step: its name and identifier, its role, the policies it
//! attaches and, for EC2, its instance profile. The first error wins, so the steps
//! run in the order the spec's errors are reported.

use super::names::profile_id;
use super::rules::{
    check_attachment_count, check_description, check_iam_name, check_managed_policy_quota,
    check_path, check_policy_arn, check_policy_characters, check_session_duration, check_tags,
};
use super::split::split_policy;
use super::statements::{
    managed_policies, s3_statements, session_manager_statements, trust_statement,
};
use super::{Ctx, CustomPolicy, InstanceProfile, Kind, Profile, ResourceNote, Role, RoleRef};
use crate::diag::RuleError;
use crate::refdata::{self, Partition, limits};
use crate::spec::{ProfileSpec, SessionManagerSpec};

pub(super) fn build(p: &ProfileSpec, ctx: &Ctx) -> Result<Profile, RuleError> {
    let kind = Kind::from(p.kind);
    let partition = refdata::partition(p.partition);
    check_iam_name(ctx, "name", &p.name, "a role name", limits::ROLE_NAME_MAX)?;
    let id = profile_id(ctx, &p.name)?;
    let path = p.path.as_deref().map(|v| check_path(ctx, v)).transpose()?;
    let mut warnings = Vec::new();
    let tags = check_tags(ctx, &p.tags)?;

    if kind == Kind::InstanceProfile && p.hybrid.is_some() {
        return Err(ctx.err(
            "hybrid",
            "`hybrid` applies only to `kind: hybrid-service-role`",
        ));
    }

    let role = match &p.existing_role {
        Some(existing) => existing_role(p, existing, ctx)?,
        None => RoleRef::Create(created_role(p, partition, &path, ctx, &mut warnings)?),
    };
    let managed_policies = managed_policies(p, partition, ctx, &mut warnings)?;
    let mut custom_policies = Vec::new();
    let mut resource_notes = Vec::new();
    if p.s3.is_some() {
        custom_policies.extend(s3_policies(
            p,
            &id,
            partition,
            &path,
            ctx,
            &mut warnings,
            &mut resource_notes,
        )?);
    }
    if let Some(sm) = &p.session_manager {
        custom_policies.extend(session_manager_policies(
            p,
            sm,
            &id,
            partition,
            &path,
            ctx,
            &mut warnings,
        )?);
    }
    check_policy_characters(ctx, &custom_policies)?;
    let managed_policy_quota = check_managed_policy_quota(ctx, p.managed_policy_quota)?;
    check_attachment_count(
        ctx,
        managed_policies.len(),
        custom_policies.len(),
        managed_policy_quota,
        p.managed_policy_quota.is_some(),
    )?;
    let instance_profile = instance_profile(p, kind, &path, ctx)?;

    Ok(Profile {
        name: p.name.clone(),
        id,
        kind,
        partition: p.partition,
        arn_partition: partition.arn_id,
        role,
        managed_policies,
        managed_policy_quota,
        custom_policies,
        instance_profile,
        tags,
        resource_notes,
        warnings,
    })
}

/// A role that exists already: the spec names it, so it may not set its properties.
fn existing_role(p: &ProfileSpec, name: &str, ctx: &Ctx) -> Result<RoleRef, RuleError> {
    check_iam_name(
        ctx,
        "existing_role",
        name,
        "a role name",
        limits::ROLE_NAME_MAX,
    )?;
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

fn created_role(
    p: &ProfileSpec,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Result<Role, RuleError> {
    Ok(Role {
        name: p.name.clone(),
        path: path.clone(),
        description: p
            .description
            .as_deref()
            .map(|d| check_description(ctx, d))
            .transpose()?,
        trust: trust_statement(p, partition, ctx, warnings)?,
        permissions_boundary: p
            .permissions_boundary
            .as_deref()
            .map(|arn| check_policy_arn(ctx, "permissions_boundary", arn, partition))
            .transpose()?,
        max_session_duration: p
            .max_session_duration
            .map(|s| check_session_duration(ctx, s))
            .transpose()?,
    })
}

/// The S3 policy: its name is the spec's `policy_name` or derived from the profile's.
fn s3_policies(
    p: &ProfileSpec,
    id: &str,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
    notes: &mut Vec<ResourceNote>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    let name = match p.s3.as_ref().and_then(|s3| s3.policy_name.as_ref()) {
        Some(n) => n.clone(),
        None => format!("{}S3Policy", p.name),
    };
    check_iam_name(
        ctx,
        "s3.policy_name",
        &name,
        "a policy name",
        limits::POLICY_NAME_MAX,
    )?;
    let statements = s3_statements(p, partition, ctx, warnings, notes)?;
    if statements.is_empty() {
        return Err(ctx.err(
            "s3",
            "the S3 policy would be empty: give `vpc_endpoint_regions`, `buckets`, or leave `s3` out",
        ));
    }
    split_policy(
        ctx,
        "s3.policy_name",
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
    warnings: &mut Vec<String>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    let statements = session_manager_statements(sm, partition, ctx, warnings)?;
    if statements.is_empty() {
        return Err(ctx.err(
            "session_manager",
            "`session_manager` grants nothing: set `kms_key_arn`, `s3_logging` or `cloudwatch_logging`, or leave it out",
        ));
    }
    let name = format!("{}SessionManagerPolicy", p.name);
    check_iam_name(
        ctx,
        "name",
        &name,
        "the Session Manager policy name derived from it",
        limits::POLICY_NAME_MAX,
    )?;
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
                limits::INSTANCE_PROFILE_NAME_MAX,
            )?;
            Ok(Some(InstanceProfile {
                name: p.name.clone(),
                path: path.clone(),
            }))
        }
        Kind::HybridServiceRole => Ok(None),
    }
}

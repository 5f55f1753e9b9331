//! The grants: the trust statement, the managed policies attached by ARN, and the
//! statements of the policies ssm-profile writes, each with the reason or purpose
//! `explain` words.

use std::sync::Arc;

use super::created::{aws_managed_arn, aws_managed_path_and_name};
use super::names::camel;
use super::rules::{
    check_account_id, check_bucket_name, check_kms_key_arn, check_policy_arn, check_region,
    object_pattern,
};
use super::{
    Condition, Ctx, Effect, Kind, ManagedPolicy, Part, Resource, ResourceNote, Statement, Text,
    TrustStatement, Warning,
};

use crate::diag::RuleError;
use crate::refdata::{self, Confirmed, Partition, scanners};
use crate::spec::{AgentBuckets, PartitionName, ProfileSpec, SessionManagerSpec};

/// The Sids (or, for a statement per region or cut into parts, their start) of the
/// statements whose wildcards AWS's pages grant so (`scanners::designed_wildcards`).
pub(super) const SID_AGENT_BUCKETS: &str = "SsmAgentBuckets";
pub(super) const SID_OWN_OBJECTS: &str = "OwnBucketObjects";
pub(super) const SID_SESSION_LOGS_TO_S3: &str = "SessionLogsToS3";
pub(super) const SID_SESSION_LOGS_DESCRIBE: &str = "SessionLogsDescribe";
pub(super) const SID_SESSION_LOGS_TO_CLOUDWATCH: &str = "SessionLogsToCloudWatch";

/// The single statement of a created role's trust policy: who may assume the role.
pub(super) fn trust_statement(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<TrustStatement, RuleError> {
    match Kind::from(p.kind) {
        Kind::InstanceProfile => Ok(ec2_trust(p.partition, warnings)),
        Kind::HybridServiceRole => hybrid_trust(p, partition, ctx, warnings),
        Kind::DefaultHostManagement => Ok(default_host_management_trust()),
    }
}

/// Systems Manager assumes the DHMC role for the instances of the account it is
/// deployed to; AWS's trust policy for it names the principal and no condition.
fn default_host_management_trust() -> TrustStatement {
    TrustStatement::new(
        "AllowSystemsManagerToAssumeRole",
        refdata::SSM_PRINCIPAL.to_string(),
        Vec::new(),
    )
}

fn ec2_trust(partition: PartitionName, warnings: &mut Vec<Warning>) -> TrustStatement {
    let (service, confirmed) = refdata::ec2_principal(partition);
    if let Confirmed::No(why) = confirmed {
        warnings.push(Warning::new("partition", why));
    }
    TrustStatement::new("AllowEc2ToAssumeRole", service.to_string(), Vec::new())
}

/// Systems Manager may assume the role only on behalf of one account and region
/// (the confused-deputy conditions); those the spec leaves out are the ones the
/// template is deployed into.
fn hybrid_trust(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<TrustStatement, RuleError> {
    let hybrid = p.hybrid.as_ref();
    let account = match hybrid.and_then(|h| h.account_id.as_ref()) {
        Some(a) => {
            check_account_id(ctx, "hybrid.account_id", a)?;
            Part::Literal(a.clone())
        }
        None => Part::AccountId,
    };
    let region = match hybrid.and_then(|h| h.region.as_ref()) {
        Some(r) => {
            check_region(ctx, "hybrid.region", r, partition)?;
            Part::Literal(r.clone())
        }
        None => Part::Region,
    };
    // AWS documents ssm.amazonaws.com in aws and aws-cn (refdata cites both pages).
    if let Confirmed::No(why) = refdata::ssm_principal_confirmed(p.partition) {
        warnings.push(Warning::new("partition", why));
    }
    let source_arn = Text(vec![
        Part::Literal(format!("arn:{}:ssm:", partition.arn_id)),
        region,
        Part::Literal(":".into()),
        account.clone(),
        Part::Literal(":*".into()),
    ]);
    Ok(TrustStatement::new(
        "AllowSystemsManagerToAssumeRole",
        refdata::SSM_PRINCIPAL.to_string(),
        vec![
            Condition {
                operator: "StringEquals",
                key: "aws:SourceAccount",
                value: Text(vec![account]),
            },
            Condition {
                operator: "ArnEquals",
                key: "aws:SourceArn",
                value: normalise(source_arn),
            },
        ],
    ))
}

/// Merges adjacent literals so that a fully known value is a single literal.
fn normalise(text: Text) -> Text {
    let mut out: Vec<Part> = Vec::new();
    for part in text.0 {
        match (out.last_mut(), part) {
            (Some(Part::Literal(prev)), Part::Literal(next)) => prev.push_str(&next),
            (_, part) => out.push(part),
        }
    }
    Text(out)
}

/// The AWS managed policies the spec selects, and those it lists by ARN.
pub(super) fn managed_policies(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<ManagedPolicy>, RuleError> {
    let mp = &p.managed_policies;
    let aws = |name: &str| aws_managed_arn(partition.arn_id, name);
    let mut out = Vec::new();
    // The field that selects each policy of `out`, where its warning points.
    let mut fields = Vec::new();
    if Kind::from(p.kind) == Kind::DefaultHostManagement {
        out.push(ManagedPolicy {
            arn: aws(refdata::dhmc::POLICY),
            by_design: Some(&scanners::DHMC_POLICY),
            reason: "Default Host Management: what SSM Agent needs to register and take commands on the instances Systems Manager manages with this role".into(),
        });
        fields.push("kind".to_string());
    } else if mp.core.unwrap_or(true) {
        out.push(ManagedPolicy {
            arn: aws(refdata::CORE_POLICY),
            by_design: Some(&scanners::CORE_POLICY),
            reason: "Systems Manager core functionality: required for SSM Agent to register and take commands".into(),
        });
        fields.push("managed_policies.core".to_string());
    } else {
        warnings.push(Warning::new(
            "managed_policies.core",
            format!(
                "`core: false`: {} is not attached, so SSM Agent cannot register with Systems Manager unless another policy grants the same permissions",
                refdata::CORE_POLICY
            ),
        ));
    }
    if mp.directory_service {
        out.push(ManagedPolicy {
            arn: aws(refdata::DIRECTORY_SERVICE_POLICY),
            by_design: Some(&scanners::DIRECTORY_SERVICE_POLICY),
            reason:
                "joins Windows Server instances to an AWS Directory Service (Microsoft AD) domain"
                    .into(),
        });
        fields.push("managed_policies.directory_service".to_string());
    }
    if mp.cloudwatch_agent {
        out.push(ManagedPolicy {
            arn: aws(refdata::CLOUDWATCH_AGENT_POLICY),
            by_design: Some(&scanners::CLOUDWATCH_AGENT_POLICY),
            reason: "lets the CloudWatch agent write metrics and logs".into(),
        });
        fields.push("managed_policies.cloudwatch_agent".to_string());
    }
    if mp.patch_association {
        out.push(ManagedPolicy {
            arn: aws(refdata::PATCH_ASSOCIATION_POLICY),
            by_design: Some(&scanners::PATCH_ASSOCIATION_POLICY),
            reason: "patch baseline reads for Patch Manager associations (what Quick Setup adds)"
                .into(),
        });
        fields.push("managed_policies.patch_association".to_string());
    }
    for (i, arn) in mp.additional.iter().enumerate() {
        let field = format!("managed_policies.additional[{i}]");
        let arn = check_policy_arn(ctx, &field, arn, partition)?;
        if out.iter().any(|m| m.arn == arn) {
            return Err(ctx.err(
                &field,
                format!("`{arn}` is already attached; a role holds each policy once"),
            ));
        }
        // The spec's own choice: a scanner's finding on it stays (issue 27).
        out.push(ManagedPolicy {
            arn,
            by_design: None,
            reason: "listed under managed_policies.additional".into(),
        });
        fields.push(field);
    }
    // An AWS managed policy exists per partition; outside aws, few are documented.
    for (m, field) in out.iter().zip(&fields) {
        if let Some(path_and_name) = aws_managed_path_and_name(partition.arn_id, &m.arn) {
            let name = path_and_name.rsplit('/').next().unwrap_or(path_and_name);
            // The DHMC policy is in the warning the DHMC check gives (`refdata::dhmc`).
            if name == refdata::dhmc::POLICY {
                continue;
            }
            if let Confirmed::No(why) = refdata::aws_managed_policy_confirmed(p.partition, name) {
                warnings.push(Warning::new(
                    field,
                    format!(
                        "AWS managed policy {name} in partition {}: {why}",
                        partition.arn_id
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Case 1 (VPC endpoint) and case 2 (own buckets) of AWS's setup page. Each region
/// and bucket is checked on its own: a refused one is reported (`Ctx::report`) and
/// the others are still checked. `notes` gets what each AWS-owned bucket is for.
/// The object ARNs of the agent buckets of `region`, each with its note: the same for
/// every profile that lists the region, so built once per (partition, region, list)
/// per thread and shared (building them for every profile was 18% of a 100-profile
/// fleet's instructions).
fn agent_bucket_notes(
    partition: Partition,
    region: &str,
    list: AgentBuckets,
) -> Arc<[ResourceNote]> {
    type Key = (&'static str, String, bool);
    thread_local! {
        static BUILT: std::cell::RefCell<std::collections::HashMap<Key, Arc<[ResourceNote]>>> =
            Default::default();
    }
    let key = (
        partition.arn_id,
        region.to_string(),
        list == AgentBuckets::Seed,
    );
    BUILT.with_borrow_mut(|built| {
        built
            .entry(key)
            .or_insert_with(|| {
                let buckets = match list {
                    AgentBuckets::Current => refdata::current_agent_buckets(region),
                    AgentBuckets::Seed => refdata::seed_agent_buckets(region),
                };
                buckets
                    .into_iter()
                    .map(|b| ResourceNote {
                        resource: format!("arn:{}:s3:::{}/*", partition.arn_id, b.name).into(),
                        purpose: b.purpose,
                        source: b.source,
                    })
                    .collect()
            })
            .clone()
    })
}

pub(super) fn s3_statements(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
    notes: &mut Vec<Arc<[ResourceNote]>>,
) -> Result<Vec<Statement>, RuleError> {
    let s3 = p.s3.as_ref().expect("called only with an s3 section");
    let arn = |resource: &str| format!("arn:{}:s3:::{resource}", partition.arn_id);
    let mut statements = Vec::new();

    let mut seen = Vec::new();
    for (i, region) in s3.vpc_endpoint_regions.iter().enumerate() {
        let field = format!("s3.vpc_endpoint_regions[{i}]");
        if let Err(e) = check_region(ctx, &field, region, partition) {
            ctx.report(e);
            continue;
        }
        if seen.contains(&region) {
            ctx.report(ctx.err(&field, format!("region `{region}` is listed twice")));
            continue;
        }
        seen.push(region);
        if let Confirmed::No(why) = refdata::agent_buckets_confirmed(p.partition, region) {
            match s3.agent_buckets {
                AgentBuckets::Current => {
                    ctx.report(ctx.err(
                        &field,
                        format!("{why} ({region}); set `agent_buckets: seed` to use AWS's original six-bucket list as its setup guide writes it, or grant the buckets you have confirmed under `buckets`"),
                    ));
                    continue;
                }
                AgentBuckets::Seed => warnings.push(Warning::new(
                    &field,
                    format!("{why} ({region}); AWS's original six-bucket list is used as its setup guide writes it, unverified"),
                )),
            }
        }
        let agent = agent_bucket_notes(partition, region, s3.agent_buckets);
        let resources: Vec<Resource> = agent.iter().map(|n| n.resource.clone().into()).collect();
        notes.push(agent.clone());
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: format!("{SID_AGENT_BUCKETS}{}", camel(region)),
            actions: vec!["s3:GetObject".into()],
            resources,
            purpose: format!(
                "case 1, VPC endpoint: the AWS-owned buckets SSM Agent reads in {region}"
            ),
        });
    }

    // Object actions on BUCKET/* (or BUCKET/PREFIX/*), bucket-level actions on BUCKET:
    // buckets that need the same actions share one statement.
    let mut objects = Vec::new();
    let mut cross_account = Vec::new();
    let mut encrypted = Vec::new();
    for (i, b) in s3.buckets.iter().enumerate() {
        let field = format!("s3.buckets[{i}]");
        // The name and the prefix are checked apart, so both are reported.
        let name = check_bucket_name(ctx, &format!("{field}.name"), &b.name);
        let pattern = object_pattern(ctx, &field, &b.name, b.prefix.as_deref());
        let objects_arn = match (name, pattern) {
            (Ok(()), Ok(pattern)) => arn(&pattern),
            (name, pattern) => {
                name.err().into_iter().for_each(|e| ctx.report(e));
                pattern.err().into_iter().for_each(|e| ctx.report(e));
                continue;
            }
        };
        let bucket_arn = arn(&b.name);
        let all = [&objects, &cross_account];
        if all.iter().any(|list| list.contains(&objects_arn)) {
            ctx.report(ctx.err(
                &field,
                format!("bucket `{}` is listed twice with the same prefix", b.name),
            ));
            continue;
        }
        if b.cross_account {
            cross_account.push(objects_arn);
        } else {
            objects.push(objects_arn);
        }
        if b.encrypted && !encrypted.contains(&bucket_arn) {
            encrypted.push(bucket_arn);
        }
        if b.cross_account {
            warnings.push(Warning::new(
                format!("{field}.cross_account"),
                format!(
                    "bucket `{}` has cross_account: s3:PutObjectAcl only takes effect when the bucket's S3 Object Ownership allows ACLs; new buckets disable ACLs by default",
                    b.name
                ),
            ));
        }
    }
    if !objects.is_empty() {
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: SID_OWN_OBJECTS.into(),
            actions: vec!["s3:GetObject".into(), "s3:PutObject".into()],
            resources: shared(objects),
            purpose:
                "case 2, own bucket: read scripts and patch lists, write command and session output"
                    .into(),
        });
    }
    if !cross_account.is_empty() {
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: format!("{SID_OWN_OBJECTS}CrossAccount"),
            actions: vec![
                "s3:GetObject".into(),
                "s3:PutObject".into(),
                "s3:PutObjectAcl".into(),
            ],
            resources: shared(cross_account),
            purpose: "case 2, own bucket used across accounts: read and write objects, and set their ACL (s3:PutObjectAcl)".into(),
        });
    }
    if !encrypted.is_empty() {
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: "OwnBucketEncryption".into(),
            actions: vec!["s3:GetEncryptionConfiguration".into()],
            resources: shared(encrypted),
            purpose: "case 2, encrypted own bucket: read the bucket's encryption configuration (a bucket-level action, on the bucket ARN)".into(),
        });
    }
    Ok(statements)
}

/// What Session Manager needs for the options the spec turns on.
pub(super) fn session_manager_statements(
    sm: &SessionManagerSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Statement>, RuleError> {
    let mut statements = Vec::new();
    // docs/sources.md 5 (correction, 2026-11-28): the instance needs only kms:Decrypt on
    // the session key; kms:GenerateDataKey is for writing logs to an SSE-KMS
    // destination, so it goes on the log bucket's key (below), not on this one.
    let key = (sm.kms_key_arn.as_ref()).filter(|key| {
        ctx.recover(
            check_kms_key_arn(ctx, "session_manager.kms_key_arn", key, partition).map(|_| true),
            false,
        )
    });
    if let Some(key) = key {
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: "SessionEncryptionKey".into(),
            actions: vec!["kms:Decrypt".into()],
            resources: vec![key.as_str().into()],
            purpose: "Session Manager: decrypt session data with the session KMS key".into(),
        });
    }
    // The log bucket's name, prefix and key are checked apart, so each is reported.
    let log = sm.s3_logging.as_ref().and_then(|log| {
        let field = "session_manager.s3_logging";
        let name = check_bucket_name(ctx, &format!("{field}.bucket"), &log.bucket);
        let pattern = object_pattern(ctx, field, &log.bucket, log.prefix.as_deref());
        let key = (log.kms_key_arn.as_ref())
            .map(|key| check_kms_key_arn(ctx, &format!("{field}.kms_key_arn"), key, partition))
            .transpose();
        match (name, pattern, key) {
            (Ok(()), Ok(pattern), Ok(_)) => Some((log, pattern)),
            (name, pattern, key) => {
                name.err().into_iter().for_each(|e| ctx.report(e));
                pattern.err().into_iter().for_each(|e| ctx.report(e));
                key.err().into_iter().for_each(|e| ctx.report(e));
                None
            }
        }
    });
    if let Some((log, pattern)) = log {
        let objects = format!("arn:{}:s3:::{pattern}", partition.arn_id);
        let mut actions = vec!["s3:PutObject".to_string()];
        if log.cross_account {
            actions.push("s3:PutObjectAcl".into());
            warnings.push(Warning::new(
                "session_manager.s3_logging.cross_account",
                format!(
                    "session log bucket `{}` has cross_account: s3:PutObjectAcl only takes effect when the bucket's S3 Object Ownership allows ACLs",
                    log.bucket
                ),
            ));
        }
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: SID_SESSION_LOGS_TO_S3.into(),
            actions,
            resources: vec![objects.into()],
            purpose: "Session Manager: write session logs to the S3 bucket".into(),
        });
        if log.encrypted {
            statements.push(Statement {
                effect: Effect::Allow,
                not_resource: false,
                sid: "SessionLogsBucketEncryption".into(),
                actions: vec!["s3:GetEncryptionConfiguration".into()],
                resources: vec![format!("arn:{}:s3:::{}", partition.arn_id, log.bucket).into()],
                purpose: "Session Manager: check the log bucket's encryption (\"Enforce S3 log encryption\")".into(),
            });
        }
        match &log.kms_key_arn {
            Some(key) => {
                statements.push(Statement {
                    effect: Effect::Allow,
                    not_resource: false,
                    sid: "SessionLogsEncryptionKey".into(),
                    actions: vec!["kms:GenerateDataKey".into()],
                    resources: vec![key.as_str().into()],
                    purpose: "Session Manager: generate data keys to write session logs to the log bucket, which SSE-KMS encrypts with this key".into(),
                });
            }
            None if log.encrypted => warnings.push(Warning::new(
                "session_manager.s3_logging.encrypted",
                format!(
                    "session log bucket `{}` is encrypted but `s3_logging.kms_key_arn` is not set: if the bucket uses SSE-KMS, the instance needs kms:GenerateDataKey on its key to write session logs, so name the key there (SSE-S3 needs nothing more)",
                    log.bucket
                ),
            )),
            None => {}
        }
    }
    if sm.cloudwatch_logging {
        // DescribeLogGroups takes no resource narrower than `*`; the other three act
        // on log groups and streams, so they are limited to this partition's.
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: SID_SESSION_LOGS_DESCRIBE.into(),
            actions: vec!["logs:DescribeLogGroups".into()],
            resources: vec!["*".into()],
            purpose: "Session Manager: find the log group for session logs".into(),
        });
        statements.push(Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: SID_SESSION_LOGS_TO_CLOUDWATCH.into(),
            actions: vec![
                "logs:CreateLogStream".into(),
                "logs:DescribeLogStreams".into(),
                "logs:PutLogEvents".into(),
            ],
            resources: vec![format!("arn:{}:logs:*:*:log-group:*", partition.arn_id).into()],
            purpose: "Session Manager: write session logs to CloudWatch Logs".into(),
        });
    }
    Ok(statements)
}

/// A statement's resources as the model holds them (`Statement::resources`).
fn shared(resources: Vec<String>) -> Vec<Resource> {
    resources.into_iter().map(Resource::from).collect()
}

#[cfg(test)]
mod tests;

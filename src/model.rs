//! The validated model: typed IAM resources that every backend renders.
//!
//! Every rule of spec v1 and every IAM and S3 limit is checked here, once; a backend
//! may assume that names, ARNs, regions and sizes are valid, and only decides how to
//! spell them in its language.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::RuleError;
use crate::refdata::{self, Confirmed, Partition, limits};
use crate::spec::{AgentBuckets, Kind, PartitionName, ProfileSpec, Spec};

/// All profiles of one spec.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub profiles: Vec<Profile>,
}

impl Model {
    /// Every profile's warnings as the commands print them:
    /// `SPEC: profile `NAME`: WARNING`, in spec order.
    pub fn warning_lines(&self, spec_name: &str) -> Vec<String> {
        self.profiles
            .iter()
            .flat_map(|p| {
                p.warnings
                    .iter()
                    .map(move |w| format!("{spec_name}: profile `{}`: {w}", p.name))
            })
            .collect()
    }
}

/// One role (created or existing) with its policies and, for EC2, its instance profile.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: String,
    /// Alphanumeric stem of every identifier a backend derives (CloudFormation
    /// logical IDs, Terraform addresses, CDK member names). Unique in the spec.
    pub id: String,
    pub kind: Kind,
    pub partition: PartitionName,
    pub arn_partition: &'static str,
    pub role: RoleRef,
    pub managed_policies: Vec<ManagedPolicy>,
    pub custom_policies: Vec<CustomPolicy>,
    pub instance_profile: Option<InstanceProfile>,
    pub tags: Vec<Tag>,
    /// Things the user should know: unconfirmed facts, risky choices.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum RoleRef {
    Create(Role),
    /// A role that exists already; nothing creates it.
    Existing {
        name: String,
    },
}

impl RoleRef {
    pub fn name(&self) -> &str {
        match self {
            RoleRef::Create(r) => &r.name,
            RoleRef::Existing { name } => name,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub name: String,
    pub path: Option<String>,
    pub description: Option<String>,
    pub trust: TrustStatement,
    pub permissions_boundary: Option<String>,
    pub max_session_duration: Option<u32>,
}

/// The single statement of a role's trust policy.
#[derive(Debug, Clone, Serialize)]
pub struct TrustStatement {
    pub sid: &'static str,
    pub service: String,
    pub conditions: Vec<Condition>,
}

/// One condition of a trust statement: `operator` { `key`: `value` }.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub operator: &'static str,
    pub key: &'static str,
    pub value: Text,
}

/// A string that may hold values known only at deploy time. Each backend spells
/// the deploy-time parts its own way (`${AWS::AccountId}`, a data source, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text(pub Vec<Part>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Literal(String),
    /// The account the template is deployed into.
    AccountId,
    /// The region the template is deployed into.
    Region,
}

impl Text {
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Literal(s)] => Some(s),
            _ => None,
        }
    }
}

/// An AWS managed (or additional) policy attached by ARN.
#[derive(Debug, Clone, Serialize)]
pub struct ManagedPolicy {
    pub arn: String,
    /// Why it is attached, in words for `explain` and comments.
    pub reason: String,
}

/// A customer managed policy the compiler writes.
#[derive(Debug, Clone, Serialize)]
pub struct CustomPolicy {
    pub name: String,
    /// Identifier stem, unique in the spec (e.g. `SSMInstanceProfileS3Policy`).
    pub id: String,
    pub path: Option<String>,
    pub statements: Vec<Statement>,
}

impl CustomPolicy {
    /// The policy document as IAM reads it.
    pub fn document(&self) -> serde_json::Value {
        policy_document(&self.statements)
    }
}

/// An Allow statement. Every statement says what it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    /// The case of the seed page (or the Session Manager need) this statement serves.
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceProfile {
    pub name: String,
    pub path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

pub const POLICY_VERSION: &str = "2012-10-17";

fn policy_document(statements: &[Statement]) -> serde_json::Value {
    let statements: Vec<serde_json::Value> = statements
        .iter()
        .map(|s| {
            serde_json::json!({
                "Sid": s.sid,
                "Effect": "Allow",
                "Action": one_or_many(&s.actions),
                "Resource": one_or_many(&s.resources),
            })
        })
        .collect();
    serde_json::json!({ "Version": POLICY_VERSION, "Statement": statements })
}

/// IAM accepts a string or a list; a single value reads better as a string.
fn one_or_many(items: &[String]) -> serde_json::Value {
    match items {
        [one] => serde_json::Value::String(one.clone()),
        _ => serde_json::Value::from(items.to_vec()),
    }
}

/// The size IAM counts against the 6,144-character quota. White space is not
/// counted by IAM; counting the compact form (which keeps spaces inside strings)
/// can only over-estimate, which is the safe side.
pub fn policy_size(statements: &[Statement]) -> usize {
    policy_document(statements)
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// Builds the model from a parsed spec, checking every rule. The first error wins;
/// it carries the path of the field it is about, which `source` turns into a place
/// in the file.
pub fn build(spec: &Spec) -> Result<Model, RuleError> {
    if spec.version != 1 {
        return Err(RuleError::new(
            "version",
            format!(
                "unsupported spec version {}; only version 1 exists",
                spec.version
            ),
        ));
    }
    if spec.profiles.is_empty() {
        return Err(RuleError::new(
            "profiles",
            "at least one profile is required",
        ));
    }
    let mut profiles = Vec::new();
    for (i, p) in spec.profiles.iter().enumerate() {
        let ctx = Ctx {
            at: format!("profiles[{i}]"),
        };
        profiles.push(build_profile(p, &ctx)?);
    }
    check_unique_names(&profiles, spec)?;
    Ok(Model { profiles })
}

/// Where in the spec the rules being checked apply (`profiles[2]`), so that each
/// error names its field.
struct Ctx {
    at: String,
}

impl Ctx {
    fn err(&self, field: &str, message: impl Into<String>) -> RuleError {
        let path = if field.is_empty() {
            self.at.clone()
        } else if field.starts_with('[') {
            format!("{}{field}", self.at)
        } else {
            format!("{}.{field}", self.at)
        };
        RuleError::new(path, message)
    }
}

fn build_profile(p: &ProfileSpec, ctx: &Ctx) -> Result<Profile, RuleError> {
    let partition = refdata::partition(p.partition);
    check_iam_name(ctx, "name", &p.name, "a role name", limits::ROLE_NAME_MAX)?;
    let id = identifier_stem(&p.name);
    if id.is_empty() {
        return Err(ctx.err(
            "name",
            "the name needs at least one letter or digit to derive resource identifiers from",
        ));
    }
    let path = p.path.as_deref().map(|v| check_path(ctx, v)).transpose()?;
    let mut warnings = Vec::new();
    let tags = check_tags(ctx, &p.tags)?;

    if p.kind == Kind::InstanceProfile && p.hybrid.is_some() {
        return Err(ctx.err(
            "hybrid",
            "`hybrid` applies only to `kind: hybrid-service-role`",
        ));
    }

    let role = match &p.existing_role {
        Some(existing) => {
            check_iam_name(ctx, "existing_role", existing, "a role name", limits::ROLE_NAME_MAX)?;
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
            RoleRef::Existing {
                name: existing.clone(),
            }
        }
        None => RoleRef::Create(Role {
            name: p.name.clone(),
            path: path.clone(),
            description: p
                .description
                .as_deref()
                .map(|d| check_description(ctx, d))
                .transpose()?,
            trust: trust_statement(p, partition, ctx, &mut warnings)?,
            permissions_boundary: p
                .permissions_boundary
                .as_deref()
                .map(|arn| check_policy_arn(ctx, "permissions_boundary", arn, partition))
                .transpose()?,
            max_session_duration: p
                .max_session_duration
                .map(|s| {
                    if limits::SESSION_DURATION.contains(&s) {
                        Ok(s)
                    } else {
                        Err(ctx.err(
                            "max_session_duration",
                            format!("{s} seconds is outside IAM's range of 3600 to 43200 seconds (1 to 12 hours)"),
                        ))
                    }
                })
                .transpose()?,
        }),
    };

    let managed_policies = managed_policies(p, partition, ctx, &mut warnings)?;

    let mut custom_policies = Vec::new();
    if let Some(s3) = &p.s3 {
        let name = match &s3.policy_name {
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
        let statements = s3_statements(p, partition, ctx, &mut warnings)?;
        if statements.is_empty() {
            return Err(ctx.err(
                "s3",
                "the S3 policy would be empty: give `vpc_endpoint_regions`, `buckets`, or leave `s3` out",
            ));
        }
        custom_policies.extend(split_policy(
            ctx,
            "s3.policy_name",
            &name,
            &format!("{id}S3Policy"),
            path.clone(),
            statements,
        )?);
    }
    if let Some(sm) = &p.session_manager {
        let statements = session_manager_statements(sm, partition, ctx, &mut warnings)?;
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
        custom_policies.extend(split_policy(
            ctx,
            "session_manager",
            &name,
            &format!("{id}SessionManagerPolicy"),
            path.clone(),
            statements,
        )?);
    }

    let attached = managed_policies.len() + custom_policies.len();
    if attached > limits::MANAGED_POLICIES_PER_ROLE {
        return Err(ctx.err(
            "managed_policies",
            format!(
                "this profile attaches {attached} managed policies ({} by ARN, {} written by ssm-profile) but IAM allows {} per role by default (20 after a quota increase); select fewer policies or fewer regions",
                managed_policies.len(),
                custom_policies.len(),
                limits::MANAGED_POLICIES_PER_ROLE
            ),
        ));
    }

    let instance_profile = match p.kind {
        Kind::InstanceProfile => {
            check_iam_name(
                ctx,
                "name",
                &p.name,
                "an instance profile name",
                limits::INSTANCE_PROFILE_NAME_MAX,
            )?;
            Some(InstanceProfile {
                name: p.name.clone(),
                path: path.clone(),
            })
        }
        Kind::HybridServiceRole => None,
    };

    Ok(Profile {
        name: p.name.clone(),
        id,
        kind: p.kind,
        partition: p.partition,
        arn_partition: partition.arn_id,
        role,
        managed_policies,
        custom_policies,
        instance_profile,
        tags,
        warnings,
    })
}

fn trust_statement(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Result<TrustStatement, RuleError> {
    match p.kind {
        Kind::InstanceProfile => {
            let (service, confirmed) = refdata::ec2_principal(p.partition);
            if let Confirmed::No(why) = confirmed {
                warnings.push(why.to_string());
            }
            Ok(TrustStatement {
                sid: "AllowEc2ToAssumeRole",
                service: service.to_string(),
                conditions: Vec::new(),
            })
        }
        Kind::HybridServiceRole => {
            let hybrid = p.hybrid.clone().unwrap_or(crate::spec::HybridSpec {
                account_id: None,
                region: None,
            });
            let account = match &hybrid.account_id {
                Some(a) => {
                    if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(ctx.err(
                            "hybrid.account_id",
                            format!("`{a}` is not an AWS account ID (12 digits)"),
                        ));
                    }
                    Part::Literal(a.clone())
                }
                None => Part::AccountId,
            };
            let region = match &hybrid.region {
                Some(r) => {
                    check_region(ctx, "hybrid.region", r, partition)?;
                    Part::Literal(r.clone())
                }
                None => Part::Region,
            };
            if p.partition != PartitionName::Aws {
                warnings.push(format!(
                    "the hybrid service role trusts {}; AWS documents that principal for the aws partition, and no source confirms another name in {}",
                    refdata::SSM_PRINCIPAL,
                    partition.arn_id
                ));
            }
            let source_arn = Text(vec![
                Part::Literal(format!("arn:{}:ssm:", partition.arn_id)),
                region,
                Part::Literal(":".into()),
                account.clone(),
                Part::Literal(":*".into()),
            ]);
            Ok(TrustStatement {
                sid: "AllowSystemsManagerToAssumeRole",
                service: refdata::SSM_PRINCIPAL.to_string(),
                conditions: vec![
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
            })
        }
    }
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

fn managed_policies(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Result<Vec<ManagedPolicy>, RuleError> {
    let mp = &p.managed_policies;
    let aws = |name: &str| format!("arn:{}:iam::aws:policy/{name}", partition.arn_id);
    let mut out = Vec::new();
    if mp.core {
        out.push(ManagedPolicy {
            arn: aws(refdata::CORE_POLICY),
            reason: "Systems Manager core functionality: required for SSM Agent to register and take commands".into(),
        });
    } else {
        warnings.push(format!(
            "`core: false`: {} is not attached, so SSM Agent cannot register with Systems Manager unless another policy grants the same permissions",
            refdata::CORE_POLICY
        ));
    }
    if mp.directory_service {
        out.push(ManagedPolicy {
            arn: aws(refdata::DIRECTORY_SERVICE_POLICY),
            reason:
                "joins Windows Server instances to an AWS Directory Service (Microsoft AD) domain"
                    .into(),
        });
    }
    if mp.cloudwatch_agent {
        out.push(ManagedPolicy {
            arn: aws(refdata::CLOUDWATCH_AGENT_POLICY),
            reason: "lets the CloudWatch agent write metrics and logs".into(),
        });
    }
    if mp.patch_association {
        out.push(ManagedPolicy {
            arn: aws(refdata::PATCH_ASSOCIATION_POLICY),
            reason: "patch baseline reads for Patch Manager associations (what Quick Setup adds)"
                .into(),
        });
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
        out.push(ManagedPolicy {
            arn,
            reason: "listed under managed_policies.additional".into(),
        });
    }
    Ok(out)
}

/// Case 1 (VPC endpoint) and case 2 (own buckets) of the seed page.
fn s3_statements(
    p: &ProfileSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Result<Vec<Statement>, RuleError> {
    let s3 = p.s3.as_ref().expect("called only with an s3 section");
    let arn = |resource: &str| format!("arn:{}:s3:::{resource}", partition.arn_id);
    let mut statements = Vec::new();

    let mut seen = Vec::new();
    for (i, region) in s3.vpc_endpoint_regions.iter().enumerate() {
        let field = format!("s3.vpc_endpoint_regions[{i}]");
        check_region(ctx, &field, region, partition)?;
        if seen.contains(&region) {
            return Err(ctx.err(&field, format!("region `{region}` is listed twice")));
        }
        seen.push(region);
        if let Confirmed::No(why) = refdata::agent_buckets_confirmed(p.partition, region) {
            match s3.agent_buckets {
                AgentBuckets::Current => {
                    return Err(ctx.err(
                        &field,
                        format!("{why} ({region}); set `agent_buckets: seed` to use the seed page's bucket names as written there, or grant the buckets you have confirmed under `buckets`"),
                    ));
                }
                AgentBuckets::Seed => warnings.push(format!(
                    "{why} ({region}); the seed page's bucket names are used as written there, unverified"
                )),
            }
        }
        let buckets = match s3.agent_buckets {
            AgentBuckets::Current => refdata::current_agent_buckets(region),
            AgentBuckets::Seed => refdata::seed_agent_buckets(region),
        };
        statements.push(Statement {
            sid: format!("SsmAgentBuckets{}", camel(region)),
            actions: vec!["s3:GetObject".into()],
            resources: buckets.iter().map(|b| arn(&format!("{b}/*"))).collect(),
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
        check_bucket_name(ctx, &format!("{field}.name"), &b.name)?;
        let objects_arn = arn(&object_pattern(ctx, &field, &b.name, b.prefix.as_deref())?);
        let bucket_arn = arn(&b.name);
        let all = [&objects, &cross_account];
        if all.iter().any(|list| list.contains(&objects_arn)) {
            return Err(ctx.err(
                &field,
                format!("bucket `{}` is listed twice with the same prefix", b.name),
            ));
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
            warnings.push(format!(
                "bucket `{}` has cross_account: s3:PutObjectAcl only takes effect when the bucket's S3 Object Ownership allows ACLs; new buckets disable ACLs by default",
                b.name
            ));
        }
    }
    if !objects.is_empty() {
        statements.push(Statement {
            sid: "OwnBucketObjects".into(),
            actions: vec!["s3:GetObject".into(), "s3:PutObject".into()],
            resources: objects,
            purpose:
                "case 2, own bucket: read scripts and patch lists, write command and session output"
                    .into(),
        });
    }
    if !cross_account.is_empty() {
        statements.push(Statement {
            sid: "OwnBucketObjectsCrossAccount".into(),
            actions: vec![
                "s3:GetObject".into(),
                "s3:PutObject".into(),
                "s3:PutObjectAcl".into(),
            ],
            resources: cross_account,
            purpose: "case 2, own bucket used across accounts: read and write objects, and set their ACL (s3:PutObjectAcl)".into(),
        });
    }
    if !encrypted.is_empty() {
        statements.push(Statement {
            sid: "OwnBucketEncryption".into(),
            actions: vec!["s3:GetEncryptionConfiguration".into()],
            resources: encrypted,
            purpose: "case 2, encrypted own bucket: read the bucket's encryption configuration (a bucket-level action, on the bucket ARN)".into(),
        });
    }
    Ok(statements)
}

fn session_manager_statements(
    sm: &crate::spec::SessionManagerSpec,
    partition: Partition,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Result<Vec<Statement>, RuleError> {
    let mut statements = Vec::new();
    let logging = sm.s3_logging.is_some() || sm.cloudwatch_logging;
    if let Some(key) = &sm.kms_key_arn {
        check_kms_key_arn(ctx, "session_manager.kms_key_arn", key, partition)?;
        let mut actions = vec!["kms:Decrypt".to_string()];
        if logging {
            actions.push("kms:GenerateDataKey".into());
        }
        statements.push(Statement {
            sid: "SessionEncryptionKey".into(),
            actions,
            resources: vec![key.clone()],
            purpose: if logging {
                "Session Manager: decrypt session data with the KMS key, and generate data keys for encrypted session logs".into()
            } else {
                "Session Manager: decrypt session data with the KMS key".into()
            },
        });
    }
    if let Some(log) = &sm.s3_logging {
        let field = "session_manager.s3_logging";
        check_bucket_name(ctx, &format!("{field}.bucket"), &log.bucket)?;
        let objects = format!(
            "arn:{}:s3:::{}",
            partition.arn_id,
            object_pattern(ctx, field, &log.bucket, log.prefix.as_deref())?
        );
        let mut actions = vec!["s3:PutObject".to_string()];
        if log.cross_account {
            actions.push("s3:PutObjectAcl".into());
            warnings.push(format!(
                "session log bucket `{}` has cross_account: s3:PutObjectAcl only takes effect when the bucket's S3 Object Ownership allows ACLs",
                log.bucket
            ));
        }
        statements.push(Statement {
            sid: "SessionLogsToS3".into(),
            actions,
            resources: vec![objects],
            purpose: "Session Manager: write session logs to the S3 bucket".into(),
        });
        if log.encrypted {
            statements.push(Statement {
                sid: "SessionLogsBucketEncryption".into(),
                actions: vec!["s3:GetEncryptionConfiguration".into()],
                resources: vec![format!("arn:{}:s3:::{}", partition.arn_id, log.bucket)],
                purpose: "Session Manager: check the log bucket's encryption (\"Enforce S3 log encryption\")".into(),
            });
        }
    }
    if sm.cloudwatch_logging {
        // DescribeLogGroups takes no resource narrower than `*`; the other three act
        // on log groups and streams, so they are limited to this partition's.
        statements.push(Statement {
            sid: "SessionLogsDescribe".into(),
            actions: vec!["logs:DescribeLogGroups".into()],
            resources: vec!["*".into()],
            purpose: "Session Manager: find the log group for session logs".into(),
        });
        statements.push(Statement {
            sid: "SessionLogsToCloudWatch".into(),
            actions: vec![
                "logs:CreateLogStream".into(),
                "logs:DescribeLogStreams".into(),
                "logs:PutLogEvents".into(),
            ],
            resources: vec![format!("arn:{}:logs:*:*:log-group:*", partition.arn_id)],
            purpose: "Session Manager: write session logs to CloudWatch Logs".into(),
        });
    }
    Ok(statements)
}

/// Splits statements into as many managed policies as the 6,144-character quota
/// needs. The first policy keeps the plain name, so a spec that grows does not
/// rename what is already deployed.
fn split_policy(
    ctx: &Ctx,
    field: &str,
    name: &str,
    id: &str,
    path: Option<String>,
    statements: Vec<Statement>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    let mut pieces: Vec<Statement> = Vec::new();
    for s in statements {
        pieces.extend(split_statement(s));
    }
    let mut groups: Vec<Vec<Statement>> = vec![Vec::new()];
    for s in pieces {
        let current = groups.last_mut().expect("never empty");
        current.push(s);
        if policy_size(current) > limits::POLICY_DOCUMENT_MAX {
            let s = current.pop().expect("just pushed");
            groups.push(vec![s]);
        }
    }
    let mut out = Vec::new();
    for (i, statements) in groups.into_iter().enumerate() {
        let (name, id) = if i == 0 {
            (name.to_string(), id.to_string())
        } else {
            (format!("{name}-{}", i + 1), format!("{id}{}", i + 1))
        };
        check_iam_name(ctx, field, &name, "a policy name", limits::POLICY_NAME_MAX)?;
        out.push(CustomPolicy {
            name,
            id,
            path: path.clone(),
            statements,
        });
    }
    Ok(out)
}

/// A statement too large for one policy is cut into parts by resource.
fn split_statement(s: Statement) -> Vec<Statement> {
    if policy_size(std::slice::from_ref(&s)) <= limits::POLICY_DOCUMENT_MAX {
        return vec![s];
    }
    let mut parts: Vec<Statement> = Vec::new();
    let mut current = Statement {
        resources: Vec::new(),
        ..s.clone()
    };
    for r in s.resources {
        current.resources.push(r);
        if current.resources.len() > 1
            && policy_size(std::slice::from_ref(&current)) > limits::POLICY_DOCUMENT_MAX
        {
            let r = current.resources.pop().expect("just pushed");
            parts.push(current.clone());
            current.resources = vec![r];
        }
    }
    parts.push(current);
    for (i, p) in parts.iter_mut().enumerate().skip(1) {
        p.sid = format!("{}Part{}", p.sid, i + 1);
    }
    parts
}

fn check_unique_names(profiles: &[Profile], spec: &Spec) -> Result<(), RuleError> {
    // IAM names are unique per account ignoring case; identifiers must be unique
    // within one template.
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, p) in profiles.iter().enumerate() {
        let mut names = vec![("identifier".to_string(), p.id.clone())];
        if let RoleRef::Create(r) = &p.role {
            names.push(("role".into(), r.name.to_lowercase()));
        }
        if let Some(ip) = &p.instance_profile {
            names.push(("instance profile".into(), ip.name.to_lowercase()));
        }
        for c in &p.custom_policies {
            names.push(("policy".into(), c.name.to_lowercase()));
            names.push(("identifier".into(), c.id.clone()));
        }
        for key in names {
            if let Some(first) = seen.get(&key) {
                let what = &key.0;
                let message = if what == "identifier" {
                    format!(
                        "profile `{}` and profile `{}` derive the same resource identifier `{}`; rename one",
                        spec.profiles[*first].name, spec.profiles[i].name, key.1
                    )
                } else if *first == i {
                    format!("this profile would create two {what}s named `{}`", key.1)
                } else {
                    format!(
                        "{what} name `{}` is already used by profile `{}` (IAM names are unique per account, ignoring case)",
                        key.1, spec.profiles[*first].name
                    )
                };
                return Err(RuleError::new(format!("profiles[{i}].name"), message));
            }
            seen.insert(key, i);
        }
    }
    Ok(())
}

/// `us-east-2` -> `UsEast2`, for statement IDs, which IAM limits to letters and digits.
fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            let first = cs.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first).chain(cs).collect::<String>()
        })
        .collect()
}

/// Letters and digits of the name, first letter upper-cased: the stem of every
/// CloudFormation logical ID, Terraform address and CDK member.
pub fn identifier_stem(name: &str) -> String {
    let stem = camel(name);
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        format!("P{stem}")
    } else {
        stem
    }
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

fn check_iam_name(
    ctx: &Ctx,
    field: &str,
    name: &str,
    what: &str,
    max: usize,
) -> Result<(), RuleError> {
    let len = name.chars().count();
    if len == 0 || len > max {
        return Err(ctx.err(
            field,
            format!("`{name}` is {len} characters long; {what} must be 1 to {max} characters"),
        ));
    }
    if let Some(c) = name.chars().find(|c| !is_iam_name_char(*c)) {
        return Err(ctx.err(
            field,
            format!("`{name}` contains {c:?}; {what} may contain only letters, digits and _+=,.@-"),
        ));
    }
    Ok(())
}

/// IAM's own rule admits any printable ASCII between slashes, but the CloudFormation
/// registry schema of AWS::IAM::ManagedPolicy allows only `/` or segments of
/// `[A-Za-z0-9.,+@=_-]` (pattern `^((/[A-Za-z0-9\.,\+@=_-]+)*)/$`, cfn-lint 1.58.0).
/// The path applies to the policies too, so the stricter rule holds for all.
fn check_path(ctx: &Ctx, path: &str) -> Result<String, RuleError> {
    let segment_ok = |seg: &str| {
        !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".,+@=_-".contains(c))
    };
    let ok = path.len() <= limits::PATH_MAX
        && path.starts_with('/')
        && path.ends_with('/')
        && (path == "/" || path[1..path.len() - 1].split('/').all(segment_ok));
    if ok {
        Ok(path.to_string())
    } else {
        Err(ctx.err(
            "path",
            format!("`{path}` is not an IAM path: it must be `/`, or segments of letters, digits and .,+@=_- each between slashes (as `/platform/ssm/`), at most 512 characters"),
        ))
    }
}

fn check_description(ctx: &Ctx, d: &str) -> Result<String, RuleError> {
    let len = d.chars().count();
    if len > limits::DESCRIPTION_MAX {
        return Err(ctx.err(
            "description",
            format!("the description is {len} characters; IAM allows 1000"),
        ));
    }
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    if let Some(c) = d.chars().find(|c| !allowed(*c)) {
        return Err(ctx.err(
            "description",
            format!("the description contains {c:?}, which IAM does not accept in a role description (tab, newlines, printable ASCII and Latin-1 only)"),
        ));
    }
    Ok(d.to_string())
}

fn check_tags(ctx: &Ctx, tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, RuleError> {
    if tags.len() > limits::TAGS_MAX {
        return Err(ctx.err(
            "tags",
            format!(
                "{} tags given; IAM allows at most {}",
                tags.len(),
                limits::TAGS_MAX
            ),
        ));
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || "_.:/=+-@".contains(c)
    };
    let mut out = Vec::new();
    for (key, value) in tags {
        let field = format!("tags.{key}");
        let klen = key.chars().count();
        if klen == 0 || klen > limits::TAG_KEY_MAX {
            return Err(ctx.err(
                &field,
                format!("tag key `{key}` is {klen} characters; IAM allows 1 to 128"),
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(ctx.err(
                &field,
                format!("tag key `{key}` begins with `aws:`, which AWS reserves"),
            ));
        }
        if let Some(c) = key.chars().find(|c| !allowed(*c)) {
            return Err(ctx.err(&field, format!("tag key `{key}` contains {c:?}; tags allow letters, digits, spaces and _.:/=+-@")));
        }
        let vlen = value.chars().count();
        if vlen > limits::TAG_VALUE_MAX {
            return Err(ctx.err(
                &field,
                format!("the value of tag `{key}` is {vlen} characters; IAM allows 256"),
            ));
        }
        if let Some(c) = value.chars().find(|c| !allowed(*c)) {
            return Err(ctx.err(&field, format!("the value of tag `{key}` contains {c:?}; tags allow letters, digits, spaces and _.:/=+-@")));
        }
        out.push(Tag {
            key: key.clone(),
            value: value.clone(),
        });
    }
    Ok(out)
}

fn check_region(
    ctx: &Ctx,
    field: &str,
    region: &str,
    partition: Partition,
) -> Result<(), RuleError> {
    if region.contains('*') || region.contains('?') {
        return Err(ctx.err(
            field,
            format!("`{region}` is a wildcard; the seed page asks for exact region codes, since a wildcard grants buckets you do not intend to"),
        ));
    }
    if !partition.regions.contains(&region) {
        return Err(ctx.err(
            field,
            format!(
                "`{region}` is not a region of partition {}; its regions are: {}",
                partition.arn_id,
                partition.regions.join(", ")
            ),
        ));
    }
    Ok(())
}

fn check_bucket_name(ctx: &Ctx, field: &str, name: &str) -> Result<(), RuleError> {
    let fail = |why: &str| {
        Err(ctx.err(
            field,
            format!("`{name}` is not a valid S3 bucket name: {why}"),
        ))
    };
    if !limits::BUCKET_NAME.contains(&name.len()) {
        return fail("it must be 3 to 63 characters long");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return fail(&format!(
            "{c:?} is not allowed (lowercase letters, digits, `.` and `-` only)"
        ));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        return fail("it must begin and end with a letter or digit");
    }
    if name.contains("..") {
        return fail("it must not contain `..`");
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return fail("it must not look like an IP address");
    }
    if let Some(p) = limits::BUCKET_PREFIXES_RESERVED
        .iter()
        .find(|p| name.starts_with(**p))
    {
        return fail(&format!("the prefix `{p}` is reserved"));
    }
    if let Some(s) = limits::BUCKET_SUFFIXES_RESERVED
        .iter()
        .find(|s| name.ends_with(**s))
    {
        return fail(&format!("the suffix `{s}` is reserved"));
    }
    Ok(())
}

/// `BUCKET/*` or `BUCKET/PREFIX/*`. The prefix may not hold IAM wildcards or policy
/// variables, which would widen the grant.
fn object_pattern(
    ctx: &Ctx,
    field: &str,
    bucket: &str,
    prefix: Option<&str>,
) -> Result<String, RuleError> {
    let Some(prefix) = prefix else {
        return Ok(format!("{bucket}/*"));
    };
    let trimmed = prefix.trim_matches('/');
    let pfield = format!("{field}.prefix");
    if trimmed.is_empty() {
        return Err(ctx.err(
            &pfield,
            "the prefix is empty; leave it out to grant the whole bucket",
        ));
    }
    if trimmed.contains('*') || trimmed.contains('?') || trimmed.contains("${") {
        return Err(ctx.err(&pfield, format!("prefix `{prefix}` contains `*`, `?` or `${{`, which IAM reads as a wildcard or a policy variable")));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(ctx.err(
            &pfield,
            format!("prefix `{prefix}` contains the control character {c:?}"),
        ));
    }
    if trimmed.len() > 900 {
        return Err(ctx.err(
            &pfield,
            "the prefix is longer than S3's 1,024-byte key limit allows with room for object names",
        ));
    }
    Ok(format!("{bucket}/{trimmed}/*"))
}

/// `arn:PARTITION:iam::(aws|ACCOUNT):policy/[PATH/]NAME`.
fn check_policy_arn(
    ctx: &Ctx,
    field: &str,
    arn: &str,
    partition: Partition,
) -> Result<String, RuleError> {
    let expected = format!("arn:{}:iam::", partition.arn_id);
    let fail = |why: String| {
        Err(ctx.err(
            field,
            format!(
                "`{arn}` is not a managed policy ARN of partition {}: {why}",
                partition.arn_id
            ),
        ))
    };
    let Some(rest) = arn.strip_prefix(&expected) else {
        return fail(format!("it must begin with `{expected}`"));
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return fail("it has no `:policy/NAME` part".into());
    };
    if account != "aws" && !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) {
        return fail(format!(
            "`{account}` is neither `aws` nor a 12-digit account ID"
        ));
    }
    let Some(path_and_name) = resource.strip_prefix("policy/") else {
        return fail("the resource must be `policy/NAME`".into());
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty()
        || name.len() > limits::POLICY_NAME_MAX
        || !name.chars().all(is_iam_name_char)
    {
        return fail(format!("`{name}` is not a valid policy name"));
    }
    if path_and_name
        .chars()
        .any(|c| !('\u{21}'..='\u{7e}').contains(&c))
        || path_and_name.contains("//")
    {
        return fail("the policy path holds characters IAM does not allow".into());
    }
    Ok(arn.to_string())
}

/// `arn:PARTITION:kms:REGION:ACCOUNT:key/ID` (an alias ARN also works for Decrypt
/// only through grants, so only key ARNs are accepted).
fn check_kms_key_arn(
    ctx: &Ctx,
    field: &str,
    arn: &str,
    partition: Partition,
) -> Result<(), RuleError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let fail = |why: String| Err(ctx.err(field, format!("`{arn}` is not a KMS key ARN: {why}")));
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "kms" {
        return fail("expected `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`".into());
    }
    if parts[1] != partition.arn_id {
        return fail(format!(
            "its partition `{}` is not the profile's partition `{}`",
            parts[1], partition.arn_id
        ));
    }
    if !partition.regions.contains(&parts[3]) {
        return fail(format!(
            "`{}` is not a region of partition {}",
            parts[3], partition.arn_id
        ));
    }
    if parts[4].len() != 12 || !parts[4].bytes().all(|b| b.is_ascii_digit()) {
        return fail(format!("`{}` is not a 12-digit account ID", parts[4]));
    }
    let Some(id) = parts[5].strip_prefix("key/") else {
        return fail(
            "the resource must be `key/KEY-ID` (alias ARNs do not grant kms:Decrypt)".into(),
        );
    };
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return fail(format!("`{id}` is not a key ID"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_stems_are_alphanumeric() {
        assert_eq!(identifier_stem("SSMInstanceProfile"), "SSMInstanceProfile");
        assert_eq!(identifier_stem("web-tier.prod"), "WebTierProd");
        assert_eq!(identifier_stem("app_role@2"), "AppRole2");
        assert_eq!(identifier_stem("1st"), "P1st");
    }

    fn stmt(n: usize) -> Statement {
        Statement {
            sid: "S".into(),
            actions: vec!["s3:GetObject".into()],
            resources: (0..n)
                .map(|i| format!("arn:aws:s3:::bucket-{i:04}/*"))
                .collect(),
            purpose: String::new(),
        }
    }

    #[test]
    fn an_oversized_statement_is_cut_by_resource_within_the_quota() {
        let parts = split_statement(stmt(400));
        assert!(parts.len() > 1);
        let total: usize = parts.iter().map(|p| p.resources.len()).sum();
        assert_eq!(total, 400);
        for p in &parts {
            assert!(policy_size(std::slice::from_ref(p)) <= limits::POLICY_DOCUMENT_MAX);
        }
        assert_eq!(parts[1].sid, "SPart2");
    }
}

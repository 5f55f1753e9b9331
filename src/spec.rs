//! Spec v1 as it is written in the file: serde types that mirror the YAML/JSON
//! one to one. Nothing here is validated beyond its shape; `model` owns every rule.
//!
//! The JSON Schema of the spec (`ssm-profile schema`) is derived from these types:
//! their fields, defaults and serde attributes give its shape and their doc comments
//! its descriptions; `schema` adds the rules, from `refdata`.
//!
//! A field the types do not have is an error, every one of them: the types take
//! `#[schemars(deny_unknown_fields)]` (the schema's `additionalProperties: false`)
//! rather than serde's, which stops at the first, and `source` reads the spec
//! through `serde_ignored` and refuses each key it reports (`source::Parsed`).

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A spec file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Spec {
    /// The spec version; only 1 exists.
    pub version: u32,
    /// Deploy the profiles to the accounts of an AWS Organization with
    /// service-managed CloudFormation StackSets (`build --rollout`); absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutSpec>,
    /// How many CloudFormation stacks `build --out-dir` writes the profiles into
    /// (the CloudFormation and CDK targets; Terraform has no such quota): each
    /// profile goes to the stack its `stack` names, or else to the one the FNV-1a
    /// hash of its name chooses, so adding, removing or reordering profiles moves no
    /// other profile. Absent: one stack, and a spec too large for one is refused
    /// with the count that fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = STACKS_MAX))]
    pub stacks: Option<u32>,
    /// Write, on each generated resource that a scanner (cdk-nag, AWS CloudFormation
    /// Guard, cfn_nag) flags by design, that scanner's suppression, narrowed to the
    /// policy or resource it is about and with the AWS page that makes it the design.
    /// `false` leaves them out, for teams that keep their own.
    #[serde(default = "yes")]
    pub scanner_suppressions: bool,
    /// The 12-digit ID of the account the profiles are deployed in, as a quoted
    /// string. Required with `adopt`: CloudFormation and the CDK import a customer
    /// managed policy by its ARN, which holds the account, so their import files
    /// name it from here (Terraform reads it at plan time). Absent: not needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// One or more profiles: each is a role with its policies.
    pub profiles: Vec<ProfileSpec>,
}

/// The most stacks `stacks` may ask for: ours, well under CloudFormation's 2,000
/// stacks per account, and enough for 100 stacks of 500 resources.
pub const STACKS_MAX: u32 = 100;

/// The organization-wide rollout: service-managed StackSets that deploy the profiles
/// to every account of the given organizational units (never the management
/// account). The IAM resources go to `iam_region` only (IAM is global); the Default
/// Host Management setting, which is regional, to every region of `regions`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RolloutSpec {
    /// The IAM StackSet's name; the Default Host Management setting's StackSet is this
    /// name and `-dhmc-setting`. A letter, then letters, digits and hyphens, at most 115
    /// characters. Default: `ssm-profile-` and the spec's file name without its
    /// extension. Never from a profile: a StackSet's name cannot change without
    /// replacing it in every account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organizational units (`ou-...`) or the organization root (`r-...`) whose
    /// accounts get the stacks, with the accounts of the OUs below them.
    pub organizational_units: Vec<String>,
    /// The one region per account that holds the IAM resources.
    pub iam_region: String,
    /// The regions of the regional resources (the Default Host Management setting);
    /// default: `[iam_region]`.
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    /// Who deploys the StackSets: the management account (`self`) or a delegated
    /// administrator of CloudFormation StackSets (`delegated-admin`).
    #[serde(default)]
    pub call_as: CallAs,
    /// Accounts that join the OUs later get the stacks too.
    #[serde(default = "yes")]
    pub auto_deployment: bool,
    /// An account that leaves the OUs keeps its stacks (only with `auto_deployment`).
    #[serde(default)]
    pub retain_stacks_on_account_removal: bool,
    /// The largest share of accounts a StackSet operation deploys to at once, 1 to
    /// 100 percent.
    #[serde(default = "max_concurrent_percentage")]
    #[schemars(range(min = 1, max = 100))]
    pub max_concurrent_percentage: u32,
    /// The share of accounts that may fail before CloudFormation stops the operation
    /// in a region, 0 to 100 percent.
    #[serde(default)]
    #[schemars(range(max = 100))]
    pub failure_tolerance_percentage: u32,
}

/// What the Default Host Management setting's StackSet adds to `RolloutSpec::name`.
pub const SETTING_STACK_SET_SUFFIX: &str = "-dhmc-setting";

/// Who deploys a rollout's StackSets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CallAs {
    /// The organization's management account.
    #[default]
    #[serde(rename = "self")]
    SelfAccount,
    /// A member account registered as a delegated administrator of CloudFormation
    /// StackSets.
    DelegatedAdmin,
}

fn yes() -> bool {
    true
}

fn max_concurrent_percentage() -> u32 {
    25
}

/// What a profile's role is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A role trusted by the partition's EC2 service principal, and an instance
    /// profile holding it.
    #[default]
    InstanceProfile,
    /// A role trusted by `ssm.amazonaws.com` for servers and VMs in a hybrid
    /// environment, with the confused-deputy conditions; no instance profile.
    HybridServiceRole,
    /// Default Host Management Configuration (DHMC): a role trusted by
    /// `ssm.amazonaws.com` (under /service-role/ unless `path` is given) with
    /// AmazonSSMManagedEC2InstanceDefaultPolicy, and the account setting, in the
    /// deploying region, that names it; no instance profile. At most one per spec.
    DefaultHostManagement,
}

/// An AWS partition: the second field of every ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PartitionName {
    /// The commercial regions.
    #[default]
    Aws,
    /// The China regions.
    AwsCn,
    /// AWS GovCloud (US).
    AwsUsGov,
    /// The AWS European Sovereign Cloud.
    AwsEusc,
}

/// Which AWS-owned buckets SSM Agent reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AgentBuckets {
    /// Today's documented list, with the per-region exceptions.
    #[default]
    Current,
    /// The six buckets of the seed page, as written there.
    Seed,
}

/// One profile: an IAM role with its policies and, for `instance-profile`, the
/// instance profile that holds it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProfileSpec {
    /// The role name and the instance profile name.
    pub name: String,
    /// What the role is for.
    #[serde(default)]
    pub kind: Kind,
    /// The role description.
    #[serde(default)]
    pub description: Option<String>,
    /// The IAM path of the role, the instance profile and the policies: `/` or
    /// `/a/b/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Decides every ARN, the regions the spec may name and the EC2 principal.
    #[serde(default)]
    pub partition: PartitionName,
    /// A role that exists already: nothing creates a role, the policies attach to
    /// this one. Its own properties are not the spec's to set.
    #[serde(default)]
    pub existing_role: Option<String>,
    /// Take over the role, its custom policies and its instance profile, which exist
    /// already under these names (made by hand, as the seed page does), instead of
    /// creating them: Terraform `import` blocks, CloudFormation's import template and
    /// resources to import with `Retain` policies, the CDK's resource mapping for
    /// `cdk import`. Not with `existing_role`, `rollout` or `stacks`.
    #[serde(default)]
    pub adopt: bool,
    /// The ARN of a managed policy of the profile's partition.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// The longest session the role allows, in seconds.
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// Tag keys to values, on the role and wherever the target can tag. A tag with no
    /// value (`team:`) has the empty value.
    // The map the deserialiser reads (see `unique_map`): null, and null values, too.
    #[serde(default, deserialize_with = "unique_map")]
    #[schemars(with = "Option<BTreeMap<String, Option<String>>>")]
    pub tags: BTreeMap<String, String>,
    /// AWS managed policies to attach, in this order.
    #[serde(default)]
    pub managed_policies: ManagedPoliciesSpec,
    /// The account's quota of managed policies per role, when it was raised above
    /// IAM's default of 10 (25 at most). CloudFormation and the CDK attach 20 by ARN
    /// at most, whatever the quota.
    #[serde(default)]
    pub managed_policy_quota: Option<u32>,
    /// The stack, 1 to the spec's `stacks`, that holds this profile with `build
    /// --out-dir`, in place of the one its name's hash chooses: to keep a profile
    /// where it is deployed when `stacks` changes, or to move one out of a full stack.
    #[serde(default)]
    pub stack: Option<u32>,
    /// The custom S3 policy of the seed page; absent: none.
    #[serde(default)]
    pub s3: Option<S3Spec>,
    /// The Session Manager policy; absent: none.
    #[serde(default)]
    pub session_manager: Option<SessionManagerSpec>,
    /// The trust conditions of a hybrid service role (`kind: hybrid-service-role`
    /// only).
    #[serde(default)]
    pub hybrid: Option<HybridSpec>,
    /// Narrows which parameters the instance may read (AmazonSSMManagedInstanceCore
    /// allows every parameter of the account): an explicit Deny on every Parameter
    /// Store read outside `readable`. Absent: Core's reads are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_store: Option<ParameterStoreSpec>,
}

/// Which Parameter Store parameters of the account the instance may read.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ParameterStoreSpec {
    /// Parameter names (`/app/prod/db-url`, `region`) and name prefixes with a
    /// trailing `*` (`/app/prod/*`) of the account that the instance may read; `[]`:
    /// none. AWS's public parameters (`/aws/service/*`) and what the profile's own
    /// features read (`AmazonCloudWatch-*` with `cloudwatch_agent`) stay readable.
    pub readable: Vec<String>,
}

/// AWS managed policies, by the need they serve.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ManagedPoliciesSpec {
    /// AmazonSSMManagedInstanceCore: required by Systems Manager; false only with a
    /// warning. Not with `kind: default-host-management`, whose role gets
    /// AmazonSSMManagedEC2InstanceDefaultPolicy instead.
    // Absent is `None` (attached), so that a kind it does not apply to can refuse it
    // when it is given at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub core: Option<bool>,
    /// AmazonSSMDirectoryServiceAccess (Windows AD join).
    #[serde(default)]
    pub directory_service: bool,
    /// CloudWatchAgentServerPolicy (CloudWatch agent).
    #[serde(default)]
    pub cloudwatch_agent: bool,
    /// AmazonSSMPatchAssociation (what Quick Setup adds).
    #[serde(default)]
    pub patch_association: bool,
    /// More managed policy ARNs of the profile's partition, attached in the order
    /// given.
    #[serde(default)]
    pub additional: Vec<String>,
}

/// The custom S3 policy: the seed page's two cases.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct S3Spec {
    /// The policy name; default: the profile's name + `S3Policy`.
    #[serde(default)]
    pub policy_name: Option<String>,
    /// Case 1 of the seed page: one statement of AWS-owned SSM buckets per region;
    /// exact region codes of the profile's partition, never wildcards.
    #[serde(default)]
    pub vpc_endpoint_regions: Vec<String>,
    /// Which list of AWS-owned buckets `vpc_endpoint_regions` grants.
    #[serde(default)]
    pub agent_buckets: AgentBuckets,
    /// Case 2 of the seed page: buckets of your own.
    #[serde(default)]
    pub buckets: Vec<BucketSpec>,
}

/// A bucket of your own that instances read and write.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BucketSpec {
    /// The bucket name.
    pub name: String,
    /// A key prefix: narrows `BUCKET/*` to `BUCKET/PREFIX/*`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Adds s3:GetEncryptionConfiguration on the bucket ARN.
    #[serde(default)]
    pub encrypted: bool,
    /// Adds s3:PutObjectAcl.
    #[serde(default)]
    pub cross_account: bool,
}

/// Session Manager's extras: encryption and session logs.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SessionManagerSpec {
    /// kms:Decrypt on this key (session encryption):
    /// `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`, not an alias.
    #[serde(default)]
    pub kms_key_arn: Option<String>,
    /// Session logs to this S3 bucket.
    #[serde(default)]
    pub s3_logging: Option<LoggingBucketSpec>,
    /// Session logs to CloudWatch Logs.
    #[serde(default)]
    pub cloudwatch_logging: bool,
}

/// The bucket that Session Manager writes session logs to.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LoggingBucketSpec {
    /// The bucket name.
    pub bucket: String,
    /// A key prefix: narrows `BUCKET/*` to `BUCKET/PREFIX/*`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Adds s3:GetEncryptionConfiguration on the bucket ARN.
    #[serde(default)]
    pub encrypted: bool,
    /// Adds s3:PutObjectAcl.
    #[serde(default)]
    pub cross_account: bool,
    /// The log bucket's SSE-KMS key: kms:GenerateDataKey on it (a key ARN of the
    /// profile's partition, not an alias).
    #[serde(default)]
    pub kms_key_arn: Option<String>,
}

/// The trust conditions of a hybrid service role: whose Systems Manager may assume it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HybridSpec {
    /// The account of `aws:SourceAccount`; default: the deploying account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// The region of `aws:SourceArn`; default: the deploying region.
    #[serde(default)]
    pub region: Option<String>,
}

/// How a tag given twice is refused, after `tag `KEY`; `source` shows the error at
/// the repeated key.
pub const GIVEN_TWICE: &str = "` is given twice";

/// Both YAML and JSON readers keep the last of two equal keys when filling a map;
/// a tag written twice is almost always a mistake, so it is an error here.
fn unique_map<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    struct UniqueMap;
    impl<'de> Visitor<'de> for UniqueMap {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of tag keys to tag values")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            // A tag written with no value (`team:`, `~`, `null`) has the empty value,
            // which IAM allows, rather than the text "null".
            while let Some((key, value)) = map.next_entry::<String, Option<String>>()? {
                let value = value.unwrap_or_default();
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "tag `{key}{GIVEN_TWICE}"
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(UniqueMap)
}

//! `schema`: a JSON Schema (draft 2020-12) of spec v1 for editors and pipelines.
//!
//! It is built from the same reference data and limits the compiler checks with
//! (`refdata`), so the two cannot drift apart on regions, lengths or reserved names.
//! It rejects what the compiler rejects wherever JSON Schema can say it. It cannot
//! say (and the compiler still checks):
//! - names unique across profiles (IAM ignores case) and derived identifiers unique;
//! - more than 10 managed policies in total (built-in, additional and the policies
//!   the S3 statements split into); only `additional` alone is capped;
//! - a bucket listed twice with the same prefix, an additional ARN equal to a
//!   built-in one;
//! - the 900-byte prefix limit (JSON Schema counts characters, not bytes);
//! - tag characters: the compiler accepts Unicode letters (`Alphabetic`), the schema
//!   uses IAM's own pattern `\p{L}`, which leaves out a few combining marks.

use serde_json::{Value, json};

use crate::refdata::{self, Confirmed, limits};
use crate::spec::PartitionName;

pub const PARTITIONS: &[PartitionName] = &[
    PartitionName::Aws,
    PartitionName::AwsCn,
    PartitionName::AwsUsGov,
    PartitionName::AwsEusc,
];

/// The characters of IAM names (roles, policies, instance profiles).
const IAM_NAME_CHAR: &str = "[A-Za-z0-9_+=,.@-]";
/// An IAM path as the model accepts it (CloudFormation's ManagedPolicy pattern):
/// `/` or `/segment/.../` of letters, digits and `.,+@=_-`.
const PATH: &str = r"^/([A-Za-z0-9.,+@=_-]+/)*$";
/// IAM's tag character class.
const TAG_CHARS: &str = r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$";

fn partition_id(p: PartitionName) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .expect("partitions serialise as strings")
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [{ "type": "null" }, schema] })
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            // Only syntax characters: ECMA-262's unicode mode, which editors use,
            // rejects escapes such as `\-` outside a character class.
            if "\\.+*?()|[]{}^$/".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

fn alternatives(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| regex_escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

fn iam_name(max: usize, what: &str) -> Value {
    json!({
        "type": "string",
        "description": format!("{what}: 1 to {max} letters, digits and _+=,.@-"),
        "minLength": 1,
        "maxLength": max,
        "pattern": format!("^{IAM_NAME_CHAR}+$"),
    })
}

fn policy_arn(partition: &str) -> String {
    format!(
        r"^arn:{partition}:iam::(aws|[0-9]{{12}}):policy/([\x21-\x2e\x30-\x7e]+/)*{IAM_NAME_CHAR}{{1,{}}}$",
        limits::POLICY_NAME_MAX
    )
}

fn bucket_name() -> Value {
    let max = limits::BUCKET_NAME.end();
    let min = limits::BUCKET_NAME.start();
    json!({
        "type": "string",
        "description": "an S3 bucket name: 3 to 63 lowercase letters, digits, `.` and `-`, beginning and ending with a letter or digit",
        "minLength": min,
        "maxLength": max,
        "pattern": "^[a-z0-9][a-z0-9.-]*[a-z0-9]$",
        "allOf": [
            { "not": { "pattern": r"\.\." } },
            { "not": { "pattern": r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$" } },
            { "not": { "pattern": format!("^({})", alternatives(limits::BUCKET_PREFIXES_RESERVED)) } },
            { "not": { "pattern": format!("({})$", alternatives(limits::BUCKET_SUFFIXES_RESERVED)) } },
        ],
    })
}

fn prefix() -> Value {
    nullable(json!({
        "type": "string",
        "description": "a key prefix: narrows BUCKET/* to BUCKET/PREFIX/*; no wildcards or policy variables; printable ASCII and Latin-1 only (what IAM accepts in a policy document)",
        "pattern": "[^/]",
        "allOf": [
            { "not": { "pattern": r"[*?]|\$\{" } },
            { "pattern": r"^[\x20-\x7e\xa0-\xff]*$" },
        ],
    }))
}

fn bucket() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["name"],
        "properties": {
            "name": { "$ref": "#/$defs/bucketName" },
            "prefix": { "$ref": "#/$defs/prefix" },
            "encrypted": { "type": "boolean", "default": false, "description": "adds s3:GetEncryptionConfiguration on the bucket ARN" },
            "cross_account": { "type": "boolean", "default": false, "description": "adds s3:PutObjectAcl" },
        },
    })
}

fn logging_bucket() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["bucket"],
        "properties": {
            "bucket": { "$ref": "#/$defs/bucketName" },
            "prefix": { "$ref": "#/$defs/prefix" },
            "encrypted": { "type": "boolean", "default": false },
            "cross_account": { "type": "boolean", "default": false },
            "kms_key_arn": nullable(json!({ "type": "string", "description": "the log bucket's SSE-KMS key: kms:GenerateDataKey on it; arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID (not an alias)" })),
        },
    })
}

fn managed_policies() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "core": { "type": "boolean", "default": true, "description": "AmazonSSMManagedInstanceCore: required by Systems Manager; false only with a warning" },
            "directory_service": { "type": "boolean", "default": false, "description": "AmazonSSMDirectoryServiceAccess (Windows AD join)" },
            "cloudwatch_agent": { "type": "boolean", "default": false, "description": "CloudWatchAgentServerPolicy (CloudWatch agent)" },
            "patch_association": { "type": "boolean", "default": false, "description": "AmazonSSMPatchAssociation (what Quick Setup adds)" },
            "additional": {
                "type": "array",
                "description": "more managed policy ARNs of the profile's partition, kept in order",
                "maxItems": limits::MANAGED_POLICY_QUOTA.end(),
                "uniqueItems": true,
                "items": { "type": "string", "pattern": policy_arn(&alternatives_of_partitions()) },
            },
        },
    })
}

fn alternatives_of_partitions() -> String {
    let ids: Vec<String> = PARTITIONS.iter().map(|p| partition_id(*p)).collect();
    format!("({})", ids.join("|"))
}

fn s3() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "policy_name": nullable(iam_name(limits::POLICY_NAME_MAX, "the policy name (default: NAME + S3Policy)")),
            "vpc_endpoint_regions": {
                "type": "array",
                "description": "case 1: one statement of AWS-owned SSM buckets per region; exact region codes of the profile's partition, never wildcards",
                "uniqueItems": true,
                "items": { "type": "string" },
            },
            "agent_buckets": {
                "enum": ["current", "seed"],
                "default": "current",
                "description": "current: today's documented buckets with the per-region exceptions; seed: the six buckets of the seed page, as written there",
            },
            "buckets": {
                "type": "array",
                "description": "case 2: buckets of your own",
                "items": { "$ref": "#/$defs/bucket" },
            },
        },
        "anyOf": [
            { "required": ["vpc_endpoint_regions"], "properties": { "vpc_endpoint_regions": { "minItems": 1 } } },
            { "required": ["buckets"], "properties": { "buckets": { "minItems": 1 } } },
        ],
    })
}

fn session_manager() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "kms_key_arn": nullable(json!({ "type": "string", "description": "the session key: kms:Decrypt on it; arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID (not an alias)" })),
            "s3_logging": nullable(json!({ "$ref": "#/$defs/loggingBucket" })),
            "cloudwatch_logging": { "type": "boolean", "default": false },
        },
        "anyOf": [
            { "required": ["kms_key_arn"], "properties": { "kms_key_arn": { "type": "string" } } },
            { "required": ["s3_logging"], "properties": { "s3_logging": { "type": "object" } } },
            { "required": ["cloudwatch_logging"], "properties": { "cloudwatch_logging": { "const": true } } },
        ],
    })
}

fn hybrid() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "account_id": nullable(json!({ "type": "string", "pattern": "^[0-9]{12}$", "description": "12 digits; default: the deploying account" })),
            "region": nullable(json!({ "type": "string", "description": "default: the deploying region" })),
        },
    })
}

fn tags() -> Value {
    nullable(json!({
        "type": "object",
        "maxProperties": limits::TAGS_MAX,
        "propertyNames": {
            "minLength": 1,
            "maxLength": limits::TAG_KEY_MAX,
            "pattern": TAG_CHARS,
            "not": { "pattern": "^[aA][wW][sS]:" },
        },
        // A tag with no value (`team:`) is the empty value.
        "additionalProperties": nullable(json!({
            "type": "string",
            "maxLength": limits::TAG_VALUE_MAX,
            "pattern": TAG_CHARS,
        })),
    }))
}

/// The rules that depend on the profile's partition: ARNs and region lists.
fn partition_rule(p: PartitionName) -> Value {
    let id = partition_id(p);
    let part = refdata::partition(p);
    let regions: Vec<&str> = part.regions.to_vec();
    let confirmed: Vec<&str> = regions
        .iter()
        .copied()
        .filter(|r| refdata::agent_buckets_confirmed(p, r) == Confirmed::Yes)
        .collect();
    let selected = if p == PartitionName::Aws {
        json!({ "anyOf": [
            { "not": { "required": ["partition"] } },
            { "required": ["partition"], "properties": { "partition": { "const": id } } },
        ] })
    } else {
        json!({ "required": ["partition"], "properties": { "partition": { "const": id } } })
    };
    let current_regions = if confirmed.is_empty() {
        // No bucket names are documented for this partition: only `seed` may list regions.
        json!({ "maxItems": 0 })
    } else {
        json!({ "items": { "enum": confirmed } })
    };
    let kms_key = format!(
        "^arn:{id}:kms:({}):[0-9]{{12}}:key/[A-Za-z0-9-]+$",
        alternatives(&regions)
    );
    json!({
        "if": selected,
        "then": {
            "properties": {
                "permissions_boundary": { "pattern": policy_arn(&id) },
                "managed_policies": { "properties": { "additional": { "items": { "pattern": policy_arn(&id) } } } },
                "s3": {
                    "properties": { "vpc_endpoint_regions": { "items": { "enum": regions } } },
                    "if": { "required": ["agent_buckets"], "properties": { "agent_buckets": { "const": "seed" } } },
                    "else": { "properties": { "vpc_endpoint_regions": current_regions } },
                },
                "session_manager": { "properties": {
                    "kms_key_arn": { "pattern": kms_key.clone() },
                    "s3_logging": { "properties": { "kms_key_arn": { "pattern": kms_key } } },
                } },
                "hybrid": { "properties": { "region": { "anyOf": [{ "type": "null" }, { "enum": regions }] } } },
            },
        },
    })
}

fn profile() -> Value {
    let partitions: Vec<String> = PARTITIONS.iter().map(|p| partition_id(*p)).collect();
    let mut all_of = vec![
        // `hybrid` belongs to hybrid service roles only.
        json!({
            "if": { "required": ["kind"], "properties": { "kind": { "const": "hybrid-service-role" } } },
            "else": { "properties": { "hybrid": { "type": "null" } } },
        }),
        // An existing role's own properties are not this spec's to set.
        json!({
            "if": { "required": ["existing_role"], "properties": { "existing_role": { "type": "string" } } },
            "then": { "properties": {
                "description": { "type": "null" },
                "permissions_boundary": { "type": "null" },
                "max_session_duration": { "type": "null" },
                "hybrid": { "type": "null" },
            } },
        }),
    ];
    all_of.extend(PARTITIONS.iter().map(|p| partition_rule(*p)));
    let mut name = iam_name(
        limits::ROLE_NAME_MAX,
        "the role name and the instance profile name",
    );
    // At least one letter or digit: resource identifiers are derived from them.
    name["pattern"] = json!(format!("^{IAM_NAME_CHAR}*[A-Za-z0-9]{IAM_NAME_CHAR}*$"));
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["name"],
        "properties": {
            "name": name,
            "kind": { "enum": ["instance-profile", "hybrid-service-role"], "default": "instance-profile" },
            "description": nullable(json!({
                "type": "string",
                "description": "the role description",
                "maxLength": limits::DESCRIPTION_MAX,
                "pattern": r"^[\t\n\r\x20-\x7e\xa1-\xff]*$",
            })),
            "path": nullable(json!({
                "type": "string",
                "description": "IAM path for role, instance profile and policies: `/` or `/a/b/`",
                "maxLength": limits::PATH_MAX,
                "pattern": PATH,
            })),
            "partition": { "enum": partitions, "default": "aws" },
            "existing_role": nullable(iam_name(limits::ROLE_NAME_MAX, "a role that exists already; nothing creates a role")),
            "permissions_boundary": nullable(json!({ "type": "string", "pattern": policy_arn(&alternatives_of_partitions()), "description": "ARN of a managed policy of the profile's partition" })),
            "max_session_duration": nullable(json!({
                "type": "integer",
                "minimum": limits::SESSION_DURATION.start(),
                "maximum": limits::SESSION_DURATION.end(),
                "description": "seconds, 3600 to 43200",
            })),
            "tags": tags(),
            "managed_policies": { "$ref": "#/$defs/managedPolicies" },
            "managed_policy_quota": nullable(json!({
                "type": "integer",
                "minimum": limits::MANAGED_POLICY_QUOTA.start(),
                "maximum": limits::MANAGED_POLICY_QUOTA.end(),
                "description": "the account's quota of managed policies per role, when raised above IAM's default of 10 (25 at most); CloudFormation and the CDK attach 20 by ARN at most",
            })),
            "s3": nullable(json!({ "$ref": "#/$defs/s3" })),
            "session_manager": nullable(json!({ "$ref": "#/$defs/sessionManager" })),
            "hybrid": nullable(json!({ "$ref": "#/$defs/hybrid" })),
        },
        "allOf": all_of,
    })
}

/// The schema of spec v1.
pub fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ssm-profile spec, version 1",
        "description": format!("The input of ssm-profile {}: IAM role, instance profile and policies for AWS Systems Manager. Generated by `ssm-profile schema`.", env!("CARGO_PKG_VERSION")),
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "profiles"],
        "properties": {
            "version": { "const": 1, "description": "the spec version; only 1 exists" },
            "profiles": {
                "type": "array",
                "minItems": 1,
                "items": { "$ref": "#/$defs/profile" },
            },
        },
        "$defs": {
            "profile": profile(),
            "managedPolicies": managed_policies(),
            "s3": s3(),
            "bucket": bucket(),
            "bucketName": bucket_name(),
            "prefix": prefix(),
            "sessionManager": session_manager(),
            "loggingBucket": logging_bucket(),
            "hybrid": hybrid(),
        },
    })
}

/// The schema as `ssm-profile schema` prints it.
pub fn schema_text() -> String {
    crate::text::pretty_json(&schema())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partition_is_listed() {
        // A new PartitionName variant must be added to PARTITIONS; this match fails
        // to compile until it is.
        for p in PARTITIONS {
            match p {
                PartitionName::Aws
                | PartitionName::AwsCn
                | PartitionName::AwsUsGov
                | PartitionName::AwsEusc => {}
            }
        }
        assert_eq!(partition_id(PartitionName::AwsUsGov), "aws-us-gov");
    }

    #[test]
    fn regex_metacharacters_are_escaped() {
        assert_eq!(alternatives(&[".mrap", "--x-s3"]), r"\.mrap|--x-s3");
    }
}

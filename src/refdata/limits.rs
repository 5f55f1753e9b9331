//! IAM and S3 limits ([IAM] quotas, [BOTO] iam service-2.json, S3 naming rules).
//! The rules on names, paths, descriptions, tags, account IDs and session durations
//! are values in `refdata::rules`.

pub const TAGS_MAX: usize = 50;
/// Managed policies one role can hold without a quota increase (docs/sources.md 7,
/// [IAM] reference_iam-quotas.md).
pub const MANAGED_POLICIES_PER_ROLE: usize = 10;
/// The most managed policies per role IAM allows after a quota increase
/// (docs/sources.md 7, [IAM] reference_iam-quotas.md): `managed_policy_quota` may
/// raise the default up to this.
pub const MANAGED_POLICY_QUOTA: std::ops::RangeInclusive<usize> = 10..=25;
/// The most ARNs CloudFormation's `AWS::IAM::Role.ManagedPolicyArns` holds
/// (docs/sources.md 7 and 8, [CFN] registry schema of AWS::IAM::Role), whatever the
/// account's IAM quota; the CDK compiles to it.
pub const CFN_MANAGED_POLICY_ARNS_MAX: usize = 20;
/// Characters of a managed policy document, white space not counted.
pub const POLICY_DOCUMENT_MAX: usize = 6144;
/// The characters IAM accepts in a policy document: tab, LF, CR and U+0020 to
/// U+00FF (docs/sources.md 7, [BOTO] iam service-2.json `policyDocumentType`,
/// pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`). Anything else is
/// MalformedPolicyDocument at deploy.
pub fn policy_document_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}
/// CloudFormation quotas per template (docs/sources.md 7, the cloudformation-limits
/// page; cfn-lint 1.58.0 E1002, E3010, E6010 check the same numbers).
pub const CFN_RESOURCES_MAX: usize = 500;
pub const CFN_OUTPUTS_MAX: usize = 200;
/// Resources the CDK adds to every stack it synthesizes: one `AWS::CDK::Metadata`
/// (logical ID `CDKMetadata`), when version reporting is on, which the `cdk` CLI
/// turns on by default (`--version-reporting`: "enabled by default"), in any region
/// that has the metadata service or an unknown one (then behind a condition). The
/// CDK counts it against the same 500: `cdk synth` of a stack with 500 of ours fails
/// "501 is greater than allowed maximum of 500". Sources, read 2026-12-06: aws/aws-cdk
/// packages/aws-cdk-lib/core/lib/private/metadata-resource.ts (`MetadataResource`,
/// at 02a9c13e) and private/synthesis.ts (`injectMetadataResources`, run before the
/// stack's `maxResources` check in core/lib/stack.ts); aws-cdk-lib 2.276.0 and
/// aws-cdk 2.1148.1 as pinned in scripts/tools/npm. The generated apps leave
/// reporting as the user's CLI sets it, so a stack's quota keeps room for it.
pub const CDK_ADDED_RESOURCES: usize = 1;
/// Template body read from S3: 1 MB (cfn-lint counts 1,000,000 bytes).
pub const CFN_TEMPLATE_BODY_MAX: usize = 1_000_000;
/// Template body passed inline (`aws cloudformation deploy` without
/// `--s3-bucket`): 51,200 bytes.
pub const CFN_TEMPLATE_BODY_INLINE_MAX: usize = 51_200;
pub const TRUST_POLICY_MAX: usize = 2048;
/// An S3 object key: at most 1,024 bytes of UTF-8, its prefix, the delimiter and the
/// object's name included ("Naming Amazon S3 objects",
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html, read
/// 2026-12-07).
pub const S3_OBJECT_KEY_MAX_BYTES: usize = 1024;
/// Bytes of a key that a spec's bucket or log prefix leaves for the object names
/// under it: a prefix that filled the key would grant objects none could be named.
/// The project's choice, not an AWS rule.
pub const S3_OBJECT_NAME_ROOM_BYTES: usize = 124;
/// The longest key prefix (without its surrounding slashes) a spec may give.
pub const S3_KEY_PREFIX_MAX_BYTES: usize = S3_OBJECT_KEY_MAX_BYTES - S3_OBJECT_NAME_ROOM_BYTES;
/// A StackSet's name: an ASCII letter, then ASCII letters, digits and hyphens, at
/// most 128 characters (AWS CloudFormation API Reference, CreateStackSet,
/// `StackSetName`: "A stack name can contain only alphanumeric characters
/// (case-sensitive) and hyphens. It must start with an alphabetic character and
/// can't be longer than 128 characters."
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html,
/// read 2026-12-06). The name cannot change in place: `StackSetName` is a
/// create-only property of AWS::CloudFormation::StackSet (refdata::replacement).
pub const STACK_SET_NAME_MAX: usize = 128;
pub fn stack_set_name(name: &str) -> bool {
    name.len() <= STACK_SET_NAME_MAX
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

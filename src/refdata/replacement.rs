//! Which property changes replace a resource instead of updating it in place: the
//! facts `ssm-profile impact` reads. A replaced IAM resource with a name is deleted
//! and created again (a name cannot exist twice), so whatever used it in between,
//! an instance through its instance profile, loses it.

/// A resource type and the properties whose change replaces it.
pub struct Replacement {
    pub kind: &'static str,
    pub properties: &'static [&'static str],
    pub source: &'static str,
}

/// CloudFormation resource types: the `createOnlyProperties` of each registry schema
/// (the schemas cfn-lint bundles, src/cfnlint/data/schemas/providers/us_east_1/ in
/// https://github.com/aws-cloudformation/cfn-lint, read 2026-12-06). The CDK deploys
/// the same types through CloudFormation.
pub const CLOUDFORMATION: &[Replacement] = &[
    Replacement {
        kind: "AWS::IAM::Role",
        properties: &["Path", "RoleName"],
        source: "aws-iam-role.json createOnlyProperties",
    },
    Replacement {
        kind: "AWS::IAM::InstanceProfile",
        properties: &["InstanceProfileName", "Path"],
        source: "aws-iam-instanceprofile.json createOnlyProperties",
    },
    Replacement {
        kind: "AWS::IAM::ManagedPolicy",
        properties: &["ManagedPolicyName", "Description", "Path"],
        source: "aws-iam-managedpolicy.json createOnlyProperties",
    },
    Replacement {
        kind: "AWS::CloudFormation::StackSet",
        properties: &["PermissionModel", "StackSetName"],
        source: "aws-cloudformation-stackset.json createOnlyProperties",
    },
];

/// Terraform resource types: the attributes marked `ForceNew` in the AWS provider's
/// schema (https://github.com/hashicorp/terraform-provider-aws, read 2026-12-06 in
/// internal/service/iam/role.go, policy.go and role_policy_attachment.go). Not
/// re-read for this table: instance_profile.go and
/// internal/service/cloudformation/stack_set.go, entered from the provider's
/// registry documentation of `aws_iam_instance_profile` and
/// `aws_cloudformation_stack_set` (`name`, `path`; `name`, `permission_model`
/// force a new resource); conformance does not yet check them.
pub const TERRAFORM: &[Replacement] = &[
    Replacement {
        kind: "aws_iam_role",
        properties: &["name", "name_prefix", "path"],
        source: "internal/service/iam/role.go ForceNew",
    },
    Replacement {
        kind: "aws_iam_instance_profile",
        properties: &["name", "name_prefix", "path"],
        source: "internal/service/iam/instance_profile.go ForceNew",
    },
    Replacement {
        kind: "aws_iam_policy",
        properties: &["description", "name", "name_prefix", "path"],
        source: "internal/service/iam/policy.go ForceNew",
    },
    Replacement {
        kind: "aws_iam_role_policy_attachment",
        properties: &["policy_arn", "role"],
        source: "internal/service/iam/role_policy_attachment.go ForceNew",
    },
    Replacement {
        kind: "aws_cloudformation_stack_set",
        properties: &["name", "permission_model"],
        source: "internal/service/cloudformation/stack_set.go ForceNew",
    },
];

/// The replacement facts of `kind` in `table`, if it has them.
pub fn of(table: &'static [Replacement], kind: &str) -> Option<&'static Replacement> {
    table.iter().find(|r| r.kind == kind)
}

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

/// CloudFormation resource types: the `createOnlyProperties` of each type's registry
/// schema, as AWS publishes them ("Resource type schemas - AWS CloudFormation",
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-type-schemas.html,
/// the files of CloudFormationSchema.zip, one per type: aws-iam-role.json, ...).
/// Re-read 2026-12-07 in the copies cfn-lint 1.58.0 bundles (schema_date
/// 2026-10-20; cfnlint/data/schemas/providers/<region>.json names each type's file
/// under cfnlint/data/schemas/resources/): the same in all 45 regions that have
/// the type. AWS::SSM::ServiceSetting is absent from cn-north-1, cn-northwest-1 and
/// me-central-1's lists. The CDK deploys the same types through CloudFormation.
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
    Replacement {
        kind: "AWS::SSM::ServiceSetting",
        properties: &["SettingId"],
        source: "aws-ssm-servicesetting.json createOnlyProperties",
    },
];

/// Terraform resource types: the attributes marked `ForceNew: true` in the AWS
/// provider's resource schemas (https://github.com/hashicorp/terraform-provider-aws,
/// read 2026-12-07; a `ForceNew` block is replaced by a change anywhere inside it).
/// The files and the commits read:
/// - internal/service/iam/role.go at 0040ea69 (`name`, `name_prefix`, `path`);
/// - internal/service/iam/instance_profile.go at 013f1736 (`name`, `name_prefix`,
///   `path`; `role` is updated in place);
/// - internal/service/iam/policy.go at 01ccd9a2 (`description`, `name`,
///   `name_prefix`, `path`);
/// - internal/service/iam/role_policy_attachment.go at 04c79849 (`policy_arn`,
///   `role`: it has no update);
/// - internal/service/cloudformation/stack_set.go at 01e31657 (`auto_deployment`,
///   `name`; `permission_model` is updated in place, unlike CloudFormation's
///   StackSet, where it is create-only);
/// - internal/service/cloudformation/stack_set_instance.go at 01f43111
///   (`account_id`, `deployment_targets` and each attribute in it, `region`,
///   `stack_set_name`). Provider 6.0 renamed `region` to `stack_set_instance_region`
///   (website/docs/guides/version-6-upgrade.html.markdown at 367e0373: "`region`
///   has been deprecated. Use `stack_set_instance_region` instead."); the 6.x
///   source of stack_set_instance.go could not be read here, so the new name is
///   taken as replacing like the old one (an instance's region is where its stacks
///   are).
///
/// aws_ssm_service_setting has no `ForceNew` attribute in
/// internal/service/ssm/service_setting.go at 01b92bed (the only version read): it
/// is not listed, and its changes read as updates.
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
        properties: &["auto_deployment", "name"],
        source: "internal/service/cloudformation/stack_set.go ForceNew",
    },
    Replacement {
        kind: "aws_cloudformation_stack_set_instance",
        properties: &[
            "account_id",
            "deployment_targets",
            "region",
            "stack_set_instance_region",
            "stack_set_name",
        ],
        source: "internal/service/cloudformation/stack_set_instance.go ForceNew",
    },
];

/// What updating an AWS::CloudFormation::StackSet does to the (OU, region) pairs its
/// `StackInstancesGroup` no longer lists: its resource handler calls
/// DeleteStackInstances for them without `RetainStacks`, so the stacks, and what
/// they deployed, are deleted in every account of the OU (the StackSet resource
/// provider, https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-cloudformation,
/// aws-cloudformation-stackset/.../translator/RequestTranslator.java
/// `deleteStackInstancesRequest` at 1ccd9c21, read 2026-12-07).
pub const REMOVED_STACK_INSTANCES: &str =
    "aws-cloudformation-stackset RequestTranslator.deleteStackInstancesRequest, no RetainStacks";

/// The replacement facts of `kind` in `table`, if it has them.
pub fn of(table: &'static [Replacement], kind: &str) -> Option<&'static Replacement> {
    table.iter().find(|r| r.kind == kind)
}

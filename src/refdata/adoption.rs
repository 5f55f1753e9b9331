//! Taking over resources that exist already (`adopt`), and reading what exists
//! (`drift`): each tool's way of importing a resource, and the shape of the IAM
//! account dump, each with the page that says so.

use super::Citation;

/// CloudFormation imports a resource only with a `DeletionPolicy`, and an import
/// change set may neither create, delete or change other resources nor add outputs.
pub const CFN_IMPORT: Citation = Citation {
    doc: "AWS CloudFormation User Guide, \"Import AWS resources into a CloudFormation stack\" (and \"Create a stack from existing resources\")",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html",
    date: "2026-12-07",
};

/// The identifier each adopted resource type is imported by (its resource schema's
/// primary identifier), and that the three types take part in imports.
pub const CFN_IMPORT_TYPES: Citation = Citation {
    doc: "AWS CloudFormation User Guide, \"Resource type support\" (AWS::IAM::Role RoleName, AWS::IAM::ManagedPolicy PolicyArn, AWS::IAM::InstanceProfile InstanceProfileName)",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html",
    date: "2026-12-07",
};

/// `cdk import --resource-mapping FILE`: a JSON object whose keys are the stack's
/// logical IDs and whose values are the resource identifiers CloudFormation imports
/// by (`ResourceImporter.loadResourceIdentifiers` reads `contents[logicalId]`).
pub const CDK_IMPORT: Citation = Citation {
    doc: "aws/aws-cdk, packages/aws-cdk/lib/import.ts, ResourceImporter.loadResourceIdentifiers (commit 00430cc59f50e1ce5de7c82f2595fb096faccec3)",
    url: "https://github.com/aws/aws-cdk/blob/00430cc59f50e1ce5de7c82f2595fb096faccec3/packages/aws-cdk/lib/import.ts",
    date: "2026-12-07",
};

/// Terraform's `import` block: root module only, `to` a resource address, `id` the
/// provider's import ID; an `id` that refers to a data source needs Terraform 1.6.
pub const TERRAFORM_IMPORT_BLOCK: Citation = Citation {
    doc: "Terraform language, \"Import\" (import blocks since v1.5; `id` expressions of values known at plan, such as data sources, since v1.6; OpenTofu 1.6 reads them alike)",
    url: "https://developer.hashicorp.com/terraform/language/import",
    date: "2026-12-07",
};

/// The oldest Terraform (and OpenTofu) that reads the import file: its `id`s refer to
/// `data.aws_caller_identity` (TERRAFORM_IMPORT_BLOCK).
pub const TERRAFORM_IMPORT_REQUIRED_VERSION: &str = ">= 1.6";

/// The AWS provider's import IDs: a role and an instance profile by name, a policy by
/// ARN, a role's policy attachment by `ROLE/POLICY_ARN`.
pub const TERRAFORM_IMPORT_IDS: Citation = Citation {
    doc: "Terraform AWS provider, the Import sections of aws_iam_role (name), aws_iam_policy (ARN), aws_iam_role_policy_attachment (role name and policy ARN separated by `/`) and aws_iam_instance_profile (name)",
    url: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment#import",
    date: "2026-12-07",
};

/// What `aws iam get-account-authorization-details` prints: `RoleDetailList` (each
/// role's `Path`, `RoleName`, `Arn`, `AssumeRolePolicyDocument`,
/// `InstanceProfileList`, `AttachedManagedPolicies`, `PermissionsBoundary`, `Tags`;
/// no description and no session duration), `Policies` (`ManagedPolicyDetail`:
/// `PolicyName`, `Arn`, `Path`, `DefaultVersionId`, `PolicyVersionList` of `Document`,
/// `VersionId`, `IsDefaultVersion`), and `IsTruncated` and `Marker` of a page.
pub const ACCOUNT_AUTHORIZATION_DETAILS: Citation = Citation {
    doc: "AWS Identity and Access Management API Reference, \"GetAccountAuthorizationDetails\" (with \"RoleDetail\", \"ManagedPolicyDetail\" and \"PolicyVersion\")",
    url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html",
    date: "2026-12-07",
};

//! Why a finding that IaC scanners (cdk-nag, AWS CloudFormation Guard, cfn_nag) make on
//! a generated resource is the design AWS documents, with the AWS page that says so
//! (docs/sources.md 10). The backends write these as the scanners' own suppressions
//! (`backend::scanners`), each narrowed to the resource or policy it is about.

use super::{Citation, SEED_PAGE};

/// An AWS fact that makes a scanner's finding the documented design, and its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByDesign {
    pub fact: &'static str,
    pub source: &'static Citation,
}

impl ByDesign {
    /// The suppression's reason: the fact and the AWS page behind it.
    pub fn reason(&self) -> String {
        format!("{} ({})", self.fact, self.source.cite())
    }
}

/// docs/sources.md 5.
pub const SESSION_MANAGER_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Step 2: Verify or add instance permissions for Session Manager\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html",
    date: "2026-11-28",
};

/// docs/sources.md 10: the Actions table lists no resource type for
/// logs:DescribeLogGroups, and "if there is no value for this column, you must specify
/// all resources ("*")".
pub const LOGS_AUTHORIZATION_PAGE: Citation = Citation {
    doc: "Actions, resources, and condition keys for Amazon CloudWatch Logs - Service Authorization Reference",
    url: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html",
    date: "2026-12-07",
};

/// docs/sources.md 6.
pub const PATCH_ASSOCIATION_PAGE: Citation = Citation {
    doc: "AWS Managed Policy Reference, AmazonSSMPatchAssociation",
    url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMPatchAssociation.html",
    date: "2026-12-06",
};

/// docs/sources.md 6a.
pub const DHMC_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Managing EC2 instances automatically with Default Host Management Configuration\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html",
    date: "2026-12-06",
};

/// A role or policy with a name of its own (Guard's CFN_NO_EXPLICIT_RESOURCE_NAMES,
/// cfn_nag W28).
pub const NAMED: ByDesign = ByDesign {
    fact: "Named on purpose: instances are launched with, and other stacks and policies refer to, the names the spec gives, as AWS's setup page names its role",
    source: &SEED_PAGE,
};

/// The AWS managed policies the spec selects by a switch (cdk-nag AwsSolutions-IAM4).
pub const CORE_POLICY: ByDesign = ByDesign {
    fact: "AmazonSSMManagedInstanceCore is the AWS managed policy AWS names as the permissions Systems Manager core functionality requires",
    source: &SEED_PAGE,
};
pub const DIRECTORY_SERVICE_POLICY: ByDesign = ByDesign {
    fact: "AmazonSSMDirectoryServiceAccess is the AWS managed policy AWS's setup page offers for joining Windows Server instances to an AWS Directory Service domain",
    source: &SEED_PAGE,
};
pub const CLOUDWATCH_AGENT_POLICY: ByDesign = ByDesign {
    fact: "CloudWatchAgentServerPolicy is the AWS managed policy AWS's setup page offers for running the CloudWatch agent on the instances",
    source: &SEED_PAGE,
};
pub const PATCH_ASSOCIATION_POLICY: ByDesign = ByDesign {
    fact: "AmazonSSMPatchAssociation is the AWS managed policy AWS publishes for Patch Manager associations",
    source: &PATCH_ASSOCIATION_PAGE,
};
pub const DHMC_POLICY: ByDesign = ByDesign {
    fact: "AmazonSSMManagedEC2InstanceDefaultPolicy is the AWS managed policy AWS gives the Default Host Management Configuration role",
    source: &DHMC_PAGE,
};

/// Wildcards in resources that AWS's pages grant so (cdk-nag AwsSolutions-IAM5; Guard's
/// IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE and cfn_nag W13 for `*` itself). The
/// AWS-owned buckets' fact takes each bucket's own page (`ResourceNote`).
pub const AGENT_BUCKET_OBJECTS: &str = "s3:GetObject acts on objects: AWS lists the AWS-owned buckets SSM Agent reads as object ARNs (BUCKET/*), so the wildcard is that bucket's objects";
pub const OWN_BUCKET_OBJECTS: ByDesign = ByDesign {
    fact: "Object actions act on objects: AWS's setup page grants them on the object ARN (BUCKET/*) of the bucket, and prefix, the spec names",
    source: &SEED_PAGE,
};
pub const SESSION_LOG_OBJECTS: ByDesign = ByDesign {
    fact: "Session logs are objects: AWS's page grants s3:PutObject on the object ARN of the log bucket, and prefix, the spec names",
    source: &SESSION_MANAGER_PAGE,
};
pub const DESCRIBE_LOG_GROUPS: ByDesign = ByDesign {
    fact: "logs:DescribeLogGroups takes no resource-level permission: AWS lists no resource type for it, so its Resource must be *",
    source: &LOGS_AUTHORIZATION_PAGE,
};
pub const SESSION_LOG_GROUPS: ByDesign = ByDesign {
    fact: "The log group is chosen in Session Manager's preferences, not in the spec: AWS's page grants these actions on all resources; this narrows them to the partition's log groups",
    source: &SESSION_MANAGER_PAGE,
};

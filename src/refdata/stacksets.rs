//! CloudFormation StackSets with AWS Organizations (`rollout`): where service-managed
//! StackSets work, where a delegated administrator can manage them, which regions an
//! account must enable first, and how StackSets order their deployments. Each fact
//! names the AWS page it comes from, with the day it was read.

use super::{Citation, PartitionName};

/// The China Regions' StackSets prerequisites: "Activating trusted access with Amazon
/// Organizations for Amazon CloudFormation StackSets isn't currently supported in the
/// China Beijing and Ningxia Regions", and service-managed StackSets need it.
pub const CHINA_PREREQUISITES: Citation = Citation {
    doc: "Prerequisites for stack set operations - Amazon CloudFormation",
    url: "https://docs.amazonaws.cn/en_us/AWSCloudFormation/latest/UserGuide/stacksets-prereqs.html",
    date: "2026-12-06",
};

/// Why a partition cannot have service-managed StackSets, if it cannot.
pub fn service_managed_refused(p: PartitionName) -> Option<String> {
    match p {
        PartitionName::AwsCn => Some(format!(
            "AWS does not support trusted access between CloudFormation StackSets and AWS Organizations in the China (Beijing) and (Ningxia) Regions, and service-managed StackSets need it ({}); leave `rollout` out and deploy the profiles in each account with `build`",
            CHINA_PREREQUISITES.cite()
        )),
        _ => None,
    }
}

/// "You can register delegated administrators for your organization in the following
/// Regions: US East (Ohio), US East (N. Virginia), US West (N. California), US West
/// (Oregon), Asia Pacific (Mumbai), Asia Pacific (Seoul), Asia Pacific (Singapore),
/// Asia Pacific (Sydney), Asia Pacific (Tokyo), Canada (Central), Europe (Frankfurt),
/// Europe (Ireland), Europe (London), Europe (Paris), Europe (Stockholm), Israel (Tel
/// Aviv), South America (São Paulo), AWS GovCloud (US-East), and AWS GovCloud
/// (US-West)."
pub const DELEGATED_ADMIN_PAGE: Citation = Citation {
    doc: "Register a delegated administrator member account - AWS CloudFormation",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html",
    date: "2026-12-06",
};

/// The regions of [`DELEGATED_ADMIN_PAGE`], by code.
pub const DELEGATED_ADMIN_REGIONS: &[&str] = &[
    "us-east-2",
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "il-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// The regions of partition `p` a delegated administrator can manage StackSets from.
pub fn delegated_admin_regions(p: PartitionName) -> Vec<&'static str> {
    let regions = super::partition(p).regions;
    DELEGATED_ADMIN_REGIONS
        .iter()
        .copied()
        .filter(|r| regions.contains(r))
        .collect()
}

/// "Regions launched after March 20, 2019 are disabled by default and referred to as
/// opt-in Regions" (AWS Account Management Reference Guide); the StackSets page adds
/// that for a stack instance to be created or updated "the target account must reside
/// in a Region that's currently enabled for that target account".
pub const OPT_IN_PAGE: Citation = Citation {
    doc: "Enable or disable AWS Regions in your account - AWS Account Management",
    url: "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html",
    date: "2026-12-06",
};

pub const STACKSETS_OPT_IN_PAGE: Citation = Citation {
    doc: "Prepare to perform StackSet operations in AWS Regions that are disabled by default - AWS CloudFormation",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-opt-in-regions.html",
    date: "2026-12-06",
};

/// The aws partition's opt-in regions: every region of `super::AWS_REGIONS` launched
/// after 2019-03-20 except Asia Pacific (Osaka), which AWS lists as not requiring
/// opt-in ("Opt-in status" of "AWS Regions", AWS Regions and Availability Zones,
/// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html,
/// read 2026-12-06). me-west-1 and sa-west-1, launched in 2026, are opt-in by the
/// rule of [`OPT_IN_PAGE`].
pub const OPT_IN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
    "sa-west-1",
];

/// Whether `region` is disabled in an account until it opts in.
pub fn opt_in(region: &str) -> bool {
    OPT_IN_REGIONS.contains(&region)
}

/// AutoDeployment.DependsOn: "A list of StackSet ARNs that this StackSet depends on
/// for auto-deployment operations. When auto-deployment is triggered, operations will
/// be sequenced to ensure all dependencies complete successfully before this
/// StackSet's operation begins." (update requires no interruption). AWS added it in
/// November 2025 ("AWS CloudFormation StackSets now supports deployment ordering",
/// https://aws.amazon.com/about-aws/whats-new/2025/11/aws-cloudformation-stacksets-deployment-ordering/).
pub const AUTO_DEPLOYMENT_PAGE: Citation = Citation {
    doc: "AWS::CloudFormation::StackSet AutoDeployment - AWS CloudFormation",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudformation-stackset-autodeployment.html",
    date: "2026-12-06",
};

/// A StackSet's ARN: `arn:PARTITION:cloudformation:REGION:ACCOUNT:stackset/NAME:ID`,
/// where `NAME:ID` is the StackSet ID that `Ref` of an `AWS::CloudFormation::StackSet`
/// returns ("Ref: When you pass the logical ID of this resource to the intrinsic Ref
/// function, Ref returns the StackSetId", and the StackSet ARN format of the Service
/// Authorization Reference, "Actions, resources, and condition keys for AWS
/// CloudFormation", resource type stackset:
/// arn:${Partition}:cloudformation:${Region}:${Account}:stackset/${StackSetName}:*).
pub const STACK_SET_ARN_PAGE: Citation = Citation {
    doc: "Actions, resources, and condition keys for AWS CloudFormation - Service Authorization Reference",
    url: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html",
    date: "2026-12-06",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_is_a_region() {
        let all: Vec<&str> = [
            PartitionName::Aws,
            PartitionName::AwsCn,
            PartitionName::AwsUsGov,
            PartitionName::AwsEusc,
        ]
        .into_iter()
        .flat_map(|p| super::super::partition(p).regions.iter().copied())
        .collect();
        for r in DELEGATED_ADMIN_REGIONS.iter().chain(OPT_IN_REGIONS) {
            assert!(all.contains(r), "{r}");
        }
    }

    #[test]
    fn delegated_admins_are_per_partition() {
        assert_eq!(
            delegated_admin_regions(PartitionName::AwsUsGov),
            ["us-gov-east-1", "us-gov-west-1"]
        );
        assert!(delegated_admin_regions(PartitionName::AwsEusc).is_empty());
        assert!(delegated_admin_regions(PartitionName::Aws).contains(&"il-central-1"));
        assert!(!delegated_admin_regions(PartitionName::Aws).contains(&"ap-east-1"));
    }

    #[test]
    fn only_china_refuses_service_managed_stack_sets() {
        let why = service_managed_refused(PartitionName::AwsCn).expect("refused");
        assert!(why.contains(CHINA_PREREQUISITES.url), "{why}");
        assert!(service_managed_refused(PartitionName::Aws).is_none());
        assert!(service_managed_refused(PartitionName::AwsUsGov).is_none());
    }
}

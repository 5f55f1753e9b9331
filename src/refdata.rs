//! AWS reference data, in one place, with where each fact comes from.
//!
//! Collected 2026-11-27 from ../shared/reference/aws-facts.md, which cites:
//! - partitions and regions: botocore `partitions.json` (aws-facts.md section 3);
//! - AWS-owned SSM buckets: AWS Systems Manager User Guide, "About minimum S3 bucket
//!   permissions for SSM Agent" and "setup-instance-permissions" (section 2);
//! - EC2 service principal per partition: China IAM console, EKS docs, Terraform's
//!   `aws_service_principal` (section 3);
//! - IAM and S3 limits: IAM User Guide quotas, botocore `iam/service-2.json` (section 7).
//!
//! Facts marked UNCONFIRMED there are modelled as `Confirmed::No` so that the model
//! can refuse them or warn, never guess silently.

use crate::spec::PartitionName;

/// One AWS partition: its ARN prefix and the regions it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub name: PartitionName,
    /// The second field of every ARN: `aws`, `aws-cn`, ...
    pub arn_id: &'static str,
    pub dns_suffix: &'static str,
    pub regions: &'static [&'static str],
}

pub const AWS_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

pub fn partition(name: PartitionName) -> Partition {
    match name {
        PartitionName::Aws => Partition {
            name,
            arn_id: "aws",
            dns_suffix: "amazonaws.com",
            regions: AWS_REGIONS,
        },
        PartitionName::AwsCn => Partition {
            name,
            arn_id: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            regions: &["cn-north-1", "cn-northwest-1"],
        },
        PartitionName::AwsUsGov => Partition {
            name,
            arn_id: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            regions: &["us-gov-east-1", "us-gov-west-1"],
        },
        PartitionName::AwsEusc => Partition {
            name,
            arn_id: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            regions: &["eusc-de-east-1"],
        },
    }
}

/// Whether an AWS source confirms a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Yes,
    /// No authoritative source; the text says what is known.
    No(&'static str),
}

/// The EC2 service principal that an instance profile's role must trust.
pub fn ec2_principal(p: PartitionName) -> (&'static str, Confirmed) {
    match p {
        PartitionName::Aws | PartitionName::AwsUsGov => ("ec2.amazonaws.com", Confirmed::Yes),
        // The sources disagree: the China IAM console, EKS and Terraform's
        // aws_service_principal use the .cn name; current CDK uses ec2.amazonaws.com
        // behind a feature flag. The .cn name is the one every source accepts.
        PartitionName::AwsCn => (
            "ec2.amazonaws.com.cn",
            Confirmed::No(
                "AWS sources disagree on the EC2 principal in aws-cn: the China IAM console, EKS and Terraform use ec2.amazonaws.com.cn, current CDK uses ec2.amazonaws.com; this tool uses ec2.amazonaws.com.cn",
            ),
        ),
        PartitionName::AwsEusc => (
            "ec2.amazonaws.com",
            Confirmed::No(
                "no AWS source confirms the EC2 service principal in aws-eusc; this tool assumes ec2.amazonaws.com",
            ),
        ),
    }
}

/// The Systems Manager service principal that a hybrid service role trusts
/// ([SSM] sysman-service-role.md).
pub const SSM_PRINCIPAL: &str = "ssm.amazonaws.com";

/// Default Host Management Configuration (aws-facts.md section 6a; [SSM] "Setting up
/// instance permissions" and "Managing EC2 instances automatically with Default Host
/// Management Configuration").
pub mod dhmc {
    /// The AWS managed policy of the DHMC role.
    pub const POLICY: &str = "AmazonSSMManagedEC2InstanceDefaultPolicy";
    /// The account setting, one per region, that names the role.
    pub const SETTING_ID: &str = "/ssm/managed-instance/default-ec2-instance-management-role";
    /// Where AWS puts the role unless the spec gives a path.
    pub const DEFAULT_PATH: &str = "/service-role/";
    /// What the instances need for DHMC to manage them.
    pub const MIN_AGENT_VERSION: &str = "3.2.582.0";
    /// Regions whose CloudFormation registry has no `AWS::SSM::ServiceSetting`: the
    /// cfn-lint region schemas (providers/<region>.json, schema_date
    /// 2026-10-20T22:11:15Z) of every other region of aws, aws-eusc list the type.
    pub const NO_SERVICE_SETTING_RESOURCE: &[&str] = &[
        "cn-north-1",
        "cn-northwest-1",
        "me-central-1",
        "us-gov-east-1",
        "us-gov-west-1",
    ];

    /// AWS documents DHMC, its policy and its trust in ssm.amazonaws.com for the aws
    /// partition; no source was found for the others.
    pub fn confirmed(partition: crate::spec::PartitionName) -> super::Confirmed {
        match partition {
            crate::spec::PartitionName::Aws => super::Confirmed::Yes,
            _ => super::Confirmed::No(
                "AWS documents Default Host Management Configuration, AmazonSSMManagedEC2InstanceDefaultPolicy and its trust in ssm.amazonaws.com for the aws partition; no source confirms them in this partition",
            ),
        }
    }
}

/// AWS managed policies the seed page names, by the spec field that selects them.
pub const CORE_POLICY: &str = "AmazonSSMManagedInstanceCore";
pub const DIRECTORY_SERVICE_POLICY: &str = "AmazonSSMDirectoryServiceAccess";
pub const CLOUDWATCH_AGENT_POLICY: &str = "CloudWatchAgentServerPolicy";
pub const PATCH_ASSOCIATION_POLICY: &str = "AmazonSSMPatchAssociation";

/// The seed page's six bucket patterns, as written there (REGION stands for the
/// region code).
const SEED_BUCKETS: &[&str] = &[
    "aws-ssm-REGION",
    "aws-windows-downloads-REGION",
    "amazon-ssm-REGION",
    "amazon-ssm-packages-REGION",
    "REGION-birdwatcher-prod",
    "patch-baseline-snapshot-REGION",
];

/// Distributor's bucket is `aws-ssm-distributor-file-REGION` instead of
/// `REGION-birdwatcher-prod` in these regions.
const DISTRIBUTOR_FILE_REGIONS: &[&str] = &["af-south-1", "eu-south-1"];

/// Regions whose patch baseline snapshot bucket carries a suffix.
const SNAPSHOT_EXCEPTIONS: &[(&str, &str)] = &[
    ("af-south-1", "patch-baseline-snapshot-af-south-1-tbxdb5b9"),
    ("ap-south-2", "patch-baseline-snapshot-ap-south-2-50209442"),
    (
        "ap-southeast-3",
        "patch-baseline-snapshot-ap-southeast-3-be0a3174",
    ),
    (
        "ap-southeast-4",
        "patch-baseline-snapshot-ap-southeast-4-dc6f76ce",
    ),
    ("eu-south-2", "patch-baseline-snapshot-eu-south-2-df2c9d70"),
    ("me-south-1", "patch-baseline-snapshot-me-south-1-uduvl7q8"),
];

/// Regions whose bucket names no AWS source confirms: China, GovCloud, the European
/// Sovereign Cloud, and the commercial regions launched after 2023, whose exceptions
/// (if any) are not documented.
const UNCONFIRMED_BUCKET_REGIONS: &[&str] = &[
    "ap-east-2",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "mx-central-1",
];

/// The AWS-owned buckets SSM Agent reads in `region`, today's documented list: the
/// eight buckets of setup-instance-permissions, with the per-region exceptions.
pub fn current_agent_buckets(region: &str) -> Vec<String> {
    let distributor = if DISTRIBUTOR_FILE_REGIONS.contains(&region) {
        format!("aws-ssm-distributor-file-{region}")
    } else {
        format!("{region}-birdwatcher-prod")
    };
    let snapshot = SNAPSHOT_EXCEPTIONS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, b)| b.to_string())
        .unwrap_or_else(|| format!("patch-baseline-snapshot-{region}"));
    vec![
        format!("aws-ssm-{region}"),
        format!("aws-windows-downloads-{region}"),
        format!("amazon-ssm-{region}"),
        format!("amazon-ssm-packages-{region}"),
        distributor,
        format!("aws-ssm-document-attachments-{region}"),
        snapshot,
    ]
}

/// The seed page's six buckets for `region`, exactly as the page writes them.
pub fn seed_agent_buckets(region: &str) -> Vec<String> {
    SEED_BUCKETS
        .iter()
        .map(|b| b.replace("REGION", region))
        .collect()
}

/// Whether the bucket names for `region` are documented.
pub fn agent_buckets_confirmed(partition: PartitionName, region: &str) -> Confirmed {
    if partition != PartitionName::Aws {
        return Confirmed::No(
            "AWS documents the SSM Agent bucket names for the aws partition only",
        );
    }
    if UNCONFIRMED_BUCKET_REGIONS.contains(&region) {
        return Confirmed::No(
            "AWS documents no SSM Agent bucket names or exceptions for this region, which launched after 2023",
        );
    }
    Confirmed::Yes
}

/// IAM and S3 limits ([IAM] quotas, [BOTO] iam service-2.json, S3 naming rules).
pub mod limits {
    pub const ROLE_NAME_MAX: usize = 64;
    pub const INSTANCE_PROFILE_NAME_MAX: usize = 128;
    pub const POLICY_NAME_MAX: usize = 128;
    pub const PATH_MAX: usize = 512;
    pub const DESCRIPTION_MAX: usize = 1000;
    pub const SESSION_DURATION: std::ops::RangeInclusive<u32> = 3600..=43200;
    pub const TAGS_MAX: usize = 50;
    pub const TAG_KEY_MAX: usize = 128;
    pub const TAG_VALUE_MAX: usize = 256;
    /// Managed policies one role can hold without a quota increase (20 at most).
    pub const MANAGED_POLICIES_PER_ROLE: usize = 10;
    /// Characters of a managed policy document, white space not counted.
    pub const POLICY_DOCUMENT_MAX: usize = 6144;
    pub const TRUST_POLICY_MAX: usize = 2048;
    pub const BUCKET_NAME: std::ops::RangeInclusive<usize> = 3..=63;
    pub const BUCKET_PREFIXES_RESERVED: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
    pub const BUCKET_SUFFIXES_RESERVED: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_replace_the_default_buckets() {
        let af = current_agent_buckets("af-south-1");
        assert!(af.contains(&"aws-ssm-distributor-file-af-south-1".to_string()));
        assert!(!af.iter().any(|b| b.contains("birdwatcher")));
        assert!(af.contains(&"patch-baseline-snapshot-af-south-1-tbxdb5b9".to_string()));
        let me = current_agent_buckets("me-south-1");
        assert!(me.contains(&"patch-baseline-snapshot-me-south-1-uduvl7q8".to_string()));
        assert!(me.contains(&"me-south-1-birdwatcher-prod".to_string()));
        let use2 = current_agent_buckets("us-east-2");
        assert_eq!(use2.len(), 7);
        assert!(use2.contains(&"patch-baseline-snapshot-us-east-2".to_string()));
    }

    #[test]
    fn seed_buckets_are_the_six_of_the_page() {
        assert_eq!(
            seed_agent_buckets("us-east-2"),
            [
                "aws-ssm-us-east-2",
                "aws-windows-downloads-us-east-2",
                "amazon-ssm-us-east-2",
                "amazon-ssm-packages-us-east-2",
                "us-east-2-birdwatcher-prod",
                "patch-baseline-snapshot-us-east-2",
            ]
        );
    }

    #[test]
    fn every_exception_region_is_a_real_region() {
        for (r, _) in SNAPSHOT_EXCEPTIONS {
            assert!(AWS_REGIONS.contains(r), "{r}");
        }
        for r in DISTRIBUTOR_FILE_REGIONS
            .iter()
            .chain(UNCONFIRMED_BUCKET_REGIONS)
        {
            assert!(AWS_REGIONS.contains(r), "{r}");
        }
    }
}

//! AWS reference data, in one place, with where each fact comes from.
//!
//! Collected 2026-11-27 (corrections 2026-11-28 and 2026-12-06); docs/sources.md
//! gives every AWS page with its address and date, by section:
//! - partitions and regions: botocore `partitions.json` (docs/sources.md 3);
//! - AWS-owned SSM buckets: AWS Systems Manager User Guide, "SSM Agent communications
//!   with AWS managed S3 buckets", "About minimum S3 bucket permissions for SSM Agent",
//!   "setup-instance-permissions" and "Reference: Amazon S3 buckets for patching
//!   operations" (sections 2 and 2a, corrected 2026-11-28); each bucket carries its
//!   own `Citation`;
//! - AWS managed policies per partition (section 6);
//! - EC2 service principal per partition: China IAM console, EKS docs, Terraform's
//!   `aws_service_principal` (section 3);
//! - IAM and S3 limits: IAM User Guide quotas, botocore `iam/service-2.json`;
//!   CloudFormation quotas: the cloudformation-limits page (section 7).
//!
//! Facts marked UNCONFIRMED there are modelled as `Confirmed::No` so that the model
//! can refuse them or warn, never guess silently.

use serde::Serialize;

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

/// The aws partition's regions: botocore 1.44.18's `partitions.json` (PyPI wheel
/// built 2026-12-02), which `scripts/conformance` compares with this table through
/// docs/spec.schema.json (`regions`, botocore pinned in scripts/install-tools).
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
    "me-west-1",
    "mx-central-1",
    "sa-east-1",
    "sa-west-1",
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

/// Whether a source confirms that a hybrid service role trusts [`SSM_PRINCIPAL`] in
/// partition `p`. aws: [SSM] sysman-service-role.md (docs/sources.md 4). aws-cn: AWS
/// China documents the same procedure and trust policy ("Create the IAM service role
/// required for Systems Manager in hybrid and multicloud environments",
/// docs.amazonaws.cn/en_us/systems-manager/latest/userguide/hybrid-multicloud-service-role.html,
/// read 2026-11-28; issue 11 item 8). aws-us-gov and aws-eusc: no source found.
pub fn ssm_principal_confirmed(p: PartitionName) -> Confirmed {
    match p {
        PartitionName::Aws | PartitionName::AwsCn => Confirmed::Yes,
        PartitionName::AwsUsGov => Confirmed::No(
            "the hybrid service role trusts ssm.amazonaws.com; AWS documents that principal for the aws and aws-cn partitions, and no source confirms another name in aws-us-gov",
        ),
        PartitionName::AwsEusc => Confirmed::No(
            "the hybrid service role trusts ssm.amazonaws.com; AWS documents that principal for the aws and aws-cn partitions, and no source confirms another name in aws-eusc",
        ),
    }
}

/// Default Host Management Configuration (docs/sources.md 6a; [SSM] "Setting up
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
    /// What deploying the setting does to a DHMC role the account already names:
    /// `AWS::SSM::ServiceSetting` and Terraform's `aws_ssm_service_setting` call
    /// UpdateServiceSetting, which overwrites the value, while the newer
    /// `AWS::SSM::DefaultHostManagementConfiguration` (RegisterDefaultHostManagementConfiguration)
    /// fails when DHMC is already on. ssm-profile keeps ServiceSetting while cfn-lint
    /// 1.58.0's schemas (2026-10-20) lack the newer type. UpdateServiceSetting's page:
    /// "you can overwrite the default value if you have the ssm:UpdateServiceSetting
    /// permission for the setting", `/ssm/managed-instance/default-ec2-instance-management-role`
    /// among the setting IDs.
    pub const UPDATE_SERVICE_SETTING_PAGE: super::Citation = super::Citation {
        doc: "UpdateServiceSetting - AWS Systems Manager",
        url: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateServiceSetting.html",
        date: "2026-12-07",
    };
    /// What [`UPDATE_SERVICE_SETTING_PAGE`] means for a DHMC role already set.
    pub const REPLACES_EXISTING: &str = "Deploying it (AWS::SSM::ServiceSetting, or Terraform's aws_ssm_service_setting) replaces any Default Host Management role the account already names in that region, without asking";
    /// How to see the role an account names before deploying over it.
    pub const CHECK_FIRST: &str = "check first with `aws ssm get-service-setting --setting-id /ssm/managed-instance/default-ec2-instance-management-role`";
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
    /// partition. AWS China documents the setting ("Using the Default Host Management
    /// Configuration setting - Amazon Systems Manager",
    /// https://docs.amazonaws.cn/en_us/systems-manager/latest/userguide/managed-instances-default-host-management.html,
    /// read 2026-12-06), but no source confirms the managed policy there; no source was
    /// found for the others.
    pub fn confirmed(partition: crate::spec::PartitionName) -> super::Confirmed {
        match partition {
            crate::spec::PartitionName::Aws => super::Confirmed::Yes,
            crate::spec::PartitionName::AwsCn => super::Confirmed::No(
                "AWS China documents the Default Host Management Configuration setting (AWS: \"Using the Default Host Management Configuration setting - Amazon Systems Manager\", https://docs.amazonaws.cn/en_us/systems-manager/latest/userguide/managed-instances-default-host-management.html, read 2026-12-06), but no source confirms AmazonSSMManagedEC2InstanceDefaultPolicy in aws-cn; if it does not exist there, the role's attachment fails at deploy with NoSuchEntity",
            ),
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

/// Whether a source confirms that the AWS managed policy `name`
/// (`arn:PARTITION:iam::aws:policy/NAME`) exists in partition `p`. docs/sources.md 6:
/// the four policies of the spec exist in aws ([SSM] setup-instance-profile.md);
/// AmazonSSMManagedInstanceCore is documented in aws-cn (China IAM docs); no source
/// was found for any other in aws-cn, aws-us-gov or aws-eusc (so the model warns).
pub fn aws_managed_policy_confirmed(p: PartitionName, name: &str) -> Confirmed {
    match p {
        // In aws, a name under `additional` is the user's claim about AWS's catalogue.
        PartitionName::Aws => Confirmed::Yes,
        PartitionName::AwsCn if name == CORE_POLICY => Confirmed::Yes,
        _ => Confirmed::No(
            "no AWS source confirms that it exists in this partition (AWS Managed Policy Reference, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/, as of 2026-12-06, documents the aws partition); if it does not, the attachment fails at deploy with NoSuchEntity",
        ),
    }
}

/// Where a fact comes from: the AWS page's title, its address, and the date the fact
/// speaks for (the day a current page was read, or the year of an older page).
/// docs/sources.md lists the same pages with the facts taken from each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub doc: &'static str,
    pub url: &'static str,
    pub date: &'static str,
}

impl Citation {
    /// `AWS: "DOC", URL, read DATE`, for a message or a comment.
    pub fn cite(&self) -> String {
        format!("AWS: \"{}\", {}, read {}", self.doc, self.url, self.date)
    }
}

/// docs/sources.md 2a (correction, 2026-11-28): the current page of the SSM Agent
/// buckets, the ones `agent_buckets: current` starts from.
pub const AGENT_BUCKETS_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"SSM Agent communications with AWS managed S3 buckets\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions",
    date: "2026-11-28",
};

/// docs/sources.md 2 and 2a: the 2023 pages (ssm-agent-minimum-s3-permissions.md and
/// setup-instance-permissions.md), which also list the Distributor and package
/// buckets that the current page dropped.
pub const AGENT_BUCKETS_PAGE_2023: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"About minimum S3 bucket permissions for SSM Agent\" (and \"Setting up instance permissions\" beside it)",
    url: "https://github.com/awsdocs/aws-systems-manager-user-guide/blob/main/doc_source/ssm-agent-minimum-s3-permissions.md",
    date: "2023",
};

/// docs/sources.md 2 and 2a: the per-region Patch Manager buckets.
pub const PATCHING_BUCKETS_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Reference: Amazon S3 buckets for patching operations\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html",
    date: "2026-11-28",
};

/// AWS's original setup page, which this tool implements (docs/sources.md 1), read
/// as an undated copy.
pub const SEED_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Step 4: Create an IAM Instance Profile for Systems Manager\" (AWS's original setup guide)",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-profile.html",
    date: "undated copy",
};

/// One AWS-owned bucket that SSM Agent reads in one region, with what it is for and
/// where AWS says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentBucket {
    pub name: String,
    pub purpose: &'static str,
    pub source: &'static Citation,
}

/// A bucket name pattern (REGION, and SUFFIX for the Patch Manager buckets, stand for
/// the region's values) with its purpose and source.
struct BucketPattern {
    pattern: &'static str,
    purpose: &'static str,
    source: &'static Citation,
}

impl BucketPattern {
    fn bucket(&self, region: &str) -> AgentBucket {
        let mut name = self.pattern.replace("REGION", region);
        if let Some(suffix) = patch_manager_suffix(region) {
            name = name.replace("SUFFIX", suffix);
        }
        AgentBucket {
            name,
            purpose: self.purpose,
            source: self.source,
        }
    }
}

const fn pattern(
    pattern: &'static str,
    purpose: &'static str,
    source: &'static Citation,
) -> BucketPattern {
    BucketPattern {
        pattern,
        purpose,
        source,
    }
}

// Each bucket with what it is for: docs/sources.md 2 (the table of the minimum S3
// permissions page) and 2a (correction, 2026-11-28).
const AWS_SSM: BucketPattern = pattern(
    "aws-ssm-REGION",
    "modules for certain SSM documents (Linux and Windows Server)",
    &AGENT_BUCKETS_PAGE,
);
/// docs/sources.md 2a: AWS-RunPatchBaseline's script reads its payload from
/// `aws-ssm-R`, except in `RUN_PATCH_BASELINE_FROM_PATCH_MANAGER`.
const AWS_SSM_PATCH_PAYLOAD: BucketPattern = pattern(
    "aws-ssm-REGION",
    "modules for certain SSM documents (Linux and Windows Server), and the payload AWS-RunPatchBaseline reads in this region",
    &AGENT_BUCKETS_PAGE,
);
const WINDOWS: BucketPattern = pattern(
    "aws-windows-downloads-REGION",
    "SSM documents that support only Windows Server",
    &AGENT_BUCKETS_PAGE,
);
const AMAZON_SSM: BucketPattern = pattern(
    "amazon-ssm-REGION",
    "SSM Agent updates",
    &AGENT_BUCKETS_PAGE,
);
const AMAZON_SSM_PACKAGES: BucketPattern = pattern(
    "amazon-ssm-packages-REGION",
    "AWS-ConfigureAWSPackage with SSM Agent before 2.2.45.0",
    &AGENT_BUCKETS_PAGE_2023,
);
const BIRDWATCHER: BucketPattern = pattern(
    "REGION-birdwatcher-prod",
    "Distributor packages, SSM Agent 2.2.45.0 and later",
    &AGENT_BUCKETS_PAGE_2023,
);
const DISTRIBUTOR_FILE: BucketPattern = pattern(
    "aws-ssm-distributor-file-REGION",
    "Distributor packages, SSM Agent 2.2.45.0 and later (this bucket instead of the birdwatcher bucket in af-south-1 and eu-south-1)",
    &AGENT_BUCKETS_PAGE_2023,
);
const ATTACHMENTS: BucketPattern = pattern(
    "aws-ssm-document-attachments-REGION",
    "AWS-owned Distributor packages (document attachments)",
    &AGENT_BUCKETS_PAGE_2023,
);
const SNAPSHOT: BucketPattern = pattern(
    "patch-baseline-snapshot-REGION",
    "patch baseline snapshots (Patch Manager)",
    &AGENT_BUCKETS_PAGE,
);
const PATCH_MANAGER: BucketPattern = pattern(
    "aws-patch-manager-REGION-SUFFIX",
    "SSM Command documents for patching operations (Linux and Windows Server)",
    &PATCHING_BUCKETS_PAGE,
);
const PATCH_MANAGER_PATCH_PAYLOAD: BucketPattern = pattern(
    "aws-patch-manager-REGION-SUFFIX",
    "SSM Command documents for patching operations (Linux and Windows Server), and the payload AWS-RunPatchBaseline reads in this region",
    &PATCHING_BUCKETS_PAGE,
);
const PATCH_MANAGER_MACOS: BucketPattern = pattern(
    "aws-patchmanager-macos-REGION-SUFFIX",
    "SSM Command documents for patching macOS",
    &PATCHING_BUCKETS_PAGE,
);
/// docs/sources.md 2a: in me-south-1 AWS names the Patch Manager bucket instead of
/// `aws-ssm-me-south-1` for the modules of SSM documents.
const PATCH_MANAGER_ME_SOUTH_1: BucketPattern = pattern(
    "aws-patch-manager-REGION-SUFFIX",
    "SSM Command documents for patching operations, the payload AWS-RunPatchBaseline reads in this region, and the modules of SSM documents that the aws-ssm bucket holds in other regions (AWS names this bucket instead of aws-ssm-me-south-1)",
    &AGENT_BUCKETS_PAGE,
);

/// Where AWS-RunPatchBaseline's script reads its payload from the Patch Manager
/// bucket rather than from `aws-ssm-R` (docs/sources.md 2a). Both stay granted.
const RUN_PATCH_BASELINE_FROM_PATCH_MANAGER: &[&str] =
    &["me-south-1", "af-south-1", "eu-south-1", "ap-northeast-3"];

/// The seed page's six bucket patterns, as written there (their source is the seed
/// page).
const SEED_BUCKETS: &[&BucketPattern] = &[
    &AWS_SSM,
    &WINDOWS,
    &AMAZON_SSM,
    &AMAZON_SSM_PACKAGES,
    &BIRDWATCHER,
    &SNAPSHOT,
];

/// Distributor's bucket is `aws-ssm-distributor-file-REGION` instead of
/// `REGION-birdwatcher-prod` in these regions (docs/sources.md 2).
const DISTRIBUTOR_FILE_REGIONS: &[&str] = &["af-south-1", "eu-south-1"];

/// Regions whose patch baseline snapshot bucket carries a suffix (docs/sources.md 2,
/// "Snapshot-bucket exceptions", from the minimum S3 permissions page).
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

/// The suffix of `aws-patch-manager-REGION-SUFFIX` and
/// `aws-patchmanager-macos-REGION-SUFFIX`, the same for both buckets of a region
/// (docs/sources.md 2, from "Reference: Amazon S3 buckets for patching operations").
/// Regions not listed have no documented Patch Manager buckets.
const PATCH_MANAGER_SUFFIXES: &[(&str, &str)] = &[
    ("us-east-2", "552881074"),
    ("us-east-1", "1970c647d"),
    ("us-west-1", "8badb4304"),
    ("us-west-2", "34d7f99f8"),
    ("af-south-1", "bdd5f65a9"),
    ("ap-east-1", "632356271"),
    ("ap-south-2", "32f4b4128"),
    ("ap-southeast-3", "aa48fc462"),
    ("ap-southeast-4", "01e2c40d3"),
    ("me-central-1", "2932f2f80"),
    ("ap-south-1", "cb7c62ff9"),
    ("ap-northeast-3", "67373598a"),
    ("ap-northeast-2", "10467995c"),
    ("ap-southeast-1", "7fdfd9ef7"),
    ("ap-southeast-2", "17283a275"),
    ("ap-northeast-1", "4849fa78f"),
    ("ca-central-1", "3148e69e3"),
    ("ca-west-1", "9e3a4b2f9"),
    ("eu-central-1", "9163fdaaf"),
    ("sa-east-1", "ddf4b6a09"),
    ("eu-west-1", "5522fb710"),
    ("eu-west-2", "902a2bc74"),
    ("eu-south-1", "c52f3f594"),
    ("eu-west-3", "29bf85721"),
    ("eu-south-2", "a4cf248b1"),
    ("eu-north-1", "795879e9b"),
    ("eu-central-2", "184ce43c8"),
    ("il-central-1", "e221cb57b"),
    ("me-south-1", "a53fc9dce"),
];

fn patch_manager_suffix(region: &str) -> Option<&'static str> {
    PATCH_MANAGER_SUFFIXES
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, s)| *s)
}

/// Regions whose bucket names no AWS source confirms: China, GovCloud, the European
/// Sovereign Cloud, and the commercial regions launched after 2023, whose exceptions
/// (if any) are not documented.
const UNCONFIRMED_BUCKET_REGIONS: &[&str] = &[
    "ap-east-2",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "me-west-1",
    "mx-central-1",
    "sa-west-1",
];

/// The AWS-owned buckets SSM Agent reads in `region`, each with its purpose and
/// source: `agent_buckets: current`, the union that docs/sources.md 2a (correction,
/// 2026-11-28) asks for. These buckets are publicly readable, so granting
/// s3:GetObject on one widens nothing, while leaving one out breaks a feature behind
/// a VPC endpoint:
/// - aws-ssm-R (in me-south-1, `aws-patch-manager-me-south-1-SUFFIX` instead),
///   aws-windows-downloads-R, amazon-ssm-R, amazon-ssm-packages-R,
///   R-birdwatcher-prod (aws-ssm-distributor-file-R in af-south-1 and eu-south-1),
///   aws-ssm-document-attachments-R, patch-baseline-snapshot-R (with the suffix
///   exceptions);
/// - where the region has a documented suffix, aws-patch-manager-R-SUFFIX and
///   aws-patchmanager-macos-R-SUFFIX.
pub fn current_agent_buckets(region: &str) -> Vec<AgentBucket> {
    let mut out = Vec::new();
    let payload_in_patch_manager = RUN_PATCH_BASELINE_FROM_PATCH_MANAGER.contains(&region);
    out.push(if region == "me-south-1" {
        PATCH_MANAGER_ME_SOUTH_1.bucket(region)
    } else if payload_in_patch_manager {
        AWS_SSM.bucket(region)
    } else {
        AWS_SSM_PATCH_PAYLOAD.bucket(region)
    });
    out.push(WINDOWS.bucket(region));
    out.push(AMAZON_SSM.bucket(region));
    out.push(AMAZON_SSM_PACKAGES.bucket(region));
    if DISTRIBUTOR_FILE_REGIONS.contains(&region) {
        out.push(DISTRIBUTOR_FILE.bucket(region));
    } else {
        out.push(BIRDWATCHER.bucket(region));
    }
    out.push(ATTACHMENTS.bucket(region));
    let mut snapshot = SNAPSHOT.bucket(region);
    if let Some((_, name)) = SNAPSHOT_EXCEPTIONS.iter().find(|(r, _)| *r == region) {
        snapshot.name = name.to_string();
    }
    out.push(snapshot);
    if patch_manager_suffix(region).is_some() {
        let patch_manager = if payload_in_patch_manager {
            &PATCH_MANAGER_PATCH_PAYLOAD
        } else {
            &PATCH_MANAGER
        };
        for pattern in [patch_manager, &PATCH_MANAGER_MACOS] {
            let bucket = pattern.bucket(region);
            // me-south-1's Patch Manager bucket is already there, standing in for
            // aws-ssm-me-south-1.
            if !out.iter().any(|b| b.name == bucket.name) {
                out.push(bucket);
            }
        }
    }
    out
}

/// The seed page's six buckets for `region`, exactly as the page writes them, with
/// their purposes; the source of each is the seed page.
pub fn seed_agent_buckets(region: &str) -> Vec<AgentBucket> {
    SEED_BUCKETS
        .iter()
        .map(|b| AgentBucket {
            source: &SEED_PAGE,
            ..b.bucket(region)
        })
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

/// Importing what exists (`adopt`) and reading the account's IAM dump (`drift`).
pub mod adoption;

/// IAM and S3 limits ([IAM] quotas, [BOTO] iam service-2.json, S3 naming rules).
pub mod limits;
pub mod replacement;

/// CloudFormation StackSets with AWS Organizations: partitions, delegated
/// administrators, opt-in regions, deployment ordering.
pub mod stacksets;

/// Why a scanner's finding on a generated resource is the design AWS documents.
pub mod scanners;

/// The IAM text rules, each one value the compiler, the schema and the Terraform
/// module derive their checks from.
pub mod rules;

/// Parameter Store: the read actions, names and what reads parameters on an instance.
pub mod parameters;

#[cfg(test)]
mod tests;

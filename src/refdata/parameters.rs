//! Parameter Store: which actions read a parameter, how a name becomes an ARN, the
//! names Parameter Store accepts, and what reads parameters on an instance
//! (docs/sources.md 9). `parameter_store.readable` narrows what
//! AmazonSSMManagedInstanceCore lets an instance read with a Deny built from these.

use serde_json::{Value, json};

use super::Citation;
use super::rules::{Chars, Class};

const READ: &str = "2026-12-07";

/// The Service Authorization Reference's page for Systems Manager: the actions of
/// access level Read on the `parameter` resource type, and the resource's ARN,
/// `arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}`.
pub const AUTHORIZATION_PAGE: Citation = Citation {
    doc: "Service Authorization Reference, \"Actions, resources, and condition keys for AWS Systems Manager\"",
    url: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html",
    date: READ,
};

/// Every action that returns a parameter's value, each authorized on the `parameter`
/// resource type (`AUTHORIZATION_PAGE`: the Read actions on `parameter*`; the other
/// actions on it write, tag, label or list without values). DescribeParameters
/// returns metadata only and takes no resource.
pub const VALUE_READS: &[&str] = &[
    "ssm:GetParameter",
    "ssm:GetParameterHistory",
    "ssm:GetParameters",
];

/// The read authorized on the path asked for, returning the parameters below it.
pub const PATH_READ: &str = "ssm:GetParametersByPath";

/// "Understanding parameter name requirements and constraints": the characters, the
/// reserved prefixes, the depth and the length of a name; `/TestParam1` and
/// `TestParam1` are the same parameter.
pub const NAMES_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Understanding parameter name requirements and constraints\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html",
    date: READ,
};

/// "Working with hierarchies": GetParametersByPath is authorized on the path, so a
/// principal allowed a path reads every parameter below it.
pub const HIERARCHIES_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Working with parameter hierarchies in Parameter Store\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-hierarchies.html",
    date: READ,
};

/// AWS's public parameters (AMI IDs, regions, services) live under `/aws/service/`
/// in no account (their ARN's account field is empty); every account can read them.
pub const PUBLIC_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Working with public parameters in Parameter Store\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters.html",
    date: READ,
};

/// The public parameters' path, without its leading slash, as in their ARNs.
pub const PUBLIC_PATH: &str = "aws/service";

/// AmazonSSMManagedInstanceCore, version 2 (2019-05-23, unchanged since): allows
/// ssm:GetParameter and ssm:GetParameters on `*`.
pub const CORE_PAGE: Citation = Citation {
    doc: "AWS Managed Policy Reference, \"AmazonSSMManagedInstanceCore\" (version v2, 2019-05-23)",
    url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html",
    date: READ,
};

/// A parameter of another account is read by its full ARN, and only once its owner
/// shares it (a resource policy through AWS RAM, advanced parameters only).
pub const SHARING_PAGE: Citation = Citation {
    doc: "AWS Systems Manager User Guide, \"Working with shared parameters in Parameter Store\"",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html",
    date: READ,
};

/// The account field of the readable ARNs: the account the policy is deployed into,
/// which each target spells at deploy time (`${AWS::AccountId}` in CloudFormation,
/// `aws_caller_identity` in Terraform, the stack's account in the CDK), so
/// `readable` names parameters of this account, as a name without an ARN does in
/// Parameter Store. Another account's parameter is read by its full ARN once its
/// owner shares it (`SHARING_PAGE`); its ARN is not exempt, so the Deny keeps the
/// instance from reading it. (The policy variable `${aws:PrincipalAccount}` would
/// say the same, but cfn-lint refuses it in an ARN, E3510, and so does parliament.)
pub const THIS_ACCOUNT: &str = "the account the policy is deployed into";

/// Something on the instance that reads parameters with the instance's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub what: &'static str,
    /// The parameter names (a trailing `*`: a prefix) it reads, when they are fixed;
    /// empty when the names are the user's.
    pub names: &'static [&'static str],
    pub source: Citation,
}

/// The CloudWatch agent reads its configuration from parameters whose names begin
/// with `AmazonCloudWatch-` (CloudWatchAgentServerPolicy allows ssm:GetParameter on
/// exactly those), when it is configured from Parameter Store
/// (`amazon-cloudwatch-agent-ctl -c ssm:NAME`, AmazonCloudWatch-ManageAgent).
pub const CLOUDWATCH_AGENT: Reader = Reader {
    what: "the CloudWatch agent reads its configuration (amazon-cloudwatch-agent-ctl -c ssm:NAME, the AmazonCloudWatch-ManageAgent document) from parameters named AmazonCloudWatch-*",
    names: &["AmazonCloudWatch-*"],
    source: Citation {
        doc: "Amazon CloudWatch User Guide, \"Create IAM roles and users for use with the CloudWatch agent\" (CloudWatchAgentServerPolicy: ssm:GetParameter on parameter/AmazonCloudWatch-*)",
        url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/create-iam-roles-for-cloudwatch-agent.html",
        date: READ,
    },
};

/// SSM Agent resolves `{{ssm:NAME}}` in the Command documents it runs (Run Command,
/// State Manager associations, Maintenance Window tasks) by calling GetParameters
/// with the machine's credentials (amazon-ssm-agent, agent/parameterstore): an
/// instance profile's, or a hybrid-activated node's service role's. The words name
/// neither, as `explain` says which machine they are about.
pub const DOCUMENT_REFERENCES: Reader = Reader {
    what: "SSM Agent resolves {{ssm:NAME}} in the Command documents and commands it runs (Run Command, State Manager, Maintenance Windows) with ssm:GetParameters, with the role's credentials: a reference to a parameter outside `readable` fails there",
    names: &[],
    source: Citation {
        doc: "AWS Systems Manager User Guide, \"Working with parameters using Run Command commands\"; amazon-ssm-agent agent/parameterstore/parameterstore.go (GetParameters for {{ssm:NAME}})",
        url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-param-runcommand.html",
        date: READ,
    },
};

/// Scripts on the machine (the AWS CLI, SDKs, `Get-SSMParameterValue`) read with its
/// role's credentials like any other caller.
pub const SCRIPTS: Reader = Reader {
    what: "scripts and applications there (the AWS CLI, SDKs, Get-SSMParameterValue in AWS-RunPowerShellScript) read with the role's credentials",
    names: &[],
    source: Citation {
        doc: "AWS Systems Manager User Guide, \"Working with parameters using Run Command commands\"",
        url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-param-runcommand.html",
        date: READ,
    },
};

/// A parameter name (or a name prefix with a trailing `*`) as `readable` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterNameRule {
    /// The longest name this tool accepts: Parameter Store's 1,011 characters count
    /// the ARN before the name, so this is 1,011 less the longest such prefix in any
    /// region of any partition (a test derives it from the region tables).
    pub max: usize,
    /// The most levels of a hierarchy.
    pub depth: usize,
    pub segment: Class,
    /// No name begins with these, in any case (the first level, after its `/`).
    pub reserved: &'static [&'static str],
    pub words: &'static str,
    /// The characters as AWS writes them.
    pub aws_chars: &'static str,
    pub source: Citation,
}

/// What is wrong with a `readable` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameViolation {
    /// Nothing before the `*`: every parameter.
    Everything,
    /// A `*` or `?` anywhere but at the end (a `?` anywhere).
    Wildcard(char),
    Char(char),
    /// The name's length in characters, without its trailing `*`.
    Length(usize),
    /// A `/` inside a name that does not begin with one.
    NotQualified,
    /// Two slashes together, or a name (not a prefix) that ends with `/`.
    EmptyLevel,
    /// The levels the name (or, for a prefix ending in `/`, the names below it) has.
    Depth(usize),
    Reserved(&'static str),
}

impl ParameterNameRule {
    /// The first thing wrong with `entry`, read as a name, or as a prefix when it
    /// ends with `*`.
    pub fn violation(&self, entry: &str) -> Option<NameViolation> {
        let (name, prefix) = match entry.strip_suffix('*') {
            Some(name) => (name, true),
            None => (entry, false),
        };
        if let Some(c) = name.chars().find(|c| matches!(c, '*' | '?')) {
            return Some(NameViolation::Wildcard(c));
        }
        if name.is_empty() || name == "/" {
            return Some(NameViolation::Everything);
        }
        if let Some(c) = name.chars().find(|&c| c != '/' && !self.segment.allows(c)) {
            return Some(NameViolation::Char(c));
        }
        let len = name.chars().count();
        if len > self.max {
            return Some(NameViolation::Length(len));
        }
        let body = match name.strip_prefix('/') {
            Some(body) => body,
            None if name.contains('/') => return Some(NameViolation::NotQualified),
            None => name,
        };
        let mut levels: Vec<&str> = body.split('/').collect();
        // A prefix may end at a level's slash (`/app/prod/*`): its names are a level
        // deeper.
        let open = prefix && levels.last() == Some(&"");
        if levels[..levels.len() - usize::from(open)]
            .iter()
            .any(|l| l.is_empty())
        {
            return Some(NameViolation::EmptyLevel);
        }
        if open {
            levels.pop();
        }
        let depth = levels.len() + usize::from(open);
        if depth > self.depth {
            return Some(NameViolation::Depth(depth));
        }
        let first = levels[0].to_ascii_lowercase();
        self.reserved
            .iter()
            .find(|r| first.starts_with(*r))
            .map(|r| NameViolation::Reserved(r))
    }

    /// The resource of a valid entry in a parameter ARN: its name without the leading
    /// `/` (`/app/prod/*` is `parameter/app/prod/*`, `/region` and `region` are both
    /// `parameter/region`, as they are one parameter).
    pub fn arn_resource(entry: &str) -> &str {
        entry.strip_prefix('/').unwrap_or(entry)
    }

    /// The entry as a portable pattern (characters, the leading `/` a hierarchy
    /// needs, no empty level, the depth, a `*` only at the end). The reserved
    /// prefixes are `reserved_pattern`; the length is `schema`'s `maxLength`.
    pub fn pattern(&self) -> String {
        self.pattern_of(&self.segment.portable())
    }

    /// The same, in RE2 (Terraform's `regex`).
    pub fn re2_pattern(&self) -> String {
        self.pattern_of(&self.segment.re2())
    }

    fn pattern_of(&self, s: &str) -> String {
        let (d, d1) = (self.depth, self.depth - 1);
        format!(r"^((/{s}+){{1,{d}}}|{s}+)\*?$|^(/{s}+){{1,{d1}}}/\*$")
    }

    /// A name beginning with a reserved prefix, in any case: `^/?([aA][wW][sS]|...)`.
    pub fn reserved_pattern(&self) -> String {
        let either = |c: char| format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase());
        let words: Vec<String> = self
            .reserved
            .iter()
            .map(|w| w.chars().map(either).collect())
            .collect();
        format!("^/?({})", words.join("|"))
    }

    /// The JSON Schema keywords of a `readable` entry: `max` characters, and one
    /// more for a trailing `*`.
    pub fn schema(&self) -> Value {
        json!({
            "pattern": self.pattern(),
            "not": { "pattern": self.reserved_pattern() },
            "anyOf": [
                { "maxLength": self.max },
                { "maxLength": self.max + 1, "pattern": r"\*$" },
            ],
        })
    }
}

/// The longest ARN before a name: `arn:aws-us-gov:ssm:us-gov-east-1:123456789012:parameter/`
/// is 56 characters, so a name has 1,011 - 56 = 955.
pub const PARAMETER_NAME: ParameterNameRule = ParameterNameRule {
    max: 955,
    depth: 15,
    segment: Class(&[
        Chars::Range('A', 'Z'),
        Chars::Range('a', 'z'),
        Chars::Range('0', '9'),
        Chars::Each("_.-"),
    ]),
    reserved: &["aws", "ssm"],
    words: "letters, digits and _.- in levels separated by /",
    aws_chars: "a-zA-Z0-9_.-",
    source: NAMES_PAGE,
};

/// Parameter Store's limit on a name with the ARN before it.
pub const NAME_WITH_ARN_MAX: usize = 1011;

#[cfg(test)]
mod tests;

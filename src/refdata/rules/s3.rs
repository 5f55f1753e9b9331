//! The S3 bucket name rule and the KMS key ARN rule, each one value from which the
//! compiler's check (`violation`) and the JSON Schema (`schema`, `pattern`) are
//! derived; tests/rules.rs judges their boundary values by both.

use std::ops::RangeInclusive;

use serde_json::{Value, json};

use super::{ACCOUNT_ID, Chars, Class, alternatives};
use crate::refdata::Citation;

/// A general purpose bucket's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketNameRule {
    /// Length in bytes (every allowed character is one).
    pub length: RangeInclusive<usize>,
    pub class: Class,
    /// What the first and the last character must be.
    pub ends: Class,
    /// Substrings a name must not hold.
    pub never: &'static [&'static str],
    pub reserved_prefixes: &'static [&'static str],
    pub reserved_suffixes: &'static [&'static str],
    pub source: Citation,
}

/// Four dot-separated runs of one to three digits: "formatted as an IP address".
const IP_ADDRESS: &str = r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$";

fn looks_like_ip_address(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 4
        && (parts.iter())
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

impl BucketNameRule {
    pub fn min(&self) -> usize {
        *self.length.start()
    }

    pub fn max(&self) -> usize {
        *self.length.end()
    }

    /// What is wrong with `name`, in the words of a message ("it must ..."), or
    /// `None` for a name S3 accepts.
    pub fn violation(&self, name: &str) -> Option<String> {
        if !self.length.contains(&name.len()) {
            return Some(format!(
                "it must be {} to {} characters long",
                self.min(),
                self.max()
            ));
        }
        if let Some(c) = name.chars().find(|c| !self.class.allows(*c)) {
            return Some(format!(
                "{c:?} is not allowed (lowercase letters, digits, `.` and `-` only)"
            ));
        }
        let end_ok = |c: Option<char>| c.is_some_and(|c| self.ends.allows(c));
        if !end_ok(name.chars().next()) || !end_ok(name.chars().last()) {
            return Some("it must begin and end with a letter or digit".into());
        }
        if let Some(s) = self.never.iter().find(|s| name.contains(**s)) {
            return Some(format!("it must not contain `{s}`"));
        }
        if looks_like_ip_address(name) {
            return Some("it must not look like an IP address".into());
        }
        if let Some(p) = self
            .reserved_prefixes
            .iter()
            .find(|p| name.starts_with(**p))
        {
            return Some(format!("the prefix `{p}` is reserved"));
        }
        if let Some(s) = self.reserved_suffixes.iter().find(|s| name.ends_with(**s)) {
            return Some(format!("the suffix `{s}` is reserved"));
        }
        None
    }

    /// The JSON Schema of a bucket name field.
    pub fn schema(&self) -> Value {
        let (ends, class) = (self.ends.portable(), self.class.portable());
        let mut not: Vec<Value> = (self.never.iter())
            .map(|s| json!({ "not": { "type": "string", "pattern": alternatives(&[s]) } }))
            .collect();
        not.push(json!({ "not": { "type": "string", "pattern": IP_ADDRESS } }));
        not.push(json!({ "not": { "type": "string", "pattern": format!("^({})", alternatives(self.reserved_prefixes)) } }));
        not.push(json!({ "not": { "type": "string", "pattern": format!("({})$", alternatives(self.reserved_suffixes)) } }));
        json!({
            "type": "string",
            "description": "An S3 bucket name: lowercase letters, digits, `.` and `-`, beginning and ending with a letter or digit; not an IP address, no reserved prefix or suffix.",
            "minLength": self.min(),
            "maxLength": self.max(),
            "pattern": format!("^{ends}{class}*{ends}$"),
            "allOf": not,
        })
    }
}

pub const BUCKET_NAME: BucketNameRule = BucketNameRule {
    length: 3..=63,
    class: Class(&[
        Chars::Range('a', 'z'),
        Chars::Range('0', '9'),
        Chars::Each(".-"),
    ]),
    ends: Class(&[Chars::Range('a', 'z'), Chars::Range('0', '9')]),
    never: &[".."],
    reserved_prefixes: &["xn--", "sthree-", "amzn-s3-demo-"],
    reserved_suffixes: &["-s3alias", "--ol-s3", ".mrap", "--x-s3"],
    source: Citation {
        doc: "Amazon S3 User Guide, General purpose bucket naming rules",
        url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        date: "2026-12-07",
    },
};

/// A KMS key ARN, `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`: a policy grants
/// the use of a key (kms:Decrypt, kms:GenerateDataKey) on its key ARN, so alias
/// ARNs are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsKeyArnRule {
    pub key_id: Class,
    pub source: Citation,
}

impl KmsKeyArnRule {
    /// What is wrong with `arn` for a profile in partition `partition` (its ARN
    /// id) with `regions`, or `None`.
    pub fn violation(&self, arn: &str, partition: &str, regions: &[&str]) -> Option<String> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() != 6 || parts[0] != "arn" || parts[2] != "kms" {
            return Some("expected `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`".into());
        }
        if parts[1] != partition {
            return Some(format!(
                "its partition `{}` is not the profile's partition `{partition}`",
                parts[1]
            ));
        }
        if !regions.contains(&parts[3]) {
            return Some(format!(
                "`{}` is not a region of partition {partition}",
                parts[3]
            ));
        }
        if ACCOUNT_ID.violation(parts[4]).is_some() {
            return Some(format!("`{}` is not a 12-digit account ID", parts[4]));
        }
        let Some(id) = parts[5].strip_prefix("key/") else {
            return Some(
                "the resource must be `key/KEY-ID` (a policy grants the use of a key on its key ARN, not on an alias ARN)".into(),
            );
        };
        if id.is_empty() || !id.chars().all(|c| self.key_id.allows(c)) {
            return Some(format!("`{id}` is not a key ID"));
        }
        None
    }

    /// The whole ARN as a portable pattern, for a partition and its regions.
    pub fn pattern(&self, partition: &str, regions: &[&str]) -> String {
        format!(
            "^arn:{partition}:kms:({}):{}:key/{}+$",
            alternatives(regions),
            ACCOUNT_ID.unanchored(),
            self.key_id.portable()
        )
    }
}

pub const KMS_KEY_ARN: KmsKeyArnRule = KmsKeyArnRule {
    key_id: Class(&[
        Chars::Range('A', 'Z'),
        Chars::Range('a', 'z'),
        Chars::Range('0', '9'),
        Chars::Each("-"),
    ]),
    source: Citation {
        doc: "AWS Key Management Service Developer Guide, Key identifiers (KeyId)",
        url: "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id",
        date: "2026-12-07",
    },
};

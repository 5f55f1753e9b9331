//! Spec v1 as it is written in the file: serde types that mirror the YAML/JSON
//! one to one. Nothing here is validated beyond its shape; `model` owns every rule.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub version: u32,
    pub profiles: Vec<ProfileSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    #[default]
    InstanceProfile,
    HybridServiceRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartitionName {
    #[default]
    Aws,
    AwsCn,
    AwsUsGov,
    AwsEusc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgentBuckets {
    /// Today's documented list, with the per-region exceptions.
    #[default]
    Current,
    /// The six buckets of the seed page, as written there.
    Seed,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    pub name: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub partition: PartitionName,
    #[serde(default)]
    pub existing_role: Option<String>,
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    #[serde(default, deserialize_with = "unique_map")]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub managed_policies: ManagedPoliciesSpec,
    /// The account's quota of managed policies per role, when raised above IAM's
    /// default of 10 (10 to 25).
    #[serde(default)]
    pub managed_policy_quota: Option<u32>,
    #[serde(default)]
    pub s3: Option<S3Spec>,
    #[serde(default)]
    pub session_manager: Option<SessionManagerSpec>,
    #[serde(default)]
    pub hybrid: Option<HybridSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPoliciesSpec {
    #[serde(default = "yes")]
    pub core: bool,
    #[serde(default)]
    pub directory_service: bool,
    #[serde(default)]
    pub cloudwatch_agent: bool,
    #[serde(default)]
    pub patch_association: bool,
    #[serde(default)]
    pub additional: Vec<String>,
}

impl Default for ManagedPoliciesSpec {
    fn default() -> Self {
        ManagedPoliciesSpec {
            core: true,
            directory_service: false,
            cloudwatch_agent: false,
            patch_association: false,
            additional: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct S3Spec {
    #[serde(default)]
    pub policy_name: Option<String>,
    #[serde(default)]
    pub vpc_endpoint_regions: Vec<String>,
    #[serde(default)]
    pub agent_buckets: AgentBuckets,
    #[serde(default)]
    pub buckets: Vec<BucketSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    pub name: String,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default)]
    pub cross_account: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SessionManagerSpec {
    #[serde(default)]
    pub kms_key_arn: Option<String>,
    #[serde(default)]
    pub s3_logging: Option<LoggingBucketSpec>,
    #[serde(default)]
    pub cloudwatch_logging: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingBucketSpec {
    pub bucket: String,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default)]
    pub cross_account: bool,
    /// The SSE-KMS key of the log bucket: kms:GenerateDataKey on it.
    #[serde(default)]
    pub kms_key_arn: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HybridSpec {
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

/// Both YAML and JSON readers keep the last of two equal keys when filling a map;
/// a tag written twice is almost always a mistake, so it is an error here.
fn unique_map<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    struct UniqueMap;
    impl<'de> Visitor<'de> for UniqueMap {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of tag keys to tag values")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            // A tag written with no value (`team:`, `~`, `null`) has the empty value,
            // which IAM allows, rather than the text "null".
            while let Some((key, value)) = map.next_entry::<String, Option<String>>()? {
                let value = value.unwrap_or_default();
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "tag `{key}` is given twice"
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(UniqueMap)
}

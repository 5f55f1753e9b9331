//! `schema`: the JSON Schema (draft 2020-12) of spec v1 for editors and pipelines.
//!
//! The shape comes from the spec types (`schemars` derives it from `spec.rs`, with
//! serde's attributes: unknown fields, defaults, renames) and the descriptions from
//! their doc comments. This module adds the rules, from the reference data and limits
//! the compiler checks with (`refdata`), so the two cannot drift apart on regions,
//! lengths or reserved names. A rule names the type and field it constrains; a field
//! that no longer exists fails every schema test.
//!
//! Every pattern is portable: it means the same in ECMA-262 with the `u` flag (ajv,
//! editors), Python's `re` (`jsonschema`) and Rust's `regex` (the `jsonschema` crate),
//! so it uses only literal characters, classes, `\xHH` escapes and escaped syntax
//! characters. One difference remains: Python's `$` also matches before a final
//! newline, so Python alone accepts a name ending in one line break.
//!
//! The schema never rejects what the compiler accepts, except numbers where a string
//! belongs (YAML reads `account_id: 111122223333` as a number). It says in
//! `description`, and the compiler checks:
//! - names unique across profiles (IAM ignores case) and derived identifiers unique;
//! - the total of managed policies (built-in, additional and the policies the S3
//!   statements split into) against 10 or `managed_policy_quota`; only `additional`
//!   alone is capped (at 25, IAM's most);
//! - a bucket listed twice with the same prefix, an additional ARN equal to a
//!   built-in one;
//! - the prefix's length in bytes (JSON Schema counts characters);
//! - which non-ASCII characters a tag may hold (Unicode letters, separators and
//!   numbers, not combining marks): a portable pattern cannot name Unicode classes,
//!   so the schema checks the ASCII ones and lets the others through; and tag keys
//!   that differ only in case.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::refdata::{self, Confirmed, limits};
use crate::spec::{
    AgentBuckets, BucketSpec, HybridSpec, Kind, LoggingBucketSpec, ManagedPoliciesSpec,
    PartitionName, ProfileSpec, RolloutSpec, S3Spec, SessionManagerSpec, Spec,
};

/// The characters of IAM names (roles, policies, instance profiles).
const IAM_NAME_CHAR: &str = "[A-Za-z0-9_+=,.@-]";
/// An IAM path as the model accepts it (CloudFormation's ManagedPolicy pattern):
/// `/` or `/segment/.../` of letters, digits and `.,+@=_-`.
const PATH: &str = r"^/([A-Za-z0-9.,+@=_-]+/)*$";
/// Tag characters: IAM allows Unicode letters, digits and spaces and `_.:/=+-@`. The
/// pattern refuses every other ASCII character and the control characters
/// (U+0000-U+001F, U+007F-U+009F); other non-ASCII characters pass, for the compiler
/// to judge.
const TAG_CHARS: &str = r"^[^\x00-\x1f\x21-\x2a\x2c\x3b\x3c\x3e\x3f\x5b-\x5e\x60\x7b-\x9f]*$";
/// What a description says about a rule that the compiler checks and this schema
/// cannot.
const COMPILER_CHECKS: &str = "The compiler also checks:";

/// The schema of spec v1: what schemars derives from the spec types, then three
/// transforms: the rules, tidying, and the keyword order.
pub fn schema() -> Value {
    SchemaSettings::draft2020_12()
        .with_transform(on_json(|v| Root(v).add_rules()))
        .with_transform(on_json(tidy))
        .with_transform(on_json(canonical))
        .into_generator()
        .into_root_schema_for::<Spec>()
        .to_value()
}

/// A schemars transform that edits the root schema as JSON.
fn on_json(edit: fn(&mut Value)) -> impl FnMut(&mut Schema) + Clone + Send + 'static {
    move |schema: &mut Schema| {
        let mut value = std::mem::take(schema).to_value();
        edit(&mut value);
        *schema = Schema::try_from(value).expect("a schema stays an object");
    }
}

/// The schema as `ssm-profile schema` prints it.
pub fn schema_text() -> String {
    crate::text::pretty_json(&schema())
}

/// The generated schema, addressed by spec type and field.
struct Root<'a>(&'a mut Value);

impl Root<'_> {
    fn top(&mut self) -> &mut Map<String, Value> {
        self.0.as_object_mut().expect("a schema is an object")
    }

    /// The definition of the spec type `T`.
    fn def<T: JsonSchema>(&mut self) -> &mut Map<String, Value> {
        let name = T::schema_name();
        self.0["$defs"]
            .get_mut(name.as_ref())
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("the schema has no definition of {name}"))
    }

    /// Adds `rule` to the schema of `field` of the spec type `T`.
    fn field<T: JsonSchema>(&mut self, field: &str, rule: Value) {
        let def = self.def::<T>();
        constrain(property(def, field), rule);
    }

    fn add_rules(&mut self) {
        let top = self.top();
        top.insert("title".into(), json!("ssm-profile spec, version 1"));
        top.insert(
            "description".into(),
            json!(format!(
                "The input of ssm-profile {}: IAM role, instance profile and policies for AWS Systems Manager. Generated by `ssm-profile schema`.",
                env!("CARGO_PKG_VERSION")
            )),
        );
        let version = property(top, "version");
        constrain(version, json!({ "const": 1 }));
        if let Some(v) = version.as_object_mut() {
            v.remove("minimum"); // the u32's, which `const` makes moot
        }
        constrain(
            property(top, "profiles"),
            json!({
                "minItems": 1,
                // One Default Host Management setting per account and region.
                "contains": { "type": "object", "required": ["kind"], "properties": { "kind": { "const": id(Kind::DefaultHostManagement) } } },
                "minContains": 0,
                "maxContains": 1,
            }),
        );
        self.profile_rules();
        self.policy_rules();
        self.bucket_rules();
        self.field::<HybridSpec>("account_id", json!({ "pattern": "^[0-9]{12}$" }));
        self.rollout_rules();
    }

    fn rollout_rules(&mut self) {
        // CreateStackSet's StackSetName, with room for the setting's `-dhmc-setting`.
        self.field::<RolloutSpec>(
            "name",
            json!({
                "pattern": "^[A-Za-z][-A-Za-z0-9]*$",
                "maxLength": limits::STACK_SET_NAME_MAX - crate::spec::SETTING_STACK_SET_SUFFIX.len(),
            }),
        );
        // The StackSet schema's OrganizationalUnitId, as `model::rollout` checks it.
        self.field::<RolloutSpec>(
            "organizational_units",
            json!({
                "minItems": 1,
                "uniqueItems": true,
                "items": { "pattern": "^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$" },
            }),
        );
        // Any partition's regions: the compiler checks them against the profiles'.
        let regions: Vec<&str> = partitions()
            .into_iter()
            .flat_map(|p| refdata::partition(p).regions.iter().copied())
            .collect();
        self.field::<RolloutSpec>(
            "iam_region",
            json!({
                "enum": regions,
                "description": format!("{COMPILER_CHECKS} the region is of the profiles' partition, which every profile shares."),
            }),
        );
        self.field::<RolloutSpec>(
            "regions",
            json!({
                "minItems": 1,
                "uniqueItems": true,
                "items": { "enum": regions },
                "description": format!(
                    "{COMPILER_CHECKS} the regions are of the profiles' partition; with a default-host-management profile, none is one where CloudFormation has no AWS::SSM::ServiceSetting ({}).",
                    refdata::dhmc::NO_SERVICE_SETTING_RESOURCE.join(", ")
                ),
            }),
        );
        // AutoDeployment takes RetainStacksOnAccountRemoval only when enabled.
        self.def::<RolloutSpec>().insert(
            "if".into(),
            json!({ "required": ["auto_deployment"], "properties": { "auto_deployment": { "const": false } } }),
        );
        self.def::<RolloutSpec>().insert(
            "then".into(),
            json!({ "properties": { "retain_stacks_on_account_removal": { "const": false } } }),
        );
    }

    fn profile_rules(&mut self) {
        let mut name = iam_name(limits::ROLE_NAME_MAX);
        // At least one letter or digit: resource identifiers are derived from them.
        name["pattern"] = json!(format!("^{IAM_NAME_CHAR}*[A-Za-z0-9]{IAM_NAME_CHAR}*$"));
        name["description"] = json!(format!(
            "{COMPILER_CHECKS} names differ across profiles, ignoring case (as IAM does), and so do the resource identifiers made of their letters and digits."
        ));
        self.field::<ProfileSpec>("name", name);
        self.field::<ProfileSpec>(
            "description",
            json!({
                "maxLength": limits::DESCRIPTION_MAX,
                "pattern": r"^[\t\n\r\x20-\x7e\xa1-\xff]*$",
            }),
        );
        self.field::<ProfileSpec>(
            "path",
            json!({ "maxLength": limits::PATH_MAX, "pattern": PATH }),
        );
        self.field::<ProfileSpec>("existing_role", iam_name(limits::ROLE_NAME_MAX));
        self.field::<ProfileSpec>(
            "permissions_boundary",
            json!({ "pattern": policy_arn(&any_partition()) }),
        );
        self.field::<ProfileSpec>(
            "max_session_duration",
            json!({
                "minimum": limits::SESSION_DURATION.start(),
                "maximum": limits::SESSION_DURATION.end(),
            }),
        );
        self.field::<ProfileSpec>("tags", tags());
        let mut all_of = vec![
            // `hybrid` belongs to hybrid service roles only.
            json!({
                "if": { "required": ["kind"], "properties": { "kind": { "const": id(Kind::HybridServiceRole) } } },
                "else": { "properties": { "hybrid": { "type": "null" } } },
            }),
            // The DHMC role is the spec's own, and gets the DHMC policy instead of core.
            json!({
                "if": { "required": ["kind"], "properties": { "kind": { "const": id(Kind::DefaultHostManagement) } } },
                "then": { "properties": {
                    "existing_role": { "type": "null" },
                    "managed_policies": { "type": "object", "properties": { "core": { "type": "null" } } },
                } },
            }),
            // An existing role's own properties are not this spec's to set.
            json!({
                "if": { "required": ["existing_role"], "properties": { "existing_role": { "type": "string" } } },
                "then": { "properties": {
                    "description": { "type": "null" },
                    "permissions_boundary": { "type": "null" },
                    "max_session_duration": { "type": "null" },
                    "hybrid": { "type": "null" },
                } },
            }),
        ];
        all_of.extend(partitions().into_iter().map(partition_rule));
        self.def::<ProfileSpec>()
            .insert("allOf".into(), Value::Array(all_of));
    }

    fn policy_rules(&mut self) {
        self.field::<ManagedPoliciesSpec>(
            "additional",
            json!({
                "maxItems": limits::MANAGED_POLICY_QUOTA.end(),
                "uniqueItems": true,
                "items": { "pattern": policy_arn(&any_partition()) },
                "description": format!("{COMPILER_CHECKS} no ARN names a policy that a field above selects already."),
            }),
        );
        let quota = format!(
            "{COMPILER_CHECKS} the role holds at most {} managed policies, or `managed_policy_quota`: these, and the policies the compiler writes.",
            limits::MANAGED_POLICIES_PER_ROLE
        );
        constrain(
            property(self.def::<ProfileSpec>(), "managed_policies"),
            json!({ "description": quota }),
        );
        self.field::<ProfileSpec>(
            "managed_policy_quota",
            json!({
                "minimum": limits::MANAGED_POLICY_QUOTA.start(),
                "maximum": limits::MANAGED_POLICY_QUOTA.end(),
            }),
        );
        self.field::<S3Spec>("policy_name", iam_name(limits::POLICY_NAME_MAX));
        self.field::<S3Spec>("vpc_endpoint_regions", json!({ "uniqueItems": true }));
        self.field::<S3Spec>(
            "buckets",
            json!({ "description": format!("{COMPILER_CHECKS} no bucket is listed twice with the same prefix.") }),
        );
        // The policy must grant something.
        self.def::<S3Spec>().insert(
            "anyOf".into(),
            json!([
                { "required": ["vpc_endpoint_regions"], "properties": { "vpc_endpoint_regions": { "type": "array", "minItems": 1 } } },
                { "required": ["buckets"], "properties": { "buckets": { "type": "array", "minItems": 1 } } },
            ]),
        );
        self.def::<SessionManagerSpec>().insert(
            "anyOf".into(),
            json!([
                { "required": ["kms_key_arn"], "properties": { "kms_key_arn": { "type": "string" } } },
                { "required": ["s3_logging"], "properties": { "s3_logging": { "type": "object" } } },
                { "required": ["cloudwatch_logging"], "properties": { "cloudwatch_logging": { "const": true } } },
            ]),
        );
    }

    fn bucket_rules(&mut self) {
        let defs = self.0["$defs"].as_object_mut().expect("$defs is an object");
        defs.insert("BucketName".into(), bucket_name());
        defs.insert("KeyPrefix".into(), key_prefix());
        let bucket_name = json!({ "$ref": "#/$defs/BucketName" });
        let key_prefix = json!({ "$ref": "#/$defs/KeyPrefix" });
        self.field::<BucketSpec>("name", bucket_name.clone());
        self.field::<BucketSpec>("prefix", key_prefix.clone());
        self.field::<LoggingBucketSpec>("bucket", bucket_name);
        self.field::<LoggingBucketSpec>("prefix", key_prefix);
    }
}

/// The schema of `field` among the properties of `def`.
fn property<'a>(def: &'a mut Map<String, Value>, field: &str) -> &'a mut Value {
    def.get_mut("properties")
        .and_then(|p| p.get_mut(field))
        .unwrap_or_else(|| panic!("the schema has no field {field}"))
}

/// Adds the keywords of `rule` to `schema`: a description is appended to the one the
/// doc comment gave, a subschema is merged the same way, and any other keyword
/// replaces what the types said.
fn constrain(schema: &mut Value, rule: Value) {
    let schema = schema.as_object_mut().expect("a field schema is an object");
    let Value::Object(rule) = rule else {
        panic!("a rule is an object")
    };
    for (keyword, value) in rule {
        match (schema.get_mut(&keyword), value) {
            (Some(Value::String(doc)), Value::String(more)) if keyword == "description" => {
                doc.push(' ');
                doc.push_str(&more);
            }
            (Some(sub @ Value::Object(_)), more @ Value::Object(_)) => constrain(sub, more),
            (_, value) => {
                schema.insert(keyword, value);
            }
        }
    }
}

/// A unit variant's name in the spec: `hybrid-service-role`.
fn id(variant: impl Serialize) -> String {
    match serde_json::to_value(variant) {
        Ok(Value::String(s)) => s,
        other => panic!("a unit variant serialises as a string, not {other:?}"),
    }
}

/// Every partition, as the spec type lists them (an `enum`, or a `oneOf` of `const`s
/// once the variants have doc comments).
fn partitions() -> Vec<PartitionName> {
    let schema = schemars::schema_for!(PartitionName);
    let values: Vec<&Value> = match (schema.get("enum"), schema.get("oneOf")) {
        (Some(Value::Array(values)), _) => values.iter().collect(),
        (_, Some(Value::Array(variants))) => variants.iter().map(|v| &v["const"]).collect(),
        _ => panic!("PartitionName's schema lists no values: {schema:?}"),
    };
    values
        .into_iter()
        .map(|v| serde_json::from_value(v.clone()).expect("a partition the spec reads"))
        .collect()
}

fn any_partition() -> String {
    let ids: Vec<String> = partitions().into_iter().map(id).collect();
    format!("({})", ids.join("|"))
}

fn iam_name(max: usize) -> Value {
    json!({
        "minLength": 1,
        "maxLength": max,
        "pattern": format!("^{IAM_NAME_CHAR}+$"),
    })
}

fn policy_arn(partition: &str) -> String {
    format!(
        r"^arn:{partition}:iam::(aws|[0-9]{{12}}):policy/([A-Za-z0-9.,+@=_-]+/)*{IAM_NAME_CHAR}{{1,{}}}$",
        limits::POLICY_NAME_MAX
    )
}

fn tags() -> Value {
    json!({
        "maxProperties": limits::TAGS_MAX,
        "propertyNames": {
            "minLength": 1,
            "maxLength": limits::TAG_KEY_MAX,
            "pattern": TAG_CHARS,
            "not": { "type": "string", "pattern": "^[aA][wW][sS]:" },
        },
        "additionalProperties": {
            "maxLength": limits::TAG_VALUE_MAX,
            "pattern": TAG_CHARS,
        },
        "description": format!("Keys and values are letters, separators (such as spaces), numbers and _.:/=+-@; keys do not begin with `aws:`. {COMPILER_CHECKS} the non-ASCII characters are Unicode letters, separators or numbers (combining marks are not letters), and no two keys differ only in case."),
    })
}

fn bucket_name() -> Value {
    json!({
        "type": "string",
        "description": "An S3 bucket name: lowercase letters, digits, `.` and `-`, beginning and ending with a letter or digit; not an IP address, no reserved prefix or suffix.",
        "minLength": limits::BUCKET_NAME.start(),
        "maxLength": limits::BUCKET_NAME.end(),
        "pattern": "^[a-z0-9][a-z0-9.-]*[a-z0-9]$",
        "allOf": [
            { "not": { "type": "string", "pattern": r"\.\." } },
            { "not": { "type": "string", "pattern": r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$" } },
            { "not": { "type": "string", "pattern": format!("^({})", alternatives(limits::BUCKET_PREFIXES_RESERVED)) } },
            { "not": { "type": "string", "pattern": format!("({})$", alternatives(limits::BUCKET_SUFFIXES_RESERVED)) } },
        ],
    })
}

/// An optional key prefix: null is no prefix.
fn key_prefix() -> Value {
    json!({
        "type": ["string", "null"],
        "description": format!("Not only slashes; no wildcards (`*`, `?`), policy variables (`${{`) or control characters; printable ASCII and Latin-1 only, what IAM accepts in a policy document. {COMPILER_CHECKS} its length in bytes, which must leave room for object names in an S3 key."),
        "pattern": "[^/]",
        "allOf": [
            { "not": { "type": "string", "pattern": r"[*?]|\$\{" } },
            { "pattern": r"^[\x20-\x7e\xa0-\xff]*$" },
        ],
    })
}

/// The rules that depend on the profile's partition: ARNs and region lists.
fn partition_rule(p: PartitionName) -> Value {
    let id = id(p);
    let regions = refdata::partition(p).regions;
    let confirmed: Vec<&str> = regions
        .iter()
        .copied()
        .filter(|r| refdata::agent_buckets_confirmed(p, r) == Confirmed::Yes)
        .collect();
    // Absent is the default partition: `properties` holds when the field is absent.
    let selected = if p == PartitionName::default() {
        json!({ "properties": { "partition": { "const": id } } })
    } else {
        json!({ "required": ["partition"], "properties": { "partition": { "const": id } } })
    };
    let current_regions = if confirmed.is_empty() {
        // No bucket names are documented for this partition: only `seed` may list regions.
        json!({ "type": "array", "maxItems": 0 })
    } else {
        json!({ "type": "array", "items": { "enum": confirmed } })
    };
    let kms_key = format!(
        "^arn:{id}:kms:({}):[0-9]{{12}}:key/[A-Za-z0-9-]+$",
        alternatives(regions)
    );
    // Each subschema restates its field's type: ajv's strict mode asks for it.
    json!({
        "if": selected,
        "then": {
            "properties": {
                "permissions_boundary": { "type": ["string", "null"], "pattern": policy_arn(&id) },
                "managed_policies": { "type": "object", "properties": { "additional": {
                    "type": "array", "items": { "type": "string", "pattern": policy_arn(&id) },
                } } },
                "s3": {
                    "type": ["object", "null"],
                    "properties": { "vpc_endpoint_regions": { "type": "array", "items": { "enum": regions } } },
                    "if": { "required": ["agent_buckets"], "properties": { "agent_buckets": { "const": self::id(AgentBuckets::Seed) } } },
                    "else": { "properties": { "vpc_endpoint_regions": current_regions } },
                },
                "session_manager": { "type": ["object", "null"], "properties": {
                    "kms_key_arn": { "type": ["string", "null"], "pattern": kms_key.clone() },
                    "s3_logging": { "type": ["object", "null"], "properties": {
                        "kms_key_arn": { "type": ["string", "null"], "pattern": kms_key },
                    } },
                } },
                "hybrid": { "type": ["object", "null"], "properties": { "region": { "enum": nullable(regions) } } },
            },
        },
    })
}

fn nullable(values: &[&str]) -> Vec<Value> {
    std::iter::once(Value::Null)
        .chain(values.iter().map(|v| json!(v)))
        .collect()
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            // Only syntax characters: ECMA-262's unicode mode, which editors use,
            // rejects escapes such as `\-` outside a character class.
            if "\\.+*?()|[]{}^$/".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

fn alternatives(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| regex_escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// Keywords in the order the schema prints them: what a value is, then the
/// combinations of subschemas; anything else follows, sorted.
const KEYWORD_ORDER: &str = "$schema title description $ref type const enum properties required \
    additionalProperties propertyNames maxProperties items minItems maxItems uniqueItems minLength \
    maxLength pattern minimum maximum oneOf anyOf allOf not if then else default $defs";

/// Orders the keywords of every schema in `value` by `KEYWORD_ORDER`, so the text does
/// not depend on the order in which schemars and the rules wrote them. The names of
/// properties and definitions keep their order (the spec types' field order).
fn canonical(value: &mut Value) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            items.iter_mut().for_each(canonical);
        }
        return;
    };
    let rank = |k: &str| {
        let known = KEYWORD_ORDER.split_whitespace().position(|o| o == k);
        known.unwrap_or(usize::MAX)
    };
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    entries.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    for (key, mut v) in entries {
        match (key.as_str(), &mut v) {
            ("properties" | "$defs", Value::Object(named)) => {
                named.values_mut().for_each(canonical)
            }
            ("default" | "const" | "enum", _) => {}
            _ => canonical(&mut v),
        }
        map.insert(key, v);
    }
}

/// What the derived schema says that the spec does not mean, or says untidily: the
/// integer formats schemars names (`uint32`, which ajv's strict mode refuses as an
/// unknown format) and doc comments' line breaks inside a paragraph.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
            {
                map.remove("format");
            }
            if let Some(Value::String(d)) = map.get_mut("description") {
                *d = d
                    .split("\n\n")
                    .map(|para| para.split('\n').collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n\n");
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partition_has_a_rule() {
        assert_eq!(partitions().len(), 4);
        assert_eq!(id(PartitionName::AwsUsGov), "aws-us-gov");
        assert!(any_partition().contains("|aws-eusc"));
    }

    #[test]
    fn regex_metacharacters_are_escaped() {
        assert_eq!(alternatives(&[".mrap", "--x-s3"]), r"\.mrap|--x-s3");
    }

    #[test]
    fn the_text_is_the_same_every_time() {
        assert_eq!(schema_text(), schema_text());
    }
}

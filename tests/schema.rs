//! The JSON Schema of spec v1 against the compiler: it accepts every valid fixture,
//! rejects every invalid fixture that JSON Schema can describe, and agrees with the
//! compiler on a table of edge cases. Validation uses the `jsonschema` crate (a dev
//! dependency only), so these tests run wherever `cargo test` runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use ssm_profile::source::Source;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn validator() -> jsonschema::Validator {
    let schema = ssm_profile::schema::schema();
    assert!(
        jsonschema::meta::is_valid(&schema),
        "the schema is not a valid draft 2020-12 schema"
    );
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// A spec file as the data an editor validates (YAML is read as JSON data).
fn data(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())
    }
}

fn spec_in(dir: &Path) -> Option<PathBuf> {
    ["spec.yaml", "spec.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| spec_in(&e.unwrap().path()))
        .collect();
    out.sort();
    out
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_what_the_command_prints() {
    let out = Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let committed = fs::read_to_string(root().join("docs/spec.schema.json")).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "docs/spec.schema.json is stale: run `cargo run -q -- schema > docs/spec.schema.json`"
    );
}

#[test]
fn every_valid_fixture_validates() {
    let v = validator();
    let specs = cases(&root().join("fixtures"));
    assert!(specs.len() >= 12);
    for spec in specs {
        let errs = errors(&v, &data(&spec).unwrap());
        assert!(errs.is_empty(), "{}: {errs:#?}", spec.display());
    }
}

#[test]
fn the_starter_spec_validates() {
    let v = validator();
    let starter: Value = serde_yaml::from_str(ssm_profile::workflow::STARTER).unwrap();
    assert_eq!(errors(&v, &starter), Vec::<String>::new());
}

/// Invalid fixtures the schema cannot reject, and why. Each must really be accepted
/// by the schema, so the list cannot hide a regression.
const BEYOND_JSON_SCHEMA: &[(&str, &str)] = &[
    (
        "duplicate-names",
        "names unique across profiles, ignoring case",
    ),
    (
        "too-many-policies",
        "the total of managed policies, built-in and additional",
    ),
    (
        "duplicate-tag",
        "a key written twice: the data an editor validates keeps only one",
    ),
    (
        "cfn-too-many-outputs",
        "CloudFormation's 200 outputs per template: a quota of one target's output, not of the spec",
    ),
    (
        "quota-exceeded-raised",
        "the total of managed policies, against the spec's own managed_policy_quota",
    ),
    (
        "tag-key-case",
        "tag keys that differ only in case: JSON Schema compares property names exactly",
    ),
];

/// Invalid fixtures that are not valid YAML/JSON data at all: editors report them as
/// syntax errors before any schema applies.
const NOT_DATA: &[&str] = &["yaml-syntax"];

#[test]
fn invalid_fixtures_are_rejected_where_json_schema_can_say_it() {
    let v = validator();
    let mut rejected = 0;
    for spec in cases(&root().join("fixtures/invalid")) {
        let case = spec
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let instance = match data(&spec) {
            Ok(d) => d,
            Err(e) => {
                assert!(NOT_DATA.contains(&case.as_str()), "{case}: not data ({e})");
                continue;
            }
        };
        assert!(!NOT_DATA.contains(&case.as_str()), "{case} parses as data");
        let valid = v.is_valid(&instance);
        let beyond = BEYOND_JSON_SCHEMA.iter().any(|(c, _)| *c == case);
        if beyond {
            assert!(
                valid,
                "{case} is listed as beyond JSON Schema but is rejected"
            );
        } else {
            assert!(!valid, "{case}: the schema accepts an invalid spec");
            rejected += 1;
        }
    }
    assert!(rejected >= 20, "only {rejected} invalid fixtures rejected");
}

/// One profile's fields, inside a minimal spec.
fn profile_spec(fields: &str) -> String {
    let indented: Vec<String> = fields.lines().map(|l| format!("    {l}")).collect();
    format!(
        "version: 1\nprofiles:\n  - name: P\n{}\n",
        indented.join("\n")
    )
}

#[test]
fn schema_and_compiler_agree_on_edge_cases() {
    let v = validator();
    // (fields of one profile, what the compiler says)
    let table: &[(&str, bool)] = &[
        ("description: ''", true),
        ("description: \"tab\\tand newline\\n ok\"", true),
        ("description: \"emoji \u{1F600}\"", false),
        ("path: /", true),
        ("path: /a/b/", true),
        ("path: /a//b/", false),
        ("path: a/", false),
        ("path: null", true),
        ("partition: aws-eusc", true),
        ("partition: aws-iso", false),
        ("kind: null", false),
        ("tags: null", true),
        ("tags: {team: ops, \"cost center\": \"4711\"}", true),
        ("tags: {AWS:owner: me}", false),
        ("tags: {\"\": x}", false),
        ("tags: {team: \"a|b\"}", false),
        ("max_session_duration: 3599", false),
        ("max_session_duration: 43200", true),
        ("max_session_duration: null", true),
        (
            "existing_role: Legacy\nmanaged_policies: {core: false}",
            true,
        ),
        ("existing_role: Legacy\nmax_session_duration: 3600", false),
        ("existing_role: null\ndescription: fine", true),
        ("hybrid: null", true),
        ("hybrid: {region: us-east-1}", false),
        (
            "kind: hybrid-service-role\nhybrid: {region: us-east-1, account_id: \"111122223333\"}",
            true,
        ),
        (
            "kind: hybrid-service-role\npartition: aws-cn\nhybrid: {region: us-east-1}",
            false,
        ),
        (
            "kind: hybrid-service-role\nhybrid: {account_id: \"11112222333\"}",
            false,
        ),
        (
            "permissions_boundary: arn:aws:iam::111122223333:policy/a/b/Boundary",
            true,
        ),
        (
            "permissions_boundary: arn:aws:iam::111122223333:policy/a//Boundary",
            false,
        ),
        (
            "partition: aws-cn\npermissions_boundary: arn:aws-cn:iam::aws:policy/X",
            true,
        ),
        (
            "partition: aws-cn\nmanaged_policies: {additional: [\"arn:aws:iam::aws:policy/X\"]}",
            false,
        ),
        (
            "managed_policies: {additional: [\"arn:aws:iam::aws:policy/X\", \"arn:aws:iam::aws:policy/X\"]}",
            false,
        ),
        ("managed_policies: null", false),
        ("s3: null", true),
        ("s3: {vpc_endpoint_regions: []}", false),
        ("s3: {vpc_endpoint_regions: [us-east-1, us-east-1]}", false),
        ("s3: {vpc_endpoint_regions: [mx-central-1]}", false),
        (
            "s3: {vpc_endpoint_regions: [mx-central-1], agent_buckets: seed}",
            true,
        ),
        (
            "partition: aws-us-gov\ns3: {vpc_endpoint_regions: [us-gov-west-1]}",
            false,
        ),
        (
            "partition: aws-us-gov\ns3: {vpc_endpoint_regions: [us-gov-west-1], agent_buckets: seed}",
            true,
        ),
        (
            "partition: aws-us-gov\ns3: {vpc_endpoint_regions: [us-east-1], agent_buckets: seed}",
            false,
        ),
        ("s3: {buckets: [{name: ab}]}", false),
        ("s3: {buckets: [{name: my.bucket-1}]}", true),
        ("s3: {buckets: [{name: xn--bucket}]}", false),
        ("s3: {buckets: [{name: bucket--ol-s3}]}", false),
        ("s3: {buckets: [{name: bucket.mrap}]}", false),
        ("s3: {buckets: [{name: bucketxmrap}]}", true),
        ("s3: {buckets: [{name: -bucket}]}", false),
        ("s3: {buckets: [{name: b, prefix: null}]}", false),
        ("s3: {buckets: [{name: bkt, prefix: null}]}", true),
        ("s3: {buckets: [{name: bkt, prefix: /logs/}]}", true),
        ("s3: {buckets: [{name: bkt, prefix: //}]}", false),
        ("s3: {buckets: [{name: bkt, prefix: \"a?b\"}]}", false),
        ("s3: {buckets: [{name: bkt, prefix: \"a\\u0007b\"}]}", false),
        (
            "s3: {policy_name: \"bad name\", buckets: [{name: bkt}]}",
            false,
        ),
        ("s3: {buckets: [{name: bkt, versioned: true}]}", false),
        ("session_manager: {}", false),
        ("session_manager: {cloudwatch_logging: false}", false),
        ("session_manager: {cloudwatch_logging: true}", true),
        ("session_manager: {s3_logging: {bucket: logs-bkt}}", true),
        (
            "session_manager: {kms_key_arn: \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab\"}",
            true,
        ),
        (
            "session_manager: {kms_key_arn: \"arn:aws:kms:us-east-9:111122223333:key/1234abcd-12ab\"}",
            false,
        ),
        (
            "partition: aws-cn\nsession_manager: {kms_key_arn: \"arn:aws:kms:us-east-1:111122223333:key/k\"}",
            false,
        ),
    ];
    let mut disagreements = Vec::new();
    for (fields, compiler_accepts) in table {
        let text = profile_spec(fields);
        let compiled = ssm_profile::load(&Source::new("t.yaml", text.clone()));
        assert_eq!(
            compiled.is_ok(),
            *compiler_accepts,
            "the table is wrong about the compiler for:\n{text}\n{:?}",
            compiled.err().map(|e| e.to_string())
        );
        let instance: Value = serde_yaml::from_str(&text).unwrap();
        if v.is_valid(&instance) != *compiler_accepts {
            disagreements.push(format!("{text}schema: {:?}", errors(&v, &instance)));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}

#[test]
fn a_profile_name_needs_a_letter_or_digit() {
    let v = validator();
    for (name, ok) in [("___", false), ("_a_", true), ("web@prod", true)] {
        let instance = serde_json::json!({"version": 1, "profiles": [{"name": name}]});
        let compiled = ssm_profile::load(&Source::new("t.json", instance.to_string()));
        assert_eq!(compiled.is_ok(), ok, "{name}");
        assert_eq!(v.is_valid(&instance), ok, "{name}");
    }
}

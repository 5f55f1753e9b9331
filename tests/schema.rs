//! The JSON Schema of spec v1 against the compiler: `docs/spec.schema.json` is what
//! `ssm-profile schema` prints, the schema accepts every valid fixture, rejects every
//! invalid fixture that JSON Schema can describe, agrees with the compiler on a table
//! of edge cases, and writes its patterns in the subset every validator reads alike.
//! Validation uses the `jsonschema` crate (a dev dependency only), so these tests run
//! wherever `cargo test` runs; scripts/schema-check runs Python's jsonschema,
//! check-jsonschema and ajv over the same fixtures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use ssm_profile::schema::{schema, schema_text};
use ssm_profile::source::Source;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1")
}

fn validator() -> jsonschema::Validator {
    let schema = schema();
    assert!(
        jsonschema::meta::is_valid(&schema),
        "the schema is not a valid draft 2020-12 schema"
    );
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// A spec file as the data an editor validates (YAML is read as JSON data).
fn data(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    // Editors (and the compiler) ignore a byte-order mark; serde_yaml does not.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
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

/// `docs/spec.schema.json` is a golden file: a change to the spec types, their doc
/// comments or the rules shows here as a diff; `UPDATE_GOLDENS=1` rewrites it.
#[test]
fn the_committed_schema_is_current() {
    let path = root().join("docs/spec.schema.json");
    let actual = schema_text();
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed == actual {
        return;
    }
    if updating() {
        fs::write(&path, &actual).unwrap();
        eprintln!("golden updated: {}", path.display());
        return;
    }
    let diff = similar::TextDiff::from_lines(&committed, &actual)
        .unified_diff()
        .context_radius(3)
        .header("docs/spec.schema.json", "ssm-profile schema")
        .to_string();
    panic!("docs/spec.schema.json is stale (UPDATE_GOLDENS=1 rewrites it)\n{diff}");
}

#[test]
fn the_schema_command_prints_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap() == schema_text());
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

/// Invalid fixtures the schema cannot reject, and why (tests/schema-beyond.txt, which
/// scripts/schema-check reads too). Each must really be accepted by the schema, so
/// the list cannot hide a regression.
fn beyond_json_schema() -> Vec<(&'static str, &'static str)> {
    include_str!("schema-beyond.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once(": ").expect("CASE: why"))
        .collect()
}

/// Invalid fixtures that are not valid YAML/JSON data at all: editors report them as
/// syntax errors before any schema applies.
const NOT_DATA: &[&str] = &[
    "yaml-syntax",
    "tab-indentation",
    "json-trailing-data",
    "multiple-documents",
    "not-utf8",
    // A local tag (`!Sub`) has no JSON data model.
    "yaml-tag-ref",
];

#[test]
fn invalid_fixtures_are_rejected_where_json_schema_can_say_it() {
    let v = validator();
    let beyond = beyond_json_schema();
    for (case, _) in &beyond {
        assert!(
            spec_in(&root().join("fixtures/invalid").join(case)).is_some(),
            "tests/schema-beyond.txt names {case}, which is no invalid fixture"
        );
    }
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
        let beyond = beyond.iter().any(|(c, _)| *c == case);
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
        ("tags: {équipe: données, Zoë: \"Ærø 4711\"}", true),
        ("tags: {team: \"no\\u00a0break\"}", true),
        ("tags: {team: \"a\\tb\"}", false),
        ("tags: {team: \"a\\u0085b\"}", false),
        ("tags: {\"team{x}\": y}", false),
        ("tags: {team: }", true),
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

/// Where the schema and the compiler differ by design: the schema lets through what
/// it cannot judge portably (non-ASCII tag characters other than letters, digits and
/// spaces), and asks for strings where YAML reads a number.
#[test]
fn the_schema_differs_from_the_compiler_only_as_documented() {
    let v = validator();
    // (fields of one profile, what the compiler says, what the schema says)
    let table: &[(&str, bool, bool)] = &[
        ("tags: {team: \"5 €\"}", false, true),
        ("tags: {\"\u{2603}\": x}", false, true),
        (
            "kind: hybrid-service-role\nhybrid: {account_id: 111122223333}",
            true,
            false,
        ),
    ];
    for (fields, compiler_accepts, schema_accepts) in table {
        let text = profile_spec(fields);
        let compiled = ssm_profile::load(&Source::new("t.yaml", text.clone()));
        assert_eq!(compiled.is_ok(), *compiler_accepts, "compiler:\n{text}");
        let instance: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(v.is_valid(&instance), *schema_accepts, "schema:\n{text}");
    }
}

/// Every `pattern` uses only what ECMA-262 in unicode mode (ajv, editors), Python's
/// `re` (jsonschema, check-jsonschema's python mode) and Rust's regex read alike:
/// literal characters, classes, groups, `|`, quantifiers, `\xHH`, `\t\n\r` and
/// escaped syntax characters. No `\p{..}`, `\d`/`\w`/`\s` (Unicode-aware in Python),
/// `(?..)` or a lone `{` (an error in unicode mode).
#[test]
fn every_pattern_is_portable() {
    fn patterns<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("pattern", Value::String(p)) => out.push(p),
                        ("default" | "const" | "enum", _) => {}
                        _ => patterns(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
            _ => {}
        }
    }
    fn portable(p: &str) -> Result<(), String> {
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => {
                    let next = *chars.get(i + 1).ok_or("a trailing backslash")?;
                    if next == 'x' {
                        let hex: String = chars.iter().skip(i + 2).take(2).collect();
                        if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            return Err(format!("`\\x` needs two hex digits at {i}"));
                        }
                        i += 4;
                        continue;
                    }
                    if !"\\^$.|?*+()[]{}/tnr".contains(next) {
                        return Err(format!("the escape `\\{next}` at {i}"));
                    }
                    i += 2;
                }
                '(' if chars.get(i + 1) == Some(&'?') => {
                    return Err(format!("a `(?` group at {i}"));
                }
                '{' => {
                    let close = chars[i..]
                        .iter()
                        .position(|c| *c == '}')
                        .ok_or(format!("a lone `{{` at {i}"))?;
                    let inner: String = chars[i + 1..i + close].iter().collect();
                    let quantifier = !inner.is_empty()
                        && inner.split(',').count() <= 2
                        && inner.chars().next().is_some_and(|c| c.is_ascii_digit())
                        && inner.chars().all(|c| c.is_ascii_digit() || c == ',');
                    if !quantifier {
                        return Err(format!("`{{{inner}}}` at {i} is not a quantifier"));
                    }
                    i += close + 1;
                }
                '}' => return Err(format!("a lone `}}` at {i}")),
                c if c.is_ascii() && !c.is_ascii_control() => i += 1,
                c => return Err(format!("the literal {c:?} at {i}: write it as an escape")),
            }
        }
        Ok(())
    }
    let schema = schema();
    let mut all = Vec::new();
    patterns(&schema, &mut all);
    assert!(all.len() >= 20, "only {} patterns found", all.len());
    let bad: Vec<String> = all
        .iter()
        .filter_map(|p| portable(p).err().map(|e| format!("{p}: {e}")))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(portable(r"^[\p{L}]*$").is_err() && portable("a{b").is_err());
}

/// What the schema leaves to the compiler, it says where an editor shows it.
#[test]
fn the_rules_left_to_the_compiler_are_described() {
    let schema = schema();
    let defs = &schema["$defs"];
    for (field, words) in [
        (&defs["ProfileSpec"]["properties"]["name"], "ignoring case"),
        (&defs["ProfileSpec"]["properties"]["tags"], "non-ASCII"),
        (
            &defs["ProfileSpec"]["properties"]["managed_policies"],
            "at most 10",
        ),
        (
            &defs["ManagedPoliciesSpec"]["properties"]["additional"],
            "selects already",
        ),
        (&defs["S3Spec"]["properties"]["buckets"], "listed twice"),
        (&defs["KeyPrefix"], "at most 900 bytes"),
    ] {
        let description = field["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("The compiler also checks:") && description.contains(words),
            "{field}"
        );
    }
}

#[test]
fn a_profile_name_needs_a_letter_or_digit() {
    let v = validator();
    for (name, ok) in [
        ("___", false),
        ("_a_", true),
        ("web@prod", true),
        ("web\n", false),
    ] {
        let instance = serde_json::json!({"version": 1, "profiles": [{"name": name}]});
        let compiled = ssm_profile::load(&Source::new("t.json", instance.to_string()));
        assert_eq!(compiled.is_ok(), ok, "{name}");
        assert_eq!(v.is_valid(&instance), ok, "{name}");
    }
}

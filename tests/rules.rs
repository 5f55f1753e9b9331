//! Every IAM text rule (`refdata::rules`) at its boundaries, judged by each thing
//! derived from it: the compiler (a spec with the value in each field the rule
//! governs), the JSON Schema (the `jsonschema` crate, and Python's `re` on the
//! rule's pattern where python3 is installed), and the Terraform module's
//! validations (`terraform console` on the conditions the module writes, where
//! terraform is installed). The values come from the rule: at each length limit and
//! one past it, and each edge of each character range.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use ssm_profile::backend::hcl::hcl_string;
use ssm_profile::backend::terraform::module::Inputs;
use ssm_profile::refdata::parameters::PARAMETER_NAME;
use ssm_profile::refdata::rules::{self, Class, PathRule, TextRule};
use ssm_profile::source::Source;

/// Values at the boundaries of `rule`: each length limit and one past it, each
/// edge character alone (padded to the minimum length).
fn text_values(rule: &TextRule) -> Vec<String> {
    let fill = ('A'..='z')
        .chain('0'..='9')
        .find(|c| rule.class.allows(*c))
        .unwrap();
    let padded = |first: char, len: usize| {
        let mut s = first.to_string();
        s.extend(std::iter::repeat_n(fill, len.saturating_sub(1)));
        s
    };
    let mut out = vec![
        String::new(),
        padded(fill, rule.max()),
        padded(fill, rule.max() + 1),
    ];
    out.extend(
        rule.class
            .edges()
            .into_iter()
            .map(|c| padded(c, rule.min().max(1))),
    );
    out
}

fn segment_values(segment: Class) -> Vec<String> {
    segment
        .edges()
        .into_iter()
        .map(|c| format!("/a{c}/"))
        .collect()
}

fn path_values(rule: &PathRule) -> Vec<String> {
    let mut out = vec![
        "/".to_string(),
        "//".to_string(),
        "/a//b/".to_string(),
        "a/".to_string(),
        format!("/{}/", "a".repeat(rule.max - 2)),
        format!("/{}/", "a".repeat(rule.max - 1)),
    ];
    out.extend(segment_values(rule.segment));
    out
}

fn policy_arns() -> Vec<String> {
    let max = rules::POLICY_NAME.max();
    let mut out: Vec<String> = [
        "arn:aws:iam::aws:policy/P",
        "arn:aws:iam::111122223333:policy/a//P",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push(format!("arn:aws:iam::aws:policy/{}", "P".repeat(max)));
    out.push(format!("arn:aws:iam::aws:policy/{}", "P".repeat(max + 1)));
    for c in rules::IAM_NAME_CHARS.edges() {
        out.push(format!("arn:aws:iam::aws:policy/P{c}"));
        out.push(format!("arn:aws:iam::aws:policy/a{c}b/P"));
    }
    out
}

/// Bucket names at the boundaries of `rules::BUCKET_NAME`: each length limit and one
/// past it, each edge of its classes inside and at either end, and each forbidden
/// form (adjacent dots, an IP address, each reserved prefix and suffix).
fn bucket_names() -> Vec<String> {
    let rule = &rules::BUCKET_NAME;
    let mut out: Vec<String> = [rule.min() - 1, rule.min(), rule.max(), rule.max() + 1]
        .iter()
        .map(|&n| "a".repeat(n))
        .collect();
    for c in rule.class.edges() {
        out.push(format!("a{c}a"));
    }
    for c in rule.ends.edges() {
        out.push(format!("{c}aa"));
        out.push(format!("aa{c}"));
    }
    out.extend(rule.never.iter().map(|s| format!("a{s}a")));
    out.extend(["1.2.3.4", "1.2.3.45a", "1.2.3.4.5", "1234.1.1.1", "1.2.3"].map(String::from));
    out.extend(rule.reserved_prefixes.iter().map(|p| format!("{p}aa")));
    out.extend(rule.reserved_prefixes.iter().map(|p| format!("a{p}aa")));
    out.extend(rule.reserved_suffixes.iter().map(|s| format!("aa{s}")));
    out.extend(rule.reserved_suffixes.iter().map(|s| format!("aa{s}a")));
    out
}

/// KMS key ARNs around `rules::KMS_KEY_ARN` in partition aws: each part wrong in
/// turn, and each edge of the key ID's class.
fn kms_key_arns() -> Vec<String> {
    let arn = |partition: &str, region: &str, account: &str, resource: &str| {
        format!("arn:{partition}:kms:{region}:{account}:{resource}")
    };
    let mut out = vec![
        arn("aws", "us-east-1", "111122223333", "key/1234abcd-12ab"),
        arn("aws-cn", "us-east-1", "111122223333", "key/k"),
        arn("aws", "us-east-9", "111122223333", "key/k"),
        arn("aws", "us-east-1", "11112222333", "key/k"),
        arn("aws", "us-east-1", "111122223333", "alias/k"),
        arn("aws", "us-east-1", "111122223333", "key/"),
        "arn:aws:kms:us-east-1:111122223333".to_string(),
    ];
    for c in rules::KMS_KEY_ARN.key_id.edges() {
        out.push(arn(
            "aws",
            "us-east-1",
            "111122223333",
            &format!("key/a{c}"),
        ));
    }
    out
}

/// One profile with `fields` set, as the data both the compiler and the schema read.
fn spec(fields: Value) -> Value {
    let mut profile = json!({ "name": "P" });
    for (k, v) in fields.as_object().unwrap() {
        profile[k] = v.clone();
    }
    json!({ "version": 1, "profiles": [profile] })
}

/// Each field a rule governs, with the values to try there.
fn cases() -> Vec<(&'static str, Vec<(String, Value)>)> {
    let each = |values: Vec<String>, make: &dyn Fn(&str) -> Value| {
        values
            .into_iter()
            .map(|v| {
                let spec = spec(make(&v));
                (v, spec)
            })
            .collect::<Vec<_>>()
    };
    vec![
        (
            "name",
            each(text_values(&rules::ROLE_NAME), &|v| json!({ "name": v })),
        ),
        (
            "existing_role",
            each(
                text_values(&rules::ROLE_NAME),
                &|v| json!({ "existing_role": v, "managed_policies": { "core": false } }),
            ),
        ),
        (
            "s3.policy_name",
            each(
                text_values(&rules::POLICY_NAME),
                &|v| json!({ "s3": { "policy_name": v, "buckets": [{ "name": "bkt" }] } }),
            ),
        ),
        (
            "description",
            each(
                text_values(&rules::DESCRIPTION),
                &|v| json!({ "description": v }),
            ),
        ),
        (
            "path",
            each(path_values(&rules::PATH), &|v| json!({ "path": v })),
        ),
        (
            "tags key",
            each(
                text_values(&rules::TAG_KEY),
                &|v| json!({ "tags": { v: "x" } }),
            ),
        ),
        (
            "tags value",
            each(
                text_values(&rules::TAG_VALUE),
                &|v| json!({ "tags": { "k": v } }),
            ),
        ),
        (
            "permissions_boundary",
            each(policy_arns(), &|v| json!({ "permissions_boundary": v })),
        ),
        (
            "hybrid.account_id",
            each(text_values(&rules::ACCOUNT_ID), &hybrid_account),
        ),
        ("max_session_duration", session_durations()),
        (
            "s3.buckets name",
            each(
                bucket_names(),
                &|v| json!({ "s3": { "buckets": [{ "name": v }] } }),
            ),
        ),
        (
            "session_manager.kms_key_arn",
            each(
                kms_key_arns(),
                &|v| json!({ "session_manager": { "kms_key_arn": v } }),
            ),
        ),
    ]
}

/// A hybrid service role whose `hybrid.account_id` is `v`.
fn hybrid_account(v: &str) -> Value {
    json!({
        "kind": "hybrid-service-role",
        "hybrid": { "account_id": v, "region": "eu-central-1" },
    })
}

/// `max_session_duration` at each end of its range and one past it.
fn session_durations() -> Vec<(String, Value)> {
    let range = &rules::SESSION_DURATION.seconds;
    [
        0,
        range.start() - 1,
        *range.start(),
        *range.end(),
        range.end() + 1,
    ]
    .into_iter()
    .map(|n| (n.to_string(), spec(json!({ "max_session_duration": n }))))
    .collect()
}

/// What the schema may accept that the compiler refuses, by design: a tag
/// character beyond the range a portable pattern judges exactly (the schema's
/// description says the compiler checks it).
fn schema_may_let_through(field: &str, value: &str) -> bool {
    field.starts_with("tags") && value.chars().any(|c| c as u32 > 0x9f)
}

#[test]
fn the_schema_never_accepts_what_the_compiler_refuses() {
    let validator = jsonschema::validator_for(&ssm_profile::schema::schema()).unwrap();
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for (field, values) in cases() {
        for (value, spec) in values {
            let compiler = ssm_profile::load(&Source::new("t.json", spec.to_string())).is_ok();
            let schema = validator.is_valid(&spec);
            if compiler != schema && !(schema && schema_may_let_through(field, &value)) {
                disagreements.push(format!(
                    "{field} = {value:?}: compiler {compiler}, schema {schema}"
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked}");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// A spec with a value in one field.
type SpecOf = fn(&str) -> Value;

/// The compiler's verdict on each governed field is the rule's own.
#[test]
fn the_compiler_judges_each_field_by_its_rule() {
    let fields: [(&str, &TextRule, SpecOf); 5] = [
        ("existing_role", &rules::ROLE_NAME, |v| {
            spec(json!({ "existing_role": v, "managed_policies": { "core": false } }))
        }),
        ("description", &rules::DESCRIPTION, |v| {
            spec(json!({ "description": v }))
        }),
        ("tags key", &rules::TAG_KEY, |v| {
            spec(json!({ "tags": { v: "x" } }))
        }),
        ("tags value", &rules::TAG_VALUE, |v| {
            spec(json!({ "tags": { "k": v } }))
        }),
        ("hybrid.account_id", &rules::ACCOUNT_ID, |v| {
            spec(hybrid_account(v))
        }),
    ];
    for (field, rule, make) in fields {
        for value in text_values(rule) {
            let compiled = ssm_profile::load(&Source::new("t.json", make(&value).to_string()));
            assert_eq!(
                compiled.is_ok(),
                rule.violation(&value).is_none(),
                "{field} = {value:?}: {:?}",
                compiled.err().map(|e| e.to_string())
            );
        }
    }
    for (value, spec) in session_durations() {
        let compiled = ssm_profile::load(&Source::new("t.json", spec.to_string()));
        let seconds: u32 = value.parse().unwrap();
        assert_eq!(
            compiled.is_ok(),
            rules::SESSION_DURATION.allows(seconds),
            "max_session_duration = {value}"
        );
    }
    for value in path_values(&rules::PATH) {
        let compiled = ssm_profile::load(&Source::new(
            "t.json",
            spec(json!({ "path": value })).to_string(),
        ));
        assert_eq!(
            compiled.is_ok(),
            rules::PATH.allows(&value),
            "path = {value:?}"
        );
    }
}

fn installed(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_with_input(mut command: Command, input: &str) -> String {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Python's `re` (what Python jsonschema and check-jsonschema use) reads each
/// rule's pattern as the Rust validator does, on every boundary value.
#[test]
fn python_reads_each_pattern_alike() {
    if !installed("python3", "--version") {
        eprintln!("python3 is not installed: Python's reading is left to scripts/schema-check");
        return;
    }
    let mut checks = Vec::new();
    let text = [
        &rules::ROLE_NAME,
        &rules::DESCRIPTION,
        &rules::TAG_KEY,
        &rules::TAG_VALUE,
        &rules::ACCOUNT_ID,
    ];
    for rule in text {
        let pattern = rule.pattern();
        let regex =
            jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).unwrap();
        for v in text_values(rule) {
            // Python's `$` matches before a final newline: the schema's documented
            // difference (src/schema.rs), so such values are not compared.
            if !v.ends_with('\n') {
                checks.push((pattern.clone(), v.clone(), regex.is_valid(&json!(v))));
            }
        }
    }
    let path = rules::PATH.pattern();
    let regex = jsonschema::validator_for(&json!({ "type": "string", "pattern": path })).unwrap();
    for v in path_values(&rules::PATH) {
        checks.push((path.clone(), v.clone(), regex.is_valid(&json!(v))));
    }
    let input = serde_json::to_string(&checks).unwrap();
    let script = "import json, re, sys\nchecks = json.load(sys.stdin)\nprint(json.dumps([re.search(p, v) is not None for p, v, _ in checks]))";
    let mut python = Command::new("python3");
    python.args(["-c", script]);
    let verdicts: Vec<bool> = serde_json::from_str(&run_with_input(python, &input)).unwrap();
    let differ: Vec<String> = checks
        .iter()
        .zip(verdicts)
        .filter(|((_, _, rust), python)| rust != python)
        .map(|((p, v, rust), _)| format!("{p} on {v:?}: Rust {rust}"))
        .collect();
    assert!(checks.len() > 100);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// `readable` entries at the edges of Parameter Store's name rule: its length, its
/// depth, its characters, its reserved prefixes and where a `*` may stand.
fn parameter_names() -> Vec<String> {
    let rule = &PARAMETER_NAME;
    let mut out: Vec<String> = [
        "a", "/a", "a*", "/a/*", "/a/b*", "/a/", "/", "*", "/*", "a/b", "/a//b", "/a/*/b", "a?",
        "/a b", "/a$b", "/aws/x", "/AwS", "ssm-x", "/SSMx", "/awsx", "/x/aws", "/a-b_c.d",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let long = "a".repeat(rule.max);
    out.extend([long.clone(), format!("{long}a"), format!("{long}*")]);
    out.push(format!("/{}", "a".repeat(rule.max - 1)));
    for depth in [rule.depth, rule.depth + 1] {
        out.push("/a".repeat(depth));
        out.push(format!("{}/*", "/a".repeat(depth - 1)));
    }
    for c in rule.segment.edges() {
        out.push(format!("/x{c}"));
    }
    out
}

/// The Terraform module's validations, as it writes them, accept exactly what the
/// rules allow (`terraform console`, where terraform is installed; conformance
/// runs the module through `terraform validate` too).
#[test]
fn terraform_validations_judge_each_value_by_its_rule() {
    if !installed("terraform", "version") {
        eprintln!("terraform is not installed: the validations are left to scripts/conformance");
        return;
    }
    let model = ssm_profile::load(&Source::new(
        "t.yaml",
        "version: 1\nprofiles:\n  - name: P\n    tags: {k: v}\n    parameter_store:\n      readable: []\n",
    ))
    .unwrap();
    let inputs = Inputs::new(&model);
    let conditions = |name: &str| -> Vec<String> {
        let variable = inputs.variables.iter().find(|v| v.name == name).unwrap();
        variable
            .validations
            .iter()
            .map(|v| v.condition.clone())
            .collect()
    };
    // (condition with `VALUE` for the variable, value, what the rule says)
    let mut checks: Vec<(String, bool)> = Vec::new();
    let path = &conditions("path")[0];
    for v in path_values(&rules::PATH) {
        checks.push((
            path.replace("var.path", &hcl_string(&v)),
            rules::PATH.allows(&v),
        ));
    }
    let tags = conditions("tags");
    for v in text_values(&rules::TAG_KEY) {
        let map = format!("{{ {} = \"x\" }}", hcl_string(&v));
        let ok =
            rules::TAG_KEY.violation(&v).is_none() && !v.to_ascii_lowercase().starts_with("aws:");
        checks.push((tags[1].replace("var.tags", &map), ok));
    }
    for v in text_values(&rules::TAG_VALUE) {
        let map = format!("{{ k = {} }}", hcl_string(&v));
        checks.push((
            tags[2].replace("var.tags", &map),
            rules::TAG_VALUE.violation(&v).is_none(),
        ));
    }
    let arns = &conditions("additional_policy_arns")[0];
    let arn_ok = |arn: &str| {
        let rest = arn
            .strip_prefix("arn:aws:iam::aws:policy/")
            .or_else(|| arn.strip_prefix("arn:aws:iam::111122223333:policy/"))
            .unwrap();
        let name = rest.rsplit('/').next().unwrap();
        let path = format!("/{}", &rest[..rest.len() - name.len()]);
        rules::POLICY_NAME.violation(name).is_none() && rules::PATH.allows(&path)
    };
    for v in policy_arns() {
        let list = format!("[{}]", hcl_string(&v));
        checks.push((
            arns.replace("var.additional_policy_arns", &list),
            arn_ok(&v),
        ));
    }
    let readable = &conditions("readable")[0];
    for v in parameter_names() {
        let list = format!("[{}]", hcl_string(&v));
        checks.push((
            readable.replace("var.readable", &list),
            PARAMETER_NAME.violation(&v).is_none(),
        ));
    }
    let expression = format!(
        "jsonencode([{}])\n",
        checks
            .iter()
            .map(|(c, _)| format!("try({c}, false)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let mut console = Command::new("terraform");
    console
        .arg("console")
        .current_dir(dir.path())
        .env("TF_CLI_CONFIG_FILE", "/dev/null");
    let printed = run_with_input(console, &expression);
    let verdicts: Vec<bool> =
        serde_json::from_str(&serde_json::from_str::<String>(printed.trim()).unwrap()).unwrap();
    let differ: Vec<String> = checks
        .iter()
        .zip(verdicts)
        .filter(|((_, rule), terraform)| rule != terraform)
        .map(|((c, rule), _)| format!("{c}: the rule says {rule}"))
        .collect();
    assert!(checks.len() > 100);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// Every string or number field of the spec has a rule in the schema, so a new field
/// cannot let the schema accept what the compiler refuses: a pattern, an enum or a
/// constant, a `$ref` to a shared rule, or bounds. The three fields judged per
/// partition carry theirs in `ProfileSpec`'s `allOf`, which is checked too.
#[test]
fn every_string_and_number_field_has_a_schema_rule() {
    const PER_PARTITION: &[(&str, &str)] = &[
        ("SessionManagerSpec", "kms_key_arn"),
        ("LoggingBucketSpec", "kms_key_arn"),
        ("HybridSpec", "region"),
    ];
    let schema = ssm_profile::schema::schema();
    let mut defs: Vec<(&str, &Value)> = vec![("(root)", &schema)];
    for (name, def) in schema["$defs"].as_object().unwrap() {
        defs.push((name, def));
    }
    let mut bare = Vec::new();
    let mut fields = 0;
    for (def, value) in defs {
        let Some(properties) = value["properties"].as_object() else {
            continue;
        };
        for (field, rule) in properties {
            let types: Vec<&str> = match &rule["type"] {
                Value::String(t) => vec![t],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let keywords = if types.contains(&"string") {
                &["pattern", "enum", "const", "$ref"][..]
            } else if types.contains(&"integer") || types.contains(&"number") {
                &["minimum", "maximum", "enum", "const"][..]
            } else {
                continue;
            };
            fields += 1;
            if !keywords.iter().any(|k| rule.get(*k).is_some())
                && !PER_PARTITION.contains(&(def, field.as_str()))
            {
                bare.push(format!("{def}.{field}"));
            }
        }
    }
    assert!(fields > 20, "{fields}");
    assert!(bare.is_empty(), "fields without a schema rule: {bare:?}");
    let per_partition = schema["$defs"]["ProfileSpec"]["allOf"].to_string();
    assert!(per_partition.contains(r#""pattern":"^arn:aws:kms:("#));
    assert!(per_partition.contains(r#""region":{"enum":[null,"af-south-1""#));
}

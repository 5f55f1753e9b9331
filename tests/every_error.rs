//! Every error in one run (issue 26 item 5): every unknown field, the rules of the
//! rest of the spec with those fields left out, and each tag and bucket on its own;
//! still exit 2, nothing on stdout, no file written, at most 50 printed.

mod support;

use support::{Scratch, text};

/// (line, column, path) of each error of `build SPEC --out-dir gen`, from the JSON
/// lines; checks that the run failed as a bad spec does.
fn errors(s: &Scratch, spec: &str) -> Vec<(u64, u64, String)> {
    let run = s.run(&[
        "build",
        spec,
        "--out-dir",
        "gen",
        "--message-format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(run.stdout.is_empty());
    assert!(!s.path("gen").exists(), "nothing is written");
    text(&run.stderr)
        .lines()
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(d["severity"], "error", "{l}");
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn at(line: u64, column: u64, path: &str) -> (u64, u64, String) {
    (line, column, path.to_string())
}

#[test]
fn a_misspelt_field_and_two_rule_errors_are_three_errors() {
    let s = Scratch::new("every-misspelt");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: A\n    partitoin: aws\n    path: bad\n  - name: B\n    max_session_duration: 5\n    s3:\n      bukets: []\n",
    );
    assert_eq!(
        errors(&s, "spec.yaml"),
        [
            at(4, 5, "profiles[0].partitoin"),
            at(5, 11, "profiles[0].path"),
            at(7, 27, "profiles[1].max_session_duration"),
            // `s3` is empty only because `bukets` is misspelt: one error, not two.
            at(9, 7, "profiles[1].s3.bukets"),
        ]
    );
    s.write(
        "spec.json",
        "{\"version\": 1, \"profiles\": [\n {\"name\": \"A\", \"descripton\": \"x\", \"path\": \"bad\"},\n {\"name\": \"B\", \"max_session_duration\": 5}], \"stack\": 2}\n",
    );
    assert_eq!(
        errors(&s, "spec.json"),
        [
            at(2, 16, "profiles[0].descripton"),
            at(2, 43, "profiles[0].path"),
            at(3, 40, "profiles[1].max_session_duration"),
            at(3, 45, "stack"),
        ]
    );
}

#[test]
fn every_bad_tag_and_each_part_of_a_bucket_is_reported() {
    let s = Scratch::new("every-entry");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: A\n    tags:\n      aws:a: x\n      \"b c!\": y\n      ok: \"\\u0001\"\n      fine: v\n    s3:\n      buckets:\n        - name: Bad_Bucket\n          prefix: \"a*\"\n    session_manager:\n      kms_key_arn: nope\n      s3_logging:\n        bucket: X\n        prefix: \"*\"\n        kms_key_arn: nope\n",
    );
    assert_eq!(
        errors(&s, "spec.yaml"),
        [
            at(5, 7, "profiles[0].tags.aws:a"),
            at(6, 7, "profiles[0].tags.b c!"),
            at(7, 11, "profiles[0].tags.ok"),
            at(11, 17, "profiles[0].s3.buckets[0].name"),
            at(12, 19, "profiles[0].s3.buckets[0].prefix"),
            at(14, 20, "profiles[0].session_manager.kms_key_arn"),
            at(16, 17, "profiles[0].session_manager.s3_logging.bucket"),
            at(17, 17, "profiles[0].session_manager.s3_logging.prefix"),
            at(18, 22, "profiles[0].session_manager.s3_logging.kms_key_arn"),
        ]
    );
}

#[test]
fn an_unknown_field_is_refused_in_every_mapping_of_the_spec() {
    let s = Scratch::new("every-mapping");
    s.write(
        "spec.yaml",
        "version: 1
zz: 1
rollout:
  organizational_units: [ou-ab12-cdef3456]
  iam_region: us-east-1
  zz: 1
profiles:
  - name: A
    zz: 1
    managed_policies: {zz: 1}
    s3:
      zz: 1
      buckets: [{name: my-bucket, zz: 1}]
    session_manager:
      zz: 1
      s3_logging: {bucket: log-bucket, zz: 1}
    parameter_store: {readable: [], zz: 1}
  - name: H
    kind: hybrid-service-role
    hybrid: {zz: 1}
",
    );
    let paths: Vec<String> = errors(&s, "spec.yaml").into_iter().map(|e| e.2).collect();
    assert_eq!(
        paths,
        [
            "zz",
            "rollout.zz",
            "profiles[0].zz",
            "profiles[0].managed_policies.zz",
            "profiles[0].s3.zz",
            "profiles[0].s3.buckets[0].zz",
            "profiles[0].session_manager.zz",
            "profiles[0].session_manager.s3_logging.zz",
            "profiles[0].parameter_store.zz",
            "profiles[1].hybrid.zz",
        ]
    );
    // Every mapping the spec types have is above, one each: the schema's objects
    // (each `additionalProperties: false`) are as many.
    let schema: serde_json::Value =
        serde_json::from_slice(&s.run(&["schema"]).stdout).expect("the schema");
    let defs = schema["$defs"].as_object().unwrap();
    let objects: Vec<&serde_json::Value> = std::iter::once(&schema)
        .chain(defs.values())
        .filter(|d| d.get("properties").is_some())
        .collect();
    assert_eq!(objects.len(), paths.len());
    assert!(
        objects
            .iter()
            .all(|o| o["additionalProperties"] == serde_json::Value::Bool(false))
    );
}

#[test]
fn a_shape_error_ends_the_list_after_the_unknown_fields_before_it() {
    let s = Scratch::new("every-shape");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: A\n    descripton: x\n    max_session_duration: [1]\n    zz: 1\n",
    );
    assert_eq!(
        errors(&s, "spec.yaml"),
        [
            at(4, 5, "profiles[0].descripton"),
            at(5, 27, "profiles[0].max_session_duration"),
        ]
    );
    // A misspelt required field is one error: its "did you mean", not also the
    // missing field.
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - nmae: A\n    path: bad\n",
    );
    let run = s.run(&["build", "spec.yaml", "--target", "terraform"]);
    assert_eq!(
        text(&run.stderr).lines().next().unwrap(),
        "error: spec.yaml:3:5: profiles[0].nmae: unknown field `nmae`; did you mean `name`?"
    );
    assert_eq!(errors(&s, "spec.yaml"), [at(3, 5, "profiles[0].nmae")]);
}

#[test]
fn unknown_fields_count_towards_the_cap_of_fifty() {
    let s = Scratch::new("every-cap");
    let fields: String = (0..40).map(|i| format!("    zz{i}: 1\n")).collect();
    let regions: Vec<String> = (0..30).map(|i| format!("nowhere-{i}")).collect();
    s.write(
        "spec.yaml",
        &format!(
            "version: 1\nprofiles:\n  - name: A\n{fields}    s3:\n      vpc_endpoint_regions: [{}]\n",
            regions.join(", ")
        ),
    );
    let found = errors(&s, "spec.yaml");
    assert_eq!(found.len(), 51);
    assert_eq!(found[0], at(4, 5, "profiles[0].zz0"));
    assert_eq!(found[39], at(43, 5, "profiles[0].zz39"));
    assert_eq!(found[49].2, "profiles[0].s3.vpc_endpoint_regions[9]");
    let run = s.run(&["build", "spec.yaml", "--target", "cdk"]);
    assert!(
        text(&run.stderr).ends_with(
            "error: 20 more errors not shown (the first 50 are); fix these and run again\n"
        ),
        "{}",
        text(&run.stderr)
    );
}

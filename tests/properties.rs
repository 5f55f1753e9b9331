//! Properties over generated valid specs (issue 10): reading never panics, YAML and
//! JSON spellings of one spec mean the same model, every output is deterministic,
//! and the spec's free text (description, tags, bucket prefix) reads back
//! unchanged through each target's own reader: serde_json for CloudFormation JSON
//! and Terraform JSON (after Terraform's template escapes), serde_yaml for
//! CloudFormation YAML, and hcl-rs (which evaluates HCL templates) for Terraform
//! HCL. TypeScript and Python are read back by tsc/node and python in the
//! conformance suite (cdk-check), not here.
//!
//! `PROPTEST_CASES` sets the number of cases (default below).

use proptest::prelude::*;
use serde_json::{Value, json};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

/// Cases per property when PROPTEST_CASES is not set; each renders every output.
const CASES: u32 = 200;

/// Text IAM accepts in a role description: tab, LF, CR, printable ASCII, Latin-1.
fn description() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[ -~]{0,12}",
        "[\t\n\r]",
        "[\u{a0}-\u{ff}]{1,3}",
        Just("${".to_string()),
        Just("$${".to_string()),
        Just("%{".to_string()),
        Just("%%{".to_string()),
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("\r$${x}".to_string()),
    ];
    proptest::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

/// Letters, digits, spaces and `_.:/=+-@` (IAM's tag characters); keys do not
/// begin with `aws:`.
fn tag_key() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9 _.:/=+@-]{0,20}"
}

fn tag_value() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _.:/=+@-]{0,30}"
}

/// A bucket prefix: anything printable but IAM's wildcards and policy variables,
/// including the line and paragraph separators.
fn prefix() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[a-z0-9/._-]{1,10}",
        "[ !\"#&'()+,;<=>@\\[\\]^`{|}~]",
        "[\u{a0}-\u{ff}\u{2028}\u{2029}]",
    ];
    proptest::collection::vec(pieces, 1..6)
        .prop_map(|v| v.concat())
        .prop_filter("IAM wildcards and variables are refused", |p| {
            !p.contains(['*', '?'])
                && !p.contains("${")
                && !p.trim_matches('/').is_empty()
                && !p.contains("//")
        })
}

fn profile(i: usize) -> impl Strategy<Value = Value> {
    (
        proptest::option::of(description()),
        proptest::collection::btree_map(tag_key(), tag_value(), 0..4),
        proptest::option::of(prefix()),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(3600u32..=43200),
    )
        .prop_map(move |(desc, tags, prefix, encrypted, logs, duration)| {
            let mut p = json!({
                "name": format!("Profile{i}"),
                "tags": tags,
                "s3": {
                    "vpc_endpoint_regions": ["us-east-1"],
                    "buckets": [{"name": format!("bucket-{i}-data"), "encrypted": encrypted}],
                },
                "session_manager": {"cloudwatch_logging": logs},
            });
            if let Some(d) = desc {
                p["description"] = json!(d);
            }
            if let Some(x) = prefix {
                p["s3"]["buckets"][0]["prefix"] = json!(x);
            }
            if let Some(d) = duration {
                p["max_session_duration"] = json!(d);
            }
            p
        })
}

fn spec() -> impl Strategy<Value = Value> {
    (1usize..=3)
        .prop_flat_map(|n| (0..n).map(profile).collect::<Vec<_>>())
        .prop_map(|profiles| json!({"version": 1, "profiles": profiles}))
}

/// Terraform JSON strings are templates: `$${` is `${`, `%%{` is `%{`, and
/// `${"\r"}` (how a lone CR is written, `${"$\r"}` after a literal `$`) is a
/// carriage return.
fn terraform_json_text(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest
            .strip_prefix("$${")
            .or_else(|| rest.strip_prefix("%%{"))
        {
            out.push(c);
            out.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("${\"") {
            // `${"$..\r"}`: literal `$`s and a lone carriage return.
            let (inner, r) = r.split_once("\\r\"}").unwrap();
            out.push_str(inner);
            out.push('\r');
            rest = r;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The free text a profile of the spec holds.
struct Texts {
    description: Option<String>,
    tags: Vec<(String, String)>,
    prefix: Option<String>,
}

/// The YAML spelling of `spec`: serde_yaml's, unless it holds U+0085, U+2028 or
/// U+2029. Its emitter (libyaml) follows YAML 1.1, where those are line breaks, and
/// in a quoted scalar writes the next line's indent after one; YAML 1.2 (the
/// program's reader, yaml-rust2) reads them as characters, and the indent as
/// spaces. Such a spec is written the way YAML 1.2 reads it alike: a block mapping
/// whose values are JSON (YAML's flow syntax).
fn yaml_text(spec: &Value) -> String {
    let yaml = serde_yaml::to_string(spec).unwrap();
    if !yaml.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return yaml;
    }
    let Value::Object(fields) = spec else {
        panic!("a spec is a mapping")
    };
    (fields.iter())
        .map(|(key, value)| format!("{key}: {}\n", serde_json::to_string(value).unwrap()))
        .collect()
}

fn texts(spec: &Value) -> Vec<Texts> {
    spec["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Texts {
            description: p["description"].as_str().map(str::to_string),
            tags: p["tags"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
            prefix: p["s3"]["buckets"][0]["prefix"]
                .as_str()
                .map(|x| x.trim_matches('/').to_string()),
        })
        .collect()
}

/// Every string anywhere in a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}

/// A role's description and tag pairs.
type RoleTexts = (Option<String>, Vec<(String, String)>);

/// The role resources' descriptions and the tag pairs of a CloudFormation template.
fn cfn_roles(t: &Value) -> Vec<RoleTexts> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::IAM::Role")
        .map(|r| {
            let p = &r["Properties"];
            let tags = p["Tags"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|t| {
                            (
                                t["Key"].as_str().unwrap().to_string(),
                                t["Value"].as_str().unwrap().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (p["Description"].as_str().map(str::to_string), tags)
        })
        .collect()
}

fn check_cloudformation(template: &Value, expected: &[Texts]) {
    let roles = cfn_roles(template);
    assert_eq!(roles.len(), expected.len());
    let mut all = Vec::new();
    strings(template, &mut all);
    for (t, (description, tags)) in expected.iter().zip(&roles) {
        assert_eq!(description, &t.description);
        let mut want = t.tags.clone();
        want.sort();
        let mut got = tags.clone();
        got.sort();
        assert_eq!(got, want);
        if let Some(p) = &t.prefix {
            assert!(all.iter().any(|s| s.contains(p.as_str())), "prefix {p:?}");
        }
    }
}

/// The `aws_iam_role` descriptions and tags of Terraform JSON, read as Terraform
/// reads its templates.
fn check_terraform_json(tf: &Value, expected: &[Texts]) {
    let roles: Vec<&Value> = tf["resource"]["aws_iam_role"]
        .as_object()
        .unwrap()
        .values()
        .collect();
    assert_eq!(roles.len(), expected.len());
    for (t, role) in expected.iter().zip(roles) {
        let description = role["description"].as_str().map(terraform_json_text);
        assert_eq!(description, t.description);
        let got: Vec<(String, String)> = role["tags"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            terraform_json_text(k),
                            terraform_json_text(v.as_str().unwrap()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut want = t.tags.clone();
        want.sort();
        let mut got = got;
        got.sort();
        assert_eq!(got, want);
    }
}

/// The same through hcl-rs, which parses HCL and evaluates its templates.
fn check_terraform_hcl(text: &str, expected: &[Texts]) {
    use hcl::eval::{Context, Evaluate};
    let body = hcl::parse(text).unwrap_or_else(|e| panic!("HCL does not parse: {e}\n{text}"));
    let ctx = Context::new();
    let roles: Vec<&hcl::Block> = body
        .blocks()
        .filter(|b| {
            b.identifier() == "resource"
                && b.labels().first().map(|l| l.as_str()) == Some("aws_iam_role")
        })
        .collect();
    assert_eq!(roles.len(), expected.len());
    for (t, role) in expected.iter().zip(roles) {
        let attr = |name: &str| {
            role.body().attributes().find(|a| a.key() == name).map(|a| {
                a.expr()
                    .evaluate(&ctx)
                    .unwrap_or_else(|e| panic!("{name}: {e}"))
            })
        };
        let description = attr("description").map(|v| v.as_str().unwrap().to_string());
        assert_eq!(description, t.description);
        let mut got: Vec<(String, String)> = attr("tags")
            .map(|v| {
                v.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        got.sort();
        let mut want = t.tags.clone();
        want.sort();
        assert_eq!(got, want);
    }
}

/// A fixed seed unless `PROPTEST_RNG_SEED` names one, so `cargo test` (and CI) runs
/// the same cases every time; explore new ones with `PROPTEST_RNG_SEED=<n>`.
fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    let rng_seed = if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        base.rng_seed
    } else {
        proptest::test_runner::RngSeed::Fixed(0x55_4d_50_52_4f_46)
    };
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        rng_seed,
        ..base
    }
}

proptest! {
    #![proptest_config(config())]

    /// YAML and JSON spellings of a spec are one model; every output renders the
    /// same bytes twice; the free text reads back through each target's reader.
    #[test]
    fn generated_specs_round_trip_through_every_target(spec in spec()) {
        let yaml = yaml_text(&spec);
        let json_text = serde_json::to_string_pretty(&spec).unwrap();
        let from_yaml = ssm_profile::load(&Source::new("spec.yaml", yaml.as_str()));
        let from_json = ssm_profile::load(&Source::new("spec.json", json_text.as_str()));
        let model = match (from_yaml, from_json) {
            (Ok(y), Ok(j)) => {
                prop_assert_eq!(format!("{y:?}"), format!("{j:?}"));
                y
            }
            (Err(y), Err(j)) => {
                prop_assert_eq!(&y.message, &j.message);
                // A generated spec IAM would refuse (a reserved bucket name, ...).
                return Err(TestCaseError::reject(y.message));
            }
            (y, j) => panic!("YAML and JSON disagree: {y:?} / {j:?}"),
        };
        let expected = texts(&spec);
        for output in Output::all() {
            let first = output.generate(&model, "spec.yaml", RenderOptions::default());
            let again = output.generate(&model, "spec.yaml", RenderOptions::default());
            prop_assert_eq!(&first, &again, "{:?} is not deterministic", output);
            let Ok(text) = first else { continue };
            match output.golden_name() {
                "cloudformation.json" => {
                    check_cloudformation(&serde_json::from_str(&text).unwrap(), &expected)
                }
                "cloudformation.yaml" => {
                    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                    check_cloudformation(&serde_json::to_value(v).unwrap(), &expected)
                }
                "terraform.tf.json" => {
                    check_terraform_json(&serde_json::from_str(&text).unwrap(), &expected)
                }
                "terraform.tf" => check_terraform_hcl(&text, &expected),
                _ => {}
            }
        }
    }

    /// Any text at all, as YAML or JSON: an error with a position, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        for name in ["spec.yaml", "spec.json"] {
            if let Err(e) = ssm_profile::load(&Source::new(name, text.as_str())) {
                prop_assert!(e.location.line >= 1 && e.location.column >= 1);
            }
        }
    }
}

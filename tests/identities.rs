//! Deployed identities are stable (issue 21): for random specs and a random
//! insertion, removal or reordering of profiles, no other profile's identity changes.
//! The identities are read from the generated files as `build --out-dir` writes them
//! (not from the compiler's internals): the stack file each resource is in, its
//! CloudFormation logical ID, type and physical name, the outputs, the Terraform
//! resource addresses and outputs, the CDK construct IDs and members, and the
//! rollout's StackSet names.
//!
//! Without attributing identities to profiles, the property is exact: reordering
//! keeps the set of identities; inserting profile X gives the old set plus the set of
//! a spec of X alone (with the same `stacks`), and no identity of the old set is
//! lost; removing is the reverse.
//!
//! `PROPTEST_CASES` sets the number of cases (default below).

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Value, json};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

const CASES: u32 = 48;

/// Every deployed identity of `spec` (a spec file named `fleet.json`), each as one
/// line saying where it is.
fn identities(spec: &Value) -> BTreeSet<String> {
    let text = serde_json::to_string(spec).unwrap();
    let model = ssm_profile::load(&Source::new("fleet.json", text)).expect("a valid spec");
    let mut out = BTreeSet::new();
    let files = |golden: &str| {
        Output::by_golden(golden)
            .unwrap()
            .generate_files(&model, "fleet.json", RenderOptions::default())
            .unwrap_or_else(|e| panic!("{golden}: {e:?}"))
    };
    for f in files("cloudformation.json") {
        let stack = f
            .stack
            .map_or("whole".to_string(), |n| format!("stack-{n}"));
        let t: Value = serde_json::from_str(&f.text).unwrap();
        for (id, r) in t["Resources"].as_object().unwrap() {
            let props = &r["Properties"];
            let name = ["RoleName", "InstanceProfileName", "ManagedPolicyName"]
                .iter()
                .find_map(|k| props[*k].as_str())
                .unwrap_or("");
            out.insert(format!("cfn {stack} {id} {} {name}", r["Type"]));
        }
        for id in t["Outputs"].as_object().into_iter().flat_map(|o| o.keys()) {
            out.insert(format!("cfn-output {stack} {id}"));
        }
    }
    for f in files("terraform.tf.json") {
        let t: Value = serde_json::from_str(&f.text).unwrap();
        for (kind, by_name) in t["resource"].as_object().into_iter().flatten() {
            for name in by_name.as_object().unwrap().keys() {
                out.insert(format!("tf {kind}.{name}"));
            }
        }
        for name in t["output"].as_object().into_iter().flat_map(|o| o.keys()) {
            out.insert(format!("tf-output {name}"));
        }
    }
    for f in files("cdk.ts") {
        let stack = f
            .stack
            .map_or("whole".to_string(), |n| format!("stack-{n}"));
        for line in f.text.lines() {
            if let Some((_, rest)) = line.split_once("(this, '") {
                let id = rest.split('\'').next().unwrap();
                out.insert(format!("cdk {stack} construct {id}"));
            }
            if let Some(rest) = line.trim_start().strip_prefix("this.")
                && let Some((member, _)) = rest.split_once(" = ")
            {
                out.insert(format!("cdk {stack} member {member}"));
            }
        }
    }
    if model.rollout.is_some() {
        for f in files("cloudformation-rollout.json") {
            let t: Value = serde_json::from_str(&f.text).unwrap();
            for r in t["Resources"].as_object().unwrap().values() {
                if let Some(name) = r["Properties"]["StackSetName"].as_str() {
                    out.insert(format!("stack-set {name}"));
                }
            }
        }
    }
    out
}

/// Profile names from a pool whose identifier stems differ ignoring case.
const NAMES: &[&str] = &[
    "web",
    "batch",
    "db-primary",
    "Ops",
    "edge-1",
    "node-7",
    "Analytics",
    "queue",
    "cache",
    "api-gw",
    "reporting",
    "etl",
    "search",
    "auth",
];

fn profile(name: &'static str) -> impl Strategy<Value = Value> {
    (
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(1u32..=3),
    )
        .prop_map(move |(kind, s3, logs, pin)| {
            let mut p = json!({ "name": name });
            match kind {
                0 => {}
                1 => p["kind"] = json!("hybrid-service-role"),
                _ => p["path"] = json!("/team/"),
            }
            if s3 {
                p["s3"] = json!({ "vpc_endpoint_regions": ["us-east-1"] });
            }
            if logs {
                p["session_manager"] = json!({ "cloudwatch_logging": true });
            }
            if let Some(k) = pin {
                p["stack"] = json!(k);
            }
            p
        })
}

/// A spec of 1 to 8 profiles of distinct names, with or without `stacks: 3`
/// (without it, no profile is pinned) and a rollout.
fn spec() -> impl Strategy<Value = (Value, Vec<Value>)> {
    (
        proptest::sample::subsequence(NAMES, 2..=9).prop_shuffle(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(|(names, stacks, rollout)| {
            let profiles: Vec<_> = names.into_iter().map(profile).collect();
            (profiles, Just(stacks), Just(rollout))
        })
        .prop_map(|(mut profiles, stacks, rollout)| {
            let mut spec = json!({ "version": 1 });
            if stacks {
                spec["stacks"] = json!(3);
            } else {
                for p in &mut profiles {
                    p.as_object_mut().unwrap().remove("stack");
                }
            }
            if rollout {
                spec["rollout"] =
                    json!({ "organizational_units": ["r-ab12"], "iam_region": "us-east-1" });
            }
            // The last one is kept out: the profile an insertion adds.
            (spec, profiles)
        })
}

fn with(spec: &Value, profiles: &[Value]) -> Value {
    let mut s = spec.clone();
    s["profiles"] = json!(profiles);
    s
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize),
    Remove(usize),
    Reorder(Vec<usize>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..16).prop_map(Edit::Insert),
        (0usize..16).prop_map(Edit::Remove),
        proptest::collection::vec(any::<u32>().prop_map(|k| k as usize), 16)
            .prop_map(Edit::Reorder),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES)
    ))]

    #[test]
    fn no_edit_of_other_profiles_changes_a_profiles_identities((spec, mut profiles) in spec(), edit in edit()) {
        let extra = profiles.pop().expect("two or more");
        let before = identities(&with(&spec, &profiles));
        match edit {
            Edit::Insert(at) => {
                let mut after = profiles.clone();
                after.insert(at % (profiles.len() + 1), extra.clone());
                let after = identities(&with(&spec, &after));
                let alone = identities(&with(&spec, std::slice::from_ref(&extra)));
                let expected: BTreeSet<String> = before.union(&alone).cloned().collect();
                prop_assert_eq!(after, expected);
            }
            Edit::Remove(at) if profiles.len() > 1 => {
                let at = at % profiles.len();
                let removed = profiles[at].clone();
                let mut after = profiles.clone();
                after.remove(at);
                let after = identities(&with(&spec, &after));
                let alone = identities(&with(&spec, std::slice::from_ref(&removed)));
                let expected: BTreeSet<String> = after.union(&alone).cloned().collect();
                prop_assert_eq!(before, expected);
            }
            Edit::Remove(_) => {}
            Edit::Reorder(keys) => {
                let mut order: Vec<(usize, Value)> = profiles
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (keys[i % keys.len()].wrapping_add(i), p))
                    .collect();
                order.sort_by_key(|(k, _)| *k);
                let after: Vec<Value> = order.into_iter().map(|(_, p)| p).collect();
                prop_assert_eq!(identities(&with(&spec, &after)), before);
            }
        }
    }
}

/// The regression of issue 21's reproduction: a profile inserted at the top of the
/// rollout fixture renamed its StackSet (after the first profile), and one inserted at
/// the front of 67 moved `node-65`'s role to another stack.
#[test]
fn inserting_at_the_top_moves_nothing_in_the_fixtures() {
    for fixture in ["rollout", "multi-stack"] {
        let path = format!(
            "{}/fixtures/{fixture}/spec.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let model_spec: Value = spec_as_json(&text);
        let mut profiles = model_spec["profiles"].as_array().unwrap().clone();
        let before = identities(&model_spec);
        let new = json!({ "name": "NewTeamProfile" });
        profiles.insert(0, new.clone());
        let after = identities(&with(&model_spec, &profiles));
        let alone = identities(&with(&model_spec, &[new]));
        let lost: Vec<&String> = before.difference(&after).collect();
        assert!(lost.is_empty(), "{fixture}: {lost:?}");
        let added: BTreeSet<String> = after.difference(&before).cloned().collect();
        assert!(added.is_subset(&alone), "{fixture}: {added:?}");
    }
}

/// The fixture's YAML as JSON data, through the compiler's own reader.
fn spec_as_json(text: &str) -> Value {
    let spec = Source::new("spec.yaml", text).parse().expect("parses");
    serde_json::to_value(spec).unwrap()
}

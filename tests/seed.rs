//! The seed case proves itself against the seed page's own policy.
//!
//! The policy below is copied verbatim from the AWS page this project implements
//! ("Step 4: Create an IAM Instance Profile for Systems Manager", docs/sources.md 1). With REGION = us-east-2
//! and the bucket my-bucket-name, its grants expanded to (action, resource) pairs must
//! be exactly what ssm-profile grants for fixtures/seed/spec.yaml, except that
//! bucket-level actions are granted on the bucket ARN only and object-level actions on
//! the object ARN only (the seed lists both resources for all four actions).

use std::collections::BTreeSet;

use ssm_profile::model::{Model, RoleRef};
use ssm_profile::source::Source;

const SEED_POLICY: &str = r#"{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": [ "arn:aws:s3:::aws-ssm-region/*", "arn:aws:s3:::aws-windows-downloads-region/*", "arn:aws:s3:::amazon-ssm-region/*", "arn:aws:s3:::amazon-ssm-packages-region/*", "arn:aws:s3:::region-birdwatcher-prod/*", "arn:aws:s3:::patch-baseline-snapshot-region/*" ] }, { "Effect": "Allow", "Action": [ "s3:GetObject", "s3:PutObject", "s3:PutObjectAcl", "s3:GetEncryptionConfiguration" ], "Resource": [ "arn:aws:s3:::my-bucket-name/*", "arn:aws:s3:::my-bucket-name" ] } ] }"#;

/// S3 actions the seed uses that act on a bucket, not on objects.
const BUCKET_LEVEL: &[&str] = &["s3:GetEncryptionConfiguration"];

fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => panic!("not a string or list: {v}"),
    }
}

fn grants_of_document(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for s in doc["Statement"].as_array().expect("statements") {
        assert_eq!(s["Effect"], "Allow");
        for a in strings(&s["Action"]) {
            for r in strings(&s["Resource"]) {
                out.insert((a.clone(), r));
            }
        }
    }
    out
}

fn seed_model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seed/spec.yaml");
    let source = Source::read(path).expect("fixture exists");
    ssm_profile::load(&source).expect("the seed spec is valid")
}

#[test]
fn seed_case_grants_exactly_the_seed_policy() {
    let seed = SEED_POLICY.replace("region", "us-east-2");
    let seed: serde_json::Value = serde_json::from_str(&seed).unwrap();
    let expected: BTreeSet<(String, String)> = grants_of_document(&seed)
        .into_iter()
        .filter(|(action, resource)| {
            let on_objects = resource.ends_with("/*");
            BUCKET_LEVEL.contains(&action.as_str()) != on_objects
        })
        .collect();
    // 6 agent buckets + 3 object actions on the bucket's objects + 1 bucket action.
    assert_eq!(expected.len(), 10);

    let model = seed_model();
    let profile = &model.profiles[0];
    let mut actual = BTreeSet::new();
    for policy in &profile.custom_policies {
        actual.extend(grants_of_document(&policy.document("123456789012")));
    }
    assert_eq!(actual, expected);
}

#[test]
fn seed_case_attaches_the_managed_policies_the_page_names() {
    let model = seed_model();
    let profile = &model.profiles[0];
    let arns: Vec<&str> = profile
        .managed_policies
        .iter()
        .map(|m| m.arn.as_str())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess",
            "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
        ]
    );
    let RoleRef::Create(role) = &profile.role else {
        panic!("the seed creates its role");
    };
    assert_eq!(role.trust.service, "ec2.amazonaws.com");
    assert_eq!(
        profile.instance_profile.as_ref().map(|i| i.name.as_str()),
        Some("SSMInstanceProfile")
    );
}

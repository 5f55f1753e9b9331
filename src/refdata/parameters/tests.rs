use super::*;
use crate::refdata::partition;
use crate::spec::PartitionName;

#[test]
fn the_name_limit_leaves_room_for_the_longest_arn_of_any_region() {
    let longest = [
        PartitionName::Aws,
        PartitionName::AwsCn,
        PartitionName::AwsUsGov,
        PartitionName::AwsEusc,
    ]
    .map(partition)
    .iter()
    .flat_map(|p| {
        p.regions
            .iter()
            .map(move |r| format!("arn:{}:ssm:{r}:123456789012:parameter/", p.arn_id).len())
    })
    .max()
    .unwrap();
    assert_eq!(PARAMETER_NAME.max, NAME_WITH_ARN_MAX - longest);
}

#[test]
fn names_and_prefixes_parameter_store_accepts() {
    let level = "l";
    let fifteen = format!("/{}", vec![level; 15].join("/"));
    let fourteen_open = format!("/{}/*", vec![level; 14].join("/"));
    for ok in [
        "region",
        "/region",
        "/app/prod/db-url",
        "/app/prod/*",
        "/app/prod*",
        "prod-*",
        "/A_b.c-9",
        "AmazonCloudWatch-linux",
        "awx",
        "/sm/x",
        "/data/aws",
        &fifteen,
        &fourteen_open,
        &"a".repeat(PARAMETER_NAME.max),
        &format!("{}*", "a".repeat(PARAMETER_NAME.max)),
    ] {
        assert_eq!(PARAMETER_NAME.violation(ok), None, "{ok}");
    }
}

#[test]
fn names_parameter_store_refuses_and_wildcards_iam_reads_otherwise() {
    use NameViolation::*;
    let sixteen = format!("/{}", vec!["l"; 16].join("/"));
    let fifteen_open = format!("/{}/*", vec!["l"; 15].join("/"));
    for (bad, why) in [
        ("", Everything),
        ("*", Everything),
        ("/*", Everything),
        ("/app/*/db", Wildcard('*')),
        ("/app/d?", Wildcard('?')),
        ("/app/**", Wildcard('*')),
        ("/app/prod db", Char(' ')),
        ("/app/ü", Char('ü')),
        ("/app/$x", Char('$')),
        ("app/prod", NotQualified),
        ("/app//db", EmptyLevel),
        ("/app/", EmptyLevel),
        ("//*", EmptyLevel),
        (&sixteen, Depth(16)),
        (&fifteen_open, Depth(16)),
        ("awsTestParameter", Reserved("aws")),
        ("SSM-testparameter", Reserved("ssm")),
        ("/aws/testparam1", Reserved("aws")),
        ("/AWS/service/*", Reserved("aws")),
        ("/ssm*", Reserved("ssm")),
        (
            &"a".repeat(PARAMETER_NAME.max + 1),
            Length(PARAMETER_NAME.max + 1),
        ),
    ] {
        assert_eq!(PARAMETER_NAME.violation(bad), Some(why), "{bad:?}");
    }
}

/// The schema fragment (read by the `jsonschema` crate) and the compiler agree on
/// every entry; the RE2 pattern is the portable one for these ASCII classes.
#[test]
fn the_schema_agrees_with_the_check() {
    let schema = json!({ "type": "string" });
    let mut schema = schema.as_object().unwrap().clone();
    schema.extend(PARAMETER_NAME.schema().as_object().unwrap().clone());
    let validator = jsonschema::validator_for(&Value::Object(schema)).unwrap();
    assert_eq!(PARAMETER_NAME.pattern(), PARAMETER_NAME.re2_pattern());
    let sixteen = format!("/{}", vec!["l"; 16].join("/"));
    let fifteen = format!("/{}", vec!["l"; 15].join("/"));
    let max = "a".repeat(PARAMETER_NAME.max);
    let over = "a".repeat(PARAMETER_NAME.max + 1);
    let (max_prefix, over_prefix) = (format!("{max}*"), format!("{over}*"));
    for entry in [
        &max,
        &over,
        &max_prefix,
        &over_prefix,
        "region",
        "/region",
        "/app/prod/*",
        "/app/prod*",
        "prod-*",
        "/app/*/db",
        "/app/d?",
        "/app/prod db",
        "app/prod",
        "/app//db",
        "/app/",
        "*",
        "/*",
        "//*",
        "awsX",
        "/Ssm/x",
        "/data/aws",
        &sixteen,
        &fifteen,
    ] {
        let checked = PARAMETER_NAME.violation(entry).is_none();
        let valid = validator.is_valid(&json!(entry));
        assert_eq!(checked, valid, "{entry:?}: {}", PARAMETER_NAME.pattern());
    }
}

#[test]
fn a_leading_slash_does_not_reach_the_arn() {
    assert_eq!(ParameterNameRule::arn_resource("/app/prod/*"), "app/prod/*");
    assert_eq!(ParameterNameRule::arn_resource("region"), "region");
    assert_eq!(ParameterNameRule::arn_resource("/region"), "region");
}

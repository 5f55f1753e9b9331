//! The checks of `model::rules` at their edges: what each refuses, where, and what it
//! gives back. The rules' own boundaries (lengths, character classes) are
//! `refdata::rules`' tests and `tests/rules.rs`; these are the checks that apply them.

use std::collections::BTreeMap;

use super::*;
use crate::model::{Effect, Statement};
use crate::refdata::partition;
use crate::spec::PartitionName;

/// The checks of the first profile: their errors are at `profiles[0]`.
fn first_profile() -> Ctx {
    Ctx {
        at: "profiles[0]".into(),
        errors: Default::default(),
    }
}

/// The kept errors' (path, message) pairs.
fn reported(ctx: &Ctx) -> Vec<(String, String)> {
    ctx.errors
        .borrow()
        .iter()
        .map(|e| (e.path.clone(), e.message.clone()))
        .collect()
}

/// The message of a check's error, after checking its field path.
fn refused<T: std::fmt::Debug>(result: Result<T, RuleError>, path: &str) -> String {
    let e = result.expect_err("refused");
    assert_eq!(e.path, path, "{}", e.message);
    e.message
}

#[test]
fn no_policy_document_holds_a_character_iam_refuses() {
    let ctx = first_profile();
    let policy = |resource: &str| CustomPolicy {
        name: "P".into(),
        id: "P".into(),
        path: None,
        statements: vec![Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: "S".into(),
            actions: vec!["s3:GetObject".into()],
            resources: vec![resource.into()],
            purpose: String::new(),
        }],
    };
    assert_eq!(
        check_policy_characters(&ctx, &[policy("arn:aws:s3:::b/café\t/*")]),
        Ok(())
    );
    let err = check_policy_characters(&ctx, &[policy("arn:aws:s3:::b/ログ/*")]).unwrap_err();
    assert_eq!(err.path, "profiles[0]");
    assert!(
        err.message
            .starts_with("statement S of policy P would hold U+30ED `ロ` (general category Lo)"),
        "{}",
        err.message
    );
}

#[test]
fn characters_are_named_by_code_point_and_category() {
    assert_eq!(char_name('ि'), "U+093F `ि` (general category Mc)");
    assert_eq!(char_name('\u{7}'), "U+0007 (a control character)");
}

/// Without `managed_policy_quota` the quota is IAM's default of 10; with it, 10 to
/// 25, both ends included.
#[test]
fn the_managed_policy_quota_is_ten_by_default_and_ten_to_twenty_five_when_given() {
    let ctx = first_profile();
    assert_eq!(check_managed_policy_quota(&ctx, None), Ok(10));
    assert_eq!(check_managed_policy_quota(&ctx, Some(10)), Ok(10));
    assert_eq!(check_managed_policy_quota(&ctx, Some(17)), Ok(17));
    assert_eq!(check_managed_policy_quota(&ctx, Some(25)), Ok(25));
    for outside in [0, 9, 26] {
        let message = refused(
            check_managed_policy_quota(&ctx, Some(outside)),
            "profiles[0].managed_policy_quota",
        );
        assert_eq!(
            message,
            format!(
                "{outside} is outside 10 to 25: IAM allows 10 managed policies per role by default, and 25 at most after a quota increase"
            )
        );
    }
}

/// Policies attached by ARN and policies written count alike, and a role may hold
/// exactly its quota.
#[test]
fn attachments_by_arn_and_written_count_alike_up_to_the_quota() {
    let ctx = first_profile();
    assert_eq!(check_attachment_count(&ctx, 3, 7, 10, false), Ok(()));
    assert_eq!(check_attachment_count(&ctx, 7, 3, 10, false), Ok(()));
    assert_eq!(check_attachment_count(&ctx, 0, 0, 10, false), Ok(()));
    let message = refused(
        check_attachment_count(&ctx, 3, 8, 10, false),
        "profiles[0].managed_policies",
    );
    assert!(
        message.starts_with("this profile attaches 11 managed policies (3 by ARN, 8 written by ssm-profile) but IAM allows 10 per role by default;"),
        "{message}"
    );
    let message = refused(
        check_attachment_count(&ctx, 19, 2, 20, true),
        "profiles[0].managed_policies",
    );
    assert!(
        message.starts_with("this profile attaches 21 managed policies (19 by ARN, 2 written by ssm-profile) but `managed_policy_quota` says the account allows 20 per role;"),
        "{message}"
    );
}

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn numbered_tags(n: usize) -> BTreeMap<String, String> {
    (0..n)
        .map(|i| (format!("k{i:02}"), format!("v{i}")))
        .collect()
}

/// IAM allows 50 tags on a role: 50 pass, 51 are one error at `tags` (and each tag
/// is still judged on its own).
#[test]
fn a_role_may_have_fifty_tags_not_fifty_one() {
    let ctx = first_profile();
    assert_eq!(check_tags(&ctx, &numbered_tags(50)).len(), 50);
    assert_eq!(reported(&ctx), []);
    assert!(check_tags(&ctx, &numbered_tags(0)).is_empty());
    assert_eq!(reported(&ctx), []);

    let over = first_profile();
    assert_eq!(check_tags(&over, &numbered_tags(51)).len(), 51);
    assert_eq!(
        reported(&over),
        [(
            "profiles[0].tags".to_string(),
            "51 tags given; IAM allows at most 50".to_string()
        )]
    );
}

/// A tag comes back only when both its key and its value pass; every error is kept.
#[test]
fn only_tags_with_a_valid_key_and_a_valid_value_come_back() {
    let ctx = first_profile();
    let long_value = "v".repeat(257);
    let given = tags(&[
        ("aws:team", "ops"),
        ("Owner", "platform"),
        ("cost", long_value.as_str()),
        ("env", "prod"),
    ]);
    let kept = check_tags(&ctx, &given);
    let kept: Vec<(&str, &str)> = kept
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
        .collect();
    assert_eq!(kept, [("Owner", "platform"), ("env", "prod")]);
    let errors = reported(&ctx);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "profiles[0].tags.aws:team");
    assert_eq!(
        errors[0].1,
        "tag key `aws:team` begins with `aws:`, which AWS reserves"
    );
    assert!(ctx.errors.borrow()[0].at_key, "a key's error is at the key");
    assert_eq!(errors[1].0, "profiles[0].tags.cost");
    assert!(
        errors[1]
            .1
            .starts_with("the value of tag `cost` is 257 characters; IAM allows 256"),
        "{}",
        errors[1].1
    );
    assert!(
        !ctx.errors.borrow()[1].at_key,
        "a value's error is at the value"
    );
}

#[test]
fn tag_keys_differing_only_in_case_are_one_key_to_iam() {
    let ctx = first_profile();
    let kept = check_tags(&ctx, &tags(&[("Team", "a"), ("team", "b"), ("AWS:x", "c")]));
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].key, "Team");
    let errors = reported(&ctx);
    assert_eq!(
        errors.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["profiles[0].tags.AWS:x", "profiles[0].tags.team"]
    );
    assert!(
        errors[1]
            .1
            .starts_with("tag keys `Team` and `team` differ only in case")
    );
}

/// Each wildcard alone makes a region a wildcard; any other unknown code is not a
/// region of the partition, with the nearest one suggested.
#[test]
fn a_region_with_either_wildcard_is_refused_as_a_wildcard() {
    let ctx = first_profile();
    let aws = partition(PartitionName::Aws);
    let field = "s3.vpc_endpoint_regions[1]";
    assert_eq!(check_region(&ctx, field, "us-east-1", aws), Ok(()));
    for wildcard in ["us-east-*", "us-east-?", "*"] {
        let message = refused(
            check_region(&ctx, field, wildcard, aws),
            "profiles[0].s3.vpc_endpoint_regions[1]",
        );
        assert!(
            message.starts_with(&format!("`{wildcard}` is a wildcard;")),
            "{message}"
        );
    }
    let message = refused(
        check_region(&ctx, field, "us-esat-1", aws),
        "profiles[0].s3.vpc_endpoint_regions[1]",
    );
    assert!(
        message
            .starts_with("`us-esat-1` is not a region of partition aws; did you mean `us-east-1`?"),
        "{message}"
    );
    let cn = partition(PartitionName::AwsCn);
    let message = refused(
        check_region(&ctx, field, "us-east-1", cn),
        "profiles[0].s3.vpc_endpoint_regions[1]",
    );
    assert!(
        message.ends_with("its regions are: cn-north-1, cn-northwest-1"),
        "{message}"
    );
}

/// The object pattern a bucket's prefix grants: slashes around the prefix are not
/// part of it; IAM's wildcards, policy variables, control characters and characters
/// a policy cannot hold are refused, and so is a prefix past 900 bytes.
#[test]
fn a_prefix_becomes_one_object_pattern_or_an_error_at_the_prefix() {
    let ctx = first_profile();
    let field = "s3.buckets[0]";
    let pattern = |prefix: Option<&str>| object_pattern(&ctx, field, "ops", prefix);
    assert_eq!(pattern(None), Ok("ops/*".to_string()));
    assert_eq!(pattern(Some("logs")), Ok("ops/logs/*".to_string()));
    assert_eq!(
        pattern(Some("/logs/app/")),
        Ok("ops/logs/app/*".to_string())
    );
    let at = "profiles[0].s3.buckets[0].prefix";
    assert_eq!(
        refused(pattern(Some("//")), at),
        "the prefix is empty; leave it out to grant the whole bucket"
    );
    for wildcard in ["logs/*", "lo?s", "logs/${aws:username}"] {
        assert_eq!(
            refused(pattern(Some(wildcard)), at),
            format!(
                "prefix `{wildcard}` contains `*`, `?` or `${{`, which IAM reads as a wildcard or a policy variable"
            )
        );
    }
    assert_eq!(
        refused(pattern(Some("logs\u{1}")), at),
        "prefix `logs\u{1}` contains the control character '\\u{1}'"
    );
    assert!(refused(pattern(Some("ログ")), at).starts_with("prefix `ログ` contains U+30ED `ロ`"),);
    assert_eq!(pattern(Some("café")), Ok("ops/café/*".to_string()));

    let longest = "a".repeat(900);
    assert_eq!(
        pattern(Some(&format!("/{longest}/"))),
        Ok(format!("ops/{longest}/*"))
    );
    assert_eq!(
        refused(pattern(Some(&format!("{longest}b"))), at),
        "the prefix is 901 bytes; at most 900 are allowed, so that S3's 1024-byte object keys keep 124 bytes for the names of the objects under it"
    );
}

/// Each whole check passes what its rule allows and refuses, at its field, what it
/// does not: the goldens show these messages in a file; here each check alone.
#[test]
fn each_check_refuses_at_its_own_field() {
    let ctx = first_profile();
    let role = &rules::ROLE_NAME;
    assert_eq!(
        check_iam_name(&ctx, "name", &"r".repeat(64), "a role name", role),
        Ok(())
    );
    assert_eq!(
        refused(
            check_iam_name(&ctx, "name", &"r".repeat(65), "a role name", role),
            "profiles[0].name"
        ),
        format!(
            "`{}` is 65 characters long; a role name must be 1 to 64 characters",
            "r".repeat(65)
        )
    );
    assert_eq!(
        refused(
            check_iam_name(&ctx, "name", "web tier", "a role name", role),
            "profiles[0].name"
        ),
        "`web tier` contains ' '; a role name may contain only letters, digits and _+=,.@-"
    );

    assert_eq!(
        check_path(&ctx, "/platform/ssm/"),
        Ok("/platform/ssm/".to_string())
    );
    assert!(
        refused(check_path(&ctx, "platform"), "profiles[0].path")
            .starts_with("`platform` is not an IAM path")
    );

    assert_eq!(
        check_description(&ctx, "Core ¡sí!"),
        Ok("Core ¡sí!".to_string())
    );
    assert_eq!(
        refused(
            check_description(&ctx, &"d".repeat(1001)),
            "profiles[0].description"
        ),
        "the description is 1001 characters; IAM allows 1000"
    );
    assert!(
        refused(
            check_description(&ctx, "no\u{a0}break"),
            "profiles[0].description"
        )
        .starts_with("the description contains '\\u{a0}', which IAM does not accept")
    );

    assert_eq!(check_session_duration(&ctx, 3600), Ok(3600));
    assert_eq!(check_session_duration(&ctx, 43200), Ok(43200));
    for outside in [3599, 43201] {
        assert!(
            refused(
                check_session_duration(&ctx, outside),
                "profiles[0].max_session_duration"
            )
            .starts_with(&format!("{outside} seconds is outside IAM's range of ")),
        );
    }

    assert!(is_account_id("012345678901"));
    assert!(!is_account_id("01234567890"));
    assert_eq!(
        check_account_id(&ctx, "hybrid.account_id", "012345678901"),
        Ok(())
    );
    assert_eq!(
        refused(
            check_account_id(&ctx, "hybrid.account_id", "1234567890ab"),
            "profiles[0].hybrid.account_id"
        ),
        "`1234567890ab` is not an AWS account ID (12 digits)"
    );

    let bucket = "s3.buckets[1].name";
    assert_eq!(check_bucket_name(&ctx, bucket, "ops-output"), Ok(()));
    assert_eq!(
        refused(
            check_bucket_name(&ctx, bucket, "Ops"),
            "profiles[0].s3.buckets[1].name"
        ),
        "`Ops` is not a valid S3 bucket name: 'O' is not allowed (lowercase letters, digits, `.` and `-` only)"
    );
}

#[test]
fn tag_keys_and_values_are_judged_by_their_own_rules() {
    let ctx = first_profile();
    let long_key = "k".repeat(129);
    let kept = check_tags(
        &ctx,
        &tags(&[
            (&"k".repeat(128), &"v".repeat(256)),
            ("", "empty key"),
            (long_key.as_str(), "v"),
            ("team#1", "ops"),
            ("owner", "ops#1"),
            ("note", ""),
        ]),
    );
    assert_eq!(
        kept.iter().map(|t| t.key.len()).collect::<Vec<_>>(),
        [128, 4],
        "the longest key with the longest value, and an empty value"
    );
    let errors = reported(&ctx);
    let messages: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert_eq!(
        messages[0],
        "tag key `` is 0 characters; IAM allows 1 to 128"
    );
    assert_eq!(
        messages[1],
        format!("tag key `{long_key}` is 129 characters; IAM allows 1 to 128")
    );
    assert!(
        messages[2]
            .starts_with("the value of tag `owner` contains U+0023 `#` (general category Po); "),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].starts_with("tag key `team#1` contains U+0023 `#` (general category Po); "),
        "{}",
        messages[3]
    );
}

/// A managed policy's ARN: AWS's or a 12-digit account's, `policy/` with a path IAM
/// could create policies under, in the profile's partition.
#[test]
fn policy_arns_are_aws_or_an_accounts_in_the_partition() {
    let ctx = first_profile();
    let aws = partition(PartitionName::Aws);
    let field = "permissions_boundary";
    let at = "profiles[0].permissions_boundary";
    for good in [
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws:iam::012345678901:policy/Boundary",
        "arn:aws:iam::012345678901:policy/team/ssm/Boundary",
    ] {
        assert_eq!(
            check_policy_arn(&ctx, field, good, aws),
            Ok(good.to_string())
        );
    }
    let why = |arn: &str| {
        let message = refused(check_policy_arn(&ctx, field, arn, aws), at);
        let prefix = format!("`{arn}` is not a managed policy ARN of partition aws: ");
        assert!(message.starts_with(&prefix), "{message}");
        message[prefix.len()..].to_string()
    };
    assert_eq!(
        why("arn:aws-cn:iam::aws:policy/P"),
        "it must begin with `arn:aws:iam::`"
    );
    assert_eq!(why("arn:aws:iam::aws"), "it has no `:policy/NAME` part");
    assert_eq!(
        why("arn:aws:iam::awz:policy/P"),
        "`awz` is neither `aws` nor a 12-digit account ID"
    );
    assert_eq!(
        why("arn:aws:iam::12345678901:policy/P"),
        "`12345678901` is neither `aws` nor a 12-digit account ID"
    );
    assert_eq!(
        why("arn:aws:iam::aws:role/P"),
        "the resource must be `policy/NAME`"
    );
    assert_eq!(
        why("arn:aws:iam::aws:policy/team/"),
        "`` is not a valid policy name"
    );
    assert!(
        why("arn:aws:iam::aws:policy/te am/P")
            .starts_with("its path `/te am/` is not one IAM creates policies under")
    );
}

#[test]
fn kms_key_arns_are_keys_of_the_partition() {
    let ctx = first_profile();
    let aws = partition(PartitionName::Aws);
    let field = "session_logging.kms_key_arn";
    let key = "arn:aws:kms:us-east-1:012345678901:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    assert_eq!(check_kms_key_arn(&ctx, field, key, aws), Ok(()));
    let alias = "arn:aws:kms:us-east-1:012345678901:alias/logs";
    assert_eq!(
        refused(
            check_kms_key_arn(&ctx, field, alias, aws),
            "profiles[0].session_logging.kms_key_arn"
        ),
        format!(
            "`{alias}` is not a KMS key ARN: the resource must be `key/KEY-ID` (a policy grants the use of a key on its key ARN, not on an alias ARN)"
        )
    );
}

use super::*;

fn names(buckets: Vec<AgentBucket>) -> Vec<String> {
    buckets.into_iter().map(|b| b.name).collect()
}

#[test]
fn exceptions_replace_the_default_buckets() {
    let af = names(current_agent_buckets("af-south-1"));
    assert!(af.contains(&"aws-ssm-distributor-file-af-south-1".to_string()));
    assert!(!af.iter().any(|b| b.contains("birdwatcher")));
    assert!(af.contains(&"patch-baseline-snapshot-af-south-1-tbxdb5b9".to_string()));
    let me = names(current_agent_buckets("me-south-1"));
    assert!(me.contains(&"patch-baseline-snapshot-me-south-1-uduvl7q8".to_string()));
    assert!(me.contains(&"me-south-1-birdwatcher-prod".to_string()));
    let use2 = names(current_agent_buckets("us-east-2"));
    assert_eq!(use2.len(), 9);
    assert!(use2.contains(&"patch-baseline-snapshot-us-east-2".to_string()));
}

#[test]
fn current_buckets_add_the_patch_manager_buckets_of_aws_facts_2a() {
    assert_eq!(
        names(current_agent_buckets("us-east-2")),
        [
            "aws-ssm-us-east-2",
            "aws-windows-downloads-us-east-2",
            "amazon-ssm-us-east-2",
            "amazon-ssm-packages-us-east-2",
            "us-east-2-birdwatcher-prod",
            "aws-ssm-document-attachments-us-east-2",
            "patch-baseline-snapshot-us-east-2",
            "aws-patch-manager-us-east-2-552881074",
            "aws-patchmanager-macos-us-east-2-552881074",
        ]
    );
    // AWS-RunPatchBaseline reads from the Patch Manager bucket here; aws-ssm stays.
    let af = names(current_agent_buckets("af-south-1"));
    assert!(af.contains(&"aws-ssm-af-south-1".to_string()));
    assert!(af.contains(&"aws-patch-manager-af-south-1-bdd5f65a9".to_string()));
}

#[test]
fn me_south_1_names_the_patch_manager_bucket_instead_of_aws_ssm() {
    let me = current_agent_buckets("me-south-1");
    let names: Vec<&str> = me.iter().map(|b| b.name.as_str()).collect();
    assert!(!names.contains(&"aws-ssm-me-south-1"), "{names:?}");
    let pm = "aws-patch-manager-me-south-1-a53fc9dce";
    assert_eq!(names.iter().filter(|n| **n == pm).count(), 1, "{names:?}");
    assert_eq!(names[0], pm);
    assert!(me[0].purpose.contains("instead of aws-ssm-me-south-1"));
    assert!(names.contains(&"aws-patchmanager-macos-me-south-1-a53fc9dce"));
    assert_eq!(names.len(), 8);
}

#[test]
fn the_patch_baseline_payload_is_named_where_it_is_read() {
    let payload = |region: &str| -> Vec<String> {
        current_agent_buckets(region)
            .into_iter()
            .filter(|b| b.purpose.contains("AWS-RunPatchBaseline"))
            .map(|b| b.name)
            .collect()
    };
    assert_eq!(payload("us-east-1"), ["aws-ssm-us-east-1"]);
    assert_eq!(
        payload("ap-northeast-3"),
        ["aws-patch-manager-ap-northeast-3-67373598a"]
    );
    assert_eq!(
        payload("me-south-1"),
        ["aws-patch-manager-me-south-1-a53fc9dce"]
    );
    for r in RUN_PATCH_BASELINE_FROM_PATCH_MANAGER {
        assert!(patch_manager_suffix(r).is_some(), "{r}");
    }
}

#[test]
fn every_bucket_has_a_purpose_and_a_dated_source() {
    for region in AWS_REGIONS {
        for b in current_agent_buckets(region)
            .iter()
            .chain(&seed_agent_buckets(region))
        {
            assert!(!b.purpose.is_empty(), "{}", b.name);
            assert!(!b.source.date.is_empty() && !b.source.doc.is_empty());
            assert!(
                !b.name.contains("REGION") && !b.name.contains("SUFFIX"),
                "{}",
                b.name
            );
        }
    }
    let use1 = current_agent_buckets("us-east-1");
    let pm = use1
        .iter()
        .find(|b| b.name.starts_with("aws-patch-manager"))
        .unwrap();
    assert_eq!(pm.source, &PATCHING_BUCKETS_PAGE);
    assert_eq!(seed_agent_buckets("us-east-1")[0].source, &SEED_PAGE);
}

#[test]
fn every_region_with_documented_buckets_has_patch_manager_buckets() {
    for region in AWS_REGIONS {
        let documented = agent_buckets_confirmed(PartitionName::Aws, region) == Confirmed::Yes;
        assert_eq!(
            documented,
            patch_manager_suffix(region).is_some(),
            "{region}"
        );
    }
}

#[test]
fn partition_facts_follow_aws_facts_4_and_6() {
    assert_eq!(
        ssm_principal_confirmed(PartitionName::AwsCn),
        Confirmed::Yes
    );
    assert!(matches!(
        ssm_principal_confirmed(PartitionName::AwsEusc),
        Confirmed::No(_)
    ));
    assert_eq!(
        aws_managed_policy_confirmed(PartitionName::AwsCn, CORE_POLICY),
        Confirmed::Yes
    );
    for p in [
        PartitionName::AwsCn,
        PartitionName::AwsUsGov,
        PartitionName::AwsEusc,
    ] {
        assert!(matches!(
            aws_managed_policy_confirmed(p, CLOUDWATCH_AGENT_POLICY),
            Confirmed::No(_)
        ));
    }
}

#[test]
fn tags_take_letters_separators_and_numbers_but_not_marks() {
    for c in [
        'a', 'É', 'ǅ', 'ʰ', 'ロ', '名', 'ह', ' ', '\u{a0}', '\u{3000}', '7', 'Ⅻ', '½', '@',
    ] {
        assert!(rules::TAG_CHARS.allows(c), "{c:?}");
    }
    // U+093F and U+0940 are Mc, U+0902 is Mn: "हिंदी" is refused.
    for c in ['\u{93f}', '\u{902}', '\u{301}', '\t', '#', '!', '€', '😀'] {
        assert!(!rules::TAG_CHARS.allows(c), "{c:?}");
    }
}

#[test]
fn policy_documents_take_latin_1_and_three_controls() {
    for c in ['\t', '\n', '\r', ' ', '~', '\u{7f}', '\u{a0}', 'é', 'ÿ'] {
        assert!(limits::policy_document_char(c), "{c:?}");
    }
    for c in ['\u{0}', '\u{b}', '\u{1f}', 'Ā', 'ロ', '\u{2028}', '😀'] {
        assert!(!limits::policy_document_char(c), "{c:?}");
    }
}

#[test]
fn seed_buckets_are_the_six_of_the_page() {
    assert_eq!(
        names(seed_agent_buckets("us-east-2")),
        [
            "aws-ssm-us-east-2",
            "aws-windows-downloads-us-east-2",
            "amazon-ssm-us-east-2",
            "amazon-ssm-packages-us-east-2",
            "us-east-2-birdwatcher-prod",
            "patch-baseline-snapshot-us-east-2",
        ]
    );
}

#[test]
fn every_exception_region_is_a_real_region() {
    for (r, _) in SNAPSHOT_EXCEPTIONS.iter().chain(PATCH_MANAGER_SUFFIXES) {
        assert!(AWS_REGIONS.contains(r), "{r}");
    }
    for r in DISTRIBUTOR_FILE_REGIONS
        .iter()
        .chain(UNCONFIRMED_BUCKET_REGIONS)
    {
        assert!(AWS_REGIONS.contains(r), "{r}");
    }
}

/// aws-cn's DHMC warning says what AWS China does document (the setting) and what no
/// source confirms (the policy); the other unconfirmed partitions get the general one.
#[test]
fn dhmc_in_aws_cn_is_warned_about_its_policy_not_the_setting() {
    use crate::spec::PartitionName;
    assert_eq!(dhmc::confirmed(PartitionName::Aws), Confirmed::Yes);
    let Confirmed::No(cn) = dhmc::confirmed(PartitionName::AwsCn) else {
        panic!("aws-cn is not confirmed");
    };
    assert!(
        cn.starts_with("AWS China documents the Default Host Management Configuration setting"),
        "{cn}"
    );
    assert!(cn.contains("https://docs.amazonaws.cn/"), "{cn}");
    for other in [PartitionName::AwsUsGov, PartitionName::AwsEusc] {
        let Confirmed::No(why) = dhmc::confirmed(other) else {
            panic!("{other:?} is not confirmed");
        };
        assert!(
            why.ends_with("no source confirms them in this partition"),
            "{why}"
        );
    }
}

use crate::source::Source;

/// The warnings of a one-profile spec whose profile is `profile` (YAML lines
/// below `- name: p`).
pub(crate) fn warnings(profile: &str) -> Vec<String> {
    let spec = format!("version: 1\nprofiles:\n  - name: p\n{profile}");
    let model = crate::load(&Source::new("spec.yaml", spec)).expect("a valid spec");
    (model.profiles[0].warnings.iter())
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn aws_managed_policies_outside_aws_warn_unless_documented() {
    let policies = |partition: &str| {
        warnings(&format!(
            "    partition: {partition}\n    managed_policies:\n      cloudwatch_agent: true\n      additional: [arn:{partition}:iam::aws:policy/service-role/AmazonSSMAutomationRole, arn:{partition}:iam::111122223333:policy/Mine]\n"
        ))
    };
    let about = |w: &[String], policy: &str| {
        w.iter()
            .any(|w| w.starts_with(&format!("AWS managed policy {policy} in partition ")))
    };
    let aws = policies("aws");
    assert!(
        !aws.iter().any(|w| w.starts_with("AWS managed policy")),
        "{aws:?}"
    );
    let cn = policies("aws-cn");
    assert!(!about(&cn, "AmazonSSMManagedInstanceCore"), "{cn:?}");
    assert!(about(&cn, "CloudWatchAgentServerPolicy"), "{cn:?}");
    assert!(about(&cn, "AmazonSSMAutomationRole"), "{cn:?}");
    assert!(
        !about(&cn, "Mine"),
        "a customer policy is the user's: {cn:?}"
    );
    for partition in ["aws-us-gov", "aws-eusc"] {
        let w = policies(partition);
        assert!(about(&w, "AmazonSSMManagedInstanceCore"), "{w:?}");
        assert!(w.iter().any(|w| w == &format!("AWS managed policy CloudWatchAgentServerPolicy in partition {partition}: no AWS source confirms that it exists in this partition (AWS Managed Policy Reference, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/, as of 2026-12-06, documents the aws partition); if it does not, the attachment fails at deploy with NoSuchEntity")), "{w:?}");
    }
}

#[test]
fn the_dhmc_policy_is_warned_about_once() {
    let w = warnings("    kind: default-host-management\n    partition: aws-us-gov\n");
    let about = w
        .iter()
        .filter(|w| w.contains(crate::refdata::dhmc::POLICY))
        .count();
    assert_eq!(about, 1, "{w:?}");
}

#[test]
fn the_hybrid_principal_is_documented_in_aws_and_aws_cn_only() {
    let hybrid = |partition: &str| {
        warnings(&format!(
            "    kind: hybrid-service-role\n    partition: {partition}\n"
        ))
    };
    assert_eq!(hybrid("aws"), Vec::<String>::new());
    assert_eq!(hybrid("aws-cn"), Vec::<String>::new());
    for partition in ["aws-us-gov", "aws-eusc"] {
        let w = hybrid(partition);
        assert!(
            w.iter().any(|w| w.contains("ssm.amazonaws.com")
                && w.ends_with(&format!("no source confirms another name in {partition}"))),
            "{w:?}"
        );
    }
}

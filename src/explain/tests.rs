use super::*;

#[test]
fn durations_read_as_hours() {
    assert_eq!(duration(3600), "1 hour");
    assert_eq!(duration(7200), "2 hours");
    assert_eq!(duration(5400), "1 hour 30 minutes");
}

#[test]
fn deploy_time_parts_are_named() {
    let t = Text(vec![
        Part::Literal("arn:aws:ssm:".into()),
        Part::Region,
        Part::Literal(":".into()),
        Part::AccountId,
    ]);
    assert_eq!(
        text(&t),
        "arn:aws:ssm:<the deploying region>:<the deploying account>"
    );
}

fn explained(spec: &str) -> String {
    let model = crate::load(&crate::source::Source::new("spec.yaml", spec.to_string()))
        .expect("a valid spec");
    explain(&model, "spec.yaml")
}

/// A hybrid service role's credentials are used by the servers and VMs registered
/// through an activation: managed nodes, never EC2 instances.
#[test]
fn a_hybrid_role_reads_parameters_on_managed_nodes_not_instances() {
    let head = "version: 1\nprofiles:\n  - name: p\n    kind: hybrid-service-role\n";
    for spec in [
        head.to_string(),
        format!("{head}    parameter_store:\n      readable: [\"/a/*\"]\n"),
    ] {
        let out = explained(&spec);
        let section = &out[out.find("  Parameter Store").expect("the section")..];
        let section = &section[..section.find("\n  Instance profile").expect("the next")];
        assert!(section.contains("managed node"), "{section}");
        assert!(!section.contains("instance "), "{section}");
        assert!(!section.contains("instance'"), "{section}");
    }
}

/// The readable names are parameters of the deploying account, and explain says so.
#[test]
fn readable_names_are_shown_in_the_deploying_account() {
    let out = explained(
        "version: 1\nprofiles:\n  - name: p\n    parameter_store:\n      readable: [\"/a/*\"]\n",
    );
    assert!(
        out.contains("arn:aws:ssm:*:<the deploying account>:parameter/a/*"),
        "{out}"
    );
    assert!(!out.contains(":*:*:parameter"), "{out}");
}

use super::docs::md_escape;
use super::*;

#[test]
fn md_escape_leaves_code_spans_alone() {
    for (input, expected) in [
        ("plain", "plain"),
        ("name_prefix", "name\\_prefix"),
        ("`name_prefix` and a_b", "`name_prefix` and a\\_b"),
        ("a | b", "a \\| b"),
        ("`a|b`", "`a\\|b`"),
        ("two\nlines", "two<br/>lines"),
        ("*bold*", "\\*bold\\*"),
    ] {
        assert_eq!(md_escape(input), expected, "{input:?}");
    }
}

fn model(yaml: &str) -> Model {
    crate::load(&crate::source::Source::new("spec.yaml", yaml)).expect("a valid spec")
}

#[test]
fn profiles_that_differ_keep_their_own_path_and_boundary() {
    let m = model(
        "version: 1\nprofiles:\n  - name: a\n    path: /a/\n    permissions_boundary: arn:aws:iam::111122223333:policy/B\n  - name: b\n",
    );
    let inputs = Inputs::new(&m);
    assert_eq!(inputs.path(0).to_hcl(), "coalesce(var.path, \"/a/\")");
    assert_eq!(inputs.path(1).to_hcl(), "coalesce(var.path, \"/\")");
    assert_eq!(
        inputs.boundary(0).to_hcl(),
        "coalesce(var.permissions_boundary, \"arn:aws:iam::111122223333:policy/B\")"
    );
    assert_eq!(inputs.boundary(1).to_hcl(), "var.permissions_boundary");
    let path = inputs.variables.iter().find(|v| v.name == "path").unwrap();
    assert_eq!(path.default_hcl(), "null");
}

#[test]
fn the_name_prefix_leaves_room_for_the_longest_name() {
    let m = model("version: 1\nprofiles:\n  - name: SSMInstanceProfile\n");
    let inputs = Inputs::new(&m);
    let prefix = inputs
        .variables
        .iter()
        .find(|v| v.name == "name_prefix")
        .unwrap();
    // A role name is at most 64 characters; SSMInstanceProfile takes 18.
    assert!(
        prefix.validations[0]
            .condition
            .starts_with("length(var.name_prefix) <= 46 ")
    );
    assert_eq!(
        inputs.name("R\"${x}").to_hcl(),
        "\"${var.name_prefix}R\\\"$${x}\""
    );
}

use super::*;

fn tags_of(name: &str, text: &str) -> Vec<(String, String)> {
    let spec = Source::new(name, text).parse().expect("valid");
    spec.profiles[0].tags.clone().into_iter().collect()
}

#[test]
fn a_tag_without_a_value_has_the_empty_value() {
    let yaml = "version: 1\nprofiles:\n  - name: a\n    tags:\n      a:\n      b: ~\n      c: null\n      d: 4711\n";
    let expected = [("a", ""), ("b", ""), ("c", ""), ("d", "4711")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(tags_of("spec.yaml", yaml), expected);
    let json = r#"{"version": 1, "profiles": [{"name": "a", "tags": {"a": null}}]}"#;
    assert_eq!(
        tags_of("spec.json", json),
        [("a".to_string(), String::new())]
    );
}

#[test]
fn a_tag_given_twice_is_an_error_at_the_tags() {
    let yaml = "version: 1\nprofiles:\n  - name: a\n    tags:\n      a: x\n      a: y\n";
    let err = Source::new("spec.yaml", yaml).parse().unwrap_err();
    assert_eq!(err.path, "profiles[0].tags");
    assert_eq!(err.message, "tag `a` is given twice");
}

#[test]
fn the_field_index_is_read_once_for_every_error_and_warning() {
    let source = Source::new("s.yaml", "version: 1\nprofiles:\n  - name: a\n");
    let first = source.error_at("profiles[0].name", "m").location;
    let index: *const PathIndex = source.index();
    assert_eq!((first.line, first.column), (3, 11));
    assert_eq!(source.error_at("profiles[0]", "m").location.line, 3);
    assert!(std::ptr::eq(index, source.index()));
}

#[test]
fn an_alias_counts_as_its_anchor_written_out_with_the_aliases_inside_it() {
    // `*b` is 40 bytes of text but stands for ten `*a`s of 10,000 bytes each.
    let a = "x".repeat(10_000);
    let mut yaml = format!("a: &a [{a}]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc:\n");
    for _ in 0..12 {
        yaml.push_str("  - *b\n");
    }
    let refusal = yaml_prescan(&yaml).expect("refused");
    // 10 KB + 100 KB, then 100 KB per `*b`: the tenth (line 13) crosses 1 MiB.
    assert_eq!((refusal.mark.line(), refusal.mark.col() + 1), (13, 5));
    assert_eq!(refusal.path, "c[9]");
    assert!(
        refusal
            .message
            .starts_with("aliases (`*name`) expand this spec")
    );
    let short: String = yaml.lines().take(12).map(|l| format!("{l}\n")).collect();
    assert!(yaml_prescan(&short).is_none());
}

#[test]
fn yaml_written_as_json_is_read_as_json() {
    let text = "{\"version\": 1,\n \"profiles\": [{\"name\": \"a\", \"bogus\": 1}]}";
    let as_yaml = Source::new("spec.yaml", text);
    assert!(as_yaml.is_json());
    let (yaml, json) = (
        as_yaml.parse().unwrap_err(),
        Source::new("spec.json", text).parse().unwrap_err(),
    );
    assert_eq!((yaml.location, &yaml.path), (json.location, &json.path));
    assert_eq!(yaml.location.line, 2);
    // Block YAML, and flow YAML that is not JSON, stay YAML.
    assert!(!Source::new("spec.yaml", "version: 1\n").is_json());
    assert!(!Source::new("spec.yaml", "{version: 1}").is_json());
    // Broken JSON on standard input still gets serde_json's message.
    assert!(Source::new("<stdin>", "{\"version\": 1,").is_json());
}

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
    let refusal = yaml_prescan(&yaml, PathIndex::recording_nothing()).expect_err("refused");
    // 10 KB + 100 KB, then 100 KB per `*b`: the tenth (line 13) crosses 1 MiB.
    assert_eq!((refusal.mark.line(), refusal.mark.col() + 1), (13, 5));
    assert_eq!(refusal.path, "c[9]");
    assert!(
        refusal
            .message
            .starts_with("aliases (`*name`) expand this spec")
    );
    let short: String = yaml.lines().take(12).map(|l| format!("{l}\n")).collect();
    assert!(yaml_prescan(&short, PathIndex::recording_nothing()).is_ok());
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

/// Only the errors that can be printed are placed exactly (issue 20); the printed
/// ones must be where placing every error exactly puts them, in both readers and
/// with a top-level field written after the profiles.
#[test]
fn the_errors_a_run_prints_are_placed_as_if_every_error_were() {
    let profiles = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("{{name: p{i}, tags: {{aws:x: v, aws:y: v}}, path: bad}}"))
            .collect()
    };
    let yaml = format!("profiles: [{}]\nversion: 2\n", profiles(40).join(",\n  "));
    let json = format!(
        "{{\"profiles\": [{}], \"version\": 2}}",
        (0..40)
            .map(|i| format!(
                "{{\"name\": \"p{i}\", \"tags\": {{\"aws:x\": \"v\", \"aws:y\": \"v\"}}, \"path\": \"bad\"}}"
            ))
            .collect::<Vec<_>>()
            .join(",\n  ")
    );
    for (name, text) in [("s.yaml", yaml), ("s.json", json)] {
        // The model's order is not the file's: each profile's errors, reversed.
        let mut errors = vec![RuleError::new("version", "v")];
        for i in 0..40 {
            for field in ["path", "tags.aws:y", "tags.aws:x"] {
                errors.push(RuleError::new(format!("profiles[{i}].{field}"), "m"));
            }
        }
        let placed = Source::new(name, text.clone()).locate_all(errors.clone(), 50);
        let exact = Source::new(name, text);
        let mut every: Vec<SpecError> = errors.into_iter().map(|e| exact.locate(e)).collect();
        let order = |e: &SpecError| (e.location.line, e.location.column);
        let mut placed = placed;
        placed.sort_by_key(order);
        every.sort_by_key(order);
        assert_eq!(placed.len(), every.len());
        let first = |v: &[SpecError]| -> Vec<(String, usize, usize)> {
            v.iter()
                .take(50)
                .map(|e| (e.path.clone(), e.location.line, e.location.column))
                .collect()
        };
        assert_eq!(first(&placed), first(&every), "{name}");
        // And the rest is counted at its profile, not dropped.
        let last = placed.last().expect("placed");
        assert_eq!(
            last.path, "version",
            "{name}: the top-level field comes last"
        );
    }
}

/// The index the prescan leaves for a small spec is the one `locate` would build by
/// reading the text again, for every YAML fixture (and a duplicate key, which only
/// the index's `repeats` hold).
#[test]
fn the_prescans_index_is_the_index_a_second_reading_builds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = vec!["version: 1\nprofiles:\n  - name: a\n    name: b\n".to_string()];
    for entry in std::fs::read_dir(root).unwrap() {
        let spec = entry.unwrap().path().join("spec.yaml");
        if let Ok(text) = std::fs::read_to_string(spec) {
            texts.push(text);
        }
    }
    assert!(texts.len() > 20, "{} fixtures", texts.len());
    for text in &texts {
        let scanned = (yaml_prescan(text, PathIndex::default()).unwrap().index).unwrap();
        assert_eq!(scanned, PathIndex::build(text, false), "{text}");
        assert_ne!(scanned, PathIndex::recording_nothing());
    }
    // The program's path: a valid spec's source keeps the scan's index, which
    // nothing else would have built.
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/seed/spec.yaml"
    ));
    let source = Source::new("spec.yaml", seed.unwrap());
    source.parse().unwrap();
    assert_eq!(
        source.index.get(),
        Some(&PathIndex::build(&source.text, false))
    );
}

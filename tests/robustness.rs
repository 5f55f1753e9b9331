//! No input makes the compiler panic: every fixture spec, cut short at every
//! position and with characters swapped for troublesome ones, either compiles in
//! every target or fails with a located error. Plus inputs built to hurt parsers.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

/// Compiles `text` as `name`, through every output when `render`; returns whether
/// it was valid.
fn compile(name: &str, text: &str, render: bool) -> bool {
    let source = Source::new(name, text);
    let result = catch_unwind(AssertUnwindSafe(|| match ssm_profile::load(&source) {
        Ok(model) => {
            for o in Output::all().filter(|_| render) {
                let _ = o.render(&model, RenderOptions::default());
            }
            true
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(
                shown.starts_with(name),
                "error does not name the file: {shown}"
            );
            assert!(e.location.line >= 1 && e.location.column >= 1);
            false
        }
    }));
    match result {
        Ok(valid) => valid,
        Err(_) => panic!("panicked on {name}:\n{text}"),
    }
}

fn fixture_specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in [root.clone(), root.join("invalid")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            for name in ["spec.yaml", "spec.json"] {
                if let Ok(text) = std::fs::read_to_string(path.join(name)) {
                    out.push((name.to_string(), text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn truncated_specs_never_panic() {
    let mut valid = 0;
    for (name, text) in fixture_specs() {
        // Rendering every valid prefix would take a minute in a debug build; the
        // prefixes cut at a line end are the ones most likely to be whole specs.
        for (i, _) in text.char_indices() {
            let at_line_end = text[..i].ends_with('\n');
            valid += usize::from(compile(&name, &text[..i], at_line_end));
        }
    }
    // Some prefixes (cut at a line end) are complete specs: the harness did compile.
    assert!(valid > 0);
}

#[test]
fn mutated_specs_never_panic() {
    const TROUBLE: &[&str] = &[
        "\"", "'", "\0", "{", "]", "- ", ": ", "\t", "\n", "é", "*", "&a", "!!", "${", "\\", "%",
        "#", "1e999", "-1",
    ];
    for (name, text) in fixture_specs() {
        let positions: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
        for (n, &i) in positions.iter().enumerate() {
            let t = TROUBLE[n % TROUBLE.len()];
            let mut mutated = text.clone();
            let end = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
            mutated.replace_range(i..end, t);
            compile(&name, &mutated, true);
        }
    }
}

#[test]
fn hostile_documents_never_panic() {
    let deep_yaml = format!(
        "version: 1\nprofiles: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let deep_json = format!(
        "{{\"version\": 1, \"profiles\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nversion: 1\nprofiles: [*d]\n";
    let cases = [
        ("spec.yaml", ""),
        ("spec.yaml", "\u{feff}"),
        ("spec.yaml", "---\n...\n"),
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: a\n---\nversion: 1\n",
        ),
        ("spec.yaml", "version: 18446744073709551616\n"),
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: a\n    max_session_duration: -5\n",
        ),
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: a\n    tags: {? [x] : y}\n",
        ),
        ("spec.yaml", &deep_yaml),
        ("spec.json", &deep_json),
        ("spec.yaml", laughs),
        (
            "spec.json",
            "{\"version\": 1, \"profiles\": [{\"name\": \"a\"}]} trailing",
        ),
        ("spec.json", "\u{0}\u{1}\u{2}"),
    ];
    for (name, text) in cases {
        compile(name, text, true);
    }
}

/// The documented limits (docs/spec.md): 1 MiB, 64 levels of nesting. Beyond them a
/// spec is refused before a parser reads it, quickly whatever the input's shape.
#[test]
fn limits_are_refused_before_parsing_and_quickly() {
    use ssm_profile::source::{MAX_DEPTH, MAX_SPEC_BYTES};
    let half = MAX_SPEC_BYTES / 2 - 100;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "spec.yaml",
            format!(
                "version: 1\nprofiles: {}{}\n",
                "[".repeat(half),
                "]".repeat(half)
            ),
            "nested more than 64",
        ),
        (
            "spec.yaml",
            format!(
                "version: 1\nprofiles: {}{}\n",
                "{a: ".repeat(half / 4),
                "}".repeat(half / 4)
            ),
            "nested more than 64",
        ),
        (
            "spec.yaml",
            format!("version: 1\nprofiles:\n{}x\n", "- ".repeat(half)),
            "nested more than 64",
        ),
        (
            "spec.json",
            format!(
                "{{\"version\": 1, \"profiles\": {}{}}}",
                "[".repeat(half),
                "]".repeat(half)
            ),
            "nested more than 64",
        ),
        (
            "spec.yaml",
            format!(
                "version: 1\nprofiles: []\n#{}\n",
                "x".repeat(MAX_SPEC_BYTES)
            ),
            "larger than 1048576 bytes",
        ),
    ];
    for (name, text, expected) in cases {
        let started = std::time::Instant::now();
        let err = Source::new(name, text).parse().unwrap_err();
        let took = started.elapsed();
        assert!(err.message.contains(expected), "{name}: {}", err.message);
        assert!(
            took < std::time::Duration::from_secs(1),
            "{name}: refused in {took:?}"
        );
    }
    // Exactly at the limit is fine.
    let nested = format!(
        "{{\"version\": 1, \"profiles\": [{{\"name\": \"a\", \"tags\": {{}}}}], \"x\": {}{}}}",
        "[".repeat(MAX_DEPTH - 1),
        "]".repeat(MAX_DEPTH - 1)
    );
    let err = Source::new("spec.json", nested).parse().unwrap_err();
    assert!(err.message.contains("unknown field `x`"), "{}", err.message);
}

/// A spec just under the size limit (a long comment) is read in reasonable time.
#[test]
fn a_spec_near_the_size_limit_is_read() {
    let mut text = String::from("version: 1\nprofiles:\n  - name: a\n");
    while text.len() < ssm_profile::source::MAX_SPEC_BYTES - 100 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let started = std::time::Instant::now();
    assert!(compile("spec.yaml", &text, false));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// Editors on Windows write a byte-order mark: the spec means the same.
#[test]
fn a_byte_order_mark_is_ignored() {
    for (name, text) in [
        ("spec.yaml", "\u{feff}version: 1\nprofiles:\n  - name: a\n"),
        (
            "spec.json",
            "\u{feff}{\"version\": 1, \"profiles\": [{\"name\": \"a\"}]}",
        ),
        (
            "<stdin>",
            "\u{feff}{\"version\": 1, \"profiles\": [{\"name\": \"a\"}]}",
        ),
    ] {
        let model =
            ssm_profile::load(&Source::new(name, text)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(model.profiles[0].name, "a");
    }
}

/// YAML features a spec refuses, each named, and decimal integers.
#[test]
fn yaml_tags_merge_keys_and_non_decimal_integers_are_refused() {
    let base = "version: 1\nprofiles:\n  - name: a\n";
    let cases = [
        (format!("{base}    description: !Ref Foo\n"), "`!Ref`"),
        (format!("{base}    description: !!str text\n"), "`!!str`"),
        (format!("{base}    tags: !!map {{a: b}}\n"), "`!!map`"),
        (
            "x: &x {name: a}\nversion: 1\nprofiles:\n  - <<: *x\n".to_string(),
            "merge keys",
        ),
        (
            format!("{base}    max_session_duration: 0x1000\n"),
            "`0x1000`",
        ),
        (
            format!("{base}    max_session_duration: 0b111\n"),
            "`0b111`",
        ),
        (
            format!("{base}    max_session_duration: 3_600\n"),
            "`3_600`",
        ),
        ("version: -0\nprofiles: []\n".to_string(), "`-0`"),
        (
            format!("{base}    max_session_duration: 03600\n"),
            "`03600`",
        ),
    ];
    for (text, expected) in cases {
        let err = Source::new("spec.yaml", text.as_str()).parse().unwrap_err();
        assert!(err.to_string().contains(expected), "{text}\n{err}");
    }
    // Aliases of whole values still work, and decimal stays decimal.
    let text = format!(
        "{base}    tags: &t {{team: ops}}\n  - name: b\n    max_session_duration: 3600\n    tags: *t\n"
    );
    let model = ssm_profile::load(&Source::new("spec.yaml", text)).unwrap();
    assert_eq!(model.profiles[1].tags[0].value, "ops");
}

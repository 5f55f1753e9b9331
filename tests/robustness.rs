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

//! The house rules of ARCHITECTURE.md, checked on the source itself: no file in src/
//! over 600 lines, and imports that point down only.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The code of a file without its unit tests, which may reach any layer.
fn code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = src()
        .iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .map(|(name, text)| format!("{name}: {} lines", text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these by concern: {long:#?}");
}

#[test]
fn imports_point_down_only() {
    // (files under this prefix, layers they must not name)
    let rules: &[(&str, &[&str])] = &[
        (
            "model/",
            &[
                "crate::source",
                "crate::backend",
                "crate::cli",
                "crate::workflow",
            ],
        ),
        (
            "backend/",
            &[
                "crate::cli",
                "crate::workflow",
                "crate::source",
                "crate::load",
            ],
        ),
        (
            "spec.rs",
            &[
                "crate::model",
                "crate::backend",
                "crate::source",
                "crate::cli",
            ],
        ),
        (
            "refdata.rs",
            &[
                "crate::model",
                "crate::backend",
                "crate::source",
                "crate::cli",
            ],
        ),
        (
            "schema.rs",
            &[
                "crate::model",
                "crate::backend",
                "crate::cli",
                "crate::workflow",
            ],
        ),
        ("text.rs", &["crate::"]),
        (
            "diag.rs",
            &[
                "crate::model",
                "crate::backend",
                "crate::cli",
                "crate::workflow",
            ],
        ),
        (
            "atomic.rs",
            &[
                "crate::model",
                "crate::backend",
                "crate::cli",
                "crate::workflow",
            ],
        ),
        ("workflow", &["crate::cli"]),
    ];
    let mut broken = Vec::new();
    // Unit-test files (`tests.rs`) may reach any layer, like `#[cfg(test)]` blocks.
    for (name, text) in src().into_iter().filter(|(n, _)| !n.ends_with("tests.rs")) {
        for (prefix, banned) in rules {
            if !name.starts_with(prefix) {
                continue;
            }
            for b in *banned {
                if code(&text).contains(b) {
                    broken.push(format!("{name} names {b}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_house_rules_can_fail() {
    assert!(code("use crate::cli;\n#[cfg(test)]\nuse crate::x;").contains("crate::cli"));
    assert!(!code("a\n#[cfg(test)]\nuse crate::cli;").contains("crate::cli"));
}

//! The house rules of ARCHITECTURE.md, checked on the source itself: no file over
//! 600 lines, imports that point down only, no import cycle between files, and no
//! glob import in production code. Imports are read with a Rust parser
//! (`house/imports.rs`), so `use crate::{backend::stacks}`, `use super::{self, x}`,
//! renames and paths in code (`stacks::part(..)`) all count.

#[path = "house/imports.rs"]
mod imports;

use std::collections::BTreeSet;
use std::path::Path;

use imports::{File, cycles, edges};

const MAX_LINES: usize = 600;

fn src() -> Vec<(String, String)> {
    imports::sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

fn files() -> Vec<File> {
    imports::read(&src())
}

/// Every path a file names in the crate, as `crate::a::b`.
fn named(f: &File) -> impl Iterator<Item = String> + '_ {
    f.uses
        .iter()
        .map(|u| &u.path)
        .chain(&f.paths)
        .map(|p| format!("crate::{}", p.join("::")))
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        for (name, text) in imports::sources(&root.join(dir)) {
            if text.lines().count() > MAX_LINES {
                long.push(format!("{dir}/{name}: {} lines", text.lines().count()));
            }
        }
    }
    assert!(long.is_empty(), "split these by concern: {long:#?}");
}

/// (files under this prefix, what of the crate they must not name)
const LAYERS: &[(&str, &[&str])] = &[
    (
        "model/",
        &[
            "crate::source",
            "crate::backend",
            "crate::cli",
            "crate::workflow",
            "crate::load",
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
        "refdata",
        &[
            "crate::model",
            "crate::backend",
            "crate::source",
            "crate::cli",
            "crate::schema",
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
    ("text", &["crate::"]),
    ("memory.rs", &["crate::"]),
    (
        "diag",
        &[
            "crate::model",
            "crate::backend",
            "crate::cli",
            "crate::workflow",
        ],
    ),
    (
        "atomic",
        &[
            "crate::model",
            "crate::backend",
            "crate::cli",
            "crate::workflow",
        ],
    ),
    ("workflow", &["crate::cli"]),
    ("explain.rs", &["crate::cli", "crate::workflow"]),
    ("impact", &["crate::cli", "crate::workflow"]),
];

fn layer_breaks(files: &[File]) -> Vec<String> {
    let mut broken = Vec::new();
    for f in files {
        for (prefix, banned) in LAYERS {
            if !f.name.starts_with(prefix) {
                continue;
            }
            for path in named(f) {
                if let Some(b) = banned.iter().find(|b| path.starts_with(**b)) {
                    broken.push(format!("{} names {path} ({b})", f.name));
                }
            }
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

#[test]
fn imports_point_down_only() {
    let broken = layer_breaks(&files());
    assert!(broken.is_empty(), "{broken:#?}");
}

fn cycle_report(files: &[File]) -> Vec<String> {
    let edges = edges(files);
    let nodes: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let module = |name: &str| &files.iter().find(|f| f.name == name).unwrap().module;
    // A child reading its parent (`super::RenderError`) is how a folder shares its
    // vocabulary; the cycles that matter are between files that are not each
    // other's ancestors, and a parent that reaches down into a child that reaches
    // sideways back into it.
    let pairs: BTreeSet<(String, String)> = edges
        .keys()
        .filter(|(a, b)| {
            let (a, b) = (module(a), module(b));
            !(a.starts_with(b) && a.len() > b.len())
        })
        .cloned()
        .collect();
    cycles(&nodes, &pairs)
        .into_iter()
        .map(|component| {
            let ties: Vec<String> = edges
                .iter()
                .filter(|((a, b), _)| component.contains(a) && component.contains(b))
                .map(|((a, b), names)| format!("{a} -> {b}: {names:?}"))
                .collect();
            format!("{component:?}\n  {}", ties.join("\n  "))
        })
        .collect()
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let cycles = cycle_report(&files());
    assert!(
        cycles.is_empty(),
        "import cycles (move what both need below both):\n{}",
        cycles.join("\n")
    );
}

fn globs(files: &[File]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| {
            f.uses
                .iter()
                .filter(|u| u.name.is_none())
                .map(move |u| format!("{}: use {}::*", f.name, u.path.join("::")))
        })
        .collect()
}

#[test]
fn production_code_has_no_glob_imports() {
    let globs = globs(&files());
    assert!(
        globs.is_empty(),
        "name what is imported (a glob hides which file a name comes from, and a `use super::*` child is a file split by size, not by concern): {globs:#?}"
    );
}

/// The rules above, on small crates written here: each catches what it is for.
#[test]
fn the_house_rules_can_fail() {
    let crate_of = |files: &[(&str, &str)]| {
        imports::read(
            &files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    // A grouped `use crate::{backend::x}` and a path in code both reach a layer.
    let model = crate_of(&[
        ("lib.rs", "pub mod backend; pub mod model;"),
        ("backend/mod.rs", "pub mod stacks;"),
        ("backend/stacks.rs", "pub fn part() {}"),
        (
            "model/mod.rs",
            "use crate::{backend::stacks};\nfn f() { stacks::part(); crate::backend::stacks::part(); }",
        ),
    ]);
    assert_eq!(layer_breaks(&model).len(), 2, "{:?}", layer_breaks(&model));
    // A cycle through a re-export and through `super`; a unit test may reach anywhere.
    let cycle = crate_of(&[
        ("lib.rs", "pub mod a;"),
        (
            "a/mod.rs",
            "mod b; mod c; pub use b::B;\n#[cfg(test)]\nmod tests;",
        ),
        ("a/b.rs", "use super::c::C; pub struct B;"),
        ("a/c.rs", "pub struct C;\nfn f() -> super::B { todo!() }"),
        ("a/tests.rs", "use super::*; use crate::a::b::B;"),
    ]);
    let report = cycle_report(&cycle);
    assert_eq!(report.len(), 1, "{report:?}");
    assert!(
        report[0].starts_with("[\"a/b.rs\", \"a/c.rs\"]"),
        "{report:?}"
    );
    assert!(
        globs(&cycle).is_empty(),
        "tests.rs is a unit test: {:?}",
        globs(&cycle)
    );
    let globbed = crate_of(&[
        ("lib.rs", "mod a;"),
        ("a.rs", "mod b; pub use b::*;"),
        (
            "a/b.rs",
            "use super::*;\n#[cfg(test)]\nmod tests { use super::*; }",
        ),
    ]);
    assert_eq!(globs(&globbed).len(), 2, "{:?}", globs(&globbed));
}

//! The Terraform module layout (`--layout module`): the HCL stays within what both
//! Terraform (>= 1.0) and OpenTofu read, the module declares what the root
//! configuration declares, and `build` / `check` know the layout.
//!
//! No OpenTofu binary can be installed from the registries this project reaches
//! (docs/terraform.md), so its compatibility is kept by construction: every block type
//! and function the generated module uses must be on the allow-lists below, which hold
//! only what Terraform 1.0 had, and so what OpenTofu (forked from Terraform 1.5/1.6)
//! keeps. A new block or function fails here until someone checks both tools' docs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ssm_profile::backend::{Output, RenderOptions, Selection};
use ssm_profile::source::Source;

mod support;
use support::Scratch;

/// Block types both tools read, all there since Terraform 0.12/0.13.
const BLOCKS: &[&str] = &[
    "terraform",
    "required_providers",
    "variable",
    "validation",
    "locals",
    "resource",
    "data",
    "output",
    "module",
];

/// Functions both tools have (all in Terraform 1.0: `one` came in 0.15, `alltrue` in
/// 0.14), and the type constructors of variable types.
const FUNCTIONS: &[&str] = &[
    "alltrue",
    "can",
    "coalesce",
    // concat, distinct, flatten: 0.12; trimprefix, trimsuffix: 0.12.17; sum: 0.13
    // (the `readable` input of a spec with `parameter_store`).
    "concat",
    "distinct",
    "flatten",
    "jsonencode",
    "keys",
    "length",
    "lower",
    "merge",
    "one",
    "regex",
    "setintersection",
    "setunion",
    "substr",
    "sum",
    "trimprefix",
    "trimsuffix",
    "try",
    "values",
    // type constraints
    "list",
    "map",
];

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("spec.yaml").exists() || p.join("spec.json").exists())
        .collect();
    dirs.sort();
    dirs
}

fn module() -> Output {
    Output::select(Selection {
        target: "terraform",
        layout: Some("module"),
        ..Selection::default()
    })
    .unwrap()
}

/// The module of a fixture's spec: (path inside the folder, text).
fn module_files(dir: &Path) -> Option<Vec<(String, String)>> {
    let spec = ["spec.yaml", "spec.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())?;
    let source = Source::new("spec.yaml", fs::read_to_string(spec).unwrap());
    let model = ssm_profile::load(&source).unwrap();
    module()
        .generate_files(&model, "spec.yaml", RenderOptions::default())
        .ok()
        .map(|files| files.into_iter().map(|f| (f.inside, f.text)).collect())
}

/// HCL with comments removed and string literals blanked, keeping the expressions of
/// `${ ... }` interpolations (a function could hide there).
fn code_only(hcl: &str) -> String {
    let mut out = String::new();
    let mut chars = hcl.chars().peekable();
    // Each entry: the brace depth of an interpolation, inside a string.
    let mut interpolations: Vec<usize> = Vec::new();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                }
                '$' | '%' if chars.peek() == Some(&'{') => {
                    chars.next();
                    interpolations.push(0);
                    in_string = false;
                    out.push(' ');
                }
                '$' | '%' if chars.peek() == Some(&c) => {
                    // `$${` / `%%{`: a literal opener
                    chars.next();
                    if chars.peek() == Some(&'{') {
                        chars.next();
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '{' if !interpolations.is_empty() => {
                *interpolations.last_mut().unwrap() += 1;
                out.push(c);
            }
            '}' if !interpolations.is_empty() => {
                let depth = interpolations.last_mut().unwrap();
                if *depth == 0 {
                    interpolations.pop();
                    in_string = true;
                    out.push(' ');
                } else {
                    *depth -= 1;
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn blocks_and_functions(hcl: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let code = code_only(hcl);
    let mut blocks = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim();
        if let Some(head) = line.strip_suffix('{')
            && !head.contains('=')
            && !head.contains('(')
        {
            let word: String = head
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() {
                blocks.insert(word);
            }
        }
    }
    let mut functions = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    for (i, c) in bytes.iter().enumerate() {
        if *c != '(' {
            continue;
        }
        let mut start = i;
        while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == '_') {
            start -= 1;
        }
        if start < i {
            functions.insert(bytes[start..i].iter().collect());
        }
    }
    (blocks, functions)
}

#[test]
fn the_module_uses_only_blocks_and_functions_both_terraform_and_opentofu_read() {
    let mut all_blocks = BTreeSet::new();
    let mut all_functions = BTreeSet::new();
    let mut modules = 0;
    for dir in fixtures() {
        let Some(files) = module_files(&dir) else {
            continue;
        };
        modules += 1;
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".tf")) {
            let (blocks, functions) = blocks_and_functions(text);
            for b in &blocks {
                assert!(
                    BLOCKS.contains(&b.as_str()),
                    "{}: {path} uses the block `{b}`, which is not on the allow-list",
                    dir.display()
                );
            }
            for f in &functions {
                assert!(
                    FUNCTIONS.contains(&f.as_str()),
                    "{}: {path} calls `{f}`, which is not on the allow-list",
                    dir.display()
                );
            }
            all_blocks.extend(blocks);
            all_functions.extend(functions);
        }
    }
    assert!(modules >= 12, "{modules} modules");
    // The scan sees what it should: these are in every module.
    for b in [
        "terraform",
        "variable",
        "validation",
        "resource",
        "output",
        "module",
    ] {
        assert!(all_blocks.contains(b), "{all_blocks:?}");
    }
    for f in ["jsonencode", "one", "regex", "merge"] {
        assert!(all_functions.contains(f), "{all_functions:?}");
    }
    println!("blocks: {all_blocks:?}\nfunctions: {all_functions:?}");
}

#[test]
fn the_scan_finds_functions_in_interpolations_and_skips_strings_and_comments() {
    let (blocks, functions) = blocks_and_functions(
        "# a(b) comment\nresource \"x\" \"y\" {\n  a = \"f(x) ${upper(\"g(1)\")} $${h(2)}\"\n  b = merge({\n  }, c)\n}\n",
    );
    assert_eq!(blocks.into_iter().collect::<Vec<_>>(), ["resource"]);
    assert_eq!(
        functions.into_iter().collect::<Vec<_>>(),
        ["merge", "upper"]
    );
}

/// `resource "T" "N"`, `data "T" "N"` and `output "N"` headers of an HCL text.
fn declarations(hcl: &str) -> BTreeSet<String> {
    hcl.lines()
        .filter(|l| {
            l.starts_with("resource ") || l.starts_with("data ") || l.starts_with("output ")
        })
        .map(|l| l.trim_end_matches(['{', '}', ' ']).to_string())
        .collect()
}

#[test]
fn the_module_declares_what_the_root_configuration_declares() {
    for dir in fixtures() {
        let Some(files) = module_files(&dir) else {
            continue;
        };
        let root = fs::read_to_string(dir.join("terraform.tf")).unwrap();
        let mut module = BTreeSet::new();
        for (path, text) in &files {
            if ["main.tf", "outputs.tf"].contains(&path.as_str()) {
                module.extend(declarations(text));
            }
        }
        // The module adds one attachment per profile for its additional_policy_arns.
        let added: BTreeSet<String> = module
            .iter()
            .filter(|d| d.ends_with("_additional\""))
            .cloned()
            .collect();
        let profiles = root.matches("\n# Profile ").count();
        assert_eq!(added.len(), profiles, "{}: {added:?}", dir.display());
        let module: BTreeSet<String> = module.difference(&added).cloned().collect();
        assert_eq!(module, declarations(&root), "{}", dir.display());
    }
}

/// A scratch folder holding the seed spec as `seed.yaml`.
fn scratch(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.spec("seed", "seed.yaml");
    s
}

/// The binary's exit code, stdout and stderr, run in `s`.
fn run(s: &Scratch, args: &[&str]) -> (Option<i32>, String, String) {
    let out = s.run(args);
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed")
}

const CHECK: &[&str] = &[
    "check",
    "seed.yaml",
    "--layout",
    "module",
    "--out-dir",
    "gen",
    "--exhaustive",
];

#[test]
fn build_and_check_write_and_judge_the_module_folder() {
    let s = scratch("cli");
    let (code, out, err) = run(
        &s,
        &[
            "build",
            "seed.yaml",
            "--layout",
            "module",
            "--out-dir",
            "gen",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty());
    let expected = module_files(&golden_dir()).unwrap();
    for (path, text) in &expected {
        let written = fs::read_to_string(s.0.join("gen/terraform-module/seed").join(path)).unwrap();
        // The same files as the goldens, but naming seed.yaml.
        assert_eq!(written, text.replace("spec.yaml", "seed.yaml"), "{path}");
    }
    let main = fs::read_to_string(s.0.join("gen/terraform-module/seed/main.tf")).unwrap();
    assert!(main.contains(
        "#   ssm-profile build seed.yaml --target terraform --layout module --out-dir DIR\n"
    ));
    // The default tree is not written with the module layout.
    assert!(!s.0.join("gen/terraform").exists());

    let (code, out, _) = run(&s, CHECK);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out, "6 generated files up to date\n");

    fs::write(
        s.0.join("gen/terraform-module/seed/examples/basic/extra.tf"),
        "",
    )
    .unwrap();
    let readme = s.0.join("gen/terraform-module/seed/README.md");
    let edited = fs::read_to_string(&readme)
        .unwrap()
        .replace("| `true` |", "| `false` |");
    fs::write(&readme, edited).unwrap();
    let (code, out, _) = run(&s, CHECK);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("drifted: gen/terraform-module/seed/README.md"),
        "{out}"
    );
    assert!(
        out.contains("stray: gen/terraform-module/seed/examples/basic/extra.tf"),
        "{out}"
    );
}

#[test]
fn the_module_layout_needs_an_out_dir_and_the_terraform_target() {
    let s = scratch("usage");
    let (code, out, err) = run(
        &s,
        &[
            "build",
            "seed.yaml",
            "--target",
            "terraform",
            "--layout",
            "module",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert_eq!(
        err,
        "error: `--target terraform --layout module` writes a folder of files: give --out-dir DIR\n"
    );
    let (code, _, err) = run(
        &s,
        &[
            "build",
            "seed.yaml",
            "--layout",
            "module",
            "--target",
            "cdk",
            "--out-dir",
            "gen",
        ],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: `--layout module` applies only to --target terraform\n"
    );
    assert!(!s.0.join("gen").exists());
}

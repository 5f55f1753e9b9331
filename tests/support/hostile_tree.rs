//! A hostile `--out-dir` tree built from arbitrary bytes, and the promise checked
//! on it (issue 20): whatever the tree holds (files, folders, symbolic links into
//! and out of it, journals with any lines, temporary files), `build --out-dir`
//! never panics and never changes anything outside DIR, and a build that succeeds
//! leaves a tree `check` finds clean. Shared by `tests/out_dir_properties.rs`
//! (proptest) and the fuzz target `fuzz/fuzz_targets/out_dir.rs`, so both explore
//! the same space.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use ssm_profile::atomic::Durability;
use ssm_profile::workflow::{self, FileState};

/// The spec every case builds: its files are the plan the tree is built around.
pub const SPEC: &str = include_str!("../../fixtures/minimal/spec.yaml");

const DIRS: &[&str] = &[
    "",
    "cdk",
    "cloudformation",
    "terraform",
    "terraform/spec",
    "terraform-json",
    "terraform-json/spec",
    "esc",
    "cdk/sub",
];

const NAMES: &[&str] = &[
    "spec.ts",
    "spec-app.ts",
    "spec.py",
    "spec.template.json",
    "main.tf",
    "main.tf.json",
    "spec",
    ".spec.ts.AAAAAA.tmp",
    ".main.tf.Bb12Cd.tmp",
    ".spec.template.json.QQQQQQ.tmp",
    ".ssm-profile-build-CCCCCC.journal",
    ".ssm-profile-build-EEEEEE.new",
    "esc",
    "cdk",
    "terraform",
    "payload",
];

/// Where a journal is planted: in the tree's root, named as a build names one,
/// as a journal not yet named, or under a name no build gives.
const JOURNAL_NAMES: &[&str] = &[
    ".ssm-profile-build-CCCCCC.journal",
    ".ssm-profile-build-DDDDDD.journal",
    ".ssm-profile-build-EEEEEE.new",
    ".ssm-profile-build-odd.journal",
];

/// Link targets: `{outside}` is the outside folder's absolute path.
const TARGETS: &[&str] = &[
    "{outside}",
    "{outside}/victim",
    "../outside",
    "../../outside",
    "../../../outside",
    "../outside/victim",
    "../../outside/victim",
    "../../outside/.git/hooks",
    ".",
    "..",
    "cdk",
    "spec.ts",
    "missing",
];

/// Paths a planted journal line names.
const JOURNAL_PATHS: &[&str] = &[
    "payload",
    "esc/victim",
    "esc/.git/hooks/pre-commit",
    "../outside/victim",
    "{outside}/victim",
    "cdk/spec.ts",
    "cdk/.spec.ts.AAAAAA.tmp",
    "esc/.spec.ts.AAAAAA.tmp",
    "terraform/spec/main.tf",
    "terraform/spec/.main.tf.Bb12Cd.tmp",
    "cloudformation/spec.template.json",
    "cloudformation/.spec.template.json.QQQQQQ.tmp",
    "cdk",
    "",
    ".",
    "esc/.ssh",
];

/// (temporary file, destination) pairs of the attacks the issue found, and of a
/// build's own lines, so that random cases reach them often.
const PAIRS: &[(&str, &str)] = &[
    ("payload", "esc/.git/hooks/pre-commit"),
    ("esc/victim", "cdk/spec.ts"),
    ("esc/.ssh", "payload"),
    ("esc/.spec.ts.AAAAAA.tmp", "cdk/spec.ts"),
    ("cdk/.spec.ts.AAAAAA.tmp", "cdk/spec.ts"),
    (
        "terraform/spec/.main.tf.Bb12Cd.tmp",
        "terraform/spec/main.tf",
    ),
];

/// Reads bytes one at a time, zero once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> usize {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b as usize
            }
            None => 0,
        }
    }

    fn pick<'t>(&mut self, table: &[&'t str]) -> &'t str {
        table[self.next() % table.len()]
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Every entry under `dir` except the top-level `skip`: a file's bytes, a link's
/// target, a folder's mark; links are never followed.
pub fn snapshot(dir: &Path, skip: &str) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, skip: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(base).unwrap().display().to_string();
            if rel == skip {
                continue;
            }
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(e.path()).unwrap();
                out.insert(rel, target.display().to_string().into_bytes());
            } else if kind.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &e.path(), skip, out);
            } else {
                out.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, skip, &mut out);
    out
}

/// Creates `rel`'s missing folders inside `root` without following anything:
/// false when something other than a real folder is on the way, or something is
/// at `rel` already.
fn clear_way(root: &Path, rel: &str) -> bool {
    let mut at = root.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        at.push(segment);
        let last = i + 1 == segments.len();
        match fs::symlink_metadata(&at) {
            Err(_) if last => return true,
            Err(_) => fs::create_dir(&at).unwrap(),
            Ok(_) if last => return false,
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return false,
        }
    }
    false
}

/// A journal's text from the bytes: a few lines of `stage`, `commit` and garbage,
/// the last maybe cut short.
fn journal_text(bytes: &mut Bytes, outside: &str) -> String {
    let mut text = String::new();
    for _ in 0..bytes.next() % 6 {
        match bytes.next() % 5 {
            0 | 1 => {
                let (a, b) = PAIRS[bytes.next() % PAIRS.len()];
                text.push_str(&format!("stage\t{a}\t{b}\n"));
            }
            2 => text.push_str("commit\n"),
            3 => {
                let a = bytes.pick(JOURNAL_PATHS).replace("{outside}", outside);
                let b = bytes.pick(JOURNAL_PATHS).replace("{outside}", outside);
                text.push_str(&format!("stage\t{a}\t{b}\n"));
            }
            _ => text.push_str("garbage\tx\n"),
        }
    }
    if bytes.next().is_multiple_of(4) {
        text.push_str("stage\tcdk/.spec");
    }
    text
}

/// Builds the tree `gen` in `scratch` from `data` (beside `outside/` and the spec),
/// runs `build --out-dir` on it in-process and checks the promise.
pub fn run(scratch: &Path, data: &[u8]) {
    let outside = scratch.join("outside");
    fs::create_dir_all(outside.join(".git/hooks")).unwrap();
    fs::create_dir_all(outside.join("cdk")).unwrap();
    fs::write(outside.join("victim"), "keep").unwrap();
    fs::create_dir_all(outside.join(".ssh")).unwrap();
    fs::write(outside.join(".ssh/id"), "secret").unwrap();
    fs::write(outside.join(".git/hooks/pre-commit"), "#!/bin/sh\n").unwrap();
    fs::write(outside.join("cdk/spec.ts"), "outside").unwrap();
    fs::write(outside.join(".spec.ts.AAAAAA.tmp"), "outside").unwrap();
    fs::write(scratch.join("spec.yaml"), SPEC).unwrap();
    let tree_dir = scratch.join("gen");
    fs::create_dir_all(&tree_dir).unwrap();
    let outside_text = outside.display().to_string();

    let mut bytes = Bytes(data);
    while !bytes.is_empty() {
        let kind = bytes.next() % 5;
        // The root a third of the time: where journals, and links out, matter most.
        let (dir, name) = match kind {
            4 => ("", bytes.pick(JOURNAL_NAMES)),
            3 => ("", "esc"),
            _ if bytes.next().is_multiple_of(3) => ("", bytes.pick(NAMES)),
            _ => (bytes.pick(DIRS), bytes.pick(NAMES)),
        };
        let rel = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        if !clear_way(&tree_dir, &rel) {
            continue;
        }
        let at = tree_dir.join(&rel);
        match kind {
            0 => fs::write(&at, "x".repeat(bytes.next() % 8)).unwrap(),
            1 => fs::create_dir(&at).unwrap(),
            2 | 3 => {
                let target = bytes.pick(TARGETS).replace("{outside}", &outside_text);
                std::os::unix::fs::symlink(target, &at).unwrap();
            }
            _ => fs::write(&at, journal_text(&mut bytes, &outside_text)).unwrap(),
        }
    }

    let before = snapshot(scratch, "gen");
    let specs = vec![scratch.join("spec.yaml").display().to_string()];
    let built = (|| {
        let mut tree = workflow::tree(&specs, &tree_dir, &[], None)?;
        let staged = workflow::stage(&mut tree, Durability::Atomic, &mut |_| {})?;
        workflow::write(staged)
    })();
    let after = snapshot(scratch, "gen");
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "written outside the tree: {changed:?} {:?} {:?} {built:?}",
        changed
            .iter()
            .map(|k| before
                .get(*k)
                .map(|v| String::from_utf8_lossy(v).into_owned()))
            .collect::<Vec<_>>(),
        changed
            .iter()
            .map(|k| after
                .get(*k)
                .map(|v| String::from_utf8_lossy(v).into_owned()))
            .collect::<Vec<_>>()
    );
    if built.is_ok() {
        let mut tree = workflow::tree(&specs, &tree_dir, &[], None).unwrap();
        let (report, _) = workflow::check(&mut tree, &mut |_| {}).unwrap();
        assert!(report.interrupted.is_empty(), "{:?}", report.interrupted);
        assert!(report.temporaries.is_empty(), "{:?}", report.temporaries);
        for (file, state) in &report.files {
            assert_eq!(*state, FileState::UpToDate, "{}", file.relative);
        }
    }
}

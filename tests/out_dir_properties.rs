//! Issue 20: a generated `--out-dir` tree of files, folders, symbolic links
//! (pointing inside and outside it), journals with random lines and temporary
//! files never makes `build` write outside DIR (an `outside` sibling folder's
//! whole content, and the spec beside it, are compared before and after) and
//! never makes it panic; a build that succeeds leaves a tree `check` finds clean.
//! The tree is decoded from random bytes by `support/hostile_tree.rs`, which the
//! fuzz target `out_dir` shares.
//!
//! `PROPTEST_CASES` sets the number of cases (default below).

#[path = "support/hostile_tree.rs"]
mod hostile_tree;

use proptest::prelude::*;

/// Cases when PROPTEST_CASES is not set; each builds a tree on disk.
const CASES: u32 = 96;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_tree_makes_a_build_write_outside_it(data in proptest::collection::vec(any::<u8>(), 0..160)) {
        let scratch = tempfile::tempdir().unwrap();
        hostile_tree::run(scratch.path(), &data);
    }
}

/// The issue's recipe, spelled in the decoder's bytes, so the decoder is known
/// to reach it: a link `esc` to the outside folder and a committed journal that
/// stages `payload` over `esc/.git/hooks/pre-commit`.
#[test]
fn the_decoder_reaches_the_issues_recipe() {
    let scratch = tempfile::tempdir().unwrap();
    // kind, root, name[, extra]: a file `payload`, a link `esc` -> {outside}, a
    // journal `.ssm-profile-build-CCCCCC.journal` with `stage payload
    // esc/.git/hooks/pre-commit` and `commit`.
    let data = [0, 0, 15, 3, 3, 0, 4, 0, 2, 0, 0, 2, 1];
    hostile_tree::run(scratch.path(), &data);
    let tree_dir = scratch.path().join("gen");
    assert!(tree_dir.join("payload").is_file());
    assert!(tree_dir.join("esc").is_symlink());
    let journal =
        std::fs::read_to_string(tree_dir.join(".ssm-profile-build-CCCCCC.journal")).unwrap();
    assert_eq!(
        journal,
        "stage\tpayload\tesc/.git/hooks/pre-commit\ncommit\n"
    );
    let hook =
        std::fs::read_to_string(scratch.path().join("outside/.git/hooks/pre-commit")).unwrap();
    assert_eq!(hook, "#!/bin/sh\n");
}

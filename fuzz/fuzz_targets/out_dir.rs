//! Arbitrary bytes decoded into an `--out-dir` tree of files, folders, symbolic
//! links into and out of it, journals with any lines and temporary files (by
//! `tests/support/hostile_tree.rs`, which the property test shares), then
//! `build --out-dir` in-process: nothing may panic, nothing outside the tree may
//! change (an `outside` sibling folder and the spec are compared byte for byte),
//! and a build that succeeds leaves a tree `check` finds clean.
//!
//! Run (nightly): `cargo +nightly fuzz run out_dir` from the repository root; see
//! fuzz/README.md.

#![no_main]

#[path = "../../tests/support/hostile_tree.rs"]
mod hostile_tree;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scratch = tempfile::tempdir().unwrap();
    hostile_tree::run(scratch.path(), data);
});

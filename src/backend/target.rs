//! A target is one value: everything the program knows about one deploy tool. Its
//! name, what it can express (`Capabilities`: its quotas and the spec text its tool
//! would interpret), its outputs (the rows the command line, the header, the
//! `--out-dir` tree, `check` and the goldens read), what a file of one stack of
//! several tells the person deploying it, and the conformance checks that judge each
//! output (`OutputDef::judges`). Each target's module defines its own `TARGET`;
//! `TARGETS` lists them. Adding a target is its module and one entry here, and
//! `tests::every_target_is_complete` fails on an entry that leaves a part out.

use super::capability::Capabilities;
pub use super::outputs::Target;
use super::{cdk, cloudformation, terraform};

/// Every target, in the order a refusal looks for one that can, and the order of
/// the goldens, `--out-dir` and the command line's value lists.
pub static TARGETS: &[&Target] = &[
    &cloudformation::target::TARGET,
    &cdk::target::TARGET,
    &terraform::target::TARGET,
];

/// What every target can express, for a refusal that names one that can.
pub fn every_capability() -> Vec<&'static Capabilities> {
    TARGETS.iter().map(|t| &t.capabilities).collect()
}

/// The target `--target` names.
pub fn by_name(name: &str) -> Option<&'static Target> {
    TARGETS.iter().copied().find(|t| t.name() == name)
}

#[cfg(test)]
mod tests;

//! The benchmark fleet: a spec of `n` instance profiles, each with VPC endpoints in
//! 29 regions (the agent buckets of every one), one own bucket and one tag. Shared by
//! `benches/compile.rs` and `examples/fleet_spec.rs` (which `scripts/bench` runs), so
//! the in-process and whole-process figures measure the same spec.

use std::fmt::Write;

/// VPC-endpoint regions per profile.
pub const REGIONS_PER_PROFILE: usize = 29;

/// The first 29 commercial regions whose agent buckets AWS documents (the default
/// `agent_buckets: current` refuses the others).
pub fn regions() -> Vec<&'static str> {
    use ssm_profile::refdata::{self, Confirmed};
    use ssm_profile::spec::PartitionName;
    let regions: Vec<&'static str> = refdata::AWS_REGIONS
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                refdata::agent_buckets_confirmed(PartitionName::Aws, r),
                Confirmed::Yes
            )
        })
        .take(REGIONS_PER_PROFILE)
        .collect();
    assert_eq!(
        regions.len(),
        REGIONS_PER_PROFILE,
        "too few documented regions"
    );
    regions
}

/// Profiles per declared stack, about: a profile's CloudFormation template is about
/// 26 KB and a stack holds 1 MB, and the hash of each name places it, so some stacks
/// hold more than others. Without `stacks`, CloudFormation and the CDK refuse any
/// fleet over 99 profiles (500 resources a stack), and a benchmark of "every target"
/// measured Terraform alone.
pub const PROFILES_PER_STACK: usize = 25;

/// The YAML spec of a fleet of `n` profiles (with `stacks` when one stack cannot hold them).
pub fn fleet_spec(n: usize) -> String {
    let regions = regions().join(", ");
    let stacks = n.div_ceil(PROFILES_PER_STACK);
    let stacks = if stacks > 1 {
        format!("stacks: {stacks}\n")
    } else {
        String::new()
    };
    let mut spec = format!(
        "# The benchmark fleet: {n} profiles (examples/fleet_spec.rs).\nversion: 1\n{stacks}profiles:\n"
    );
    for i in 1..=n {
        writeln!(
            spec,
            "  - name: Fleet{i:04}\n    tags:\n      team: fleet-{i:04}\n    s3:\n      vpc_endpoint_regions: [{regions}]\n      buckets:\n        - name: fleet-bucket-{i:04}"
        )
        .expect("writing to a String");
    }
    spec
}

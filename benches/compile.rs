//! How long compiling takes, in process: measured, never asserted (divan).
//!
//! Cases: the seed fixture and the benchmark fleets of 10, 100 and 1,000 profiles
//! (29 VPC-endpoint regions, one own bucket, one tag each; `benches/support/fleet.rs`).
//! For each case: `load` (parse + validate + build the model), `render` of every
//! output from the model, and `plan` (what `build SPEC --out-dir DIR` computes before
//! writing: read, load, and generate every output with its header). Allocation counts
//! come with every figure (divan's `AllocProfiler`); they do not depend on the load of
//! the machine.
//!
//! `cargo bench --bench compile` runs everything, at most a few seconds a benchmark
//! (`-- fleet-100` filters by name, `-- --max-time 10` samples longer);
//! `cargo test --benches` runs each benchmark once on the seed and the 10-profile
//! fleet only, as a quick proof that the harness still works.

#[path = "support/fleet.rs"]
mod fleet;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::{AllocProfiler, Bencher, black_box};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::model::Model;
use ssm_profile::source::Source;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

/// One spec to compile: the seed fixture or a fleet.
struct Case {
    name: String,
    source: Source,
    model: Model,
    /// The spec on disk, for `plan` (which reads its specs itself).
    path: PathBuf,
    /// The outputs that accept the spec (the others refuse it, e.g. over a quota).
    outputs: Vec<Output>,
    /// Their targets.
    accepted: Vec<&'static str>,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// `cargo bench` passes `--bench`; without it (`cargo test --benches`) divan runs each
/// benchmark once, so only the small cases are built.
fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-specs");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed/spec.yaml");
        let mut specs = vec![(
            "seed".to_string(),
            std::fs::read_to_string(seed).expect("seed spec"),
        )];
        let sizes: &[usize] = if full_run() { &[10, 100, 1000] } else { &[10] };
        for &n in sizes {
            specs.push((format!("fleet-{n}"), fleet::fleet_spec(n)));
        }
        specs
            .into_iter()
            .map(|(name, text)| {
                let path = dir.join(format!("{name}.yaml"));
                std::fs::write(&path, &text).expect("write spec");
                let source = Source::new(path.display().to_string(), text);
                let model = ssm_profile::load(&source).expect("the benchmark specs are valid");
                let mut outputs = Vec::new();
                let mut accepted: Vec<&'static str> = Vec::new();
                for o in Output::all() {
                    match o.render(&model, RenderOptions::default()) {
                        Ok(_) => {
                            outputs.push(o);
                            if !accepted.contains(&o.target()) {
                                accepted.push(o.target());
                            }
                        }
                        Err(e) => eprintln!(
                            "{name}: {} refuses the spec ({e}): not measured",
                            o.golden_name()
                        ),
                    }
                }
                Case {
                    name,
                    source,
                    model,
                    path,
                    outputs,
                    accepted,
                }
            })
            .collect()
    })
}

/// A case and one of its outputs.
struct Job {
    case: &'static Case,
    output: Output,
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.case.name, self.output.golden_name())
    }
}

fn jobs() -> Vec<Job> {
    cases()
        .iter()
        .flat_map(|case| case.outputs.iter().map(move |&output| Job { case, output }))
        .collect()
}

/// Parse, validate and build the model.
#[divan::bench(args = cases(), max_time = 3)]
fn load(bencher: Bencher, case: &Case) {
    bencher.bench(|| ssm_profile::load(black_box(&case.source)).expect("valid"));
}

/// One output's text from the model (no header).
#[divan::bench(args = jobs(), max_time = 3)]
fn render(bencher: Bencher, job: &Job) {
    bencher.bench(|| {
        job.output
            .render(black_box(&job.case.model), RenderOptions::default())
            .expect("accepted")
    });
}

/// Everything `build SPEC --out-dir DIR` does before writing, for every target that
/// accepts the spec.
#[divan::bench(args = cases(), max_time = 5)]
fn plan(bencher: Bencher, case: &Case) {
    let specs = [case.path.display().to_string()];
    let out = Path::new("generated");
    bencher.bench(|| ssm_profile::workflow::plan(&specs, out, &case.accepted).expect("plans"));
}

//! How long compiling takes, per fixture and output: measured, never asserted.
//! `cargo bench` prints the median of several rounds for each (spec -> model, and
//! model -> each output's text).

use std::path::Path;
use std::time::{Duration, Instant};

use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

const ROUNDS: usize = 15;
const ITERATIONS: u32 = 50;

/// The median time of one call of `f`, over `ROUNDS` rounds of `ITERATIONS` calls.
fn median(mut f: impl FnMut()) -> Duration {
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..ITERATIONS {
                f();
            }
            start.elapsed() / ITERATIONS
        })
        .collect();
    rounds.sort();
    rounds[ROUNDS / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (`cargo test --benches`) only
    // proves in one quick pass that the benchmark still runs.
    let quick = !std::env::args().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for case in ["minimal", "seed", "multi-profile", "large-policy"] {
        let text = std::fs::read_to_string(root.join(case).join("spec.yaml")).unwrap();
        let source = Source::new("spec.yaml", text);
        let model = ssm_profile::load(&source).unwrap();
        if quick {
            for o in Output::all() {
                let _ = o.render(&model, RenderOptions::default());
            }
            continue;
        }
        let load = median(|| {
            std::hint::black_box(ssm_profile::load(&source).unwrap());
        });
        println!("{case:>14}  load (parse + validate)  {load:>10.1?}");
        for o in Output::all() {
            let t = median(|| {
                let _ = std::hint::black_box(o.render(&model, RenderOptions::default()));
            });
            println!("{case:>14}  {:<24}{t:>10.1?}", o.golden_name());
        }
    }
}

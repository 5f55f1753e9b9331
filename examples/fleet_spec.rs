//! Prints the benchmark fleet spec of N profiles (default 1000) to stdout:
//! `cargo run --release --example fleet_spec -- 100 > fleet-100.yaml`.
//! `scripts/bench` uses it; `benches/compile.rs` builds the same spec in process.

#[path = "../benches/support/fleet.rs"]
mod fleet;

fn main() {
    let n = match std::env::args().nth(1) {
        None => 1000,
        Some(arg) => arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: fleet_spec [PROFILES]   (a whole number, default 1000)");
            std::process::exit(2)
        }),
    };
    print!("{}", fleet::fleet_spec(n));
}

//! Arbitrary bytes as a spec, read as YAML and as JSON, through every output of
//! every backend: nothing may panic, overflow the stack or hang, errors are located,
//! and rendering the same model twice gives the same bytes.
//!
//! Run (nightly): `cargo +nightly fuzz run spec` from the repository root; see
//! fuzz/README.md.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for name in ["spec.yaml", "spec.json"] {
        let source = Source::new(name, text.as_ref());
        match ssm_profile::load(&source) {
            Ok(model) => {
                for output in Output::all() {
                    let first = output.generate(&model, name, RenderOptions::default());
                    let again = output.generate(&model, name, RenderOptions::default());
                    assert_eq!(first.is_ok(), again.is_ok(), "{output:?} is not deterministic");
                    if let (Ok(a), Ok(b)) = (&first, &again) {
                        assert_eq!(a, b, "{output:?} is not deterministic");
                    }
                }
            }
            Err(e) => {
                assert!(e.location.line >= 1 && e.location.column >= 1);
                let shown = e.to_string();
                assert!(shown.starts_with(name), "{shown}");
            }
        }
    }
});

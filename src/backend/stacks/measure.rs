//! What each profile adds to a CloudFormation template, in bytes, which the split
//! measures before anything renders: a fleet's profiles are measured on two threads
//! (the second core waited for a tenth of the 1,000-profile fleet's run).

use super::super::cloudformation::yaml::Yaml;
use super::super::cloudformation::{self, Scope};
use super::super::emit::PrettyJson;
use super::part;
use crate::model::Model;

/// From how many profiles the measuring is shared with a second thread: below it,
/// starting the thread costs more than it saves.
const SHARED_FROM: usize = 64;

/// The bytes of the template of `model` as pretty JSON and as YAML, written into
/// `buffers` (kept from one measure to the next, so that a fleet's profiles do not
/// each grow fresh buffers).
pub(super) fn body_bytes(model: &Model, buffers: &mut [String; 2]) -> (usize, usize) {
    let [json, yaml] = std::mem::take(buffers);
    let mut json = PrettyJson::in_buffer(json);
    cloudformation::write_template(model, Scope::Whole, None, &mut json);
    let mut yaml = Yaml::in_buffer(yaml);
    cloudformation::write_template(model, Scope::Whole, None, &mut yaml);
    *buffers = [json.finish(), yaml.finish()];
    (buffers[0].len(), buffers[1].len())
}

/// What each profile adds to a template of no profile (`empty`: its JSON and YAML
/// bytes), the larger of the two formats, in profile order: the same numbers
/// whichever thread measured which. `share`: whether a second core may take half.
pub(super) fn profile_bytes(model: &Model, empty: (usize, usize), share: bool) -> Vec<usize> {
    let measure = |range: std::ops::Range<usize>| -> Vec<usize> {
        let mut buffers = Default::default();
        range
            .map(|i| {
                let (json, yaml) = body_bytes(&part(model, &[i]), &mut buffers);
                json.saturating_sub(empty.0)
                    .max(yaml.saturating_sub(empty.1))
                    + 2
            })
            .collect()
    };
    let n = model.profiles.len();
    if !share || n < SHARED_FROM {
        return measure(0..n);
    }
    let half = n / 2;
    std::thread::scope(|scope| {
        // As much stack as the main thread: the template writer recurses.
        let second = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(scope, || measure(half..n));
        let Ok(second) = second else {
            return measure(0..n);
        };
        let mut bytes = measure(0..half);
        match second.join() {
            Ok(rest) => bytes.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        bytes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shared or not, the numbers are the same and in profile order: profiles of
    /// different sizes, so that halves joined the wrong way round would differ.
    #[test]
    fn profiles_measured_on_two_threads_are_measured_as_on_one() {
        let mut spec = String::from("version: 1\nstacks: 4\nprofiles:\n");
        for i in 0..SHARED_FROM + 6 {
            spec.push_str(&format!("  - name: p{i}\n"));
            if i % 3 == 0 {
                spec.push_str("    s3:\n      vpc_endpoint_regions: [us-east-1]\n");
            }
        }
        let model =
            crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("a valid spec");
        let empty = body_bytes(&Model::new(Vec::new(), None), &mut Default::default());
        let alone = profile_bytes(&model, empty, false);
        assert_eq!(alone.len(), model.profiles.len());
        assert!(alone[0] > alone[1], "{alone:?}");
        assert_eq!(profile_bytes(&model, empty, true), alone);
    }
}

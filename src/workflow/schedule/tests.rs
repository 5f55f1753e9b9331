//! The schedule's units: what each holds and which start a whole file.

use super::{Unit, render_outputs, render_unit, room, starts_of_whole_files, units};
use crate::backend::stacks::SharedSplit;
use crate::backend::{Output, RenderOptions};
use crate::model::Model;
use crate::source::Source;

/// A fleet of `n` profiles in `stacks` stacks, loaded, and the outputs that apply to it.
fn fleet(n: usize, stacks: usize) -> (Model, Vec<Output>) {
    let mut text = format!("version: 1\nstacks: {stacks}\nprofiles:\n");
    for i in 0..n {
        text.push_str(&format!("  - name: Fleet{i}\n"));
    }
    let model = crate::load(&Source::new("fleet.yaml", text)).unwrap();
    let outputs = Output::all().filter(|o| o.applies(&model)).collect();
    (model, outputs)
}

/// A unit rendered ahead of its turn leaves every file it gives and its result in
/// its channel: if it could not, the thread that rendered it would wait there
/// instead of rendering the next unit. A whole output (which may give more files
/// than a channel holds) waits by design.
#[test]
fn a_units_channel_holds_its_files_and_its_result() {
    let (model, outputs) = fleet(30, 2);
    let split = SharedSplit::new();
    let options = RenderOptions::default();
    let units = units(&outputs, &model, "fleet.yaml", options, &split);
    assert!(units.iter().any(|u| matches!(u, Unit::Together(..))));
    assert!(units.iter().any(|u| matches!(u, Unit::Stack(..))));
    for unit in units {
        let mut files = 0;
        render_unit(
            &outputs,
            &model,
            "fleet.yaml",
            options,
            &split,
            unit,
            &mut |_, _| {
                files += 1;
                Ok(())
            },
        )
        .unwrap();
        assert!(files > 0);
        if !matches!(unit, Unit::Whole(_)) {
            assert!(
                files < room(unit),
                "{files} files and the result, room for {}",
                room(unit)
            );
        }
    }
}

/// Of a fleet's units, exactly the first of each whole file starts one: the
/// Terraform configuration's first piece and its JSON, rendered whole; no stack,
/// and no later piece (which would hand back memory the file is still using).
#[test]
fn the_first_unit_of_each_whole_file_starts_it() {
    // More profiles than one piece of the configuration holds (100), in stacks of
    // at most 25 (every target accepts them).
    let (model, outputs) = fleet(201, 9);
    let split = SharedSplit::new();
    let units = units(
        &outputs,
        &model,
        "fleet.yaml",
        RenderOptions::default(),
        &split,
    );
    let started = |streamed: &[bool]| -> Vec<String> {
        let starts = starts_of_whole_files(&units, &outputs, streamed);
        units
            .iter()
            .zip(&starts)
            .filter(|(_, s)| **s)
            .map(|(u, _)| match u {
                Unit::Whole(i) => format!("{:?} whole", outputs[*i]),
                Unit::Piece(i, k, of) => format!("{:?} piece {k} of {of}", outputs[*i]),
                _ => "a stack".to_string(),
            })
            .collect()
    };
    let pieces = units
        .iter()
        .filter(|u| matches!(u, Unit::Piece(..)))
        .count();
    assert!(pieces > 1, "the fleet's configuration renders in pieces");
    let joined = vec![false; outputs.len()];
    assert_eq!(
        started(&joined),
        [
            format!("terraform.tf piece 0 of {pieces}"),
            "terraform.tf.json whole".to_string()
        ]
    );
    // Handed over piece by piece, the configuration is never a whole file.
    let hcl = outputs
        .iter()
        .position(|o| o.pieces(&model).is_some())
        .unwrap();
    let mut streamed = joined;
    streamed[hcl] = true;
    assert_eq!(started(&streamed), ["terraform.tf.json whole"]);
}

/// Freed memory goes back to the system before a whole file only once the files
/// taken before it hold a megabyte: a fleet's stacks do (its Terraform files are 26
/// and 28 MB), one profile's files do not (the hand-back was 13 system calls there).
#[test]
fn freed_memory_goes_back_before_a_whole_file_only_after_a_megabyte() {
    let returns = |n: usize| {
        let (model, outputs) = fleet(n, if n > 100 { 9 } else { 1 });
        let split = SharedSplit::new();
        let streamed = vec![false; outputs.len()];
        let mut taken = 0;
        let before = crate::memory::RETURNED_HERE.with(|r| r.get());
        let results = render_outputs(
            &outputs,
            &model,
            "fleet.yaml",
            &split,
            &streamed,
            &mut |_, given| {
                if let super::Given::File(f) = given {
                    taken += f.text.len();
                }
                Ok(())
            },
        )
        .unwrap();
        assert!(results.iter().all(Result::is_ok));
        (
            crate::memory::RETURNED_HERE.with(|r| r.get()) - before,
            taken,
        )
    };
    let (one, one_bytes) = returns(1);
    assert_eq!(one, 0, "{one_bytes} bytes taken");
    let (many, many_bytes) = returns(201);
    assert!(many_bytes > 2 << 20, "{many_bytes}");
    assert_eq!(many, 2, "before the configuration and before its JSON");
}

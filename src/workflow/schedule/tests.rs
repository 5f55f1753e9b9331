//! The schedule's units: what each holds and which start a whole file.

use super::{Unit, render_unit, room, starts_of_whole_files, units};
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

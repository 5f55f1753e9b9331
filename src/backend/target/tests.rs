use super::*;
use crate::backend::Output;
use crate::backend::OutputDef;
use crate::backend::options::StackPart;

/// What an entry of `TARGETS` leaves out; empty when it is complete.
fn problems(target: &Target) -> Vec<String> {
    let name = target.name();
    let mut out = Vec::new();
    let conformance = include_str!("../../../scripts/conformance");
    let Some(first) = target.outputs.first() else {
        return vec![format!("{name}: no outputs")];
    };
    if first.app || first.rollout || first.layout.is_some() {
        out.push(format!(
            "{name}: its first output ({}) is what `--target {name}` alone gives: not an app, a rollout or another layout",
            first.golden
        ));
    }
    for d in target.outputs {
        if d.judges.is_empty() {
            out.push(format!("{}: no conformance check judges it", d.golden));
        }
        for judge in d.judges {
            let reported = [
                format!("pass {judge} "),
                format!("fail {judge} "),
                format!("record {judge}"),
            ]
            .iter()
            .any(|s| conformance.contains(s.as_str()))
                || (judge.starts_with("cdk-") && conformance.contains("tool=\"cdk-$lang\""));
            if !reported {
                out.push(format!(
                    "{}: scripts/conformance reports no check `{judge}`",
                    d.golden
                ));
            }
        }
        if !conformance.contains(d.golden) {
            out.push(format!(
                "{}: scripts/conformance never names this golden",
                d.golden
            ));
        }
        if d.stacks.is_some() {
            match target.stack_notes {
                None => out.push(format!(
                    "{}: is split into stacks, but {name} says nothing of how one is deployed (stack_notes)",
                    d.golden
                )),
                Some(notes) if notes(d, StackPart { n: 1, of: 2 }).is_empty() => out.push(format!(
                    "{}: its stack notes are empty",
                    d.golden
                )),
                Some(_) => {}
            }
        }
    }
    for t in target.together {
        let row = |golden: &str| target.outputs.iter().position(|d| d.golden == golden);
        let fits = match (row(t.rows[0]), row(t.rows[1])) {
            (Some(i), Some(j)) => {
                let (a, b) = (&target.outputs[i], &target.outputs[j]);
                i < j && a.stacks.is_some() == b.stacks.is_some() && a.layout == b.layout
            }
            _ => false,
        };
        if !fits {
            out.push(format!(
                "{name}: the rows rendered together {:?} are not two of its rows in table order, of one layout, both split into stacks or neither",
                t.rows
            ));
        }
    }
    out
}

#[test]
fn every_target_is_complete() {
    let problems: Vec<String> = TARGETS.iter().flat_map(|t| problems(t)).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_incomplete_target_is_caught() {
    // Terraform's rows, split into stacks, with nothing said of how a stack deploys.
    static SPLIT: [OutputDef; 1] = [OutputDef {
        stacks: Some(crate::backend::StackFiles {
            golden: "terraform.stack-{n}.tf",
            out_dir: "terraform/{stem}.stack-{n}.tf",
        }),
        judges: &["no-such-check"],
        ..terraform_first()
    }];
    const fn terraform_first() -> OutputDef {
        OutputDef {
            format: Some("hcl"),
            language: None,
            app: false,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "terraform.tf",
            out_dir: "terraform/{stem}/main.tf",
            comment: crate::backend::CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &[],
            render: crate::backend::Render::File(|_, _| Ok(String::new())),
        }
    }
    let incomplete = Target {
        capabilities: terraform::target::TARGET.capabilities,
        outputs: &SPLIT,
        stack_notes: None,
        provider_block: true,
        together: &[crate::backend::outputs::Together {
            rows: ["terraform.tf", "terraform.tf.json"],
            render: |_, _| Ok([String::new(), String::new()]),
        }],
        pieces: &[],
    };
    let found = problems(&incomplete);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("no check `no-such-check`"), "{found:#?}");
    assert!(found[1].contains("stack_notes"), "{found:#?}");
    assert!(found[2].contains("rendered together"), "{found:#?}");
    let empty = Target {
        outputs: &[],
        ..incomplete
    };
    assert_eq!(problems(&empty), vec!["terraform: no outputs".to_string()]);
}

#[test]
fn names_and_goldens_are_unique_and_every_row_is_an_output() {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name()).collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique);
    assert_eq!(Output::targets(), names);
    let rows: usize = TARGETS.iter().map(|t| t.outputs.len()).sum();
    assert_eq!(Output::every().count(), rows);
    for o in Output::every() {
        assert!(
            by_name(o.target())
                .is_some_and(|t| t.outputs.iter().any(|d| d.golden == o.golden_name()))
        );
    }
}

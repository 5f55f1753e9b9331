use super::check::drift;
use super::*;
use crate::backend::{Output, RenderOptions};
use crate::source::Source;

#[test]
fn the_starter_spec_compiles_for_every_target() {
    let source = Source::new("ssm-profile.yaml", STARTER);
    let model = crate::load(&source).expect("the starter compiles");
    assert_eq!(model.profiles.len(), 1);
    assert!(model.profiles[0].warnings.is_empty());
    for o in Output::every().filter(|o| o.applies(&model)) {
        o.generate_files(&model, "ssm-profile.yaml", RenderOptions::default())
            .unwrap_or_else(|e| panic!("{o:?} refuses the starter: {e}"));
    }
}

#[test]
fn out_dir_paths_are_distinct_relative_and_named_after_the_spec() {
    let paths: Vec<String> = Output::all().map(|o| o.out_dir_path("prod")).collect();
    for (i, p) in paths.iter().enumerate() {
        assert!(p.contains("prod"), "{p}");
        assert!(!p.starts_with('/') && !p.contains('\\'), "{p}");
        assert!(
            p.split('/')
                .all(|seg| !seg.is_empty() && seg != ".." && seg != "."),
            "{p}"
        );
        assert!(!paths[..i].contains(p), "two outputs share {p}");
    }
}

#[test]
fn stems_name_the_generated_files() {
    assert_eq!(spec_stem("specs/prod.yaml").unwrap(), "prod");
    assert_eq!(spec_stem("prod.ssm.json").unwrap(), "prod.ssm");
    assert!(spec_stem("-").is_err());
    assert!(spec_stem("specs/.yaml").is_err());
}

#[test]
fn crlf_drift_says_so() {
    let FileState::Drifted { note, diff } = drift(Path::new("f"), b"a\r\nb\r\n", "a\nb\n") else {
        panic!("not drift");
    };
    assert!(note.unwrap().contains("CRLF"));
    assert!(diff.contains("-a\r"));
}

/// Files are handed over (to be staged) as they render, before a later spec fails:
/// the failure still comes, and what was handed over is the build's to drop.
#[test]
fn files_are_handed_over_before_a_later_spec_fails() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed/spec.yaml"),
        &seed,
    )
    .unwrap();
    let later = dir.path().join("later.yaml");
    let mut text = String::from(
        "version: 1\nstacks: 2\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: eu-central-1\nprofiles:\n",
    );
    for i in 0..70 {
        text.push_str(&format!("  - name: SSMProfile{i}\n"));
    }
    std::fs::write(&later, text).unwrap();
    let specs = [seed, later].map(|p| p.display().to_string());
    let out = dir.path().join("gen");
    let mut tree = tree(&specs, &out, &[], None).unwrap();
    assert!(!tree.doomed(), "the refusal is found while rendering");
    let mut handed = Vec::new();
    let result = tree.render(&mut |file, _| {
        handed.push(file.relative.clone());
        Ok(())
    });
    let Err(error) = result else {
        panic!("{result:?}");
    };
    assert!(error.to_string().contains("200 outputs"), "{error}");
    // Every file of the seed, then the later spec's CloudFormation stacks.
    let seed: Vec<String> = tree
        .files
        .iter()
        .map(|f| f.relative.clone())
        .filter(|f| f.contains("seed"))
        .collect();
    assert!(handed.len() > seed.len(), "{handed:?}");
    let (seed_handed, later) = handed.split_at(seed.len());
    assert_eq!(in_plan_order(&tree, seed_handed), seed);
    assert_eq!(
        in_plan_order(&tree, later),
        tree.files[seed.len()..seed.len() + later.len()]
            .iter()
            .map(|f| f.relative.clone())
            .collect::<Vec<_>>()
    );
    // Staged, the same failure leaves nothing behind.
    let mut tree = super::tree(&specs, &out, &[], None).unwrap();
    assert!(stage(&mut tree, Durability::default(), &mut |_| {}).is_err());
    assert!(!out.exists());
}

/// `paths` sorted in the tree's plan order.
fn in_plan_order(tree: &Tree, paths: &[String]) -> Vec<String> {
    let mut sorted = paths.to_vec();
    sorted.sort_by_key(|p| tree.files.iter().position(|f| &f.relative == p));
    sorted
}

/// Files as (path relative to the out dir, text).
type Files = Vec<(String, String)>;

/// Every file of `spec`'s tree as it is handed over, and what `generate_files`
/// gives for each output rendering alone, in plan order.
fn tree_and_alone(spec: &Path, stem: &str) -> (Tree, Files, Files) {
    let name = spec.display().to_string();
    let out = spec.parent().unwrap().join("gen");
    let mut tree = tree(std::slice::from_ref(&name), &out, &[], None).unwrap();
    let mut handed = Vec::new();
    tree.render(&mut |file, text| {
        handed.push((file.relative.clone(), text));
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let model = crate::load(&Source::read(&name).unwrap()).unwrap();
    let alone: Files = Output::all()
        .filter(|o| o.applies(&model))
        .flat_map(|o| {
            o.generate_files(&model, &name, RenderOptions::default())
                .unwrap()
                .into_iter()
                .map(move |f| (o.file_out_dir_path(stem, &f), f.text))
        })
        .collect();
    (tree, handed, alone)
}

/// The stacks of an output render on several threads, and each is handed over with
/// the bytes `generate_files` gives when rendering alone: each output's in plan
/// order, and the CDK's module and app of one language (rendered together, the
/// construct once for both) a stack of each in turn.
#[test]
fn stacks_rendered_in_parallel_are_handed_over_as_rendered_alone() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("fleet.yaml");
    let mut text = String::from("version: 1\nstacks: 3\nprofiles:\n");
    for i in 0..12 {
        text.push_str(&format!(
            "  - name: Fleet{i}\n    s3:\n      vpc_endpoint_regions: [eu-west-1, us-east-1]\n"
        ));
    }
    std::fs::write(&spec, &text).unwrap();
    let (tree, handed, alone) = tree_and_alone(&spec, "fleet");
    let paths: Vec<String> = handed.iter().map(|(p, _)| p.clone()).collect();
    let planned: Vec<String> = tree.files.iter().map(|f| f.relative.clone()).collect();
    assert_eq!(in_plan_order(&tree, &paths), planned);
    assert_eq!(
        alone.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        planned.iter().collect::<Vec<_>>()
    );
    assert!(alone.iter().filter(|(p, _)| p.contains("stack-3")).count() >= 2);
    for n in 1..=3 {
        for (module, app) in [
            (
                format!("cdk/fleet.stack-{n}.ts"),
                format!("cdk/fleet-app.stack-{n}.ts"),
            ),
            (
                format!("cdk/fleet_stack_{n}.py"),
                format!("cdk/fleet-app.stack-{n}.py"),
            ),
        ] {
            let at = paths.iter().position(|p| *p == module).unwrap();
            assert_eq!(paths[at + 1], app, "{paths:#?}");
        }
    }
    let mut handed = handed;
    handed.sort_by_key(|(p, _)| planned.iter().position(|f| f == p));
    for ((path, text), (alone_path, alone_text)) in handed.iter().zip(&alone) {
        assert_eq!(path, alone_path);
        assert!(
            text == alone_text,
            "{path} differs from the file rendered alone"
        );
    }
}

/// A spec of 230 profiles, whose Terraform configuration renders in three pieces:
/// its name, its Terraform tree (in `dir/gen`) and the configuration rendered whole.
fn fleet_in_pieces(dir: &Path) -> (String, Tree, String) {
    let spec = dir.join("fleet.yaml");
    let mut text = String::from("version: 1\nprofiles:\n");
    for i in 0..230 {
        text.push_str(&format!("  - name: Fleet{i}\n    tags: {{ n: \"{i}\" }}\n"));
    }
    std::fs::write(&spec, &text).unwrap();
    let name = spec.display().to_string();
    let model = crate::load(&Source::read(&name).unwrap()).unwrap();
    let hcl = Output::all()
        .find(|o| o.target() == "terraform" && o.golden_name() == "terraform.tf")
        .unwrap();
    assert_eq!(hcl.pieces(&model), Some(3));
    let whole = hcl
        .generate(&model, &name, RenderOptions::default())
        .unwrap();
    let tree = tree(
        std::slice::from_ref(&name),
        &dir.join("gen"),
        &["terraform"],
        None,
    )
    .unwrap();
    (name, tree, whole)
}

/// A fleet's Terraform configuration renders in pieces on several threads
/// (`Target::pieces`), which are joined in order into the one file rendering it
/// whole gives.
#[test]
fn a_configuration_rendered_in_pieces_is_handed_over_as_rendered_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut tree, whole) = fleet_in_pieces(dir.path());
    let mut handed = Vec::new();
    tree.render(&mut |file, text| {
        handed.push((file.relative.clone(), text));
        Ok(())
    })
    .unwrap();
    let paths: Vec<&str> = handed.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "terraform/fleet/main.tf",
            "terraform-json/fleet/main.tf.json"
        ]
    );
    assert!(
        handed[0].1 == whole,
        "main.tf differs from the file rendered whole"
    );
}

/// Handed over in parts (`render_in_parts`: a build into a fresh tree), the
/// configuration comes as its three pieces, in order, with no other file between
/// them, the first and last marked, and joined they are the file rendered whole; the
/// JSON, which does not render in pieces, still comes whole.
#[test]
fn a_configuration_handed_over_in_parts_joins_into_the_file_rendered_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut tree, whole) = fleet_in_pieces(dir.path());
    let mut handed = Vec::new();
    tree.render_in_parts(&|f| f.relative.ends_with("main.tf"), &mut |file, h| {
        handed.push(match h {
            Handed::Whole(text) => (file.relative.clone(), "whole", text),
            Handed::Part { text, first, last } => {
                let at = match (first, last) {
                    (true, false) => "first",
                    (false, false) => "middle",
                    (false, true) => "last",
                    (true, true) => "only",
                };
                (file.relative.clone(), at, text)
            }
        });
        Ok(())
    })
    .unwrap();
    let shape: Vec<(&str, &str)> = handed.iter().map(|(p, a, _)| (p.as_str(), *a)).collect();
    assert_eq!(
        shape,
        [
            ("terraform/fleet/main.tf", "first"),
            ("terraform/fleet/main.tf", "middle"),
            ("terraform/fleet/main.tf", "last"),
            ("terraform-json/fleet/main.tf.json", "whole"),
        ]
    );
    let joined: String = handed[..3].iter().map(|(_, _, t)| t.as_str()).collect();
    assert!(
        joined == whole,
        "the parts differ from the file rendered whole"
    );
}

/// `build --out-dir` into a fresh tree stages the configuration part by part; the
/// file it writes is the one rendered whole, and a second build finds it unchanged.
#[test]
fn a_fresh_tree_gets_the_configuration_in_parts_and_a_rebuild_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (name, _, whole) = fleet_in_pieces(dir.path());
    let out = dir.path().join("gen");
    let build = || {
        let mut tree = tree(std::slice::from_ref(&name), &out, &["terraform"], None).unwrap();
        let staged =
            write::stage(&mut tree, crate::atomic::Durability::default(), &mut |_| {}).unwrap();
        write::write(staged).unwrap()
    };
    let first = build();
    assert_eq!(
        first.written,
        [
            "terraform/fleet/main.tf",
            "terraform-json/fleet/main.tf.json"
        ]
    );
    let written = std::fs::read_to_string(out.join("terraform/fleet/main.tf")).unwrap();
    assert!(
        written == whole,
        "main.tf differs from the file rendered whole"
    );
    let second = build();
    assert!(second.written.is_empty(), "{:?}", second.written);
    assert_eq!(second.unchanged.len(), 2);
}

/// Every fixture's `--out-dir` tree holds each file exactly as `generate_files`
/// gives it rendering its output alone (as the goldens hold them), though two
/// outputs render together there (`Target::together`).
#[test]
fn every_fixture_tree_is_its_outputs_rendered_alone() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let case = entry.unwrap().path();
        let Some(spec) = ["spec.yaml", "spec.json"]
            .iter()
            .map(|s| case.join(s))
            .find(|s| s.is_file())
        else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join(spec.file_name().unwrap());
        std::fs::copy(&spec, &copy).unwrap();
        let text = std::fs::read_to_string(&copy).unwrap();
        let Ok(model) = crate::load(&Source::new(copy.display().to_string(), text)) else {
            continue;
        };
        // A spec some target refuses builds no tree.
        if Output::all().filter(|o| o.applies(&model)).any(|o| {
            o.generate_files(&model, "spec.yaml", RenderOptions::default())
                .is_err()
        }) {
            continue;
        }
        let (tree, mut handed, alone) = tree_and_alone(&copy, "spec");
        handed.sort_by_key(|(p, _)| tree.files.iter().position(|f| &f.relative == p));
        assert_eq!(handed.len(), alone.len(), "{}", case.display());
        for ((path, text), (alone_path, alone_text)) in handed.iter().zip(&alone) {
            assert_eq!(path, alone_path, "{}", case.display());
            assert!(text == alone_text, "{}: {path} differs", case.display());
        }
        seen += 1;
    }
    assert!(seen >= 30, "only {seen} fixtures built a tree");
}

/// `same_bytes` reads the file a block at a time: equal only when every byte and the
/// length match, wherever the first difference is (a file of several blocks too).
#[test]
fn same_bytes_compares_every_block_and_the_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let same = |on_disk: &[u8], expected: &[u8]| {
        std::fs::write(&path, on_disk).unwrap();
        write::same_bytes(&path, expected)
    };
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    assert!(same(&big, &big));
    assert!(same(b"", b""));
    assert!(same(b"x", b"x"));
    let mut changed = big.clone();
    *changed.last_mut().unwrap() ^= 1;
    assert!(
        !same(&changed, &big),
        "the last byte of the last block differs"
    );
    changed = big.clone();
    changed[70_000] ^= 1;
    assert!(!same(&changed, &big), "a byte of the second block differs");
    assert!(
        !same(&big[..big.len() - 1], &big),
        "the file is one byte short"
    );
    assert!(
        !same(&big, &big[..big.len() - 1]),
        "the file is one byte long"
    );
    assert!(!same(b"", b"x"));
    assert!(!same(b"x", b""));
    assert!(!write::same_bytes(&dir.path().join("missing"), b""));
}

/// The folders on the way are looked at once per tree, the file itself every time:
/// a folder where a file belongs is found past a folder already found clear, and
/// so is a link where a folder belongs, in a folder not yet seen.
#[cfg(unix)]
#[test]
fn a_way_shares_its_folders_but_not_its_files() {
    use super::paths::{Folders, PlannedFile, way_problem};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    std::fs::create_dir_all(out.join("cdk/x")).unwrap();
    std::fs::create_dir_all(out.join("cdk/taken")).unwrap();
    std::fs::create_dir_all(out.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(out.join("elsewhere"), out.join("linked")).unwrap();
    let planned = |relative: &str| PlannedFile {
        relative: relative.into(),
        path: out.join(relative),
        spec: "x.yaml".into(),
    };
    let mut folders = Folders::default();
    let problem =
        |f: &PlannedFile, folders: &mut Folders| way_problem(out, f, folders).map(|(at, _)| at);
    assert_eq!(problem(&planned("cdk/x/a.ts"), &mut folders), None);
    assert_eq!(
        problem(&planned("cdk/taken"), &mut folders),
        Some(out.join("cdk/taken"))
    );
    assert_eq!(
        problem(&planned("linked/a.ts"), &mut folders),
        Some(out.join("linked"))
    );
    assert_eq!(problem(&planned("cdk/x/b.ts"), &mut folders), None);
}

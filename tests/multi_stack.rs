//! A spec too large for one CloudFormation stack through the real binary: `build` to
//! stdout refuses it, `build --out-dir` writes it as several stacks in the documented
//! layout (docs/workflow.md), and `check` follows the split both ways.

use std::fs;
use std::process::Output as Run;

use serde_json::{Map, Value};
use ssm_profile::backend::cloudformation::{self, Scope};
use ssm_profile::source::Source;

mod support;
use support::Scratch;

/// `n` instance profiles: 2 resources and 3 outputs each.
fn spec(n: usize) -> String {
    stacks_spec(n, None)
}

/// `spec(n)`, declaring `stacks` when given.
fn stacks_spec(n: usize, stacks: Option<usize>) -> String {
    let mut spec = String::from("version: 1\n");
    if let Some(k) = stacks {
        spec.push_str(&format!("stacks: {k}\n"));
    }
    spec.push_str("profiles:\n");
    for i in 1..=n {
        spec.push_str(&format!("  - name: node-{i}\n"));
    }
    spec
}

fn out(run: &Run) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    )
}

/// The files of one stack in the out dir: CloudFormation JSON and YAML, the CDK
/// modules and apps.
fn stack_files(n: usize) -> Vec<String> {
    vec![
        format!("cloudformation/prod.stack-{n}.template.json"),
        format!("cloudformation/prod.stack-{n}.template.yaml"),
        format!("cdk/prod.stack-{n}.ts"),
        format!("cdk/prod_stack_{n}.py"),
        format!("cdk/prod-app.stack-{n}.ts"),
        format!("cdk/prod-app.stack-{n}.py"),
    ]
}

const ONE_STACK: &[&str] = &[
    "cloudformation/prod.template.json",
    "cloudformation/prod.template.yaml",
    "cdk/prod.ts",
    "cdk/prod.py",
    "cdk/prod-app.ts",
    "cdk/prod-app.py",
];

fn strays(run: &Run) -> Vec<String> {
    let mut found: Vec<String> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("stray: gen/"))
        .map(|l| l.split(" (").next().unwrap().to_string())
        .collect();
    found.sort();
    found
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_spec_that_outgrows_one_stack_is_written_as_several_and_check_follows() {
    let s = Scratch::new("grow");
    fs::write(s.0.join("prod.yaml"), spec(66)).unwrap();
    let built = s.run(&["build", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(built.status.code(), Some(0), "{}", out(&built));
    for f in ONE_STACK {
        assert!(s.0.join("gen").join(f).is_file(), "{f}");
    }

    // One profile more: 201 outputs. Standard output refuses, naming the way out.
    fs::write(s.0.join("prod.yaml"), spec(67)).unwrap();
    let refused = s.run(&["build", "prod.yaml", "--target", "cdk"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    assert!(
        out(&refused).contains("201 outputs")
            && out(&refused)
                .contains("declare `stacks` (a number of stacks) and build with `--out-dir DIR`"),
        "{}",
        out(&refused)
    );
    // `--out-dir` without `stacks` refuses too, naming the count that fits.
    let undeclared = s.run(&["build", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(undeclared.status.code(), Some(2), "{}", out(&undeclared));
    assert!(
        out(&undeclared).contains("declare `stacks: 2` at the top of the spec"),
        "{}",
        out(&undeclared)
    );
    fs::write(s.0.join("prod.yaml"), stacks_spec(67, Some(2))).unwrap();
    let built = s.run(&["build", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(built.status.code(), Some(0), "{}", out(&built));
    for f in stack_files(1).iter().chain(&stack_files(2)) {
        assert!(s.0.join("gen").join(f).is_file(), "{f}");
    }
    assert!(
        !s.0.join("gen/cloudformation/prod.stack-3.template.json")
            .exists()
    );

    // Together the stacks hold exactly the one template's resources and outputs,
    // each within the quotas, each saying which stack it is.
    let model = ssm_profile::load(&Source::new("prod.yaml", stacks_spec(67, Some(2)))).unwrap();
    let whole = cloudformation::scoped_template(&model, Scope::Whole, None);
    let (mut resources, mut outputs) = (Map::new(), Map::new());
    for n in 1..=2 {
        let t: Value = serde_json::from_str(
            &s.read(&format!("gen/cloudformation/prod.stack-{n}.template.json")),
        )
        .unwrap();
        let r = t["Resources"].as_object().unwrap();
        let o = t["Outputs"].as_object().unwrap();
        assert!(r.len() <= 500 && o.len() <= 200, "stack {n}");
        assert!(
            t["Description"]
                .as_str()
                .unwrap()
                .ends_with(&format!("(stack {n} of 2)"))
        );
        resources.extend(r.clone());
        outputs.extend(o.clone());
        let yaml = s.read(&format!("gen/cloudformation/prod.stack-{n}.template.yaml"));
        assert!(yaml.contains(&format!("# Stack {n} of 2: ")), "{yaml}");
        assert!(yaml.contains(&format!("--stack-name NAME-{n} ")), "{yaml}");
        let app = s.read(&format!("gen/cdk/prod-app.stack-{n}.ts"));
        assert!(app.contains(&format!("new Stack(app, 'SsmProfileStack-{n}'")));
    }
    assert_eq!(resources, *whole["Resources"].as_object().unwrap());
    assert_eq!(outputs, *whole["Outputs"].as_object().unwrap());
    // Placed by the hash of each name: both stacks hold some, neither all.
    let first: Value =
        serde_json::from_str(&s.read("gen/cloudformation/prod.stack-1.template.json")).unwrap();
    let held = first["Outputs"].as_object().unwrap().len();
    assert!((3..201).contains(&held), "{held}");

    // `check` replays the split: clean, but `--exhaustive` names the one-stack
    // files the spec no longer generates.
    let check = s.run(&["check", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    let strict = s.run(&["check", "prod.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert_eq!(strict.status.code(), Some(1), "{}", out(&strict));
    assert_eq!(
        strays(&strict),
        sorted(ONE_STACK.iter().map(|f| f.to_string()).collect()),
        "{}",
        out(&strict)
    );
    for f in ONE_STACK {
        fs::remove_file(s.0.join("gen").join(f)).unwrap();
    }
    let strict = s.run(&["check", "prod.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert_eq!(strict.status.code(), Some(0), "{}", out(&strict));

    // A stack file removed or edited is missing or drifted.
    fs::remove_file(s.0.join("gen/cdk/prod_stack_2.py")).unwrap();
    let check = s.run(&["check", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        out(&check).contains("missing: gen/cdk/prod_stack_2.py"),
        "{}",
        out(&check)
    );

    // Back to one stack: the stacks are the strays now.
    fs::write(s.0.join("prod.yaml"), spec(66)).unwrap();
    let built = s.run(&["build", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(built.status.code(), Some(0), "{}", out(&built));
    let strict = s.run(&["check", "prod.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert_eq!(strict.status.code(), Some(1));
    let mut expected: Vec<String> = stack_files(1).into_iter().chain(stack_files(2)).collect();
    expected.retain(|f| f != "cdk/prod_stack_2.py");
    assert_eq!(strays(&strict), sorted(expected), "{}", out(&strict));
}

#[test]
fn a_rollout_too_large_for_one_template_is_still_refused_with_out_dir() {
    let s = Scratch::new("rollout");
    let mut text = spec(67);
    text.push_str("rollout:\n  organizational_units: [r-ab12]\n  iam_region: eu-central-1\n");
    fs::write(s.0.join("prod.yaml"), text).unwrap();
    let built = s.run(&[
        "build",
        "prod.yaml",
        "--out-dir",
        "gen",
        "--target",
        "cloudformation",
    ]);
    assert_eq!(built.status.code(), Some(2), "{}", out(&built));
    assert!(out(&built).contains("201 outputs"), "{}", out(&built));
    assert!(!out(&built).contains("`--out-dir"), "{}", out(&built));
    assert!(!s.0.join("gen").exists());
}

/// `n` hybrid profiles on existing roles, each with one S3 policy and no output: one
/// resource each, so `n` is the stack's resource count as we write it.
fn one_resource_profiles(n: usize, stacks: Option<usize>) -> String {
    let mut spec = String::from("version: 1\n");
    if let Some(k) = stacks {
        spec.push_str(&format!("stacks: {k}\n"));
    }
    spec.push_str("profiles:\n");
    for i in 1..=n {
        spec.push_str(&format!(
            "  - {{name: node-{i}, kind: hybrid-service-role, existing_role: role-{i}, managed_policies: {{core: false}}, s3: {{buckets: [{{name: bucket-{i}}}]}}}}\n"
        ));
    }
    spec
}

/// The CDK adds AWS::CDK::Metadata to every stack it synthesizes, and counts it
/// against the same 500 (`limits::CDK_ADDED_RESOURCES`): 499 of ours is the most
/// one CDK stack holds. At 500, CloudFormation still takes one template, the CDK
/// is refused on stdout, and `--out-dir` (whose stacks every target shares) needs
/// `stacks: 2`. scripts/cdk-check synthesizes the edge with the real `cdk synth`.
#[test]
fn a_cdk_stack_keeps_room_for_the_metadata_resource_the_cdk_adds() {
    let s = Scratch::new("cdk-metadata");
    let build = |spec: String, args: &[&str]| {
        fs::write(s.0.join("prod.yaml"), spec).unwrap();
        let _ = fs::remove_dir_all(s.0.join("gen"));
        let mut all = vec!["build", "-q", "prod.yaml"];
        all.extend_from_slice(args);
        s.run(&all)
    };
    let resources = |template: &str| -> usize {
        let t: Value = serde_json::from_str(template).unwrap();
        t["Resources"].as_object().unwrap().len()
    };

    let cdk = build(one_resource_profiles(499, None), &["--target", "cdk"]);
    assert_eq!(cdk.status.code(), Some(0), "{}", out(&cdk));
    let tree = build(one_resource_profiles(499, None), &["--out-dir", "gen"]);
    assert_eq!(tree.status.code(), Some(0), "{}", out(&tree));
    assert_eq!(
        resources(&s.read("gen/cloudformation/prod.template.json")),
        499
    );
    assert!(s.0.join("gen/cdk/prod-app.ts").exists());

    let cfn = build(
        one_resource_profiles(500, None),
        &["--target", "cloudformation"],
    );
    assert_eq!(cfn.status.code(), Some(0), "{}", out(&cfn));
    assert_eq!(resources(&String::from_utf8_lossy(&cfn.stdout)), 500);
    let cdk = build(one_resource_profiles(500, None), &["--target", "cdk"]);
    assert_eq!(cdk.status.code(), Some(2), "{}", out(&cdk));
    assert!(cdk.stdout.is_empty());
    assert!(
        out(&cdk).contains("needs 501 resources (with the 1 the CDK adds, AWS::CDK::Metadata), but the CDK synthesizes CloudFormation, which cannot put more than 500 resources"),
        "{}",
        out(&cdk)
    );
    let tree = build(one_resource_profiles(500, None), &["--out-dir", "gen"]);
    assert_eq!(tree.status.code(), Some(2), "{}", out(&tree));
    assert!(out(&tree).contains("declare `stacks: 2`"), "{}", out(&tree));
    let tree = build(one_resource_profiles(500, Some(2)), &["--out-dir", "gen"]);
    assert_eq!(tree.status.code(), Some(0), "{}", out(&tree));
    let held: Vec<usize> = [1, 2]
        .iter()
        .map(|n| resources(&s.read(&format!("gen/cloudformation/prod.stack-{n}.template.json"))))
        .collect();
    assert_eq!(held.iter().sum::<usize>(), 500);
    assert!(held.iter().all(|&r| r <= 499), "{held:?}");
}

/// Issue 21: a move the user asks for (another `stacks` count, or a profile pinned
/// with `stack:`) moves CloudFormation resources between stacks, but no Terraform
/// address: Terraform's configuration is never split, so its files, and with them
/// every address, are the same bytes whatever the stacks. A Terraform `moved` block
/// is therefore never needed (a renamed profile changes its IAM names too, which are
/// `ForceNew`: `moved` could not keep the resource).
#[test]
fn a_change_of_stacks_moves_no_terraform_address() {
    let s = Scratch::new("tf-stacks");
    let variants = [
        ("two", stacks_spec(70, Some(2))),
        ("three", stacks_spec(70, Some(3))),
        (
            "pinned",
            stacks_spec(70, Some(3))
                .replace("  - name: node-7\n", "  - name: node-7\n    stack: 1\n"),
        ),
    ];
    let mut trees = Vec::new();
    for (dir, spec) in &variants {
        fs::create_dir_all(s.0.join(dir)).unwrap();
        fs::write(s.0.join(dir).join("prod.yaml"), spec).unwrap();
        for (out_dir, layout) in [("gen", None), ("module", Some("module"))] {
            let mut args = vec!["build", "prod.yaml", "--out-dir", out_dir];
            if let Some(l) = layout {
                args.extend(["--target", "terraform", "--layout", l]);
            }
            let built = s.run_in(dir, &args);
            assert_eq!(built.status.code(), Some(0), "{dir}: {}", out(&built));
        }
        let read = |rel: &str| -> Vec<(String, String)> {
            let base = format!("{dir}/{rel}");
            s.files(&base)
                .into_iter()
                .map(|f| (f.clone(), s.read(&format!("{base}/{f}"))))
                .collect()
        };
        let cfn = s.files(&format!("{dir}/gen/cloudformation"));
        let tf = [
            read("gen/terraform"),
            read("gen/terraform-json"),
            read("module"),
        ];
        assert!(
            tf[0]
                .iter()
                .any(|(_, t)| t.contains("resource \"aws_iam_role\" \"node7\""))
        );
        trees.push((cfn, tf));
    }
    // The CloudFormation stacks do change (the move is real there)...
    assert_ne!(trees[0].0, trees[1].0);
    // ...and Terraform's files do not.
    for (i, (_, tf)) in trees.iter().enumerate().skip(1) {
        assert_eq!(&trees[0].1, tf, "{}", variants[i].0);
    }
}

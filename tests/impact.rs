//! `ssm-profile impact` through the real binary (issue 21): every case under
//! tests/impact/ is a pair of specs that differ by one edit, with the report in each
//! `--message-format` as a golden (first line: the exit status); the "next version"
//! of the rollout and multi-stack fixtures; `--base REV` in a git repository; and bad
//! input. `UPDATE_GOLDENS=1` rewrites the goldens: read the diff, it is the product.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ssm-profile"));
    c.env("NO_COLOR", "1");
    c
}

/// `exit N` and stdout, of `impact ARGS` run in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin()
        .current_dir(dir)
        .arg("impact")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(expected, actual, "{} differs", path.display());
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (case, exit status the edit must give).
const CASES: &[(&str, i32)] = &[
    ("add-profile", 0),
    ("add-tag", 0),
    ("add-region", 0),
    ("rename-role", 1),
    ("change-path", 1),
    ("remove-profile", 1),
    ("lose-permissions", 1),
    ("rollout-rename", 1),
    ("shard-count", 1),
    ("add-ou", 1),
    ("rollout-retain", 1),
    ("remove-ou", 1),
    ("remove-region", 1),
];

#[test]
fn every_one_edit_case_matches_its_goldens() {
    let cases = root().join("tests/impact");
    let mut found: Vec<String> = fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    found.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(c, _)| c.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "every case folder is listed with its exit status"
    );
    for (case, exit) in CASES {
        let dir = cases.join(case);
        for (format, file) in [
            ("human", "human.txt"),
            ("json", "json.txt"),
            ("github", "github.txt"),
        ] {
            let (code, stdout, stderr) =
                run(&dir, &["old.yaml", "new.yaml", "--message-format", format]);
            assert_eq!(code, *exit, "{case} {format}: {stdout}{stderr}");
            golden(&dir.join(file), &format!("exit {code}\n{stdout}"));
        }
    }
}

#[test]
fn each_hazard_is_reported_where_the_spec_causes_it() {
    let dir = root().join("tests/impact");
    let human = |case: &str| run(&dir.join(case), &["old.yaml", "new.yaml"]).1;
    let path = human("change-path");
    assert!(path.contains("hazard: new.yaml:4:11: profiles[0].path: cloudformation: instance profile AWS::IAM::InstanceProfile `web` is replaced (Path cannot change in place)"), "{path}");
    let removed = human("remove-profile");
    assert!(removed.contains("hazard: old.yaml:8:11: profiles[1].name: cloudformation: instance profile AWS::IAM::InstanceProfile `batch` is deleted"), "{removed}");
    let renamed = human("rollout-rename");
    assert!(renamed.contains("StackSet AWS::CloudFormation::StackSet `platform-ssm` is replaced (StackSetName cannot change in place)"), "{renamed}");
    // Terraform replaces a StackSet instance whose OUs or StackSet name change, and a
    // StackSet whose auto_deployment changes (the provider's ForceNew attributes);
    // CloudFormation updates both in place.
    let ou = human("add-ou");
    assert!(ou.contains("hazard: new.yaml:2:1: rollout: terraform: aws_cloudformation_stack_set_instance.iam_us_east_1 (the stacks of StackSet `ssm-profile-new` in us-east-1) is replaced (deployment_targets cannot change in place)"), "{ou}");
    assert!(ou.contains("rollout stack: updated AWS::CloudFormation::StackSet IamStackSet `ssm-profile-new` (CDK SsmProfileRolloutStack/SsmProfilesRollout/IamStackSet): StackInstancesGroup change in place"), "{ou}");
    // Removing an OU: CloudFormation keeps the StackSet but deletes its stacks in the
    // OU's accounts; a deletion, not only an update.
    let removed_ou = human("remove-ou");
    assert!(removed_ou.contains("rollout stack: deleted AWS::CloudFormation::StackSet stack instances IamStackSet OU ou-abcd-33334444 in us-east-1 `ssm-profile-new`"), "{removed_ou}");
    assert!(removed_ou.contains("hazard: new.yaml:2:1: rollout: cloudformation: StackSet `ssm-profile-new` no longer targets OU ou-abcd-33334444 in us-east-1: CloudFormation deletes its stack instances there"), "{removed_ou}");
    let retain = human("rollout-retain");
    assert!(retain.contains("hazard: new.yaml:2:1: rollout: terraform: StackSet aws_cloudformation_stack_set `ssm-profile-new` is replaced (auto_deployment cannot change in place)"), "{retain}");
    assert!(retain.contains("rollout stack: updated AWS::CloudFormation::StackSet IamStackSet `ssm-profile-new` (CDK SsmProfileRolloutStack/SsmProfilesRollout/IamStackSet): AutoDeployment change in place"), "{retain}");
    assert!(renamed.contains("replaced aws_cloudformation_stack_set_instance aws_cloudformation_stack_set_instance.iam_us_east_1: stack_set_name cannot change in place"), "{renamed}");
    assert!(renamed.contains("terraform: StackSet aws_cloudformation_stack_set `platform-ssm` is replaced (name cannot change in place)"), "{renamed}");
    let lost = human("lose-permissions");
    assert!(lost.contains("profile `web` loses the managed policy arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"), "{lost}");
    assert!(
        lost.contains("profile `web` loses s3:GetObject on arn:aws:s3:::aws-ssm-us-east-1/*"),
        "{lost}"
    );
    let moved = human("shard-count");
    assert!(
        moved.contains(": moved AWS::IAM::Role ") && moved.contains("moves from stack new.stack-"),
        "{moved}"
    );
    let github = run(
        &dir.join("change-path"),
        &["old.yaml", "new.yaml", "--message-format", "github"],
    )
    .1;
    assert!(github.contains("::warning file=new.yaml,line=4,col=11,title=ssm-profile impact-hazard::profiles[0].path: "), "{github}");
}

#[test]
fn deny_chooses_what_fails() {
    let dir = root().join("tests/impact/rename-role");
    assert_eq!(run(&dir, &["old.yaml", "new.yaml", "--deny", "move"]).0, 0);
    assert_eq!(
        run(&dir, &["old.yaml", "new.yaml", "--deny", "delete,replace"]).0,
        1
    );
}

/// The fixtures' next versions: adding a profile at the top of the rollout and a
/// profile to the multi-stack fixture deletes, replaces and moves nothing.
#[test]
fn the_fixtures_next_versions_only_add() {
    for fixture in ["rollout", "multi-stack"] {
        let dir = root().join("fixtures").join(fixture);
        let (code, stdout, stderr) = run(&dir, &["spec.yaml", "next.yaml"]);
        assert_eq!(code, 0, "{fixture}: {stdout}{stderr}");
        assert!(!stdout.contains("hazard"), "{stdout}");
        golden(&dir.join("impact.txt"), &format!("exit {code}\n{stdout}"));
    }
}

#[test]
fn base_reads_the_old_version_from_git() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(ok.status.success(), "{ok:?}");
    };
    git(&["init", "-q"]);
    let case = root().join("tests/impact/rename-role");
    fs::copy(case.join("old.yaml"), dir.join("spec.yaml")).unwrap();
    git(&["add", "spec.yaml"]);
    git(&["commit", "-qm", "v1"]);
    fs::copy(case.join("new.yaml"), dir.join("spec.yaml")).unwrap();
    fs::copy(case.join("old.yaml"), dir.join("added.yaml")).unwrap();
    let (code, stdout, _) = run(dir, &["--base", "HEAD", "spec.yaml", "added.yaml"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("spec.yaml:\n")
            && stdout.contains("deleted AWS::IAM::Role BatchRole `batch`"),
        "{stdout}"
    );
    // A spec that is not at the revision is new: everything created.
    let added = stdout.split("added.yaml:\n").nth(1).unwrap();
    assert!(
        !added.contains("deleted") && added.contains("created AWS::IAM::Role WebRole"),
        "{added}"
    );
    let (code, stdout, stderr) = run(dir, &["--base", "no-such-rev", "spec.yaml"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("`no-such-rev` is not a git revision here"),
        "{stderr}"
    );
}

#[test]
fn bad_input_is_exit_2_with_nothing_on_stdout() {
    let dir = root().join("tests/impact/rename-role");
    let (code, stdout, stderr) = run(&dir, &["old.yaml"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    let bad = tempfile::tempdir().unwrap();
    fs::write(bad.path().join("old.yaml"), "version: 1\nprofiles: []\n").unwrap();
    fs::copy(dir.join("new.yaml"), bad.path().join("new.yaml")).unwrap();
    let (code, stdout, stderr) = run(bad.path(), &["old.yaml", "new.yaml"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("old.yaml:2:1: profiles: at least one profile is required"),
        "{stderr}"
    );
}

/// Issue 21: a CDK user knows a resource by its construct path, not by the logical
/// ID of cloudformation.json (the CDK synthesizes its own from the path). Every
/// resource `impact` reports in a stack the CDK app deploys names its construct path,
/// and that path is the app's: its stack, the construct holding the profiles, and a
/// construct of that ID in the generated app.
#[test]
fn every_stack_resource_names_its_cdk_construct_path() {
    let mut checked = 0;
    for entry in fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let spec = dir.join("spec.yaml");
        if !spec.is_file() || dir.join("cdk.error").exists() {
            continue;
        }
        let source =
            ssm_profile::source::Source::new("spec.yaml", fs::read_to_string(&spec).unwrap());
        let Ok(model) = ssm_profile::load(&source) else {
            continue;
        };
        let Ok(resources) = ssm_profile::impact::inventory(&model, "spec.yaml") else {
            continue;
        };
        for r in resources
            .iter()
            .filter(|r| r.target == ssm_profile::impact::Engine::CloudFormation)
        {
            let in_app = r.container.starts_with("stack ") || r.container == "rollout stack";
            let Some(path) = &r.cdk else {
                assert!(
                    !in_app,
                    "{}: {} {} has no CDK path",
                    dir.display(),
                    r.container,
                    r.key
                );
                continue;
            };
            assert!(
                in_app,
                "{}: {} {} in a StackSet has a CDK path",
                dir.display(),
                r.container,
                r.key
            );
            let (app, stack) = if r.container == "rollout stack" {
                (
                    "cdk-rollout-app.ts",
                    "SsmProfileRolloutStack/SsmProfilesRollout/",
                )
            } else if let Some(n) = r.container.rsplit_once(".stack-").map(|(_, n)| n) {
                let app = format!("cdk-app.stack-{n}.ts");
                let text = fs::read_to_string(dir.join(&app)).unwrap();
                assert!(text.contains(&format!("new Stack(app, 'SsmProfileStack-{n}'")));
                assert_eq!(path, &format!("SsmProfileStack-{n}/SsmProfiles/{}", r.key));
                checked += 1;
                continue;
            } else {
                ("cdk-app.ts", "SsmProfileStack/SsmProfiles/")
            };
            assert_eq!(path, &format!("{stack}{}", r.key), "{}", dir.display());
            let text = fs::read_to_string(dir.join(app)).unwrap();
            assert!(
                text.contains(&format!("'{}'", r.key)),
                "{}: {app} lacks {}",
                dir.display(),
                r.key
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}

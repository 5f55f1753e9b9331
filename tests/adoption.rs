//! `adopt: true`: the files that take over what exists already, as the tools read
//! them: every import names a resource the configuration declares, the three
//! targets import the same resources by the same identifiers, and `build` writes
//! the files beside the rest (or refuses them for a spec that adopts nothing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
}

fn fixture(case: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(case)
        .join(file)
}

fn read(case: &str, file: &str) -> String {
    std::fs::read_to_string(fixture(case, file)).unwrap()
}

fn json(case: &str, file: &str) -> serde_json::Value {
    serde_json::from_str(&read(case, file)).unwrap()
}

const CASES: &[&str] = &["adopt", "adopt-mixed"];

/// `resource "TYPE" "NAME"` blocks of an HCL file, as `TYPE.NAME`.
fn declared(hcl: &str) -> BTreeSet<String> {
    hcl.lines()
        .filter_map(|l| l.strip_prefix("resource \""))
        .map(|rest| {
            let parts: Vec<&str> = rest.split('"').collect();
            format!("{}.{}", parts[0], parts[2])
        })
        .collect()
}

/// The `to = ...` addresses of an import file.
fn import_targets(hcl: &str) -> Vec<String> {
    hcl.lines()
        .filter_map(|l| l.trim().strip_prefix("to = "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_terraform_import_names_a_resource_the_configuration_declares() {
    for case in CASES {
        let resources = declared(&read(case, "terraform.tf"));
        let targets = import_targets(&read(case, "terraform-imports.tf"));
        assert!(!targets.is_empty(), "{case}");
        for to in &targets {
            assert!(resources.contains(to), "{case}: {to} is not declared");
        }
        let module = declared(&read(case, "terraform-module/main.tf"));
        for to in import_targets(&read(case, "terraform-module-imports.tf")) {
            let inner = to
                .strip_prefix("module.ssm_profile.")
                .and_then(|t| t.strip_suffix("[0]"))
                .unwrap_or_else(|| panic!("{case}: {to} is not module.ssm_profile.X[0]"));
            assert!(module.contains(inner), "{case}: {inner} not in the module");
        }
        // The JSON file imports the same resources.
        let json_targets: Vec<String> = json(case, "terraform-imports.tf.json")["import"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["to"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(json_targets, targets, "{case}");
    }
}

#[test]
fn cloudformation_and_the_cdk_import_the_same_resources_by_the_same_identifiers() {
    for case in CASES {
        let template = json(case, "cloudformation-import.json");
        let resources = template["Resources"].as_object().unwrap();
        assert!(
            template.get("Outputs").is_none(),
            "{case}: an import adds no outputs"
        );
        for (id, r) in resources {
            assert_eq!(r["DeletionPolicy"], "Retain", "{case}: {id}");
            assert_eq!(r["UpdateReplacePolicy"], "Retain", "{case}: {id}");
        }
        let list = json(case, "cloudformation-resources-to-import.json");
        let mapping = json(case, "cdk-resource-mapping.json");
        let mapping = mapping.as_object().unwrap();
        let listed: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["LogicalResourceId"].as_str().unwrap())
            .collect();
        let in_template: Vec<&str> = resources.keys().map(String::as_str).collect();
        assert_eq!(listed, in_template, "{case}");
        assert_eq!(
            mapping.keys().map(String::as_str).collect::<Vec<_>>(),
            listed,
            "{case}"
        );
        for item in list.as_array().unwrap() {
            let id = item["LogicalResourceId"].as_str().unwrap();
            assert_eq!(item["ResourceIdentifier"], mapping[id], "{case}: {id}");
            assert_eq!(item["ResourceType"], resources[id]["Type"], "{case}: {id}");
            // The identifier is the resource's own name property (or its ARN).
            let (key, value) = item["ResourceIdentifier"]
                .as_object()
                .unwrap()
                .iter()
                .next()
                .unwrap();
            match key.as_str() {
                "PolicyArn" => {
                    let name = resources[id]["Properties"]["ManagedPolicyName"]
                        .as_str()
                        .unwrap();
                    assert!(value.as_str().unwrap().ends_with(&format!("/{name}")));
                    // In the spec's account, written whole: nothing for a user to fill.
                    let spec = read(case, "spec.yaml");
                    let account = spec
                        .lines()
                        .find_map(|l| l.strip_prefix("account_id: "))
                        .expect("an adopting spec gives account_id")
                        .trim_matches('"');
                    assert_eq!(account.len(), 12, "{case}");
                    let arn = value.as_str().unwrap();
                    assert!(arn.contains(&format!(":iam::{account}:policy/")), "{arn}");
                    assert!(!arn.contains(['<', '>']), "{arn}");
                }
                other => assert_eq!(&resources[id]["Properties"][other], value, "{case}: {id}"),
            }
        }
        // The CDK construct gives each adopted resource that logical ID.
        let ts = read(case, "cdk.ts");
        for id in mapping.keys() {
            assert!(
                ts.contains(&format!("overrideLogicalId('{id}')"))
                    || ts.contains(&format!("'{id}',\n    );")),
                "{case}: {id}"
            );
        }
    }
}

#[test]
fn adoption_files_of_a_spec_that_adopts_nothing_are_refused() {
    let run = bin()
        .args(["build", fixture("seed", "spec.yaml").to_str().unwrap()])
        .args(["--target", "terraform", "--adoption", "import-blocks"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("`--adoption import-blocks`"), "{stderr}");
    assert!(stderr.contains("`adopt: true`"), "{stderr}");
}

#[test]
fn out_dir_writes_the_adoption_files_beside_the_rest_and_check_agrees() {
    let dir = std::env::temp_dir().join(format!("ssm-profile-adoption-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("adopt", "spec.yaml"), dir.join("prod.yaml")).unwrap();
    let run = |args: &[&str]| bin().current_dir(&dir).args(args).output().unwrap();
    let built = run(&["build", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    for (path, golden) in [
        (
            "cloudformation/prod.import.template.json",
            "cloudformation-import.json",
        ),
        (
            "cloudformation/prod.resources-to-import.json",
            "cloudformation-resources-to-import.json",
        ),
        (
            "cdk/prod.resource-mapping.json",
            "cdk-resource-mapping.json",
        ),
        ("terraform/prod/imports.tf", "terraform-imports.tf"),
        (
            "terraform-json/prod/imports.tf.json",
            "terraform-imports.tf.json",
        ),
    ] {
        let written = std::fs::read_to_string(dir.join("gen").join(path)).unwrap();
        // The goldens name `spec.yaml`; the tree's files name `prod.yaml`.
        assert_eq!(
            written,
            read("adopt", golden).replace("spec.yaml", "prod.yaml"),
            "{path}"
        );
    }
    let checked = run(&["check", "prod.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let module = run(&[
        "build",
        "prod.yaml",
        "--out-dir",
        "gen-module",
        "--layout",
        "module",
    ]);
    assert_eq!(
        module.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&module.stderr)
    );
    assert!(
        dir.join("gen-module/terraform-module/prod/examples/basic/imports.tf")
            .is_file()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

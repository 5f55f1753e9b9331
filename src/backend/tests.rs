use super::*;

fn select(target: &str, format: Option<&str>, language: Option<&str>, app: bool) -> String {
    match Output::select(Selection {
        target,
        format,
        language,
        app,
        rollout: false,
        adoption: None,
        layout: None,
    }) {
        Ok(o) => o.golden_name().to_string(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn flags_pick_the_output_and_defaults_come_first() {
    assert_eq!(
        select("cloudformation", None, None, false),
        "cloudformation.json"
    );
    assert_eq!(
        select("cloudformation", Some("yaml"), None, false),
        "cloudformation.yaml"
    );
    assert_eq!(select("terraform", None, None, false), "terraform.tf");
    assert_eq!(
        select("terraform", Some("json"), None, false),
        "terraform.tf.json"
    );
    assert_eq!(select("cdk", None, None, false), "cdk.ts");
    assert_eq!(select("cdk", None, None, true), "cdk-app.ts");
    assert_eq!(select("cdk", None, Some("python"), false), "cdk.py");
    assert_eq!(select("cdk", None, Some("python"), true), "cdk-app.py");
}

#[test]
fn flags_of_another_target_say_what_the_target_takes() {
    assert_eq!(
        select("terraform", Some("yaml"), None, false),
        "error: `--format yaml` does not apply here: `--target terraform` takes `--format hcl|json` and `--rollout` and `--adoption import-blocks` and `--layout module` and `--no-provider-block`"
    );
    assert_eq!(
        select("cdk", Some("json"), None, false),
        "error: `--format json` does not apply here: `--target cdk` takes `--language typescript|python` and `--app` and `--rollout` and `--adoption resource-mapping`"
    );
    assert_eq!(
        select("cloudformation", None, None, true),
        "error: `--app` does not apply here: `--target cloudformation` takes `--format json|yaml` and `--rollout` and `--adoption import-template|resources-to-import`"
    );
}

#[test]
fn the_module_layout_is_a_terraform_folder() {
    let pick = |target, layout| {
        Output::select(Selection {
            target,
            layout,
            ..Selection::default()
        })
    };
    let module = pick("terraform", Some("module")).unwrap();
    assert!(module.is_folder());
    assert_eq!(module.golden_name(), "terraform-module");
    assert_eq!(
        module.flags(),
        ["--target terraform", "--layout module"].map(String::from)
    );
    assert!(!Output::all().any(|o| o == module));
    assert_eq!(
        pick("cdk", Some("module")).unwrap_err(),
        "`--layout module` does not apply here: `--target cdk` takes `--language typescript|python` and `--app` and `--rollout` and `--adoption resource-mapping`"
    );
    assert_eq!(
        pick("terraform", Some("json")).unwrap_err(),
        "`--layout json` does not apply here: `--target terraform` takes `--format hcl|json` and `--rollout` and `--adoption import-blocks` and `--layout module` and `--no-provider-block`"
    );
}

#[test]
fn adoption_files_are_selected_per_target_and_refused_elsewhere() {
    let pick = |target, format, adoption, layout| {
        Output::select(Selection {
            target,
            format,
            adoption: Some(adoption),
            layout,
            ..Selection::default()
        })
        .map(|o| o.golden_name())
    };
    assert_eq!(
        pick("cloudformation", None, "import-template", None),
        Ok("cloudformation-import.json")
    );
    assert_eq!(
        pick("cloudformation", Some("yaml"), "import-template", None),
        Ok("cloudformation-import.yaml")
    );
    assert_eq!(
        pick("cloudformation", None, "resources-to-import", None),
        Ok("cloudformation-resources-to-import.json")
    );
    assert_eq!(
        pick("cdk", None, "resource-mapping", None),
        Ok("cdk-resource-mapping.json")
    );
    assert_eq!(
        pick("terraform", Some("json"), "import-blocks", None),
        Ok("terraform-imports.tf.json")
    );
    assert_eq!(
        pick("terraform", None, "import-blocks", Some("module")),
        Ok("terraform-module-imports.tf")
    );
    let wrong = pick("terraform", None, "resource-mapping", None).unwrap_err();
    assert!(
        wrong.contains("`--adoption resource-mapping` does not apply here")
            && wrong.contains("`--adoption import-blocks`"),
        "{wrong}"
    );
    assert!(pick("cloudformation", Some("yaml"), "resources-to-import", None).is_err());
}

#[test]
fn every_output_is_selected_by_its_own_flags() {
    for o in Output::every() {
        let flags = o.flags();
        let value = |name: &str| {
            flags
                .iter()
                .find_map(|f| f.strip_prefix(name).map(|v| v.trim_start()))
        };
        let found = Output::select(Selection {
            target: value("--target").expect("a target"),
            format: value("--format"),
            language: value("--language"),
            app: flags.iter().any(|f| f == "--app"),
            rollout: flags.iter().any(|f| f == "--rollout"),
            adoption: value("--adoption"),
            layout: value("--layout"),
        });
        assert_eq!(found, Ok(o), "{flags:?}");
    }
}

#[test]
fn cdk_module_names_are_importable_whatever_the_stem() {
    for (stem, py, ts) in [
        ("prod", "prod", "prod"),
        ("prod_eu", "prod_eu", "prod_eu"),
        ("ssm-profile", "ssm_profile", "ssm-profile"),
        ("prod.ssm", "prod_ssm", "prod.ssm"),
        ("2024-prod", "spec_2024_prod", "2024-prod"),
        ("class", "class_", "class"),
        ("my spec#1", "my_spec_1", "my_spec_1"),
        ("Grüße", "Gr__e", "Gr__e"),
        ("types.d", "types_d", "types_d"),
        ("x.D.css", "x_D_css", "x_D_css"),
        // Modules the app imports: a module of that name beside it would shadow them.
        ("typing", "typing_", "typing"),
        ("Typing", "Typing_", "Typing"),
        ("aws_cdk", "aws_cdk_", "aws_cdk"),
        (
            "typing-extensions",
            "typing_extensions_",
            "typing-extensions",
        ),
        ("json", "json_", "json"),
        ("constructs", "constructs_", "constructs"),
        ("typingx", "typingx", "typingx"),
    ] {
        assert_eq!(python_module(stem), py, "{stem}");
        assert_eq!(typescript_module(stem), ts, "{stem}");
    }
    let is_identifier = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    for stem in ["-", "_", "9", "a b", "ü", "if", "None", "x.y.z", "..a"] {
        assert!(is_identifier(&python_module(stem)), "{stem}");
    }
}

#[test]
fn template_bodies_are_held_to_cloudformation_s_quotas() {
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(51_200), "51,200");
    assert_eq!(thousands(1_000_001), "1,000,001");
    assert_eq!(
        check_template_body("cloudformation", &"x".repeat(1_000_000), true),
        Ok(())
    );
    let Err(RenderError::Refused {
        target, message, ..
    }) = check_template_body("cloudformation", &"x".repeat(1_000_001), true)
    else {
        panic!("a template over 1 MB is refused");
    };
    assert_eq!(target, "cloudformation");
    assert!(message.starts_with("the CloudFormation template would be 1,000,001 bytes, but CloudFormation accepts a template of 1 MB (1,000,000 bytes) at most (CloudFormation quotas); build with `--out-dir DIR`, which writes the spec as several stacks, or split"), "{message}");
    // A rollout's StackSet takes one template: `--out-dir` does not split it.
    let Err(RenderError::Refused { message, .. }) =
        check_template_body("cloudformation", &"x".repeat(1_000_001), false)
    else {
        panic!("a rollout template over 1 MB is refused");
    };
    assert!(!message.contains("--out-dir"), "{message}");
    let json = Output::by_golden("cloudformation.json").unwrap();
    let yaml = Output::by_golden("cloudformation.yaml").unwrap();
    let tf = Output::by_golden("terraform.tf").unwrap();
    assert_eq!(json.notes(&"x".repeat(51_200)), Vec::<String>::new());
    for o in [json, yaml] {
        let notes = o.notes(&"x".repeat(51_201));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("51,201 bytes") && notes[0].contains("--s3-bucket"));
    }
    assert_eq!(tf.notes(&"x".repeat(2_000_000)), Vec::<String>::new());
}

#[test]
fn out_dir_paths_and_goldens_are_distinct() {
    let all: Vec<Output> = Output::every().collect();
    for (i, o) in all.iter().enumerate() {
        assert!(o.def.out_dir.contains("{"), "{o:?}");
        for p in &all[..i] {
            assert_ne!(o.out_dir_path("x"), p.out_dir_path("x"));
            assert_ne!(o.golden_name(), p.golden_name());
        }
    }
}

/// Two conditions under one operator are one key of every target's trust policy,
/// holding both: the CDK once wrote an object per condition, a TypeScript literal
/// with `StringEquals` twice (tsc refuses it) and a Python dict that kept only the
/// last (dropping `aws:SourceAccount`).
#[test]
fn conditions_under_one_operator_are_one_key_in_every_target() {
    use crate::model::{Condition, Part, RoleRef, Text, TrustStatement};
    let source = crate::source::Source::new(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: R\n    kind: hybrid-service-role\n    hybrid: {region: eu-west-1}\n",
    );
    let mut model = crate::load(&source).expect("a valid spec");
    let profile = std::sync::Arc::make_mut(&mut model.profiles[0]);
    let RoleRef::Create(role) = &mut profile.role else {
        panic!("a created role")
    };
    let mut conditions: Vec<Condition> = role
        .trust
        .each_condition()
        .map(|(operator, e)| Condition {
            operator,
            key: e.key,
            value: e.value.clone(),
        })
        .collect();
    conditions.push(Condition {
        operator: "StringEquals",
        key: "aws:SourceOrgID",
        value: Text(vec![Part::Literal("o-a1b2c3d4e5".into())]),
    });
    role.trust = TrustStatement::new(role.trust.sid, role.trust.service.clone(), conditions);
    let mut checked = 0;
    for output in Output::every().filter(|o| o.applies(&model) && !o.is_rollout()) {
        for file in output
            .generate_files(&model, "spec.yaml", RenderOptions::default())
            .expect("renders")
        {
            let text = &file.text;
            if !text.contains("aws:SourceOrgID") {
                continue;
            }
            checked += 1;
            let name = format!("{} {}", output.golden_name(), file.inside);
            assert_eq!(text.matches("StringEquals").count(), 1, "{name}:\n{text}");
            assert!(text.contains("aws:SourceAccount"), "{name}:\n{text}");
            assert!(text.find("aws:SourceAccount") < text.find("aws:SourceOrgID"));
        }
    }
    // CloudFormation JSON and YAML, Terraform HCL, JSON and module, CDK TypeScript
    // and Python, each as a construct and as an app.
    assert!(checked >= 9, "only {checked} files hold the condition");
}

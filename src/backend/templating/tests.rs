use minijinja::machinery::get_compiled_template;

use super::super::{cdk, terraform};
use super::{compiled, environment, instructions, render};

/// What build.rs wrote is what minijinja compiles from the template at run time:
/// every instruction, with its line and span, and nothing after the last.
#[test]
fn every_template_is_compiled_as_minijinja_compiles_it() {
    let env = environment(|_| {});
    let mut count = 0;
    for (name, _) in compiled::TEMPLATES {
        let built = instructions(name).unwrap();
        let source = std::fs::read_to_string(format!("templates/{name}")).unwrap();
        assert_eq!(built.source(), source, "{name}");
        let template = env.template_from_named_str(name, &source).unwrap();
        let expected = &get_compiled_template(&template).instructions;
        let mut idx = 0;
        while let Some(instruction) = expected.get(idx) {
            let at = format!("{name}, instruction {idx}");
            let got = built.get(idx).unwrap_or_else(|| panic!("{at}: missing"));
            assert_eq!(format!("{got:?}"), format!("{instruction:?}"), "{at}");
            assert_eq!(built.get_line(idx), expected.get_line(idx), "{at}");
            assert_eq!(built.get_span(idx), expected.get_span(idx), "{at}");
            idx += 1;
        }
        assert!(built.get(idx).is_none(), "{name}: more instructions");
        count += 1;
    }
    let on_disk = ["templates/cdk", "templates/terraform"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "j2")
        })
        .count();
    assert_eq!(count, on_disk, "every template of templates/ is compiled");
}

#[test]
fn every_template_the_backends_name_is_compiled() {
    for name in [
        cdk::TYPESCRIPT_TEMPLATE,
        cdk::PYTHON_TEMPLATE,
        cdk::TYPESCRIPT_OPENING_TEMPLATE,
        cdk::PYTHON_OPENING_TEMPLATE,
        cdk::TYPESCRIPT_APP_TEMPLATE,
        cdk::PYTHON_APP_TEMPLATE,
        cdk::TYPESCRIPT_ROLLOUT_TEMPLATE,
        cdk::PYTHON_ROLLOUT_TEMPLATE,
        terraform::TEMPLATE_NAME,
        terraform::ROLLOUT_TEMPLATE_NAME,
    ] {
        assert!(instructions(name).is_some(), "{name}");
    }
    assert!(instructions("cdk/missing.j2").is_none());
    let err = render(cdk::environment(), "cdk/missing.j2", &()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "internal error: rendering cdk/missing.j2: no such template"
    );
}

#[test]
fn an_undefined_variable_is_an_error() {
    let err = render(
        terraform::environment(),
        terraform::TEMPLATE_NAME,
        &serde_json::json!({}),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("internal error: rendering terraform/main.tf.j2:"),
        "{err}"
    );
    assert!(err.to_string().contains("undefined"), "{err}");
}

/// Code handed whole renders as the string it holds, and tests false when empty,
/// as a string does, in the environment every backend starts from.
#[test]
fn code_renders_as_its_text_and_is_false_when_empty() {
    #[derive(serde::Serialize)]
    struct Context {
        code: super::Code,
        empty: super::Code,
    }
    let mut env = environment(|_| {});
    let source = "{% if code %}[{{ code }}]{% endif %}{% if empty %}empty{% endif %}{{ empty }}.";
    env.add_template("code", source).unwrap();
    let context = Context {
        code: super::Code::new("f('it''s', \"x\")\n  {{ y }}".into()),
        empty: super::Code::default(),
    };
    let context = minijinja::Value::from(minijinja::value::Serde(&context));
    let out = env.get_template("code").unwrap().render(context).unwrap();
    assert_eq!(out, "[f('it''s', \"x\")\n  {{ y }}].");
}

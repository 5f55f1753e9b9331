use super::*;

fn located() -> SpecError {
    SpecError {
        file: "spec.yaml".into(),
        location: Location { line: 3, column: 5 },
        path: "profiles[0]".into(),
        message: "unknown field `nme`".into(),
        source_line: Some(Excerpt::new(
            "version: 1\nprofiles:\n  - nme: x\n".into(),
            3,
        )),
    }
}

#[test]
fn human_errors_point_at_the_line() {
    let d = Diagnostic::from_spec_error(Severity::Error, codes::INVALID_SPEC, &located());
    assert_eq!(
        d.human(false),
        "error: spec.yaml:3:5: profiles[0]: unknown field `nme`\n  |\n3 |   - nme: x\n  |     ^\n"
    );
    assert_eq!(format!("error: {}\n", located()), d.human(false));
    assert!(
        d.human(true)
            .starts_with("\x1b[1;31merror\x1b[0m: spec.yaml")
    );
}

#[test]
fn spec_text_cannot_steer_the_terminal() {
    let mut e = located();
    e.message = "tag `\x1b[2J\u{202e}evil\r\n::error::forged` is bad".into();
    e.source_line = Some(Excerpt::new("\n\n  \x1b[2Jx: \u{200b}y".into(), 3));
    e.location.column = 6;
    let text = format!("{e}");
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && crate::text::is_unsafe_in_code(c)),
        "{text:?}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains(r"tag `\u{1b}[2J\u{202e}evil\r\n::error::forged` is bad"));
    // The caret stays under the column in the escaped line.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], r"3 |   \u{1b}[2Jx: \u{200b}y");
    assert_eq!(lines[3], "  |           ^");
}

#[test]
fn parser_messages_are_in_the_users_words() {
    let words = |m: &str| user_words(m, None);
    assert_eq!(
        words("unknown field `partitoin`, expected one of `name`, `kind`, `partition`"),
        "unknown field `partitoin`; did you mean `partition`?"
    );
    assert_eq!(
        words("unknown field `zzz`, expected `name` or `kind`"),
        "unknown field `zzz`, expected `name` or `kind`"
    );
    assert_eq!(
        words(
            "unknown variant `instance-profil`, expected `instance-profile` or `hybrid-service-role`"
        ),
        "unknown value `instance-profil`; did you mean `instance-profile`?"
    );
    assert_eq!(
        words("invalid type: string \"abc\", expected u32"),
        "expected a whole number (0 or more), found the string \"abc\""
    );
    assert_eq!(
        words("invalid type: string \"1\", expected u32"),
        "expected a whole number (0 or more), found the string \"1\" (write 1 without quotes)"
    );
    assert_eq!(
        words("invalid value: integer `-5`, expected u32"),
        "expected a whole number (0 or more), found the number -5"
    );
    assert_eq!(
        words("invalid type: string \"yes\", expected a boolean"),
        "expected true or false, found the string \"yes\" (YAML 1.2 reads yes/no/on/off as text: write true or false)"
    );
    assert_eq!(
        words("invalid type: sequence, expected struct ProfileSpec"),
        "expected a mapping of fields (`field: value` lines), found a list"
    );
    assert!(
        user_words("found character that cannot start any token", Some('\t'))
            .starts_with("a tab: ")
    );
    assert_eq!(
        words("missing field `profiles`"),
        "missing field `profiles`"
    );
    for t in ["u8", "u16", "u32", "u64", "usize", "i64", "f64"] {
        let m = words(&format!("invalid type: map, expected {t}"));
        assert!(!m.contains(t), "{m}");
    }
}

#[test]
fn suggestions_are_close_names_only() {
    let names = ["name", "kind", "partition", "existing_role", "prefix"];
    assert_eq!(suggest("nme", &names), Some("name"));
    assert_eq!(suggest("Partition", &names), Some("partition"));
    assert_eq!(suggest("prefx", &names), Some("prefix"));
    assert_eq!(suggest("existing-role", &names), Some("existing_role"));
    assert_eq!(suggest("zzz", &names), None);
    assert_eq!(
        suggest("us-est-1", &["us-east-1", "eu-west-1"]),
        Some("us-east-1")
    );
}

#[test]
fn every_unsafe_character_is_escaped_for_the_terminal() {
    for sample in crate::text::UNSAFE_SAMPLES {
        let safe = terminal_safe(sample);
        assert!(
            !safe.chars().any(crate::text::is_unsafe_in_code),
            "{safe:?}"
        );
    }
}

#[test]
fn json_is_one_object_per_line() {
    let d = Diagnostic::from_spec_error(Severity::Error, codes::INVALID_SPEC, &located());
    let line = d.json();
    assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["severity"], "error");
    assert_eq!(v["code"], "invalid-spec");
    assert_eq!(v["file"], "spec.yaml");
    assert_eq!(v["line"], 3);
    assert_eq!(v["column"], 5);
    assert_eq!(v["path"], "profiles[0]");
    let bare = Diagnostic::error(codes::USAGE, "x").json();
    let v: serde_json::Value = serde_json::from_str(&bare).unwrap();
    assert!(v["file"].is_null() && v["line"].is_null() && v["path"].is_null());
}

#[test]
fn github_data_escapes_percent_cr_and_lf() {
    assert_eq!(github_data("a%\r\nb,c:d"), "a%25%0D%0Ab,c:d");
    assert_eq!(github_property("a%\r\nb,c:d"), "a%25%0D%0Ab%2Cc%3Ad");
}

#[test]
fn github_commands_escape_as_the_runner_requires() {
    let mut e = located();
    e.file = "specs/a,b:c%.yaml".into();
    e.message = "100% wrong, a:b".into();
    let d = Diagnostic::from_spec_error(Severity::Warning, codes::SPEC_WARNING, &e);
    assert_eq!(
        d.github(),
        "::warning file=specs/a%2Cb%3Ac%25.yaml,line=3,col=5,title=ssm-profile spec-warning::profiles[0]: 100%25 wrong, a:b\n"
    );
}

//! CloudFormation YAML, written by hand from the JSON template so that the output
//! reads as a person would write it (`!Ref`, `!GetAtt`, `!Sub`) and every string is
//! quoted whenever a YAML 1.1 or 1.2 reader could take it for anything but a string
//! (`2012-10-17` is a date to PyYAML, `yes` a boolean, `*` an alias).

use serde_json::Value;

/// The template as YAML, LF endings and one trailing newline.
pub fn to_yaml(template: &Value) -> String {
    let mut out = String::new();
    match template {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

/// A YAML scalar for `s`: plain when no reader can misread it, double-quoted (with
/// JSON's escapes, which YAML's double-quoted style shares) otherwise. Plain scalars
/// are printable ASCII; in quoted ones every character unsafe in code is a `\uXXXX`
/// escape (`text::json_string`): YAML readers fold a raw U+2028/U+2029 or NEL into
/// a line break.
pub fn yaml_string(s: &str) -> String {
    if is_safe_plain(s) {
        s.to_string()
    } else {
        crate::text::json_string(s)
    }
}

fn is_safe_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    const RESERVED: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ];
    (first.is_ascii_alphabetic() || first == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/*@+=,();' ".contains(c))
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// The short form of an intrinsic function, when `value` is one that has it.
fn short_form(value: &Value) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let (key, arg) = map.iter().next()?;
    match (key.as_str(), arg) {
        ("Ref", Value::String(s)) => Some(format!("!Ref {}", yaml_string(s))),
        ("Fn::Sub", Value::String(s)) => Some(format!("!Sub {}", yaml_string(s))),
        ("Fn::GetAtt", Value::Array(parts)) if parts.iter().all(Value::is_string) => {
            let dotted: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            Some(format!("!GetAtt {}", yaml_string(&dotted.join("."))))
        }
        _ => None,
    }
}

/// A value that fits on one line: scalars, short forms and empty collections.
fn inline(value: &Value) -> String {
    if let Some(s) = short_form(value) {
        return s;
    }
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn is_block(value: &Value) -> bool {
    short_form(value).is_none()
        && match value {
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => false,
        }
}

fn write_mapping(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let key = yaml_string(key);
        if is_block(value) {
            out.push_str(&format!("{pad}{key}:\n"));
            write_block(out, value, indent + 2);
        } else {
            out.push_str(&format!("{pad}{key}: {}\n", inline(value)));
        }
    }
}

fn write_block(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) => write_mapping(out, map, indent),
        Value::Array(items) => {
            let pad = " ".repeat(indent);
            for item in items {
                if !is_block(item) {
                    out.push_str(&format!("{pad}- {}\n", inline(item)));
                    continue;
                }
                // The first line of a nested block shares the line with its dash.
                let mut nested = String::new();
                write_block(&mut nested, item, indent + 2);
                let first_line = nested.trim_start_matches(' ');
                out.push_str(&format!("{pad}- {first_line}"));
            }
        }
        other => out.push_str(&format!("{}{}\n", " ".repeat(indent), inline(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_a_reader_could_misread_are_quoted() {
        for (input, expected) in [
            ("2012-10-17", "\"2012-10-17\""),
            ("yes", "\"yes\""),
            ("Off", "\"Off\""),
            ("*", "\"*\""),
            ("", "\"\""),
            ("a: b", "\"a: b\""),
            ("trailing:", "\"trailing:\""),
            ("say \"hi\"\nnow", "\"say \\\"hi\\\"\\nnow\""),
            ("#comment", "\"#comment\""),
            ("x #y", "\"x #y\""),
            ("@at", "\"@at\""),
            ("ünï", "\"ünï\""),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"),
            ("sts:AssumeRole", "sts:AssumeRole"),
            ("/", "/"),
        ] {
            assert_eq!(yaml_string(input), expected, "{input:?}");
        }
    }

    #[test]
    fn quoted_strings_escape_every_unsafe_character_and_read_back() {
        for sample in crate::text::UNSAFE_SAMPLES {
            let scalar = yaml_string(sample);
            assert!(
                !scalar.chars().any(crate::text::is_unsafe_in_code),
                "{scalar:?}"
            );
            let back: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&format!("k: {scalar}\n")).expect("valid YAML");
            assert_eq!(back["k"], *sample);
        }
        assert_eq!(yaml_string("a\u{2028}b"), r#""a\u2028b""#);
    }

    #[test]
    fn short_forms_and_nesting() {
        let t = json!({
            "A": {"Ref": "R"},
            "B": {"Fn::GetAtt": ["R", "Arn"]},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:x"},
            "D": [{"K": 1, "L": [2, "3"]}, "s"],
            "E": [],
        });
        assert_eq!(
            to_yaml(&t),
            "A: !Ref R\nB: !GetAtt R.Arn\nC: !Sub \"arn:${AWS::Partition}:x\"\nD:\n  - K: 1\n    L:\n      - 2\n      - \"3\"\n  - s\nE: []\n"
        );
    }
}

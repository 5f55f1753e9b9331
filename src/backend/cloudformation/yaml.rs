//! CloudFormation YAML, written by hand from the JSON template so that the output
//! reads as a person would write it (`!Ref`, `!GetAtt`, `!Sub`) and every string is
//! quoted whenever a YAML 1.1 or 1.2 reader could take it for anything but a string
//! (`2012-10-17` is a date to PyYAML, `yes` a boolean, `*` an alias).

use std::borrow::Cow;

use serde_json::Value;

use crate::text::push_spaces;

/// The template as YAML, LF endings and one trailing newline. Written in one pass
/// into one buffer.
pub fn to_yaml(template: &Value) -> String {
    let mut out = String::new();
    match template {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, 0, false),
        other => {
            write_inline(&mut out, other);
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
pub fn yaml_string(s: &str) -> Cow<'_, str> {
    if is_safe_plain(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(crate::text::json_string(s))
    }
}

/// `yaml_string(s)`, written at the end of `out`.
fn push_yaml_string(out: &mut String, s: &str) {
    out.push_str(&yaml_string(s));
}

fn is_safe_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    const RESERVED: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ];
    // Every ARN of a template is looked at: printable ASCII of the plain set only,
    // and no `: ` (a mapping). ` #` (a comment) cannot occur, `#` being outside the
    // set. Neither loop exits early, so neither branches on each byte (a byte at a
    // time, this test was a tenth of a fleet's CloudFormation instructions).
    let plain = bytes
        .iter()
        .fold(true, |plain, &b| plain & PLAIN[usize::from(b)]);
    let mapping = bytes
        .iter()
        .zip(&bytes[1..])
        .fold(false, |found, (&a, &b)| found | ((a == b':') & (b == b' ')));
    plain
        && !mapping
        && (first.is_ascii_alphabetic() || first == b'/')
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !(s.len() <= 5 && RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)))
}

/// The bytes a plain scalar may hold: ASCII letters, digits and `_-.:/*@+=,();' `.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"_-.:/*@+=,();' ";
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
};

/// The intrinsic function `value` is, when it is one that has a short form: its
/// tag and argument.
fn short_form(value: &Value) -> Option<(&'static str, &Value)> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let (key, arg) = map.iter().next()?;
    match (key.as_str(), arg) {
        ("Ref", Value::String(_)) => Some(("!Ref ", arg)),
        ("Fn::Sub", Value::String(_)) => Some(("!Sub ", arg)),
        ("Fn::GetAtt", Value::Array(parts)) if parts.iter().all(Value::is_string) => {
            Some(("!GetAtt ", arg))
        }
        _ => None,
    }
}

/// A value that fits on one line: scalars, short forms and empty collections.
fn write_inline(out: &mut String, value: &Value) {
    if let Some((tag, arg)) = short_form(value) {
        out.push_str(tag);
        match arg {
            Value::String(s) => push_yaml_string(out, s),
            // `!GetAtt Resource.Attribute`
            Value::Array(parts) => {
                let dotted: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                push_yaml_string(out, &dotted.join("."));
            }
            _ => unreachable!("short forms take a string or a list of strings"),
        }
        return;
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => push_yaml_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
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

/// The mapping at `indent`; with `continues_line`, its first line goes on the line
/// already begun (after a list item's dash) instead of being indented.
fn write_mapping(
    out: &mut String,
    map: &serde_json::Map<String, Value>,
    indent: usize,
    mut continues_line: bool,
) {
    for (key, value) in map {
        if !std::mem::take(&mut continues_line) {
            push_spaces(out, indent);
        }
        push_yaml_string(out, key);
        if is_block(value) {
            out.push_str(":\n");
            write_block(out, value, indent + 2, false);
        } else {
            out.push_str(": ");
            write_inline(out, value);
            out.push('\n');
        }
    }
}

/// A block value at `indent` (see `write_mapping` for `continues_line`).
fn write_block(out: &mut String, value: &Value, indent: usize, mut continues_line: bool) {
    match value {
        Value::Object(map) => write_mapping(out, map, indent, continues_line),
        Value::Array(items) => {
            for item in items {
                if !std::mem::take(&mut continues_line) {
                    push_spaces(out, indent);
                }
                out.push_str("- ");
                if is_block(item) {
                    // The first line of a nested block shares the line with its dash.
                    write_block(out, item, indent + 2, true);
                } else {
                    write_inline(out, item);
                    out.push('\n');
                }
            }
        }
        other => {
            if !continues_line {
                push_spaces(out, indent);
            }
            write_inline(out, other);
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The rule `is_safe_plain` implements, written as it reads, char by char.
    fn plain_by_the_rule(s: &str) -> bool {
        let Some(first) = s.chars().next() else {
            return false;
        };
        let reserved = [
            "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
        ];
        (first.is_ascii_alphabetic() || first == '/')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.:/*@+=,();' ".contains(c))
            && !s.ends_with(':')
            && !s.ends_with(' ')
            && !s.contains(": ")
            && !s.contains(" #")
            && !reserved.iter().any(|r| r.eq_ignore_ascii_case(s))
    }

    #[test]
    fn the_byte_table_decides_as_the_rule_does() {
        let mut samples: Vec<String> = crate::text::UNSAFE_SAMPLES
            .iter()
            .map(|s| s.to_string())
            .collect();
        samples.extend(
            [
                "",
                "a",
                "Yes",
                "NULL",
                "~",
                "nulls",
                "a: b",
                "a:b",
                "a :b",
                "a #b",
                "a#b",
                "a:",
                "a ",
                "/p",
                "1a",
                "-a",
                "é",
                "aé",
                "arn:aws:s3:::b/*",
                "a\tb",
                "a'b",
                "a\"b",
                "(x)",
                "a=b,c",
                "a@b+c",
                "yes ",
                "On",
            ]
            .map(String::from),
        );
        for b in 0..=255u8 {
            samples.push(format!("a{}b", char::from(b)));
            samples.push(char::from(b).to_string());
        }
        for s in &samples {
            assert_eq!(is_safe_plain(s), plain_by_the_rule(s), "{s:?}");
        }
    }

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

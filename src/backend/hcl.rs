//! Spelling text as HCL (Terraform's native syntax) and as Terraform JSON strings.
//!
//! `hcl_string` is the only way a string reaches a `.tf` file: every literal, map key
//! and template segment goes through `escape_template_literal`, which it wraps. Terraform
//! JSON strings are templates too, so `tf_json_string` applies the same template
//! escapes and leaves quoting to serde_json.

use std::borrow::Cow;

use crate::text::{comment_text, is_printable_ascii_without, is_unsafe_in_code};

/// A string as an HCL quoted literal that Terraform decodes back to exactly `s`.
///
/// - `"` and `\` are backslash-escaped; newline, carriage return and tab become
///   `\n`, `\r`, `\t`.
/// - `${` becomes `$${` and `%{` becomes `%%{`: inside a quoted string they would
///   start an interpolation or a template directive.
/// - Every other character unsafe in code (`text::is_unsafe_in_code`: control
///   characters, and the invisible characters that reorder or hide text for a
///   reviewer: bidi controls, zero-width characters, line/paragraph separators, BOM)
///   becomes `\uXXXX`.
/// - Every other character, Latin-1 letters included, is kept as UTF-8 so that
///   a reviewer reads what IAM will store.
pub fn hcl_string(s: &str) -> String {
    let body = escape_template_literal(s);
    let mut out = String::with_capacity(body.len() + 2);
    out.push('"');
    out.push_str(&body);
    out.push('"');
    out
}

/// The body of a quoted HCL string (without the quotes): the one escaping routine
/// behind `hcl_string` and the literal segments of interpolated strings. Text with
/// nothing to escape (nearly every ARN) is returned as it is, not copied.
pub fn escape_template_literal(s: &str) -> Cow<'_, str> {
    if is_printable_ascii_without(s, [b'"', b'\\', b'{']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if is_unsafe_in_code(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A literal string inside Terraform JSON, where every string is a template: the
/// template openers need escaping; JSON quoting (and the escaping of characters
/// unsafe in code) is `text::pretty_json`'s job. A carriage return not followed by
/// a line feed is written as the interpolation `${"\r"}` (with any literal `$`s
/// just before it moved inside, `${"$\r"}`): after a raw lone CR,
/// Terraform's template scanner stops undoing `$${` and `%%{` (it reads the JSON
/// `"\r$$${a}"` as `\r$$${a}`, where HCL's `"\r$$${a}"` is `\r$${a}`), so the
/// two syntaxes would disagree about the spec's text.
pub fn tf_json_string(s: &str) -> Cow<'_, str> {
    // Nothing to escape without a `{`, nor a lone CR to spell (see below).
    if !s
        .bytes()
        .fold(false, |found, b| found | (b == b'{') | (b == b'\r'))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            // Literal `$`s just before would turn the interpolation into the escape
            // `$${`: they move inside it.
            let dollars = out.len() - out.trim_end_matches('$').len();
            out.truncate(out.len() - dollars);
            out.push_str(&format!("${{\"{}\\r\"}}", "$".repeat(dollars)));
            continue;
        }
        if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
            out.push(c);
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Text for a `#` comment: kept on one line whatever it holds. Comments carry
/// generated explanations, never values Terraform reads.
pub fn hcl_comment(s: &str) -> String {
    comment_text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes an HCL quoted string the way the HCL specification describes
    /// (escape sequences, then `$${` and `%%{`), so each row below proves a round
    /// trip, not only a spelling. `terraform console` confirms the same decoding in
    /// scripts/terraform-agreement.py.
    fn decode_hcl_string(quoted: &str) -> String {
        let inner: Vec<char> = quoted
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .expect("quoted")
            .chars()
            .collect();
        let mut out = String::new();
        let mut i = 0;
        while i < inner.len() {
            let c = inner[i];
            let next = inner.get(i + 1).copied();
            match c {
                '\\' => {
                    i += 1;
                    match next.expect("escape") {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' => {
                            let hex: String = inner[i + 1..i + 5].iter().collect();
                            out.push(
                                char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap(),
                            );
                            i += 4;
                        }
                        other => panic!("unknown escape \\{other}"),
                    }
                }
                '"' => panic!("unescaped quote in {quoted}"),
                // `$${` and `%%{` are the escapes; a lone `$` or `%` is itself.
                '$' | '%' if next == Some(c) && inner.get(i + 2) == Some(&'{') => {
                    out.push(c);
                    i += 1;
                }
                '$' | '%' if next == Some('{') => panic!("unescaped template opener in {quoted}"),
                c => out.push(c),
            }
            i += 1;
        }
        out
    }

    const TABLE: &[(&str, &str)] = &[
        ("plain", r#""plain""#),
        ("", r#""""#),
        (r#"say "hi""#, r#""say \"hi\"""#),
        (r"C:\temp\", r#""C:\\temp\\""#),
        ("line1\nline2", r#""line1\nline2""#),
        ("cr\r\nlf", r#""cr\r\nlf""#),
        ("a\tb", r#""a\tb""#),
        ("${aws:username}", r#""$${aws:username}""#),
        ("%{ if true }x%{ endif }", r#""%%{ if true }x%%{ endif }""#),
        ("$${already}", r#""$$${already}""#),
        ("%%{already}", r#""%%%{already}""#),
        ("$ {x} % {y} $x %x", r#""$ {x} % {y} $x %x""#),
        ("ends with $", r#""ends with $""#),
        (
            "# not a comment // nor */ this",
            r##""# not a comment // nor */ this""##,
        ),
        ("it's", r#""it's""#),
        ("Grüße, señor, ÆØÅ ÿ", r#""Grüße, señor, ÆØÅ ÿ""#),
        ("日本", r#""日本""#),
        ("bell\u{7}", r#""bell\u0007""#),
        ("del\u{7f}", r#""del\u007F""#),
        ("nel\u{85}", r#""nel\u0085""#),
        ("rtl\u{202E}txt", r#""rtl\u202Etxt""#),
        ("ls\u{2028}ps\u{2029}", r#""ls\u2028ps\u2029""#),
        ("\\${", r#""\\$${""#),
        ("\\\"", r#""\\\"""#),
    ];

    #[test]
    fn hcl_string_table() {
        for (raw, expected) in TABLE {
            assert_eq!(hcl_string(raw), *expected, "spelling of {raw:?}");
            assert_eq!(decode_hcl_string(expected), *raw, "round trip of {raw:?}");
        }
    }

    #[test]
    fn hcl_strings_escape_every_unsafe_character_and_read_back() {
        for sample in crate::text::UNSAFE_SAMPLES {
            let literal = hcl_string(sample);
            assert!(!literal.chars().any(is_unsafe_in_code), "{literal:?}");
            assert_eq!(decode_hcl_string(&literal), *sample);
        }
        assert_eq!(hcl_string("zw\u{200b}"), r#""zw\u200B""#);
    }

    /// Terraform JSON strings reach the file through `text::pretty_json`: no unsafe
    /// character stays raw, and reading the JSON then undoing the template escapes
    /// gives the value back.
    #[test]
    fn tf_json_strings_escape_every_unsafe_character_and_read_back() {
        for sample in crate::text::UNSAFE_SAMPLES {
            let file = crate::text::pretty_json(&serde_json::json!([tf_json_string(sample)]));
            assert!(
                !file.chars().any(|c| c != '\n' && is_unsafe_in_code(c)),
                "{file:?}"
            );
            let back: Vec<String> = serde_json::from_str(&file).expect("valid JSON");
            assert_eq!(decode_tf_json_template(&back[0]), *sample);
        }
    }

    /// A Terraform JSON template made only of literal text and the escapes
    /// `tf_json_string` writes, read as Terraform reads it: `$${` is `${`, `%%{` is
    /// `%{`, and the interpolation `${"\r"}` is a carriage return.
    fn decode_tf_json_template(t: &str) -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(c) = rest.chars().next() {
            if let Some(r) = rest
                .strip_prefix("$${")
                .or_else(|| rest.strip_prefix("%%{"))
            {
                out.push(c);
                out.push('{');
                rest = r;
            } else if let Some(r) = rest.strip_prefix("${\"") {
                let (inner, r) = r.split_once("\\r\"}").expect("only ${\"$..\\r\"}");
                assert!(inner.chars().all(|c| c == '$'), "{t:?}");
                out.push_str(inner);
                out.push('\r');
                rest = r;
            } else {
                assert!(!rest.starts_with("${") && !rest.starts_with("%{"), "{t:?}");
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    /// Terraform reads `"\r$$${a}"` in HCL as `\r$${a}` but the same text in a JSON
    /// string as `\r$$${a}` (checked with terraform 1.x; the conformance fixture
    /// escape-edges keeps proving it): a lone CR is spelled as an interpolation.
    #[test]
    fn a_lone_carriage_return_is_an_interpolation_in_terraform_json() {
        let cases = [
            ("\r$${a}", "${\"\\r\"}$$${a}"),
            ("x\r%%{a}", "x${\"\\r\"}%%%{a}"),
            ("crlf\r\n$${a}", "crlf\r\n$$${a}"),
            ("\r\r\n", "${\"\\r\"}\r\n"),
            ("${\"\\r\"}", "$${\"\\r\"}"),
            // A literal `$` before a lone CR goes inside the interpolation, or it
            // would make `$${` (checked with terraform: `%${$\r$${x}` reads back).
            ("%${$\r$${x}", "%$${${\"$\\r\"}$$${x}"),
            ("$$\ry", "${\"$$\\r\"}y"),
        ];
        for (raw, expected) in cases {
            assert_eq!(tf_json_string(raw), expected, "{raw:?}");
            assert_eq!(decode_tf_json_template(expected), raw);
        }
    }

    #[test]
    fn tf_json_strings_escape_only_template_openers() {
        for (raw, expected) in [
            ("plain \"q\" \\ \n", "plain \"q\" \\ \n"),
            ("${aws:username}", "$${aws:username}"),
            ("%{ if }", "%%{ if }"),
            ("$${x}", "$$${x}"),
            ("$x % {", "$x % {"),
            ("é", "é"),
        ] {
            assert_eq!(tf_json_string(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(hcl_comment("a\nb\r\tc"), "a b  c");
        assert_eq!(hcl_comment("case 1, VPC endpoint"), "case 1, VPC endpoint");
        for sample in crate::text::UNSAFE_SAMPLES {
            assert!(!hcl_comment(sample).chars().any(is_unsafe_in_code));
        }
    }
}

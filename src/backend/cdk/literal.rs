//! String literals and comments of the generated TypeScript and Python: the only way
//! a spec string reaches CDK code. Every character unsafe in code
//! (`text::is_unsafe_in_code`) is escaped; the quote is the one the language's
//! formatter keeps.

use std::fmt::Write;

use crate::text::is_unsafe_in_code;

/// A TypeScript (JavaScript) string literal whose value is `s`, quoted the way
/// prettier (`--single-quote`) keeps it: single quotes, unless the value holds more
/// single than double quotes. Non-ASCII text stays readable; everything that could
/// end the literal or the line, or hide in an editor, is escaped.
pub fn ts_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_ts_string(&mut out, s);
    out
}

/// `ts_string`, appended to `out`: a policy's hundreds of ARNs spelled into the
/// buffer of their list instead of a string each.
pub fn push_ts_string(out: &mut String, s: &str) {
    let scan = Scan::of(s);
    if scan.single > scan.double {
        quoted(out, s, '"', scan)
    } else {
        quoted(out, s, '\'', scan)
    }
}

/// A Python string literal whose value is `s`, with the same escapes as `ts_string`,
/// quoted the way ruff format keeps it: double quotes, unless the value holds more
/// double than single quotes.
pub fn py_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_py_string(&mut out, s);
    out
}

/// `py_string`, appended to `out`.
pub fn push_py_string(out: &mut String, s: &str) {
    let scan = Scan::of(s);
    if scan.double > scan.single {
        quoted(out, s, '\'', scan)
    } else {
        quoted(out, s, '"', scan)
    }
}

/// An object key as prettier spells it (`quoteProps: "as-needed"`): bare when it is
/// an identifier, else `ts_string`.
pub fn ts_key(s: &str) -> String {
    let mut chars = s.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        s.to_string()
    } else {
        ts_string(s)
    }
}

/// What a literal's spelling depends on, found in one pass over the bytes: a large
/// spec quotes hundreds of thousands of ARNs, nearly all plain printable ASCII.
#[derive(Clone, Copy)]
struct Scan {
    single: usize,
    double: usize,
    /// Only printable ASCII and no backslash: nothing to escape but the quote.
    plain: bool,
}

impl Scan {
    fn of(s: &str) -> Scan {
        // Nearly every literal (an ARN, a name) is printable ASCII without a quote or
        // a backslash: one pass, with no early exit, which the compiler makes many
        // bytes an instruction, says so (two quote counts byte by byte and a third
        // pass were a tenth of a fleet's CDK instructions).
        if crate::text::is_printable_ascii_without(s, [b'\\', b'\'', b'"']) {
            return Scan {
                single: 0,
                double: 0,
                plain: true,
            };
        }
        let bytes = s.as_bytes();
        Scan {
            single: bytes.iter().filter(|&&b| b == b'\'').count(),
            double: bytes.iter().filter(|&&b| b == b'"').count(),
            plain: crate::text::is_printable_ascii_without(s, [b'\\']),
        }
    }
}

/// A string literal in `quote`, with the escapes TypeScript and Python share,
/// appended to `out`.
fn quoted(out: &mut String, s: &str, quote: char, scan: Scan) {
    out.reserve(s.len() + 2);
    out.push(quote);
    let quotes = if quote == '"' {
        scan.double
    } else {
        scan.single
    };
    if scan.plain && quotes == 0 {
        out.push_str(s);
        out.push(quote);
        return;
    }
    // Runs of printable ASCII that need no escape are copied whole: a reason with an
    // apostrophe is a few hundred of them around one escape.
    let bytes = s.as_bytes();
    let (mut run, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if (b' '..=b'~').contains(&b) && b != b'\\' && char::from(b) != quote {
            at += 1;
            continue;
        }
        out.push_str(&s[run..at]);
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        run = at;
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_in_code(c) => {
                // `\0` followed by a digit is a legacy octal escape in JavaScript, so
                // NUL too takes the \u form.
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str(&s[run..]);
    out.push(quote);
}

/// Text for a line comment (`//` or `#`): anything that could end the line or hide
/// becomes a space, so the comment cannot spill into code.
pub fn comment(s: &str) -> String {
    crate::text::comment_text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (value, TypeScript literal, Python literal)
    const LITERALS: &[(&str, &str, &str)] = &[
        ("plain", "'plain'", "\"plain\""),
        ("", "''", "\"\""),
        // The quote that needs fewer escapes, as prettier and ruff format keep it.
        ("it's", "\"it's\"", "\"it's\""),
        ("say \"hi\"", "'say \"hi\"'", "'say \"hi\"'"),
        ("it's \"x\"", "'it\\'s \"x\"'", "'it\\'s \"x\"'"),
        ("back\\slash", "'back\\\\slash'", "\"back\\\\slash\""),
        ("trailing\\", "'trailing\\\\'", "\"trailing\\\\\""),
        ("two\nlines", "'two\\nlines'", "\"two\\nlines\""),
        ("cr\rlf\r\n", "'cr\\rlf\\r\\n'", "\"cr\\rlf\\r\\n\""),
        ("tab\there", "'tab\\there'", "\"tab\\there\""),
        // Readable text around an escape is kept whole, before and after it.
        ("naïve \\ ü's", "\"naïve \\\\ ü's\"", "\"naïve \\\\ ü's\""),
        ("nul\0 1", "'nul\\u0000 1'", "\"nul\\u0000 1\""),
        ("bell\u{7}", "'bell\\u0007'", "\"bell\\u0007\""),
        ("del\u{7f}", "'del\\u007f'", "\"del\\u007f\""),
        ("c1\u{85}", "'c1\\u0085'", "\"c1\\u0085\""),
        (
            "ls\u{2028}ps\u{2029}",
            "'ls\\u2028ps\\u2029'",
            "\"ls\\u2028ps\\u2029\"",
        ),
        ("rlo\u{202e}x", "'rlo\\u202ex'", "\"rlo\\u202ex\""),
        ("bom\u{feff}", "'bom\\ufeff'", "\"bom\\ufeff\""),
        (
            "${x} `t` {y} %s",
            "'${x} `t` {y} %s'",
            "\"${x} `t` {y} %s\"",
        ),
        ("*/ // # '''", "\"*/ // # '''\"", "\"*/ // # '''\""),
        (
            "Zürich ünïcödé 東京 😀",
            "'Zürich ünïcödé 東京 😀'",
            "\"Zürich ünïcödé 東京 😀\"",
        ),
        ("ß\u{a0}nbsp", "'ß\u{a0}nbsp'", "\"ß\u{a0}nbsp\""),
    ];

    #[test]
    fn typescript_literals_escape_what_would_break_the_string() {
        for (value, ts, _) in LITERALS {
            assert_eq!(ts_string(value), *ts, "value {value:?}");
        }
    }

    #[test]
    fn python_literals_escape_what_would_break_the_string() {
        for (value, _, py) in LITERALS {
            assert_eq!(py_string(value), *py, "value {value:?}");
        }
    }

    /// The appending forms write the same literal after what the buffer holds (a list
    /// of literals spelled into one buffer), leaving that untouched.
    #[test]
    fn literals_appended_to_a_buffer_keep_what_it_held() {
        let mut ts = String::from("[");
        let mut py = String::from("[");
        let (mut want_ts, mut want_py) = (ts.clone(), py.clone());
        for (value, ts_literal, py_literal) in LITERALS {
            push_ts_string(&mut ts, value);
            push_py_string(&mut py, value);
            ts.push(',');
            py.push(',');
            want_ts.push_str(ts_literal);
            want_py.push_str(py_literal);
            want_ts.push(',');
            want_py.push(',');
        }
        assert_eq!(ts, want_ts);
        assert_eq!(py, want_py);
    }

    /// Decodes a TypeScript or Python string literal as `quoted` writes it (the
    /// escapes both languages read alike), so each sample proves a round trip.
    fn decode_literal(literal: &str) -> String {
        let quote = literal.chars().next().expect("quoted");
        let inner: Vec<char> = literal
            .strip_prefix(quote)
            .and_then(|s| s.strip_suffix(quote))
            .expect("quoted")
            .chars()
            .collect();
        let mut out = String::new();
        let mut i = 0;
        while i < inner.len() {
            match inner[i] {
                '\\' => {
                    i += 1;
                    match inner[i] {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hex: String = inner[i + 1..i + 5].iter().collect();
                            let code = u32::from_str_radix(&hex, 16).expect("hex");
                            out.push(char::from_u32(code).expect("a character"));
                            i += 4;
                        }
                        c @ ('\\' | '\'' | '"') => out.push(c),
                        other => panic!("unknown escape \\{other} in {literal}"),
                    }
                }
                c if c == quote => panic!("unescaped quote in {literal}"),
                c => out.push(c),
            }
            i += 1;
        }
        out
    }

    #[test]
    fn literals_escape_every_unsafe_character_and_read_back() {
        for sample in crate::text::UNSAFE_SAMPLES {
            for literal in [ts_string(sample), py_string(sample)] {
                assert!(
                    !literal.chars().any(is_unsafe_in_code),
                    "raw unsafe character in {literal:?}"
                );
                assert_eq!(decode_literal(&literal), *sample);
            }
            assert!(!comment(sample).chars().any(is_unsafe_in_code));
        }
        assert_eq!(ts_string("zw\u{200b}j\u{2060}"), "'zw\\u200bj\\u2060'");
        for (value, ts, _) in LITERALS {
            assert_eq!(decode_literal(ts), *value);
        }
    }

    #[test]
    fn literals_take_the_quotes_their_formatter_keeps() {
        // prettier --single-quote and ruff format pick the quote that needs fewer
        // escapes, preferring their default on a tie.
        assert_eq!(ts_string("plain"), "'plain'");
        assert_eq!(ts_string("it's"), "\"it's\"");
        assert_eq!(ts_string("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(ts_string("'a' \"b"), "\"'a' \\\"b\"");
        assert_eq!(py_string("plain"), "\"plain\"");
        assert_eq!(py_string("say \"hi\""), "'say \"hi\"'");
        assert_eq!(py_string("\"x\" it's"), "'\"x\" it\\'s'");
        assert_eq!(py_string("it's"), "\"it's\"");
    }

    #[test]
    fn object_keys_are_bare_only_when_they_are_identifiers() {
        assert_eq!(ts_key("StringEquals"), "StringEquals");
        assert_eq!(ts_key("aws:SourceArn"), "'aws:SourceArn'");
        assert_eq!(ts_key("1a"), "'1a'");
        assert_eq!(ts_key(""), "''");
    }

    #[test]
    fn comments_cannot_spill_onto_the_next_line() {
        assert_eq!(comment("a\nb\r\u{2028}c"), "a b  c");
        assert_eq!(comment("case 1, VPC endpoint"), "case 1, VPC endpoint");
    }
}

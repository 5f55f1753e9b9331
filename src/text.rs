//! Text helpers every layer may use; this module imports nothing from the crate, so
//! it sits below all of them.
//!
//! It holds the one table of characters that must never appear raw in generated code
//! (`UNSAFE_IN_CODE`), the predicate every escaper asks (`is_unsafe_in_code`), and the
//! one table of samples every escaper's unit test is run against (`UNSAFE_SAMPLES`),
//! and the generated files' buffers, kept for reuse (`buffers`).

pub mod buffers;

/// Characters beyond the control characters (`char::is_control`: U+0000-U+001F,
/// U+007F-U+009F) that must never appear raw in generated code, with why: they end a
/// line or a comment, are invisible, or reorder how the code reads (Trojan Source).
pub const UNSAFE_IN_CODE: &[(char, char, &str)] = &[
    ('\u{061C}', '\u{061C}', "Arabic letter mark (bidi)"),
    (
        '\u{200B}',
        '\u{200D}',
        "zero-width space, non-joiner, joiner",
    ),
    (
        '\u{200E}',
        '\u{200F}',
        "left-to-right and right-to-left marks (bidi)",
    ),
    (
        '\u{2028}',
        '\u{2029}',
        "line and paragraph separators (line terminators in JavaScript, folded by YAML)",
    ),
    ('\u{202A}', '\u{202E}', "bidi embeddings and overrides"),
    ('\u{2060}', '\u{2060}', "word joiner (zero-width)"),
    ('\u{2066}', '\u{2069}', "bidi isolates"),
    (
        '\u{FEFF}',
        '\u{FEFF}',
        "zero-width no-break space (byte order mark)",
    ),
];

/// Whether `c` must be escaped (or dropped, in a comment) wherever generated code
/// holds text: a control character or a character of `UNSAFE_IN_CODE`.
pub fn is_unsafe_in_code(c: char) -> bool {
    // Printable ASCII, nearly every character generated code holds, is always safe.
    if (' '..='~').contains(&c) {
        return false;
    }
    c.is_control()
        || UNSAFE_IN_CODE
            .iter()
            .any(|&(first, last, _)| (first..=last).contains(&c))
}

/// `n` spaces at the end of `out`, copied a run at a time: the YAML and CDK writers
/// indent every line of a fleet's output, and a push per space showed in profiles.
pub fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let run = left.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        left -= run;
    }
}

/// Whether every character of `s` is printable ASCII: then no escaper has anything
/// to escape but its own quotes and backslashes.
pub fn is_printable_ascii(s: &str) -> bool {
    is_printable_ascii_without(s, [])
}

/// Whether every character of `s` is printable ASCII and none is one of `specials`:
/// the test an escaper's fast path makes on every string it is given. The loop has
/// no early exit, so the compiler checks many bytes per instruction (a fleet's
/// outputs put tens of megabytes of ARNs through such a test; a byte at a time was
/// several percent of their instructions).
#[inline]
pub fn is_printable_ascii_without<const N: usize>(s: &str, specials: [u8; N]) -> bool {
    s.bytes().fold(true, |plain, b| {
        plain & (b' '..=b'~').contains(&b) & specials.iter().all(|&x| x != b)
    })
}

/// The test table every escaper is run against: together the strings hold every
/// unsafe character (a unit test below proves it), beside the text around them that
/// escapers get wrong (quotes, backslashes, digits after a NUL, template openers).
pub const UNSAFE_SAMPLES: &[&str] = &[
    "nul\0 1 nul\u{0}9",
    "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\t\n\u{b}\u{c}\r\u{e}\u{f}",
    "\u{10}\u{11}\u{12}\u{13}\u{14}\u{15}\u{16}\u{17}\u{18}\u{19}\u{1a}\u{1b}\u{1c}\u{1d}\u{1e}\u{1f}",
    "del\u{7f} c1\u{80}\u{81}\u{82}\u{83}\u{84}\u{85}\u{86}\u{87}\u{88}\u{89}\u{8a}\u{8b}\u{8c}\u{8d}\u{8e}\u{8f}",
    "\u{90}\u{91}\u{92}\u{93}\u{94}\u{95}\u{96}\u{97}\u{98}\u{99}\u{9a}\u{9b}\u{9c}\u{9d}\u{9e}\u{9f}",
    "line\u{2028}separator paragraph\u{2029}separator",
    "rtl \u{202a}\u{202b}\u{202c}\u{202d}\u{202e}override",
    "isolates \u{2066}\u{2067}\u{2068}\u{2069} marks \u{200e}\u{200f}\u{61c}",
    "zero\u{200b}width\u{200c}non\u{200d}joiner\u{2060}word bom\u{feff}",
    "mixed \"quote\" 'single' back\\slash ${x} %{y}\u{2028}\n\u{202e}end",
];

/// Serialises data as pretty JSON with LF endings and one trailing newline; every
/// unsafe character in a string is written as a `\uXXXX` escape (see `json_escape`).
pub fn pretty_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    let mut text = json_escape(text);
    text.push('\n');
    text
}

/// Serialises data as JSON on one line, with no trailing newline and every unsafe
/// character in a string escaped: a document embedded in a string of another
/// document (a StackSet's TemplateBody).
pub fn compact_json(value: &serde_json::Value) -> String {
    json_escape(value.to_string())
}

/// `s` as a JSON string literal, quoted, with every unsafe character escaped.
pub fn json_string(s: &str) -> String {
    json_escape(serde_json::Value::String(s.to_string()).to_string())
}

/// JSON text serde_json wrote, with the unsafe characters it leaves raw (DEL, C1
/// controls, bidi, zero-width, U+2028/U+2029) written as `\uXXXX`. Those characters
/// can only stand inside a string: JSON's structure is printable ASCII, spaces and
/// line feeds, and serde_json already escapes every control character below U+0020
/// (so a raw line feed is layout, kept as it is).
fn json_escape(json: String) -> String {
    // Structure and most strings are ASCII: only the non-ASCII characters and DEL can
    // need an escape, and text without them is returned as it is, not copied.
    // (`is_ascii` and the byte search run a word at a time: a fleet's JSON is tens
    // of megabytes, and a byte-by-byte `any` was 3% of its instructions.)
    if json.is_ascii() && !json.as_bytes().contains(&0x7f) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && is_unsafe_in_code(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a line comment (`#`, `//`): every unsafe character becomes a space, so
/// the comment cannot spill onto the next line or hide text. Comments carry generated
/// explanations, never values a tool reads.
pub fn comment_text(s: &str) -> String {
    if is_printable_ascii(s) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if is_unsafe_in_code(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_without_specials_by_the_rule() {
        let by_the_rule = |s: &str, specials: &[u8]| {
            s.chars()
                .all(|c| (' '..='~').contains(&c) && !specials.contains(&(c as u8)))
        };
        let mut samples: Vec<String> = UNSAFE_SAMPLES.iter().map(|s| s.to_string()).collect();
        for b in 0..=255u8 {
            samples.push(format!("arn:aws:s3:::bucket-{}/*", char::from(b)));
        }
        samples.extend(["", "plain", "a\"b", "a\\b", "{", "x{y", "\u{7f}", "é"].map(String::from));
        for s in &samples {
            assert_eq!(is_printable_ascii(s), by_the_rule(s, &[]), "{s:?}");
            assert_eq!(
                is_printable_ascii_without(s, [b'"', b'\\', b'{']),
                by_the_rule(s, b"\"\\{"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn spaces_are_exact_past_the_prepared_run() {
        for n in [0, 1, 63, 64, 65, 200] {
            let mut out = String::from("x");
            push_spaces(&mut out, n);
            assert_eq!(out, format!("x{}", " ".repeat(n)));
        }
    }

    #[test]
    fn the_samples_hold_every_unsafe_character() {
        let held: std::collections::BTreeSet<char> =
            UNSAFE_SAMPLES.iter().flat_map(|s| s.chars()).collect();
        let missing: Vec<String> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_unsafe_in_code(c) && !held.contains(&c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(missing.is_empty(), "not in UNSAFE_SAMPLES: {missing:?}");
    }

    #[test]
    fn the_table_covers_what_hides_or_breaks_a_line() {
        for c in [
            '\0', '\n', '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}',
            '\u{200b}', '\u{200e}', '\u{61c}', '\u{2060}', '\u{feff}',
        ] {
            assert!(is_unsafe_in_code(c), "U+{:04X}", c as u32);
        }
        for c in ['a', ' ', 'é', '東', '😀', '\u{a0}', '\u{2027}', '\u{2030}'] {
            assert!(!is_unsafe_in_code(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn json_strings_escape_every_unsafe_character_and_read_back() {
        for sample in UNSAFE_SAMPLES {
            let literal = json_string(sample);
            assert!(!literal.chars().any(is_unsafe_in_code), "{literal:?}");
            let back: String = serde_json::from_str(&literal).expect("valid JSON");
            assert_eq!(back, *sample);
        }
        assert_eq!(json_string("a\u{2028}b\u{7f}\n"), r#""a\u2028b\u007f\n""#);
    }

    #[test]
    fn pretty_json_keeps_its_layout_and_escapes_inside_strings() {
        let value = serde_json::json!({ "k\u{202e}": ["v\u{200b}", 1] });
        let text = pretty_json(&value);
        assert_eq!(
            text,
            "{\n  \"k\\u202e\": [\n    \"v\\u200b\",\n    1\n  ]\n}\n"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn comment_text_stays_on_one_line_and_visible() {
        for sample in UNSAFE_SAMPLES {
            let text = comment_text(sample);
            assert!(!text.chars().any(is_unsafe_in_code), "{text:?}");
        }
        assert_eq!(comment_text("a\nb\r\u{2028}c"), "a b  c");
        assert_eq!(comment_text("case 1, VPC endpoint"), "case 1, VPC endpoint");
    }

    /// A document inside another's string (a StackSet's TemplateBody): one line,
    /// line feeds in its strings escaped, and every unsafe character too.
    #[test]
    fn compact_json_is_one_line_with_every_unsafe_character_escaped() {
        let value = serde_json::json!({ "Body": { "k": ["a\nb", "rtl\u{202e}"] }, "n": 1 });
        assert_eq!(
            compact_json(&value),
            r#"{"Body":{"k":["a\nb","rtl\u202e"]},"n":1}"#
        );
    }

    /// DEL is ASCII: text whose only unsafe character is DEL takes the ASCII
    /// path and is escaped there too.
    #[test]
    fn del_in_otherwise_ascii_json_is_escaped() {
        assert_eq!(json_string("del\u{7f}"), r#""del\u007f""#);
        assert_eq!(
            compact_json(&serde_json::json!(["\u{7f}"])),
            r#"["\u007f"]"#
        );
        assert_eq!(
            pretty_json(&serde_json::json!({ "k": "\u{7f}" })),
            "{\n  \"k\": \"\\u007f\"\n}\n"
        );
    }
}

//! CloudFormation YAML, written by hand from the JSON template so that the output
//! reads as a person would write it (`!Ref`, `!GetAtt`, `!Sub`) and every string is
//! quoted whenever a YAML 1.1 or 1.2 reader could take it for anything but a string
//! (`2012-10-17` is a date to PyYAML, `yes` a boolean, `*` an alias).

use std::borrow::Cow;

use serde_json::{Number, Value};

use crate::backend::emit::{Emit, Intrinsic, replay};
use crate::text::push_spaces;

/// The template as YAML, LF endings and one trailing newline. Written in one pass
/// into one buffer.
pub fn to_yaml(template: &Value) -> String {
    let mut out = Yaml::default();
    replay(template, &mut out);
    out.finish()
}

/// An open map or list of the YAML being written.
#[derive(Debug)]
struct Block {
    /// The indentation of its entries' lines.
    indent: usize,
    /// Its first entry goes on the line already begun (after a list item's dash).
    continues_line: bool,
    /// No entry written yet.
    first: bool,
    list: bool,
    /// Written before its first entry (after the key it is the value of).
    opening: &'static str,
    /// Written if it ends with no entry: the empty collection, inline.
    empty: &'static str,
}

/// CloudFormation YAML, written as the template is built (`emit::Emit`): a map or a
/// list is a block, each entry on its own line (`key: value`, `- item`), an empty
/// one inline (`{}`, `[]`); intrinsics in their short forms; strings `yaml_string`.
#[derive(Debug, Default)]
pub struct Yaml {
    out: String,
    open: Vec<Block>,
}

impl Yaml {
    pub fn with_capacity(bytes: usize) -> Yaml {
        Yaml {
            out: crate::text::buffers::with_capacity(bytes),
            open: Vec::new(),
        }
    }

    /// Written into `out`, emptied first (a buffer reused from one document to the
    /// next: `stacks::split` measures one a profile).
    pub fn in_buffer(mut out: String) -> Yaml {
        out.clear();
        Yaml {
            out,
            open: Vec::new(),
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Starts an entry line of the innermost block: its opening before the first
    /// entry, then the indentation, unless the entry continues a line.
    fn entry_line(&mut self) {
        if let Some(block) = self.open.last_mut() {
            let first = std::mem::take(&mut block.first);
            if first {
                self.out.push_str(block.opening);
            }
            if !(first && block.continues_line) {
                push_spaces(&mut self.out, block.indent);
            }
        }
    }

    /// Before a value on one line: a list item's dash, or the `: ` after a key.
    fn before_inline(&mut self) {
        match self.open.last().map(|block| block.list) {
            Some(true) => {
                self.entry_line();
                self.out.push_str("- ");
            }
            Some(false) => self.out.push_str(": "),
            None => {}
        }
    }

    /// A value written on one line.
    fn inline(&mut self, text: &str) {
        self.before_inline();
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn begin(&mut self, list: bool) {
        let (empty_inline, empty_after_key) = if list {
            ("[]\n", ": []\n")
        } else {
            ("{}\n", ": {}\n")
        };
        let block = match self.open.last() {
            None => Block {
                indent: 0,
                continues_line: false,
                first: true,
                list,
                opening: "",
                empty: empty_inline,
            },
            Some(parent) if parent.list => {
                let indent = parent.indent + 2;
                self.entry_line();
                self.out.push_str("- ");
                // The first line of a nested block shares the line with its dash.
                Block {
                    indent,
                    continues_line: true,
                    first: true,
                    list,
                    opening: "",
                    empty: empty_inline,
                }
            }
            Some(parent) => Block {
                indent: parent.indent + 2,
                continues_line: false,
                first: true,
                list,
                opening: ":\n",
                empty: empty_after_key,
            },
        };
        self.open.push(block);
    }

    fn end(&mut self) {
        if let Some(block) = self.open.pop()
            && block.first
        {
            self.out.push_str(block.empty);
        }
    }
}

impl Emit for Yaml {
    fn begin_map(&mut self) {
        self.begin(false);
    }

    fn key(&mut self, key: &str) {
        self.entry_line();
        push_yaml_string(&mut self.out, key);
    }

    fn end_map(&mut self) {
        self.end();
    }

    fn begin_list(&mut self) {
        self.begin(true);
    }

    fn end_list(&mut self) {
        self.end();
    }

    fn string(&mut self, s: &str) {
        self.before_inline();
        push_yaml_string(&mut self.out, s);
        self.out.push('\n');
    }

    fn number(&mut self, n: &Number) {
        self.inline(&n.to_string());
    }

    fn bool(&mut self, b: bool) {
        self.inline(if b { "true" } else { "false" });
    }

    fn null(&mut self) {
        self.inline("null");
    }

    fn intrinsic(&mut self, f: Intrinsic<'_>) {
        self.before_inline();
        match f {
            Intrinsic::Ref(name) => {
                self.out.push_str("!Ref ");
                push_yaml_string(&mut self.out, name);
            }
            Intrinsic::Sub(text) => {
                self.out.push_str("!Sub ");
                push_yaml_string(&mut self.out, text);
            }
            // `!GetAtt Resource.Attribute`
            Intrinsic::GetAtt(parts) => {
                self.out.push_str("!GetAtt ");
                push_yaml_string(&mut self.out, &parts.join("."));
            }
        }
        self.out.push('\n');
    }
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

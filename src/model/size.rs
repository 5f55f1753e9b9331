//! The size IAM counts against its 6,144-character policy quota, computed from the
//! statements rather than by serialising the document, so that splitting can keep
//! a running size as it adds statements and resources.

use super::resource::ACCOUNT_ID_CHARS;
use super::{POLICY_VERSION, Resource, Statement};

/// The size IAM counts against the 6,144-character quota: the characters of the
/// document `CustomPolicy::document` serialises compactly. IAM does not count white
/// space (IAM User Guide, "IAM and AWS STS quotas"); a compact document has none
/// between tokens, and whether IAM also skips white space inside strings no source
/// says, so it is counted: the safe choice, which can only split a policy earlier,
/// never too late. It is computed from the statements, without building the
/// document; a test holds it to the serialised count.
pub fn policy_size(statements: &[Statement]) -> usize {
    document_size(
        statements
            .iter()
            .map(statement_size)
            .fold(ListSize::default(), ListSize::with),
    )
}

/// `{"Version":"2012-10-17","Statement":[...]}` around statements of these sizes.
pub(super) fn document_size(statements: ListSize) -> usize {
    DOCUMENT_FRAME + string_size(POLICY_VERSION) + statements.list()
}

/// The document's keys and punctuation, as `policy_document` writes them.
const DOCUMENT_FRAME: usize = r#"{"Version":,"Statement":}"#.len();

/// A statement's keys and punctuation, as `policy_document` writes them, without
/// the effect's and the resource element's names (`frame`).
const STATEMENT_FRAME: usize = r#"{"Sid":,"Effect":"","Action":,"":}"#.len();

fn frame(s: &Statement) -> usize {
    STATEMENT_FRAME + s.effect.as_str().len() + s.resource_element().len()
}

pub(super) fn statement_size(s: &Statement) -> usize {
    statement_size_with(s, resources_size(&s.resources))
}

/// The size of statement `s` with resources of these sizes in place of its own.
pub(super) fn statement_size_with(s: &Statement, resources: ListSize) -> usize {
    frame(s) + string_size(&s.sid) + values_size(&s.actions).one_or_many() + resources.one_or_many()
}

/// Actions, each as a JSON string.
fn values_size<S: AsRef<str>>(values: &[S]) -> ListSize {
    values
        .iter()
        .map(|v| string_size(v.as_ref()))
        .fold(ListSize::default(), ListSize::with)
}

/// Resources, each as the JSON string IAM reads once deployed.
fn resources_size(resources: &[Resource]) -> ListSize {
    resources
        .iter()
        .map(resource_size)
        .fold(ListSize::default(), ListSize::with)
}

/// A resource as IAM reads it: an account is its 12 digits.
pub(super) fn resource_size(r: &Resource) -> usize {
    match r {
        Resource::Literal(s) => string_size(s),
        Resource::InAccount { before, after } => {
            string_size(before) + string_size(after) - 2 + ACCOUNT_ID_CHARS
        }
    }
}

/// `size::policy_size` counts this document without building it; the two change
/// together.
pub(super) fn policy_document(statements: &[Statement], account: &str) -> serde_json::Value {
    let statements: Vec<serde_json::Value> = statements
        .iter()
        .map(|s| {
            serde_json::json!({
                "Sid": s.sid,
                "Effect": s.effect.as_str(),
                "Action": one_or_many(&s.actions),
                s.resource_element(): one_or_many(&s.resources.iter().map(|r| r.spelled(account)).collect::<Vec<_>>()),
            })
        })
        .collect();
    serde_json::json!({ "Version": POLICY_VERSION, "Statement": statements })
}

/// IAM accepts a string or a list; a single value reads better as a string.
fn one_or_many<S: AsRef<str>>(items: &[S]) -> serde_json::Value {
    match items {
        [one] => serde_json::Value::String(one.as_ref().to_string()),
        _ => items.iter().map(|i| i.as_ref()).collect(),
    }
}

/// The items of a JSON list being filled, and the sum of their sizes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ListSize {
    pub(super) items: usize,
    chars: usize,
}

impl ListSize {
    pub(super) fn single(item: usize) -> ListSize {
        ListSize::default().with(item)
    }

    pub(super) fn with(self, item: usize) -> ListSize {
        ListSize {
            items: self.items + 1,
            chars: self.chars + item,
        }
    }

    /// `[a,b,c]`
    fn list(self) -> usize {
        self.chars + 2 + self.items.saturating_sub(1)
    }

    /// `one_or_many`: a single item stands alone, any other number is a list.
    fn one_or_many(self) -> usize {
        if self.items == 1 {
            self.chars
        } else {
            self.list()
        }
    }
}

/// A JSON string as serde_json writes it: the quotes, plus each character's size.
pub(super) fn string_size(s: &str) -> usize {
    // Nearly every string (ARNs, actions) is printable ASCII with nothing to escape:
    // one character a byte, found without looking at each byte's size.
    if crate::text::is_printable_ascii_without(s, [b'"', b'\\']) {
        return 2 + s.len();
    }
    2 + s.bytes().map(byte_size).sum::<usize>()
}

/// A character's size, counted on its UTF-8 bytes (a byte loop: policy splitting
/// sizes every ARN of a fleet). serde_json escapes `"`, `\` and the control
/// characters below U+0020, the five with a short form as two characters (`\n`), the
/// others as six (`\u001f`); every other character, white space included (see
/// `policy_size`), is written as itself: one, counted on its first byte (a UTF-8
/// continuation byte, 0x80 to 0xBF, counts nothing).
fn byte_size(b: u8) -> usize {
    match b {
        b'"' | b'\\' | 0x08 | b'\t' | b'\n' | 0x0c | b'\r' => 2,
        0x00..=0x1f => 6,
        0x80..=0xbf => 0,
        _ => 1,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Effect;
    use super::*;

    /// What `policy_size` stands for: the compact serialised document.
    fn serialised_size(statements: &[Statement]) -> usize {
        policy_document(statements, "123456789012")
            .to_string()
            .chars()
            .count()
    }

    #[test]
    fn every_character_counts_as_serde_json_writes_it() {
        // serde_json escapes character by character, so a run of characters is
        // written as its characters are, one after the other.
        let chars: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .collect();
        for run in chars.chunks(256) {
            let s: String = run.iter().collect();
            let written = serde_json::to_string(&s).unwrap();
            let counted = written.chars().count();
            assert_eq!(
                string_size(&s),
                counted,
                "{:?}..={:?}",
                run[0],
                run[run.len() - 1]
            );
        }
    }

    /// Pieces of hostile strings: JSON's escapes, white space inside and outside
    /// ASCII, characters serde_json leaves alone, and what policies really hold.
    const PIECES: &[&str] = &[
        "\"",
        "\\",
        "\\\"",
        "\n",
        "\r\n",
        "\t",
        "\u{8}",
        "\u{c}",
        "\u{b}",
        "\0",
        "\u{1f}",
        "\u{7f}",
        " ",
        "  ",
        "\u{85}",
        "\u{a0}",
        "\u{2028}",
        "\u{2029}",
        "\u{3000}",
        "\u{200b}",
        "\u{feff}",
        "é",
        "日本",
        "🦀",
        "/",
        "</script>",
        "${aws:username}",
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
        "s3:GetObject",
        "*",
        "",
    ];

    /// A small deterministic generator, so that a failure reproduces.
    pub(in crate::model) struct Random(pub(in crate::model) u64);

    impl Random {
        pub(in crate::model) fn below(&mut self, n: usize) -> usize {
            // xorshift64
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        pub(in crate::model) fn string(&mut self) -> String {
            (0..self.below(6))
                .map(|_| PIECES[self.below(PIECES.len())])
                .collect()
        }

        fn strings(&mut self) -> Vec<String> {
            // 0, 1 and several values: `one_or_many` writes each differently.
            (0..self.below(5)).map(|_| self.string()).collect()
        }

        pub(in crate::model) fn statements(&mut self, most: usize) -> Vec<Statement> {
            (0..self.below(most))
                .map(|_| Statement {
                    effect: Effect::Allow,
                    not_resource: false,
                    sid: self.string(),
                    actions: self.strings(),
                    resources: self
                        .strings()
                        .into_iter()
                        .map(|r| match self.below(3) {
                            0 => Resource::in_account(&r, &self.string()),
                            _ => r.into(),
                        })
                        .collect(),
                    purpose: self.string(),
                })
                .collect()
        }
    }

    #[test]
    fn the_computed_size_is_the_serialised_size() {
        let mut random = Random(0x5eed_1234_abcd_0001);
        for _ in 0..5_000 {
            let statements = random.statements(6);
            assert_eq!(
                policy_size(&statements),
                serialised_size(&statements),
                "{statements:#?}"
            );
        }
    }
}

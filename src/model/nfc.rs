//! Spec text in Unicode normalization form C, so every target carries the same text.
//!
//! Terraform reads every string through HCL, which normalizes it to NFC; IAM and
//! CloudFormation keep the code points as sent. A tag key `team\u{2000}x` would be
//! `team\u{2002}x` in Terraform and stay itself in CloudFormation (and two keys equal
//! after NFC would become one tag in Terraform). The spec is refused instead of
//! normalized: the user's file stays the one spelling of the text, so what IAM
//! stores is what the spec says, in every target. Only tags can hold such text:
//! names, paths and ARNs are ASCII, and descriptions and policy text Latin-1, which
//! is NFC character by character and composes with nothing (the test below).

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::Ctx;
use crate::diag::RuleError;

/// `Err` when NFC would change the key of tag `key` (`value` `None`) or its value,
/// naming the NFC form; a key's error is shown at the key.
pub(super) fn check_tag_nfc(ctx: &Ctx, key: &str, value: Option<&str>) -> Result<(), RuleError> {
    let text = value.unwrap_or(key);
    if is_nfc(text) {
        return Ok(());
    }
    let nfc: String = text.nfc().collect();
    let subject = match value {
        None => format!("tag key `{key}` ({})", escaped(key)),
        Some(value) => format!("the value of tag `{key}`, `{value}` ({}),", escaped(value)),
    };
    let e = ctx.err(
        &format!("tags.{key}"),
        format!(
            "{subject} is not in Unicode normalization form C: Terraform normalizes every string to NFC, which makes it `{nfc}` ({}), while CloudFormation and IAM keep it as written; write it as `{nfc}`",
            escaped(&nfc)
        ),
    );
    Err(if value.is_none() { e.about_key() } else { e })
}

/// The non-ASCII characters of `s` as `\u{...}` escapes, so a message tells apart
/// the look-alikes NFC maps to one another.
fn escaped(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\u{{{:04X}}}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Descriptions and policy text are Latin-1 (IAM's rule), which NFC never
    /// changes: no Latin-1 character decomposes, and no two compose.
    #[test]
    fn latin1_text_is_always_nfc() {
        let latin1 = || ('\u{0}'..='\u{ff}').filter(|c| !c.is_control());
        for a in latin1() {
            for b in latin1() {
                assert!(
                    is_nfc(&format!("{a}{b}")),
                    "U+{:04X} U+{:04X}",
                    a as u32,
                    b as u32
                );
            }
        }
    }

    /// The cases: two keys one under NFC, and KELVIN SIGN, which NFC makes K.
    #[test]
    fn text_that_nfc_changes_is_refused_for_every_target() {
        for (tags, field, nfc) in [
            (
                "\"team\\u2000x\": a\n      \"team\\u2002x\": b",
                "tags.team\u{2000}x",
                "team\\u{2002}x",
            ),
            ("k: \"\\u212A\"", "tags.k", "(K)"),
            ("\"\\u212A\": v", "tags.\u{212A}", "(K)"),
        ] {
            let spec = format!("version: 1\nprofiles:\n  - name: p\n    tags:\n      {tags}\n");
            let Err(e) = crate::load(&crate::source::Source::new("spec.yaml", spec)) else {
                panic!("{tags} accepted");
            };
            assert_eq!(e.path, format!("profiles[0].{field}"));
            assert!(
                e.message.contains("not in Unicode normalization form C"),
                "{}",
                e.message
            );
            assert!(e.message.contains(nfc), "{}", e.message);
        }
    }

    #[test]
    fn the_nfc_form_is_shown_escaped() {
        assert_eq!(escaped("team\u{2002}x"), "team\\u{2002}x");
        assert_eq!("\u{212A}".nfc().collect::<String>(), "K");
    }
}

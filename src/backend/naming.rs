//! Names the backends derive from the model's identifier stems (`SSMInstanceProfile`):
//! one word splitter behind every naming style, and one allocator of unique names.
//! Spec strings never become names here; the stems are ASCII letters and digits.

use std::collections::BTreeSet;

/// Splits a name into words: `SSMInstanceProfileS3Policy2` -> `SSM`, `Instance`,
/// `Profile`, `S3`, `Policy2`. Anything but an ASCII letter or digit separates words;
/// a new word starts at an upper-case letter after a lower-case letter or a digit,
/// and at the last capital of an acronym followed by lower case (`SSMInstance`).
/// Digits stay with the word before them.
pub fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for run in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
    {
        // ASCII only, so byte indices are character indices.
        let bytes = run.as_bytes();
        let mut start = 0;
        for i in 1..bytes.len() {
            let (prev, c) = (bytes[i - 1], bytes[i]);
            let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let starts_word = c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower));
            if starts_word {
                out.push(&run[start..i]);
                start = i;
            }
        }
        out.push(&run[start..]);
    }
    out
}

/// `SSMInstanceProfileS3Policy` -> `ssm_instance_profile_s3_policy`: Terraform
/// addresses, Python members. A name that would start with a digit, or be empty,
/// gets `p_` in front, so it is always an identifier.
pub fn snake_case(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if joined.is_empty() || joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("p_{joined}")
    } else {
        joined
    }
}

/// `SSMInstanceProfileRole` -> `ssmInstanceProfileRole`: TypeScript members.
pub fn lower_camel_case(name: &str) -> String {
    let mut out = String::new();
    for (i, word) in words(name).iter().enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            out.push_str(&lower[..1].to_ascii_uppercase());
            out.push_str(&lower[1..]);
        }
    }
    out
}

/// Hands out names within one namespace, never the same one twice, first come first
/// served: the stems are unique, but two that differ only in letter case
/// (`SSMProfile`, `SsmProfile`) give the same name in a style that folds case; the
/// later one gets `2`, `3`, ... (after `separator`), so names stay stable while
/// later profiles are added.
pub struct Unique {
    separator: &'static str,
    taken: BTreeSet<String>,
}

impl Unique {
    pub fn new(separator: &'static str) -> Unique {
        Unique {
            separator,
            taken: BTreeSet::new(),
        }
    }

    /// `base`, or `base` with the first free number after it.
    pub fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{}{n}", self.separator);
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_case_changes_acronyms_and_separators() {
        for (name, expected) in [
            (
                "SSMInstanceProfileS3Policy2",
                &["SSM", "Instance", "Profile", "S3", "Policy2"][..],
            ),
            (
                "AmazonInspector2ManagedCispolicy",
                &["Amazon", "Inspector2", "Managed", "Cispolicy"],
            ),
            ("my-policy.v2", &["my", "policy", "v2"]),
            ("Ops_Extras", &["Ops", "Extras"]),
            ("AB", &["AB"]),
            ("ABc", &["A", "Bc"]),
            ("-é-", &[]),
        ] {
            assert_eq!(words(name), expected, "{name}");
        }
    }

    #[test]
    fn snake_case_splits_words_acronyms_and_digits() {
        for (id, expected) in [
            ("SSMInstanceProfile", "ssm_instance_profile"),
            (
                "SSMInstanceProfileS3Policy",
                "ssm_instance_profile_s3_policy",
            ),
            (
                "AmazonSSMManagedInstanceCore",
                "amazon_ssm_managed_instance_core",
            ),
            (
                "CloudWatchAgentServerPolicy",
                "cloud_watch_agent_server_policy",
            ),
            (
                "AmazonInspector2ManagedCispolicy",
                "amazon_inspector2_managed_cispolicy",
            ),
            ("WebTier", "web_tier"),
            ("P1st", "p1st"),
            ("my-policy.v2", "my_policy_v2"),
            ("Ops_Extras", "ops_extras"),
            ("9lives", "p_9lives"),
            ("", "p_"),
            ("SourceArn", "source_arn"),
        ] {
            assert_eq!(snake_case(id), expected, "{id}");
        }
    }

    #[test]
    fn lower_camel_case_lowers_the_first_word_and_capitalises_the_rest() {
        for (id, expected) in [
            ("SSMInstanceProfileRole", "ssmInstanceProfileRole"),
            ("SsmBoundedS3Policy2", "ssmBoundedS3Policy2"),
            ("P1stInstanceProfile", "p1stInstanceProfile"),
            ("AB", "ab"),
            ("RoleArn", "roleArn"),
        ] {
            assert_eq!(lower_camel_case(id), expected, "{id}");
        }
    }

    #[test]
    fn names_are_disambiguated_in_claim_order() {
        let mut names = Unique::new("_");
        assert_eq!(names.claim("ssm"), "ssm");
        assert_eq!(names.claim("ssm"), "ssm_2");
        assert_eq!(names.claim("ssm"), "ssm_3");
        assert_eq!(names.claim("other"), "other");
        let mut members = Unique::new("");
        assert_eq!(members.claim("ssmx_role"), "ssmx_role");
        assert_eq!(members.claim("ssmx_role"), "ssmx_role2");
    }
}

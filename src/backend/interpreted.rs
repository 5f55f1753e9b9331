//! Spec text that a deploy tool would read as an instruction rather than as text.
//!
//! CloudFormation resolves dynamic references (`{{resolve:ssm:...}}`,
//! `{{resolve:ssm-secure:...}}`, `{{resolve:secretsmanager:...}}`) inside any
//! property string when it deploys, and has no escape for them: a role description
//! holding one would receive a parameter's or a secret's value, an ARN holding one
//! would let a parameter choose the policy attached. The CDK synthesizes
//! CloudFormation, so the same holds there, and the CDK itself reads `${Token[...]}`,
//! `#{Token[...]}` and numbers written as `-1.` with 10 to 16 digits and `e+289`
//! (its encoding of number tokens) inside any string as tokens at synth time.
//!
//! These targets refuse such a spec (it stays valid for Terraform, which reads
//! neither) with the spec field and the text named. The check walks every string
//! of the model, so a field added later is covered without a change here.

use crate::model::{Model, Openings};

/// What a target would interpret in a string (a column of `capability::Capabilities`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interprets {
    /// CloudFormation dynamic references.
    pub dynamic_references: bool,
    /// CDK string and list tokens and encoded number tokens.
    pub cdk_tokens: bool,
}

/// Which kind of interpreted text a `Finding` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    DynamicReference,
    CdkToken,
}

/// Text in the model that a target would interpret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The spec field it comes from, as a path (`profiles[0].description`).
    pub field: String,
    /// Which entry of a list field it is in (``the ARN `arn:...` ``), when the
    /// path alone does not say.
    pub entry: Option<String>,
    /// The interpreted text itself (`{{resolve:ssm:/p}}`).
    pub text: String,
    pub kind: Kind,
}

/// The first string of `model` holding text that `interprets` covers.
pub fn find(model: &Model, interprets: Interprets) -> Option<Finding> {
    if !interprets.dynamic_references && !interprets.cdk_tokens {
        return None;
    }
    // A first look over the model's strings where they are (`openings`, once per
    // model), since a finding is rare (a refusal): only a model holding one of the
    // patterns' openings is built into a `Value` tree and walked for the path.
    let o = openings(model);
    let maybe = (interprets.dynamic_references && o.double_brace)
        || (interprets.cdk_tokens && (o.token || o.minus_one_dot));
    if !maybe {
        return None;
    }
    let value = serde_json::to_value(model).ok()?;
    let mut path = String::new();
    let (path, text, (found, kind)) = first_interpreted(&value, interprets, &mut path)?;
    let (field, entry) = spec_field(model, &path, text);
    Some(Finding {
        field,
        entry,
        text: found.to_string(),
        kind,
    })
}

/// Which openings of interpreted text `model`'s strings hold, looked for on the first
/// call only. A model that cannot be serialised counts as holding them all, so the
/// full walk decides.
pub fn openings(model: &Model) -> Openings {
    *model.openings.get_or_init(|| {
        let found = std::cell::Cell::new(Openings::default());
        let failed = strings::any_string(model, &|s: &str| {
            let mut o = found.get();
            let held = string_openings(s);
            o.double_brace |= held.double_brace;
            o.token |= held.token;
            o.minus_one_dot |= held.minus_one_dot;
            found.set(o);
            // The walk stops once there is nothing left to look for.
            o.double_brace && o.token && o.minus_one_dot
        });
        if failed {
            Openings {
                double_brace: true,
                token: true,
                minus_one_dot: true,
            }
        } else {
            found.get()
        }
    })
}

/// The openings `s` holds. Nearly every string holds none of their rarest bytes,
/// and one pass without early exit (which the compiler vectorises) rules those out
/// before any substring search: three searches per string were a tenth of a
/// 100-profile fleet's CDK rendering.
fn string_openings(s: &str) -> Openings {
    let (mut brace, mut t, mut dot) = (false, false, false);
    for &b in s.as_bytes() {
        brace |= b == b'{';
        t |= b == b'T';
        dot |= b == b'.';
    }
    Openings {
        double_brace: brace && s.contains("{{"),
        token: t && s.contains("Token["),
        minus_one_dot: dot && s.contains("-1."),
    }
}

/// What `interprets` finds in `text`: the interpreted part and its kind.
fn interpreted(text: &str, interprets: Interprets) -> Option<(&str, Kind)> {
    (interprets.dynamic_references)
        .then(|| dynamic_reference(text).map(|t| (t, Kind::DynamicReference)))
        .flatten()
        .or_else(|| {
            (interprets.cdk_tokens)
                .then(|| cdk_token(text).map(|t| (t, Kind::CdkToken)))
                .flatten()
        })
}

/// The first string of `value`, in document order, in which `interprets` finds
/// something: its path (`profiles[0].tags[1].value`), the string and what was found.
/// `path` is the path of `value`, a buffer the walk extends and cuts back, so a path
/// is written out only for the string found.
fn first_interpreted<'a>(
    value: &'a serde_json::Value,
    interprets: Interprets,
    path: &mut String,
) -> Option<(String, &'a str, (&'a str, Kind))> {
    use std::fmt::Write;
    let len = path.len();
    let found = match value {
        serde_json::Value::String(s) => {
            interpreted(s, interprets).map(|found| (path.clone(), s.as_str(), found))
        }
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.truncate(len);
            write!(path, "[{i}]").expect("writing to a String");
            first_interpreted(item, interprets, path)
        }),
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            path.truncate(len);
            if len > 0 {
                path.push('.');
            }
            path.push_str(key);
            first_interpreted(item, interprets, path)
        }),
        _ => None,
    };
    path.truncate(len);
    found
}

fn spec_field(model: &Model, model_path: &str, text: &str) -> (String, Option<String>) {
    let Some(rest) = model_path.strip_prefix("profiles[") else {
        return (model_path.to_string(), None);
    };
    let Some((index, rest)) = rest.split_once("].") else {
        return (model_path.to_string(), None);
    };
    let profile = format!("profiles[{index}]");
    let field = rest.split(['.', '[']).collect::<Vec<_>>();
    let tag_key = || {
        let i: usize = field
            .get(1)
            .and_then(|s| s.trim_end_matches(']').parse().ok())
            .unwrap_or(0);
        let p: usize = index.parse().unwrap_or(0);
        model
            .profiles
            .get(p)
            .and_then(|p| p.tags.get(i))
            .map(|t| t.key.clone())
            .unwrap_or_default()
    };
    match field.as_slice() {
        ["role", "description"] => (format!("{profile}.description"), None),
        ["role", "permissions_boundary"] => (format!("{profile}.permissions_boundary"), None),
        ["role", "path"] | ["instance_profile", "path"] => (format!("{profile}.path"), None),
        ["managed_policies", _, "arn"] => (
            format!("{profile}.managed_policies.additional"),
            Some(format!("the ARN `{text}`")),
        ),
        ["tags", _, "key"] => (
            format!("{profile}.tags"),
            Some(format!("the key `{}`", tag_key())),
        ),
        ["tags", _, "value"] => (format!("{profile}.tags.{}", tag_key()), None),
        ["custom_policies", ..] if text.contains(":s3:::") => {
            // A resource `arn:P:s3:::BUCKET/PREFIX/*`: bucket names are plain, so
            // the text came from a prefix, of the session log bucket or an own one.
            let bucket = text
                .split(":s3:::")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or_default();
            let statement = model_statement_sid(model, model_path).unwrap_or_default();
            if statement.starts_with("SessionLogs") {
                (format!("{profile}.session_manager.s3_logging.prefix"), None)
            } else {
                (
                    format!("{profile}.s3.buckets"),
                    Some(format!("the prefix of bucket `{bucket}`")),
                )
            }
        }
        _ => (profile, Some(format!("`{rest}`"))),
    }
}

/// The Sid of the statement a `profiles[i].custom_policies[k].statements[m]...` path
/// is in.
fn model_statement_sid<'a>(model: &'a Model, model_path: &str) -> Option<&'a str> {
    let numbers: Vec<usize> = model_path
        .split('[')
        .skip(1)
        .filter_map(|s| s.split(']').next()?.parse().ok())
        .collect();
    let [p, k, m, ..] = numbers.as_slice() else {
        return None;
    };
    let statement = model
        .profiles
        .get(*p)?
        .custom_policies
        .get(*k)?
        .statements
        .get(*m)?;
    Some(&statement.sid)
}

/// The first CloudFormation dynamic reference in `s`: `{{resolve:` (in any case)
/// through the next `}}`, or to the end of the text when none closes it.
pub fn dynamic_reference(s: &str) -> Option<&str> {
    const OPEN: &str = "{{resolve:";
    if !s.contains("{{") {
        return None;
    }
    let start = s.char_indices().map(|(i, _)| i).find(|&i| {
        s[i..]
            .get(..OPEN.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(OPEN))
    })?;
    let end = s[start..].find("}}").map_or(s.len(), |e| start + e + 2);
    Some(&s[start..end])
}

/// The first CDK token encoding in `s`: `${Token[` or `#{Token[` through the next
/// `]}` (or the end), or a number the CDK decodes as a number token: `-1.`, 10 or
/// more digits, `e+289` (the CDK's pattern takes 10 to 16; more are refused too).
pub fn cdk_token(s: &str) -> Option<&str> {
    let marker = ["${Token[", "#{Token["]
        .iter()
        .filter_map(|m| s.find(m))
        .min();
    let number = number_token(s);
    match (marker, number) {
        (Some(m), Some((n, _))) if n < m => number.map(|(a, b)| &s[a..b]),
        (Some(m), _) => {
            let end = s[m..].find("]}").map_or(s.len(), |e| m + e + 2);
            Some(&s[m..end])
        }
        (None, Some((a, b))) => Some(&s[a..b]),
        (None, None) => None,
    }
}

/// Where `-1.DDDDDDDDDD...e+289` (at least 10 digits) first occurs in `s`.
fn number_token(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(found) = s[from..].find("-1.") {
        let start = from + found;
        let digits = bytes[start + 3..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = start + 3 + digits;
        if digits >= 10 && s[after..].starts_with("e+289") {
            return Some((start, after + 5));
        }
        from = start + 1;
    }
    None
}

mod strings;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_pass_finds_what_substring_searches_find() {
        let texts = [
            "",
            "{",
            "{{",
            "a{b{{",
            "Token",
            "${Token[X.1]}",
            "-1",
            "-1.8881784197001251e+289",
            "arn:aws:s3:::b-1",
            "Grüße {{x",
            "éToken[",
            "-{T-1.",
        ];
        for s in texts {
            let searched = Openings {
                double_brace: s.contains("{{"),
                token: s.contains("Token["),
                minus_one_dot: s.contains("-1."),
            };
            assert_eq!(string_openings(s), searched, "{s:?}");
        }
    }

    #[test]
    fn dynamic_references_are_found_in_any_case_and_unclosed() {
        let cases = [
            ("a {{resolve:ssm:/p}} b", Some("{{resolve:ssm:/p}}")),
            (
                "{{resolve:ssm-secure:x:1}}",
                Some("{{resolve:ssm-secure:x:1}}"),
            ),
            (
                "x{{RESOLVE:secretsmanager:s:SecretString:k}}",
                Some("{{RESOLVE:secretsmanager:s:SecretString:k}}"),
            ),
            ("{{resolve:ssm:open", Some("{{resolve:ssm:open")),
            ("{{ resolve:ssm:x}}", None),
            ("{resolve:ssm:x}", None),
            ("Grüße {{resolve:ssm:p}}", Some("{{resolve:ssm:p}}")),
            ("plain text", None),
        ];
        for (text, expected) in cases {
            assert_eq!(dynamic_reference(text), expected, "{text}");
        }
    }

    #[test]
    fn cdk_tokens_and_number_tokens_are_found() {
        let cases = [
            (
                "owner ${Token[AWS.AccountId.4]}",
                Some("${Token[AWS.AccountId.4]}"),
            ),
            ("#{Token[TOKEN.12]} x", Some("#{Token[TOKEN.12]}")),
            ("${Token[open", Some("${Token[open")),
            ("-1.8881545897087626e+289", Some("-1.8881545897087626e+289")),
            ("v -1.1234567890e+289 w", Some("-1.1234567890e+289")),
            (
                "-1.12345678901234567e+289",
                Some("-1.12345678901234567e+289"),
            ),
            ("-1.123456789e+289", None),
            ("-1.1234567890e+288", None),
            ("1.1234567890e+289", None),
            ("${token[x]}", None),
            ("${aws:username}", None),
        ];
        for (text, expected) in cases {
            assert_eq!(cdk_token(text), expected, "{text}");
        }
    }

    fn model(yaml: &str) -> Model {
        crate::load(&crate::source::Source::new("spec.yaml", yaml)).expect("valid spec")
    }

    const BOTH: Interprets = Interprets {
        dynamic_references: true,
        cdk_tokens: true,
    };

    fn found(yaml: &str) -> Finding {
        find(&model(yaml), BOTH).expect("a finding")
    }

    #[test]
    fn findings_name_the_spec_field() {
        let base = "version: 1\nprofiles:\n  - name: a\n";
        let f = found(&format!(
            "{base}    description: \"owner {{{{resolve:ssm:/team/owner}}}}\"\n"
        ));
        assert_eq!(f.field, "profiles[0].description");
        assert_eq!(f.text, "{{resolve:ssm:/team/owner}}");
        assert_eq!(f.kind, Kind::DynamicReference);

        let f = found(&format!("{base}    tags:\n      n: -1.1234567890e+289\n"));
        assert_eq!(f.field, "profiles[0].tags.n");
        assert_eq!(f.kind, Kind::CdkToken);
        let only_references = Interprets {
            dynamic_references: true,
            cdk_tokens: false,
        };
        let m = model(&format!("{base}    tags:\n      n: -1.1234567890e+289\n"));
        assert_eq!(find(&m, only_references), None);

        let f = found(&format!(
            "{base}    s3:\n      buckets:\n        - name: my-bucket\n          prefix: \"logs/{{{{resolve:ssm:p}}}}\"\n"
        ));
        assert_eq!(f.field, "profiles[0].s3.buckets");
        assert_eq!(f.entry.as_deref(), Some("the prefix of bucket `my-bucket`"));
        let f = found(&format!(
            "{base}    session_manager:\n      s3_logging:\n        bucket: my-log-bucket\n        prefix: \"{{{{resolve:ssm:p}}}}\"\n"
        ));
        assert_eq!(f.field, "profiles[0].session_manager.s3_logging.prefix");
        // IAM's path and name characters hold no `{{` or `${`, but a CDK number token.
        let f = found(&format!(
            "{base}    managed_policies:\n      additional: [\"arn:aws:iam::111122223333:policy/p/-1.1234567890e+289\"]\n"
        ));
        assert_eq!(f.field, "profiles[0].managed_policies.additional");
        assert_eq!(f.kind, Kind::CdkToken);
        assert_eq!(
            f.entry.as_deref(),
            Some("the ARN `arn:aws:iam::111122223333:policy/p/-1.1234567890e+289`")
        );
        assert_eq!(find(&model(base), BOTH), None);
    }

    #[test]
    fn openings_are_looked_for_once_and_a_stack_starts_from_its_whole() {
        let m = model(
            "version: 1\nprofiles:\n  - name: a\n    description: \"x {{resolve:ssm:p}}\"\n  - name: b\n",
        );
        assert_eq!(m.openings.get(), None);
        let whole = openings(&m);
        assert!(whole.double_brace && !whole.token && !whole.minus_one_dot);
        assert_eq!(m.openings.get(), Some(&whole));
        // Profile `b` alone holds no `{{`, but its stack keeps the whole's answer,
        // which only makes the full walk run; it still finds nothing there.
        let b = crate::backend::stacks::part(&m, &[1]);
        assert_eq!(b.openings.get(), Some(&whole));
        assert_eq!(find(&b, BOTH), None);
        let a = crate::backend::stacks::part(&m, &[0]);
        assert_eq!(
            find(&a, BOTH).map(|f| f.field).as_deref(),
            Some("profiles[0].description")
        );
        // A token opening that only looks like one is still no finding.
        let m = model("version: 1\nprofiles:\n  - name: a\n    description: \"v-1.0 Token[\"\n");
        let o = openings(&m);
        assert!(o.token && o.minus_one_dot && !o.double_brace);
        assert_eq!(find(&m, BOTH), None);
    }
}

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

use crate::model::Model;

/// What a target would interpret, in the order the checks look for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interprets {
    /// CloudFormation dynamic references.
    pub dynamic_references: bool,
    /// CDK string and list tokens and encoded number tokens.
    pub cdk_tokens: bool,
}

/// What the target named `target` (as `--target` names it) interprets in strings.
pub fn of_target(target: &str) -> Interprets {
    Interprets {
        dynamic_references: matches!(target, "cloudformation" | "cdk"),
        cdk_tokens: target == "cdk",
    }
}

/// `Ok` when no string of `model` holds text the target would interpret; else the
/// refusal, naming the spec field, the text, and a target that reads it literally.
pub fn check(model: &Model, target: &str) -> Result<(), String> {
    let interprets = of_target(target);
    if !interprets.dynamic_references && !interprets.cdk_tokens {
        return Ok(());
    }
    let value = serde_json::to_value(model).map_err(|e| format!("internal error: {e}"))?;
    let mut strings = Vec::new();
    collect(&value, String::new(), &mut strings);
    for (path, text) in strings {
        if interprets.dynamic_references
            && let Some(found) = dynamic_reference(text)
        {
            return Err(format!(
                "{}: `{found}` is a CloudFormation dynamic reference: CloudFormation would replace it with the value it names when it deploys{}, and it has no way to write it literally; remove it from the spec, or use `--target terraform`, which keeps it as text",
                spec_field(model, &path, text),
                if target == "cdk" {
                    " (the CDK synthesizes CloudFormation)"
                } else {
                    ""
                },
            ));
        }
        if interprets.cdk_tokens
            && let Some(found) = cdk_token(text)
        {
            return Err(format!(
                "{}: `{found}` is how the CDK encodes a token: `cdk synth` would replace it with a deploy-time value or fail; remove it from the spec, or use `--target cloudformation` or `--target terraform`, which keep it as text",
                spec_field(model, &path, text),
            ));
        }
    }
    Ok(())
}

/// Every string leaf of `value` with its path (`profiles[0].role.description`).
fn collect<'a>(value: &'a serde_json::Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        serde_json::Value::String(s) => out.push((path, s)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                collect(item, child, out);
            }
        }
        _ => {}
    }
}

/// The spec field a model string comes from, as the user wrote its path, with the
/// value where the path alone does not say which entry it is.
fn spec_field(model: &Model, model_path: &str, text: &str) -> String {
    let Some(rest) = model_path.strip_prefix("profiles[") else {
        return model_path.to_string();
    };
    let Some((index, rest)) = rest.split_once("].") else {
        return model_path.to_string();
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
        ["role", "description"] => format!("{profile}.description"),
        ["role", "permissions_boundary"] => format!("{profile}.permissions_boundary"),
        ["role", "path"] | ["instance_profile", "path"] => format!("{profile}.path"),
        ["managed_policies", _, "arn"] => {
            format!("{profile}.managed_policies.additional: the ARN `{text}`")
        }
        ["tags", _, "key"] => format!("{profile}.tags: the key `{}`", tag_key()),
        ["tags", _, "value"] => format!("{profile}.tags.{}", tag_key()),
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
                format!("{profile}.session_manager.s3_logging.prefix")
            } else {
                format!("{profile}.s3.buckets: the prefix of bucket `{bucket}`")
            }
        }
        _ => format!("{profile}: `{rest}`"),
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn targets_refuse_what_they_would_interpret_and_name_the_field() {
        let m = model(
            "version: 1\nprofiles:\n  - name: a\n    description: \"owner {{resolve:ssm:/team/owner}}\"\n",
        );
        let e = check(&m, "cloudformation").unwrap_err();
        assert!(
            e.starts_with("profiles[0].description: `{{resolve:ssm:/team/owner}}` is a CloudFormation dynamic reference"),
            "{e}"
        );
        assert!(
            check(&m, "cdk")
                .unwrap_err()
                .contains("the CDK synthesizes CloudFormation")
        );
        assert_eq!(check(&m, "terraform"), Ok(()));

        let m =
            model("version: 1\nprofiles:\n  - name: a\n    tags:\n      n: -1.1234567890e+289\n");
        let e = check(&m, "cdk").unwrap_err();
        assert!(
            e.starts_with("profiles[0].tags.n: `-1.1234567890e+289`"),
            "{e}"
        );
        assert_eq!(check(&m, "cloudformation"), Ok(()));
    }

    #[test]
    fn bucket_prefixes_and_policy_arns_are_checked() {
        let m = model(
            "version: 1\nprofiles:\n  - name: a\n    s3:\n      buckets:\n        - name: my-bucket\n          prefix: \"logs/{{resolve:ssm:p}}\"\n",
        );
        let e = check(&m, "cloudformation").unwrap_err();
        assert!(
            e.starts_with(
                "profiles[0].s3.buckets: the prefix of bucket `my-bucket`: `{{resolve:ssm:p}}`"
            ),
            "{e}"
        );
        assert!(e.contains("`{{resolve:ssm:p}}`"), "{e}");
        let m = model(
            "version: 1\nprofiles:\n  - name: a\n    managed_policies:\n      additional: [\"arn:aws:iam::111122223333:policy/{{resolve:ssm:p}}/X\"]\n",
        );
        let e = check(&m, "cloudformation").unwrap_err();
        assert!(
            e.starts_with("profiles[0].managed_policies.additional: the ARN `arn:aws:iam::111122223333:policy/{{resolve:ssm:p}}/X`"),
            "{e}"
        );
    }
}

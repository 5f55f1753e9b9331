//! The rules of spec v1 and the IAM and S3 limits. Each check takes the field it is
//! about, so that its error names that field.

use std::collections::BTreeMap;

use super::{Ctx, CustomPolicy, Tag, nfc};
use crate::diag::RuleError;
use crate::refdata::rules::{self, TextRule, Violation};
use crate::refdata::{Partition, limits};

/// A role, policy or instance profile name under `rule`.
pub(super) fn check_iam_name(
    ctx: &Ctx,
    field: &str,
    name: &str,
    what: &str,
    rule: &TextRule,
) -> Result<(), RuleError> {
    let (min, max) = (rule.min(), rule.max());
    match rule.violation(name) {
        None => Ok(()),
        Some(Violation::Length(len)) => Err(ctx.err(
            field,
            format!("`{name}` is {len} characters long; {what} must be {min} to {max} characters"),
        )),
        Some(Violation::Char(c)) => Err(ctx.err(
            field,
            format!(
                "`{name}` contains {c:?}; {what} may contain only {}",
                rule.words
            ),
        )),
    }
}

pub(super) fn check_path(ctx: &Ctx, path: &str) -> Result<String, RuleError> {
    let rule = &rules::PATH;
    if rule.allows(path) {
        Ok(path.to_string())
    } else {
        Err(ctx.err(
            "path",
            format!(
                "`{path}` is not an IAM path: it must be `/`, or segments of {} each between slashes (as `/platform/ssm/`), at most {} characters",
                rule.words, rule.max
            ),
        ))
    }
}

pub(super) fn check_description(ctx: &Ctx, d: &str) -> Result<String, RuleError> {
    let rule = &rules::DESCRIPTION;
    match rule.violation(d) {
        None => Ok(d.to_string()),
        Some(Violation::Length(len)) => Err(ctx.err(
            "description",
            format!(
                "the description is {len} characters; IAM allows {}",
                rule.max()
            ),
        )),
        Some(Violation::Char(c)) => Err(ctx.err(
            "description",
            format!(
                "the description contains {c:?}, which IAM does not accept in a role description ({})",
                rule.words
            ),
        )),
    }
}

pub(super) fn check_session_duration(ctx: &Ctx, seconds: u32) -> Result<u32, RuleError> {
    let rule = &rules::SESSION_DURATION;
    if rule.allows(seconds) {
        Ok(seconds)
    } else {
        Err(ctx.err(
            "max_session_duration",
            format!(
                "{seconds} seconds is outside IAM's range of {}",
                rule.words()
            ),
        ))
    }
}

pub(super) fn is_account_id(s: &str) -> bool {
    rules::ACCOUNT_ID.violation(s).is_none()
}

pub(super) fn check_account_id(ctx: &Ctx, field: &str, account: &str) -> Result<(), RuleError> {
    if is_account_id(account) {
        Ok(())
    } else {
        Err(ctx.err(
            field,
            format!(
                "`{account}` is not an AWS account ID ({})",
                rules::ACCOUNT_ID.words
            ),
        ))
    }
}

/// The account's quota of managed policies per role: IAM's default of 10, or what
/// `managed_policy_quota` says after an increase, which IAM allows up to 25
/// (docs/sources.md 7, [IAM] reference_iam-quotas.md).
pub(super) fn check_managed_policy_quota(
    ctx: &Ctx,
    quota: Option<u32>,
) -> Result<usize, RuleError> {
    let Some(quota) = quota else {
        return Ok(limits::MANAGED_POLICIES_PER_ROLE);
    };
    let range = limits::MANAGED_POLICY_QUOTA;
    match usize::try_from(quota) {
        Ok(q) if range.contains(&q) => Ok(q),
        _ => Err(ctx.err(
            "managed_policy_quota",
            format!(
                "{quota} is outside {} to {}: IAM allows {} managed policies per role by default, and {} at most after a quota increase",
                range.start(),
                range.end(),
                range.start(),
                range.end()
            ),
        )),
    }
}

/// Policies attached by ARN and policies ssm-profile writes count alike against
/// the account's quota of managed policies per role.
pub(super) fn check_attachment_count(
    ctx: &Ctx,
    by_arn: usize,
    written: usize,
    quota: usize,
    raised: bool,
) -> Result<(), RuleError> {
    let attached = by_arn + written;
    if attached <= quota {
        return Ok(());
    }
    let max = limits::MANAGED_POLICY_QUOTA.end();
    let allows = if raised {
        format!(
            "`managed_policy_quota` says the account allows {quota} per role; select fewer policies or fewer regions, or raise the account's quota further (IAM allows {max} at most)"
        )
    } else {
        format!(
            "IAM allows {quota} per role by default; select fewer policies or fewer regions, or, if the account's quota was raised (IAM allows {max} at most), say so with `managed_policy_quota`"
        )
    };
    Err(ctx.err(
        "managed_policies",
        format!(
            "this profile attaches {attached} managed policies ({by_arn} by ARN, {written} written by ssm-profile) but {allows}"
        ),
    ))
}

/// Every character of every policy document the profile writes is one IAM accepts
/// (`limits::policy_document_char`). The fields that reach a document are checked
/// where they are read, with their own location; this is the net under them, so a
/// new field cannot let IAM refuse the policy at deploy.
pub(super) fn check_policy_characters(
    ctx: &Ctx,
    policies: &[CustomPolicy],
) -> Result<(), RuleError> {
    for policy in policies {
        for s in &policy.statements {
            let strings = std::iter::once(s.sid.as_str())
                .chain(s.actions.iter().map(String::as_str))
                .chain(s.resources.iter().flat_map(|r| r.literal_parts()));
            for text in strings {
                // Printable ASCII (every ARN and action of a fleet) is within the range.
                if crate::text::is_printable_ascii(text) {
                    continue;
                }
                if let Some(c) = text.chars().find(|c| !limits::policy_document_char(*c)) {
                    return Err(ctx.err(
                        "",
                        format!(
                            "statement {} of policy {} would hold {} in `{text}`; IAM accepts only tab, LF, CR and U+0020 to U+00FF in a policy document",
                            s.sid,
                            policy.name,
                            char_name(c)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Tags by IAM's rules (docs/sources.md 7): at most 50; keys of 1 to 128 and values of
/// at most 256 characters (`rules::TAG_KEY`, `rules::TAG_VALUE`); no `aws:` prefix; and no two keys
/// that differ only in case, since IAM's tag keys on a role are not case sensitive
/// (IAM User Guide, tagging, "Case sensitivity"); in Unicode NFC (`nfc`). Each key
/// and value is checked apart and every error reported; the valid tags come back.
pub(super) fn check_tags(ctx: &Ctx, tags: &BTreeMap<String, String>) -> Vec<Tag> {
    if tags.len() > limits::TAGS_MAX {
        ctx.report(ctx.err(
            "tags",
            format!(
                "{} tags given; IAM allows at most {}",
                tags.len(),
                limits::TAGS_MAX
            ),
        ));
    }
    let mut out = Vec::new();
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for (key, value) in tags {
        let field = format!("tags.{key}");
        let key_ok = ctx.recover(
            nfc::check_tag_nfc(ctx, key, None)
                .and_then(|()| check_tag_key(ctx, &field, key, &mut folded))
                .map(|()| true),
            false,
        );
        let value_ok = ctx.recover(
            nfc::check_tag_nfc(ctx, key, Some(value))
                .and_then(|()| check_tag_value(ctx, &field, key, value))
                .map(|()| true),
            false,
        );
        if key_ok && value_ok {
            out.push(Tag {
                key: key.clone(),
                value: value.clone(),
            });
        }
    }
    out
}

/// A tag key's rules, shown at the key: `folded` holds the keys before it, lowercased.
fn check_tag_key<'a>(
    ctx: &Ctx,
    field: &str,
    key: &'a str,
    folded: &mut BTreeMap<String, &'a str>,
) -> Result<(), RuleError> {
    let violation = rules::TAG_KEY.violation(key);
    let fail = |message: String| Err(ctx.err(field, message).about_key());
    if let Some(Violation::Length(klen)) = violation {
        let (min, max) = (rules::TAG_KEY.min(), rules::TAG_KEY.max());
        return fail(format!(
            "tag key `{key}` is {klen} characters; IAM allows {min} to {max}"
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return fail(format!(
            "tag key `{key}` begins with `aws:`, which AWS reserves"
        ));
    }
    if let Some(Violation::Char(c)) = violation {
        return fail(format!(
            "tag key `{key}` contains {}; {}",
            char_name(c),
            rules::TAG_KEY.words
        ));
    }
    if let Some(first) = folded.insert(key.to_lowercase(), key) {
        return fail(format!(
            "tag keys `{first}` and `{key}` differ only in case; IAM tag keys on a role are not case sensitive, so they would be one key"
        ));
    }
    Ok(())
}

/// A tag value's rules, shown at the value.
fn check_tag_value(ctx: &Ctx, field: &str, key: &str, value: &str) -> Result<(), RuleError> {
    match rules::TAG_VALUE.violation(value) {
        None => Ok(()),
        Some(Violation::Length(vlen)) => Err(ctx.err(
            field,
            format!(
                "the value of tag `{key}` is {vlen} characters; IAM allows {}",
                rules::TAG_VALUE.max()
            ),
        )),
        Some(Violation::Char(c)) => Err(ctx.err(
            field,
            format!(
                "the value of tag `{key}` contains {}; {}",
                char_name(c),
                rules::TAG_VALUE.words
            ),
        )),
    }
}

/// A character as an error message names it: `U+093F `ि` (general category Mc)`;
/// control characters are not shown as themselves.
pub(super) fn char_name(c: char) -> String {
    let category = unicode_general_category::get_general_category(c).abbreviation();
    if c.is_control() {
        format!("U+{:04X} (a control character)", c as u32)
    } else {
        format!("U+{:04X} `{c}` (general category {category})", c as u32)
    }
}

pub(super) fn check_region(
    ctx: &Ctx,
    field: &str,
    region: &str,
    partition: Partition,
) -> Result<(), RuleError> {
    if region.contains('*') || region.contains('?') {
        return Err(ctx.err(
            field,
            format!("`{region}` is a wildcard; AWS's setup guide asks for exact region codes, since a wildcard grants buckets you do not intend to"),
        ));
    }
    if !partition.regions.contains(&region) {
        let hint = match crate::diag::suggest(region, partition.regions) {
            Some(close) => format!("did you mean `{close}`? Its regions are"),
            None => "its regions are".to_string(),
        };
        return Err(ctx.err(
            field,
            format!(
                "`{region}` is not a region of partition {}; {hint}: {}",
                partition.arn_id,
                partition.regions.join(", ")
            ),
        ));
    }
    Ok(())
}

pub(super) fn check_bucket_name(ctx: &Ctx, field: &str, name: &str) -> Result<(), RuleError> {
    match rules::BUCKET_NAME.violation(name) {
        Some(why) => Err(ctx.err(
            field,
            format!("`{name}` is not a valid S3 bucket name: {why}"),
        )),
        None => Ok(()),
    }
}

/// `BUCKET/*` or `BUCKET/PREFIX/*`. The prefix may not hold IAM wildcards or policy
/// variables, which would widen the grant.
pub(super) fn object_pattern(
    ctx: &Ctx,
    field: &str,
    bucket: &str,
    prefix: Option<&str>,
) -> Result<String, RuleError> {
    let Some(prefix) = prefix else {
        return Ok(format!("{bucket}/*"));
    };
    let trimmed = prefix.trim_matches('/');
    let pfield = format!("{field}.prefix");
    if trimmed.is_empty() {
        return Err(ctx.err(
            &pfield,
            "the prefix is empty; leave it out to grant the whole bucket",
        ));
    }
    if trimmed.contains('*') || trimmed.contains('?') || trimmed.contains("${") {
        return Err(ctx.err(&pfield, format!("prefix `{prefix}` contains `*`, `?` or `${{`, which IAM reads as a wildcard or a policy variable")));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(ctx.err(
            &pfield,
            format!("prefix `{prefix}` contains the control character {c:?}"),
        ));
    }
    if let Some(c) = trimmed.chars().find(|c| !limits::policy_document_char(*c)) {
        return Err(ctx.err(&pfield, format!("prefix `{prefix}` contains {}; IAM accepts only tab, LF, CR and U+0020 to U+00FF in a policy document, and refuses anything else at deploy (MalformedPolicyDocument)", char_name(c))));
    }
    if trimmed.len() > limits::S3_KEY_PREFIX_MAX_BYTES {
        return Err(ctx.err(
            &pfield,
            format!(
                "the prefix is {} bytes; at most {} are allowed, so that S3's {}-byte object keys keep {} bytes for the names of the objects under it",
                trimmed.len(),
                limits::S3_KEY_PREFIX_MAX_BYTES,
                limits::S3_OBJECT_KEY_MAX_BYTES,
                limits::S3_OBJECT_NAME_ROOM_BYTES,
            ),
        ));
    }
    Ok(format!("{bucket}/{trimmed}/*"))
}

/// `arn:PARTITION:iam::(aws|ACCOUNT):policy/[PATH/]NAME`.
pub(super) fn check_policy_arn(
    ctx: &Ctx,
    field: &str,
    arn: &str,
    partition: Partition,
) -> Result<String, RuleError> {
    let expected = format!("arn:{}:iam::", partition.arn_id);
    let fail = |why: String| {
        Err(ctx.err(
            field,
            format!(
                "`{arn}` is not a managed policy ARN of partition {}: {why}",
                partition.arn_id
            ),
        ))
    };
    let Some(rest) = arn.strip_prefix(&expected) else {
        return fail(format!("it must begin with `{expected}`"));
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return fail("it has no `:policy/NAME` part".into());
    };
    if account != "aws" && !is_account_id(account) {
        return fail(format!(
            "`{account}` is neither `aws` nor a 12-digit account ID"
        ));
    }
    let Some(path_and_name) = resource.strip_prefix("policy/") else {
        return fail("the resource must be `policy/NAME`".into());
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    if rules::POLICY_NAME.violation(name).is_some() {
        return fail(format!("`{name}` is not a valid policy name"));
    }
    let path = &path_and_name[..path_and_name.len() - name.len()];
    let iam_path = format!("/{path}");
    if !rules::PATH.allows(&iam_path) {
        return fail(format!(
            "its path `{iam_path}` is not one IAM creates policies under: segments of {} each between slashes, at most {} characters",
            rules::PATH.words,
            rules::PATH.max
        ));
    }
    Ok(arn.to_string())
}

/// A KMS key ARN of the profile's partition (`rules::KMS_KEY_ARN`).
pub(super) fn check_kms_key_arn(
    ctx: &Ctx,
    field: &str,
    arn: &str,
    partition: Partition,
) -> Result<(), RuleError> {
    match rules::KMS_KEY_ARN.violation(arn, partition.arn_id, partition.regions) {
        Some(why) => Err(ctx.err(field, format!("`{arn}` is not a KMS key ARN: {why}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;

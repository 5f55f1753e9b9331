//! AWS CDK v2: one construct holding every profile of the spec, in TypeScript or
//! Python, optionally wrapped in a runnable app. Rendered from the minijinja templates
//! under `templates/cdk/`; every spec string reaches the code through `ts_string` or
//! `py_string`, every identifier derives from `Profile.id` / `CustomPolicy.id`.
//!
//! Choices that keep the synthesized template equal in IAM meaning to the
//! CloudFormation target:
//! - Principals use `ServicePrincipal.fromStaticServicePrincipleName`: the plain
//!   `ServicePrincipal` of aws-cdk-lib 2.276.0 rewrites `ec2.amazonaws.com.cn` to
//!   `ec2.amazonaws.com`, which is not the aws-cn principal the model chose.
//! - AWS managed policies come from `fromAwsManagedPolicyName` (the stack's
//!   partition); every other ARN is the model's literal ARN for the spec's partition,
//!   so the construct refuses a stack whose partition is known and differs.
//! - The trust statement's Sid is set through the L1 override: `iam.Role` builds the
//!   statement itself and offers no Sid.

pub mod layout;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Model, Part, Profile, RoleRef, Text};
use crate::text::is_unsafe_in_code;

pub const TYPESCRIPT_TEMPLATE: &str = "cdk/construct.ts.j2";
pub const PYTHON_TEMPLATE: &str = "cdk/construct.py.j2";

/// The class every output defines; the app instantiates it in a stack of this name.
const CLASS_NAME: &str = "SsmProfiles";
const STACK_ID: &str = "SsmProfileStack";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    TypeScript,
    Python,
}

impl Language {
    fn template(self) -> &'static str {
        match self {
            Language::TypeScript => TYPESCRIPT_TEMPLATE,
            Language::Python => PYTHON_TEMPLATE,
        }
    }

    /// A public member name for a construct id (`SsmBoundedRole`): lowerCamelCase in
    /// TypeScript, snake_case in Python.
    fn member(self, construct_id: &str) -> String {
        let words = words(construct_id);
        match self {
            Language::TypeScript => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let lower = w.to_ascii_lowercase();
                    if i == 0 {
                        lower
                    } else {
                        let mut cs = lower.chars();
                        let first = cs.next().expect("words are non-empty").to_ascii_uppercase();
                        std::iter::once(first).chain(cs).collect()
                    }
                })
                .collect(),
            Language::Python => words
                .iter()
                .map(|w| w.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join("_"),
        }
    }
}

/// Splits an alphanumeric identifier into words: `SSMInstanceProfileS3Policy2` ->
/// `SSM`, `Instance`, `Profile`, `S3`, `Policy2`. Digits stay with the word before.
fn words(id: &str) -> Vec<String> {
    let chars: Vec<char> = id.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let starts_word = c.is_ascii_uppercase()
            && match prev {
                None => true,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                // The last capital of an acronym starts the next word: `SSMInstance`.
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
        match out.last_mut() {
            Some(word) if !starts_word => word.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// Hands out member names, never the same one twice: ids are unique, but two ids that
/// differ only in letter case (`SSMX`, `SsmX`) would give the same member.
struct Members {
    language: Language,
    taken: BTreeSet<String>,
}

impl Members {
    fn name(&mut self, construct_id: &str) -> String {
        let base = self.language.member(construct_id);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// Everything a CDK template needs, for one output file.
#[derive(Debug, Serialize)]
struct ModuleContext {
    /// Also define an App and a Stack and synthesize.
    app: bool,
    class_name: &'static str,
    stack_id: &'static str,
    stack_description: &'static str,
    /// The one partition whose literal ARNs the model holds; `None` when profiles
    /// differ, and no single stack can deploy them all.
    partition: Option<&'static str>,
    partition_note: String,
    partition_error: String,
    uses_duration: bool,
    uses_tags: bool,
    creates_roles: bool,
    profiles: Vec<ProfileContext>,
}

#[derive(Debug, Serialize)]
struct ProfileContext {
    name: String,
    role: RoleContext,
    policies: Vec<PolicyContext>,
    instance_profile: Option<InstanceProfileContext>,
}

#[derive(Debug, Serialize)]
struct RoleContext {
    member: String,
    construct_id: String,
    /// The construct creates the role; otherwise it imports `name` by name.
    created: bool,
    name: String,
    path: Option<String>,
    description: Option<String>,
    principal: String,
    trust_sid: &'static str,
    conditions: Vec<ConditionContext>,
    managed_policies: Vec<ManagedPolicyContext>,
    permissions_boundary: Option<ArnContext>,
    max_session_duration: Option<u32>,
    tags: Vec<(String, String)>,
    /// For the app's stack outputs, as the CloudFormation target names them.
    output_id: String,
    output_description: String,
}

#[derive(Debug, Serialize)]
struct ConditionContext {
    operator: &'static str,
    key: &'static str,
    value: Vec<TextPart>,
    /// The value joins literal text with `stack.account` / `stack.region`; Python
    /// names it in `py_variable` (`source_arn` for `aws:SourceArn`) first, as the
    /// concatenation would not fit in the condition dict.
    concatenation: bool,
    py_variable: String,
}

/// A piece of a deploy-time string: `literal` text, or the stack's `account` or
/// `region` (the template spells these as `stack.account` / `stack.region`).
#[derive(Debug, Serialize)]
struct TextPart {
    kind: &'static str,
    text: String,
}

#[derive(Debug, Serialize)]
struct ManagedPolicyContext {
    /// Set for AWS managed policies (`arn:P:iam::aws:policy/NAME`): `NAME`, which
    /// `fromAwsManagedPolicyName` puts in the stack's partition.
    aws_name: Option<String>,
    /// The construct id an imported customer managed policy needs.
    construct_id: String,
    arn: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct ArnContext {
    construct_id: String,
    arn: String,
}

#[derive(Debug, Serialize)]
struct PolicyContext {
    member: String,
    construct_id: String,
    name: String,
    path: Option<String>,
    statements: Vec<StatementContext>,
}

#[derive(Debug, Serialize)]
struct StatementContext {
    sid: String,
    actions: Vec<String>,
    resources: Vec<String>,
    purpose: String,
}

#[derive(Debug, Serialize)]
struct InstanceProfileContext {
    member: String,
    construct_id: String,
    name: String,
    path: Option<String>,
    name_output_id: String,
    name_output_description: String,
    arn_output_id: String,
    arn_output_description: String,
}

/// Renders the construct module (or, with `app`, the runnable app) in `language`.
pub fn render(model: &Model, language: Language, app: bool) -> Result<String, String> {
    for p in &model.profiles {
        refuse_unsupported(p)?;
    }
    let context = module_context(model, language, app);
    let env = crate::templates::environment();
    let template = env
        .get_template(language.template())
        .expect("CDK templates are embedded");
    let text = template
        .render(minijinja::value::Serde(&context))
        .map_err(|e| format!("internal error rendering {}: {e:#}", language.template()))?;
    Ok(text)
}

/// The CDK synthesizes CloudFormation, so it inherits CloudFormation's limit: an AWS
/// managed policy attaches only through a role the stack owns.
fn refuse_unsupported(p: &Profile) -> Result<(), String> {
    if let RoleRef::Existing { name } = &p.role
        && !p.managed_policies.is_empty()
    {
        let arns: Vec<&str> = p.managed_policies.iter().map(|m| m.arn.as_str()).collect();
        return Err(format!(
            "profile `{}`: the CDK synthesizes CloudFormation, which cannot attach managed policies ({}) to the existing role `{name}`, which the stack does not own; use `--target terraform`, which can, or set `core: false` and attach them outside this stack",
            p.name,
            arns.join(", ")
        ));
    }
    Ok(())
}

fn module_context(model: &Model, language: Language, app: bool) -> ModuleContext {
    let mut members = Members {
        language,
        taken: BTreeSet::new(),
    };
    let profiles: Vec<ProfileContext> = model
        .profiles
        .iter()
        .map(|p| profile_context(p, &mut members))
        .collect();
    let partitions: BTreeSet<&'static str> =
        model.profiles.iter().map(|p| p.arn_partition).collect();
    let partition = match partitions.len() {
        1 => partitions.first().copied(),
        _ => None,
    };
    let listed: Vec<&str> = partitions.iter().copied().collect();
    ModuleContext {
        app,
        class_name: CLASS_NAME,
        stack_id: STACK_ID,
        stack_description: super::cloudformation::TEMPLATE_DESCRIPTION,
        partition,
        partition_note: format!(
            "partition {}: policies hold its literal ARNs; AWS managed policies follow the stack's partition",
            listed.join(", ")
        ),
        partition_error: format!(
            "{CLASS_NAME} was generated for partition {}, but this stack is in a region of partition ",
            listed.join(", ")
        ),
        uses_duration: profiles
            .iter()
            .any(|p| p.role.max_session_duration.is_some()),
        uses_tags: profiles.iter().any(|p| !p.role.tags.is_empty()),
        creates_roles: profiles.iter().any(|p| p.role.created),
        profiles,
    }
}

fn profile_context(p: &Profile, members: &mut Members) -> ProfileContext {
    let role_id = format!("{}Role", p.id);
    let aws_prefix = format!("arn:{}:iam::aws:policy/", p.arn_partition);
    let role = match &p.role {
        RoleRef::Create(r) => RoleContext {
            member: members.name(&role_id),
            construct_id: role_id.clone(),
            created: true,
            name: r.name.clone(),
            path: r.path.clone(),
            description: r.description.clone(),
            principal: r.trust.service.clone(),
            trust_sid: r.trust.sid,
            conditions: r
                .trust
                .conditions
                .iter()
                .map(|c| ConditionContext {
                    operator: c.operator,
                    key: c.key,
                    value: text_parts(&c.value),
                    concatenation: c.value.0.len() > 1,
                    py_variable: Language::Python.member(c.key.rsplit(':').next().unwrap_or(c.key)),
                })
                .collect(),
            managed_policies: p
                .managed_policies
                .iter()
                .enumerate()
                .map(|(i, m)| ManagedPolicyContext {
                    aws_name: m.arn.strip_prefix(&aws_prefix).map(str::to_string),
                    construct_id: format!("{}ManagedPolicyArn{}", p.id, i + 1),
                    arn: m.arn.clone(),
                    reason: m.reason.clone(),
                })
                .collect(),
            permissions_boundary: r.permissions_boundary.as_ref().map(|arn| ArnContext {
                construct_id: format!("{}PermissionsBoundary", p.id),
                arn: arn.clone(),
            }),
            max_session_duration: r.max_session_duration,
            tags: p
                .tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect(),
            output_id: format!("{}RoleArn", p.id),
            output_description: format!("ARN of the role {}", r.name),
        },
        RoleRef::Existing { name } => RoleContext {
            member: members.name(&role_id),
            construct_id: role_id.clone(),
            created: false,
            name: name.clone(),
            path: None,
            description: None,
            principal: String::new(),
            trust_sid: "",
            conditions: Vec::new(),
            managed_policies: Vec::new(),
            permissions_boundary: None,
            max_session_duration: None,
            tags: Vec::new(),
            output_id: String::new(),
            output_description: String::new(),
        },
    };
    let policies = p
        .custom_policies
        .iter()
        .map(|c| PolicyContext {
            member: members.name(&c.id),
            construct_id: c.id.clone(),
            name: c.name.clone(),
            path: c.path.clone(),
            statements: c
                .statements
                .iter()
                .map(|s| StatementContext {
                    sid: s.sid.clone(),
                    actions: s.actions.clone(),
                    resources: s.resources.clone(),
                    purpose: s.purpose.clone(),
                })
                .collect(),
        })
        .collect();
    let instance_profile = p.instance_profile.as_ref().map(|ip| {
        let construct_id = format!("{}InstanceProfile", p.id);
        InstanceProfileContext {
            member: members.name(&construct_id),
            name: ip.name.clone(),
            path: ip.path.clone(),
            name_output_id: format!("{construct_id}Name"),
            name_output_description: format!(
                "Name of the instance profile {}, for launching EC2 instances",
                ip.name
            ),
            arn_output_id: format!("{construct_id}Arn"),
            arn_output_description: format!("ARN of the instance profile {}", ip.name),
            construct_id,
        }
    });
    ProfileContext {
        name: p.name.clone(),
        role,
        policies,
        instance_profile,
    }
}

fn text_parts(t: &Text) -> Vec<TextPart> {
    t.0.iter()
        .map(|part| match part {
            Part::Literal(s) => TextPart {
                kind: "literal",
                text: s.clone(),
            },
            Part::AccountId => TextPart {
                kind: "account",
                text: String::new(),
            },
            Part::Region => TextPart {
                kind: "region",
                text: String::new(),
            },
        })
        .collect()
}

/// A TypeScript (JavaScript) string literal whose value is `s`, quoted the way
/// prettier (`--single-quote`) keeps it: single quotes, unless the value holds more
/// single than double quotes. Non-ASCII text stays readable; everything that could
/// end the literal or the line, or hide in an editor, is escaped.
pub fn ts_string(s: &str) -> String {
    if count(s, '\'') > count(s, '"') {
        quoted(s, '"')
    } else {
        quoted(s, '\'')
    }
}

/// A Python string literal whose value is `s`, with the same escapes as `ts_string`,
/// quoted the way ruff format keeps it: double quotes, unless the value holds more
/// double than single quotes.
pub fn py_string(s: &str) -> String {
    if count(s, '"') > count(s, '\'') {
        quoted(s, '\'')
    } else {
        quoted(s, '"')
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

fn count(s: &str, c: char) -> usize {
    s.chars().filter(|&x| x == c).count()
}

/// A string literal in `quote`, with the escapes TypeScript and Python share.
fn quoted(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
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
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
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

    #[test]
    fn members_follow_each_language_convention() {
        let cases = [
            (
                "SSMInstanceProfileRole",
                "ssmInstanceProfileRole",
                "ssm_instance_profile_role",
            ),
            (
                "SsmBoundedS3Policy2",
                "ssmBoundedS3Policy2",
                "ssm_bounded_s3_policy2",
            ),
            (
                "P1stInstanceProfile",
                "p1stInstanceProfile",
                "p1st_instance_profile",
            ),
            ("WebTierProdRole", "webTierProdRole", "web_tier_prod_role"),
            ("AB", "ab", "ab"),
        ];
        for (id, ts, py) in cases {
            assert_eq!(Language::TypeScript.member(id), ts, "{id}");
            assert_eq!(Language::Python.member(id), py, "{id}");
        }
    }

    /// A tag value may hold U+2028 (Unicode white space, not a control character):
    /// it must reach the code escaped, in every output, through the filters.
    #[test]
    fn spec_strings_reach_the_code_only_escaped() {
        let spec = "version: 1\nprofiles:\n  - name: p\n    description: \"it's \\\" \\\\ done\"\n    tags:\n      k: \"a\u{2028}b\"\n";
        let model =
            crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec");
        for (language, desc) in [
            (Language::TypeScript, r#"description: 'it\'s " \\ done',"#),
            (Language::Python, r#"description="it's \" \\ done","#),
        ] {
            for app in [false, true] {
                let code = render(&model, language, app).expect("renders");
                assert!(code.contains(desc), "{language:?} app={app}:\n{code}");
                assert!(
                    code.contains(r"a\u2028b"),
                    "{language:?} app={app}:\n{code}"
                );
                assert!(!code.chars().any(|c| c == '\u{2028}' || c == '\r'));
            }
        }
    }

    #[test]
    fn ids_differing_only_in_case_get_distinct_members() {
        let mut members = Members {
            language: Language::Python,
            taken: BTreeSet::new(),
        };
        assert_eq!(members.name("SSMXRole"), "ssmx_role");
        assert_eq!(members.name("SsmxRole"), "ssmx_role2");
    }
}

//! A profile's role in the CDK: created (`iam.Role` with its trust, conditions,
//! managed policies, boundary, trust statement's Sid and tags) or imported by name.
//! The model says what each is (conditions grouped by operator, which managed
//! policy is AWS's own); this file only spells it in one language.

use serde::Serialize;

use super::super::Language;
use super::super::code::Spell;
use super::super::layout::ObjectCall;
use super::super::literal::comment;
use super::path;
use crate::backend::templating::Code;
use crate::model::{ManagedPolicy, Profile, Role, RoleRef, TrustStatement};

#[derive(Debug, Default, Serialize)]
pub(super) struct RoleContext {
    pub(super) member: String,
    /// The construct creates the role; otherwise it imports it by name (`import`).
    pub(super) created: bool,
    /// TypeScript: `this.member = new iam.Role(this, id, {`.
    call: Option<ObjectCall>,
    /// Literal.
    construct_id: String,
    /// TypeScript: property lines; Python: literals.
    name: String,
    path: Option<String>,
    description: Option<String>,
    /// Literal.
    principal: String,
    conditions: Vec<ConditionContext>,
    managed_policies: Vec<ManagedPolicyContext>,
    /// Line(s).
    permissions_boundary: Option<String>,
    pub(super) max_session_duration: Option<u32>,
    /// The lines that name the trust statement (`iam.Role` writes it without a Sid).
    trust_sid: String,
    /// One `Tags.of(role).add(key, value)` line(s) a tag.
    pub(super) tags: Vec<String>,
    /// An existing role: the line(s) that import it.
    import: String,
    /// The lines of its scanner suppressions (`suppressions::lines`), or "".
    pub(super) suppression: Code,
}

#[derive(Debug, Serialize)]
struct ConditionContext {
    /// Python: `source_arn = ...` (for `aws:SourceArn`) for each value that joins
    /// literal text with `stack.account` / `stack.region`, as the concatenation would
    /// not fit in the condition dict.
    assignments: Vec<String>,
    /// `operator: { key: value, ... }` line(s): one operator, all its keys.
    line: String,
}

#[derive(Debug, Serialize)]
struct ManagedPolicyContext {
    /// Comment.
    reason: String,
    /// `fromAwsManagedPolicyName(NAME)` for an AWS managed policy (the stack's
    /// partition), else `fromManagedPolicyArn(this, id, arn)`: line(s).
    line: String,
}

/// The role of `p`, its construct `role_id` held by `member`, without its
/// suppressions (the caller's, which reads the model's scanner findings).
pub(super) fn role(p: &Profile, spell: Spell, role_id: &str, member: String) -> RoleContext {
    let role = match &p.role {
        RoleRef::Create(r) => created(p, r, spell, role_id, &member),
        RoleRef::Existing { name } => {
            let (head, scope) = match spell.0 {
                Language::TypeScript => (format!("this.{member} = iam.Role.fromRoleName"), "this"),
                Language::Python => (format!("self.{member} = iam.Role.from_role_name"), "self"),
            };
            let args = [scope.into(), spell.string(role_id), spell.string(name)];
            RoleContext {
                import: spell.call((4, ";"), (8, ""), &head, &args),
                ..RoleContext::default()
            }
        }
    };
    RoleContext { member, ..role }
}

fn created(p: &Profile, r: &Role, spell: Spell, role_id: &str, member: &str) -> RoleContext {
    let this = format!("this.{member}");
    let call = spell.object_call(4, &format!("{this} = new iam.Role"), ["this", role_id]);
    let c = call.as_ref();
    RoleContext {
        created: true,
        construct_id: spell.string(role_id),
        name: spell.property(c, "roleName", &r.name),
        path: path(spell, c, &r.path),
        description: r
            .description
            .as_ref()
            .map(|d| spell.property(c, "description", d)),
        principal: spell.string(&r.trust.service),
        conditions: conditions(&r.trust, spell, c),
        managed_policies: p
            .managed_policies
            .iter()
            .enumerate()
            .map(|(i, m)| managed_policy(p, i, m, spell, c))
            .collect(),
        permissions_boundary: r.permissions_boundary.as_ref().map(|arn| {
            let id = spell.string(&format!("{}PermissionsBoundary", p.id));
            let (head, scope) = if spell.ts() {
                (
                    "permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn",
                    "this",
                )
            } else {
                (
                    "permissions_boundary=iam.ManagedPolicy.from_managed_policy_arn",
                    "self",
                )
            };
            let ts = (c.map_or(0, |c| c.indent), ",");
            spell.call(ts, (12, ","), head, &[scope.into(), id, spell.string(arn)])
        }),
        max_session_duration: r.max_session_duration,
        trust_sid: trust_sid(r.trust.sid, spell, member),
        tags: p
            .tags
            .iter()
            .map(|t| {
                let head = match spell.0 {
                    Language::TypeScript => format!("Tags.of(this.{member}).add"),
                    Language::Python => format!("Tags.of(self.{member}).add"),
                };
                let args = [spell.string(&t.key), spell.string(&t.value)];
                spell.call((4, ";"), (8, ""), &head, &args)
            })
            .collect(),
        call,
        ..RoleContext::default()
    }
}

/// One `operator: { key: value, ... }` a group of the model's (`TrustStatement::new`
/// grouped them, so no operator is written twice).
fn conditions(
    trust: &TrustStatement,
    spell: Spell,
    c: Option<&ObjectCall>,
) -> Vec<ConditionContext> {
    trust
        .conditions
        .iter()
        .map(|group| {
            let mut assignments = Vec::new();
            let entries: Vec<(&str, String)> = group
                .entries
                .iter()
                .map(|e| {
                    let value = spell.text(&e.value);
                    if spell.ts() || e.value.0.len() <= 1 {
                        return (e.key, value);
                    }
                    let variable =
                        Language::Python.member(e.key.rsplit(':').next().unwrap_or(e.key));
                    assignments.push(format!("{variable} = {value}"));
                    (e.key, variable)
                })
                .collect();
            ConditionContext {
                line: spell.condition(c, group.operator, &entries),
                assignments,
            }
        })
        .collect()
}

/// An AWS managed policy by its name (the CDK finds it in the stack's partition),
/// any other by its ARN.
fn managed_policy(
    p: &Profile,
    i: usize,
    m: &ManagedPolicy,
    spell: Spell,
    c: Option<&ObjectCall>,
) -> ManagedPolicyContext {
    let indent = (c.map_or(0, |c| c.indent + 2), ",");
    let line = match p.aws_managed_name(m) {
        Some(name) => spell.call(
            indent,
            (16, ","),
            if spell.ts() {
                "iam.ManagedPolicy.fromAwsManagedPolicyName"
            } else {
                "iam.ManagedPolicy.from_aws_managed_policy_name"
            },
            &[spell.string(name)],
        ),
        None => {
            let id = format!("{}ManagedPolicyArn{}", p.id, i + 1);
            let (head, scope) = if spell.ts() {
                ("iam.ManagedPolicy.fromManagedPolicyArn", "this")
            } else {
                ("iam.ManagedPolicy.from_managed_policy_arn", "self")
            };
            let args = [scope.into(), spell.string(&id), spell.string(&m.arn)];
            spell.call(indent, (16, ","), head, &args)
        }
    };
    ManagedPolicyContext {
        reason: comment(&m.reason),
        line,
    }
}

/// The override that gives the trust statement its Sid.
fn trust_sid(sid: &str, spell: Spell, member: &str) -> String {
    match spell.0 {
        Language::TypeScript => spell.call(
            (4, ";"),
            (0, ""),
            &format!("(this.{member}.node.defaultChild as iam.CfnRole).addPropertyOverride"),
            &[
                "'AssumeRolePolicyDocument.Statement.0.Sid'".into(),
                spell.string(sid),
            ],
        ),
        Language::Python => [
            spell.call(
                (0, ""),
                (8, ""),
                "cfn_role = cast",
                &[
                    "iam.CfnRole".into(),
                    format!("self.{member}.node.default_child"),
                ],
            ),
            spell.call(
                (0, ""),
                (8, ""),
                "cfn_role.add_property_override",
                &[
                    "\"AssumeRolePolicyDocument.Statement.0.Sid\"".into(),
                    spell.string(sid),
                ],
            ),
        ]
        .join("\n"),
    }
}

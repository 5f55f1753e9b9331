//! `explain`: what a spec grants, in plain language, profile by profile. Every
//! sentence comes from the model (reasons and purposes are written there, beside the
//! rule that adds the grant), so the account cannot disagree with the generated code.

use std::fmt::Write;

use crate::model::{Condition, Kind, Model, Part, Profile, RoleRef, Text};
use crate::refdata::{Citation, limits};

/// The account of every profile in `model`; `spec_name` is the file as given.
pub fn explain(model: &Model, spec_name: &str) -> String {
    let mut out = String::new();
    let n = model.profiles.len();
    let _ = writeln!(
        out,
        "{spec_name}: {n} profile{}",
        if n == 1 { "" } else { "s" }
    );
    for p in &model.profiles {
        out.push('\n');
        profile(&mut out, p);
    }
    out
}

fn profile(out: &mut String, p: &Profile) {
    let kind = match p.kind {
        Kind::InstanceProfile => "an EC2 instance profile",
        Kind::HybridServiceRole => "a service role for hybrid (on-premises) managed nodes",
    };
    let _ = writeln!(
        out,
        "Profile {}: {kind}, partition {}",
        p.name, p.arn_partition
    );

    let _ = writeln!(out, "\n  Who may assume the role");
    match &p.role {
        RoleRef::Create(role) => {
            let path = role
                .path
                .as_deref()
                .map(|p| format!(" at path {p}"))
                .unwrap_or_default();
            let _ = writeln!(out, "    This spec creates the role {}{path}.", role.name);
            let who = match p.kind {
                Kind::InstanceProfile => format!(
                    "The EC2 service ({}) may assume it, for instances launched with the instance profile below.",
                    role.trust.service
                ),
                Kind::HybridServiceRole => format!(
                    "Systems Manager ({}) may assume it, for servers and VMs registered through a hybrid activation.",
                    role.trust.service
                ),
            };
            let _ = writeln!(out, "    {who}");
            for c in &role.trust.conditions {
                let _ = writeln!(out, "    Only when {}.", condition(c));
            }
            if !role.trust.conditions.is_empty() {
                let _ = writeln!(
                    out,
                    "    These conditions keep other accounts from having Systems Manager act through this role (the confused-deputy problem)."
                );
            }
            if let Some(d) = &role.description {
                let _ = writeln!(out, "    Description: {d}");
            }
            if let Some(b) = &role.permissions_boundary {
                let _ = writeln!(
                    out,
                    "    Permissions boundary: {b}; the role can never do more than it allows, whatever its policies grant."
                );
            }
            if let Some(s) = role.max_session_duration {
                let _ = writeln!(
                    out,
                    "    Sessions last at most {s} seconds ({}).",
                    duration(s)
                );
            }
        }
        RoleRef::Existing { name } => {
            let _ = writeln!(
                out,
                "    The role {name} exists already; this spec neither creates it nor changes who may assume it."
            );
            if p.kind == Kind::InstanceProfile {
                let _ = writeln!(
                    out,
                    "    For the instance profile to work, its trust policy must allow the EC2 service to assume it."
                );
            }
        }
    }
    if !p.tags.is_empty() {
        let tags: Vec<String> = p
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        let _ = writeln!(out, "    Tags: {}", tags.join(", "));
    }

    let attached = p.managed_policies.len() + p.custom_policies.len();
    let quota = p.managed_policy_quota;
    let raised = quota != limits::MANAGED_POLICIES_PER_ROLE;
    let _ = writeln!(
        out,
        "\n  Managed policies: {attached} of the {quota} a role may hold {} ({} by ARN, {} written by ssm-profile)",
        if raised {
            "in this account, as managed_policy_quota says"
        } else {
            "by default"
        },
        p.managed_policies.len(),
        p.custom_policies.len()
    );
    for m in &p.managed_policies {
        let _ = writeln!(out, "    {}", m.arn);
        let _ = writeln!(out, "      why: {}", m.reason);
    }
    for c in &p.custom_policies {
        let _ = writeln!(out, "    {} (written by ssm-profile, below)", c.name);
    }

    // The dated AWS pages that say what granted buckets are for, numbered as first used.
    let mut sources: Vec<&Citation> = Vec::new();
    for c in &p.custom_policies {
        let path = c
            .path
            .as_deref()
            .map(|p| format!(" at path {p}"))
            .unwrap_or_default();
        let _ = writeln!(out, "\n  Policy {}{path}", c.name);
        for s in &c.statements {
            let _ = writeln!(out, "    {}: {}", s.sid, s.purpose);
            let _ = writeln!(out, "      allows {}", s.actions.join(", "));
            for (i, r) in s.resources.iter().enumerate() {
                let _ = writeln!(out, "      {} {r}", if i == 0 { "on" } else { "  " });
                if let Some(note) = p.resource_notes.iter().find(|n| &n.resource == r) {
                    let n = match sources.iter().position(|c| *c == note.source) {
                        Some(i) => i + 1,
                        None => {
                            sources.push(note.source);
                            sources.len()
                        }
                    };
                    let _ = writeln!(out, "           {} [{n}]", note.purpose);
                }
            }
        }
    }
    if !sources.is_empty() {
        let _ = writeln!(out, "\n  Sources");
        for (i, c) in sources.iter().enumerate() {
            let _ = writeln!(out, "    [{}] {}, {} ({})", i + 1, c.doc, date(c), c.facts);
        }
    }

    let _ = writeln!(out, "\n  Instance profile");
    match &p.instance_profile {
        Some(ip) => {
            let path = ip
                .path
                .as_deref()
                .map(|p| format!(" at path {p}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {}{path} holds the role {}; launch EC2 instances with it.",
                ip.name,
                p.role.name()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "    None: a hybrid service role is named when you create a hybrid activation."
            );
        }
    }

    let mut warnings = p.warnings.clone();
    let max = *limits::MANAGED_POLICY_QUOTA.end();
    if let RoleRef::Existing { name } = &p.role {
        warnings.push(format!(
            "the policies that {name} holds already count towards the same limit of {quota} managed policies per role"
        ));
    } else if attached + 1 >= quota {
        warnings.push(if quota >= max {
            format!("{attached} of {quota} managed policies per role are used; IAM allows no more")
        } else {
            format!(
                "{attached} of {quota} managed policies per role are used; more need a quota increase (IAM allows {max} at most; then set `managed_policy_quota`)"
            )
        });
    }
    let _ = writeln!(out, "\n  Warnings");
    if warnings.is_empty() {
        let _ = writeln!(out, "    none");
    }
    for w in &warnings {
        let _ = writeln!(out, "    - {w}");
    }
}

/// `aws:SourceAccount equals 111122223333 (StringEquals)`
fn condition(c: &Condition) -> String {
    let verb = match c.operator {
        "StringEquals" => "equals",
        "ArnEquals" | "ArnLike" => "matches",
        other => other,
    };
    format!("{} {verb} {} ({})", c.key, text(&c.value), c.operator)
}

/// A model text with its deploy-time parts named in words.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Literal(s) => s.clone(),
            Part::AccountId => "<the deploying account>".into(),
            Part::Region => "<the deploying region>".into(),
        })
        .collect()
}

/// `as of 2026-11-28` for a page read that day, `2023` for an older page.
fn date(c: &Citation) -> String {
    if c.date.len() == 10 {
        format!("as of {}", c.date)
    } else {
        c.date.to_string()
    }
}

fn duration(seconds: u32) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    let hours = format!("{h} hour{}", if h == 1 { "" } else { "s" });
    if m == 0 {
        hours
    } else {
        format!("{hours} {m} minute{}", if m == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_hours() {
        assert_eq!(duration(3600), "1 hour");
        assert_eq!(duration(7200), "2 hours");
        assert_eq!(duration(5400), "1 hour 30 minutes");
    }

    #[test]
    fn deploy_time_parts_are_named() {
        let t = Text(vec![
            Part::Literal("arn:aws:ssm:".into()),
            Part::Region,
            Part::Literal(":".into()),
            Part::AccountId,
        ]);
        assert_eq!(
            text(&t),
            "arn:aws:ssm:<the deploying region>:<the deploying account>"
        );
    }
}

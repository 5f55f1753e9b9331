//! The role and its instance profile, for `explain`: who may assume the role and on
//! what conditions, and which instance profile holds it.

use std::fmt::Write;

use super::{Lines, condition, duration};
use crate::model::{Kind, Profile, RoleRef, has_core};
use crate::refdata;

/// The trust: who may assume the role, and on what conditions; its tags.
pub(super) fn who_may_assume(out: &mut Lines, p: &Profile) {
    out.blank();
    let _ = writeln!(out, "  Who may assume the role");
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
                Kind::DefaultHostManagement => format!(
                    "Systems Manager ({}) may assume it, for the EC2 instances of the account that no instance profile manages (Default Host Management).",
                    role.trust.service
                ),
            };
            let _ = writeln!(out, "    {who}");
            for (operator, c) in role.trust.each_condition() {
                let _ = writeln!(out, "    Only when {}.", condition(operator, c));
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
}

/// The instance profile that holds the role, or why there is none.
pub(super) fn instance_profile(out: &mut Lines, p: &Profile) {
    out.blank();
    let _ = writeln!(out, "  Instance profile");
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
            if has_core(p) {
                let _ = writeln!(
                    out,
                    "    It grants {}, so on its instances it takes precedence over Default Host Management Configuration wherever the account has it.",
                    refdata::CORE_POLICY
                );
            }
        }
        None if p.kind == Kind::DefaultHostManagement => {
            let _ = writeln!(
                out,
                "    None: with Default Host Management, EC2 instances need no instance profile for Systems Manager."
            );
        }
        None => {
            let _ = writeln!(
                out,
                "    None: a hybrid service role is named when you create a hybrid activation."
            );
        }
    }
}

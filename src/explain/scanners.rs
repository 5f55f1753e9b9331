//! The scanner suppressions a profile's generated resources carry (issue 27), each with
//! its reason: the same values the backends write (`backend::scanners`).

use std::fmt::Write;

use serde_json::json;

use super::Lines;
use crate::backend::scanners::{self, CdkNag, Guard};
use crate::model::{Model, Profile, RoleRef};

/// Each resource of `p` that carries suppressions: its kind, name, Guard's (with
/// cfn_nag's) and cdk-nag's.
fn resources(model: &Model, p: &Profile) -> Vec<(&'static str, String, Vec<Guard>, Vec<CdkNag>)> {
    let mut out = Vec::new();
    if let RoleRef::Create(role) = &p.role {
        out.push((
            "role",
            role.name.clone(),
            scanners::guard_role(model, p),
            scanners::cdk_nag_role(model, p),
        ));
    }
    for c in &p.custom_policies {
        out.push((
            "policy",
            c.name.clone(),
            scanners::guard_policy(model, p, c),
            scanners::cdk_nag_policy(model, p, c),
        ));
    }
    out.retain(|(_, _, guard, nag)| !guard.is_empty() || !nag.is_empty());
    out
}

pub(super) fn text(out: &mut Lines, model: &Model, p: &Profile) {
    out.blank();
    let _ = writeln!(
        out,
        "  Scanner suppressions (in the generated code, for findings that are AWS's design; `scanner_suppressions: false` leaves them out)"
    );
    if !model.scanner_suppressions {
        let _ = writeln!(out, "    none: the spec sets `scanner_suppressions: false`");
        return;
    }
    let all = resources(model, p);
    if all.is_empty() {
        let _ = writeln!(out, "    none");
    }
    for (kind, name, guard, nag) in all {
        let _ = writeln!(out, "    {kind} {name}");
        for g in guard {
            let _ = writeln!(
                out,
                "      CloudFormation: Guard {}, cfn_nag {}",
                g.rule, g.cfn_nag
            );
            let _ = writeln!(out, "        why: {}", g.reason);
        }
        for n in nag {
            let _ = writeln!(
                out,
                "      CDK: cdk-nag {} on {}",
                n.id,
                n.applies_to.join(", ")
            );
            let _ = writeln!(out, "        why: {}", n.reason);
        }
    }
}

/// `profile`, the profile's JSON account, with its `scanner_suppressions`.
pub(super) fn with_json(
    mut profile: serde_json::Value,
    model: &Model,
    p: &Profile,
) -> serde_json::Value {
    profile["scanner_suppressions"] = json(model, p);
    profile
}

fn json(model: &Model, p: &Profile) -> serde_json::Value {
    resources(model, p)
        .into_iter()
        .map(|(kind, name, guard, nag)| {
            json!({
                "resource": kind,
                "name": name,
                "guard": guard.iter().map(|g| json!({
                    "rule": g.rule,
                    "cfn_nag": g.cfn_nag,
                    "reason": g.reason,
                })).collect::<Vec<_>>(),
                "cdk_nag": nag.iter().map(|n| json!({
                    "id": n.id,
                    "applies_to": n.applies_to,
                    "reason": n.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

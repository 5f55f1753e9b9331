//! Identifiers derived from names, and the names and identifiers that must be
//! unique across the profiles of a spec.

use std::collections::BTreeMap;

use super::{Ctx, Profile, RoleRef};
use crate::diag::RuleError;
use crate::spec::Spec;

/// Names and identifiers across the profiles that built, each with its index in the
/// spec: one error per name used again.
pub(super) fn check_unique_names(profiles: &[(usize, Profile)], spec: &Spec) -> Vec<RuleError> {
    // IAM names are unique per account ignoring case; identifiers must be unique
    // within one template.
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for &(i, ref p) in profiles {
        let mut names = Vec::new();
        if let RoleRef::Create(r) = &p.role {
            names.push(("role".to_string(), r.name.to_lowercase()));
        }
        if let Some(ip) = &p.instance_profile {
            names.push(("instance profile".into(), ip.name.to_lowercase()));
        }
        // Identifiers ignoring case: Terraform addresses and Python and TypeScript
        // members fold it, and a backend that numbered the second of two colliding
        // profiles would give it an identity that depends on its position. After the
        // IAM names, whose message says more when both collide.
        names.push(("identifier".into(), p.id.to_lowercase()));
        for c in &p.custom_policies {
            names.push(("policy".into(), c.name.to_lowercase()));
            names.push(("identifier".into(), c.id.to_lowercase()));
        }
        for key in names {
            if let Some(first) = seen.get(&key) {
                let what = &key.0;
                let message = if what == "identifier" {
                    format!(
                        "profile `{}` and profile `{}` derive the same resource identifier (`{}`, ignoring case); rename one",
                        spec.profiles[*first].name, spec.profiles[i].name, key.1
                    )
                } else if *first == i {
                    format!("this profile would create two {what}s named `{}`", key.1)
                } else {
                    format!(
                        "{what} name `{}` is already used by profile `{}` (IAM names are unique per account, ignoring case)",
                        key.1, spec.profiles[*first].name
                    )
                };
                errors.push(RuleError::new(format!("profiles[{i}].name"), message));
                // One error per profile: the names derive from one another.
                break;
            }
            seen.insert(key, i);
        }
    }
    errors
}

/// `us-east-2` -> `UsEast2`, for statement IDs, which IAM limits to letters and digits.
pub(super) fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            let first = cs.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first).chain(cs).collect::<String>()
        })
        .collect()
}

/// The profile's identifier stem; a name with no letter or digit has none.
pub(super) fn profile_id(ctx: &Ctx, name: &str) -> Result<String, RuleError> {
    let id = identifier_stem(name);
    if id.is_empty() {
        return Err(ctx.err(
            "name",
            "the name needs at least one letter or digit to derive resource identifiers from",
        ));
    }
    Ok(id)
}

/// Letters and digits of the name, first letter upper-cased: the stem of every
/// CloudFormation logical ID, Terraform address and CDK member.
pub fn identifier_stem(name: &str) -> String {
    let stem = camel(name);
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        format!("P{stem}")
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_stems_are_alphanumeric() {
        assert_eq!(identifier_stem("SSMInstanceProfile"), "SSMInstanceProfile");
        assert_eq!(identifier_stem("web-tier.prod"), "WebTierProd");
        assert_eq!(identifier_stem("app_role@2"), "AppRole2");
        assert_eq!(identifier_stem("1st"), "P1st");
    }

    /// `SSMProfile` and `ssm-profile` give `ssm_profile` in Terraform and Python: the
    /// second was numbered `ssm_profile_2` by its position; now the spec is refused.
    #[test]
    fn identifiers_equal_but_for_case_are_refused() {
        let spec = "version: 1\nprofiles:\n  - name: SSMProfile\n  - name: ssm-profile\n";
        let source = crate::source::Source::new("s.yaml", spec);
        let e = crate::load(&source).expect_err("collides");
        assert!(
            e.to_string().contains("profile `SSMProfile` and profile `ssm-profile` derive the same resource identifier (`ssmprofile`, ignoring case)"),
            "{e}"
        );
    }
}

//! The module's `readable` input: the Parameter Store names the instances of every
//! profile with `parameter_store` may read, in place of the spec's. Its validations
//! are derived from `refdata::parameters::PARAMETER_NAME` (the pattern, the reserved
//! prefixes, the length) as the model's check and the schema's are, and from IAM's
//! policy size; the two Deny statements' `NotResource` lists are built from it in HCL
//! the way `model::parameters` builds them from the spec: each entry's ARN in the
//! deploying account (its leading `/` dropped), and for a prefix ending in `/*` its
//! path as well, then what every list holds (AWS's public parameters, the features').

use serde_json::{Value, json};

use super::super::expr::{ACCOUNT_ID_REF, Expr, Segment};
use super::{Validation, Variable};
use crate::backend::hcl::hcl_string;
use crate::model::{
    Model, ParameterAccess, Profile, Resource, SID_PATH_READS, SID_VALUE_READS, Statement,
    policy_size,
};
use crate::refdata::limits;
use crate::refdata::parameters::PARAMETER_NAME;

/// The input, if a profile has `parameter_store`, and per profile the HCL of its
/// list of entries (`None` for a profile without it).
pub fn input(model: &Model) -> (Option<Variable>, Vec<Option<String>>) {
    let lists: Vec<Option<&Vec<String>>> = model
        .profiles
        .iter()
        .map(|p| p.parameter_store.as_ref().map(|a| &a.readable))
        .collect();
    let given: Vec<&Vec<String>> = lists.iter().flatten().copied().collect();
    let Some(first) = given.first() else {
        return (None, vec![None; lists.len()]);
    };
    let shared = given.iter().all(|l| l == first);
    let exprs = lists
        .iter()
        .map(|l| {
            l.map(|own| match shared {
                true => "var.readable".to_string(),
                false => format!("var.readable != null ? var.readable : {}", list_hcl(own)),
            })
        })
        .collect();
    let (default, description) = if shared {
        (
            json!(first),
            "Parameter Store names (or name prefixes ending in `*`) of this account that the instances of every profile with `parameter_store` may read; AWS's public parameters, and those the profiles' features read, stay readable",
        )
    } else {
        (
            Value::Null,
            "Parameter Store names (or name prefixes ending in `*`) of this account that the instances of every profile with `parameter_store` may read; null keeps each profile's own list",
        )
    };
    let rule = &PARAMETER_NAME;
    let each = format!(
        "alltrue([for e in var.readable : can(regex({}, e)) && !can(regex({}, e)) && length(e) <= {} + (can(regex(\"\\\\*$\", e)) ? 1 : 0)])",
        hcl_string(&rule.re2_pattern()),
        hcl_string(&rule.reserved_pattern()),
        rule.max
    );
    let distinct =
        "length(distinct([for e in var.readable : trimprefix(e, \"/\")])) == length(var.readable)";
    let budget = budget(model);
    let size = format!(
        "sum(concat([0], [for e in var.readable : {}])) <= {budget}",
        entry_cost(model)
    );
    let guarded = |c: String| format!("var.readable == null || try({c}, false)");
    let variable = Variable {
        name: "readable",
        description: description.into(),
        type_hcl: "list(string)",
        default,
        validations: vec![
            Validation {
                condition: guarded(each),
                error_message: format!(
                    "Each of readable must be a parameter name of {} (a name with levels starts with /), at most {} levels and {} characters, not beginning with aws or ssm, with * only at its end.",
                    rule.words, rule.depth, rule.max
                ),
            },
            Validation {
                condition: guarded(distinct.into()),
                error_message:
                    "Each name of readable must be given once (/a and a are one parameter).".into(),
            },
            Validation {
                condition: guarded(size),
                error_message: format!(
                    "The names of readable must fit the {} characters of one IAM policy with the rest of the Deny statements: give fewer names (a prefix such as /app/* covers many).",
                    limits::POLICY_DOCUMENT_MAX
                ),
            },
        ],
    };
    (Some(variable), exprs)
}

fn list_hcl(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| hcl_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The characters an entry's ARN takes in a list, quoted and followed by a comma.
fn arn_cost(model: &Model) -> usize {
    let before = model
        .profiles
        .iter()
        .filter_map(|p| p.parameter_store.as_ref())
        .map(|a| a.arn_before_account.len())
        .max()
        .unwrap_or(0);
    before + crate::model::ACCOUNT_ID_CHARS + ":parameter/".len() + 3
}

/// An entry's characters in both statements, as HCL over `e`: its ARN in the value
/// reads, and for a prefix its ARNs in the path reads (the path and the prefix for
/// one ending in `/*`, the prefix alone for another). Duplicates dropped and a single
/// resource written without its list only make the policy smaller.
fn entry_cost(model: &Model) -> String {
    let a = arn_cost(model);
    format!(
        "{a} + length(trimprefix(e, \"/\")) + (can(regex(\"/\\\\*$\", e)) ? {} + 2 * length(trimprefix(e, \"/\")) : (can(regex(\"\\\\*$\", e)) ? {a} + length(trimprefix(e, \"/\")) : 0))",
        2 * a - 2
    )
}

/// IAM's policy size less the largest Parameter Store policy without its entries.
fn budget(model: &Model) -> usize {
    let fixed = model
        .profiles
        .iter()
        .filter_map(|p| fixed_statements(p).map(|s| policy_size(&s)))
        .max()
        .unwrap_or(0);
    limits::POLICY_DOCUMENT_MAX.saturating_sub(fixed)
}

/// The profile's two Deny statements with only what every list holds.
fn fixed_statements(p: &Profile) -> Option<Vec<Statement>> {
    let access = p.parameter_store.as_ref()?;
    let statements = p.custom_policies.iter().flat_map(|c| &c.statements);
    Some(
        statements
            .filter_map(|s| {
                let fixed = fixed_list(access, &s.sid)?;
                let mut s = s.clone();
                s.resources = fixed.to_vec();
                Some(s)
            })
            .collect(),
    )
}

fn fixed_list<'a>(access: &'a ParameterAccess, sid: &str) -> Option<&'a [Resource]> {
    match sid {
        SID_VALUE_READS => Some(&access.value_reads_fixed),
        SID_PATH_READS => Some(&access.path_reads_fixed),
        _ => None,
    }
}

/// The `NotResource` of one of the Deny statements as HCL over `list` (the entries'
/// expression, `input`'s), or `None` for any other statement.
pub fn not_resource(access: &ParameterAccess, s: &Statement, list: &str) -> Option<String> {
    let fixed = fixed_list(access, &s.sid)?;
    let arn = |name: &str| {
        Expr::Template(vec![
            Segment::Literal(access.arn_before_account.clone()),
            Segment::Reference(ACCOUNT_ID_REF.into()),
            Segment::Literal(":parameter/".into()),
            Segment::Reference(name.into()),
        ])
        .to_hcl()
    };
    let name = "trimprefix(e, \"/\")";
    let entries = if s.sid == SID_VALUE_READS {
        format!("[for e in {list} : {}]", arn(name))
    } else {
        let path = format!("trimsuffix({name}, \"/*\")");
        format!(
            "flatten([for e in {list} : can(regex(\"/\\\\*$\", e)) ? [{}, {}] : (can(regex(\"\\\\*$\", e)) ? [{}] : [])])",
            arn(&path),
            arn(name),
            arn(name)
        )
    };
    let fixed: Vec<String> = fixed
        .iter()
        .map(|r| match r.literal() {
            Some(l) => hcl_string(l),
            None => Expr::text(&r.text()).to_hcl(),
        })
        .collect();
    Some(format!(
        "distinct(concat({entries}, [{}]))",
        fixed.join(", ")
    ))
}

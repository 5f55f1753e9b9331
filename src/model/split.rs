//! Fitting statements into IAM's 6,144-character policy quota, here so that every
//! target splits the same way.

use super::rules::check_iam_name;
use super::{Ctx, CustomPolicy, Statement, policy_document};
use crate::diag::RuleError;
use crate::refdata::limits;

/// Splits statements into as many managed policies as the 6,144-character quota
/// needs. The first policy keeps the plain name, so a spec that grows does not
/// rename what is already deployed.
pub(super) fn split_policy(
    ctx: &Ctx,
    field: &str,
    name: &str,
    id: &str,
    path: Option<String>,
    statements: Vec<Statement>,
) -> Result<Vec<CustomPolicy>, RuleError> {
    let mut pieces: Vec<Statement> = Vec::new();
    for s in statements {
        pieces.extend(split_statement(s));
    }
    let mut groups: Vec<Vec<Statement>> = vec![Vec::new()];
    for s in pieces {
        let current = groups.last_mut().expect("never empty");
        current.push(s);
        if policy_size(current) > limits::POLICY_DOCUMENT_MAX {
            let s = current.pop().expect("just pushed");
            groups.push(vec![s]);
        }
    }
    let mut out = Vec::new();
    for (i, statements) in groups.into_iter().enumerate() {
        let (name, id) = if i == 0 {
            (name.to_string(), id.to_string())
        } else {
            (format!("{name}-{}", i + 1), format!("{id}{}", i + 1))
        };
        check_iam_name(ctx, field, &name, "a policy name", limits::POLICY_NAME_MAX)?;
        out.push(CustomPolicy {
            name,
            id,
            path: path.clone(),
            statements,
        });
    }
    Ok(out)
}

/// A statement too large for one policy is cut into parts by resource.
fn split_statement(s: Statement) -> Vec<Statement> {
    if policy_size(std::slice::from_ref(&s)) <= limits::POLICY_DOCUMENT_MAX {
        return vec![s];
    }
    let mut parts: Vec<Statement> = Vec::new();
    let mut current = Statement {
        resources: Vec::new(),
        ..s.clone()
    };
    for r in s.resources {
        current.resources.push(r);
        if current.resources.len() > 1
            && policy_size(std::slice::from_ref(&current)) > limits::POLICY_DOCUMENT_MAX
        {
            let r = current.resources.pop().expect("just pushed");
            parts.push(current.clone());
            current.resources = vec![r];
        }
    }
    parts.push(current);
    for (i, p) in parts.iter_mut().enumerate().skip(1) {
        p.sid = format!("{}Part{}", p.sid, i + 1);
    }
    parts
}

/// The size IAM counts against the 6,144-character quota. White space is not
/// counted by IAM; counting the compact form (which keeps spaces inside strings)
/// can only over-estimate, which is the safe side.
pub fn policy_size(statements: &[Statement]) -> usize {
    policy_document(statements)
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(n: usize) -> Statement {
        Statement {
            sid: "S".into(),
            actions: vec!["s3:GetObject".into()],
            resources: (0..n)
                .map(|i| format!("arn:aws:s3:::bucket-{i:04}/*"))
                .collect(),
            purpose: String::new(),
        }
    }

    #[test]
    fn an_oversized_statement_is_cut_by_resource_within_the_quota() {
        let parts = split_statement(stmt(400));
        assert!(parts.len() > 1);
        let total: usize = parts.iter().map(|p| p.resources.len()).sum();
        assert_eq!(total, 400);
        for p in &parts {
            assert!(policy_size(std::slice::from_ref(p)) <= limits::POLICY_DOCUMENT_MAX);
        }
        assert_eq!(parts[1].sid, "SPart2");
    }
}

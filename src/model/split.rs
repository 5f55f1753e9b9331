//! Fitting statements into IAM's 6,144-character policy quota, here so that every
//! target splits the same way.

use super::rules::check_iam_name;
use super::size::{ListSize, document_size, resource_size, statement_size, statement_size_with};
use super::{Ctx, CustomPolicy, Statement};
use crate::diag::RuleError;
use crate::refdata::{limits, rules};

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
    let mut out = Vec::new();
    for (i, statements) in fit(statements).into_iter().enumerate() {
        let (name, id) = if i == 0 {
            (name.to_string(), id.to_string())
        } else {
            (format!("{name}-{}", i + 1), format!("{id}{}", i + 1))
        };
        // The first part's name is the one the caller checked; a later part's suffix
        // can take it over the limit.
        if i > 0 {
            check_iam_name(ctx, field, &name, "a policy name", &rules::POLICY_NAME)?;
        }
        out.push(CustomPolicy {
            name,
            id,
            path: path.clone(),
            statements,
        });
    }
    Ok(out)
}

/// The statements of each policy, in order: a statement too large for one policy is
/// cut by resource first.
fn fit(statements: Vec<Statement>) -> Vec<Vec<Statement>> {
    let pieces = statements.into_iter().flat_map(split_statement).map(|s| {
        let size = statement_size(&s);
        (s, size)
    });
    pack(pieces, |statements| !fits(statements))
}

/// A statement too large for one policy is cut into parts by resource.
fn split_statement(mut s: Statement) -> Vec<Statement> {
    // A NotResource list cut in two would deny what each part exempts: its builder
    // refuses one too large for a policy.
    if s.not_resource || fits(ListSize::single(statement_size(&s))) {
        return vec![s];
    }
    let mut resources = std::mem::take(&mut s.resources);
    let sizes: Vec<usize> = resources.iter().map(resource_size).collect();
    // Parts after the first carry a `PartN` suffix on their Sid, so every part is
    // sized as if it had the longest suffix the split can give; when the split needs
    // more parts than that suffix allowed for, it is done again with a longer one.
    // Sizes are packed, not the resources: a fleet's statements hold hundreds of
    // ARNs, and copying them for each try was most of a profile's model.
    let mut digits = 1;
    let chunks = loop {
        let widest = Statement {
            sid: format!("{}Part{}", s.sid, "9".repeat(digits)),
            ..s.clone()
        };
        let chunks = pack(sizes.iter().map(|&size| ((), size)), |resources| {
            resources.items > 1 && !fits(ListSize::single(statement_size_with(&widest, resources)))
        });
        if chunks.len().to_string().len() <= digits {
            break chunks;
        }
        digits += 1;
    };
    let mut parts = Vec::with_capacity(chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        let rest = resources.split_off(chunk.len());
        parts.push(Statement {
            sid: if i == 0 {
                s.sid.clone()
            } else {
                format!("{}Part{}", s.sid, i + 1)
            },
            resources: std::mem::replace(&mut resources, rest),
            ..s.clone()
        });
    }
    parts
}

/// Whether a policy of statements of these sizes is within the quota.
fn fits(statements: ListSize) -> bool {
    document_size(statements) <= limits::POLICY_DOCUMENT_MAX
}

/// Puts items in order into bins, and starts a new bin when adding the next item
/// would make `overflows` true of the sizes in the bin.
fn pack<T>(
    items: impl IntoIterator<Item = (T, usize)>,
    overflows: impl Fn(ListSize) -> bool,
) -> Vec<Vec<T>> {
    let mut bins = vec![Vec::new()];
    let mut bin = ListSize::default();
    for (item, size) in items {
        let grown = bin.with(size);
        if overflows(grown) {
            bins.push(vec![item]);
            bin = ListSize::single(size);
        } else {
            bins.last_mut().expect("never empty").push(item);
            bin = grown;
        }
    }
    // Kept for the whole build: a bin grown by doubling held up to twice its
    // statements' room, 5 MB of a 1,000-profile model.
    for b in &mut bins {
        b.shrink_to_fit();
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::super::size::tests::Random;
    use super::*;
    use crate::model::{Effect, policy_size};

    fn stmt(n: usize) -> Statement {
        Statement {
            effect: Effect::Allow,
            not_resource: false,
            sid: "S".into(),
            actions: vec!["s3:GetObject".into()],
            resources: (0..n)
                .map(|i| format!("arn:aws:s3:::bucket-{i:04}/*").into())
                .collect(),
            purpose: String::new(),
        }
    }

    fn ctx() -> Ctx {
        Ctx {
            at: "profiles[0]".into(),
            errors: Default::default(),
        }
    }

    fn names(policies: &[CustomPolicy]) -> Vec<(&str, &str)> {
        policies
            .iter()
            .map(|p| (p.name.as_str(), p.id.as_str()))
            .collect()
    }

    #[test]
    fn the_first_part_keeps_the_plain_name_and_every_resource_is_kept() {
        let policies = split_policy(
            &ctx(),
            "s3.policy_name",
            "Pol",
            "PolId",
            None,
            vec![stmt(400)],
        )
        .expect("short names");
        assert!(
            policies.len() >= 2,
            "400 resources are more than one policy"
        );
        assert_eq!(
            names(&policies)[..2],
            [("Pol", "PolId"), ("Pol-2", "PolId2")]
        );
        let kept: usize = policies
            .iter()
            .flat_map(|p| &p.statements)
            .map(|s| s.resources.len())
            .sum();
        assert_eq!(kept, 400);
    }

    #[test]
    fn only_the_names_the_split_makes_are_checked_here() {
        let max = rules::POLICY_NAME.max();
        // The first part's name is the caller's to check (and report once).
        let long = "p".repeat(max + 1);
        let one = split_policy(&ctx(), "s3.policy_name", &long, "Id", None, vec![stmt(1)]);
        assert_eq!(one.expect("not checked again").len(), 1);
        // A later part's suffix takes a name at the limit over it.
        let at_limit = "p".repeat(max - 1);
        let split = split_policy(
            &ctx(),
            "s3.policy_name",
            &at_limit,
            "Id",
            None,
            vec![stmt(400)],
        );
        let error = split.expect_err("`-2` makes it one too long");
        assert_eq!(error.path, "profiles[0].s3.policy_name", "{error:?}");
    }

    #[test]
    fn a_resource_larger_than_a_policy_is_a_part_of_its_own_never_an_empty_one() {
        let mut s = stmt(1);
        s.resources =
            vec![format!("arn:aws:s3:::b/{}", "k".repeat(limits::POLICY_DOCUMENT_MAX)).into()];
        let parts = split_statement(s);
        assert_eq!(parts.len(), 1, "{parts:?}");
        assert_eq!(parts[0].resources.len(), 1);
    }

    #[test]
    fn parts_stay_within_the_quota_with_their_part_suffix() {
        // Regression: parts used to be sized with the statement's own Sid, so one
        // that filled the quota ended a few characters over once `PartN` was added.
        for len in 20..90 {
            for n in [300, 700] {
                let s = Statement {
                    resources: (0..n)
                        .map(|i| format!("arn:aws:s3:::{}{i:05}", "b".repeat(len)).into())
                        .collect(),
                    ..stmt(0)
                };
                let policies = fit(vec![s]);
                let total: usize = policies.iter().flatten().map(|p| p.resources.len()).sum();
                assert_eq!(total, n);
                for p in policies {
                    let size = policy_size(&p);
                    assert!(size <= limits::POLICY_DOCUMENT_MAX, "{len} {n}: {size}");
                }
            }
        }
    }

    /// Two statements whose policy is exactly `size` characters (IAM's count),
    /// the second's resource padded to reach it.
    fn policy_of_size(size: usize) -> Vec<Statement> {
        let with = |pad: usize| {
            vec![
                stmt(3),
                Statement {
                    sid: "T".into(),
                    resources: vec![format!("arn:aws:s3:::b/{}", "k".repeat(pad)).into()],
                    ..stmt(0)
                },
            ]
        };
        let base = policy_size(&with(0));
        let statements = with(size - base);
        assert_eq!(policy_size(&statements), size);
        statements
    }

    /// A policy of exactly 6,144 characters fits in one; one more character splits it
    /// (and a statement of exactly 6,144 is not cut).
    #[test]
    fn the_quota_is_inclusive() {
        let max = limits::POLICY_DOCUMENT_MAX;
        assert_eq!(fit(policy_of_size(max)).len(), 1);
        assert_eq!(fit(policy_of_size(max + 1)).len(), 2);
        let two = |pad: usize| Statement {
            resources: vec![
                "arn:aws:s3:::a/*".into(),
                format!("arn:aws:s3:::b/{}", "k".repeat(pad)).into(),
            ],
            ..stmt(0)
        };
        let over = policy_size(&[two(max)]) - max;
        let exact = two(max - over);
        assert_eq!(policy_size(std::slice::from_ref(&exact)), max);
        assert_eq!(split_statement(exact).len(), 1);
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

    /// How policies were fitted before sizes were kept as they grew: measure the
    /// whole document again after each statement or resource added.
    fn fit_by_measuring_again(statements: Vec<Statement>) -> Vec<Vec<Statement>> {
        let fits = |s: &[Statement]| policy_size(s) <= limits::POLICY_DOCUMENT_MAX;
        let mut pieces = Vec::new();
        for s in statements {
            if fits(std::slice::from_ref(&s)) {
                pieces.push(s);
                continue;
            }
            // Every part is measured with the widest `PartN` Sid the cut gives.
            let mut digits = 1;
            let mut parts = loop {
                let mut parts: Vec<Statement> = Vec::new();
                let mut current = Statement {
                    sid: format!("{}Part{}", s.sid, "9".repeat(digits)),
                    resources: Vec::new(),
                    ..s.clone()
                };
                for r in s.resources.clone() {
                    current.resources.push(r);
                    if current.resources.len() > 1 && !fits(std::slice::from_ref(&current)) {
                        let r = current.resources.pop().unwrap();
                        parts.push(current.clone());
                        current.resources = vec![r];
                    }
                }
                parts.push(current);
                if parts.len().to_string().len() <= digits {
                    break parts;
                }
                digits += 1;
            };
            for p in &mut parts {
                p.sid = s.sid.clone();
            }
            for (i, p) in parts.iter_mut().enumerate().skip(1) {
                p.sid = format!("{}Part{}", p.sid, i + 1);
            }
            pieces.extend(parts);
        }
        let mut groups: Vec<Vec<Statement>> = vec![Vec::new()];
        for s in pieces {
            let current = groups.last_mut().unwrap();
            current.push(s);
            if !fits(current) {
                let s = current.pop().unwrap();
                groups.push(vec![s]);
            }
        }
        groups
    }

    #[test]
    fn policies_are_fitted_as_by_measuring_again() {
        let mut random = Random(0x0dd_ba11_cafe_f00d);
        let (mut cut, mut split) = (0, 0);
        for round in 0..30 {
            // Long resource lists, so that statements and policies overflow.
            let mut statements = random.statements(8);
            for s in &mut statements {
                let n = random.below(120);
                let bucket = format!("arn:aws:s3:::{round}-{}", "b".repeat(60));
                s.resources
                    .extend((0..n).map(|i| format!("{bucket}/{i}{}", random.string()).into()));
            }
            let policies = fit(statements.clone());
            let pieces = policies.iter().map(Vec::len).sum::<usize>();
            cut += usize::from(pieces > statements.len());
            split += usize::from(policies.len() > 1);
            assert_eq!(policies, fit_by_measuring_again(statements));
        }
        assert!(
            cut > 10 && split > 10,
            "{cut} rounds cut statements, {split} split policies"
        );
    }
}

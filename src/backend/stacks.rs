//! A spec too large for one CloudFormation stack, written as several (`--out-dir`
//! only): the spec declares how many (`stacks`), and each profile goes to the stack
//! its `stack` names or else the one the FNV-1a hash of its name chooses. Placement
//! depends on the profile's own fields and the count alone, so adding, removing or
//! reordering profiles never moves another between stacks (a move would delete its
//! named role in one stack and create it in another). A stack that would pass 500
//! resources, 200 outputs or the template bytes (CloudFormation quotas, docs/sources.md
//! 7) is refused with the count that fits; a profile that alone exceeds one is
//! refused. The CloudFormation templates and the CDK code are split the same way,
//! since all of them follow `split`.

mod measure;
mod shared;

pub use shared::SharedSplit;

use super::capability::Capabilities;
use super::describe::{stack_outputs, stack_resource_count};
use super::{CommentSyntax, Output, RenderError, RenderOptions, header, thousands};
use crate::model::Model;
use crate::refdata::limits;
use measure::body_bytes;

/// What one profile adds to a stack, or what a stack may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    pub resources: usize,
    pub outputs: usize,
    pub bytes: usize,
}

/// Bytes of a split stack's template kept for what the per-profile estimate does not
/// count: the generated-file header (its spec name and stack note), the stack number
/// in the description, and the description's wording for the profiles it holds.
pub const BYTES_RESERVED: usize = 4_096;

/// What one stack holds at most when a spec is split. Every target is split the same
/// way, so a stack keeps room for what the CDK adds to the stack it synthesizes.
pub const QUOTA: Cost = Cost {
    resources: limits::CFN_RESOURCES_MAX - limits::CDK_ADDED_RESOURCES,
    outputs: limits::CFN_OUTPUTS_MAX,
    bytes: limits::CFN_TEMPLATE_BODY_MAX - BYTES_RESERVED,
};

/// Why a profile cannot go into any stack: its index, the quota's name, what the
/// profile alone needs, and the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    pub profile: usize,
    pub what: &'static str,
    pub needs: usize,
    pub max: usize,
}

/// Why the spec cannot be written as the stacks it declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// One profile needs more than a whole stack holds.
    TooLarge(TooLarge),
    /// Stack `n` of `of` (the spec's `stacks`, 1 when it has none) would pass a
    /// quota; `fits` is the smallest count of stacks, above `of`, that holds the
    /// profiles (`None` when no count up to `spec::STACKS_MAX` does).
    Full {
        n: usize,
        of: usize,
        what: &'static str,
        needs: usize,
        max: usize,
        fits: Option<usize>,
    },
}

/// The profiles of one stack: its number (from 1), and their indices in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub n: usize,
    pub profiles: Vec<usize>,
}

/// FNV-1a, 64 bits, over `bytes` (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3: http://www.isthe.com/chongo/tech/comp/fnv/). Which stack a profile
/// goes to is a function of this hash, so it must never change between versions:
/// every spec's deployed stacks depend on it (`fnv1a_is_fixed` pins its values).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The stack, 1 to `of`, of a profile named `name` (its `stack` if the spec pins it):
/// from the profile's own fields only, so no edit of another profile moves it.
pub fn stack_of(name: &str, pinned: Option<usize>, of: usize) -> usize {
    pinned.unwrap_or_else(|| (fnv1a(name.as_bytes()) % of as u64) as usize + 1)
}

/// The profiles (`(name, pinned stack, cost)`) of each of `of` stacks, empty ones
/// left out, or the first stack that passes a quota. `base` is what an empty stack
/// already holds.
pub fn place(
    base: Cost,
    profiles: &[(&str, Option<usize>, Cost)],
    of: usize,
    quota: Cost,
) -> Result<Vec<Stack>, SplitError> {
    for (i, (_, _, c)) in profiles.iter().enumerate() {
        if let Some((what, needs, max)) = over(add(base, *c), quota) {
            return Err(SplitError::TooLarge(TooLarge {
                profile: i,
                what,
                needs,
                max,
            }));
        }
    }
    let placed = |of: usize| -> Result<Vec<Stack>, (usize, &'static str, usize, usize)> {
        let mut held = vec![base; of];
        let mut stacks: Vec<Stack> = (1..=of)
            .map(|n| Stack {
                n,
                profiles: Vec::new(),
            })
            .collect();
        for (i, (name, pinned, c)) in profiles.iter().enumerate() {
            let n = stack_of(name, pinned.filter(|p| *p <= of), of);
            held[n - 1] = add(held[n - 1], *c);
            stacks[n - 1].profiles.push(i);
        }
        if let Some((n, (what, needs, max))) = held
            .iter()
            .enumerate()
            .find_map(|(i, h)| over(*h, quota).map(|o| (i + 1, o)))
        {
            return Err((n, what, needs, max));
        }
        stacks.retain(|s| !s.profiles.is_empty());
        Ok(stacks)
    };
    placed(of).map_err(|(n, what, needs, max)| SplitError::Full {
        n,
        of,
        what,
        needs,
        max,
        fits: (of + 1..=crate::spec::STACKS_MAX as usize).find(|k| placed(*k).is_ok()),
    })
}

fn add(a: Cost, b: Cost) -> Cost {
    Cost {
        resources: a.resources + b.resources,
        outputs: a.outputs + b.outputs,
        bytes: a.bytes + b.bytes,
    }
}

/// The first quota `c` exceeds: (name, `c`'s count, the quota).
fn over(c: Cost, quota: Cost) -> Option<(&'static str, usize, usize)> {
    [
        ("resources", c.resources, quota.resources),
        ("outputs", c.outputs, quota.outputs),
        ("bytes", c.bytes, quota.bytes),
    ]
    .into_iter()
    .find(|(_, n, max)| n > max)
}

/// The profiles of each stack `model` is written as with `--out-dir`: the spec's
/// `stacks`, each profile in the one `stack_of` gives. One stack (no `stacks`) holds
/// every profile when the CloudFormation template, as `build` prints it, fits every
/// quota, so a spec that fits keeps exactly its one template. Otherwise each
/// profile's template bytes are measured as the larger of its JSON and YAML (plus 2
/// for the separators), with `BYTES_RESERVED` kept. The same for every target:
/// `refusal` words the error.
pub fn split(
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
) -> Result<Vec<Stack>, SplitError> {
    split_measuring(model, spec_name, options).0
}

/// `split`, and for a spec that fits one stack the whole template's JSON and YAML
/// bodies it measured (`SharedSplit` keeps them).
fn split_measuring(
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
) -> (Result<Vec<Stack>, SplitError>, Option<[String; 2]>) {
    let counts: Vec<Cost> = model
        .profiles
        .iter()
        .map(|p| Cost {
            resources: stack_resource_count(p),
            outputs: stack_outputs(p).len(),
            bytes: 0,
        })
        .collect();
    let total = counts.iter().fold(Cost::default(), |a, c| add(a, *c));
    let mut bodies = Default::default();
    if model.stacks == 1
        && total.resources <= QUOTA.resources
        && total.outputs <= QUOTA.outputs
        && template_bytes(model, spec_name, options, &mut bodies) <= limits::CFN_TEMPLATE_BODY_MAX
    {
        let one = Stack {
            n: 1,
            profiles: (0..model.profiles.len()).collect(),
        };
        return (Ok(vec![one]), Some(bodies));
    }
    let empty = Model::new(Vec::new(), None);
    let (empty_json, empty_yaml) = body_bytes(&empty, &mut Default::default());
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let bytes = measure::profile_bytes(model, (empty_json, empty_yaml), cores > 1);
    let profiles: Vec<(&str, Option<usize>, Cost)> = counts
        .into_iter()
        .zip(bytes)
        .zip(model.profiles.iter())
        .map(|((c, bytes), p)| (p.name.as_str(), p.stack, Cost { bytes, ..c }))
        .collect();
    let base = Cost {
        bytes: empty_json.max(empty_yaml),
        ..Cost::default()
    };
    (place(base, &profiles, model.stacks, QUOTA), None)
}

/// The refusal of a spec that does not fit its stacks, for `target`.
pub fn refusal(e: SplitError, target: &Capabilities) -> RenderError {
    let bytes = |what: &str| if what == "bytes" { " of template" } else { "" };
    // `max` is QUOTA's, which keeps room for the CDK's own resource: say so, with
    // CloudFormation's own number.
    let quota = |what: &str, max: usize| {
        if what == "resources" {
            format!(
                "{} resources in one template (CloudFormation quotas; the CDK adds {} of its own, AWS::CDK::Metadata, so a stack holds {} of ours)",
                thousands(max + limits::CDK_ADDED_RESOURCES),
                limits::CDK_ADDED_RESOURCES,
                thousands(max),
            )
        } else {
            format!(
                "{} {what} in one template (CloudFormation quotas)",
                thousands(max)
            )
        }
    };
    let (at, message) = match e {
        SplitError::TooLarge(t) => (
            format!("profiles[{}]", t.profile),
            format!(
                "this profile alone needs {} {}{}, but {} cannot put more than {}, so no stack can hold it; split it into smaller profiles, or use `--target terraform`, which has no such quota",
                thousands(t.needs),
                t.what,
                bytes(t.what),
                target.subject,
                quota(t.what, t.max),
            ),
        ),
        SplitError::Full {
            n,
            of,
            what,
            needs,
            max,
            fits,
        } => {
            let fix = match (of, fits) {
                (1, Some(k)) => format!(
                    "declare `stacks: {k}` at the top of the spec to write it as {k} stacks (each profile goes to the stack the hash of its name chooses, so later edits move no other profile)"
                ),
                (_, Some(k)) => format!(
                    "raise `stacks` to {k} (which moves profiles between stacks: see `ssm-profile impact`), or pin some of its profiles to another stack with `stack:`"
                ),
                (_, None) => {
                    "move profiles to another spec file, which builds stacks of its own".to_string()
                }
            };
            let which = if of == 1 {
                "the spec's one stack".to_string()
            } else {
                format!("stack {n} of {of}")
            };
            (
                if of == 1 {
                    "profiles".to_string()
                } else {
                    "stacks".to_string()
                },
                format!(
                    "{which} would hold {} {what}{}, but {} cannot put more than {}; {fix}",
                    thousands(needs),
                    bytes(what),
                    target.subject,
                    quota(what, max),
                ),
            )
        }
    };
    RenderError::Refused {
        target: target.target,
        at: Some(at),
        message,
    }
}

/// The profiles `indices` of `model`, as a model of their own: one stack of a split.
pub fn part(model: &Model, indices: &[usize]) -> Model {
    let mut part = Model::new(
        indices.iter().map(|i| model.profiles[*i].clone()).collect(),
        None,
    );
    // What the spec says about the whole holds for each part.
    part.scanner_suppressions = model.scanner_suppressions;
    // Some of the whole's strings hold at most the openings all of them hold.
    let _ = part.openings.set(super::interpreted::openings(model));
    part
}

/// The larger of the CloudFormation JSON and YAML outputs of `model` as `build`
/// prints them (the YAML with its header; the JSON has none).
fn template_bytes(
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
    bodies: &mut [String; 2],
) -> usize {
    let (json, yaml) = body_bytes(model, bodies);
    let header = Output::by_golden("cloudformation.yaml")
        .map(|o| {
            let flags = o.header_flags(options);
            let h = header::Header {
                spec_name,
                flags: &flags,
                notes: &[],
            };
            header::comment_block(CommentSyntax::Hash, &h).map_or(0, |b| b.len())
        })
        .unwrap_or(0);
    json.max(yaml + header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cloudformation::target::TARGET;

    const QUOTA_SMALL: Cost = Cost {
        resources: 500,
        outputs: 200,
        bytes: 1_000,
    };

    #[test]
    fn fnv1a_is_fixed() {
        // The reference values of FNV-1a 64 (isthe.com's test vectors): placement
        // reads this hash, so changing it would move deployed profiles.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(
            stack_of("node-1", None, 2),
            1 + (fnv1a(b"node-1") % 2) as usize
        );
        assert_eq!(stack_of("node-1", Some(2), 2), 2);
    }

    fn named(n: usize, c: Cost) -> Vec<(String, Option<usize>, Cost)> {
        (0..n).map(|i| (format!("p{i}"), None, c)).collect()
    }

    fn place_named(
        base: Cost,
        profiles: &[(String, Option<usize>, Cost)],
        of: usize,
    ) -> Result<Vec<Stack>, SplitError> {
        let refs: Vec<(&str, Option<usize>, Cost)> = profiles
            .iter()
            .map(|(n, p, c)| (n.as_str(), *p, *c))
            .collect();
        place(base, &refs, of, QUOTA_SMALL)
    }

    #[test]
    fn placement_is_by_name_alone_and_stable_under_edits() {
        let c = Cost {
            resources: 2,
            outputs: 3,
            bytes: 0,
        };
        let all = named(60, c);
        let stacks_of = |profiles: &[(String, Option<usize>, Cost)]| {
            let placed = place_named(Cost::default(), profiles, 3).expect("fits");
            let mut by_name = std::collections::BTreeMap::new();
            for s in placed {
                for i in s.profiles {
                    by_name.insert(profiles[i].0.clone(), s.n);
                }
            }
            by_name
        };
        let before = stacks_of(&all);
        assert_eq!(before.len(), 60);
        assert!(
            (1..=3).all(|n| before.values().any(|v| *v == n)),
            "{before:?}"
        );
        // Insert at the front, remove one, reverse: nobody else moves.
        let mut edited = all.clone();
        edited.insert(0, ("new".into(), None, c));
        edited.remove(30);
        edited.reverse();
        let after = stacks_of(&edited);
        for (name, n) in &after {
            if let Some(was) = before.get(name) {
                assert_eq!(was, n, "{name} moved");
            }
        }
        // A pinned profile goes where it is pinned.
        let mut pinned = all.clone();
        let home = before["p7"] % 3 + 1;
        pinned[7].1 = Some(home);
        assert_eq!(stacks_of(&pinned)["p7"], home);
    }

    #[test]
    fn a_full_stack_is_refused_with_the_count_that_fits() {
        let c = Cost {
            resources: 1,
            outputs: 1,
            bytes: 0,
        };
        // 201 outputs cannot be one stack: the fix is a count of stacks.
        let Err(SplitError::Full {
            n: 1,
            of: 1,
            what: "outputs",
            needs: 201,
            max: 200,
            fits: Some(k),
        }) = place_named(Cost::default(), &named(201, c), 1)
        else {
            panic!("refused");
        };
        assert!(k >= 2);
        let placed = place_named(Cost::default(), &named(201, c), k).expect("fits");
        assert_eq!(placed.iter().map(|s| s.profiles.len()).sum::<usize>(), 201);
        // Exactly at the quota fits.
        assert_eq!(
            place_named(Cost::default(), &named(200, c), 1).map(|s| s.len()),
            Ok(1)
        );
    }

    #[test]
    fn a_profile_too_large_alone_is_refused() {
        let small = Cost {
            resources: 1,
            outputs: 1,
            bytes: 10,
        };
        let base = Cost {
            bytes: 10,
            ..Cost::default()
        };
        let profiles = vec![
            ("a".to_string(), None, small),
            (
                "b".to_string(),
                None,
                Cost {
                    bytes: 991,
                    ..small
                },
            ),
        ];
        assert_eq!(
            place_named(base, &profiles, 2),
            Err(SplitError::TooLarge(TooLarge {
                profile: 1,
                what: "bytes",
                needs: 1_001,
                max: 1_000
            }))
        );
    }

    fn load(spec: &str) -> Model {
        crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
    }

    fn minimal(n: usize, stacks: Option<usize>) -> Model {
        let mut spec = String::from("version: 1\n");
        if let Some(k) = stacks {
            spec.push_str(&format!("stacks: {k}\n"));
        }
        spec.push_str("profiles:\n");
        for i in 0..n {
            spec.push_str(&format!("  - name: p{i}\n"));
        }
        load(&spec)
    }

    #[test]
    fn a_spec_that_fits_is_one_stack_and_67_instance_profiles_need_stacks() {
        let o = RenderOptions::default();
        let one = split(&minimal(66, None), "s.yaml", o).expect("fits");
        assert_eq!(
            one,
            vec![Stack {
                n: 1,
                profiles: (0..66).collect()
            }]
        );
        let refused = split(&minimal(67, None), "s.yaml", o).expect_err("201 outputs");
        let RenderError::Refused { at, message, .. } = refusal(refused, &TARGET.capabilities)
        else {
            panic!("a refusal");
        };
        assert_eq!(at.as_deref(), Some("profiles"));
        assert!(
            message.starts_with("the spec's one stack would hold 201 outputs, but CloudFormation cannot put more than 200 outputs in one template (CloudFormation quotas); declare `stacks: 2`"),
            "{message}"
        );
        let two = split(&minimal(67, Some(2)), "s.yaml", o).expect("fits in two");
        assert_eq!(two.len(), 2);
        assert_eq!(two.iter().map(|s| s.profiles.len()).sum::<usize>(), 67);
        // A declared count is kept even when one stack would do.
        let kept = split(&minimal(3, Some(4)), "s.yaml", o).expect("fits");
        assert!(
            kept.iter()
                .all(|s| (1..=4).contains(&s.n) && !s.profiles.is_empty())
        );
    }

    /// Profiles of 26 KB each: the bytes bind before the counts, and every stack's
    /// rendered templates are within 1,000,000 bytes.
    #[test]
    fn large_profiles_split_by_bytes_within_the_quota() {
        let regions = "[af-south-1, ap-east-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ca-central-1, ca-west-1, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, il-central-1, me-central-1, me-south-1, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2]";
        let profiles = |stacks: usize| {
            let mut spec = format!("version: 1\nstacks: {stacks}\nprofiles:\n");
            for i in 0..60 {
                spec.push_str(&format!(
                    "  - name: p{i}\n    s3:\n      vpc_endpoint_regions: {regions}\n"
                ));
            }
            load(&spec)
        };
        let Err(SplitError::Full {
            what: "bytes",
            fits: Some(k),
            ..
        }) = split(&profiles(1), "s.yaml", RenderOptions::default())
        else {
            panic!("too large for one stack");
        };
        let model = profiles(k);
        let stacks = split(&model, "s.yaml", RenderOptions::default()).expect("splits");
        assert!(stacks.len() >= 2, "{stacks:?}");
        for s in &stacks {
            let part = part(&model, &s.profiles);
            for golden in ["cloudformation.json", "cloudformation.yaml"] {
                let text = Output::by_golden(golden)
                    .unwrap()
                    .generate(&part, "s.yaml", RenderOptions::default())
                    .expect("each stack renders");
                assert!(text.len() <= limits::CFN_TEMPLATE_BODY_MAX);
            }
        }
    }

    /// A split measures each profile in the buffers the one before it used: what
    /// it measures is what fresh buffers give.
    #[test]
    fn measured_in_reused_buffers_each_template_counts_alone() {
        let model = minimal(3, Some(2));
        let mut reused = Default::default();
        for i in [0, 2, 1, 0] {
            let one = part(&model, &[i]);
            let fresh = body_bytes(&one, &mut Default::default());
            assert_eq!(body_bytes(&one, &mut reused), fresh, "profile {i}");
        }
    }
}

//! A spec too large for one CloudFormation stack, written as several (`--out-dir`
//! only): consecutive profiles in spec order, packed greedily. A stack ends when the
//! next profile would take it over 500 resources, 200 outputs or the template bytes
//! (CloudFormation quotas, docs/sources.md 7); a profile that alone exceeds one is
//! refused. The CloudFormation templates and the CDK code are split the same way,
//! since all of them follow `split`.

use std::ops::Range;

use super::capability::Capabilities;
use super::cloudformation::{self, Scope};
use super::describe::{stack_outputs, stack_resource_count};
use super::{CommentSyntax, Output, RenderError, RenderOptions, header, thousands};
use crate::model::Model;
use crate::refdata::limits;

/// One stack of a spec written as several: its number, from 1, and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackPart {
    pub n: usize,
    pub of: usize,
}

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

/// What one stack holds at most when a spec is split.
pub const QUOTA: Cost = Cost {
    resources: limits::CFN_RESOURCES_MAX,
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

/// Greedy packing of `costs` in order: a stack starts when the next profile would
/// take the current one over a quota. `base` is what an empty stack already holds.
pub fn pack(base: Cost, costs: &[Cost], quota: Cost) -> Result<Vec<Range<usize>>, TooLarge> {
    let mut stacks = Vec::new();
    let mut start = 0;
    let mut held = base;
    for (i, c) in costs.iter().enumerate() {
        let alone = add(base, *c);
        if let Some((what, needs, max)) = over(alone, quota) {
            return Err(TooLarge {
                profile: i,
                what,
                needs,
                max,
            });
        }
        let with = add(held, *c);
        if over(with, quota).is_some() {
            stacks.push(start..i);
            start = i;
            held = alone;
        } else {
            held = with;
        }
    }
    stacks.push(start..costs.len());
    Ok(stacks)
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

/// The profiles of each stack `model` is written as with `--out-dir`: one range of
/// every profile when the CloudFormation template, as `build` prints it, fits every
/// quota (so a spec that fits keeps exactly its one template); otherwise the packing
/// of `pack`, with each profile's template bytes measured as the larger of its JSON
/// and YAML (plus 2 for the separators) and `BYTES_RESERVED` kept. The same for
/// every target: `refusal` words a profile too large for any stack.
pub fn split(
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
) -> Result<Vec<Range<usize>>, TooLarge> {
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
    let whole = 0..model.profiles.len();
    if total.resources <= QUOTA.resources
        && total.outputs <= QUOTA.outputs
        && template_bytes(model, spec_name, options) <= limits::CFN_TEMPLATE_BODY_MAX
    {
        return Ok(vec![whole]);
    }
    let empty = Model::new(Vec::new(), None);
    let (empty_json, empty_yaml) = body_bytes(&empty);
    let costs: Vec<Cost> = counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let (json, yaml) = body_bytes(&part(model, i..i + 1));
            Cost {
                bytes: json
                    .saturating_sub(empty_json)
                    .max(yaml.saturating_sub(empty_yaml))
                    + 2,
                ..c
            }
        })
        .collect();
    let base = Cost {
        bytes: empty_json.max(empty_yaml),
        ..Cost::default()
    };
    pack(base, &costs, QUOTA)
}

/// `split` computed at most once for all the outputs of one spec (they render in
/// parallel): `Output::generate_files_sharing`.
pub type SharedSplit = std::sync::OnceLock<Result<Vec<Range<usize>>, TooLarge>>;

/// The refusal of a profile too large for any stack, for `target`.
pub fn refusal(t: TooLarge, target: &Capabilities) -> RenderError {
    RenderError::Refused {
        target: target.target,
        at: Some(format!("profiles[{}]", t.profile)),
        message: format!(
            "this profile alone needs {} {}{}, but {} cannot put more than {} {} in one template (CloudFormation quotas), so no stack can hold it; split it into smaller profiles, or use `--target terraform`, which has no such quota",
            thousands(t.needs),
            t.what,
            if t.what == "bytes" {
                " of template"
            } else {
                ""
            },
            target.subject,
            thousands(t.max),
            t.what,
        ),
    }
}

/// The profiles `range` of `model`, as a model of their own: one stack of a split.
pub fn part(model: &Model, range: Range<usize>) -> Model {
    let part = Model::new(model.profiles[range].to_vec(), None);
    // Some of the whole's strings hold at most the openings all of them hold.
    let _ = part.openings.set(super::interpreted::openings(model));
    part
}

/// The larger of the CloudFormation JSON and YAML outputs of `model` as `build`
/// prints them (the YAML with its header; the JSON has none).
fn template_bytes(model: &Model, spec_name: &str, options: RenderOptions) -> usize {
    let (json, yaml) = body_bytes(model);
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

/// The bytes of `model`'s CloudFormation template as JSON and as YAML, without a header.
fn body_bytes(model: &Model) -> (usize, usize) {
    let t = cloudformation::scoped_template(model, Scope::Whole, None);
    (
        crate::text::pretty_json(&t).len(),
        super::cfn_yaml::to_yaml(&t).len(),
    )
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // a list of one stack's profiles is meant
mod tests {
    use super::*;
    use crate::backend::capability::CLOUDFORMATION;

    const QUOTA_SMALL: Cost = Cost {
        resources: 500,
        outputs: 200,
        bytes: 1_000,
    };

    fn costs(n: usize, c: Cost) -> Vec<Cost> {
        vec![c; n]
    }

    #[test]
    fn exactly_200_outputs_fit_and_201_split() {
        let c = Cost {
            resources: 1,
            outputs: 1,
            bytes: 0,
        };
        assert_eq!(
            pack(Cost::default(), &costs(200, c), QUOTA_SMALL),
            Ok(vec![0..200])
        );
        assert_eq!(
            pack(Cost::default(), &costs(201, c), QUOTA_SMALL),
            Ok(vec![0..200, 200..201])
        );
        let three = Cost {
            resources: 2,
            outputs: 3,
            bytes: 0,
        };
        assert_eq!(
            pack(Cost::default(), &costs(67, three), QUOTA_SMALL),
            Ok(vec![0..66, 66..67])
        );
    }

    #[test]
    fn exactly_500_resources_fit_and_501_split() {
        let c = Cost {
            resources: 1,
            outputs: 0,
            bytes: 0,
        };
        assert_eq!(
            pack(Cost::default(), &costs(500, c), QUOTA_SMALL),
            Ok(vec![0..500])
        );
        assert_eq!(
            pack(Cost::default(), &costs(1001, c), QUOTA_SMALL),
            Ok(vec![0..500, 500..1000, 1000..1001])
        );
    }

    #[test]
    fn bytes_count_the_empty_template_and_fit_to_the_byte() {
        let base = Cost {
            bytes: 100,
            ..Cost::default()
        };
        let c = Cost {
            bytes: 300,
            ..Cost::default()
        };
        // 100 + 3 * 300 = 1,000: fits exactly; a fourth starts a stack.
        assert_eq!(pack(base, &costs(3, c), QUOTA_SMALL), Ok(vec![0..3]));
        assert_eq!(pack(base, &costs(4, c), QUOTA_SMALL), Ok(vec![0..3, 3..4]));
    }

    #[test]
    fn a_profile_too_large_alone_is_refused() {
        let small = Cost {
            resources: 1,
            outputs: 1,
            bytes: 10,
        };
        let huge = Cost {
            bytes: 991,
            ..small
        };
        let base = Cost {
            bytes: 10,
            ..Cost::default()
        };
        assert_eq!(
            pack(base, &[small, huge], QUOTA_SMALL),
            Err(TooLarge {
                profile: 1,
                what: "bytes",
                needs: 1_001,
                max: 1_000
            })
        );
        assert_eq!(
            pack(
                base,
                &[
                    small,
                    Cost {
                        bytes: 990,
                        ..small
                    }
                ],
                QUOTA_SMALL
            ),
            Ok(vec![0..1, 1..2])
        );
    }

    fn load(spec: &str) -> Model {
        crate::load(&crate::source::Source::new("spec.yaml", spec)).expect("valid spec")
    }

    fn minimal(n: usize) -> Model {
        let mut spec = String::from("version: 1\nprofiles:\n");
        for i in 0..n {
            spec.push_str(&format!("  - name: p{i}\n"));
        }
        load(&spec)
    }

    #[test]
    fn a_spec_that_fits_is_one_stack_and_67_instance_profiles_are_two() {
        let o = RenderOptions::default();
        assert_eq!(split(&minimal(66), "s.yaml", o), Ok(vec![0..66]));
        assert_eq!(split(&minimal(67), "s.yaml", o), Ok(vec![0..66, 66..67]));
        let too_large = TooLarge {
            profile: 3,
            what: "bytes",
            needs: 1_000_001,
            max: 995_904,
        };
        let RenderError::Refused {
            target,
            at,
            message,
        } = refusal(too_large, &CLOUDFORMATION)
        else {
            panic!("a refusal");
        };
        assert_eq!(target, "cloudformation");
        assert_eq!(at.as_deref(), Some("profiles[3]"));
        assert!(message.starts_with("this profile alone needs 1,000,001 bytes of template, but CloudFormation cannot put more than 995,904 bytes in one template"), "{message}");
    }

    /// Profiles of 26 KB each: the bytes bind before the counts, and every stack's
    /// rendered templates are within 1,000,000 bytes.
    #[test]
    fn large_profiles_split_by_bytes_within_the_quota() {
        let regions = "[af-south-1, ap-east-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ca-central-1, ca-west-1, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, il-central-1, me-central-1, me-south-1, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2]";
        let mut spec = String::from("version: 1\nprofiles:\n");
        for i in 0..60 {
            spec.push_str(&format!(
                "  - name: p{i}\n    s3:\n      vpc_endpoint_regions: {regions}\n"
            ));
        }
        let model = load(&spec);
        let stacks = split(&model, "s.yaml", RenderOptions::default()).expect("splits");
        assert!(stacks.len() >= 2, "{stacks:?}");
        let mut largest = 0;
        for r in &stacks {
            let part = part(&model, r.clone());
            for golden in ["cloudformation.json", "cloudformation.yaml"] {
                let text = Output::by_golden(golden)
                    .unwrap()
                    .generate(&part, "s.yaml", RenderOptions::default())
                    .expect("each stack renders");
                assert!(text.len() <= limits::CFN_TEMPLATE_BODY_MAX);
                largest = largest.max(text.len());
            }
        }
        // Greedy: the first stack could not take the next profile.
        assert!(
            largest > limits::CFN_TEMPLATE_BODY_MAX - 30_000,
            "{largest}"
        );
    }
}

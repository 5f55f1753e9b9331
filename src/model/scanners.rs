//! Which wildcards of the policies ssm-profile writes are the design AWS documents
//! (issue 27): scanners that flag wildcards are told why for these, and for nothing
//! else, so a wildcard that anything but AWS's pages put there is still reported.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use foldhash::fast::RandomState;

use super::statements::{
    SID_AGENT_BUCKETS, SID_OWN_OBJECTS, SID_SESSION_LOGS_DESCRIBE, SID_SESSION_LOGS_TO_CLOUDWATCH,
    SID_SESSION_LOGS_TO_S3,
};
use super::{CustomPolicy, Effect, Resource, ResourceNote};
use crate::refdata::Citation;
use crate::refdata::scanners::{
    AGENT_BUCKET_OBJECTS, ByDesign, DESCRIBE_LOG_GROUPS, OWN_BUCKET_OBJECTS, SESSION_LOG_GROUPS,
    SESSION_LOG_OBJECTS,
};

/// A wildcard resource that AWS's pages grant so, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DesignedWildcard<'p> {
    /// The resource exactly as the statement grants it.
    pub resource: &'p str,
    pub fact: &'static str,
    pub source: &'static Citation,
}

/// A profile's designed wildcards, each resource once. The agent buckets of a region
/// whose every bucket the profile grants by design are that region's notes, shared by
/// every profile that lists the region: a copy of each, per profile, was 20 of a
/// 1,000-profile model's 45 MB and the largest part of a fleet's peak (BENCHMARKS.md,
/// issue 26).
#[derive(Debug, Clone, Default)]
pub struct DesignedWildcards {
    /// Regions' agent-bucket object ARNs, each by design with its note's page.
    regions: Vec<Arc<[ResourceNote]>>,
    /// Every other one.
    others: Vec<Owned>,
}

/// A designed wildcard that is not one of a whole region's agent buckets.
#[derive(Debug, Clone)]
struct Owned {
    resource: Arc<str>,
    fact: &'static str,
    source: &'static Citation,
}

impl DesignedWildcards {
    /// Every designed wildcard: the whole regions' agent buckets, then the others.
    pub fn iter(&self) -> impl Iterator<Item = DesignedWildcard<'_>> {
        let regions = self
            .regions
            .iter()
            .flat_map(|r| r.iter())
            .map(|n| DesignedWildcard {
                resource: &n.resource,
                fact: AGENT_BUCKET_OBJECTS,
                source: n.source,
            });
        let others = self.others.iter().map(|o| DesignedWildcard {
            resource: &o.resource,
            fact: o.fact,
            source: o.source,
        });
        regions.chain(others)
    }
}

/// Every resource with a wildcard that the statements of `policies` grant by design,
/// once; a resource that some statement grants other than by design is left out (a
/// scanner reports a resource, not a statement). `notes` holds the AWS-owned buckets
/// by region, each with its own page.
pub(super) fn designed_wildcards(
    policies: &[CustomPolicy],
    notes: &[Arc<[ResourceNote]>],
    partition: &str,
) -> DesignedWildcards {
    let log_groups = format!("arn:{partition}:logs:*:*:log-group:*");
    // A fleet's profile grants ~260 agent-bucket wildcards, each with its note:
    // searching the notes and the list so far for each one made this quadratic.
    // The maps are looked up, never iterated (the order is `out`'s), and hold one
    // profile's resources, which the spec's text names: foldhash, seeded at random
    // per process (an attacker writing a spec sees no hash, so cannot aim keys at
    // one bucket), instead of SipHash, which hashing ARNs made ~5% of a fleet's build.
    // Each resource's note, with its region (the first that lists the resource).
    let mut note_of: HashMap<&str, (usize, &ResourceNote), RandomState> =
        HashMap::with_capacity_and_hasher(
            notes.iter().map(|r| r.len()).sum(),
            RandomState::default(),
        );
    for (k, region) in notes.iter().enumerate() {
        for n in region.iter() {
            note_of.entry(&n.resource).or_insert((k, n));
        }
    }
    // Each designed wildcard, with the region whose note made it one.
    let mut out: Vec<(Owned, Option<usize>)> = Vec::new();
    let mut seen: HashSet<&str, RandomState> = HashSet::default();
    let mut not_designed: HashSet<&str, RandomState> = HashSet::default();
    // A Deny, or an Allow of all but its `NotResource`, grants none of its resources.
    let grants = |s: &&super::Statement| s.effect == Effect::Allow && !s.not_resource;
    for s in policies.iter().flat_map(|p| &p.statements).filter(grants) {
        for r in &s.resources {
            // Designed wildcards are AWS's own ARNs, all of them known when written.
            let Resource::Literal(r) = r else { continue };
            if !has_wildcard(r) {
                continue;
            }
            let by = |b: &ByDesign| Some((b.fact, b.source, None));
            let why = if s.sid.starts_with(SID_AGENT_BUCKETS) {
                note_of
                    .get(&**r)
                    .filter(|_| only_objects(r))
                    .map(|(k, n)| (AGENT_BUCKET_OBJECTS, n.source, Some(*k)))
            } else if s.sid.starts_with(SID_OWN_OBJECTS) && only_objects(r) {
                by(&OWN_BUCKET_OBJECTS)
            } else if s.sid.starts_with(SID_SESSION_LOGS_TO_S3) && only_objects(r) {
                by(&SESSION_LOG_OBJECTS)
            } else if s.sid.starts_with(SID_SESSION_LOGS_DESCRIBE) && &**r == "*" {
                by(&DESCRIBE_LOG_GROUPS)
            } else if s.sid.starts_with(SID_SESSION_LOGS_TO_CLOUDWATCH) && **r == *log_groups {
                by(&SESSION_LOG_GROUPS)
            } else {
                None
            };
            match why {
                Some(_) if !seen.insert(r) => {}
                Some((fact, source, region)) => out.push((
                    Owned {
                        resource: Arc::clone(r),
                        fact,
                        source,
                    },
                    region,
                )),
                None => {
                    not_designed.insert(r);
                }
            }
        }
    }
    if !not_designed.is_empty() {
        out.retain(|(d, _)| !not_designed.contains(&*d.resource));
    }
    // A region is whole when each of its notes made a designed wildcard (a resource
    // is in `out` once, and only for the first region that lists it).
    let mut made = vec![0usize; notes.len()];
    for k in out.iter().filter_map(|(_, region)| *region) {
        made[k] += 1;
    }
    let whole = |k: &usize| made[*k] == notes[*k].len();
    let mut others: Vec<Owned> = out
        .into_iter()
        .filter(|(_, region)| !region.as_ref().is_some_and(whole))
        .map(|(d, _)| d)
        .collect();
    // Collected in place, `others` keeps the room `out` had.
    others.shrink_to_fit();
    DesignedWildcards {
        regions: (0..notes.len())
            .filter(whole)
            .map(|k| Arc::clone(&notes[k]))
            .collect(),
        others,
    }
}

/// IAM's wildcards in a resource: `*` and `?`.
pub fn has_wildcard(resource: &str) -> bool {
    // A byte search a word at a time (`memchr`), where a search for either character
    // went one character at a time: every ARN of a fleet is looked at twice.
    let bytes = resource.as_bytes();
    bytes.contains(&b'*') || bytes.contains(&b'?')
}

/// An object ARN whose one wildcard is the trailing `/*` that stands for the objects:
/// the bucket and prefix before it are literal.
fn only_objects(resource: &str) -> bool {
    resource
        .strip_suffix("/*")
        .is_some_and(|head| !has_wildcard(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Statement;
    use crate::refdata::SEED_PAGE;

    fn policy(sid: &str, resources: &[&str]) -> CustomPolicy {
        CustomPolicy {
            name: "P".into(),
            id: "P".into(),
            path: None,
            statements: vec![Statement {
                effect: Effect::Allow,
                not_resource: false,
                sid: sid.into(),
                actions: vec!["s3:GetObject".into()],
                resources: resources.iter().map(|r| Resource::from(*r)).collect(),
                purpose: String::new(),
            }],
        }
    }

    fn designed(sid: &str, resources: &[&str]) -> Vec<String> {
        designed_wildcards(&[policy(sid, resources)], &[notes(resources)], "aws")
            .iter()
            .map(|d| d.resource.to_string())
            .collect()
    }

    #[test]
    fn only_the_objects_wildcard_of_a_named_bucket_is_the_design() {
        assert_eq!(
            designed("OwnBucketObjects", &["arn:aws:s3:::b/*"]),
            ["arn:aws:s3:::b/*"]
        );
        assert_eq!(
            designed("OwnBucketObjectsCrossAccount", &["arn:aws:s3:::b/logs/*"]),
            ["arn:aws:s3:::b/logs/*"]
        );
        // A wildcard anywhere else is nobody's design: the finding stays.
        for r in [
            "arn:aws:s3:::b/*/*",
            "arn:aws:s3:::b*/*",
            "arn:aws:s3:::b/x?/*",
            "*",
        ] {
            assert!(designed("OwnBucketObjects", &[r]).is_empty(), "{r}");
        }
        // A literal resource needs no suppression.
        assert!(designed("OwnBucketEncryption", &["arn:aws:s3:::b"]).is_empty());
    }

    #[test]
    fn logs_wildcards_are_the_design_only_in_their_statements() {
        assert_eq!(designed("SessionLogsDescribe", &["*"]), ["*"]);
        assert_eq!(
            designed("SessionLogsToCloudWatch", &["arn:aws:logs:*:*:log-group:*"]),
            ["arn:aws:logs:*:*:log-group:*"]
        );
        assert!(designed("SessionLogsToCloudWatch", &["*"]).is_empty());
        assert!(designed("SessionEncryptionKey", &["*"]).is_empty());
        assert!(designed("SomethingElse", &["arn:aws:s3:::b/*"]).is_empty());
    }

    fn notes(resources: &[&str]) -> Arc<[ResourceNote]> {
        resources
            .iter()
            .map(|r| ResourceNote {
                resource: Arc::from(*r),
                purpose: "",
                source: &SEED_PAGE,
            })
            .collect()
    }

    /// A region whose every agent bucket the profile grants is that region's notes,
    /// shared (not a copy per profile); a region of which one is not granted gives
    /// its granted ones one by one. Each resource comes once, with its note's page.
    #[test]
    fn a_whole_regions_agent_buckets_are_its_notes_shared() {
        let whole = notes(&["arn:aws:s3:::a-r1/*", "arn:aws:s3:::b-r1/*"]);
        let partial = notes(&["arn:aws:s3:::a-r2/*", "arn:aws:s3:::b-r2/*"]);
        let granted = [
            "arn:aws:s3:::a-r1/*",
            "arn:aws:s3:::b-r1/*",
            "arn:aws:s3:::a-r2/*",
        ];
        let d = designed_wildcards(
            &[policy("SsmAgentBucketsPart1", &granted)],
            &[Arc::clone(&whole), Arc::clone(&partial)],
            "aws",
        );
        assert_eq!(d.regions.len(), 1);
        assert!(Arc::ptr_eq(&d.regions[0], &whole));
        let others: Vec<&str> = d.others.iter().map(|o| &*o.resource).collect();
        assert_eq!(others, ["arn:aws:s3:::a-r2/*"]);
        let all: Vec<DesignedWildcard> = d.iter().collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all.iter().map(|w| w.resource).collect::<Vec<_>>(), granted);
        assert!(
            all.iter()
                .all(|w| w.fact == AGENT_BUCKET_OBJECTS && std::ptr::eq(w.source, &SEED_PAGE))
        );
    }

    #[test]
    fn a_resource_granted_also_other_than_by_design_is_not_the_design() {
        let mut p = policy("SessionLogsDescribe", &["*"]);
        p.statements
            .push(policy("SessionEncryptionKey", &["*"]).statements.remove(0));
        assert!(designed_wildcards(&[p], &[], "aws").iter().next().is_none());
    }
}

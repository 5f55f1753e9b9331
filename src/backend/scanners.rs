//! The scanners platform teams gate IaC on, and the suppressions each target writes for
//! the findings that are AWS's documented design (issue 27): cdk-nag's AwsSolutions
//! pack on the CDK, AWS CloudFormation Guard's registry rules (and cfn_nag, whose rule
//! IDs those rules accept as the same suppression) on CloudFormation. Each is narrowed
//! to the resource or policy it is about, with the AWS fact and page behind it: a
//! wildcard or managed policy the spec adds itself is not suppressed, and is reported.
//! The spec's `scanner_suppressions: false` leaves them all out.
//!
//! Terraform needs none: checkov, the scanner teams run on it, passes every fixture
//! with no `#checkov:skip` (tests/scanners.rs).

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::model::{CustomPolicy, DesignedWildcard, Model, Profile, RoleRef};

/// cdk-nag AwsSolutions: "The IAM user, role, or group uses AWS managed policies."
pub const CDK_NAG_MANAGED_POLICY: &str = "AwsSolutions-IAM4";
/// cdk-nag AwsSolutions: "The IAM entity contains wildcard permissions ..."
pub const CDK_NAG_WILDCARD: &str = "AwsSolutions-IAM5";
/// Guard (aws-guard-rules-registry): a role or policy with a name of its own; the rule
/// accepts cfn_nag's W28 as the same suppression.
pub const GUARD_EXPLICIT_NAME: &str = "CFN_NO_EXPLICIT_RESOURCE_NAMES";
pub const CFN_NAG_EXPLICIT_NAME: &str = "W28";
/// Guard: an Allow statement on `*`; the rule accepts cfn_nag's W13 (a managed policy's
/// `*`) as the same suppression.
pub const GUARD_WILDCARD: &str = "IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE";
pub const CFN_NAG_WILDCARD: &str = "W13";

/// One rule of cdk-nag suppressed on a resource: for the findings `applies_to` names
/// (cdk-nag's finding IDs) and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdkNag {
    pub id: &'static str,
    pub reason: String,
    pub applies_to: Vec<String>,
}

/// One Guard rule suppressed on a CloudFormation resource (Guard's suppressions carry
/// no reason, so cfn_nag's, for the same finding, carries it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    pub rule: &'static str,
    pub cfn_nag: &'static str,
    pub reason: String,
}

/// cdk-nag's suppressions on a profile's created role: AwsSolutions-IAM4 for each AWS
/// managed policy the spec selects by a switch, by its finding ID.
pub fn cdk_nag_role(model: &Model, p: &Profile) -> Vec<CdkNag> {
    if !model.scanner_suppressions || !matches!(p.role, RoleRef::Create(_)) {
        return Vec::new();
    }
    let mut out: Vec<CdkNag> = Vec::new();
    for m in &p.managed_policies {
        let (Some(by), Some(name)) = (m.by_design, p.aws_managed_name(m)) else {
            continue;
        };
        // The CDK attaches an AWS managed policy by name, in the stack's partition.
        let finding = format!("Policy::arn:<AWS::Partition>:iam::aws:policy/{name}");
        push(&mut out, CDK_NAG_MANAGED_POLICY, by.reason(), finding);
    }
    out
}

/// cdk-nag's suppressions on a custom policy: AwsSolutions-IAM5 for each wildcard
/// resource it grants by design, by its finding ID.
pub fn cdk_nag_policy(model: &Model, p: &Profile, policy: &CustomPolicy) -> Vec<CdkNag> {
    if !model.scanner_suppressions {
        return Vec::new();
    }
    Designed::of(p).policy(policy)
}

/// `cdk_nag_policy` of each of the profile's custom policies, in order: its designed
/// wildcards indexed once for all of them (a fleet profile's ~260, once per policy,
/// were most of this function's work).
pub fn cdk_nag_policies(model: &Model, p: &Profile) -> Vec<Vec<CdkNag>> {
    if !model.scanner_suppressions {
        return vec![Vec::new(); p.custom_policies.len()];
    }
    let designed = Designed::of(p);
    p.custom_policies
        .iter()
        .map(|c| designed.policy(c))
        .collect()
}

/// A profile's designed wildcards (`Profile::designed_wildcards`), by resource.
struct Designed<'p> {
    wildcards: Vec<DesignedWildcard<'p>>,
    /// The first of `wildcards` with each resource. Looked up for every resource of
    /// every policy, in each language (never iterated): foldhash, seeded at random per
    /// process as the model's own index of them (`model::scanners`), since SipHash
    /// over these ARNs was ~6% of a fleet's CDK.
    by_resource: HashMap<&'p str, usize, RandomState>,
}

impl<'p> Designed<'p> {
    fn of(p: &'p Profile) -> Designed<'p> {
        // A fleet's profile grants hundreds of designed wildcards (nine agent buckets
        // per VPC-endpoint region): searching the list for each resource, writing its
        // reason and searching every finding so far made this a quarter of a fleet's
        // build.
        let wildcards: Vec<DesignedWildcard<'p>> = p.designed_wildcards.iter().collect();
        let mut by_resource =
            HashMap::with_capacity_and_hasher(wildcards.len(), RandomState::default());
        for (i, d) in wildcards.iter().enumerate() {
            by_resource.entry(d.resource).or_insert(i);
        }
        Designed {
            wildcards,
            by_resource,
        }
    }

    fn policy(&self, policy: &CustomPolicy) -> Vec<CdkNag> {
        // The suppression (in `out`) of each (fact, page) met so far.
        let mut entries: Vec<(&DesignedWildcard, usize)> = Vec::new();
        // Which designed wildcards have their finding already.
        let mut found = vec![false; self.wildcards.len()];
        let mut out: Vec<CdkNag> = Vec::new();
        let literals = policy.statements.iter().flat_map(|s| &s.resources);
        for r in literals.filter_map(|r| r.literal()) {
            let Some(&at) = self.by_resource.get(r) else {
                continue;
            };
            // One finding per resource, whichever suppression holds it.
            if std::mem::replace(&mut found[at], true) {
                continue;
            }
            let d = &self.wildcards[at];
            let mut finding = String::with_capacity(FINDING.len() + r.len());
            finding.push_str(FINDING);
            finding.push_str(r);
            // The same constant nearly always: its address before its text (compared
            // for each of a fleet's hundreds of findings a policy).
            let same = |(k, _): &&(&DesignedWildcard, usize)| {
                std::ptr::eq(k.source, d.source)
                    && (std::ptr::eq(k.fact, d.fact) || k.fact == d.fact)
            };
            match entries.iter().find(same) {
                Some((_, i)) => out[*i].applies_to.push(finding),
                None => {
                    let reason = crate::refdata::scanners::ByDesign {
                        fact: d.fact,
                        source: d.source,
                    }
                    .reason();
                    push(&mut out, CDK_NAG_WILDCARD, reason.clone(), finding);
                    let i = out
                        .iter()
                        .position(|s| s.reason == reason)
                        .expect("the suppression just pushed");
                    entries.push((d, i));
                }
            }
        }
        out
    }
}

/// cdk-nag's finding ID of a resource is this and the resource.
const FINDING: &str = "Resource::";

/// Adds `finding` to the suppression of rule `id` with this reason, or starts one.
fn push(out: &mut Vec<CdkNag>, id: &'static str, reason: String, finding: String) {
    match out.iter_mut().find(|s| s.id == id && s.reason == reason) {
        Some(s) => s.applies_to.push(finding),
        None => out.push(CdkNag {
            id,
            reason,
            applies_to: vec![finding],
        }),
    }
}

/// Guard's (and cfn_nag's) suppressions on a profile's created role: its name.
pub fn guard_role(model: &Model, p: &Profile) -> Vec<Guard> {
    if !model.scanner_suppressions || !matches!(p.role, RoleRef::Create(_)) {
        return Vec::new();
    }
    vec![named()]
}

/// Guard's (and cfn_nag's) suppressions on a custom policy: its name, and `*` when
/// every statement of it on `*` is the design (Guard suppresses a rule for the whole
/// resource, so one other `*` keeps the finding).
pub fn guard_policy(model: &Model, p: &Profile, policy: &CustomPolicy) -> Vec<Guard> {
    if !model.scanner_suppressions {
        return Vec::new();
    }
    let mut out = vec![named()];
    let star = policy
        .statements
        .iter()
        .flat_map(|s| &s.resources)
        .any(|r| r.literal() == Some("*"));
    // Looked for only when the policy grants `*`: a fleet's profile has hundreds of
    // designed wildcards, and this runs for each policy in each language.
    let designed = || p.designed_wildcards.iter().find(|d| d.resource == "*");
    if let Some(d) = star.then(designed).flatten() {
        out.push(Guard {
            rule: GUARD_WILDCARD,
            cfn_nag: CFN_NAG_WILDCARD,
            reason: crate::refdata::scanners::ByDesign {
                fact: d.fact,
                source: d.source,
            }
            .reason(),
        });
    }
    out
}

fn named() -> Guard {
    Guard {
        rule: GUARD_EXPLICIT_NAME,
        cfn_nag: CFN_NAG_EXPLICIT_NAME,
        reason: crate::refdata::scanners::NAMED.reason(),
    }
}

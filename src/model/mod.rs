//! The validated model: typed IAM resources that every backend renders.
//!
//! Every rule of spec v1 and every IAM and S3 limit is checked here, once; a backend
//! may assume that names, ARNs, regions and sizes are valid, and only decides how to
//! spell them in its language.
//!
//! `build` runs the steps of `profile` for each profile, then the checks across
//! profiles in `names`. The checks themselves are in `rules`, the grants in
//! `statements`, and fitting them into IAM's policy size quota (as `size` counts
//! it) in `split`.

mod adoption;
mod created;
mod dhmc;
mod names;
mod nfc;
mod parameters;
mod profile;
mod resource;
mod rollout;
mod rules;
mod scanners;
mod size;
mod split;
mod statements;
mod warning;

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::diag::RuleError;
use crate::refdata::Citation;
use crate::spec::{self, PartitionName, Spec};

pub use dhmc::{core_instance_profiles, has_core};
pub use names::identifier_stem;
pub use parameters::{ParameterAccess, SID_PATH_READS, SID_VALUE_READS};
pub use resource::{ACCOUNT_ID_CHARS, DEPLOYING_ACCOUNT, DeployTime, Resource};
pub use rollout::{CallAs, Rollout};
pub use scanners::{DesignedWildcard, DesignedWildcards};
pub use size::policy_size;
pub use warning::Warning;

/// All profiles of one spec.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Shared, not owned: one stack of several (`backend::stacks::part`) is a model
    /// of its own over some of these profiles, made once per output and stack, and
    /// copying a fleet's profiles for each was a tenth of its build (BENCHMARKS.md).
    pub profiles: Vec<Arc<Profile>>,
    /// The organization-wide rollout, when the spec asks for one.
    pub rollout: Option<Rollout>,
    /// How many stacks `--out-dir` writes the CloudFormation and CDK targets as: the
    /// spec's `stacks`, or 1 (`backend::stacks` places the profiles).
    pub stacks: usize,
    /// Which `Openings` the model's strings hold, looked for once per model: every
    /// output, and every stack of one, asks `backend::interpreted` (`Model::new`
    /// leaves it empty; a stack's model starts from its whole's).
    #[serde(skip)]
    pub openings: OnceLock<Openings>,
    /// The `DeployTime` values its texts hold, looked for once per model (by
    /// `backend::terraform`, whose configuration is a fleet's in ten pieces).
    #[serde(skip)]
    pub deploy_time: OnceLock<DeployTime>,
    /// Write each scanner's suppression of the findings that are by design (the spec's
    /// `scanner_suppressions`, default on; `backend::scanners`).
    pub scanner_suppressions: bool,
}

/// Whether any string of a model holds each of the openings of text a deploy tool
/// reads as an instruction (`backend::interpreted` says which tool reads which).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Openings {
    /// `{{`
    pub double_brace: bool,
    /// `Token[`
    pub token: bool,
    /// `-1.`
    pub minus_one_dot: bool,
}

/// So that a list of profiles can be read whether it holds them or shares them.
impl AsRef<Profile> for Profile {
    fn as_ref(&self) -> &Profile {
        self
    }
}

impl Model {
    /// A model of `profiles` (and `rollout`), not yet looked at for `openings`.
    pub fn new(profiles: Vec<Arc<Profile>>, rollout: Option<Rollout>) -> Model {
        Model {
            profiles,
            rollout,
            stacks: 1,
            openings: OnceLock::new(),
            deploy_time: OnceLock::new(),
            scanner_suppressions: true,
        }
    }

    /// Every profile's warnings as printed: `SPEC: profile `NAME`: WARNING`, in order.
    pub fn warning_lines(&self, spec_name: &str) -> Vec<String> {
        self.profiles
            .iter()
            .flat_map(|p| {
                p.warnings
                    .iter()
                    .map(move |w| format!("{spec_name}: profile `{}`: {w}", p.name))
            })
            .collect()
    }
}

/// One role (created or existing) with its policies and, for EC2, its instance profile.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: String,
    /// Alphanumeric stem of every identifier a backend derives (CloudFormation
    /// logical IDs, Terraform addresses, CDK member names). Unique in the spec.
    pub id: String,
    pub kind: Kind,
    pub partition: PartitionName,
    pub arn_partition: &'static str,
    pub role: RoleRef,
    pub managed_policies: Vec<ManagedPolicy>,
    /// How many managed policies the role may hold: IAM's default of 10, or the
    /// spec's `managed_policy_quota` for an account whose quota was raised.
    pub managed_policy_quota: usize,
    /// The stack the spec pins this profile to (`stack`, from 1), checked against the
    /// spec's `stacks`; `None`: the one its name's hash chooses (`backend::stacks`).
    pub stack: Option<usize>,
    /// The role, custom policies and instance profile exist already under these
    /// names and are taken over (`adopt`), not created.
    pub adopt: bool,
    /// The account the spec says the profiles are deployed in (`account_id`).
    pub account_id: Option<String>,
    pub custom_policies: Vec<CustomPolicy>,
    pub instance_profile: Option<InstanceProfile>,
    /// The account setting a Default Host Management profile sets to its role.
    pub service_setting: Option<ServiceSetting>,
    pub tags: Vec<Tag>,
    /// What each AWS-owned bucket the profile grants is for, and the dated AWS page
    /// that says so, by resource, for `explain` (`resource_notes`): one shared list per
    /// region, the same for every profile that lists the region (a copy per profile
    /// was 12 of a 1,000-profile model's 50 MB). Not serialised: made of AWS's facts
    /// only (the partition, a known region, refdata's bucket names and citations), it
    /// holds no spec text for the interpreted-text check (`backend::interpreted`, the
    /// model's only serialiser) to find, and was half of what that check serialised.
    #[serde(skip)]
    pub resource_notes_by_region: Vec<Arc<[ResourceNote]>>,
    /// The custom policies' wildcards that AWS's pages grant so, with fact and page
    /// (`scanners::designed_wildcards`); not serialised: it repeats the statements.
    #[serde(skip)]
    pub designed_wildcards: DesignedWildcards,
    /// What `parameter_store` leaves readable, for `explain`; `None` without it. Not
    /// serialised: its names are in the policy's statements, and hold only
    /// Parameter Store's name characters.
    #[serde(skip)]
    pub parameter_store: Option<ParameterAccess>,
    /// Things the user should know: unconfirmed facts, risky choices.
    pub warnings: Vec<Warning>,
}

impl Profile {
    /// What each AWS-owned bucket the profile grants is for, in the order granted.
    pub fn resource_notes(&self) -> impl Iterator<Item = &ResourceNote> {
        self.resource_notes_by_region.iter().flat_map(|r| r.iter())
    }
}

/// Why a resource of a statement is granted, and where AWS documents it.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceNote {
    /// The resource as the statement grants it (`arn:aws:s3:::aws-ssm-us-east-1/*`),
    /// shared with every other profile that grants it (see `Statement::resources`).
    pub resource: Arc<str>,
    pub purpose: &'static str,
    pub source: &'static Citation,
}

/// What a profile's role is for. The model's own, so that backends need not read
/// the spec; it is spelled as the spec spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A role for EC2 instances, which take it through an instance profile.
    InstanceProfile,
    /// A role Systems Manager assumes for servers and VMs of a hybrid activation.
    HybridServiceRole,
    /// The role Systems Manager assumes for every EC2 instance of the account and
    /// region that no instance profile manages (Default Host Management
    /// Configuration), and the account setting that names it.
    DefaultHostManagement,
}

impl From<spec::Kind> for Kind {
    fn from(kind: spec::Kind) -> Kind {
        match kind {
            spec::Kind::InstanceProfile => Kind::InstanceProfile,
            spec::Kind::HybridServiceRole => Kind::HybridServiceRole,
            spec::Kind::DefaultHostManagement => Kind::DefaultHostManagement,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum RoleRef {
    Create(Role),
    /// A role that exists already; nothing creates it.
    Existing {
        name: String,
    },
}

impl RoleRef {
    pub fn name(&self) -> &str {
        match self {
            RoleRef::Create(r) => &r.name,
            RoleRef::Existing { name } => name,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub name: String,
    pub path: Option<String>,
    pub description: Option<String>,
    pub trust: TrustStatement,
    pub permissions_boundary: Option<String>,
    pub max_session_duration: Option<u32>,
}

/// The single statement of a role's trust policy.
#[derive(Debug, Clone, Serialize)]
pub struct TrustStatement {
    pub sid: &'static str,
    pub service: String,
    /// The conditions as IAM reads them: each operator once, holding its keys.
    /// Backends and `explain` spell these groups and never group again: a target
    /// that wrote one object per condition gave a TypeScript literal with a duplicate
    /// `StringEquals` key and a Python dict that kept only the last.
    pub conditions: Vec<ConditionGroup>,
}

/// One condition of a trust statement: `operator` { `key`: `value` }.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub operator: &'static str,
    pub key: &'static str,
    pub value: Text,
}

/// The keys one condition operator tests: `operator` { `key`: `value`, ... }.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionGroup {
    pub operator: &'static str,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionEntry {
    pub key: &'static str,
    pub value: Text,
}

impl TrustStatement {
    /// The statement with `conditions` grouped by operator: operators in the order
    /// they first appear, each operator's keys in the order given. The order is the
    /// model's (deterministic, and what every target printed before grouping moved
    /// here). A key given twice under one operator is a bug in the model (JSON
    /// would keep one of them); debug builds and the tests stop on it.
    pub fn new(sid: &'static str, service: String, conditions: Vec<Condition>) -> Self {
        let mut groups: Vec<ConditionGroup> = Vec::new();
        for c in conditions {
            let entry = ConditionEntry {
                key: c.key,
                value: c.value,
            };
            match groups.iter_mut().find(|g| g.operator == c.operator) {
                Some(g) => {
                    debug_assert!(
                        g.entries.iter().all(|e| e.key != entry.key),
                        "the key {} appears twice under {}",
                        entry.key,
                        c.operator
                    );
                    g.entries.push(entry);
                }
                None => groups.push(ConditionGroup {
                    operator: c.operator,
                    entries: vec![entry],
                }),
            }
        }
        TrustStatement {
            sid,
            service,
            conditions: groups,
        }
    }

    /// Every condition, one (operator, entry) pair each, in the groups' order.
    pub fn each_condition(&self) -> impl Iterator<Item = (&'static str, &ConditionEntry)> {
        self.conditions
            .iter()
            .flat_map(|g| g.entries.iter().map(move |e| (g.operator, e)))
    }
}

/// A string that may hold values known only at deploy time. Each backend spells
/// the deploy-time parts its own way (`${AWS::AccountId}`, a data source, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text(pub Vec<Part>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Literal(String),
    /// The account the template is deployed into.
    AccountId,
    /// The region the template is deployed into.
    Region,
}

impl Text {
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Literal(s)] => Some(s),
            _ => None,
        }
    }
}

/// An AWS managed (or additional) policy attached by ARN.
#[derive(Debug, Clone, Serialize)]
pub struct ManagedPolicy {
    pub arn: String,
    /// Why attaching it is AWS's design; `None` for one the spec lists itself.
    #[serde(skip)]
    pub by_design: Option<&'static crate::refdata::scanners::ByDesign>,
    /// Why it is attached, in words for `explain` and comments.
    pub reason: String,
}

/// A customer managed policy the compiler writes.
#[derive(Debug, Clone, Serialize)]
pub struct CustomPolicy {
    pub name: String,
    /// Identifier stem, unique in the spec (e.g. `SSMInstanceProfileS3Policy`).
    pub id: String,
    pub path: Option<String>,
    pub statements: Vec<Statement>,
}

impl CustomPolicy {
    /// The policy document as IAM reads it in `account`.
    pub fn document(&self, account: &str) -> serde_json::Value {
        size::policy_document(&self.statements, account)
    }
}

/// A statement of a policy the compiler writes. Every statement says what it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub effect: Effect,
    /// The resources are IAM's `NotResource`: the statement applies to every
    /// resource but these. Such a statement is never cut by resource (two Denies,
    /// each with part of the list, would deny what the other exempts).
    pub not_resource: bool,
    pub sid: String,
    pub actions: Vec<String>,
    /// Shared text: a fleet's profiles grant the same AWS-owned bucket ARNs, hundreds
    /// each, and one copy of each ARN (built once per region, `statements`) keeps a
    /// 1,000-profile model tens of megabytes smaller.
    pub resources: Vec<Resource>,
    /// The case of the seed page (or the Session Manager need) this statement serves.
    pub purpose: String,
}

/// What a statement does to the requests it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    /// Wins over every Allow of every policy of the role (and of a permissions
    /// boundary), so a Deny narrows what AWS managed policies grant.
    Deny,
}

impl Effect {
    /// As IAM spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

impl Statement {
    /// The element that holds the resources, as IAM spells it.
    pub fn resource_element(&self) -> &'static str {
        if self.not_resource {
            "NotResource"
        } else {
            "Resource"
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceProfile {
    pub name: String,
    pub path: Option<String>,
}

/// A Systems Manager service setting of the account, in the region the template is
/// deployed to (`AWS::SSM::ServiceSetting`, `aws_ssm_service_setting`).
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSetting {
    /// The setting's ID (`/ssm/managed-instance/...`), as CloudFormation names it.
    pub id: &'static str,
    /// The setting's ARN, as Terraform names it: the region and account are those
    /// the configuration is applied to.
    pub arn: Text,
    pub value: String,
    /// The role the value names: the setting is written after it exists.
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

pub const POLICY_VERSION: &str = "2012-10-17";

/// Builds the model from a parsed spec, checking every rule; the first error (in the
/// order the rules are checked) comes back. See `build_all`.
pub fn build(spec: &Spec, spec_name: &str) -> Result<Model, RuleError> {
    build_all(spec, spec_name).map_err(|mut errors| errors.swap_remove(0))
}

/// Builds the model from a parsed spec, checking every rule of every profile. Each
/// error carries the path of the field it is about, which `source` turns into a
/// place in the file. A profile's checks go on after a failed one where later checks
/// do not depend on it (a bad path does not stop the tags from being checked), so
/// one run reports every independent error; `Err` is never empty. `spec_name` is the
/// file's name as given (`<stdin>` for standard input): the rollout's StackSets are
/// named from it when the spec does not name them.
pub fn build_all(spec: &Spec, spec_name: &str) -> Result<Model, Vec<RuleError>> {
    if spec.version != 1 {
        return Err(vec![RuleError::new(
            "version",
            format!(
                "unsupported spec version {}; only version 1 exists",
                spec.version
            ),
        )]);
    }
    if spec.profiles.is_empty() {
        return Err(vec![RuleError::new(
            "profiles",
            "at least one profile is required",
        )]);
    }
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for (i, p) in spec.profiles.iter().enumerate() {
        let ctx = Ctx {
            at: format!("profiles[{i}]"),
            errors: Default::default(),
        };
        let result = profile::build(p, &ctx);
        let mut found = ctx.errors.into_inner();
        match result {
            Ok(profile) if found.is_empty() => built.push((
                i,
                Profile {
                    account_id: spec.account_id.clone(),
                    ..profile
                },
            )),
            Ok(_) => {}
            Err(e) => found.push(e),
        }
        errors.extend(found);
    }
    errors.extend(names::check_unique_names(&built, spec));
    errors.extend(dhmc::check_one_setting(spec));
    errors.extend(check_stacks(spec));
    errors.extend(adoption::check(spec));
    let mut profiles: Vec<Profile> = built.into_iter().map(|(_, p)| p).collect();
    let rollout = rollout::build(spec, &profiles, spec_name).unwrap_or_else(|found| {
        errors.extend(found);
        None
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    dhmc::warn_of_precedence(&mut profiles);
    let mut model = Model::new(profiles.into_iter().map(Arc::new).collect(), rollout);
    model.stacks = spec.stacks.map_or(1, |n| n as usize);
    model.scanner_suppressions = spec.scanner_suppressions;
    Ok(model)
}

/// `stacks` in range, and every profile's `stack` one of them.
fn check_stacks(spec: &Spec) -> Vec<RuleError> {
    let max = crate::spec::STACKS_MAX;
    let mut errors = Vec::new();
    let declared = match spec.stacks {
        Some(n) if !(1..=max).contains(&n) => {
            errors.push(RuleError::new(
                "stacks",
                format!("{n} is not a number of stacks: give 1 to {max}"),
            ));
            max
        }
        Some(n) => n,
        None => 1,
    };
    for (i, p) in spec.profiles.iter().enumerate() {
        match p.stack {
            Some(n) if !(1..=declared).contains(&n) => errors.push(RuleError::new(
                format!("profiles[{i}].stack"),
                if spec.stacks.is_none() {
                    format!("there is no stack {n}: the spec is one stack; declare `stacks` (the number of stacks) to place profiles in several")
                } else {
                    format!("there is no stack {n}: the spec declares `stacks: {declared}`, so give 1 to {declared}")
                },
            )),
            _ => {}
        }
    }
    errors
}

/// Where in the spec the rules being checked apply (`profiles[2]`), so that each
/// error names its field.
struct Ctx {
    at: String,
    /// Errors of checks that later checks do not depend on (`recover`).
    errors: std::cell::RefCell<Vec<RuleError>>,
}

impl Ctx {
    /// The value of a check that passed; for one that failed, the error is kept
    /// and `fallback` lets the independent checks after it run.
    fn recover<T>(&self, result: Result<T, RuleError>, fallback: T) -> T {
        result.unwrap_or_else(|e| {
            self.report(e);
            fallback
        })
    }

    /// Keeps an error and goes on with the next independent check.
    fn report(&self, e: RuleError) {
        self.errors.borrow_mut().push(e);
    }

    /// How many errors were kept so far.
    fn error_count(&self) -> usize {
        self.errors.borrow().len()
    }

    fn err(&self, field: &str, message: impl Into<String>) -> RuleError {
        let path = if field.is_empty() {
            self.at.clone()
        } else if field.starts_with('[') {
            format!("{}{field}", self.at)
        } else {
            format!("{}.{field}", self.at)
        };
        RuleError::new(path, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_spelled_as_the_spec_spells_them() {
        for kind in [
            spec::Kind::InstanceProfile,
            spec::Kind::HybridServiceRole,
            spec::Kind::DefaultHostManagement,
        ] {
            assert_eq!(
                serde_json::to_value(Kind::from(kind)).unwrap(),
                serde_json::to_value(kind).unwrap()
            );
        }
    }
}

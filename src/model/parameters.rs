//! `parameter_store`: the policy that narrows which parameters the instance reads.
//!
//! AmazonSSMManagedInstanceCore allows ssm:GetParameter and ssm:GetParameters on `*`.
//! Core stays attached (AWS maintains it); this policy adds an explicit Deny on every
//! read of a parameter's value outside `readable`, which wins over every Allow of
//! every policy of the role, so the profile is narrower than Core by construction.
//! GetParametersByPath is authorized on the path asked for and returns everything
//! below it, so it has its own Deny: a path is exempt only at or below a readable
//! prefix, never because an exact name is readable.

use super::split::split_policy;
use super::{Ctx, CustomPolicy, Effect, Resource, Statement};
use crate::diag::RuleError;
use crate::refdata::parameters::{
    self as facts, CLOUDWATCH_AGENT, NameViolation, PARAMETER_NAME, ParameterNameRule, Reader,
};
use crate::refdata::{Partition, limits, rules};
use crate::spec::{ParameterStoreSpec, ProfileSpec};

/// What the profile may read, for `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterAccess {
    /// The entries of `readable`, as given.
    pub readable: Vec<String>,
    /// The profile's features that read parameters of their own, exempted with them.
    pub features: Vec<&'static Reader>,
    /// The NotResource of the value reads and of the by-path reads, as written.
    pub value_reads_exempt: Vec<Resource>,
    pub path_reads_exempt: Vec<Resource>,
    /// What each list holds whatever `readable` holds (AWS's public parameters, the
    /// features'), after the entries' own: the Terraform module builds the lists
    /// from its `readable` input and these.
    pub value_reads_fixed: Vec<Resource>,
    pub path_reads_fixed: Vec<Resource>,
    /// An entry's ARN before the account: `arn:PARTITION:ssm:*:`.
    pub arn_before_account: String,
}

/// The statements' `Sid`s, by which the Terraform module finds the lists its
/// `readable` input replaces.
pub const SID_VALUE_READS: &str = "DenyParameterReadsOutsideReadable";
pub const SID_PATH_READS: &str = "DenyParameterPathReadsOutsideReadable";

/// The Deny policy `<name>ParameterStorePolicy`, and what it leaves readable;
/// `None` when an entry was refused (each is reported at its index).
pub(super) fn parameter_store_policies(
    p: &ProfileSpec,
    spec: &ParameterStoreSpec,
    id: &str,
    partition: Partition,
    path: &Option<String>,
    ctx: &Ctx,
    names_valid: bool,
) -> Result<Option<(Vec<CustomPolicy>, ParameterAccess)>, RuleError> {
    let Some(readable) = checked_entries(spec, ctx) else {
        return Ok(None);
    };
    let mut features = Vec::new();
    if p.managed_policies.cloudwatch_agent {
        features.push(&CLOUDWATCH_AGENT);
    }
    // The listed names are parameters of this account (`facts::THIS_ACCOUNT`), in
    // any region; AWS's public parameters are in no account.
    let before = format!("arn:{}:ssm:*:", partition.arn_id);
    let listed = |resource: &str| Resource::in_account(&before, &format!(":parameter/{resource}"));
    let public = |resource: &str| Resource::from(format!("{before}:parameter/{resource}"));

    let mut value_reads = Vec::new();
    let mut path_reads = Vec::new();
    for entry in &readable {
        let resource = ParameterNameRule::arn_resource(entry);
        value_reads.push(listed(resource));
        // Every name below a path that starts with a prefix starts with it too, so
        // a prefix is safe to read by path; an exact name is not (its path would
        // return what lies below it).
        if let Some(stem) = resource.strip_suffix('*') {
            if let Some(path) = stem.strip_suffix('/') {
                path_reads.push(listed(path));
            }
            path_reads.push(listed(resource));
        }
    }
    let public_path = facts::PUBLIC_PATH;
    let mut value_reads_fixed = vec![public(&format!("{public_path}/*"))];
    let path_reads_fixed = vec![public(public_path), public(&format!("{public_path}/*"))];
    for reader in &features {
        value_reads_fixed.extend(reader.names.iter().map(|n| listed(n)));
    }
    value_reads.extend(value_reads_fixed.iter().cloned());
    path_reads.extend(path_reads_fixed.iter().cloned());
    let (value_reads, path_reads) = (unique(value_reads), unique(path_reads));

    let statements = vec![
        deny(
            SID_VALUE_READS,
            facts::VALUE_READS,
            &value_reads,
            "Parameter Store: AmazonSSMManagedInstanceCore allows reading every parameter of the account; deny reading any but the readable ones, AWS's public parameters and those the profile's features read",
        ),
        deny(
            SID_PATH_READS,
            &[facts::PATH_READ],
            &path_reads,
            "Parameter Store: GetParametersByPath returns every parameter below the path asked for; deny it on any path but those at or below a readable prefix and AWS's public path",
        ),
    ];
    for s in &statements {
        // A NotResource list cut in two would be two Denies, each denying what the
        // other exempts: it must fit one policy whole.
        if super::size::policy_size(std::slice::from_ref(s)) > limits::POLICY_DOCUMENT_MAX {
            return Err(ctx.err(
                "parameter_store.readable",
                format!(
                    "the Deny statement {} would be over IAM's {} characters for one policy; it cannot be split without denying what it exempts, so give fewer entries (a prefix such as `/app/*` covers many names)",
                    s.sid,
                    limits::POLICY_DOCUMENT_MAX
                ),
            ));
        }
    }
    let name = format!("{}ParameterStorePolicy", p.name);
    if names_valid {
        super::rules::check_iam_name(
            ctx,
            "name",
            &name,
            "the Parameter Store policy name derived from it",
            &rules::POLICY_NAME,
        )?;
    }
    let policies = split_policy(
        ctx,
        "parameter_store",
        &name,
        &format!("{id}ParameterStorePolicy"),
        path.clone(),
        statements,
    )?;
    Ok(Some((
        policies,
        ParameterAccess {
            readable,
            features,
            value_reads_exempt: value_reads,
            path_reads_exempt: path_reads,
            value_reads_fixed,
            path_reads_fixed,
            arn_before_account: before,
        },
    )))
}

fn deny(sid: &str, actions: &[&str], resources: &[Resource], purpose: &str) -> Statement {
    Statement {
        effect: Effect::Deny,
        not_resource: true,
        sid: sid.into(),
        actions: actions.iter().map(|a| a.to_string()).collect(),
        resources: resources.to_vec(),
        purpose: purpose.into(),
    }
}

/// In the order first given, each once.
fn unique(items: Vec<Resource>) -> Vec<Resource> {
    let mut seen = Vec::new();
    items
        .into_iter()
        .filter(|i| {
            let new = !seen.contains(i);
            if new {
                seen.push(i.clone());
            }
            new
        })
        .collect()
}

/// Every entry checked against Parameter Store's naming rules, each error at its
/// index; an entry given twice (`/region` and `region` are one parameter) is an
/// error too.
fn checked_entries(spec: &ParameterStoreSpec, ctx: &Ctx) -> Option<Vec<String>> {
    let before = ctx.error_count();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, entry) in spec.readable.iter().enumerate() {
        let field = format!("parameter_store.readable[{i}]");
        match PARAMETER_NAME.violation(entry) {
            Some(v) => ctx.report(ctx.err(&field, message(entry, v))),
            None => {
                let resource = ParameterNameRule::arn_resource(entry);
                match seen.iter().find(|(r, _)| *r == resource) {
                    Some((_, j)) => ctx.report(ctx.err(
                        &field,
                        if spec.readable[*j] == *entry {
                            format!("`{entry}` is given twice (also at readable[{j}])")
                        } else {
                            format!(
                                "`{entry}` and `{}` (readable[{j}]) are one parameter: Parameter Store and IAM read a name with and without its leading `/` alike",
                                spec.readable[*j]
                            )
                        },
                    )),
                    None => seen.push((resource, i)),
                }
            }
        }
    }
    // Each refused entry is reported above; no policy is built from them.
    (ctx.error_count() == before).then(|| spec.readable.clone())
}

/// What is wrong with a `readable` entry, in Parameter Store's and IAM's words.
fn message(entry: &str, v: NameViolation) -> String {
    let rule = &PARAMETER_NAME;
    match v {
        NameViolation::Everything => format!(
            "`{entry}` names every parameter of the account; to leave Core's reads as they are, leave `parameter_store` out"
        ),
        NameViolation::Wildcard(c) => format!(
            "`{entry}` holds {c:?} before its end: IAM reads `*` and `?` in an ARN as wildcards anywhere, which would exempt names Parameter Store keeps apart; only a trailing `*` (a prefix) is allowed"
        ),
        NameViolation::Char(c) => format!(
            "`{entry}` contains {c:?}; a parameter name may contain only {} (and a trailing `*` for a prefix)",
            rule.words
        ),
        NameViolation::Length(len) => format!(
            "this name is {len} characters long; a parameter name is at most {} here (Parameter Store's {} count the ARN before the name, up to 56 characters in the longest region)",
            rule.max,
            facts::NAME_WITH_ARN_MAX
        ),
        NameViolation::NotQualified => format!(
            "`{entry}` has levels but no leading `/`; Parameter Store needs a name in a hierarchy to start with `/`: write `/{entry}`"
        ),
        NameViolation::EmptyLevel => format!(
            "`{entry}` has an empty level (`//`, or a `/` at the end of a name); end a prefix with `/*` to name what lies below a path"
        ),
        NameViolation::Depth(depth) => format!(
            "`{entry}` is {depth} levels deep; Parameter Store's hierarchies have at most {} levels",
            rule.depth
        ),
        NameViolation::Reserved(prefix) => format!(
            "`{entry}` begins with `{prefix}`; Parameter Store reserves names beginning with `aws` or `ssm` in any case, so no parameter of the account has it (AWS's public parameters under /aws/service/ stay readable without it)"
        ),
    }
}

#[cfg(test)]
mod tests;

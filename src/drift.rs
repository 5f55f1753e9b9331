//! `drift`: what the first deploy of a spec would change on the resources that
//! exist, read offline from the account's IAM dump (`live`). For each profile: its
//! role (trust, path, boundary, tags, managed policies), each custom policy's
//! default version (compared by meaning, `meaning`), its instance profile's role;
//! a resource the spec adopts that does not exist, and one that exists but is not
//! adopted. The dump has no role description or session duration, nor the account's
//! service settings: `drift` says so instead of guessing. A dump of another account
//! than the spec's `account_id` is refused (`check_account`).

pub mod live;
pub mod meaning;
pub mod report;

use serde_json::Value;

use crate::backend::adoption::policy_arn;
use crate::backend::document::{self, Spelling};
use crate::model::{Model, Part, Profile, RoleRef, Text};
use live::{Live, LivePolicy, LiveRole};

/// What a finding says about the deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The deploy would change, create or fail on something: exit 1.
    Change,
    /// What the dump cannot tell (no exit status of its own).
    Unknown,
}

/// One thing the first deploy would do, or that `drift` cannot tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// The profile's name.
    pub profile: String,
    /// The spec field the finding is about (`profiles[0].tags`), for annotations.
    pub at: String,
    /// `role SSMInstanceProfile`, `policy ...`, `instance profile ...`.
    pub subject: String,
    pub message: String,
    /// Statements, one per line, that differ (`+` only in the spec, `-` only live).
    pub details: Vec<String>,
}

/// `Err` when the spec names the account it deploys to (`account_id`) and the dump is
/// of another: `drift` builds the ARNs it compares from the dump's account, so it
/// would report on that account and find nothing wrong with the pairing (a test
/// adopted the fixture's 123456789012 from a dump of 111122223333 and saw "nothing
/// changes"). Says which two accounts.
pub fn check_account(model: &Model, live: &Live) -> Result<(), String> {
    let spec = model.profiles.iter().find_map(|p| p.account_id.as_deref());
    match (spec, live.account()) {
        (Some(spec), Some(dump)) if spec != dump => Err(format!(
            "the dump is of account {dump}, and the spec's `account_id` is {spec}: drift compares a spec with the account it deploys to; dump that account's roles and policies with its credentials"
        )),
        _ => Ok(()),
    }
}

/// Every finding of every profile, in spec order.
pub fn drift(model: &Model, live: &Live) -> Vec<Finding> {
    let account = live.account();
    let mut out = Vec::new();
    for (i, p) in model.profiles.iter().enumerate() {
        Profiles {
            p,
            at: format!("profiles[{i}]"),
            live,
            account: account.as_deref(),
            out: &mut out,
        }
        .compare();
    }
    out
}

/// The strings of a document as the live account would read them: the account
/// from the dump, the region from the live trust policy (`region`), or a marker
/// that matches nothing when unknown.
struct Resolved<'a> {
    account: &'a str,
    region: &'a str,
}

impl Spelling for Resolved<'_> {
    fn literal<'s>(&self, s: &'s str) -> std::borrow::Cow<'s, str> {
        std::borrow::Cow::Borrowed(s)
    }

    fn text(&self, t: &Text) -> Value {
        let mut s = String::new();
        for part in &t.0 {
            match part {
                Part::Literal(l) => s.push_str(l),
                Part::AccountId => s.push_str(self.account),
                Part::Region => s.push_str(self.region),
            }
        }
        Value::String(s)
    }
}

const UNKNOWN_ACCOUNT: &str = "<the deploying account>";
const UNKNOWN_REGION: &str = "<the deploying region>";

struct Profiles<'a> {
    p: &'a Profile,
    at: String,
    live: &'a Live,
    account: Option<&'a str>,
    out: &'a mut Vec<Finding>,
}

impl Profiles<'_> {
    fn push(&mut self, kind: Kind, field: &str, subject: String, message: String) {
        self.push_with(kind, field, subject, message, Vec::new());
    }

    fn push_with(
        &mut self,
        kind: Kind,
        field: &str,
        subject: String,
        message: String,
        details: Vec<String>,
    ) {
        let at = if field.is_empty() {
            self.at.clone()
        } else {
            format!("{}.{field}", self.at)
        };
        self.out.push(Finding {
            kind,
            profile: self.p.name.clone(),
            at,
            subject,
            message,
            details,
        });
    }

    fn compare(&mut self) {
        let p = self.p;
        match &p.role {
            RoleRef::Create(_) => self.role(),
            RoleRef::Existing { name } => {
                if find_role(self.live, name).is_none() {
                    self.push(
                        Kind::Change,
                        "existing_role",
                        format!("role {name}"),
                        "does not exist: `existing_role` names a role the deploy does not create, so attaching to it fails".into(),
                    );
                }
            }
        }
        for policy in &p.custom_policies {
            self.policy(policy);
        }
        self.instance_profile();
        if p.service_setting.is_some() {
            self.push(
                Kind::Unknown,
                "kind",
                "Default Host Management setting".into(),
                "not compared: the dump holds no service settings (`aws ssm get-service-setting` shows it)".into(),
            );
        }
    }

    /// The state of a resource against `adopt`: whether to compare it.
    fn exists(&mut self, field: &str, subject: String, found: bool) -> bool {
        match (found, self.p.adopt) {
            (true, true) => true,
            (true, false) => {
                self.push(
                    Kind::Change,
                    field,
                    subject,
                    "exists already, and the profile does not adopt it: the deploy would fail on the name (EntityAlreadyExists); set `adopt: true` to take it over".into(),
                );
                false
            }
            (false, true) => {
                self.push(
                    Kind::Change,
                    "adopt",
                    subject,
                    "does not exist, so it cannot be imported: the import fails on it; create it, fix the name, or leave `adopt` out to have the deploy create it".into(),
                );
                false
            }
            (false, false) => {
                self.push(
                    Kind::Change,
                    field,
                    subject,
                    "does not exist: the deploy creates it".into(),
                );
                false
            }
        }
    }

    fn role(&mut self) {
        let p = self.p;
        let RoleRef::Create(role) = &p.role else {
            return;
        };
        let subject = format!("role {}", role.name);
        let live = find_role(self.live, &role.name);
        if let Some(l) = live
            && l.name != role.name
        {
            self.push(Kind::Change, "name", subject, format!("exists as `{}`: IAM names differ only in case, so the deploy can neither create nor import it under this spelling", l.name));
            return;
        }
        if !self.exists("name", subject.clone(), live.is_some()) {
            return;
        }
        let l = live.expect("found");
        let want_path = role.path.as_deref().unwrap_or("/");
        if l.path != want_path {
            self.push(Kind::Change, "path", subject.clone(), format!("is at path `{}`, the spec says `{want_path}`: a role's path cannot change, so the deploy replaces the role (CloudFormation) or fails (Terraform plans a replacement)", l.path));
        }
        let region = l
            .trust
            .as_ref()
            .and_then(|t| region_in(t, p.arn_partition))
            .unwrap_or_else(|| UNKNOWN_REGION.to_string());
        let account = self.account.unwrap_or(UNKNOWN_ACCOUNT);
        let want = document::trust_policy(
            &role.trust,
            &Resolved {
                account,
                region: &region,
            },
        );
        let (only_spec, only_live) = match &l.trust {
            Some(t) => meaning::difference(&want, t),
            None => (meaning::statements(&want), Vec::new()),
        };
        if !only_spec.is_empty() || !only_live.is_empty() {
            self.push_with(
                Kind::Change,
                "kind",
                subject.clone(),
                "trust policy differs: the deploy sets the spec's".into(),
                details(&only_spec, &only_live),
            );
        }
        if l.boundary != role.permissions_boundary {
            let say = |b: &Option<String>| {
                b.as_deref()
                    .map_or("none".to_string(), |b| format!("`{b}`"))
            };
            self.push(
                Kind::Change,
                "permissions_boundary",
                subject.clone(),
                format!(
                    "permissions boundary is {}, the spec says {}",
                    say(&l.boundary),
                    say(&role.permissions_boundary)
                ),
            );
        }
        self.tags(l, &subject);
        self.attachments(l, &subject);
        if !l.inline.is_empty() {
            self.push(
                Kind::Unknown,
                "",
                subject.clone(),
                format!(
                    "has inline policies the spec does not manage, left as they are: {}",
                    l.inline.join(", ")
                ),
            );
        }
        self.push(Kind::Unknown, "", subject, "description and maximum session duration not compared: the dump holds neither (`aws iam get-role` shows them); the deploy sets the spec's".into());
    }

    fn tags(&mut self, l: &LiveRole, subject: &str) {
        let mut changes = Vec::new();
        for t in &self.p.tags {
            match l.tags.iter().find(|(k, _)| *k == t.key) {
                None => changes.push(format!("adds `{}`", t.key)),
                Some((_, v)) if *v != t.value => {
                    changes.push(format!("sets `{}` from `{v}` to `{}`", t.key, t.value))
                }
                Some(_) => {}
            }
        }
        for (k, _) in &l.tags {
            if !self.p.tags.iter().any(|t| t.key == *k) {
                changes.push(format!("removes `{k}`"));
            }
        }
        if !changes.is_empty() {
            self.push(
                Kind::Change,
                "tags",
                subject.to_string(),
                format!("tags differ: the deploy {}", changes.join(", ")),
            );
        }
    }

    fn attachments(&mut self, l: &LiveRole, subject: &str) {
        let p = self.p;
        let account = self.account.unwrap_or(UNKNOWN_ACCOUNT);
        let mut want: Vec<String> = p.managed_policies.iter().map(|m| m.arn.clone()).collect();
        want.extend(p.custom_policies.iter().map(|c| policy_arn(p, c, account)));
        for arn in &want {
            if !l.attached.contains(arn) {
                self.push(
                    Kind::Change,
                    "managed_policies",
                    subject.to_string(),
                    format!("`{arn}` is not attached: the deploy attaches it"),
                );
            }
        }
        for arn in &l.attached {
            if !want.contains(arn) {
                self.push(Kind::Change, "managed_policies", subject.to_string(), format!("`{arn}` is attached and the spec does not list it: CloudFormation and the CDK set the role's list to the spec's; Terraform leaves it attached (detach it yourself)"));
            }
        }
    }

    fn policy(&mut self, policy: &crate::model::CustomPolicy) {
        let p = self.p;
        let subject = format!("policy {}", policy.name);
        let field = if policy.id.ends_with("SessionManagerPolicy") {
            "session_manager"
        } else {
            "s3"
        };
        let want_path = policy.path.as_deref().unwrap_or("/");
        let by_arn = self.account.and_then(|a| {
            let arn = policy_arn(p, policy, a);
            self.live.policies.iter().find(|l| l.arn == arn)
        });
        let found: Option<&LivePolicy> = by_arn.or_else(|| {
            self.live
                .policies
                .iter()
                .find(|l| l.name.eq_ignore_ascii_case(&policy.name))
        });
        if let Some(l) = found
            && (l.path != want_path || l.name != policy.name)
        {
            self.push(Kind::Change, field, subject, format!("exists as `{}{}`: a policy's name and path cannot change, so it is neither the spec's nor importable as it", l.path, l.name));
            return;
        }
        if !self.exists(field, subject.clone(), found.is_some()) {
            return;
        }
        let l = found.expect("found");
        let account = self.account.unwrap_or(UNKNOWN_ACCOUNT);
        let want = document::policy_document(
            &policy.statements,
            &Resolved {
                account,
                region: UNKNOWN_REGION,
            },
        );
        match &l.document {
            None => self.push(
                Kind::Unknown,
                field,
                subject,
                "its default version is not in the dump: statements not compared".into(),
            ),
            Some(doc) => {
                let (only_spec, only_live) = meaning::difference(&want, doc);
                if !only_spec.is_empty() || !only_live.is_empty() {
                    self.push_with(
                        Kind::Change,
                        field,
                        subject,
                        "statements differ: the deploy sets the spec's as the default version"
                            .into(),
                        details(&only_spec, &only_live),
                    );
                }
            }
        }
    }

    fn instance_profile(&mut self) {
        let p = self.p;
        let Some(ip) = &p.instance_profile else {
            return;
        };
        let subject = format!("instance profile {}", ip.name);
        let found = self
            .live
            .instance_profiles()
            .find(|l| l.name.eq_ignore_ascii_case(&ip.name));
        if found.is_none() && p.adopt {
            self.push(Kind::Change, "adopt", subject, "not in the dump, so it cannot be imported: it does not exist, or holds no role (the dump lists instance profiles under their roles only; `aws iam get-instance-profile` tells which)".into());
            return;
        }
        if !self.exists("name", subject.clone(), found.is_some()) {
            return;
        }
        let l = found.expect("found");
        let want_path = ip.path.as_deref().unwrap_or("/");
        if l.path != want_path || l.name != ip.name {
            self.push(Kind::Change, "path", subject.clone(), format!("exists as `{}{}`: an instance profile's name and path cannot change, so the deploy replaces it, and instances using it lose their role", l.path, l.name));
        }
        let role = p.role.name();
        if l.roles.len() != 1 || l.roles[0] != role {
            self.push(
                Kind::Change,
                "name",
                subject,
                format!(
                    "holds {}: the deploy makes it hold the role {role} alone",
                    if l.roles.is_empty() {
                        "no role".to_string()
                    } else {
                        format!("the role(s) {}", l.roles.join(", "))
                    }
                ),
            );
        }
    }
}

/// The role named `name`, or one whose name differs only in case.
fn find_role<'l>(live: &'l Live, name: &str) -> Option<&'l LiveRole> {
    live.roles.iter().find(|r| r.name == name).or_else(|| {
        live.roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    })
}

/// The region of the first `arn:PARTITION:ssm:REGION:` in a document's strings.
fn region_in(doc: &Value, partition: &str) -> Option<String> {
    let prefix = format!("arn:{partition}:ssm:");
    match doc {
        Value::String(s) => s
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split(':').next())
            .filter(|r| {
                !r.is_empty()
                    && r.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            .map(str::to_string),
        Value::Array(items) => items.iter().find_map(|v| region_in(v, partition)),
        Value::Object(fields) => fields.values().find_map(|v| region_in(v, partition)),
        _ => None,
    }
}

fn details(only_spec: &[meaning::Meaning], only_live: &[meaning::Meaning]) -> Vec<String> {
    let mut out: Vec<String> = only_spec
        .iter()
        .map(|m| format!("+ {}", m.text()))
        .collect();
    out.extend(only_live.iter().map(|m| format!("- {}", m.text())));
    out
}

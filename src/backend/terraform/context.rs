//! The one `Context` both Terraform syntaxes are written from: what the configuration
//! declares, with every address chosen and every HCL value spelled (`Attr::hcl`), so
//! the HCL template only lays it out and `json` only re-spells it.

use serde::Serialize;

use super::expr::Expr;
use super::module::Inputs;
use super::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION};
use crate::backend::RenderOptions;
use crate::backend::hcl::{hcl_comment, hcl_string};
use crate::backend::naming::Unique;
use crate::model::Kind;
use crate::model::{
    DeployTime, Model, POLICY_VERSION, Part, Profile, RoleRef, Statement, TrustStatement,
};
use profile::{claim, profile_ctx};

mod profile;

/// One `key = value` argument on a single line.
#[derive(Debug, Clone, Serialize)]
pub struct Attr {
    pub key: &'static str,
    /// The value, for Terraform JSON.
    #[serde(skip)]
    pub value: Expr,
    /// The value as HCL, for the template.
    pub hcl: String,
}

impl Attr {
    pub(super) fn new(key: &'static str, value: Expr) -> Attr {
        Attr {
            key,
            hcl: value.to_hcl(),
            value,
        }
    }
}

/// A run of single-line arguments, with the key width `terraform fmt` aligns `=` to.
#[derive(Debug, Clone, Serialize)]
pub struct Attrs {
    pub items: Vec<Attr>,
    pub width: usize,
}

impl Attrs {
    pub(super) fn new(items: Vec<Attr>) -> Attrs {
        let width = items.iter().map(|a| a.key.len()).max().unwrap_or(0);
        Attrs { items, width }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagCtx {
    pub key: String,
    pub value: String,
}

/// A map of tags, with the width of the longest quoted key (for `=` alignment).
#[derive(Debug, Clone, Serialize)]
pub struct Tags {
    pub items: Vec<TagCtx>,
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Context<'m> {
    /// The layout's `count` of every resource (`var.create ? 1 : 0`); none in a root
    /// configuration.
    pub count: Option<String>,
    /// A module (`--layout module`): outputs go to outputs.tf, the provider
    /// requirement to versions.tf, and grants carry a note that only the spec changes them.
    pub module: bool,
    pub provider_block: bool,
    pub provider_source: &'static str,
    pub provider_version: &'static str,
    pub policy_version: &'static str,
    pub uses_account_id: bool,
    pub uses_region: bool,
    pub profiles: Vec<ProfileCtx<'m>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileCtx<'m> {
    pub name: String,
    pub kind: &'static str,
    /// A module's local holding the spec's tags with the `tags` input merged over them.
    pub tags_local: Option<TagsLocal>,
    /// A module's attachments of the `additional_policy_arns` input.
    pub additional: Option<AttachmentCtx>,
    pub role: Option<RoleCtx<'m>>,
    pub existing_role: Option<String>,
    pub policies: Vec<PolicyCtx<'m>>,
    pub attachments: Vec<AttachmentCtx>,
    pub instance_profile: Option<InstanceProfileCtx>,
    pub service_setting: Option<ServiceSettingCtx>,
    pub outputs: Vec<OutputCtx>,
}

/// The account's Default Host Management setting, written after the role it names.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSettingCtx {
    pub address: String,
    /// What it is for (a comment).
    pub purpose: &'static str,
    pub attrs: Attrs,
    /// The address of the role it waits for (`aws_iam_role.NAME`).
    pub depends_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagsLocal {
    pub name: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleCtx<'m> {
    pub address: String,
    pub attrs: Attrs,
    pub trust: TrustCtx<'m>,
    /// Name of the JSON local holding the trust policy.
    pub trust_local: String,
    pub tags: Option<Tags>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrustCtx<'m> {
    pub purpose: &'static str,
    /// The model's own: a context built for every profile of a fleet held a copy of
    /// every statement.
    pub statement: &'m TrustStatement,
    /// The model's condition groups, spelled in HCL.
    pub conditions: Vec<ConditionGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionGroup {
    pub operator: &'static str,
    pub entries: Vec<ConditionEntry>,
    /// Width of the longest quoted key, for `=` alignment.
    pub width: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionEntry {
    pub key: &'static str,
    /// The value as HCL.
    pub hcl: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyCtx<'m> {
    pub address: String,
    pub attrs: Attrs,
    /// The model's own, as the trust statement (for Terraform JSON).
    #[serde(skip)]
    pub statements: &'m [Statement],
    /// The statements spelled in HCL, for the template, in the same order.
    pub hcl: Vec<StatementCtx>,
    /// Name of the JSON local holding the policy document.
    pub document_local: String,
    pub tags: Option<Tags>,
}

/// A policy statement with every value spelled in HCL (through `backend::hcl`), so
/// the template lays out strings: a fleet's template once converted each model
/// statement into template values and called a filter or a macro per value.
#[derive(Debug, Clone, Serialize)]
pub struct StatementCtx {
    /// The purpose, as comment text (`hcl_comment`).
    pub purpose: String,
    /// `Sid`, `Effect` and `Action` padded to one width, as `terraform fmt` aligns
    /// the single-line arguments before the resources.
    pub keys: [String; 3],
    pub sid: String,
    pub effect: String,
    /// One action, or the list of them.
    pub action: String,
    /// `Resource` or `NotResource`.
    pub key: &'static str,
    /// The resources as HCL (an ARN of the deploying account interpolates the
    /// caller identity): one is written on the key's line, several as a list.
    pub resources: Vec<String>,
    pub single: bool,
}

impl StatementCtx {
    pub(super) fn new(s: &Statement, resources: Vec<String>) -> StatementCtx {
        let key = s.resource_element();
        let single = resources.len() == 1;
        let width = if single { key.len() } else { "Effect".len() };
        let action = match s.actions.as_slice() {
            [one] => hcl_string(one),
            many => {
                let quoted: Vec<String> = many.iter().map(|a| hcl_string(a)).collect();
                format!("[{}]", quoted.join(", "))
            }
        };
        StatementCtx {
            purpose: hcl_comment(&s.purpose),
            keys: ["Sid", "Effect", "Action"].map(|k| format!("{k:<width$}")),
            sid: hcl_string(&s.sid),
            effect: hcl_string(s.effect.as_str()),
            action,
            key,
            resources,
            single,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentCtx {
    pub address: String,
    /// Why the policy is attached (a comment).
    pub reason: String,
    /// A `count` of its own (the module's input list), instead of the layout's.
    pub count: Option<String>,
    pub attrs: Attrs,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceProfileCtx {
    pub address: String,
    pub attrs: Attrs,
    pub tags: Option<Tags>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutputCtx {
    pub name: String,
    pub attrs: Attrs,
}

/// The namespaces Terraform names live in, each handing out unique names.
struct Names {
    profiles: Unique,
    policies: Unique,
    attachments: Unique,
    outputs: Unique,
}

impl Names {
    fn new() -> Names {
        Names {
            profiles: Unique::new("_"),
            policies: Unique::new("_"),
            attachments: Unique::new("_"),
            outputs: Unique::new("_"),
        }
    }
}

/// How the configuration is laid out: a root configuration whose values are the
/// spec's literals, or a module whose inputs (`module::Inputs`) replace some of them.
#[derive(Clone, Copy)]
pub enum Layout<'a> {
    Root,
    Module(&'a Inputs),
}

impl Layout<'_> {
    /// A reference to the one instance of a resource of this layout (`[0]` of its count).
    fn instance(self, resource: &str, address: &str, attribute: &str) -> Expr {
        match self {
            Layout::Root => Expr::reference(format!("{resource}.{address}.{attribute}")),
            Layout::Module(_) => Expr::reference(format!("{resource}.{address}[0].{attribute}")),
        }
    }

    /// The attribute as an output value: null when the module creates nothing.
    fn output(self, resource: &str, address: &str, attribute: &str) -> Expr {
        match self {
            Layout::Root => Expr::reference(format!("{resource}.{address}.{attribute}")),
            Layout::Module(_) => {
                Expr::reference(format!("one({resource}.{address}[*].{attribute})"))
            }
        }
    }

    /// The value of the DHMC setting: the role's path below `/`, then its name. In a
    /// module, both come from the inputs that set the role's (`path`, `name_prefix`).
    fn setting_value(self, index: usize, role: &str, value: &str) -> Expr {
        use super::expr::Segment;
        match self {
            Layout::Root => Expr::string(value),
            Layout::Module(inputs) => {
                let path = inputs.path(index).to_hcl();
                let Expr::Template(name) = inputs.name(role) else {
                    unreachable!("a module's names are templates")
                };
                let mut segments = vec![Segment::Reference(format!("substr({path}, 1, -1)"))];
                segments.extend(name);
                Expr::Template(segments)
            }
        }
    }

    /// `name` and `path` of a resource this configuration creates.
    fn name_and_path(self, index: usize, name: &str, path: Option<&str>) -> Vec<Attr> {
        match self {
            Layout::Root => name_and_path(name, path),
            Layout::Module(inputs) => vec![
                Attr::new("name", inputs.name(name)),
                Attr::new("path", inputs.path(index)),
            ],
        }
    }
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model, options: RenderOptions) -> Context<'m> {
        Context::with_layout(model, options, Layout::Root)
    }

    pub fn with_layout(
        model: &'m Model,
        options: RenderOptions,
        layout: Layout<'m>,
    ) -> Context<'m> {
        let mut context = Context::head(model, options, layout);
        context.profiles = profiles(model, layout, Spell::Hcl).collect();
        context
    }

    /// Everything but the profiles (`profiles` gives them, one at a time).
    pub fn head(model: &Model, options: RenderOptions, layout: Layout) -> Context<'m> {
        let deploy_time = model.deploy_time.get_or_init(|| deploy_time(model));
        Context {
            count: match layout {
                Layout::Root => None,
                Layout::Module(inputs) => Some(inputs.count()),
            },
            module: matches!(layout, Layout::Module(_)),
            provider_block: options.terraform_provider_block,
            provider_source: AWS_PROVIDER_SOURCE,
            provider_version: AWS_PROVIDER_VERSION,
            policy_version: POLICY_VERSION,
            uses_account_id: deploy_time.account_id,
            uses_region: deploy_time.region,
            profiles: Vec::new(),
        }
    }
}

/// The deploy-time values the configuration of `model` reads: its trust conditions',
/// its service settings' and its statements' resources (read once per model: every
/// piece of a fleet's configuration has the head's data sources to decide).
fn deploy_time(model: &Model) -> DeployTime {
    let deploy_time_parts = || {
        model.profiles.iter().flat_map(|p| {
            let mut parts: Vec<&Part> = match &p.role {
                RoleRef::Create(r) => r
                    .trust
                    .each_condition()
                    .flat_map(|(_, c)| &c.value.0)
                    .collect(),
                RoleRef::Existing { .. } => Vec::new(),
            };
            parts.extend(p.service_setting.iter().flat_map(|s| &s.arn.0));
            parts
        })
    };
    DeployTime {
        account_id: deploy_time_parts().any(|p| *p == Part::AccountId)
            || model.profiles.iter().any(|p| names_the_account(p)),
        region: deploy_time_parts().any(|p| *p == Part::Region),
    }
}

/// Whether the policies' statements are spelled in HCL (`PolicyCtx::hcl`): the
/// template reads those; Terraform JSON and the import blocks read the model's
/// statements, and spelling every resource of a fleet in HCL for them was an eighth
/// of Terraform JSON's instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spell {
    Hcl,
    ModelOnly,
}

/// The context of every profile of `model`, in order, each built when it is reached
/// (names are claimed in that order, so the addresses are those of a whole `Context`).
pub fn profiles<'m>(
    model: &'m Model,
    layout: Layout<'m>,
    spell: Spell,
) -> impl Iterator<Item = ProfileCtx<'m>> {
    profiles_in(model, layout, spell, 0..model.profiles.len())
}

/// The contexts of the profiles of `range`, names claimed from its first profile:
/// the addresses a whole `Context` gives them when the whole range is given, or
/// when no two profiles of `model` ask for one name (`names_are_free`), since a
/// name is then its base whatever was claimed before it.
pub fn profiles_in<'m>(
    model: &'m Model,
    layout: Layout<'m>,
    spell: Spell,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = ProfileCtx<'m>> {
    let mut names = Names::new();
    model.profiles[range.clone()]
        .iter()
        .zip(range)
        .map(move |(p, i)| {
            let claimed = claim(p, &mut names, layout);
            profile_ctx(i, p, claimed, layout, spell)
        })
}

/// Whether every name the profiles of `model` claim is its base (none numbered
/// because another profile asked for it first): then a run of profiles claims the
/// names a whole `Context` gives it (`profiles_in`).
pub fn names_are_free(model: &Model, layout: Layout) -> bool {
    let mut names = Names::new();
    model
        .profiles
        .iter()
        .all(|p| claim(p, &mut names, layout).free)
}

/// Whether a statement of the profile names the deploying account (`Resource`).
fn names_the_account(p: &Profile) -> bool {
    let statements = p.custom_policies.iter().flat_map(|c| &c.statements);
    statements
        .flat_map(|s| &s.resources)
        .any(|r| r.literal().is_none())
}

/// A statement's resources as HCL: literals through the one HCL escaper, an ARN of
/// the deploying account interpolating the caller identity.
fn hcl_resources(s: &Statement) -> Vec<String> {
    s.resources
        .iter()
        .map(|r| match r.literal() {
            Some(l) => hcl_string(l),
            None => Expr::text(&r.text()).to_hcl(),
        })
        .collect()
}

/// `name` and, when the spec gives one, `path`: how every IAM resource opens.
fn name_and_path(name: &str, path: Option<&str>) -> Vec<Attr> {
    let mut items = vec![Attr::new("name", Expr::string(name))];
    if let Some(path) = path {
        items.push(Attr::new("path", Expr::string(path)));
    }
    items
}

fn trust_ctx(kind: Kind, trust: &TrustStatement) -> TrustCtx<'_> {
    let groups = trust
        .conditions
        .iter()
        .map(|g| ConditionGroup {
            operator: g.operator,
            entries: g
                .entries
                .iter()
                .map(|e| ConditionEntry {
                    key: e.key,
                    hcl: Expr::text(&e.value).to_hcl(),
                })
                .collect(),
            width: g
                .entries
                .iter()
                .map(|e| hcl_string(e.key).chars().count())
                .max()
                .unwrap_or(0),
        })
        .collect();
    TrustCtx {
        purpose: trust_purpose(kind),
        statement: trust,
        conditions: groups,
    }
}

fn tags_of(p: &Profile) -> Option<Tags> {
    if p.tags.is_empty() {
        return None;
    }
    Some(Tags {
        width: p
            .tags
            .iter()
            .map(|t| hcl_string(&t.key).chars().count())
            .max()
            .unwrap_or(0),
        items: p
            .tags
            .iter()
            .map(|t| TagCtx {
                key: t.key.clone(),
                value: t.value.clone(),
            })
            .collect(),
    })
}

fn trust_purpose(kind: Kind) -> &'static str {
    match kind {
        Kind::InstanceProfile => {
            "EC2 assumes this role for the instances that carry the instance profile"
        }
        Kind::HybridServiceRole => {
            "hybrid environment: Systems Manager assumes this role for on-premises servers, only for this account and region (confused-deputy conditions)"
        }
        Kind::DefaultHostManagement => {
            "Default Host Management: Systems Manager assumes this role for the EC2 instances that no instance profile manages"
        }
    }
}

//! `ssm-profile impact OLD NEW`: what deploying NEW over OLD does, resource by
//! resource and target by target, read from the files `build --out-dir` writes
//! (never from the compiler's internals, so what is compared is what is deployed):
//! created, updated in place, replaced (and the create-only property that forces
//! it, `refdata::replacement`), deleted, or moved between stacks or StackSets; then
//! the hazards that follow, and the permissions each profile loses.

mod cdk;
mod instances;
mod report;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::backend::cdk::{CLASS_NAME, ROLLOUT_CLASS_NAME};
use crate::backend::{Output, RenderError, RenderOptions};
use crate::model::{Model, Profile};
use crate::refdata::replacement::{self, Replacement};

pub use report::{Format, render};

use self::cdk::CdkStack;

/// The engine that deploys a target's files, and so decides what a change does:
/// the CDK deploys through CloudFormation, the same stacks and resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Engine {
    CloudFormation,
    Terraform,
}

impl Engine {
    /// As the report prints it (human and JSON).
    pub fn name(self) -> &'static str {
        match self {
            Engine::CloudFormation => "cloudformation",
            Engine::Terraform => "terraform",
        }
    }

    /// The properties whose change makes this engine replace a resource.
    fn replacements(self) -> &'static [Replacement] {
        match self {
            Engine::CloudFormation => replacement::CLOUDFORMATION,
            Engine::Terraform => replacement::TERRAFORM,
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One deployed resource as a target's files declare it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The engine that deploys it.
    pub target: Engine,
    /// The stack, StackSet or configuration that holds it.
    pub container: String,
    /// Logical ID or resource address.
    pub key: String,
    pub kind: String,
    /// Its IAM or StackSet name, when it has one.
    pub name: Option<String>,
    pub properties: Map<String, Value>,
    /// The profile it belongs to (by its name), when one does.
    pub profile: Option<String>,
    /// Its construct path in the CDK app that deploys the same stack, when it has
    /// one (`impact::cdk`).
    pub cdk: Option<String>,
}

/// What deploying the new spec does to one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Created,
    /// The properties that change.
    Updated(Vec<String>),
    /// The create-only properties that change, and where that is said.
    Replaced(Vec<String>, &'static str),
    Deleted,
    /// From this container.
    Moved(String),
}

impl Change {
    pub fn word(&self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated(_) => "updated",
            Change::Replaced(..) => "replaced",
            Change::Deleted => "deleted",
            Change::Moved(_) => "moved",
        }
    }

    /// Whether `--deny` can gate it (and exit 1 reports it).
    pub fn is_gated(&self) -> bool {
        matches!(
            self,
            Change::Replaced(..) | Change::Deleted | Change::Moved(_)
        )
    }
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub resource: Resource,
    pub change: Change,
}

/// A consequence worth a reviewer's attention, placed at the profile (or the spec
/// field) that causes it: `at` is a field path of the new spec, or of the old one
/// when `in_old` (a deleted profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    pub at: String,
    pub in_old: bool,
    pub message: String,
}

/// Everything `impact` finds.
#[derive(Debug, Clone, Default)]
pub struct Impact {
    pub items: Vec<Item>,
    pub hazards: Vec<Hazard>,
}

/// The impact of deploying `new` over `old` (`None`: nothing deployed yet), both
/// compiled as the spec `spec_name` (the generated names follow the file name, so
/// both are read as the new file).
pub fn impact(old: Option<&Model>, new: &Model, spec_name: &str) -> Result<Impact, RenderError> {
    let before = match old {
        Some(m) => inventory(m, spec_name)?,
        None => Vec::new(),
    };
    let empty = Model::new(Vec::new(), None);
    let old = old.unwrap_or(&empty);
    let after = inventory(new, spec_name)?;
    let mut items = diff(&before, &after);
    items.extend(instances::lost(&before, &after));
    items.sort_by_key(|i| i.resource.target);
    let mut hazards = Vec::new();
    let index = |m: &Model, name: &Option<String>| {
        name.as_ref()
            .and_then(|n| m.profiles.iter().position(|p| &p.name == n))
    };
    for item in &items {
        let r = &item.resource;
        let (at, in_old) = match (index(new, &r.profile), index(old, &r.profile)) {
            (Some(i), _) => (format!("profiles[{i}].name"), false),
            (None, Some(i)) => (format!("profiles[{i}].name"), true),
            (None, None) if r.kind.contains("StackSet") || r.kind.contains("stack_set") => {
                ("rollout".to_string(), new.rollout.is_none())
            }
            (None, None) => ("profiles".to_string(), false),
        };
        // A replacement is about the field that forces it: the path, else the name.
        let at = match &item.change {
            Change::Replaced(props, _)
                if !in_old && props.iter().any(|p| p.eq_ignore_ascii_case("path")) =>
            {
                at.replace(".name", ".path")
            }
            _ => at,
        };
        let what = format!("{} `{}`", r.kind, r.name.as_deref().unwrap_or(&r.key));
        let message = match &item.change {
            Change::Moved(from) if r.name.is_some() => format!(
                "{}: {what} moves from {from} to {}: deployed one after the other, the first deletes it before the second creates it (instances lose it in between), or the second fails with \"already exists\"",
                r.target, r.container
            ),
            Change::Replaced(props, _) if is_stack_set(&r.kind) => format!(
                "{}: StackSet {what} is replaced ({} cannot change in place): its stack instances, and the resources in them, are deleted and created again in every account of the organization",
                r.target,
                props.join(", ")
            ),
            Change::Deleted if is_stack_set(&r.kind) => format!(
                "{}: StackSet {what} is deleted, and with it its stacks in every account",
                r.target
            ),
            Change::Deleted if r.kind == instances::LOST_INSTANCES => format!(
                "{}: StackSet `{}` no longer targets {}: CloudFormation deletes its stack instances there, and the resources in them, in every account of that OU ({})",
                r.target,
                r.name.as_deref().unwrap_or("?"),
                r.key.split_once(' ').map_or("?", |(_, t)| t),
                replacement::REMOVED_STACK_INSTANCES
            ),
            // Terraform destroys a replaced resource before it creates the new one, and
            // an instance without retain_stack deletes its stacks.
            Change::Replaced(props, _) if r.kind == STACK_SET_INSTANCE => format!(
                "{}: {} (the stacks of StackSet `{}` in {}) is replaced ({} cannot change in place): its stacks, and the resources in them, are deleted in every account of its OUs before they are created again",
                r.target,
                r.key,
                text_of(r, "stack_set_name"),
                text_of(r, "stack_set_instance_region"),
                props.join(", ")
            ),
            Change::Deleted if r.kind == STACK_SET_INSTANCE => format!(
                "{}: {} (the stacks of StackSet `{}` in {}) is deleted, and with it its stacks in every account of its OUs",
                r.target,
                r.key,
                text_of(r, "stack_set_name"),
                text_of(r, "stack_set_instance_region")
            ),
            Change::Replaced(props, _) if is_instance_profile(&r.kind) => format!(
                "{}: instance profile {what} is replaced ({} cannot change in place): running instances keep an association to the deleted one and lose their credentials until they are associated again",
                r.target,
                props.join(", ")
            ),
            Change::Deleted if is_instance_profile(&r.kind) => format!(
                "{}: instance profile {what} is deleted: running instances associated with it lose their credentials",
                r.target
            ),
            _ => continue,
        };
        hazards.push(Hazard {
            at,
            in_old,
            message,
        });
    }
    hazards.extend(lost_permissions(old, new));
    Ok(Impact { items, hazards })
}

const STACK_SET_INSTANCE: &str = "aws_cloudformation_stack_set_instance";

fn is_stack_set(kind: &str) -> bool {
    kind == "AWS::CloudFormation::StackSet" || kind == "aws_cloudformation_stack_set"
}

/// A string property of `r`, or `?` (said, never invented).
fn text_of<'a>(r: &'a Resource, property: &str) -> &'a str {
    r.properties
        .get(property)
        .and_then(Value::as_str)
        .unwrap_or("?")
}

fn is_instance_profile(kind: &str) -> bool {
    kind == "AWS::IAM::InstanceProfile" || kind == "aws_iam_instance_profile"
}

/// The grants (managed policies; actions on resources) each profile of `old` that
/// `new` still has loses, in `explain`'s words.
fn lost_permissions(old: &Model, new: &Model) -> Vec<Hazard> {
    let mut out = Vec::new();
    for (i, p) in new.profiles.iter().enumerate() {
        let Some(was) = old.profiles.iter().find(|o| o.name == p.name) else {
            continue;
        };
        for m in &was.managed_policies {
            if !p.managed_policies.iter().any(|n| n.arn == m.arn) {
                out.push(Hazard {
                    at: format!("profiles[{i}].name"),
                    in_old: false,
                    message: format!(
                        "profile `{}` loses the managed policy {} (attached for: {})",
                        p.name, m.arn, m.reason
                    ),
                });
            }
        }
        let now = grants(p);
        for ((action, resource), purpose) in grants(was) {
            if !now.contains_key(&(action.clone(), resource.clone())) {
                out.push(Hazard {
                    at: format!("profiles[{i}].name"),
                    in_old: false,
                    message: format!(
                        "profile `{}` loses {action} on {resource} (granted for: {purpose})",
                        p.name
                    ),
                });
            }
        }
    }
    out
}

/// (action, resource) -> purpose, over a profile's custom policies.
fn grants(p: &Profile) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for c in &p.custom_policies {
        for s in &c.statements {
            for a in &s.actions {
                for r in &s.resources {
                    out.entry((a.clone(), r.in_words().into_owned()))
                        .or_insert_with(|| s.purpose.clone());
                }
            }
        }
    }
    out
}

/// Every resource the targets deploy for `model`, as `build --out-dir` writes them.
pub fn inventory(model: &Model, spec_name: &str) -> Result<Vec<Resource>, RenderError> {
    let stem = std::path::Path::new(spec_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(spec_name)
        .to_string();
    let owner = Owners::new(model);
    let mut out = Vec::new();
    let files = |golden: &str| {
        Output::by_golden(golden)
            .ok_or_else(|| RenderError::Internal(format!("no output {golden}")))?
            .generate_files(model, spec_name, RenderOptions::default())
    };
    // The CDK app of each stack, by its stack number; none when the CDK refuses the spec.
    let cdk_apps = |golden: &str, class: &str| -> Result<BTreeMap<_, _>, RenderError> {
        match files(golden) {
            Ok(apps) => Ok(apps
                .into_iter()
                .filter_map(|f| Some((f.stack, CdkStack::read(&f.text, class)?)))
                .collect()),
            Err(RenderError::Refused { .. }) => Ok(BTreeMap::new()),
            Err(e) => Err(e),
        }
    };
    let name_in_cdk = |out: &mut Vec<Resource>, from: usize, app: Option<&CdkStack>| {
        for r in &mut out[from..] {
            r.cdk = app.and_then(|a| a.path(&r.key));
        }
    };
    let apps = cdk_apps("cdk-app.ts", CLASS_NAME)?;
    for f in files("cloudformation.json")? {
        let container = match f.stack {
            Some(n) => format!("stack {stem}.stack-{n}"),
            None => format!("stack {stem}"),
        };
        let from = out.len();
        template_resources(
            &f.text,
            Engine::CloudFormation,
            &container,
            &owner,
            &mut out,
        )?;
        name_in_cdk(&mut out, from, apps.get(&f.stack));
    }
    if model.rollout.is_some() {
        let apps = cdk_apps("cdk-rollout-app.ts", ROLLOUT_CLASS_NAME)?;
        for f in files("cloudformation-rollout.json")? {
            let from = out.len();
            template_resources(
                &f.text,
                Engine::CloudFormation,
                "rollout stack",
                &owner,
                &mut out,
            )?;
            name_in_cdk(&mut out, from, apps.get(&f.stack));
        }
        // Each StackSet's own template: the resources of every account.
        let sets: Vec<(String, String)> = out
            .iter()
            .filter(|r| r.kind == "AWS::CloudFormation::StackSet")
            .filter_map(|r| {
                Some((
                    r.name.clone()?,
                    r.properties.get("TemplateBody")?.as_str()?.to_string(),
                ))
            })
            .collect();
        for (name, body) in sets {
            template_resources(
                &body,
                Engine::CloudFormation,
                &format!("StackSet {name}"),
                &owner,
                &mut out,
            )?;
        }
    }
    for golden in ["terraform.tf.json"]
        .into_iter()
        .chain(model.rollout.as_ref().map(|_| "terraform-rollout.tf.json"))
    {
        for f in files(golden)? {
            let container = if golden.contains("rollout") {
                format!("configuration {stem}-rollout")
            } else {
                format!("configuration {stem}")
            };
            terraform_resources(&f.text, &container, &owner, &mut out)?;
        }
    }
    Ok(out)
}

/// Attributes a logical ID or address to the profile whose identifier stem begins it
/// (the longest, since one stem can begin another).
struct Owners {
    stems: Vec<(String, String)>,
}

impl Owners {
    fn new(model: &Model) -> Owners {
        let mut stems: Vec<(String, String)> = model
            .profiles
            .iter()
            .map(|p| (p.id.to_ascii_lowercase(), p.name.clone()))
            .collect();
        stems.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        Owners { stems }
    }

    fn of(&self, key: &str) -> Option<String> {
        let key: String = key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        self.stems
            .iter()
            .find(|(s, _)| key.starts_with(s.as_str()))
            .map(|(_, n)| n.clone())
    }
}

fn parse(text: &str) -> Result<Value, RenderError> {
    serde_json::from_str(text).map_err(|e| RenderError::Internal(format!("generated JSON: {e}")))
}

fn template_resources(
    text: &str,
    target: Engine,
    container: &str,
    owner: &Owners,
    out: &mut Vec<Resource>,
) -> Result<(), RenderError> {
    let t = parse(text)?;
    for (key, r) in t["Resources"].as_object().into_iter().flatten() {
        let properties = r["Properties"].as_object().cloned().unwrap_or_default();
        let name = [
            "RoleName",
            "InstanceProfileName",
            "ManagedPolicyName",
            "StackSetName",
        ]
        .iter()
        .find_map(|k| properties.get(*k).and_then(Value::as_str))
        .map(str::to_string);
        out.push(Resource {
            target,
            container: container.to_string(),
            key: key.clone(),
            kind: r["Type"].as_str().unwrap_or_default().to_string(),
            name,
            properties,
            profile: owner.of(key),
            cdk: None,
        });
    }
    Ok(())
}

fn terraform_resources(
    text: &str,
    container: &str,
    owner: &Owners,
    out: &mut Vec<Resource>,
) -> Result<(), RenderError> {
    let t = parse(text)?;
    // A StackSet instance names its StackSet by reference; the reference's text never
    // changes, its value (a ForceNew attribute of the instance) does when the
    // StackSet is renamed: compare the value.
    let set_names: BTreeMap<String, String> = t["resource"]["aws_cloudformation_stack_set"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(address, attrs)| {
            let name = attrs["name"].as_str()?;
            Some((
                format!("${{aws_cloudformation_stack_set.{address}.name}}"),
                name.to_string(),
            ))
        })
        .collect();
    for (kind, by_name) in t["resource"].as_object().into_iter().flatten() {
        for (address, attrs) in by_name.as_object().into_iter().flatten() {
            let mut properties = attrs.as_object().cloned().unwrap_or_default();
            properties.remove("//");
            if kind == STACK_SET_INSTANCE
                && let Some(name) = properties
                    .get("stack_set_name")
                    .and_then(Value::as_str)
                    .and_then(|reference| set_names.get(reference))
            {
                properties.insert("stack_set_name".into(), Value::String(name.clone()));
            }
            let name = properties
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string);
            out.push(Resource {
                target: Engine::Terraform,
                container: container.to_string(),
                key: format!("{kind}.{address}"),
                kind: kind.clone(),
                name,
                properties,
                profile: owner.of(address),
                cdk: None,
            });
        }
    }
    Ok(())
}

/// The change of every resource of `before` and `after`, matched by target,
/// container and key; a resource deleted from one container and created, with the
/// same type and name, in another is one move.
pub fn diff(before: &[Resource], after: &[Resource]) -> Vec<Item> {
    let place = |r: &Resource| (r.target, r.container.clone(), r.key.clone());
    let old: BTreeMap<_, &Resource> = before.iter().map(|r| (place(r), r)).collect();
    let new: BTreeMap<_, &Resource> = after.iter().map(|r| (place(r), r)).collect();
    let mut items = Vec::new();
    let mut moved_from: BTreeMap<(Engine, String, String), String> = BTreeMap::new();
    for r in before.iter().filter(|r| !new.contains_key(&place(r))) {
        if let Some(name) = &r.name
            && after.iter().any(|a| {
                a.target == r.target
                    && a.kind == r.kind
                    && a.name.as_deref() == Some(name)
                    && a.container != r.container
                    && !old.contains_key(&place(a))
            })
        {
            moved_from.insert(
                (r.target, r.kind.clone(), name.clone()),
                r.container.clone(),
            );
            continue;
        }
        items.push(Item {
            resource: r.clone(),
            change: Change::Deleted,
        });
    }
    for r in after {
        let change = match old.get(&place(r)) {
            None => match r
                .name
                .as_ref()
                .and_then(|n| moved_from.get(&(r.target, r.kind.clone(), n.clone())))
            {
                Some(from) => Change::Moved(from.clone()),
                None => Change::Created,
            },
            Some(was) => match changed(was, r) {
                None => continue,
                Some(change) => change,
            },
        };
        items.push(Item {
            resource: r.clone(),
            change,
        });
    }
    items
}

/// Updated or replaced, or `None` when nothing changes.
fn changed(was: &Resource, now: &Resource) -> Option<Change> {
    let mut keys: Vec<&String> = was.properties.keys().chain(now.properties.keys()).collect();
    keys.sort();
    keys.dedup();
    let differ: Vec<String> = keys
        .into_iter()
        .filter(|k| was.properties.get(*k) != now.properties.get(*k))
        .cloned()
        .collect();
    if differ.is_empty() && was.kind == now.kind {
        return None;
    }
    match replacement::of(now.target.replacements(), &now.kind) {
        Some(facts) => {
            let forcing: Vec<String> = differ
                .iter()
                .filter(|p| facts.properties.contains(&p.as_str()))
                .cloned()
                .collect();
            if forcing.is_empty() {
                Some(Change::Updated(differ))
            } else {
                Some(Change::Replaced(forcing, facts.source))
            }
        }
        None => Some(Change::Updated(differ)),
    }
}

//! `build --target terraform --rollout`: the rollout's StackSets (`backend::rollout`)
//! as `aws_cloudformation_stack_set` resources, each with an
//! `aws_cloudformation_stack_set_instance` per region whose `deployment_targets` are
//! the OUs, in HCL (`templates/terraform/rollout.tf.j2`) and Terraform JSON, both
//! from one `RolloutCtx`. Argument and block names are those of
//! @cdktf/provider-aws 21.22.1 (provider 6.25.0): `stack_set_instance_region` is the
//! instance's region since provider 6.0 gave every resource a `region` argument of
//! its own.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::context::{Attr, Attrs};
use super::expr::Expr;
use super::json::{attrs_json, provider_block};
use super::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION};
use crate::backend::capability::{self, TERRAFORM};
use crate::backend::naming::snake_case;
use crate::backend::rollout::{self as plan, SERVICE_MANAGED};
use crate::backend::{RenderError, RenderOptions};
use crate::model::Model;

/// Why the StackSets ignore `administration_role_arn`: AWS fills it for a
/// service-managed StackSet, and providers before the fix of
/// hashicorp/terraform-provider-aws#23464 (pull request #45992) plan to clear it on
/// every run.
pub const IGNORE_ADMINISTRATION_ROLE: &str = "AWS fills administration_role_arn for a service-managed StackSet; providers before the fix of hashicorp/terraform-provider-aws#23464 would plan to clear it on every run";

#[derive(Debug, Serialize)]
pub struct RolloutCtx {
    pub provider_block: bool,
    pub provider_source: &'static str,
    pub provider_version: &'static str,
    pub ignore_administration_role: &'static str,
    pub stack_sets: Vec<StackSetCtx>,
}

#[derive(Debug, Serialize)]
pub struct StackSetCtx {
    pub address: String,
    pub purpose: &'static str,
    pub attrs: Attrs,
    /// The nested blocks, each a run of arguments: `auto_deployment`,
    /// `managed_execution`, `operation_preferences`.
    pub blocks: Vec<Block>,
    pub instances: Vec<InstanceCtx>,
}

/// `name { key = value ... }`.
#[derive(Debug, Serialize)]
pub struct Block {
    pub name: &'static str,
    pub attrs: Attrs,
}

/// The StackSet's stacks in one region of every account of the OUs.
#[derive(Debug, Serialize)]
pub struct InstanceCtx {
    pub address: String,
    pub purpose: String,
    pub attrs: Attrs,
    pub blocks: Vec<Block>,
    /// Addresses of the instances deployed before these.
    pub depends_on: Vec<String>,
}

impl RolloutCtx {
    pub fn new(model: &Model, options: RenderOptions) -> Result<RolloutCtx, RenderError> {
        let (r, sets) = plan::stack_sets(model, &capability::rollout(TERRAFORM))?;
        let call_as = plan::call_as(r).map(|c| Attr::new("call_as", Expr::string(c)));
        let preferences = || Block {
            name: "operation_preferences",
            attrs: Attrs::new(vec![
                Attr::new(
                    "failure_tolerance_percentage",
                    Expr::Number(r.failure_tolerance_percentage),
                ),
                Attr::new(
                    "max_concurrent_percentage",
                    Expr::Number(r.max_concurrent_percentage),
                ),
            ]),
        };
        let mut instances_of: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut stack_sets = Vec::new();
        for set in &sets {
            let mut attrs = vec![
                Attr::new("name", Expr::string(&set.name)),
                Attr::new("description", Expr::string(&set.description)),
                Attr::new("permission_model", Expr::string(SERVICE_MANAGED)),
            ];
            attrs.extend(call_as.clone());
            if !set.capabilities.is_empty() {
                attrs.push(Attr::new(
                    "capabilities",
                    Expr::List(set.capabilities.iter().map(|c| Expr::string(c)).collect()),
                ));
            }
            attrs.push(Attr::new("template_body", Expr::string(&set.template_body)));
            let mut auto = vec![Attr::new("enabled", Expr::Bool(r.auto_deployment))];
            if r.auto_deployment {
                auto.push(Attr::new(
                    "retain_stacks_on_account_removal",
                    Expr::Bool(r.retain_stacks_on_account_removal),
                ));
            }
            let blocks = vec![
                Block {
                    name: "auto_deployment",
                    attrs: Attrs::new(auto),
                },
                Block {
                    name: "managed_execution",
                    attrs: Attrs::new(vec![Attr::new("active", Expr::Bool(true))]),
                },
                preferences(),
            ];
            let depends_on: Vec<String> = set
                .after
                .and_then(|after| instances_of.iter().find(|(id, _)| *id == after))
                .map(|(_, addresses)| {
                    addresses
                        .iter()
                        .map(|a| format!("aws_cloudformation_stack_set_instance.{a}"))
                        .collect()
                })
                .unwrap_or_default();
            let mut instances = Vec::new();
            for region in &set.regions {
                let mut attrs = vec![
                    Attr::new(
                        "stack_set_name",
                        Expr::reference(format!(
                            "aws_cloudformation_stack_set.{}.name",
                            set.address
                        )),
                    ),
                    Attr::new("stack_set_instance_region", Expr::string(region)),
                ];
                attrs.extend(call_as.clone());
                instances.push(InstanceCtx {
                    address: format!("{}_{}", set.address, snake_case(region)),
                    purpose: format!(
                        "The stacks of {} in {region}, in every account of the OUs",
                        set.name
                    ),
                    attrs: Attrs::new(attrs),
                    blocks: vec![
                        Block {
                            name: "deployment_targets",
                            attrs: Attrs::new(vec![Attr::new(
                                "organizational_unit_ids",
                                Expr::List(
                                    r.organizational_units
                                        .iter()
                                        .map(|ou| Expr::string(ou))
                                        .collect(),
                                ),
                            )]),
                        },
                        preferences(),
                    ],
                    depends_on: depends_on.clone(),
                });
            }
            instances_of.push((
                set.logical_id,
                instances.iter().map(|i| i.address.clone()).collect(),
            ));
            stack_sets.push(StackSetCtx {
                address: set.address.to_string(),
                purpose: set.purpose,
                attrs: Attrs::new(attrs),
                blocks,
                instances,
            });
        }
        Ok(RolloutCtx {
            provider_block: options.terraform_provider_block,
            provider_source: AWS_PROVIDER_SOURCE,
            provider_version: AWS_PROVIDER_VERSION,
            ignore_administration_role: IGNORE_ADMINISTRATION_ROLE,
            stack_sets,
        })
    }

    /// The same configuration in Terraform's JSON syntax: blocks are objects, and
    /// comments `//` properties.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        if self.provider_block {
            root.insert("terraform".into(), provider_block());
        }
        let mut sets = Map::new();
        let mut instances = Map::new();
        for set in &self.stack_sets {
            let mut body = Map::new();
            body.insert("//".into(), json!(set.purpose));
            body.extend(attrs_json(&set.attrs));
            insert_blocks(&mut body, &set.blocks);
            body.insert(
                "lifecycle".into(),
                json!({
                    "//": self.ignore_administration_role,
                    "ignore_changes": ["administration_role_arn"],
                }),
            );
            sets.insert(set.address.clone(), Value::Object(body));
            for i in &set.instances {
                let mut body = Map::new();
                body.insert("//".into(), json!(i.purpose));
                body.extend(attrs_json(&i.attrs));
                insert_blocks(&mut body, &i.blocks);
                if !i.depends_on.is_empty() {
                    body.insert("depends_on".into(), json!(i.depends_on));
                }
                instances.insert(i.address.clone(), Value::Object(body));
            }
        }
        root.insert(
            "resource".into(),
            json!({
                "aws_cloudformation_stack_set": sets,
                "aws_cloudformation_stack_set_instance": instances,
            }),
        );
        Value::Object(root)
    }
}

fn insert_blocks(body: &mut Map<String, Value>, blocks: &[Block]) {
    for b in blocks {
        body.insert(b.name.into(), Value::Object(attrs_json(&b.attrs)));
    }
}

//! `build --target terraform --rollout`: the rollout's StackSets (`backend::rollout`)
//! as `aws_cloudformation_stack_set` resources, each with an
//! `aws_cloudformation_stack_set_instance` per region whose `deployment_targets` are
//! the OUs, in HCL (`templates/terraform/rollout.tf.j2`) and Terraform JSON, both
//! from one `RolloutCtx`. Argument and block names are those of
//! @cdktn/provider-aws 23.7.0 (provider 6.40.0): `stack_set_instance_region` is the
//! instance's region since provider 6.0 gave every resource a `region` argument of
//! its own.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::AWS_PROVIDER_SOURCE;
use super::context::{Attr, Attrs};
use super::expr::Expr;
use super::json::{attrs_json, provider_block};
use crate::backend::naming::snake_case;
use crate::backend::rollout::{self as plan, SERVICE_MANAGED};
use crate::backend::{RenderError, RenderOptions};
use crate::model::Model;

/// The rollout's provider floor: `auto_deployment.depends_on_stack_sets` came with
/// hashicorp/terraform-provider-aws pull request #47269 (merged 2026-04-03, after
/// 6.39.0 of 2026-04-01; the provider 6.40.0 bindings, @cdktn/provider-aws 23.7.0,
/// have it). 6.40.0 also holds the fix of #23464 (pull request #45992, in 6.29.0), so
/// the StackSets no longer need to ignore `administration_role_arn`.
pub const ROLLOUT_PROVIDER_VERSION: &str = ">= 6.40.0";

#[derive(Debug, Serialize)]
pub struct RolloutCtx {
    pub provider_block: bool,
    pub provider_source: &'static str,
    pub provider_version: &'static str,
    pub stack_sets: Vec<StackSetCtx>,
    /// A delegated administrator's region check, a `precondition` of every StackSet:
    /// `condition` and `error_message`.
    pub region_check: Option<Attrs>,
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
        let (r, sets) = plan::stack_sets(model, super::NAME)?;
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
            if let Some(after) = plan::auto_deployment_after(r, set)
                && let Some(address) = sets
                    .iter()
                    .find(|s| s.logical_id == after)
                    .map(|s| s.address)
            {
                auto.push(Attr::new(
                    "depends_on_stack_sets",
                    Expr::List(vec![Expr::reference(format!(
                        "aws_cloudformation_stack_set.{address}.arn"
                    ))]),
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
            provider_version: ROLLOUT_PROVIDER_VERSION,
            stack_sets,
            region_check: plan::delegated_admin_regions(r).map(|(regions, why)| {
                let regions = Expr::List(regions.iter().map(|r| Expr::string(r)).collect());
                Attrs::new(vec![
                    Attr::new(
                        "condition",
                        Expr::reference(format!(
                            "contains({}, data.aws_region.current.region)",
                            regions.to_hcl()
                        )),
                    ),
                    Attr::new("error_message", Expr::string(&why)),
                ])
            }),
        })
    }

    /// The same configuration in Terraform's JSON syntax: blocks are objects, and
    /// comments `//` properties.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        if self.provider_block {
            root.insert("terraform".into(), provider_block(self.provider_version));
        }
        if self.region_check.is_some() {
            root.insert("data".into(), json!({ "aws_region": { "current": {} } }));
        }
        let mut sets = Map::new();
        let mut instances = Map::new();
        for set in &self.stack_sets {
            let mut body = Map::new();
            body.insert("//".into(), json!(set.purpose));
            body.extend(attrs_json(&set.attrs));
            insert_blocks(&mut body, &set.blocks);
            if let Some(check) = &self.region_check {
                body.insert(
                    "lifecycle".into(),
                    json!({ "precondition": [attrs_json(check)] }),
                );
            }
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

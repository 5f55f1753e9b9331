//! The `import` blocks that take over an adopted profile's resources on the next
//! apply, in a file of their own beside the configuration (`imports.tf`), or, with
//! `--layout module`, beside the example that calls the module: import blocks
//! belong in the root module, so there they address `module.NAME.RESOURCE[0]`.
//!
//! Import IDs are the AWS provider's (refdata::adoption::TERRAFORM_IMPORT_IDS): a
//! role and an instance profile by name, a policy by ARN, an attachment by
//! `ROLE/POLICY_ARN`. A custom policy's ARN names the account, read from
//! `data.aws_caller_identity`: an `id` that refers to a data source needs Terraform
//! 1.6 (`TERRAFORM_IMPORT_REQUIRED_VERSION`), which the file requires itself, so the
//! floor rises only where adoption is used.

use serde_json::{Map, Value, json};

use super::context::{self, Layout, Spell};
use super::expr::{Expr, Segment};
use crate::backend::RenderError;
use crate::backend::adoption::adopts;
use crate::backend::hcl::{hcl_comment, hcl_string};
use crate::model::{Model, RoleRef};
use crate::refdata::adoption::TERRAFORM_IMPORT_REQUIRED_VERSION;

/// The module block of the module layout's example (templates/terraform/example.tf.j2).
const EXAMPLE_MODULE: &str = "ssm_profile";
/// The data source the import IDs read the account from: a name of this file's own,
/// since `main.tf` declares `current` only when it needs it.
const ACCOUNT: &str = "data.aws_caller_identity.adoption.account_id";

/// One `import` block.
struct Block {
    to: String,
    id: Expr,
}

/// Each adopted profile's name and its import blocks, addressed as the root
/// configuration (`module: None`) or the module layout's example names them.
fn blocks(model: &Model, module: Option<&str>) -> Result<Vec<(String, Vec<Block>)>, RenderError> {
    if !adopts(model) {
        return Err(RenderError::Refused {
            target: super::NAME,
            at: None,
            message: "no profile of this spec has `adopt: true`, so there is nothing to import: set `adopt: true` on the profiles whose resources exist already".to_string(),
        });
    }
    let address = |resource: &str, name: &str| match module {
        None => format!("{resource}.{name}"),
        Some(m) => format!("module.{m}.{resource}.{name}[0]"),
    };
    let mut out = Vec::new();
    // Addresses are claimed across the whole spec, so every profile's context is
    // built, in order, and the adopted ones kept.
    for (p, ctx) in
        model
            .profiles
            .iter()
            .zip(context::profiles(model, Layout::Root, Spell::ModelOnly))
    {
        if !p.adopt {
            continue;
        }
        let RoleRef::Create(role) = &p.role else {
            continue;
        };
        let policy_arn = |prefix: &str, policy: &crate::model::CustomPolicy| {
            Expr::Template(vec![
                Segment::Literal(format!("{prefix}arn:{}:iam::", p.arn_partition)),
                Segment::Reference(ACCOUNT.to_string()),
                Segment::Literal(format!(
                    ":policy{}{}",
                    policy.path.as_deref().unwrap_or("/"),
                    policy.name
                )),
            ])
        };
        let mut list = Vec::new();
        if let Some(r) = &ctx.role {
            list.push(Block {
                to: address("aws_iam_role", &r.address),
                id: Expr::string(&role.name),
            });
        }
        for (policy, c) in p.custom_policies.iter().zip(&ctx.policies) {
            list.push(Block {
                to: address("aws_iam_policy", &c.address),
                id: policy_arn("", policy),
            });
        }
        let managed = p.managed_policies.len();
        for (m, a) in p.managed_policies.iter().zip(&ctx.attachments) {
            list.push(Block {
                to: address("aws_iam_role_policy_attachment", &a.address),
                id: Expr::string(&format!("{}/{}", role.name, m.arn)),
            });
        }
        for (policy, a) in p.custom_policies.iter().zip(&ctx.attachments[managed..]) {
            list.push(Block {
                to: address("aws_iam_role_policy_attachment", &a.address),
                id: policy_arn(&format!("{}/", role.name), policy),
            });
        }
        if let (Some(ip), Some(c)) = (&p.instance_profile, &ctx.instance_profile) {
            list.push(Block {
                to: address("aws_iam_instance_profile", &c.address),
                id: Expr::string(&ip.name),
            });
        }
        out.push((p.name.clone(), list));
    }
    Ok(out)
}

const EXPLANATION: &[&str] = &[
    "Adoption (`adopt: true`): the next `terraform apply` takes these resources, which",
    "exist already under the spec's names, into the state instead of creating them",
    "(`terraform plan` shows each import first). From then on the spec is authoritative:",
    "the apply changes them to what the configuration says. An import block of a",
    "resource already in the state does nothing, so this file may stay.",
];

/// The import file in HCL: `imports.tf` beside `main.tf`, or (`module`) beside the
/// example that calls the module.
fn hcl(model: &Model, module: Option<&str>) -> Result<String, RenderError> {
    let profiles = blocks(model, module)?;
    let mut out = String::new();
    for line in EXPLANATION {
        out.push_str(&format!("# {line}\n"));
    }
    out.push_str(&format!(
        "\nterraform {{\n  # An import ID that reads a data source needs Terraform (or OpenTofu) 1.6.\n  required_version = {}\n}}\n\ndata \"aws_caller_identity\" \"adoption\" {{}}\n",
        hcl_string(TERRAFORM_IMPORT_REQUIRED_VERSION)
    ));
    for (name, list) in profiles {
        out.push_str(&format!("\n# Profile {}\n", hcl_comment(&name)));
        for b in list {
            out.push_str(&format!(
                "import {{\n  to = {}\n  id = {}\n}}\n",
                b.to,
                b.id.to_hcl()
            ));
        }
    }
    Ok(out)
}

/// `imports.tf` of the root configuration.
pub fn imports_hcl(model: &Model) -> Result<String, RenderError> {
    hcl(model, None)
}

/// `examples/basic/imports.tf` of the module layout.
pub fn module_imports_hcl(model: &Model) -> Result<String, RenderError> {
    hcl(model, Some(EXAMPLE_MODULE))
}

/// `imports.tf.json`: the same blocks in Terraform's JSON syntax.
pub fn imports_json(model: &Model) -> Result<String, RenderError> {
    let profiles = blocks(model, None)?;
    let mut root = Map::new();
    root.insert(
        "terraform".into(),
        json!({ "required_version": TERRAFORM_IMPORT_REQUIRED_VERSION }),
    );
    root.insert(
        "data".into(),
        json!({ "aws_caller_identity": { "adoption": {} } }),
    );
    let imports: Vec<Value> = profiles
        .into_iter()
        .flat_map(|(_, list)| list)
        .map(|b| json!({ "to": b.to, "id": b.id.to_json() }))
        .collect();
    root.insert("import".into(), Value::Array(imports));
    Ok(crate::text::pretty_json(&Value::Object(root)))
}

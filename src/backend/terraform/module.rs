//! `--layout module`: the configuration as a module users call, a folder per spec.
//!
//! `main.tf` is the root configuration's template over the same `Context`, built with
//! `Layout::Module`: every resource counts on the `create` input, names start with
//! `name_prefix`, and path, permissions boundary and tags read their inputs.
//! `Inputs` decides those inputs from the model: each has a type, a description, the
//! spec's value as its default, and a validation wherever the compiler has a rule
//! (IAM's name, path, ARN and tag rules, the quota of policies per role). What only
//! the spec decides (the grants, the regions, the managed policies it selects) stays
//! literal in `main.tf`.
//!
//! The language is what Terraform (>= 1.0) and OpenTofu both read: the blocks and
//! functions used are on the allow-list of `tests/terraform_module.rs`. The README's
//! inputs and outputs are written in terraform-docs' format (`markdown table`),
//! between its markers, so running terraform-docs over the folder changes nothing.

use serde::Serialize;
use serde_json::Value;

use super::expr::Expr;
use crate::backend::hcl::hcl_string;
use crate::model::{Model, Profile, Statement};

/// The oldest Terraform that reads the module: `one()` came in 0.15, validation
/// blocks in 0.13. Every OpenTofu release (1.6 on) satisfies it.
pub const REQUIRED_VERSION: &str = ">= 1.0";

/// Every file of the module folder, in the order the folder lists them.
pub const FILES: &[(&str, &str)] = &[
    ("versions.tf", "terraform/versions.tf.j2"),
    ("variables.tf", "terraform/variables.tf.j2"),
    ("main.tf", super::TEMPLATE_NAME),
    ("outputs.tf", "terraform/outputs.tf.j2"),
    ("examples/basic/main.tf", "terraform/example.tf.j2"),
    ("README.md", "terraform/README.md.j2"),
];

/// The paths of `FILES`, in order: the module's files, before they are rendered.
pub fn paths() -> Vec<&'static str> {
    FILES.iter().map(|(path, _)| *path).collect()
}

/// One input variable.
#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    pub name: &'static str,
    pub description: String,
    /// The type constraint as HCL.
    pub type_hcl: &'static str,
    /// The spec's value: a string, null, a bool, or an empty list or map.
    pub default: Value,
    pub validations: Vec<Validation>,
}

impl Variable {
    /// The default as HCL.
    pub fn default_hcl(&self) -> String {
        match &self.default {
            Value::String(s) => hcl_string(s),
            Value::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => hcl_string(s),
                        other => other.to_string(),
                    })
                    .collect();
                format!("[{}]", items.join(", "))
            }
            other => other.to_string(),
        }
    }

    /// The default as terraform-docs shows it: JSON, in a table cell.
    pub fn default_doc(&self) -> String {
        self.default.to_string().replace('|', "\\|")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The condition as HCL (it reads only its own variable, as Terraform 1.0 requires).
    pub condition: String,
    /// A sentence (Terraform 1.0 wants an upper-case start and a full stop).
    pub error_message: String,
}

/// The module's inputs, and how the resources of each profile read them.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Per profile: its resources' `path`.
    paths: Vec<Expr>,
    /// Per profile: its role's `permissions_boundary`.
    boundaries: Vec<Expr>,
    /// Per profile with `parameter_store`: its `readable` entries as HCL.
    readable: Vec<Option<String>>,
    pub variables: Vec<Variable>,
}

impl Inputs {
    pub fn new(model: &Model) -> Inputs {
        let mut variables = vec![inputs::create()];
        variables.extend(inputs::name_prefix(model));
        let (path, paths) = inputs::path(model);
        variables.extend(path);
        let (boundary, boundaries) = inputs::permissions_boundary(model);
        variables.extend(boundary);
        variables.push(inputs::tags(model));
        variables.push(inputs::additional_policy_arns(model));
        let (readable_input, readable) = readable::input(model);
        variables.extend(readable_input);
        Inputs {
            paths,
            boundaries,
            readable,
            variables,
        }
    }

    /// The `NotResource` of statement `s` of profile `index` as HCL, when it is one
    /// of the Parameter Store Denies, which read the `readable` input.
    pub fn not_resource(&self, index: usize, p: &Profile, s: &Statement) -> Option<String> {
        let list = self.readable.get(index)?.as_deref()?;
        readable::not_resource(p.parameter_store.as_ref()?, s, list)
    }

    /// The `count` of every resource.
    pub fn count(&self) -> String {
        "var.create ? 1 : 0".into()
    }

    /// The name of a resource this module creates: the prefix, then the spec's name.
    pub fn name(&self, name: &str) -> Expr {
        use super::expr::Segment;
        Expr::Template(vec![
            Segment::Reference("var.name_prefix".into()),
            Segment::Literal(name.to_string()),
        ])
    }

    /// The `path` of the resources of profile `index`.
    pub fn path(&self, index: usize) -> Expr {
        self.paths[index].clone()
    }

    /// The `permissions_boundary` of the role of profile `index`.
    pub fn boundary(&self, index: usize) -> Expr {
        self.boundaries[index].clone()
    }

    /// The `count` of a role's attachments of `additional_policy_arns`.
    pub fn additional_count(&self) -> String {
        "var.create ? length(var.additional_policy_arns) : 0".into()
    }

    pub fn additional_arn(&self) -> Expr {
        Expr::reference("var.additional_policy_arns[count.index]")
    }
}

pub mod docs;
pub mod folder;
mod inputs;
pub mod readable;

#[cfg(test)]
mod tests;

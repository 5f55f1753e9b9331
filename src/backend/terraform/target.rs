//! Terraform as a target: it calls the AWS APIs itself, so CloudFormation's limits
//! do not apply; its outputs (never split into stacks).

use crate::backend::capability::Capabilities;
use crate::backend::header::CommentSyntax;
use crate::backend::interpreted::Interprets;
use crate::backend::outputs::Target;
use crate::backend::outputs::{OutputDef, Render};
use crate::backend::terraform;

pub static TARGET: Target = Target {
    capabilities: Capabilities {
        target: terraform::NAME,
        subject: "Terraform",
        managed_policies_on_existing_role: true,
        managed_policy_arns_max: None,
        one_template: false,
        added_resources: 0,
        service_setting_without_resource_type: true,
        interprets: Interprets {
            dynamic_references: false,
            cdk_tokens: false,
        },
        interpreted_through: "",
        rollout: false,
    },
    outputs: &[
        // Terraform loads every .tf and .tf.json of a folder: the two syntaxes of the
        // same resources cannot share one.
        OutputDef {
            format: Some("hcl"),
            language: None,
            app: false,
            rollout: false,
            layout: None,
            golden: "terraform.tf",
            out_dir: "terraform/{stem}/main.tf",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &[
                "terraform-fmt",
                "terraform-args",
                "checkov-tf",
                "terraform-agreement",
                "iam-meaning",
            ],
            render: Render::File(terraform::hcl),
        },
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: false,
            layout: None,
            golden: "terraform.tf.json",
            out_dir: "terraform-json/{stem}/main.tf.json",
            comment: CommentSyntax::JsonCommentKey,
            template_body: false,
            stacks: None,
            judges: &["terraform-agreement"],
            render: Render::File(terraform::json),
        },
        // The rollout is applied in the management account (or a delegated
        // administrator): a folder of its own, apart from the per-account configuration.
        OutputDef {
            format: Some("hcl"),
            language: None,
            app: false,
            rollout: true,
            layout: None,
            golden: "terraform-rollout.tf",
            out_dir: "terraform/{stem}-rollout/main.tf",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &["terraform-fmt", "terraform-args", "checkov-tf"],
            render: Render::File(terraform::rollout_hcl),
        },
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: true,
            layout: None,
            golden: "terraform-rollout.tf.json",
            out_dir: "terraform-json/{stem}-rollout/main.tf.json",
            comment: CommentSyntax::JsonCommentKey,
            template_body: false,
            stacks: None,
            judges: &["terraform-agreement"],
            render: Render::File(terraform::rollout_json),
        },
        // The same configuration as a module users call: a folder per spec.
        OutputDef {
            format: Some("hcl"),
            language: None,
            app: false,
            rollout: false,
            layout: Some("module"),
            golden: "terraform-module",
            out_dir: "terraform-module/{stem}",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &["terraform-module", "terraform-module-args"],
            render: Render::Folder(terraform::module, terraform::module::paths),
        },
    ],
    stack_notes: None,
    provider_block: true,
};

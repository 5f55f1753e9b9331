//! CloudFormation as a target: what it can express, its outputs, and how one stack
//! of several is deployed.

use crate::backend::adoption;
use crate::backend::capability::Capabilities;
use crate::backend::cloudformation::{self, TemplateSyntax};
use crate::backend::header::CommentSyntax;
use crate::backend::interpreted::Interprets;
use crate::backend::options::StackPart;
use crate::backend::outputs::Target;
use crate::backend::outputs::{OutputDef, Render, StackFiles};
use crate::refdata::limits;

pub static TARGET: Target = Target {
    capabilities: Capabilities {
        target: cloudformation::NAME,
        subject: "CloudFormation",
        managed_policies_on_existing_role: false,
        managed_policy_arns_max: Some(limits::CFN_MANAGED_POLICY_ARNS_MAX),
        one_template: true,
        added_resources: 0,
        service_setting_without_resource_type: false,
        interprets: Interprets {
            dynamic_references: true,
            cdk_tokens: false,
        },
        interpreted_through: "",
        rollout: false,
    },
    outputs: &[
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cloudformation.json",
            out_dir: "cloudformation/{stem}.template.json",
            comment: CommentSyntax::None,
            template_body: true,
            stacks: Some(StackFiles {
                golden: "cloudformation.stack-{n}.json",
                out_dir: "cloudformation/{stem}.stack-{n}.template.json",
            }),
            judges: &[
                "cfn-lint",
                "checkov-cfn",
                "parliament",
                "deploy",
                "deploy-rules",
                "iam-meaning",
            ],
            render: Render::Template(TemplateSyntax::Json),
        },
        OutputDef {
            format: Some("yaml"),
            language: None,
            app: false,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cloudformation.yaml",
            out_dir: "cloudformation/{stem}.template.yaml",
            comment: CommentSyntax::Hash,
            template_body: true,
            stacks: Some(StackFiles {
                golden: "cloudformation.stack-{n}.yaml",
                out_dir: "cloudformation/{stem}.stack-{n}.template.yaml",
            }),
            judges: &["cfn-lint", "cfn-yaml-json", "deploy-rules"],
            render: Render::Template(TemplateSyntax::Yaml),
        },
        // The rollout: StackSets that deploy the template above to an organization.
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cloudformation-rollout.json",
            out_dir: "cloudformation/{stem}.rollout.template.json",
            comment: CommentSyntax::None,
            template_body: true,
            stacks: None,
            judges: &["cfn-lint", "deploy"],
            render: Render::File(|m, _| cloudformation::rollout::json(m)),
        },
        OutputDef {
            format: Some("yaml"),
            language: None,
            app: false,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cloudformation-rollout.yaml",
            out_dir: "cloudformation/{stem}.rollout.template.yaml",
            comment: CommentSyntax::Hash,
            template_body: true,
            stacks: None,
            judges: &["cfn-lint", "cfn-yaml-json"],
            render: Render::File(|m, _| cloudformation::rollout::yaml(m)),
        },
        // Adoption (`adopt: true`): an IMPORT change set of the import template and
        // the resources to import, then an update to the template above.
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: false,
            adoption: Some("import-template"),
            layout: None,
            golden: "cloudformation-import.json",
            out_dir: "cloudformation/{stem}.import.template.json",
            comment: CommentSyntax::None,
            template_body: true,
            stacks: None,
            judges: &["adoption"],
            render: Render::File(|m, _| adoption::cloudformation::import_template_json(m)),
        },
        OutputDef {
            format: Some("yaml"),
            language: None,
            app: false,
            rollout: false,
            adoption: Some("import-template"),
            layout: None,
            golden: "cloudformation-import.yaml",
            out_dir: "cloudformation/{stem}.import.template.yaml",
            comment: CommentSyntax::Hash,
            template_body: true,
            stacks: None,
            judges: &["adoption"],
            render: Render::File(|m, _| adoption::cloudformation::import_template_yaml(m)),
        },
        OutputDef {
            format: Some("json"),
            language: None,
            app: false,
            rollout: false,
            adoption: Some("resources-to-import"),
            layout: None,
            golden: "cloudformation-resources-to-import.json",
            out_dir: "cloudformation/{stem}.resources-to-import.json",
            comment: CommentSyntax::None,
            template_body: false,
            stacks: None,
            judges: &["adoption"],
            render: Render::File(|m, _| adoption::cloudformation::resources_to_import(m)),
        },
    ],
    stack_notes: Some(stack_notes),
    provider_block: false,
    together: &[],
    pieces: &[],
};

fn stack_notes(_: &OutputDef, StackPart { n, .. }: StackPart) -> Vec<String> {
    vec![
        "Deploy it as a stack of its own (NAME: your name for this spec's stacks):".to_string(),
        format!(
            "  aws cloudformation deploy --stack-name NAME-{n} --template-file FILE --capabilities CAPABILITY_NAMED_IAM --s3-bucket BUCKET"
        ),
    ]
}

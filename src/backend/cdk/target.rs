//! The AWS CDK as a target: it synthesizes CloudFormation, so it inherits
//! CloudFormation's limits; its outputs; and how one stack of several is deployed.

use crate::backend::adoption;
use crate::backend::capability::Capabilities;
use crate::backend::cdk;
use crate::backend::header::CommentSyntax;
use crate::backend::interpreted::Interprets;
use crate::backend::options::StackPart;
use crate::backend::outputs::Target;
use crate::backend::outputs::{OutputDef, Render, StackFiles, Together};
use crate::refdata::limits;

pub static TARGET: Target = Target {
    capabilities: Capabilities {
        target: cdk::NAME,
        subject: "the CDK synthesizes CloudFormation, which",
        managed_policies_on_existing_role: false,
        managed_policy_arns_max: Some(limits::CFN_MANAGED_POLICY_ARNS_MAX),
        one_template: true,
        added_resources: limits::CDK_ADDED_RESOURCES,
        service_setting_without_resource_type: false,
        interprets: Interprets {
            dynamic_references: true,
            cdk_tokens: true,
        },
        interpreted_through: "the CDK synthesizes CloudFormation, and ",
        rollout: false,
    },
    outputs: &[
        OutputDef {
            format: None,
            language: Some("typescript"),
            app: false,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cdk.ts",
            out_dir: "cdk/{ts_module}.ts",
            comment: CommentSyntax::Slashes,
            template_body: false,
            stacks: Some(StackFiles {
                golden: "cdk.stack-{n}.ts",
                out_dir: "cdk/{ts_module}.stack-{n}.ts",
            }),
            judges: &["cdk-ts", "ts-style", "iam-meaning"],
            render: Render::File(|m, o| cdk::render(m, cdk::Language::TypeScript, false, o.stack)),
        },
        OutputDef {
            format: None,
            language: Some("python"),
            app: false,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cdk.py",
            out_dir: "cdk/{py_module}.py",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: Some(StackFiles {
                golden: "cdk.stack-{n}.py",
                out_dir: "cdk/{py_module}_stack_{n}.py",
            }),
            judges: &["cdk-py", "python-style", "iam-meaning"],
            render: Render::File(|m, o| cdk::render(m, cdk::Language::Python, false, o.stack)),
        },
        OutputDef {
            format: None,
            language: Some("typescript"),
            app: true,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cdk-app.ts",
            out_dir: "cdk/{ts_module}-app.ts",
            comment: CommentSyntax::Slashes,
            template_body: false,
            stacks: Some(StackFiles {
                golden: "cdk-app.stack-{n}.ts",
                out_dir: "cdk/{ts_module}-app.stack-{n}.ts",
            }),
            judges: &["cdk-ts", "ts-style"],
            render: Render::File(|m, o| cdk::render(m, cdk::Language::TypeScript, true, o.stack)),
        },
        OutputDef {
            format: None,
            language: Some("python"),
            app: true,
            rollout: false,
            adoption: None,
            layout: None,
            golden: "cdk-app.py",
            out_dir: "cdk/{stem}-app.py",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: Some(StackFiles {
                golden: "cdk-app.stack-{n}.py",
                out_dir: "cdk/{stem}-app.stack-{n}.py",
            }),
            judges: &["cdk-py", "python-style"],
            render: Render::File(|m, o| cdk::render(m, cdk::Language::Python, true, o.stack)),
        },
        OutputDef {
            format: None,
            language: Some("typescript"),
            app: false,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cdk-rollout.ts",
            out_dir: "cdk/{ts_module}-rollout.ts",
            comment: CommentSyntax::Slashes,
            template_body: false,
            stacks: None,
            judges: &["cdk-ts", "ts-style"],
            render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, false)),
        },
        OutputDef {
            format: None,
            language: Some("python"),
            app: false,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cdk-rollout.py",
            out_dir: "cdk/{py_module}_rollout.py",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &["cdk-py", "python-style"],
            render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, false)),
        },
        OutputDef {
            format: None,
            language: Some("typescript"),
            app: true,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cdk-rollout-app.ts",
            out_dir: "cdk/{ts_module}-rollout-app.ts",
            comment: CommentSyntax::Slashes,
            template_body: false,
            stacks: None,
            judges: &["cdk-ts", "ts-style"],
            render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, true)),
        },
        OutputDef {
            format: None,
            language: Some("python"),
            app: true,
            rollout: true,
            adoption: None,
            layout: None,
            golden: "cdk-rollout-app.py",
            out_dir: "cdk/{stem}-rollout-app.py",
            comment: CommentSyntax::Hash,
            template_body: false,
            stacks: None,
            judges: &["cdk-py", "python-style"],
            render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, true)),
        },
        // Adoption: the resource mapping `cdk import --resource-mapping FILE` reads.
        OutputDef {
            format: None,
            language: None,
            app: false,
            rollout: false,
            adoption: Some("resource-mapping"),
            layout: None,
            golden: "cdk-resource-mapping.json",
            out_dir: "cdk/{stem}.resource-mapping.json",
            comment: CommentSyntax::None,
            template_body: false,
            stacks: None,
            judges: &["adoption"],
            render: Render::File(|m, _| adoption::cdk::resource_mapping(m)),
        },
    ],
    stack_notes: Some(stack_notes),
    provider_block: false,
    // The app holds its module's construct: spelled and rendered once for both.
    together: &[
        Together {
            rows: ["cdk.ts", "cdk-app.ts"],
            render: |m, o| cdk::render_module_and_app(m, cdk::Language::TypeScript, o.stack),
        },
        Together {
            rows: ["cdk.py", "cdk-app.py"],
            render: |m, o| cdk::render_module_and_app(m, cdk::Language::Python, o.stack),
        },
    ],
    pieces: &[],
};

fn stack_notes(output: &OutputDef, StackPart { n, of }: StackPart) -> Vec<String> {
    let stack_id = cdk::STACK_ID;
    vec![if output.app {
        format!(
            "This app synthesizes stack {stack_id}-{n} alone: deploy it with `cdk deploy --app`, and each other stack with its own app file."
        )
    } else {
        format!(
            "Put this construct in a stack of its own, as the app files do ({stack_id}-1 to {stack_id}-{of})."
        )
    }]
}

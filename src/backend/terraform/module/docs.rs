//! The README's inputs and outputs, as terraform-docs writes them.

use super::{REQUIRED_VERSION, Variable};
use crate::backend::terraform::context::Context;
use crate::backend::terraform::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION};

/// The inputs and outputs section terraform-docs (`markdown table`, its default
/// settings: anchors, escaping, the required column, sorted by name) writes between
/// its markers, in the format terraform-docs 0.16 to 0.19 give it.
pub(super) fn terraform_docs(context: &Context<'_>, variables: &[Variable]) -> String {
    let mut out = String::new();
    let anchored = |kind: &str, name: &str| {
        format!(
            "<a name=\"{kind}_{name}\"></a> [{}](#{kind}\\_{})",
            md_escape(name),
            name.replace('_', "\\_")
        )
    };
    out.push_str("## Requirements\n\n| Name | Version |\n|------|---------|\n");
    out.push_str(&format!(
        "| {} | {} |\n| {} | {} |\n",
        anchored("requirement", "terraform"),
        REQUIRED_VERSION,
        anchored("requirement", "aws"),
        AWS_PROVIDER_VERSION
    ));
    out.push_str("\n## Providers\n\n| Name | Version |\n|------|---------|\n");
    out.push_str(&format!(
        "| {} | {} |\n",
        anchored("provider", "aws"),
        AWS_PROVIDER_VERSION
    ));
    out.push_str("\n## Modules\n\nNo modules.\n");

    let mut resources: Vec<(String, String)> = Vec::new();
    for p in &context.profiles {
        if let Some(r) = &p.role {
            resources.push(("aws_iam_role".into(), r.address.clone()));
        }
        for policy in &p.policies {
            resources.push(("aws_iam_policy".into(), policy.address.clone()));
        }
        for a in p.attachments.iter().chain(&p.additional) {
            resources.push(("aws_iam_role_policy_attachment".into(), a.address.clone()));
        }
        if let Some(ip) = &p.instance_profile {
            resources.push(("aws_iam_instance_profile".into(), ip.address.clone()));
        }
    }
    resources.sort();
    let mut data = Vec::new();
    if context.uses_account_id {
        data.push("aws_caller_identity");
    }
    if context.uses_region {
        data.push("aws_region");
    }
    let (namespace, provider) = AWS_PROVIDER_SOURCE
        .split_once('/')
        .expect("a provider source is NAMESPACE/TYPE");
    let docs = |kind: &str, typ: &str| {
        let short = typ.strip_prefix(&format!("{provider}_")).unwrap_or(typ);
        format!(
            "https://registry.terraform.io/providers/{namespace}/{provider}/latest/docs/{kind}/{short}"
        )
    };
    out.push_str("\n## Resources\n\n| Name | Type |\n|------|------|\n");
    for (typ, name) in &resources {
        out.push_str(&format!(
            "| [{typ}.{name}]({}) | resource |\n",
            docs("resources", typ)
        ));
    }
    for typ in data {
        out.push_str(&format!(
            "| [{typ}.current]({}) | data source |\n",
            docs("data-sources", typ)
        ));
    }

    let mut inputs: Vec<&Variable> = variables.iter().collect();
    inputs.sort_by_key(|v| v.name);
    out.push_str("\n## Inputs\n\n| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n");
    for v in inputs {
        out.push_str(&format!(
            "| {} | {} | `{}` | `{}` | no |\n",
            anchored("input", v.name),
            md_escape(&v.description),
            v.type_hcl,
            v.default_doc()
        ));
    }

    let mut outputs: Vec<(&str, &str)> = Vec::new();
    for p in &context.profiles {
        for o in &p.outputs {
            let description = o
                .attrs
                .items
                .iter()
                .find(|a| a.key == "description")
                .and_then(|a| a.value.literal())
                .unwrap_or_default();
            outputs.push((&o.name, description));
        }
    }
    outputs.sort();
    out.push_str("\n## Outputs\n\n| Name | Description |\n|------|-------------|\n");
    for (name, description) in outputs {
        out.push_str(&format!(
            "| {} | {} |\n",
            anchored("output", name),
            md_escape(description)
        ));
    }
    out
}

/// Text in a terraform-docs table cell with its escaping on: `_` and `*` outside
/// code spans and `|` anywhere are backslash-escaped, line breaks become `<br/>`.
pub fn md_escape(s: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '_' | '*' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

//! CloudFormation's two steps of an adoption: an IMPORT change set with the import
//! template (the adopted profiles' resources alone, each with its `Retain`
//! policies, and no outputs: an import may neither create, change or delete other
//! resources nor add outputs) and the resources to import, then an update to the
//! full template (refdata::adoption::CFN_IMPORT).

use serde_json::{Value, json};

use super::{adopted, imports};
use crate::backend::RenderError;
use crate::backend::cloudformation::{self, Scope, scoped_template};
use crate::model::Model;

/// The import template as JSON.
pub fn import_template_json(model: &Model) -> Result<String, RenderError> {
    Ok(crate::text::pretty_json(&import_template(model)?))
}

/// The import template as YAML.
pub fn import_template_yaml(model: &Model) -> Result<String, RenderError> {
    Ok(cloudformation::yaml::to_yaml(&import_template(model)?))
}

/// The template of the adopted profiles' IAM resources, without outputs. A
/// Default Host Management setting is not imported: the update step writes it.
pub fn import_template(model: &Model) -> Result<Value, RenderError> {
    let part = adopted(model, cloudformation::NAME)?;
    let mut template = scoped_template(&part, Scope::Iam, None);
    if let Value::Object(fields) = &mut template {
        fields.shift_remove("Outputs");
    }
    Ok(template)
}

/// What `aws cloudformation create-change-set --change-set-type IMPORT
/// --resources-to-import file://FILE` reads: a list of `ResourceType`,
/// `LogicalResourceId` and `ResourceIdentifier`.
pub fn resources_to_import(model: &Model) -> Result<String, RenderError> {
    let part = adopted(model, cloudformation::NAME)?;
    let list: Vec<Value> = part
        .profiles
        .iter()
        .flat_map(|p| imports(p))
        .map(|i| {
            json!({
                "ResourceType": i.resource_type,
                "LogicalResourceId": i.logical_id,
                "ResourceIdentifier": { i.identifier_key: i.identifier },
            })
        })
        .collect();
    Ok(crate::text::pretty_json(&Value::Array(list)))
}

//! The CDK's adoption: `cdk import --resource-mapping FILE` reads a JSON object whose
//! keys are the stack's logical IDs and whose values are the identifiers each
//! resource is imported by (refdata::adoption::CDK_IMPORT). The construct gives the
//! adopted resources the CloudFormation target's logical IDs (`overrideLogicalId`),
//! so the mapping does not depend on where the construct sits in the app.

use serde_json::{Map, Value, json};

use super::{adopted, imports};
use crate::backend::RenderError;
use crate::backend::cdk;
use crate::model::Model;

/// The resource mapping of the adopted profiles.
pub fn resource_mapping(model: &Model) -> Result<String, RenderError> {
    let part = adopted(model, cdk::NAME)?;
    let mut mapping = Map::new();
    for i in part.profiles.iter().flat_map(|p| imports(p)) {
        mapping.insert(i.logical_id, json!({ i.identifier_key: i.identifier }));
    }
    Ok(crate::text::pretty_json(&Value::Object(mapping)))
}

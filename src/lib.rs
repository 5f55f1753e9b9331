//! ssm-profile compiles a small spec into infrastructure-as-code for the AWS Systems
//! Manager EC2 instance profile: spec -> model -> backend -> text.

pub mod atomic;
pub mod backend;
pub mod cli;
pub mod diag;
pub mod explain;
pub mod model;
pub mod refdata;
pub mod schema;
pub mod source;
pub mod spec;
pub mod text;
pub mod workflow;

pub use diag::{Error, SpecError};

/// Reads and validates a spec: the shared front half of every command.
pub fn load(source: &source::Source) -> Result<model::Model, SpecError> {
    let spec = source.parse()?;
    model::build(&spec).map_err(|e| source.locate(e))
}

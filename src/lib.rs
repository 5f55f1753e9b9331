//! ssm-profile compiles a small spec into infrastructure-as-code for the AWS Systems
//! Manager EC2 instance profile: spec -> model -> backend -> text.

pub mod atomic;
pub mod backend;
pub mod cli;
pub mod diag;
pub mod drift;
pub mod explain;
pub mod impact;
pub mod memory;
pub mod model;
pub mod refdata;
pub mod schema;
pub mod source;
pub mod spec;
pub mod text;
pub mod workflow;

pub use diag::{Error, SpecError};

/// The model's warnings, each placed at the field it is about in the spec.
pub fn warnings(model: &model::Model, source: &source::Source) -> Vec<diag::Diagnostic> {
    let profiles = model.profiles.iter().enumerate().flat_map(|(i, p)| {
        p.warnings
            .iter()
            .map(move |w| (w.path(&format!("profiles[{i}]")), &w.message))
    });
    let rollout = model
        .rollout
        .iter()
        .flat_map(|r| r.warnings.iter().map(|(at, w)| (at.clone(), w)));
    let found = profiles
        .chain(rollout)
        .map(|(at, w)| diag::RuleError::new(at, w.clone()))
        .collect();
    source
        .locate_all(found, diag::MAX_WARNINGS)
        .iter()
        .map(|at| {
            diag::Diagnostic::from_spec_error(
                diag::Severity::Warning,
                diag::codes::SPEC_WARNING,
                at,
            )
        })
        .collect()
}

/// Reads and validates a spec: the shared front half of every command. The first
/// error (see `load_all` for all of them).
pub fn load(source: &source::Source) -> Result<model::Model, SpecError> {
    let spec = source.parse()?;
    model::build(&spec, &source.name).map_err(|e| source.locate(e))
}

/// Reads and validates a spec, with every error, in file order (line, then column):
/// each unknown field, and every error the rules find in the rest of the spec read
/// without them. A syntax or type error stops the parsers: then it is the last,
/// after the unknown fields before it.
pub fn load_all(source: &source::Source) -> Result<model::Model, Vec<SpecError>> {
    let source::Parsed {
        spec,
        unknown,
        holders,
    } = source.parse_all()?;
    let built = model::build_all(&spec, &source.name);
    // A megabyte of profiles is tens of megabytes parsed; placing the errors reads
    // the file again, so the parsed spec goes first.
    drop(spec);
    let mut errors = match built {
        Ok(model) if unknown.is_empty() => return Ok(model),
        Ok(_) => Vec::new(),
        Err(mut errors) => {
            // An error about the mapping that holds an unknown field (`s3` grants
            // nothing) is that field's, misspelt: its own error says what to write.
            // Dropped before placing, so the errors placed exactly are those printed.
            errors.retain(|e| e.path.is_empty() || !holders.contains(&e.path));
            source.locate_all(errors, diag::MAX_ERRORS)
        }
    };
    errors.extend(unknown);
    errors.sort_by_key(|e| (e.location.line, e.location.column));
    Err(errors)
}

/// The error every command reports for a spec a target refused: the one place a
/// render failure becomes a user-facing error. A refusal that begins with the spec
/// field it is about (`profiles[0].description: ...`) is shown at that field, with
/// line and column; others are about the file as a whole. (Here, above both
/// `backend` and `source`, so neither has to know the other.)
pub fn render_error(source: &source::Source, e: backend::RenderError) -> Error {
    let message = match e {
        backend::RenderError::Refused {
            at: Some(at),
            message,
            ..
        } => return source.error_at(&at, message).into(),
        backend::RenderError::Refused { message, .. } => message,
        backend::RenderError::Internal(why) => {
            format!("internal error: {why} (a bug in ssm-profile; please report it)")
        }
    };
    Error::Target {
        file: source.name.clone(),
        message,
    }
}

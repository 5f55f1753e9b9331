//! The commands that help a user write and read a spec: `explain` and `init`.

use super::{EXIT_OK, ExplainArgs, ExplainFormat, InitArgs, Reporter, print};
use crate::diag::Error;
use crate::source::Source;

/// Every spec is read and checked before anything is printed, so one invalid spec
/// prints every spec's errors and nothing on stdout, as `build` and `check` do.
pub(super) fn explain(args: &ExplainArgs) -> Result<i32, Error> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for spec in &args.specs {
        let source = Source::read(spec)?;
        match crate::load_all(&source) {
            Ok(model) => loaded.push((source, model)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Specs(errors));
    }
    // Text: one account after another, a blank line between; JSON: one document per
    // spec, one after another (a stream that `jq` and `json.JSONDecoder.raw_decode`
    // read as it is; one spec gives the one document it always did).
    let parts: Vec<String> = loaded
        .iter()
        .map(|(source, model)| match args.format {
            ExplainFormat::Text => crate::explain::explain(model, &source.name),
            ExplainFormat::Json => {
                crate::text::pretty_json(&crate::explain::explain_json(model, &source.name))
            }
        })
        .collect();
    let separator = match args.format {
        ExplainFormat::Text => "\n",
        ExplainFormat::Json => "",
    };
    print(&parts.join(separator))
}

pub(super) fn init(args: &InitArgs, r: &mut Reporter) -> Result<i32, Error> {
    crate::workflow::init(&args.path)?;
    let quote = |p: &std::path::Path| crate::backend::header::shell_quote(&p.display().to_string());
    let schema = quote(&crate::workflow::starter_schema_path(&args.path));
    r.note(&format!(
        "wrote {}; next: `ssm-profile schema > {schema}` for editor validation, then `ssm-profile build {} --out-dir generated`",
        args.path.display(),
        quote(&args.path),
    ));
    Ok(EXIT_OK)
}

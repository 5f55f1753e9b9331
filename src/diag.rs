//! What the program tells the user: errors that point at the spec
//! (`file:line:column: field.path: message`, then the offending line with a caret
//! under the column, the way a compiler reports them), warnings, and the three forms
//! they are printed in (`--message-format human|json|github`).
//!
//! Spec text is whatever its author typed: every human-facing form escapes the
//! characters that would steer a terminal or a log reader (`terminal_safe`).

use std::fmt;

mod escape;
mod excerpt;
pub use escape::{github_data, github_property, json_safe, line_safe, terminal_safe};
use excerpt::caret_block;
pub use excerpt::{Excerpt, MAX_EXCERPT_CHARS};

/// A position in a spec file; both numbers start at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// One problem with a spec, with everything needed to show the user where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: String,
    pub location: Location,
    /// The field path, e.g. `profiles[0].s3.buckets[1].name`; empty for the whole file.
    pub path: String,
    pub message: String,
    /// The line at `location`, for the caret display.
    pub source_line: Option<Excerpt>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Location { line, column } = self.location;
        write!(f, "{}:{line}:{column}: ", terminal_safe(&self.file))?;
        if !self.path.is_empty() {
            write!(f, "{}: ", terminal_safe(&self.path))?;
        }
        write!(f, "{}", terminal_safe(&self.message))?;
        if let Some(text) = self.source_line.as_ref().and_then(Excerpt::line) {
            f.write_str(&caret_block(text, line, column))?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    /// The parsers' wording put in the spec author's words: `unknown variant` is an
    /// unknown value, Rust type names (`u32`) become what to write, a tab gets its
    /// own message, and an unknown field or value gets "did you mean" when one of the
    /// expected names is close (`suggest`).
    pub fn in_user_words(mut self) -> SpecError {
        let at = self
            .source_line
            .as_ref()
            .and_then(Excerpt::line)
            .and_then(|l| l.chars().nth(self.location.column.saturating_sub(1)));
        self.message = user_words(&self.message, at);
        self
    }
}

fn user_words(message: &str, at: Option<char>) -> String {
    if at == Some('\t') || message.contains("found a tab character") {
        return "a tab: YAML indents with spaces only (tabs are not allowed for indentation); replace the tab with spaces".into();
    }
    for (prefix, what) in [("unknown field `", "field"), ("unknown variant `", "value")] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((word, expected)) = rest.split_once('`')
        {
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            return match suggest(word, &names) {
                Some(name) => format!("unknown {what} `{word}`; did you mean `{name}`?"),
                None => format!("unknown {what} `{word}`{expected}"),
            };
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let mut out = format!(
                "expected {}, found {}",
                expected_words(expected),
                found_words(found)
            );
            if expected_words(expected).starts_with("a whole number")
                && let Some(digits) = found
                    .strip_prefix("string \"")
                    .and_then(|f| f.strip_suffix('"'))
                && !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
            {
                out.push_str(&format!(" (write {digits} without quotes)"));
            }
            if expected == "a boolean"
                && let Some(word) = found
                    .strip_prefix("string \"")
                    .and_then(|f| f.strip_suffix('"'))
                && ["yes", "no", "on", "off", "y", "n"]
                    .contains(&word.to_ascii_lowercase().as_str())
            {
                out.push_str(" (YAML 1.2 reads yes/no/on/off as text: write true or false)");
            }
            return out;
        }
    }
    message.to_string()
}

/// What to write, for serde's name of the type it expected.
fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number (0 or more)".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping (`key: value` lines)".into(),
        other if other.starts_with("struct ") => {
            "a mapping of fields (`field: value` lines)".into()
        }
        other if other.starts_with("enum ") => "one of the documented values".into(),
        other => other.to_string(),
    }
}

/// What was found, for serde's description of it (`floating point `3.5``).
fn found_words(found: &str) -> String {
    for (prefix, words) in [
        ("floating point `", "the number "),
        ("integer `", "the number "),
        ("boolean `", ""),
    ] {
        if let Some(value) = found.strip_prefix(prefix).and_then(|v| v.strip_suffix('`')) {
            return format!("{words}{value}");
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" | "null" => "nothing (null)".into(),
        other if other.starts_with("string ") => format!("the {other}"),
        other => other.to_string(),
    }
}

/// The name in `names` that `word` most likely misspells, if one is close enough
/// (Jaro-Winkler similarity of at least 0.8, as spelling suggestions of clap and cargo
/// are tuned).
pub fn suggest<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    names
        .iter()
        .map(|name| {
            (
                strsim::jaro_winkler(&word, &name.to_ascii_lowercase()),
                *name,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// A rule the spec breaks, found by the model, which knows field paths but not
/// files: `source::Source::locate` turns it into a `SpecError` with a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The field path, e.g. `profiles[0].s3.buckets[1].name`; empty for the whole file.
    pub path: String,
    pub message: String,
    /// The error is about the key at `path` (a tag's key, a field's name), not its
    /// value, so it is shown at the key.
    pub at_key: bool,
}

impl RuleError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> RuleError {
        RuleError {
            path: path.into(),
            message: message.into(),
            at_key: false,
        }
    }

    /// The same error, about the key at its path rather than the value.
    pub fn about_key(mut self) -> RuleError {
        self.at_key = true;
        self
    }
}

/// Everything that can go wrong between reading a spec and having output text.
#[derive(Debug)]
pub enum Error {
    /// The spec is wrong: exit code 2.
    Spec(Box<SpecError>),
    /// Every error of one or more specs, each spec's in file order: exit code 2.
    Specs(Vec<SpecError>),
    /// The spec is valid but the chosen target cannot express it: exit code 2.
    Target { file: String, message: String },
    /// Reading or writing a file failed.
    Io { path: String, error: std::io::Error },
    /// The command line asks for something impossible: exit code 2.
    Usage(String),
    /// `--deny-warnings` and this many warnings: exit code 2.
    WarningsDenied(usize),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Specs(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\nerror: ")?;
                    }
                    e.fmt(f)?;
                }
                Ok(())
            }
            Error::Target { file, message } => {
                write!(f, "{}: {}", terminal_safe(file), terminal_safe(message))
            }
            Error::Io { path, error } => write!(
                f,
                "{}: {}",
                terminal_safe(path),
                terminal_safe(&error.to_string())
            ),
            Error::Usage(message) => f.write_str(&terminal_safe(message)),
            Error::WarningsDenied(n) => write!(
                f,
                "{n} warning{} denied by --deny-warnings; nothing was written",
                if *n == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(Box::new(e))
    }
}

impl Error {
    /// The error as diagnostics, one per problem; at most `MAX_ERRORS` of a list,
    /// then one that says how many more there are.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        if let Error::Specs(errors) = self {
            let mut out: Vec<Diagnostic> = errors
                .iter()
                .take(MAX_ERRORS)
                .map(|e| Diagnostic::from_spec_error(Severity::Error, codes::INVALID_SPEC, e))
                .collect();
            if errors.len() > MAX_ERRORS {
                out.push(Diagnostic::error(
                    codes::INVALID_SPEC,
                    format!(
                        "{} more errors not shown (the first {MAX_ERRORS} are); fix these and run again",
                        errors.len() - MAX_ERRORS
                    ),
                ));
            }
            return out;
        }
        let d = match self {
            Error::Specs(_) => unreachable!("handled above"),
            Error::Spec(e) => Diagnostic::from_spec_error(Severity::Error, codes::INVALID_SPEC, e),
            Error::Target { file, message } => {
                Diagnostic::error(codes::TARGET_REFUSES, message).in_file(file)
            }
            Error::Io { path, error } => {
                Diagnostic::error(codes::IO, error.to_string()).in_file(path)
            }
            Error::Usage(message) => Diagnostic::error(codes::USAGE, message),
            Error::WarningsDenied(_) => Diagnostic::error(codes::WARNINGS_DENIED, self.to_string()),
        };
        vec![d]
    }
}

/// The most errors of specs one run prints; the rest are counted.
pub const MAX_ERRORS: usize = 50;

/// The most warnings one run prints; the rest are counted, as errors are (a fleet
/// spec can have a warning per profile, and each is several lines).
pub const MAX_WARNINGS: usize = MAX_ERRORS;

/// The `code` of every diagnostic: a stable name tools can match on.
pub mod codes {
    /// The spec breaks a rule of spec v1, IAM or S3, or is not valid YAML/JSON.
    pub const INVALID_SPEC: &str = "invalid-spec";
    /// The spec is valid, but the chosen target cannot express it.
    pub const TARGET_REFUSES: &str = "target-refuses";
    /// A file could not be read or written.
    pub const IO: &str = "io";
    /// The command line asks for something impossible.
    pub const USAGE: &str = "usage";
    /// A profile is valid but something about it deserves a look.
    pub const SPEC_WARNING: &str = "spec-warning";
    /// `-o FILE` has an extension that belongs to another output format.
    pub const OUTPUT_EXTENSION: &str = "output-extension";
    /// A generated CloudFormation template is over the 51,200 bytes CloudFormation
    /// takes inline: `aws cloudformation deploy` needs `--s3-bucket`.
    pub const TEMPLATE_SIZE: &str = "template-size";
    /// `--deny-warnings` turned the warnings into a failure.
    pub const WARNINGS_DENIED: &str = "warnings-denied";
    /// `check`: a generated file differs from what `build` would write.
    pub const DRIFTED: &str = "drifted";
    /// `check`: a generated file does not exist.
    pub const MISSING: &str = "missing";
    /// `check --exhaustive`: a file no given spec generates.
    pub const STRAY: &str = "stray";
    /// `impact`: a resource is created, updated, replaced, deleted or moved.
    pub const IMPACT_CHANGE: &str = "impact-change";
    /// `impact`: a change that costs something at deploy (an instance loses its
    /// credentials, a StackSet is replaced in every account, a permission is lost).
    pub const IMPACT_HAZARD: &str = "impact-hazard";
    /// `drift`: the first deploy would change, create or fail on a live resource.
    pub const DRIFT_CHANGE: &str = "drift-change";
    /// `drift`: what the account's IAM dump cannot tell.
    pub const DRIFT_UNKNOWN: &str = "drift-unknown";
    /// How many warnings past `MAX_WARNINGS` were counted but not printed.
    pub const MORE_WARNINGS: &str = "more-warnings";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One error or warning, in the shape every `--message-format` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem (see `codes`).
    pub code: &'static str,
    pub message: String,
    /// The file it is about (a spec, a generated file, `<stdin>`), if any.
    pub file: Option<String>,
    pub location: Option<Location>,
    /// The spec's field path, e.g. `profiles[0].s3.buckets[1].name`; may be empty.
    pub path: String,
    /// The line at `location`, for the caret of the human form.
    pub source_line: Option<Excerpt>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            location: None,
            path: String::new(),
            source_line: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// A diagnostic at the place a located error points to; `severity` lets a
    /// warning use the same position.
    pub fn from_spec_error(severity: Severity, code: &'static str, e: &SpecError) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: e.message.clone(),
            file: Some(e.file.clone()),
            location: Some(e.location),
            path: e.path.clone(),
            source_line: e.source_line.clone(),
        }
    }

    /// `file:line:column: path: message` with the caret block, without the
    /// `error:`/`warning:` word; every part escaped for a terminal.
    pub fn human_body(&self) -> String {
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&terminal_safe(file));
            if let Some(Location { line, column }) = self.location {
                out.push_str(&format!(":{line}:{column}"));
            }
            out.push_str(": ");
        }
        if !self.path.is_empty() {
            out.push_str(&terminal_safe(&self.path));
            out.push_str(": ");
        }
        out.push_str(&terminal_safe(&self.message));
        let text = self.source_line.as_ref().and_then(Excerpt::line);
        if let (Some(text), Some(Location { line, column })) = (text, self.location) {
            out.push_str(&caret_block(text, line, column));
        }
        out
    }

    /// The human form: `error: ...` (the word coloured when `color`), then a newline.
    pub fn human(&self, color: bool) -> String {
        let word = match (self.severity, color) {
            (Severity::Error, true) => "\x1b[1;31merror\x1b[0m",
            (Severity::Warning, true) => "\x1b[1;33mwarning\x1b[0m",
            (s, false) => s.as_str(),
        };
        format!("{word}: {}\n", self.human_body())
    }

    /// The JSON form: one object on one line. Keys: severity, code, message, file,
    /// line, column, path (null where unknown).
    pub fn json(&self) -> String {
        let value = serde_json::json!({
            "severity": self.severity.as_str(),
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.location.map(|l| l.line),
            "column": self.location.map(|l| l.column),
            "path": if self.path.is_empty() { None } else { Some(&self.path) },
        });
        format!("{}\n", json_safe(&value.to_string()))
    }

    /// The GitHub Actions workflow command (`::error file=F,line=L,col=C::message`),
    /// which shows the message on the line of the file in a pull request. The text is
    /// made terminal-safe first (so it is one line), then escaped as the runner
    /// requires; the field path leads the message.
    pub fn github(&self) -> String {
        let mut props = Vec::new();
        if let Some(file) = &self.file {
            props.push(format!("file={}", github_property(&terminal_safe(file))));
        }
        if let Some(Location { line, column }) = self.location {
            props.push(format!("line={line}"));
            props.push(format!("col={column}"));
        }
        props.push(format!(
            "title={}",
            github_property(&format!("ssm-profile {}", self.code))
        ));
        let message = if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        };
        format!(
            "::{} {}::{}\n",
            self.severity.as_str(),
            props.join(","),
            github_data(&terminal_safe(&message))
        )
    }

    /// The diagnostic in `format`, ending with a newline.
    pub fn render(&self, format: MessageFormat, color: bool) -> String {
        match format {
            MessageFormat::Human => self.human(color),
            MessageFormat::Json => self.json(),
            MessageFormat::Github => self.github(),
        }
    }
}

/// How diagnostics are printed on stderr (`--message-format`, cargo's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// `error: file:line:column: path: message` with the line and a caret.
    #[default]
    Human,
    /// One JSON object per line per diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...,col=...::...`).
    Github,
}

#[cfg(test)]
mod tests;

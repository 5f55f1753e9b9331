//! Errors that point at the spec: `file:line:column: field.path: message`, then the
//! offending line with a caret under the column, the way a compiler reports them.

use std::fmt;

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
    /// The text of the line at `location`, for the caret display.
    pub source_line: Option<String>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Location { line, column } = self.location;
        write!(f, "{}:{line}:{column}: ", self.file)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(text) = &self.source_line {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            // Tabs keep their width so the caret lines up under the column.
            let lead: String = text
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{pad} |\n{gutter} | {text}\n{pad} | {lead}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// A rule the spec breaks, found by the model, which knows field paths but not
/// files: `source::Source::locate` turns it into a `SpecError` with a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The field path, e.g. `profiles[0].s3.buckets[1].name`; empty for the whole file.
    pub path: String,
    pub message: String,
}

impl RuleError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> RuleError {
        RuleError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Everything that can go wrong between reading a spec and having output text.
#[derive(Debug)]
pub enum Error {
    /// The spec is wrong: exit code 2.
    Spec(Box<SpecError>),
    /// The spec is valid but the chosen target cannot express it: exit code 2.
    Target { file: String, message: String },
    /// Reading or writing a file failed.
    Io { path: String, error: std::io::Error },
    /// The command line asks for something impossible: exit code 2.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Target { file, message } => write!(f, "{file}: {message}"),
            Error::Io { path, error } => write!(f, "{path}: {error}"),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(Box::new(e))
    }
}

//! What goes wrong reading a spec's YAML, and where.

use std::fmt;

use serde::de;
use yaml_rust2::scanner::ScanError;

use super::Pos;

/// An error and where it is: the mark and field path of the innermost node that
/// raised it (`None` until a node has placed it, and for a spec of two documents).
#[derive(Debug)]
pub(in crate::source) struct Error {
    pub(in crate::source) message: String,
    pub(in crate::source) mark: Option<Pos>,
    pub(in crate::source) path: String,
    /// The parser's: the text is not YAML here.
    pub(in crate::source) syntax: bool,
    pub(in crate::source) placed: bool,
}

impl Error {
    pub(in crate::source) fn syntax(error: &ScanError) -> Error {
        Error {
            message: error.info().to_string(),
            mark: Some(Pos::from(*error.marker())),
            path: String::new(),
            syntax: true,
            placed: true,
        }
    }

    pub(in crate::source) fn unplaced(message: &str) -> Error {
        Error {
            message: message.to_string(),
            mark: None,
            path: String::new(),
            syntax: false,
            placed: true,
        }
    }

    pub(in crate::source) fn at(message: &str, mark: Pos) -> Error {
        Error {
            message: message.to_string(),
            mark: Some(mark),
            path: String::new(),
            syntax: false,
            placed: true,
        }
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error {
            message: message.to_string(),
            mark: None,
            path: String::new(),
            syntax: false,
            placed: false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

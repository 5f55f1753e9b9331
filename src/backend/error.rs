//! Why a backend rendered no text.

use std::fmt;

/// A backend's failure to render a valid model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The spec is valid, but `target` (as the command line names it) cannot express
    /// it; `message` says what and which target can. `at` is the spec field it is
    /// about (`profiles[3].description`), when it is about one: the error is shown
    /// at that field's line and column.
    Refused {
        target: &'static str,
        at: Option<String>,
        message: String,
    },
    /// A bug: an embedded template failed to load or render, or a backend produced
    /// data it cannot serialise.
    Internal(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Refused {
                at: Some(at),
                message,
                ..
            } => write!(f, "{at}: {message}"),
            RenderError::Refused { message, .. } => f.write_str(message),
            RenderError::Internal(why) => write!(f, "internal error: {why}"),
        }
    }
}

impl std::error::Error for RenderError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_print_their_message_as_it_is() {
        let refused = RenderError::Refused {
            target: "cloudformation",
            at: None,
            message: "profile `p`: no".into(),
        };
        assert_eq!(refused.to_string(), "profile `p`: no");
        let placed = RenderError::Refused {
            target: "cdk",
            at: Some("profiles[2].description".into()),
            message: "no".into(),
        };
        assert_eq!(placed.to_string(), "profiles[2].description: no");
        assert_eq!(
            RenderError::Internal("x".into()).to_string(),
            "internal error: x"
        );
    }
}

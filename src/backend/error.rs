//! Why a backend rendered no text.

use std::fmt;

/// A backend's failure to render a valid model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The spec is valid, but `target` (as the command line names it) cannot express
    /// it; `message` says what and which target can. It is shown to the user as it is.
    Refused {
        target: &'static str,
        message: String,
    },
    /// A bug: an embedded template failed to load or render, or a backend produced
    /// data it cannot serialise.
    Internal(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
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
            message: "profile `p`: no".into(),
        };
        assert_eq!(refused.to_string(), "profile `p`: no");
        assert_eq!(
            RenderError::Internal("x".into()).to_string(),
            "internal error: x"
        );
    }
}

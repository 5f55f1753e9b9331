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

impl RenderError {
    /// The error every command reports for a spec file a target refused: the one
    /// place a render failure becomes a user-facing error. A refusal that begins
    /// with the spec field it is about (`profiles[0].description: ...`) is shown at
    /// that field, with line and column; others are about the file as a whole.
    pub fn for_source(self, source: &crate::source::Source) -> crate::diag::Error {
        let message = match self {
            RenderError::Refused { message, .. } => message,
            RenderError::Internal(why) => {
                format!("internal error: {why} (a bug in ssm-profile; please report it)")
            }
        };
        if let Some((path, rest)) = message.split_once(": ")
            && path.starts_with("profiles[")
            && !path.contains(char::is_whitespace)
        {
            return source.error_at(path, rest).into();
        }
        crate::diag::Error::Target {
            file: source.name.clone(),
            message,
        }
    }
}

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

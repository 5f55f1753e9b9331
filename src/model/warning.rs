//! What the user of a valid profile should know (a fact no AWS page confirms, a
//! choice that may not do what it says), at the field it is about.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The field below the profile that the warning is about
    /// (`s3.buckets[0].cross_account`); empty: the profile as a whole.
    pub field: String,
    pub message: String,
}

impl Warning {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field's path in the spec, for the profile at `profile` (`profiles[2]`).
    pub fn path(&self, profile: &str) -> String {
        if self.field.is_empty() {
            profile.to_string()
        } else {
            format!("{profile}.{}", self.field)
        }
    }
}

/// The message: what `explain` and the warning lines print.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

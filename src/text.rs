//! Text helpers every layer may use; this module imports nothing from the crate, so
//! it sits below all of them.

/// Serialises data as pretty JSON with LF endings and one trailing newline.
pub fn pretty_json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    text.push('\n');
    text
}

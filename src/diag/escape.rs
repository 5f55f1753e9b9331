//! The escapers of everything printed from a spec or the disk: spec text, file
//! names, field paths, the lines of a drift diff. One table of unsafe characters
//! (`text::is_unsafe_in_code`) and the openings of GitHub Actions log commands.

/// `s` with every character that could steer a terminal or a log reader written as
/// an escape: the characters of the shared table `text::is_unsafe_in_code` (control
/// characters as `\n`, `\r`, `\t`, `\u{1b}`, ...; bidi overrides and isolates,
/// zero-width characters, line and paragraph separators as `\u{202e}`, ...), and
/// the openings of GitHub Actions workflow commands (`log_command_safe`).
pub fn terminal_safe(s: &str) -> String {
    escape(s, false).0
}

/// As `terminal_safe`, for a whole line of output (a drift diff's): tabs are kept,
/// as they are harmless to a terminal and keep a file's layout readable.
pub fn line_safe(s: &str) -> String {
    escape(s, true).0
}

/// The Actions runner reads a log line as a command when it holds `##[name]data`
/// anywhere, or starts with `::name ...::data` after any whitespace (actions/runner,
/// `ActionCommandManager`: `ActionCommand.TryParse` and `TryParseV2`), so text from a
/// spec or the disk could add a secret mask, forge an annotation or stop command
/// processing. The first `#` of `##[` is written `\u{23}`, and the first `:` of a
/// leading `::` `\u{3a}`: shown, the text still reads as what it was.
fn log_command_opening(s: &str, at: usize, at_line_start: bool) -> Option<&'static str> {
    let rest = &s[at..];
    if rest.starts_with("##[") {
        return Some("\\u{23}");
    }
    if at_line_start && rest.starts_with("::") {
        return Some("\\u{3a}");
    }
    None
}

/// The escaped text, and for each character of `s` the length in characters of the
/// escaped text before it (plus the total), so a caret can be put under a column.
pub(super) fn escape(s: &str, keep_tabs: bool) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut widths = Vec::new();
    let mut shown = 0;
    // Until the first character that is not whitespace, `::` would open a command.
    let mut at_line_start = true;
    for (at, c) in s.char_indices() {
        widths.push(shown);
        let before = out.len();
        match c {
            '\t' if keep_tabs => out.push('\t'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if crate::text::is_unsafe_in_code(c) => out.push_str(&c.escape_unicode().to_string()),
            c => match log_command_opening(s, at, at_line_start) {
                Some(escaped) => out.push_str(escaped),
                None => out.push(c),
            },
        }
        at_line_start &= c.is_whitespace();
        shown += out[before..].chars().count();
    }
    widths.push(shown);
    (out, widths)
}

/// GitHub's escaping of a workflow command's message (`escapeData` of
/// @actions/core): `%`, CR and LF.
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value (`escapeProperty`):
/// as the message, plus `:` and `,`, which end a value.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A serialised JSON value with the characters of `text::is_unsafe_in_code` and the
/// `#` of every `##[` written as `\uXXXX` escapes: a JSON reader gets the exact
/// text back, and neither a terminal nor the Actions runner (which reads `##[`
/// anywhere in a line) sees them. Outside strings, serde_json writes ASCII
/// punctuation only, so every such character is inside a string.
pub fn json_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for (at, c) in json.char_indices() {
        if crate::text::is_unsafe_in_code(c) || json[at..].starts_with("##[") {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

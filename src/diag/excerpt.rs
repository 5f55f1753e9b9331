//! The line of a spec an error or warning points into, and how it is shown under the
//! message (a gutter, the line, a caret under the column).

use std::fmt;
use std::sync::Arc;

use super::escape::escape;

/// The line a diagnostic points into: the spec's text, shared with its `Source`
/// and every other diagnostic (never copied), and the line's number. A one-line
/// spec of 30,000 errors held a copy of its megabyte line in each (20 GB); the
/// line is found when the diagnostic is shown, and only shown ones are.
#[derive(Clone, PartialEq, Eq)]
pub struct Excerpt {
    text: Arc<str>,
    /// Starts at 1.
    line: usize,
}

impl Excerpt {
    pub fn new(text: Arc<str>, line: usize) -> Excerpt {
        Excerpt { text, line }
    }

    /// The line's text, without its line break; `None` past the end of the text.
    pub fn line(&self) -> Option<&str> {
        self.text.lines().nth(self.line.checked_sub(1)?)
    }

    /// Whether this excerpt reads `text` itself rather than a copy of it.
    pub fn shares(&self, text: &Arc<str>) -> bool {
        Arc::ptr_eq(&self.text, text)
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Excerpt({}: {:?})", self.line, self.line())
    }
}

/// The most characters of a line shown under a message. A longer line (a JSON spec
/// written on one line) is shown as this many around the column, `...` marking what
/// is cut, so each diagnostic prints a bounded amount whatever the file holds.
pub const MAX_EXCERPT_CHARS: usize = 240;

/// The offending line under a gutter with a caret under `column`. The line is shown
/// escaped; tabs keep their width so the caret lines up under the column.
pub(super) fn caret_block(text: &str, line: usize, column: usize) -> String {
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let at = column.saturating_sub(1);
    let (first, last) = window(text.chars().count(), at);
    let shown: String = text.chars().skip(first).take(last - first).collect();
    let (escaped, widths) = escape(&shown, true);
    let lead_width = widths[(at - first).min(widths.len() - 1)];
    let cut_before = if first > 0 { "..." } else { "" };
    let cut_after = if last < text.chars().count() {
        "..."
    } else {
        ""
    };
    let lead: String = cut_before
        .chars()
        .chain(escaped.chars())
        .take(lead_width + cut_before.len())
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("\n{pad} |\n{gutter} | {cut_before}{escaped}{cut_after}\n{pad} | {lead}^")
}

/// The characters `first..last` of a line of `len` characters to show around the
/// one at `at`: all of them when they fit, else `MAX_EXCERPT_CHARS` with the column
/// a third of the way in.
fn window(len: usize, at: usize) -> (usize, usize) {
    if len <= MAX_EXCERPT_CHARS {
        return (0, len);
    }
    let first = at
        .saturating_sub(MAX_EXCERPT_CHARS / 3)
        .min(len - MAX_EXCERPT_CHARS);
    (first, first + MAX_EXCERPT_CHARS)
}

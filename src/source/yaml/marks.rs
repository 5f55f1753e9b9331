//! Where a node is written. yaml-rust2 marks two kinds of node at the token after
//! them: an empty value (`version:` or `- ` with nothing after it) at the next
//! line's text, and a block list at its first item's text, past the `-`. An error
//! about either is shown where serde_yaml (libyaml) showed it: right after the `:`
//! or `-`, and at the `-`. (A block mapping's start, marked after its first key, is moved to that key
//! in `Document::record`.)

use super::Pos;

/// Byte offsets of yaml-rust2's positions, which count characters: the walk goes on
/// from the last position asked, so that a megabyte is walked once, and only as far
/// as a correction needs.
#[derive(Debug, Default)]
pub(super) struct Offsets {
    chars: usize,
    bytes: usize,
    /// Line breaks before `bytes`.
    breaks: usize,
}

impl Offsets {
    /// The byte offset of the character at `index`; `None` behind the walk.
    fn byte(&mut self, text: &str, index: usize) -> Option<usize> {
        if index < self.chars {
            return None;
        }
        for c in text[self.bytes..].chars() {
            if self.chars == index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
            self.breaks += usize::from(c == '\n');
        }
        (self.chars == index).then_some(self.bytes)
    }

    /// Where an empty value is written: right after the `:` that follows its plain
    /// key (at `key`, character `key_index`), on the key's line.
    pub(super) fn empty_value(&mut self, text: &str, key_index: usize, key: Pos) -> Option<Pos> {
        let start = self.byte(text, key_index)?;
        let line = text[start..].split('\n').next()?;
        let mut chars = line.chars().enumerate().peekable();
        while let Some((at, c)) = chars.next() {
            let ends = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
            if c == ':' && ends {
                return Some(Pos {
                    line: key.line,
                    col: key.col + u32::try_from(at).ok()? + 1,
                });
            }
        }
        None
    }

    /// Where a block list starts: its first `-`, before the item text at `item`
    /// (character `index`).
    pub(super) fn block_list(&mut self, text: &str, index: usize, item: Pos) -> Option<Pos> {
        let at = self.byte(text, index)?;
        let before = &text[..at];
        let spaces = before.trim_end_matches(' ');
        if text[at..].starts_with(['[', '-']) || !spaces.ends_with('-') {
            return None;
        }
        let back = u32::try_from(before.len() - spaces.len() + 1).ok()?;
        Some(Pos {
            line: item.line,
            col: item.col.checked_sub(back)?,
        })
    }

    /// Where an empty value marked at character `index` is written: right after
    /// the `:` or `-` before it, when only blanks and line breaks are between
    /// (`- ` with nothing after it; a key's value is placed by `empty_value`, which
    /// also sees past a comment).
    pub(super) fn after_indicator(&mut self, text: &str, index: usize) -> Option<Pos> {
        let end = self.byte(text, index)?;
        let before = &text[..end];
        let indicator = before.trim_end_matches([' ', '\t', '\r', '\n']);
        if !indicator.ends_with([':', '-']) {
            return None;
        }
        // Counted in the text: at its end yaml-rust2 counts a line the text lacks.
        let line = self.breaks - before[indicator.len()..].matches('\n').count() + 1;
        let line_start = indicator.rfind('\n').map_or(0, |i| i + 1);
        Some(Pos {
            line: u32::try_from(line).ok()?,
            col: u32::try_from(indicator[line_start..].chars().count()).ok()?,
        })
    }

    /// Whether the block scalar header at character `index` (`|+`, `>2+`) keeps
    /// the final line break; `true` when it cannot be read.
    pub(super) fn header_keeps(&mut self, text: &str, index: usize) -> bool {
        let Some(at) = self.byte(text, index) else {
            return true;
        };
        let header = text[at..].split('\n').next().unwrap_or("");
        header.split('#').next().unwrap_or("").contains('+')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_value_is_placed_after_the_colon_that_ends_its_key() {
        // A plain key may hold a space, and a colon not followed by one.
        let text = "a b:c d: \nnext: 1\n";
        let key = Pos { line: 1, col: 0 };
        let at = Offsets::default().empty_value(text, 0, key);
        assert_eq!(at, Some(Pos { line: 1, col: 8 }));
    }
}

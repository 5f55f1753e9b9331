//! Where each field path is in a spec's text: the positions errors and warnings show.
//!
//! YAML is read through yaml-rust2's event stream. JSON has its own small reader
//! here, because yaml-rust2 holds every token of a flow collection that could still
//! be a mapping key until it closes (it checks YAML's 1,024-character limit on such
//! keys only outside flow collections): a one-line megabyte of JSON was 42 MB of
//! queued tokens. Both feed the same `Walker`, so a path is at the same place
//! whichever reads it (`tests::json_is_indexed_as_yaml_rust2_indexes_it`).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::Location;

/// A position in the text: line from 1, column in characters from 0 (as
/// yaml-rust2 counts them). Narrow, since a spec is at most `MAX_SPEC_BYTES` and
/// `yaml::Document` keeps one per node of a megabyte of YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pos {
    pub(super) line: u32,
    pub(super) col: u32,
}

impl Pos {
    /// Where the user reads it: line and column from 1.
    pub(super) fn location(self) -> Location {
        Location {
            line: (self.line as usize).max(1),
            column: self.col as usize + 1,
        }
    }
}

impl From<Marker> for Pos {
    fn from(mark: Marker) -> Pos {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Pos {
            line: narrow(mark.line()),
            col: narrow(mark.col()),
        }
    }
}

/// Field path -> where its key and its value start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PathIndex {
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
    /// Where the first scalar inside a container is: the position of a list item
    /// that has no key of its own.
    containers: HashMap<String, Pos>,
    /// Where a key is written the second time in its mapping: a duplicate is shown
    /// where it repeats, which is where the parsers stop (both keep the first).
    repeats: HashMap<String, Pos>,
    /// When set, the only paths recorded: the paths some errors are about and every
    /// path around them (where `locate` falls back to). A spec of 34,000 profiles with
    /// an error each indexes those, not its 200,000 fields.
    wanted: Option<HashSet<String>>,
}

impl PathIndex {
    /// The index of every path in `text`.
    pub(super) fn build(text: &str, json: bool) -> PathIndex {
        PathIndex::read(text, json, PathIndex::default())
    }

    /// The index of `paths` (and the paths around them) only.
    pub(super) fn build_for<'a>(
        text: &str,
        json: bool,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> PathIndex {
        let mut wanted = HashSet::new();
        for path in paths {
            let mut path = path;
            while wanted.insert(path.to_string()) {
                match path.rfind(['.', '[']) {
                    Some(i) => path = &path[..i],
                    None if !path.is_empty() => path = "",
                    None => break,
                }
            }
        }
        let index = PathIndex {
            wanted: Some(wanted),
            ..PathIndex::default()
        };
        PathIndex::read(text, json, index)
    }

    /// An index that records nothing: for a walk that only needs the paths.
    pub(super) fn recording_nothing() -> PathIndex {
        PathIndex {
            wanted: Some(HashSet::new()),
            ..PathIndex::default()
        }
    }

    fn read(text: &str, json: bool, mut index: PathIndex) -> PathIndex {
        let mut walker = Walker {
            index: &mut index,
            stack: Vec::new(),
        };
        if json {
            read_json(text, &mut walker);
        } else {
            // A file that fails to parse here already failed in `parse`; an empty
            // index then places errors at the top of the file.
            let _ = Parser::new_from_str(text).load(&mut walker, false);
        }
        index
    }

    fn wants(&self, path: &str) -> bool {
        self.wanted.as_ref().is_none_or(|w| w.contains(path))
    }

    fn record(map: &mut HashMap<String, Pos>, path: String, at: Pos) {
        map.entry(path).or_insert(at);
    }

    pub(super) fn exact(&self, path: &str) -> Option<Location> {
        let at = self.values.get(path).or_else(|| self.keys.get(path))?;
        Some(at.location())
    }

    /// Where the key of `path` is written (a tag's key, a field's name), or, for a
    /// path the file has no key for, where `locate` places it.
    pub(super) fn locate_key(&self, path: &str) -> Location {
        match self.keys.get(path) {
            Some(at) => at.location(),
            None => self.locate(path),
        }
    }

    /// Where the key of `path` is written a second time in its mapping, if it is.
    pub(super) fn repeat(&self, path: &str) -> Option<Location> {
        self.repeats.get(path).map(|at| at.location())
    }

    pub(super) fn locate(&self, path: &str) -> Location {
        let mut path = path;
        loop {
            let found = (self.values.get(path))
                .or_else(|| self.keys.get(path))
                .or_else(|| self.containers.get(path));
            if let Some(at) = found {
                return at.location();
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return Location { line: 1, column: 1 },
            }
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

/// What either reader reports, in document order.
enum Node<'s> {
    /// A key or a value; only a key's text is used (and kept).
    Scalar(Cow<'s, str>),
    Open {
        map: bool,
    },
    Close,
    Alias,
}

pub(super) struct Walker<'a> {
    index: &'a mut PathIndex,
    stack: Vec<Frame>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(index: &'a mut PathIndex) -> Walker<'a> {
        Walker {
            index,
            stack: Vec::new(),
        }
    }

    /// How many containers are open here.
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Whether the next scalar is a mapping key.
    pub(super) fn at_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// The path of the key `key` about to be read in the current mapping.
    pub(super) fn peek_key_path(&self, key: &str) -> String {
        match self.stack.last() {
            Some(Frame::Map { path, .. }) => join(path, key),
            _ => String::new(),
        }
    }

    /// The path of an outer container around the current position (at most two
    /// levels below the top), short enough to show for a refusal of deep nesting.
    pub(super) fn outer_path(&self) -> String {
        match self.stack.get(2).or(self.stack.last()) {
            Some(Frame::Map { path, .. } | Frame::Seq { path, .. }) => path.clone(),
            None => String::new(),
        }
    }

    /// The path of the value that starts next, without moving past it.
    pub(super) fn peek_value_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Map { path, key }) => {
                key.as_deref().map_or(path.clone(), |k| join(path, k))
            }
            Some(Frame::Seq { path, next }) => format!("{path}[{next}]"),
        }
    }

    /// The path of the node that starts now, when it is a value (not a key).
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { path, key }) => {
                let key = key.take()?;
                Some(join(path, &key))
            }
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
        }
    }

    /// Block containers report their start after their first key, so a container's
    /// position is taken from the first scalar inside it.
    fn mark_open_containers(&mut self, at: Pos) {
        // Innermost first: a marked container's outer ones were marked with it, so
        // each container is looked up about once rather than once per scalar.
        for frame in self.stack.iter().rev() {
            let path = match frame {
                Frame::Map { path, .. } | Frame::Seq { path, .. } => path,
            };
            if self.index.containers.contains_key(path) {
                break;
            }
            if self.index.wants(path) {
                PathIndex::record(&mut self.index.containers, path.clone(), at);
            }
        }
    }

    fn on(&mut self, node: Node<'_>, at: Pos) {
        match node {
            Node::Scalar(value) => {
                self.mark_open_containers(at);
                if let Some(Frame::Map { path, key }) = self.stack.last_mut()
                    && key.is_none()
                {
                    let full = join(path, &value);
                    if self.index.wants(&full) {
                        let seen = if self.index.keys.contains_key(&full) {
                            &mut self.index.repeats
                        } else {
                            &mut self.index.keys
                        };
                        PathIndex::record(seen, full, at);
                    }
                    *key = Some(value.into_owned());
                    return;
                }
                if let Some(path) = self.next_value_path()
                    && self.index.wants(&path)
                {
                    PathIndex::record(&mut self.index.values, path, at);
                }
            }
            Node::Open { map } => {
                let path = self.next_value_path().unwrap_or_default();
                self.stack.push(if map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            Node::Close => {
                self.stack.pop();
            }
            Node::Alias => {
                self.next_value_path();
            }
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Walker<'_> {
    /// Takes in one of yaml-rust2's events, which the caller keeps (the prescan
    /// hands them on to `yaml::Document`).
    pub(super) fn on_event_ref(&mut self, event: &Event, mark: Marker) {
        let node = match event {
            Event::Scalar(value, ..) => Node::Scalar(Cow::Borrowed(value)),
            Event::MappingStart(..) => Node::Open { map: true },
            Event::SequenceStart(..) => Node::Open { map: false },
            Event::MappingEnd | Event::SequenceEnd => Node::Close,
            Event::Alias(_) => Node::Alias,
            _ => return,
        };
        self.on(node, mark.into());
    }
}

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.on_event_ref(&event, mark);
    }
}

/// Reads JSON that serde_json has already accepted (or that failed there: then the
/// index is partial, which places errors at the nearest field it has). Positions
/// count lines and characters as yaml-rust2 does: `\r\n` is one break, a lone `\r`
/// is one too.
fn read_json(text: &str, walker: &mut Walker) {
    let bytes = text.as_bytes();
    let mut at = Pos { line: 1, col: 0 };
    let mut i = 0;
    // Moves `at` over bytes[i..to].
    let advance = |at: &mut Pos, from: usize, to: usize| {
        for (k, &b) in bytes[from..to].iter().enumerate() {
            match b {
                b'\n' => {
                    *at = Pos {
                        line: at.line + 1,
                        col: 0,
                    }
                }
                b'\r' if bytes.get(from + k + 1) != Some(&b'\n') => {
                    *at = Pos {
                        line: at.line + 1,
                        col: 0,
                    }
                }
                b'\r' => {}
                // A character's first byte: UTF-8 continuation bytes are 0b10xxxxxx.
                b if b & 0xC0 != 0x80 => at.col += 1,
                _ => {}
            }
        }
    };
    while i < bytes.len() {
        let (node, end) = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => (None, i + 1),
            b'{' => (Some(Node::Open { map: true }), i + 1),
            b'[' => (Some(Node::Open { map: false }), i + 1),
            b'}' | b']' => (Some(Node::Close), i + 1),
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let Some(raw) = text.get(i..=j) else { return };
                // Only a key's text makes a path; serde_json decodes its escapes
                // exactly as it did when it read the spec.
                let value = if walker.at_key() {
                    match serde_json::from_str::<String>(raw) {
                        Ok(value) => value,
                        Err(_) => return,
                    }
                } else {
                    String::new()
                };
                (Some(Node::Scalar(Cow::Owned(value))), j + 1)
            }
            _ => {
                let len = bytes[i..]
                    .iter()
                    .position(|b| b" \t\r\n,:]}".contains(b))
                    .unwrap_or(bytes.len() - i);
                let token = String::from_utf8_lossy(&bytes[i..i + len]).into_owned();
                (Some(Node::Scalar(Cow::Owned(token))), i + len)
            }
        };
        if let Some(node) = node {
            walker.on(node, at);
        }
        advance(&mut at, i, end);
        i = end;
    }
}

#[cfg(test)]
mod tests;

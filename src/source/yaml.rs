//! YAML read into the spec's serde types, from the events of yaml-rust2's parser.
//!
//! The prescan (`prescan::yaml_prescan`) already reads every event, for its
//! refusals and the field index; it hands them to a `Document`, and a `Reader`
//! deserialises the spec from there. So one YAML parser reads a spec. Before, serde_yaml
//! (archived upstream, over unsafe-libyaml, C translated to Rust) parsed the text a
//! second time: 111 K of the seed's 2,396 K instructions (BENCHMARKS.md, issue 26).
//!
//! A plain scalar is read by YAML 1.2's core schema, as serde_yaml 0.9 read it, so
//! a spec means what it meant: `~`, `null` and nothing are null; `true` and `false`
//! (also capitalised or upper case) are booleans; decimal, `0x`, `0o` and `0b`
//! integers are numbers, but digits with a leading zero are text; `.inf` and `.nan`
//! are floats. Wherever the spec asks for text, any scalar is its text. A quoted
//! scalar is always text. Errors are worded as serde_yaml worded them (serde's own
//! messages, placed at the innermost node that raised them, with its field path),
//! which `SpecError::in_user_words` puts in the user's words.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::de::{self, Unexpected, Visitor};
use yaml_rust2::parser::Event;
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use super::index::Pos;

mod access;
mod error;
mod marks;
mod scalar;
use access::{Entries, Items, UnitVariant};
pub(super) use error::Error;
use scalar::{Number, invalid_type, is_null, parse_bool, visit_scalar};

/// The first YAML document of a spec, as nodes, and what the parser said after it.
#[derive(Debug, Default)]
pub(super) struct Document {
    nodes: Vec<(Node, Pos)>,
    /// Anchor id -> the index of the node it names.
    anchors: HashMap<usize, usize>,
    /// The syntax error the parser stopped at, inside the first document: the
    /// nodes before it are read, and reading past them reports it.
    error: Option<ScanError>,
    /// The first document has ended.
    ended: bool,
    /// Something followed the first document: a spec is one document.
    more: bool,
    /// Where the last node is, in characters (yaml-rust2's count).
    last_index: usize,
    offsets: marks::Offsets,
}

/// One of the parser's events, as much of it as reading needs: the prescan refuses
/// every tag, and anchors are kept apart (`Document::anchors`). A megabyte of flow
/// YAML is 200,000 of them, held while the parser still holds its tokens: the
/// events themselves were 112 bytes each, and took that input's peak from 65 to
/// 94 MB.
#[derive(Debug)]
pub(super) enum Node {
    /// Its text, and whether it is plain (not quoted, not a block scalar).
    Scalar(String, bool),
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
    Alias(usize),
    /// An empty document.
    Nothing,
}

impl Document {
    /// Takes the parser's next event, read from `text`.
    pub(super) fn record(&mut self, event: Event, marker: Marker, text: &str) {
        let mut mark = Pos::from(marker);
        if self.ended {
            if !matches!(event, Event::StreamEnd) {
                self.more = true;
            }
            return;
        }
        let (node, anchor) = match event {
            Event::Nothing | Event::StreamStart | Event::DocumentStart => return,
            Event::DocumentEnd => {
                self.ended = true;
                return;
            }
            Event::StreamEnd => {
                // No document at all (an empty file, only comments): read as an
                // empty mapping, which names the first required field.
                if self.nodes.is_empty() {
                    self.nodes.push((Node::Nothing, mark));
                }
                self.ended = true;
                return;
            }
            Event::Scalar(mut value, style, anchor, _) => {
                // yaml-rust2 reads an empty block scalar that ends the text (`key: |`
                // on the last line) as a line break. YAML 1.2 reads it as nothing
                // unless its header keeps the break (`|+`; the spec's example 8.6),
                // as libyaml did.
                if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded)
                    && value == "\n"
                    && !self.offsets.header_keeps(text, marker.index())
                {
                    value.clear();
                }
                (Node::Scalar(value, style == TScalarStyle::Plain), anchor)
            }
            Event::SequenceStart(anchor, _) => (Node::SequenceStart, anchor),
            Event::MappingStart(anchor, _) => (Node::MappingStart, anchor),
            Event::SequenceEnd => (Node::SequenceEnd, 0),
            Event::MappingEnd => (Node::MappingEnd, 0),
            Event::Alias(id) => (Node::Alias(id), 0),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, self.nodes.len());
        }
        let corrected = match (&node, self.nodes.last()) {
            (Node::Scalar(value, true), Some((last, at)))
                if value.is_empty() && mark.line > at.line =>
            {
                let after_key = match last {
                    Node::Scalar(_, true) => self.offsets.empty_value(text, self.last_index, *at),
                    _ => None,
                };
                after_key.or_else(|| self.offsets.after_indicator(text, marker.index()))
            }
            (Node::SequenceStart, _) => self.offsets.block_list(text, marker.index(), mark),
            _ => None,
        };
        mark = corrected.unwrap_or(mark);
        self.last_index = marker.index();
        // yaml-rust2 marks a block mapping's start after its first key; an error
        // about the mapping (a missing field) is shown where it starts, at that
        // key, as serde_yaml (libyaml) showed it.
        if let Some((Node::MappingStart, start)) = self.nodes.last_mut()
            && matches!(node, Node::Scalar(..))
            && mark < *start
        {
            *start = mark;
        }
        self.nodes.push((node, mark));
    }

    /// The parser stopped at a syntax error.
    pub(super) fn fail(&mut self, error: ScanError) {
        if self.ended {
            self.more = true;
        } else {
            self.error = Some(error);
        }
    }

    /// Deserialises the document with `read` (given a `Reader` over it), then
    /// reports the syntax error after it or a second document, if either.
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&mut Reader<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut reader = Reader {
            document: self,
            pos: 0,
            path: Vec::new(),
            depth_left: MAX_NESTING,
            jumps: 0,
        };
        let value = read(&mut reader)?;
        if let Some(error) = &self.error {
            return Err(Error::syntax(error));
        }
        if self.more {
            return Err(Error::unplaced(
                "deserializing from YAML containing more than one document is not supported",
            ));
        }
        Ok(value)
    }
}

/// How deep lists and maps may nest once aliases are followed (the prescan bounds
/// the written nesting at `MAX_DEPTH`; an alias inside its own anchor would nest
/// forever).
const MAX_NESTING: usize = 128;

/// One step of a field path.
#[derive(Debug, Clone, Copy)]
enum Step {
    Index(usize),
    /// The index of the key's scalar node.
    Key(usize),
    /// A key that is not a scalar.
    Unknown,
}

/// Reads one node at a time from a `Document`.
pub(super) struct Reader<'d> {
    document: &'d Document,
    /// The next node.
    pos: usize,
    path: Vec<Step>,
    depth_left: usize,
    /// Aliases followed so far, bounded as serde_yaml bounded them.
    jumps: usize,
}

impl<'d> Reader<'d> {
    fn peek(&self) -> Result<(&'d Node, Pos), Error> {
        match self.document.nodes.get(self.pos) {
            Some((event, mark)) => Ok((event, *mark)),
            None => Err(match &self.document.error {
                Some(error) => Error::syntax(error),
                None => Error::unplaced("EOF while parsing a value"),
            }),
        }
    }

    fn next(&mut self) -> Result<(&'d Node, Pos), Error> {
        let next = self.peek()?;
        self.pos += 1;
        Ok(next)
    }

    /// The field path here, as `profiles[0].s3`; empty at the top.
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Step::Key(at) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    if let Some((Node::Scalar(key, _), _)) = self.document.nodes.get(*at) {
                        out.push_str(key);
                    }
                }
                Step::Unknown => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push('?');
                }
            }
        }
        out
    }

    /// `error` at the node that starts at `mark`, unless a node inside placed it.
    fn place(&self, mut error: Error, mark: Pos) -> Error {
        if !error.placed {
            error.mark = Some(mark);
            error.path = self.path();
            error.placed = true;
        }
        error
    }

    /// Reads the node anchor `id` names with `read`, then goes on after the alias.
    fn follow<T>(
        &mut self,
        id: usize,
        mark: Pos,
        read: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.jumps += 1;
        if self.jumps > self.document.nodes.len() * 100 {
            return Err(Error::at("repetition limit exceeded", mark));
        }
        // yaml-rust2 refuses an alias of an anchor it has not seen.
        let Some(&start) = self.document.anchors.get(&id) else {
            return Err(Error::at("unknown anchor", mark));
        };
        let back = std::mem::replace(&mut self.pos, start);
        let value = read(self);
        self.pos = back;
        value
    }

    fn nested<T>(
        &mut self,
        mark: Pos,
        read: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.depth_left == 0 {
            return Err(Error::at("recursion limit exceeded", mark));
        }
        self.depth_left -= 1;
        let value = read(self);
        self.depth_left += 1;
        value
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_any(visitor)),
            Node::Scalar(value, plain) => visit_scalar(visitor, value, *plain),
            Node::SequenceStart => self.visit_sequence(visitor, mark),
            Node::MappingStart => self.visit_mapping(visitor, mark),
            Node::Nothing => visitor.visit_none(),
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_bool(visitor)),
            Node::Scalar(value, true) => match parse_bool(value) {
                Some(b) => visitor.visit_bool(b),
                None => Err(invalid_type(event, &visitor)),
            },
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Signed)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Signed)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Signed)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Signed)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Signed128)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Unsigned)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Unsigned)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Unsigned)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Unsigned)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Unsigned128)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Float)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor, Number::Float)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// Any scalar is text where text is asked for: `name: 123` is the name "123".
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_str(visitor)),
            Node::Scalar(value, _) => visitor.visit_str(value),
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("bytes are not read from YAML"))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("bytes are not read from YAML"))
    }

    /// Null (`~`, `null`, nothing) is absent; anything else, quoted `"null"` too,
    /// is present.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.peek()?;
        let present = match event {
            Node::Alias(id) => {
                self.pos += 1;
                return self.follow(*id, mark, |r| r.deserialize_option(visitor));
            }
            Node::Scalar(value, plain) => !*plain || !(value.is_empty() || is_null(value)),
            Node::SequenceStart | Node::MappingStart => true,
            _ => false,
        };
        if present {
            visitor.visit_some(self)
        } else {
            self.pos += 1;
            visitor.visit_none()
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_unit(visitor)),
            Node::Scalar(value, plain) => {
                if *plain && (value.is_empty() || is_null(value)) {
                    visitor.visit_unit()
                } else {
                    Err(de::Error::invalid_value(Unexpected::Str(value), &"null"))
                }
            }
            Node::Nothing => visitor.visit_unit(),
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (_, mark) = self.peek()?;
        self.nested(mark, |r| visitor.visit_newtype_struct(r))
    }

    /// A list; nothing (`key:`) is an empty one.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_seq(visitor)),
            Node::SequenceStart => self.visit_sequence(visitor, mark),
            Node::Nothing => visitor.visit_seq(Items::empty(self)),
            Node::Scalar(value, true) if value.is_empty() => visitor.visit_seq(Items::empty(self)),
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    /// A mapping; nothing (`key:`, an empty document) is an empty one.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.deserialize_map(visitor)),
            Node::MappingStart => self.visit_mapping(visitor, mark),
            Node::Nothing => visitor.visit_map(Entries::empty(self)),
            Node::Scalar(value, true) if value.is_empty() => {
                visitor.visit_map(Entries::empty(self))
            }
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// An enum of the spec is one of its values' names, written as a scalar.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (event, mark) = self.peek()?;
        let result = match event {
            Node::Alias(id) => {
                self.pos += 1;
                return self.follow(*id, mark, |r| r.deserialize_enum(_name, _variants, visitor));
            }
            Node::Scalar(..) => visitor.visit_enum(UnitVariant { reader: &mut *self }),
            Node::MappingStart => Err(de::Error::invalid_type(
                Unexpected::Map,
                &"a YAML tag starting with '!'",
            )),
            Node::SequenceStart => Err(de::Error::invalid_type(
                Unexpected::Seq,
                &"a YAML tag starting with '!'",
            )),
            _ => Err(Error::unplaced("EOF while parsing a value")),
        };
        result.map_err(|e| self.place(e, mark))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip()?;
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests;

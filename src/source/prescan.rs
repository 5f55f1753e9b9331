//! What is refused before a parser reads a spec: nesting deeper than `MAX_DEPTH`
//! (both formats), and in YAML tags, merge keys, integers not written in decimal,
//! and aliases that expand the document past `MAX_EXPANDED_NODES`.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use super::index::{PathIndex, Walker};
use super::yaml::Document;
use super::{MAX_DEPTH, MAX_SPEC_BYTES};

/// The fields spec v1 declares as integers: only their decimal form is accepted.
const INTEGER_FIELDS: &[&str] = &["version", "max_session_duration"];

pub(super) fn too_deep(depth: usize) -> String {
    format!(
        "lists and maps are nested more than {MAX_DEPTH} deep here (at least {depth}); spec v1 needs 6 at most"
    )
}

/// Where JSON text first nests deeper than `MAX_DEPTH` (byte offset, depth). A plain
/// scan of brackets outside strings: linear, and run before any parser.
pub(super) fn json_too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((i, depth));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Something in a YAML spec refused before it is read into the spec's types.
#[derive(Debug)]
pub(super) struct Refusal {
    pub(super) mark: Marker,
    pub(super) path: String,
    pub(super) message: String,
}

/// Reads the YAML event stream (yaml-rust2, linear in the input) and refuses, at the
/// first place it occurs: nesting deeper than `MAX_DEPTH` (stopping there, before
/// any quadratic work), YAML tags (`!Ref`, `!!binary`, ... which a YAML reader
/// would silently drop), merge keys (`<<`), and integer fields written in a form other than
/// plain decimal (`0x1`, `0o1`, `+1`, `01`, which YAML readers disagree about). A
/// syntax error ends the scan: the document keeps it, and reading reports it where
/// the events before it run out (`yaml::Document`).
/// Aliases are counted as they come (`Expansion`), and the first one that makes the
/// document, written out, longer than `MAX_SPEC_BYTES` is refused.
///
/// Every event goes on to the returned `Document`, which the spec is read from.
/// The walk records the paths it passes in `index` (`PathIndex::recording_nothing`
/// for only the refusals' messages), which is returned whole when the scan reached
/// the end of the text: the index `locate` would otherwise build by reading the text
/// again.
pub(super) fn yaml_prescan(text: &str, mut index: PathIndex) -> Result<Scan, Refusal> {
    let mut expansion = Expansion::new(text.len());
    let mut parser = Parser::new_from_str(text);
    let mut document = Document::default();
    let mut walker = Walker::new(&mut index);
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // yaml-rust2 counts flow nesting in a byte and reads ahead over it.
            Err(e) if e.info() == "recursion limit exceeded" => {
                return Err(Refusal {
                    mark: *e.marker(),
                    path: walker.outer_path(),
                    message: too_deep(256),
                });
            }
            Err(e) => {
                document.fail(e);
                return Ok(Scan {
                    document,
                    index: None,
                });
            }
        };
        let refuse = |path: String, message: String| {
            Err(Refusal {
                mark,
                path,
                message,
            })
        };
        if expansion.grows_past_the_cap(&event, mark) {
            return refuse(walker.peek_value_path(), too_expanded());
        }
        match &event {
            Event::StreamEnd => {
                document.record(event, mark, text);
                break;
            }
            Event::MappingStart(_, tag) | Event::SequenceStart(_, tag) => {
                let path = walker.peek_value_path();
                if walker.depth() + 1 > MAX_DEPTH {
                    return refuse(walker.outer_path(), too_deep(walker.depth() + 1));
                }
                if let Some(tag) = tag {
                    return refuse(path, tag_message(tag));
                }
            }
            Event::Scalar(value, style, _, tag) => {
                let is_key = walker.at_key();
                let path = if is_key {
                    walker.peek_key_path(value)
                } else {
                    walker.peek_value_path()
                };
                if let Some(tag) = tag {
                    return refuse(path, tag_message(tag));
                }
                let plain = *style == yaml_rust2::scanner::TScalarStyle::Plain;
                if is_key && plain && value == "<<" {
                    return refuse(
                        path,
                        "merge keys (`<<: *anchor`) are not supported in spec v1: write the fields out (an alias of a whole value, `key: *anchor`, works)".into(),
                    );
                }
                let field = path.rsplit(['.', ']']).next().unwrap_or("");
                if !is_key
                    && plain
                    && INTEGER_FIELDS.contains(&field)
                    && !is_decimal(value)
                    && looks_numeric(value)
                {
                    return refuse(
                        path,
                        format!(
                            "`{value}` is not a plain decimal integer; write the number in decimal digits (YAML readers disagree about hexadecimal, octal, signed and zero-padded forms)"
                        ),
                    );
                }
            }
            _ => {}
        }
        walker.on_event_ref(&event, mark);
        document.record(event, mark, text);
    }
    Ok(Scan {
        document,
        index: Some(index),
    })
}

/// What the prescan read: the events, for `Document::read`, and the field index,
/// when the text had no syntax error.
#[derive(Debug)]
pub(super) struct Scan {
    pub(super) document: Document,
    pub(super) index: Option<PathIndex>,
}

/// How long the document is with every alias written out: an alias stands for
/// its anchored node's text (and the aliases in it, expanded), and reading builds
/// the value that many times over. A list of 1,000 buckets anchored once and
/// named by an alias in each of 1,300 profiles was a 68 KB spec that took 25 s and
/// wrote 57 MB of Terraform: the size cap bounds the text, not what it stands for.
struct Expansion {
    /// The text's own length plus what every alias so far adds.
    length: usize,
    /// Anchor id -> the length of the node it names, expanded.
    anchored: HashMap<usize, usize>,
    /// For each open list or mapping: its anchor id, where it starts, and `length`
    /// then (so the aliases inside it count in its own expansion).
    open: Vec<Option<(usize, usize, usize)>>,
}

impl Expansion {
    fn new(text_length: usize) -> Expansion {
        Expansion {
            length: text_length,
            anchored: HashMap::new(),
            open: Vec::new(),
        }
    }

    /// Takes in one event; `true` when it is an alias that makes the document,
    /// written out, longer than `MAX_SPEC_BYTES`.
    fn grows_past_the_cap(&mut self, event: &Event, mark: Marker) -> bool {
        match event {
            Event::Alias(id) => {
                // An alias of an anchor not yet complete (itself, inside it) is
                // `yaml::Reader`'s to refuse; it adds nothing here.
                self.length += self.anchored.get(id).copied().unwrap_or(0);
                return self.length > MAX_SPEC_BYTES;
            }
            Event::Scalar(value, _, id, _) if *id > 0 => {
                self.anchored.insert(*id, value.len());
            }
            Event::MappingStart(id, _) | Event::SequenceStart(id, _) => {
                self.open
                    .push((*id > 0).then_some((*id, mark.index(), self.length)));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Some((id, start, length))) = self.open.pop() {
                    let own = mark.index().saturating_sub(start);
                    self.anchored.insert(id, own + (self.length - length));
                }
            }
            _ => {}
        }
        false
    }
}

fn too_expanded() -> String {
    format!(
        "aliases (`*name`) expand this spec past {MAX_SPEC_BYTES} bytes (1 MiB), the most ssm-profile reads: written out, it would be larger than a spec may be; repeat less, or split the spec into several files"
    )
}

fn tag_message(tag: &yaml_rust2::parser::Tag) -> String {
    let shown = if tag.handle == "tag:yaml.org,2002:" {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    format!(
        "YAML tag `{shown}` is not supported: a spec holds plain values (CloudFormation functions such as !Ref and !Sub mean nothing here); quote the value if it is text"
    )
}

/// `0` or digits without a leading zero.
fn is_decimal(value: &str) -> bool {
    !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'))
}

/// A plain scalar some YAML reader takes for a number: signed, hexadecimal, octal,
/// binary, with underscores or zero-padded.
fn looks_numeric(value: &str) -> bool {
    let v = value.strip_prefix(['+', '-']).unwrap_or(value);
    let v = v.replace('_', "");
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    match v.get(..2) {
        Some("0x" | "0X") => digits(&v[2..], 16),
        Some("0o" | "0O") => digits(&v[2..], 8),
        Some("0b" | "0B") => digits(&v[2..], 2),
        _ => digits(&v, 10),
    }
}

//! Reading a spec: the only module that knows YAML and JSON parsers exist.
//!
//! YAML is read with yaml-rust2 alone: its events are scanned for what is refused
//! (`prescan`), indexed for positions (`index`) and deserialised into the spec's
//! types (`yaml`). JSON is read with serde_json, and indexed by the same walk.

use std::io::Read;
use std::sync::{Arc, OnceLock};

use crate::diag::{Error, Excerpt, Location, RuleError, SpecError};
use crate::spec::Spec;

mod index;
mod prescan;
mod shown;
mod unknown;
mod yaml;
use index::PathIndex;
use prescan::{json_too_deep, too_deep, yaml_prescan};

/// A spec read without the fields its types do not have, and those fields: each is
/// an error at its key, reported with the rules' errors of the rest of the spec
/// (`crate::load_all`), as `deny_unknown_fields` once refused the first alone.
#[derive(Debug)]
pub struct Parsed {
    pub spec: Spec,
    /// In file order.
    pub unknown: Vec<SpecError>,
    /// The path of the mapping that holds each (`profiles[0].s3`).
    pub holders: Vec<String>,
}

/// A spec file's name (as the user gave it) and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// Shared with every error and warning placed in it (`diag::Excerpt`).
    pub text: Arc<str>,
    /// Where each field path is in `text`, read on the first error or warning to
    /// place and kept for the rest: building it reads the whole file, and a fleet
    /// spec can have a warning for each of a thousand profiles (85 s when it was
    /// built for each).
    index: OnceLock<PathIndex>,
    json: OnceLock<bool>,
}

impl Source {
    /// Reads `path`, or standard input when `path` is `-`. At most `MAX_SPEC_BYTES`
    /// are read: a larger input is refused without reading the rest. Text that is not
    /// UTF-8 is refused at the first byte that is not, with its line and column.
    pub fn read(path: &str) -> Result<Source, Error> {
        // Room for a real spec (a few kilobytes) in the first read: from an empty
        // buffer, the reads grow from 32 bytes, six of them for the seed spec.
        let mut bytes = Vec::with_capacity(16 << 10);
        let limit = MAX_SPEC_BYTES as u64 + 1;
        let (name, result) = if path == "-" {
            (
                "<stdin>".to_string(),
                std::io::stdin().lock().take(limit).read_to_end(&mut bytes),
            )
        } else {
            (
                path.to_string(),
                std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes)),
            )
        };
        result.map_err(|error| Error::Io {
            path: name.clone(),
            error,
        })?;
        if bytes.len() > MAX_SPEC_BYTES {
            return Err(too_large(&name).into());
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(e) => {
                let good = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let before = String::from_utf8_lossy(&bytes[..good]).into_owned();
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let source = Source::new(name, String::from_utf8_lossy(&bytes).into_owned());
                Err(source
                    .error(
                        Location { line, column },
                        "",
                        format!(
                            "the spec is not UTF-8 text (byte 0x{:02X} here); save it as UTF-8",
                            bytes[good]
                        ),
                    )
                    .into())
            }
        }
    }

    /// A spec named `name` holding `text`. A leading byte-order mark is dropped: some
    /// editors on Windows write one, and it is not part of the spec.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Source {
            name: name.into(),
            text: text.into(),
            index: OnceLock::new(),
            json: OnceLock::new(),
        }
    }

    /// A `.json` file, standard input that starts with `{` (so that broken JSON gets
    /// serde_json's message), or YAML written as JSON: YAML reads
    /// JSON as JSON does, and serde_json reads it in a fraction of the time and memory
    /// (yaml-rust2 queues every token of a flow collection until it closes: a
    /// one-line megabyte was 42 MB of tokens, twice, in the prescan and the index).
    fn is_json(&self) -> bool {
        *self.json.get_or_init(|| {
            self.name.ends_with(".json")
                || (self.name == "<stdin>" && self.text.trim_start().starts_with('{'))
                || (self.text.trim_start().starts_with(['{', '['])
                    && serde_json::from_str::<serde::de::IgnoredAny>(&self.text).is_ok())
        })
    }

    /// Deserialises the spec's shape: the first error (in file order), an unknown
    /// field included (`parse_all` gives every one).
    pub fn parse(&self) -> Result<Spec, SpecError> {
        let parsed = self
            .parse_all()
            .map_err(|mut errors| errors.swap_remove(0))?;
        match parsed.unknown.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(parsed.spec),
        }
    }

    /// Deserialises the spec's shape, reading on past each unknown field (`Parsed`).
    /// `Err` is a syntax or type error, where the parsers stop, with the unknown
    /// fields before it; errors come back located, in the user's words
    /// (`SpecError::in_user_words`), in file order, never empty.
    pub fn parse_all(&self) -> Result<Parsed, Vec<SpecError>> {
        let mut fields = Vec::new();
        let result = self.parse_shapes(&mut fields);
        let mut unknown: Vec<SpecError> = (fields.iter())
            .map(|field| {
                let path = field.path();
                let location = self.index().locate_key(&path);
                self.error(location, &path, field.message()).in_user_words()
            })
            .collect();
        let by_place = |e: &SpecError| (e.location.line, e.location.column);
        match result {
            Ok(spec) => {
                unknown.sort_by_key(by_place);
                let holders = fields.into_iter().map(|f| f.parent).collect();
                Ok(Parsed {
                    spec,
                    unknown,
                    holders,
                })
            }
            Err(e) => {
                let e = e.in_user_words();
                if !misspells_the_missing_field(&e, &fields) {
                    unknown.push(e);
                }
                unknown.sort_by_key(by_place);
                Err(unknown)
            }
        }
    }

    /// `unknown`: each key the spec types do not have, as it is read.
    fn parse_shapes(&self, unknown: &mut Vec<unknown::Field>) -> Result<Spec, SpecError> {
        let mut note = |path: serde_ignored::Path| unknown.push(unknown::Field::of(&path));
        if self.text.len() > MAX_SPEC_BYTES {
            return Err(too_large(&self.name));
        }
        if self.is_json() {
            if let Some((offset, depth)) = json_too_deep(&self.text) {
                let before = &self.text[..offset];
                let location = Location {
                    line: before.matches('\n').count() + 1,
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                };
                return Err(self.error(location, "", too_deep(depth)));
            }
            let json_error = |path: &str, inner: serde_json::Error| {
                let reported = Location {
                    line: inner.line().max(1),
                    column: inner.column().max(1),
                };
                // serde_json reports where it stopped reading, after the field; the
                // field's own position is where the user looks.
                let path = if path == "." { "" } else { path };
                let message = strip_position(&inner.to_string(), reported);
                let location = (self.repeated_key(path, &message))
                    .or_else(|| self.index().exact(path))
                    .unwrap_or(reported);
                self.error(location, path, message)
            };
            let mut de = serde_json::Deserializer::from_str(&self.text);
            let reading = serde_ignored::Deserializer::new(&mut de, &mut note);
            let spec: Spec = serde_path_to_error::deserialize(reading).map_err(|e| {
                let path = e.path().to_string();
                json_error(&path, e.into_inner())
            })?;
            de.end().map_err(|e| json_error("", e))?;
            Ok(spec)
        } else {
            // A spec of a few kilobytes is indexed by the walk that scans it, for
            // its warnings and errors: reading it again for them was 5% of the seed
            // spec's instructions (BENCHMARKS.md, issue 26). A larger one is indexed
            // only if something needs placing, and then only where (`locate_all`).
            let whole = self.text.len() <= INDEXED_WHILE_SCANNING;
            let index = if whole {
                PathIndex::default()
            } else {
                PathIndex::recording_nothing()
            };
            let scan = yaml_prescan(&self.text, index).map_err(|refusal| {
                self.error(
                    index::Pos::from(refusal.mark).location(),
                    &refusal.path,
                    refusal.message,
                )
            })?;
            if whole && let Some(index) = scan.index {
                let _ = self.index.set(index);
            }
            (scan.document)
                .read(|reader| serde_ignored::deserialize::<_, _, Spec>(reader, note))
                .map_err(|e| {
                    let location = match e.mark {
                        Some(mark) if e.syntax && e.message.contains("tab") => {
                            first_tab_from(&self.text, mark).unwrap_or(mark.location())
                        }
                        Some(mark) => mark.location(),
                        None => Location { line: 1, column: 1 },
                    };
                    let location = (self.repeated_key(&e.path, &e.message)).unwrap_or(location);
                    self.error(location, &e.path, e.message)
                })
        }
    }

    /// Where the key a duplicate-key error is about is written the second time: the
    /// parsers point at the mapping (YAML) or past the key (JSON), and the user looks
    /// for the repeated line. The messages are serde's (`duplicate field `name``) and
    /// `spec::unique_map`'s (`tag `team` is given twice`).
    fn repeated_key(&self, path: &str, message: &str) -> Option<Location> {
        let key = match message.strip_prefix("duplicate field `") {
            Some(rest) => rest.strip_suffix('`')?,
            None => message
                .strip_prefix("tag `")?
                .strip_suffix(crate::spec::GIVEN_TWICE)?,
        };
        let full = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        self.index().repeat(&full)
    }

    /// An error about the field at `path` (as `profiles[0].s3.buckets[1].name`),
    /// located at its value, or at the nearest enclosing field the file has.
    pub fn error_at(&self, path: &str, message: impl Into<String>) -> SpecError {
        let location = self.index().locate(path);
        self.error(location, path, message.into())
    }

    fn index(&self) -> &PathIndex {
        self.index
            .get_or_init(|| PathIndex::build(&self.text, self.is_json()))
    }

    /// Places a rule error found by the model at its field in this file.
    pub fn locate(&self, e: RuleError) -> SpecError {
        if e.at_key {
            let location = self.index().locate_key(&e.path);
            return self.error(location, &e.path, e.message);
        }
        self.error_at(&e.path, e.message)
    }

    /// Places many errors (or warnings) at once. Only the first `shown` in file order
    /// (line, then column) are printed, the rest counted, so unless the whole
    /// index is already built, only the errors that can be among them are placed
    /// exactly, the rest at their list item (`shown::exact`): a megabyte of profiles
    /// with an error each is 200,000 fields, and indexing them all was 20 MB, and the
    /// 34,000 errors' own paths more (issue 20). A counted error still sorts after
    /// the first `shown`: its item starts after the `shown` errors inside the items
    /// before it.
    pub fn locate_all(&self, errors: Vec<RuleError>, shown: usize) -> Vec<SpecError> {
        // No error, no index: a fleet without warnings read its megabyte again for none.
        if errors.is_empty() {
            return Vec::new();
        }
        let partial;
        let index = match self.index.get() {
            Some(index) => index,
            None => {
                let exact = shown::exact(errors.iter().map(|e| e.path.as_str()), shown);
                let wanted = errors.iter().zip(exact).map(|(e, exact)| {
                    if exact {
                        e.path.as_str()
                    } else {
                        shown::item_of(&e.path)
                    }
                });
                partial = PathIndex::build_for(&self.text, self.is_json(), wanted);
                &partial
            }
        };
        errors
            .into_iter()
            .map(|e| {
                let at = if e.at_key {
                    index.locate_key(&e.path)
                } else {
                    index.locate(&e.path)
                };
                self.error(at, &e.path, e.message)
            })
            .collect()
    }

    fn error(&self, location: Location, path: &str, message: String) -> SpecError {
        SpecError {
            file: self.name.clone(),
            location,
            path: path.to_string(),
            message,
            source_line: Some(Excerpt::new(self.text.clone(), location.line)),
        }
    }
}

/// Whether `e` is serde's `missing field `name`` for a field that an unknown key of
/// the same mapping misspells (`nmae`): that key's "did you mean" says it, once.
fn misspells_the_missing_field(e: &SpecError, unknown: &[unknown::Field]) -> bool {
    let Some(missing) =
        (e.message.strip_prefix("missing field `")).and_then(|rest| rest.strip_suffix('`'))
    else {
        return false;
    };
    (unknown.iter())
        .any(|f| f.parent == e.path && crate::diag::suggest(&f.key, &[missing]).is_some())
}

/// The largest YAML spec, in bytes, that the prescan indexes whole as it reads it
/// (`parse_shapes`): a few kilobytes is a real spec; a fleet's index would be
/// megabytes that no warning may need.
const INDEXED_WHILE_SCANNING: usize = 64 << 10;

/// The largest spec read, in bytes (1 MiB). Real specs are a few kilobytes; the cap
/// keeps a runaway input (a wrong file, an endless pipe) from using memory and time.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// The deepest nesting of lists and maps a spec may have. Spec v1 itself needs 6
/// (`profiles[0].s3.buckets[0]`); YAML parsers slow down quadratically with depth,
/// so deeper input is refused before it reaches one.
pub const MAX_DEPTH: usize = 64;

fn too_large(name: &str) -> SpecError {
    SpecError {
        file: name.to_string(),
        location: Location { line: 1, column: 1 },
        path: String::new(),
        message: format!(
            "the spec is larger than {} bytes (1 MiB), the most ssm-profile reads; is this the right file?",
            MAX_SPEC_BYTES
        ),
        source_line: None,
    }
}

/// serde_json repeats the error's own position as " at line L column C"; it is
/// shown separately, so it is cut here.
fn strip_position(message: &str, at: Location) -> String {
    message.replacen(&format!(" at line {} column {}", at.line, at.column), "", 1)
}

/// Where the first tab at or after `mark` is. yaml-rust2 reports a misplaced tab
/// where the token around it starts (`while scanning a plain scalar, found a tab`
/// at the scalar a line above); the user looks for the tab.
fn first_tab_from(text: &str, mark: index::Pos) -> Option<Location> {
    let first = (mark.line as usize).max(1);
    for (n, line) in text.lines().enumerate().skip(first - 1) {
        let skip = if n + 1 == first { mark.col as usize } else { 0 };
        if let Some(at) = line.chars().skip(skip).position(|c| c == '\t') {
            return Some(Location {
                line: n + 1,
                column: skip + at + 1,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests;

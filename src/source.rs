//! Reading a spec: the only module that knows YAML and JSON parsers exist.
//!
//! serde_yaml is archived upstream, so every use of it stays in this file and a
//! replacement touches nothing else. Parsing uses serde (serde_yaml for YAML,
//! serde_json for JSON); locating a field path for a semantic error uses the event
//! stream of yaml-rust2, which reports positions for JSON as well (JSON is YAML's
//! flow syntax).

use std::collections::HashMap;
use std::io::Read;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Error, Location, SpecError};
use crate::spec::Spec;

/// A spec file's name (as the user gave it) and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    /// Reads `path`, or standard input when `path` is `-`.
    pub fn read(path: &str) -> Result<Source, Error> {
        let mut text = String::new();
        let (name, result) = if path == "-" {
            (
                "<stdin>".to_string(),
                std::io::stdin().read_to_string(&mut text),
            )
        } else {
            (
                path.to_string(),
                std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text)),
            )
        };
        result.map_err(|error| Error::Io {
            path: name.clone(),
            error,
        })?;
        Ok(Source { name, text })
    }

    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    fn is_json(&self) -> bool {
        self.name.ends_with(".json")
            || (self.name == "<stdin>" && self.text.trim_start().starts_with('{'))
    }

    /// Deserialises the spec's shape; unknown fields, wrong types and syntax errors
    /// come back located, in the user's words (`SpecError::in_user_words`).
    pub fn parse(&self) -> Result<Spec, SpecError> {
        self.parse_shapes().map_err(SpecError::in_user_words)
    }

    fn parse_shapes(&self) -> Result<Spec, SpecError> {
        if self.is_json() {
            let json_error = |path: &str, inner: serde_json::Error| {
                let reported = Location {
                    line: inner.line().max(1),
                    column: inner.column().max(1),
                };
                // serde_json reports where it stopped reading, after the field; the
                // field's own position is where the user looks.
                let location = PathIndex::build(&self.text).exact(path).unwrap_or(reported);
                let path = if path == "." { "" } else { path };
                let message = strip_position(&inner.to_string(), reported);
                self.error(location, path, message)
            };
            let mut de = serde_json::Deserializer::from_str(&self.text);
            let spec: Spec = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                json_error(&path, e.into_inner())
            })?;
            de.end().map_err(|e| json_error("", e))?;
            Ok(spec)
        } else {
            serde_yaml::from_str::<Spec>(&self.text).map_err(|e| {
                let location = e
                    .location()
                    .map(|l| Location {
                        line: l.line(),
                        column: l.column(),
                    })
                    .unwrap_or(Location { line: 1, column: 1 });
                let full = strip_position(&e.to_string(), location);
                let (path, message) = split_path(&full);
                self.error(location, path, message.to_string())
            })
        }
    }

    /// An error about the field at `path` (as `profiles[0].s3.buckets[1].name`),
    /// located at its value, or at the nearest enclosing field the file has.
    pub fn error_at(&self, path: &str, message: impl Into<String>) -> SpecError {
        let location = PathIndex::build(&self.text).locate(path);
        self.error(location, path, message.into())
    }

    /// Places a rule error found by the model at its field in this file.
    pub fn locate(&self, e: crate::diag::RuleError) -> SpecError {
        self.error_at(&e.path, e.message)
    }

    fn error(&self, location: Location, path: &str, message: String) -> SpecError {
        SpecError {
            file: self.name.clone(),
            location,
            path: path.to_string(),
            message,
            source_line: self
                .text
                .lines()
                .nth(location.line.saturating_sub(1))
                .map(|l| l.to_string()),
        }
    }
}

/// Both parsers repeat the error's own position as " at line L column C"; it is
/// shown separately, so it is cut here. Other positions in the text (such as where
/// an unclosed mapping starts) stay.
fn strip_position(message: &str, at: Location) -> String {
    message.replacen(&format!(" at line {} column {}", at.line, at.column), "", 1)
}

/// serde_yaml writes `path: message`; a path has no spaces or backticks, which tells
/// it from messages such as "invalid type: string".
fn split_path(full: &str) -> (&str, &str) {
    if let Some((head, tail)) = full.split_once(": ")
        && !head.contains(char::is_whitespace)
        && !head.contains('`')
    {
        return (head, tail);
    }
    ("", full)
}

/// Field path -> where its key and its value start.
#[derive(Default)]
struct PathIndex {
    keys: HashMap<String, Marker>,
    values: HashMap<String, Marker>,
    /// Where the first scalar inside a container is: the position of a list item
    /// that has no key of its own.
    containers: HashMap<String, Marker>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

impl PathIndex {
    fn build(text: &str) -> PathIndex {
        let mut index = PathIndex::default();
        let mut walker = Walker {
            index: &mut index,
            stack: Vec::new(),
        };
        // A file that fails to parse here already failed in `parse`; an empty index
        // then places errors at the top of the file.
        let _ = Parser::new_from_str(text).load(&mut walker, false);
        index
    }

    fn exact(&self, path: &str) -> Option<Location> {
        let m = self.values.get(path).or_else(|| self.keys.get(path))?;
        Some(Location {
            line: m.line().max(1),
            column: m.col() + 1,
        })
    }

    fn locate(&self, path: &str) -> Location {
        let mut path = path;
        loop {
            let found = (self.values.get(path))
                .or_else(|| self.keys.get(path))
                .or_else(|| self.containers.get(path));
            if let Some(m) = found {
                return Location {
                    line: m.line().max(1),
                    column: m.col() + 1,
                };
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return Location { line: 1, column: 1 },
            }
        }
    }
}

struct Walker<'a> {
    index: &'a mut PathIndex,
    stack: Vec<Frame>,
}

impl Walker<'_> {
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
    fn mark_open_containers(&mut self, mark: Marker) {
        for frame in &self.stack {
            let path = match frame {
                Frame::Map { path, .. } | Frame::Seq { path, .. } => path,
            };
            self.index.containers.entry(path.clone()).or_insert(mark);
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

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.mark_open_containers(mark);
                if let Some(Frame::Map { path, key }) = self.stack.last_mut()
                    && key.is_none()
                {
                    let full = join(path, &value);
                    self.index.keys.entry(full).or_insert(mark);
                    *key = Some(value);
                    return;
                }
                if let Some(path) = self.next_value_path() {
                    self.index.values.entry(path).or_insert(mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.next_value_path().unwrap_or_default();
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, next: 0 }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_value_path();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_of(name: &str, text: &str) -> Vec<(String, String)> {
        let spec = Source::new(name, text).parse().expect("valid");
        spec.profiles[0].tags.clone().into_iter().collect()
    }

    #[test]
    fn a_tag_without_a_value_has_the_empty_value() {
        let yaml = "version: 1\nprofiles:\n  - name: a\n    tags:\n      a:\n      b: ~\n      c: null\n      d: 4711\n";
        let expected = [("a", ""), ("b", ""), ("c", ""), ("d", "4711")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(tags_of("spec.yaml", yaml), expected);
        let json = r#"{"version": 1, "profiles": [{"name": "a", "tags": {"a": null}}]}"#;
        assert_eq!(
            tags_of("spec.json", json),
            [("a".to_string(), String::new())]
        );
    }

    #[test]
    fn a_tag_given_twice_is_an_error_at_the_tags() {
        let yaml = "version: 1\nprofiles:\n  - name: a\n    tags:\n      a: x\n      a: y\n";
        let err = Source::new("spec.yaml", yaml).parse().unwrap_err();
        assert_eq!(err.path, "profiles[0].tags");
        assert_eq!(err.message, "tag `a` is given twice");
    }
}

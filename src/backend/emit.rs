//! Documents written as they are built: a builder (the CloudFormation template, an
//! IAM policy document) says what the document holds, in order, to an `Emit`, which
//! writes it as pretty JSON (`PrettyJson`), as CloudFormation YAML
//! (`cloudformation::yaml::Yaml`) or as data (`Data`, a `serde_json::Value`). A
//! fleet's templates were built as `Value`s first: their maps, hashing and freeing
//! were about half of CloudFormation's rendering (BENCHMARKS.md, issue 26).

use serde_json::{Map, Number, Value};

use crate::text::{is_printable_ascii_without, json_string, push_spaces};

/// A CloudFormation intrinsic function that has a short form in YAML (`!Ref`,
/// `!Sub`, `!GetAtt`); as JSON and as data, the one-key object it stands for.
#[derive(Debug, Clone, Copy)]
pub enum Intrinsic<'a> {
    Ref(&'a str),
    /// `Fn::Sub` of a string.
    Sub(&'a str),
    /// `Fn::GetAtt` of a resource and an attribute (or more parts).
    GetAtt(&'a [&'a str]),
}

/// Where a document is written. A map's entries are `key` then one value; a value
/// is a scalar, an intrinsic, or a map or list between its `begin` and `end`.
pub trait Emit {
    fn begin_map(&mut self);
    fn key(&mut self, key: &str);
    fn end_map(&mut self);
    fn begin_list(&mut self);
    fn end_list(&mut self);
    fn string(&mut self, s: &str);
    fn number(&mut self, n: &Number);
    fn bool(&mut self, b: bool);
    fn null(&mut self);

    /// The intrinsic as its one-key object; YAML writes its short form instead.
    fn intrinsic(&mut self, f: Intrinsic<'_>) {
        self.begin_map();
        match f {
            Intrinsic::Ref(name) => {
                self.key("Ref");
                self.string(name);
            }
            Intrinsic::Sub(text) => {
                self.key("Fn::Sub");
                self.string(text);
            }
            Intrinsic::GetAtt(parts) => {
                self.key("Fn::GetAtt");
                self.begin_list();
                for part in parts {
                    self.string(part);
                }
                self.end_list();
            }
        }
        self.end_map();
    }
}

/// `key` and a string value, the most common entry.
pub fn entry(e: &mut impl Emit, key: &str, value: &str) {
    e.key(key);
    e.string(value);
}

/// `value` written to `e`, each one-key object of an intrinsic with a short form
/// (`Ref` or `Fn::Sub` of a string, `Fn::GetAtt` of strings) as that intrinsic.
pub fn replay<E: Emit + ?Sized>(value: &Value, e: &mut E) {
    if let Value::Object(map) = value
        && map.len() == 1
        && let Some((key, arg)) = map.iter().next()
    {
        match (key.as_str(), arg) {
            ("Ref", Value::String(s)) => return e.intrinsic(Intrinsic::Ref(s)),
            ("Fn::Sub", Value::String(s)) => return e.intrinsic(Intrinsic::Sub(s)),
            ("Fn::GetAtt", Value::Array(parts)) if parts.iter().all(Value::is_string) => {
                let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                return e.intrinsic(Intrinsic::GetAtt(&parts));
            }
            _ => {}
        }
    }
    match value {
        Value::Null => e.null(),
        Value::Bool(b) => e.bool(*b),
        Value::Number(n) => e.number(n),
        Value::String(s) => e.string(s),
        Value::Array(items) => {
            e.begin_list();
            for item in items {
                replay(item, e);
            }
            e.end_list();
        }
        Value::Object(map) => {
            e.begin_map();
            for (key, value) in map {
                e.key(key);
                replay(value, e);
            }
            e.end_map();
        }
    }
}

/// Pretty JSON exactly as `text::pretty_json` writes the same document (serde_json's
/// layout, two spaces a level, every unsafe character escaped), LF endings and one
/// trailing newline once `finish`ed.
#[derive(Debug, Default)]
pub struct PrettyJson {
    out: String,
    depth: usize,
    /// The open map or list has no entry yet.
    first: bool,
    /// A key was written and its value is next.
    after_key: bool,
    /// The depth the written value stands at (`nested`).
    base: usize,
}

impl PrettyJson {
    pub fn with_capacity(bytes: usize) -> PrettyJson {
        PrettyJson {
            out: crate::text::buffers::with_capacity(bytes),
            ..PrettyJson::default()
        }
    }

    /// Written into `out`, emptied first (a buffer reused from one document to the
    /// next: `stacks::split` measures one a profile).
    pub fn in_buffer(mut out: String) -> PrettyJson {
        out.clear();
        PrettyJson {
            out,
            ..PrettyJson::default()
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    /// A value written at the end of `out`, where it stands `depth` levels deep in a
    /// document (after its key), laid out as `text::pretty_json` lays out the whole
    /// document there; `into_inner` gives `out` back, with no trailing newline.
    pub fn nested(out: String, depth: usize) -> PrettyJson {
        PrettyJson {
            out,
            depth,
            base: depth,
            ..PrettyJson::default()
        }
    }

    pub fn into_inner(self) -> String {
        self.out
    }

    /// Before an entry of the open map or list: its separator and indentation.
    fn separate(&mut self) {
        self.out.push_str(if std::mem::take(&mut self.first) {
            "\n"
        } else {
            ",\n"
        });
        push_spaces(&mut self.out, 2 * self.depth);
    }

    fn before_value(&mut self) {
        if !std::mem::take(&mut self.after_key) && self.depth > self.base {
            self.separate();
        }
    }

    fn push_string(&mut self, s: &str) {
        if is_printable_ascii_without(s, [b'"', b'\\']) {
            self.out.push('"');
            self.out.push_str(s);
            self.out.push('"');
        } else {
            self.out.push_str(&json_string(s));
        }
    }

    fn open(&mut self, bracket: char) {
        self.before_value();
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if !std::mem::take(&mut self.first) {
            self.out.push('\n');
            push_spaces(&mut self.out, 2 * self.depth);
        }
        self.out.push(bracket);
    }
}

impl Emit for PrettyJson {
    fn begin_map(&mut self) {
        self.open('{');
    }

    fn key(&mut self, key: &str) {
        self.separate();
        self.push_string(key);
        self.out.push_str(": ");
        self.after_key = true;
    }

    fn end_map(&mut self) {
        self.close('}');
    }

    fn begin_list(&mut self) {
        self.open('[');
    }

    fn end_list(&mut self) {
        self.close(']');
    }

    fn string(&mut self, s: &str) {
        self.before_value();
        self.push_string(s);
    }

    fn number(&mut self, n: &Number) {
        self.before_value();
        self.out.push_str(&n.to_string());
    }

    fn bool(&mut self, b: bool) {
        self.before_value();
        self.out.push_str(if b { "true" } else { "false" });
    }

    fn null(&mut self) {
        self.before_value();
        self.out.push_str("null");
    }
}

/// The document as data. A key written twice in one map keeps its first place and
/// its last value, as `serde_json::Map::insert` does.
#[derive(Debug, Default)]
pub struct Data {
    /// The open maps and lists, each with the key its next value goes under.
    open: Vec<(Value, Option<String>)>,
    done: Option<Value>,
}

impl Data {
    /// The document; `Null` if nothing was written.
    pub fn finish(self) -> Value {
        self.done.unwrap_or(Value::Null)
    }

    fn value(&mut self, value: Value) {
        match self.open.last_mut() {
            None => self.done = Some(value),
            Some((Value::Object(map), key)) => {
                map.insert(key.take().unwrap_or_default(), value);
            }
            Some((Value::Array(items), _)) => items.push(value),
            Some(_) => unreachable!("only maps and lists are open"),
        }
    }

    fn close(&mut self) {
        if let Some((value, _)) = self.open.pop() {
            self.value(value);
        }
    }
}

impl Emit for Data {
    fn begin_map(&mut self) {
        self.open.push((Value::Object(Map::new()), None));
    }

    fn key(&mut self, key: &str) {
        if let Some((_, k)) = self.open.last_mut() {
            *k = Some(key.to_string());
        }
    }

    fn end_map(&mut self) {
        self.close();
    }

    fn begin_list(&mut self) {
        self.open.push((Value::Array(Vec::new()), None));
    }

    fn end_list(&mut self) {
        self.close();
    }

    fn string(&mut self, s: &str) {
        self.value(Value::String(s.to_string()));
    }

    fn number(&mut self, n: &Number) {
        self.value(Value::Number(n.clone()));
    }

    fn bool(&mut self, b: bool) {
        self.value(Value::Bool(b));
    }

    fn null(&mut self) {
        self.value(Value::Null);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn samples() -> Vec<Value> {
        let mut samples = vec![
            json!({}),
            json!([]),
            json!("s"),
            json!(3600),
            json!(null),
            json!({ "a": {}, "b": [], "c": [[], {}, [1, [true, false]], { "d": null }] }),
            json!({ "R": { "Ref": "X" }, "G": { "Fn::GetAtt": ["X", "Arn"] }, "S": { "Fn::Sub": "a${AWS::Region}" } }),
            json!({ "Ref": 1, "Fn::GetAtt": ["X", 2] }),
        ];
        for s in crate::text::UNSAFE_SAMPLES {
            samples.push(json!({ *s: [*s, { *s: *s }] }));
        }
        samples
    }

    #[test]
    fn pretty_json_is_text_pretty_json() {
        for value in samples() {
            let mut e = PrettyJson::default();
            replay(&value, &mut e);
            assert_eq!(e.finish(), crate::text::pretty_json(&value), "{value}");
        }
    }

    #[test]
    fn a_nested_value_is_laid_out_as_in_the_whole_document() {
        for part in samples() {
            let whole = json!({ "x": { "y": part.clone() } });
            let mut e = PrettyJson::nested(String::from("{\n  \"x\": {\n    \"y\": "), 2);
            replay(&part, &mut e);
            let mut text = e.into_inner();
            text.push_str("\n  }\n}\n");
            assert_eq!(text, crate::text::pretty_json(&whole), "{part}");
        }
    }

    #[test]
    fn data_is_the_value_replayed() {
        for value in samples() {
            let mut e = Data::default();
            replay(&value, &mut e);
            assert_eq!(e.finish(), value);
        }
    }
}

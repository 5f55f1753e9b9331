//! What a scalar is, by YAML 1.2's core schema as serde_yaml 0.9 read it.

use std::fmt;

use serde::de::{self, Expected, Unexpected, Visitor};

use super::{Error, Node, Reader};

pub(super) fn is_null(value: &str) -> bool {
    matches!(value, "null" | "Null" | "NULL" | "~")
}

pub(super) fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Leading zeros and then digits: text, by YAML 1.2's core schema.
fn digits_but_not_number(value: &str) -> bool {
    let v = value.strip_prefix(['-', '+']).unwrap_or(value);
    v.len() > 1 && v.starts_with('0') && v[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The prefixed radixes YAML's core schema reads, as serde_yaml read them.
const RADIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

type FromRadix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// What a `0x`, `0o` or `0b` form is.
enum Prefixed<T> {
    Number(T),
    /// A sign after the prefix (`0x-1`): text.
    Text,
    Neither,
}

fn prefixed<T>(value: &str, from: FromRadix<T>) -> Prefixed<T> {
    for (prefix, radix) in RADIXES {
        if let Some(rest) = value.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return Prefixed::Text;
            }
            if let Ok(n) = from(rest, radix) {
                return Prefixed::Number(n);
            }
        }
    }
    Prefixed::Neither
}

/// `-0x1`, `-0o1`, `-0b1`.
fn negative_prefixed<T>(value: &str, from: FromRadix<T>) -> Option<T> {
    RADIXES.iter().find_map(|(prefix, radix)| {
        let rest = value.strip_prefix('-')?.strip_prefix(prefix)?;
        from(&format!("-{rest}"), *radix).ok()
    })
}

fn decimal<T>(value: &str, digits: &str, from: FromRadix<T>) -> Option<T> {
    if digits_but_not_number(value) {
        return None;
    }
    from(digits, 10).ok()
}

fn parse_unsigned<T>(value: &str, from: FromRadix<T>) -> Option<T> {
    let v = value.strip_prefix('+').unwrap_or(value);
    match prefixed(v, from) {
        Prefixed::Number(n) => Some(n),
        Prefixed::Text => None,
        Prefixed::Neither if v.starts_with(['+', '-']) => None,
        Prefixed::Neither => decimal(value, v, from),
    }
}

fn parse_signed<T>(value: &str, from: FromRadix<T>) -> Option<T> {
    let v = match value.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => value,
    };
    match prefixed(v, from) {
        Prefixed::Number(n) => Some(n),
        Prefixed::Text => None,
        Prefixed::Neither => negative_prefixed(value, from).or_else(|| decimal(value, v, from)),
    }
}

/// A negative integer only (what is left once the unsigned forms are tried).
fn parse_negative<T>(value: &str, from: FromRadix<T>) -> Option<T> {
    negative_prefixed(value, from).or_else(|| decimal(value, value, from))
}

fn parse_float(value: &str) -> Option<f64> {
    let v = match value.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => value,
    };
    match (v, value) {
        (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN),
        _ => v.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

/// An integer in any width: `Err` gives the visitor back when it is none.
fn visit_integer<'de, V: Visitor<'de>>(
    visitor: V,
    value: &str,
) -> Result<Result<V::Value, Error>, V> {
    if let Some(n) = parse_unsigned(value, u64::from_str_radix) {
        return Ok(visitor.visit_u64(n));
    }
    if let Some(n) = parse_negative(value, i64::from_str_radix) {
        return Ok(visitor.visit_i64(n));
    }
    if let Some(n) = parse_unsigned(value, u128::from_str_radix) {
        return Ok(visitor.visit_u128(n));
    }
    if let Some(n) = parse_negative(value, i128::from_str_radix) {
        return Ok(visitor.visit_i128(n));
    }
    Err(visitor)
}

/// A plain scalar, read by the core schema.
fn visit_plain<'de, V: Visitor<'de>>(visitor: V, value: &str) -> Result<V::Value, Error> {
    if value.is_empty() || is_null(value) {
        return visitor.visit_unit();
    }
    if let Some(b) = parse_bool(value) {
        return visitor.visit_bool(b);
    }
    let visitor = match visit_integer(visitor, value) {
        Ok(result) => return result,
        Err(visitor) => visitor,
    };
    if !digits_but_not_number(value)
        && let Some(f) = parse_float(value)
    {
        return visitor.visit_f64(f);
    }
    visitor.visit_str(value)
}

/// A scalar as what it is. The prescan refuses every tag, so none reaches here.
pub(super) fn visit_scalar<'de, V: Visitor<'de>>(
    visitor: V,
    value: &str,
    plain: bool,
) -> Result<V::Value, Error> {
    if plain {
        visit_plain(visitor, value)
    } else {
        visitor.visit_str(value)
    }
}

/// serde's "invalid type" error for `event`, naming what it is (`string "3600"`,
/// `integer `5``, `unit value`, `map`) as `visit_scalar` reads it.
pub(super) fn invalid_type(event: &Node, expected: &dyn Expected) -> Error {
    enum Never {}
    struct Found<'a>(&'a dyn Expected);
    impl<'de> Visitor<'de> for Found<'_> {
        type Value = Never;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }
    match event {
        Node::Scalar(value, plain) => match visit_scalar(Found(expected), value, *plain) {
            Ok(never) => match never {},
            Err(error) => error,
        },
        Node::SequenceStart => de::Error::invalid_type(Unexpected::Seq, expected),
        Node::MappingStart => de::Error::invalid_type(Unexpected::Map, expected),
        _ => Error::unplaced("EOF while parsing a value"),
    }
}

/// Which number a typed read wants, for `Reader::number`.
pub(super) enum Number {
    Unsigned,
    Signed,
    Unsigned128,
    Signed128,
    Float,
}

impl<'d> Reader<'d> {
    pub(super) fn number<'de, V: Visitor<'de>>(
        &mut self,
        visitor: V,
        kind: Number,
    ) -> Result<V::Value, Error> {
        let (event, mark) = self.next()?;
        let result = match event {
            Node::Alias(id) => return self.follow(*id, mark, |r| r.number(visitor, kind)),
            Node::Scalar(value, true) => match kind {
                Number::Unsigned => match parse_unsigned(value, u64::from_str_radix) {
                    Some(n) => visitor.visit_u64(n),
                    None => Err(invalid_type(event, &visitor)),
                },
                Number::Signed => match parse_signed(value, i64::from_str_radix) {
                    Some(n) => visitor.visit_i64(n),
                    None => Err(invalid_type(event, &visitor)),
                },
                Number::Unsigned128 => match parse_unsigned(value, u128::from_str_radix) {
                    Some(n) => visitor.visit_u128(n),
                    None => Err(invalid_type(event, &visitor)),
                },
                Number::Signed128 => match parse_signed(value, i128::from_str_radix) {
                    Some(n) => visitor.visit_i128(n),
                    None => Err(invalid_type(event, &visitor)),
                },
                Number::Float => match parse_float(value) {
                    Some(f) => visitor.visit_f64(f),
                    None => Err(invalid_type(event, &visitor)),
                },
            },
            _ => Err(invalid_type(event, &visitor)),
        };
        result.map_err(|e| self.place(e, mark))
    }
}

//! How a `Reader` walks lists and mappings: serde's access to their items and
//! entries, and to the values of an enum.

use std::fmt;

use serde::de::{self, DeserializeSeed, Expected, IgnoredAny, Unexpected, Visitor};

use super::{Error, Node, Pos, Reader, Step};

impl Reader<'_> {
    pub(super) fn visit_sequence<'de, V: Visitor<'de>>(
        &mut self,
        visitor: V,
        mark: Pos,
    ) -> Result<V::Value, Error> {
        let (value, len) = self.nested(mark, |reader| {
            let mut items = Items {
                reader,
                len: 0,
                empty: false,
            };
            let value = visitor.visit_seq(&mut items)?;
            Ok((value, items.len))
        })?;
        let mut rest = Items {
            reader: self,
            len,
            empty: false,
        };
        while de::SeqAccess::next_element::<IgnoredAny>(&mut rest)?.is_some() {}
        let total = rest.len;
        self.end(mark)?;
        if total != len {
            return Err(de::Error::invalid_length(total, &Counted(len, "element")));
        }
        Ok(value)
    }

    pub(super) fn visit_mapping<'de, V: Visitor<'de>>(
        &mut self,
        visitor: V,
        mark: Pos,
    ) -> Result<V::Value, Error> {
        let (value, len) = self.nested(mark, |reader| {
            let mut entries = Entries {
                reader,
                len: 0,
                empty: false,
                key: None,
            };
            let value = visitor.visit_map(&mut entries)?;
            Ok((value, entries.len))
        })?;
        let mut rest = Entries {
            reader: self,
            len,
            empty: false,
            key: None,
        };
        while de::MapAccess::next_entry::<IgnoredAny, IgnoredAny>(&mut rest)?.is_some() {}
        let total = rest.len;
        self.end(mark)?;
        if total != len {
            return Err(de::Error::invalid_length(total, &Counted(len, "entry")));
        }
        Ok(value)
    }

    /// Moves past the end of the list or mapping that started at `mark`.
    fn end(&mut self, mark: Pos) -> Result<(), Error> {
        match self.next()? {
            (Node::SequenceEnd | Node::MappingEnd | Node::Nothing, _) => Ok(()),
            _ => Err(Error::at("a list or mapping does not end here", mark)),
        }
    }

    /// Moves past one node, without reading it.
    pub(super) fn skip(&mut self) -> Result<(), Error> {
        let mut open = 0usize;
        loop {
            match self.next()?.0 {
                Node::SequenceStart | Node::MappingStart => open += 1,
                Node::SequenceEnd | Node::MappingEnd => open = open.saturating_sub(1),
                _ => {}
            }
            if open == 0 {
                return Ok(());
            }
        }
    }
}

/// "a map containing 2 entries", as serde_yaml says it.
struct Counted(usize, &'static str);

impl Expected for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (1, "element") => f.write_str("sequence of 1 element"),
            (n, "element") => write!(f, "sequence of {n} elements"),
            (1, _) => f.write_str("map containing 1 entry"),
            (n, _) => write!(f, "map containing {n} entries"),
        }
    }
}

/// A list's items.
pub(super) struct Items<'r, 'd> {
    reader: &'r mut Reader<'d>,
    len: usize,
    empty: bool,
}

impl<'r, 'd> Items<'r, 'd> {
    pub(super) fn empty(reader: &'r mut Reader<'d>) -> Items<'r, 'd> {
        Items {
            reader,
            len: 0,
            empty: true,
        }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.empty {
            return Ok(None);
        }
        match self.reader.peek()?.0 {
            Node::SequenceEnd | Node::Nothing => Ok(None),
            _ => {
                self.reader.path.push(Step::Index(self.len));
                self.len += 1;
                let item = seed.deserialize(&mut *self.reader);
                self.reader.path.pop();
                item.map(Some)
            }
        }
    }
}

/// A mapping's entries.
pub(super) struct Entries<'r, 'd> {
    reader: &'r mut Reader<'d>,
    len: usize,
    empty: bool,
    /// The current key's scalar event, for the value's path.
    key: Option<usize>,
}

impl<'r, 'd> Entries<'r, 'd> {
    pub(super) fn empty(reader: &'r mut Reader<'d>) -> Entries<'r, 'd> {
        Entries {
            reader,
            len: 0,
            empty: true,
            key: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.empty {
            return Ok(None);
        }
        match self.reader.peek()?.0 {
            Node::MappingEnd | Node::Nothing => return Ok(None),
            Node::Scalar(..) => self.key = Some(self.reader.pos),
            _ => self.key = None,
        }
        self.len += 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.reader
            .path
            .push(self.key.map_or(Step::Unknown, Step::Key));
        let value = seed.deserialize(&mut *self.reader);
        self.reader.path.pop();
        value
    }
}

/// A value of an enum: its name, and nothing inside.
pub(super) struct UnitVariant<'r, 'd> {
    pub(super) reader: &'r mut Reader<'d>,
}

impl<'de> de::EnumAccess<'de> for UnitVariant<'_, '_> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        Ok((seed.deserialize(&mut *self.reader)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

//! `NodeDeserializer`: serde reads a model type straight from a positioned YAML `Node`
//! (scalars resolved as YAML 1.2), so a file whose shape is clean is typed without
//! first building a `serde_json::Value` of the whole document.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::yaml::{Node, NodeKind};

/// A `Node` as a serde `Deserializer`.
#[derive(Clone, Copy)]
pub struct NodeDeserializer<'n>(pub &'n Node);

impl<'de, 'n> IntoDeserializer<'de, serde_json::Error> for NodeDeserializer<'n> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A mapping key: its text.
struct Key<'n>(&'n Node);

impl<'de, 'n> IntoDeserializer<'de, serde_json::Error> for Key<'n> {
    type Deserializer = de::value::StrDeserializer<'n, serde_json::Error>;
    fn into_deserializer(self) -> Self::Deserializer {
        self.0.as_str().unwrap_or_default().into_deserializer()
    }
}

impl<'de, 'n> de::Deserializer<'de> for NodeDeserializer<'n> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match &self.0.kind {
            NodeKind::Scalar { .. } => de::Deserializer::deserialize_any(self.0.to_json(), visitor),
            NodeKind::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(NodeDeserializer));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            NodeKind::Map(entries) => {
                let pairs = entries.iter().map(|(k, v)| (Key(k), NodeDeserializer(v)));
                let mut map = MapDeserializer::new(pairs);
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.to_json_if_scalar() {
            Some(serde_json::Value::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Enums are small (`exact`, `{numeric: {tolerance: 1}}`): read them as a value.
        de::Deserializer::deserialize_enum(self.0.to_json(), name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl Node {
    /// The JSON value of a scalar node; `None` for a list or a mapping.
    fn to_json_if_scalar(&self) -> Option<serde_json::Value> {
        matches!(self.kind, NodeKind::Scalar { .. }).then(|| self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{CompareRule, ScenarioFile};
    use serde::Deserialize;

    #[test]
    fn reads_the_same_as_through_a_json_value() {
        let text = "name: a\nclock: {start: '2026-12-18T20:00:00+01:00'}\nmax_turns: 3\nsteps:\n  - id: s\n    channel: web\n    intent: stock.check\n    says: {n: 1, ok: true, x: ~}\n    expect: {status: [done], answer: {price: {lt: 30}, in_stock: true}}\n  - use: ask\n    as: again\nconsistent:\n  - {steps: [s, t], fields: [price], compare: {numeric: {tolerance: 0.5}}}\n  - {steps: [s, t], fields: [price], compare: set}\n";
        let node = crate::scenario::yaml::parse(text).documents.remove(0);
        let direct = ScenarioFile::deserialize(NodeDeserializer(&node)).expect("direct");
        let via_json: ScenarioFile = serde_json::from_value(node.to_json()).expect("via JSON");
        assert_eq!(direct, via_json);
        assert_eq!(direct.consistent[1].compare, CompareRule::Set);
    }
}

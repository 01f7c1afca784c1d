//! `SchemaIndex`: the JSON Schema of a file format, read once per schema met (`$ref`s
//! followed, types, keys, required keys) so the shape walk does not search the schema
//! again at every node; and `placeholder`, the stand-in for a required value that was wrong.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

/// What the walk reads of one schema, looked up once per file (by the schema's address)
/// rather than once per node.
pub struct Compiled<'a> {
    pub types: Rc<[&'a str]>,
    pub branches: Option<&'a Value>,
    pub options: Option<&'a Vec<Value>>,
    pub constant: Option<&'a Value>,
    pub uint32: bool,
    pub items: Option<&'a Value>,
    pub properties: Option<&'a serde_json::Map<String, Value>>,
    pub names: Vec<&'a str>,
    pub closed: bool,
    /// `additionalProperties` when it is a schema.
    pub additional: Option<&'a Value>,
    pub required: Vec<&'a str>,
}

/// The root schema and what was read of it, by schema address.
pub struct SchemaIndex<'a> {
    root: &'a Value,
    types: RefCell<HashMap<*const Value, Rc<[&'a str]>>>,
    compiled: RefCell<HashMap<*const Value, Rc<Compiled<'a>>>>,
}

impl<'a> SchemaIndex<'a> {
    pub fn new(root: &'a Value) -> Self {
        SchemaIndex {
            root,
            types: RefCell::default(),
            compiled: RefCell::default(),
        }
    }

    /// Follows `$ref`s to the schema they name.
    pub fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            // `allOf: [one]` is how schemars adds a description or default to a `$ref`.
            if let Some([only]) = schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                schema = only;
                continue;
            }
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            let target = self
                .root
                .get("definitions")
                .and_then(|d| d.get(name))
                .or_else(|| self.root.get("$defs").and_then(|d| d.get(name)));
            match target {
                Some(t) => schema = t,
                None => return &Value::Bool(true),
            }
        }
        schema
    }

    pub fn compiled(&self, schema: &'a Value) -> Rc<Compiled<'a>> {
        let key: *const Value = schema;
        if let Some(known) = self.compiled.borrow().get(&key) {
            return known.clone();
        }
        let types = self.types(schema);
        let schema = self.resolve(schema);
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let compiled = Rc::new(Compiled {
            types,
            branches: schema.get("anyOf").or_else(|| schema.get("oneOf")),
            options: schema.get("enum").and_then(Value::as_array),
            constant: schema.get("const"),
            uint32: schema.get("format").and_then(Value::as_str) == Some("uint32"),
            items: schema.get("items"),
            properties,
            names: properties
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default(),
            closed: additional == Some(&Value::Bool(false)),
            additional: additional.filter(|a| a.is_object()),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
        });
        self.compiled.borrow_mut().insert(key, compiled.clone());
        compiled
    }

    /// The JSON types a schema admits (empty: any).
    pub fn types(&self, schema: &'a Value) -> Rc<[&'a str]> {
        let key: *const Value = schema;
        if let Some(known) = self.types.borrow().get(&key) {
            return known.clone();
        }
        let types: Rc<[&'a str]> = self.find_types(schema).into();
        self.types.borrow_mut().insert(key, types.clone());
        types
    }

    pub fn find_types(&self, schema: &'a Value) -> Vec<&'a str> {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let mut all = Vec::new();
            for branch in branches.as_array().into_iter().flatten() {
                let types = self.types(branch);
                if types.is_empty() {
                    return Vec::new();
                }
                for t in types.iter() {
                    if !all.contains(t) {
                        all.push(*t);
                    }
                }
            }
            return all;
        }
        match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// A value of `schema`'s type standing in for a required one that was wrong, so the
    /// rest of the document can still be typed and checked: `""`, `0`, `false`, `[]`, the
    /// first allowed value, or a mapping of placeholders for its required keys.
    pub fn placeholder(&self, schema: &'a Value, depth: usize) -> Value {
        let compiled = self.compiled(schema);
        if let Some(first) = compiled.options.and_then(|o| o.first()) {
            return first.clone();
        }
        if let Some(constant) = compiled.constant {
            return constant.clone();
        }
        if let Some(first) = compiled
            .branches
            .and_then(Value::as_array)
            .and_then(|b| b.first())
        {
            return self.placeholder(first, depth + 1);
        }
        match compiled.types.iter().find(|t| **t != "null").copied() {
            Some("string") => Value::String(String::new()),
            Some("integer" | "number") => Value::from(0),
            Some("boolean") => Value::Bool(false),
            Some("array") => Value::Array(Vec::new()),
            Some("object") if depth < 8 => {
                let properties = compiled.properties;
                let mut map = serde_json::Map::new();
                for key in &compiled.required {
                    if let Some(property) = properties.and_then(|p| p.get(*key)) {
                        map.insert((*key).to_string(), self.placeholder(property, depth + 1));
                    }
                }
                Value::Object(map)
            }
            _ => Value::Null,
        }
    }
}

//! OpenAPI 3.0 Schema Object → JSON Schema 2020-12, the dialect the `jsonschema` crate validates.
//!
//! What changes in the conversion, and why:
//! - `nullable: true` adds `"null"` to `type` (and to `enum`), only where `type` is given: OpenAPI
//!   3.0.3 says `nullable` has no effect without a `type` beside it.
//! - Boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4 style) become the numeric 2020-12 form.
//! - `readOnly` properties are forbidden in requests and `writeOnly` ones in responses (and dropped
//!   from `required` there), as `{"not": {}, "x-rule": "readOnly"}` so reports can name the rule.
//! - `$ref: '#/components/schemas/X'` becomes `#/$defs/X`; siblings of `$ref` are dropped, because
//!   OpenAPI 3.0 ignores them.
//! - Only the formats this tool asserts (`uuid`, `date`, `date-time`, `email`) stay `format`; the
//!   others (`int32`, `byte`, `password`, ...) are annotations in OpenAPI and become `x-format`.
//! - OpenAPI-only annotations (`example`, `discriminator`, `xml`, ...) are dropped; `x-sensitive`
//!   is kept so reports can redact values.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::spec::pointer;

/// The JSON Schema dialect of converted schemas.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Formats whose violations are reported; all others are annotations.
pub const ASSERTED_FORMATS: [&str; 4] = ["uuid", "date", "date-time", "email"];

/// Every keyword an OpenAPI 3.0 Schema Object may hold (besides `x-` extensions).
pub const OPENAPI_SCHEMA_KEYWORDS: [&str; 37] = [
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
    "x-sensitive",
];

/// Which way a message travels; decides what `readOnly` and `writeOnly` mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Request,
    Response,
}

/// A schema that cannot be converted, with the JSON pointer of the offending node in the spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at #{pointer}: {message}")]
pub struct ConvertError {
    pub pointer: String,
    pub message: String,
}

/// Converts schemas of one document. `components.schemas` are converted once per direction and
/// shared by every message root as `$defs`.
#[derive(Debug, Clone)]
pub struct Converter {
    /// What the conversion reads of each component besides the one it converts: where it stands
    /// and where its `$ref` leads. Kept instead of a copy of `components.schemas`, which cost a
    /// large spec a deep copy of a few thousand schemas.
    components: HashMap<String, Component>,
    request_defs: Map<String, Value>,
    response_defs: Map<String, Value>,
}

/// One entry of `components.schemas`, as `$ref` resolution reads it.
#[derive(Debug, Clone)]
struct Component {
    /// Its place in `components.schemas`, the order of every root's `$defs`.
    index: usize,
    /// The component its own `$ref` names, unescaped, when it is a reference to one.
    next: Option<String>,
    read_only: bool,
    write_only: bool,
}

/// The component a schema's `$ref` names (`#/components/schemas/<name>`), unescaped.
fn component_ref(schema: &Value) -> Option<String> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|text| text.strip_prefix("#/components/schemas/"))
        .map(pointer::unescape_fragment)
}

/// A schema's `readOnly` and `writeOnly` flags.
fn access_flags(schema: &Value) -> (bool, bool) {
    let flag = |keyword| schema.get(keyword) == Some(&Value::Bool(true));
    (flag("readOnly"), flag("writeOnly"))
}

impl Converter {
    /// Prepares the converter for a whole OpenAPI document (its `components.schemas`).
    pub fn new(document: &Value) -> Result<Converter, ConvertError> {
        let empty = Map::new();
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let components = schemas
            .iter()
            .enumerate()
            .map(|(index, (name, schema))| {
                let (read_only, write_only) = access_flags(schema);
                let component = Component {
                    index,
                    next: component_ref(schema),
                    read_only,
                    write_only,
                };
                (name.clone(), component)
            })
            .collect();
        let mut converter = Converter {
            components,
            request_defs: Map::new(),
            response_defs: Map::new(),
        };
        // The two directions are independent: convert them side by side. The error reported is
        // the one the sequential order (component by component, request first) meets first.
        let (request, response) = crate::parallel::join(
            || converter.all_components(schemas, Direction::Request),
            || converter.all_components(schemas, Direction::Response),
        );
        match (request, response) {
            (Ok(request), Ok(response)) => {
                converter.request_defs = request;
                converter.response_defs = response;
                Ok(converter)
            }
            (Err((at, error)), Err((other_at, other))) => {
                Err(if other_at < at { other } else { error })
            }
            (Err((_, error)), Ok(_)) | (Ok(_), Err((_, error))) => Err(error),
        }
    }

    /// Every component converted for one direction, or the index of the first that fails.
    fn all_components(
        &self,
        schemas: &Map<String, Value>,
        direction: Direction,
    ) -> Result<Map<String, Value>, (usize, ConvertError)> {
        let mut defs = Map::with_capacity(schemas.len());
        for (index, (name, schema)) in schemas.iter().enumerate() {
            let at = pointer::join("/components/schemas", name);
            let converted = self
                .node(schema, &at, direction)
                .map_err(|error| (index, error))?;
            defs.insert(name.clone(), converted);
        }
        Ok(defs)
    }

    /// A converter for standalone schemas with no `components` (tests, the JSON Schema suite).
    pub fn standalone() -> Converter {
        Converter {
            components: HashMap::new(),
            request_defs: Map::new(),
            response_defs: Map::new(),
        }
    }

    /// The converted `components.schemas` for one direction, by name (the root's `$defs`).
    pub fn defs(&self, direction: Direction) -> &Map<String, Value> {
        match direction {
            Direction::Request => &self.request_defs,
            Direction::Response => &self.response_defs,
        }
    }

    /// A complete JSON Schema document for one message: the converted schema at the root, with
    /// `$schema` and the converted components as `$defs`. `at` is the schema's pointer in the spec.
    pub fn root(
        &self,
        schema: &Value,
        at: &str,
        direction: Direction,
    ) -> Result<Value, ConvertError> {
        let converted = self.node(schema, at, direction)?;
        Ok(self.root_of(converted, direction))
    }

    /// A message root around a schema [`Converter::node`] already converted: what `root` returns,
    /// for callers that look at the converted node first (lint shares one compiled check among
    /// the examples whose schemas convert alike).
    pub fn root_of(&self, converted: Value, direction: Direction) -> Value {
        let mut root = match converted {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".to_owned(), json!([other]));
                map
            }
        };
        root.insert("$schema".to_owned(), json!(DIALECT));
        let defs = self.reachable_defs(&root, direction);
        if !defs.is_empty() {
            root.insert("$defs".to_owned(), Value::Object(defs));
        }
        Value::Object(root)
    }

    /// The converted components a schema reaches through `$ref`s, transitively, in the order of
    /// `components.schemas`. Only these go into a root: copying every component into every
    /// message's schema made checking a large spec quadratic (each compiled validator indexed
    /// the whole spec), and unreachable definitions cannot change a verdict.
    fn reachable_defs(
        &self,
        root: &Map<String, Value>,
        direction: Direction,
    ) -> Map<String, Value> {
        fn refs_in<'v>(map: &'v Map<String, Value>, found: &mut Vec<&'v str>) {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(text)) => {
                        if let Some(name) = text.strip_prefix("#/$defs/") {
                            found.push(name);
                        }
                    }
                    _ => refs(child, found),
                }
            }
        }
        fn refs<'v>(value: &'v Value, found: &mut Vec<&'v str>) {
            match value {
                Value::Object(map) => refs_in(map, found),
                Value::Array(items) => items.iter().for_each(|child| refs(child, found)),
                _ => {}
            }
        }
        let defs = self.defs(direction);
        let mut reached = std::collections::HashSet::new();
        let mut pending = Vec::new();
        refs_in(root, &mut pending);
        while let Some(escaped) = pending.pop() {
            let name = pointer::unescape_fragment(escaped);
            if reached.insert(name.clone())
                && let Some(definition) = defs.get(&name)
            {
                refs(definition, &mut pending);
            }
        }
        // In the order of `components.schemas`, looking up only what was reached (a root
        // reaches a few of a large spec's thousands of components).
        let mut found: Vec<(usize, String)> = reached
            .into_iter()
            .filter_map(|name| {
                self.components
                    .get(&name)
                    .map(|component| (component.index, name))
            })
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|(_, name)| defs.get(&name).cloned().map(|value| (name, value)))
            .collect()
    }

    /// Converts one schema node (no `$schema`, no `$defs`).
    pub fn node(
        &self,
        schema: &Value,
        at: &str,
        direction: Direction,
    ) -> Result<Value, ConvertError> {
        let object = match schema {
            Value::Object(object) => object,
            other => {
                return Err(ConvertError {
                    pointer: at.to_owned(),
                    message: format!("a schema must be an object, found {}", type_name(other)),
                });
            }
        };
        if let Some(reference) = object.get("$ref") {
            return Ok(json!({ "$ref": self.reference(reference, at)? }));
        }
        let mut out = Map::new();
        for (keyword, value) in object {
            if nullable_and_bounds(object, keyword, value, at, &mut out)? {
                continue;
            }
            // Built only for the keywords that recurse or fail: most keywords need no pointer.
            let here = || pointer::join(at, keyword);
            match keyword.as_str() {
                "properties" => {
                    out.insert(keyword.clone(), self.properties(value, &here(), direction)?);
                }
                "required" => {
                    out.insert(keyword.clone(), self.required(object, value, direction));
                }
                "items" | "not" => {
                    out.insert(keyword.clone(), self.node(value, &here(), direction)?);
                }
                "additionalProperties" => {
                    let converted = match value {
                        Value::Bool(_) => value.clone(),
                        schema => self.node(schema, &here(), direction)?,
                    };
                    out.insert(keyword.clone(), converted);
                }
                "allOf" | "oneOf" | "anyOf" => {
                    let branches = value.as_array().ok_or_else(|| ConvertError {
                        pointer: here(),
                        message: format!("`{keyword}` must be an array of schemas"),
                    })?;
                    let here = here();
                    let converted = branches
                        .iter()
                        .enumerate()
                        .map(|(index, branch)| {
                            self.node(branch, &format!("{here}/{index}"), direction)
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    out.insert(keyword.clone(), Value::Array(converted));
                }
                "format" => {
                    let asserted = value
                        .as_str()
                        .is_some_and(|format| ASSERTED_FORMATS.contains(&format));
                    let key = if asserted { "format" } else { "x-format" };
                    out.insert(key.to_owned(), value.clone());
                }
                "title" | "description" | "default" | "multipleOf" | "maxLength" | "minLength"
                | "pattern" | "maxItems" | "minItems" | "uniqueItems" | "maxProperties"
                | "minProperties" | "x-sensitive" => {
                    out.insert(keyword.clone(), value.clone());
                }
                // Annotations with no meaning for validation (readOnly/writeOnly are applied by
                // the parent's `properties`).
                "discriminator" | "readOnly" | "writeOnly" | "xml" | "externalDocs" | "example"
                | "deprecated" => {}
                extension if extension.starts_with("x-") => {}
                unknown => {
                    return Err(ConvertError {
                        pointer: here(),
                        message: format!("`{unknown}` is not an OpenAPI 3.0 schema keyword"),
                    });
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn reference(&self, reference: &Value, at: &str) -> Result<String, ConvertError> {
        let text = reference.as_str().ok_or_else(|| ConvertError {
            pointer: pointer::join(at, "$ref"),
            message: "`$ref` must be a string".to_owned(),
        })?;
        let name = text
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| ConvertError {
                pointer: pointer::join(at, "$ref"),
                message: format!(
                    "`{text}`: a schema may only reference `#/components/schemas/<name>` in the same document"
                ),
            })?;
        if !self
            .components
            .contains_key(&pointer::unescape_fragment(name))
        {
            return Err(ConvertError {
                pointer: pointer::join(at, "$ref"),
                message: format!("`{text}` does not resolve: no such schema in components.schemas"),
            });
        }
        Ok(format!("#/$defs/{name}"))
    }

    fn properties(
        &self,
        value: &Value,
        at: &str,
        direction: Direction,
    ) -> Result<Value, ConvertError> {
        let properties = value.as_object().ok_or_else(|| ConvertError {
            pointer: at.to_owned(),
            message: "`properties` must be an object".to_owned(),
        })?;
        let mut out = Map::new();
        for (name, schema) in properties {
            let converted = match self.forbidden_rule(schema, direction) {
                Some(rule) => json!({ "not": {}, "x-rule": rule }),
                None => self.node(schema, &pointer::join(at, name), direction)?,
            };
            out.insert(name.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn required(&self, object: &Map<String, Value>, value: &Value, direction: Direction) -> Value {
        let properties = object.get("properties").and_then(Value::as_object);
        let Some(names) = value.as_array() else {
            return value.clone();
        };
        let kept = names
            .iter()
            .filter(|name| {
                let schema = name
                    .as_str()
                    .and_then(|name| properties.and_then(|properties| properties.get(name)));
                schema.is_none_or(|schema| self.forbidden_rule(schema, direction).is_none())
            })
            .cloned()
            .collect();
        Value::Array(kept)
    }

    /// `readOnly` in a request or `writeOnly` in a response: the property must not be sent.
    fn forbidden_rule(&self, schema: &Value, direction: Direction) -> Option<&'static str> {
        let (read_only, write_only) = self.resolved_flags(schema);
        match direction {
            Direction::Request => read_only.then_some("readOnly"),
            Direction::Response => write_only.then_some("writeOnly"),
        }
    }

    /// The `readOnly`/`writeOnly` flags of the schema `$ref`s lead to from `schema`, following
    /// them through components (bounded, so a cycle of bare references cannot loop): a `$ref`
    /// that names no component stops at the schema holding it.
    fn resolved_flags(&self, schema: &Value) -> (bool, bool) {
        let mut flags = access_flags(schema);
        let first = component_ref(schema);
        let mut next = first.as_deref();
        for _ in 0..32 {
            let Some(name) = next else {
                break;
            };
            match self.components.get(name) {
                Some(component) => {
                    flags = (component.read_only, component.write_only);
                    next = component.next.as_deref();
                }
                None => break,
            }
        }
        flags
    }
}

/// The JSON type name of a value, as JSON Schema spells it.
/// The keywords whose OpenAPI 3.0 reading differs from JSON Schema 2020-12 (and OpenAPI 3.1) in
/// spelling only: `nullable: true` beside `type` becomes a type union and adds `null` to `enum`;
/// a boolean `exclusiveMinimum`/`exclusiveMaximum` moves its `minimum`/`maximum` value to the
/// exclusive keyword. Writes the 2020-12 form into `out` and returns `true` when `keyword` is one
/// of them (`nullable` and boolean exclusive flags themselves write nothing); `false` leaves the
/// keyword to the caller; `at` is the pointer of `object` (errors name the keyword under it).
/// The one place this reading is decided: `convert` and the 3.1 copy
/// (`publish::openapi31`) both call it.
pub fn nullable_and_bounds(
    object: &Map<String, Value>,
    keyword: &str,
    value: &Value,
    at: &str,
    out: &mut Map<String, Value>,
) -> Result<bool, ConvertError> {
    // Looked up only by the keywords that read them: this runs for every keyword of every schema.
    let nullable = || object.get("nullable") == Some(&Value::Bool(true));
    match keyword {
        "nullable" => {}
        "type" => {
            let converted = if nullable() {
                json!([value, "null"])
            } else {
                value.clone()
            };
            out.insert(keyword.to_owned(), converted);
        }
        "enum" => {
            let mut options = value.clone();
            if let Value::Array(items) = &mut options
                && nullable()
                && object.contains_key("type")
                && !items.contains(&Value::Null)
            {
                items.push(Value::Null);
            }
            out.insert(keyword.to_owned(), options);
        }
        "minimum" | "maximum" => {
            let exclusive = if keyword == "minimum" {
                "exclusiveMinimum"
            } else {
                "exclusiveMaximum"
            };
            let key = if object.get(exclusive) == Some(&Value::Bool(true)) {
                exclusive
            } else {
                keyword
            };
            out.insert(key.to_owned(), value.clone());
        }
        "exclusiveMinimum" | "exclusiveMaximum" => match value {
            // Folded into `minimum`/`maximum`; alone, a boolean has no effect.
            Value::Bool(_) => {}
            Value::Number(_) => {
                out.insert(keyword.to_owned(), value.clone());
            }
            other => {
                return Err(ConvertError {
                    pointer: pointer::join(at, keyword),
                    message: format!("`{keyword}` must be a boolean, found {}", type_name(other)),
                });
            }
        },
        _ => return Ok(false),
    }
    Ok(true)
}

pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(schema: Value, direction: Direction) -> Value {
        Converter::standalone()
            .node(&schema, "", direction)
            .unwrap()
    }

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        let out = convert(
            json!({"type": "string", "enum": ["a"], "nullable": true}),
            Direction::Response,
        );
        assert_eq!(
            out,
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        // Without `type`, `nullable` has no effect (OpenAPI 3.0.3).
        let out = convert(
            json!({"enum": ["a"], "nullable": true}),
            Direction::Response,
        );
        assert_eq!(out, json!({"enum": ["a"]}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let out = convert(
            json!({"minimum": 1, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false}),
            Direction::Request,
        );
        assert_eq!(out, json!({"exclusiveMinimum": 1, "maximum": 9}));
    }

    #[test]
    fn read_only_is_forbidden_in_requests_only() {
        let schema = json!({
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "string", "readOnly": true}, "name": {"type": "string"}}
        });
        let request = convert(schema.clone(), Direction::Request);
        assert_eq!(request["required"], json!(["name"]));
        assert_eq!(
            request["properties"]["id"],
            json!({"not": {}, "x-rule": "readOnly"})
        );
        let response = convert(schema, Direction::Response);
        assert_eq!(response["required"], json!(["id", "name"]));
        assert_eq!(response["properties"]["id"], json!({"type": "string"}));
    }

    #[test]
    fn write_only_through_a_reference_is_forbidden_in_responses() {
        let document = json!({"components": {"schemas": {
            "Secret": {"type": "string", "writeOnly": true},
            "Login": {"type": "object", "required": ["password"],
                      "properties": {"password": {"$ref": "#/components/schemas/Secret"}}},
            "Unrelated": {"type": "integer"}
        }}});
        let converter = Converter::new(&document).unwrap();
        let root = converter
            .root(
                &json!({"$ref": "#/components/schemas/Login"}),
                "/x",
                Direction::Response,
            )
            .unwrap();
        assert_eq!(root["$ref"], "#/$defs/Login");
        assert_eq!(root["$defs"]["Login"]["required"], json!([]));
        // Only what the schema reaches, transitively: not every component (in responses the
        // write-only password is forbidden, so Secret is not reached).
        let names: Vec<&String> = root["$defs"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["Login"]);
        let root = converter
            .root(
                &json!({"$ref": "#/components/schemas/Login"}),
                "/x",
                Direction::Request,
            )
            .unwrap();
        assert_eq!(root["$defs"]["Login"]["required"], json!(["password"]));
        let mut names: Vec<&String> = root["$defs"].as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(names, ["Login", "Secret"]);
    }

    #[test]
    fn ref_siblings_are_dropped_and_bad_refs_located() {
        let document = json!({"components": {"schemas": {"A": {"type": "string"}}}});
        let converter = Converter::new(&document).unwrap();
        let out = converter
            .node(
                &json!({"$ref": "#/components/schemas/A", "description": "x"}),
                "",
                Direction::Request,
            )
            .unwrap();
        assert_eq!(out, json!({"$ref": "#/$defs/A"}));
        let error = converter
            .node(
                &json!({"properties": {"b": {"$ref": "#/components/schemas/B"}}}),
                "/s",
                Direction::Request,
            )
            .unwrap_err();
        assert_eq!(error.pointer, "/s/properties/b/$ref");
        let error = converter
            .node(&json!({"$ref": "other.yaml#/X"}), "/s", Direction::Request)
            .unwrap_err();
        assert!(error.message.contains("same document"), "{error}");
    }

    #[test]
    fn only_asserted_formats_stay_formats() {
        let out = convert(
            json!({"type": "string", "format": "uuid"}),
            Direction::Request,
        );
        assert_eq!(out["format"], "uuid");
        let out = convert(
            json!({"type": "integer", "format": "int32"}),
            Direction::Request,
        );
        assert_eq!(out.get("format"), None);
        assert_eq!(out["x-format"], "int32");
    }

    #[test]
    fn unknown_keywords_are_refused_with_their_location() {
        let error = Converter::standalone()
            .node(
                &json!({"properties": {"a": {"const": 1}}}),
                "/s",
                Direction::Request,
            )
            .unwrap_err();
        assert_eq!(error.pointer, "/s/properties/a/const");
        let error = Converter::standalone()
            .node(
                &json!({"exclusiveMinimum": "yes"}),
                "/t",
                Direction::Request,
            )
            .unwrap_err();
        assert_eq!(error.pointer, "/t/exclusiveMinimum");
    }

    #[test]
    fn components_error_is_the_first_in_sequential_order() {
        // `A` fails in responses only (its readOnly property is not converted for requests),
        // `B` in both directions: component by component, `A`'s response error comes first,
        // though the request side (converted on its own thread) meets `B` first.
        let document = json!({"components": {"schemas": {
            "A": {"properties": {"p": {"readOnly": true, "const": 1}}},
            "B": {"const": 2},
        }}});
        let error = Converter::new(&document).unwrap_err();
        assert_eq!(error.pointer, "/components/schemas/A/properties/p/const");
        let document = json!({"components": {"schemas": {
            "A": {"properties": {"p": {"writeOnly": true, "const": 1}}},
            "B": {"const": 2},
        }}});
        let error = Converter::new(&document).unwrap_err();
        assert_eq!(error.pointer, "/components/schemas/A/properties/p/const");
        let ok = Converter::new(&json!({"components": {"schemas": {"A": {"type": "string"}}}}));
        assert_eq!(
            ok.unwrap().defs(Direction::Response)["A"],
            json!({"type": "string"})
        );
    }
}

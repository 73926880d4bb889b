//! Lenient reading: defects of real specs that have one reasonable reading are repaired in the
//! document, each with a [`Diagnostic`] saying what was wrong and how it is read, so the rest of
//! the pipeline (and code generation) can go on. `--strict` turns the diagnostics into errors.

use serde_json::{Map, Value};

use crate::error::Diagnostic;
use crate::spec::bundle::{Kind, Object, member};
use crate::spec::convert::OPENAPI_SCHEMA_KEYWORDS;
use crate::spec::pointer;

/// Repairs `document` in place; returns what was repaired, in document order.
pub fn repair(document: &mut Value) -> Vec<Diagnostic> {
    let schemas: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut diagnostics = Vec::new();
    dangling_schema_refs(document, "", &schemas, &mut diagnostics);
    let mut schemas_at = |schema: &mut Map<String, Value>, at: &str| {
        unknown_keywords(schema, at, &mut diagnostics);
    };
    each_schema(
        document,
        Kind::One(Object::Document),
        "",
        false,
        &mut schemas_at,
    );
    diagnostics
}

/// Calls `repair` on every Schema Object of the document (not through `$ref`s), parents first.
/// With `refs`, a Schema Object that is a `$ref` (with any siblings) is passed too; its members
/// are not walked, as they mean nothing in OpenAPI 3.0. (Shared with `publish::openapi31`.)
pub(crate) fn each_schema(
    value: &mut Value,
    kind: Kind,
    at: &str,
    refs: bool,
    repair: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    match (kind, value) {
        (Kind::Data, _) => {}
        (Kind::MapOf(object), Value::Object(map)) => {
            for (key, item) in map.iter_mut() {
                let kind = if key.starts_with("x-")
                    && matches!(object, Object::PathItem | Object::Response)
                {
                    Kind::Data
                } else {
                    Kind::One(object)
                };
                each_schema(item, kind, &pointer::join(at, key), refs, repair);
            }
        }
        (Kind::ListOf(object), Value::Array(items)) => {
            for (index, item) in items.iter_mut().enumerate() {
                each_schema(
                    item,
                    Kind::One(object),
                    &format!("{at}/{index}"),
                    refs,
                    repair,
                );
            }
        }
        (Kind::One(object), Value::Object(map)) => {
            if map.contains_key("$ref") {
                if refs && object == Object::Schema {
                    repair(map, at);
                }
                return;
            }
            if object == Object::Schema {
                repair(map, at);
            }
            for (key, item) in map.iter_mut() {
                let kind = member(object, key);
                // Only OpenAPI objects hold schemas; info, tags and extensions do not.
                if kind != Kind::One(Object::Other) {
                    each_schema(item, kind, &pointer::join(at, key), refs, repair);
                }
            }
        }
        _ => {}
    }
}

/// A keyword OpenAPI 3.0 does not define (often a property indented one level too far): read
/// as an annotation, as JSON Schema reads unknown keywords.
fn unknown_keywords(schema: &mut Map<String, Value>, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    schema.retain(|keyword, _| {
        let known =
            keyword.starts_with("x-") || OPENAPI_SCHEMA_KEYWORDS.contains(&keyword.as_str());
        if !known {
            diagnostics.push(Diagnostic::new(
                pointer::join(at, keyword),
                format!(
                    "`{keyword}` is not an OpenAPI 3.0 schema keyword; ignored (read as an \
                     annotation)"
                ),
            ));
        }
        known
    });
}

/// `$ref: '#/components/schemas/X'` where no `X` exists: read as the schema without the `$ref`
/// (its siblings, usually a description), which accepts any value.
fn dangling_schema_refs(
    value: &mut Value,
    at: &str,
    schemas: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|text| text.strip_prefix("#/components/schemas/"))
                && !schemas.contains(&pointer::unescape_fragment(name))
            {
                diagnostics.push(Diagnostic::new(
                    pointer::join(at, "$ref"),
                    format!(
                        "`#/components/schemas/{name}` does not resolve (no such schema in \
                         components.schemas); read as a schema that accepts any value"
                    ),
                ));
                map.remove("$ref");
            }
            for (key, item) in map.iter_mut() {
                // Data, not schemas: a `$ref` key there is part of an example value.
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                dangling_schema_refs(item, &pointer::join(at, key), schemas, diagnostics);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                dangling_schema_refs(item, &format!("{at}/{index}"), schemas, diagnostics);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_schema_keywords_are_dropped_only_in_schemas() {
        let mut document = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"type": "array",
                    "items": {"type": "object", "properties": {"n": {"type": "string"}}},
                    "metadata": {"type": "object"}},
                    "example": {"metadata": 1}}}}}}}},
            "info": {"metadata": "kept"},
            "x-extension": {"metadata": "kept"}
        });
        let diagnostics = repair(&mut document);
        let schema_at = "/paths/~1a/get/responses/200/content/application~1json/schema";
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].pointer, format!("{schema_at}/metadata"));
        let schema = document.pointer(schema_at).unwrap();
        assert!(schema.get("metadata").is_none());
        assert_eq!(schema["items"]["properties"]["n"]["type"], "string");
        assert_eq!(document["info"]["metadata"], "kept");
        assert_eq!(document["x-extension"]["metadata"], "kept");
    }

    #[test]
    fn a_dangling_schema_ref_accepts_anything_and_is_reported() {
        let mut document = json!({
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "b": {"$ref": "#/components/schemas/Missing", "description": "kept"},
                    "c": {"$ref": "#/components/schemas/A"}
                }, "example": {"$ref": "#/components/schemas/AlsoMissing"}}
            }}
        });
        let diagnostics = repair(&mut document);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(
            diagnostics[0].pointer,
            "/components/schemas/A/properties/b/$ref"
        );
        let properties = &document["components"]["schemas"]["A"]["properties"];
        assert_eq!(properties["b"], json!({"description": "kept"}));
        assert_eq!(properties["c"], json!({"$ref": "#/components/schemas/A"}));
    }
}

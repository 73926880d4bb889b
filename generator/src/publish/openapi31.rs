//! The same contract in OpenAPI 3.1.0: a bundled, policy-applied 3.0.3 document rewritten where
//! the two versions differ. It keeps `spec::convert`'s reading of every 3.0 schema keyword (the
//! single place where OpenAPI semantics are decided); a test holds the two readings equal on
//! every schema of every spec. It must not invent a reading of its own, and it never reads or
//! writes files.
//!
//! What changes (the OAI's "Upgrading from OpenAPI 3.0 to 3.1" notes), and how:
//! - `openapi: 3.1.0`.
//! - `nullable: true` becomes a type union (`type: [string, "null"]`) and `null` joins an `enum`,
//!   exactly where `spec::convert` adds them: only beside `type`, since OpenAPI 3.0.3 gives
//!   `nullable` no effect without one. So `{$ref, nullable}` and `{allOf: [..], nullable}` (no
//!   `type`) are not nullable in our reading, and their 3.1 form is not `anyOf: [.., {type:
//!   "null"}]`: that would accept `null` where `contract validate` rejects it. Such a `nullable`
//!   is dropped with a note.
//! - Siblings of a schema `$ref`: ignored in 3.0, applied in 3.1. Annotations (`description`,
//!   `title`, `x-` extensions) are kept; anything else would start to constrain, so it is
//!   dropped with a note.
//! - Boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form (replacing
//!   `minimum`/`maximum`); a boolean without its bound had no effect and is dropped.
//! - A schema's `example` becomes `examples: [example]` (Parameter, Header and Media Type
//!   `example` are unchanged in 3.1).
//! - `format: binary` becomes `contentMediaType` (the body's media type, or
//!   `application/octet-stream` inside a body), `format: byte`/`base64` becomes
//!   `contentEncoding: base64`.
//! - No `x-nullable` or other vendor spelling is produced. `readOnly`, `writeOnly`,
//!   `discriminator`, `xml`, `externalDocs`, `deprecated` and every other `format` mean the same in
//!   3.1 and stay.

use serde_json::{Map, Value, json};

use crate::error::Diagnostic;
use crate::spec::bundle::{Kind, Object};
use crate::spec::convert::{self, ConvertError};
use crate::spec::lenient::each_schema;
use crate::spec::pointer;

/// The version written into converted documents.
pub const VERSION: &str = "3.1.0";

/// Annotations a schema `$ref` keeps beside it in 3.1 (they constrain nothing).
const REF_ANNOTATIONS: [&str; 2] = ["description", "title"];

/// Converts a bundled OpenAPI 3.0 document to 3.1.0. Returns the notes (what had no effect in
/// 3.0 and was dropped), or the first schema that cannot be converted.
pub fn convert(document: &Value) -> Result<(Value, Vec<Diagnostic>), ConvertError> {
    let mut out = document.clone();
    if let Some(version) = out.get_mut("openapi") {
        *version = json!(VERSION);
    }
    let mut notes = Vec::new();
    let mut error = None;
    each_schema(
        &mut out,
        Kind::One(Object::Document),
        "",
        true,
        &mut |schema, at| {
            if error.is_none()
                && let Err(failed) = schema_node(schema, at, &mut notes)
            {
                error = Some(failed);
            }
        },
    );
    match error {
        Some(error) => Err(error),
        None => Ok((out, notes)),
    }
}

/// Rewrites one Schema Object's own keywords (its subschemas are visited separately), keeping
/// the order of its keys.
fn schema_node(
    schema: &mut Map<String, Value>,
    at: &str,
    notes: &mut Vec<Diagnostic>,
) -> Result<(), ConvertError> {
    let original = std::mem::take(schema);
    if original.contains_key("$ref") {
        for (keyword, value) in original {
            let kept = keyword == "$ref"
                || keyword.starts_with("x-")
                || REF_ANNOTATIONS.contains(&keyword.as_str());
            if kept {
                schema.insert(keyword, value);
            } else {
                notes.push(Diagnostic::new(
                    pointer::join(at, &keyword),
                    format!(
                        "`{keyword}` beside `$ref` has no effect in OpenAPI 3.0 and would apply \
                         in 3.1; left out of the 3.1 copy"
                    ),
                ));
            }
        }
        return Ok(());
    }
    let nullable = original.get("nullable") == Some(&Value::Bool(true));
    let has_type = original.contains_key("type");
    if nullable && !has_type {
        notes.push(Diagnostic::new(
            pointer::join(at, "nullable"),
            "`nullable: true` without `type` has no effect (OpenAPI 3.0.3); the 3.1 copy does \
             not accept null here either",
        ));
    }
    for (keyword, value) in &original {
        // `nullable` and boolean exclusive bounds: the one reading `spec::convert` also uses.
        if convert::nullable_and_bounds(&original, keyword, value, at, schema)? {
            continue;
        }
        match keyword.as_str() {
            "example" => {
                schema.insert("examples".to_owned(), json!([value]));
            }
            "format" => match value.as_str() {
                Some("binary") => {
                    schema.insert("contentMediaType".to_owned(), json!(media_type(at)));
                }
                Some("byte" | "base64") => {
                    schema.insert("contentEncoding".to_owned(), json!("base64"));
                }
                _ => {
                    schema.insert(keyword.clone(), value.clone());
                }
            },
            _ => {
                schema.insert(keyword.clone(), value.clone());
            }
        }
    }
    Ok(())
}

/// The media type a binary string stands for: the body's own when the schema is the body
/// (`.../content/image~1png/schema`), else (a part inside a body) `application/octet-stream`.
fn media_type(at: &str) -> String {
    let tokens = pointer::tokens(at);
    match tokens.as_slice() {
        [.., content, media, schema]
            if content == "content" && schema == "schema" && !media.contains('*') =>
        {
            media.clone()
        }
        _ => "application/octet-stream".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3.0 document holding `schema` as a component and as a body.
    fn converted(schema: Value) -> (Value, Vec<Diagnostic>) {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"image/png": {"schema": schema.clone(), "example": "x"}}},
                "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"S": schema, "T": {"type": "string"}}}
        });
        convert(&document).unwrap()
    }

    fn component(schema: Value) -> Value {
        converted(schema).0["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn nullable_becomes_a_type_union_where_convert_reads_it() {
        assert_eq!(
            component(json!({"type": "string", "enum": ["a"], "nullable": true})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            component(json!({"type": "string", "nullable": false})),
            json!({"type": "string"})
        );
        let (document, notes) = converted(json!({"enum": ["a"], "nullable": true}));
        assert_eq!(
            document["components"]["schemas"]["S"],
            json!({"enum": ["a"]})
        );
        assert!(
            notes
                .iter()
                .any(|note| note.pointer == "/components/schemas/S/nullable"),
            "{notes:?}"
        );
        // Nested schemas are converted too.
        assert_eq!(
            component(json!({"type": "object", "properties": {
                "a": {"type": "array", "items": {"type": "integer", "nullable": true}}}})),
            json!({"type": "object", "properties": {
                "a": {"type": "array", "items": {"type": ["integer", "null"]}}}})
        );
    }

    #[test]
    fn ref_siblings_keep_only_annotations() {
        let (document, notes) = converted(json!({
            "$ref": "#/components/schemas/T", "description": "d", "nullable": true,
            "maxLength": 3, "x-sensitive": true}));
        assert_eq!(
            document["components"]["schemas"]["S"],
            json!({"$ref": "#/components/schemas/T", "description": "d", "x-sensitive": true})
        );
        let dropped: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert!(
            dropped.contains(&"/components/schemas/S/nullable"),
            "{notes:?}"
        );
        assert!(
            dropped.contains(&"/components/schemas/S/maxLength"),
            "{notes:?}"
        );
    }

    #[test]
    fn bounds_examples_and_binary_formats() {
        assert_eq!(
            component(
                json!({"type": "number", "minimum": 1, "exclusiveMinimum": true,
                             "maximum": 9, "exclusiveMaximum": false, "example": 2})
            ),
            json!({"type": "number", "exclusiveMinimum": 1, "maximum": 9, "examples": [2]})
        );
        let (document, _) = converted(json!({"type": "string", "format": "binary"}));
        assert_eq!(document["openapi"], "3.1.0");
        let body = &document["paths"]["/a"]["post"]["requestBody"]["content"]["image/png"];
        assert_eq!(
            body["schema"],
            json!({"type": "string", "contentMediaType": "image/png"})
        );
        // A Media Type's own `example` is still 3.1.
        assert_eq!(body["example"], "x");
        assert_eq!(
            document["components"]["schemas"]["S"]["contentMediaType"],
            "application/octet-stream"
        );
        assert_eq!(
            component(json!({"type": "string", "format": "byte"})),
            json!({"type": "string", "contentEncoding": "base64"})
        );
        let document = json!({"openapi": "3.0.3", "components": {"schemas": {
            "S": {"minimum": 1, "exclusiveMinimum": "yes"}}}});
        let error = convert(&document).unwrap_err();
        assert_eq!(error.pointer, "/components/schemas/S/exclusiveMinimum");
    }
}

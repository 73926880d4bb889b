//! The publishing policy for our own `x-` extensions, as data: which ones a partner copy keeps
//! and which are internal working notes, each with why. This table is the only place the
//! decision is written (`specs/README.md` documents it, and a test holds the two together).
//! An extension the table does not know is an error, so a new extension forces a decision
//! instead of leaking into partner copies. It decides nothing about OpenAPI semantics.

use serde_json::{Map, Value};

use crate::spec::bundle::{Kind, Object, member};
use crate::spec::pointer;

/// Who an extension is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Kept in partner copies: partners' tools and code can use it.
    Partner,
    /// Dropped from partner copies unless `--keep-internal`: our working notes.
    Internal,
}

/// One extension's publishing decision.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub extension: &'static str,
    pub audience: Audience,
    pub why: &'static str,
}

/// Every extension our specs may use (the extensions table of `specs/README.md`).
pub const POLICY: [Rule; 6] = [
    Rule {
        extension: "x-sensitive",
        audience: Audience::Partner,
        why: "partners must redact the same fields in their logs; generated code relies on it",
    },
    Rule {
        extension: "x-idempotent",
        audience: Audience::Partner,
        why: "tells a partner's client whether retrying the call is safe",
    },
    Rule {
        extension: "x-replaced-by",
        audience: Audience::Partner,
        why: "names what replaces a deprecated operation, which a partner must migrate to",
    },
    Rule {
        extension: "x-doc-discrepancies",
        audience: Audience::Internal,
        why: "our notes on where the provider's document contradicts itself and what we decided",
    },
    Rule {
        extension: "x-source",
        audience: Audience::Internal,
        why: "our provenance notes (which page or note a fact came from)",
    },
    Rule {
        extension: "x-source-document",
        audience: Audience::Internal,
        why: "the file name of the provider document in our own sources folder",
    },
];

/// The decision for one extension, if the table has one.
pub fn rule(extension: &str) -> Option<&'static Rule> {
    POLICY.iter().find(|rule| rule.extension == extension)
}

/// An `x-` key the policy does not know, and where it stands in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// JSON pointer of the key (`/paths/~1a/get/x-team`).
    pub pointer: String,
    pub key: String,
}

/// Applies the policy to a whole OpenAPI document in place: internal extensions are removed
/// (kept with `keep_internal`), partner ones kept. Every unknown extension is returned (in
/// document order) and the document must then not be published.
pub fn apply(document: &mut Value, keep_internal: bool) -> Result<(), Vec<Unknown>> {
    let mut unknown = Vec::new();
    walk(
        document,
        Kind::One(Object::Document),
        "",
        keep_internal,
        &mut unknown,
    );
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(unknown)
    }
}

/// Members of objects `spec::bundle::member` reads as `Other` whose keys are names the spec
/// chooses (a security scheme called `x-api-key` is no extension).
const NAME_MAPS: [&str; 3] = ["securitySchemes", "variables", "scopes"];

/// Visits every OpenAPI object (where `x-` keys are extensions), never data values (examples,
/// defaults, enums, extension values) and never maps of names (`properties`, `headers`, ...).
fn walk(value: &mut Value, kind: Kind, at: &str, keep_internal: bool, unknown: &mut Vec<Unknown>) {
    match (kind, value) {
        (Kind::Data, _) => {}
        (Kind::MapOf(object), Value::Object(map)) => {
            // The Paths and Responses objects hold extensions beside their entries.
            if matches!(object, Object::PathItem | Object::Response) {
                extensions(map, at, keep_internal, unknown);
            }
            for (key, item) in map.iter_mut() {
                if key.starts_with("x-") && matches!(object, Object::PathItem | Object::Response) {
                    continue;
                }
                walk(
                    item,
                    Kind::One(object),
                    &pointer::join(at, key),
                    keep_internal,
                    unknown,
                );
            }
        }
        (Kind::ListOf(object), Value::Array(items)) => {
            for (index, item) in items.iter_mut().enumerate() {
                let here = format!("{at}/{index}");
                walk(item, Kind::One(object), &here, keep_internal, unknown);
            }
        }
        (Kind::One(object), Value::Object(map)) => {
            extensions(map, at, keep_internal, unknown);
            for (key, item) in map.iter_mut() {
                if key.starts_with("x-") {
                    continue;
                }
                let here = pointer::join(at, key);
                let kind = match member(object, key) {
                    Kind::One(Object::Other) if NAME_MAPS.contains(&key.as_str()) => {
                        Kind::MapOf(Object::Other)
                    }
                    kind => kind,
                };
                walk(item, kind, &here, keep_internal, unknown);
            }
        }
        (Kind::One(Object::Other), Value::Array(items)) => {
            for (index, item) in items.iter_mut().enumerate() {
                let here = format!("{at}/{index}");
                walk(item, kind, &here, keep_internal, unknown);
            }
        }
        _ => {}
    }
}

/// The `x-` keys of one OpenAPI object: unknown ones recorded, internal ones removed.
fn extensions(
    map: &mut Map<String, Value>,
    at: &str,
    keep_internal: bool,
    unknown: &mut Vec<Unknown>,
) {
    map.retain(|key, _| {
        if !key.starts_with("x-") {
            return true;
        }
        match rule(key) {
            Some(rule) => keep_internal || rule.audience == Audience::Partner,
            None => {
                unknown.push(Unknown {
                    pointer: pointer::join(at, key),
                    key: key.clone(),
                });
                true
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "x-source-document": "doc.txt"},
            "paths": {"/a": {"post": {
                "x-idempotent": false,
                "x-doc-discrepancies": [{"id": "d", "x-team": "data, not an extension"}],
                "parameters": [{"name": "x-secret", "in": "header", "x-source": "notes",
                                "schema": {"type": "string", "x-sensitive": true}}],
                "responses": {"200": {"description": "ok", "headers": {
                    "x-ratelimit-limit": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "x-name": {"type": "string", "example": {"x-data": 1}}}},
                        "example": {"x-data": 1}}}}}}}},
            "components": {"securitySchemes": {"x-api-key": {
                "type": "apiKey", "in": "header", "name": "x-api-key", "x-source": "notes"}}}
        })
    }

    #[test]
    fn internal_extensions_are_dropped_and_partner_ones_kept() {
        let mut published = document();
        apply(&mut published, false).unwrap();
        assert_eq!(published["info"].get("x-source-document"), None);
        let operation = &published["paths"]["/a"]["post"];
        assert_eq!(operation["x-idempotent"], false);
        assert_eq!(operation.get("x-doc-discrepancies"), None);
        assert_eq!(operation["parameters"][0].get("x-source"), None);
        assert_eq!(operation["parameters"][0]["schema"]["x-sensitive"], true);
        // Names and data that start with `x-` are not extensions and stay.
        let response = &operation["responses"]["200"];
        assert!(response["headers"].get("x-ratelimit-limit").is_some());
        let media = &response["content"]["application/json"];
        assert!(media["schema"]["properties"].get("x-name").is_some());
        assert_eq!(media["example"]["x-data"], 1);
        let scheme = &published["components"]["securitySchemes"]["x-api-key"];
        assert_eq!(scheme.get("x-source"), None);

        let mut kept = document();
        apply(&mut kept, true).unwrap();
        assert_eq!(kept, document());
    }

    #[test]
    fn an_unknown_extension_is_refused_with_its_pointer() {
        let mut with_unknown = document();
        with_unknown["paths"]["/a"]["post"]["x-team"] = json!("cards");
        with_unknown["paths"]["x-owner"] = json!("us");
        let unknown = apply(&mut with_unknown, false).unwrap_err();
        let found: Vec<(&str, &str)> = unknown
            .iter()
            .map(|item| (item.pointer.as_str(), item.key.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("/paths/x-owner", "x-owner"),
                ("/paths/~1a/post/x-team", "x-team")
            ]
        );
    }
}

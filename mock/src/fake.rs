//! Values generated from a converted JSON Schema (the one `contract validate` checks with), for
//! `Prefer: dynamic=true` and for documented responses without an example. Generation aims at
//! validity; the caller still checks each value with the contract and retries, so this module
//! must never be trusted as the proof of conformance, only as a good guess.

use rand::RngExt;
use rand::rngs::StdRng;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Number, Value, json};

/// Deep enough for every spec here; a recursive schema stops producing optional members below it.
const MAX_DEPTH: usize = 12;
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A value for `schema`, whose `$ref`s resolve against `root`.
pub fn value(root: &Value, schema: &Value, rng: &mut StdRng) -> Value {
    generate(root, schema, rng, 0)
}

fn generate(root: &Value, schema: &Value, rng: &mut StdRng, depth: usize) -> Value {
    let Some(object) = schema.as_object() else {
        // `true` (anything) or `false` (nothing can be right): null is as good as any.
        return Value::Null;
    };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        let resolved = target
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer));
        if let Some(resolved) = resolved
            && depth < MAX_DEPTH
        {
            return generate(root, resolved, rng, depth + 1);
        }
        return Value::Null;
    }
    if let Some(constant) = object.get("const") {
        return constant.clone();
    }
    if let Some(options) = object.get("enum").and_then(Value::as_array)
        && !options.is_empty()
    {
        return options[rng.random_range(0..options.len())].clone();
    }
    if let Some(all) = object.get("allOf").and_then(Value::as_array) {
        // Each branch is generated and objects are merged: right for the usual `allOf` of
        // object fragments, and the caller's check catches the rest.
        let mut merged = Map::new();
        let mut other = None;
        for branch in all {
            match generate(root, branch, rng, depth + 1) {
                Value::Object(members) => merged.extend(members),
                value => other = Some(value),
            }
        }
        let own = strip(object, &["allOf"]);
        if let Value::Object(members) = generate(root, &own, rng, depth) {
            merged.extend(members);
        }
        return other
            .filter(|_| merged.is_empty())
            .unwrap_or(Value::Object(merged));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = object.get(key).and_then(Value::as_array)
            && !branches.is_empty()
        {
            let branch = &branches[rng.random_range(0..branches.len())];
            return generate(root, branch, rng, depth + 1);
        }
    }
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // `nullable` became `["string", "null"]`: a real value says more than null.
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|kind| *kind != "null")
            .unwrap_or("null"),
        _ if object.contains_key("properties") => "object",
        _ if object.contains_key("items") => "array",
        _ => return Value::Null,
    };
    match kind {
        "object" => object_value(root, object, rng, depth),
        "array" => {
            let min = count(object, "minItems").unwrap_or(0);
            let max = count(object, "maxItems").unwrap_or(min.max(2)).max(min);
            let length = rng.random_range(min..=max.min(min + 3));
            let items = object.get("items").cloned().unwrap_or(Value::Bool(true));
            Value::Array(
                (0..length)
                    .map(|_| generate(root, &items, rng, depth + 1))
                    .collect(),
            )
        }
        "string" => Value::String(string(object, rng)),
        "integer" => integer(object, rng),
        "number" => number(object, rng),
        "boolean" => Value::Bool(rng.random_bool(0.5)),
        _ => Value::Null,
    }
}

fn strip(object: &Map<String, Value>, keys: &[&str]) -> Value {
    let mut copy = object.clone();
    for key in keys {
        copy.remove(*key);
    }
    Value::Object(copy)
}

fn count(object: &Map<String, Value>, key: &str) -> Option<usize> {
    object
        .get(key)
        .and_then(Value::as_u64)
        .map(|n| n.min(64) as usize)
}

fn object_value(
    root: &Value,
    object: &Map<String, Value>,
    rng: &mut StdRng,
    depth: usize,
) -> Value {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        for (name, schema) in properties {
            let wanted = required.contains(&name.as_str())
                || (depth < MAX_DEPTH / 2 && rng.random_bool(0.7));
            if wanted {
                out.insert(name.clone(), generate(root, schema, rng, depth + 1));
            }
        }
    }
    for name in required {
        if !out.contains_key(name) {
            out.insert(name.to_owned(), Value::String("x".to_owned()));
        }
    }
    Value::Object(out)
}

fn string(object: &Map<String, Value>, rng: &mut StdRng) -> String {
    let min = count(object, "minLength").unwrap_or(0);
    let max = count(object, "maxLength").unwrap_or(min.max(12)).max(min);
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str)
        && let Some(text) = from_pattern(pattern, rng)
    {
        return text;
    }
    match object.get("format").and_then(Value::as_str) {
        Some("uuid") => {
            let hex = |rng: &mut StdRng, n: usize| -> String {
                (0..n)
                    .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
                    .collect()
            };
            return format!(
                "{}-{}-4{}-a{}-{}",
                hex(rng, 8),
                hex(rng, 4),
                hex(rng, 3),
                hex(rng, 3),
                hex(rng, 12)
            );
        }
        Some("email") => return format!("user{}@example.com", rng.random_range(1..1000)),
        Some("date") => {
            return format!(
                "20{:02}-{:02}-{:02}",
                rng.random_range(20..30),
                rng.random_range(1..13),
                rng.random_range(1..29)
            );
        }
        Some("date-time") => {
            return format!(
                "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                rng.random_range(20..30),
                rng.random_range(1..13),
                rng.random_range(1..29),
                rng.random_range(0..24),
                rng.random_range(0..60),
                rng.random_range(0..60)
            );
        }
        _ => {}
    }
    let length = rng.random_range(min.max(1).min(max)..=max.min(min.max(1) + 11));
    (0..length)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// A string the pattern matches, built from its syntax tree (anchors are implied, since the
/// text is the whole value); `None` when the pattern does not parse as a Rust regex.
fn from_pattern(pattern: &str, rng: &mut StdRng) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, rng, &mut out);
    Some(out)
}

fn walk(hir: &Hir, rng: &mut StdRng, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            // Printable ASCII where the class allows it: readable, and safe in every header.
            let ranges = class.ranges();
            let ascii: Vec<(u32, u32)> = ranges
                .iter()
                .map(|range| {
                    (
                        u32::from(range.start()).max(0x21),
                        u32::from(range.end()).min(0x7e),
                    )
                })
                .filter(|(start, end)| start <= end)
                .collect();
            let pick = if ascii.is_empty() {
                ranges.first().map(|range| range.start())
            } else {
                let (start, end) = ascii[rng.random_range(0..ascii.len())];
                char::from_u32(rng.random_range(start..=end))
            };
            out.extend(pick);
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(range) = class.ranges().first() {
                out.push(char::from(range.start()));
            }
        }
        HirKind::Repetition(repetition) => {
            let min = repetition.min.min(64);
            let max = repetition.max.unwrap_or(min + 4).min(min + 8).max(min);
            for _ in 0..rng.random_range(min..=max) {
                walk(&repetition.sub, rng, out);
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, rng, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| walk(part, rng, out)),
        HirKind::Alternation(options) => {
            if !options.is_empty() {
                walk(&options[rng.random_range(0..options.len())], rng, out);
            }
        }
    }
}

fn integer(object: &Map<String, Value>, rng: &mut StdRng) -> Value {
    let mut low = object.get("minimum").and_then(Value::as_i64).unwrap_or(0);
    let mut high = object
        .get("maximum")
        .and_then(Value::as_i64)
        .unwrap_or(low.saturating_add(1000));
    if let Some(bound) = object.get("exclusiveMinimum").and_then(Value::as_i64) {
        low = low.max(bound.saturating_add(1));
    }
    if let Some(bound) = object.get("exclusiveMaximum").and_then(Value::as_i64) {
        high = high.min(bound.saturating_sub(1));
    }
    if high < low {
        return json!(low);
    }
    let mut n = rng.random_range(low..=high);
    if let Some(step) = object.get("multipleOf").and_then(Value::as_i64)
        && step > 0
    {
        n = n - n.rem_euclid(step);
        if n < low {
            n = n.saturating_add(step);
        }
    }
    json!(n)
}

fn number(object: &Map<String, Value>, rng: &mut StdRng) -> Value {
    if object.contains_key("multipleOf") {
        return integer(object, rng);
    }
    let low = object.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
    let high = object
        .get("maximum")
        .and_then(Value::as_f64)
        .unwrap_or(low + 1000.0);
    let n = if high > low {
        low + (high - low) * rng.random_range(0.1..0.9)
    } else {
        low
    };
    let rounded = (n * 100.0).round() / 100.0;
    Number::from_f64(rounded).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(7)
    }

    #[test]
    fn patterns_produce_matching_text() {
        for pattern in [
            "^[0-9]+$",
            r"^\d{4}-\d{2}$",
            "^[A-Za-z0-9+/_-]+={0,2}$",
            "^(ab|cd)x?$",
        ] {
            let regex = regex::Regex::new(pattern).unwrap();
            let mut rng = rng();
            for _ in 0..50 {
                let text = from_pattern(pattern, &mut rng).unwrap();
                assert!(regex.is_match(&text), "{pattern}: {text:?}");
            }
        }
    }

    #[test]
    fn objects_have_their_required_members_and_refs_resolve() {
        let root = json!({
            "$defs": {"State": {"type": "string", "enum": ["ACTIVE"]}},
            "type": "object",
            "required": ["id", "state"],
            "properties": {
                "id": {"type": "string", "maxLength": 3},
                "state": {"$ref": "#/$defs/State"},
                "n": {"type": "integer", "minimum": 5, "maximum": 5}
            }
        });
        let value = value(&root, &root, &mut rng());
        assert!(value["id"].as_str().unwrap().len() <= 3);
        assert_eq!(value["state"], "ACTIVE");
        if let Some(n) = value.get("n") {
            assert_eq!(n, 5);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_value() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "number"}}});
        assert_eq!(
            value(&schema, &schema, &mut rng()),
            value(&schema, &schema, &mut rng())
        );
    }
}

//! Which instance locations hold secrets: a value is sensitive when any schema that applies to it,
//! or to one of its ancestors, carries `x-sensitive: true`. Reports never print such values.

use serde_json::Value;

/// Reference hops allowed while walking; enough for any real spec, and stops reference cycles.
const MAX_REFERENCE_HOPS: usize = 64;

/// Whether the instance at `tokens` (unescaped JSON pointer tokens) is covered by a sensitive
/// schema in the converted `root` (which holds its `$defs`).
pub fn is_sensitive(root: &Value, tokens: &[String]) -> bool {
    walk(root, root, tokens, 0)
}

fn walk(root: &Value, node: &Value, tokens: &[String], hops: usize) -> bool {
    let Some(object) = node.as_object() else {
        return false;
    };
    if object.get("x-sensitive") == Some(&Value::Bool(true)) {
        return true;
    }
    let referenced = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer));
    if let Some(target) = referenced
        && hops < MAX_REFERENCE_HOPS
        && walk(root, target, tokens, hops + 1)
    {
        return true;
    }
    let branches = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|keyword| object.get(*keyword).and_then(Value::as_array))
        .flatten();
    if branches
        .into_iter()
        .any(|branch| walk(root, branch, tokens, hops))
    {
        return true;
    }
    let Some((head, rest)) = tokens.split_first() else {
        return false;
    };
    let child = object
        .get("properties")
        .and_then(|properties| properties.get(head.as_str()))
        .or_else(|| head.parse::<usize>().ok().and_then(|_| object.get("items")))
        .or_else(|| {
            object
                .get("additionalProperties")
                .filter(|schema| schema.is_object())
        });
    child.is_some_and(|child| walk(root, child, rest, hops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tokens(pointer: &str) -> Vec<String> {
        crate::spec::pointer::tokens(pointer)
    }

    #[test]
    fn finds_sensitive_fields_through_refs_and_arrays() {
        let root = json!({
            "type": "object",
            "properties": {
                "card": {"$ref": "#/$defs/Card"},
                "cards": {"type": "array", "items": {"$ref": "#/$defs/Card"}},
                "name": {"type": "string"}
            },
            "$defs": {"Card": {"type": "object", "properties": {
                "pan": {"type": "string", "x-sensitive": true},
                "last4": {"type": "string"}
            }}}
        });
        assert!(is_sensitive(&root, &tokens("/card/pan")));
        assert!(is_sensitive(&root, &tokens("/cards/3/pan")));
        assert!(!is_sensitive(&root, &tokens("/card/last4")));
        assert!(!is_sensitive(&root, &tokens("/name")));
        assert!(!is_sensitive(&root, &tokens("")));
    }

    #[test]
    fn descendants_of_a_sensitive_node_are_sensitive() {
        let root =
            json!({"properties": {"cvv": {"x-sensitive": true, "properties": {"value": {}}}}});
        assert!(is_sensitive(&root, &tokens("/cvv/value")));
    }

    #[test]
    fn reference_cycles_terminate() {
        let root = json!({"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/A"}}});
        assert!(!is_sensitive(&root, &tokens("/x")));
    }
}

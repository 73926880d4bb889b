//! JSON Pointer (RFC 6901) helpers shared by the converter, the router and the reports, and
//! [`follow_refs`], the shared way to follow a spec's local `$ref`s.

use serde_json::Value;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Appends one escaped reference token to `out` (no allocation beyond `out`'s own growth: the
/// lint walk and the converter build a pointer for every node they visit).
pub fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for ch in token.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            other => out.push(other),
        }
    }
}

/// Unescapes one reference token: `~1` → `/`, `~0` → `~`.
pub fn unescape(token: &str) -> String {
    if !token.contains('~') {
        return token.to_owned();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// Decodes one token of a URI fragment (`#/components/schemas/a%25b`): percent-decoding first,
/// as the fragment is a URI component, then JSON Pointer unescaping.
pub fn unescape_fragment(token: &str) -> String {
    unescape(&percent_encoding::percent_decode_str(token).decode_utf8_lossy())
}

/// Joins a pointer and one more token (escaped here).
pub fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, token);
    out
}

/// Splits a pointer (`""` or `/a/b`) into unescaped tokens.
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(unescape)
        .collect()
}

/// How many `$ref`s in a row [`follow_refs`] follows: a cycle of references cannot hang a reader.
pub const MAX_REFERENCE_HOPS: usize = 32;

/// `value` with its local `$ref`s (`#/...`, percent-decoded as the URI fragment it is) followed.
/// Stops at a `$ref` that is not local or does not resolve, and returns the value holding it:
/// the reader reports it where it stands, or reads on without it.
pub fn follow_refs<'v>(document: &'v Value, mut value: &'v Value) -> &'v Value {
    for _ in 0..MAX_REFERENCE_HOPS {
        let target = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|fragment| {
                document
                    .pointer(&percent_encoding::percent_decode_str(fragment).decode_utf8_lossy())
            });
        match target {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_followed_locally_percent_decoded_and_bounded() {
        let document = serde_json::json!({
            "components": {"schemas": {
                "a b": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "Dangling": {"$ref": "#/components/schemas/Nowhere"},
                "Remote": {"$ref": "other.yaml#/B"},
                "Loop": {"$ref": "#/components/schemas/Loop"}
            }}
        });
        let schema = |name: &str| &document["components"]["schemas"][name];
        let start = serde_json::json!({"$ref": "#/components/schemas/a%20b"});
        assert_eq!(follow_refs(&document, &start), schema("B"));
        // Not followed: the value holding the `$ref` comes back, for its reader to report.
        assert_eq!(
            follow_refs(&document, schema("Dangling")),
            schema("Dangling")
        );
        assert_eq!(follow_refs(&document, schema("Remote")), schema("Remote"));
        assert_eq!(follow_refs(&document, schema("Loop")), schema("Loop"));
        assert_eq!(follow_refs(&document, schema("B")), schema("B"));
    }

    #[test]
    fn escapes_round_trip() {
        let token = "application/json~x";
        assert_eq!(escape(token), "application~1json~0x");
        assert_eq!(unescape(&escape(token)), token);
        assert_eq!(join("/paths", "/cards/{id}"), "/paths/~1cards~1{id}");
        assert_eq!(
            tokens("/paths/~1cards~1{id}/post"),
            ["paths", "/cards/{id}", "post"]
        );
        assert!(tokens("").is_empty());
        assert_eq!(escape("~/~1"), "~0~1~01");
        assert_eq!(unescape("~0~1~01"), "~/~1");
        assert_eq!(join("", "plain"), "/plain");
        assert_eq!(unescape_fragment("percent%25field~1x"), "percent%field/x");
    }
}

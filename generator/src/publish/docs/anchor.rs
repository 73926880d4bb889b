//! Page anchors: stable element ids derived from spec names (operationId, schema name, example
//! name), never from counters, so a deep link survives unrelated edits. Must not depend on
//! the order items appear in.

/// An id made of ASCII letters, digits, `-` and `_`: `_` is written `__` and any other
/// character `_<hex code point>_`, so distinct names keep distinct ids. Ids stay readable in
/// a URL and need no escaping in `href`.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' => out.push(c),
            '_' => out.push_str("__"),
            other => out.push_str(&format!("_{:x}_", u32::from(other))),
        }
    }
    out
}

/// The anchor of an operation (its operationId, else `METHOD-path`).
pub fn operation(key: &str) -> String {
    format!("op-{}", clean(key))
}

/// The anchor of a component schema's table.
pub fn schema(name: &str) -> String {
    format!("schema-{}", clean(name))
}

/// The anchor of a security scheme.
pub fn security(name: &str) -> String {
    format!("security-{}", clean(name))
}

/// The anchor of a named example of an operation's message (`request` or a status).
pub fn example(operation_key: &str, message: &str, name: &str) -> String {
    // `.` never appears in a cleaned part, so the three parts cannot run into each other.
    format!(
        "ex.{}.{}.{}",
        clean(operation_key),
        clean(message),
        clean(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_and_css_safe() {
        assert_eq!(schema("Card Status/v2"), "schema-Card_20_Status_2f_v2");
        assert_eq!(schema("a_b"), "schema-a__b");
        assert_ne!(schema("a b"), schema("a-b"));
        assert_eq!(operation("getCard"), "op-getCard");
        assert_eq!(
            example("login", "4XX", "bad-input"),
            "ex.login.4XX.bad-input"
        );
    }
}

//! The reference validator: the `jsonschema` crate, configured once for every converted schema
//! (JSON Schema 2020-12, formats asserted, no network or file access).

use serde_json::Value;

/// Compiles a converted root schema with the configuration every check uses.
pub fn compile(root: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(root)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn asserts_the_formats_we_promise() {
        let cases = [
            (
                "uuid",
                "05fd3654-1f5d-479d-ade5-64239fdf214d",
                "ab123456-1qq2-1234-tt5g-8873fe52bf54",
            ),
            ("date", "1978-10-15", "1978-13-15"),
            (
                "date-time",
                "2025-11-18T11:50:57.960232171-06:00",
                "2025-11-18 11:50",
            ),
            ("email", "a@example.com", "not-an-email"),
        ];
        for (format, good, bad) in cases {
            let validator = compile(&json!({"type": "string", "format": format})).unwrap();
            assert!(validator.is_valid(&json!(good)), "{format}: {good}");
            assert!(!validator.is_valid(&json!(bad)), "{format}: {bad}");
        }
    }
}

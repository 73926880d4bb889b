//! Examples as partners read them: a message's named examples pretty-printed line by line, each
//! line marked when its value is `x-sensitive` (decided by `spec::sensitive` on the converted
//! schema, the rule reports use), and error examples reduced to their code and message. Must
//! not guess sensitivity itself, and never hides a value: the specs' examples are fictitious.

use serde_json::{Map, Value, json};

use crate::spec::convert::{Converter, Direction};
use crate::spec::sensitive::is_sensitive;

/// One line of a pretty-printed example.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub sensitive: bool,
}

/// Asks `spec::sensitive` about example locations: one converted root per direction holding
/// the components as `$defs`, with the message's schema put in as its only property.
#[derive(Debug)]
pub struct Sensitivity {
    request: Value,
    response: Value,
}

/// The property name the message schema is put under in the probe root.
const MESSAGE: &str = "message";

impl Sensitivity {
    pub fn new(converter: &Converter) -> Sensitivity {
        let root = |direction| {
            json!({
                "$defs": Value::Object(converter.defs(direction).clone()),
                "properties": {},
            })
        };
        Sensitivity {
            request: root(Direction::Request),
            response: root(Direction::Response),
        }
    }

    /// Pretty-prints `value` (an example of a message whose converted schema is `schema`),
    /// marking the lines whose value is sensitive.
    pub fn lines(
        &mut self,
        value: &Value,
        schema: Option<&Value>,
        direction: Direction,
    ) -> Vec<Line> {
        let root = match direction {
            Direction::Request => &mut self.request,
            Direction::Response => &mut self.response,
        };
        let has_schema = schema.is_some();
        if let (Some(schema), Some(properties)) = (schema, root.get_mut("properties")) {
            *properties = json!({ MESSAGE: schema });
        }
        let mut printer = Printer {
            root,
            check: has_schema,
            path: vec![MESSAGE.to_owned()],
            lines: Vec::new(),
        };
        printer.value(value, None, 0, false);
        printer.lines
    }
}

struct Printer<'r> {
    root: &'r Value,
    check: bool,
    /// `message`, then the instance location's tokens.
    path: Vec<String>,
    lines: Vec<Line>,
}

impl Printer<'_> {
    fn sensitive(&self) -> bool {
        self.check && is_sensitive(self.root, &self.path)
    }

    fn value(&mut self, value: &Value, key: Option<&str>, indent: usize, comma: bool) {
        let pad = "  ".repeat(indent);
        let key = key
            .map(|key| format!("{}: ", Value::String(key.to_owned())))
            .unwrap_or_default();
        let end = if comma { "," } else { "" };
        let sensitive = self.sensitive();
        let (open, close, children): (&str, &str, Vec<(Option<String>, &Value)>) = match value {
            Value::Object(map) if !map.is_empty() => (
                "{",
                "}",
                map.iter().map(|(k, v)| (Some(k.clone()), v)).collect(),
            ),
            Value::Array(items) if !items.is_empty() => {
                ("[", "]", items.iter().map(|item| (None, item)).collect())
            }
            leaf => {
                self.lines.push(Line {
                    text: format!("{pad}{key}{leaf}{end}"),
                    sensitive,
                });
                return;
            }
        };
        self.lines.push(Line {
            text: format!("{pad}{key}{open}"),
            sensitive,
        });
        let count = children.len();
        for (index, (child_key, child)) in children.into_iter().enumerate() {
            let token = child_key.clone().unwrap_or_else(|| index.to_string());
            self.path.push(token);
            self.value(child, child_key.as_deref(), indent + 1, index + 1 < count);
            self.path.pop();
        }
        self.lines.push(Line {
            text: format!("{pad}{close}{end}"),
            sensitive,
        });
    }
}

/// Keys whose leaf values are error codes, in the order they are joined.
const CODE_KEYS: [&str; 5] = ["errorcode", "error_code", "code", "subcode", "error"];
/// Keys whose leaf values read as the error's message, best first.
const MESSAGE_KEYS: [&str; 6] = [
    "message",
    "description",
    "detail",
    "text",
    "title",
    "translation",
];

/// The error code(s) and message an error example carries: codes are the leaves under code
/// keys (`errorCode`, `code`, `subCode`, a leaf `error`), in document order; the message is
/// the deepest leaf under the best message key.
pub fn error_code_and_message(value: &Value) -> (Vec<String>, Option<String>) {
    let mut leaves = Vec::new();
    collect_leaves(value, None, 0, &mut leaves);
    let mut codes: Vec<String> = Vec::new();
    for (key, _, text) in &leaves {
        if CODE_KEYS.contains(&key.as_str()) && !codes.contains(text) {
            codes.push(text.clone());
        }
    }
    let message = MESSAGE_KEYS.iter().find_map(|wanted| {
        leaves
            .iter()
            .filter(|(key, _, _)| key == wanted)
            .max_by_key(|(_, depth, _)| *depth)
            .map(|(_, _, text)| text.clone())
    });
    (codes, message)
}

/// (lower-cased key, depth, text) of every string or number leaf under an object key.
fn collect_leaves(
    value: &Value,
    key: Option<&str>,
    depth: usize,
    out: &mut Vec<(String, usize, String)>,
) {
    match value {
        Value::Object(map) => collect_map(map, depth, out),
        Value::Array(items) => {
            for item in items {
                collect_leaves(item, key, depth + 1, out);
            }
        }
        Value::String(text) => {
            if let Some(key) = key {
                out.push((key.to_ascii_lowercase(), depth, text.clone()));
            }
        }
        Value::Number(number) => {
            if let Some(key) = key {
                out.push((key.to_ascii_lowercase(), depth, number.to_string()));
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

fn collect_map(map: &Map<String, Value>, depth: usize, out: &mut Vec<(String, usize, String)>) {
    for (key, value) in map {
        collect_leaves(value, Some(key), depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_of_each_providers_error_shape() {
        let upmoney = json!({ "errorCode": "INSTRUMENT_ALREADY_ACTIVATED" });
        assert_eq!(
            error_code_and_message(&upmoney),
            (vec!["INSTRUMENT_ALREADY_ACTIVATED".to_owned()], None)
        );
        let qitech = json!({ "title": "Not Acceptable", "description": "Invalid code.", "code": "CARD000020" });
        assert_eq!(
            error_code_and_message(&qitech),
            (
                vec!["CARD000020".to_owned()],
                Some("Invalid code.".to_owned())
            )
        );
        let undostres =
            json!({ "text": "Error", "error": { "code": 4400, "text": "PIN must be digits" } });
        assert_eq!(
            error_code_and_message(&undostres),
            (
                vec!["4400".to_owned()],
                Some("PIN must be digits".to_owned())
            )
        );
        let connectfi = json!({ "code": "extCondor", "subCode": "C0917", "message": "No match." });
        assert_eq!(
            error_code_and_message(&connectfi).0,
            vec!["extCondor".to_owned(), "C0917".to_owned()]
        );
    }

    #[test]
    fn sensitive_lines_are_marked_through_references() {
        let converter = Converter::new(&json!({ "components": { "schemas": {
            "Pin": { "type": "string", "x-sensitive": true }
        } } }))
        .unwrap();
        let schema = json!({ "properties": { "pin": { "$ref": "#/$defs/Pin" }, "id": {} } });
        let mut sensitivity = Sensitivity::new(&converter);
        let lines = sensitivity.lines(
            &json!({ "id": 1, "pin": "1234" }),
            Some(&schema),
            Direction::Request,
        );
        let marked: Vec<(&str, bool)> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.sensitive))
            .collect();
        assert_eq!(
            marked,
            [
                ("{", false),
                ("  \"id\": 1,", false),
                ("  \"pin\": \"1234\"", true),
                ("}", false)
            ]
        );
    }
}

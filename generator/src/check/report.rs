//! The outcome of checking one message: which operation and message it was, notes on what was not
//! checked, and every violation with its location, rule, expected and found values. Values of
//! `x-sensitive` fields and of headers are never copied into a report.

use std::fmt;

use jsonschema::error::{ValidationError, ValidationErrorKind};
use serde::Serialize;
use serde_json::Value;

use crate::spec::convert::type_name;
use crate::spec::{pointer, sensitive};

/// Which part of the message a violation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    // In the order a request is read: reports list violations in this order.
    Path,
    Query,
    Header,
    Body,
    Status,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Body => "body",
            Part::Path => "path",
            Part::Query => "query",
            Part::Header => "header",
            Part::Status => "status",
        })
    }
}

/// One way a message breaks its contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    #[serde(rename = "in")]
    pub part: Part,
    /// JSON pointer into the body, or `/<name>` for a parameter or header.
    pub pointer: String,
    /// The JSON Schema keyword that failed (`pattern`, `required`, ...), or `security`, `status`.
    pub rule: String,
    pub expected: String,
    /// What the message holds there; `<redacted>` for sensitive values.
    pub found: String,
    /// Where the rule is written in the spec, as a JSON pointer into it (`#/components/...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_location: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{} {pointer}: {}: expected {}, found {}",
            self.part, self.rule, self.expected, self.found
        )
    }
}

/// Which message of an operation was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Message {
    Request,
    Response {
        /// The status given by the user.
        status: String,
        /// The response key of the spec it was matched to (`409`, `4XX`, `default`), if any.
        matched: Option<String>,
    },
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Request => f.write_str("request"),
            Message::Response {
                status,
                matched: Some(matched),
            } if matched != status => write!(f, "response {status} (as {matched})"),
            Message::Response { status, .. } => write!(f, "response {status}"),
        }
    }
}

/// The verdict on one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub spec: String,
    pub operation_id: Option<String>,
    pub method: String,
    pub route: String,
    pub message: Message,
    pub conforms: bool,
    /// What was deliberately not checked, and why.
    pub notes: Vec<String>,
    pub violations: Vec<Violation>,
}

impl Report {
    pub fn conforms(&self) -> bool {
        self.violations.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self
            .operation_id
            .as_deref()
            .map(|id| format!(" ({id})"))
            .unwrap_or_default();
        let subject = format!("{} {} {}{operation}", self.message, self.method, self.route);
        if self.conforms() {
            writeln!(f, "ok: {subject} conforms to {}", self.spec)?;
        } else {
            let count = self.violations.len();
            let noun = if count == 1 {
                "violation"
            } else {
                "violations"
            };
            writeln!(
                f,
                "FAIL: {subject} does not conform to {}: {count} {noun}",
                self.spec
            )?;
            for violation in &self.violations {
                writeln!(f, "  {violation}")?;
                if let Some(location) = &violation.spec_location {
                    writeln!(f, "      rule at {location}")?;
                }
            }
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

/// Turns `jsonschema` errors into violations, redacting sensitive values.
#[derive(Debug, Clone, Copy)]
pub struct Explainer<'a> {
    /// The converted root schema the errors come from.
    pub root: &'a Value,
    /// The pointer in the spec of the schema at the root (for `spec_location`).
    pub spec_base: &'a str,
    pub part: Part,
    /// A prefix for instance pointers (`/<name>` for parameters).
    pub instance_prefix: &'a str,
    /// The spec document, to point `required` violations at the exact array entry.
    pub document: &'a Value,
}

impl Explainer<'_> {
    pub fn explain(&self, error: &ValidationError<'_>) -> Violation {
        let instance_pointer = error.instance_path().as_str().to_owned();
        let schema_path = error.schema_path().as_str();
        let tokens = pointer::tokens(&instance_pointer);
        let redact = self.part == Part::Header || sensitive::is_sensitive(self.root, &tokens);
        let instance = error.instance();
        let keyword_value = self.root.pointer(schema_path);
        let (rule, expected, found) = describe(
            error.kind(),
            keyword_value,
            instance,
            redact,
            self.rule_hint(schema_path),
        );
        let mut spec_location = self.spec_location(schema_path);
        if let ValidationErrorKind::Required { property } = error.kind() {
            // `#/.../required/2`: the entry that names the missing property.
            let index = self
                .document
                .pointer(&spec_location[1..])
                .and_then(Value::as_array)
                .and_then(|names| names.iter().position(|name| name == property));
            if let Some(index) = index {
                spec_location = format!("{spec_location}/{index}");
            }
        }
        Violation {
            part: self.part,
            pointer: format!("{}{}", self.instance_prefix, instance_pointer),
            rule,
            expected,
            found,
            spec_location: Some(spec_location),
        }
    }

    /// `x-rule` on the schema that holds a failing `not` (readOnly/writeOnly markers).
    fn rule_hint(&self, schema_path: &str) -> Option<String> {
        let parent = schema_path.strip_suffix("/not")?;
        self.root
            .pointer(parent)
            .and_then(|node| node.get("x-rule"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// Maps a location in the converted schema back to the spec.
    fn spec_location(&self, schema_path: &str) -> String {
        let mapped = match schema_path.strip_prefix("/$defs/") {
            Some(rest) => format!("/components/schemas/{rest}"),
            None => format!("{}{schema_path}", self.spec_base),
        };
        let mapped = match mapped.strip_suffix("/not") {
            Some(parent) if self.rule_hint(schema_path).is_some() => parent.to_owned(),
            _ => mapped,
        };
        format!("#{mapped}")
    }
}

/// A short, value-free description of an instance (for objects, arrays and redacted values).
fn summarize(instance: &Value, redact: bool) -> String {
    match instance {
        Value::Object(map) => format!("an object with {} properties", map.len()),
        Value::Array(items) => format!("an array of {} items", items.len()),
        scalar if redact => format!("<redacted {}>", type_name(scalar)),
        scalar => scalar.to_string(),
    }
}

fn compact(value: Option<&Value>) -> String {
    value.map_or_else(|| "?".to_owned(), Value::to_string)
}

fn describe(
    kind: &ValidationErrorKind,
    keyword_value: Option<&Value>,
    instance: &Value,
    redact: bool,
    rule_hint: Option<String>,
) -> (String, String, String) {
    use ValidationErrorKind as K;
    let found = summarize(instance, redact);
    let length = || match instance {
        Value::String(text) => format!("{} characters", text.chars().count()),
        other => summarize(other, redact),
    };
    let (rule, expected, found) = match kind {
        K::Type { .. } => (
            "type",
            format!("type {}", compact(keyword_value)),
            if redact || instance.is_object() || instance.is_array() {
                type_name(instance).to_owned()
            } else {
                format!("{} {}", type_name(instance), instance)
            },
        ),
        K::Pattern { pattern } => ("pattern", format!("a string matching {pattern:?}"), found),
        K::Format { format } => ("format", format!("a valid {format}"), found),
        K::Enum { options } => ("enum", format!("one of {options}"), found),
        K::MinLength { limit } => (
            "minLength",
            format!("at least {limit} characters"),
            length(),
        ),
        K::MaxLength { limit } => ("maxLength", format!("at most {limit} characters"), length()),
        K::Minimum { limit } => ("minimum", format!(">= {limit}"), found),
        K::Maximum { limit } => ("maximum", format!("<= {limit}"), found),
        K::ExclusiveMinimum { limit } => ("exclusiveMinimum", format!("> {limit}"), found),
        K::ExclusiveMaximum { limit } => ("exclusiveMaximum", format!("< {limit}"), found),
        K::MultipleOf { .. } => (
            "multipleOf",
            format!("a multiple of {}", compact(keyword_value)),
            found,
        ),
        K::Required { property } => (
            "required",
            format!("property {property}"),
            "it missing".to_owned(),
        ),
        K::AdditionalProperties { unexpected } => (
            "additionalProperties",
            "no properties beyond those documented".to_owned(),
            format!("unexpected {}", unexpected.join(", ")),
        ),
        K::MinItems { limit } => ("minItems", format!("at least {limit} items"), found),
        K::MaxItems { limit } => ("maxItems", format!("at most {limit} items"), found),
        K::UniqueItems => (
            "uniqueItems",
            "unique items".to_owned(),
            "duplicates".to_owned(),
        ),
        K::MinProperties { limit } => (
            "minProperties",
            format!("at least {limit} properties"),
            found,
        ),
        K::MaxProperties { limit } => (
            "maxProperties",
            format!("at most {limit} properties"),
            found,
        ),
        K::OneOfNotValid { .. } => (
            "oneOf",
            "exactly one alternative to match".to_owned(),
            "none matched".to_owned(),
        ),
        K::OneOfMultipleValid { .. } => (
            "oneOf",
            "exactly one alternative to match".to_owned(),
            "several matched".to_owned(),
        ),
        K::AnyOf { .. } => (
            "anyOf",
            "at least one alternative to match".to_owned(),
            "none matched".to_owned(),
        ),
        K::Not { .. } => match rule_hint {
            Some(hint) => {
                let expected = format!("no value (the property is {hint})");
                return (hint, expected, found);
            }
            None => ("not", "not to match the `not` schema".to_owned(), found),
        },
        K::FalseSchema => ("false", "nothing (the schema is `false`)".to_owned(), found),
        other => (other.keyword(), compact(keyword_value), found),
    };
    (rule.to_owned(), expected, found)
}

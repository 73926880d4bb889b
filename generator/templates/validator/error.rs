// @generated-header
//! Validation errors: where (instance path, schema path), which rule (kind), and a message
//! that never contains the value that was checked, so secrets cannot leak through errors.
// Not every crate needs every path step (a spec without arrays never indexes).
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

use crate::engine::Node;

/// One rule a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// JSON pointer to the value that breaks the rule (`""` is the whole document).
    pub instance_path: String,
    /// JSON pointer to the rule in the message's JSON Schema (`/$defs/Card/properties/id/pattern`).
    /// Static text from the tables for the rules they list, so an error does not build it.
    pub schema_path: Cow<'static, str>,
    pub kind: ErrorKind,
}

/// Which rule, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Type { expected: &'static str },
    Enum { expected: &'static str },
    MinLength { limit: u64 },
    MaxLength { limit: u64 },
    Pattern { pattern: &'static str },
    Format { format: &'static str },
    Minimum { limit: &'static str },
    Maximum { limit: &'static str },
    ExclusiveMinimum { limit: &'static str },
    ExclusiveMaximum { limit: &'static str },
    MultipleOf { limit: &'static str },
    Required { property: &'static str },
    AdditionalProperties { unexpected: Vec<String> },
    MinProperties { limit: u64 },
    MaxProperties { limit: u64 },
    MinItems { limit: u64 },
    MaxItems { limit: u64 },
    UniqueItems,
    AnyOf,
    OneOfNoneValid,
    OneOfMultipleValid,
    Not,
    FalseSchema,
}

impl ErrorKind {
    /// The JSON Schema keyword that failed.
    pub fn keyword(&self) -> &'static str {
        match self {
            ErrorKind::Type { .. } => "type",
            ErrorKind::Enum { .. } => "enum",
            ErrorKind::MinLength { .. } => "minLength",
            ErrorKind::MaxLength { .. } => "maxLength",
            ErrorKind::Pattern { .. } => "pattern",
            ErrorKind::Format { .. } => "format",
            ErrorKind::Minimum { .. } => "minimum",
            ErrorKind::Maximum { .. } => "maximum",
            ErrorKind::ExclusiveMinimum { .. } => "exclusiveMinimum",
            ErrorKind::ExclusiveMaximum { .. } => "exclusiveMaximum",
            ErrorKind::MultipleOf { .. } => "multipleOf",
            ErrorKind::Required { .. } => "required",
            ErrorKind::AdditionalProperties { .. } => "additionalProperties",
            ErrorKind::MinProperties { .. } => "minProperties",
            ErrorKind::MaxProperties { .. } => "maxProperties",
            ErrorKind::MinItems { .. } => "minItems",
            ErrorKind::MaxItems { .. } => "maxItems",
            ErrorKind::UniqueItems => "uniqueItems",
            ErrorKind::AnyOf => "anyOf",
            ErrorKind::OneOfNoneValid | ErrorKind::OneOfMultipleValid => "oneOf",
            ErrorKind::Not => "not",
            ErrorKind::FalseSchema => "falseSchema",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Type { expected } => write!(f, "expected type {expected}"),
            ErrorKind::Enum { expected } => write!(f, "expected one of {expected}"),
            ErrorKind::MinLength { limit } => write!(f, "expected at least {limit} characters"),
            ErrorKind::MaxLength { limit } => write!(f, "expected at most {limit} characters"),
            ErrorKind::Pattern { pattern } => write!(f, "expected a string matching {pattern:?}"),
            ErrorKind::Format { format } => write!(f, "expected a valid {format}"),
            ErrorKind::Minimum { limit } => write!(f, "expected a number >= {limit}"),
            ErrorKind::Maximum { limit } => write!(f, "expected a number <= {limit}"),
            ErrorKind::ExclusiveMinimum { limit } => write!(f, "expected a number > {limit}"),
            ErrorKind::ExclusiveMaximum { limit } => write!(f, "expected a number < {limit}"),
            ErrorKind::MultipleOf { limit } => write!(f, "expected a multiple of {limit}"),
            ErrorKind::Required { property } => write!(f, "missing required property {property:?}"),
            ErrorKind::AdditionalProperties { unexpected } => {
                write!(f, "unexpected properties: {}", unexpected.join(", "))
            }
            ErrorKind::MinProperties { limit } => write!(f, "expected at least {limit} properties"),
            ErrorKind::MaxProperties { limit } => write!(f, "expected at most {limit} properties"),
            ErrorKind::MinItems { limit } => write!(f, "expected at least {limit} items"),
            ErrorKind::MaxItems { limit } => write!(f, "expected at most {limit} items"),
            ErrorKind::UniqueItems => f.write_str("expected unique items"),
            ErrorKind::AnyOf => f.write_str("expected at least one alternative of anyOf to match"),
            ErrorKind::OneOfNoneValid => f.write_str("expected one alternative of oneOf to match; none did"),
            ErrorKind::OneOfMultipleValid => {
                f.write_str("expected one alternative of oneOf to match; several did")
            }
            ErrorKind::Not => f.write_str("expected the value not to match the `not` schema"),
            ErrorKind::FalseSchema => f.write_str("no value is allowed here"),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_path.is_empty() { "(root)" } else { &self.instance_path };
        write!(f, "{at}: {} ({})", self.kind, self.kind.keyword())
    }
}

impl std::error::Error for ValidationError {}

/// Why a message could not be validated, or the rules it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    /// No operation has this `operationId`.
    UnknownOperation(String),
    /// No component schema has this name.
    UnknownSchema(String),
    /// The operation documents no request body.
    NoRequestBody { operation: String },
    /// The status matches no documented response (no exact code, range or `default`).
    UndocumentedStatus { operation: String, status: u16 },
    /// The message breaks these rules (all of them are listed).
    Invalid(Vec<ValidationError>),
    /// The bytes are not JSON (the `*_bytes` functions): where serde_json stopped reading
    /// (1-based line and column) and why. Never contains the text that was read.
    Malformed { line: usize, column: usize, reason: String },
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::UnknownOperation(id) => write!(f, "unknown operation {id:?}"),
            MessageError::UnknownSchema(name) => write!(f, "unknown schema {name:?}"),
            MessageError::NoRequestBody { operation } => {
                write!(f, "operation {operation:?} documents no request body")
            }
            MessageError::UndocumentedStatus { operation, status } => {
                write!(f, "operation {operation:?} documents no response for status {status}")
            }
            MessageError::Invalid(errors) => {
                write!(f, "{} violation(s)", errors.len())?;
                for error in errors {
                    write!(f, "\n  {error}")?;
                }
                Ok(())
            }
            MessageError::Malformed { line, column, reason } => {
                write!(f, "malformed JSON at line {line}, column {column}: {reason}")
            }
        }
    }
}

impl std::error::Error for MessageError {}

/// One step of an instance path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

/// How many steps of a [`Path`] are kept on the stack (deeper ones go to the heap).
const NEAR: usize = 8;

/// The instance path while validating; rendered to a JSON pointer only when an error is made.
/// The first [`NEAR`] steps live on the stack: most documents are shallower, and a heap
/// allocation per validation would cost as much as checking a small document.
#[derive(Debug)]
pub(crate) struct Path<'v> {
    near: [Segment<'v>; NEAR],
    depth: usize,
    far: Vec<Segment<'v>>,
}

impl Default for Path<'_> {
    fn default() -> Self {
        Path { near: [Segment::Index(0); NEAR], depth: 0, far: Vec::new() }
    }
}

impl<'v> Path<'v> {
    #[inline]
    fn push(&mut self, segment: Segment<'v>) {
        if self.depth < NEAR {
            self.near[self.depth] = segment;
        } else {
            self.far.push(segment);
        }
        self.depth += 1;
    }

    pub(crate) fn push_key(&mut self, key: &'v str) {
        self.push(Segment::Key(key));
    }

    pub(crate) fn push_index(&mut self, index: usize) {
        self.push(Segment::Index(index));
    }

    pub(crate) fn pop(&mut self) {
        if self.depth > NEAR {
            self.far.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn segments(&self) -> impl Iterator<Item = &Segment<'v>> {
        self.near[..self.depth.min(NEAR)].iter().chain(&self.far)
    }

    /// The current location as a JSON pointer.
    pub(crate) fn pointer(&self) -> String {
        if self.depth == 0 {
            return String::new();
        }
        let mut pointer = String::with_capacity(
            self.segments()
                .map(|segment| match segment {
                    Segment::Key(key) => key.len() + 1,
                    Segment::Index(_) => 4,
                })
                .sum(),
        );
        for segment in self.segments() {
            pointer.push('/');
            match segment {
                Segment::Key(key) => push_escaped(&mut pointer, key),
                Segment::Index(index) => pointer.push_str(&index.to_string()),
            }
        }
        pointer
    }

    /// An error at the current location for `keyword` of `node`.
    #[cold]
    pub(crate) fn error(&self, node: &'static Node, keyword: &str, kind: ErrorKind) -> ValidationError {
        ValidationError {
            instance_path: self.pointer(),
            schema_path: node.schema_path(keyword),
            kind,
        }
    }
}

/// Appends a key to a JSON pointer, escaped (`~` as `~0`, `/` as `~1`).
pub(crate) fn push_escaped(pointer: &mut String, key: &str) {
    // Bytes, not `char`s: both are ASCII, and a byte test is cheaper than decoding.
    if !key.bytes().any(|byte| byte == b'~' || byte == b'/') {
        pointer.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

//! The intermediate representation between a parsed spec and the emitted crates. Templates see
//! only these types. Everything is ordered deterministically: types and validation units by name,
//! nodes by creation order (which follows the document), operations in spec order.

use serde_json::Value;

/// One API: everything a generated crate is made from.
#[derive(Debug, Clone)]
pub struct Api {
    /// The spec's file stem (`upmoney`); crates are `<name>-validator`, `<name>-client`.
    pub name: String,
    /// How the spec is named in headers (`specs/upmoney.yaml`).
    pub spec_label: String,
    pub title: String,
    pub version: String,
    /// The crates' package version: `info.version` as `MAJOR.MINOR.PATCH`, so a spec's version
    /// bump (which `contract check --base` enforces) is the crates' semver bump.
    pub crate_version: String,
    pub description: Option<String>,
    /// Model types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Validation functions, in creation order; `NodeId` indexes this.
    pub nodes: Vec<Node>,
    /// Named entry points for `validate(schema_name, ..)`, sorted by name.
    pub schemas: Vec<NamedSchema>,
    /// Regexes, compiled once each in the generated crate; `Pattern::index` indexes this.
    pub patterns: Vec<Pattern>,
    /// Constant lists for non-string `enum`s.
    pub constants: Vec<Constant>,
    pub operations: Vec<Operation>,
    /// Constructs that could not be expressed, with where and why.
    pub diagnostics: Vec<Diagnostic>,
}

/// Something the generator could not express, or a defect of the spec read another way; the
/// rest of the crate is still generated. One type for every stage (spec, contract, lowering).
pub use crate::error::Diagnostic;

pub type NodeId = usize;

/// A component schema that `validate(name, ..)` accepts.
#[derive(Debug, Clone)]
pub struct NamedSchema {
    pub name: String,
    pub node: NodeId,
    /// The model type for it, if one was generated.
    pub type_name: Option<String>,
}

/// One schema node's rules; emitted as one `Node` table (data read by the generated crate's
/// engine), named after where it stands in the spec.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub id: NodeId,
    /// Which tree of schema nodes this one belongs to: `""` for the component schemas (shared
    /// by both directions, or the response one), `"request"` for a component's request twin,
    /// or, for a message body's tree, the message's type name and the spec pointer of its
    /// schema (`ActivatePhysicalCardRequest#/paths/~1cards/post/requestBody/content/...`).
    /// With `schema_path`, it says where the node stands in the spec: generated names derive
    /// from the pair, never from `id`.
    pub tree: String,
    /// Canonical location in the converted JSON Schema (`/$defs/Card/properties/id`), the
    /// prefix of every schema path this node reports.
    pub schema_path: String,
    /// The converted JSON Schema of this node, as the oracle reads it.
    pub schema: Value,
    /// `$ref`: delegate to another node (siblings are dropped by the converter).
    pub reference: Option<NodeId>,
    /// The schema is `false` (`not: {}` markers are `forbidden`).
    pub forbidden: Option<String>,
    pub types: Option<TypeCheck>,
    pub enumeration: Option<EnumCheck>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<usize>,
    pub format: Option<Format>,
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
    pub exclusive_minimum: Option<Value>,
    pub exclusive_maximum: Option<Value>,
    pub multiple_of: Option<Value>,
    pub required: Vec<String>,
    pub properties: Vec<PropertyCheck>,
    pub additional: Additional,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub items: Option<NodeId>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub all_of: Vec<NodeId>,
    pub any_of: Vec<NodeId>,
    pub one_of: Vec<NodeId>,
    pub not: Option<NodeId>,
}

/// JSON types a value may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TypeSet {
    pub null: bool,
    pub boolean: bool,
    pub object: bool,
    pub array: bool,
    pub number: bool,
    /// `integer` without `number` (with `number`, integers are numbers anyway).
    pub integer: bool,
    pub string: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeCheck {
    pub set: TypeSet,
    /// The `type` keyword's value as written in the converted schema (for messages).
    pub expected: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumCheck {
    /// The string options (a fast `match`).
    pub strings: Vec<String>,
    /// Whether `null` is an option.
    pub null: bool,
    /// Options that are neither strings nor null: an index into `Api::constants`.
    pub others: Option<usize>,
    /// The options as JSON, for messages.
    pub expected: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyCheck {
    pub name: String,
    pub node: NodeId,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Additional {
    #[default]
    Allowed,
    Forbidden,
    Schema(NodeId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Uuid,
    Date,
    DateTime,
    Email,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        Some(match text {
            "uuid" => Format::Uuid,
            "date" => Format::Date,
            "date-time" => Format::DateTime,
            "email" => Format::Email,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Email => "email",
        }
    }

    /// The runtime function that checks it.
    pub fn checker(self) -> &'static str {
        match self {
            Format::Uuid => "is_uuid",
            Format::Date => "is_date",
            Format::DateTime => "is_date_time",
            Format::Email => "is_email",
        }
    }
}

/// A `pattern`: as written (ECMA 262) and translated to Rust regex syntax at generation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub index: usize,
    pub source: String,
    pub translated: String,
}

/// A JSON array literal parsed once in the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Constant {
    pub index: usize,
    pub json: String,
}

/// A model type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    /// Where it comes from in the spec.
    pub source: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct {
        /// The struct's validation node (for rules its shape cannot carry).
        node: Option<NodeId>,
        fields: Vec<Field>,
        /// Unknown properties are kept (in a flattened map) so a round trip loses nothing.
        keeps_unknown: bool,
    },
    /// A string enum.
    Enum { variants: Vec<Variant> },
    /// A string checked on construction against `node`.
    Newtype { node: NodeId, sensitive: bool },
    /// Another name for a type (`type X = Vec<Y>`).
    Alias { target: TypeRef },
    /// `oneOf`/`anyOf` of different shapes: an untagged enum.
    Union { variants: Vec<UnionVariant> },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub json_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub sensitive: bool,
    pub doc: Vec<String>,
    /// The field's validation node (for constraints the Rust type does not carry).
    pub node: Option<NodeId>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub rust_name: String,
    pub json_value: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
}

/// A reference to a Rust type in generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    Integer,
    Number,
    Boolean,
    /// Anything (`serde_json::Value`).
    Any,
    Named(String),
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// The Rust spelling.
    pub fn rust(&self) -> String {
        match self {
            TypeRef::String => "String".to_owned(),
            TypeRef::Integer => "i64".to_owned(),
            TypeRef::Number => "f64".to_owned(),
            TypeRef::Boolean => "bool".to_owned(),
            TypeRef::Any => "serde_json::Value".to_owned(),
            TypeRef::Named(name) => name.clone(),
            TypeRef::List(item) => format!("Vec<{}>", item.rust()),
            TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", value.rust()),
        }
    }
}

/// An operation and its messages.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `<method>_<path>` when the spec has none.
    pub id: String,
    pub fn_name: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub deprecated: bool,
    pub idempotent: bool,
    pub request: Option<Message>,
    pub responses: Vec<ResponseMessage>,
}

/// A message body: its validation entry node and its model type.
#[derive(Debug, Clone)]
pub struct Message {
    pub node: NodeId,
    pub ty: Option<TypeRef>,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct ResponseMessage {
    /// `200`, `4XX` or `default`.
    pub key: String,
    pub status: StatusMatch,
    pub description: String,
    pub body: Option<Message>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Exact(u16),
    /// The first digit of an `NXX` range.
    Range(u16),
    Default,
}

impl StatusMatch {
    /// The generated crate's `Status` value for it.
    pub fn literal(&self) -> String {
        match self {
            StatusMatch::Exact(code) => format!("Status::Exact({code})"),
            StatusMatch::Range(digit) => format!("Status::Range({digit})"),
            StatusMatch::Default => "Status::Default".to_owned(),
        }
    }
}

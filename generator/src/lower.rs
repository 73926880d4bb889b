//! Lowering a spec to the IR: converted JSON Schemas become validation nodes, and the same
//! schemas (response direction, where `readOnly` fields exist) become model types.
//!
//! Validation nodes are built from the *converted* schemas (JSON Schema 2020-12), the very
//! documents the `jsonschema` oracle validates, so the generated checks and the oracle read the
//! same rules. A component whose conversion differs between requests and responses (because of
//! `readOnly`/`writeOnly`) gets one node tree per direction; otherwise one tree serves both.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::contract::Contract;
use crate::convert::{Converter, Direction};
use crate::error::SpecError;
use crate::ir::{
    Additional, Api, Constant, Diagnostic, EnumCheck, Field, Format, Message, NamedSchema, Node,
    NodeId, Operation, Pattern, PropertyCheck, ResponseMessage, StatusMatch, TypeCheck, TypeDef,
    TypeKind, TypeRef, TypeSet, UnionVariant, Variant,
};
use crate::naming::{self, Names};
use crate::pointer;
use crate::spec::Spec;

/// Lowers a loaded spec. `spec_label` is how generated headers name the spec.
pub fn lower(spec: Spec, spec_label: &str) -> Result<Api, SpecError> {
    let name = spec.name();
    let info = &spec.openapi.info;
    let (title, version, description) = (
        info.title.clone(),
        info.version.clone(),
        info.description.clone(),
    );
    let contract = Contract::new(spec)?;
    let converter =
        Converter::new(&contract.spec().document).map_err(|error| SpecError::Invalid {
            path: contract.spec().path.clone(),
            pointer: error.pointer,
            message: error.message,
        })?;
    let mut lowering = Lowering::new(&converter);
    lowering.components();
    let operations = lowering.operations(&contract);
    let Lowering {
        nodes,
        patterns,
        constants,
        mut types,
        mut diagnostics,
        schemas,
        ..
    } = lowering;
    types.sort_by(|a, b| a.name.cmp(&b.name));
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        name,
        spec_label: spec_label.to_owned(),
        title,
        version,
        description,
        types,
        nodes,
        schemas,
        patterns,
        constants,
        operations,
        diagnostics,
    })
}

struct Lowering<'a> {
    converter: &'a Converter,
    nodes: Vec<Node>,
    /// (component, direction) → its root node.
    defs: HashMap<(String, Direction), NodeId>,
    /// (scope, schema path, direction) → node, so models can point newtypes at their checks.
    /// Message roots all start at path `""`, so each message tree is its own scope.
    by_path: HashMap<(usize, String, Direction), NodeId>,
    scope: usize,
    patterns: Vec<Pattern>,
    pattern_index: HashMap<String, usize>,
    constants: Vec<Constant>,
    types: Vec<TypeDef>,
    type_names: Names,
    /// Component name → its model type.
    component_types: BTreeMap<String, TypeRef>,
    schemas: Vec<NamedSchema>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowering<'a> {
    fn new(converter: &'a Converter) -> Lowering<'a> {
        Lowering {
            converter,
            nodes: Vec::new(),
            defs: HashMap::new(),
            by_path: HashMap::new(),
            scope: 0,
            patterns: Vec::new(),
            pattern_index: HashMap::new(),
            constants: Vec::new(),
            types: Vec::new(),
            type_names: Names::default(),
            component_types: BTreeMap::new(),
            schemas: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Allocates every component's root node first (references may point forward), then
    /// builds them, then their model types.
    fn components(&mut self) {
        let converter = self.converter;
        let request = converter.defs(Direction::Request);
        let response = converter.defs(Direction::Response);
        let mut pending = Vec::new();
        for (name, schema) in response {
            let id = self.allocate(format!("/$defs/{}", pointer::escape(name)));
            self.defs.insert((name.clone(), Direction::Response), id);
            pending.push((id, schema, Direction::Response));
            match request.get(name) {
                Some(same) if same == schema => {
                    self.defs.insert((name.clone(), Direction::Request), id);
                }
                Some(other) => {
                    let id = self.allocate(format!("/$defs/{}", pointer::escape(name)));
                    self.defs.insert((name.clone(), Direction::Request), id);
                    pending.push((id, other, Direction::Request));
                }
                None => {}
            }
        }
        for (id, schema, direction) in pending {
            self.fill(id, schema, direction);
        }
        // Type names for components are claimed before any inline name, in name order.
        for name in response.keys() {
            let type_name = self.type_names.claim(&naming::type_name(name));
            self.component_types
                .insert(name.clone(), TypeRef::Named(type_name));
        }
        for (name, schema) in response {
            let TypeRef::Named(type_name) = self.component_types[name].clone() else {
                continue;
            };
            let source = format!("#/components/schemas/{}", pointer::escape(name));
            let path = format!("/$defs/{}", pointer::escape(name));
            let made = self.model(schema, &type_name, &source, &path);
            self.schemas.push(NamedSchema {
                name: name.clone(),
                node: self.defs[&(name.clone(), Direction::Response)],
                type_name: made.map(|_| type_name),
            });
        }
    }

    fn operations(&mut self, contract: &Contract) -> Vec<Operation> {
        let document = &contract.spec().document;
        let mut operations = Vec::new();
        let mut fn_names = Names::default();
        for operation in contract.operations() {
            let raw = document.pointer(&operation.pointer).unwrap_or(&Value::Null);
            let id = operation.operation_id.clone().unwrap_or_else(|| {
                format!(
                    "{}_{}",
                    operation.method.to_ascii_lowercase(),
                    operation.template
                )
            });
            let base = naming::type_name(&id);
            let request = operation.request_body.as_ref().and_then(|body| {
                let schema = body.schema.as_ref()?;
                let mut message = self.message(
                    document,
                    schema,
                    Direction::Request,
                    &format!("{base}Request"),
                )?;
                message.required = body.required;
                Some(message)
            });
            let mut responses = Vec::new();
            for response in &operation.responses {
                let status = match response.key.as_str() {
                    "default" => StatusMatch::Default,
                    key if key.ends_with(['X', 'x']) => {
                        StatusMatch::Range(key[..1].parse().unwrap_or_default())
                    }
                    key => StatusMatch::Exact(key.parse().unwrap_or_default()),
                };
                let suffix = naming::type_name(&response.key.to_ascii_lowercase());
                let suffix = suffix.trim_start_matches('N');
                let body = response.schema.as_ref().and_then(|schema| {
                    self.message(
                        document,
                        schema,
                        Direction::Response,
                        &format!("{base}Response{suffix}"),
                    )
                });
                let response_pointer = pointer::join(
                    &pointer::join(&operation.pointer, "responses"),
                    &response.key,
                );
                let description = document
                    .pointer(&response_pointer)
                    .and_then(|r| r.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                responses.push(ResponseMessage {
                    key: response.key.clone(),
                    status,
                    description,
                    body,
                });
            }
            operations.push(Operation {
                fn_name: fn_names.claim(&naming::field_name(&id)),
                id,
                method: operation.method.clone(),
                path: operation.template.clone(),
                summary: raw
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                deprecated: raw.get("deprecated") == Some(&Value::Bool(true)),
                idempotent: raw.get("x-idempotent") == Some(&Value::Bool(true)),
                request,
                responses,
            });
        }
        operations
    }

    /// A message body at `schema_pointer` in the spec: its node tree and model type.
    fn message(
        &mut self,
        document: &Value,
        schema_pointer: &str,
        direction: Direction,
        type_name: &str,
    ) -> Option<Message> {
        let schema = document.pointer(schema_pointer)?;
        let converted = match self.converter.node(schema, schema_pointer, direction) {
            Ok(converted) => converted,
            Err(error) => {
                self.diagnostics.push(Diagnostic {
                    pointer: error.pointer,
                    message: error.message,
                });
                return None;
            }
        };
        let node = self.allocate(String::new());
        self.scope = node + 1;
        self.fill(node, &converted, direction);
        let ty = self.type_of(
            &converted,
            type_name,
            &format!("#{schema_pointer}"),
            "",
            direction,
        );
        self.scope = 0;
        Some(Message {
            node,
            ty: Some(ty),
            required: false,
        })
    }

    fn allocate(&mut self, schema_path: String) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            id,
            schema_path,
            ..Node::default()
        });
        id
    }

    fn child(&mut self, schema: &Value, schema_path: String, direction: Direction) -> NodeId {
        let id = self.allocate(schema_path);
        self.fill(id, schema, direction);
        id
    }

    /// Fills node `id` from a converted schema.
    fn fill(&mut self, id: NodeId, schema: &Value, direction: Direction) {
        let path = self.nodes[id].schema_path.clone();
        self.by_path
            .insert((self.scope, path.clone(), direction), id);
        let object = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                self.nodes[id].forbidden = Some("false".to_owned());
                return;
            }
            Value::Object(object) => object,
            _ => return,
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/$defs/")
                .map(pointer::unescape_fragment);
            let target = name.and_then(|name| self.defs.get(&(name, direction)).copied());
            match target {
                Some(target) => self.nodes[id].reference = Some(target),
                None => self.diagnostics.push(Diagnostic {
                    pointer: path.clone(),
                    message: format!("reference `{reference}` cannot be followed"),
                }),
            }
            return;
        }
        let mut node = std::mem::take(&mut self.nodes[id]);
        node.id = id;
        node.schema_path = path.clone();
        if let Some(types) = object.get("type") {
            node.types = Some(type_check(types));
        }
        if let Some(Value::Array(options)) = object.get("enum") {
            node.enumeration = Some(self.enum_check(options));
        }
        let unsigned = |key: &str| object.get(key).and_then(Value::as_u64);
        node.min_length = unsigned("minLength");
        node.max_length = unsigned("maxLength");
        node.min_properties = unsigned("minProperties");
        node.max_properties = unsigned("maxProperties");
        node.min_items = unsigned("minItems");
        node.max_items = unsigned("maxItems");
        node.unique_items = object.get("uniqueItems") == Some(&Value::Bool(true));
        if let Some(source) = object.get("pattern").and_then(Value::as_str) {
            node.pattern = self.pattern(source, &path);
        }
        node.format = object
            .get("format")
            .and_then(Value::as_str)
            .and_then(Format::parse);
        let number = |key: &str| object.get(key).filter(|v| v.is_number()).cloned();
        node.minimum = number("minimum");
        node.maximum = number("maximum");
        node.exclusive_minimum = number("exclusiveMinimum");
        node.exclusive_maximum = number("exclusiveMaximum");
        node.multiple_of = number("multipleOf");
        if let Some(Value::Array(names)) = object.get("required") {
            node.required = names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        self.nodes[id] = node;
        // Children are built after the node is stored back (they push new nodes).
        let mut properties = Vec::new();
        if let Some(Value::Object(map)) = object.get("properties") {
            for (name, schema) in map {
                let child = self.child(
                    schema,
                    format!("{path}/properties/{}", pointer::escape(name)),
                    direction,
                );
                properties.push(PropertyCheck {
                    name: name.clone(),
                    node: child,
                });
            }
        }
        let additional = match object.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(schema @ Value::Object(_)) => Additional::Schema(self.child(
                schema,
                format!("{path}/additionalProperties"),
                direction,
            )),
            _ => Additional::Allowed,
        };
        let items = object
            .get("items")
            .map(|schema| self.child(schema, format!("{path}/items"), direction));
        let not = object
            .get("not")
            .map(|schema| self.child(schema, format!("{path}/not"), direction));
        let mut branches = |keyword: &str| -> Vec<NodeId> {
            match object.get(keyword) {
                Some(Value::Array(list)) => list
                    .iter()
                    .enumerate()
                    .map(|(index, schema)| {
                        self.child(schema, format!("{path}/{keyword}/{index}"), direction)
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        let all_of = branches("allOf");
        let any_of = branches("anyOf");
        let one_of = branches("oneOf");
        let node = &mut self.nodes[id];
        node.properties = properties;
        node.additional = additional;
        node.items = items;
        node.not = not;
        node.all_of = all_of;
        node.any_of = any_of;
        node.one_of = one_of;
    }

    fn enum_check(&mut self, options: &[Value]) -> EnumCheck {
        let strings = options
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let others: Vec<&Value> = options
            .iter()
            .filter(|o| !o.is_string() && !o.is_null())
            .collect();
        let others = (!others.is_empty()).then(|| {
            let index = self.constants.len();
            self.constants.push(Constant {
                index,
                json: Value::Array(others.into_iter().cloned().collect()).to_string(),
            });
            index
        });
        EnumCheck {
            strings,
            null: options.contains(&Value::Null),
            others,
            expected: Value::Array(options.to_vec()).to_string(),
        }
    }

    fn pattern(&mut self, source: &str, path: &str) -> Option<usize> {
        if let Some(&index) = self.pattern_index.get(source) {
            return Some(index);
        }
        let translated = match jsonschema_regex::to_rust_regex(source) {
            Ok(translated) => translated.into_owned(),
            Err(()) => {
                self.diagnostics.push(Diagnostic {
                    pointer: format!("{path}/pattern"),
                    message: format!(
                        "pattern {source:?} is not a valid ECMA 262 regular expression"
                    ),
                });
                return None;
            }
        };
        let index = self.patterns.len();
        self.patterns.push(Pattern {
            index,
            source: source.to_owned(),
            translated,
        });
        self.pattern_index.insert(source.to_owned(), index);
        Some(index)
    }

    /// Makes the model type for a component root. Returns `None` when it is only an alias
    /// target that could not be made.
    fn model(&mut self, schema: &Value, type_name: &str, source: &str, path: &str) -> Option<()> {
        let ty = self.type_of_claimed(schema, type_name, source, path, Direction::Response, true);
        if ty != TypeRef::Named(type_name.to_owned()) {
            self.types.push(TypeDef {
                name: type_name.to_owned(),
                doc: doc_lines(schema),
                source: source.to_owned(),
                kind: TypeKind::Alias { target: ty },
            });
        }
        Some(())
    }

    /// The Rust type for a converted schema; creates named types as needed. `name` is the name
    /// to use if this schema needs a type of its own (already claimed when `claimed`).
    fn type_of(
        &mut self,
        schema: &Value,
        name: &str,
        source: &str,
        path: &str,
        direction: Direction,
    ) -> TypeRef {
        self.type_of_claimed(schema, name, source, path, direction, false)
    }

    /// As [`Self::type_of`]; `claimed` says `name` is already reserved (component roots).
    fn type_of_claimed(
        &mut self,
        schema: &Value,
        name: &str,
        source: &str,
        path: &str,
        direction: Direction,
        claimed: bool,
    ) -> TypeRef {
        let Some(object) = schema.as_object() else {
            return TypeRef::Any;
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = reference
                .strip_prefix("#/$defs/")
                .map(pointer::unescape_fragment)
                .and_then(|name| self.component_types.get(&name).cloned());
            return target.unwrap_or(TypeRef::Any);
        }
        let kind = primary_type(object);
        let claim = |this: &mut Self| {
            if claimed {
                name.to_owned()
            } else {
                this.type_names.claim(name)
            }
        };
        if object.contains_key("properties")
            || kind == Some("object")
                && !object.contains_key("additionalProperties")
                && object.contains_key("required")
        {
            let type_name = claim(self);
            self.structure(object, &type_name, source, path, direction);
            return TypeRef::Named(type_name);
        }
        if let Some(Value::Array(branches)) = object.get("allOf") {
            if let [only] = branches.as_slice() {
                return self.type_of_claimed(
                    only,
                    name,
                    source,
                    &format!("{path}/allOf/0"),
                    direction,
                    claimed,
                );
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(keyword)
                && kind.is_none()
            {
                let type_name = claim(self);
                let mut variants = Vec::new();
                let mut variant_names = Names::default();
                for (index, branch) in branches.iter().enumerate() {
                    let ty = self.type_of(
                        branch,
                        &format!("{type_name}Variant{index}"),
                        source,
                        &format!("{path}/{keyword}/{index}"),
                        direction,
                    );
                    let label = match &ty {
                        TypeRef::Named(named) => named.clone(),
                        other => naming::type_name(&other.rust().replace(['<', '>', ':'], " ")),
                    };
                    variants.push(UnionVariant {
                        rust_name: variant_names.claim(&label),
                        ty,
                    });
                }
                self.types.push(TypeDef {
                    name: type_name.clone(),
                    doc: doc_lines(schema),
                    source: source.to_owned(),
                    kind: TypeKind::Union { variants },
                });
                return TypeRef::Named(type_name);
            }
        }
        if object.contains_key("allOf") {
            self.diagnostics.push(Diagnostic {
                pointer: source.to_owned(),
                message: "allOf with several branches: modelled as serde_json::Value (validation is complete)".to_owned(),
            });
            return TypeRef::Any;
        }
        match kind {
            Some("string") => {
                if let Some(Value::Array(options)) = object.get("enum")
                    && options.iter().all(|o| o.is_string() || o.is_null())
                    && options.iter().any(Value::is_string)
                {
                    let type_name = claim(self);
                    let mut names = Names::default();
                    let variants = options
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|value| Variant {
                            rust_name: names.claim(&naming::variant_name(value)),
                            json_value: value.to_owned(),
                        })
                        .collect();
                    self.types.push(TypeDef {
                        name: type_name.clone(),
                        doc: doc_lines(schema),
                        source: source.to_owned(),
                        kind: TypeKind::Enum { variants },
                    });
                    return TypeRef::Named(type_name);
                }
                let constrained = ["pattern", "minLength", "maxLength", "format", "enum"]
                    .iter()
                    .any(|key| object.contains_key(*key));
                let node = self
                    .by_path
                    .get(&(self.scope, path.to_owned(), direction))
                    .copied();
                match node {
                    Some(node) if constrained && !path.is_empty() => {
                        let type_name = claim(self);
                        self.types.push(TypeDef {
                            name: type_name.clone(),
                            doc: doc_lines(schema),
                            source: source.to_owned(),
                            kind: TypeKind::Newtype {
                                node,
                                sensitive: is_sensitive(object),
                            },
                        });
                        TypeRef::Named(type_name)
                    }
                    _ => TypeRef::String,
                }
            }
            Some("integer") => TypeRef::Integer,
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("array") => {
                let items = object.get("items").map_or(TypeRef::Any, |items| {
                    self.type_of(
                        items,
                        &format!("{name}Item"),
                        source,
                        &format!("{path}/items"),
                        direction,
                    )
                });
                TypeRef::List(Box::new(items))
            }
            Some("object") => match object.get("additionalProperties") {
                Some(schema @ Value::Object(_)) => {
                    let value = self.type_of(
                        schema,
                        &format!("{name}Value"),
                        source,
                        &format!("{path}/additionalProperties"),
                        direction,
                    );
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Any)),
            },
            _ => TypeRef::Any,
        }
    }

    fn structure(
        &mut self,
        object: &Map<String, Value>,
        type_name: &str,
        source: &str,
        path: &str,
        direction: Direction,
    ) {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut field_names = Names::default();
        field_names.claim("additional_properties");
        let mut fields = Vec::new();
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (json_name, schema) in properties {
                let child_path = format!("{path}/properties/{}", pointer::escape(json_name));
                let child_source = format!("{source}/properties/{}", pointer::escape(json_name));
                let suggested = format!("{type_name}{}", naming::type_name(json_name));
                let ty = self.type_of(schema, &suggested, &child_source, &child_path, direction);
                let nullable = schema
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|types| types.contains(&Value::from("null")));
                // Constraints a plain Rust type cannot carry are attached to the field itself.
                let plain = matches!(
                    ty,
                    TypeRef::Integer | TypeRef::Number | TypeRef::String | TypeRef::List(_)
                );
                let node = if plain {
                    self.by_path
                        .get(&(self.scope, child_path.clone(), direction))
                        .copied()
                } else {
                    None
                };
                let newtype_sensitive = matches!(&ty, TypeRef::Named(n) if self.types.iter().any(|t| &t.name == n && matches!(t.kind, TypeKind::Newtype { sensitive: true, .. })));
                fields.push(Field {
                    json_name: json_name.clone(),
                    rust_name: field_names.claim(&naming::field_name(json_name)),
                    ty,
                    required: required.contains(&json_name.as_str()),
                    nullable,
                    sensitive: schema.as_object().is_some_and(is_sensitive) && !newtype_sensitive,
                    doc: doc_lines(schema),
                    node,
                });
            }
        }
        self.types.push(TypeDef {
            name: type_name.to_owned(),
            doc: doc_lines(&Value::Object(object.clone())),
            source: source.to_owned(),
            kind: TypeKind::Struct {
                fields,
                keeps_unknown: object.get("additionalProperties") != Some(&Value::Bool(false)),
            },
        });
    }
}

fn is_sensitive(object: &Map<String, Value>) -> bool {
    object.get("x-sensitive") == Some(&Value::Bool(true))
}

/// The non-null type of a schema, if it names exactly one.
fn primary_type(object: &Map<String, Value>) -> Option<&str> {
    match object.get("type")? {
        Value::String(kind) => Some(kind),
        Value::Array(kinds) => {
            let mut named = kinds
                .iter()
                .filter_map(Value::as_str)
                .filter(|k| *k != "null");
            let first = named.next();
            if named.next().is_some() { None } else { first }
        }
        _ => None,
    }
}

fn type_check(types: &Value) -> TypeCheck {
    let mut set = TypeSet::default();
    let names: Vec<&str> = match types {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for name in names {
        match name {
            "null" => set.null = true,
            "boolean" => set.boolean = true,
            "object" => set.object = true,
            "array" => set.array = true,
            "number" => set.number = true,
            "integer" => set.integer = true,
            "string" => set.string = true,
            _ => {}
        }
    }
    if set.number {
        set.integer = false;
    }
    TypeCheck {
        set,
        expected: types.to_string(),
    }
}

/// Doc comment lines from `title` and `description`.
fn doc_lines(schema: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    for key in ["title", "description"] {
        if let Some(text) = schema.get(key).and_then(Value::as_str) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(text.trim().lines().map(|line| line.trim_end().to_owned()));
        }
    }
    lines
}

//! Lowering a spec to the IR: converted JSON Schemas become validation nodes, and the same
//! schemas (response direction, where `readOnly` fields exist) become model types.
//!
//! Validation nodes are built from the *converted* schemas (JSON Schema 2020-12), the very
//! documents the `jsonschema` oracle validates, so the generated checks and the oracle read the
//! same rules. A component whose conversion differs between requests and responses (because of
//! `readOnly`/`writeOnly`) gets one node tree per direction; otherwise one tree serves both.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::check::contract::Contract;
use crate::codegen::ir::{
    Additional, Api, Constant, Diagnostic, EnumCheck, Field, Format, Message, NamedSchema, Node,
    NodeId, Operation, Pattern, PropertyCheck, ResponseMessage, StatusMatch, TypeCheck, TypeDef,
    TypeKind, TypeRef, TypeSet, UnionVariant, Variant,
};
use crate::codegen::naming::{self, Names};
use crate::error::SpecError;
use crate::spec::Spec;
use crate::spec::convert::{Converter, Direction};
use crate::spec::pointer;

/// Lowers a loaded spec. `spec_label` is how generated headers name the spec.
pub fn lower(spec: Spec, spec_label: &str) -> Result<Api, SpecError> {
    lower_contract(&Contract::new(spec)?, spec_label)
}

/// Lowers a spec already read as a [`Contract`]: the generator builds one contract per spec and
/// shares it (and its converted schemas) between lowering and the client, rather than reading
/// the spec's schemas once per stage.
pub fn lower_contract(contract: &Contract, spec_label: &str) -> Result<Api, SpecError> {
    let spec = contract.spec();
    let name = spec.name();
    let info = &spec.openapi.info;
    let (title, version, description) = (
        info.title.clone(),
        info.version.clone(),
        info.description.clone(),
    );
    let converter = contract.converter();
    let mut lowering = Lowering::new(converter, &contract.spec().document);
    lowering.components();
    lowering.break_loops();
    let operations = lowering.operations(contract);
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
    // The spec's and the contract's defects (read leniently) come first in the one list.
    diagnostics.extend(contract.diagnostics().iter().cloned());
    let crate_version = match crate::diff::semver::Version::parse(&version) {
        Some(crate::diff::semver::Version(major, minor, patch)) => {
            format!("{major}.{minor}.{patch}")
        }
        None => {
            diagnostics.push(Diagnostic::new(
                "/info/version",
                format!(
                    "info.version `{version}` is not MAJOR.MINOR.PATCH; the crates are versioned 0.0.0"
                ),
            ));
            "0.0.0".to_owned()
        }
    };
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        name,
        spec_label: spec_label.to_owned(),
        title,
        crate_version,
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

/// What a field needs to know of a type made earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeKindTag {
    SensitiveNewtype,
    Other,
}

struct Lowering<'a> {
    converter: &'a Converter,
    /// The spec as JSON (for what conversion drops: form bodies, discriminators).
    document: &'a Value,
    /// Where the message being lowered sits in the spec (diagnostics for message-scoped paths).
    origin: String,
    /// Types made for locations inside components, by (schema path, direction), so a
    /// component's inline types are shared by every struct an `allOf` merges them into.
    by_location: HashMap<(String, Direction), TypeRef>,
    nodes: Vec<Node>,
    /// (component, direction) → its root node.
    defs: HashMap<(String, Direction), NodeId>,
    /// (scope, schema path, direction) → node, so models can point newtypes at their checks.
    /// Message roots all start at path `""`, so each message tree is its own scope.
    by_path: HashMap<(usize, String, Direction), NodeId>,
    scope: usize,
    /// The tree new nodes belong to (`ir::Node::tree`).
    tree: String,
    patterns: Vec<Pattern>,
    pattern_index: HashMap<String, usize>,
    constants: Vec<Constant>,
    types: Vec<TypeDef>,
    /// The names in `types`, and whether each is a sensitive newtype (looked up per field, so
    /// kept in a map: generation stays linear in the number of types).
    type_kinds: HashMap<String, TypeKindTag>,
    type_names: Names,
    /// Component name → its model type.
    component_types: BTreeMap<String, TypeRef>,
    schemas: Vec<NamedSchema>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowering<'a> {
    fn new(converter: &'a Converter, document: &'a Value) -> Lowering<'a> {
        let mut type_names = Names::default();
        // Names the generated models use unqualified: a schema named `Result` or `Option` gets
        // `Result2`, `Option2` instead of shadowing them.
        for reserved in RESERVED_TYPE_NAMES {
            type_names.claim(reserved);
        }
        Lowering {
            converter,
            document,
            origin: String::new(),
            by_location: HashMap::new(),
            nodes: Vec::new(),
            defs: HashMap::new(),
            by_path: HashMap::new(),
            scope: 0,
            tree: String::new(),
            patterns: Vec::new(),
            pattern_index: HashMap::new(),
            constants: Vec::new(),
            types: Vec::new(),
            type_kinds: HashMap::new(),
            type_names,
            component_types: BTreeMap::new(),
            schemas: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn push_type(&mut self, def: TypeDef) {
        let tag = match def.kind {
            TypeKind::Newtype {
                sensitive: true, ..
            } => TypeKindTag::SensitiveNewtype,
            _ => TypeKindTag::Other,
        };
        self.type_kinds.insert(def.name.clone(), tag);
        self.types.push(def);
    }

    /// Allocates every component's root node first (references may point forward), then
    /// builds them, then their model types.
    fn components(&mut self) {
        let converter = self.converter;
        let request = converter.defs(Direction::Request);
        let response = converter.defs(Direction::Response);
        let mut pending = Vec::new();
        let differ = direction_dependent(request, response);
        for (name, schema) in response {
            let id = self.allocate(format!("/$defs/{}", pointer::escape(name)));
            self.defs.insert((name.clone(), Direction::Response), id);
            pending.push((id, schema, Direction::Response));
            match request.get(name) {
                // One tree serves both directions only if everything it reaches is the same too.
                Some(same) if same == schema && !differ.contains(name) => {
                    self.defs.insert((name.clone(), Direction::Request), id);
                }
                Some(other) => {
                    self.tree = "request".to_owned();
                    let id = self.allocate(format!("/$defs/{}", pointer::escape(name)));
                    self.tree = String::new();
                    self.defs.insert((name.clone(), Direction::Request), id);
                    pending.push((id, other, Direction::Request));
                }
                None => {}
            }
        }
        for (id, schema, direction) in pending {
            self.tree = self.nodes[id].tree.clone();
            self.fill(id, schema, direction);
        }
        self.tree = String::new();
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
        self.alias_loops();
    }

    /// Aliases that name each other in a ring (`A: {$ref: B}`, `B: {allOf: [{$ref: A}]}`) say
    /// nothing about a value: they become `serde_json::Value`, reported.
    fn alias_loops(&mut self) {
        // The first alias of each name (as a linear search would find it), then each chain is
        // walked through the map: linear in the number of types for chains of bounded length.
        let mut alias_of: HashMap<&str, Option<&str>> = HashMap::new();
        for def in &self.types {
            alias_of
                .entry(def.name.as_str())
                .or_insert(match &def.kind {
                    TypeKind::Alias {
                        target: TypeRef::Named(target),
                    } => Some(target.as_str()),
                    _ => None,
                });
        }
        let mut looping = Vec::new();
        for def in &self.types {
            let mut current = def.name.as_str();
            for _ in 0..self.types.len() {
                match alias_of.get(current).copied().flatten() {
                    Some(next) if next == def.name => {
                        looping.push((def.name.clone(), def.source.clone()));
                        break;
                    }
                    Some(next) => current = next,
                    None => break,
                }
            }
        }
        let looping_names: std::collections::HashSet<String> =
            looping.iter().map(|(name, _)| name.clone()).collect();
        for def in self
            .types
            .iter_mut()
            .filter(|def| looping_names.contains(&def.name))
        {
            def.kind = TypeKind::Alias {
                target: TypeRef::Any,
            };
        }
        for (name, source) in looping {
            self.diagnostics.push(Diagnostic {
                pointer: source.trim_start_matches('#').to_owned(),
                message: format!(
                    "`{name}` only names other schemas that name it back: modelled as serde_json::Value"
                ),
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
            // A parameter's `pattern` is matched by the validator's matcher, which the client
            // calls before sending: one implementation of the spec's patterns.
            for parameter in &operation.parameters {
                let schema = parameter.schema_in(document);
                if let (Some(source), Some(at)) = (
                    schema.get("pattern").and_then(Value::as_str),
                    parameter.schema.as_deref(),
                ) {
                    self.pattern(source, at);
                }
            }
            let request_at = pointer::join(&operation.pointer, "requestBody");
            let request = operation.request_body.as_ref().and_then(|body| {
                // A form body (urlencoded or multipart) is checked as the object of its fields.
                let schema = body
                    .schema
                    .clone()
                    .or_else(|| form_schema(document, &request_at))?;
                let mut message = self.message(
                    document,
                    &schema,
                    Direction::Request,
                    &format!("{base}Request"),
                )?;
                message.required = body.required;
                Some(message)
            });
            if request.is_none() {
                self.unchecked_content(document, &request_at);
            }
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
                if response.schema.is_none() {
                    self.unchecked_content(document, &response_pointer);
                }
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

    /// Reports a request body or response (at `at`, `$ref` followed) whose content has a schema
    /// in no media type the crate checks (JSON or form); binary content needs no check.
    fn unchecked_content(&mut self, document: &Value, at: &str) {
        let Some((message, here)) = follow(document, at) else {
            return;
        };
        let Some(content) = message.get("content").and_then(Value::as_object) else {
            return;
        };
        for (media_type, entry) in content {
            let Some(schema) = entry.get("schema") else {
                continue;
            };
            let schema = resolve_schema(document, schema).unwrap_or(schema);
            let binary = schema.get("type").and_then(Value::as_str) == Some("string")
                && matches!(
                    schema.get("format").and_then(Value::as_str),
                    Some("binary" | "byte")
                );
            if !binary {
                self.diagnostics.push(Diagnostic {
                    pointer: pointer::join(
                        &pointer::join(&pointer::join(&here, "content"), media_type),
                        "schema",
                    ),
                    message: format!(
                        "`{media_type}` is neither JSON nor a form: this body is not checked"
                    ),
                });
            }
        }
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
        // The type name reads well; the pointer makes the label unique (one type name can
        // serve several media types of one message).
        self.tree = format!("{type_name}#{schema_pointer}");
        let node = self.allocate(String::new());
        self.scope = node + 1;
        self.origin = schema_pointer.to_owned();
        self.fill(node, &converted, direction);
        let ty = self.type_of(
            &converted,
            type_name,
            &format!("#{schema_pointer}"),
            "",
            direction,
        );
        self.scope = 0;
        self.tree = String::new();
        self.origin = String::new();
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
            tree: self.tree.clone(),
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
                    pointer: self.spec_pointer(&path),
                    message: format!("reference `{reference}` cannot be followed"),
                }),
            }
            return;
        }
        let mut node = std::mem::take(&mut self.nodes[id]);
        node.id = id;
        node.schema_path = path.clone();
        node.schema = schema.clone();
        if let Some(types) = object.get("type") {
            node.types = Some(type_check(types));
            if node.types.as_ref().is_some_and(|check| check.set.null)
                && self.combinators_reject_null(object, direction)
            {
                self.diagnostics.push(Diagnostic {
                    pointer: pointer::join(&self.spec_pointer(&path), "nullable"),
                    message: "`nullable: true` does not reach into allOf/oneOf/anyOf or a $ref (OpenAPI 3.0.3: it only adds null to `type`), and these branches reject null: null is invalid here, although the model field is an Option".to_owned(),
                });
            }
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
                    pointer: self.spec_pointer(&format!("{path}/pattern")),
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
        let made = self.type_kinds.contains_key(type_name);
        if ty == TypeRef::Named(type_name.to_owned()) && !made {
            // `A: {$ref: A}` (or through `allOf`): a name with no schema behind it.
            self.diagnostics.push(Diagnostic {
                pointer: source.trim_start_matches('#').to_owned(),
                message: "the schema only refers to itself: modelled as serde_json::Value"
                    .to_owned(),
            });
            self.push_type(TypeDef {
                name: type_name.to_owned(),
                doc: doc_lines(schema),
                source: source.to_owned(),
                kind: TypeKind::Alias {
                    target: TypeRef::Any,
                },
            });
        } else if ty != TypeRef::Named(type_name.to_owned()) {
            self.push_type(TypeDef {
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
    /// Inside components the type of a location is made once per direction and then reused
    /// (an `allOf` merges a component's properties into several structs).
    fn type_of_claimed(
        &mut self,
        schema: &Value,
        name: &str,
        source: &str,
        path: &str,
        direction: Direction,
        claimed: bool,
    ) -> TypeRef {
        let key = (!claimed && path.starts_with("/$defs/")).then(|| (path.to_owned(), direction));
        if let Some(key) = &key
            && let Some(known) = self.by_location.get(key)
        {
            return known.clone();
        }
        let ty = self.type_of_location(schema, name, source, path, direction, claimed);
        if let Some(key) = key {
            self.by_location.insert(key, ty.clone());
        }
        ty
    }

    /// As [`Self::type_of_claimed`], always making the type.
    fn type_of_location(
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
        if let Some(Value::Array(branches)) = object.get("allOf")
            && (branches.len() > 1 || object.contains_key("properties"))
        {
            return self.all_of(object, name, source, path, direction, claimed);
        }
        if object.contains_key("properties")
            || kind == Some("object")
                && !object.contains_key("additionalProperties")
                && object.contains_key("required")
        {
            let type_name = claim(self);
            self.structure(object, &type_name, source, path, direction);
            return TypeRef::Named(type_name);
        }
        if let Some(Value::Array(branches)) = object.get("allOf")
            && let [only] = branches.as_slice()
        {
            return self.type_of_claimed(
                only,
                name,
                source,
                &format!("{path}/allOf/0"),
                direction,
                claimed,
            );
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(keyword)
                && kind.is_none()
            {
                let type_name = claim(self);
                let at = self.spec_pointer(path);
                if let Some(discriminator) = self
                    .document
                    .pointer(&at)
                    .and_then(|raw| raw.get("discriminator"))
                {
                    let property = discriminator
                        .get("propertyName")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    self.diagnostics.push(Diagnostic {
                        pointer: pointer::join(&at, "discriminator"),
                        message: format!(
                            "discriminator `{property}` is not used: validation applies `{keyword}` as JSON Schema does (a value that fits several branches fails), and the model `{type_name}` is an untagged enum that decodes the first variant a value fits"
                        ),
                    });
                }
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
                self.push_type(TypeDef {
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
                pointer: self.spec_pointer(&format!("{path}/allOf")),
                message: "an empty allOf: modelled as serde_json::Value (validation is complete)"
                    .to_owned(),
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
                    self.push_type(TypeDef {
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
                        self.push_type(TypeDef {
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
        let part = Part {
            object: object.clone(),
            path: path.to_owned(),
            source: source.to_owned(),
            prefix: type_name.to_owned(),
            scope: self.scope,
        };
        self.struct_from_parts(&[part], object, type_name, source, path, direction);
    }

    /// A struct whose fields are the properties of `parts` (an object and, for `allOf`, the
    /// object branches it merges), the first declaration of a property winning.
    fn struct_from_parts(
        &mut self,
        parts: &[Part],
        object: &Map<String, Value>,
        type_name: &str,
        source: &str,
        path: &str,
        direction: Direction,
    ) {
        let required: Vec<&str> = parts
            .iter()
            .filter_map(|part| part.object.get("required").and_then(Value::as_array))
            .flat_map(|names| names.iter().filter_map(Value::as_str))
            .collect();
        let mut field_names = Names::default();
        field_names.claim("additional_properties");
        let mut fields = Vec::new();
        // A property declared by several parts is placed where it first appears and typed by
        // its last declaration (a branch that extends a base usually narrows it).
        let mut declared: Vec<(&String, usize)> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            if let Some(Value::Object(properties)) = part.object.get("properties") {
                for json_name in properties.keys() {
                    match declared.iter_mut().find(|(name, _)| *name == json_name) {
                        Some(entry) => entry.1 = index,
                        None => declared.push((json_name, index)),
                    }
                }
            }
        }
        let outer_scope = self.scope;
        for (json_name, index) in declared {
            let part = &parts[index];
            let Some(schema) = part.object.get("properties").and_then(|p| p.get(json_name)) else {
                continue;
            };
            self.scope = part.scope;
            let child_path = format!("{}/properties/{}", part.path, pointer::escape(json_name));
            let child_source = format!("{}/properties/{}", part.source, pointer::escape(json_name));
            let suggested = format!("{}{}", part.prefix, naming::type_name(json_name));
            // A `writeOnly` property in a response (`readOnly` in a request) is converted to
            // "must be absent"; its model is the schema the other direction allows.
            let (schema, direction) = match self.twin(schema, &child_path, direction) {
                Some(twin) => (std::borrow::Cow::Owned(twin), other(direction)),
                None => (std::borrow::Cow::Borrowed(schema), direction),
            };
            let ty = self.type_of(&schema, &suggested, &child_source, &child_path, direction);
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
            let newtype_sensitive = matches!(&ty, TypeRef::Named(n) if self.type_kinds.get(n) == Some(&TypeKindTag::SensitiveNewtype));
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: field_names.claim(&naming::field_name(json_name)),
                ty,
                required: required.contains(&json_name.as_str()),
                nullable,
                sensitive: schema.as_object().is_some_and(is_sensitive) && !newtype_sensitive,
                doc: doc_lines(&schema),
                node,
            });
        }
        self.scope = outer_scope;
        self.push_type(TypeDef {
            name: type_name.to_owned(),
            doc: object_doc_lines(object),
            source: source.to_owned(),
            kind: TypeKind::Struct {
                node: self
                    .by_path
                    .get(&(self.scope, path.to_owned(), direction))
                    .copied(),
                fields,
                keeps_unknown: parts.iter().all(|part| {
                    part.object.get("additionalProperties") != Some(&Value::Bool(false))
                }),
            },
        });
    }

    /// The schema a property has in the other direction, when in this one it is converted to
    /// "must be absent" (`readOnly` in requests, `writeOnly` in responses).
    fn twin(&self, schema: &Value, path: &str, direction: Direction) -> Option<Value> {
        let marker =
            schema.get("x-rule").is_some() && schema.get("not") == Some(&Value::Object(Map::new()));
        if !marker {
            return None;
        }
        let at = self.spec_pointer(path);
        let raw = self.document.pointer(&at)?;
        self.converter.node(raw, &at, other(direction)).ok()
    }

    /// The model of a schema with `allOf`: its object branches (followed through `$ref`s) merged
    /// into one struct; branches of one scalar type give that type. What cannot be merged is
    /// reported, and its properties are still kept (in `additional_properties`).
    fn all_of(
        &mut self,
        object: &Map<String, Value>,
        name: &str,
        source: &str,
        path: &str,
        direction: Direction,
        claimed: bool,
    ) -> TypeRef {
        let mut parts = Vec::new();
        let mut skipped = Vec::new();
        let mut kinds = Vec::new();
        let at = Part {
            object: object.clone(),
            path: path.to_owned(),
            source: source.to_owned(),
            prefix: name.to_owned(),
            scope: self.scope,
        };
        // A component's own name is being followed from the start.
        let mut seen: Vec<String> = path
            .strip_prefix("/$defs/")
            .filter(|name| !name.contains('/'))
            .map(pointer::unescape)
            .into_iter()
            .collect();
        self.collect_parts(
            at,
            direction,
            &mut seen,
            &mut parts,
            &mut skipped,
            &mut kinds,
        );
        let claim = |this: &mut Self| {
            if claimed {
                name.to_owned()
            } else {
                this.type_names.claim(name)
            }
        };
        if parts.is_empty() {
            kinds.sort_unstable();
            kinds.dedup();
            if kinds == ["integer", "number"] {
                kinds = vec!["number"];
            }
            return match kinds.as_slice() {
                [] => TypeRef::Any,
                ["string"] => {
                    let node = self
                        .by_path
                        .get(&(self.scope, path.to_owned(), direction))
                        .copied();
                    match node {
                        Some(node) if !path.is_empty() => {
                            let type_name = claim(self);
                            self.push_type(TypeDef {
                                name: type_name.clone(),
                                doc: object_doc_lines(object),
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
                ["integer"] => TypeRef::Integer,
                ["number"] => TypeRef::Number,
                ["boolean"] => TypeRef::Boolean,
                _ => {
                    self.diagnostics.push(Diagnostic {
                        pointer: self.spec_pointer(&format!("{path}/allOf")),
                        message: format!(
                            "allOf of branches of different types ({}): modelled as serde_json::Value (validation is complete)",
                            kinds.join(", ")
                        ),
                    });
                    TypeRef::Any
                }
            };
        }
        for (at, why) in skipped {
            self.diagnostics.push(Diagnostic {
                pointer: at,
                message: format!(
                    "{why}: not merged into the struct for this allOf (its properties are kept in `additional_properties`; validation is complete)"
                ),
            });
        }
        let type_name = claim(self);
        self.struct_from_parts(&parts, object, &type_name, source, path, direction);
        TypeRef::Named(type_name)
    }

    /// Flattens an `allOf` into the objects it merges. `seen` holds the components being
    /// followed (a component reached again through itself is skipped, not looped on).
    fn collect_parts(
        &self,
        at: Part,
        direction: Direction,
        seen: &mut Vec<String>,
        parts: &mut Vec<Part>,
        skipped: &mut Vec<(String, String)>,
        kinds: &mut Vec<&'static str>,
    ) {
        let object = &at.object;
        let here = self.spec_pointer(&at.path);
        for keyword in ["oneOf", "anyOf", "not"] {
            if object.contains_key(keyword) {
                skipped.push((
                    pointer::join(&here, keyword),
                    format!("`{keyword}` inside an allOf"),
                ));
            }
        }
        match primary_type(object) {
            Some("object") => {}
            Some(kind) => {
                let known = ["string", "integer", "number", "boolean", "array"]
                    .into_iter()
                    .find(|known| *known == kind);
                kinds.push(known.unwrap_or("mixed"));
                return;
            }
            None if object.contains_key("type") => {
                kinds.push("mixed");
                return;
            }
            None => {}
        }
        if ["properties", "required", "additionalProperties", "type"]
            .iter()
            .any(|key| object.contains_key(*key))
        {
            parts.push(at.clone());
            kinds.push("object");
        }
        let Some(Value::Array(branches)) = object.get("allOf") else {
            return;
        };
        for (index, branch) in branches.iter().enumerate() {
            let branch_path = format!("{}/allOf/{index}", at.path);
            let Some(branch) = branch.as_object() else {
                continue;
            };
            if let Some(reference) = branch.get("$ref").and_then(Value::as_str) {
                let Some(component) = reference
                    .strip_prefix("#/$defs/")
                    .map(pointer::unescape_fragment)
                else {
                    continue;
                };
                let Some(Value::Object(target)) = self.converter.defs(direction).get(&component)
                else {
                    continue;
                };
                if seen.contains(&component) {
                    skipped.push((
                        self.spec_pointer(&branch_path),
                        format!("`{component}` reaches itself through allOf"),
                    ));
                    continue;
                }
                let prefix = match self.component_types.get(&component) {
                    Some(TypeRef::Named(type_name)) => type_name.clone(),
                    _ => naming::type_name(&component),
                };
                seen.push(component.clone());
                let escaped = pointer::escape(&component);
                let part = Part {
                    object: target.clone(),
                    path: format!("/$defs/{escaped}"),
                    source: format!("#/components/schemas/{escaped}"),
                    prefix,
                    scope: 0,
                };
                self.collect_parts(part, direction, seen, parts, skipped, kinds);
                seen.pop();
            } else {
                let part = Part {
                    object: branch.clone(),
                    path: branch_path,
                    source: format!("{}/allOf/{index}", at.source),
                    prefix: at.prefix.clone(),
                    scope: at.scope,
                };
                self.collect_parts(part, direction, seen, parts, skipped, kinds);
            }
        }
    }

    /// Cuts the references through which a schema applies itself to the same value (`A: {$ref:
    /// A}`, `A: {allOf: [{$ref: B}]}` with `B: {anyOf: [{$ref: A}]}`): checking such a schema
    /// would never end. Every such loop passes through a `$ref` (the other edges go down the
    /// schema tree); a `$ref` on a loop is checked as `{}` (any value) and reported. Moving to a
    /// property or an item is not part of a loop: the value gets smaller each time.
    fn break_loops(&mut self) {
        let graph: Vec<Vec<NodeId>> = self
            .nodes
            .iter()
            .map(|node| {
                node.reference
                    .into_iter()
                    .chain(node.all_of.iter().copied())
                    .chain(node.any_of.iter().copied())
                    .chain(node.one_of.iter().copied())
                    .chain(node.not)
                    .collect()
            })
            .collect();
        let component = strongly_connected(&graph);
        let mut anything = None;
        for id in 0..self.nodes.len() {
            let Some(target) = self.nodes[id].reference else {
                continue;
            };
            if component[target] != component[id] {
                continue;
            }
            let empty = *anything.get_or_insert_with(|| {
                self.tree = "anything".to_owned();
                let empty = self.allocate(String::new());
                self.tree = String::new();
                empty
            });
            self.nodes[id].reference = Some(empty);
            let path = self.nodes[id].schema_path.clone();
            self.diagnostics.push(Diagnostic {
                pointer: self.spec_pointer(&path),
                message: "this `$ref` leads back to the same value without going into a property or an item, so checking it would never end: it is checked as `{}` (any value)".to_owned(),
            });
        }
    }

    /// Whether the `allOf`/`anyOf`/`oneOf` of a converted schema reject `null` (a `nullable`
    /// schema whose branches make null invalid anyway).
    fn combinators_reject_null(&self, object: &Map<String, Value>, direction: Direction) -> bool {
        let branches = |keyword: &str| {
            object
                .get(keyword)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
        };
        let rejects = |branch: &Value| self.rejects_null(branch, direction, 0);
        branches("allOf").iter().any(rejects)
            || !branches("anyOf").is_empty() && branches("anyOf").iter().all(rejects)
            || !branches("oneOf").is_empty() && branches("oneOf").iter().all(rejects)
    }

    /// Whether a converted schema certainly rejects `null` (by `type`, `enum`, or branches that
    /// do), following `$ref`s a bounded number of times.
    fn rejects_null(&self, schema: &Value, direction: Direction, depth: usize) -> bool {
        let Some(object) = schema.as_object() else {
            return schema == &Value::Bool(false);
        };
        if depth > 32 {
            return false;
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return reference
                .strip_prefix("#/$defs/")
                .map(pointer::unescape_fragment)
                .and_then(|name| self.converter.defs(direction).get(&name))
                .is_some_and(|target| self.rejects_null(target, direction, depth + 1));
        }
        let type_rejects = match object.get("type") {
            Some(Value::String(kind)) => kind != "null",
            Some(Value::Array(kinds)) => !kinds.contains(&Value::from("null")),
            _ => false,
        };
        let enum_rejects = object
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|options| !options.contains(&Value::Null));
        type_rejects || enum_rejects || self.combinators_reject_null(object, direction)
    }

    /// The spec location of a converted schema path: `/$defs/X/...` is
    /// `/components/schemas/X/...`; other paths are relative to the message being lowered.
    fn spec_pointer(&self, path: &str) -> String {
        match path.strip_prefix("/$defs/") {
            Some(rest) => format!("/components/schemas/{rest}"),
            None => format!("{}{path}", self.origin),
        }
    }
}

/// One object schema merged into a struct, with where it is (converted path, spec source,
/// the prefix its inline types are named with, and the node scope its path belongs to).
#[derive(Debug, Clone)]
struct Part {
    object: Map<String, Value>,
    path: String,
    source: String,
    prefix: String,
    scope: usize,
}

/// Type names the generated models use unqualified.
const RESERVED_TYPE_NAMES: [&str; 17] = [
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Serialize",
    "Deserialize",
    "TryFrom",
    "AsRef",
    "From",
    "Into",
    "Decoded",
    "Default",
];

fn other(direction: Direction) -> Direction {
    match direction {
        Direction::Request => Direction::Response,
        Direction::Response => Direction::Request,
    }
}

/// The strongly connected component of every node of a graph (iterative Tarjan), as an index:
/// two nodes share one exactly when each reaches the other, so an edge lies on a cycle exactly
/// when both its ends share one (an edge from a node to itself included).
fn strongly_connected(graph: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = graph.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&target) = graph[node].get(*position) {
                *position += 1;
                if index[target] == UNSEEN {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Components whose rules depend on the direction: converted differently for requests and
/// responses (`readOnly`/`writeOnly`), or referring, however indirectly, to one that is.
fn direction_dependent(
    request: &Map<String, Value>,
    response: &Map<String, Value>,
) -> std::collections::BTreeSet<String> {
    let mut differ: std::collections::BTreeSet<String> = response
        .iter()
        .filter(|(name, schema)| request.get(*name) != Some(*schema))
        .map(|(name, _)| name.clone())
        .collect();
    let references: Vec<(&String, Vec<String>)> = response
        .iter()
        .map(|(name, schema)| {
            let mut found = Vec::new();
            references_in(schema, &mut found);
            (name, found)
        })
        .collect();
    loop {
        let before = differ.len();
        for (name, targets) in &references {
            if targets.iter().any(|target| differ.contains(target)) {
                differ.insert((*name).clone());
            }
        }
        if differ.len() == before {
            return differ;
        }
    }
}

/// The components a converted schema refers to (`#/$defs/X` → `X`).
fn references_in(schema: &Value, found: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/$defs/") {
                            found.push(pointer::unescape_fragment(name));
                        }
                    }
                    _ => references_in(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references_in(item, found)),
        _ => {}
    }
}

/// The object at `at`, following a `$ref` (to `components.requestBodies` or `responses`), with
/// its own pointer.
fn follow<'v>(document: &'v Value, at: &str) -> Option<(&'v Value, String)> {
    let mut value = document.pointer(at)?;
    let mut here = at.to_owned();
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                here = reference.strip_prefix('#')?.to_owned();
                value = document.pointer(&here)?;
            }
            None => return Some((value, here)),
        }
    }
    None
}

/// A schema with its `$ref`s followed.
fn resolve_schema<'v>(document: &'v Value, schema: &'v Value) -> Option<&'v Value> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => follow(document, reference.strip_prefix('#')?).map(|(value, _)| value),
        None => Some(schema),
    }
}

/// The schema pointer of a request body's form media type (`application/x-www-form-urlencoded`,
/// then `multipart/form-data`), if it has one.
fn form_schema(document: &Value, at: &str) -> Option<String> {
    let (body, here) = follow(document, at)?;
    let content = body.get("content")?.as_object()?;
    ["application/x-www-form-urlencoded", "multipart/form-data"]
        .into_iter()
        .find_map(|form| {
            let (media_type, entry) = content.iter().find(|(name, _)| {
                name.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .eq_ignore_ascii_case(form)
            })?;
            entry.get("schema")?;
            Some(pointer::join(
                &pointer::join(&pointer::join(&here, "content"), media_type),
                "schema",
            ))
        })
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
    schema.as_object().map(object_doc_lines).unwrap_or_default()
}

/// [`doc_lines`] of a schema object (no copy of the object needed to ask).
fn object_doc_lines(schema: &Map<String, Value>) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(text: &str) -> Api {
        lower(Spec::parse("t.yaml", text).unwrap(), "t.yaml").unwrap()
    }

    fn fields(api: &Api, name: &str) -> Vec<(String, bool)> {
        match &api.types.iter().find(|def| def.name == name).unwrap().kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .map(|field| (field.json_name.clone(), field.required))
                .collect(),
            other => panic!("{name} is {other:?}"),
        }
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn all_of_merges_object_branches_into_one_struct() {
        let api = lowered(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: integer, readOnly: true}}\n        kind: {{type: string}}\n    Dog:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [bark]\n          properties:\n            kind: {{type: string, enum: [dog]}}\n            bark: {{type: boolean}}\n"
        ));
        assert_eq!(
            fields(&api, "Dog"),
            [
                ("id".to_owned(), true),
                ("kind".to_owned(), false),
                ("bark".to_owned(), true)
            ]
        );
        // The later, narrower declaration of `kind` types the field.
        let TypeKind::Struct { fields, .. } =
            &api.types.iter().find(|d| d.name == "Dog").unwrap().kind
        else {
            unreachable!()
        };
        assert_eq!(fields[1].ty, TypeRef::Named("DogKind".to_owned()));
        assert!(api.diagnostics.is_empty(), "{:?}", api.diagnostics);
    }

    #[test]
    fn a_component_reaching_a_direction_dependent_one_gets_a_tree_per_direction() {
        let api = lowered(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Secret:\n      type: object\n      properties:\n        pin: {{type: string, writeOnly: true}}\n    Holder:\n      type: object\n      properties:\n        secret: {{$ref: '#/components/schemas/Secret'}}\n    Plain:\n      type: string\n"
        ));
        let root_path = |name: &str| {
            let schema = api.schemas.iter().find(|s| s.name == name).unwrap();
            api.nodes[schema.node].schema_path.clone()
        };
        assert_eq!(root_path("Holder"), "/$defs/Holder");
        let holder_trees = api
            .nodes
            .iter()
            .filter(|node| node.schema_path == "/$defs/Holder")
            .count();
        let plain_trees = api
            .nodes
            .iter()
            .filter(|node| node.schema_path == "/$defs/Plain")
            .count();
        assert_eq!((holder_trees, plain_trees), (2, 1));
    }

    #[test]
    fn loops_of_references_are_cut_and_reported() {
        let api = lowered(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      anyOf:\n        - type: string\n        - $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n    Tree:\n      type: object\n      properties:\n        children: {{type: array, items: {{$ref: '#/components/schemas/Tree'}}}}\n"
        ));
        let pointers: Vec<&str> = api
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("never end"))
            .map(|d| d.pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/anyOf/1",
                "/components/schemas/B/allOf/0"
            ]
        );
    }

    #[test]
    fn form_bodies_are_messages_and_other_media_types_are_reported() {
        let api = lowered(&format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: form\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {{type: object, properties: {{n: {{type: integer}}}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            text/plain:\n              schema: {{type: string}}\n        '201':\n          description: ok\n          content:\n            application/octet-stream:\n              schema: {{type: string, format: binary}}\n"
        ));
        assert!(api.operations[0].request.is_some());
        let pointers: Vec<&str> = api.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/paths/~1a/post/responses/200/content/text~1plain/schema"]
        );
    }

    #[test]
    fn strongly_connected_components() {
        // 0 → 1 → 2 → 0, 2 → 3, 4 → 4
        let graph = vec![vec![1], vec![2], vec![0, 3], vec![], vec![4]];
        let component = strongly_connected(&graph);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[2], component[3]);
        assert_ne!(component[3], component[4]);
    }
}

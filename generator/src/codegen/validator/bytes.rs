//! The one-pass bytes validator of a generated crate (`src/bytes.rs`): one serde
//! `DeserializeSeed` per schema node that checks the node's rules while serde_json reads the raw
//! JSON, building no `serde_json::Value`. The views here spell out, for every JSON type a value
//! may turn out to have, exactly the checks the node's `check_N` function (in `validation.rs`)
//! makes on a value of that type, in the same order, so both paths give the same errors.
//!
//! Nodes whose rules need a second look at the same value (`allOf`, `anyOf`, `oneOf`, `not`,
//! `uniqueItems`, an `enum` with object or array options) are *buffered*: their subtree is read
//! into a `Value` and handed to `check_N`. Everything else streams.

use askama::Template;
use serde_json::Value;

use crate::codegen::ir::{Additional, Api, Node, NodeId, StatusMatch};

/// Renders `src/bytes.rs` (unformatted; `emit` formats and stamps it).
pub fn render(api: &Api) -> askama::Result<String> {
    BytesTemplate::new(api).render()
}

/// A Rust string literal.
fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

/// A number limit as the runtime's `Limit` literal (as `emit` writes it for `validation.rs`).
fn limit(value: &Value) -> String {
    match value {
        Value::Number(number) => {
            if let Some(int) = number.as_u64() {
                format!("runtime::Limit::U({int})")
            } else if let Some(int) = number.as_i64() {
                format!("runtime::Limit::I({int})")
            } else {
                let float = number.as_f64().unwrap_or_default();
                format!("runtime::Limit::F({float:?})")
            }
        }
        _ => "runtime::Limit::F(0.0)".to_owned(),
    }
}

/// How a node is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Checked while read.
    Streamed,
    /// Read into a `Value`, then checked by `check_N`.
    Buffered,
    /// The `false` schema: read (to find malformed JSON) and rejected.
    Forbidden,
    /// No rule at all: read and skipped.
    Trivial,
}

/// Follows `$ref` delegations to the node that holds the rules.
fn resolve(api: &Api, mut id: NodeId) -> NodeId {
    for _ in 0..api.nodes.len() {
        match api.nodes[id].reference {
            Some(target) => id = target,
            None => break,
        }
    }
    id
}

/// The non-string, non-null options of an `enum` (constant `index`) when they are all
/// integers that `f64` holds exactly (within ±2^53), for [`runtime::integer_in`]'s direct
/// comparison; `None` otherwise.
pub fn integer_options(api: &Api, index: usize) -> Option<String> {
    const EXACT: i64 = 1 << 53;
    let options: Vec<Value> = serde_json::from_str(&api.constants[index].json).ok()?;
    let integers = options
        .iter()
        .map(|option| {
            option
                .as_i64()
                .filter(|n| n.unsigned_abs() <= EXACT.unsigned_abs())
        })
        .collect::<Option<Vec<i64>>>()?;
    let listed: Vec<String> = integers.iter().map(i64::to_string).collect();
    Some(format!("&[{}]", listed.join(", ")))
}

/// Whether an `enum` of the node has an object or array option (compared structurally, which
/// needs the whole value).
fn has_structured_options(api: &Api, node: &Node) -> bool {
    let Some(index) = node.enumeration.as_ref().and_then(|check| check.others) else {
        return false;
    };
    let options: Vec<Value> = serde_json::from_str(&api.constants[index].json).unwrap_or_default();
    options
        .iter()
        .any(|option| option.is_object() || option.is_array())
}

fn mode(api: &Api, node: &Node) -> Mode {
    if node.forbidden.is_some() {
        return Mode::Forbidden;
    }
    if !node.all_of.is_empty()
        || !node.any_of.is_empty()
        || !node.one_of.is_empty()
        || node.not.is_some()
        || node.unique_items
        || has_structured_options(api, node)
    {
        return Mode::Buffered;
    }
    let has_rules = node.types.is_some()
        || node.enumeration.is_some()
        || node.min_length.is_some()
        || node.max_length.is_some()
        || node.pattern.is_some()
        || node.format.is_some()
        || node.minimum.is_some()
        || node.maximum.is_some()
        || node.exclusive_minimum.is_some()
        || node.exclusive_maximum.is_some()
        || node.multiple_of.is_some()
        || !node.required.is_empty()
        || !node.properties.is_empty()
        || node.additional != Additional::Allowed
        || node.min_properties.is_some()
        || node.max_properties.is_some()
        || node.items.is_some()
        || node.min_items.is_some()
        || node.max_items.is_some();
    if has_rules {
        Mode::Streamed
    } else {
        Mode::Trivial
    }
}

/// The seed that reads node `id` at the location `at` (a Rust expression of type
/// `Option<&Loc>`), with `state` in scope.
fn seed(api: &Api, id: NodeId, at: &str) -> String {
    let id = resolve(api, id);
    match mode(api, &api.nodes[id]) {
        Mode::Trivial => "Skip".to_owned(),
        _ => format!("Node{id} {{ at: {at}, state: &mut *state }}"),
    }
}

/// One rule checked on a value of a known JSON type.
struct CheckView {
    /// What must hold (a Rust expression); `None` when the rule always fails for this type.
    test: Option<String>,
    schema_path: String,
    kind: String,
}

impl CheckView {
    /// The statement that checks it and records the error.
    fn render(&self) -> String {
        let push = format!("state.push(at, {}, {});", self.schema_path, self.kind);
        match &self.test {
            Some(test) => format!("if !({test}) {{ {push} }}"),
            None => push,
        }
    }
}

struct ArrayView {
    /// The seed for each item (with `loc` in scope).
    item: Option<String>,
    min: Option<(u64, String)>,
    max: Option<(u64, String)>,
}

struct PropertyView {
    index: usize,
    name: String,
    /// The seed for the value (with `loc` in scope).
    seed: String,
}

struct ObjectView {
    /// Every name the node knows, as literals: its `properties`, then `required` names that are
    /// not properties.
    names: Vec<String>,
    properties: Vec<PropertyView>,
    /// (index into `names`, literal) per `required` entry, in order.
    required: Vec<(usize, String)>,
    required_path: String,
    /// Whether keys that are not properties are kept (their text matters).
    keeps_others: bool,
    /// The `additionalProperties: false` schema path.
    forbidden: Option<String>,
    /// The seed for additional properties (with `loc` in scope).
    additional: Option<String>,
    min: Option<(u64, String)>,
    max: Option<(u64, String)>,
}

/// One node's seed type.
struct SeedView {
    id: NodeId,
    mode: &'static str,
    self_path: String,
    null: Vec<CheckView>,
    boolean: Vec<CheckView>,
    number: Vec<CheckView>,
    string: Vec<CheckView>,
    array_head: Vec<CheckView>,
    object_head: Vec<CheckView>,
    array: Option<ArrayView>,
    object: Option<ObjectView>,
}

/// The JSON type of a value (being read, or in a `Value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl SeedView {
    fn new(api: &Api, node: &Node) -> SeedView {
        let mode = mode(api, node);
        let at = |keyword: &str| rust_str(&format!("{}/{keyword}", node.schema_path));
        let mut view = SeedView {
            id: node.id,
            mode: match mode {
                Mode::Streamed => "streamed",
                Mode::Buffered => "buffered",
                Mode::Forbidden => "forbidden",
                Mode::Trivial => "trivial",
            },
            self_path: rust_str(&node.schema_path),
            null: Vec::new(),
            boolean: Vec::new(),
            number: Vec::new(),
            string: Vec::new(),
            array_head: Vec::new(),
            object_head: Vec::new(),
            array: None,
            object: None,
        };
        if mode != Mode::Streamed {
            return view;
        }
        // `type`, then `enum`, for each JSON type (the order of `check_N`).
        for kind in [
            Kind::Null,
            Kind::Boolean,
            Kind::Number,
            Kind::String,
            Kind::Array,
            Kind::Object,
        ] {
            let mut head = Vec::new();
            if let Some(check) = &node.types {
                let set = check.set;
                let test = match kind {
                    Kind::Null => set.null.then(|| "true".to_owned()),
                    Kind::Boolean => set.boolean.then(|| "true".to_owned()),
                    Kind::Array => set.array.then(|| "true".to_owned()),
                    Kind::Object => set.object.then(|| "true".to_owned()),
                    Kind::String => set.string.then(|| "true".to_owned()),
                    Kind::Number if set.number => Some("true".to_owned()),
                    Kind::Number if set.integer => Some("runtime::is_integer(&n)".to_owned()),
                    Kind::Number => None,
                };
                if test.as_deref() != Some("true") {
                    head.push(CheckView {
                        test,
                        schema_path: at("type"),
                        kind: format!(
                            "ErrorKind::Type {{ expected: {} }}",
                            rust_str(&check.expected)
                        ),
                    });
                }
            }
            if let Some(check) = &node.enumeration {
                let others = |value: &str| {
                    check.others.map(|index| {
                        format!(
                            "CONSTANT_{index}.iter().any(|option| runtime::json_equal(option, &{value}))"
                        )
                    })
                };
                let numbers = || {
                    check.others.map(|index| match integer_options(api, index) {
                        Some(options) => format!("runtime::integer_in(&n, {options})"),
                        None => others("Value::Number(n.clone())").unwrap_or_default(),
                    })
                };
                let test = match kind {
                    Kind::String => (!check.strings.is_empty()).then(|| {
                        format!(
                            "matches!(text, {})",
                            check
                                .strings
                                .iter()
                                .map(|s| rust_str(s))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        )
                    }),
                    Kind::Null => check.null.then(|| "true".to_owned()),
                    Kind::Boolean => others("Value::Bool(v)"),
                    Kind::Number => numbers(),
                    // Structured options make the node buffered.
                    Kind::Array | Kind::Object => None,
                };
                if test.as_deref() != Some("true") {
                    head.push(CheckView {
                        test,
                        schema_path: at("enum"),
                        kind: format!(
                            "ErrorKind::Enum {{ expected: {} }}",
                            rust_str(&check.expected)
                        ),
                    });
                }
            }
            match kind {
                Kind::Null => view.null = head,
                Kind::Boolean => view.boolean = head,
                Kind::Number => view.number = head,
                Kind::String => view.string = head,
                Kind::Array => view.array_head = head,
                Kind::Object => view.object_head = head,
            }
        }
        // String rules.
        if let Some(limit) = node.min_length {
            view.string.push(CheckView {
                test: Some(format!("!runtime::shorter_than(text, {limit})")),
                schema_path: at("minLength"),
                kind: format!("ErrorKind::MinLength {{ limit: {limit} }}"),
            });
        }
        if let Some(limit) = node.max_length {
            view.string.push(CheckView {
                test: Some(format!("!runtime::longer_than(text, {limit})")),
                schema_path: at("maxLength"),
                kind: format!("ErrorKind::MaxLength {{ limit: {limit} }}"),
            });
        }
        if let Some(index) = node.pattern {
            view.string.push(CheckView {
                test: Some(format!("PATTERN_{index}.is_match(text)")),
                schema_path: at("pattern"),
                kind: format!(
                    "ErrorKind::Pattern {{ pattern: {} }}",
                    rust_str(&api.patterns[index].source)
                ),
            });
        }
        if let Some(format) = node.format {
            view.string.push(CheckView {
                test: Some(format!("runtime::{}(text)", format.checker())),
                schema_path: at("format"),
                kind: format!(
                    "ErrorKind::Format {{ format: {} }}",
                    rust_str(format.name())
                ),
            });
        }
        // Number rules.
        let bounds = [
            (&node.minimum, "minimum", "runtime::ge", "Minimum"),
            (&node.maximum, "maximum", "runtime::le", "Maximum"),
            (
                &node.exclusive_minimum,
                "exclusiveMinimum",
                "runtime::gt",
                "ExclusiveMinimum",
            ),
            (
                &node.exclusive_maximum,
                "exclusiveMaximum",
                "runtime::lt",
                "ExclusiveMaximum",
            ),
            (
                &node.multiple_of,
                "multipleOf",
                "runtime::is_multiple_of",
                "MultipleOf",
            ),
        ];
        for (value, keyword, function, kind) in bounds {
            if let Some(value) = value {
                let argument = if keyword == "multipleOf" {
                    format!("{:?}", value.as_f64().unwrap_or(1.0))
                } else {
                    limit(value)
                };
                view.number.push(CheckView {
                    test: Some(format!("{function}(&n, {argument})")),
                    schema_path: at(keyword),
                    kind: format!(
                        "ErrorKind::{kind} {{ limit: {} }}",
                        rust_str(&value.to_string())
                    ),
                });
            }
        }
        // Array rules.
        if node.items.is_some() || node.min_items.is_some() || node.max_items.is_some() {
            view.array = Some(ArrayView {
                item: node.items.map(|item| seed(api, item, "Some(&loc)")),
                min: node.min_items.map(|limit| (limit, at("minItems"))),
                max: node.max_items.map(|limit| (limit, at("maxItems"))),
            });
        }
        // Object rules.
        if !node.required.is_empty()
            || !node.properties.is_empty()
            || node.additional != Additional::Allowed
            || node.min_properties.is_some()
            || node.max_properties.is_some()
        {
            let lookup = object_lookup(node);
            let names: Vec<String> = lookup.names.iter().map(|(name, _)| name.clone()).collect();
            let required = lookup.required;
            let forbidden =
                (node.additional == Additional::Forbidden).then(|| at("additionalProperties"));
            let additional = match node.additional {
                Additional::Schema(id) => Some(seed(api, id, "Some(&loc)")),
                _ => None,
            };
            view.object = Some(ObjectView {
                properties: node
                    .properties
                    .iter()
                    .enumerate()
                    .map(|(index, property)| PropertyView {
                        index,
                        name: rust_str(&property.name),
                        seed: seed(api, property.node, "Some(&loc)"),
                    })
                    .collect(),
                names,
                required,
                required_path: at("required"),
                keeps_others: forbidden.is_some()
                    || additional.is_some()
                    || node.min_properties.is_some()
                    || node.max_properties.is_some(),
                forbidden,
                additional,
                min: node
                    .min_properties
                    .map(|limit| (limit, at("minProperties"))),
                max: node
                    .max_properties
                    .map(|limit| (limit, at("maxProperties"))),
            });
        }
        view
    }
}

/// A message or schema entry point.
struct EntryView {
    fn_name: String,
    node: NodeId,
    doc: String,
}

struct OperationView {
    id: String,
    request: Option<String>,
    /// (match pattern, function if the response has a body), in matching order.
    responses: Vec<(String, Option<String>)>,
}

/// The entry points, named as `emit` names their `validation.rs` counterparts.
fn entries(api: &Api) -> (Vec<EntryView>, Vec<OperationView>, Vec<EntryView>) {
    let mut messages = Vec::new();
    let mut operations = Vec::new();
    for operation in &api.operations {
        let base = operation.fn_name.trim_start_matches("r#");
        let mut view = OperationView {
            id: rust_str(&operation.id),
            request: None,
            responses: Vec::new(),
        };
        if let Some(request) = &operation.request {
            let fn_name = format!("{base}_request");
            view.request = Some(fn_name.clone());
            messages.push(EntryView {
                fn_name,
                node: request.node,
                doc: format!(
                    "The request body of `{}` ({} {}).",
                    operation.id, operation.method, operation.path
                ),
            });
        }
        let mut responses: Vec<_> = operation.responses.iter().collect();
        responses.sort_by_key(|response| response.status);
        for response in responses {
            let pattern = match response.status {
                StatusMatch::Exact(code) => format!("{code}"),
                StatusMatch::Range(digit) => format!("{}..={}", digit * 100, digit * 100 + 99),
                StatusMatch::Default => "_".to_owned(),
            };
            let Some(body) = &response.body else {
                view.responses.push((pattern, None));
                continue;
            };
            let fn_name = format!("{base}_response_{}", response.key.to_ascii_lowercase());
            view.responses.push((pattern, Some(fn_name.clone())));
            messages.push(EntryView {
                fn_name,
                node: body.node,
                doc: format!(
                    "The `{}` response body of `{}` ({} {}).",
                    response.key, operation.id, operation.method, operation.path
                ),
            });
        }
        operations.push(view);
    }
    let schemas = api
        .schemas
        .iter()
        .zip(crate::codegen::validator::schema_fn_names(api))
        .map(|(schema, fn_name)| EntryView {
            fn_name,
            node: schema.node,
            doc: format!("The component schema `{}`.", schema.name),
        })
        .collect();
    (messages, operations, schemas)
}

#[derive(Template)]
#[template(path = "validator/bytes.rs.txt", escape = "none")]
struct BytesTemplate<'a> {
    api: &'a Api,
    seeds: Vec<SeedView>,
    /// (node, seed expression at the root) for every entry node, once each.
    readers: Vec<(NodeId, String)>,
    messages: Vec<EntryView>,
    operations: Vec<OperationView>,
    schemas: Vec<EntryView>,
}

impl<'a> BytesTemplate<'a> {
    fn new(api: &'a Api) -> BytesTemplate<'a> {
        let (messages, operations, schemas) = entries(api);
        let mut entry_nodes: Vec<NodeId> = messages
            .iter()
            .chain(&schemas)
            .map(|entry| entry.node)
            .collect();
        entry_nodes.sort_unstable();
        entry_nodes.dedup();
        BytesTemplate {
            api,
            seeds: api
                .nodes
                .iter()
                .filter(|node| node.reference.is_none())
                .map(|node| SeedView::new(api, node))
                .filter(|view| view.mode != "trivial")
                .collect(),
            readers: entry_nodes
                .into_iter()
                .map(|id| (id, seed(api, id, "None")))
                .collect(),
            messages,
            operations,
            schemas,
        }
    }
}

/// How an object node's known names are looked up in one pass over a map (instead of one hash
/// lookup per name), for the `Value` validators in `validation.rs`.
#[derive(Debug)]
pub struct ObjectLookup {
    /// Every name the node knows, as `(literal, entry)`: its `properties`, then `required`
    /// names that are not properties.
    pub names: Vec<(String, NameEntry)>,
    /// `(index into names, literal)` per `required` entry, in order.
    pub required: Vec<(usize, String)>,
    /// How many `required` entries there are.
    pub required_count: usize,
    /// The body of `fn key_N(key: &str) -> usize`: a name's index in `names`, or `usize::MAX`.
    pub matcher: String,
}

/// What a known name is to its node.
#[derive(Debug)]
pub struct NameEntry {
    /// The name itself.
    pub name: String,
    /// Its property's node, if it is a property.
    pub property: Option<NodeId>,
    /// The positions in `required` that name it.
    pub required: Vec<usize>,
}

/// The lookup of an object node (see [`ObjectLookup`]).
pub fn object_lookup(node: &Node) -> ObjectLookup {
    let mut names: Vec<(String, NameEntry)> = node
        .properties
        .iter()
        .map(|property| {
            (
                property.name.clone(),
                NameEntry {
                    name: property.name.clone(),
                    property: Some(property.node),
                    required: Vec::new(),
                },
            )
        })
        .collect();
    let mut required = Vec::new();
    for (position, name) in node.required.iter().enumerate() {
        let index = match names.iter().position(|(known, _)| known == name) {
            Some(index) => index,
            None => {
                names.push((
                    name.clone(),
                    NameEntry {
                        name: name.clone(),
                        property: None,
                        required: Vec::new(),
                    },
                ));
                names.len() - 1
            }
        };
        names[index].1.required.push(position);
        required.push((index, rust_str(name)));
    }
    let plain: Vec<&str> = names.iter().map(|(name, _)| name.as_str()).collect();
    ObjectLookup {
        matcher: matcher(&plain),
        names: names
            .into_iter()
            .map(|(name, entry)| (rust_str(&name), entry))
            .collect(),
        required,
        required_count: node.required.len(),
    }
}

/// Rust code mapping `key: &str` to its index in `names` (or `usize::MAX`), indented for a
/// function body.
pub fn matcher(names: &[&str]) -> String {
    let arms: Vec<(&str, String)> = names
        .iter()
        .enumerate()
        .map(|(index, name)| (*name, index.to_string()))
        .collect();
    dispatch("key", &arms, "usize::MAX").join("\n    ")
}

/// A `match` on the string `subject` that gives the body paired with the name it equals, else
/// `default`; one line per returned string. (The compiler turns a `match` on strings into a
/// jump on the length and constant-size comparisons; measured, that beats dispatching on the
/// length by hand.)
pub fn dispatch(subject: &str, arms: &[(&str, String)], default: &str) -> Vec<String> {
    if arms.is_empty() {
        return vec![default.to_owned()];
    }
    let mut lines = vec![format!("match {subject} {{")];
    for (name, body) in arms {
        lines.push(format!("    {} => {body},", rust_str(name)));
    }
    lines.push(format!("    _ => {default},"));
    lines.push("}".to_owned());
    lines
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Null,
        Kind::Boolean,
        Kind::Number,
        Kind::String,
        Kind::Array,
        Kind::Object,
    ];

    /// The `Value` pattern of this kind.
    fn pattern(self) -> &'static str {
        match self {
            Kind::Null => "Value::Null",
            Kind::Boolean => "Value::Bool(_)",
            Kind::Number => "Value::Number(_)",
            Kind::String => "Value::String(_)",
            Kind::Array => "Value::Array(_)",
            Kind::Object => "Value::Object(_)",
        }
    }
}

/// Whether node `id` accepts every value of `kind`, so a member of that kind needs no look at
/// its name. Conservative: `false` whenever a rule could apply (combinators, `enum`, any
/// constraint of that kind). Every field is named, so a new rule cannot be missed here.
pub fn accepts_every(nodes: &[Node], id: NodeId, kind: Kind) -> bool {
    accepts_every_within(nodes, id, kind, 16)
}

fn accepts_every_within(nodes: &[Node], id: NodeId, kind: Kind, depth: u8) -> bool {
    let Some(node) = nodes.get(id) else {
        return false;
    };
    let Node {
        id: _,
        schema_path: _,
        schema: _,
        reference,
        forbidden,
        types,
        enumeration,
        min_length,
        max_length,
        pattern,
        format,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        required,
        properties,
        additional,
        min_properties,
        max_properties,
        items,
        min_items,
        max_items,
        unique_items,
        all_of,
        any_of,
        one_of,
        not,
    } = node;
    if let Some(target) = reference {
        return depth > 0 && accepts_every_within(nodes, *target, kind, depth - 1);
    }
    if forbidden.is_some()
        || enumeration.is_some()
        || !all_of.is_empty()
        || !any_of.is_empty()
        || !one_of.is_empty()
        || not.is_some()
    {
        return false;
    }
    if let Some(check) = types {
        let set = check.set;
        let typed = match kind {
            Kind::Null => set.null,
            Kind::Boolean => set.boolean,
            // `integer` alone does not take `1.5`.
            Kind::Number => set.number,
            Kind::String => set.string,
            Kind::Array => set.array,
            Kind::Object => set.object,
        };
        if !typed {
            return false;
        }
    }
    match kind {
        Kind::Null | Kind::Boolean => true,
        Kind::Number => {
            minimum.is_none()
                && maximum.is_none()
                && exclusive_minimum.is_none()
                && exclusive_maximum.is_none()
                && multiple_of.is_none()
        }
        Kind::String => {
            min_length.is_none() && max_length.is_none() && pattern.is_none() && format.is_none()
        }
        Kind::Array => {
            items.is_none() && min_items.is_none() && max_items.is_none() && !unique_items
        }
        Kind::Object => {
            required.is_empty()
                && properties.is_empty()
                && *additional == Additional::Allowed
                && min_properties.is_none()
                && max_properties.is_none()
        }
    }
}

/// The member loop of an object node's `ok_N` in `validation.rs`: one pass over the map, each
/// known name's check made where the name is matched (and `required` names marked present),
/// other keys checked against `additionalProperties`. Indented for the body of
/// `if let Value::Object(map)`; `None` when no member needs a look.
///
/// The kind of the member's value is looked at first: a name whose check accepts every value
/// of that kind (a plain `type: string` property and a string) is not matched at all, unless it
/// is `required` or unknown names of that kind would be refused.
pub fn ok_members(node: &Node, nodes: &[Node]) -> Option<String> {
    let lookup = object_lookup(node);
    let other = match node.additional {
        Additional::Allowed => "{}".to_owned(),
        Additional::Forbidden => "return false".to_owned(),
        Additional::Schema(id) => format!("if !ok_{id}(child) {{ return false; }}"),
    };
    if lookup.names.is_empty() && node.additional == Additional::Allowed {
        return None;
    }
    fn arm<'e>(entry: &'e NameEntry, other: &str) -> (&'e str, String) {
        let mut body: Vec<String> = entry
            .required
            .iter()
            .map(|position| format!("present[{position}] = true;"))
            .collect();
        body.push(match entry.property {
            Some(id) => format!("if !ok_{id}(child) {{ return false; }}"),
            None => format!("{other};"),
        });
        (entry.name.as_str(), format!("{{ {} }}", body.join(" ")))
    }
    let other_accepts = |kind: Kind| match node.additional {
        Additional::Allowed => true,
        Additional::Forbidden => false,
        Additional::Schema(id) => accepts_every(nodes, id, kind),
    };
    // Per kind, the names that still need a look: all of them when unknown names of that kind
    // are refused (a known name must not fall to the refusal).
    let needed = |kind: Kind| -> Vec<bool> {
        lookup
            .names
            .iter()
            .map(|(_, entry)| {
                !other_accepts(kind)
                    || !entry.required.is_empty()
                    || match entry.property {
                        Some(id) => !accepts_every(nodes, id, kind),
                        None => false,
                    }
            })
            .collect()
    };
    let per_kind: Vec<(Kind, Vec<bool>)> = Kind::ALL
        .iter()
        .map(|kind| (*kind, needed(*kind)))
        .collect();
    let mut lines = vec![
        "for (key, child) in map {".to_owned(),
        "    let key = key.as_str();".to_owned(),
    ];
    if per_kind.iter().all(|(_, names)| !names.contains(&false)) {
        let arms: Vec<(&str, String)> = lookup
            .names
            .iter()
            .map(|(_, entry)| arm(entry, &other))
            .collect();
        lines.extend(
            dispatch("key", &arms, &other)
                .into_iter()
                .map(|line| format!("    {line}")),
        );
    } else {
        // Kinds that need the same names share one arm.
        let mut groups: Vec<(Vec<bool>, Vec<Kind>)> = Vec::new();
        for (kind, names) in per_kind {
            match groups.iter_mut().find(|(known, _)| *known == names) {
                Some((_, kinds)) => kinds.push(kind),
                None => groups.push((names, vec![kind])),
            }
        }
        lines.push("    match child {".to_owned());
        for (names, kinds) in &groups {
            let patterns: Vec<&str> = kinds.iter().map(|kind| kind.pattern()).collect();
            let arms: Vec<(&str, String)> = lookup
                .names
                .iter()
                .zip(names)
                .filter(|(_, needed)| **needed)
                .map(|((_, entry), _)| arm(entry, &other))
                .collect();
            // With every name needed, unknown names get `other`; else it accepts this kind.
            let default = if names.contains(&false) {
                "{}"
            } else {
                other.as_str()
            };
            if arms.is_empty() && default == "{}" {
                lines.push(format!("        {} => {{}}", patterns.join(" | ")));
                continue;
            }
            lines.push(format!("        {} => {{", patterns.join(" | ")));
            lines.extend(
                dispatch("key", &arms, default)
                    .into_iter()
                    .map(|line| format!("            {line}")),
            );
            lines.push("        }".to_owned());
        }
        lines.push("    }".to_owned());
    }
    lines.push("}".to_owned());
    Some(lines.join("\n        "))
}

/// One step of a pattern matched natively: a set of ASCII bytes (bit `b` for byte `b`), and how
/// many of them in a row (`max` is `u32::MAX` for no bound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub set: u128,
    pub min: u32,
    pub max: u32,
}

/// A translated pattern (Rust regex syntax, as the oracle runs it) that is a whole-string match
/// of ASCII sets with counts, `^[0-9]{4}-[0-9]{2}$` or `^[A-Za-z0-9+/_-]+={0,2}$`, as steps;
/// `None` for anything else. Only patterns that reading greedily decides exactly are taken:
/// the set of a step with a variable count shares no byte with any later step, so giving a
/// byte back could never help a later step match.
pub fn native_pattern(translated: &str) -> Option<Vec<Step>> {
    let body = translated.strip_prefix('^')?.strip_suffix('$')?;
    if body.ends_with('\\') {
        return None;
    }
    let chars: Vec<char> = body.chars().collect();
    let mut steps: Vec<Step> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let set = match chars[at] {
            '[' => {
                let (set, next) = class(&chars, at + 1)?;
                at = next;
                set
            }
            '\\' => {
                let escaped = *chars.get(at + 1)?;
                at += 2;
                // Escaped punctuation is itself; `\d`, `\w`, `\b` and the like are not taken.
                if !escaped.is_ascii_punctuation() {
                    return None;
                }
                1u128 << u32::from(escaped)
            }
            c if c.is_ascii_alphanumeric() || "-_=/:@#,;'\"!%&<> ~`".contains(c) => {
                at += 1;
                1u128 << u32::from(c)
            }
            _ => return None,
        };
        let (min, max, next) = count(&chars, at)?;
        at = next;
        steps.push(Step { set, min, max });
    }
    for (index, step) in steps.iter().enumerate() {
        let later = steps[index + 1..].iter().fold(0u128, |all, s| all | s.set);
        if step.min != step.max && step.set & later != 0 {
            return None;
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// A `[...]` class of ASCII characters and ranges (no negation, no nesting, no escapes that
/// name classes), from just after the `[`: the set and the index after the `]`.
fn class(chars: &[char], mut at: usize) -> Option<(u128, usize)> {
    let mut set = 0u128;
    let mut first = true;
    loop {
        let c = *chars.get(at)?;
        let literal = match c {
            ']' if !first => return Some((set, at + 1)),
            '^' if first => return None,
            '[' | '&' | '~' => return None,
            '\\' => {
                let escaped = *chars.get(at + 1)?;
                if !escaped.is_ascii_punctuation() {
                    return None;
                }
                at += 1;
                escaped
            }
            c if c.is_ascii() && !c.is_ascii_control() => c,
            _ => return None,
        };
        first = false;
        at += 1;
        // A range `a-z`, unless the `-` ends the class.
        if chars.get(at) == Some(&'-') && chars.get(at + 1).is_some_and(|c| *c != ']') {
            let end = *chars.get(at + 1)?;
            if end == '\\' || end == '[' || !end.is_ascii() || end < literal {
                return None;
            }
            for byte in u32::from(literal)..=u32::from(end) {
                set |= 1u128 << byte;
            }
            at += 2;
        } else {
            set |= 1u128 << u32::from(literal);
        }
    }
}

/// The count after an atom (`{n}`, `{n,}`, `{n,m}`, `+`, `*`, `?`, or none), greedy only: the
/// bounds and the index after it.
fn count(chars: &[char], at: usize) -> Option<(u32, u32, usize)> {
    let (min, max, next) = match chars.get(at) {
        Some('+') => (1, u32::MAX, at + 1),
        Some('*') => (0, u32::MAX, at + 1),
        Some('?') => (0, 1, at + 1),
        Some('{') => {
            let close = at + chars[at..].iter().position(|c| *c == '}')?;
            let inner: String = chars[at + 1..close].iter().collect();
            let (min, max) = match inner.split_once(',') {
                None => {
                    let n = inner.parse().ok()?;
                    (n, n)
                }
                Some((min, "")) => (min.parse().ok()?, u32::MAX),
                Some((min, max)) => (min.parse().ok()?, max.parse().ok()?),
            };
            if min > max || max == u32::MAX && !inner.ends_with(',') {
                return None;
            }
            (min, max, close + 1)
        }
        _ => (1, 1, at),
    };
    // Lazy (`+?`) and possessive (`++`) forms are not taken.
    if next > at && matches!(chars.get(next), Some('?' | '+')) {
        return None;
    }
    Some((min, max, next))
}

/// The lines that match the steps of a native pattern on `bytes` from `at` (each set as a
/// `matches!` pattern), indented for a function body; the caller then checks
/// `at == bytes.len()`.
pub fn native_code(steps: &[Step]) -> Vec<String> {
    let mut lines = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        // One table lookup per byte (a `matches!` of several ranges costs more).
        lines.push(format!(
            "const SET_{index}: [bool; 256] = ascii_set(&[{}]); // {}",
            byte_ranges(step.set),
            byte_pattern(step.set)
        ));
        let more =
            |count: &str| format!("at < bytes.len() && {count}SET_{index}[usize::from(bytes[at])]");
        if step.min == 1 && step.max == 1 {
            lines.push(format!("if !({}) {{", more("")));
            lines.push("    return false;".to_owned());
            lines.push("}".to_owned());
            lines.push("at += 1;".to_owned());
            continue;
        }
        let bound = if step.max == u32::MAX {
            String::new()
        } else {
            format!("at - start < {} && ", step.max)
        };
        lines.push("let start = at;".to_owned());
        lines.push(format!("while {} {{", more(&bound)));
        lines.push("    at += 1;".to_owned());
        lines.push("}".to_owned());
        if step.min > 0 {
            lines.push(format!("if at - start < {} {{", step.min));
            lines.push("    return false;".to_owned());
            lines.push("}".to_owned());
        }
    }
    lines
}

/// The runs of consecutive bytes in a set of ASCII bytes, as inclusive `(first, last)`.
fn byte_runs(set: u128) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    let mut byte = 0u32;
    while byte < 128 {
        if (set >> byte) & 1 == 0 {
            byte += 1;
            continue;
        }
        let start = byte;
        while byte < 128 && (set >> byte) & 1 == 1 {
            byte += 1;
        }
        runs.push((start, byte - 1));
    }
    runs
}

/// A set of ASCII bytes as `(first, last)` ranges for `ascii_set`.
fn byte_ranges(set: u128) -> String {
    let parts: Vec<String> = byte_runs(set)
        .into_iter()
        .map(|(first, last)| format!("({}, {})", byte_literal(first), byte_literal(last)))
        .collect();
    parts.join(", ")
}

/// A set of ASCII bytes as a pattern of byte ranges (`b'0'..=b'9' | b'_'`).
fn byte_pattern(set: u128) -> String {
    let parts: Vec<String> = byte_runs(set)
        .into_iter()
        .map(|(first, last)| {
            if first == last {
                byte_literal(first)
            } else {
                format!("{}..={}", byte_literal(first), byte_literal(last))
            }
        })
        .collect();
    parts.join(" | ")
}

/// A byte literal (`b'a'`, `b'\\''`, `0x0a`).
fn byte_literal(byte: u32) -> String {
    match char::from_u32(byte) {
        Some(c) if c.is_ascii_graphic() || c == ' ' => format!("b{c:?}"),
        _ => format!("{byte:#04x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated `Anchored::is_match`, for the tests.
    fn native_match(steps: &[Step], text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut at = 0;
        for step in steps {
            let mut count = 0u32;
            while count < step.max
                && at < bytes.len()
                && bytes[at] < 128
                && (step.set >> bytes[at]) & 1 == 1
            {
                at += 1;
                count += 1;
            }
            if count < step.min {
                return false;
            }
        }
        at == bytes.len()
    }

    #[test]
    fn native_patterns_answer_as_the_regex_crate() {
        let patterns = [
            "^[0-9]+$",
            "^[0-9]{4}$",
            "^[0-9]{4}-[0-9]{2}$",
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "^[A-Za-z0-9+/_-]+={0,2}$",
            "^[a-c]{2,3}x?[0-9]*$",
            "^a\\.b{1,}$",
            "^[-a]{0,2}b$",
            "^[a-]*=$",
        ];
        let alphabet = [
            '0', '9', 'a', 'b', 'c', 'x', '-', '=', '.', '+', '/', '_', 'é', '\n', 'Z',
        ];
        for pattern in patterns {
            let steps = native_pattern(pattern).unwrap_or_else(|| panic!("{pattern}: not taken"));
            let regex = regex::Regex::new(pattern).unwrap();
            // Every string of up to 5 characters over the alphabet.
            let mut texts = vec![String::new()];
            for _ in 0..5 {
                let longer: Vec<String> = texts
                    .iter()
                    .filter(|text| {
                        text.chars().count() == texts.last().map_or(0, |t| t.chars().count())
                    })
                    .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                    .collect();
                texts.extend(longer);
            }
            for text in &texts {
                assert_eq!(
                    native_match(&steps, text),
                    regex.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn patterns_that_reading_greedily_cannot_decide_are_left_to_the_regex_engine() {
        for pattern in [
            "^[0-9]+[0-9]$",
            "^a*a$",
            "^[a-z]+[a-c]{2}$",
            "[0-9]+",
            "^[0-9]+",
            "^\\d+$",
            "^.+$",
            "^[^a]+$",
            "^(a|b)$",
            "^a+?$",
            "^\\w{2}$",
            "^é$",
        ] {
            assert_eq!(native_pattern(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn matchers_find_every_name_and_nothing_else() {
        let names = ["id", "tag", "cvv", "state", "balances", "currency", "x", ""];
        let code = matcher(&names);
        for name in names {
            assert!(code.contains(&format!("{name:?}")), "{name}: {code}");
        }
        assert!(code.starts_with("match key {"), "{code}");
        assert!(code.contains("_ => usize::MAX"));
    }
}

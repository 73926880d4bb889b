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

use crate::ir::{Additional, Api, Node, NodeId, StatusMatch};

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

/// The JSON type of a value being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
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
                    Kind::Number => others("Value::Number(n.clone())"),
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
                test: Some(format!("runtime::char_count(text) >= {limit}")),
                schema_path: at("minLength"),
                kind: format!("ErrorKind::MinLength {{ limit: {limit} }}"),
            });
        }
        if let Some(limit) = node.max_length {
            view.string.push(CheckView {
                test: Some(format!("runtime::char_count(text) <= {limit}")),
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
        .zip(crate::emit::schema_fn_names(api))
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
/// function body. See [`dispatch`].
pub fn matcher(names: &[&str]) -> String {
    let arms: Vec<(&str, String)> = names
        .iter()
        .enumerate()
        .map(|(index, name)| (*name, index.to_string()))
        .collect();
    dispatch("key", &arms, "usize::MAX").join("\n    ")
}

/// A `match` on the string `subject` that gives the body paired with the name it equals, else
/// `default`: a jump on the length, then a `match` among the names of that length, whose
/// comparisons the compiler makes with constant-size loads (a flat `match` on strings tries
/// every name in turn). Bodies are expressions; one line per returned string.
pub fn dispatch(subject: &str, arms: &[(&str, String)], default: &str) -> Vec<String> {
    if arms.is_empty() {
        return vec![default.to_owned()];
    }
    let mut by_length: std::collections::BTreeMap<usize, Vec<&(&str, String)>> =
        std::collections::BTreeMap::new();
    for arm in arms {
        by_length.entry(arm.0.len()).or_default().push(arm);
    }
    let mut lines = vec![format!("match {subject}.len() {{")];
    for (length, candidates) in &by_length {
        if let [(name, body)] = candidates.as_slice() {
            lines.push(format!(
                "    {length} if {subject} == {} => {body},",
                rust_str(name)
            ));
            continue;
        }
        lines.push(format!("    {length} => match {subject} {{"));
        for (name, body) in candidates {
            lines.push(format!("        {} => {body},", rust_str(name)));
        }
        lines.push(format!("        _ => {default},"));
        lines.push("    },".to_owned());
    }
    lines.push(format!("    _ => {default},"));
    lines.push("}".to_owned());
    lines
}

/// The `enum` test of a node on `value`, for `validation.rs`: `emit`'s test, with the string
/// options dispatched by length.
pub fn enum_test(node: &Node) -> Option<String> {
    let check = node.enumeration.as_ref()?;
    let strings = if check.strings.is_empty() {
        "false".to_owned()
    } else {
        let mut by_length: std::collections::BTreeMap<usize, Vec<String>> =
            std::collections::BTreeMap::new();
        for option in &check.strings {
            by_length
                .entry(option.len())
                .or_default()
                .push(rust_str(option));
        }
        let arms: Vec<String> = by_length
            .iter()
            .map(|(length, options)| {
                format!(
                    "{length} => matches!(text.as_str(), {}),",
                    options.join(" | ")
                )
            })
            .collect();
        format!("match text.len() {{ {} _ => false }}", arms.join(" "))
    };
    let others = match check.others {
        Some(index) => {
            format!("CONSTANT_{index}.iter().any(|option| runtime::json_equal(option, other))")
        }
        None => "false".to_owned(),
    };
    Some(format!(
        "match value {{ Value::String(text) => {strings}, Value::Null => {}, other => {others} }}",
        check.null
    ))
}

/// The member loop of an object node's `ok_N` in `validation.rs`: one pass over the map, each
/// known name's check made where the name is matched (and `required` names marked present),
/// other keys checked against `additionalProperties`. Indented for the body of
/// `if let Value::Object(map)`; `None` when no member needs a look.
pub fn ok_members(node: &Node) -> Option<String> {
    let lookup = object_lookup(node);
    let other = match node.additional {
        Additional::Allowed => "{}".to_owned(),
        Additional::Forbidden => "return false".to_owned(),
        Additional::Schema(id) => format!("if !ok_{id}(child) {{ return false; }}"),
    };
    if lookup.names.is_empty() && node.additional == Additional::Allowed {
        return None;
    }
    let arms: Vec<(&str, String)> = lookup
        .names
        .iter()
        .map(|(_, entry)| {
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
        })
        .collect();
    let mut lines = vec![
        "for (key, child) in map {".to_owned(),
        "    let key = key.as_str();".to_owned(),
    ];
    lines.extend(
        dispatch("key", &arms, &other)
            .into_iter()
            .map(|line| format!("    {line}")),
    );
    lines.push("}".to_owned());
    Some(lines.join("\n        "))
}

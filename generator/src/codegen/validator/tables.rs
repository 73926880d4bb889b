//! The validation tables of a generated crate (`src/validation.rs`): one `Node` static per IR
//! node, named after where the node stands in the spec, plus one matcher per distinct pattern
//! and one list per distinct non-string `enum`. The crate's engine (`templates/validator/
//! engine.rs`, copied verbatim) reads them; nothing here decides what a rule means, only how it
//! is written down.
//!
//! Names never come from a counter: a node is named by its tree (component, request twin or
//! message) and its schema path (`LOGIN_REQUEST__EMAIL`), patterns and enum lists by a hash of
//! their text. Names that collide after spelling get a hash of their full location, so a
//! collision renames only the colliding items.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::ToShoutySnakeCase;
use serde_json::Value;

use crate::codegen::ir::{Additional, Api, Node, NodeId, Operation, ResponseMessage, StatusMatch};
use crate::codegen::naming;
use crate::codegen::validator::patterns;
use crate::spec::pointer;
use name_hash::name_hash;

// The engine's object-key hash, the very file appended to each crate's `engine.rs`.
#[path = "../../../templates/validator/name_hash.rs"]
mod name_hash;

/// One static of the tables.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// The fields of its `e::node!` declaration, on one line.
    pub init: String,
    /// What follows the fields (each part optional): the keywords whose schema paths the node
    /// keeps (` reports [KEYWORD ..]`), then its properties for the engine's specialised `ok`
    /// and `check` scan (` members REQUIRED { LENGTH { "name" BIT INDEX NODE, .. } .. }`) or
    /// ` cyclic`.
    pub tail: String,
}

/// A pattern's matcher function.
#[derive(Debug, Clone)]
pub struct PatternTable {
    /// The `Pattern` static's name; the function is its lowercase spelling.
    pub name: String,
    pub function: String,
    pub source: String,
    /// The function's body (one expression).
    pub body: String,
}

/// A non-string `enum`'s options as JSON, parsed once by the generated crate.
#[derive(Debug, Clone)]
pub struct ConstantTable {
    pub function: String,
    pub json: String,
}

/// An operation's row in `OPERATIONS`.
#[derive(Debug, Clone)]
pub struct OperationTable {
    pub init: String,
}

/// Everything `validation.rs` lists.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The nodes' statics, one line each, sorted by name.
    pub node_lines: String,
    pub patterns: Vec<PatternTable>,
    pub constants: Vec<ConstantTable>,
    /// Sorted by operation id, one row per id.
    pub operations: Vec<OperationTable>,
    /// `(name, node)` rows sorted by name.
    pub schemas: Vec<(String, String)>,
    /// The name of each IR node, by id.
    pub names: Vec<String>,
}

/// A spec name as part of a `SHOUTY_SNAKE` identifier: ASCII letters and digits only.
fn shout(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let shouted = cleaned.to_shouty_snake_case();
    if shouted.is_empty() {
        "X".to_owned()
    } else if shouted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{shouted}")
    } else {
        shouted
    }
}

/// The name a node would have without collisions: its tree, then each step of its schema
/// path, joined by `__`.
fn base_name(node: &Node) -> String {
    let mut parts: Vec<String> = Vec::new();
    match node.tree.as_str() {
        "" => {}
        "request" => parts.push("REQUEST".to_owned()),
        "anything" => parts.push("ANYTHING".to_owned()),
        message => {
            let type_name = message.split('#').next().unwrap_or(message);
            parts.push(format!("MESSAGE__{}", shout(type_name)));
        }
    }
    let steps: Vec<String> = node
        .schema_path
        .split('/')
        .skip(1)
        .map(pointer::unescape_fragment)
        .collect();
    let mut at = 0;
    while at < steps.len() {
        let step = steps[at].as_str();
        let next = steps.get(at + 1);
        let (part, used) = match (step, next) {
            ("$defs" | "properties", Some(name)) => (shout(name), 2),
            ("allOf" | "anyOf" | "oneOf", Some(index)) => {
                (format!("{}_{}", shout(step), shout(index)), 2)
            }
            ("additionalProperties", _) => ("VALUES".to_owned(), 1),
            _ => (shout(step), 1),
        };
        parts.push(part);
        at += used;
    }
    if parts.is_empty() {
        "ROOT".to_owned()
    } else {
        parts.join("__")
    }
}

/// Names for every node: the base name, or, where several nodes (or a name the tables use
/// themselves) share it, the base name and a hash of the node's full location.
pub fn node_names(api: &Api) -> Vec<String> {
    let bases: Vec<String> = api.nodes.iter().map(base_name).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for base in &bases {
        *counts.entry(base.as_str()).or_default() += 1;
    }
    const RESERVED: [&str; 3] = ["OPERATIONS", "SCHEMAS", "RESPONSES"];
    let mut names: Vec<String> = bases
        .iter()
        .zip(&api.nodes)
        .map(|(base, node)| {
            let clash = counts[base.as_str()] > 1
                || RESERVED.contains(&base.as_str())
                || base.starts_with("PATTERN_");
            if clash {
                let location = format!("{}\u{0}{}", node.tree, node.schema_path);
                format!("{base}_{:06X}", naming::stable_hash(&location) & 0xFF_FFFF)
            } else {
                base.clone()
            }
        })
        .collect();
    // Two nodes at the very same location (or a hash collision): numbered in order, the only
    // place a counter can appear, and only among such twins.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for name in &mut names {
        let seen = taken.entry(name.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            name.push_str(&format!("_{seen}"));
        }
    }
    names
}

/// A seed and a table (a power of two, up to 8 slots per name) in which no two names share a
/// slot, so a lookup is one hash and one comparison; `None` when a few thousand seeds find none
/// (names alike in length and first, middle and last bytes), and the engine searches instead.
fn perfect_hash(names: &[&str]) -> Option<(u32, Vec<u16>)> {
    if names.len() < 3 || names.len() >= usize::from(u16::MAX) {
        return None;
    }
    for (seeds, full) in [(1..2000u32, 0), (1..2000u32, 0x8000_0000u32)] {
        let mut size = (names.len() * 2).next_power_of_two();
        while size <= names.len() * 8 {
            'seed: for seed in seeds.clone().map(|seed| seed | full) {
                let mut slots = vec![u16::MAX; size];
                for (index, name) in names.iter().enumerate() {
                    let slot = name_hash(name, seed) as usize & (size - 1);
                    if slots[slot] != u16::MAX {
                        continue 'seed;
                    }
                    slots[slot] = index as u16;
                }
                return Some((seed, slots));
            }
            size *= 2;
        }
    }
    None
}

/// A Rust string literal.
fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

/// A numeric bound as `(runtime::Limit, text)`.
fn bound(value: &Value) -> String {
    let limit = match value {
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
    };
    format!("Some(({limit}, {}))", rust_str(&value.to_string()))
}

/// The non-string, non-null options of an `enum` when they are all integers that `f64` holds
/// exactly (within ±2^53), for the engine's direct comparison.
fn integer_options(options: &[Value]) -> Option<String> {
    const EXACT: u64 = 1 << 53;
    let integers = options
        .iter()
        .map(|option| option.as_i64().filter(|n| n.unsigned_abs() <= EXACT))
        .collect::<Option<Vec<i64>>>()?;
    let listed: Vec<String> = integers.iter().map(i64::to_string).collect();
    Some(format!("&[{}]", listed.join(", ")))
}

struct Builder<'a> {
    api: &'a Api,
    names: &'a [String],
    patterns: BTreeMap<String, PatternTable>,
    constants: BTreeMap<String, ConstantTable>,
}

impl Builder<'_> {
    fn reference(&self, id: NodeId) -> String {
        format!("&{}", self.names[id])
    }

    fn list(&self, ids: &[NodeId]) -> String {
        let items: Vec<String> = ids.iter().map(|&id| self.reference(id)).collect();
        format!("&[{}]", items.join(", "))
    }

    fn pattern(&mut self, index: usize) -> String {
        let pattern = &self.api.patterns[index];
        let function = naming::pattern_function(&pattern.source);
        let name = function.to_ascii_uppercase();
        let body = match patterns::native_pattern(&pattern.translated) {
            Some(steps) => {
                let steps: Vec<String> = steps
                    .iter()
                    .map(|step| {
                        format!("runtime::step({:#x}, {}, {})", step.set, step.min, step.max)
                    })
                    .collect();
                // A constant: the byte tables are built by the compiler, once.
                format!(
                    "const STEPS: &[runtime::Step] = &[{}]; runtime::matches_steps(STEPS, text)",
                    steps.join(", ")
                )
            }
            None => format!(
                "{{ static PATTERN: LazyLock<runtime::Pattern> = LazyLock::new(|| runtime::compile_pattern({}).expect(\"the generator compiled this pattern\")); PATTERN.is_match(text) }}",
                rust_str(&pattern.translated)
            ),
        };
        self.patterns
            .entry(name.clone())
            .or_insert_with(|| PatternTable {
                name: name.clone(),
                function,
                source: pattern.source.clone(),
                body,
            });
        format!("&{name}")
    }

    fn constants(&mut self, json: &str) -> String {
        let function = format!("constants_{:016x}", naming::stable_hash(json));
        self.constants
            .entry(function.clone())
            .or_insert_with(|| ConstantTable {
                function: function.clone(),
                json: json.to_owned(),
            });
        function
    }

    /// A node's fields, then what follows them in its `e::node!` line: ` reports ["PATH" ..]`,
    /// the schema paths of the keywords whose errors it reports itself (see the engine's
    /// `node!`), or empty.
    fn node(&mut self, node: &Node) -> (String, String) {
        let mut fields: Vec<String> = vec![format!("at: {}", rust_str(&node.schema_path))];
        if let Some(target) = node.reference {
            fields.push(format!("reference: Some({})", self.reference(target)));
            return (self.finish(fields), String::new());
        }
        if node.forbidden.is_some() {
            fields.push("forbidden: true".to_owned());
            return (self.finish(fields), String::new());
        }
        let mut reports: Vec<&str> = Vec::new();
        if let Some(check) = &node.types {
            let set = check.set;
            let bits: Vec<&str> = [
                (set.null, "e::NULL"),
                (set.boolean, "e::BOOLEAN"),
                (set.object, "e::OBJECT"),
                (set.array, "e::ARRAY"),
                (set.number, "e::NUMBER"),
                (set.integer, "e::INTEGER"),
                (set.string, "e::STRING"),
            ]
            .into_iter()
            .filter_map(|(has, bit)| has.then_some(bit))
            .collect();
            let types = if bits.is_empty() {
                "0".to_owned()
            } else {
                bits.join(" | ")
            };
            fields.push(format!("types: {types}"));
            fields.push(format!("expected: {}", rust_str(&check.expected)));
            reports.push("type");
        }
        let mut rules = false;
        let mut buffered = false;
        if let Some(check) = &node.enumeration {
            rules = true;
            reports.push("enum");
            let strings: Vec<String> = check.strings.iter().map(|s| rust_str(s)).collect();
            let options: Vec<Value> = check
                .others
                .and_then(|index| serde_json::from_str(&self.api.constants[index].json).ok())
                .unwrap_or_default();
            buffered |= options
                .iter()
                .any(|option| option.is_object() || option.is_array());
            let (integers, others) = match check.others {
                None => ("None".to_owned(), "None".to_owned()),
                Some(index) => match integer_options(&options) {
                    Some(integers) => (format!("Some({integers})"), "None".to_owned()),
                    None => {
                        let json = self.api.constants[index].json.clone();
                        (
                            "None".to_owned(),
                            format!("Some({})", self.constants(&json)),
                        )
                    }
                },
            };
            fields.push(format!(
                "enumeration: Some(&e::Enum {{ expected: {}, strings: &[{}], null: {}, integers: {integers}, others: {others} }})",
                rust_str(&check.expected),
                strings.join(", "),
                check.null
            ));
        }
        if node.min_length.is_some()
            || node.max_length.is_some()
            || node.pattern.is_some()
            || node.format.is_some()
        {
            rules = true;
            for (keyword, has) in [
                ("minLength", node.min_length.is_some()),
                ("maxLength", node.max_length.is_some()),
                ("pattern", node.pattern.is_some()),
                ("format", node.format.is_some()),
            ] {
                if has {
                    reports.push(keyword);
                }
            }
            let pattern = match node.pattern {
                Some(index) => format!("Some({})", self.pattern(index)),
                None => "None".to_owned(),
            };
            let format = match node.format {
                Some(format) => format!("Some(e::Format::{format:?})"),
                None => "None".to_owned(),
            };
            fields.push(format!(
                "string: Some(&e::Strings {{ min_length: {:?}, max_length: {:?}, pattern: {pattern}, format: {format} }})",
                node.min_length, node.max_length
            ));
        }
        let bounds = [
            ("minimum", "minimum", &node.minimum),
            ("maximum", "maximum", &node.maximum),
            (
                "exclusive_minimum",
                "exclusiveMinimum",
                &node.exclusive_minimum,
            ),
            (
                "exclusive_maximum",
                "exclusiveMaximum",
                &node.exclusive_maximum,
            ),
        ];
        let mut numbers: Vec<String> = Vec::new();
        for (field, keyword, value) in bounds {
            if let Some(value) = value {
                numbers.push(format!("{field}: {}", bound(value)));
                reports.push(keyword);
            }
        }
        if let Some(multiple) = &node.multiple_of {
            reports.push("multipleOf");
            numbers.push(format!(
                "multiple_of: Some(({:?}, {}))",
                multiple.as_f64().unwrap_or(1.0),
                rust_str(&multiple.to_string())
            ));
        }
        if !numbers.is_empty() {
            rules = true;
            numbers.push("..e::Numbers::NONE".to_owned());
            fields.push(format!(
                "number: Some(&e::Numbers {{ {} }})",
                numbers.join(", ")
            ));
        }
        if !node.required.is_empty()
            || !node.properties.is_empty()
            || node.additional != Additional::Allowed
            || node.min_properties.is_some()
            || node.max_properties.is_some()
        {
            rules = true;
            for (keyword, has) in [
                ("required", !node.required.is_empty()),
                (
                    "additionalProperties",
                    node.additional == Additional::Forbidden,
                ),
                ("minProperties", node.min_properties.is_some()),
                ("maxProperties", node.max_properties.is_some()),
            ] {
                if has {
                    reports.push(keyword);
                }
            }
            fields.push(format!(
                "object: Some(&e::Object {{ {} }})",
                self.object(node)
            ));
        }
        if node.items.is_some()
            || node.min_items.is_some()
            || node.max_items.is_some()
            || node.unique_items
        {
            rules = true;
            buffered |= node.unique_items;
            for (keyword, has) in [
                ("minItems", node.min_items.is_some()),
                ("maxItems", node.max_items.is_some()),
                ("uniqueItems", node.unique_items),
            ] {
                if has {
                    reports.push(keyword);
                }
            }
            let items = match node.items {
                Some(id) => format!("Some({})", self.reference(id)),
                None => "None".to_owned(),
            };
            fields.push(format!(
                "array: Some(&e::Array {{ items: {items}, min_items: {:?}, max_items: {:?}, unique_items: {} }})",
                node.min_items, node.max_items, node.unique_items
            ));
        }
        let mut logic = Vec::new();
        // `allOf`'s errors are its branches'.
        for (field, keyword, ids) in [
            ("all_of", None, &node.all_of),
            ("any_of", Some("anyOf"), &node.any_of),
            ("one_of", Some("oneOf"), &node.one_of),
        ] {
            if !ids.is_empty() {
                logic.push(format!("{field}: {}", self.list(ids)));
                reports.extend(keyword);
            }
        }
        if let Some(not) = node.not {
            logic.push(format!("not: Some({})", self.reference(not)));
            reports.push("not");
        }
        if !logic.is_empty() {
            rules = true;
            buffered = true;
            logic.push("..e::Logic::NONE".to_owned());
            fields.push(format!("logic: Some(&e::Logic {{ {} }})", logic.join(", ")));
        }
        if !rules {
            fields.push("plain: true".to_owned());
        }
        if buffered {
            fields.push("buffered: true".to_owned());
        }
        // Whole paths, not keywords for `node!` to `concat!`: a builtin macro per path was a
        // measurable part of a large crate's `cargo check`.
        let reports = if reports.is_empty() {
            String::new()
        } else {
            let paths: Vec<String> = reports
                .iter()
                .map(|keyword| rust_str(&format!("{}/{keyword}", node.schema_path)))
                .collect();
            format!(" reports [{}]", paths.join(" "))
        };
        (self.finish(fields), reports)
    }

    fn object(&self, node: &Node) -> String {
        let mut names: Vec<&str> = node.properties.iter().map(|p| p.name.as_str()).collect();
        for name in &node.required {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let mut fields = vec![format!(
            "names: &[{}]",
            names
                .iter()
                .map(|name| rust_str(name))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        if !node.properties.is_empty() {
            let ids: Vec<NodeId> = node.properties.iter().map(|p| p.node).collect();
            fields.push(format!("nodes: {}", self.list(&ids)));
        }
        if !node.required.is_empty() {
            let indexes: Vec<String> = node
                .required
                .iter()
                .filter_map(|name| names.iter().position(|known| known == name))
                .map(|index| index.to_string())
                .collect();
            fields.push(format!("required: &[{}]", indexes.join(", ")));
            let positions: Vec<usize> = node
                .required
                .iter()
                .filter_map(|name| names.iter().position(|known| known == name))
                .collect();
            if positions.iter().all(|&index| index < 128) {
                let bits = positions
                    .iter()
                    .fold(0u128, |bits, &index| bits | 1 << index);
                fields.push(format!("required_bits: {bits:#x}"));
            }
        }
        match node.additional {
            Additional::Allowed => {}
            Additional::Forbidden => fields.push("additional: e::Additional::Forbidden".to_owned()),
            Additional::Schema(id) => fields.push(format!(
                "additional: e::Additional::Schema({})",
                self.reference(id)
            )),
        }
        if let Some(limit) = node.min_properties {
            fields.push(format!("min_properties: Some({limit})"));
        }
        if let Some(limit) = node.max_properties {
            fields.push(format!("max_properties: Some({limit})"));
        }
        // Few names are searched in order; many by binary search over their byte order.
        if names.len() > 8 {
            let mut sorted: Vec<usize> = (0..names.len()).collect();
            sorted.sort_by(|a, b| names[*a].cmp(names[*b]));
            let listed: Vec<String> = sorted.iter().map(usize::to_string).collect();
            fields.push(format!("sorted: &[{}]", listed.join(", ")));
        }
        if let Some((seed, slots)) = perfect_hash(&names) {
            let listed: Vec<String> = slots.iter().map(u16::to_string).collect();
            fields.push(format!("slots: &[{}], seed: {seed}", listed.join(", ")));
        }
        fields.push("..e::Object::NONE".to_owned());
        fields.join(", ")
    }

    /// The `members` list of an object node (see the engine's `node!`): the mask of the
    /// required names' bits, then its properties grouped by the byte length of their names,
    /// each with its bit (its first place in `required`, or 0), its index in `names` and its
    /// node. Empty (the table is
    /// searched) when a required name is not a property or there are more than 64 of them.
    fn members(&self, node: &Node) -> String {
        let all_required_are_properties = node
            .required
            .iter()
            .all(|name| node.properties.iter().any(|p| &p.name == name));
        if node.reference.is_some()
            || node.forbidden.is_some()
            || node.properties.is_empty()
            || node.required.len() > 64
            || !all_required_are_properties
        {
            return String::new();
        }
        let mut required = 0u64;
        let mut members = Vec::new();
        let mut string_members = Vec::new();
        let mut listed = HashSet::new();
        for (index, property) in node.properties.iter().enumerate() {
            // A name twice keeps the first, as the table lookup does.
            if !listed.insert(property.name.as_str()) {
                continue;
            }
            let bit = match node.required.iter().position(|name| name == &property.name) {
                Some(place) => 1u64 << place,
                None => 0,
            };
            required |= bit;
            let member = (
                property.name.as_str(),
                format!(
                    "{} {bit:#x} {index} {}",
                    rust_str(&property.name),
                    self.names[property.node]
                ),
            );
            if bit != 0 || !accepts_every_string(self.api, property.node) {
                string_members.push(member.clone());
            }
            members.push(member);
        }
        let mut listed = format!(" members {required:#x} {{ {} }}", by_length(&members));
        // A string under another key passes only when other keys are allowed without a schema.
        // The list costs a second `match` and a test of the value's type per key: worth it
        // only when it leaves out at least half of the names.
        if node.additional == Additional::Allowed && string_members.len() * 2 <= members.len() {
            listed.push_str(&format!(" strings {{ {} }}", by_length(&string_members)));
        }
        listed
    }

    fn finish(&self, mut fields: Vec<String>) -> String {
        fields.push("..e::Node::ANY".to_owned());
        fields.join(", ")
    }
}

/// `(name, text)` members grouped by the byte length of their names, as `node!` reads them.
fn by_length(members: &[(&str, String)]) -> String {
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (name, text) in members {
        groups.entry(name.len()).or_default().push(text);
    }
    groups
        .iter()
        .map(|(length, texts)| format!("{length} {{ {} }}", texts.join(", ")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the engine's `ok` accepts every string for node `id` (following `$ref`s): its type
/// allows strings and no rule that can reject one applies (`enum`, string rules, `allOf`..).
/// Object, array and number rules do not look at a string.
fn accepts_every_string(api: &Api, id: NodeId) -> bool {
    let mut node = &api.nodes[id];
    for _ in 0..api.nodes.len() {
        let Some(next) = node.reference else {
            return node.forbidden.is_none()
                && node.types.as_ref().is_none_or(|check| check.set.string)
                && node.enumeration.is_none()
                && node.min_length.is_none()
                && node.max_length.is_none()
                && node.pattern.is_none()
                && node.format.is_none()
                && node.all_of.is_empty()
                && node.any_of.is_empty()
                && node.one_of.is_empty()
                && node.not.is_none();
        };
        node = &api.nodes[next];
    }
    // A cycle of bare references.
    false
}

/// The operations sorted by id (the order the generated tables are searched in), each id once
/// (a spec that repeats one keeps the first, as a `match` on ids would).
pub fn operations_by_id(api: &Api) -> Vec<&Operation> {
    let mut seen = HashSet::new();
    let mut operations: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|operation| seen.insert(operation.id.as_str()))
        .collect();
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    operations
}

/// An operation's responses in the order statuses are matched in: exact codes, then ranges,
/// then `default`.
pub fn responses_in_matching_order(operation: &Operation) -> Vec<&ResponseMessage> {
    let mut responses: Vec<&ResponseMessage> = operation.responses.iter().collect();
    responses.sort_by_key(|response| response.status);
    responses
}

/// Whether `id` is a bare `$ref` that leads back to itself through bare `$ref`s only: the
/// engine's `node!` then gives it a type of its own (an alias of its target cannot go round).
fn in_reference_cycle(api: &Api, id: NodeId) -> bool {
    let mut at = id;
    for _ in 0..api.nodes.len() {
        match api.nodes[at].reference {
            Some(next) if next == id => return true,
            Some(next) => at = next,
            None => return false,
        }
    }
    false
}

/// The tables of `api`'s validator crate.
pub fn tables(api: &Api) -> Tables {
    let names = node_names(api);
    let mut builder = Builder {
        api,
        names: &names,
        patterns: BTreeMap::new(),
        constants: BTreeMap::new(),
    };
    // Nodes are listed by name, so an added node is one added line wherever it stands.
    let mut nodes: Vec<Table> = api
        .nodes
        .iter()
        .map(|node| {
            let (init, reports) = builder.node(node);
            let members = if in_reference_cycle(api, node.id) {
                " cyclic".to_owned()
            } else {
                builder.members(node)
            };
            Table {
                name: names[node.id].clone(),
                init,
                tail: reports + &members,
            }
        })
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    let operations = operations_by_id(api)
        .into_iter()
        .map(|operation| {
            let request = match &operation.request {
                Some(message) => format!("Some({})", builder.reference(message.node)),
                None => "None".to_owned(),
            };
            let responses: Vec<String> = responses_in_matching_order(operation)
                .iter()
                .map(|response| {
                    let status = match response.status {
                        StatusMatch::Exact(code) => format!("e::Status::Exact({code})"),
                        StatusMatch::Range(digit) => format!("e::Status::Range({digit})"),
                        StatusMatch::Default => "e::Status::Default".to_owned(),
                    };
                    let body = match &response.body {
                        Some(message) => format!("Some({})", builder.reference(message.node)),
                        None => "None".to_owned(),
                    };
                    format!("({status}, {body})")
                })
                .collect();
            OperationTable {
                init: format!(
                    "e::Operation {{ id: {}, request: {request}, responses: &[{}] }}",
                    rust_str(&operation.id),
                    responses.join(", ")
                ),
            }
        })
        .collect();
    // Sorted by the names' bytes, as the engine's binary search compares them.
    let mut schemas: Vec<(&str, NodeId)> = api
        .schemas
        .iter()
        .map(|schema| (schema.name.as_str(), schema.node))
        .collect();
    schemas.sort_by(|a, b| a.0.cmp(b.0));
    schemas.dedup_by(|a, b| a.0 == b.0);
    let schemas = schemas
        .into_iter()
        .map(|(name, node)| (rust_str(name), names[node].clone()))
        .collect();
    // Every pattern has a matcher, node or not: the client calls the parameters' ones.
    for index in 0..api.patterns.len() {
        builder.pattern(index);
    }
    let Builder {
        patterns,
        constants,
        ..
    } = builder;
    let node_lines = nodes
        .iter()
        .map(|node| {
            format!(
                "e::node!({} = {{ {} }}{});",
                node.name, node.init, node.tail
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Tables {
        node_lines,
        patterns: patterns.into_values().collect(),
        constants: constants.into_values().collect(),
        operations,
        schemas,
        names,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_with(references: &[Option<NodeId>]) -> Api {
        Api {
            name: "t".to_owned(),
            spec_label: "t.yaml".to_owned(),
            title: "t".to_owned(),
            version: "1".to_owned(),
            crate_version: "1.0.0".to_owned(),
            description: None,
            types: Vec::new(),
            nodes: references
                .iter()
                .enumerate()
                .map(|(id, reference)| Node {
                    id,
                    reference: *reference,
                    ..Node::default()
                })
                .collect(),
            schemas: Vec::new(),
            patterns: Vec::new(),
            constants: Vec::new(),
            operations: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Only the nodes on a cycle of bare `$ref`s get a type of their own (`cyclic`); a `$ref`
    /// that leads into the cycle, or to a node with rules, stays an alias.
    #[test]
    fn reference_cycles_are_found_and_only_they() {
        // 0 → 1 → 2 → 1 (a cycle of 1 and 2), 3 → 4 (rules).
        let api = api_with(&[Some(1), Some(2), Some(1), Some(4), None]);
        let cyclic: Vec<bool> = (0..5).map(|id| in_reference_cycle(&api, id)).collect();
        assert_eq!(cyclic, [false, true, true, false, false]);
    }
}

//! Schema tables: a converted schema (what `spec::convert` decided, the reading checks use) laid
//! out as rows, one per schema node, with every constraint spelled for a reader. Annotations
//! the converter drops (`description`, `example`, `readOnly`, `deprecated`) are read from the
//! spec node the row stands for. Must not decide any OpenAPI semantics itself: `nullable`,
//! exclusive bounds, `readOnly` per direction all come from the converted schema.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::spec::convert::{Converter, Direction};
use crate::spec::pointer;

use super::anchor;
use super::view::Prose;

/// Rows one message may expand to; past it, references are links only. Keeps a spec whose
/// schemas share references at every level (a DAG) from exploding the page.
const ROW_BUDGET: usize = 1500;
/// How deep references are expanded inline.
const MAX_DEPTH: usize = 12;

/// One line of a schema table.
#[derive(Debug, Clone)]
pub struct Row {
    pub depth: usize,
    pub name: String,
    /// The type as a reader says it (`string`, `array`, `object`), without `null`.
    pub type_text: String,
    /// A component this node is (`$ref`): its name and the page anchor of its table.
    pub link: Option<Link>,
    pub badges: Vec<Badge>,
    pub constraints: Vec<String>,
    pub description: Prose,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Badge {
    /// CSS class suffix (`b-required`).
    pub class: &'static str,
    pub text: &'static str,
}

const REQUIRED: Badge = Badge {
    class: "required",
    text: "required",
};
const NULLABLE: Badge = Badge {
    class: "nullable",
    text: "nullable",
};
const SENSITIVE: Badge = Badge {
    class: "sensitive",
    text: "sensitive",
};
const READ_ONLY: Badge = Badge {
    class: "readonly",
    text: "read-only",
};
const WRITE_ONLY: Badge = Badge {
    class: "writeonly",
    text: "write-only",
};
const DEPRECATED: Badge = Badge {
    class: "deprecated",
    text: "deprecated",
};

/// Builds rows for the schemas of one spec.
#[derive(Debug)]
pub struct Tables<'a> {
    pub document: &'a Value,
    pub converter: &'a Converter,
}

struct Walk {
    direction: Direction,
    rows: Vec<Row>,
    /// Components being expanded above this row (a cycle becomes a link).
    stack: Vec<String>,
    expand_refs: bool,
}

/// Where a row stands: its name, whether its parent requires it, the spec node it comes from.
struct Place<'p> {
    name: String,
    required: bool,
    source: Option<&'p str>,
    sensitive: bool,
    depth: usize,
}

impl<'a> Tables<'a> {
    /// The rows of the schema at `at` in the spec, read for `direction`, references expanded
    /// inline (bounded). `None` when the node cannot be converted (already reported by the
    /// contract, which converted every message schema when it loaded).
    pub fn message(&self, at: &str, direction: Direction) -> Vec<Row> {
        let Some(schema) = self.document.pointer(at) else {
            return Vec::new();
        };
        let Ok(converted) = self.converter.node(schema, at, direction) else {
            return Vec::new();
        };
        let mut walk = Walk {
            direction,
            rows: Vec::new(),
            stack: Vec::new(),
            expand_refs: true,
        };
        let place = Place {
            name: String::new(),
            required: false,
            source: Some(at),
            sensitive: false,
            depth: 0,
        };
        self.node(&mut walk, &converted, place);
        walk.rows
    }

    /// The rows of one component (`components.schemas.<name>`), as responses read it;
    /// references to other components stay links.
    pub fn component(&self, name: &str) -> Vec<Row> {
        let direction = Direction::Response;
        let Some(converted) = self.converter.defs(direction).get(name) else {
            return Vec::new();
        };
        let at = pointer::join("/components/schemas", name);
        let mut walk = Walk {
            direction,
            rows: Vec::new(),
            stack: vec![name.to_owned()],
            expand_refs: false,
        };
        let place = Place {
            name: String::new(),
            required: false,
            source: Some(&at),
            sensitive: false,
            depth: 0,
        };
        self.node(&mut walk, converted, place);
        walk.rows
    }

    fn node(&self, walk: &mut Walk, node: &Value, place: Place<'_>) {
        let Some(object) = node.as_object() else {
            return;
        };
        let source = place
            .source
            .and_then(|at| self.document.pointer(at))
            .and_then(Value::as_object);
        let mut row = Row {
            depth: place.depth,
            name: place.name.clone(),
            type_text: String::new(),
            link: None,
            badges: Vec::new(),
            constraints: Vec::new(),
            description: Prose::default(),
        };
        if place.required {
            row.badges.push(REQUIRED);
        }
        // `{"not": {}, "x-rule": "readOnly"}`: the converter forbids this property here.
        if let Some(rule) = object.get("x-rule").and_then(Value::as_str) {
            row.type_text = "never sent".to_owned();
            row.badges.push(if rule == "readOnly" {
                READ_ONLY
            } else {
                WRITE_ONLY
            });
            row.constraints.push(match rule {
                "readOnly" => "read-only: must not be sent in a request".to_owned(),
                _ => "write-only: never returned in a response".to_owned(),
            });
            row.description = Prose::new(&annotation(source, "description"));
            walk.rows.push(row);
            return;
        }
        if let Some(target) = object.get("$ref").and_then(Value::as_str) {
            let name = pointer::unescape_fragment(target.trim_start_matches("#/$defs/"));
            let component_at = pointer::join("/components/schemas", &name);
            let component_source = self
                .document
                .pointer(&component_at)
                .and_then(Value::as_object);
            let sensitive = place.sensitive
                || self
                    .converter
                    .defs(walk.direction)
                    .get(&name)
                    .is_some_and(|def| def.get("x-sensitive") == Some(&Value::Bool(true)));
            row.link = Some(Link {
                href: format!("#{}", anchor::schema(&name)),
                label: name.clone(),
            });
            let description = annotation(source, "description");
            row.description = Prose::new(&if description.is_empty() {
                annotation(component_source, "description")
            } else {
                description
            });
            let expand = walk.expand_refs
                && !walk.stack.contains(&name)
                && place.depth < MAX_DEPTH
                && walk.rows.len() < ROW_BUDGET;
            match self.converter.defs(walk.direction).get(&name) {
                Some(def) if expand => {
                    // The row is the component itself: its type and constraints, then its
                    // children, read from the component's converted node.
                    walk.stack.push(name.clone());
                    let inner = Place {
                        name: place.name,
                        required: place.required,
                        source: Some(&component_at),
                        sensitive,
                        depth: place.depth,
                    };
                    let before = walk.rows.len();
                    self.node(walk, def, inner);
                    if let Some(first) = walk.rows.get_mut(before) {
                        first.link = row.link;
                        if first.description.is_empty() {
                            first.description = row.description;
                        }
                    }
                    walk.stack.pop();
                }
                _ => {
                    if sensitive {
                        row.badges.push(SENSITIVE);
                    }
                    walk.rows.push(row);
                }
            }
            return;
        }
        let sensitive = place.sensitive || object.get("x-sensitive") == Some(&Value::Bool(true));
        describe(object, source, sensitive, &mut row);
        walk.rows.push(row);
        let depth = place.depth + 1;
        let child_source = |keyword: &str| place.source.map(|at| pointer::join(at, keyword));
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            let required: HashSet<&str> = object
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let base = child_source("properties");
            for (name, child) in properties {
                let at = base.as_deref().map(|base| pointer::join(base, name));
                let place = Place {
                    name: name.clone(),
                    required: required.contains(name.as_str()),
                    source: at.as_deref(),
                    sensitive,
                    depth,
                };
                self.node(walk, child, place);
            }
        }
        if let Some(items) = object.get("items") {
            let at = child_source("items");
            let place = Place {
                name: "[ ] items".to_owned(),
                required: false,
                source: at.as_deref(),
                sensitive,
                depth,
            };
            self.node(walk, items, place);
        }
        if let Some(extra @ Value::Object(_)) = object.get("additionalProperties") {
            let at = child_source("additionalProperties");
            let place = Place {
                name: "{ } any other key".to_owned(),
                required: false,
                source: at.as_deref(),
                sensitive,
                depth,
            };
            self.node(walk, extra, place);
        }
        for (keyword, label) in [
            ("allOf", "all of"),
            ("oneOf", "one of"),
            ("anyOf", "any of"),
        ] {
            let Some(branches) = object.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let base = child_source(keyword);
            for (index, branch) in branches.iter().enumerate() {
                let at = base
                    .as_deref()
                    .map(|base| pointer::join(base, &index.to_string()));
                let place = Place {
                    name: format!("{label} #{}", index + 1),
                    required: false,
                    source: at.as_deref(),
                    sensitive,
                    depth,
                };
                self.node(walk, branch, place);
            }
        }
        if let Some(not) = object.get("not") {
            let at = child_source("not");
            let place = Place {
                name: "must not match".to_owned(),
                required: false,
                source: at.as_deref(),
                sensitive,
                depth,
            };
            self.node(walk, not, place);
        }
    }
}

/// A text annotation of the spec node (`description`, `title`).
fn annotation(source: Option<&Map<String, Value>>, keyword: &str) -> String {
    source
        .and_then(|object| object.get(keyword))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Fills a row's type, badges and constraints from a converted node (and the spec node's
/// annotations).
fn describe(
    object: &Map<String, Value>,
    source: Option<&Map<String, Value>>,
    sensitive: bool,
    row: &mut Row,
) {
    let mut nullable = false;
    let types: Vec<&str> = match object.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut shown = Vec::new();
    for name in types {
        if name == "null" {
            nullable = true;
        } else {
            shown.push(name);
        }
    }
    row.type_text = if shown.is_empty() {
        if object.contains_key("allOf")
            || object.contains_key("oneOf")
            || object.contains_key("anyOf")
        {
            "composed".to_owned()
        } else if object.contains_key("properties") {
            "object".to_owned()
        } else {
            "any".to_owned()
        }
    } else {
        shown.join(" | ")
    };
    if nullable {
        row.badges.push(NULLABLE);
    }
    let flag =
        |keyword: &str| source.and_then(|object| object.get(keyword)) == Some(&Value::Bool(true));
    if flag("readOnly") {
        row.badges.push(READ_ONLY);
    }
    if flag("writeOnly") {
        row.badges.push(WRITE_ONLY);
    }
    if flag("deprecated") {
        row.badges.push(DEPRECATED);
    }
    if sensitive {
        row.badges.push(SENSITIVE);
    }
    let text = |keyword: &str| object.get(keyword).map(show);
    let c = &mut row.constraints;
    if let Some(format) = text("format") {
        c.push(format!("format: {format} (checked)"));
    }
    if let Some(format) = text("x-format") {
        c.push(format!("format: {format}"));
    }
    if let Some(pattern) = text("pattern") {
        c.push(format!("pattern: {pattern}"));
    }
    push_range(c, "length", text("minLength"), text("maxLength"));
    push_range(c, "items", text("minItems"), text("maxItems"));
    push_range(
        c,
        "properties",
        text("minProperties"),
        text("maxProperties"),
    );
    if let Some(min) = text("minimum") {
        c.push(format!("≥ {min}"));
    }
    if let Some(min) = text("exclusiveMinimum") {
        c.push(format!("> {min}"));
    }
    if let Some(max) = text("maximum") {
        c.push(format!("≤ {max}"));
    }
    if let Some(max) = text("exclusiveMaximum") {
        c.push(format!("< {max}"));
    }
    if let Some(step) = text("multipleOf") {
        c.push(format!("multiple of {step}"));
    }
    if object.get("uniqueItems") == Some(&Value::Bool(true)) {
        c.push("items unique".to_owned());
    }
    if let Some(Value::Array(options)) = object.get("enum") {
        let options: Vec<String> = options.iter().map(show).collect();
        c.push(format!("one of: {}", options.join(", ")));
    }
    if object.get("additionalProperties") == Some(&Value::Bool(false)) {
        c.push("no other properties".to_owned());
    }
    if let Some(default) = text("default") {
        c.push(format!("default: {default}"));
    }
    if let Some(example) = source.and_then(|source| source.get("example")) {
        c.push(format!("example: {}", show(example)));
    }
    let description = annotation(source, "description");
    row.description = Prose::new(&if description.is_empty() {
        annotation(source, "title")
    } else {
        description
    });
}

/// A JSON value as a reader sees it: strings bare, everything else as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn push_range(out: &mut Vec<String>, what: &str, min: Option<String>, max: Option<String>) {
    match (min, max) {
        (Some(min), Some(max)) if min == max => out.push(format!("{what}: exactly {min}")),
        (Some(min), Some(max)) => out.push(format!("{what}: {min} to {max}")),
        (Some(min), None) => out.push(format!("{what}: at least {min}")),
        (None, Some(max)) => out.push(format!("{what}: at most {max}")),
        (None, None) => {}
    }
}

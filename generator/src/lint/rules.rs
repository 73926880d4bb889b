//! The rules, as data: Spectral's `spectral:oas` rules that apply to OpenAPI 3.0 (same names,
//! severities and `recommended` flags as its ruleset; the OAS2-only and 3.1-only ones are left
//! out) and our own `contract-` rules for the conventions in `specs/README.md`. Each check only
//! reports where a rule is broken; the engine applies severities, config and ignores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::{Context, Hit, METHODS, Rule, walk};
use crate::findings::Severity::{Error, Warn};
use crate::spec::pointer;

macro_rules! rule {
    ($name:literal, $severity:expr, $recommended:expr, $given:literal, $then:literal, $check:expr) => {
        Rule {
            name: $name,
            severity: $severity,
            recommended: $recommended,
            given: $given,
            then: $then,
            check: $check,
        }
    };
}

/// Which part of a run a rule belongs to (the engine runs the parts on both cores).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Checks examples against their schemas: converting and compiling schemas, the costly part.
    Examples,
    /// Reports the loader's diagnostics, so it waits for the typed model.
    Diagnostics,
    Rest,
}

pub(crate) fn part(rule: &Rule) -> Part {
    match rule.name {
        "oas3-valid-media-example" | "oas3-valid-schema-example" => Part::Examples,
        "oas3-schema" => Part::Diagnostics,
        _ => Part::Rest,
    }
}

/// Every rule there is, in the order they run.
pub static RULES: &[Rule] = &[
    rule!(
        "operation-success-response",
        Warn,
        true,
        "#OperationObject",
        "Operation must have at least one 2xx or 3xx response.",
        success_response
    ),
    rule!(
        "operation-operationId-unique",
        Error,
        true,
        "$.paths",
        "Every operation must have a unique operationId.",
        operation_id_unique
    ),
    rule!(
        "operation-parameters",
        Warn,
        true,
        "#OperationObject.parameters",
        "Operation parameters are unique and non-repeating.",
        operation_parameters
    ),
    rule!(
        "operation-tag-defined",
        Warn,
        true,
        "$",
        "Operation tags must be defined in global tags.",
        tag_defined
    ),
    rule!(
        "path-params",
        Error,
        true,
        "$.paths",
        "Path parameters must be defined and valid.",
        path_params
    ),
    rule!(
        "contact-properties",
        Warn,
        false,
        "$.info.contact",
        "Contact object must have name, url and email.",
        contact_properties
    ),
    rule!(
        "duplicated-entry-in-enum",
        Warn,
        true,
        "$..[?(@property !== 'properties' && @.enum)]",
        "Enum values must not have duplicate entries.",
        duplicated_enum
    ),
    rule!(
        "info-contact",
        Warn,
        true,
        "$",
        "Info object must have a contact object.",
        |c, h| truthy(c, h, "/info/contact", "info has no contact")
    ),
    rule!(
        "info-description",
        Warn,
        true,
        "$",
        "Info description must be present and a non-empty string.",
        |c, h| truthy(c, h, "/info/description", "info has no description")
    ),
    rule!(
        "info-license",
        Warn,
        false,
        "$",
        "Info object must have a license object.",
        |c, h| truthy(c, h, "/info/license", "info has no license")
    ),
    rule!(
        "license-url",
        Warn,
        false,
        "$",
        "License object must include url.",
        |c, h| truthy(c, h, "/info/license/url", "info.license has no url")
    ),
    rule!(
        "no-eval-in-markdown",
        Warn,
        true,
        "$..[description,title]",
        "Markdown descriptions must not have eval(.",
        |c, h| markdown(c, h, "eval(")
    ),
    rule!(
        "no-script-tags-in-markdown",
        Warn,
        true,
        "$..[description,title]",
        "Markdown descriptions must not have <script> tags.",
        |c, h| markdown(c, h, "<script")
    ),
    rule!(
        "openapi-tags-alphabetical",
        Warn,
        false,
        "$",
        "OpenAPI object must have alphabetical tags.",
        tags_alphabetical
    ),
    rule!(
        "openapi-tags-uniqueness",
        Error,
        true,
        "$.tags",
        "Each tag must have a unique name.",
        tags_unique
    ),
    rule!(
        "openapi-tags",
        Warn,
        false,
        "$",
        "OpenAPI object must have a non-empty tags array.",
        openapi_tags
    ),
    rule!(
        "operation-description",
        Warn,
        true,
        "#OperationObject",
        "Operation description must be present and a non-empty string.",
        |c, h| operation_field(c, h, "description")
    ),
    rule!(
        "operation-operationId",
        Warn,
        true,
        "#OperationObject",
        "Operation must have an operationId.",
        |c, h| operation_field(c, h, "operationId")
    ),
    rule!(
        "operation-operationId-valid-in-url",
        Warn,
        true,
        "#OperationObject",
        "operationId must not contain characters that are invalid when used in a URL.",
        operation_id_url
    ),
    rule!(
        "operation-singular-tag",
        Warn,
        false,
        "#OperationObject",
        "Operation must not have more than one tag.",
        singular_tag
    ),
    rule!(
        "operation-tags",
        Warn,
        true,
        "#OperationObject",
        "Operation must have a non-empty tags array.",
        operation_tags
    ),
    rule!(
        "path-declarations-must-exist",
        Warn,
        true,
        "$.paths",
        "Path parameter declarations must not be empty (`/given/{}`).",
        |c, h| path_key(
            c,
            h,
            |k| k.contains("{}"),
            "has an empty parameter declaration `{}`"
        )
    ),
    rule!(
        "path-keys-no-trailing-slash",
        Warn,
        true,
        "$.paths",
        "Path must not end with a slash.",
        |c, h| path_key(
            c,
            h,
            |k| k.len() > 1 && k.ends_with('/'),
            "ends with a slash"
        )
    ),
    rule!(
        "path-not-include-query",
        Warn,
        true,
        "$.paths",
        "Path must not include a query string.",
        |c, h| path_key(c, h, |k| k.contains('?'), "includes a query string")
    ),
    rule!(
        "tag-description",
        Warn,
        false,
        "$.tags[*]",
        "Tag object must have a description.",
        tag_description
    ),
    rule!(
        "no-$ref-siblings",
        Error,
        true,
        "$..[?(@property === '$ref')]",
        "Property must not be placed among $ref.",
        ref_siblings
    ),
    rule!(
        "array-items",
        Error,
        true,
        "$..[?(@.type == 'array')]",
        "Schemas with type: array require a sibling items field.",
        array_items
    ),
    rule!(
        "typed-enum",
        Warn,
        true,
        "$..[?(@.enum && @.type)]",
        "Enum values must respect the specified type.",
        typed_enum
    ),
    rule!(
        "oas3-api-servers",
        Warn,
        true,
        "$",
        "OpenAPI servers must be present and a non-empty array of objects.",
        api_servers
    ),
    rule!(
        "oas3-examples-value-or-externalValue",
        Warn,
        true,
        "$..examples[*] (components, content, parameters, headers)",
        "Examples must have either value or externalValue.",
        example_value_xor
    ),
    rule!(
        "oas3-operation-security-defined",
        Warn,
        true,
        "#SecurityRequirementObject",
        "Security requirements must name a scheme defined in components.securitySchemes.",
        security_defined
    ),
    rule!(
        "oas3-parameter-description",
        Warn,
        false,
        "#PathItem.parameters, #OperationObject.parameters, $.components.parameters",
        "Parameter objects must have a description.",
        parameter_description
    ),
    rule!(
        "oas3-server-not-example.com",
        Warn,
        false,
        "$.servers[*].url",
        "Server URL must not point at example.com.",
        |c, h| server_url(c, h, |u| u.contains("example.com"), "points at example.com")
    ),
    rule!(
        "oas3-server-trailing-slash",
        Warn,
        true,
        "$.servers[*].url",
        "Server URL must not have a trailing slash.",
        |c, h| server_url(
            c,
            h,
            |u| u.len() > 1 && u.ends_with('/'),
            "ends with a slash"
        )
    ),
    rule!(
        "oas3-valid-media-example",
        Error,
        true,
        "$..[content|headers|parameters]..[?(@.schema && (@.example || @.examples))]",
        "Examples must be valid against their defined schema.",
        media_examples
    ),
    rule!(
        "oas3-valid-schema-example",
        Error,
        true,
        "$..[components.schemas|content|headers|parameters]..[?(@.example || @.default)]",
        "Schema examples and defaults must be valid against the schema.",
        schema_examples
    ),
    rule!(
        "oas3-schema",
        Error,
        true,
        "$",
        "The document must be a valid OpenAPI 3.0 document.",
        document_schema
    ),
    rule!(
        "oas3-unused-component",
        Warn,
        true,
        "$.components",
        "Potentially unused component.",
        unused_component
    ),
    rule!(
        "oas3-links-parameters-expression",
        Error,
        true,
        "#ResponseObject.links[*].parameters",
        "Link parameters must be valid runtime expressions.",
        link_expressions
    ),
    rule!(
        "oas3-server-variables",
        Error,
        true,
        "$.servers[*], #PathItem.servers[*], #OperationObject.servers[*]",
        "Server variables must be defined, used, and have a valid default.",
        server_variables
    ),
    rule!(
        "oas3-callbacks-in-callbacks",
        Warn,
        true,
        "#OperationObject.callbacks[*][*][*].callbacks",
        "Callbacks must not be defined within a callback.",
        callbacks_in_callbacks
    ),
    rule!(
        "contract-error-example",
        Warn,
        true,
        "#OperationObject.responses[4xx|5xx].content[*]",
        "Every documented error status with a body has a named example.",
        error_examples
    ),
    rule!(
        "contract-sensitive-field",
        Error,
        true,
        "schema properties and parameters",
        "Fields whose names or formats mark a secret carry x-sensitive: true.",
        sensitive_fields
    ),
    rule!(
        "contract-known-extension",
        Error,
        true,
        "$..[?(@property =~ /^x-/)]",
        "Every x- extension is one that specs/README.md documents.",
        known_extensions
    ),
    rule!(
        "contract-doc-discrepancies",
        Error,
        true,
        "#OperationObject.x-doc-discrepancies",
        "x-doc-discrepancies entries are well formed (fields, kinds, unique kebab-case ids).",
        doc_discrepancies
    ),
    rule!(
        "contract-deprecated-replacement",
        Warn,
        true,
        "#OperationObject[?(@.deprecated)]",
        "A deprecated operation names its replacement in x-replaced-by.",
        deprecated_replacement
    ),
];

fn is_truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(text)) => !text.is_empty(),
        Some(Value::Number(number)) => number.as_f64() != Some(0.0),
        Some(_) => true,
    }
}

/// The nearest existing ancestor of `at` (where a missing field is reported).
fn nearest(document: &Value, at: &str) -> String {
    let mut at = at.to_owned();
    while document.pointer(&at).is_none() {
        match at.rfind('/') {
            Some(cut) => at.truncate(cut),
            None => return String::new(),
        }
    }
    at
}

fn truthy(c: &Context, hits: &mut Vec<Hit>, at: &str, message: &str) {
    if !is_truthy(c.document.pointer(at)) {
        hits.push(Hit::new(nearest(c.document, at), message));
    }
}

fn success_response(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        let responses = op.value.get("responses").and_then(Value::as_object);
        let ok = responses.is_some_and(|map| {
            map.keys().any(|code| {
                let code = code.to_ascii_uppercase();
                code.starts_with('2') || code.starts_with('3')
            })
        });
        if !ok {
            let at = if responses.is_some() {
                format!("{}/responses", op.pointer)
            } else {
                op.pointer.clone()
            };
            hits.push(Hit::new(at, "operation has no 2xx or 3xx response"));
        }
    }
}

fn operation_id_unique(c: &Context, hits: &mut Vec<Hit>) {
    let mut seen = HashSet::new();
    for op in c.operations() {
        if let Some(id) = op.value.get("operationId").and_then(Value::as_str)
            && !seen.insert(id.to_owned())
        {
            hits.push(Hit::new(
                format!("{}/operationId", op.pointer),
                format!("operationId `{id}` is used by another operation"),
            ));
        }
    }
}

fn operation_parameters(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        let Some(parameters) = op.value.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        let mut seen = HashMap::new();
        for (index, parameter) in parameters.iter().enumerate() {
            let parameter = c.resolve(parameter);
            let (Some(name), Some(place)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Header names are case-insensitive (RFC 9110), the others are not.
            let name = if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            if let Some(first) = seen.insert((name.clone(), place.to_owned()), index) {
                hits.push(Hit::new(
                    format!("{}/parameters/{index}", op.pointer),
                    format!("a parameter `{name}` in {place} is already declared at index {first}"),
                ));
            }
        }
    }
}

fn global_tags<'v>(c: &Context<'v>) -> Vec<(usize, &'v str)> {
    c.document
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(at, tag)| tag.get("name").and_then(Value::as_str).map(|n| (at, n)))
        .collect()
}

fn tag_defined(c: &Context, hits: &mut Vec<Hit>) {
    let defined: HashSet<&str> = global_tags(c).into_iter().map(|(_, name)| name).collect();
    for op in c.operations() {
        for (index, tag) in op
            .value
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(tag) = tag.as_str()
                && !defined.contains(tag)
            {
                hits.push(Hit::new(
                    format!("{}/tags/{index}", op.pointer),
                    format!("operation tag `{tag}` is not defined in the global tags"),
                ));
            }
        }
    }
}

/// The `{name}`s of a path template, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn path_params(c: &Context, hits: &mut Vec<Hit>) {
    let Some(paths) = c.document.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut shapes: HashMap<String, String> = HashMap::new();
    for (path, item) in paths {
        let path_at = pointer::join("/paths", path);
        let names = template_names(path);
        let mut unique = HashSet::new();
        for name in &names {
            if !name.is_empty() && !unique.insert(*name) {
                hits.push(Hit::new(
                    path_at.clone(),
                    format!("path `{path}` declares the parameter `{{{name}}}` more than once"),
                ));
            }
        }
        // Paths that differ only in their parameters' names are the same path to a router.
        let mut shape = String::new();
        let mut rest = path.as_str();
        while let Some(open) = rest.find('{') {
            shape.push_str(&rest[..open]);
            shape.push_str("{}");
            rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
        }
        shape.push_str(rest);
        if let Some(other) = shapes.insert(shape, path.clone()) {
            hits.push(Hit::new(
                path_at.clone(),
                format!("path `{path}` is equivalent to `{other}`"),
            ));
        }
        let mut declared_at_path: BTreeMap<String, String> = BTreeMap::new();
        check_declared(
            c,
            item.get("parameters"),
            &format!("{path_at}/parameters"),
            &names,
            &mut declared_at_path,
            hits,
        );
        let operations: Vec<&str> = METHODS
            .iter()
            .copied()
            .filter(|method| item.get(*method).is_some_and(Value::is_object))
            .collect();
        for method in &operations {
            let op_at = format!("{path_at}/{method}");
            let mut declared = declared_at_path.clone();
            check_declared(
                c,
                item[*method].get("parameters"),
                &format!("{op_at}/parameters"),
                &names,
                &mut declared,
                hits,
            );
            for name in names.iter().filter(|name| !name.is_empty()) {
                if !declared.contains_key(*name) {
                    hits.push(Hit::new(
                        op_at.clone(),
                        format!("operation must define the path parameter `{{{name}}}` as expected by `{path}`"),
                    ));
                }
            }
        }
    }
}

fn check_declared(
    c: &Context,
    parameters: Option<&Value>,
    at: &str,
    names: &[&str],
    declared: &mut BTreeMap<String, String>,
    hits: &mut Vec<Hit>,
) {
    let mut here = HashSet::new();
    for (index, parameter) in parameters
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let parameter = c.resolve(parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let item_at = format!("{at}/{index}");
        if parameter.get("required") != Some(&Value::Bool(true)) {
            hits.push(Hit::new(
                item_at.clone(),
                format!("path parameter `{name}` must have `required` set to `true`"),
            ));
        }
        if !here.insert(name.to_owned()) {
            hits.push(Hit::new(
                item_at.clone(),
                format!("path parameter `{name}` is defined more than once"),
            ));
        }
        if !names.contains(&name) {
            hits.push(Hit::new(
                item_at.clone(),
                format!("parameter `{name}` is in path but the path has no `{{{name}}}`"),
            ));
        }
        declared.insert(name.to_owned(), item_at);
    }
}

fn contact_properties(c: &Context, hits: &mut Vec<Hit>) {
    let Some(contact) = c.document.pointer("/info/contact") else {
        return;
    };
    for field in ["name", "url", "email"] {
        if !is_truthy(contact.get(field)) {
            hits.push(Hit::new(
                "/info/contact",
                format!("contact has no `{field}`"),
            ));
        }
    }
}

fn duplicated_enum(c: &Context, hits: &mut Vec<Hit>) {
    walk(c.document, String::new(), &mut |at, value| {
        let Some(values) = value.get("enum").and_then(Value::as_array) else {
            return;
        };
        // Under `properties`, `enum` names a property, not a list of values.
        if at.rsplit_once('/').map(|(_, key)| key) == Some("properties") {
            return;
        }
        for (index, value) in values.iter().enumerate() {
            if values[..index].contains(value) {
                hits.push(Hit::new(
                    format!("{at}/enum/{index}"),
                    format!("enum entry {index} repeats an earlier entry"),
                ));
            }
        }
    });
}

fn markdown(c: &Context, hits: &mut Vec<Hit>, needle: &str) {
    walk(c.document, String::new(), &mut |at, value| {
        if let Some(text) = value.as_str()
            && (at.ends_with("/description") || at.ends_with("/title"))
            && text.contains(needle)
        {
            hits.push(Hit::new(
                at,
                format!("markdown must not contain `{needle}`"),
            ));
        }
    });
}

fn tags_alphabetical(c: &Context, hits: &mut Vec<Hit>) {
    let tags = global_tags(c);
    for pair in tags.windows(2) {
        if pair[1].1 < pair[0].1 {
            hits.push(Hit::new(
                format!("/tags/{}", pair[1].0),
                format!("tag `{}` must come before `{}`", pair[1].1, pair[0].1),
            ));
        }
    }
}

fn tags_unique(c: &Context, hits: &mut Vec<Hit>) {
    let mut seen = HashSet::new();
    for (at, name) in global_tags(c) {
        if !seen.insert(name) {
            hits.push(Hit::new(
                format!("/tags/{at}/name"),
                format!("tag `{name}` is defined more than once"),
            ));
        }
    }
}

fn openapi_tags(c: &Context, hits: &mut Vec<Hit>) {
    if c.document
        .get("tags")
        .and_then(Value::as_array)
        .is_none_or(|tags| tags.is_empty())
    {
        hits.push(Hit::new(
            nearest(c.document, "/tags"),
            "the document has no tags",
        ));
    }
}

fn operation_field(c: &Context, hits: &mut Vec<Hit>, field: &str) {
    for op in c.operations() {
        if !is_truthy(op.value.get(field)) {
            hits.push(Hit::new(
                op.pointer.clone(),
                format!("operation has no `{field}`"),
            ));
        }
    }
}

fn operation_id_url(c: &Context, hits: &mut Vec<Hit>) {
    const ALLOWED: &str = "-._~:/?#[]@!$&'()*+,;=";
    for op in c.operations() {
        if let Some(id) = op.value.get("operationId").and_then(Value::as_str)
            && !id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ALLOWED.contains(ch))
        {
            hits.push(Hit::new(
                format!("{}/operationId", op.pointer),
                "operationId holds characters that are not valid in a URL",
            ));
        }
    }
}

fn singular_tag(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        if op
            .value
            .get("tags")
            .and_then(Value::as_array)
            .is_some_and(|tags| tags.len() > 1)
        {
            hits.push(Hit::new(
                format!("{}/tags", op.pointer),
                "operation has more than one tag",
            ));
        }
    }
}

fn operation_tags(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        if op
            .value
            .get("tags")
            .and_then(Value::as_array)
            .is_none_or(|tags| tags.is_empty())
        {
            let at = if op.value.get("tags").is_some() {
                format!("{}/tags", op.pointer)
            } else {
                op.pointer.clone()
            };
            hits.push(Hit::new(at, "operation has no tags"));
        }
    }
}

fn path_key(c: &Context, hits: &mut Vec<Hit>, broken: fn(&str) -> bool, message: &str) {
    for path in c
        .document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        if broken(path) {
            hits.push(Hit::new(
                pointer::join("/paths", path),
                format!("path `{path}` {message}"),
            ));
        }
    }
}

fn tag_description(c: &Context, hits: &mut Vec<Hit>) {
    for (at, tag) in c
        .document
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !is_truthy(tag.get("description")) {
            hits.push(Hit::new(format!("/tags/{at}"), "tag has no description"));
        }
    }
}

/// Subtrees that hold data, not OpenAPI objects: rules about the document's structure skip them.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Object nodes outside data subtrees (examples, defaults, enums, extension values).
/// Every object of the document that is OpenAPI structure (not example data), with its pointer;
/// computed once per spec and shared by every rule that asks (nine of them).
fn structural_objects<'c, 'v>(
    c: &'c Context<'v>,
) -> &'c [(String, &'v serde_json::Map<String, Value>)] {
    c.structural.get_or_init(|| find_structural_objects(c))
}

fn find_structural_objects<'v>(
    c: &Context<'v>,
) -> Vec<(String, &'v serde_json::Map<String, Value>)> {
    fn go<'v>(
        value: &'v Value,
        at: &mut String,
        in_examples: bool,
        out: &mut Vec<(String, &'v serde_json::Map<String, Value>)>,
    ) {
        let len = at.len();
        match value {
            Value::Object(map) => {
                out.push((at.clone(), map));
                for (key, child) in map {
                    if is_data_key(key) || (in_examples && key == "value") {
                        continue;
                    }
                    // Only objects and arrays hold structure; a scalar needs no pointer.
                    if !child.is_object() && !child.is_array() {
                        continue;
                    }
                    at.push('/');
                    pointer::push_escaped(at, key);
                    // An Example object under `examples` holds its data in `value`.
                    if key == "examples"
                        && let Some(items) = child.as_object()
                    {
                        let examples = at.len();
                        for (name, example) in items {
                            at.push('/');
                            pointer::push_escaped(at, name);
                            go(example, at, true, out);
                            at.truncate(examples);
                        }
                    } else {
                        go(child, at, false, out);
                    }
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    super::push_index(at, index);
                    go(child, at, false, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(c.document, &mut String::new(), false, &mut out);
    out
}

fn ref_siblings(c: &Context, hits: &mut Vec<Hit>) {
    for (at, map) in structural_objects(c) {
        if !map.get("$ref").is_some_and(Value::is_string) {
            continue;
        }
        // Under `properties`, keys are names, and a property called `$ref` is no reference.
        if at.ends_with("/properties") {
            continue;
        }
        for key in map.keys().filter(|key| *key != "$ref") {
            hits.push(Hit::new(
                pointer::join(at, key),
                format!("`{key}` must not be placed beside $ref"),
            ));
        }
    }
}

fn array_items(c: &Context, hits: &mut Vec<Hit>) {
    for (at, map) in structural_objects(c) {
        if map.get("type").and_then(Value::as_str) == Some("array")
            && !at.ends_with("/properties")
            && !is_truthy(map.get("items"))
        {
            hits.push(Hit::new(
                at,
                "a schema with `type: array` needs a sibling `items`",
            ));
        }
    }
}

fn matches_type(value: &Value, kind: &str, nullable: bool) -> bool {
    match value {
        Value::Null => nullable,
        Value::Bool(_) => kind == "boolean",
        Value::String(_) => kind == "string",
        Value::Number(number) => match kind {
            "number" => true,
            "integer" => {
                number.is_i64()
                    || number.is_u64()
                    || number.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        Value::Array(_) => kind == "array",
        Value::Object(_) => kind == "object",
    }
}

fn typed_enum(c: &Context, hits: &mut Vec<Hit>) {
    for (at, map) in structural_objects(c) {
        let (Some(values), Some(kind)) = (
            map.get("enum").and_then(Value::as_array),
            map.get("type").and_then(Value::as_str),
        ) else {
            continue;
        };
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        for (index, value) in values.iter().enumerate() {
            if !matches_type(value, kind, nullable) {
                hits.push(Hit::new(
                    format!("{at}/enum/{index}"),
                    format!("enum entry {index} is not of type `{kind}`"),
                ));
            }
        }
    }
}

fn api_servers(c: &Context, hits: &mut Vec<Hit>) {
    match c.document.get("servers") {
        Some(Value::Array(servers)) if !servers.is_empty() => {
            for (index, server) in servers.iter().enumerate() {
                if !server.is_object() {
                    hits.push(Hit::new(
                        format!("/servers/{index}"),
                        "a server must be an object",
                    ));
                }
            }
        }
        Some(_) => hits.push(Hit::new("/servers", "servers must be a non-empty array")),
        None => hits.push(Hit::new("", "the document has no servers")),
    }
}

/// Every `examples` map of media types, parameters and headers, and `components.examples`.
fn example_maps<'v>(c: &Context<'v>) -> Vec<(String, &'v serde_json::Map<String, Value>)> {
    let mut out = Vec::new();
    if let Some(map) = c
        .document
        .pointer("/components/examples")
        .and_then(Value::as_object)
    {
        out.push(("/components/examples".to_owned(), map));
    }
    for (at, map) in structural_objects(c) {
        if let Some(examples) = map.get("examples").and_then(Value::as_object)
            && (map.contains_key("schema") || map.contains_key("content"))
        {
            out.push((format!("{at}/examples"), examples));
        }
    }
    out
}

fn example_value_xor(c: &Context, hits: &mut Vec<Hit>) {
    for (at, examples) in example_maps(c) {
        for (name, example) in examples {
            let Some(example) = example.as_object() else {
                continue;
            };
            if example.contains_key("$ref") {
                continue;
            }
            let count = ["value", "externalValue"]
                .iter()
                .filter(|k| example.contains_key(**k))
                .count();
            if count != 1 {
                hits.push(Hit::new(
                    pointer::join(&at, name),
                    "an example must have either `value` or `externalValue`, not both or neither",
                ));
            }
        }
    }
}

fn security_defined(c: &Context, hits: &mut Vec<Hit>) {
    let schemes = c
        .document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut check = |at: String, requirements: Option<&Value>| {
        for (index, requirement) in requirements
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            for name in requirement
                .as_object()
                .into_iter()
                .flat_map(|map| map.keys())
            {
                if !schemes.is_some_and(|schemes| schemes.contains_key(name)) {
                    hits.push(Hit::new(
                        format!("{at}/{index}/{}", pointer::escape(name)),
                        format!(
                            "security scheme `{name}` is not defined in components.securitySchemes"
                        ),
                    ));
                }
            }
        }
    };
    check("/security".to_owned(), c.document.get("security"));
    for op in c.operations() {
        check(format!("{}/security", op.pointer), op.value.get("security"));
    }
}

fn parameter_description(c: &Context, hits: &mut Vec<Hit>) {
    let mut lists: Vec<(String, Vec<(String, &Value)>)> = Vec::new();
    for (path, item) in c
        .document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = pointer::join("/paths", path);
        let mut owners = vec![(format!("{at}/parameters"), item.get("parameters"))];
        for method in METHODS {
            owners.push((
                format!("{at}/{method}/parameters"),
                item.get(method).and_then(|op| op.get("parameters")),
            ));
        }
        for (at, list) in owners {
            let items = list
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(index, value)| (format!("{at}/{index}"), value))
                .collect();
            lists.push((at, items));
        }
    }
    if let Some(map) = c
        .document
        .pointer("/components/parameters")
        .and_then(Value::as_object)
    {
        lists.push((
            String::new(),
            map.iter()
                .map(|(name, value)| (pointer::join("/components/parameters", name), value))
                .collect(),
        ));
    }
    for (_, items) in lists {
        for (at, parameter) in items {
            if parameter.get("in").is_some() && !is_truthy(parameter.get("description")) {
                hits.push(Hit::new(at, "parameter has no description"));
            }
        }
    }
}

/// Every server list of the document: the root's, path items' and operations'.
fn server_lists<'v>(c: &Context<'v>) -> Vec<(String, &'v Vec<Value>)> {
    let mut out = Vec::new();
    if let Some(list) = c.document.get("servers").and_then(Value::as_array) {
        out.push(("/servers".to_owned(), list));
    }
    for (path, item) in c
        .document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = pointer::join("/paths", path);
        if let Some(list) = item.get("servers").and_then(Value::as_array) {
            out.push((format!("{at}/servers"), list));
        }
        for method in METHODS {
            if let Some(list) = item
                .get(method)
                .and_then(|op| op.get("servers"))
                .and_then(Value::as_array)
            {
                out.push((format!("{at}/{method}/servers"), list));
            }
        }
    }
    out
}

fn server_url(c: &Context, hits: &mut Vec<Hit>, broken: fn(&str) -> bool, message: &str) {
    // Spectral's `$.servers[*].url` looks at the root's servers only.
    for (index, server) in c
        .document
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(url) = server.get("url").and_then(Value::as_str)
            && broken(url)
        {
            hits.push(Hit::new(
                format!("/servers/{index}/url"),
                format!("server URL `{url}` {message}"),
            ));
        }
    }
}

/// Media type, parameter and header objects with a schema beside `example`/`examples`.
fn media_examples(c: &Context, hits: &mut Vec<Hit>) {
    for (at, map) in structural_objects(c) {
        let Some(schema) = map.get("schema") else {
            continue;
        };
        let schema_at = format!("{at}/schema");
        if let Some(example) = map.get("example")
            && let Err(message) = c.check_example(schema, &schema_at, example)
        {
            hits.push(Hit::new(
                format!("{at}/example"),
                format!("example does not match its schema: {message}"),
            ));
        }
        for (name, example) in map
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let example = c.resolve(example);
            let Some(value) = example.get("value") else {
                continue;
            };
            if let Err(message) = c.check_example(schema, &schema_at, value) {
                hits.push(Hit::new(
                    format!("{at}/examples/{}/value", pointer::escape(name)),
                    format!("example `{name}` does not match its schema: {message}"),
                ));
            }
        }
    }
}

fn schema_examples(c: &Context, hits: &mut Vec<Hit>) {
    const SCHEMA_KEYS: [&str; 6] = ["enum", "type", "format", "$ref", "properties", "items"];
    for (at, map) in structural_objects(c) {
        if at.ends_with("/properties") || !SCHEMA_KEYS.iter().any(|key| map.contains_key(*key)) {
            continue;
        }
        // Parameters and headers hold `example` beside `schema`: that is a media example.
        if map.contains_key("schema") || map.contains_key("in") {
            continue;
        }
        let schema = Value::Object((*map).clone());
        for field in ["example", "default"] {
            if let Some(value) = map.get(field)
                && let Err(message) = c.check_example(&schema, at, value)
            {
                hits.push(Hit::new(
                    format!("{at}/{field}"),
                    format!("schema {field} does not match the schema: {message}"),
                ));
            }
        }
    }
}

fn document_schema(c: &Context, hits: &mut Vec<Hit>) {
    for diagnostic in c.diagnostics {
        hits.push(Hit::new(
            diagnostic.pointer.clone(),
            diagnostic.message.clone(),
        ));
    }
    for field in ["openapi", "info", "paths"] {
        if c.document.get(field).is_none() {
            hits.push(Hit::new("", format!("the document has no `{field}`")));
        }
    }
    for field in ["title", "version"] {
        if c.document
            .get("info")
            .is_some_and(|info| info.get(field).is_none())
        {
            hits.push(Hit::new("/info", format!("info has no `{field}`")));
        }
    }
}

fn unused_component(c: &Context, hits: &mut Vec<Hit>) {
    const KINDS: [&str; 8] = [
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "links",
        "callbacks",
    ];
    let mut used = BTreeSet::new();
    walk(c.document, String::new(), &mut |at, value| {
        if at.ends_with("/$ref")
            && let Some(target) = value.as_str().and_then(|r| r.strip_prefix('#'))
        {
            used.insert(target.to_owned());
        }
    });
    for kind in KINDS {
        let base = format!("/components/{kind}");
        for name in c
            .document
            .pointer(&base)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let at = pointer::join(&base, name);
            if !used.contains(&at) {
                hits.push(Hit::new(
                    at,
                    format!("component `{name}` is never referenced"),
                ));
            }
        }
    }
}

fn is_runtime_expression(text: &str) -> bool {
    let source = |rest: &str| {
        rest.strip_prefix("header.")
            .is_some_and(|name| !name.is_empty())
            || rest
                .strip_prefix("query.")
                .is_some_and(|name| !name.is_empty())
            || rest
                .strip_prefix("path.")
                .is_some_and(|name| !name.is_empty())
            || rest == "body"
            || rest
                .strip_prefix("body#")
                .is_some_and(|p| p.is_empty() || p.starts_with('/'))
    };
    matches!(text, "$url" | "$method" | "$statusCode")
        || text.strip_prefix("$request.").is_some_and(source)
        || text.strip_prefix("$response.").is_some_and(|rest| {
            !rest.starts_with("query.") && !rest.starts_with("path.") && source(rest)
        })
}

fn link_expressions(c: &Context, hits: &mut Vec<Hit>) {
    for (at, map) in structural_objects(c) {
        if !at.contains("/links/") {
            continue;
        }
        for (name, value) in map
            .get("parameters")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(text) = value.as_str()
                && text.starts_with('$')
                && !is_runtime_expression(text)
            {
                hits.push(Hit::new(
                    format!("{at}/parameters/{}", pointer::escape(name)),
                    format!("`{text}` is not a valid runtime expression"),
                ));
            }
        }
    }
}

fn server_variables(c: &Context, hits: &mut Vec<Hit>) {
    for (list_at, servers) in server_lists(c) {
        for (index, server) in servers.iter().enumerate() {
            let at = format!("{list_at}/{index}");
            let Some(url) = server.get("url").and_then(Value::as_str) else {
                continue;
            };
            let names = template_names(url);
            let variables = server.get("variables").and_then(Value::as_object);
            for name in &names {
                if !variables.is_some_and(|v| v.contains_key(*name)) {
                    hits.push(Hit::new(
                        format!("{at}/url"),
                        format!("server variable `{name}` is not defined"),
                    ));
                }
            }
            for (name, variable) in variables.into_iter().flatten() {
                let variable_at = format!("{at}/variables/{}", pointer::escape(name));
                if !names.contains(&name.as_str()) {
                    hits.push(Hit::new(
                        variable_at.clone(),
                        format!("server variable `{name}` is not used in the URL"),
                    ));
                }
                match variable.get("default") {
                    None => hits.push(Hit::new(
                        variable_at.clone(),
                        format!("server variable `{name}` has no default"),
                    )),
                    Some(default) => {
                        if let Some(values) = variable.get("enum").and_then(Value::as_array)
                            && !values.contains(default)
                        {
                            hits.push(Hit::new(
                                format!("{variable_at}/default"),
                                format!("the default of `{name}` is not one of its enum values"),
                            ));
                        }
                    }
                }
            }
        }
    }
}

fn callbacks_in_callbacks(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        for (name, callback) in op
            .value
            .get("callbacks")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (expression, item) in callback.as_object().into_iter().flatten() {
                for (method, inner) in item.as_object().into_iter().flatten() {
                    if inner.get("callbacks").is_some() {
                        hits.push(Hit::new(
                            format!(
                                "{}/callbacks/{}/{}/{}/callbacks",
                                op.pointer,
                                pointer::escape(name),
                                pointer::escape(expression),
                                pointer::escape(method)
                            ),
                            "callbacks must not be defined within a callback",
                        ));
                    }
                }
            }
        }
    }
}

fn error_examples(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        for (status, response) in op
            .value
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let response_at = format!("{}/responses/{status}", op.pointer);
            let response = c.resolve(response);
            for (media, content) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let named = content
                    .get("examples")
                    .and_then(Value::as_object)
                    .is_some_and(|e| !e.is_empty());
                if !named {
                    hits.push(Hit::new(
                        format!("{response_at}/content/{}", pointer::escape(media)),
                        format!(
                            "error status {status} ({media}) has no named example under `examples`"
                        ),
                    ));
                }
            }
        }
    }
}

/// The words of a field name (`cardNumber`, `card_number`, `x-card-number` → card, number).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if ch.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a field name marks a secret or a personal identifier.
pub fn names_a_secret(name: &str) -> bool {
    const ANYWHERE: [&str; 9] = [
        "pan", "cvv", "cvv2", "cvc", "password", "passwd", "cpf", "curp", "ssn",
    ];
    // A token, PIN or secret is the value itself when it ends the name (`accessToken`), not when
    // it qualifies another word (`tokenType`, `pinAttempts`).
    const LAST: [&str; 4] = ["token", "pin", "secret", "nip"];
    const PAIRS: [(&str, &str); 5] = [
        ("card", "number"),
        ("activation", "code"),
        ("identity", "number"),
        ("identification", "number"),
        ("security", "code"),
    ];
    // Words that make the field about a secret rather than the secret itself: a masked form, a
    // part that is safe to show (BIN, last four), or a setting (`cvvRotationIntervalHours`).
    const QUALIFIERS: [&str; 16] = [
        "masked", "mask", "last", "first", "bin", "length", "interval", "hours", "rotation",
        "type", "attempts", "expires", "expiry", "status", "count", "hint",
    ];
    let words = words(name);
    if words.iter().any(|word| QUALIFIERS.contains(&word.as_str())) {
        return false;
    }
    words.iter().any(|word| ANYWHERE.contains(&word.as_str()))
        || words
            .last()
            .is_some_and(|word| LAST.contains(&word.as_str()))
        || words
            .windows(2)
            .any(|pair| PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
}

/// Whether a schema is marked `x-sensitive`, or wraps the secret in an object whose every
/// property is (up.money's `{"value": ...}` wrappers), following local references.
fn covered(c: &Context, schema: &Value, depth: usize) -> bool {
    let resolved = c.resolve(schema);
    if schema.get("x-sensitive") == Some(&Value::Bool(true))
        || resolved.get("x-sensitive") == Some(&Value::Bool(true))
    {
        return true;
    }
    match resolved.get("properties").and_then(Value::as_object) {
        Some(properties) if !properties.is_empty() && depth < 8 => properties
            .values()
            .all(|property| covered(c, property, depth + 1)),
        _ => false,
    }
}

fn sensitive_fields(c: &Context, hits: &mut Vec<Hit>) {
    let marked = |schema: &Value| covered(c, schema, 0);
    for (at, map) in structural_objects(c) {
        // Properties of a schema.
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                let format = c.resolve(schema).get("format").and_then(Value::as_str);
                if (names_a_secret(name) || format == Some("password")) && !marked(schema) {
                    hits.push(Hit::new(
                        format!("{at}/properties/{}", pointer::escape(name)),
                        format!("field `{name}` holds a secret and needs `x-sensitive: true`"),
                    ));
                }
            }
        }
        // Parameters (headers such as a session token).
        if let (Some(name), Some(_), Some(schema)) = (
            map.get("name").and_then(Value::as_str),
            map.get("in").and_then(Value::as_str),
            map.get("schema"),
        ) && names_a_secret(name)
            && !marked(schema)
        {
            hits.push(Hit::new(
                format!("{at}/schema"),
                format!(
                    "parameter `{name}` holds a secret and its schema needs `x-sensitive: true`"
                ),
            ));
        }
    }
}

/// Keys of these maps are names the spec chooses, not fields of an OpenAPI object.
fn names_map(parent: &str) -> bool {
    matches!(
        parent,
        "properties"
            | "paths"
            | "headers"
            | "examples"
            | "schemas"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "content"
            | "encoding"
            | "variables"
            | "mapping"
            | "scopes"
            | "definitions"
            | "patternProperties"
    )
}

fn known_extensions(c: &Context, hits: &mut Vec<Hit>) {
    let documented = match &c.extensions {
        Ok(names) => names,
        Err(why) => {
            hits.push(Hit::new(
                "",
                format!("the documented extensions could not be read: {why}"),
            ));
            return;
        }
    };
    for (at, map) in structural_objects(c) {
        let parent = at
            .rsplit('/')
            .next()
            .map(pointer::unescape)
            .unwrap_or_default();
        // `responses` under an operation holds status codes; under components it holds names.
        let status_codes = parent == "responses" && !at.starts_with("/components");
        if names_map(&parent) && !status_codes {
            continue;
        }
        for key in map.keys().filter(|key| key.starts_with("x-")) {
            if !documented.iter().any(|name| name == key) {
                hits.push(Hit::new(
                    pointer::join(at, key),
                    format!("extension `{key}` is not documented in the extensions table of specs/README.md"),
                ));
            }
        }
    }
}

const DISCREPANCY_KINDS: [&str; 9] = [
    "sample-breaks-rule",
    "invalid-json",
    "placeholder",
    "misspelling",
    "two-hosts",
    "name-mismatch",
    "repeated-message",
    "conflicting-rule",
    "notes-conflict",
];

fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        })
}

fn doc_discrepancies(c: &Context, hits: &mut Vec<Hit>) {
    let mut ids: HashMap<String, String> = HashMap::new();
    for op in c.operations() {
        let Some(list) = op.value.get("x-doc-discrepancies") else {
            continue;
        };
        let list_at = format!("{}/x-doc-discrepancies", op.pointer);
        let Some(items) = list.as_array() else {
            hits.push(Hit::new(
                list_at,
                "x-doc-discrepancies must be a list of discrepancy objects",
            ));
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            let at = format!("{list_at}/{index}");
            let Some(object) = item.as_object() else {
                hits.push(Hit::new(at, "a discrepancy must be an object"));
                continue;
            };
            for field in ["id", "kind", "document", "conflict", "decision"] {
                if object
                    .get(field)
                    .and_then(Value::as_str)
                    .is_none_or(|t| t.trim().is_empty())
                {
                    hits.push(Hit::new(
                        at.clone(),
                        format!("discrepancy needs a non-empty string `{field}`"),
                    ));
                }
            }
            for key in object.keys() {
                if !["id", "kind", "document", "conflict", "decision", "samples"]
                    .contains(&key.as_str())
                {
                    hits.push(Hit::new(
                        pointer::join(&at, key),
                        format!("`{key}` is not a field of a discrepancy"),
                    ));
                }
            }
            if let Some(id) = object.get("id").and_then(Value::as_str) {
                if !is_kebab(id) {
                    hits.push(Hit::new(
                        format!("{at}/id"),
                        format!("discrepancy id `{id}` is not kebab-case"),
                    ));
                }
                if let Some(first) = ids.insert(id.to_owned(), at.clone()) {
                    hits.push(Hit::new(
                        format!("{at}/id"),
                        format!("discrepancy id `{id}` is already used at #{first}"),
                    ));
                }
            }
            if let Some(kind) = object.get("kind").and_then(Value::as_str)
                && !DISCREPANCY_KINDS.contains(&kind)
            {
                hits.push(Hit::new(
                    format!("{at}/kind"),
                    format!("`{kind}` is not a discrepancy kind listed in specs/README.md"),
                ));
            }
            if let Some(samples) = object.get("samples")
                && !samples
                    .as_array()
                    .is_some_and(|list| list.iter().all(Value::is_string))
            {
                hits.push(Hit::new(
                    format!("{at}/samples"),
                    "`samples` must be a list of file names",
                ));
            }
        }
    }
}

fn deprecated_replacement(c: &Context, hits: &mut Vec<Hit>) {
    for op in c.operations() {
        if op.value.get("deprecated") != Some(&Value::Bool(true)) {
            continue;
        }
        match op.value.get("x-replaced-by") {
            Some(Value::String(text)) if !text.trim().is_empty() => {}
            Some(_) => hits.push(Hit::new(
                format!("{}/x-replaced-by", op.pointer),
                "x-replaced-by must name the replacement (an operationId or a description)",
            )),
            None => hits.push(Hit::new(
                format!("{}/deprecated", op.pointer),
                "deprecated operation does not name its replacement in `x-replaced-by`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mark_secrets() {
        for name in [
            "cardNumber",
            "card_number",
            "cvv",
            "PIN",
            "accessToken",
            "x-connectfi-token",
            "activationCode",
            "password",
            "cpf",
            "curp",
            "identityNumber",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "tokenType",
            "company",
            "expiresIn",
            "panel",
            "spin",
            "cardId",
            "masked_card_number",
            "cardNumberLastFour",
            "cvv_rotation_interval_hours",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
    }

    #[test]
    fn names_are_unique_and_kebab() {
        let mut seen = HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.name), "{} twice", rule.name);
        }
        assert!(is_runtime_expression("$request.body#/id"));
        assert!(!is_runtime_expression("$request.bogus"));
    }
}

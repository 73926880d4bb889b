//! The view model of the docs site: everything a page shows, read from a loaded contract
//! (`check::contract::Contract`: operations with references resolved; its converter for
//! schemas). Templates see only these types. Must not decide OpenAPI semantics (that is
//! `spec::convert`) nor produce markup (that is the templates).

use serde_json::Value;

use crate::check::contract::{Contract, Operation};
use crate::codegen::generate::{crate_base_name, spec_label};
use crate::spec::convert::Direction;
use crate::spec::pointer;

use super::anchor;
use super::examples::{Line, Sensitivity, error_code_and_message};
use super::schema::{Row, Tables};

/// Where `contract mock` listens by default; each spec is served under `/<crate base name>`.
pub const MOCK_BASE: &str = "http://127.0.0.1:4010";

/// Text from the spec, split where it marks inline code with backticks, so templates can
/// show `code` as code while still escaping every character.
#[derive(Debug, Clone, Default)]
pub struct Prose(pub Vec<Segment>);

#[derive(Debug, Clone)]
pub struct Segment {
    pub code: bool,
    pub text: String,
}

impl Prose {
    pub fn new(text: &str) -> Prose {
        let parts: Vec<&str> = text.split('`').collect();
        // An unpaired backtick is text, not the start of code.
        let paired = parts.len() % 2 == 1;
        let mut segments = Vec::with_capacity(parts.len());
        for (index, part) in parts.iter().enumerate() {
            let code = paired && index % 2 == 1;
            if part.is_empty() {
                continue;
            }
            let text = if !paired && index > 0 {
                format!("`{part}")
            } else {
                (*part).to_owned()
            };
            segments.push(Segment { code, text });
        }
        Prose(segments)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One spec's page.
#[derive(Debug)]
pub struct Provider {
    /// The crate base name: the page file (`upmoney.html`) and the mock prefix (`/upmoney`).
    pub name: String,
    pub title: String,
    pub version: String,
    pub description: Prose,
    /// The spec file, as given (`specs/upmoney.yaml`).
    pub source: String,
    pub servers: Vec<Server>,
    pub mock_url: String,
    pub security_schemes: Vec<SecurityScheme>,
    pub operations: Vec<OperationView>,
    pub schemas: Vec<SchemaView>,
    pub error_count: usize,
    pub discrepancy_count: usize,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Prose,
}

#[derive(Debug)]
pub struct SecurityScheme {
    pub anchor: String,
    pub name: String,
    /// `apiKey in header x-secret`, `http bearer`, ...
    pub kind: Prose,
    pub description: Prose,
}

#[derive(Debug)]
pub struct OperationView {
    pub anchor: String,
    /// The operationId, else `METHOD /path`.
    pub key: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: Prose,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// `x-replaced-by`: a link when it names an operation of the same spec.
    pub replaced_by: Option<Replacement>,
    pub idempotent: Option<bool>,
    pub servers: Vec<Server>,
    /// Alternatives; each a list of scheme names that must all be present.
    pub security: Vec<Vec<SchemeRef>>,
    pub parameters: Vec<ParameterView>,
    pub request: Option<Body>,
    pub responses: Vec<ResponseView>,
    pub errors: Vec<ErrorView>,
    pub discrepancies: Vec<Discrepancy>,
    pub curl: String,
}

#[derive(Debug)]
pub struct Replacement {
    pub text: String,
    pub href: Option<String>,
}

#[derive(Debug)]
pub struct SchemeRef {
    pub name: String,
    pub href: String,
}

#[derive(Debug)]
pub struct ParameterView {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub description: Prose,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Body {
    pub required: bool,
    pub media_types: Vec<String>,
    pub description: Prose,
    pub rows: Vec<Row>,
    pub examples: Vec<Example>,
}

#[derive(Debug)]
pub struct Example {
    pub anchor: String,
    pub name: String,
    pub summary: String,
    pub lines: Vec<Line>,
    pub has_sensitive: bool,
}

#[derive(Debug)]
pub struct ResponseView {
    pub status: String,
    pub description: Prose,
    pub no_content: bool,
    pub body: Option<Body>,
    pub is_error: bool,
}

#[derive(Debug)]
pub struct ErrorView {
    pub status: String,
    /// Empty when the example or response carries no code.
    pub code: String,
    pub message: String,
    /// The example it comes from, if any.
    pub example_href: Option<String>,
}

#[derive(Debug)]
pub struct Discrepancy {
    pub id: String,
    pub kind: String,
    pub document: Prose,
    pub conflict: Prose,
    pub decision: Prose,
    pub samples: Vec<String>,
}

#[derive(Debug)]
pub struct SchemaView {
    pub anchor: String,
    pub name: String,
    pub rows: Vec<Row>,
}

/// Builds one provider's page model.
pub fn provider(contract: &Contract) -> Provider {
    let spec = contract.spec();
    let document = &spec.document;
    let text = |at: &str| string_at(document, at);
    let name = crate_base_name(&spec.path);
    let servers = servers(document.get("servers"));
    let tables = Tables {
        document,
        converter: contract.converter(),
    };
    let mut sensitivity = Sensitivity::new(contract.converter());
    // An operationId used twice (a spec defect lint reports) would give two elements one id;
    // those operations are keyed by `METHOD /path` instead, which is unique.
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for id in contract
        .operations()
        .iter()
        .filter_map(|operation| operation.operation_id.as_deref())
    {
        *uses.entry(id).or_default() += 1;
    }
    let operation_ids: std::collections::HashSet<&str> = uses
        .iter()
        .filter(|(_, count)| **count == 1)
        .map(|(id, _)| *id)
        .collect();
    let context = Context {
        contract,
        servers: &servers,
        name: &name,
        tables: &tables,
        operation_ids: &operation_ids,
    };
    // Spec order (the contract's) is the reading order.
    let operations: Vec<OperationView> = contract
        .operations()
        .iter()
        .map(|operation| {
            let key = match operation.operation_id.as_deref() {
                Some(id) if operation_ids.contains(id) => id.to_owned(),
                _ => format!("{} {}", operation.method, operation.template),
            };
            operation_view(&context, operation, key, &mut sensitivity)
        })
        .collect();
    let security_schemes = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| {
            schemes
                .iter()
                .map(|(scheme_name, scheme)| SecurityScheme {
                    anchor: anchor::security(scheme_name),
                    name: scheme_name.clone(),
                    kind: Prose::new(&scheme_kind(scheme)),
                    description: Prose::new(&string_at(scheme, "/description")),
                })
                .collect()
        })
        .unwrap_or_default();
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .keys()
                .map(|schema_name| SchemaView {
                    anchor: anchor::schema(schema_name),
                    name: schema_name.clone(),
                    rows: tables.component(schema_name),
                })
                .collect()
        })
        .unwrap_or_default();
    let error_count = operations.iter().map(|o| o.errors.len()).sum();
    let discrepancy_count = operations.iter().map(|o| o.discrepancies.len()).sum();
    Provider {
        mock_url: format!("{MOCK_BASE}/{name}"),
        name,
        title: text("/info/title"),
        version: text("/info/version"),
        description: Prose::new(&text("/info/description")),
        source: spec_label(&spec.path),
        servers,
        security_schemes,
        operations,
        schemas,
        error_count,
        discrepancy_count,
    }
}

/// What every operation of a page is read with.
#[derive(Clone, Copy)]
struct Context<'a> {
    contract: &'a Contract,
    /// The document's servers (an operation or path item may override them).
    servers: &'a [Server],
    name: &'a str,
    tables: &'a Tables<'a>,
    /// The operationIds used once: keys, anchors and `x-replaced-by` link targets.
    operation_ids: &'a std::collections::HashSet<&'a str>,
}

fn operation_view(
    context: &Context<'_>,
    operation: &Operation,
    key: String,
    sensitivity: &mut Sensitivity,
) -> OperationView {
    let Context {
        contract,
        servers: document_servers,
        name,
        tables,
        operation_ids,
    } = *context;
    let document = &contract.spec().document;
    let object = document.pointer(&operation.pointer).unwrap_or(&Value::Null);
    let path_item = operation
        .pointer
        .rsplit_once('/')
        .and_then(|(parent, _)| document.pointer(parent));
    // Operation servers override the path item's, which override the document's.
    let servers = [
        object.get("servers"),
        path_item.and_then(|item| item.get("servers")),
    ]
    .into_iter()
    .flatten()
    .map(|list| servers(Some(list)))
    .find(|list| !list.is_empty())
    .unwrap_or_else(|| document_servers.to_vec());
    let parameters = operation
        .parameters
        .iter()
        .map(|parameter| {
            let resolved = resolve(document, document.pointer(&parameter.pointer));
            ParameterView {
                name: parameter.name.clone(),
                location: parameter.part.to_string(),
                required: parameter.required,
                description: Prose::new(&string_at(resolved, "/description")),
                rows: parameter
                    .schema
                    .as_deref()
                    .map(|at| tables.message(at, Direction::Request))
                    .unwrap_or_default(),
            }
        })
        .collect::<Vec<_>>();
    let request = operation.request_body.as_ref().map(|body| {
        let object = resolve(document, object.get("requestBody"));
        let mut view = body_view(
            contract,
            tables,
            sensitivity,
            body.schema.as_deref(),
            object,
            Direction::Request,
            (&key, "request"),
        );
        view.required = body.required;
        if view.media_types.is_empty() {
            view.media_types = body.media_types.clone();
        }
        view
    });
    let mut responses = Vec::new();
    let mut errors = Vec::new();
    for response in &operation.responses {
        let object = resolve(
            document,
            object
                .get("responses")
                .and_then(|responses| responses.get(&response.key)),
        );
        let is_error = is_error_status(&response.key);
        let body = (!response.no_content).then(|| {
            body_view(
                contract,
                tables,
                sensitivity,
                response.schema.as_deref(),
                object,
                Direction::Response,
                (&key, &response.key),
            )
        });
        let description = string_at(object, "/description");
        if is_error {
            let before = errors.len();
            for (example_name, example) in
                named_examples(document, object, response.schema.as_deref())
            {
                let (codes, message) = error_code_and_message(&example.value);
                let message = message.unwrap_or_else(|| example.summary.clone());
                errors.push(ErrorView {
                    status: response.key.clone(),
                    code: codes.join(" / "),
                    message: if message.is_empty() {
                        first_sentence(&description)
                    } else {
                        message
                    },
                    example_href: Some(format!(
                        "#{}",
                        anchor::example(&key, &response.key, &example_name)
                    )),
                });
            }
            if errors.len() == before {
                errors.push(ErrorView {
                    status: response.key.clone(),
                    code: String::new(),
                    message: first_sentence(&description),
                    example_href: None,
                });
            }
        }
        responses.push(ResponseView {
            status: response.key.clone(),
            description: Prose::new(&description),
            no_content: response.no_content,
            body,
            is_error,
        });
    }
    let replaced_by = object
        .get("x-replaced-by")
        .and_then(Value::as_str)
        .map(|text| Replacement {
            text: text.to_owned(),
            href: operation_ids
                .contains(text)
                .then(|| format!("#{}", anchor::operation(text))),
        });
    let security = operation
        .security
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .map(|scheme| SchemeRef {
                    name: scheme.clone(),
                    href: format!("#{}", anchor::security(scheme)),
                })
                .collect()
        })
        .collect();
    let discrepancies = object
        .get("x-doc-discrepancies")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(discrepancy).collect())
        .unwrap_or_default();
    let curl = curl(contract, operation, object, name, request.as_ref());
    OperationView {
        anchor: anchor::operation(&key),
        method: operation.method.clone(),
        path: operation.template.clone(),
        summary: string_at(object, "/summary"),
        description: Prose::new(&string_at(object, "/description")),
        tags: object
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        deprecated: object.get("deprecated") == Some(&Value::Bool(true)),
        replaced_by,
        idempotent: object.get("x-idempotent").and_then(Value::as_bool),
        servers,
        security,
        parameters,
        request,
        responses,
        errors,
        discrepancies,
        curl,
        key,
    }
}

/// `4XX`, `5XX`, `4xx` codes and `default` (which the specs use for error bodies).
fn is_error_status(key: &str) -> bool {
    key.starts_with(['4', '5']) || key == "default"
}

struct NamedExample {
    value: Value,
    summary: String,
}

/// The named examples (`examples`, else the single `example`) of a message's JSON media type.
/// The media type is the parent of the schema pointer the contract resolved; without one,
/// the first media type of `object` (a request body or response object).
fn named_examples(
    document: &Value,
    object: &Value,
    schema: Option<&str>,
) -> Vec<(String, NamedExample)> {
    let media = schema
        .and_then(|at| at.strip_suffix("/schema"))
        .and_then(|at| document.pointer(at))
        .or_else(|| {
            object
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.values().next())
        });
    let Some(media) = media else {
        return Vec::new();
    };
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        return examples
            .iter()
            .map(|(name, example)| {
                let example = resolve(document, Some(example));
                (
                    name.clone(),
                    NamedExample {
                        value: example.get("value").cloned().unwrap_or(Value::Null),
                        summary: string_at(example, "/summary"),
                    },
                )
            })
            .collect();
    }
    media
        .get("example")
        .map(|value| {
            vec![(
                "example".to_owned(),
                NamedExample {
                    value: value.clone(),
                    summary: String::new(),
                },
            )]
        })
        .unwrap_or_default()
}

fn body_view(
    contract: &Contract,
    tables: &Tables<'_>,
    sensitivity: &mut Sensitivity,
    schema: Option<&str>,
    object: &Value,
    direction: Direction,
    (key, message): (&str, &str),
) -> Body {
    let document = &contract.spec().document;
    let converted = schema.and_then(|at| {
        document
            .pointer(at)
            .and_then(|node| contract.converter().node(node, at, direction).ok())
    });
    let examples = named_examples(document, object, schema)
        .into_iter()
        .map(|(name, example)| {
            let lines = sensitivity.lines(&example.value, converted.as_ref(), direction);
            Example {
                anchor: anchor::example(key, message, &name),
                has_sensitive: lines.iter().any(|line| line.sensitive),
                lines,
                name,
                summary: example.summary,
            }
        })
        .collect();
    Body {
        required: false,
        media_types: object
            .get("content")
            .and_then(Value::as_object)
            .map(|content| content.keys().cloned().collect())
            .unwrap_or_default(),
        description: Prose::new(&string_at(object, "/description")),
        rows: schema
            .map(|at| tables.message(at, direction))
            .unwrap_or_default(),
        examples,
    }
}

fn discrepancy(value: &Value) -> Discrepancy {
    Discrepancy {
        id: string_at(value, "/id"),
        kind: string_at(value, "/kind"),
        document: Prose::new(&string_at(value, "/document")),
        conflict: Prose::new(&string_at(value, "/conflict")),
        decision: Prose::new(&string_at(value, "/decision")),
        samples: value
            .get("samples")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn servers(list: Option<&Value>) -> Vec<Server> {
    list.and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|server| Server {
                    url: string_at(server, "/url"),
                    description: Prose::new(&string_at(server, "/description")),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scheme_kind(scheme: &Value) -> String {
    let kind = string_at(scheme, "/type");
    match kind.as_str() {
        "apiKey" => format!(
            "API key in {} `{}`",
            string_at(scheme, "/in"),
            string_at(scheme, "/name")
        ),
        "http" => {
            let format = string_at(scheme, "/bearerFormat");
            let mut text = format!("HTTP {}", string_at(scheme, "/scheme"));
            if !format.is_empty() {
                text.push_str(&format!(" ({format})"));
            }
            text
        }
        _ => kind,
    }
}

/// The curl line against `contract mock`: path parameters from their examples, the required
/// query parameters, credentials as placeholders, the first request example as the body.
fn curl(
    contract: &Contract,
    operation: &Operation,
    object: &Value,
    name: &str,
    request: Option<&Body>,
) -> String {
    let document = &contract.spec().document;
    let mut path = operation.template.clone();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for parameter in &operation.parameters {
        let resolved = resolve(document, document.pointer(&parameter.pointer));
        let value = parameter_example(document, resolved, parameter.schema.as_deref())
            .unwrap_or_else(|| format!("YOUR_{}", placeholder(&parameter.name)));
        match parameter.part {
            crate::check::report::Part::Path => {
                let encoded: String = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string();
                path = path.replace(&format!("{{{}}}", parameter.name), &encoded);
            }
            crate::check::report::Part::Query if parameter.required => {
                let encoded: String = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string();
                query.push(format!("{}={encoded}", parameter.name));
            }
            crate::check::report::Part::Header if parameter.required => {
                headers.push(format!("{}: {value}", parameter.name));
            }
            _ => {}
        }
    }
    // The first alternative is what a client sends by default.
    if let Some(alternative) = operation.security.first() {
        for scheme_name in alternative {
            let scheme = document
                .pointer(&pointer::join("/components/securitySchemes", scheme_name))
                .unwrap_or(&Value::Null);
            let value = format!("YOUR_{}", placeholder(scheme_name));
            match (
                string_at(scheme, "/type").as_str(),
                string_at(scheme, "/in").as_str(),
            ) {
                ("apiKey", "header") => {
                    headers.push(format!("{}: {value}", string_at(scheme, "/name")))
                }
                ("apiKey", "query") => {
                    query.push(format!("{}={value}", string_at(scheme, "/name")))
                }
                ("apiKey", "cookie") => {
                    headers.push(format!("Cookie: {}={value}", string_at(scheme, "/name")))
                }
                ("http", _) if string_at(scheme, "/scheme").eq_ignore_ascii_case("basic") => {
                    headers.push(format!("Authorization: Basic {value}"));
                }
                ("http", _) | ("oauth2", _) | ("openIdConnect", _) => {
                    headers.push(format!("Authorization: Bearer {value}"));
                }
                _ => {}
            }
        }
    }
    let mut url = format!("{MOCK_BASE}/{name}{path}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    let mut line = format!("curl -X {} {}", operation.method, shell_quote(&url));
    for header in headers {
        line.push_str(&format!(" \\\n  -H {}", shell_quote(&header)));
    }
    let example = request.and_then(|body| {
        let at = operation.request_body.as_ref()?.schema.as_deref();
        named_examples(document, resolve(document, object.get("requestBody")), at)
            .into_iter()
            .next()
            .map(|(_, example)| (body, example.value))
    });
    if let Some((body, value)) = example {
        let media = body
            .media_types
            .iter()
            .find(|media| media.contains("json"))
            .or(body.media_types.first())
            .cloned()
            .unwrap_or_else(|| "application/json".to_owned());
        line.push_str(&format!(
            " \\\n  -H {}",
            shell_quote(&format!("content-type: {media}"))
        ));
        line.push_str(&format!(" \\\n  -d {}", shell_quote(&value.to_string())));
    }
    line
}

/// A parameter's example: the parameter's `example`, its first named example, else its
/// schema's `example`, `default` or first `enum` option.
fn parameter_example(document: &Value, parameter: &Value, schema: Option<&str>) -> Option<String> {
    let schema = resolve(document, schema.and_then(|at| document.pointer(at)));
    let value = parameter
        .get("example")
        .or_else(|| {
            parameter
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|examples| examples.values().next())
                .map(|example| resolve(document, Some(example)))
                .and_then(|example| example.get("value"))
        })
        .or_else(|| schema.get("example"))
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("enum").and_then(|options| options.get(0)))?;
    Some(match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}

/// `x-secret` → `X_SECRET`.
fn placeholder(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// POSIX single quotes: safe for any text.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text.to_owned(),
    }
}

/// Follows `$ref`s within the document (bounded); a dangling one gives `null`.
fn resolve<'a>(document: &'a Value, value: Option<&'a Value>) -> &'a Value {
    let mut value = value.unwrap_or(&Value::Null);
    for _ in 0..32 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        value = target
            .strip_prefix('#')
            .and_then(|at| document.pointer(at))
            .unwrap_or(&Value::Null);
    }
    value
}

fn string_at(value: &Value, at: &str) -> String {
    value
        .pointer(at)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

//! A loaded contract: a spec's operations (with their `$ref`s resolved), a router over its paths,
//! and compiled validators for its messages, built once per message and reused.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::check::message::{Request, Response, check_status};
use crate::check::report::{Explainer, Message, Part, Report, Violation};
use crate::check::router::{ConcretePath, Router};
use crate::error::{ContractError, Diagnostic, SpecError};
use crate::spec::Spec;
use crate::spec::convert::{Converter, Direction};
use crate::spec::pointer;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the spec, with references resolved to pointers into the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: Option<String>,
    /// Upper case (`POST`).
    pub method: String,
    pub template: String,
    /// Pointer to the operation object in the spec.
    pub pointer: String,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    /// Response keys (`200`, `4XX`, `default`) in spec order.
    pub responses: Vec<ResponseSpec>,
    /// Security alternatives: any one inner list, fully present, satisfies the operation.
    pub security: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    /// Pointer to the parameter object in the spec.
    pub pointer: String,
    pub part: Part,
    pub required: bool,
    /// Pointer to the parameter's schema, if it has one.
    pub schema: Option<String>,
}

impl Parameter {
    /// The parameter's schema as the spec writes it, `$ref`s followed (`null` when it has none):
    /// what coercion, the client's checks before sending and the validator's pattern table read.
    pub fn schema_in<'v>(&self, document: &'v Value) -> &'v Value {
        self.schema
            .as_deref()
            .and_then(|at| document.pointer(at))
            .map_or(&Value::Null, |schema| {
                pointer::follow_refs(document, schema)
            })
    }
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    /// Pointer to the JSON media type's schema.
    pub schema: Option<String>,
    pub media_types: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ResponseSpec {
    pub key: String,
    /// Pointer to the JSON media type's schema; `None` when the response documents no JSON body.
    pub schema: Option<String>,
    /// The response documents no content at all (no `content`, or an empty map): its body must
    /// be empty (up.money's 401, 404 and 429).
    pub no_content: bool,
}

/// A security scheme reduced to what a request must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Credential {
    Header(String),
    Query(String),
    Cookie(String),
    Authorization(String),
}

#[derive(Debug)]
struct Compiled {
    root: Value,
    validator: jsonschema::Validator,
    spec_base: String,
}

/// A spec ready to check messages.
#[derive(Debug)]
pub struct Contract {
    spec: Spec,
    converter: Converter,
    router: Router,
    /// Per router template: method → index into `operations`.
    routes: Vec<(String, BTreeMap<String, usize>)>,
    /// Per template the router holds: the indices into `routes` of every template matching the
    /// same paths (itself first), so requests are routed by method among them.
    aliases: HashMap<String, Vec<usize>>,
    operations: Vec<Operation>,
    server_prefixes: Vec<String>,
    credentials: BTreeMap<String, Credential>,
    diagnostics: Vec<Diagnostic>,
    compiled: Mutex<HashMap<(String, Direction), Arc<Compiled>>>,
}

impl Contract {
    /// Loads a spec file and prepares it.
    pub fn load(path: impl AsRef<Path>) -> Result<Contract, SpecError> {
        Contract::new(Spec::load(path)?)
    }

    /// Prepares a loaded spec: resolves operations, builds the router, converts every schema (so
    /// a broken one is reported now, whichever message is checked later).
    pub fn new(spec: Spec) -> Result<Contract, SpecError> {
        let path = spec.path.clone();
        let invalid = |pointer: String, message: String| SpecError::Invalid {
            path: path.clone(),
            pointer,
            message,
        };
        let mut diagnostics = spec.diagnostics.clone();
        let converter = Converter::new(&spec.document)
            .map_err(|error| invalid(error.pointer, error.message))?;
        let (routes, mut operations) = read_operations(&spec.document, &mut diagnostics);
        let (router, aliases) = build_router(&routes, &mut diagnostics);
        let credentials = read_credentials(&spec.document, &mut operations, &mut diagnostics);
        // A shared component (a parameter many operations use) is reported once.
        let mut seen = std::collections::HashSet::new();
        diagnostics.retain(|diagnostic| seen.insert(diagnostic.clone()));
        let contract = Contract {
            server_prefixes: server_prefixes(&spec.document),
            spec,
            converter,
            router,
            routes,
            aliases,
            operations,
            credentials,
            diagnostics,
            compiled: Mutex::new(HashMap::new()),
        };
        // `node` converts as `root` does without copying every component into `$defs` (which
        // made this quadratic: 25 s for a spec of 900 components and 660 operations).
        for (schema, direction) in contract.message_schemas() {
            contract
                .converter
                .node(contract.schema_at(&schema)?, &schema, direction)
                .map_err(|error| invalid(error.pointer, error.message))?;
        }
        Ok(contract)
    }

    /// Defects of the spec that did not stop it from being used (those found while loading,
    /// then those found reading its operations), each saying how it was read instead.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The converter holding this spec's converted components (what the docs site reads, so it
    /// shows exactly the rules checks apply).
    pub fn converter(&self) -> &Converter {
        &self.converter
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, operation_id: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|operation| operation.operation_id.as_deref() == Some(operation_id))
    }

    /// The converted JSON Schema document used for the schema at `pointer` in the spec.
    pub fn json_schema(&self, pointer: &str, direction: Direction) -> Result<Value, ContractError> {
        Ok(self.compile(pointer, direction)?.root.clone())
    }

    /// Checks a request: path parameters, query parameters, headers and credentials (when
    /// headers were recorded) and the JSON body.
    pub fn validate_request(&self, request: &Request) -> Result<Report, ContractError> {
        let concrete = ConcretePath::parse(&request.path);
        let (operation, params) = self.route(&request.method, &concrete.path)?;
        let mut violations = Vec::new();
        let mut notes = Vec::new();
        for parameter in &operation.parameters {
            let raw = match parameter.part {
                Part::Path => params.get(&parameter.name).cloned(),
                Part::Query => concrete
                    .query
                    .iter()
                    .find(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.clone()),
                Part::Header => match &request.headers {
                    Some(headers) => header(headers, &parameter.name).map(str::to_owned),
                    None => continue,
                },
                _ => continue,
            };
            self.check_parameter(parameter, raw.as_deref(), &mut violations)?;
        }
        match &request.headers {
            Some(headers) => {
                self.check_security(operation, headers, &concrete.query, &mut violations)
            }
            None => notes.push(
                "headers and credentials not checked: no headers were given (use --header)"
                    .to_owned(),
            ),
        }
        if request.check_body {
            self.check_request_body(
                operation,
                request.body.as_ref(),
                &mut violations,
                &mut notes,
            )?;
        }
        violations.sort_by_key(|violation| violation.part);
        Ok(self.report(operation, Message::Request, notes, violations))
    }

    /// Checks a response against the response its status selects: the exact code, then the
    /// `4XX`-style range, then `default`. An undocumented status is a violation.
    pub fn validate_response(&self, response: &Response) -> Result<Report, ContractError> {
        check_status(&response.status)?;
        let concrete = ConcretePath::parse(&response.path);
        let (operation, _) = self.route(&response.method, &concrete.path)?;
        let selected = select_response(operation, &response.status);
        let message = Message::Response {
            status: response.status.clone(),
            matched: selected.map(|spec| spec.key.clone()),
        };
        let mut violations = Vec::new();
        let mut notes = Vec::new();
        match selected {
            None => {
                let documented: Vec<&str> =
                    operation.responses.iter().map(|r| r.key.as_str()).collect();
                violations.push(Violation {
                    part: Part::Status,
                    pointer: String::new(),
                    rule: "status".to_owned(),
                    expected: format!("a documented status: {}", documented.join(", ")),
                    found: response.status.clone(),
                    spec_location: Some(format!(
                        "#{}",
                        pointer::join(&operation.pointer, "responses")
                    )),
                });
            }
            Some(ResponseSpec {
                schema: Some(schema),
                ..
            }) => match &response.body {
                Some(body) => self.check_value(
                    schema,
                    Direction::Response,
                    body,
                    Part::Body,
                    "",
                    &mut violations,
                )?,
                None => {
                    notes.push("no body was given; the documented body was not checked".to_owned())
                }
            },
            Some(ResponseSpec {
                key,
                no_content: true,
                ..
            }) => {
                // A body where none is documented is a violation; its value is not printed (it
                // may be anything, a secret included).
                if response.body.is_some() {
                    violations.push(Violation {
                        part: Part::Body,
                        pointer: String::new(),
                        rule: "no-content".to_owned(),
                        expected: format!("an empty body (response {key} documents no content)"),
                        found: "a body".to_owned(),
                        spec_location: Some(format!(
                            "#{}",
                            pointer::join(&pointer::join(&operation.pointer, "responses"), key)
                        )),
                    });
                }
            }
            Some(ResponseSpec {
                key, schema: None, ..
            }) => {
                if response.body.is_some() {
                    notes.push(format!(
                        "response {key} documents no JSON body; the body was not checked"
                    ));
                }
            }
        }
        Ok(self.report(operation, message, notes, violations))
    }

    fn report(
        &self,
        operation: &Operation,
        message: Message,
        notes: Vec<String>,
        violations: Vec<Violation>,
    ) -> Report {
        Report {
            spec: self.spec.path.display().to_string(),
            operation_id: operation.operation_id.clone(),
            method: operation.method.clone(),
            route: operation.template.clone(),
            message,
            conforms: violations.is_empty(),
            notes,
            violations,
        }
    }

    fn route(
        &self,
        method: &str,
        path: &str,
    ) -> Result<(&Operation, BTreeMap<String, String>), ContractError> {
        let method = method.to_ascii_uppercase();
        let candidates = std::iter::once(path.to_owned()).chain(
            self.server_prefixes
                .iter()
                .filter_map(|prefix| path.strip_prefix(prefix.as_str()))
                .filter(|rest| rest.starts_with('/'))
                .map(str::to_owned),
        );
        for candidate in candidates {
            let Some(matched) = self.router.at(&candidate) else {
                continue;
            };
            // The matched template, then those that match the same paths (spec order).
            let same_paths = self
                .aliases
                .get(matched.template)
                .expect("router templates come from routes");
            let documenting = same_paths
                .iter()
                .map(|&route| &self.routes[route])
                .find(|(_, methods)| methods.contains_key(&method));
            return match documenting {
                Some((template, methods)) => {
                    let params = rename_params(matched.template, template, matched.params);
                    Ok((&self.operations[methods[&method]], params))
                }
                None => Err(ContractError::MethodNotDocumented {
                    spec: self.spec.path.clone(),
                    method,
                    path: path.to_owned(),
                    template: matched.template.to_owned(),
                    allowed: same_paths
                        .iter()
                        .flat_map(|&route| self.routes[route].1.keys().cloned())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            };
        }
        let documented = self
            .operations
            .iter()
            .map(|operation| format!("{} {}", operation.method, operation.template))
            .collect::<Vec<_>>()
            .join(", ");
        Err(ContractError::UnknownRoute {
            spec: self.spec.path.clone(),
            method,
            path: path.to_owned(),
            documented,
        })
    }

    fn check_parameter(
        &self,
        parameter: &Parameter,
        raw: Option<&str>,
        violations: &mut Vec<Violation>,
    ) -> Result<(), ContractError> {
        let key = if parameter.part == Part::Header {
            parameter.name.to_ascii_lowercase()
        } else {
            parameter.name.clone()
        };
        let prefix = pointer::join("", &key);
        let Some(raw) = raw else {
            if parameter.required {
                violations.push(Violation {
                    part: parameter.part,
                    pointer: prefix,
                    rule: "required".to_owned(),
                    expected: format!("the {} parameter {:?}", parameter.part, parameter.name),
                    found: "it missing".to_owned(),
                    spec_location: Some(format!("#{}/required", parameter.pointer)),
                });
            }
            return Ok(());
        };
        let Some(schema) = &parameter.schema else {
            return Ok(());
        };
        let value = coerce(raw, parameter.schema_in(&self.spec.document));
        self.check_value(
            schema,
            Direction::Request,
            &value,
            parameter.part,
            &prefix,
            violations,
        )
    }

    fn check_request_body(
        &self,
        operation: &Operation,
        body: Option<&Value>,
        violations: &mut Vec<Violation>,
        notes: &mut Vec<String>,
    ) -> Result<(), ContractError> {
        let Some(spec) = &operation.request_body else {
            if body.is_some() {
                notes.push(
                    "the operation documents no request body; the body was not checked".to_owned(),
                );
            }
            return Ok(());
        };
        let Some(body) = body else {
            if spec.required {
                violations.push(Violation {
                    part: Part::Body,
                    pointer: String::new(),
                    rule: "required".to_owned(),
                    expected: "a request body".to_owned(),
                    found: "none".to_owned(),
                    spec_location: Some(format!("#{}/requestBody/required", operation.pointer)),
                });
            }
            return Ok(());
        };
        let Some(schema) = &spec.schema else {
            return Err(ContractError::UnsupportedMediaType {
                operation: operation_name(operation),
                found: spec.media_types.join(", "),
            });
        };
        self.check_value(schema, Direction::Request, body, Part::Body, "", violations)
    }

    fn check_security(
        &self,
        operation: &Operation,
        headers: &[(String, String)],
        query: &[(String, String)],
        violations: &mut Vec<Violation>,
    ) {
        if operation.security.is_empty() || operation.security.iter().any(Vec::is_empty) {
            return;
        }
        let missing_in = |requirement: &Vec<String>| -> Vec<(String, Credential)> {
            requirement
                .iter()
                .filter_map(|name| {
                    let credential = self.credentials.get(name)?;
                    let present = match credential {
                        Credential::Header(header_name) => {
                            header(headers, header_name).is_some_and(|v| !v.is_empty())
                        }
                        Credential::Query(param) => query
                            .iter()
                            .any(|(name, value)| name == param && !value.is_empty()),
                        Credential::Cookie(cookie) => {
                            header(headers, "cookie").is_some_and(|value| {
                                value
                                    .split(';')
                                    .any(|pair| pair.trim().starts_with(&format!("{cookie}=")))
                            })
                        }
                        Credential::Authorization(scheme) => header(headers, "authorization")
                            .is_some_and(|value| {
                                value.split_once(' ').is_some_and(|(given, token)| {
                                    given.eq_ignore_ascii_case(scheme) && !token.trim().is_empty()
                                })
                            }),
                    };
                    (!present).then(|| (name.clone(), credential.clone()))
                })
                .collect()
        };
        let closest = operation
            .security
            .iter()
            .map(missing_in)
            .min_by_key(Vec::len)
            .unwrap_or_default();
        for (scheme, credential) in closest {
            let (part, name, expected) = match &credential {
                Credential::Header(name) => (
                    Part::Header,
                    name.to_ascii_lowercase(),
                    format!("header {name} (security scheme {scheme})"),
                ),
                Credential::Query(name) => (
                    Part::Query,
                    name.clone(),
                    format!("query parameter {name} (security scheme {scheme})"),
                ),
                Credential::Cookie(name) => (
                    Part::Header,
                    "cookie".to_owned(),
                    format!("cookie {name} (security scheme {scheme})"),
                ),
                Credential::Authorization(kind) => (
                    Part::Header,
                    "authorization".to_owned(),
                    format!(
                        "header Authorization: {kind} <credentials> (security scheme {scheme})"
                    ),
                ),
            };
            violations.push(Violation {
                part,
                pointer: pointer::join("", &name),
                rule: "security".to_owned(),
                expected,
                found: "missing".to_owned(),
                spec_location: Some(format!(
                    "#{}",
                    pointer::join("/components/securitySchemes", &scheme)
                )),
            });
        }
    }

    fn check_value(
        &self,
        schema: &str,
        direction: Direction,
        value: &Value,
        part: Part,
        prefix: &str,
        violations: &mut Vec<Violation>,
    ) -> Result<(), ContractError> {
        let compiled = self.compile(schema, direction)?;
        if compiled.validator.is_valid(value) {
            return Ok(());
        }
        let explainer = Explainer {
            root: &compiled.root,
            spec_base: &compiled.spec_base,
            part,
            instance_prefix: prefix,
            document: &self.spec.document,
        };
        violations.extend(
            compiled
                .validator
                .iter_errors(value)
                .map(|error| explainer.explain(&error)),
        );
        Ok(())
    }

    fn compile(&self, schema: &str, direction: Direction) -> Result<Arc<Compiled>, ContractError> {
        let key = (schema.to_owned(), direction);
        if let Some(compiled) = self.cache().get(&key) {
            return Ok(Arc::clone(compiled));
        }
        let root = self
            .converter
            .root(self.schema_at(schema)?, schema, direction)
            .map_err(|error| SpecError::Invalid {
                path: self.spec.path.clone(),
                pointer: error.pointer,
                message: error.message,
            })?;
        let validator = crate::check::oracle::compile(&root).map_err(|message| {
            ContractError::SchemaCompile {
                spec: self.spec.path.clone(),
                pointer: schema.to_owned(),
                message,
            }
        })?;
        let compiled = Arc::new(Compiled {
            root,
            validator,
            spec_base: schema.to_owned(),
        });
        self.cache().insert(key, Arc::clone(&compiled));
        Ok(compiled)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<(String, Direction), Arc<Compiled>>> {
        // A panic while holding the lock cannot leave the cache inconsistent (inserts are atomic).
        self.compiled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn schema_at(&self, pointer: &str) -> Result<&Value, SpecError> {
        self.spec.at(pointer).ok_or_else(|| SpecError::Invalid {
            path: self.spec.path.clone(),
            pointer: pointer.to_owned(),
            message: "no schema here".to_owned(),
        })
    }

    /// Every (schema pointer, direction) a message of this spec is checked against.
    pub fn message_schemas(&self) -> Vec<(String, Direction)> {
        let mut schemas = Vec::new();
        for operation in &self.operations {
            for parameter in &operation.parameters {
                if let Some(schema) = &parameter.schema {
                    schemas.push((schema.clone(), Direction::Request));
                }
            }
            if let Some(RequestBody {
                schema: Some(schema),
                ..
            }) = &operation.request_body
            {
                schemas.push((schema.clone(), Direction::Request));
            }
            for response in &operation.responses {
                if let Some(schema) = &response.schema {
                    schemas.push((schema.clone(), Direction::Response));
                }
            }
        }
        schemas
    }
}

fn operation_name(operation: &Operation) -> String {
    match &operation.operation_id {
        Some(id) => id.clone(),
        None => format!("{} {}", operation.method, operation.template),
    }
}

/// A header's value by case-insensitive name.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(given, _)| given.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

fn select_response<'a>(operation: &'a Operation, status: &str) -> Option<&'a ResponseSpec> {
    let find = |key: &str| {
        operation
            .responses
            .iter()
            .find(|r| r.key.eq_ignore_ascii_case(key))
    };
    if !status.as_bytes().first().is_some_and(u8::is_ascii_digit) || status.ends_with(['X', 'x']) {
        return find(status);
    }
    find(status)
        .or_else(|| find(&format!("{}XX", &status[..1])))
        .or_else(|| find("default"))
}

/// A parameter arrives as text; it is checked as the JSON value its schema's type describes.
fn coerce(raw: &str, schema: &Value) -> Value {
    let parsed = match schema.get("type").and_then(Value::as_str) {
        Some("integer") => raw
            .parse::<i64>()
            .ok()
            .map(Value::from)
            .or_else(|| raw.parse::<u64>().ok().map(Value::from)),
        Some("number") => raw
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Some("boolean") => raw.parse::<bool>().ok().map(Value::Bool),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            Some(Value::Array(
                raw.split(',').map(|item| coerce(item, items)).collect(),
            ))
        }
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(raw.to_owned()))
}

type ReadError = (String, String);

/// Follows a local `$ref` (if any) from `value` at `at`; returns the target and its pointer.
fn resolve<'a>(
    document: &'a Value,
    mut value: &'a Value,
    mut at: String,
) -> Result<(&'a Value, String), ReadError> {
    for _ in 0..pointer::MAX_REFERENCE_HOPS {
        let Some(reference) = value.get("$ref") else {
            return Ok((value, at));
        };
        let target = reference
            .as_str()
            .and_then(|text| text.strip_prefix('#'))
            .ok_or_else(|| {
                (
                    pointer::join(&at, "$ref"),
                    format!("only local references (`#/...`) are supported, found {reference}"),
                )
            })?;
        value = document.pointer(target).ok_or_else(|| {
            (
                pointer::join(&at, "$ref"),
                format!("`#{target}` does not resolve"),
            )
        })?;
        at = target.to_owned();
    }
    Err((at, "reference chain too long (a cycle?)".to_owned()))
}

type Routes = Vec<(String, BTreeMap<String, usize>)>;

/// Reads every operation. A part that cannot be read (a `$ref` that does not resolve, an
/// undeclared path parameter) becomes a diagnostic and is read in the stated way instead.
fn read_operations(
    document: &Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Routes, Vec<Operation>) {
    let mut routes = Vec::new();
    let mut operations = Vec::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return (routes, operations);
    };
    let global_security = document.get("security");
    for (template, item) in paths {
        if template.starts_with("x-") {
            continue;
        }
        let item_at = pointer::join("/paths", template);
        let (item, item_at) = match resolve(document, item, item_at) {
            Ok(resolved) => resolved,
            Err((at, message)) => {
                diagnostics.push(Diagnostic::new(at, format!("{message}; path skipped")));
                continue;
            }
        };
        let shared = read_parameters(
            document,
            item.get("parameters"),
            &pointer::join(&item_at, "parameters"),
            diagnostics,
        );
        let mut methods = BTreeMap::new();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = pointer::join(&item_at, method);
            let (operation, at) = match resolve(document, operation, at) {
                Ok(resolved) => resolved,
                Err((at, message)) => {
                    diagnostics.push(Diagnostic::new(at, format!("{message}; operation skipped")));
                    continue;
                }
            };
            let mut parameters = shared.clone();
            for parameter in read_parameters(
                document,
                operation.get("parameters"),
                &pointer::join(&at, "parameters"),
                diagnostics,
            ) {
                parameters.retain(|p: &Parameter| {
                    !(p.name == parameter.name && p.part == parameter.part)
                });
                parameters.push(parameter);
            }
            for name in template_parameters(template) {
                if !parameters
                    .iter()
                    .any(|p| p.part == Part::Path && p.name == name)
                {
                    diagnostics.push(Diagnostic::new(
                        pointer::join(&at, "parameters"),
                        format!(
                            "path parameter `{name}` of `{template}` is not declared; read as a \
                             required string parameter with no schema"
                        ),
                    ));
                    parameters.push(Parameter {
                        name: name.to_owned(),
                        pointer: at.clone(),
                        part: Part::Path,
                        required: true,
                        schema: None,
                    });
                }
            }
            let security = operation.get("security").or(global_security);
            operations.push(Operation {
                operation_id: operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                method: method.to_ascii_uppercase(),
                template: template.clone(),
                parameters,
                request_body: read_request_body(
                    document,
                    operation.get("requestBody"),
                    &pointer::join(&at, "requestBody"),
                    diagnostics,
                ),
                responses: read_responses(
                    document,
                    operation.get("responses"),
                    &pointer::join(&at, "responses"),
                    diagnostics,
                ),
                security: read_security(security),
                pointer: at,
            });
            methods.insert(method.to_ascii_uppercase(), operations.len() - 1);
        }
        routes.push((template.clone(), methods));
    }
    (routes, operations)
}

/// A router over the templates. Templates that differ only in parameter names match the same
/// paths (real specs have `/cobv/{txid}` for PUT and `/cobv/{pixUrlAccessToken}` for GET): the
/// router holds the first and requests are routed among them by method. A template the router
/// still refuses is left out, with a diagnostic.
fn build_router(
    routes: &Routes,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Router, HashMap<String, Vec<usize>>) {
    let mut aliases: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_shape: HashMap<String, String> = HashMap::new();
    let mut held: Vec<&str> = Vec::new();
    for (index, (template, methods)) in routes.iter().enumerate() {
        let shape = template_shape(template);
        if let Some(first) = by_shape.get(&shape) {
            let same = aliases
                .get_mut(first)
                .expect("every shape has its first template");
            let shared: Vec<&String> = same
                .iter()
                .flat_map(|&other| routes[other].1.keys())
                .filter(|method| methods.contains_key(*method))
                .collect();
            let message = if shared.is_empty() {
                format!(
                    "`{template}` matches the same paths as `{first}` (only parameter names \
                     differ); requests are routed to whichever documents their method"
                )
            } else {
                format!(
                    "`{template}` matches the same paths as `{first}` (only parameter names \
                     differ) and both document {}; those requests are checked against the \
                     first",
                    shared
                        .iter()
                        .map(|method| method.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            diagnostics.push(Diagnostic::new(pointer::join("/paths", template), message));
            same.push(index);
            continue;
        }
        by_shape.insert(shape, template.clone());
        aliases.insert(template.clone(), vec![index]);
        held.push(template);
    }
    loop {
        match Router::new(held.iter().copied()) {
            Ok(router) => return (router, aliases),
            Err(error) => {
                diagnostics.push(Diagnostic::new(
                    pointer::join("/paths", &error.template),
                    format!(
                        "the router cannot hold this path ({}); requests to it are not routed",
                        error.message
                    ),
                ));
                let before = held.len();
                held.retain(|template| *template != error.template);
                aliases.remove(&error.template);
                if held.len() == before {
                    // Not one of ours: give up routing rather than loop.
                    held.clear();
                }
            }
        }
    }
}

/// A template with its parameter names left out (`/a/{x}/b` → `/a/{}/b`).
fn template_shape(template: &str) -> String {
    let mut shape = String::with_capacity(template.len());
    let mut in_parameter = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push('{');
            }
            '}' => {
                in_parameter = false;
                shape.push('}');
            }
            _ if in_parameter => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// Path parameters matched under `from`'s names, renamed to `to`'s by position.
fn rename_params(
    from: &str,
    to: &str,
    mut params: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    if from == to {
        return params;
    }
    template_parameters(from)
        .into_iter()
        .zip(template_parameters(to))
        .filter_map(|(old, new)| Some((new.to_owned(), params.remove(old)?)))
        .collect()
}

fn template_parameters(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn read_parameters(
    document: &Value,
    list: Option<&Value>,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Parameter> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut parameters = Vec::new();
    for (index, parameter) in list.iter().enumerate() {
        let (parameter, here) = match resolve(document, parameter, format!("{at}/{index}")) {
            Ok(resolved) => resolved,
            Err((at, message)) => {
                diagnostics.push(Diagnostic::new(at, format!("{message}; parameter skipped")));
                continue;
            }
        };
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let part = match parameter.get("in").and_then(Value::as_str) {
            Some("path") => Part::Path,
            Some("query") => Part::Query,
            Some("header") => {
                // OpenAPI: header parameters named Accept, Content-Type or Authorization are ignored.
                if ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                Part::Header
            }
            _ => continue,
        };
        let schema = if parameter.get("schema").is_some() {
            Some(pointer::join(&here, "schema"))
        } else {
            json_schema_of(parameter.get("content"), &pointer::join(&here, "content"))
                .map(|(_, p)| p)
        };
        if part == Part::Path && parameter.get("required") != Some(&Value::Bool(true)) {
            diagnostics.push(Diagnostic::new(
                pointer::join(&here, "required"),
                format!(
                    "path parameter `{name}` is not marked `required: true` (OpenAPI requires \
                     it); read as required"
                ),
            ));
        }
        parameters.push(Parameter {
            pointer: here.clone(),
            required: part == Part::Path || parameter.get("required") == Some(&Value::Bool(true)),
            name,
            part,
            schema,
        });
    }
    parameters
}

/// The schema pointer of the JSON media type in a `content` map (`application/json`, or any
/// `+json`/`/json` type), with the media type names.
fn json_schema_of(content: Option<&Value>, at: &str) -> Option<(Vec<String>, String)> {
    let content = content?.as_object()?;
    let names = content.keys().cloned().collect();
    let (media_type, entry) = content.iter().find(|(name, _)| {
        let essence = name
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    })?;
    entry.get("schema")?;
    Some((
        names,
        pointer::join(&pointer::join(at, media_type), "schema"),
    ))
}

fn read_request_body(
    document: &Value,
    body: Option<&Value>,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RequestBody> {
    let (body, here) = match resolve(document, body?, at.to_owned()) {
        Ok(resolved) => resolved,
        Err((at, message)) => {
            diagnostics.push(Diagnostic::new(
                at,
                format!("{message}; the request body is not checked"),
            ));
            return None;
        }
    };
    let content = body.get("content");
    let media_types = content
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default();
    Some(RequestBody {
        required: body.get("required") == Some(&Value::Bool(true)),
        schema: json_schema_of(content, &pointer::join(&here, "content")).map(|(_, p)| p),
        media_types,
    })
}

fn read_responses(
    document: &Value,
    responses: Option<&Value>,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ResponseSpec> {
    let Some(responses) = responses.and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, response) in responses {
        if key.starts_with("x-") {
            continue;
        }
        let (response, here) = match resolve(document, response, pointer::join(at, key)) {
            Ok(resolved) => resolved,
            Err((at, message)) => {
                diagnostics.push(Diagnostic::new(
                    at,
                    format!("{message}; the response is documented without a body"),
                ));
                out.push(ResponseSpec {
                    key: key.clone(),
                    schema: None,
                    no_content: false,
                });
                continue;
            }
        };
        let content = response.get("content");
        out.push(ResponseSpec {
            key: key.clone(),
            schema: json_schema_of(content, &pointer::join(&here, "content")).map(|(_, p)| p),
            no_content: content
                .and_then(Value::as_object)
                .is_none_or(serde_json::Map::is_empty),
        });
    }
    out
}

fn read_security(security: Option<&Value>) -> Vec<Vec<String>> {
    security
        .and_then(Value::as_array)
        .map(|alternatives| {
            alternatives
                .iter()
                .map(|requirement| {
                    requirement
                        .as_object()
                        .map(|names| names.keys().cloned().collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The credential each security scheme the operations name asks for. A name with no usable
/// scheme (undefined, or a `$ref` that does not resolve) cannot be checked: it is removed from
/// the requirements that name it (so they are checked without it), with a diagnostic.
fn read_credentials(
    document: &Value,
    operations: &mut [Operation],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Credential> {
    let schemes = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut credentials = BTreeMap::new();
    for operation in operations.iter_mut() {
        let mut unusable = Vec::new();
        for name in operation.security.iter().flatten() {
            if credentials.contains_key(name) || unusable.contains(name) {
                continue;
            }
            let at = pointer::join("/components/securitySchemes", name);
            let scheme = match schemes.and_then(|schemes| schemes.get(name)) {
                Some(scheme) => resolve(document, scheme, at),
                None => Err((
                    String::new(),
                    format!(
                        "security scheme `{name}` is not defined in components.securitySchemes"
                    ),
                )),
            };
            let scheme = match scheme {
                Ok((scheme, _)) => scheme,
                Err((_, message)) => {
                    diagnostics.push(Diagnostic::new(
                        pointer::join(&operation.pointer, "security"),
                        format!(
                            "{message}; the requirements naming it are checked without it \
                             (its credential is not checked)"
                        ),
                    ));
                    unusable.push(name.clone());
                    continue;
                }
            };
            let field = |key: &str| {
                scheme
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let credential = match (field("type").as_str(), field("in").as_str()) {
                ("apiKey", "header") => Credential::Header(field("name")),
                ("apiKey", "query") => Credential::Query(field("name")),
                ("apiKey", "cookie") => Credential::Cookie(field("name")),
                ("http", _) => {
                    let scheme = field("scheme");
                    let mut chars = scheme.chars();
                    // `bearer` is sent as `Bearer`; compare case-insensitively anyway.
                    let title = chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default();
                    Credential::Authorization(title)
                }
                _ => Credential::Authorization("Bearer".to_owned()),
            };
            credentials.insert(name.clone(), credential);
        }
        for requirement in &mut operation.security {
            requirement.retain(|name| !unusable.contains(name));
        }
    }
    credentials
}

/// Path prefixes of the servers (`https://host/v1` → `/v1`), so full paths route too.
fn server_prefixes(document: &Value) -> Vec<String> {
    document
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| server.get("url").and_then(Value::as_str))
        .map(|url| {
            ConcretePath::parse(url)
                .path
                .trim_end_matches('/')
                .to_owned()
        })
        .filter(|prefix| !prefix.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(text: &str) -> Contract {
        Contract::new(Spec::parse("t.yaml", text).unwrap()).unwrap()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn an_undefined_security_scheme_is_a_diagnostic_and_not_checked() {
        let contract = contract(&format!(
            "{HEAD}paths:\n  /a:\n    get:\n      security: [{{missing: []}}, {{key: []}}]\n      \
             responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    \
             key: {{type: apiKey, in: header, name: X-Key}}\n"
        ));
        let diagnostics = contract.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].pointer, "/paths/~1a/get/security");
        assert!(
            diagnostics[0].message.contains("`missing`"),
            "{diagnostics:?}"
        );
        // The requirement that named it is checked without it: nothing is required there.
        assert_eq!(contract.operations()[0].security, [vec![], vec!["key"]]);
        let request = Request {
            headers: Some(Vec::new()),
            ..Request::new("GET", "/a")
        };
        assert!(contract.validate_request(&request).unwrap().conforms());
    }

    #[test]
    fn templates_differing_only_in_parameter_names_are_routed_by_method() {
        let contract = contract(&format!(
            "{HEAD}paths:\n  /c/{{id}}:\n    put:\n      parameters: [{{name: id, in: path, \
             required: true, schema: {{type: integer}}}}]\n      responses: {{'200': \
             {{description: ok}}}}\n  /c/{{token}}:\n    get:\n      parameters: [{{name: token, \
             in: path, required: true, schema: {{type: string, maxLength: 3}}}}]\n      \
             responses: {{'200': {{description: ok}}}}\n"
        ));
        assert_eq!(
            contract.diagnostics().len(),
            1,
            "{:?}",
            contract.diagnostics()
        );
        assert_eq!(contract.diagnostics()[0].pointer, "/paths/~1c~1{token}");
        let get = contract
            .validate_request(&Request::new("GET", "/c/abcd"))
            .unwrap();
        assert_eq!(get.route, "/c/{token}");
        assert_eq!(get.violations.len(), 1, "{get}");
        let put = contract
            .validate_request(&Request::new("PUT", "/c/x").with_body(serde_json::json!({})))
            .unwrap();
        assert_eq!(put.route, "/c/{id}");
        assert!(!put.conforms(), "`x` is not an integer: {put}");
        let error = contract
            .validate_request(&Request::new("POST", "/c/1"))
            .unwrap_err();
        assert!(error.to_string().contains("GET, PUT"), "{error}");
    }

    #[test]
    fn an_undeclared_path_parameter_is_read_as_a_string() {
        let contract = contract(&format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
        ));
        assert_eq!(contract.diagnostics().len(), 1);
        assert!(contract.diagnostics()[0].message.contains("`id`"));
        let parameters = &contract.operations()[0].parameters;
        assert_eq!(parameters.len(), 1);
        assert!(parameters[0].required && parameters[0].schema.is_none());
        assert!(
            contract
                .validate_request(&Request::new("GET", "/a/1"))
                .unwrap()
                .conforms()
        );
    }

    #[test]
    fn a_dangling_parameter_ref_skips_the_parameter_with_a_diagnostic() {
        let contract = contract(&format!(
            "{HEAD}paths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/none'}}]\n      \
             responses: {{'200': {{description: ok}}}}\n"
        ));
        assert_eq!(
            contract.diagnostics().len(),
            1,
            "{:?}",
            contract.diagnostics()
        );
        assert_eq!(
            contract.diagnostics()[0].pointer,
            "/paths/~1a/get/parameters/0/$ref"
        );
        assert!(contract.operations()[0].parameters.is_empty());
    }
}

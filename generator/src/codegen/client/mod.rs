//! The second output of `contract generate`: a typed async client crate per spec
//! (`<name>-client`), built on the spec's validator crate (a path dependency on
//! `../<name>-validator`) and re-exporting its models.
//!
//! The client view is read from two places: the IR ([`Api`]) names the model type of every
//! message, and the [`Contract`] (with the spec's JSON document) gives parameters, security
//! schemes and servers. Everything is turned into small views of Rust snippets here, so the
//! templates in `templates/client/` stay readable.
//!
//! What the crate does, in the order a call goes through it: required parameters and the body
//! are method arguments, optional ones builder methods; the request is validated (parameters by
//! checks emitted here, the body by the validator crate) and nothing is sent when it breaks the
//! spec; credentials come from typed per-scheme fields; the response is chosen by status into
//! one enum per operation, whose bodies are *lenient* copies of the validator's models (an
//! enumerated value the spec does not list decodes as `Unknown(String)`); strict mode checks
//! every body against the spec first.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use serde_json::Value;

use crate::check::contract::{Contract, Operation as SpecOperation, Parameter};
use crate::check::report::Part;
use crate::codegen::ir::{Api, Diagnostic, Operation, StatusMatch, TypeDef, TypeKind, TypeRef};
use crate::codegen::naming::{self, Names};
use crate::codegen::validator::{EmitError, File, format_rust, header, runtime_file};
use crate::spec::pointer;

const RUNTIME: &str = include_str!("../../../templates/client/runtime.rs");

/// The crate folder name for a spec (`upmoney` → `upmoney-client`).
pub fn client_crate_name(api: &Api) -> String {
    format!("{}-client", api.name)
}

/// Every file of the client crate, deterministic for a given spec, and what it could not
/// express (the rest is generated).
pub fn client_crate(
    api: &Api,
    contract: &Contract,
) -> Result<(Vec<File>, Vec<Diagnostic>), EmitError> {
    let mut view = ClientView::new(api, contract);
    let crate_name = client_crate_name(api);
    let lib_name = crate_name.replace('-', "_");
    let validator_crate = crate::codegen::validator::validator_crate_name(api);
    let validator_lib = validator_crate.replace('-', "_");
    let rust_header = header(api, "//");
    let render = |file: &str, result: askama::Result<String>| {
        result
            .map(|text| format!("{}\n", text.trim_end()))
            .map_err(|error| EmitError {
                file: file.to_owned(),
                message: error.to_string(),
            })
    };
    let manifest = render(
        "Cargo.toml",
        CargoTemplate {
            api,
            crate_name: &crate_name,
            validator_crate: &validator_crate,
            header: header(api, "#"),
        }
        .render(),
    )?;
    let lib = render(
        "src/lib.rs",
        LibTemplate {
            api,
            view: &view,
            header: &rust_header,
            validator_lib: &validator_lib,
        }
        .render(),
    )?;
    let client = render("src/client.rs", ClientTemplate { view: &view }.render())?;
    let lenient = render(
        "src/lenient.rs",
        LenientTemplate {
            api,
            types: &view.lenient_types,
        }
        .render(),
    )?;
    let example_name = api.name.replace('-', "_");
    let example_main_path = format!("examples/{example_name}/main.rs");
    let example_path = format!("examples/{example_name}/program.rs");
    let example = example_view(api, &view, contract);
    let example_main = render(
        &example_main_path,
        ExampleMainTemplate {
            api,
            header: &rust_header,
            lib_name: &lib_name,
            example: &example,
        }
        .render(),
    )?;
    let example_program = render(
        &example_path,
        ExampleTemplate {
            lib_name: &lib_name,
            example: &example,
        }
        .render(),
    )?;
    let files = vec![
        File {
            path: "Cargo.toml".to_owned(),
            contents: manifest,
        },
        File {
            path: example_main_path,
            contents: example_main,
        },
        File {
            contents: format_rust(&example_path, &rust_header, &example_program)?,
            path: example_path,
        },
        File {
            path: "src/client.rs".to_owned(),
            contents: format_rust("src/client.rs", &rust_header, &client)?,
        },
        File {
            path: "src/lenient.rs".to_owned(),
            contents: format_rust("src/lenient.rs", &rust_header, &lenient)?,
        },
        File {
            path: "src/lib.rs".to_owned(),
            contents: lib,
        },
        File {
            path: "src/runtime.rs".to_owned(),
            // Lenient copies of the models' unions, if any, use `untagged_serde!`.
            contents: runtime_file(
                &rust_header,
                RUNTIME,
                api.types
                    .iter()
                    .any(|def| matches!(def.kind, TypeKind::Union { .. })),
            ),
        },
    ];
    view.diagnostics.sort();
    view.diagnostics.dedup();
    Ok((files, view.diagnostics))
}

/// A field or method name for a spec name: [`naming::field_name`], plus `try` (reserved since
/// edition 2018, missing from its keyword list) written raw.
fn field_ident(text: &str) -> String {
    match naming::field_name(text) {
        name if name == "try" => "r#try".to_owned(),
        name => name,
    }
}

/// A Rust string literal.
fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

/// Doc comment lines that rustdoc renders as prose.
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().replace("```", "'''"))
        .filter(|line| !line.is_empty())
        .collect()
}

fn is_sensitive(schema: &Value) -> bool {
    schema.get("x-sensitive") == Some(&Value::Bool(true))
}

/// Whether a header name is an HTTP token (so `HeaderName::from_static` accepts it lower-cased).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// Everything the templates read.
struct ClientView {
    title: String,
    servers: Vec<ServerView>,
    schemes: Vec<SchemeView>,
    operations: Vec<OperationView>,
    login: Option<LoginView>,
    /// Schemes that operations name and the spec never defines.
    undefined_schemes: BTreeSet<String>,
    lenient_types: Vec<LenientType>,
    /// The sources of the patterns the validator has matchers for (`Api::patterns`).
    patterns: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

struct ServerView {
    fn_name: String,
    doc: Vec<String>,
    /// `host: impl Into<String>, ...`
    args: String,
    /// The body of the constructor, an expression of type `String`.
    url_expr: String,
    url: String,
    /// (variable, default) pairs.
    variables: Vec<(String, String)>,
}

struct SchemeView {
    /// The name in `components.securitySchemes`.
    name: String,
    field: String,
    /// Its `runtime::Scheme` constant in `impl Credentials` (`X_SECRET`).
    constant: String,
    /// The expression of that constant.
    constructor: String,
    /// The header or query parameter, as the spec spells it.
    wire_name: String,
    with_fn: String,
    set_fn: String,
    doc: Vec<String>,
    /// Where it goes, in words (`the x-secret header`).
    location: String,
    /// The header it is sent in (`x-secret`, `Authorization`), or `None` for a query parameter.
    header: Option<String>,
}

struct LoginView {
    fn_name: String,
    operation_id: String,
    args: String,
    arg_names: String,
    set_fn: String,
    scheme_name: String,
    source: String,
}

struct OperationView {
    id: String,
    id_literal: String,
    fn_name: String,
    /// `<Base>Call`, an alias of `runtime::Call<'c, <Base>Params>`.
    call_type: String,
    /// `<Base>Params`: the parameters and body; implements `runtime::Operation`.
    params_type: String,
    response_type: String,
    method: String,
    path: String,
    doc: Vec<String>,
    idempotent: bool,
    deprecated: bool,
    /// Arguments of the client method (`card_id: impl Into<String>, body: models::X`).
    args: String,
    /// The request body's type, when there is a body.
    body_type: Option<String>,
    /// Field initializers of the parameters (`card_id: card_id.into(), body`).
    init: String,
    /// Fields of the parameters struct (`card_id: String`).
    fields: Vec<(String, String)>,
    /// Builder methods for optional parts.
    setters: Vec<SetterView>,
    /// Statements of `prepare()` that check parameters and build body, query and headers.
    prepare: Vec<String>,
    /// The path expression (a `String`).
    path_expr: String,
    /// The `runtime::Security` constant, when the operation has a `security` requirement.
    security: Option<String>,
    responses: Vec<ResponseView>,
    /// `token()` of the response, for the login operation: match arms.
    token_arms: Vec<String>,
}

struct SetterView {
    name: String,
    doc: Vec<String>,
    arg: String,
    /// `field = Some(..)`, on the call's parameters.
    assign: String,
}

struct ResponseView {
    key: String,
    variant: String,
    doc: Vec<String>,
    /// The variant's declaration (`Ok(lenient::Card)`, `ClientError { status: u16, body: .. }`).
    declaration: String,
    /// The `match raw.status()` pattern.
    pattern: String,
    /// Statements and the final expression that build the variant from `raw`.
    decode: String,
    /// Pattern for `status()` and its value.
    status_arm: String,
}

/// Model types reachable from response bodies, and which get a lenient copy.
struct Models<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    lenient: BTreeSet<String>,
    /// Integer fields with an `enum` (error codes like 4400): (struct, JSON name) → (the
    /// lenient enum's name, the values).
    int_enums: BTreeMap<(String, String), (String, Vec<i64>)>,
}

impl<'a> Models<'a> {
    fn new(api: &'a Api) -> Models<'a> {
        let types: BTreeMap<&str, &TypeDef> = api
            .types
            .iter()
            .map(|def| (def.name.as_str(), def))
            .collect();
        let direct = |def: &TypeDef| -> Vec<String> {
            let mut names = Vec::new();
            let mut add = |ty: &TypeRef| named_in(ty, &mut names);
            match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| add(&f.ty)),
                TypeKind::Alias { target } => add(target),
                TypeKind::Union { variants } => variants.iter().for_each(|v| add(&v.ty)),
                TypeKind::Enum { .. } | TypeKind::Newtype { .. } => {}
            }
            names
        };
        let edges: BTreeMap<&str, Vec<String>> = types
            .iter()
            .map(|(name, def)| (*name, direct(def)))
            .collect();
        let reach = |start: &str| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<String> = edges.get(start).cloned().unwrap_or_default();
            while let Some(name) = stack.pop() {
                if seen.insert(name.clone()) {
                    stack.extend(edges.get(name.as_str()).cloned().unwrap_or_default());
                }
            }
            seen
        };
        let mut roots = Vec::new();
        for operation in &api.operations {
            for response in &operation.responses {
                if let Some(ty) = response.body.as_ref().and_then(|body| body.ty.as_ref()) {
                    named_in(ty, &mut roots);
                }
            }
        }
        let mut reachable = BTreeSet::new();
        for root in roots {
            reachable.extend(reach(&root));
            reachable.insert(root);
        }
        // Integer enums are plain `i64` in the models; responses get an enum for them.
        let mut int_enums = BTreeMap::new();
        let mut names = Names::default();
        for def in &api.types {
            names.claim(&def.name);
        }
        for def in &api.types {
            let TypeKind::Struct { fields, .. } = &def.kind else {
                continue;
            };
            for field in fields {
                let Some(node) = field.node.and_then(|node| api.nodes.get(node)) else {
                    continue;
                };
                let values: Option<Vec<i64>> = node
                    .schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .and_then(|options| options.iter().map(Value::as_i64).collect());
                if field.ty == TypeRef::Integer
                    && let Some(values) = values.filter(|values| !values.is_empty())
                {
                    let name = names.claim(&format!(
                        "{}{}",
                        def.name,
                        naming::type_name(&field.json_name)
                    ));
                    int_enums.insert((def.name.clone(), field.json_name.clone()), (name, values));
                }
            }
        }
        let loose = |name: &str| {
            types.get(name).is_some_and(|def| {
                matches!(def.kind, TypeKind::Enum { .. } | TypeKind::Newtype { .. })
                    || int_enums.keys().any(|(owner, _)| owner == name)
            })
        };
        let lenient: BTreeSet<String> = reachable
            .iter()
            .filter(|name| types.contains_key(name.as_str()))
            .filter(|name| {
                let below = reach(name);
                // A type in a cycle keeps the validator's model (which boxes the cycle).
                !below.contains(name.as_str())
                    && (loose(name) || below.iter().any(|other| loose(other)))
            })
            .cloned()
            .collect();
        Models {
            types,
            lenient,
            int_enums,
        }
    }

    /// The Rust type for `ty`, seen from the `lenient` module (`inside`) or from `client`.
    fn rust(&self, ty: &TypeRef, inside: bool) -> String {
        match ty {
            TypeRef::Named(name) if self.lenient.contains(name) => {
                if inside {
                    name.clone()
                } else {
                    format!("lenient::{name}")
                }
            }
            TypeRef::Named(name) => {
                if inside {
                    format!("crate::models::{name}")
                } else {
                    format!("models::{name}")
                }
            }
            TypeRef::List(item) => format!("Vec<{}>", self.rust(item, inside)),
            TypeRef::Map(value) => {
                format!(
                    "std::collections::BTreeMap<String, {}>",
                    self.rust(value, inside)
                )
            }
            other => other.rust(),
        }
    }

    /// A request body's type (always the validator's strict model).
    fn strict(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(name) => format!("models::{name}"),
            TypeRef::List(item) => format!("Vec<{}>", self.strict(item)),
            TypeRef::Map(value) => {
                format!("std::collections::BTreeMap<String, {}>", self.strict(value))
            }
            other => other.rust(),
        }
    }

    fn lenient_types(&self) -> Vec<LenientType> {
        let mut types: Vec<LenientType> = self
            .lenient
            .iter()
            .filter_map(|name| self.types.get(name.as_str()))
            .map(|def| self.lenient_type(def))
            .collect();
        for ((owner, field), (name, values)) in &self.int_enums {
            if !self.lenient.contains(owner) {
                continue;
            }
            let mut variants = Names::default();
            variants.claim("Unknown");
            types.push(LenientType {
                name: name.clone(),
                doc: vec![format!(
                    "The documented values of `{field}` in [`{owner}`]; any other decodes as `Unknown`."
                )],
                kind: "int_enum",
                fields: Vec::new(),
                keeps_unknown: false,
                variants: values
                    .iter()
                    .map(|value| {
                        (
                            variants.claim(&if *value < 0 {
                                format!("CodeMinus{}", value.unsigned_abs())
                            } else {
                                format!("Code{value}")
                            }),
                            value.to_string(),
                        )
                    })
                    .collect(),
                catch_all: "Unknown".to_owned(),
                alias: String::new(),
                union: Vec::new(),
            });
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        types
    }

    fn lenient_type(&self, def: &TypeDef) -> LenientType {
        let mut doc: Vec<String> = def
            .doc
            .iter()
            .map(|line| line.trim().replace("```", "'''"))
            .collect();
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!(
            "The lenient copy of [`crate::models::{}`] (schema `{}`), for responses.",
            def.name, def.source
        ));
        let mut view = LenientType {
            name: def.name.clone(),
            doc,
            kind: "alias",
            fields: Vec::new(),
            keeps_unknown: false,
            variants: Vec::new(),
            catch_all: String::new(),
            alias: String::new(),
            union: Vec::new(),
        };
        match &def.kind {
            TypeKind::Struct {
                fields,
                keeps_unknown,
                ..
            } => {
                view.kind = "struct";
                view.keeps_unknown = *keeps_unknown;
                view.fields = fields
                    .iter()
                    .map(|field| {
                        let mut ty = match self
                            .int_enums
                            .get(&(def.name.clone(), field.json_name.clone()))
                        {
                            Some((name, _)) => name.clone(),
                            None => self.rust(&field.ty, true),
                        };
                        if field.sensitive {
                            ty = format!("crate::validator::Sensitive<{ty}>");
                        }
                        // Absent and `null` both decode as `None`, which is not written back.
                        let serde_kind = if !field.required || field.nullable {
                            ty = format!("Option<{ty}>");
                            "optional"
                        } else {
                            "required"
                        };
                        LenientField {
                            rust_name: field.rust_name.clone(),
                            doc: field
                                .doc
                                .iter()
                                .map(|line| line.trim().replace("```", "'''"))
                                .collect(),
                            ty,
                            json_name: rust_str(&field.json_name),
                            serde_kind,
                        }
                    })
                    .collect();
            }
            TypeKind::Enum { variants } => {
                view.kind = "enum";
                view.catch_all = if variants.iter().any(|v| v.rust_name == "Unknown") {
                    "Undocumented".to_owned()
                } else {
                    "Unknown".to_owned()
                };
                view.variants = variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), rust_str(&v.json_value)))
                    .collect();
            }
            TypeKind::Newtype { sensitive, .. } => {
                view.alias = if *sensitive {
                    "crate::validator::Sensitive<String>".to_owned()
                } else {
                    "String".to_owned()
                };
            }
            TypeKind::Alias { target } => view.alias = self.rust(target, true),
            TypeKind::Union { variants } => {
                view.kind = "union";
                view.union = variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), self.rust(&v.ty, true)))
                    .collect();
            }
        }
        view
    }
}

fn named_in(ty: &TypeRef, names: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => names.push(name.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, names),
        _ => {}
    }
}

struct LenientType {
    name: String,
    doc: Vec<String>,
    kind: &'static str,
    fields: Vec<LenientField>,
    keeps_unknown: bool,
    /// (variant, JSON string literal)
    variants: Vec<(String, String)>,
    catch_all: String,
    alias: String,
    union: Vec<(String, String)>,
}

impl LenientType {
    /// The fields as `object_serde!` takes them, in groups it reads with one implementation.
    fn field_groups(&self) -> std::slice::Chunks<'_, LenientField> {
        self.fields
            .chunks(crate::codegen::validator::OBJECT_SERDE_GROUP)
    }
}

struct LenientField {
    rust_name: String,
    doc: Vec<String>,
    ty: String,
    /// The JSON name as a Rust literal, and how `object_serde!` reads and writes the field
    /// (`required` or `optional`).
    json_name: String,
    serde_kind: &'static str,
}

/// Methods of `Client` that operation methods avoid.
const RESERVED_METHODS: [&str; 11] = [
    "builder",
    "new",
    "server",
    "is_strict",
    "credentials",
    "set_credentials",
    "authenticate",
    "read_credentials",
    "write_credentials",
    "transport",
    "clone",
];

/// Methods every `runtime::Call` has (and its fields): optional parameters avoid them, since they
/// become builder methods of the call.
const CALL_METHODS: [&str; 11] = [
    "body",
    "retry",
    "timeout",
    "credentials",
    "validate",
    "send",
    "prepare",
    "new",
    "params",
    "client",
    "into_future",
];

impl ClientView {
    fn new(api: &Api, contract: &Contract) -> ClientView {
        let document = &contract.spec().document;
        let models = Models::new(api);
        let mut view = ClientView {
            title: api.title.clone(),
            servers: Vec::new(),
            schemes: Vec::new(),
            operations: Vec::new(),
            login: None,
            undefined_schemes: BTreeSet::new(),
            lenient_types: models.lenient_types(),
            patterns: api.patterns.iter().map(|p| p.source.clone()).collect(),
            diagnostics: Vec::new(),
        };
        view.servers = servers(document);
        let mut methods = Names::default();
        for reserved in RESERVED_METHODS {
            methods.claim(reserved);
        }
        view.schemes = view.schemes(document, contract, &mut methods);
        // Operation types are `<Base>Call`, `<Base>Params` and `<Base>Reply`: no suffix ends
        // another, so distinct bases give distinct names, and nothing the crate root defines
        // ends in one of them. Models are reached as `models::X` and never clash.
        let mut bases = Names::default();
        for (operation, spec_operation) in api.operations.iter().zip(contract.operations()) {
            if operation.method != spec_operation.method
                || operation.path != spec_operation.template
            {
                continue;
            }
            let built = view.operation(
                document,
                &models,
                operation,
                spec_operation,
                &mut bases,
                &mut methods,
            );
            view.operations.push(built);
        }
        view.login = view.login(document, contract);
        view
    }

    fn schemes(
        &mut self,
        document: &Value,
        contract: &Contract,
        methods: &mut Names,
    ) -> Vec<SchemeView> {
        let used: BTreeSet<&String> = contract
            .operations()
            .iter()
            .flat_map(|operation| operation.security.iter().flatten())
            .collect();
        let defined = document
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let mut fields = Names::default();
        let mut schemes = Vec::new();
        for name in used {
            let Some(scheme) = defined.and_then(|schemes| schemes.get(name.as_str())) else {
                self.undefined_schemes.insert(name.clone());
                continue;
            };
            let scheme = pointer::follow_refs(document, scheme);
            let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
            let (header, query, prefix) = match (text("type"), text("in")) {
                ("apiKey", "header") => (Some(text("name").to_owned()), None, String::new()),
                ("apiKey", "query") => (None, Some(text("name").to_owned()), String::new()),
                ("http", _) => {
                    let scheme_name = text("scheme");
                    let mut chars = scheme_name.chars();
                    let title = chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_else(|| "Bearer".to_owned());
                    (Some("Authorization".to_owned()), None, format!("{title} "))
                }
                ("oauth2" | "openIdConnect", _) => {
                    (Some("Authorization".to_owned()), None, "Bearer ".to_owned())
                }
                (kind, place) => {
                    self.diagnostics.push(Diagnostic {
                        pointer: pointer::join("/components/securitySchemes", name),
                        message: format!(
                            "security scheme of type `{kind}` in `{place}` is not supported by the client: operations that need it report missing credentials"
                        ),
                    });
                    continue;
                }
            };
            if let Some(header) = &header
                && !is_header_name(header)
            {
                self.diagnostics.push(Diagnostic {
                    pointer: pointer::join("/components/securitySchemes", name),
                    message: format!("`{header}` is not a valid header name"),
                });
                continue;
            }
            let field = fields.claim(&field_ident(name));
            let bare = field.trim_start_matches("r#").to_owned();
            let location = match (&header, &query) {
                (Some(header), _) if prefix.is_empty() => format!("the `{header}` header"),
                (Some(header), _) => format!("the `{header}` header as `{prefix}<value>`"),
                (None, Some(query)) => format!("the `{query}` query parameter"),
                _ => String::new(),
            };
            let mut doc = vec![format!("Security scheme `{name}`: sent in {location}.")];
            doc.extend(doc_lines(text("description")));
            let (wire_name, constructor) = match (&header, &query) {
                (Some(header), _) => (
                    header.clone(),
                    format!(
                        "Scheme::header(|c| c.{field}.as_ref(), {}, {})",
                        rust_str(header),
                        rust_str(&prefix)
                    ),
                ),
                (None, Some(query)) => (
                    query.clone(),
                    format!("Scheme::query(|c| c.{field}.as_ref(), {})", rust_str(query)),
                ),
                (None, None) => continue,
            };
            schemes.push(SchemeView {
                name: name.clone(),
                constant: bare.to_ascii_uppercase(),
                constructor,
                wire_name,
                with_fn: format!("with_{bare}"),
                set_fn: methods.claim(&format!("set_{bare}")),
                field,
                doc,
                location,
                header,
            });
        }
        schemes
    }

    fn operation(
        &mut self,
        document: &Value,
        models: &Models<'_>,
        operation: &Operation,
        spec_operation: &SpecOperation,
        bases: &mut Names,
        methods: &mut Names,
    ) -> OperationView {
        let base = naming::type_name(&operation.id);
        let id_literal = rust_str(&operation.id);
        let raw = document
            .pointer(&spec_operation.pointer)
            .unwrap_or(&Value::Null);
        let mut doc = Vec::new();
        if let Some(summary) = &operation.summary {
            doc.extend(doc_lines(summary));
        }
        let description = raw.get("description").and_then(Value::as_str);
        if let Some(description) = description {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(doc_lines(description));
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!(
            "`{}` ({} {}){}. {}",
            operation.id,
            operation.method,
            operation.path,
            if operation.deprecated {
                ", deprecated"
            } else {
                ""
            },
            if operation.idempotent {
                "Idempotent (`x-idempotent: true`): 429 and 503 are retried."
            } else {
                "Not idempotent: 429 and 503 are not retried unless the call opts in with `.retry(true)`."
            }
        ));
        if let Some(note) = self.security_note(spec_operation) {
            doc.push(String::new());
            doc.push(note);
        }
        let base = bases.claim(&base);
        let mut view = OperationView {
            id: operation.id.clone(),
            id_literal,
            fn_name: methods.claim(&operation.fn_name),
            call_type: format!("{base}Call"),
            params_type: format!("{base}Params"),
            response_type: format!("{base}Reply"),
            method: operation.method.to_ascii_uppercase(),
            path: operation.path.clone(),
            doc,
            idempotent: operation.idempotent,
            deprecated: operation.deprecated,
            args: String::new(),
            body_type: None,
            init: String::new(),
            fields: Vec::new(),
            setters: Vec::new(),
            prepare: Vec::new(),
            path_expr: String::new(),
            security: None,
            responses: Vec::new(),
            token_arms: Vec::new(),
        };
        let mut args = Vec::new();
        let mut init = Vec::new();
        // Fields of the parameters are also builder methods of the call: they avoid its own.
        let mut field_names = Names::default();
        for reserved in CALL_METHODS {
            field_names.claim(reserved);
        }
        let mut path_values: BTreeMap<String, String> = BTreeMap::new();
        // Required parameters first (path, query, header), in spec order; then the body.
        let mut parameters: Vec<&Parameter> = spec_operation
            .parameters
            .iter()
            .filter(|p| matches!(p.part, Part::Path | Part::Query | Part::Header))
            .collect();
        // A path parameter is always required (OpenAPI says it must be).
        let required = |p: &Parameter| p.required || p.part == Part::Path;
        parameters.sort_by_key(|p| (!required(p), p.part != Part::Path));
        for parameter in parameters {
            let param = self.parameter(document, parameter, &mut field_names);
            let field = param.field.clone();
            let (stored, convert) = if param.sensitive {
                (
                    format!("crate::validator::Sensitive<{}>", param.ty),
                    format!("crate::validator::Sensitive::new({})", param.convert),
                )
            } else {
                (param.ty.clone(), param.convert.clone())
            };
            if required(parameter) {
                view.fields.push((field.clone(), stored));
                args.push(format!("{field}: {}", param.arg));
                let value = convert.replace("value", &field);
                init.push(if value == field {
                    field.clone()
                } else {
                    format!("{field}: {value}")
                });
            } else {
                view.fields
                    .push((field.clone(), format!("Option<{stored}>")));
                init.push(format!("{field}: None"));
                let mut doc = vec![format!(
                    "The optional {} parameter `{}`.",
                    parameter.part, parameter.name
                )];
                doc.extend(param.doc.clone());
                view.setters.push(SetterView {
                    name: field.clone(),
                    doc,
                    arg: format!("value: {}", param.arg),
                    assign: format!("{field} = Some({convert})"),
                });
            }
            // Checks, then where the value goes; `value` is a `&T`.
            let mut body = param.checks.clone();
            let name = rust_str(&parameter.name);
            match parameter.part {
                Part::Path => {
                    let access = if param.sensitive {
                        format!("self.{field}.expose()")
                    } else {
                        format!("&self.{field}")
                    };
                    path_values.insert(parameter.name.clone(), access);
                }
                Part::Query if param.ty.starts_with("Vec<") => {
                    body.push(format!("request.query_each({name}, value);"))
                }
                Part::Query => body.push(format!("request.query({name}, value);")),
                Part::Header => {
                    if is_header_name(&parameter.name) {
                        body.push(format!(
                            "request.header({name}, value, {});",
                            param.sensitive
                        ));
                    } else {
                        self.diagnostics.push(Diagnostic {
                            pointer: parameter.pointer.clone(),
                            message: format!(
                                "`{}` is not a valid header name: the parameter is not sent",
                                parameter.name
                            ),
                        });
                    }
                }
                _ => {}
            }
            if body.is_empty() {
                continue;
            }
            let rebind = if param.sensitive {
                format!(" let value: &{} = value;", param.ty)
            } else {
                String::new()
            };
            let open = if required(parameter) {
                format!("{{ let value = &self.{field};{rebind}")
            } else {
                format!("if let Some(value) = &self.{field} {{{rebind}")
            };
            view.prepare.push(format!("{open} {} }}", body.join(" ")));
        }
        // The body.
        if let Some(request) = &operation.request {
            let ty = request
                .ty
                .as_ref()
                .map(|ty| models.strict(ty))
                .unwrap_or_else(|| "serde_json::Value".to_owned());
            view.body_type = Some(ty.clone());
            if request.required {
                view.fields.push(("body".to_owned(), ty.clone()));
                args.push(format!("body: {ty}"));
                init.push("body".to_owned());
                view.prepare
                    .push("request.json(Self::ID, &self.body)?;".to_owned());
            } else {
                view.fields
                    .push(("body".to_owned(), format!("Option<{ty}>")));
                init.push("body: None".to_owned());
                view.setters.push(SetterView {
                    name: "body".to_owned(),
                    doc: vec!["The optional request body.".to_owned()],
                    arg: format!("body: {ty}"),
                    assign: "body = Some(body)".to_owned(),
                });
                view.prepare.push(
                    "if let Some(body) = &self.body { request.json(Self::ID, body)?; }".to_owned(),
                );
            }
        }
        view.args = args.join(", ");
        view.init = init.join(", ");
        view.path_expr = path_expression(&operation.path, &path_values);
        view.security = self.security(spec_operation);
        view.responses = self.responses(document, models, operation, spec_operation);
        view
    }

    /// A parameter: its Rust type, the checks of its schema, and how it becomes text.
    fn parameter(
        &mut self,
        document: &Value,
        parameter: &Parameter,
        names: &mut Names,
    ) -> ParamView {
        let object = document.pointer(&parameter.pointer).unwrap_or(&Value::Null);
        let object = pointer::follow_refs(document, object);
        let schema = parameter.schema_in(document);
        let sensitive = is_sensitive(schema) || is_sensitive(object);
        let kind = schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        let scalar = |kind: &str| match kind {
            "integer" => "i64",
            "number" => "f64",
            "boolean" => "bool",
            _ => "String",
        };
        let (ty, arg, convert) = match kind {
            "array" => {
                let items = schema
                    .get("items")
                    .map(|items| pointer::follow_refs(document, items))
                    .and_then(|items| items.get("type"))
                    .and_then(Value::as_str)
                    .unwrap_or("string");
                let ty = format!("Vec<{}>", scalar(items));
                (ty.clone(), ty, "value".to_owned())
            }
            "integer" | "number" | "boolean" => {
                let ty = scalar(kind).to_owned();
                (ty.clone(), ty, "value".to_owned())
            }
            _ => (
                "String".to_owned(),
                "impl Into<String>".to_owned(),
                "value.into()".to_owned(),
            ),
        };
        let mut doc = Vec::new();
        if let Some(description) = object.get("description").and_then(Value::as_str) {
            doc.extend(doc_lines(description));
        }
        let checks = self.parameter_checks(parameter, schema, kind);
        ParamView {
            field: names.claim(&field_ident(&parameter.name)),
            ty,
            arg,
            convert,
            sensitive,
            doc,
            checks,
        }
    }

    /// Statements that check `value` (a `&T`) against the parameter's schema and record
    /// violations. Keywords the client cannot check are reported as diagnostics.
    fn parameter_checks(
        &mut self,
        parameter: &Parameter,
        schema: &Value,
        kind: &str,
    ) -> Vec<String> {
        let Some(object) = schema.as_object() else {
            return Vec::new();
        };
        let part = match parameter.part {
            Part::Path => "Part::Path",
            Part::Query => "Part::Query",
            _ => "Part::Header",
        };
        let name = if parameter.part == Part::Header {
            parameter.name.to_ascii_lowercase()
        } else {
            parameter.name.clone()
        };
        let schema_at = parameter.schema.clone().unwrap_or_default();
        let record = |keyword: &str, test: String, error: String| {
            format!(
                "request.check({test}, {part}, {}, {}, ErrorKind::{error});",
                rust_str(&name),
                rust_str(&format!("#{}", pointer::join(&schema_at, keyword)))
            )
        };
        let mut checks = Vec::new();
        let number = |value: &Value| value.as_f64().map(|n| format!("{n:?}"));
        let exclusive = |key: &str| object.get(key) == Some(&Value::Bool(true));
        for (keyword, value) in object {
            match (keyword.as_str(), kind) {
                ("type" | "description" | "example" | "examples" | "default" | "title"
                | "nullable" | "deprecated" | "readOnly" | "writeOnly"
                | "exclusiveMinimum" | "exclusiveMaximum" | "items", _) => {}
                (key, _) if key.starts_with("x-") => {}
                ("minLength", "string") | ("maxLength", "string") if value.as_u64().is_some() => {
                    let limit = value.as_u64().unwrap_or_default();
                    let (test, error) = if keyword == "minLength" {
                        ("shorter_than", "MinLength")
                    } else {
                        ("longer_than", "MaxLength")
                    };
                    checks.push(record(
                        keyword,
                        format!("crate::validator::checks::{test}(value, {limit})"),
                        format!("{error} {{ limit: {limit} }}"),
                    ));
                }
                ("pattern", "string") if value.as_str().is_some() => {
                    // The validator's matcher (`validation::patterns`), lowered from this very
                    // parameter; a pattern that is not valid ECMA 262 has none, and lowering
                    // reported it.
                    let lowered = value
                        .as_str()
                        .filter(|source| self.patterns.contains(*source));
                    if let Some(source) = lowered {
                        checks.push(record(
                            keyword,
                            format!(
                                "!crate::validator::checks::{}(value)",
                                naming::pattern_function(source)
                            ),
                            format!("Pattern {{ pattern: {} }}", rust_str(source)),
                        ));
                    }
                }
                ("format", "string") => match value.as_str() {
                    Some("uuid") => checks.push(record(
                        keyword,
                        "!crate::validator::checks::is_uuid(value)".to_owned(),
                        "Format { format: \"uuid\" }".to_owned(),
                    )),
                    Some(format @ ("date" | "date-time" | "email")) => {
                        self.diagnostics.push(Diagnostic {
                            pointer: pointer::join(&schema_at, "format"),
                            message: format!(
                                "format `{format}` of parameter `{}` is not checked before sending (the server checks it)",
                                parameter.name
                            ),
                        })
                    }
                    // Other formats are annotations: the oracle does not assert them either.
                    _ => {}
                },
                ("enum", "string") if value.as_array().is_some_and(|o| o.iter().all(Value::is_string)) => {
                    let options: Vec<String> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(rust_str)
                        .collect();
                    checks.push(record(
                        keyword,
                        format!("!matches!(value.as_str(), {})", options.join(" | ")),
                        format!("Enum {{ expected: {} }}", rust_str(&value.to_string())),
                    ));
                }
                ("minimum" | "maximum", "integer" | "number") if number(value).is_some() => {
                    let limit = number(value).unwrap_or_default();
                    let (test, error) = match keyword.as_str() {
                        "minimum" if exclusive("exclusiveMinimum") => ("<=", "ExclusiveMinimum"),
                        "minimum" => ("<", "Minimum"),
                        _ if exclusive("exclusiveMaximum") => (">=", "ExclusiveMaximum"),
                        _ => (">", "Maximum"),
                    };
                    checks.push(record(
                        keyword,
                        format!("(*value as f64) {test} {limit}"),
                        format!("{error} {{ limit: {} }}", rust_str(&value.to_string())),
                    ));
                }
                ("minItems" | "maxItems", "array") if value.as_u64().is_some() => {
                    let limit = value.as_u64().unwrap_or_default();
                    let (test, error) = if keyword == "minItems" {
                        ("<", "MinItems")
                    } else {
                        (">", "MaxItems")
                    };
                    checks.push(record(
                        keyword,
                        format!("(value.len() as u64) {test} {limit}"),
                        format!("{error} {{ limit: {limit} }}"),
                    ));
                }
                (keyword, _) => self.diagnostics.push(Diagnostic {
                    pointer: pointer::join(&schema_at, keyword),
                    message: format!(
                        "`{keyword}` of parameter `{}` is not checked before sending (the server checks it)",
                        parameter.name
                    ),
                }),
            }
        }
        checks
    }

    /// The `runtime::Security` constant of an operation: its alternatives, each the schemes
    /// that must all be present. A scheme the spec never defines is left out of its
    /// alternative (see [`ClientView::security_note`]); an alternative with a scheme the client
    /// cannot send is dropped.
    fn security(&self, operation: &SpecOperation) -> Option<String> {
        if operation.security.is_empty() {
            return None;
        }
        let mut alternatives = Vec::new();
        let mut required = Vec::new();
        for alternative in &operation.security {
            let schemes: Option<Vec<&SchemeView>> = alternative
                .iter()
                .filter(|name| !self.undefined_schemes.contains(*name))
                .map(|name| self.schemes.iter().find(|scheme| &scheme.name == name))
                .collect();
            let Some(schemes) = schemes else {
                continue;
            };
            required.push(
                schemes
                    .iter()
                    .map(|scheme| scheme.wire_name.as_str())
                    .collect::<Vec<_>>()
                    .join(" + "),
            );
            alternatives.push(format!(
                "&[{}]",
                schemes
                    .iter()
                    .map(|scheme| format!("Credentials::{}", scheme.constant))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Some(format!(
            "Security::new(&[{}], {})",
            alternatives.join(", "),
            rust_str(&required.join(" or "))
        ))
    }

    /// A doc line for an operation whose `security` names schemes the spec never defines: the
    /// client cannot send them and leaves them out (the server decides).
    fn security_note(&self, operation: &SpecOperation) -> Option<String> {
        let undefined: BTreeSet<&String> = operation
            .security
            .iter()
            .flatten()
            .filter(|name| self.undefined_schemes.contains(*name))
            .collect();
        if undefined.is_empty() {
            return None;
        }
        let names: Vec<String> = undefined.iter().map(|name| format!("`{name}`")).collect();
        Some(format!(
            "Its `security` names {} {}, which the spec does not define in `components.securitySchemes`: the client sends no credential for {}.",
            if names.len() == 1 {
                "the scheme"
            } else {
                "the schemes"
            },
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" },
        ))
    }

    fn responses(
        &mut self,
        document: &Value,
        models: &Models<'_>,
        operation: &Operation,
        spec_operation: &SpecOperation,
    ) -> Vec<ResponseView> {
        let mut responses: Vec<_> = operation.responses.iter().collect();
        responses.sort_by_key(|response| response.status);
        let mut variants = Names::default();
        let mut views = Vec::new();
        for response in responses {
            let variant = variants.claim(&variant_name(response.status));
            let at = pointer::join(
                &pointer::join(&spec_operation.pointer, "responses"),
                &response.key,
            );
            let object = document
                .pointer(&at)
                .map(|object| pointer::follow_refs(document, object))
                .unwrap_or(&Value::Null);
            let mut doc = vec![format!(
                "`{}`: {}",
                response.key,
                response.description.trim()
            )];
            doc = doc.iter().flat_map(|line| doc_lines(line)).collect();
            let body_ty = response.body.as_ref().map(|body| {
                body.ty
                    .as_ref()
                    .map(|ty| models.rust(ty, false))
                    .unwrap_or_else(|| "serde_json::Value".to_owned())
            });
            // Documented response headers, as typed fields.
            let mut header_fields = Vec::new();
            let mut field_names = Names::default();
            field_names.claim("status");
            field_names.claim("body");
            if let Some(headers) = object.get("headers").and_then(Value::as_object) {
                for (name, header) in headers {
                    if ["content-type"].contains(&name.to_ascii_lowercase().as_str()) {
                        continue;
                    }
                    let header = pointer::follow_refs(document, header);
                    let schema = header
                        .get("schema")
                        .map(|schema| pointer::follow_refs(document, schema))
                        .unwrap_or(&Value::Null);
                    let sensitive = is_sensitive(schema) || is_sensitive(header);
                    header_fields.push((
                        field_names.claim(&field_ident(name)),
                        name.to_ascii_lowercase(),
                        sensitive,
                    ));
                }
            }
            let has_status = !matches!(response.status, StatusMatch::Exact(_));
            let mut parts: Vec<(String, String)> = Vec::new();
            if has_status {
                parts.push(("status".to_owned(), "u16".to_owned()));
            }
            let named = has_status || !header_fields.is_empty();
            if let Some(ty) = &body_ty
                && named
            {
                parts.push(("body".to_owned(), ty.clone()));
            }
            for (field, _, sensitive) in &header_fields {
                parts.push((
                    field.clone(),
                    if *sensitive {
                        "Option<Secret>".to_owned()
                    } else {
                        "Option<String>".to_owned()
                    },
                ));
            }
            let declaration = if named {
                format!(
                    "{variant} {{ {} }}",
                    parts
                        .iter()
                        .map(|(field, ty)| format!("{field}: {ty}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else if let Some(ty) = &body_ty {
                format!("{variant}({ty})")
            } else {
                variant.clone()
            };
            let pattern = match response.status {
                StatusMatch::Exact(code) => code.to_string(),
                StatusMatch::Range(digit) => format!("{}..={}", digit * 100, digit * 100 + 99),
                StatusMatch::Default => "_".to_owned(),
            };
            // One expression: headers are read before the body takes `raw`.
            let mut reads = Vec::new();
            if has_status {
                reads.push("let status = raw.status();".to_owned());
            }
            for (field, name, sensitive) in &header_fields {
                reads.push(format!(
                    "let {field} = raw.header({}){};",
                    rust_str(name),
                    if *sensitive { ".map(Secret::from)" } else { "" }
                ));
            }
            let body_expr = "runtime::decode(Self::ID, raw, strict)?";
            let built = if named {
                let mut inits = Vec::new();
                if has_status {
                    inits.push("status".to_owned());
                }
                if body_ty.is_some() {
                    inits.push(format!("body: {body_expr}"));
                }
                for (field, _, _) in &header_fields {
                    inits.push(field.clone());
                }
                format!("Reply::{variant} {{ {} }}", inits.join(", "))
            } else if body_ty.is_some() {
                format!("Reply::{variant}({body_expr})")
            } else {
                format!("Reply::{variant}")
            };
            let decode = if reads.is_empty() {
                built
            } else {
                format!("{{ {} {built} }}", reads.join(" "))
            };
            let status_arm = match response.status {
                StatusMatch::Exact(code) if named => format!("Self::{variant} {{ .. }} => {code}"),
                StatusMatch::Exact(code) if body_ty.is_some() => {
                    format!("Self::{variant}(..) => {code}")
                }
                StatusMatch::Exact(code) => format!("Self::{variant} => {code}"),
                _ => format!("Self::{variant} {{ status, .. }} => *status"),
            };
            views.push(ResponseView {
                key: response.key.clone(),
                variant,
                doc,
                declaration,
                pattern,
                decode,
                status_arm,
            });
        }
        views
    }

    /// The operation that issues a token for another scheme (a login), if the spec has one.
    fn login(&mut self, document: &Value, contract: &Contract) -> Option<LoginView> {
        for (index, operation) in contract.operations().iter().enumerate() {
            let Some(position) = self.operations.iter().position(|view| {
                view.method == operation.method && view.path == operation.template
            }) else {
                continue;
            };
            let view = &self.operations[position];
            let own: BTreeSet<&String> = operation.security.iter().flatten().collect();
            let others: BTreeSet<&String> = contract
                .operations()
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .flat_map(|(_, other)| other.security.iter().flatten())
                .collect();
            let targets: Vec<&SchemeView> = self
                .schemes
                .iter()
                .filter(|scheme| others.contains(&scheme.name) && !own.contains(&scheme.name))
                .filter(|scheme| scheme.header.is_some())
                .collect();
            let [target] = targets.as_slice() else {
                continue;
            };
            let Some((key, source)) = token_source(document, operation) else {
                continue;
            };
            let Some(response) = view.responses.iter().find(|r| r.key == key) else {
                continue;
            };
            let arm = match &source {
                TokenSource::Header(name) => {
                    let field = field_ident(name);
                    format!(
                        "Self::{} {{ {field}, .. }} => {field}.as_ref().and_then(runtime::token_in_header)",
                        response.variant
                    )
                }
                TokenSource::Body(at) => {
                    if response.declaration.contains('{') {
                        format!(
                            "Self::{} {{ body, .. }} => runtime::token_in(body, {})",
                            response.variant,
                            rust_str(at)
                        )
                    } else {
                        format!(
                            "Self::{}(body) => runtime::token_in(body, {})",
                            response.variant,
                            rust_str(at)
                        )
                    }
                }
            };
            let described = match &source {
                TokenSource::Header(name) => format!("the `{name}` response header"),
                TokenSource::Body(at) => format!("`{at}` of the `{key}` body"),
            };
            let (target_set, target_name) = (target.set_fn.clone(), target.name.clone());
            let arg_names = view
                .args
                .split(", ")
                .filter(|arg| !arg.is_empty())
                .map(|arg| arg.split(':').next().unwrap_or_default().trim().to_owned())
                .collect::<Vec<_>>()
                .join(", ");
            let login = LoginView {
                fn_name: view.fn_name.clone(),
                operation_id: view.id.clone(),
                args: view.args.clone(),
                arg_names,
                set_fn: target_set,
                scheme_name: target_name,
                source: described,
            };
            self.operations[position].token_arms.push(arm);
            return Some(login);
        }
        None
    }
}

struct ParamView {
    field: String,
    ty: String,
    arg: String,
    /// Turns `value` (the argument) into the stored type.
    convert: String,
    sensitive: bool,
    doc: Vec<String>,
    checks: Vec<String>,
}

enum TokenSource {
    /// A response header.
    Header(String),
    /// A JSON pointer into the body.
    Body(String),
}

/// Where the first 2xx response of an operation carries a token: a documented header that is
/// `x-sensitive` (or named like a token), else a string property named like a token (not a
/// refresh token) in the body.
fn token_source(document: &Value, operation: &SpecOperation) -> Option<(String, TokenSource)> {
    let raw = document.pointer(&operation.pointer)?;
    let responses = raw.get("responses")?.as_object()?;
    let (key, response) = responses.iter().find(|(key, _)| key.starts_with('2'))?;
    let response = pointer::follow_refs(document, response);
    let tokenish = |name: &str| {
        let lower = name.to_ascii_lowercase();
        (lower.contains("token") || lower == "authorization") && !lower.contains("refresh")
    };
    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
        for (name, header) in headers {
            let header = pointer::follow_refs(document, header);
            let schema = header
                .get("schema")
                .map(|schema| pointer::follow_refs(document, schema))
                .unwrap_or(&Value::Null);
            if is_sensitive(schema) || is_sensitive(header) || tokenish(name) {
                return Some((key.clone(), TokenSource::Header(name.clone())));
            }
        }
    }
    let content = response.get("content")?.as_object()?;
    let schema = content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .and_then(|(_, entry)| entry.get("schema"))?;
    fn walk(document: &Value, schema: &Value, at: String, depth: usize) -> Option<String> {
        if depth > 4 {
            return None;
        }
        let schema = pointer::follow_refs(document, schema);
        let properties = schema.get("properties")?.as_object()?;
        for (name, property) in properties {
            let property = pointer::follow_refs(document, property);
            let lower = name.to_ascii_lowercase();
            if lower.contains("token")
                && !lower.contains("refresh")
                && property.get("type").and_then(Value::as_str) == Some("string")
            {
                return Some(pointer::join(&at, name));
            }
        }
        properties.iter().find_map(|(name, property)| {
            walk(document, property, pointer::join(&at, name), depth + 1)
        })
    }
    walk(document, schema, String::new(), 0).map(|at| (key.clone(), TokenSource::Body(at)))
}

/// `format!("/cards/{}", runtime::encode_path(&..))` for a path template.
fn path_expression(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('}', "}}"));
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.get(name) {
                    Some(text) => {
                        format.push_str("{}");
                        args.push(format!("runtime::encode_path({text})"));
                    }
                    None => format.push_str(&format!("{{{{{name}}}}}")),
                }
                rest = &after[close + 1..];
            }
            None => {
                format.push_str("{{");
                rest = after;
            }
        }
    }
    format.push_str(&rest.replace('}', "}}"));
    if args.is_empty() {
        format!(
            "{}.to_owned()",
            rust_str(&format.replace("{{", "{").replace("}}", "}"))
        )
    } else {
        format!("format!({}, {})", rust_str(&format), args.join(", "))
    }
}

/// The variant of a response enum for a status.
fn variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Exact(code) => match code {
            100 => "Continue",
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            206 => "PartialContent",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            425 => "TooEarly",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{code}"),
        }
        .to_owned(),
        StatusMatch::Range(1) => "Informational".to_owned(),
        StatusMatch::Range(2) => "Success".to_owned(),
        StatusMatch::Range(3) => "Redirection".to_owned(),
        StatusMatch::Range(4) => "ClientError".to_owned(),
        StatusMatch::Range(5) => "ServerError".to_owned(),
        StatusMatch::Range(digit) => format!("Status{digit}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// Constructors of `Server`, one per server of the spec: `production`/`sandbox` when the
/// description says so, else a name from the host or the variables.
fn servers(document: &Value) -> Vec<ServerView> {
    let mut names = Names::default();
    for reserved in ["custom", "url"] {
        names.claim(reserved);
    }
    let list = document
        .get("servers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut views = Vec::new();
    for (index, server) in list.iter().enumerate() {
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let description = server
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let first_words = description
            .split(['.', '(', ';', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let variables: Vec<(String, String)> = server
            .get("variables")
            .and_then(Value::as_object)
            .map(|variables| {
                variables
                    .iter()
                    .map(|(name, variable)| {
                        (
                            name.clone(),
                            variable
                                .get("default")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or_default();
        let base = if first_words.contains("sandbox") {
            "sandbox".to_owned()
        } else if first_words.contains("production") {
            "production".to_owned()
        } else if !host.contains('{') && !host.is_empty() {
            field_ident(host)
        } else if !variables.is_empty() {
            field_ident(
                &variables
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>()
                    .join("_"),
            )
        } else {
            format!("server_{}", index + 1)
        };
        let fn_name = names.claim(&base);
        let mut variable_names = Names::default();
        let fields: Vec<(String, &String)> = variables
            .iter()
            .map(|(name, _)| (variable_names.claim(&field_ident(name)), name))
            .collect();
        let args = fields
            .iter()
            .map(|(field, _)| format!("{field}: impl Into<String>"))
            .collect::<Vec<_>>()
            .join(", ");
        let url_expr = if fields.is_empty() {
            format!("{}.to_owned()", rust_str(url))
        } else {
            let mut expression = format!("let url = {}.to_owned();", rust_str(url));
            for (field, name) in &fields {
                expression.push_str(&format!(
                    " let url = url.replace({}, &{field}.into());",
                    rust_str(&format!("{{{name}}}"))
                ));
            }
            format!("{{ {expression} url }}")
        };
        let mut doc = doc_lines(description);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("`{url}`."));
        for (name, variable) in &variables {
            let text = list[index]
                .pointer(&format!("/variables/{}/description", pointer::escape(name)))
                .and_then(Value::as_str)
                .unwrap_or_default();
            doc.push(String::new());
            let text = text.trim();
            if text.is_empty() {
                doc.push(format!("`{name}`: spec default `{variable}`."));
            } else {
                doc.push(format!("`{name}` (spec default `{variable}`): {text}"));
            }
        }
        views.push(ServerView {
            fn_name,
            doc,
            args,
            url_expr,
            url: url.to_owned(),
            variables,
        });
    }
    views
}

// ---------------------------------------------------------------------------------------------
// The example program
// ---------------------------------------------------------------------------------------------

struct ExampleView {
    /// Environment variable prefix (`UPMONEY`).
    env: String,
    /// The server constructor call (`Server::sandbox()`).
    server: String,
    server_doc: String,
    /// (env var, `with_` method) per credential set from the environment.
    credentials: Vec<(String, String)>,
    /// Statements building the calls and sending them.
    calls: Vec<ExampleCall>,
}

struct ExampleCall {
    operation: String,
    /// `let body: models::X = serde_json::from_value(serde_json::json!(...))?;`
    setup: Vec<String>,
    /// `client.activate_physical_card("123", body)`
    call: String,
    /// The success variant's pattern, if any (`ActivatePhysicalCardReply::Ok(body)`), and
    /// whether it binds `body`.
    success: Option<(String, bool)>,
    /// Whether the reply has other variants than the success one.
    others: bool,
    login: bool,
    deprecated: bool,
}

fn example_view(api: &Api, view: &ClientView, contract: &Contract) -> ExampleView {
    let document = &contract.spec().document;
    let env = api.name.to_ascii_uppercase().replace('-', "_");
    let server = view
        .servers
        .iter()
        .find(|server| server.fn_name == "sandbox")
        .or_else(|| view.servers.first());
    let (server_call, server_doc) = match server {
        Some(server) => {
            let args: Vec<String> = server
                .variables
                .iter()
                .map(|(name, default)| {
                    format!(
                        "std::env::var({}).unwrap_or_else(|_| {}.to_owned())",
                        rust_str(&format!("{env}_{}", name.to_ascii_uppercase())),
                        rust_str(default)
                    )
                })
                .collect();
            (
                format!("Server::{}({})", server.fn_name, args.join(", ")),
                server.url.clone(),
            )
        }
        None => (
            "Server::custom(\"http://127.0.0.1:8080\")".to_owned(),
            String::new(),
        ),
    };
    let login_scheme = view.login.as_ref().map(|login| login.scheme_name.clone());
    let credentials = view
        .schemes
        .iter()
        .filter(|scheme| Some(&scheme.name) != login_scheme.as_ref())
        .map(|scheme| {
            (
                format!(
                    "{env}_{}",
                    scheme.field.trim_start_matches("r#").to_ascii_uppercase()
                ),
                scheme.with_fn.clone(),
            )
        })
        .collect();
    let mut calls = Vec::new();
    // The login first, then every other operation that has examples for all its arguments.
    let mut order: Vec<usize> = (0..view.operations.len()).collect();
    if let Some(login) = &view.login {
        order.sort_by_key(|&index| view.operations[index].id != login.operation_id);
    }
    for index in order {
        let operation = &view.operations[index];
        let Some(spec_operation) = contract
            .operations()
            .iter()
            .find(|spec| spec.method == operation.method && spec.template == operation.path)
        else {
            continue;
        };
        let Some(ir) = api
            .operations
            .iter()
            .find(|ir| ir.method == operation.method && ir.path == operation.path)
        else {
            continue;
        };
        let mut setup = Vec::new();
        let mut args = Vec::new();
        let mut complete = true;
        let mut required: Vec<&Parameter> = spec_operation
            .parameters
            .iter()
            .filter(|p| p.required && matches!(p.part, Part::Path | Part::Query | Part::Header))
            .collect();
        required.sort_by_key(|p| p.part != Part::Path);
        for parameter in required {
            let object = document
                .pointer(&parameter.pointer)
                .map(|object| pointer::follow_refs(document, object))
                .unwrap_or(&Value::Null);
            let schema = parameter.schema_in(document);
            let uuid = Value::String("00000000-0000-0000-0000-000000000000".to_owned());
            let example = object
                .get("example")
                .or_else(|| schema.get("example"))
                .or_else(|| {
                    schema
                        .get("format")
                        .filter(|f| f.as_str() == Some("uuid"))
                        .map(|_| &uuid)
                });
            match example {
                Some(Value::String(text)) => args.push(rust_str(text)),
                Some(Value::Number(number)) => args.push(number.to_string()),
                Some(Value::Bool(flag)) => args.push(flag.to_string()),
                _ => complete = false,
            }
        }
        if let Some(request) = &ir.request
            && request.required
        {
            let at = pointer::join(&spec_operation.pointer, "requestBody");
            let body = document
                .pointer(&at)
                .map(|body| pointer::follow_refs(document, body))
                .and_then(|body| body.get("content"))
                .and_then(Value::as_object)
                .and_then(|content| content.iter().find(|(media, _)| media.contains("json")))
                .map(|(_, entry)| entry);
            let example = body.and_then(|entry| {
                entry
                    .get("examples")
                    .and_then(Value::as_object)
                    .and_then(|examples| examples.values().next())
                    .map(|example| pointer::follow_refs(document, example))
                    .and_then(|example| example.get("value"))
                    .or_else(|| entry.get("example"))
            });
            let ty = operation
                .body_type
                .clone()
                .unwrap_or_else(|| "serde_json::Value".to_owned());
            match example {
                Some(example) => {
                    let json = example.to_string();
                    let mut hashes = "#".to_owned();
                    while json.contains(&format!("\"{hashes}")) {
                        hashes.push('#');
                    }
                    setup.push(format!(
                        "let body: {ty} = serde_json::from_str(r{hashes}\"{json}\"{hashes})?;"
                    ));
                    args.push("body".to_owned());
                }
                None => complete = false,
            }
        }
        if !complete {
            continue;
        }
        let login = view
            .login
            .as_ref()
            .is_some_and(|login| login.operation_id == operation.id);
        let success = operation
            .responses
            .iter()
            .find(|response| response.key.starts_with('2'))
            .map(|response| {
                let declaration = &response.declaration;
                if declaration.contains('{') {
                    (
                        format!("{}::{} {{ .. }}", operation.response_type, response.variant),
                        false,
                    )
                } else if declaration.contains('(') {
                    (
                        format!("{}::{}(body)", operation.response_type, response.variant),
                        true,
                    )
                } else {
                    (
                        format!("{}::{}", operation.response_type, response.variant),
                        false,
                    )
                }
            });
        calls.push(ExampleCall {
            operation: operation.id.clone(),
            setup,
            call: if login {
                format!("client.authenticate({})", args.join(", "))
            } else {
                format!("client.{}({})", operation.fn_name, args.join(", "))
            },
            others: operation.responses.len() > 1 || success.is_none(),
            success,
            login,
            deprecated: operation.deprecated,
        });
    }
    ExampleView {
        env,
        server: server_call,
        server_doc,
        credentials,
        calls,
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "client/Cargo.toml.txt", escape = "none")]
struct CargoTemplate<'a> {
    api: &'a Api,
    crate_name: &'a str,
    validator_crate: &'a str,
    header: String,
}

#[derive(Template)]
#[template(path = "client/lib.rs.txt", escape = "none")]
struct LibTemplate<'a> {
    api: &'a Api,
    view: &'a ClientView,
    header: &'a str,
    validator_lib: &'a str,
}

#[derive(Template)]
#[template(path = "client/client.rs.txt", escape = "none")]
struct ClientTemplate<'a> {
    view: &'a ClientView,
}

#[derive(Template)]
#[template(path = "client/lenient.rs.txt", escape = "none")]
struct LenientTemplate<'a> {
    api: &'a Api,
    types: &'a [LenientType],
}

#[derive(Template)]
#[template(path = "client/example_main.rs.txt", escape = "none")]
struct ExampleMainTemplate<'a> {
    api: &'a Api,
    header: &'a str,
    lib_name: &'a str,
    example: &'a ExampleView,
}

#[derive(Template)]
#[template(path = "client/example.rs.txt", escape = "none")]
struct ExampleTemplate<'a> {
    lib_name: &'a str,
    example: &'a ExampleView,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    /// What the provider specs do not exercise: query and header parameters, an apiKey in the
    /// query, OAuth 2, server variables, ranges, an optional body, response headers.
    const TOY: &str = r#"
openapi: 3.0.3
info: {title: Toy, version: '1'}
servers:
  - url: https://{region}.toy.example/{base}
    variables:
      region: {default: eu}
      base: {default: v1, description: The API version.}
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      x-idempotent: true
      security: [{queryKey: []}, {oauth: []}]
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}, maxItems: 3}}
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
        - {name: X-Request-Id, in: header, schema: {type: string, pattern: '^[a-f0-9]+$'}}
        - {name: X-Pin, in: header, schema: {type: string, x-sensitive: true}}
        - {name: when, in: query, schema: {type: string, format: date}}
        - {name: code, in: query, schema: {type: string, pattern: '^(?!0+$)([0-9])\1*$'}}
        - {name: note, in: query, schema: {type: string, minLength: 2, maxLength: 5}}
      responses:
        '200':
          description: ok
          headers: {X-Rate-Limit: {schema: {type: integer}}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
        2XX: {description: other success}
        default:
          description: error
          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
    put:
      operationId: putItem
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: string, format: uuid}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
      responses:
        '204': {description: done}
components:
  securitySchemes:
    queryKey: {type: apiKey, in: query, name: api_key}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://toy.example/t', scopes: {}}}}
  schemas:
    Item:
      type: object
      required: [id, kind]
      properties:
        id: {type: integer}
        kind: {type: string, enum: [a, Unknown]}
        secret: {type: string, x-sensitive: true, pattern: '^[0-9]+$'}
    Problem:
      type: object
      properties:
        code: {type: string}
"#;

    fn toy() -> (Vec<File>, Vec<Diagnostic>) {
        let spec = Spec::parse("toy.yaml", TOY).expect("parses");
        let contract = Contract::new(spec.clone()).expect("loads");
        let api = crate::codegen::lower::lower(spec, "toy.yaml").expect("lowers");
        client_crate(&api, &contract).expect("renders")
    }

    fn file<'a>(files: &'a [File], path: &str) -> &'a str {
        &files
            .iter()
            .find(|file| file.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    }

    #[test]
    fn parameters_security_servers_and_replies_are_generated() {
        let (files, diagnostics) = toy();
        let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Cargo.toml",
                "examples/toy/main.rs",
                "examples/toy/program.rs",
                "src/client.rs",
                "src/lenient.rs",
                "src/lib.rs",
                "src/runtime.rs"
            ]
        );
        let client = file(&files, "src/client.rs");
        for expected in [
            // Required parameters are arguments, optional ones builder methods.
            "pub fn get_item(&self, item_id: i64, mode: impl Into<String>) -> GetItemCall<'_>",
            "pub fn tags(mut self, value: Vec<String>) -> Self",
            "pub fn x_request_id(mut self, value: impl Into<String>) -> Self",
            "pub fn body(mut self, body: models::Item) -> Self",
            // Checks of parameter schemas.
            "ErrorKind::Minimum { limit: \"1\" }",
            "ErrorKind::MaxItems { limit: 3 }",
            "!matches!(value.as_str(), \"fast\" | \"slow\")",
            // Patterns and formats through the validator's own matchers.
            format!(
                "!crate::validator::checks::{}(value)",
                naming::pattern_function("^[a-f0-9]+$")
            )
            .as_str(),
            "!crate::validator::checks::is_uuid(value)",
            "crate::validator::checks::shorter_than(value, 2)",
            "crate::validator::checks::longer_than(value, 5)",
            // A lookahead and a backreference: the `regex` crate takes neither, the
            // validator's matcher (`fancy-regex`) both.
            format!(
                "!crate::validator::checks::{}(value)",
                naming::pattern_function("^(?!0+$)([0-9])\\1*$")
            )
            .as_str(),
            // Where parameters and credentials go.
            "request.query_each(\"tags\", value);",
            "request.header(\"X-Request-Id\", value, false);",
            "const QUERY_KEY: Scheme = Scheme::query(|c| c.query_key.as_ref(), \"api_key\");",
            "const OAUTH: Scheme = Scheme::header(|c| c.oauth.as_ref(), \"Authorization\", \"Bearer \");",
            "Security::new(&[&[Credentials::QUERY_KEY], &[Credentials::OAUTH]], \"api_key or Authorization\")",
            "const IDEMPOTENT: bool = true;",
            // Server variables are arguments.
            "pub fn region_base(region: impl Into<String>, base: impl Into<String>) -> Server",
            // Replies by status: exact, range, default; documented headers as fields.
            "Ok { body: lenient::Item, x_rate_limit: Option<String> }",
            "Success { status: u16 }",
            "Default { status: u16, body: models::Problem }",
            "200..=299 =>",
        ] {
            assert!(
                client.contains(expected),
                "missing {expected:?} in:\n{client}"
            );
        }
        // A sensitive header parameter is redacted in Debug and marked sensitive.
        assert!(client.contains("x_pin: Option<crate::validator::Sensitive<String>>,"));
        assert!(client.contains("request.header(\"X-Pin\", value, true);"));
        let lenient = file(&files, "src/lenient.rs");
        // An enum with a value named Unknown gets another catch-all.
        assert!(lenient.contains("ItemKind, Undocumented {"), "{lenient}");
        assert!(lenient.contains("pub type ItemSecret = crate::validator::Sensitive<String>;"));
        // No regex engine of its own: the validator crate matches the patterns.
        assert!(!file(&files, "Cargo.toml").contains("regex"));
        assert_eq!(
            diagnostics
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>(),
            [
                "format `date` of parameter `when` is not checked before sending (the server checks it)"
            ]
        );
    }

    #[test]
    fn path_templates_become_format_calls() {
        let values = BTreeMap::from([
            ("a".to_owned(), "&self.a".to_owned()),
            ("b".to_owned(), "self.b.expose()".to_owned()),
        ]);
        assert_eq!(
            path_expression("/x/{a}/y/{b}", &values),
            "format!(\"/x/{}/y/{}\", runtime::encode_path(&self.a), runtime::encode_path(self.b.expose()))"
        );
        assert_eq!(path_expression("/plain", &values), "\"/plain\".to_owned()");
    }

    #[test]
    fn variants_are_named_by_status() {
        assert_eq!(variant_name(StatusMatch::Exact(409)), "Conflict");
        assert_eq!(variant_name(StatusMatch::Exact(299)), "Status299");
        assert_eq!(variant_name(StatusMatch::Range(4)), "ClientError");
        assert_eq!(variant_name(StatusMatch::Default), "Default");
    }
}

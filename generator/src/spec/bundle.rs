//! Bundling: a spec split over several files (relative `$ref`s to other YAML or JSON files)
//! becomes one self-contained document that the rest of the pipeline reads as if it had been
//! written in one file.
//!
//! - A `$ref` in a schema position to another file becomes `#/components/schemas/<name>`, the
//!   target schema a new component named after its file or fragment. Recursion, within or across
//!   files, then goes through internal references as in any single-file spec.
//! - A `$ref` to another file anywhere else (path items, operations, parameters, responses,
//!   request bodies, headers, examples, links, and `$ref`s OpenAPI 3.0 does not allow but real
//!   specs use, such as a whole Operation Object or a tag description) is replaced by its target.
//! - `$ref`s inside a referenced file are relative to *that* file; every file is read once,
//!   however many relative paths reach it (paths are canonicalized).
//! - Local `$ref`s of the root file stay as written: the pipeline resolves those itself.
//! - Values that are data (`example`, `default`, `enum`, an Example's `value`, link parameters,
//!   schema extensions) are copied untouched, even when they hold a key named `$ref`.
//!
//! A file that cannot be read or a fragment that does not resolve is a [`SpecError::Reference`]
//! naming the file that holds the `$ref`, its line and the `$ref`'s JSON pointer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::SpecError;
use crate::spec::load::parse_document;
use crate::spec::pointer;

/// Whether `document` has a `$ref` to another file (outside data values), i.e. needs bundling.
pub fn has_external_refs(document: &Value) -> bool {
    match document {
        Value::Object(map) => map.iter().any(|(key, value)| match (key.as_str(), value) {
            ("$ref", Value::String(reference)) => !reference.starts_with('#') && !is_url(reference),
            ("example" | "default" | "enum", _) => false,
            _ => has_external_refs(value),
        }),
        Value::Array(items) => items.iter().any(has_external_refs),
        _ => false,
    }
}

/// Pointers of the `$ref`s to remote URLs (outside data values): bundling keeps them as written,
/// so a document holding one is not self-contained.
pub fn remote_refs(document: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match (key.as_str(), item) {
                        ("$ref", Value::String(reference)) if is_url(reference) => {
                            out.push(pointer::join(at, key));
                        }
                        ("example" | "default" | "enum", _) => {}
                        _ => walk(item, &pointer::join(at, key), out),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(document, "", &mut out);
    out
}

/// Bundles the document read from `path` (the root file) with every file its `$ref`s reach.
pub fn bundle(path: &Path, document: Value) -> Result<Value, SpecError> {
    let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut bundler = Bundler {
        root: root.clone(),
        files: HashMap::new(),
        schema_names: HashMap::new(),
        taken: HashSet::new(),
        new_schemas: IndexMap::new(),
        inlined: HashMap::new(),
        inlining: Vec::new(),
    };
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        bundler.taken.extend(schemas.keys().cloned());
    }
    let document = Rc::new(document);
    bundler.files.insert(root.clone(), Rc::clone(&document));
    let mut bundled = bundler.walk(&document, Kind::One(Object::Document), &root, "")?;
    if !bundler.new_schemas.is_empty() {
        let Value::Object(top) = &mut bundled else {
            return Ok(bundled);
        };
        let components = top
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let schemas = components
            .as_object_mut()
            .expect("made an object above")
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if !schemas.is_object() {
            *schemas = Value::Object(Map::new());
        }
        let schemas = schemas.as_object_mut().expect("made an object above");
        for (name, schema) in bundler.new_schemas {
            schemas.insert(name, schema);
        }
    }
    Ok(bundled)
}

/// The OpenAPI object a value is read as; decides which of its members are themselves objects
/// that may be `$ref`s, and which are schemas. (Shared with [`super::lenient`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Object {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    Schema,
    /// Anything else (info, tags, servers, extensions): `$ref`s in it are inlined.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    One(Object),
    /// A map whose values are objects of this kind (`properties`, `content`, `responses`).
    MapOf(Object),
    ListOf(Object),
    /// A value copied as is: `$ref` keys in it are data.
    Data,
}

/// The kind of member `key` of an object of kind `object`.
pub(crate) fn member(object: Object, key: &str) -> Kind {
    use Kind::{Data, ListOf, MapOf, One};
    use Object::*;
    match (object, key) {
        (Schema, "properties") => MapOf(Schema),
        (Schema, "items" | "not" | "additionalProperties") => One(Schema),
        (Schema, "allOf" | "oneOf" | "anyOf") => ListOf(Schema),
        (Schema, _) => Data,
        (Document, "paths") => MapOf(PathItem),
        (Document, "components") => One(Components),
        (Document | Operation, "security") => Data,
        (Components, "schemas") => MapOf(Schema),
        (Components, "responses") => MapOf(Response),
        (Components, "parameters") => MapOf(Parameter),
        (Components, "examples") => MapOf(Example),
        (Components, "requestBodies") => MapOf(RequestBody),
        (Components, "headers") => MapOf(Header),
        (Components, "links") => MapOf(Link),
        (Components, "callbacks") => MapOf(Callback),
        (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") => {
            One(Operation)
        }
        (PathItem | Operation, "parameters") => ListOf(Parameter),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => MapOf(Response),
        (Operation, "callbacks") => MapOf(Callback),
        (Parameter | Header | MediaType, "schema") => One(Schema),
        (Parameter | Header | RequestBody | Response, "content") => MapOf(MediaType),
        (Parameter | Header | MediaType, "examples") => MapOf(Example),
        (Parameter | Header | MediaType, "example") => Data,
        (MediaType, "encoding") => MapOf(Encoding),
        (Response | Encoding, "headers") => MapOf(Header),
        (Response, "links") => MapOf(Link),
        (Example, "value") => Data,
        (Link, _) => Data,
        (Callback, key) if !key.starts_with("x-") => One(PathItem),
        _ => One(Other),
    }
}

/// A place a `$ref` points to: a file (canonical path) and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Target {
    file: PathBuf,
    fragment: String,
}

struct Bundler {
    root: PathBuf,
    /// Every file read so far, by canonical path.
    files: HashMap<PathBuf, Rc<Value>>,
    /// Schemas of other files → their component name.
    schema_names: HashMap<Target, String>,
    /// Component names in use (the root's own and those given out).
    taken: HashSet<String>,
    /// New components in the order they were named (a placeholder until converted, so that a
    /// recursive schema finds its own name).
    new_schemas: IndexMap<String, Value>,
    /// Inlined targets, already walked (the same response file is referenced hundreds of times).
    inlined: HashMap<(Target, Kind), Value>,
    /// Targets being inlined, to report a cycle instead of looping.
    inlining: Vec<Target>,
}

impl Bundler {
    fn walk(
        &mut self,
        value: &Value,
        kind: Kind,
        file: &Path,
        at: &str,
    ) -> Result<Value, SpecError> {
        // Real specs put `$ref`s anywhere, even in place of a whole `properties` map.
        if kind != Kind::Data
            && let Some(reference) = value.get("$ref").and_then(Value::as_str)
        {
            return self.reference(value, reference, kind, file, at);
        }
        match kind {
            Kind::Data => Ok(value.clone()),
            Kind::MapOf(object) => {
                let Value::Object(map) = value else {
                    return Ok(value.clone());
                };
                // Paths, Responses and Callbacks hold extensions beside their entries.
                let has_extensions = matches!(object, Object::PathItem | Object::Response);
                let mut out = Map::with_capacity(map.len());
                for (key, item) in map {
                    let kind = if has_extensions && key.starts_with("x-") {
                        Kind::One(Object::Other)
                    } else {
                        Kind::One(object)
                    };
                    let walked = self.walk(item, kind, file, &pointer::join(at, key))?;
                    out.insert(key.clone(), walked);
                }
                Ok(Value::Object(out))
            }
            Kind::ListOf(object) => {
                let Value::Array(items) = value else {
                    return Ok(value.clone());
                };
                let walked = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.walk(item, Kind::One(object), file, &format!("{at}/{index}"))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Value::Array(walked))
            }
            Kind::One(object) => match value {
                Value::Object(map) => {
                    let mut out = Map::with_capacity(map.len());
                    for (key, item) in map {
                        let here = pointer::join(at, key);
                        let walked = if object == Object::Schema && key == "discriminator" {
                            self.discriminator(item, file, &here)?
                        } else {
                            self.walk(item, member(object, key), file, &here)?
                        };
                        out.insert(key.clone(), walked);
                    }
                    Ok(Value::Object(out))
                }
                Value::Array(items) if object == Object::Other => {
                    let walked = items
                        .iter()
                        .enumerate()
                        .map(|(index, item)| self.walk(item, kind, file, &format!("{at}/{index}")))
                        .collect::<Result<_, _>>()?;
                    Ok(Value::Array(walked))
                }
                other => Ok(other.clone()),
            },
        }
    }

    /// A `$ref` found at `at` in `file`, where a value of kind `kind` is expected.
    fn reference(
        &mut self,
        value: &Value,
        reference: &str,
        kind: Kind,
        file: &Path,
        at: &str,
    ) -> Result<Value, SpecError> {
        if is_url(reference) {
            // Remote references are not fetched; later stages report them where they matter.
            return Ok(value.clone());
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if file_part.is_empty() {
            file.to_owned()
        } else {
            self.locate(file, file_part, reference, at)?
        };
        let from_root = file == self.root;
        let into_root = target_file == self.root;
        if from_root && into_root && file_part.is_empty() {
            return Ok(value.clone());
        }
        let target = Target {
            file: target_file,
            fragment: percent_encoding::percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned(),
        };
        if kind == Kind::One(Object::Schema) {
            let is_root_component = into_root
                && target
                    .fragment
                    .strip_prefix("/components/schemas/")
                    .is_some_and(|name| !name.is_empty() && !name.contains('/'));
            let local = if into_root && (from_root || is_root_component) {
                format!("#{fragment}")
            } else {
                let name = self.schema_name(&target, file, reference, at)?;
                format!("#/components/schemas/{name}")
            };
            return Ok(with_ref(value, local));
        }
        if into_root {
            // Back into the root file: a local reference there means the same thing.
            return Ok(with_ref(value, format!("#{fragment}")));
        }
        if let Some(done) = self.inlined.get(&(target.clone(), kind)) {
            return Ok(done.clone());
        }
        if self.inlining.contains(&target) {
            return Err(self.error(
                file,
                reference,
                at,
                format!("`{reference}` refers back to itself (a cycle of references)"),
            ));
        }
        let node = self.target(&target, file, reference, at)?;
        self.inlining.push(target.clone());
        let walked = self.walk(&node, kind, &target.file, &target.fragment);
        self.inlining.pop();
        let walked = walked?;
        self.inlined.insert((target, kind), walked.clone());
        Ok(walked)
    }

    /// The component name of another file's schema, converting it on first use.
    fn schema_name(
        &mut self,
        target: &Target,
        file: &Path,
        reference: &str,
        at: &str,
    ) -> Result<String, SpecError> {
        if let Some(name) = self.schema_names.get(target) {
            return Ok(name.clone());
        }
        let node = self.target(target, file, reference, at)?;
        let name = self.fresh_name(target);
        self.schema_names.insert(target.clone(), name.clone());
        self.new_schemas.insert(name.clone(), Value::Null);
        let walked = self.walk(
            &node,
            Kind::One(Object::Schema),
            &target.file,
            &target.fragment,
        )?;
        self.new_schemas.insert(name.clone(), walked);
        Ok(name)
    }

    /// A readable, unused component name: the fragment's last token or the file stem, then
    /// prefixed by enclosing folders, then numbered. Names are given in walk order (document
    /// order), so the same spec always gets the same names.
    fn fresh_name(&mut self, target: &Target) -> String {
        let stem = target
            .file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tokens = pointer::tokens(&target.fragment);
        let base = sanitize(tokens.last().unwrap_or(&stem));
        let mut candidates = vec![base.clone()];
        if !tokens.is_empty() {
            candidates.push(sanitize(&format!("{stem}_{base}")));
        }
        let mut prefixed = candidates.last().cloned().unwrap_or_default();
        let root_dir = self.root.parent().unwrap_or(Path::new(""));
        for folder in target
            .file
            .parent()
            .into_iter()
            .flat_map(Path::ancestors)
            .take_while(|folder| folder.starts_with(root_dir) && *folder != root_dir)
        {
            let Some(folder) = folder.file_name() else {
                break;
            };
            let folder = folder.to_string_lossy();
            if GENERIC_FOLDERS.contains(&folder.as_ref()) {
                continue;
            }
            prefixed = sanitize(&format!("{folder}_{prefixed}"));
            candidates.push(prefixed.clone());
        }
        for candidate in candidates {
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        (2..)
            .map(|number| format!("{base}_{number}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("some number is free")
    }

    /// A discriminator's `mapping` values are schema references too (or bare schema names).
    fn discriminator(&mut self, value: &Value, file: &Path, at: &str) -> Result<Value, SpecError> {
        let mut out = value.clone();
        let Some(mapping) = out.get_mut("mapping").and_then(Value::as_object_mut) else {
            return Ok(out);
        };
        for (key, target) in mapping.iter_mut() {
            let Some(reference) = target.as_str() else {
                continue;
            };
            let is_reference = reference.contains('#')
                || reference.contains('/')
                || [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|extension| reference.ends_with(extension));
            if !is_reference {
                continue;
            }
            let here = pointer::join(&pointer::join(at, "mapping"), key);
            let rewritten = self.reference(
                &serde_json::json!({ "$ref": reference }),
                reference,
                Kind::One(Object::Schema),
                file,
                &here,
            )?;
            if let Some(local) = rewritten.get("$ref") {
                *target = local.clone();
            }
        }
        Ok(out)
    }

    /// The canonical path of the file a relative reference names.
    fn locate(
        &self,
        file: &Path,
        file_part: &str,
        reference: &str,
        at: &str,
    ) -> Result<PathBuf, SpecError> {
        let relative = percent_encoding::percent_decode_str(file_part).decode_utf8_lossy();
        let joined = file.parent().unwrap_or(Path::new("")).join(&*relative);
        std::fs::canonicalize(&joined).map_err(|error| {
            self.error(
                file,
                reference,
                at,
                format!("`{reference}`: cannot read {}: {error}", joined.display()),
            )
        })
    }

    /// The value a target names (reading its file on first use).
    fn target(
        &mut self,
        target: &Target,
        file: &Path,
        reference: &str,
        at: &str,
    ) -> Result<Value, SpecError> {
        let document = match self.files.get(&target.file) {
            Some(document) => Rc::clone(document),
            None => {
                let text = std::fs::read_to_string(&target.file).map_err(|error| {
                    self.error(
                        file,
                        reference,
                        at,
                        format!(
                            "`{reference}`: cannot read {}: {error}",
                            target.file.display()
                        ),
                    )
                })?;
                let document = Rc::new(parse_document(&target.file, &text)?);
                self.files.insert(target.file.clone(), Rc::clone(&document));
                document
            }
        };
        match document.pointer(&target.fragment) {
            Some(node) => Ok(node.clone()),
            None => Err(self.error(
                file,
                reference,
                at,
                format!(
                    "`{reference}` does not resolve: {} has nothing at #{}",
                    target.file.display(),
                    target.fragment
                ),
            )),
        }
    }

    fn error(&self, file: &Path, reference: &str, at: &str, message: String) -> SpecError {
        SpecError::Reference {
            path: file.to_owned(),
            line: line_of(file, reference),
            pointer: pointer::join(at, "$ref"),
            message,
        }
    }
}

/// Folder names too common to tell two schemas apart (`models/`, `attributes/`).
const GENERIC_FOLDERS: [&str; 9] = [
    "models",
    "attributes",
    "schemas",
    "definitions",
    "components",
    "parameters",
    "responses",
    "shared",
    "resources",
];

/// The line (1-based) of the first `$ref` to `reference` in `file`, to point an editor there.
fn line_of(file: &Path, reference: &str) -> Option<usize> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .position(|line| line.contains("$ref") && line.contains(reference))
        .map(|index| index + 1)
}

/// `value` (a `$ref` object) with its `$ref` replaced; siblings are kept as written.
fn with_ref(value: &Value, reference: String) -> Value {
    let mut out = value.as_object().cloned().unwrap_or_default();
    out.insert("$ref".to_owned(), Value::String(reference));
    Value::Object(out)
}

fn is_url(reference: &str) -> bool {
    reference.contains("://") || reference.starts_with("//")
}

/// A component name OpenAPI accepts (`^[a-zA-Z0-9._-]+$`).
fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "schema".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/multi-file")
            .join(name)
    }

    /// Every `$ref` of the document that is not local, outside data values.
    fn external_refs(value: &Value, at: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match (key.as_str(), item) {
                        ("$ref", Value::String(text)) if !text.starts_with('#') => {
                            out.push(format!("{at}: {text}"));
                        }
                        ("example", _) => {}
                        _ => external_refs(item, &pointer::join(at, key), out),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    external_refs(item, &format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn a_split_spec_becomes_one_self_contained_document() {
        let spec = Spec::load(fixture("root.yaml")).unwrap();
        assert!(spec.diagnostics.is_empty(), "{:?}", spec.diagnostics);
        let at = |pointer: &str| {
            spec.at(pointer)
                .unwrap_or_else(|| panic!("nothing at {pointer}"))
                .clone()
        };
        // Non-schema positions are inlined: an Operation Object, a parameter, a response and
        // its header, a tag description.
        assert_eq!(at("/paths/~1pets/get/operationId"), "listPets");
        assert_eq!(at("/paths/~1pets/get/parameters/0/name"), "limit");
        let not_found = "/paths/~1pets/get/responses/404";
        assert_eq!(at(&format!("{not_found}/description")), "not found");
        assert_eq!(
            at(&format!("{not_found}/headers/X-Request-Id/schema/type")),
            "string"
        );
        assert_eq!(at("/tags/0/description"), "Everything about pets.");
        // Schemas become components, named after their file or fragment; `pet` was taken by
        // the root, so the file `models/pet.yaml` is `pet_2`.
        let names: Vec<&String> = spec.document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            names,
            ["Local", "pet", "pet_2", "owner", "Error", "Tag", "Label"]
        );
        let items = "/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref";
        assert_eq!(at(items), "#/components/schemas/pet_2");
        assert_eq!(
            at(&format!(
                "{not_found}/content/application~1json/schema/$ref"
            )),
            "#/components/schemas/Error"
        );
        // The cycle pet → owner → pet goes through internal references, and the same file
        // reached as `./models/pet.yaml` and `../models/pet.yaml` is one component.
        let schemas = "/components/schemas";
        assert_eq!(
            at(&format!("{schemas}/pet_2/properties/owner/$ref")),
            "#/components/schemas/owner"
        );
        assert_eq!(
            at(&format!("{schemas}/owner/properties/pets/items/$ref")),
            "#/components/schemas/pet_2"
        );
        assert_eq!(
            at(&format!("{schemas}/Local/properties/pet/$ref")),
            "#/components/schemas/pet_2"
        );
        // A JSON file's internal reference is relative to that file.
        assert_eq!(
            at(&format!("{schemas}/Tag/properties/label/$ref")),
            "#/components/schemas/Label"
        );
        assert_eq!(at(&format!("{schemas}/Label/maxLength")), 20);
        // Data stays data: the example's `$ref` key is not followed.
        assert_eq!(
            at(&format!(
                "{not_found}/content/application~1json/example/$ref"
            )),
            "https://example.com/not-a-reference"
        );
        let mut left = Vec::new();
        external_refs(&spec.document, "", &mut left);
        assert!(left.is_empty(), "{left:?}");
        assert!(remote_refs(&spec.document).is_empty());
        let remote = serde_json::json!({"a": [{"$ref": "https://x.test/s.yaml#/A"}],
                                        "example": {"$ref": "https://x.test/data"}});
        assert_eq!(remote_refs(&remote), ["/a/0/$ref"]);
        // The rest of the pipeline reads it as any spec: every message schema converts.
        let contract = crate::check::contract::Contract::new(spec.clone()).unwrap();
        assert_eq!(contract.operations().len(), 2);
        // The same files always give the same document.
        assert_eq!(
            Spec::load(fixture("root.yaml")).unwrap().document,
            spec.document
        );
    }

    #[test]
    fn a_missing_file_names_the_referring_file_line_and_pointer() {
        let error = Spec::load(fixture("broken-file.yaml")).unwrap_err();
        let SpecError::Reference {
            path,
            line,
            pointer,
            message,
        } = &error
        else {
            panic!("{error:?}");
        };
        assert!(path.ends_with("broken-file.yaml"), "{error}");
        assert_eq!(*line, Some(6));
        assert_eq!(pointer, "/paths/~1a/get/$ref");
        assert!(message.contains("paths/missing.yaml"), "{error}");
        assert!(
            error
                .to_string()
                .contains("broken-file.yaml:6: at #/paths/~1a/get/$ref")
        );
    }

    #[test]
    fn a_bad_fragment_is_an_error_at_its_ref() {
        let error = Spec::load(fixture("broken-fragment.yaml")).unwrap_err();
        assert!(
            matches!(
                &error,
                SpecError::Reference { line: Some(8), pointer, message, .. }
                    if pointer == "/paths/~1a/get/responses/200/$ref"
                        && message.contains("does not resolve")
            ),
            "{error:?}"
        );
    }

    #[test]
    fn a_cycle_of_inlined_refs_is_an_error_not_a_loop() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "root.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: a.yaml\n",
        );
        write("a.yaml", "$ref: b.yaml\n");
        write("b.yaml", "$ref: a.yaml\n");
        let error = Spec::load(dir.path().join("root.yaml")).unwrap_err();
        assert!(error.to_string().contains("cycle"), "{error}");
    }

    #[test]
    fn colliding_names_are_told_apart_by_folder() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["cards/models", "wallets/models"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join("item.yaml"), "type: string\n").unwrap();
        }
        let schema = |file: &str| {
            format!(
                "      {file}:\n        content:\n          application/json:\n            \
                 schema: {{$ref: '{file}/models/item.yaml'}}\n        description: x\n"
            )
        };
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  \
             responses:\n{}{}",
            schema("cards"),
            schema("wallets")
        );
        std::fs::write(dir.path().join("root.yaml"), text).unwrap();
        let spec = Spec::load(dir.path().join("root.yaml")).unwrap();
        let names: Vec<&String> = spec.document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["item", "wallets_item"]);
    }
}

//! Loading a spec: YAML text → a lossless JSON document (what the converter reads) and the typed
//! `openapiv3` model (what proves the document is OpenAPI 3.0 and what the generator reads).

use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Diagnostic, SpecError};

/// One loaded OpenAPI 3.0.x document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where it was read from; every error message names it.
    pub path: PathBuf,
    /// The whole document as JSON, every key kept (extensions included), in file order. A spec
    /// split over several files is bundled into this one document (see [`super::bundle`]).
    pub document: Value,
    /// The same document through `openapiv3`. When the document deviates from that typed model
    /// (a diagnostic says where), only `openapi` and `info` are filled in.
    pub openapi: openapiv3::OpenAPI,
    /// Defects that did not stop the spec from being read, each with how it was read instead.
    pub diagnostics: Vec<Diagnostic>,
}

/// A spec read as far as its JSON document: parsed, version-checked, bundled and repaired, without
/// the typed model yet. [`Spec::parse`] is `Document::parse`, then [`Document::typed`]; `contract
/// lint`, which needs the typed model only for its diagnostic, reads it on one core while its
/// rules read the document on the other.
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    /// As [`Spec::document`].
    pub document: Value,
    /// The defects repaired so far (the typed model may add one).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether parts came from other files (then no line of the text is the document's).
    bundled: bool,
}

impl Document {
    /// Parses spec text up to the repaired JSON document (see [`Spec::parse`]).
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Document, SpecError> {
        let path = path.as_ref().to_owned();
        let document = parse_document(&path, text)?;
        check_version(&path, &document)?;
        let bundled = super::bundle::has_external_refs(&document);
        let mut document = if bundled {
            super::bundle::bundle(&path, document)?
        } else {
            document
        };
        let diagnostics = super::lenient::repair(&mut document);
        Ok(Document {
            path,
            document,
            diagnostics,
            bundled,
        })
    }

    /// The typed model, or the diagnostic saying where the document does not fit it. `text` is
    /// the text [`Document::parse`] read.
    pub fn typed(&self, text: &str) -> Result<openapiv3::OpenAPI, Diagnostic> {
        // Read from the parsed document (no second YAML parse), first without tracking the path
        // (which costs a string per key); only when that fails, again with it for the diagnostic,
        // and, when the text is the whole document, from the text so the diagnostic has a line.
        if let Ok(openapi) = openapiv3::OpenAPI::deserialize(&self.document) {
            return Ok(openapi);
        }
        let typed = typed_model(serde_path_to_error::deserialize(&self.document), None);
        if typed.is_err() && !self.bundled && self.diagnostics.is_empty() {
            let deserializer = serde_yaml::Deserializer::from_str(text);
            return typed_model(serde_path_to_error::deserialize(deserializer), Some(text));
        }
        typed
    }

    /// The spec, given what [`Document::typed`] returned.
    pub fn into_spec(self, typed: Result<openapiv3::OpenAPI, Diagnostic>) -> Spec {
        let Document {
            path,
            document,
            mut diagnostics,
            ..
        } = self;
        let openapi = match typed {
            Ok(openapi) => openapi,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                fallback_model(&document)
            }
        };
        Spec {
            path,
            document,
            openapi,
            diagnostics,
        }
    }
}

impl Spec {
    /// Reads and parses a spec file, and the files its `$ref`s reach.
    pub fn load(path: impl AsRef<Path>) -> Result<Spec, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_owned(),
            source,
        })?;
        Spec::parse(path, &text)
    }

    /// Parses spec text; `path` names the spec in errors and is where `$ref`s to other files
    /// are resolved from.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Spec, SpecError> {
        let document = Document::parse(path, text)?;
        let typed = document.typed(text);
        Ok(document.into_spec(typed))
    }

    /// The file stem (`specs/upmoney.yaml` → `upmoney`), used to name generated crates.
    pub fn name(&self) -> String {
        self.path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".to_owned())
    }

    /// The JSON value at a pointer into the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.document.pointer(pointer)
    }
}

/// Parses one file's text (YAML or JSON) into JSON; syntax errors carry the line and column.
pub(crate) fn parse_document(path: &Path, text: &str) -> Result<Value, SpecError> {
    match parse_halves(text, SPLIT_FROM) {
        Some(document) => Ok(document),
        None => parse_whole(path, text),
    }
}

/// Texts from this size are read in two halves side by side (below it a thread costs more than
/// it saves).
const SPLIT_FROM: usize = 256 * 1024;

/// A large top-level block mapping read as two halves on two cores, split before the top-level
/// key (a line starting with a letter) nearest the middle: the 2.8 MB spec's parse was the
/// longest step of `lint` and `diff`. `None`, and the whole text is read as one (with its exact
/// errors), unless both halves read without error as mappings with no key in common. A split
/// through anything that spans lines (a quoted or flow scalar or collection; a block scalar
/// ends before a line in column 0) leaves a first half that does not read; an alias to an
/// anchor in the other half, a tag handle declared there or a second document leaves a half that
/// does not read either; so when both halves read, the whole reads as their union.
fn parse_halves(text: &str, from: usize) -> Option<Value> {
    if text.len() < from {
        return None;
    }
    let at = split_point(text)?;
    let (first, second) = text.split_at(at);
    let (first, second) = crate::parallel::join(
        || serde_yaml::from_str::<Json>(first),
        || serde_yaml::from_str::<Json>(second),
    );
    let (Value::Object(mut first), Value::Object(second)) = (first.ok()?.0, second.ok()?.0) else {
        return None;
    };
    for (key, value) in second {
        if first.contains_key(&key) {
            return None;
        }
        first.insert(key, value);
    }
    Some(Value::Object(first))
}

/// The start of the line nearest the middle that begins with an ASCII letter (a top-level key
/// of a block mapping), not the first line.
fn split_point(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let starts_key =
        |at: usize| at > 0 && bytes[at - 1] == b'\n' && bytes[at].is_ascii_alphabetic();
    let middle = text.len() / 2;
    let after = (middle..bytes.len()).find(|&at| starts_key(at));
    let before = (1..middle).rev().find(|&at| starts_key(at));
    match (before, after) {
        (Some(before), Some(after)) => Some(if middle - before < after - middle {
            before
        } else {
            after
        }),
        (one, other) => one.or(other),
    }
}

/// The whole text read as one document.
fn parse_whole(path: &Path, text: &str) -> Result<Value, SpecError> {
    serde_yaml::from_str::<Json>(text)
        .map(|json| json.0)
        .map_err(|error| {
            let (line, column) = error
                .location()
                .map_or((0, 0), |at| (at.line(), at.column()));
            SpecError::Yaml {
                path: path.to_owned(),
                line,
                column,
                message: strip_yaml_position(&error.to_string()),
            }
        })
}

/// The typed model, or where and why the document does not fit it.
fn typed_model<E: std::fmt::Display>(
    result: Result<openapiv3::OpenAPI, serde_path_to_error::Error<E>>,
    text: Option<&str>,
) -> Result<openapiv3::OpenAPI, Diagnostic> {
    result.map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let inner = error.inner().to_string();
        let line = text
            .and(inner.rfind(" at line "))
            .map(|index| &inner[index..]);
        let message = strip_yaml_position(&inner);
        Diagnostic::new(
            pointer,
            format!(
                "not a valid OpenAPI 3.0 document{}: {message}; read on from the JSON document \
                 (the typed model holds only `info`)",
                line.unwrap_or_default()
            ),
        )
    })
}

/// `paths./a.get.responses` (serde's path) → `/paths/~1a/get/responses`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out = crate::spec::pointer::join(&out, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// A typed model holding what the generator reads from it (`openapi`, `info`), for documents
/// the full typed model refuses.
fn fallback_model(document: &Value) -> openapiv3::OpenAPI {
    let text = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    openapiv3::OpenAPI {
        openapi: text("/openapi").unwrap_or_default(),
        info: openapiv3::Info {
            title: text("/info/title").unwrap_or_default(),
            description: text("/info/description"),
            version: text("/info/version").unwrap_or_default(),
            ..openapiv3::Info::default()
        },
        ..openapiv3::OpenAPI::default()
    }
}

fn check_version(path: &Path, document: &Value) -> Result<(), SpecError> {
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => Ok(()),
        Some(version) => Err(SpecError::Version {
            path: path.to_owned(),
            message: format!(
                "`openapi: {version}` is not supported; this tool reads OpenAPI 3.0.x documents"
            ),
        }),
        None if document.get("swagger").is_some() => Err(SpecError::Version {
            path: path.to_owned(),
            message: "this is a Swagger 2.0 document; convert it to OpenAPI 3.0.x first".to_owned(),
        }),
        None => Err(SpecError::Version {
            path: path.to_owned(),
            message: "missing the `openapi: 3.0.x` field at the top level".to_owned(),
        }),
    }
}

/// serde_yaml's messages end with " at line L column C"; the error prints the position itself.
fn strip_yaml_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// A YAML value read straight into JSON. Map keys that YAML reads as numbers or booleans
/// (`200:` under `responses`) become strings, as OpenAPI means them; integers too large for 64
/// bits (real specs write `maximum: 18446744073709552000`) become the nearest float.
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, int: i64) -> Result<Value, E> {
        Ok(Value::from(int))
    }

    fn visit_u64<E: de::Error>(self, int: u64) -> Result<Value, E> {
        Ok(Value::from(int))
    }

    fn visit_i128<E: de::Error>(self, int: i128) -> Result<Value, E> {
        match i64::try_from(int) {
            Ok(int) => Ok(Value::from(int)),
            Err(_) => self.visit_f64(int as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, int: u128) -> Result<Value, E> {
        match u64::try_from(int) {
            Ok(int) => Ok(Value::from(int)),
            Err(_) => self.visit_f64(int as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, float: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(float)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{float} cannot be represented in JSON")))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key()? {
            // One lookup per key (a large spec has hundreds of thousands).
            match object.entry(key) {
                serde_json::map::Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format!(
                        "duplicate key `{}`",
                        entry.key()
                    )));
                }
                serde_json::map::Entry::Vacant(entry) => {
                    let Json(item) = map.next_value()?;
                    entry.insert(item);
                }
            }
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (Key(tag), _) = data.variant::<Key>()?;
        Err(de::Error::custom(format!(
            "YAML tags are not supported (found !{tag})"
        )))
    }
}

/// A map key: a string, or a number or boolean read as its text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a scalar map key")
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<String, E> {
        Ok(flag.to_string())
    }

    fn visit_i64<E: de::Error>(self, int: i64) -> Result<String, E> {
        Ok(int.to_string())
    }

    fn visit_u64<E: de::Error>(self, int: u64) -> Result<String, E> {
        Ok(int.to_string())
    }

    fn visit_f64<E: de::Error>(self, float: f64) -> Result<String, E> {
        Ok(float.to_string())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";

    #[test]
    fn numeric_response_keys_become_strings() {
        let spec = Spec::parse("t.yaml", MINIMAL).unwrap();
        assert!(spec.at("/paths/~1a/get/responses/200").is_some());
        assert_eq!(spec.name(), "t");
    }

    #[test]
    fn integers_beyond_64_bits_become_floats_and_tags_are_refused() {
        let document =
            parse_document(Path::new("t.yaml"), "a: 18446744073709552000\nb: -3\n").unwrap();
        assert_eq!(document["a"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(document["b"], -3);
        let error = parse_document(Path::new("t.yaml"), "a:\n  b: !custom 1\n").unwrap_err();
        assert!(
            matches!(error, SpecError::Yaml { line: 2, .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("tags are not supported"),
            "{error}"
        );
        let error = parse_document(Path::new("t.yaml"), "a: 1\na: 2\n").unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{error}");
    }

    /// Every YAML and JSON file under `root`.
    fn texts_under(root: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(root) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                texts_under(&path, out);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
            {
                out.push(path);
            }
        }
    }

    /// Reads each file in halves (whatever its size) and whole: where the halves are taken,
    /// they must give the very value the whole gives. Returns (files, files read in halves).
    fn halves_equal_whole(files: &[PathBuf]) -> (usize, usize) {
        let mut split = 0;
        for file in files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let Some(halves) = parse_halves(&text, 0) else {
                continue;
            };
            split += 1;
            // As text: map equality ignores key order, and the order is part of the value.
            let whole = parse_whole(file, &text).map(|whole| whole.to_string());
            assert_eq!(
                whole.ok(),
                Some(halves.to_string()),
                "{}: halves differ from the whole",
                file.display()
            );
        }
        (files.len(), split)
    }

    #[test]
    fn halves_read_as_the_whole_on_our_specs_and_fixtures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for folder in ["specs", "generator/tests", "tests"] {
            texts_under(&root.join(folder), &mut files);
        }
        let (read, split) = halves_equal_whole(&files);
        assert!(read > 50 && split > 20, "{read} files, {split} split");
        // Splits that cut a construct, or halves that share a key, are refused.
        for text in [
            "a: \"x\nb: y\"\nc: 1\n",
            "a: [1,\nb, 2]\nc: 1\n",
            "a: &x 1\nb: *x\n",
            "a: 1\nb: 2\na: 3\n",
            "a: 1\n---\nb: 2\n",
        ] {
            assert_eq!(parse_halves(text, 0), None, "{text:?}");
        }
        let value = parse_halves("a: 1\nb:\n  c: |\n    t\nd: [x]\n", 0).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": 1, "b": {"c": "t\n"}, "d": ["x"]})
        );
    }

    #[test]
    #[ignore = "needs the shared dev corpus beside the repository (../shared/dev-corpus); run with --ignored"]
    fn halves_read_as_the_whole_on_the_dev_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/dev-corpus");
        let mut files = Vec::new();
        texts_under(&root, &mut files);
        let (read, split) = halves_equal_whole(&files);
        assert!(read > 1000, "only {read} files under {}", root.display());
        eprintln!("{read} corpus files, {split} read in halves, each equal to the whole");
    }

    #[test]
    fn yaml_errors_name_file_line_and_column() {
        let error = Spec::parse("bad.yaml", "openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("bad.yaml:"), "{text}");
        assert!(
            matches!(error, SpecError::Yaml { line: 2.., .. }),
            "{error:?}"
        );
    }

    #[test]
    fn other_versions_are_refused_with_a_reason() {
        let error = Spec::parse("s.yaml", "swagger: '2.0'\n").unwrap_err();
        assert!(error.to_string().contains("Swagger 2.0"), "{error}");
        let error = Spec::parse("s.yaml", "openapi: 3.1.0\n").unwrap_err();
        assert!(error.to_string().contains("3.1.0"), "{error}");
    }

    #[test]
    fn structural_defects_are_diagnostics_with_a_location() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let spec = Spec::parse("s.yaml", text).unwrap();
        assert_eq!(spec.diagnostics.len(), 1, "{:?}", spec.diagnostics);
        let diagnostic = &spec.diagnostics[0];
        // serde loses its path inside `openapiv3`'s flattened maps; the line is exact.
        assert!(diagnostic.pointer.starts_with("/paths"), "{diagnostic}");
        assert!(diagnostic.message.contains("at line 4"), "{diagnostic}");
        // The typed model still holds what the generator reads from it.
        assert_eq!(spec.openapi.info.title, "t");
        assert_eq!(spec.openapi.openapi, "3.0.3");
    }

    #[test]
    fn a_clean_document_has_no_diagnostics_and_a_full_typed_model() {
        let spec = Spec::parse("t.yaml", MINIMAL).unwrap();
        assert!(spec.diagnostics.is_empty(), "{:?}", spec.diagnostics);
        assert_eq!(spec.openapi.paths.paths.len(), 1);
    }
}

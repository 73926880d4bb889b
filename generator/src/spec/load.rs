//! Loading a spec: YAML text → a lossless JSON document (what the converter reads) and the typed
//! `openapiv3` model (what proves the document is OpenAPI 3.0 and what the generator reads).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::SpecError;

/// One loaded OpenAPI 3.0.x document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where it was read from; every error message names it.
    pub path: PathBuf,
    /// The whole document as JSON, every key kept (extensions included), in file order.
    pub document: Value,
    /// The same document through `openapiv3`.
    pub openapi: openapiv3::OpenAPI,
}

impl Spec {
    /// Reads and parses a spec file.
    pub fn load(path: impl AsRef<Path>) -> Result<Spec, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_owned(),
            source,
        })?;
        Spec::parse(path, &text)
    }

    /// Parses spec text; `path` is only used to name the spec in errors.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Spec, SpecError> {
        let path = path.as_ref().to_owned();
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
            let (line, column) = error
                .location()
                .map_or((0, 0), |at| (at.line(), at.column()));
            SpecError::Yaml {
                path: path.clone(),
                line,
                column,
                message: strip_yaml_position(&error.to_string()),
            }
        })?;
        let document =
            yaml_to_json(&yaml, "").map_err(|(pointer, message)| SpecError::Invalid {
                path: path.clone(),
                pointer,
                message,
            })?;
        check_version(&path, &document)?;
        // Parsed from the text (not from `document`) so that errors carry a line and column.
        let openapi: openapiv3::OpenAPI = serde_yaml::from_str(text).map_err(|error| {
            let at = error.location();
            SpecError::Structure {
                path: path.clone(),
                line: at.as_ref().map(|at| at.line()),
                column: at.as_ref().map(|at| at.column()),
                message: strip_yaml_position(&error.to_string()),
            }
        })?;
        Ok(Spec {
            path,
            document,
            openapi,
        })
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

/// Converts YAML to JSON. Map keys that YAML reads as numbers or booleans (`200:` under
/// `responses`) become strings, as OpenAPI means them.
fn yaml_to_json(value: &serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Yaml;
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(*flag),
        Yaml::Number(number) => {
            if let Some(int) = number.as_i64() {
                Value::from(int)
            } else if let Some(int) = number.as_u64() {
                Value::from(int)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        (
                            pointer.to_owned(),
                            format!("{float} cannot be represented in JSON"),
                        )
                    })?
            }
        }
        Yaml::String(text) => Value::String(text.clone()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| yaml_to_json(item, &format!("{pointer}/{index}")))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(map) => {
            let mut object = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Yaml::String(text) => text.clone(),
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(flag) => flag.to_string(),
                    other => {
                        return Err((
                            pointer.to_owned(),
                            format!("a map key must be a scalar, found {other:?}"),
                        ));
                    }
                };
                let child = crate::spec::pointer::join(pointer, &key);
                object.insert(key, yaml_to_json(item, &child)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => {
            return Err((
                pointer.to_owned(),
                format!("YAML tags are not supported (found !{})", tagged.tag),
            ));
        }
    })
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
    fn structural_errors_carry_a_location() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = Spec::parse("s.yaml", text).unwrap_err();
        assert!(
            matches!(error, SpecError::Structure { line: Some(_), .. }),
            "{error:?}"
        );
    }
}

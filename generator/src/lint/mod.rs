//! `contract lint`: checks specs against rules kept as data (Spectral's `spectral:oas` rules
//! that apply to OpenAPI 3.0, under their names and default severities, plus our own `contract-`
//! rules), configured by `contract.toml`, and reports [`crate::findings`] sections. It reads the
//! document only; it never changes a spec, and never prints an example's value (a finding names
//! the keyword an example breaks, not what the example holds).

pub mod config;
pub mod rules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};

use clap::Args;
use serde_json::Value;

use crate::error::Diagnostic;
use crate::findings::format::{self, Format, RuleInfo};
use crate::findings::{Finding, Location, Part, Section, Severity};
use crate::spec::Document;
use crate::spec::convert::{Converter, Direction};
use crate::spec::pointer;
use crate::spec::spans::SourceMap;

pub use config::{ConfigError, LintConfig};
pub use rules::RULES;

/// One rule, as data: what it looks at (`given`, in Spectral's JSONPath where it is Spectral's
/// rule), what it requires (`then`), and the check that finds the nodes breaking it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    /// The level it reports at when on.
    pub severity: Severity,
    /// Whether it is on by default (Spectral's `recommended`); off rules are turned on by config.
    pub recommended: bool,
    pub given: &'static str,
    pub then: &'static str,
    pub check: fn(&Context, &mut Vec<Hit>),
}

impl Rule {
    /// The level it has when no config changes it.
    pub fn default_severity(&self) -> Option<Severity> {
        self.recommended.then_some(self.severity)
    }
}

/// Where a rule is broken and why (the rule's name and severity are added by the engine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub pointer: String,
    pub message: String,
}

impl Hit {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Hit {
        Hit {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// What every check reads: the loaded document, its file and what the loader noticed. Shared by
/// the checks running on both cores (the lazily built parts are behind locks).
#[derive(Debug)]
pub struct Context<'a> {
    pub document: &'a Value,
    pub path: &'a Path,
    pub diagnostics: &'a [Diagnostic],
    /// The `x-` extensions the governing README documents, or why they could not be read.
    pub extensions: Result<Vec<String>, String>,
    converter: OnceLock<Result<Converter, String>>,
    /// The structural objects of the document with their pointers (see `rules`), found once.
    pub(crate) structural: OnceLock<Vec<(String, &'a serde_json::Map<String, Value>)>>,
    /// Compiled example checks by (converted schema as JSON text, direction).
    validators: Mutex<HashMap<(String, Direction), Arc<jsonschema::Validator>>>,
}

/// The HTTP methods an OpenAPI 3.0 path item holds operations under.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub pointer: String,
    pub value: &'a Value,
    pub path_item: &'a Value,
}

impl<'a> Context<'a> {
    pub fn new(document: &'a Value, path: &'a Path, diagnostics: &'a [Diagnostic]) -> Context<'a> {
        Context {
            document,
            path,
            diagnostics,
            extensions: Err("not read".to_owned()),
            converter: OnceLock::new(),
            structural: OnceLock::new(),
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// Every operation with its pointer, in file order.
    pub fn operations(&self) -> Vec<Operation<'a>> {
        let mut out = Vec::new();
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let Some(object) = item.as_object() else {
                continue;
            };
            for (method, value) in object {
                if METHODS.contains(&method.as_str()) && value.is_object() {
                    out.push(Operation {
                        path,
                        method,
                        pointer: format!("/paths/{}/{method}", pointer::escape(path)),
                        value,
                        path_item: item,
                    });
                }
            }
        }
        out
    }

    /// `value` with its local `$ref`s followed ([`crate::spec::pointer::follow_refs`]).
    pub fn resolve<'v>(&self, value: &'v Value) -> &'v Value
    where
        'a: 'v,
    {
        crate::spec::pointer::follow_refs(self.document, value)
    }

    /// The compiled example checks; a check that panicked while holding the lock left only
    /// complete entries behind, so the map is still usable.
    fn validators(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(String, Direction), Arc<jsonschema::Validator>>> {
        self.validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Checks an example value against a schema with the one shared reading of schemas
    /// (`spec::convert` → `check::oracle`). A value valid in either direction passes, as an
    /// example may show a request or a response. The error names the keyword, never the value.
    pub fn check_example(&self, schema: &Value, at: &str, example: &Value) -> Result<(), String> {
        let converter = self
            .converter
            .get_or_init(|| Converter::new(self.document).map_err(|error| error.to_string()));
        let converter = converter.as_ref().map_err(Clone::clone)?;
        let mut first = None;
        for direction in [Direction::Response, Direction::Request] {
            // Many examples share a schema (the same `$ref` under many responses): compile it
            // once per converted form and direction. The converted node decides the root (its
            // `$defs` are those it reaches), so equal nodes give equal checks.
            let converted = converter
                .node(schema, at, direction)
                .map_err(|error| error.to_string())?;
            let key = (converted.to_string(), direction);
            let cached = self.validators().get(&key).cloned();
            let validator = match cached {
                Some(validator) => validator,
                None => {
                    let root = converter.root_of(converted, direction);
                    let validator = Arc::new(crate::check::oracle::compile(&root)?);
                    self.validators().insert(key, Arc::clone(&validator));
                    validator
                }
            };
            match validator.iter_errors(example).next() {
                None => return Ok(()),
                Some(error) => {
                    if first.is_none() {
                        let schema_path = error.schema_path().as_str().to_owned();
                        let keyword = schema_path.rsplit('/').next().unwrap_or("").to_owned();
                        let instance = error.instance_path().as_str().to_owned();
                        first = Some(format!(
                            "the value at `{}` breaks the schema's `{keyword}`",
                            if instance.is_empty() { "/" } else { &instance }
                        ));
                    }
                }
            }
        }
        Err(first.unwrap_or_default())
    }
}

/// Every node of a value with its pointer, parents before children.
pub fn walk<'v>(value: &'v Value, at: String, visit: &mut dyn FnMut(&str, &'v Value)) {
    let mut at = at;
    walk_in(value, &mut at, visit);
}

/// [`walk`] on one pointer buffer, grown and cut back as it goes: a large spec has hundreds of
/// thousands of nodes, and a string for each was a good part of a lint run.
fn walk_in<'v>(value: &'v Value, at: &mut String, visit: &mut dyn FnMut(&str, &'v Value)) {
    visit(at, value);
    let len = at.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                at.push('/');
                pointer::push_escaped(at, key);
                walk_in(child, at, visit);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                push_index(at, index);
                walk_in(child, at, visit);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Appends `/index` to a pointer.
pub(crate) fn push_index(at: &mut String, index: usize) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(at, "/{index}");
}

/// The extension names a README documents: the first column of its table rows that start with
/// `` | `x-``.
pub fn documented_extensions(readme: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(readme)
        .map_err(|error| format!("cannot read {}: {error}", readme.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("| `x-"))
        .filter_map(|rest| rest.split('`').next())
        .map(|name| format!("x-{name}"))
        .collect())
}

/// The rules' descriptions for the SARIF driver.
pub fn rule_infos(config: &LintConfig) -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|rule| RuleInfo {
            id: rule.name.to_owned(),
            description: rule.then.to_owned(),
            default: effective(rule, config),
        })
        .collect()
}

fn effective(rule: &Rule, config: &LintConfig) -> Option<Severity> {
    match config.severities.get(rule.name) {
        Some(configured) => *configured,
        None => rule.default_severity(),
    }
}

/// Lints one spec file: one section, with an error when the file cannot be read as a spec.
pub fn lint_file(path: &Path, config: &LintConfig) -> Section {
    let subject = path.display().to_string();
    let mut section = Section::new(Part::Lint, subject.clone());
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            section.error = Some(format!("cannot read {subject}: {error}"));
            return section;
        }
    };
    // The value and the spans are two parses of the same text: run them side by side.
    let (document, map) =
        crate::parallel::join(|| Document::parse(path, &text), || SourceMap::parse(&text));
    let document = match document {
        Ok(document) => document,
        Err(error) => {
            section.error = Some(error.to_string());
            return section;
        }
    };
    let mut context = Context::new(&document.document, path, &document.diagnostics);
    let readme = config
        .extensions_readme
        .clone()
        .unwrap_or_else(|| path.parent().unwrap_or(Path::new("")).join("README.md"));
    context.extensions = documented_extensions(&readme);
    // Three parts on the two cores: the example rules (converting and compiling schemas) on one;
    // the typed model (read here only for its diagnostic) and the other rules on the other.
    // `oas3-schema` reports the diagnostics, so it runs once the typed model is read. Hits are
    // taken in `RULES` order afterwards: the findings are those of the sequential run.
    let on: Vec<(&Rule, Severity)> = RULES
        .iter()
        .filter_map(|rule| effective(rule, config).map(|severity| (rule, severity)))
        .collect();
    let run = |part: rules::Part, context: &Context| -> Vec<Vec<Hit>> {
        on.iter()
            .map(|(rule, _)| {
                let mut hits = Vec::new();
                if rules::part(rule) == part {
                    (rule.check)(context, &mut hits);
                }
                hits
            })
            .collect()
    };
    let (examples, (typed, rest)) = crate::parallel::join(
        || run(rules::Part::Examples, &context),
        || (document.typed(&text), run(rules::Part::Rest, &context)),
    );
    let mut diagnostics = document.diagnostics.clone();
    let model = typed
        .map_err(|diagnostic| diagnostics.push(diagnostic))
        .ok();
    let diagnosed = run(
        rules::Part::Diagnostics,
        &Context::new(&document.document, path, &diagnostics),
    );
    let hits = examples
        .into_iter()
        .zip(rest)
        .zip(diagnosed)
        .map(|((examples, rest), diagnosed)| [examples, rest, diagnosed].concat());
    for ((rule, severity), hits) in on.iter().zip(hits) {
        for hit in hits {
            if config.ignored(path, rule.name, &hit.pointer) {
                continue;
            }
            let span = map.locate(&hit.pointer);
            section.findings.push(Finding {
                rule: rule.name.to_owned(),
                severity: *severity,
                message: hit.message,
                location: Some(Location {
                    file: subject.clone(),
                    pointer: hit.pointer,
                    line: span.map(|span| span.line),
                    column: span.map(|span| span.column),
                }),
                related: Vec::new(),
                operation: None,
            });
        }
    }
    // File order, so the output reads top to bottom like the spec.
    section.findings.sort_by_key(|finding| {
        let location = finding.location.as_ref();
        (
            location.and_then(|l| l.line).unwrap_or(0),
            location.and_then(|l| l.column).unwrap_or(0),
        )
    });
    let Context {
        converter,
        validators,
        structural,
        ..
    } = context;
    drop(structural);
    drop_aside((document, model, map, converter, validators));
    section
}

/// Frees a large spec's parts on a thread of their own: freeing hundreds of thousands of nodes
/// took a tenth of a lint run, and nothing waits for it (when the process ends first, the
/// memory goes back with it). Where no thread can be started, `spawn` drops the closure, and
/// the parts with it, here.
fn drop_aside<T: Send + 'static>(garbage: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(garbage));
}

/// `contract lint`'s arguments.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Specs to lint. Default: every *.yaml in specs/.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// The config file. Default: contract.toml in the current directory, if there is one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity that fails the run (exit 1).
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = format::parse_fail_on)]
    pub fail_on: Severity,
}

/// Reads the config `--config` names, or `contract.toml` here when there is one.
pub fn load_config(explicit: Option<&Path>) -> Result<LintConfig, ConfigError> {
    let names: Vec<&str> = RULES.iter().map(|rule| rule.name).collect();
    match explicit {
        Some(path) => LintConfig::load(path, &names),
        None if Path::new(config::FILE_NAME).is_file() => {
            LintConfig::load(Path::new(config::FILE_NAME), &names)
        }
        None => Ok(LintConfig::default()),
    }
}

/// The specs linted (and published) when none is named: every `*.yaml` in `specs/`, sorted, as
/// `validate --har` and `check` read them; none when the folder cannot be read.
pub fn default_specs() -> Vec<PathBuf> {
    crate::check::har::specs_in(Path::new("specs")).unwrap_or_default()
}

/// Runs `contract lint` and returns the exit code (0 clean, 1 findings, 2 could not check).
pub fn run(args: &LintArgs) -> ExitCode {
    let config = match load_config(args.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            let config = args
                .config
                .as_deref()
                .unwrap_or(Path::new(config::FILE_NAME));
            return ExitCode::from(format::report_config_error(
                &config.display().to_string(),
                &error.to_string(),
                args.format,
            ));
        }
    };
    let specs = if args.specs.is_empty() {
        default_specs()
    } else {
        args.specs.clone()
    };
    if specs.is_empty() {
        eprintln!("error: no spec given and no *.yaml in specs/");
        return ExitCode::from(format::EXIT_ERROR);
    }
    let sections: Vec<Section> = specs.iter().map(|spec| lint_file(spec, &config)).collect();
    let text =
        format::render_with_rules(&sections, args.format, args.fail_on, &rule_infos(&config));
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    ExitCode::from(format::exit_code(&sections, args.fail_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_of_one_schema_share_a_check_and_keep_their_own_verdicts() {
        let document = json!({"components": {"schemas": {
            "Item": {"type": "object", "properties": {"n": {"type": "integer"}}},
        }}});
        let context = Context::new(&document, Path::new("t.yaml"), &[]);
        let schema = json!({"$ref": "#/components/schemas/Item"});
        let at =
            |i: usize| format!("/paths/~1a/get/responses/{i}/content/application~1json/schema");
        assert_eq!(
            context.check_example(&schema, &at(1), &json!({"n": 1})),
            Ok(())
        );
        let broken = context.check_example(&schema, &at(2), &json!({"n": "x"}));
        assert_eq!(
            broken,
            Err("the value at `/n` breaks the schema's `type`".to_owned())
        );
        assert_eq!(
            context.check_example(&schema, &at(3), &json!({"n": 2})),
            Ok(())
        );
        // Three examples under three pointers, one schema: one check per direction.
        assert_eq!(context.validators().len(), 2);
        // A schema that converts differently gets its own check.
        let inline = json!({"type": "string"});
        assert!(context.check_example(&inline, &at(4), &json!(5)).is_err());
        assert_eq!(context.validators().len(), 4);
    }
}

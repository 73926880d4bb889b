//! `contract validate --har`: every entry of a HAR 1.2 archive (what browsers, mitmproxy,
//! Charles, Postman and Insomnia export) matched to its spec by server URL and to its operation
//! by method and path, its request and response checked through [`Contract`], one
//! [`Section`] per entry. It decides nothing about messages itself (the contract does), and it
//! never copies a header value, a query value or a body value into a finding: subjects show query
//! names only, and findings come from reports that redact.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::check::contract::Contract;
use crate::check::message::{Request, Response};
use crate::check::report::Report;
use crate::error::ContractError;
use crate::findings::format::{self, Format};
use crate::findings::{Finding, Location, Part, Section, Severity};
use crate::spec::spans::SourceMap;

/// Rule of a finding for an entry that no given spec serves (severity info: counted, listed).
pub const RULE_SKIPPED: &str = "har-skipped";
/// Rule of a finding for an entry whose method and path no operation of its spec documents.
pub const RULE_UNKNOWN_ROUTE: &str = "har-unknown-route";
/// Rule of a finding for an entry that cannot be read (bad URL, bad base64, body not JSON).
pub const RULE_MALFORMED: &str = "har-malformed";

/// A HAR 1.2 archive, reduced to what checking needs; other fields are ignored. Strings borrow
/// from the file's bytes where they can (no escapes): 100,000 entries are mostly strings, and
/// allocating each one cost more than checking it.
#[derive(Debug, Deserialize)]
pub struct Har<'a> {
    #[serde(borrow)]
    pub log: Log<'a>,
}

#[derive(Debug, Deserialize)]
pub struct Log<'a> {
    #[serde(borrow)]
    pub entries: Vec<Entry<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct Entry<'a> {
    #[serde(borrow)]
    pub request: HarRequest<'a>,
    #[serde(borrow)]
    pub response: HarResponse<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarRequest<'a> {
    #[serde(borrow)]
    pub method: Cow<'a, str>,
    #[serde(borrow)]
    pub url: Cow<'a, str>,
    #[serde(default, borrow)]
    pub headers: Vec<NameValue<'a>>,
    #[serde(default, borrow)]
    pub post_data: Option<PostData<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct NameValue<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub value: Cow<'a, str>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData<'a> {
    #[serde(default, borrow)]
    pub mime_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub text: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
pub struct HarResponse<'a> {
    pub status: i64,
    #[serde(default, borrow)]
    pub content: Option<Content<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content<'a> {
    #[serde(default, borrow)]
    pub mime_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub text: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub encoding: Option<Cow<'a, str>>,
}

/// Why a HAR file could not be checked at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a HAR 1.2 archive: at {at}: {message}")]
    Format {
        path: String,
        at: String,
        message: String,
    },
    #[error(transparent)]
    Contract(#[from] ContractError),
    #[error("{0}")]
    Usage(String),
}

/// One server a spec is reached at: scheme, host (with a non-default port) and base path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    origin: String,
    /// Without a trailing `/`; empty for the root.
    base: String,
}

impl Server {
    fn parse(text: &str) -> Option<Server> {
        let url = Url::parse(text).ok()?;
        url.host_str()?;
        Some(Server {
            origin: url.origin().ascii_serialization(),
            base: url.path().trim_end_matches('/').to_owned(),
        })
    }
}

/// A spec loaded for HAR checking: the contract, its source positions and its servers.
#[derive(Debug)]
pub struct SpecTarget {
    pub path: PathBuf,
    pub contract: Contract,
    source: SourceMap,
    servers: Vec<Server>,
}

/// The specs entries are matched against, prepared once (validators are compiled on first use
/// and cached by the contract, so per-entry work is routing and validation only).
#[derive(Debug, Default)]
pub struct Specs {
    targets: Vec<SpecTarget>,
}

/// Server-variable expansions beyond this many per server URL are not tried (a spec with many
/// enum-valued variables would otherwise multiply its servers).
const MAX_EXPANSIONS: usize = 256;

impl Specs {
    /// Loads each spec. `extra_servers` (from `--server`) are further base URLs of the spec, for
    /// traffic recorded against a local or staging server; they need exactly one spec.
    pub fn load(paths: &[PathBuf], extra_servers: &[String]) -> Result<Specs, HarError> {
        if !extra_servers.is_empty() && paths.len() != 1 {
            return Err(HarError::Usage(format!(
                "--server needs exactly one --spec (it says which spec the server serves), \
                 {} given",
                paths.len()
            )));
        }
        let mut targets = Vec::new();
        for path in paths {
            let contract = Contract::load(path).map_err(ContractError::from)?;
            let mut servers = spec_servers(&contract.spec().document);
            for extra in extra_servers {
                servers.push(Server::parse(extra).ok_or_else(|| {
                    HarError::Usage(format!(
                        "--server {extra}: not an absolute http(s) URL with a host"
                    ))
                })?);
            }
            targets.push(SpecTarget {
                path: path.clone(),
                source: SourceMap::load(path),
                contract,
                servers,
            });
        }
        Ok(Specs { targets })
    }

    /// Adds a spec already loaded elsewhere (`contract check` loads each spec once).
    pub fn push(&mut self, path: PathBuf, contract: Contract) {
        self.targets.push(SpecTarget {
            servers: spec_servers(&contract.spec().document),
            source: SourceMap::load(&path),
            path,
            contract,
        });
    }

    pub fn targets(&self) -> &[SpecTarget] {
        &self.targets
    }

    /// The spec and base path serving `url`: same origin, base path a segment prefix of the
    /// path; the longest base wins (a spec at `/v2` over one at `/`).
    fn serving(&self, url: &Url) -> Option<(&SpecTarget, usize)> {
        let origin = url.origin().ascii_serialization();
        let path = url.path();
        self.targets
            .iter()
            .flat_map(|target| target.servers.iter().map(move |server| (target, server)))
            .filter(|(_, server)| {
                server.origin == origin
                    && path.starts_with(&server.base)
                    && matches!(path.as_bytes().get(server.base.len()), None | Some(b'/'))
            })
            .max_by_key(|(_, server)| server.base.len())
            .map(|(target, server)| (target, server.base.len()))
    }
}

/// Every absolute server URL of a spec, with `{variables}` expanded over their `enum` (or their
/// `default` when there is no enum). Relative server URLs name no host and match nothing.
fn spec_servers(document: &Value) -> Vec<Server> {
    let mut servers = Vec::new();
    for server in document
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(template) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let mut urls = vec![template.to_owned()];
        if let Some(variables) = server.get("variables").and_then(Value::as_object) {
            for (name, variable) in variables {
                let mut values: Vec<&str> = variable
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(|values| values.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if values.is_empty() {
                    values.extend(variable.get("default").and_then(Value::as_str));
                }
                let placeholder = format!("{{{name}}}");
                let placeholder = placeholder.as_str();
                urls = urls
                    .iter()
                    .flat_map(|url| {
                        values
                            .iter()
                            .map(move |value| url.replace(placeholder, value))
                    })
                    .take(MAX_EXPANSIONS)
                    .collect();
            }
        }
        for url in urls {
            if let Some(parsed) = Server::parse(&url)
                && !servers.contains(&parsed)
            {
                servers.push(parsed);
            }
        }
    }
    servers
}

/// Reads a HAR file's bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, HarError> {
    std::fs::read(path).map_err(|source| HarError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Parses a HAR archive; the error names the place (`log.entries[3].request`).
pub fn parse<'a>(label: &str, bytes: &'a [u8]) -> Result<Har<'a>, HarError> {
    // Read without tracking the path first (a large archive is almost always well formed);
    // only a failed read is repeated to say where it failed.
    if let Ok(har) = serde_json::from_slice(bytes) {
        return Ok(har);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| HarError::Format {
        path: label.to_owned(),
        at: error.path().to_string(),
        message: error.inner().to_string(),
    })
}

/// Checks every entry of the HAR file at `path`: one section per entry, in file order.
pub fn check_file(path: &Path, specs: &Specs) -> Result<Vec<Section>, HarError> {
    let bytes = read(path)?;
    let label = path.display().to_string();
    let har = parse(&label, &bytes)?;
    // Entries are independent: checked on every core, reported in archive order.
    Ok(crate::parallel::map(&har.log.entries, |index, entry| {
        check_entry(&label, index, entry, specs)
    }))
}

/// `METHOD URL` with query values left out (`?card=…`): a query value may be a credential.
fn describe(method: &str, url: Option<&Url>, raw: &str) -> String {
    let Some(url) = url else {
        // Not a URL: show it only up to the query.
        return format!(
            "{method} {}",
            raw.split(['?', '#']).next().unwrap_or_default()
        );
    };
    let mut shown = format!("{}{}", url.origin().ascii_serialization(), url.path());
    let names: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| format!("{name}=…"))
        .collect();
    if !names.is_empty() {
        shown.push('?');
        shown.push_str(&names.join("&"));
    }
    format!("{method} {shown}")
}

fn finding(rule: &str, severity: Severity, message: String) -> Finding {
    Finding {
        rule: rule.to_owned(),
        severity,
        message,
        location: None,
        related: Vec::new(),
        operation: None,
    }
}

/// Checks one entry.
pub fn check_entry(label: &str, index: usize, entry: &Entry<'_>, specs: &Specs) -> Section {
    let method = entry.request.method.to_ascii_uppercase();
    let url = Url::parse(&entry.request.url).ok();
    let subject = format!(
        "{label}#{index} {}",
        describe(&method, url.as_ref(), &entry.request.url)
    );
    let mut section = Section::new(Part::Har, subject);
    let Some(url) = url else {
        section.findings.push(finding(
            RULE_MALFORMED,
            Severity::Error,
            "request.url is not an absolute URL".to_owned(),
        ));
        return section;
    };
    let Some((target, base)) = specs.serving(&url) else {
        section.findings.push(finding(
            RULE_SKIPPED,
            Severity::Info,
            format!(
                "skipped: no spec given serves {}",
                url.origin().ascii_serialization()
            ),
        ));
        return section;
    };
    // The path under the server's base path, with the query as recorded (the contract decodes it).
    let mut path = url.path()[base..].to_owned();
    if path.is_empty() {
        path.push('/');
    }
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    let headers: Vec<(String, String)> = entry
        .request
        .headers
        .iter()
        // HTTP/2 pseudo-headers (`:authority`) are not headers of the message.
        .filter(|header| !header.name.starts_with(':'))
        .map(|header| (header.name.to_string(), header.value.to_string()))
        .collect();

    let mut request = Request::new(&method, &path);
    request.headers = Some(headers);
    let post = entry.request.post_data.as_ref();
    match body(
        post.and_then(|post| post.text.as_deref()),
        None,
        post.and_then(|post| post.mime_type.as_deref()),
    ) {
        Ok(Body::Empty) => {}
        Ok(Body::Json(value)) => request.body = Some(value),
        Ok(Body::NotJson) => request.check_body = false,
        Err(message) => {
            request.check_body = false;
            section.findings.push(finding(
                RULE_MALFORMED,
                Severity::Error,
                format!("request body: {message}"),
            ));
        }
    }
    match target.contract.validate_request(&request) {
        Ok(report) => add_report(&mut section, target, "request", &report),
        Err(error) => {
            section.findings.push(route_finding(target, &error));
            // Without an operation the response cannot be checked either.
            return section;
        }
    }

    let status = entry.response.status.to_string();
    let mut response = Response::new(&method, &path, status);
    let content = entry.response.content.as_ref();
    match body(
        content.and_then(|content| content.text.as_deref()),
        content.and_then(|content| content.encoding.as_deref()),
        content.and_then(|content| content.mime_type.as_deref()),
    ) {
        Ok(Body::Empty | Body::NotJson) => {}
        Ok(Body::Json(value)) => response.body = Some(value),
        Err(message) => section.findings.push(finding(
            RULE_MALFORMED,
            Severity::Error,
            format!("response body: {message}"),
        )),
    }
    match target.contract.validate_response(&response) {
        Ok(report) => add_report(&mut section, target, "response", &report),
        Err(error) => section.findings.push(route_finding(target, &error)),
    }
    section
}

enum Body {
    Empty,
    Json(Value),
    /// A body of a declared non-JSON media type: not checked.
    NotJson,
}

/// A recorded body: empty, JSON, or of another declared media type. The error never quotes the
/// body (it may hold a secret).
fn body(
    text: Option<&str>,
    encoding: Option<&str>,
    mime_type: Option<&str>,
) -> Result<Body, String> {
    let Some(text) = text.filter(|text| !text.is_empty()) else {
        return Ok(Body::Empty);
    };
    let decoded;
    let bytes = match encoding {
        Some(encoding) if encoding.eq_ignore_ascii_case("base64") => {
            decoded = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|error| format!("content.text is not valid base64 ({error})"))?;
            decoded.as_slice()
        }
        Some(other) if !other.is_empty() => {
            return Err(format!("unsupported content encoding {other:?}"));
        }
        _ => text.as_bytes(),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body::Empty);
    }
    let essence = mime_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let declared_other = !essence.is_empty() && !essence.contains("json");
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(Body::Json(value)),
        Err(_) if declared_other => Ok(Body::NotJson),
        Err(error) => Err(format!(
            "not JSON at line {} column {} ({} bytes, mimeType {:?})",
            error.line(),
            error.column(),
            bytes.len(),
            mime_type.unwrap_or("")
        )),
    }
}

/// A contract error for one entry (no operation for its route, a media type we cannot check)
/// is a finding on that entry, not a reason to stop checking the others.
fn route_finding(target: &SpecTarget, error: &ContractError) -> Finding {
    let (rule, message) = match error {
        ContractError::UnknownRoute { method, path, .. } => (
            RULE_UNKNOWN_ROUTE,
            format!("no operation of the spec documents {method} {path}"),
        ),
        ContractError::MethodNotDocumented {
            method,
            template,
            allowed,
            ..
        } => (
            RULE_UNKNOWN_ROUTE,
            format!("{template} does not document {method} (documented: {allowed})"),
        ),
        other => (RULE_MALFORMED, other.to_string()),
    };
    let mut finding = finding(rule, Severity::Error, message);
    finding.location = Some(Location {
        file: target.path.display().to_string(),
        pointer: "/paths".to_owned(),
        line: target.source.locate("/paths").map(|span| span.line),
        column: target.source.locate("/paths").map(|span| span.column),
    });
    finding
}

/// One finding per violation; the violation's text is value-free where values are secret.
fn add_report(section: &mut Section, target: &SpecTarget, message: &str, report: &Report) {
    section.findings.extend(report_findings(
        report,
        &target.path,
        &target.source,
        message,
    ));
}

/// A report's violations as findings, each placed where its rule is written in the spec (file,
/// pointer, line and column); `prefix` says which message it was ("request", "response 409").
/// Shared by `validate --har` and the single-message `validate` in the CI formats.
pub fn report_findings(
    report: &Report,
    spec: &Path,
    source: &SourceMap,
    prefix: &str,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let operation = match &report.operation_id {
        Some(id) => format!("{} {} ({id})", report.method, report.route),
        None => format!("{} {}", report.method, report.route),
    };
    for violation in &report.violations {
        let location = violation.spec_location.as_deref().map(|pointer| {
            let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
            let span = source.locate(pointer);
            Location {
                file: spec.display().to_string(),
                pointer: pointer.to_owned(),
                line: span.map(|span| span.line),
                column: span.map(|span| span.column),
            }
        });
        findings.push(Finding {
            rule: violation.rule.clone(),
            severity: Severity::Error,
            message: format!("{prefix} {violation}"),
            location,
            related: Vec::new(),
            operation: Some(operation.clone()),
        });
    }
    findings
}

/// What the sections add up to: entries checked, conforming, failing, skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub entries: usize,
    pub conforming: usize,
    pub failing: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(sections: &[Section]) -> Summary {
        let mut summary = Summary::default();
        for section in sections {
            summary.entries += 1;
            if is_skipped(section) {
                summary.skipped += 1;
            } else if section.error.is_some() || section.worst() >= Some(Severity::Error) {
                summary.failing += 1;
            } else {
                summary.conforming += 1;
            }
        }
        summary
    }
}

/// An entry that no given spec serves.
pub fn is_skipped(section: &Section) -> bool {
    section
        .findings
        .iter()
        .any(|finding| finding.rule == RULE_SKIPPED)
}

/// Every `*.yaml` directly in `dir`, sorted (the default spec set of `validate --har`, `check`).
pub fn specs_in(dir: &Path) -> Result<Vec<PathBuf>, HarError> {
    let read = std::fs::read_dir(dir).map_err(|source| HarError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut specs: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml") && path.is_file())
        .collect();
    specs.sort();
    Ok(specs)
}

/// `contract validate --har FILE [--spec FILE]... [--server URL]...`: prints one result per entry
/// and a summary; exit 0 (every checked entry conforms), 1 (one does not), 2 (nothing checked).
pub fn command(args: &crate::cli::ValidateArgs) -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = run(args, &mut out, &mut std::io::stderr());
    std::process::ExitCode::from(code)
}

/// [`command`] writing to `out` (results) and `err` (errors in human form): the binary's
/// behaviour, testable in process. Returns the exit code.
pub fn run(
    args: &crate::cli::ValidateArgs,
    out: &mut impl std::io::Write,
    err: &mut impl std::io::Write,
) -> u8 {
    let format = args.format;
    let outcome = (|| {
        let har = args
            .har
            .as_deref()
            .ok_or_else(|| HarError::Usage("--har FILE is required".to_owned()))?;
        if !args.server.is_empty() && args.spec.len() != 1 {
            // Said before the default spec list is read: --server always names one spec.
            return Err(HarError::Usage(
                "--server needs exactly one --spec (it says which spec the server serves)"
                    .to_owned(),
            ));
        }
        let paths = if args.spec.is_empty() {
            specs_in(Path::new("specs"))?
        } else {
            args.spec.clone()
        };
        let specs = Specs::load(&paths, &args.server)?;
        check_file(har, &specs)
    })();
    let sections = match outcome {
        Ok(sections) => sections,
        Err(error) => {
            // Human readers get the error on stderr; machine formats get a section that could
            // not be checked, so a SARIF or JUnit consumer still sees what went wrong.
            let text = match format {
                Format::Human => {
                    let _ = writeln!(err, "error: {error}");
                    return format::EXIT_ERROR;
                }
                _ => {
                    let mut section = Section::new(Part::Har, har_label(args));
                    section.error = Some(error.to_string());
                    format::render(&[section], format, Severity::Error)
                }
            };
            let _ = out.write_all(text.as_bytes());
            return format::EXIT_ERROR;
        }
    };
    let summary = Summary::of(&sections);
    let mut text = format::render_full(
        &sections,
        format,
        Severity::Error,
        &[],
        Some(serde_json::to_value(summary).unwrap_or(Value::Null)),
    );
    if format == Format::Human {
        text.push_str(&std::format!(
            "{} entries: {} conform, {} fail, {} skipped (no spec serves their host)\n",
            summary.entries,
            summary.conforming,
            summary.failing,
            summary.skipped
        ));
    }
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        let _ = writeln!(err, "error: cannot write the results: {error}");
        return format::EXIT_ERROR;
    }
    format::exit_code(&sections, Severity::Error)
}

fn har_label(args: &crate::cli::ValidateArgs) -> String {
    args.har.as_deref().map_or_else(
        || "(no HAR file)".to_owned(),
        |path| path.display().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_expand_variables_and_ignore_relative_urls() {
        let document = serde_json::json!({"servers": [
            {"url": "https://{env}.example.com:8443/v1/", "variables": {
                "env": {"default": "api", "enum": ["api", "sandbox"]}}},
            {"url": "https://{host}/base", "variables": {"host": {"default": "h.example"}}},
            {"url": "/relative"}
        ]});
        let servers = spec_servers(&document);
        let shown: Vec<String> = servers
            .iter()
            .map(|server| format!("{}{}", server.origin, server.base))
            .collect();
        assert_eq!(
            shown,
            [
                "https://api.example.com:8443/v1",
                "https://sandbox.example.com:8443/v1",
                "https://h.example/base"
            ]
        );
    }

    #[test]
    fn subjects_keep_query_names_only() {
        let url = Url::parse("https://h.example/a?token=SECRET&x=1").unwrap();
        let shown = describe("GET", Some(&url), "");
        assert_eq!(shown, "GET https://h.example/a?token=…&x=…");
        assert_eq!(describe("GET", None, "nope?k=SECRET"), "GET nope");
    }

    #[test]
    fn bodies_decode_base64_and_never_quote_the_text() {
        assert!(matches!(body(Some(""), None, None), Ok(Body::Empty)));
        assert!(matches!(
            body(
                Some("eyJhIjoxfQ=="),
                Some("base64"),
                Some("application/json")
            ),
            Ok(Body::Json(_))
        ));
        assert!(matches!(
            body(Some("<p>"), None, Some("text/html")),
            Ok(Body::NotJson)
        ));
        let error = body(Some("SECRET{"), None, Some("application/json"))
            .err()
            .unwrap();
        assert!(!error.contains("SECRET"), "{error}");
        assert!(body(Some("!!"), Some("base64"), None).is_err());
    }
}

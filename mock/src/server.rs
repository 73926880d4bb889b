//! The HTTP server: accepts connections (hyper 1 on tokio), picks the provider of each request
//! (path prefix, then `Host`), reads the body within limits, checks the request with the
//! provider's contract, and sends the documented answer (or the mock's own problem document).
//! It holds no provider knowledge: every answer comes from the spec and its scenario file. No
//! input may panic it; a header value is never echoed back.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use contract::ContractError;
use contract::check::contract::Operation;
use contract::check::message::Request as CheckedRequest;
use contract::check::report::{Part, Violation};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::har::Recorder;
use crate::provider::{Choice, Provider, Reply};
use crate::scenario::{Card, Lifecycle, Outcome, Source};

/// Added latency: none, a fixed delay, or uniform between two bounds (milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Latency {
    #[default]
    None,
    Fixed(u64),
    Uniform(u64, u64),
}

impl std::str::FromStr for Latency {
    type Err = String;

    /// `200` (fixed) or `50-300` (uniform), in milliseconds.
    fn from_str(text: &str) -> Result<Latency, String> {
        let number = |part: &str| {
            part.trim()
                .trim_end_matches("ms")
                .parse::<u64>()
                .map_err(|_| format!("`{text}` is not milliseconds: `200` or `50-300`"))
        };
        match text.split_once(['-', '.']) {
            Some((low, high)) => {
                let (low, high) = (number(low)?, number(high.trim_start_matches('.'))?);
                if low > high {
                    return Err(format!("`{text}`: the lower bound is above the upper"));
                }
                Ok(Latency::Uniform(low, high))
            }
            None => Ok(Latency::Fixed(number(text)?)),
        }
    }
}

/// Everything the server needs; `Config::new` gives the documented defaults.
#[derive(Debug)]
pub struct Config {
    pub providers: Vec<Provider>,
    pub listen: SocketAddr,
    pub seed: u64,
    pub latency: Latency,
    /// Fraction of requests answered with an injected documented 429/500/503.
    pub error_rate: f64,
    pub max_body: usize,
    pub max_uri: usize,
    /// Header section size (hyper refuses below 8 KiB, so smaller values are raised to it).
    pub max_header_bytes: usize,
    pub max_headers: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    /// Upper bound of `Prefer: delay=`.
    pub max_delay: Duration,
    pub record: Option<PathBuf>,
}

impl Config {
    pub fn new(providers: Vec<Provider>) -> Config {
        Config {
            providers,
            listen: SocketAddr::from(([127, 0, 0, 1], 4010)),
            seed: 0,
            latency: Latency::None,
            error_rate: 0.0,
            max_body: 1 << 20,
            max_uri: 8 << 10,
            max_header_bytes: 16 << 10,
            max_headers: 64,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_delay: Duration::from_secs(30),
            record: None,
        }
    }
}

struct State {
    providers: Vec<Provider>,
    config: Settings,
    counter: AtomicU64,
    recorder: Option<Recorder>,
    /// Lower-case header names whose values the HAR redacts.
    secret_headers: Vec<String>,
}

/// The `Config` fields read per request.
#[derive(Debug, Clone)]
struct Settings {
    seed: u64,
    latency: Latency,
    error_rate: f64,
    max_body: usize,
    max_uri: usize,
    body_timeout: Duration,
    max_delay: Duration,
}

/// A started server.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl Running {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets open requests finish (at most 5 s), writes the HAR file.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.map_err(io::Error::other)?
    }
}

/// Binds and starts serving in the background.
pub async fn start(config: Config) -> io::Result<Running> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .max_buf_size(config.max_header_bytes.max(8192))
        .max_headers(config.max_headers);
    let state = Arc::new(State {
        config: Settings {
            seed: config.seed,
            latency: config.latency,
            error_rate: config.error_rate.clamp(0.0, 1.0),
            max_body: config.max_body,
            max_uri: config.max_uri,
            body_timeout: config.body_timeout,
            max_delay: config.max_delay,
        },
        recorder: config.record.map(Recorder::new),
        secret_headers: secret_headers(&config.providers),
        providers: config.providers,
        counter: AtomicU64::new(0),
    });
    let (stop, mut stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let stream = match accepted {
                        Ok((stream, _)) => stream,
                        // Out of descriptors and the like: wait a little rather than spin.
                        Err(_) => {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let state = state.clone();
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(handle(&state, request).await) }
                    });
                    let connection = builder.serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = connection.await;
                    });
                }
                _ = &mut stopped => break,
            }
        }
        drop(listener);
        tokio::select! {
            _ = graceful.shutdown() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
        if let Some(recorder) = &state.recorder {
            recorder.write()?;
        }
        Ok(())
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// What the request asked for in `Prefer` (Prism's conventions).
#[derive(Debug, Default, PartialEq)]
struct Prefer {
    code: Option<u16>,
    example: Option<String>,
    dynamic: bool,
    delay: Option<u64>,
}

fn prefer(headers: &[(String, String)]) -> Prefer {
    let mut prefer = Prefer::default();
    for (_, value) in headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("prefer"))
    {
        for token in value.split([',', ';']) {
            let Some((key, value)) = token.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "code" => prefer.code = value.parse().ok(),
                "example" => prefer.example = Some(value.to_owned()),
                "dynamic" => prefer.dynamic = value.eq_ignore_ascii_case("true"),
                "delay" => prefer.delay = value.parse().ok(),
                _ => {}
            }
        }
    }
    prefer
}

async fn handle(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let n = state.counter.fetch_add(1, Ordering::Relaxed);
    // One generator per request, from the seed and the request's number: a run with the same
    // seed and the same sequence of requests answers the same.
    let mut rng = StdRng::seed_from_u64(state.config.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let method = request.method().as_str().to_owned();
    let uri = request.uri().clone();
    let mut headers = Vec::new();
    let mut unreadable = Vec::new();
    for (name, value) in request.headers() {
        match std::str::from_utf8(value.as_bytes()) {
            Ok(text) => headers.push((name.as_str().to_owned(), text.to_owned())),
            Err(_) => unreadable.push(name.as_str().to_owned()),
        }
    }
    let body = read_body(state, request).await;
    let (reply, delay) = answer(state, &method, &uri, &headers, &unreadable, &body, &mut rng);
    let latency = match state.config.latency {
        Latency::None => 0,
        Latency::Fixed(ms) => ms,
        // Built in code, the bounds may come reversed: never a panic for that.
        Latency::Uniform(low, high) => rng.random_range(low.min(high)..=high.max(low)),
    };
    let total = Duration::from_millis(latency.saturating_add(delay.unwrap_or(0))).min(
        state
            .config
            .max_delay
            .saturating_add(Duration::from_millis(latency)),
    );
    if !total.is_zero() {
        tokio::time::sleep(total).await;
    }
    let bytes = reply
        .body
        .as_ref()
        .map(|body| Bytes::from(serde_json::to_vec(body).unwrap_or_default()))
        .unwrap_or_default();
    if let Some(recorder) = &state.recorder {
        let request_body = match &body {
            Ok(bytes) => bytes.clone(),
            Err(_) => Bytes::new(),
        };
        let host = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .map_or("localhost", |(_, value)| value.as_str());
        recorder.record(crate::har::Exchange {
            started,
            elapsed: clock.elapsed(),
            method: &method,
            url: format!(
                "http://{host}{}",
                uri.path_and_query().map_or("/", |p| p.as_str())
            ),
            request_headers: &headers,
            request_body: &request_body,
            status: reply.status,
            content_type: if reply.body.is_some() {
                reply.content_type
            } else {
                ""
            },
            response_headers: &reply.headers,
            response_body: &bytes,
            secret_headers: &state.secret_headers,
        });
    }
    let mut response = Response::new(Full::new(bytes));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    if body.is_err() {
        // The rest of the body was not read: the connection cannot carry another request.
        response
            .headers_mut()
            .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    }
    if reply.body.is_some() {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    }
    for (name, value) in reply.headers {
        // Values are the mock's own (digits, method lists): never a request's bytes.
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Header names that carry credentials in any loaded spec, lower case.
fn secret_headers(providers: &[Provider]) -> Vec<String> {
    let mut names = vec!["authorization".to_owned(), "cookie".to_owned()];
    for provider in providers {
        let schemes = provider
            .contract
            .spec()
            .document
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        for scheme in schemes.into_iter().flat_map(|schemes| schemes.values()) {
            if scheme.get("in").and_then(Value::as_str) == Some("header")
                && let Some(name) = scheme.get("name").and_then(Value::as_str)
            {
                names.push(name.to_ascii_lowercase());
            }
        }
    }
    names
}

/// Why a body could not be read.
#[derive(Debug)]
enum BodyError {
    TooLarge,
    Timeout,
    Broken,
}

async fn read_body(state: &State, request: Request<Incoming>) -> Result<Bytes, BodyError> {
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = request
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > state.config.max_body as u64) {
        return Err(BodyError::TooLarge);
    }
    let limited = Limited::new(request.into_body(), state.config.max_body);
    match tokio::time::timeout(state.config.body_timeout, limited.collect()).await {
        Err(_) => Err(BodyError::Timeout),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(BodyError::TooLarge)
        }
        Ok(Err(_)) => Err(BodyError::Broken),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// The reply and the delay the request asked for.
fn answer(
    state: &State,
    method: &str,
    uri: &hyper::Uri,
    headers: &[(String, String)],
    unreadable: &[String],
    body: &Result<Bytes, BodyError>,
    rng: &mut StdRng,
) -> (Reply, Option<u64>) {
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    if path_and_query.len() > state.config.max_uri {
        let detail = format!("the URI is longer than {} bytes", state.config.max_uri);
        return (Reply::problem(414, "URI Too Long", detail, json!({})), None);
    }
    let body = match body {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            let detail = format!("the body is larger than {} bytes", state.config.max_body);
            return (
                Reply::problem(413, "Content Too Large", detail, json!({})),
                None,
            );
        }
        Err(BodyError::Timeout) => {
            let detail = "the body did not arrive in time";
            return (
                Reply::problem(408, "Request Timeout", detail, json!({})),
                None,
            );
        }
        Err(BodyError::Broken) => {
            let detail = "the body could not be read (connection broken or malformed chunking)";
            return (Reply::problem(400, "Bad Request", detail, json!({})), None);
        }
    };
    if let Some(admin) = uri.path().strip_prefix("/__mock/") {
        return (self::admin(state, method, admin, body), None);
    }
    let prefer = prefer(headers);
    let Some((provider, path)) = select(state, uri, headers) else {
        let prefixes: Vec<String> = state
            .providers
            .iter()
            .map(|p| format!("/{}", p.name))
            .collect();
        let detail = "no provider serves this path or host: start the path with a provider prefix";
        return (
            Reply::problem(404, "Not Found", detail, json!({"providers": prefixes})),
            None,
        );
    };
    let mut own = Vec::new();
    for name in unreadable {
        own.push(Violation {
            part: Part::Header,
            pointer: contract::spec::pointer::join("", &name.to_ascii_lowercase()),
            rule: "encoding".to_owned(),
            expected: "a header value that is UTF-8 text".to_owned(),
            found: "bytes that are not UTF-8 (not shown)".to_owned(),
            spec_location: None,
        });
    }
    let json = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => Some(value),
            Err(error) => {
                own.push(Violation {
                    part: Part::Body,
                    pointer: String::new(),
                    rule: "json".to_owned(),
                    expected: "a JSON body".to_owned(),
                    found: format!(
                        "malformed JSON at line {} column {}",
                        error.line(),
                        error.column()
                    ),
                    spec_location: None,
                });
                None
            }
        }
    };
    let mut checked = CheckedRequest::new(method, path.clone());
    checked.headers = Some(headers.to_vec());
    checked.body = json.clone();
    let report = match provider.contract.validate_request(&checked) {
        Ok(report) => report,
        Err(error) => return (routing_problem(&error), None),
    };
    let Some(operation) = provider
        .contract
        .operations()
        .iter()
        .find(|op| op.method == report.method && op.template == report.route)
    else {
        let detail = "the route has no operation";
        return (
            Reply::problem(500, "Internal Server Error", detail, json!({})),
            None,
        );
    };
    let route_path = path.split('?').next().unwrap_or_default();
    if state.config.error_rate > 0.0 && rng.random_bool(state.config.error_rate) {
        let injected: Vec<u16> = [429, 500, 503]
            .into_iter()
            .filter(|status| provider.documents_status(operation, *status))
            .collect();
        if !injected.is_empty() {
            let status = injected[rng.random_range(0..injected.len())];
            let mut reply = send(
                provider,
                operation,
                route_path,
                status,
                None,
                &Choice::default(),
                rng,
            );
            if status == 429 || status == 503 {
                reply.headers.push(("retry-after", "1".to_owned()));
            }
            return (reply, prefer.delay);
        }
    }
    let mut violations = own;
    violations.extend(report.violations.iter().cloned());
    let scenario = provider
        .scenario
        .operations
        .get(operation.operation_id.as_deref().unwrap_or_default());
    if !violations.is_empty() {
        return (
            refuse(provider, operation, route_path, &violations, scenario, rng),
            prefer.delay,
        );
    }
    if prefer.code.is_some() || prefer.example.is_some() || prefer.dynamic {
        return (
            preferred(provider, operation, route_path, &prefer, rng),
            prefer.delay,
        );
    }
    if let Some(lifecycle) = scenario.and_then(|s| s.lifecycle.as_ref()) {
        let (outcome, card) = walk(provider, operation, lifecycle, route_path, json.as_ref());
        let choice = Choice {
            example: outcome.example.as_deref(),
            set: Some(&outcome.set),
            card: card.as_deref(),
            dynamic: false,
        };
        let key = outcome.response.as_deref();
        return (
            send(
                provider,
                operation,
                route_path,
                outcome.status,
                key,
                &choice,
                rng,
            ),
            prefer.delay,
        );
    }
    let reply = match provider.success_status(operation) {
        Some(status) => send(
            provider,
            operation,
            route_path,
            status,
            None,
            &Choice::default(),
            rng,
        ),
        None => Reply::problem(
            501,
            "Not Implemented",
            "the operation documents no success response",
            json!({}),
        ),
    };
    (reply, prefer.delay)
}

/// A documented response, or the mock's 500 problem saying why it could not be built.
fn send(
    provider: &Provider,
    operation: &Operation,
    path: &str,
    status: u16,
    key: Option<&str>,
    choice: &Choice<'_>,
    rng: &mut StdRng,
) -> Reply {
    let Some(key) = provider.response_key(operation, status, key) else {
        let detail = format!("status {status} is not documented for this operation");
        return Reply::problem(500, "Internal Server Error", detail, json!({}));
    };
    provider
        .reply(operation, path, status, &key, choice, rng)
        .unwrap_or_else(|detail| Reply::problem(500, "Internal Server Error", detail, json!({})))
}

fn routing_problem(error: &ContractError) -> Reply {
    match error {
        ContractError::UnknownRoute { .. } => {
            Reply::problem(404, "Not Found", error.to_string(), json!({}))
        }
        ContractError::MethodNotDocumented { allowed, .. } => {
            let mut reply = Reply::problem(405, "Method Not Allowed", error.to_string(), json!({}));
            reply.headers.push(("allow", allowed.clone()));
            reply
        }
        ContractError::UnsupportedMediaType { .. } => {
            Reply::problem(415, "Unsupported Media Type", error.to_string(), json!({}))
        }
        error => Reply::problem(400, "Bad Request", error.to_string(), json!({})),
    }
}

/// The answer to a request that breaks its contract: the scenario's documented error, else the
/// spec's 401/403 (credentials) or 400 (anything else), else a status the spec covers only by a
/// range or `default` (401, 403, 400, 422 in that order), else a 422 problem listing violations.
/// The problem is sent only where the spec documents no 422 at all: under a `4XX` or `default`
/// key its `application/problem+json` body would break the spec (Schemathesis found it on
/// nueve09 and UnDosTres). A documented answer carries the violations in `x-mock-violations`.
fn refuse(
    provider: &Provider,
    operation: &Operation,
    path: &str,
    violations: &[Violation],
    scenario: Option<&crate::scenario::OperationScenario>,
    rng: &mut StdRng,
) -> Reply {
    let credentials = violations.iter().any(|v| v.rule == "security");
    let outcome: Option<Outcome> = if credentials {
        scenario.and_then(|s| s.credentials.clone()).or_else(|| {
            [401, 403]
                .into_iter()
                .find(|status| provider.documents_status(operation, *status))
                .map(|status| Outcome {
                    status,
                    ..Outcome::default()
                })
        })
    } else {
        match scenario.and_then(|s| s.invalid.as_ref()) {
            Some(invalid) => {
                let first = &violations[0];
                let case = invalid.cases.iter().find(|case| {
                    case.rule.as_ref().is_none_or(|rule| *rule == first.rule)
                        && case.pointer.as_ref().is_none_or(|p| *p == first.pointer)
                });
                let mut outcome = invalid.outcome.clone();
                if let Some(case) = case {
                    outcome.example = Some(case.example.clone());
                }
                Some(outcome)
            }
            None => provider.documents_status(operation, 400).then(|| Outcome {
                status: 400,
                ..Outcome::default()
            }),
        }
    };
    let outcome = outcome.or_else(|| {
        let statuses: &[u16] = if credentials {
            &[401, 403, 400, 422]
        } else {
            &[400, 422]
        };
        statuses
            .iter()
            .find(|status| provider.response_key(operation, **status, None).is_some())
            .map(|status| Outcome {
                status: *status,
                ..Outcome::default()
            })
    });
    if let Some(outcome) = outcome {
        let choice = Choice {
            example: outcome.example.as_deref(),
            ..Choice::default()
        };
        let key = outcome.response.as_deref();
        let mut reply = send(provider, operation, path, outcome.status, key, &choice, rng);
        reply
            .headers
            .push(("x-mock-violations", violations_header(violations)));
        return reply;
    }
    let listed: Vec<Value> = violations
        .iter()
        .map(|v| json!({"in": v.part, "pointer": v.pointer, "rule": v.rule, "expected": v.expected, "found": v.found}))
        .collect();
    let detail = format!(
        "the request breaks the contract of {} {} in {} place(s)",
        operation.method,
        operation.template,
        violations.len()
    );
    Reply::problem(
        422,
        "Unprocessable Content",
        detail,
        json!({"violations": listed}),
    )
}

/// The violations as one header value (`body #/pin pattern; header #/authorization security`,
/// pointers as URI fragments so the root is `#`): where, pointer and rule only, never the value found. A pointer can hold a property name the
/// client sent, so everything outside plain ASCII is percent-encoded: a header stays valid bytes.
fn violations_header(violations: &[Violation]) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b';').add(b',').add(b'"');
    violations
        .iter()
        .map(|v| {
            format!(
                "{} #{} {}",
                v.part,
                utf8_percent_encode(&v.pointer, UNSAFE),
                utf8_percent_encode(&v.rule, UNSAFE)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn preferred(
    provider: &Provider,
    operation: &Operation,
    path: &str,
    prefer: &Prefer,
    rng: &mut StdRng,
) -> Reply {
    let keys = provider.response_keys(operation);
    let status = match (prefer.code, &prefer.example) {
        (Some(code), _) => Some(code),
        // An example without a code: the response that documents an example of that name,
        // success first.
        (None, Some(name)) => {
            let success = provider.success_status(operation);
            let mut candidates: Vec<(u16, String)> = keys
                .iter()
                .filter(|key| provider.example_names(operation, key).contains(name))
                .map(|key| (status_of(key), key.clone()))
                .collect();
            candidates.sort_by_key(|(status, _)| (Some(*status) != success, *status));
            candidates.first().map(|(status, _)| *status)
        }
        (None, None) => provider.success_status(operation),
    };
    let Some(status) = status.filter(|status| (100..600).contains(status)) else {
        let detail = "no documented response matches the Prefer header";
        return Reply::problem(
            422,
            "Unprocessable Content",
            detail,
            json!({"documented": keys}),
        );
    };
    if provider.response_key(operation, status, None).is_none() {
        let detail = format!("Prefer: code={status} is not documented for this operation");
        return Reply::problem(
            422,
            "Unprocessable Content",
            detail,
            json!({"documented": keys}),
        );
    }
    let choice = Choice {
        example: prefer.example.as_deref(),
        dynamic: prefer.dynamic,
        ..Choice::default()
    };
    let key = provider
        .response_key(operation, status, None)
        .unwrap_or_default();
    match provider.reply(operation, path, status, &key, &choice, rng) {
        Ok(reply) => reply,
        Err(detail) => Reply::problem(
            422,
            "Unprocessable Content",
            detail,
            json!({"documented": keys}),
        ),
    }
}

/// The status a response key stands for (`4XX` → 400, `default` → 500).
fn status_of(key: &str) -> u16 {
    key.parse()
        .unwrap_or_else(|_| match key.as_bytes().first() {
            Some(digit @ b'1'..=b'5') => u16::from(digit - b'0') * 100,
            _ => 500,
        })
}

/// One lifecycle step: finds the card, decides the outcome from its state, moves it on success.
fn walk<'a>(
    provider: &Provider,
    operation: &Operation,
    lifecycle: &'a Lifecycle,
    path: &str,
    body: Option<&Value>,
) -> (&'a Outcome, Option<String>) {
    let read = |source: &Source| -> Option<String> {
        match source {
            Source::Path { name } => path_parameter(&operation.template, path, name),
            Source::Body { pointer } => match body?.pointer(pointer)? {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            },
        }
    };
    let Some(id) = read(&lifecycle.card) else {
        return (&lifecycle.unknown, None);
    };
    let code = lifecycle.code.as_ref().and_then(read);
    let outcome = provider.with_card(&id, |card| match card {
        None => &lifecycle.unknown,
        Some(card) if card.state == lifecycle.from => {
            let wrong = card.code.is_some() && code.is_some() && card.code != code;
            match (&lifecycle.wrong_code, wrong) {
                (Some(outcome), true) => outcome,
                _ => {
                    card.state = lifecycle.to.clone();
                    &lifecycle.success
                }
            }
        }
        Some(card) => lifecycle
            .states
            .get(&card.state)
            .unwrap_or(&lifecycle.unknown),
    });
    (outcome, Some(id))
}

/// The value of a path parameter, matching the template's segments to the path's last ones (a
/// server URL may add a prefix in front).
fn path_parameter(template: &str, path: &str, name: &str) -> Option<String> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_matches('/').split('/').collect();
    let skip = path.len().checked_sub(template.len())?;
    let wanted = format!("{{{name}}}");
    template
        .iter()
        .zip(&path[skip..])
        .find(|(segment, _)| **segment == wanted)
        .map(|(_, value)| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// The provider a request is for, and its path (with query) as the provider sees it.
fn select<'a>(
    state: &'a State,
    uri: &hyper::Uri,
    headers: &[(String, String)],
) -> Option<(&'a Provider, String)> {
    let path = uri.path();
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    for provider in &state.providers {
        if let Some(rest) = path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(&provider.name))
            && (rest.is_empty() || rest.starts_with('/'))
        {
            let rest = if rest.is_empty() { "/" } else { rest };
            return Some((provider, format!("{rest}{query}")));
        }
    }
    let host = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.to_ascii_lowercase());
    if let Some(host) = host {
        let bare = host
            .rsplit_once(':')
            .map_or(host.as_str(), |(bare, _)| bare);
        for provider in &state.providers {
            if provider
                .hosts
                .iter()
                .any(|known| *known == host || known == bare)
            {
                return Some((provider, format!("{path}{query}")));
            }
        }
    }
    match state.providers.as_slice() {
        [only] => Some((only, format!("{path}{query}"))),
        _ => None,
    }
}

/// `/__mock/state` (GET: every store; POST: replace stores) and `/__mock/reset` (POST).
fn admin(state: &State, method: &str, path: &str, body: &Bytes) -> Reply {
    let ok = |body: Value| Reply {
        status: 200,
        body: Some(body),
        content_type: "application/json",
        headers: Vec::new(),
    };
    match (method, path) {
        ("GET", "state") => ok(Value::Object(
            state
                .providers
                .iter()
                .map(|provider| (provider.name.clone(), provider.state()))
                .collect(),
        )),
        ("POST", "reset") => {
            for provider in &state.providers {
                provider.reset(None);
            }
            let names: Vec<&str> = state.providers.iter().map(|p| p.name.as_str()).collect();
            ok(json!({"reset": names}))
        }
        ("POST", "state") => {
            let cards: BTreeMap<String, Vec<Card>> = match serde_json::from_slice(body) {
                Ok(cards) => cards,
                Err(error) => {
                    let detail = format!("expected {{provider: [{{id, state, code}}]}}: {error}");
                    return Reply::problem(400, "Bad Request", detail, json!({}));
                }
            };
            if let Some(unknown) = cards
                .keys()
                .find(|name| !state.providers.iter().any(|p| &p.name == *name))
            {
                let detail = format!("no provider `{unknown}` is loaded");
                return Reply::problem(404, "Not Found", detail, json!({}));
            }
            for (name, cards) in cards {
                if let Some(provider) = state.providers.iter().find(|p| p.name == name) {
                    provider.reset(Some(cards));
                }
            }
            ok(json!({"replaced": true}))
        }
        _ => Reply::problem(
            404,
            "Not Found",
            "admin routes: GET /__mock/state, POST /__mock/state, POST /__mock/reset",
            json!({}),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_reads_fixed_and_ranges() {
        assert_eq!("200".parse(), Ok(Latency::Fixed(200)));
        assert_eq!("50-300".parse(), Ok(Latency::Uniform(50, 300)));
        assert_eq!("50..300".parse(), Ok(Latency::Uniform(50, 300)));
        assert!("300-50".parse::<Latency>().is_err());
        assert!("fast".parse::<Latency>().is_err());
    }

    #[test]
    fn prefer_reads_prism_tokens() {
        let headers = vec![(
            "Prefer".to_owned(),
            "code=409, example=instrument-blocked; delay=20, dynamic=true".to_owned(),
        )];
        assert_eq!(
            prefer(&headers),
            Prefer {
                code: Some(409),
                example: Some("instrument-blocked".to_owned()),
                dynamic: true,
                delay: Some(20),
            }
        );
    }

    #[test]
    fn path_parameters_match_from_the_end() {
        assert_eq!(
            path_parameter(
                "/cards/activate/{cardId}",
                "/v1/cards/activate/12%203",
                "cardId"
            ),
            Some("12 3".to_owned())
        );
        assert_eq!(path_parameter("/a/{x}/b", "/a", "x"), None);
    }

    #[test]
    fn status_of_ranges() {
        assert_eq!(status_of("409"), 409);
        assert_eq!(status_of("4XX"), 400);
        assert_eq!(status_of("default"), 500);
    }
}

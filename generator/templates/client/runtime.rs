// @generated-header
//! Runtime support for a generated client crate: secrets, servers, the transport (timeouts,
//! retries on 429 and 503 that honour `Retry-After`), request violations, raw responses and the
//! error type.
//!
//! The generator copies this file verbatim into every client crate, then appends
//! `templates/object_serde.rs` (the lenient models' serde); it depends on `reqwest`,
//! `serde`, `serde_json`, `tokio` (timers) and the provider's validator crate, which the crate
//! root re-exports as `validator`.
//!
//! Nothing here prints a secret: [`Secret`] and [`RawResponse`] redact themselves in `Debug` and
//! `Display`, transport errors are stripped of their URL (a query may carry a secret), and body
//! decoding errors keep only the line, column and category of the failure, never the offending
//! value.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::validator::{ErrorKind, MessageError, ValidationError};

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// A credential or token: `Debug` and `Display` print `<redacted>`, never the value. Sent as a
/// header value marked sensitive.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the code that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The header value `prefix` + the secret, marked sensitive (never logged by the HTTP stack).
    pub(crate) fn header_value(
        &self,
        prefix: &str,
        operation: &'static str,
        header: &'static str,
    ) -> Result<HeaderValue, Error> {
        let mut value = HeaderValue::from_str(&format!("{prefix}{}", self.0))
            .map_err(|_| Error::InvalidCredential { operation, header })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl From<crate::validator::Sensitive<String>> for Secret {
    fn from(value: crate::validator::Sensitive<String>) -> Secret {
        Secret(value.into_inner())
    }
}

/// Reads a token out of a decoded body at a JSON pointer (`/data/accessToken`).
pub(crate) fn token_in<T: Serialize>(body: &T, pointer: &str) -> Option<Secret> {
    let value = serde_json::to_value(body).ok()?;
    let token = value.pointer(pointer)?.as_str()?;
    (!token.is_empty()).then(|| Secret::new(token))
}

/// A token sent back in a header, without a `Bearer ` prefix if it has one.
pub(crate) fn token_in_header(value: &Secret) -> Option<Secret> {
    let text = value.expose().trim();
    let token = match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => text[7..].trim_start(),
        _ => text,
    };
    (!token.is_empty()).then(|| Secret::new(token))
}

// ---------------------------------------------------------------------------------------------
// Servers and configuration
// ---------------------------------------------------------------------------------------------

/// Where requests go: a base URL that operation paths are appended to. The crate adds one
/// constructor per server of the spec (`Server::sandbox()`, ...); [`Server::custom`] takes any
/// `http` or `https` URL.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Server {
    url: String,
}

impl Server {
    /// Any base URL (`https://host/prefix`, `http://127.0.0.1:8080`). Checked when the client is
    /// built.
    pub fn custom(base_url: impl Into<String>) -> Server {
        Server {
            url: base_url.into(),
        }
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// Prints the URL without any user name or password it may carry.
impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Server({:?})", redact_url(&self.url))
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.url))
    }
}

/// A URL with its user information (`user:password@`) replaced.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// When to retry. Only `429 Too Many Requests` and `503 Service Unavailable` are retried, and
/// only for operations the spec marks idempotent (`x-idempotent: true`) or calls that opt in
/// with `.retry(true)`. A `Retry-After` header (seconds or an HTTP date) sets the wait; without
/// one, `default_delay` is used. A wait longer than `max_delay` is not waited for: the 429 or
/// 503 is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The wait when the response has no usable `Retry-After`.
    pub default_delay: Duration,
    /// The longest wait the client accepts.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// Never retry.
    pub const fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            default_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Two retries, one second apart unless `Retry-After` says otherwise, waiting at most 30 seconds.
impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            default_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// How a client is built: the server, credentials of type `C` (the crate's `Credentials`) and
/// transport settings. `build()` is defined by the crate for its own `Credentials`.
#[derive(Clone)]
pub struct Builder<C> {
    pub(crate) server: Server,
    pub(crate) credentials: C,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) strict: bool,
    pub(crate) user_agent: Option<String>,
    pub(crate) http: Option<reqwest::Client>,
}

impl<C: Default> Builder<C> {
    pub(crate) fn new(server: Server) -> Builder<C> {
        Builder {
            server,
            credentials: C::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            strict: false,
            user_agent: None,
            http: None,
        }
    }
}

impl<C> Builder<C> {
    /// The credentials sent with each request (only those its operation requires).
    pub fn credentials(mut self, credentials: C) -> Builder<C> {
        self.credentials = credentials;
        self
    }

    /// The longest a whole request may take, response body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Builder<C> {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Builder<C> {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy for operations that may be retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Builder<C> {
        self.retry = policy;
        self
    }

    /// Strict mode: every response body is checked against the spec before it is decoded, and
    /// any drift (a wrong type, an unknown enum value, a missing field) is returned as
    /// [`Error::ContractViolation`]. Off by default.
    pub fn strict(mut self, strict: bool) -> Builder<C> {
        self.strict = strict;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Builder<C> {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this `reqwest` client (connection pool, proxies, TLS settings) instead of building
    /// one; the timeouts and user agent set here are then not applied.
    pub fn http_client(mut self, client: reqwest::Client) -> Builder<C> {
        self.http = Some(client);
        self
    }

    pub(crate) fn transport(self) -> Result<(Transport, C), Error> {
        let base = self.server.url().trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base).map_err(|error| Error::InvalidServer {
            reason: error.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidServer {
                reason: format!("the scheme must be http or https, not {}", parsed.scheme()),
            });
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidServer {
                reason: "a base URL has no query or fragment".to_owned(),
            });
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout);
                if let Some(user_agent) = &self.user_agent {
                    builder = builder.user_agent(user_agent);
                }
                builder.build().map_err(|source| Error::Transport {
                    operation: "",
                    source: source.without_url(),
                })?
            }
        };
        Ok((
            Transport {
                http,
                base,
                server: self.server,
                retry: self.retry,
                strict: self.strict,
            },
            self.credentials,
        ))
    }
}

/// Prints the settings; credentials print as the crate's `Credentials` do (redacted).
impl<C: fmt::Debug> fmt::Debug for Builder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("server", &self.server)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------------------------

/// The HTTP side of a client: one `reqwest` client, the base URL and the policies.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The base URL without a trailing `/`.
    base: String,
    server: Server,
    pub(crate) retry: RetryPolicy,
    pub(crate) strict: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("server", &self.server)
            .field("retry", &self.retry)
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

/// A request ready to go: validated, credentials attached, body serialized.
pub(crate) struct Prepared {
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    /// The path with its parameters substituted and encoded.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Vec<u8>>,
    /// Whether 429 and 503 may be retried.
    pub(crate) retry: bool,
    pub(crate) timeout: Option<Duration>,
}

impl Transport {
    pub(crate) fn server(&self) -> &Server {
        &self.server
    }

    /// Sends a request, retrying 429 and 503 when allowed, and reads the whole response.
    pub(crate) async fn send(&self, request: Prepared) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let transport = |source: reqwest::Error| Error::Transport {
            operation,
            source: source.without_url(),
        };
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, request.path))
            .map_err(|error| Error::InvalidServer {
                reason: error.to_string(),
            })?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut attempt = 0;
        loop {
            let mut builder = self
                .http
                .request(request.method.clone(), url.clone())
                .header(reqwest::header::ACCEPT, "application/json");
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            if let Some(body) = &request.body {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            if let Some(timeout) = request.timeout {
                builder = builder.timeout(timeout);
            }
            let response = builder.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?.to_vec();
            let raw = RawResponse {
                status,
                headers,
                body,
            };
            let retryable =
                request.retry && attempt < self.retry.max_retries && matches!(status, 429 | 503);
            if retryable
                && let Some(delay) = retry_delay(&raw.headers, &self.retry, SystemTime::now())
            {
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return Ok(raw);
        }
    }
}

/// The wait before a retry: `Retry-After` (delay-seconds or an IMF-fixdate), else the policy's
/// default; `None` when the wait is longer than the policy accepts.
pub(crate) fn retry_delay(
    headers: &HeaderMap,
    policy: &RetryPolicy,
    now: SystemTime,
) -> Option<Duration> {
    let delay = match headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
    {
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            Duration::from_secs(text.parse().unwrap_or(u64::MAX))
        }
        Some(text) => match parse_http_date(text) {
            Some(when) => when.duration_since(now).unwrap_or(Duration::ZERO),
            None => policy.default_delay,
        },
        None => policy.default_delay,
    };
    (delay <= policy.max_delay).then_some(delay)
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form `Retry-After` dates take.
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_ascii_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|name| name == month)? as u64
        + 1;
    let year: u64 = year.parse().ok()?;
    let mut clock = time.split(':').map(|part| part.parse::<u64>().ok());
    let (Some(Some(hour)), Some(Some(minute)), Some(Some(second)), None) =
        (clock.next(), clock.next(), clock.next(), clock.next())
    else {
        return None;
    };
    if !(1970..=9999).contains(&year)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days since 1970-01-01 (the civil-from-days algorithm, run backwards).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let year_of_era = y % 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Where in a request a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Path,
    Query,
    Header,
    Body,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Path => "path",
            Part::Query => "query",
            Part::Header => "header",
            Part::Body => "body",
        })
    }
}

/// One rule a request breaks. For a parameter, the instance path is `/<name>`; for the body, a
/// JSON pointer into it. Never carries the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub part: Part,
    pub error: ValidationError,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.part, self.error)
    }
}

/// A request being built by an operation's `prepare`: path, query, headers and body, and every
/// rule its parameters and body break.
#[derive(Default)]
pub(crate) struct Request {
    /// The path with its parameters substituted and encoded.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) violations: Vec<Violation>,
}

impl Request {
    /// Records a parameter violation when `broken`.
    pub(crate) fn check(
        &mut self,
        broken: bool,
        part: Part,
        name: &str,
        schema_path: &'static str,
        kind: ErrorKind,
    ) {
        if broken {
            self.violations.push(Violation {
                part,
                error: ValidationError {
                    instance_path: format!("/{}", name.replace('~', "~0").replace('/', "~1")),
                    schema_path: schema_path.into(),
                    kind,
                },
            });
        }
    }

    /// A query parameter.
    pub(crate) fn query(&mut self, name: &'static str, value: &impl ParamText) {
        self.query.push((name, value.text()));
    }

    /// An array query parameter, one `name=item` pair per item.
    pub(crate) fn query_each<T: ParamText>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.query.push((name, value.text()));
        }
    }

    /// A header parameter (`name` as the spec spells it); a value that is not a valid header
    /// value is a violation.
    pub(crate) fn header(&mut self, name: &'static str, value: &impl ParamText, sensitive: bool) {
        let lower = name.to_ascii_lowercase();
        match (
            HeaderName::try_from(lower.as_str()),
            HeaderValue::from_str(&value.text()),
        ) {
            (Ok(header), Ok(mut value)) => {
                value.set_sensitive(sensitive);
                self.headers.push((header, value));
            }
            _ => self.check(
                true,
                Part::Header,
                &lower,
                "",
                ErrorKind::Pattern {
                    pattern: "visible ASCII characters (a valid header value)",
                },
            ),
        }
    }

    /// Serializes the request body and checks it with the validator crate; every violation is
    /// added.
    pub(crate) fn json<T: Serialize>(&mut self, operation: &'static str, body: &T) -> Result<(), Error> {
        let encode = |error: serde_json::Error| Error::Encode {
            operation,
            reason: error.classify_text(),
        };
        let value = serde_json::to_value(body).map_err(encode)?;
        // Every operation with a body is known to the validator crate; nothing else to report.
        if let Err(MessageError::Invalid(errors)) =
            crate::validator::validate_request(operation, &value)
        {
            self.violations.extend(errors.into_iter().map(|error| Violation {
                part: Part::Body,
                error,
            }));
        }
        // The bytes sent are the body's own serialization (fields in declaration order, whatever
        // the `serde_json` features), so a signature computed over `serde_json::to_vec(&body)`
        // matches them.
        self.body = Some(serde_json::to_vec(body).map_err(encode)?);
        Ok(())
    }
}

/// How a parameter value is written in a path, query or header: numbers and booleans as JSON
/// writes them, arrays comma-separated (the `simple` and `form` styles).
pub(crate) trait ParamText {
    fn text(&self) -> String;
}

impl ParamText for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl ParamText for i64 {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl ParamText for f64 {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl ParamText for bool {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl<T: ParamText> ParamText for Vec<T> {
    fn text(&self) -> String {
        self.iter().map(T::text).collect::<Vec<_>>().join(",")
    }
}

/// Percent-encodes a path parameter: everything but unreserved characters (RFC 3986).
pub(crate) fn encode_path(value: &impl ParamText) -> String {
    let mut out = String::new();
    for byte in value.text().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------------

/// A security scheme of the spec: which credential it takes and where it goes.
#[derive(Clone, Copy)]
pub(crate) struct Scheme {
    credential: fn(&crate::Credentials) -> Option<&Secret>,
    /// The header name as the spec spells it, or the query parameter.
    name: &'static str,
    /// `Some(prefix)` for a header (`Bearer `), `None` for a query parameter.
    prefix: Option<&'static str>,
}

impl Scheme {
    /// A scheme sent in the header `name`, as `prefix` + the secret.
    pub(crate) const fn header(
        credential: fn(&crate::Credentials) -> Option<&Secret>,
        name: &'static str,
        prefix: &'static str,
    ) -> Scheme {
        Scheme {
            credential,
            name,
            prefix: Some(prefix),
        }
    }

    /// A scheme sent in the query parameter `name`.
    pub(crate) const fn query(
        credential: fn(&crate::Credentials) -> Option<&Secret>,
        name: &'static str,
    ) -> Scheme {
        Scheme {
            credential,
            name,
            prefix: None,
        }
    }
}

/// An operation's `security`: alternatives, each a set of schemes that must all be present,
/// and what is required, in words, for [`Error::MissingCredentials`]. No alternatives: the
/// operation needs no credentials.
#[derive(Clone, Copy)]
pub(crate) struct Security {
    alternatives: &'static [&'static [Scheme]],
    required: &'static str,
}

impl Security {
    pub(crate) const NONE: Security = Security {
        alternatives: &[],
        required: "",
    };

    pub(crate) const fn new(
        alternatives: &'static [&'static [Scheme]],
        required: &'static str,
    ) -> Security {
        Security {
            alternatives,
            required,
        }
    }

    /// Attaches the credentials of the first complete alternative.
    fn attach(
        &self,
        operation: &'static str,
        credentials: &crate::Credentials,
        request: &mut Request,
    ) -> Result<(), Error> {
        let complete = self.alternatives.iter().find(|schemes| {
            schemes
                .iter()
                .all(|scheme| (scheme.credential)(credentials).is_some())
        });
        let Some(schemes) = complete else {
            return Err(Error::MissingCredentials {
                operation,
                required: self.required,
            });
        };
        for scheme in schemes.iter() {
            let Some(secret) = (scheme.credential)(credentials) else {
                continue;
            };
            match scheme.prefix {
                Some(prefix) => {
                    let header = HeaderName::try_from(scheme.name.to_ascii_lowercase())
                        .map_err(|_| Error::InvalidCredential {
                            operation,
                            header: scheme.name,
                        })?;
                    let value = secret.header_value(prefix, operation, scheme.name)?;
                    request.headers.push((header, value));
                }
                None => request.query.push((scheme.name, secret.expose().to_owned())),
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Operations and calls
// ---------------------------------------------------------------------------------------------

/// What the crate generates per operation: its parameters (this type), how they become a
/// request, and how a response becomes its reply enum.
pub trait Operation: fmt::Debug + Send + Sized {
    /// The reply enum.
    type Reply: Send;
    /// The `operationId`.
    const ID: &'static str;
    const METHOD: reqwest::Method;
    /// `x-idempotent: true`: 429 and 503 are retried unless the call says otherwise.
    const IDEMPOTENT: bool = false;
    #[doc(hidden)]
    #[allow(private_interfaces)]
    const SECURITY: Security = Security::NONE;

    /// Fills the path, query, headers and body, recording every rule the values break.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn prepare(&self, request: &mut Request) -> Result<(), Error>;

    /// The reply for a response, by its status.
    #[doc(hidden)]
    fn decode(raw: RawResponse, strict: bool) -> Result<Self::Reply, Error>;
}

/// A call of operation `O`, made by its `Client` method: set its optional parts (the
/// operation's own builder methods, and [`Call::retry`], [`Call::credentials`],
/// [`Call::timeout`]), then `.await` it (or `.send().await`).
pub struct Call<'c, O> {
    client: &'c crate::Client,
    pub(crate) params: O,
    credentials: Option<crate::Credentials>,
    retry: Option<bool>,
    timeout: Option<Duration>,
}

impl<'c, O: Operation> Call<'c, O> {
    pub(crate) fn new(client: &'c crate::Client, params: O) -> Self {
        Call {
            client,
            params,
            credentials: None,
            retry: None,
            timeout: None,
        }
    }

    /// Allows (`true`) or forbids retrying 429 and 503 for this call. Without it, the call is
    /// retried only when the spec marks the operation idempotent (`x-idempotent: true`).
    pub fn retry(mut self, allow: bool) -> Self {
        self.retry = Some(allow);
        self
    }

    /// Credentials for this call only, instead of the client's (a token signed for this very
    /// request, another user's session).
    pub fn credentials(mut self, credentials: crate::Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A timeout for this call instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Checks the request (parameters, body, credentials) without sending it.
    pub fn validate(&self) -> Result<(), Error> {
        self.prepare().map(|_| ())
    }

    fn prepare(&self) -> Result<Prepared, Error> {
        let mut request = Request::default();
        self.params.prepare(&mut request)?;
        if !request.violations.is_empty() {
            return Err(Error::InvalidRequest {
                operation: O::ID,
                violations: request.violations,
            });
        }
        if !O::SECURITY.alternatives.is_empty() {
            match &self.credentials {
                Some(credentials) => O::SECURITY.attach(O::ID, credentials, &mut request)?,
                None => {
                    let shared = self.client.read_credentials();
                    O::SECURITY.attach(O::ID, &shared, &mut request)?
                }
            }
        }
        Ok(Prepared {
            operation: O::ID,
            method: O::METHOD,
            path: request.path,
            query: request.query,
            headers: request.headers,
            body: request.body,
            retry: self.retry.unwrap_or(O::IDEMPOTENT),
            timeout: self.timeout,
        })
    }

    /// Validates the request, sends it (nothing is sent when it is invalid) and decodes the
    /// response by its status.
    pub async fn send(self) -> Result<O::Reply, Error> {
        let prepared = self.prepare()?;
        let transport = self.client.transport();
        let raw = transport.send(prepared).await?;
        O::decode(raw, transport.strict)
    }
}

impl<'c, O: Operation + 'c> std::future::IntoFuture for Call<'c, O> {
    type Output = Result<O::Reply, Error>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Prints the call with its secrets redacted (sensitive parameters are
/// [`crate::validator::Sensitive`], credentials [`Secret`]s).
impl<O: Operation> fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::ID)
            .field("server", self.client.server())
            .field("params", &self.params)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient enumerations
// ---------------------------------------------------------------------------------------------

/// A lenient copy of a string enumeration of the models: the listed values (same variants as
/// `crate::models::$name`), plus `$catch(String)` for any value the spec does not list.
#[allow(unused_macros)]
macro_rules! lenient_enum {
    ($(#[$meta:meta])* $name:ident, $catch:ident { $($variant:ident = $json:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = $json] $variant,)*
            /// A value the spec does not list.
            $catch(String),
        }

        impl $name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $json,)*
                    Self::$catch(value) => value,
                }
            }

            /// The spec's value, or `None` for a value the spec does not list.
            pub fn known(&self) -> Option<$crate::models::$name> {
                match self {
                    $(Self::$variant => Some($crate::models::$name::$variant),)*
                    Self::$catch(_) => None,
                }
            }
        }

        impl From<$crate::models::$name> for $name {
            fn from(value: $crate::models::$name) -> Self {
                match value {
                    $($crate::models::$name::$variant => Self::$variant,)*
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    $($json => Self::$variant,)*
                    _ => Self::$catch(value),
                })
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use lenient_enum;

/// An enumeration for an integer field with an `enum` (error codes like 4400): the listed
/// values, plus `$catch(i64)` for any other.
#[allow(unused_macros)]
macro_rules! lenient_int_enum {
    ($(#[$meta:meta])* $name:ident, $catch:ident { $($variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = concat!("`", stringify!($value), "`")] $variant,)*
            /// A value the spec does not list.
            $catch(i64),
        }

        impl $name {
            /// The value as it appears in JSON.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$catch(value) => *value,
                }
            }

            /// Whether the spec lists the value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$catch(_))
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$catch(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use lenient_int_enum;

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// A response as received: status, headers and body. `Debug` shows the status, the header names
/// and the body's size; values are redacted (they may hold tokens or personal data). Read them
/// with [`RawResponse::headers`], [`RawResponse::body`] and [`RawResponse::text`].
#[derive(Clone, PartialEq, Eq)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A header's value as text.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &names)
            .field(
                "body",
                &format_args!("<{} bytes, redacted>", self.body.len()),
            )
            .finish()
    }
}

/// Decodes a documented response body. In strict mode the body is first checked against the
/// spec with the validator crate, and any violation is returned as [`Error::ContractViolation`].
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    raw: RawResponse,
    strict: bool,
) -> Result<T, Error> {
    let undecodable = |raw: RawResponse, error: serde_json::Error| Error::UndecodableBody {
        operation,
        reason: error.classify_text(),
        response: Box::new(raw),
    };
    if !strict {
        return match serde_json::from_slice(&raw.body) {
            Ok(body) => Ok(body),
            Err(error) => Err(undecodable(raw, error)),
        };
    }
    let value: Value = match serde_json::from_slice(&raw.body) {
        Ok(value) => value,
        Err(error) => return Err(undecodable(raw, error)),
    };
    match crate::validator::validate_response(operation, raw.status, &value) {
        Ok(()) => {}
        Err(MessageError::Invalid(violations)) => {
            return Err(Error::ContractViolation {
                operation,
                violations,
                response: Box::new(raw),
            });
        }
        Err(MessageError::UndocumentedStatus { .. }) => {
            return Err(Error::UndocumentedStatus {
                operation,
                response: Box::new(raw),
            });
        }
        Err(_) => {}
    }
    match serde_json::from_value(value) {
        Ok(body) => Ok(body),
        Err(error) => Err(undecodable(raw, error)),
    }
}

/// What a serde error says, without the value it quotes.
trait ClassifyText {
    fn classify_text(&self) -> String;
}

impl ClassifyText for serde_json::Error {
    fn classify_text(&self) -> String {
        let category = match self.classify() {
            serde_json::error::Category::Io => "an I/O error",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "JSON of another shape than documented",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        if self.line() == 0 {
            category.to_owned()
        } else {
            format!("{category} (line {}, column {})", self.line(), self.column())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a call did not produce a documented response. None of these prints a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks the spec (every violation is listed). Nothing was sent.
    InvalidRequest {
        operation: &'static str,
        violations: Vec<Violation>,
    },
    /// No set of credentials the operation accepts is complete. Nothing was sent.
    MissingCredentials {
        operation: &'static str,
        /// The credentials it needs, as header names (`x-secret + Authorization-key`).
        required: &'static str,
    },
    /// A credential is not a valid header value (control characters). Nothing was sent.
    InvalidCredential {
        operation: &'static str,
        header: &'static str,
    },
    /// The request body could not be serialized. Nothing was sent.
    Encode {
        operation: &'static str,
        reason: String,
    },
    /// The server's base URL is not an absolute `http` or `https` URL.
    InvalidServer { reason: String },
    /// The request could not be sent or the response not read: connection, TLS, timeout. The
    /// URL is stripped from the source error.
    Transport {
        operation: &'static str,
        source: reqwest::Error,
    },
    /// The status is not documented for the operation.
    UndocumentedStatus {
        operation: &'static str,
        response: Box<RawResponse>,
    },
    /// The body does not decode into the documented type.
    UndecodableBody {
        operation: &'static str,
        /// The kind of failure and where (line, column); never the value.
        reason: String,
        response: Box<RawResponse>,
    },
    /// Strict mode: the response breaks the spec (every violation is listed).
    ContractViolation {
        operation: &'static str,
        violations: Vec<ValidationError>,
        response: Box<RawResponse>,
    },
    /// `authenticate`: the login operation answered without a token.
    NoToken { operation: &'static str, status: u16 },
}

impl Error {
    /// The operation (`operationId`) the error belongs to; empty for client construction.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::MissingCredentials { operation, .. }
            | Error::InvalidCredential { operation, .. }
            | Error::Encode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::UndocumentedStatus { operation, .. }
            | Error::UndecodableBody { operation, .. }
            | Error::ContractViolation { operation, .. }
            | Error::NoToken { operation, .. } => operation,
            Error::InvalidServer { .. } => "",
        }
    }

    /// The response, when one was received.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Error::UndocumentedStatus { response, .. }
            | Error::UndecodableBody { response, .. }
            | Error::ContractViolation { response, .. } => Some(response.as_ref()),
            _ => None,
        }
    }

    /// The response status, when one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::NoToken { status, .. } => Some(*status),
            _ => self.response().map(RawResponse::status),
        }
    }

    /// Whether the request was sent (false for invalid requests and missing credentials).
    pub fn was_sent(&self) -> bool {
        !matches!(
            self,
            Error::InvalidRequest { .. }
                | Error::MissingCredentials { .. }
                | Error::InvalidCredential { .. }
                | Error::Encode { .. }
                | Error::InvalidServer { .. }
        )
    }

    /// Whether a timeout ended the call.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest {
                operation,
                violations,
            } => {
                write!(
                    f,
                    "{operation}: invalid request, not sent: {} violation(s)",
                    violations.len()
                )?;
                for violation in violations {
                    write!(f, "\n  {violation}")?;
                }
                Ok(())
            }
            Error::MissingCredentials {
                operation,
                required,
            } => write!(f, "{operation}: missing credentials ({required}), not sent"),
            Error::InvalidCredential { operation, header } => write!(
                f,
                "{operation}: the credential for {header} is not a valid header value, not sent"
            ),
            Error::Encode { operation, reason } => {
                write!(f, "{operation}: the body could not be serialized: {reason}")
            }
            Error::InvalidServer { reason } => write!(f, "invalid server URL: {reason}"),
            Error::Transport { operation, source } => write!(f, "{operation}: {source}"),
            Error::UndocumentedStatus {
                operation,
                response,
            } => write!(
                f,
                "{operation}: status {} is not documented",
                response.status
            ),
            Error::UndecodableBody {
                operation,
                reason,
                response,
            } => write!(
                f,
                "{operation}: the {} response body is {reason}",
                response.status
            ),
            Error::ContractViolation {
                operation,
                violations,
                response,
            } => {
                write!(
                    f,
                    "{operation}: the {} response breaks the contract: {} violation(s)",
                    response.status,
                    violations.len()
                )?;
                for violation in violations {
                    write!(f, "\n  {violation}")?;
                }
                Ok(())
            }
            Error::NoToken { operation, status } => {
                write!(f, "{operation}: answered {status} without a token")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

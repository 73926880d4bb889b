//! `--record FILE.har`: the traffic as HAR 1.2 (one entry per exchange, written when the server
//! stops). Credential header values are replaced by `<redacted>` (kept non-empty, so a recorded
//! request still shows that it carried them); nothing else is changed.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// Entries kept in memory until the file is written; a long recording keeps the first ones and
/// counts the rest, so recording cannot exhaust memory.
const MAX_ENTRIES: usize = 100_000;

/// One request and its reply, as the server saw them.
#[derive(Debug)]
pub struct Exchange<'a> {
    pub started: SystemTime,
    pub elapsed: Duration,
    pub method: &'a str,
    pub url: String,
    pub request_headers: &'a [(String, String)],
    pub request_body: &'a [u8],
    pub status: u16,
    pub content_type: &'a str,
    pub response_headers: &'a [(&'static str, String)],
    pub response_body: &'a [u8],
    /// Lower-case names whose values are credentials.
    pub secret_headers: &'a [String],
}

#[derive(Debug)]
pub struct Recorder {
    path: PathBuf,
    entries: Mutex<Vec<Value>>,
    dropped: std::sync::atomic::AtomicU64,
}

impl Recorder {
    pub fn new(path: PathBuf) -> Recorder {
        Recorder {
            path,
            entries: Mutex::new(Vec::new()),
            dropped: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub fn record(&self, exchange: Exchange<'_>) {
        let headers = |pairs: Vec<(&str, &str)>| -> Vec<Value> {
            pairs
                .into_iter()
                .map(|(name, value)| {
                    let secret = exchange
                        .secret_headers
                        .iter()
                        .any(|secret| secret.eq_ignore_ascii_case(name));
                    json!({"name": name, "value": if secret { "<redacted>" } else { value }})
                })
                .collect()
        };
        let query: Vec<Value> = exchange
            .url
            .split_once('?')
            .map(|(_, query)| query)
            .into_iter()
            .flat_map(|query| query.split('&'))
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                json!({"name": name, "value": value})
            })
            .collect();
        let request_type = exchange
            .request_headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("application/json", |(_, value)| value.as_str());
        let mut request = json!({
            "method": exchange.method,
            "url": exchange.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(exchange.request_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()),
            "queryString": query,
            "headersSize": -1,
            "bodySize": exchange.request_body.len(),
        });
        if !exchange.request_body.is_empty() {
            request["postData"] = json!({
                "mimeType": request_type,
                "text": String::from_utf8_lossy(exchange.request_body),
            });
        }
        let mut response_headers: Vec<(&str, &str)> = exchange
            .response_headers
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        if !exchange.content_type.is_empty() {
            response_headers.push(("content-type", exchange.content_type));
        }
        let millis = exchange.elapsed.as_secs_f64() * 1000.0;
        let entry = json!({
            "startedDateTime": iso8601(exchange.started),
            "time": millis,
            "request": request,
            "response": {
                "status": exchange.status,
                "statusText": hyper::StatusCode::from_u16(exchange.status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or(""),
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers(response_headers),
                "content": {
                    "size": exchange.response_body.len(),
                    "mimeType": if exchange.content_type.is_empty() { "x-unknown" } else { exchange.content_type },
                    "text": String::from_utf8_lossy(exchange.response_body),
                },
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": exchange.response_body.len(),
            },
            "cache": {},
            "timings": {"send": 0, "wait": millis, "receive": 0},
        });
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if entries.len() < MAX_ENTRIES {
            entries.push(entry);
        } else {
            self.dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Writes the HAR document (every entry so far).
    pub fn write(&self) -> std::io::Result<()> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone();
        let mut har = json!({"log": {
            "version": "1.2",
            "creator": {"name": "contract-mock", "version": env!("CARGO_PKG_VERSION")},
            "entries": entries,
        }});
        let dropped = self.dropped.load(std::sync::atomic::Ordering::Relaxed);
        if dropped > 0 {
            har["log"]["comment"] = json!(format!(
                "{dropped} later exchanges were not recorded (limit {MAX_ENTRIES})"
            ));
        }
        let text = serde_json::to_string_pretty(&har).map_err(std::io::Error::other)?;
        std::fs::write(&self.path, text)
    }
}

/// `2026-12-02T06:41:00.123Z` (UTC), from the days-since-epoch civil calendar algorithm.
fn iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_8601_utc() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_millis(951_782_400_250); // 2000-02-29
        assert_eq!(iso8601(leap), "2000-02-29T00:00:00.250Z");
    }
}

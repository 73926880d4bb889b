//! The messages a user checks: a request (path, headers, body) or a response (status, body).

use serde_json::Value;

use crate::error::ContractError;

/// An HTTP request as recorded: method, concrete path, headers and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// A concrete path, with its query string if any (`/cards/activate/123?x=1`), or a full URL.
    pub path: String,
    /// `None` when no headers were recorded: then headers and credentials are not checked.
    pub headers: Option<Vec<(String, String)>>,
    pub body: Option<Value>,
    /// `false` to check only the path and headers (a recorded header set without its body).
    pub check_body: bool,
}

impl Request {
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Request {
        Request {
            method: method.into().to_ascii_uppercase(),
            path: path.into(),
            headers: None,
            body: None,
            check_body: true,
        }
    }

    pub fn with_body(mut self, body: Value) -> Request {
        self.body = Some(body);
        self
    }

    /// Adds a header; the first call switches header checking on.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Request {
        self.headers
            .get_or_insert_with(Vec::new)
            .push((name.into(), value.into()));
        self
    }

    /// Checks headers (an empty set still counts as "recorded") but not the body.
    pub fn headers_only(mut self, headers: Vec<(String, String)>) -> Request {
        self.headers = Some(headers);
        self.check_body = false;
        self
    }
}

/// An HTTP response as recorded, for the operation that `method` and `path` route to.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub method: String,
    pub path: String,
    /// A status code (`409`), or a spec response key given directly (`4XX`, `default`).
    pub status: String,
    pub body: Option<Value>,
}

impl Response {
    pub fn new(
        method: impl Into<String>,
        path: impl Into<String>,
        status: impl Into<String>,
    ) -> Response {
        Response {
            method: method.into().to_ascii_uppercase(),
            path: path.into(),
            status: status.into(),
            body: None,
        }
    }

    pub fn with_body(mut self, body: Value) -> Response {
        self.body = Some(body);
        self
    }
}

/// Parses `Name: value` as given to `--header`.
pub fn parse_header(text: &str) -> Result<(String, String), ContractError> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| ContractError::InvalidHeader {
            header: text.to_owned(),
        })?;
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    if !valid_name {
        return Err(ContractError::InvalidHeader {
            header: text.to_owned(),
        });
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Checks a status argument: a code (100-599), a range (`4XX`) or `default`.
pub fn check_status(status: &str) -> Result<(), ContractError> {
    let bytes = status.as_bytes();
    let code = bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]);
    let valid = status == "default"
        || (code && bytes[1..].iter().all(u8::is_ascii_digit))
        || (code && bytes[1..].eq_ignore_ascii_case(b"XX"));
    if valid {
        Ok(())
    } else {
        Err(ContractError::InvalidStatus {
            status: status.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_and_refuse_garbage() {
        assert_eq!(
            parse_header("x-secret:  abc: d ").unwrap(),
            ("x-secret".to_owned(), "abc: d".to_owned())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header(": value").is_err());
        assert!(parse_header("bad name: v").is_err());
    }

    #[test]
    fn statuses() {
        for good in ["200", "409", "4XX", "5xx", "default"] {
            assert!(check_status(good).is_ok(), "{good}");
        }
        for bad in ["20", "600", "4X", "abc", "DEFAULT", "099"] {
            assert!(check_status(bad).is_err(), "{bad}");
        }
    }
}

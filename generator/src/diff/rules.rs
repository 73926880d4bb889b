//! The diff checks as data: one entry per rule, with its stable kebab-case id (oasdiff's where it
//! has one), its level, and what a partner must do about it (the changelog prints that). Nothing
//! here compares specs; `walk` decides when a rule fires and names it by id.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// How a change affects clients of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Breaking,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "info" => Some(Level::Info),
            "warning" | "warn" => Some(Level::Warning),
            "breaking" | "error" => Some(Level::Breaking),
            _ => None,
        }
    }
}

/// One check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    /// Whether the change adds something (an addition is a semver-minor change).
    pub addition: bool,
    /// What a partner must do, in one sentence.
    pub action: &'static str,
}

use Level::{Breaking as B, Info as I, Warning as W};

const fn r(id: &'static str, level: Level, addition: bool, action: &'static str) -> Rule {
    Rule {
        id,
        level,
        addition,
        action,
    }
}

const NONE: &str = "Nothing to do.";
const SEND: &str = "Update the requests you send to meet the new constraint.";
const READ: &str = "Make your response handling accept the wider set of values.";

/// Every rule. Schema rules exist once per place (`request-parameter`, `request-body`,
/// `request-property`, `response-body`, `response-property`, `response-header`): the level
/// depends on the side, because a tightened request breaks senders and a widened response breaks
/// readers.
pub static RULES: &[Rule] = &[
    // Paths and operations.
    r(
        "api-path-removed-without-deprecation",
        B,
        false,
        "Stop calling every operation of this path; it is gone without prior deprecation.",
    ),
    r(
        "api-path-removed-with-deprecation",
        I,
        false,
        "Stop calling this deprecated path; it has been removed.",
    ),
    r(
        "api-removed-without-deprecation",
        B,
        false,
        "Stop calling this operation; it is gone without prior deprecation.",
    ),
    r(
        "api-removed-with-deprecation",
        I,
        false,
        "Stop calling this deprecated operation; it has been removed.",
    ),
    r(
        "endpoint-added",
        I,
        true,
        "Optional: a new operation is available.",
    ),
    r(
        "api-deprecated",
        W,
        false,
        "Plan to move off this operation; it is deprecated.",
    ),
    r("api-reactivated", I, false, NONE),
    r(
        "api-operation-id-changed",
        B,
        false,
        "Rename calls to the generated client method; its operationId changed.",
    ),
    // Parameters.
    r(
        "new-required-request-parameter",
        B,
        false,
        "Send the new required parameter on every call.",
    ),
    r(
        "new-optional-request-parameter",
        I,
        true,
        "Optional: a new parameter is accepted.",
    ),
    r(
        "request-parameter-removed",
        W,
        false,
        "Stop sending this parameter; it is no longer read.",
    ),
    r(
        "request-parameter-moved",
        B,
        false,
        "Send the parameter in its new location.",
    ),
    r(
        "request-parameter-became-required",
        B,
        false,
        "Send this parameter on every call.",
    ),
    r("request-parameter-became-optional", I, false, NONE),
    r(
        "request-parameter-deprecated",
        W,
        false,
        "Plan to stop sending this deprecated parameter.",
    ),
    // Request bodies.
    r(
        "request-body-added-required",
        B,
        false,
        "Send a request body on every call.",
    ),
    r(
        "request-body-added-optional",
        I,
        true,
        "Optional: a request body is accepted.",
    ),
    r(
        "request-body-removed",
        W,
        false,
        "Stop sending a request body.",
    ),
    r(
        "request-body-became-required",
        B,
        false,
        "Send a request body on every call.",
    ),
    r("request-body-became-optional", I, false, NONE),
    r(
        "request-body-media-type-added",
        I,
        true,
        "Optional: a new request media type is accepted.",
    ),
    r(
        "request-body-media-type-removed",
        B,
        false,
        "Send the body in one of the remaining media types.",
    ),
    // Responses.
    r(
        "response-success-status-removed",
        B,
        false,
        "Stop relying on this success status.",
    ),
    r("response-non-success-status-removed", I, false, NONE),
    r(
        "response-success-status-added",
        W,
        true,
        "Handle the new success status.",
    ),
    r(
        "response-non-success-status-added",
        W,
        true,
        "Handle the new error status.",
    ),
    r(
        "response-media-type-removed",
        B,
        false,
        "Accept one of the remaining response media types.",
    ),
    r(
        "response-media-type-added",
        I,
        true,
        "Optional: a new response media type may be returned.",
    ),
    // Security.
    r(
        "api-security-added",
        B,
        false,
        "Authenticate calls to this operation.",
    ),
    r("api-security-removed", I, false, NONE),
    r(
        "api-security-alternative-added",
        I,
        true,
        "Optional: a new way to authenticate is accepted.",
    ),
    r(
        "api-security-alternative-removed",
        B,
        false,
        "Authenticate with one of the remaining security requirements.",
    ),
    r(
        "api-security-scope-added",
        B,
        false,
        "Request the new scope in your tokens.",
    ),
    r("api-security-scope-removed", I, false, NONE),
    r("security-scheme-added", I, true, NONE),
    r("security-scheme-removed", I, false, NONE),
    r(
        "security-scheme-changed",
        B,
        false,
        "Send credentials the way the changed security scheme describes.",
    ),
    // Properties (request side).
    r(
        "new-required-request-property",
        B,
        false,
        "Send the new required property.",
    ),
    r(
        "new-optional-request-property",
        I,
        true,
        "Optional: a new property is accepted.",
    ),
    r(
        "request-property-removed",
        W,
        false,
        "Stop sending this property.",
    ),
    r(
        "request-property-became-required",
        B,
        false,
        "Always send this property.",
    ),
    r("request-property-became-optional", I, false, NONE),
    r(
        "request-property-became-read-only",
        W,
        false,
        "Stop sending this property; the server ignores it now.",
    ),
    r("request-property-became-not-read-only", I, false, NONE),
    r("request-property-became-write-only", I, false, NONE),
    r("request-property-became-not-write-only", I, false, NONE),
    // Properties (response side).
    r(
        "response-property-removed",
        B,
        false,
        "Stop reading this property; it is no longer returned.",
    ),
    r(
        "response-property-added",
        I,
        true,
        "Optional: a new property is returned.",
    ),
    r(
        "response-property-added-to-closed-object",
        W,
        true,
        "Accept the new property; the old schema forbade extra properties, so strict decoders reject it.",
    ),
    r(
        "response-property-became-optional",
        B,
        false,
        "Handle this property being absent.",
    ),
    r("response-property-became-required", I, false, NONE),
    r(
        "response-property-became-write-only",
        B,
        false,
        "Stop reading this property; it is no longer returned.",
    ),
    r("response-property-became-not-write-only", I, false, NONE),
    r("response-property-became-read-only", I, false, NONE),
    r("response-property-became-not-read-only", I, false, NONE),
];

/// Schema constraint rules, per place: (suffix, level on the request side, level on the response
/// side, action on the request side, action on the response side).
pub static SCHEMA_RULES: &[(&str, Level, Level, &str, &str)] = &[
    ("type-changed", B, B, SEND, READ),
    ("pattern-added", W, I, SEND, NONE),
    ("pattern-changed", W, W, SEND, READ),
    ("pattern-removed", I, W, NONE, READ),
    ("max-length-decreased", B, I, SEND, NONE),
    ("max-length-increased", I, B, NONE, READ),
    ("min-length-increased", B, I, SEND, NONE),
    ("min-length-decreased", I, B, NONE, READ),
    ("max-decreased", B, I, SEND, NONE),
    ("max-increased", I, B, NONE, READ),
    ("min-increased", B, I, SEND, NONE),
    ("min-decreased", I, B, NONE, READ),
    ("exclusive-max-set", B, I, SEND, NONE),
    ("exclusive-max-unset", I, B, NONE, READ),
    ("exclusive-min-set", B, I, SEND, NONE),
    ("exclusive-min-unset", I, B, NONE, READ),
    ("max-items-decreased", B, I, SEND, NONE),
    ("max-items-increased", I, B, NONE, READ),
    ("min-items-increased", B, I, SEND, NONE),
    ("min-items-decreased", I, B, NONE, READ),
    ("enum-value-added", I, W, NONE, READ),
    ("enum-value-removed", B, I, SEND, NONE),
    ("enum-set", B, I, SEND, NONE),
    ("enum-unset", I, W, NONE, READ),
    ("became-nullable", I, B, NONE, "Handle null for this value."),
    (
        "became-not-nullable",
        B,
        I,
        "Stop sending null for this value.",
        NONE,
    ),
    (
        "additional-properties-disallowed",
        B,
        I,
        "Send only the documented properties.",
        NONE,
    ),
    ("additional-properties-allowed", I, W, NONE, READ),
    ("one-of-added", I, W, NONE, READ),
    ("one-of-removed", B, I, SEND, NONE),
    ("any-of-added", I, W, NONE, READ),
    ("any-of-removed", B, I, SEND, NONE),
];

/// The places a schema rule applies to, and which side each is on.
pub static PLACES: &[(&str, bool)] = &[
    ("request-parameter", true),
    ("request-body", true),
    ("request-property", true),
    ("response-body", false),
    ("response-property", false),
    ("response-header", false),
];

/// Looks a rule up by id (the fixed rules, then `<place>-<schema suffix>`).
pub fn rule(id: &str) -> Option<Rule> {
    table().get(id).copied()
}

/// Every id a check can produce, fixed rules first.
pub fn all_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = RULES.iter().map(|rule| rule.id).collect();
    ids.extend(schema_rules().into_iter().map(|rule| rule.id));
    ids
}

fn table() -> &'static HashMap<&'static str, Rule> {
    static TABLE: OnceLock<HashMap<&'static str, Rule>> = OnceLock::new();
    TABLE.get_or_init(|| {
        RULES
            .iter()
            .copied()
            .chain(schema_rules())
            .map(|rule| (rule.id, rule))
            .collect()
    })
}

/// The place × suffix rules. Their ids are built once and kept for the life of the process
/// (a fixed, small set), so every rule id is a `&'static str`.
fn schema_rules() -> Vec<Rule> {
    static BUILT: OnceLock<Vec<Rule>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let mut rules = Vec::new();
            for (place, request) in PLACES {
                for (suffix, req, resp, req_action, resp_action) in SCHEMA_RULES {
                    let (level, action) = if *request {
                        (*req, *req_action)
                    } else {
                        (*resp, *resp_action)
                    };
                    let addition = suffix.ends_with("-added") && !request;
                    rules.push(Rule {
                        id: Box::leak(format!("{place}-{suffix}").into_boxed_str()),
                        level,
                        addition,
                        action,
                    });
                }
            }
            rules
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_resolvable() {
        let ids = all_ids();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        for id in ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert_eq!(rule(id).map(|rule| rule.id), Some(id));
        }
        assert_eq!(
            rule("request-property-max-length-decreased").unwrap().level,
            Level::Breaking
        );
        assert_eq!(
            rule("response-property-max-length-decreased")
                .unwrap()
                .level,
            Level::Info
        );
        assert!(rule("no-such-rule").is_none());
    }
}

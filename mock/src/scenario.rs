//! Scenario files (`specs/mock/<provider>.yaml`): the data that says which stored card state gives
//! which documented response, which documented error a failing request gets, and the seed cards.
//! Nothing here knows a provider: every provider-specific fact is in the file, and every
//! response it names is checked against the spec when the server starts.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One provider's scenario file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scenario {
    /// The cards the store holds after start and after `/__mock/reset`.
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Per `operationId`: how the mock answers it.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationScenario>,
}

/// A card in the store.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    /// A free word (`new`, `active`, `blocked`, `destroyed`, ...), matched by the lifecycle.
    pub state: String,
    /// The activation code the card expects, if its provider checks one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OperationScenario {
    /// The documented answer to missing credentials.
    pub credentials: Option<Outcome>,
    /// The documented answer to a request that breaks its contract.
    pub invalid: Option<InvalidOutcome>,
    /// A card lifecycle transition this operation performs.
    pub lifecycle: Option<Lifecycle>,
}

/// A documented response: its status, the spec's response key (default: the status, then its
/// `NXX` range, then `default`), a named example, and pointer → value edits of the body (`$card`
/// stands for the card id).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub status: u16,
    pub response: Option<String>,
    pub example: Option<String>,
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
}

/// The answer to an invalid request: an outcome, refined by the first violation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidOutcome {
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Tried in order against the first violation; the first case that matches picks the example.
    #[serde(default)]
    pub cases: Vec<InvalidCase>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidCase {
    /// The failed keyword (`required`, `pattern`, `maxLength`, ...); any when absent.
    pub rule: Option<String>,
    /// The violation's pointer (`/activationCode`); any when absent.
    pub pointer: Option<String>,
    pub example: String,
}

/// Where a request carries a value: a path parameter by name, or a body member by pointer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase", tag = "in")]
pub enum Source {
    Path { name: String },
    Body { pointer: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Lifecycle {
    /// Where the card id is.
    pub card: Source,
    /// Where the activation code is, if the provider checks one.
    pub code: Option<Source>,
    /// The state the transition starts from, and the state it leaves the card in.
    pub from: String,
    pub to: String,
    pub success: Outcome,
    /// No card with that id.
    pub unknown: Outcome,
    /// The code does not match the card's (only checked in the `from` state).
    pub wrong_code: Option<Outcome>,
    /// Per other state: the documented refusal. A state not listed gets `unknown`.
    #[serde(default)]
    pub states: BTreeMap<String, Outcome>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
}

impl Scenario {
    /// Reads a scenario file; a missing file is an empty scenario (the spec's defaults apply).
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Scenario::default());
            }
            Err(error) => {
                return Err(ScenarioError::Read {
                    path: path.display().to_string(),
                    message: error.to_string(),
                });
            }
        };
        serde_yaml::from_str(&text).map_err(|error| ScenarioError::Read {
            path: path.display().to_string(),
            message: error.to_string(),
        })
    }
}

/// Reads a seed file: `{provider: [cards]}`, replacing the scenario's cards of each named provider.
pub fn load_seeds(path: &Path) -> Result<BTreeMap<String, Vec<Card>>, ScenarioError> {
    let read = |message: String| ScenarioError::Read {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|error| read(error.to_string()))?;
    serde_yaml::from_str(&text).map_err(|error| read(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_an_error_with_its_name() {
        let error = serde_yaml::from_str::<Scenario>("cards: []\nsurprise: 1\n").unwrap_err();
        assert!(error.to_string().contains("surprise"), "{error}");
    }

    #[test]
    fn a_lifecycle_reads_with_sources_and_outcomes() {
        let scenario: Scenario = serde_yaml::from_str(
            "cards: [{id: '1', state: new, code: '12'}]\noperations:\n  act:\n    lifecycle:\n      \
             card: {in: path, name: id}\n      code: {in: body, pointer: /code}\n      from: new\n      \
             to: active\n      success: {status: 200, set: {/id: $card}}\n      unknown: {status: 404}\n      \
             states: {active: {status: 409, example: again}}\n",
        )
        .unwrap();
        let lifecycle = scenario.operations["act"].lifecycle.as_ref().unwrap();
        assert!(matches!(&lifecycle.card, Source::Path { name } if name == "id"));
        assert_eq!(lifecycle.states["active"].status, 409);
        assert_eq!(scenario.cards[0].code.as_deref(), Some("12"));
    }
}

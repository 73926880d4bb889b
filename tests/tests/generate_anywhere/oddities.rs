//! The `oddities-validator` crate generated from `tests/fixtures/specs/oddities.yaml`: names that
//! clash once turned into Rust, types that contain themselves and schemas that apply themselves
//! to the same value still give a crate that compiles, checks what it can, and never loops.
//! Copied into a harness crate and run by `tests/tests/generate_anywhere.rs`.

use oddities_validator::models::{
    Code, Dictionary, Either, Nested, Option2, Pet, Pet2, Pet2Kind, Result2, Rose, String2,
};
use oddities_validator::{self as odd, MessageError, schemas};
use serde_json::{Value, json};

fn round_trip<T>(value: &Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let model: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{value} does not decode: {error}"));
    assert_eq!(&serde_json::to_value(&model).unwrap(), value);
    model
}

#[test]
fn clashing_names_stay_apart() {
    // `Pet` and `pet`: two types, two schema functions.
    assert!(schemas::is_valid_pet(&json!({"name": "x"})));
    assert!(
        !schemas::is_valid_pet2(&json!({"name": "x"})),
        "`pet` requires Name and an integer name"
    );
    assert!(odd::is_valid("pet", &json!({"Name": "x", "name": 1})));
    let lower: Pet2 = round_trip(&json!({"Name": "x", "name": 1, "": "empty", "1st": "a",
        "self": "s", "type": "t", "additional_properties": "p", "kind": "A", "other": true}));
    assert_eq!((lower.name.as_str(), lower.name2), ("x", 1));
    assert_eq!(lower.field.as_deref(), Some("empty"));
    assert_eq!(lower.additional_properties2.as_deref(), Some("p"));
    assert_eq!(lower.additional_properties["other"], true);
    assert_eq!(lower.kind, Some(Pet2Kind::A2));
    let _: Pet = round_trip(&json!({"name": "x"}));
    // Schemas named like prelude types do not shadow them.
    let _: Result2 = round_trip(&json!({"ok": true}));
    assert_eq!(round_trip::<Option2>(&json!("none")), Option2::None);
    assert!(String2::new("a").is_err());
    // Operation ids that are one Rust name: `get-things`, `getThings`, `get_things`.
    assert!(odd::is_valid_request(
        "getThings",
        &json!([1, {"inner": 2}])
    ));
    assert!(!odd::is_valid_request("getThings", &json!(["x"])));
    assert!(odd::is_valid_request(
        "get_things",
        &json!({"Name": "x", "name": 1})
    ));
    assert!(!odd::is_valid_request("get_things", &json!({"Name": "x"})));
    assert!(matches!(
        odd::validate_request("get-things", &json!({})),
        Err(MessageError::NoRequestBody { .. })
    ));
}

#[test]
fn types_that_contain_themselves() {
    let rose: Rose = round_trip(&json!([[], [[], [[]]]]));
    assert_eq!(rose.0.len(), 2);
    assert!(odd::is_valid("Rose", &json!([[], [[]]])));
    assert!(!odd::is_valid("Rose", &json!([[1]])));
    let dictionary: Dictionary = round_trip(&json!({"a": {"b": {}}, "c": {}}));
    assert_eq!(dictionary.0["a"].0.len(), 1);
    assert!(!odd::is_valid("Dictionary", &json!({"a": {"b": 1}})));
    let nested: Nested = round_trip(&json!({"inner": {"inner": 3}}));
    assert!(matches!(nested, Nested::NestedVariant1(_)));
    assert!(odd::is_valid("Nested", &json!({"inner": {"inner": 3}})));
    assert!(!odd::is_valid("Nested", &json!({"inner": {"inner": "x"}})));
    assert!(matches!(
        round_trip::<Either>(&json!("e")),
        Either::String(_)
    ));
}

#[test]
fn schemas_that_apply_themselves_never_loop() {
    // The loops are cut (and reported): such schemas accept any value instead of never ending.
    for schema in ["Loop", "PingA", "PingB", "Either"] {
        for value in [json!(null), json!(1), json!("x"), json!({"depth": 2})] {
            assert!(odd::is_valid(schema, &value), "{schema}: {value}");
            assert_eq!(odd::validate(schema, &value), Ok(()), "{schema}: {value}");
        }
    }
    // What is around a cut loop is still checked.
    assert!(odd::is_valid("SelfMerge", &json!({"depth": 2})));
    assert!(!odd::is_valid("SelfMerge", &json!({"depth": "deep"})));
    assert!(!odd::is_valid("SelfMerge", &json!(1)));
}

#[test]
fn composition_of_scalars_and_contradictions() {
    assert_eq!(Code::new("ABCD").unwrap().as_str(), "ABCD");
    assert!(Code::new("ABCDE").is_err());
    assert!(Code::new("abc").is_err());
    assert!(serde_json::from_value::<Code>(json!("AB1")).is_err());
    for value in [json!("a"), json!(1), json!(null)] {
        assert!(!odd::is_valid("Contradiction", &value));
    }
    // An object merged with a oneOf: the oneOf still decides validity.
    assert!(odd::is_valid("Mixed", &json!({"name": "x"})));
    assert!(odd::is_valid("Mixed", &json!({"tag": "y"})));
    assert!(!odd::is_valid("Mixed", &json!({"name": "x", "tag": "y"})));
    assert!(!odd::is_valid("Mixed", &json!({})));
}

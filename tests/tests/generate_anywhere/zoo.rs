//! The `zoo-validator` crate generated from `tests/fixtures/specs/zoo.yaml`, used as a
//! dependency from outside the repository: messages validate or fail as the spec says, models
//! decode and encode back, recursive types work. Copied into a harness crate and run by
//! `tests/tests/generate_anywhere.rs`.

use serde_json::{Value, json};
use zoo_validator::models::{
    AnyPet, Category, Company, Inventory, LedgerEntry, Matrix, MoneyCurrency, Payment,
    PaymentMethod, PetName, PetStatus, Reference, RefundMatch, UpdatePetWithFormRequest, User,
};
use zoo_validator::{self as zoo, ErrorKind, MessageError};

/// The violations of a message as (instance path, keyword), or a panic if it is valid.
fn violations(result: Result<(), MessageError>) -> Vec<(String, &'static str)> {
    match result {
        Err(MessageError::Invalid(errors)) => errors
            .iter()
            .map(|e| (e.instance_path.clone(), e.kind.keyword()))
            .collect(),
        Ok(()) => panic!("expected violations, the message is valid"),
        Err(other) => panic!("expected violations, got {other}"),
    }
}

/// Asserts a request body is valid, through both entry points.
fn request_ok(operation: &str, body: &Value) {
    assert_eq!(
        zoo::validate_request(operation, body),
        Ok(()),
        "{operation}: {body}"
    );
    assert!(
        zoo::is_valid_request(operation, body),
        "{operation}: {body}"
    );
}

/// Asserts a request body is invalid, through both entry points; returns the violations.
fn request_bad(operation: &str, body: &Value) -> Vec<(String, &'static str)> {
    assert!(
        !zoo::is_valid_request(operation, body),
        "{operation}: {body}"
    );
    violations(zoo::validate_request(operation, body))
}

fn response_ok(operation: &str, status: u16, body: &Value) {
    assert_eq!(
        zoo::validate_response(operation, status, body),
        Ok(()),
        "{operation} {status}: {body}"
    );
    assert!(zoo::is_valid_response(operation, status, body));
}

fn response_bad(operation: &str, status: u16, body: &Value) -> Vec<(String, &'static str)> {
    assert!(
        !zoo::is_valid_response(operation, status, body),
        "{operation} {status}: {body}"
    );
    violations(zoo::validate_response(operation, status, body))
}

/// Decodes into the model, encodes back, and checks nothing was lost.
fn round_trip<T>(value: &Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let model: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{value} does not decode: {error}"));
    assert_eq!(
        &serde_json::to_value(&model).unwrap(),
        value,
        "the round trip changed it"
    );
    model
}

#[test]
fn all_of_merges_branches_and_one_of_picks_exactly_one() {
    // Requests: `id` and `createdAt` are readOnly (from `Entity`), so a new dog has none.
    let dog = json!({"petType": "dog", "name": "Rex", "packSize": 3, "tags": ["good"]});
    request_ok("createPet", &dog);
    let cat = json!({"petType": "cat", "name": "Tom", "huntingSkill": "lazy", "indoor": true});
    request_ok("createPet", &cat);
    request_ok(
        "createPet",
        &json!({"petType": "lizard", "name": "Liz", "lovesRocks": true}),
    );
    // A dog without `packSize` (required by the Dog branch) fits no variant.
    assert_eq!(
        request_bad("createPet", &json!({"petType": "dog", "name": "Rex"})),
        [(String::new(), "oneOf")]
    );
    // readOnly properties must not be sent (a Lizard has no `id`: there it is just unknown).
    assert_eq!(
        request_bad(
            "createPet",
            &json!({"petType": "dog", "name": "Rex", "packSize": 1, "id": 7})
        ),
        [(String::new(), "oneOf")]
    );
    request_ok(
        "createPet",
        &json!({"petType": "lizard", "name": "Liz", "id": 7}),
    );
    assert!(!zoo::is_valid_request(
        "createPet",
        &json!({"petType": "snake", "name": "Kaa"})
    ));
    assert!(!zoo::is_valid_request(
        "createPet",
        &json!({"petType": "cat", "name": ""})
    ));
    // Responses carry the readOnly `id`, required there by `Entity`.
    response_ok(
        "getPet",
        200,
        &json!({"id": 1, "petType": "dog", "name": "Rex", "packSize": 0}),
    );
    assert!(!zoo::is_valid_response("getPet", 200, &dog));
    // One component checked directly: the Dog branch's `packSize` minimum.
    let errors = match zoo::validate(
        "Dog",
        &json!({"id": 1, "petType": "dog", "name": "Rex", "packSize": -1}),
    ) {
        Err(MessageError::Invalid(errors)) => errors,
        other => panic!("{other:?}"),
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].instance_path, "/packSize");
    assert!(matches!(errors[0].kind, ErrorKind::Minimum { .. }));
    assert!(
        errors[0].schema_path.ends_with("/minimum"),
        "{}",
        errors[0].schema_path
    );
}

#[test]
fn unions_decode_to_the_variant_that_fits() {
    let dog = json!({"id": 1, "petType": "dog", "name": "Rex", "packSize": 2, "owner": null});
    match round_trip::<AnyPet>(&dog) {
        AnyPet::Dog(dog) => {
            assert_eq!(dog.name.as_str(), "Rex");
            assert_eq!(dog.pack_size, 2);
            assert_eq!(dog.owner, Some(None), "null is kept apart from absent");
        }
        other => panic!("decoded as {other:?}"),
    }
    // The model decodes `owner: null`, but `nullable` beside `allOf` does not make the
    // referenced Person accept null (OpenAPI 3.0.3; reported by the generator).
    assert!(!zoo::is_valid("Dog", &dog));
    let mut owned = dog.clone();
    owned["owner"] = json!({"name": "Ann"});
    assert!(zoo::is_valid("Dog", &owned));
    // `packSize` would fit a Dog too, but `petType` is pinned per variant.
    let cat =
        json!({"id": 2, "petType": "cat", "name": "Tom", "packSize": 1, "owner": {"name": "Ann"}});
    match round_trip::<AnyPet>(&cat) {
        AnyPet::Cat(cat) => {
            assert_eq!(
                cat.additional_properties["packSize"], 1,
                "unknown properties are kept"
            );
            assert_eq!(
                cat.owner
                    .as_ref()
                    .and_then(|o| o.as_ref())
                    .map(|o| o.name.as_str()),
                Some("Ann")
            );
        }
        other => panic!("decoded as {other:?}"),
    }
    let lizard = json!({"petType": "lizard", "name": "Liz"});
    assert!(matches!(round_trip::<AnyPet>(&lizard), AnyPet::Lizard(_)));
    // A constrained string is checked when decoded.
    assert!(serde_json::from_value::<AnyPet>(json!({"petType": "lizard", "name": ""})).is_err());
    assert!(PetName::new("").is_err());
    assert_eq!(PetName::new("Rex").unwrap().as_str(), "Rex");

    let card = json!({"type": "card", "number": "4111111111111111", "expiry": "12/30"});
    assert!(matches!(
        round_trip::<PaymentMethod>(&card),
        PaymentMethod::Card(_)
    ));
    let wallet = json!({"type": "wallet", "provider": "applepay"});
    assert!(matches!(
        round_trip::<PaymentMethod>(&wallet),
        PaymentMethod::Wallet(_)
    ));
    // anyOf of an integer and a string, and of that or a list of it.
    assert!(matches!(
        round_trip::<Reference>(&json!(12)),
        Reference::I64(12)
    ));
    assert!(matches!(
        round_trip::<Reference>(&json!("ORD-1")),
        Reference::ReferenceVariant1(_)
    ));
    assert!(
        matches!(round_trip::<RefundMatch>(&json!([1, "abc"])), RefundMatch::VecReference(list) if list.len() == 2)
    );
}

#[test]
fn payments_follow_composition_maps_and_nested_arrays() {
    let payment = json!({
        "amount": {"amount": 1250, "currency": "EUR"},
        "method": {"type": "card", "number": "4111111111111111", "expiry": "01/29"},
        "reference": "INV-2024-1",
        "metadata": {"order": "A-17", "channel": "web"},
        "splits": [[1, 1000], [2, 250]]
    });
    request_ok("createPayment", &payment);
    let mut bad = payment.clone();
    bad["amount"]["currency"] = json!("eur");
    bad["amount"]["cents"] = json!(5);
    bad["method"] = json!({"type": "card", "iban": "DE89370400440532013000"});
    bad["metadata"]["note"] = json!("x".repeat(501));
    bad["splits"] = json!([[1, 2, 3]]);
    bad["reference"] = json!("AB");
    let mut found = request_bad("createPayment", &bad);
    found.sort();
    assert_eq!(
        found,
        [
            ("/amount".to_owned(), "additionalProperties"),
            ("/amount/currency".to_owned(), "pattern"),
            ("/metadata/note".to_owned(), "maxLength"),
            ("/method".to_owned(), "oneOf"),
            ("/reference".to_owned(), "anyOf"),
            ("/splits/0".to_owned(), "maxItems"),
        ]
    );
    // The response merges Entity, PaymentRequest and its own branch; `number` is writeOnly.
    let mut response = payment.clone();
    response["id"] = json!(99);
    response["status"] = json!("succeeded");
    response["failureCode"] = json!(null);
    response["method"] = json!({"type": "card", "last4": "1111", "expiry": "01/29"});
    response_ok("createPayment", 201, &response);
    let decoded: Payment = round_trip(&response);
    assert_eq!(decoded.id, 99);
    assert_eq!(decoded.failure_code, Some(None));
    assert_eq!(decoded.splits, Some(vec![vec![1, 1000], vec![2, 250]]));
    assert!(matches!(decoded.method, PaymentMethod::Card(ref card) if card.number.is_none()));
    let mut leaked = response.clone();
    leaked["method"]["number"] = json!("4111111111111111");
    assert_eq!(
        response_bad("createPayment", 201, &leaked),
        [("/method".to_owned(), "oneOf")]
    );
    assert!(MoneyCurrency::new("usd").is_err());
    // 400 routes to the Problem response (`application/problem+json`).
    response_ok(
        "createPayment",
        400,
        &json!({"title": "Bad", "status": 400, "errors": {"amount": ["too small"]}}),
    );
    assert_eq!(
        response_bad(
            "createPayment",
            400,
            &json!({"title": "Bad", "status": 400, "errors": {"amount": "too small"}})
        ),
        [("/errors/amount".to_owned(), "type")]
    );
    assert_eq!(
        zoo::validate_response("createPayment", 500, &json!({})),
        Err(MessageError::UndocumentedStatus {
            operation: "createPayment".to_owned(),
            status: 500
        })
    );
}

#[test]
fn read_only_and_write_only_apply_by_direction() {
    let user =
        json!({"username": "ann_1", "password": "correct horse", "preferences": {"theme": "dark"}});
    request_ok("createUser", &user);
    assert_eq!(
        request_bad(
            "createUser",
            &json!({"username": "ann_1", "password": "short"})
        ),
        [("/password".to_owned(), "minLength")]
    );
    assert_eq!(
        request_bad(
            "createUser",
            &json!({"username": "ann_1", "password": "correct horse", "id": "5f0c8f1e-8d3b-4c51-9c1a-2f4a3d6b7e80"})
        ),
        [("/id".to_owned(), "not")]
    );
    let stored = json!({"id": "5f0c8f1e-8d3b-4c51-9c1a-2f4a3d6b7e80", "username": "ann_1", "pets": {"rex": {"petType": "lizard", "name": "Rex"}}});
    response_ok("createUser", 201, &stored);
    let mut leaked = stored.clone();
    leaked["password"] = json!("correct horse");
    assert_eq!(
        response_bad("createUser", 201, &leaked),
        [("/password".to_owned(), "not")]
    );
    // The model carries both directions' properties: a writeOnly one keeps its type.
    let model: User = round_trip(&user);
    assert_eq!(
        model.password.as_ref().map(|p| p.as_str()),
        Some("correct horse")
    );
    assert!(
        serde_json::from_value::<User>(json!({"username": "ann_1", "password": "short"})).is_err()
    );
    let model: User = round_trip(&stored);
    assert!(matches!(
        model.pets.as_ref().and_then(|pets| pets.get("rex")),
        Some(AnyPet::Lizard(_))
    ));
}

#[test]
fn recursive_schemas_validate_and_decode_at_depth() {
    // A tree (items and a direct reference to itself).
    let tree = json!({"name": "animals", "children": [
        {"name": "mammals", "children": [{"name": "dogs"}, {"name": "cats", "parent": {"name": "mammals"}}]},
        {"name": "reptiles"}
    ]});
    response_ok("getCategoryTree", 200, &tree);
    let mut broken = tree.clone();
    broken["children"][0]["children"][1]["parent"] = json!({"children": []});
    assert_eq!(
        response_bad("getCategoryTree", 200, &broken),
        [("/children/0/children/1/parent".to_owned(), "required")]
    );
    let decoded: Category = round_trip(&tree);
    let cats = &decoded.children.as_ref().unwrap()[0]
        .children
        .as_ref()
        .unwrap()[1];
    assert_eq!(
        cats.parent.as_ref().map(|p| p.name.as_str()),
        Some("mammals")
    );

    // Mutual recursion: Company → Person → Company.
    let company = json!({"name": "Acme", "ceo": {"name": "Wile", "email": "wile@acme.test",
        "employer": {"name": "Acme Holdings", "subsidiaries": [{"name": "Acme Rockets", "ceo": {"name": "Road", "email": "not-an-email"}}]}}});
    assert_eq!(
        violations(zoo::validate("Company", &company)),
        [(
            "/ceo/employer/subsidiaries/0/ceo/email".to_owned(),
            "format"
        )]
    );
    let mut fixed = company.clone();
    fixed["ceo"]["employer"]["subsidiaries"][0]["ceo"]["email"] = json!("road@acme.test");
    assert!(zoo::is_valid("Company", &fixed));
    let decoded: Company = round_trip(&fixed);
    let holdings = decoded.ceo.as_ref().unwrap().employer.as_ref().unwrap();
    assert_eq!(
        holdings.subsidiaries.as_ref().unwrap()[0].name,
        "Acme Rockets"
    );

    // A linked list 200 entries long, through an allOf reference. `next` is also
    // `nullable: true`, but OpenAPI 3.0.3 only adds null to `type`: the referenced object still
    // rejects null (the generator reports this), so the list ends by leaving `next` out.
    let mut list = json!({"amount": {"amount": 200, "currency": "EUR"}});
    for amount in (1..200).rev() {
        list = json!({"amount": {"amount": amount, "currency": "EUR"}, "next": list});
    }
    let ledger = json!({"head": list, "dailyTotals": [[1.5, 2.0], [], [3.25]]});
    response_ok("getLedger", 200, &ledger);
    let mut entry: LedgerEntry = serde_json::from_value(ledger["head"].clone()).unwrap();
    let mut length = 1;
    while let Some(Some(next)) = entry.next {
        entry = *next;
        length += 1;
    }
    assert_eq!(length, 200);
    let ended_by_null = json!({"head": {"amount": {"amount": 1, "currency": "EUR"}, "next": null}});
    assert_eq!(
        response_bad("getLedger", 200, &ended_by_null),
        [("/head/next".to_owned(), "type")]
    );
    let mut bad = ledger.clone();
    bad["head"]["next"]["next"]["amount"]["amount"] = json!(0);
    assert_eq!(
        response_bad("getLedger", 200, &bad),
        [("/head/next/next/amount/amount".to_owned(), "minimum")]
    );
    let totals: Matrix = serde_json::from_value(ledger["dailyTotals"].clone()).unwrap();
    assert_eq!(totals[2], [3.25]);
    assert!(!zoo::is_valid("Matrix", &json!([[1, "2"]])));
}

#[test]
fn maps_and_enums() {
    let inventory = json!({"available": 3, "sold": 0});
    response_ok("getInventory", 200, &inventory);
    let counts: Inventory = round_trip(&inventory);
    assert_eq!(counts["available"], 3);
    assert_eq!(
        response_bad("getInventory", 200, &json!({"lost": -1})),
        [("/lost".to_owned(), "minimum")]
    );
    assert_eq!(
        response_bad("getInventory", 200, &json!({"lost": 1.5})),
        [("/lost".to_owned(), "type")]
    );

    assert_eq!(
        PetStatus::ALL.map(|s| s.as_str()),
        ["available", "pending", "sold"]
    );
    assert!(zoo::is_valid("Priority", &json!(2)));
    assert_eq!(
        violations(zoo::validate("Priority", &json!(4))),
        [(String::new(), "enum")]
    );
    assert!(!zoo::is_valid("PetStatus", &json!("lost")));
    assert_eq!(
        zoo::validate("NoSuchSchema", &json!({})),
        Err(MessageError::UnknownSchema("NoSuchSchema".to_owned()))
    );
}

#[test]
fn form_bodies_are_checked_as_objects_and_binary_bodies_are_not_json() {
    // application/x-www-form-urlencoded: the decoded fields.
    request_ok(
        "updatePetWithForm",
        &json!({"name": "Rex", "status": "sold"}),
    );
    assert_eq!(
        request_bad("updatePetWithForm", &json!({"status": "sold"})),
        [(String::new(), "required")]
    );
    assert_eq!(
        request_bad(
            "updatePetWithForm",
            &json!({"name": "Rex", "status": "lost"})
        ),
        [("/status".to_owned(), "enum")]
    );
    let form: UpdatePetWithFormRequest = round_trip(&json!({"name": "Rex", "status": "pending"}));
    assert_eq!(form.status, Some(PetStatus::Pending));
    // multipart/form-data: the file part is a string (`format: binary`), the caption limited.
    request_ok(
        "uploadPhoto",
        &json!({"file": "iVBORw0KGgo=", "caption": "Rex at the beach"}),
    );
    assert_eq!(
        request_bad("uploadPhoto", &json!({"caption": "x"})),
        [(String::new(), "required")]
    );
    assert_eq!(
        request_bad(
            "uploadPhoto",
            &json!({"file": "", "caption": "x".repeat(141)})
        ),
        [("/caption".to_owned(), "maxLength")]
    );
    // A binary response documents no JSON body: any body is accepted; its 404 is still JSON.
    response_ok("downloadPhoto", 200, &json!("\u{89}PNG"));
    response_ok(
        "downloadPhoto",
        404,
        &json!({"title": "No photo", "status": 404}),
    );
    assert!(!zoo::is_valid_response(
        "downloadPhoto",
        404,
        &json!({"title": "No photo"})
    ));
    // A text/csv body is not checked (and the generator said so).
    response_ok("exportPayments", 200, &json!("id,amount\n1,100\n"));
    // Operations without a request body.
    assert_eq!(
        zoo::validate_request("downloadPhoto", &json!({})),
        Err(MessageError::NoRequestBody {
            operation: "downloadPhoto".to_owned()
        })
    );
}

#[test]
fn operations_are_named_even_without_an_operation_id() {
    let id = "delete_/pets/{petId}";
    let statuses = zoo::RESPONSES
        .iter()
        .find(|(operation, _)| *operation == id)
        .map(|(_, statuses)| *statuses)
        .expect("the delete operation is listed under a derived name");
    assert!(statuses.iter().any(|status| status.matches(204)));
    response_ok(id, 204, &json!(null));
    response_ok(id, 404, &json!({"title": "Gone", "status": 404}));
    assert!(matches!(
        zoo::validate_response(id, 200, &json!(null)),
        Err(MessageError::UndocumentedStatus { .. })
    ));
    // The path-level `$ref` parameter and the `4XX` response of another path's operation.
    response_ok(
        "updatePetWithForm",
        409,
        &json!({"title": "Conflict", "status": 409}),
    );
    assert_eq!(
        response_bad(
            "updatePetWithForm",
            409,
            &json!({"title": "Conflict", "status": 99})
        ),
        [("/status".to_owned(), "minimum")]
    );
    assert_eq!(
        zoo::validate_request("noSuchOperation", &json!({})),
        Err(MessageError::UnknownOperation("noSuchOperation".to_owned()))
    );
}

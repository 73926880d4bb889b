//! The generated client's per-request overhead: the same request to the same local server
//! (127.0.0.1, an in-process HTTP/1.1 server replaying one documented response), sent with a
//! bare `reqwest` call and with `upmoney_client` (validation of the request, credentials,
//! status dispatch and decoding of the reply; strict mode also checks the reply against the
//! spec). Run with `cargo bench -p conformance --bench clients`.

#[path = "../tests/replay/mod.rs"]
mod replay;

use std::sync::LazyLock;

use replay::{ReplayServer, Reply};
use upmoney_client::{ActivatePhysicalCardReply, Client, Credentials, Server, models};

fn main() {
    divan::main();
}

/// The documented 409 reply of card activation.
const CONFLICT: &str = r#"{"errorCode": "INSTRUMENT_ALREADY_ACTIVATED"}"#;

/// A success reply: the document's sample card (every field present).
const CARD: &str = include_str!("../../specs/samples/upmoney/doc/response-200.json");

struct Bench {
    runtime: tokio::runtime::Runtime,
    conflict: ReplayServer,
    card: ReplayServer,
}

static BENCH: LazyLock<Bench> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (conflict, card) = runtime.block_on(async {
        let conflict = ReplayServer::start_with(false).await;
        conflict.set_default(Reply::json(409, CONFLICT));
        let card = ReplayServer::start_with(false).await;
        card.set_default(Reply::json(200, CARD));
        (conflict, card)
    });
    Bench {
        runtime,
        conflict,
        card,
    }
});

fn request() -> models::ActivatePhysicalCardRequest {
    serde_json::from_str(r#"{"activationCode": "123456"}"#).expect("valid")
}

fn client(url: &str, strict: bool) -> Client {
    Client::builder(Server::custom(url))
        .credentials(
            Credentials::new()
                .with_x_secret("secret")
                .with_authorization_key("token"),
        )
        .strict(strict)
        .build()
        .expect("a client")
}

/// The same request with `reqwest` alone: headers, JSON body, status and body bytes read.
async fn bare(http: &reqwest::Client, url: &str) -> (u16, usize) {
    let response = http
        .post(format!("{url}/cards/activate/123"))
        .header("x-secret", "secret")
        .header("authorization-key", "token")
        .header("accept", "application/json")
        .json(&serde_json::json!({"activationCode": "123456"}))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.bytes().await.expect("read").len())
}

#[divan::bench(args = ["409", "200"], sample_count = 3000)]
fn bare_reqwest(bencher: divan::Bencher, reply: &str) {
    let bench = &*BENCH;
    let url = if reply == "409" {
        bench.conflict.url.clone()
    } else {
        bench.card.url.clone()
    };
    let http = reqwest::Client::new();
    bencher.bench_local(|| bench.runtime.block_on(bare(&http, &url)));
}

#[divan::bench(args = ["409", "200"], sample_count = 3000)]
fn client_lenient(bencher: divan::Bencher, reply: &str) {
    let bench = &*BENCH;
    let client = client(
        if reply == "409" {
            &bench.conflict.url
        } else {
            &bench.card.url
        },
        false,
    );
    bencher.bench_local(|| {
        let reply = bench
            .runtime
            .block_on(client.activate_physical_card("123", request()).send())
            .expect("a documented reply");
        assert!(!matches!(reply, ActivatePhysicalCardReply::NotFound));
        reply
    });
}

#[divan::bench(args = ["409", "200"], sample_count = 3000)]
fn client_strict(bencher: divan::Bencher, reply: &str) {
    let bench = &*BENCH;
    let client = client(
        if reply == "409" {
            &bench.conflict.url
        } else {
            &bench.card.url
        },
        true,
    );
    bencher.bench_local(|| {
        bench
            .runtime
            .block_on(client.activate_physical_card("123", request()).send())
            .expect("a conforming reply")
    });
}

//! Validator speed: the generated validators against the `jsonschema` crate (the oracle), side by
//! side in one run, on each provider's largest valid body sample and largest negative sample of
//! the same message (`validators/payloads.rs`).
//!
//! On a parsed `Value`: the generated `is_valid_*` and `validate_*`; the oracle's runtime
//! validator (`is_valid`, and every error through `iter_errors`); its build-time validator
//! (`#[jsonschema::validator]`, compiled from the same converted schema). On raw bytes: the
//! generated `validate_*_bytes` against `serde_json::from_slice::<Value>` followed by the oracle,
//! with a bare scan (`from_slice::<IgnoredAny>`) as the floor. After the measurements, the
//! ratios are printed as Markdown tables (medians), ready for `BENCHMARKS.md`.
//!
//! ```sh
//! cargo bench -p conformance --bench validators
//! ```
//!
//! With `--interleaved` (see `validators/interleaved.rs`, and `scripts/bench-validators.sh`)
//! criterion is not used: the contenders of a payload run in alternating rounds, each ratio is
//! taken round by round, and a target's verdict is that of the worst of several repetitions,
//! so that the machine's load, which shifts over seconds, cannot decide it.
//!
//! ```sh
//! cargo bench -p conformance --bench validators -- --interleaved --repetitions 3
//! ```
//!
//! With `--count PAYLOAD FUNCTION CALLS` (see `scripts/bench-instructions.sh`) it only calls one
//! contender on one payload `CALLS` times inside `callgrind_counted_calls`, for callgrind to count the
//! instructions executed there: a figure that the code's layout in the binary cannot move.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;
use serde::de::IgnoredAny;
use serde_json::Value;

#[path = "validators/interleaved.rs"]
mod interleaved;
#[path = "validators/payloads.rs"]
mod payloads;

// The oracle's build-time validators: the same converted schemas, the oracle's options.
#[jsonschema_build::validator(
    path = "benches/validators/schemas/connectfi.json",
    draft = Draft202012,
    validate_formats = true
)]
struct ConnectfiBuilt;
#[jsonschema_build::validator(
    path = "benches/validators/schemas/nueve09.json",
    draft = Draft202012,
    validate_formats = true
)]
struct Nueve09Built;
#[jsonschema_build::validator(
    path = "benches/validators/schemas/qitech.json",
    draft = Draft202012,
    validate_formats = true
)]
struct QitechBuilt;
#[jsonschema_build::validator(
    path = "benches/validators/schemas/undostres.json",
    draft = Draft202012,
    validate_formats = true
)]
struct UndostresBuilt;
#[jsonschema_build::validator(
    path = "benches/validators/schemas/upmoney.json",
    draft = Draft202012,
    validate_formats = true
)]
struct UpmoneyBuilt;

/// The measured functions, by id.
const GENERATED_IS_VALID: &str = "value-generated-is_valid";
const ORACLE_IS_VALID: &str = "value-jsonschema-is_valid";
const BUILT_IS_VALID: &str = "value-jsonschema_macro-is_valid";
const GENERATED_VALIDATE: &str = "value-generated-validate";
const ORACLE_ERRORS: &str = "value-jsonschema-iter_errors";
const BUILT_ERRORS: &str = "value-jsonschema_macro-iter_errors";
const BYTES: &str = "bytes-generated-validate_bytes";
const PARSE_GENERATED: &str = "bytes-parse-generated-validate";
const PARSE_ORACLE_IS_VALID: &str = "bytes-parse-jsonschema-is_valid";
const PARSE_ORACLE_ERRORS: &str = "bytes-parse-jsonschema-iter_errors";
const SCAN: &str = "bytes-scan-ignored_any";

/// Benchmarks one provider: both payloads, every function, in one group per payload. The
/// generated functions are the payloads' message's own (`messages::*`), as the build-time
/// validator is compiled for that one schema; `validate_request(operation, ..)` and the other
/// entry points by name add a match on the operation and status.
macro_rules! provider {
    (
        $c:expr, $groups:expr, $rounds:expr, $provider:literal, $krate:ident, $built:ident,
        $operation:literal, $status:expr, $is_valid:ident, $validate:ident, $bytes:ident
    ) => {{
        let payloads = payloads::payloads($provider);
        assert_eq!(
            (payloads.operation.as_str(), payloads.status),
            ($operation, $status),
            "{}: the payloads moved to another message; update the benchmark",
            $provider
        );
        eprintln!(
            "{}: {} {:?}: valid {}, invalid {}",
            $provider, payloads.operation, payloads.status, payloads.valid.0, payloads.invalid.0
        );
        let oracle = contract::check::oracle::compile(&payloads.schema).unwrap();
        let is_valid = $krate::messages::$is_valid;
        let validate = |value: &Value| {
            $krate::messages::$validate(value).map_err($krate::MessageError::Invalid)
        };
        let validate_bytes = $krate::messages::$bytes;
        for (label, (file, bytes)) in [("valid", &payloads.valid), ("invalid", &payloads.invalid)] {
            let bytes = bytes.as_slice();
            let value: Value = serde_json::from_slice(bytes).unwrap();
            // Everyone agrees on the verdict, and the generated paths on the error count.
            let expected = label == "valid";
            let errors = oracle.iter_errors(&value).count();
            assert_eq!(is_valid(&value), expected, "{}/{file}", $provider);
            assert_eq!(oracle.is_valid(&value), expected, "{}/{file}", $provider);
            assert_eq!($built::is_valid(&value), expected, "{}/{file}", $provider);
            // (The build-time validator may report fewer errors: it is another version.)
            let built_errors = $built::iter_errors(&value).count();
            let count = |result: Result<(), $krate::MessageError>| match result {
                Ok(()) => 0,
                Err($krate::MessageError::Invalid(errors)) => errors.len(),
                Err(other) => panic!("{}/{file}: {other}", $provider),
            };
            assert_eq!(count(validate(&value)), errors, "{}/{file}", $provider);
            assert_eq!(count(validate_bytes(bytes)), errors, "{}/{file}", $provider);

            let name = format!("{}-{label}", $provider);
            let measured = Measured {
                name: name.clone(),
                file: file.clone(),
                size: bytes.len(),
                errors,
                built_errors,
            };
            let Some(criterion) = $c.as_mut() else {
                // Interleaved rounds: the data lives as long as the run, so each contender is
                // a `'static` closure that times a batch of calls (monomorphic inside).
                let value: &'static Value = Box::leak(Box::new(value));
                let bytes: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
                let oracle: &'static jsonschema::Validator = Box::leak(Box::new(
                    contract::check::oracle::compile(&payloads.schema).unwrap(),
                ));
                use interleaved::batch;
                $rounds.push(interleaved::Payload {
                    measured,
                    contenders: vec![
                        (
                            GENERATED_IS_VALID,
                            batch(move || is_valid(black_box(value))),
                        ),
                        (
                            ORACLE_IS_VALID,
                            batch(move || oracle.is_valid(black_box(value))),
                        ),
                        (
                            BUILT_IS_VALID,
                            batch(move || $built::is_valid(black_box(value))),
                        ),
                        (
                            GENERATED_VALIDATE,
                            batch(move || validate(black_box(value))),
                        ),
                        (
                            ORACLE_ERRORS,
                            batch(move || oracle.iter_errors(black_box(value)).collect::<Vec<_>>()),
                        ),
                        (
                            BUILT_ERRORS,
                            batch(move || {
                                $built::iter_errors(black_box(value)).collect::<Vec<_>>()
                            }),
                        ),
                        (BYTES, batch(move || validate_bytes(black_box(bytes)))),
                        (
                            PARSE_GENERATED,
                            batch(move || {
                                let value: Value =
                                    serde_json::from_slice(black_box(bytes)).unwrap();
                                validate(&value)
                            }),
                        ),
                        (
                            PARSE_ORACLE_IS_VALID,
                            batch(move || {
                                let value: Value =
                                    serde_json::from_slice(black_box(bytes)).unwrap();
                                oracle.is_valid(&value)
                            }),
                        ),
                        (
                            PARSE_ORACLE_ERRORS,
                            batch(move || {
                                let value: Value =
                                    serde_json::from_slice(black_box(bytes)).unwrap();
                                oracle.iter_errors(&value).count()
                            }),
                        ),
                        (
                            SCAN,
                            batch(move || {
                                serde_json::from_slice::<IgnoredAny>(black_box(bytes)).unwrap()
                            }),
                        ),
                    ],
                });
                continue;
            };
            let mut group = criterion.benchmark_group(&name);
            group.bench_function(GENERATED_IS_VALID, |b| {
                b.iter(|| is_valid(black_box(&value)))
            });
            group.bench_function(ORACLE_IS_VALID, |b| {
                b.iter(|| oracle.is_valid(black_box(&value)))
            });
            group.bench_function(BUILT_IS_VALID, |b| {
                b.iter(|| $built::is_valid(black_box(&value)))
            });
            group.bench_function(GENERATED_VALIDATE, |b| {
                b.iter(|| validate(black_box(&value)))
            });
            group.bench_function(ORACLE_ERRORS, |b| {
                b.iter(|| oracle.iter_errors(black_box(&value)).collect::<Vec<_>>())
            });
            group.bench_function(BUILT_ERRORS, |b| {
                b.iter(|| $built::iter_errors(black_box(&value)).collect::<Vec<_>>())
            });
            group.bench_function(BYTES, |b| b.iter(|| validate_bytes(black_box(bytes))));
            group.bench_function(PARSE_GENERATED, |b| {
                b.iter(|| {
                    let value: Value = serde_json::from_slice(black_box(bytes)).unwrap();
                    validate(&value)
                })
            });
            group.bench_function(PARSE_ORACLE_IS_VALID, |b| {
                b.iter(|| {
                    let value: Value = serde_json::from_slice(black_box(bytes)).unwrap();
                    oracle.is_valid(&value)
                })
            });
            group.bench_function(PARSE_ORACLE_ERRORS, |b| {
                b.iter(|| {
                    let value: Value = serde_json::from_slice(black_box(bytes)).unwrap();
                    oracle.iter_errors(&value).count()
                })
            });
            group.bench_function(SCAN, |b| {
                b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(bytes)).unwrap())
            });
            group.finish();
            $groups.push(measured);
        }
    }};
}

/// A measured payload.
#[derive(Debug)]
pub struct Measured {
    /// The criterion group (`upmoney-valid`).
    pub name: String,
    pub file: String,
    pub size: usize,
    /// How many errors the oracle (and the generated code) reports.
    pub errors: usize,
    /// How many the build-time validator reports.
    pub built_errors: usize,
}

/// Where criterion writes its estimates for this benchmark.
fn output_directory() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("criterion-validators")
}

/// One function's time per call in nanoseconds, from criterion's files: the median estimate
/// and the fastest sample (the least disturbed on a shared machine).
#[derive(Clone, Copy)]
struct Time {
    median: f64,
    fastest: f64,
}

/// The times of `function` in `group`, or `None` when it was not measured in this run.
fn time_of(group: &str, function: &str) -> Option<Time> {
    let directory = output_directory().join(group).join(function).join("new");
    let read = |file: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(directory.join(file)).ok()?).ok()
    };
    let median = read("estimates.json")?["median"]["point_estimate"].as_f64()?;
    let sample = read("sample.json")?;
    let (iters, times) = (sample["iters"].as_array()?, sample["times"].as_array()?);
    let fastest = iters
        .iter()
        .zip(times)
        .filter_map(|(iters, time)| Some(time.as_f64()? / iters.as_f64()?))
        .fold(f64::INFINITY, f64::min);
    Some(Time { median, fastest })
}

/// The statistic a table is written with.
#[derive(Clone, Copy)]
enum Statistic {
    Median,
    Fastest,
}

impl Statistic {
    fn of(self, time: Time) -> f64 {
        match self {
            Statistic::Median => time.median,
            Statistic::Fastest => time.fastest,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Statistic::Median => "median",
            Statistic::Fastest => "fastest sample",
        }
    }
}

const FUNCTIONS: [&str; 11] = [
    GENERATED_IS_VALID,
    ORACLE_IS_VALID,
    BUILT_IS_VALID,
    GENERATED_VALIDATE,
    ORACLE_ERRORS,
    BUILT_ERRORS,
    BYTES,
    PARSE_GENERATED,
    PARSE_ORACLE_IS_VALID,
    PARSE_ORACLE_ERRORS,
    SCAN,
];

/// Prints the figures and ratios as Markdown tables, by the median and by the fastest sample.
fn report(groups: &[Measured]) {
    let mut times: BTreeMap<(&str, &str), Time> = BTreeMap::new();
    for group in groups {
        for function in FUNCTIONS {
            match time_of(&group.name, function) {
                Some(time) => {
                    times.insert((group.name.as_str(), function), time);
                }
                // Not measured (e.g. `cargo test --benches`, or a filter).
                None => return,
            }
        }
    }
    for statistic in [Statistic::Median, Statistic::Fastest] {
        report_with(groups, &times, statistic);
    }
}

/// The tables and the targets with one statistic.
fn report_with(groups: &[Measured], times: &BTreeMap<(&str, &str), Time>, statistic: Statistic) {
    let t =
        |group: &Measured, function: &str| statistic.of(times[&(group.name.as_str(), function)]);
    let mut worst = [f64::INFINITY; 5];
    let mut lowest = |index: usize, ratio: f64| worst[index] = worst[index].min(ratio);
    let name = statistic.name();
    println!("\n### By the {name}\n");
    println!("ns per call ({name}); ratios are how many times faster the generated code is.\n");
    println!("#### On a parsed `Value`: is the message valid?\n");
    println!(
        "| payload | bytes | errors | generated `is_valid` | jsonschema `is_valid` | jsonschema macro `is_valid` | vs jsonschema (≥ 2) | vs macro (≥ 1) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for group in groups {
        let (generated, oracle, built) = (
            t(group, GENERATED_IS_VALID),
            t(group, ORACLE_IS_VALID),
            t(group, BUILT_IS_VALID),
        );
        lowest(0, oracle / generated);
        lowest(1, built / generated);
        println!(
            "| {} (`{}`) | {} | {} | {generated:.1} | {oracle:.1} | {built:.1} | {:.2}× | {:.2}× |",
            group.name,
            group.file,
            group.size,
            group.errors,
            oracle / generated,
            built / generated
        );
    }
    println!("\n#### On a parsed `Value`: every error\n");
    println!(
        "| payload | errors (macro's) | generated `validate` | jsonschema `iter_errors` | jsonschema macro `iter_errors` | vs jsonschema (≥ 2) | vs macro |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for group in groups {
        let (generated, oracle, built) = (
            t(group, GENERATED_VALIDATE),
            t(group, ORACLE_ERRORS),
            t(group, BUILT_ERRORS),
        );
        lowest(2, oracle / generated);
        println!(
            "| {} | {} ({}) | {generated:.1} | {oracle:.1} | {built:.1} | {:.2}× | {:.2}× |",
            group.name,
            group.errors,
            group.built_errors,
            oracle / generated,
            built / generated
        );
    }
    println!("\n#### On raw bytes: every error\n");
    println!(
        "| payload | generated `validate_*_bytes` | parse + generated `validate` | parse + jsonschema `is_valid` | parse + jsonschema `iter_errors` | scan (`IgnoredAny`) | vs parse + jsonschema, faster of the two (≥ 2.5) | time / scan (≤ 2) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for group in groups {
        let bytes = t(group, BYTES);
        let parse_generated = t(group, PARSE_GENERATED);
        let (parse_valid, parse_errors) = (
            t(group, PARSE_ORACLE_IS_VALID),
            t(group, PARSE_ORACLE_ERRORS),
        );
        let scan = t(group, SCAN);
        let competitor = parse_valid.min(parse_errors);
        lowest(3, competitor / bytes);
        lowest(4, scan / bytes);
        println!(
            "| {} | {bytes:.1} | {parse_generated:.1} | {parse_valid:.1} | {parse_errors:.1} | {scan:.1} | {:.2}× | {:.2} |",
            group.name,
            competitor / bytes,
            bytes / scan
        );
    }
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    println!("\n#### Targets (worst payload, {name})\n");
    println!(
        "- `is_valid` ≥ 2× the jsonschema runtime validator: {:.2}×, {}",
        worst[0],
        verdict(worst[0] >= 2.0)
    );
    println!(
        "- `is_valid` no slower than the jsonschema build-time validator: {:.2}×, {}",
        worst[1],
        verdict(worst[1] >= 1.0)
    );
    println!(
        "- every error ≥ 2× jsonschema `iter_errors`: {:.2}×, {}",
        worst[2],
        verdict(worst[2] >= 2.0)
    );
    println!(
        "- `validate_*_bytes` ≥ 2.5× parse + jsonschema: {:.2}×, {}",
        worst[3],
        verdict(worst[3] >= 2.5)
    );
    println!(
        "- `validate_*_bytes` within 2× of the bare scan: {:.2}× the scan, {}",
        1.0 / worst[4],
        verdict(1.0 / worst[4] <= 2.0)
    );
}

/// `--count PAYLOAD FUNCTION CALLS`, when given.
struct Count {
    payload: String,
    function: String,
    calls: u64,
}

impl Count {
    fn from_args() -> Option<Count> {
        let args: Vec<String> = std::env::args().collect();
        let at = args.iter().position(|arg| arg == "--count")?;
        match (
            args.get(at + 1),
            args.get(at + 2),
            args.get(at + 3).map(|n| n.parse::<u64>()),
        ) {
            (Some(payload), Some(function), Some(Ok(calls))) if calls > 0 => Some(Count {
                payload: payload.clone(),
                function: function.clone(),
                calls,
            }),
            _ => {
                eprintln!(
                    "error: --count needs PAYLOAD FUNCTION CALLS (upmoney-valid {GENERATED_IS_VALID} 1000)"
                );
                std::process::exit(2);
            }
        }
    }

    /// Whether the payloads of `provider` are to be built.
    fn wants(count: &Option<Count>, provider: &str) -> bool {
        count
            .as_ref()
            .is_none_or(|count| count.payload.split('-').next() == Some(provider))
    }

    /// Calls the contender; callgrind counts what runs inside [`callgrind_counted_calls`].
    fn run(&self, rounds: &[interleaved::Payload]) {
        let contender = rounds
            .iter()
            .filter(|payload| payload.measured.name == self.payload)
            .flat_map(|payload| &payload.contenders)
            .find(|(name, _)| *name == self.function);
        match contender {
            Some((_, batch)) => callgrind_counted_calls(batch, self.calls),
            None => {
                eprintln!(
                    "error: no function {} on a payload {}",
                    self.function, self.payload
                );
                std::process::exit(2);
            }
        }
    }
}

/// The one place `--count` calls a contender (`callgrind --toggle-collect='*callgrind_counted_calls*'`).
#[inline(never)]
fn callgrind_counted_calls(batch: &interleaved::Batch, calls: u64) {
    (batch.plain)(calls);
}

fn main() {
    // `--interleaved [--repetitions N] [--rounds N] [--slice-ms N]`: rounds, not criterion
    // (which would reject these arguments, so it is not built at all then).
    let count = Count::from_args();
    let settings = interleaved::Settings::from_args(std::env::args().skip(1)).or(count
        .as_ref()
        .map(|_| interleaved::Settings {
            repetitions: 1,
            rounds: 1,
            slice: Duration::from_millis(1),
        }));
    let mut criterion = if settings.is_some() {
        None
    } else {
        // Fresh estimates only: the report must not mix in an earlier run's figures.
        let _ = std::fs::remove_dir_all(output_directory());
        Some(
            Criterion::default()
                .output_directory(&output_directory())
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(2))
                .configure_from_args(),
        )
    };
    let mut groups = Vec::new();
    let mut rounds: Vec<interleaved::Payload> = Vec::new();
    if Count::wants(&count, "connectfi") {
        provider!(
            criterion,
            groups,
            rounds,
            "connectfi",
            connectfi_validator,
            ConnectfiBuilt,
            "activateCard",
            Some(200),
            is_valid_activate_card_response_200,
            validate_activate_card_response_200,
            validate_activate_card_response_200_bytes
        );
    }
    if Count::wants(&count, "nueve09") {
        provider!(
            criterion,
            groups,
            rounds,
            "nueve09",
            nueve09_validator,
            Nueve09Built,
            "assignCardToCardholder",
            None,
            is_valid_assign_card_to_cardholder_request,
            validate_assign_card_to_cardholder_request,
            validate_assign_card_to_cardholder_request_bytes
        );
    }
    if Count::wants(&count, "qitech") {
        provider!(
            criterion,
            groups,
            rounds,
            "qitech",
            qitech_validator,
            QitechBuilt,
            "activatePhysicalCard",
            Some(200),
            is_valid_activate_physical_card_response_200,
            validate_activate_physical_card_response_200,
            validate_activate_physical_card_response_200_bytes
        );
    }
    if Count::wants(&count, "undostres") {
        provider!(
            criterion,
            groups,
            rounds,
            "undostres",
            undostres_validator,
            UndostresBuilt,
            "activateCardForCustomer",
            Some(100),
            is_valid_activate_card_for_customer_response_default,
            validate_activate_card_for_customer_response_default,
            validate_activate_card_for_customer_response_default_bytes
        );
    }
    if Count::wants(&count, "upmoney") {
        provider!(
            criterion,
            groups,
            rounds,
            "upmoney",
            upmoney_validator,
            UpmoneyBuilt,
            "activatePhysicalCard",
            Some(200),
            is_valid_activate_physical_card_response_200,
            validate_activate_physical_card_response_200,
            validate_activate_physical_card_response_200_bytes
        );
    }
    if let Some(count) = count {
        count.run(&rounds);
        return;
    }
    match (criterion, settings) {
        (Some(criterion), _) => {
            criterion.final_summary();
            report(&groups);
        }
        (None, Some(settings)) => interleaved::run(&rounds, &settings),
        (None, None) => unreachable!("criterion is built whenever the rounds are not"),
    }
}

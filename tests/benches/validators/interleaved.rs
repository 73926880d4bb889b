//! The validator benchmark's interleaved mode (`-- --interleaved`): a verdict that the load of a
//! shared machine cannot flip.
//!
//! criterion measures one function for seconds, then the next: when another process takes a
//! core for a while, whichever contender runs then looks slower, and a ratio of two medians moves
//! by up to 1.6× between runs of the same binary. Here the contenders of one payload run in
//! rounds instead: each round times one short batch (about `--slice-us`) of every contender, in
//! an order rotated from round to round, so the two sides of a ratio are measured within a few
//! milliseconds of each other, and each ratio is taken round by round. Batches are timed by the
//! thread's CPU clock, not the wall clock: under load the process runs a fraction of the time,
//! and a batch that waited for a core would otherwise count the wait. A repetition's ratio is
//! the median over its rounds; the whole measurement is repeated (`--repetitions`, over all
//! payloads each time, so a disturbance of some seconds lands in one repetition), and a target is
//! met only when the worst repetition of the worst payload meets it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::{
    BUILT_ERRORS, BUILT_IS_VALID, BYTES, GENERATED_IS_VALID, GENERATED_VALIDATE, Measured,
    ORACLE_ERRORS, ORACLE_IS_VALID, PARSE_GENERATED, PARSE_ORACLE_ERRORS, PARSE_ORACLE_IS_VALID,
    SCAN,
};

/// One contender's calls in a loop compiled for it alone, so the only indirect call is the one
/// per batch.
pub struct Batch {
    /// Times `iterations` calls.
    pub timed: Box<dyn Fn(u64) -> Duration>,
    /// Makes `iterations` calls, untimed: for callgrind (`--count`), under which the thread
    /// clock's vDSO is not there to read.
    pub plain: Box<dyn Fn(u64)>,
}

/// The CPU time this thread has used: unlike the wall clock, it stands still while the thread
/// waits for a core, which on a shared 2-core machine is most of the time.
fn thread_time() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// A contender as a batch.
pub fn batch<R>(call: impl Fn() -> R + Clone + 'static) -> Batch {
    let untimed = call.clone();
    Batch {
        timed: Box::new(move |iterations| {
            let start = thread_time();
            for _ in 0..iterations {
                black_box(call());
            }
            thread_time() - start
        }),
        plain: Box::new(move |iterations| {
            for _ in 0..iterations {
                black_box(untimed());
            }
        }),
    }
}

/// One payload and its contenders, by function id.
pub struct Payload {
    pub measured: Measured,
    pub contenders: Vec<(&'static str, Batch)>,
}

/// How long and how often to measure.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub repetitions: usize,
    pub rounds: usize,
    pub slice: Duration,
}

impl Settings {
    /// `Some` when the arguments ask for the interleaved mode. Unknown arguments are ignored
    /// (cargo passes `--bench`).
    pub fn from_args(args: impl Iterator<Item = String>) -> Option<Settings> {
        let args: Vec<String> = args.collect();
        if !args.iter().any(|arg| arg == "--interleaved") {
            return None;
        }
        let number = |flag: &str, default: u64| -> u64 {
            match args.iter().position(|arg| arg == flag) {
                None => default,
                Some(at) => match args.get(at + 1).map(|value| value.parse::<u64>()) {
                    Some(Ok(value)) if value > 0 => value,
                    _ => {
                        eprintln!("error: {flag} needs a positive whole number");
                        std::process::exit(2);
                    }
                },
            }
        };
        Some(Settings {
            repetitions: number("--repetitions", 3) as usize,
            rounds: number("--rounds", 100) as usize,
            slice: Duration::from_micros(number("--slice-us", 1000)),
        })
    }
}

/// How many calls make one batch of about `slice` (after warming the contender up).
fn calibrate(contender: &Batch, slice: Duration) -> u64 {
    let mut iterations = 1u64;
    loop {
        let elapsed = (contender.timed)(iterations);
        if elapsed >= slice || iterations >= 1 << 40 {
            let scaled = iterations as f64 * slice.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
            return (scaled as u64).max(1);
        }
        iterations *= 2;
    }
}

/// ns per call of every contender (in `contenders` order), round by round.
fn measure(payload: &Payload, settings: &Settings) -> Vec<Vec<f64>> {
    let count = payload.contenders.len();
    let iterations: Vec<u64> = payload
        .contenders
        .iter()
        .map(|(_, contender)| calibrate(contender, settings.slice))
        .collect();
    let mut rounds = Vec::with_capacity(settings.rounds);
    for round in 0..settings.rounds {
        let mut times = vec![0.0; count];
        for step in 0..count {
            // Rotated, so that no contender always follows the same one.
            let index = (round + step) % count;
            let elapsed = (payload.contenders[index].1.timed)(iterations[index]);
            times[index] = elapsed.as_nanos() as f64 / iterations[index] as f64;
        }
        rounds.push(times);
    }
    rounds
}

/// One round's time per function id.
type TimeOf<'a> = &'a dyn Fn(&str) -> f64;

/// A ratio the targets are stated on, computed from one round's times.
struct Ratio {
    title: &'static str,
    /// (function ids, from one round's time per id to the ratio).
    of: fn(TimeOf<'_>) -> f64,
    /// Higher is better (times faster), or lower is better (times the floor).
    higher_is_better: bool,
    /// (threshold, where the target comes from).
    targets: &'static [(f64, &'static str)],
}

const VALIDATOR_SPEED: &str = "validator-speed issue";
const ISSUE_9: &str = "issue 9";

const RATIOS: [Ratio; 5] = [
    Ratio {
        title: "`is_valid` vs the jsonschema runtime validator (times faster)",
        of: |t| t(ORACLE_IS_VALID) / t(GENERATED_IS_VALID),
        higher_is_better: true,
        targets: &[(2.0, VALIDATOR_SPEED)],
    },
    Ratio {
        title: "`is_valid` vs the jsonschema build-time validator (times faster)",
        of: |t| t(BUILT_IS_VALID) / t(GENERATED_IS_VALID),
        higher_is_better: true,
        targets: &[(1.0, VALIDATOR_SPEED), (1.2, ISSUE_9)],
    },
    Ratio {
        title: "every error: `validate` vs jsonschema `iter_errors` (times faster)",
        of: |t| t(ORACLE_ERRORS) / t(GENERATED_VALIDATE),
        higher_is_better: true,
        targets: &[(2.0, VALIDATOR_SPEED), (2.5, ISSUE_9)],
    },
    Ratio {
        title: "`validate_*_bytes` vs parse + jsonschema, the faster of the two (times faster)",
        of: |t| t(PARSE_ORACLE_IS_VALID).min(t(PARSE_ORACLE_ERRORS)) / t(BYTES),
        higher_is_better: true,
        targets: &[(2.5, VALIDATOR_SPEED)],
    },
    Ratio {
        title: "`validate_*_bytes` vs the bare scan (times the scan's time)",
        of: |t| t(BYTES) / t(SCAN),
        higher_is_better: false,
        targets: &[(2.0, VALIDATOR_SPEED)],
    },
];

/// The ns-per-call columns, in the order of the criterion report.
const COLUMNS: [(&str, &str); 11] = [
    (GENERATED_IS_VALID, "generated `is_valid`"),
    (ORACLE_IS_VALID, "jsonschema `is_valid`"),
    (BUILT_IS_VALID, "macro `is_valid`"),
    (GENERATED_VALIDATE, "generated `validate`"),
    (ORACLE_ERRORS, "jsonschema `iter_errors`"),
    (BUILT_ERRORS, "macro `iter_errors`"),
    (BYTES, "`validate_*_bytes`"),
    (PARSE_GENERATED, "parse + generated"),
    (PARSE_ORACLE_IS_VALID, "parse + jsonschema `is_valid`"),
    (PARSE_ORACLE_ERRORS, "parse + jsonschema `iter_errors`"),
    (SCAN, "scan (`IgnoredAny`)"),
];

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// (min, median, max).
fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    let middle = median(&mut sorted);
    (sorted[0], middle, sorted[sorted.len() - 1])
}

/// Measures every payload `settings.repetitions` times and prints the tables and verdicts.
pub fn run(payloads: &[Payload], settings: &Settings) {
    let started = Instant::now();
    // measured[repetition][payload][round][contender]
    let mut measured: Vec<Vec<Vec<Vec<f64>>>> = Vec::new();
    for repetition in 0..settings.repetitions {
        eprintln!(
            "repetition {} of {}: {} payloads, {} rounds",
            repetition + 1,
            settings.repetitions,
            payloads.len(),
            settings.rounds
        );
        measured.push(
            payloads
                .iter()
                .map(|payload| measure(payload, settings))
                .collect(),
        );
    }
    let elapsed = started.elapsed();
    let index_of = |payload: &Payload, id: &str| {
        payload
            .contenders
            .iter()
            .position(|(name, _)| *name == id)
            .expect("every ratio's functions are contenders")
    };

    println!(
        "\n### Interleaved: {} repetitions × {} rounds, batches of about {} µs per contender ({:.0} s)\n",
        settings.repetitions,
        settings.rounds,
        settings.slice.as_micros(),
        elapsed.as_secs_f64()
    );
    println!(
        "ns per call: median of a repetition's rounds, then the median of the repetitions (min–max of the repetitions).\n"
    );
    print!("| payload | bytes | errors (macro's) |");
    for (_, title) in COLUMNS {
        print!(" {title} |");
    }
    println!();
    println!("|---|---:|---:|{}", "---:|".repeat(COLUMNS.len()));
    for (at, payload) in payloads.iter().enumerate() {
        let m = &payload.measured;
        print!(
            "| {} (`{}`) | {} | {} ({}) |",
            m.name, m.file, m.size, m.errors, m.built_errors
        );
        for (id, _) in COLUMNS {
            let index = index_of(payload, id);
            let per_repetition: Vec<f64> = measured
                .iter()
                .map(|repetition| {
                    let mut times: Vec<f64> =
                        repetition[at].iter().map(|round| round[index]).collect();
                    median(&mut times)
                })
                .collect();
            let (low, middle, high) = spread(&per_repetition);
            print!(" {middle:.1} ({low:.1}–{high:.1}) |");
        }
        println!();
    }

    // (title, threshold, source, worst value, payload, met)
    let mut verdicts = Vec::new();
    for ratio in &RATIOS {
        println!(
            "\n#### {}\n\nPer repetition: the median of the per-round ratios.\n",
            ratio.title
        );
        print!("| payload |");
        for repetition in 1..=settings.repetitions {
            print!(" run {repetition} |");
        }
        print!(" min | median | max |");
        for (threshold, source) in ratio.targets {
            let sign = if ratio.higher_is_better { "≥" } else { "≤" };
            print!(" {sign} {threshold} ({source}) |");
        }
        println!();
        println!(
            "|---|{}",
            "---:|".repeat(settings.repetitions + 3 + ratio.targets.len())
        );
        let mut worst: Option<(f64, &str)> = None;
        for (at, payload) in payloads.iter().enumerate() {
            let per_repetition: Vec<f64> = measured
                .iter()
                .map(|repetition| {
                    let mut ratios: Vec<f64> = repetition[at]
                        .iter()
                        .map(|round| (ratio.of)(&|id: &str| round[index_of(payload, id)]))
                        .collect();
                    median(&mut ratios)
                })
                .collect();
            let (low, middle, high) = spread(&per_repetition);
            let payload_worst = if ratio.higher_is_better { low } else { high };
            let worse = |a: f64, b: f64| {
                if ratio.higher_is_better { a < b } else { a > b }
            };
            if worst.is_none_or(|(value, _)| worse(payload_worst, value)) {
                worst = Some((payload_worst, payload.measured.name.as_str()));
            }
            print!("| {} |", payload.measured.name);
            for value in &per_repetition {
                print!(" {value:.2} |");
            }
            print!(" {low:.2} | {middle:.2} | {high:.2} |");
            for (threshold, _) in ratio.targets {
                print!(" {} |", verdict(meets(ratio, payload_worst, *threshold)));
            }
            println!();
        }
        let (value, name) = worst.expect("at least one payload");
        for (threshold, source) in ratio.targets {
            verdicts.push((
                ratio.title,
                ratio.higher_is_better,
                *threshold,
                *source,
                value,
                name.to_string(),
                meets(ratio, value, *threshold),
            ));
        }
    }

    println!("\n#### Targets (worst repetition of the worst payload)\n");
    println!("| target | from | worst | payload | verdict |");
    println!("|---|---|---:|---|---|");
    for (title, higher_is_better, threshold, source, value, name, met) in verdicts {
        let sign = if higher_is_better { "≥" } else { "≤" };
        println!(
            "| {title} {sign} {threshold} | {source} | {value:.2} | {name} | {} |",
            verdict(met)
        );
    }
}

fn meets(ratio: &Ratio, value: f64, threshold: f64) -> bool {
    if ratio.higher_is_better {
        value >= threshold
    } else {
        value <= threshold
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

//! The runtime template (`templates/runtime.rs`, copied into every generated crate) against the
//! reference oracle (`jsonschema`, draft 2020-12, formats asserted): the official format suites,
//! generated near-valid corpora, number bounds, `multipleOf`, lengths, equality and patterns.

/// The runtime as a generated crate has it: the template, then the models' serde fragments.
#[allow(dead_code, unused_imports)]
#[path = "../templates"]
mod runtime {
    #[path = "runtime.rs"]
    mod template;
    pub use template::*;
    // Written compact, as generated crates carry it (their line count is a target).
    #[rustfmt::skip]
    #[path = "object_serde.rs"]
    mod object_serde_fragment;
    pub(crate) use object_serde_fragment::*;
    #[rustfmt::skip]
    #[path = "union_serde.rs"]
    mod union_serde_fragment;
    pub(crate) use union_serde_fragment::*;
}

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use runtime::{Limit, Sensitive};
use serde_json::{Number, Value, json};

/// The oracle, configured as the contract checks configure it.
fn oracle(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("oracle rejects {schema}: {error}"))
}

/// A cached oracle for `{"type": "string", "format": F}`.
macro_rules! format_oracle {
    ($name:ident, $format:literal) => {
        static $name: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| oracle(&json!({"type": "string", "format": $format})));
    };
}

format_oracle!(UUID, "uuid");
format_oracle!(DATE, "date");
format_oracle!(DATE_TIME, "date-time");
format_oracle!(EMAIL, "email");

/// The runtime check for a format name.
fn runtime_format(format: &str) -> fn(&str) -> bool {
    match format {
        "uuid" => runtime::is_uuid,
        "date" => runtime::is_date,
        "date-time" => runtime::is_date_time,
        "email" => runtime::is_email,
        other => panic!("no runtime check for {other}"),
    }
}

/// The cached oracle for a format name.
fn oracle_format(format: &str) -> &'static jsonschema::Validator {
    match format {
        "uuid" => &UUID,
        "date" => &DATE,
        "date-time" => &DATE_TIME,
        "email" => &EMAIL,
        other => panic!("no oracle for {other}"),
    }
}

/// Asserts the runtime and the oracle agree on `text` for `format`.
fn assert_format_agrees(format: &str, text: &str) {
    let ours = runtime_format(format)(text);
    let theirs = oracle_format(format).is_valid(&json!(text));
    assert_eq!(
        ours, theirs,
        "{format} {text:?}: runtime {ours}, oracle {theirs}"
    );
}

/// A proptest configuration with `cases` cases that writes no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Official test suite
// ---------------------------------------------------------------------------------------------

/// Every string instance of a JSON-Schema-Test-Suite file, with the suite's verdict.
fn suite_strings(relative: &str) -> Vec<(String, bool)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/json-schema-test-suite")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let groups: Vec<Value> = serde_json::from_str(&text).unwrap();
    groups
        .iter()
        .flat_map(|group| group["tests"].as_array().cloned().unwrap_or_default())
        .filter_map(|test| {
            let data = test["data"].as_str()?.to_owned();
            Some((data, test["valid"].as_bool().unwrap_or(false)))
        })
        .collect()
}

#[test]
fn formats_match_the_oracle_on_the_official_suite() {
    let files = [
        ("uuid", "formats-2020-12/uuid.json"),
        ("date", "formats-2020-12/date.json"),
        ("date-time", "formats-2020-12/date-time.json"),
        ("email", "formats-2020-12/email.json"),
        ("date-time", "draft4/optional/format/date-time.json"),
        ("email", "draft4/optional/format/email.json"),
    ];
    let mut checked = 0;
    for (format, file) in files {
        let cases = suite_strings(file);
        assert!(!cases.is_empty(), "{file} has no string cases");
        for (text, suite_verdict) in cases {
            assert_format_agrees(format, &text);
            // The 2020-12 format suite is what the oracle is certified against.
            if file.starts_with("formats-2020-12") {
                assert_eq!(
                    runtime_format(format)(&text),
                    suite_verdict,
                    "{file}: {text:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} suite cases");
}

#[test]
fn formats_match_the_oracle_on_hand_picked_edge_cases() {
    let uuids = [
        "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
        "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
        "00000000-0000-0000-0000-000000000000",
        "2eb8aa08aa9811eab4aa73b441d16380",
        "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
        "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
        "2eb8aa08-aa98-11ea-b4aa-73b441d163800",
        "2eb8aa08-aa98-11ea-b4aa-73b441d1638g",
        "2eb8aa08-aa98-11ea-b4aa_73b441d16380",
        "2eb8aa08-aa98-11ea-b4aa-73b441d1638é",
        "",
    ];
    let dates = [
        "2020-02-29",
        "2021-02-29",
        "1900-02-29",
        "2000-02-29",
        "0000-02-29",
        "9999-12-31",
        "2020-00-01",
        "2020-13-01",
        "2020-01-00",
        "2020-01-32",
        "2020-04-31",
        "2020-1-01",
        "2020-01-1",
        "20200101",
        "2020/01/01",
        "２０２０-01-01",
        "2020-01-01 ",
        " 2020-01-01",
        "+2020-01-01",
        "-020-01-01",
        "202a-01-01",
        "2020-01-0\u{663}",
    ];
    let date_times = [
        "1985-04-12T23:20:50.52Z",
        "1985-04-12t23:20:50.52z",
        "1985-04-12T23:20:50Z",
        "1985-04-12 23:20:50Z",
        "1985-04-12T23:20:50",
        "1985-04-12T23:20:50.Z",
        "1985-04-12T23:20:50.123456789012345678901234567890Z",
        "1998-12-31T23:59:60Z",
        "1998-12-31T23:59:60+00:00",
        "1998-12-31T15:59:60-08:00",
        "1998-12-31T15:59:60.123-08:00",
        "1998-12-31T23:59:60-00:01",
        "1998-12-31T00:00:60+00:01",
        "1998-12-31T00:59:60+01:00",
        "1998-12-31T22:59:60Z",
        "1998-12-31T23:58:60Z",
        "1998-12-31T23:59:61Z",
        "1998-12-31T24:00:00Z",
        "1998-12-31T23:60:00Z",
        "1998-12-31T12:00:00+24:00",
        "1998-12-31T12:00:00+23:60",
        "1998-12-31T12:00:00+23:59",
        "1998-12-31T12:00:00-23:59",
        "1998-12-31T12:00:00+0100",
        "1998-12-31T12:00:00+01",
        "1998-12-31T12:00:00+01:00:00",
        "1998-12-31T12:00:00ZZ",
        "1998-12-31T12:00:00Z ",
        "1998-12-31TT12:00:00Z",
        "1998-12-31T1:00:00Z",
        "1998-13-31T12:00:00Z",
        "1998-12-31T12:00:00\u{ff3a}",
        "1998-12-31T12:00:0\u{663}Z",
        "T12:00:00Z",
        "1998-12-31t",
        "1998-12-31T12:00:00.5+00:00",
        "1998-12-31T00:00:60-23:59",
        "1998-12-31T23:59:60+23:59",
    ];
    let emails = [
        "joe.bloggs@example.com",
        "te~st@example.com",
        "~test@example.com",
        "test~@example.com",
        "\"joe bloggs\"@example.com",
        "\"joe..bloggs\"@example.com",
        "\"joe\\\"bloggs\"@example.com",
        "\"joe\\ bloggs\"@example.com",
        "\"joe\tbloggs\"@example.com",
        "\"\"@example.com",
        "\"\"@a <\"\"@b>",
        " <\"\"@example.com>",
        "\"@example.com",
        "\"a\"b\"@example.com",
        "joe.@example.com",
        ".joe@example.com",
        "joe..bloggs@example.com",
        "joe@localhost",
        "joe@[127.0.0.1]",
        "joe@[IPv6:::1]",
        "joe@[ipv6:::1]",
        "joe@[IPv6:2001:db8::1]",
        "joe@[::1]",
        "joe@[IPv4:127.0.0.1]",
        "joe@[300.0.0.1]",
        "joe@[127.0.0.01]",
        "joe@[]",
        "joe@[",
        "joe@]",
        "joe@[127.0.0.1",
        "Joe Bloggs <joe@example.com>",
        "Joe Bloggs <joe@example.com>  ",
        "Joe Bloggs <joe@example.com",
        "Jöe <joe@example.com>",
        " <joe@example.com>",
        "<joe@example.com>",
        "joe <<joe@example.com>",
        "a <b <joe@example.com>",
        "joe@example.com>",
        "jöe@example.com",
        "joe@exämple.com",
        "joe@xn--exmple-cua.com",
        "joe@xn--bcher-kva.example",
        "joe@xn--nxasmq6b.com",
        "joe@xn--zz.com",
        "joe@xn---.com",
        "joe@xn--.com",
        "joe@ab--cd.com",
        "joe@XN--bcher-kva.example",
        "joe@xn--4gbrim.xn----ymcbaaajlc6dj7bxne2c.xn--wgbh1c",
        "joe@-example.com",
        "joe@example-.com",
        "joe@example.com.",
        "joe@.example.com",
        "joe@exa_mple.com",
        "joe@@example.com",
        "joe@a@example.com",
        "\"joe@a\"@example.com",
        "@example.com",
        "joe@",
        "joe",
        "",
        "a@b",
        "a@1.2.3.4",
        "a@example.com\n",
        "a b@example.com",
        "a\"b@example.com",
        "a(b)@example.com",
        "a\\b@example.com",
    ];
    let long_local = format!("{}@example.com", "a".repeat(64));
    let too_long_local = format!("{}@example.com", "a".repeat(65));
    let long_label = format!("a@{}.com", "b".repeat(63));
    let too_long_label = format!("a@{}.com", "b".repeat(64));
    let long_domain = format!("a@{}c.com", "b.".repeat(124));
    let too_long_domain = format!("a@{}cc.com", "b.".repeat(124));
    for text in uuids {
        assert_format_agrees("uuid", text);
    }
    for text in dates {
        assert_format_agrees("date", text);
    }
    for text in date_times {
        assert_format_agrees("date-time", text);
    }
    for text in emails.iter().copied().chain([
        long_local.as_str(),
        too_long_local.as_str(),
        long_label.as_str(),
        too_long_label.as_str(),
        long_domain.as_str(),
        too_long_domain.as_str(),
    ]) {
        assert_format_agrees("email", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Generated near-valid corpora
// ---------------------------------------------------------------------------------------------

/// Characters a mutation may put into a string.
const MUTATION_POOL: &[char] = &[
    '0',
    '1',
    '2',
    '5',
    '9',
    'a',
    'f',
    'g',
    'A',
    'F',
    'G',
    'Z',
    'z',
    'T',
    't',
    'x',
    'n',
    '-',
    ':',
    '.',
    '+',
    '@',
    '"',
    '\\',
    ' ',
    '\t',
    '\n',
    '<',
    '>',
    '[',
    ']',
    '(',
    '_',
    '~',
    'é',
    '\u{663}',
    '\u{ff10}',
    '\u{0}',
    '\u{7f}',
    '\u{1F600}',
    '\u{3000}',
];

/// One edit: replace, insert or delete the character at an index (or leave the string alone).
type Edit = (u8, Index, char);

/// Applies the edits to `base`.
fn apply_edits(base: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for (kind, index, replacement) in edits {
        match kind % 4 {
            0 if !chars.is_empty() => {
                let at = index.index(chars.len());
                chars[at] = *replacement;
            }
            1 => {
                let at = index.index(chars.len() + 1);
                chars.insert(at, *replacement);
            }
            2 if !chars.is_empty() => {
                let at = index.index(chars.len());
                chars.remove(at);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// `base`, then zero to two single-character edits.
fn mutated(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        base,
        prop::collection::vec((any::<u8>(), any::<Index>(), select(MUTATION_POOL)), 0..3),
    )
        .prop_map(|(base, edits)| apply_edits(&base, &edits))
}

/// Valid-shaped UUIDs in mixed case.
fn uuid_like() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
}

/// Year, month and day fields with leap-year and out-of-range values over-represented.
fn date_fields() -> impl Strategy<Value = (u16, u8, u8)> {
    let year = prop_oneof![
        select(
            &[
                0u16, 4, 100, 400, 1900, 1996, 2000, 2023, 2024, 2100, 9996, 9999
            ][..]
        ),
        0u16..10000,
    ];
    let month = prop_oneof![1u8..13, 0u8..100];
    let day = prop_oneof![select(&[1u8, 28, 29, 30, 31][..]), 0u8..33, 0u8..100];
    (year, month, day)
}

/// `YYYY-MM-DD` from [`date_fields`].
fn date_like() -> impl Strategy<Value = String> {
    date_fields().prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// Date-times with varied separators, leap seconds, fractions and offsets.
fn date_time_like() -> impl Strategy<Value = String> {
    let separator = select(&["T", "t", " ", "_", "TT", ""][..]);
    let time = prop_oneof![
        (0u8..24, 0u8..60, 0u8..61),
        Just((23u8, 59u8, 60u8)),
        (
            select(&[0u8, 1, 12, 15, 22, 23][..]),
            select(&[0u8, 58, 59][..]),
            Just(60u8)
        ),
        (0u8..100, 0u8..100, 0u8..100),
    ];
    let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{0,12}", "\\.[0-9]{1,3}[a-z]?",];
    let offset = prop_oneof![
        select(&["Z", "z", "", "ZZ", "+", "-", "Z "][..]).prop_map(str::to_owned),
        (select(&["+", "-"][..]), 0u8..24, 0u8..60)
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        (
            select(&["+", "-"][..]),
            select(&[0u8, 1, 8, 23, 24][..]),
            select(&[0u8, 1, 59, 60][..])
        )
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        (select(&["+", "-"][..]), 0u8..100, 0u8..100)
            .prop_map(|(s, h, m)| format!("{s}{h:02}{m:02}")),
    ];
    (date_like(), separator, time, fraction, offset).prop_map(
        |(date, separator, (h, m, s), fraction, offset)| {
            format!("{date}{separator}{h:02}:{m:02}:{s:02}{fraction}{offset}")
        },
    )
}

/// Local parts: atoms, dotted atoms, quoted strings, long and non-ASCII ones.
fn local_part() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,10}",
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]{0,12}",
        "\"[ -~\t]{0,8}\"",
        "\"([a-z ]|\\\\[ -~])*\"",
        "a{60,66}",
        "[a-zé\u{663}]{1,4}",
        select(
            &[
                "\"\"", "\"", "<a", "a(b)", "a,b", "a b", "\"a\"b", "a..b", ".a", "a."
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

/// Domains: hostnames (including A-labels), IP literals and odd shapes.
fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?", 1..4)
            .prop_map(|labels| labels.join(".")),
        prop::collection::vec("[a-z0-9-]{0,8}", 1..4).prop_map(|labels| labels.join(".")),
        select(
            &[
                "xn--bcher-kva.example",
                "xn--nxasmq6b.com",
                "xn--mgbh0fb.xn--kgbechtv",
                "xn--fsqu00a.xn--0zwm56d",
                "xn--hxajbheg2az3al.xn--jxalpdlp",
                "xn--4gbrim.xn----ymcbaaajlc6dj7bxne2c.xn--wgbh1c",
                "xn--ihqwcrb4cv8a8dqg056pqjye",
                "xn--d1acpjx3f.xn--p1ai",
                "xn--zz.com",
                "xn--a.com",
                "xn--0.com",
                "xn--l-fda.com",
                "xn--ll-0ea.com",
                "xn--vja.com",
                "xn--a-ch8a.com",
                "localhost",
                "[127.0.0.1]",
                "[255.255.255.255]",
                "[256.0.0.1]",
                "[IPv6:::1]",
                "[ipv6:2001:db8::1]",
                "[IPv6:::ffff:1.2.3.4]",
                "[IPv6:1:2:3:4:5:6:7:8:9]",
                "[::1]",
                "[]",
                "[a]",
                "[127.0.0.1",
            ][..]
        )
        .prop_map(str::to_owned),
        "xn--[a-z0-9]{1,10}(-[a-z0-9]{1,4})?(\\.[a-z]{2,3})?",
        "\\[[0-9.]{7,15}\\]",
    ]
}

/// Addresses with and without display names.
fn email_like() -> impl Strategy<Value = String> {
    let shape = select(
        &[
            "{}",
            "Name <{}>",
            " <{}>",
            "<{}>",
            "\"N\" <{}> ",
            "a <b <{}>",
            "{} ",
        ][..],
    );
    (local_part(), domain(), shape)
        .prop_map(|(local, domain, shape)| shape.replace("{}", &format!("{local}@{domain}")))
}

/// `is_uuid` is SIMD code (`uuid-simd`): every byte value at every position of a valid uuid
/// (upper and lower case) gets the oracle's verdict, so no range test can be off by one.
#[test]
fn uuid_every_byte_at_every_position_matches_the_oracle() {
    for valid in [
        "05fd3654-1f5d-479d-ade5-64239fdf214d",
        "A1B2C3D4-E5F6-7890-ABCD-EF1234567890",
    ] {
        for at in 0..valid.len() {
            for byte in 0..=255u8 {
                let mut bytes = valid.as_bytes().to_vec();
                bytes[at] = byte;
                // A lone byte of 0x80 or more is not UTF-8: the two-byte `é` stands for them.
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|_| format!("{}é{}", &valid[..at], &valid[at + 1..]));
                assert_eq!(
                    runtime::is_uuid(&text),
                    UUID.is_valid(&json!(text)),
                    "uuid {text:?}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn uuid_corpus_matches_the_oracle(text in mutated(uuid_like())) {
        let ours = runtime::is_uuid(&text);
        prop_assert_eq!(ours, UUID.is_valid(&json!(text)), "uuid {:?}", text);
    }

    #[test]
    fn date_corpus_matches_the_oracle(text in mutated(date_like())) {
        let ours = runtime::is_date(&text);
        prop_assert_eq!(ours, DATE.is_valid(&json!(text)), "date {:?}", text);
    }
}

proptest! {
    #![proptest_config(config(10000))]

    #[test]
    fn date_time_corpus_matches_the_oracle(text in mutated(date_time_like())) {
        let ours = runtime::is_date_time(&text);
        prop_assert_eq!(ours, DATE_TIME.is_valid(&json!(text)), "date-time {:?}", text);
    }

    #[test]
    fn email_corpus_matches_the_oracle(text in mutated(email_like())) {
        let ours = runtime::is_email(&text);
        prop_assert_eq!(ours, EMAIL.is_valid(&json!(text)), "email {:?}", text);
    }

    #[test]
    fn arbitrary_strings_match_the_oracle(text in any::<String>()) {
        for format in ["uuid", "date", "date-time", "email"] {
            prop_assert_eq!(
                runtime_format(format)(&text),
                oracle_format(format).is_valid(&json!(text)),
                "{} {:?}", format, text
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// JSON numbers at the edges of the `u64`/`i64`/`f64` forms.
const NUMBER_TEXTS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1",
    "1.0",
    "-1",
    "-1.0",
    "0.5",
    "-0.5",
    "1.5",
    "2",
    "3",
    "10",
    "0.1",
    "0.2",
    "0.3",
    "0.01",
    "1e2",
    "1E2",
    "100",
    "1.0000000000000002",
    "0.9999999999999999",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "9007199254740992.0",
    "9007199254740994.0",
    "-9007199254740993",
    "-9007199254740992.0",
    "9223372036854775807",
    "9223372036854775808",
    "9223372036854775807.0",
    "-9223372036854775808",
    "-9223372036854775809",
    "-9223372036854775808.0",
    "18446744073709551615",
    "18446744073709551616",
    "18446744073709551615.0",
    "18446744073709551614",
    "1e19",
    "1e20",
    "-1e20",
    "1e300",
    "-1e300",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "5e-324",
    "-5e-324",
    "2.2250738585072014e-308",
    "1e-7",
    "123.456",
    "-123.456",
    "4294967296",
    "4294967295.5",
    "12345678901234567890",
];

/// Parses a JSON number literal.
fn number(text: &str) -> Number {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Numbers of every form: integers of both signs, floats from bits and from decimal text.
fn any_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        select(NUMBER_TEXTS).prop_map(number),
        any::<u64>().prop_map(Number::from),
        any::<i64>().prop_map(Number::from),
        (-1000i64..1000).prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-1000i64..1000, 0u32..4).prop_map(|(k, p)| {
            Number::from_f64(k as f64 / 10f64.powi(p as i32)).unwrap_or_else(|| Number::from(k))
        }),
        (any::<u64>(), any::<bool>()).prop_filter_map("finite", |(v, neg)| {
            Number::from_f64(if neg { -(v as f64) } else { v as f64 })
        }),
    ]
}

/// Integer `enum` options as the generator admits them for `integer_in` (within ±2^53), with
/// the edges.
fn integer_options() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(
        prop_oneof![
            -1000i64..1000,
            Just(0),
            Just(1 << 53),
            Just(-(1 << 53)),
            (-(1i64 << 53))..=(1i64 << 53),
        ],
        1..5,
    )
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn integer_enum_matches_the_oracle(n in any_number(), options in integer_options(), pick in any::<Index>()) {
        // Half the time `n` is an option, in another form (`4400.0` for `4400`).
        let n = if pick.index(2) == 0 {
            let option = options[pick.index(options.len())];
            Number::from_f64(option as f64).unwrap_or(n)
        } else {
            n
        };
        let expected = oracle(&json!({"enum": options})).is_valid(&Value::Number(n.clone()));
        prop_assert_eq!(runtime::integer_in(&n, &options), expected, "{} in {:?}", n, options);
    }
}

#[test]
fn integer_enum_matches_the_oracle_on_edge_numbers() {
    let options = [0, 4400, 1 << 53, -(1 << 53)];
    for text in [
        "0",
        "-0",
        "0.0",
        "-0.0",
        "4400",
        "4400.0",
        "4.4e3",
        "4400.5",
        "9007199254740992",
        "9007199254740993",
        "9007199254740992.0",
        "-9007199254740992",
        "18446744073709551615",
        "1e300",
        "-1e-300",
    ] {
        let n = number(text);
        let expected = oracle(&json!({"enum": options})).is_valid(&Value::Number(n.clone()));
        assert_eq!(runtime::integer_in(&n, &options), expected, "{text}");
    }
}

/// A runtime bound check: `ge`, `gt`, `le` or `lt`.
type BoundCheck = fn(&Number, Limit) -> bool;

/// Asserts the four bound checks agree with the oracle for `limit` and `instance`.
fn assert_bounds_agree(limit: &Number, instance: &Number) {
    let limit_form = Limit::of(limit);
    let value = Value::Number(instance.clone());
    let checks: [(&str, BoundCheck); 4] = [
        ("minimum", runtime::ge),
        ("exclusiveMinimum", runtime::gt),
        ("maximum", runtime::le),
        ("exclusiveMaximum", runtime::lt),
    ];
    for (keyword, check) in checks {
        let schema = json!({ keyword: limit });
        let theirs = oracle(&schema).is_valid(&value);
        assert_eq!(
            check(instance, limit_form),
            theirs,
            "{keyword} {limit} against {instance}"
        );
    }
}

#[test]
fn bounds_match_the_oracle_on_edge_numbers() {
    let numbers: Vec<Number> = NUMBER_TEXTS.iter().map(|t| number(t)).collect();
    for limit in &numbers {
        for instance in &numbers {
            assert_bounds_agree(limit, instance);
        }
    }
}

#[test]
fn integer_check_matches_the_oracle_on_edge_numbers() {
    let validator = oracle(&json!({"type": "integer"}));
    for text in NUMBER_TEXTS {
        let n = number(text);
        assert_eq!(
            runtime::is_integer(&n),
            validator.is_valid(&Value::Number(n.clone())),
            "{text}"
        );
    }
}

static INTEGER: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| oracle(&json!({"type": "integer"})));

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn bounds_match_the_oracle(limit in any_number(), instance in any_number()) {
        assert_bounds_agree(&limit, &instance);
    }

    #[test]
    fn integer_check_matches_the_oracle(n in any_number()) {
        prop_assert_eq!(runtime::is_integer(&n), INTEGER.is_valid(&Value::Number(n.clone())));
    }
}

/// `multipleOf` divisors as JSON text, with the integer mantissa and decimal exponent they are.
const DIVISORS: &[(&str, i128, i32)] = &[
    ("0.01", 1, -2),
    ("0.00001", 1, -5),
    ("3", 3, 0),
    ("0.1", 1, -1),
    ("0.3", 3, -1),
    ("1.5", 15, -1),
    ("0.5", 5, -1),
    ("0.07", 7, -2),
    ("0.025", 25, -3),
    ("123.456", 123_456, -3),
    ("1e-16", 1, -16),
    ("1e-20", 1, -20),
    ("1e-30", 1, -30),
    ("1e-300", 1, -300),
    ("1.2345678901234567e-10", 12_345_678_901_234_567, -26),
    ("7", 7, 0),
    ("1", 1, 0),
    ("1.0", 1, 0),
    ("2", 2, 0),
    ("1000", 1000, 0),
    ("1e20", 1, 20),
    ("9007199254740992", 9_007_199_254_740_992, 0),
    ("9007199254740994", 9_007_199_254_740_994, 0),
    ("18446744073709551615", 18_446_744_073_709_551_615, 0),
];

/// Asserts `multipleOf` agrees with the oracle.
fn assert_multiple_agrees(divisor: &str, value: &Number) {
    let divisor_number = number(divisor);
    let multiple = divisor_number.as_f64().unwrap();
    let theirs =
        oracle(&json!({"multipleOf": divisor_number})).is_valid(&Value::Number(value.clone()));
    assert_eq!(
        runtime::is_multiple_of(value, multiple),
        theirs,
        "multipleOf {divisor} for {value}"
    );
}

/// Values around multiples of a divisor `mantissa * 10^exponent`, as JSON text.
fn multiple_text(mantissa: i128, exponent: i32) -> impl Strategy<Value = String> {
    prop_oneof![
        // An exact decimal multiple, possibly scaled further up.
        (-100_000i64..100_000, 0i32..45).prop_map(move |(k, shift)| {
            format!("{}e{}", i128::from(k) * mantissa, exponent + shift)
        }),
        // A multiple with one more digit appended: usually not a multiple.
        (-100_000i64..100_000, 0u8..10).prop_map(move |(k, digit)| {
            format!("{}{digit}e{}", i128::from(k) * mantissa, exponent - 1)
        }),
        // Plain decimal text.
        "-?[0-9]{1,18}(\\.[0-9]{1,18})?",
        "-?[1-9]\\.[0-9]{0,16}e-?[0-9]{1,3}",
    ]
}

proptest! {
    #![proptest_config(config(10000))]

    #[test]
    fn multiple_of_matches_the_oracle(
        (divisor, text) in select(DIVISORS)
            .prop_flat_map(|(divisor, m, e)| (Just(divisor), multiple_text(m, e)))
    ) {
        // Texts past `f64` are not JSON numbers serde_json accepts.
        if let Ok(value) = serde_json::from_str::<Number>(&text) {
            assert_multiple_agrees(divisor, &value);
        }
    }

    #[test]
    fn multiple_of_matches_the_oracle_on_any_number(
        divisor in select(DIVISORS).prop_map(|(d, _, _)| d),
        value in any_number(),
    ) {
        assert_multiple_agrees(divisor, &value);
    }
}

#[test]
fn multiple_of_matches_the_oracle_on_edge_cases() {
    let values = [
        "0",
        "-0.0",
        "0.0",
        "1e40",
        "-1e40",
        "3e40",
        "1e38",
        "1.7e38",
        "123456789.5",
        "1e-300",
        "2e-300",
        "5e-324",
        "9007199254740993",
        "9007199254740994.0",
        "9007199254740996.0",
        "9999999999999998.0",
        "1e16",
        "1.5e16",
        "18446744073709551615",
        "-9223372036854775808",
        "1e300",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "0.3",
        "0.6",
        "0.9",
        "4.5",
        "12.2",
        "1070468.14",
        "47.498",
        "3.1254",
        "1e-15",
        "-6",
        "1e-5",
        "0.00002",
        "19.99",
        "0.0100000000000000002",
        "1e22",
        "1e23",
        "1.5e22",
        "7e-2",
    ];
    for (divisor, _, _) in DIVISORS {
        for value in values {
            assert_multiple_agrees(divisor, &number(value));
        }
        for value in NUMBER_TEXTS {
            assert_multiple_agrees(divisor, &number(value));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lengths, equality and uniqueness
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn char_count_matches_max_length(text in prop_oneof![any::<String>(), "[a-zé\u{1F600}\u{301}\r\n]{0,12}"]) {
        let count = runtime::char_count(&text);
        let value = json!(text);
        let at_most = oracle(&json!({"maxLength": count})).is_valid(&value);
        let at_least = oracle(&json!({"minLength": count})).is_valid(&value);
        let over = oracle(&json!({"minLength": count + 1})).is_valid(&value);
        prop_assert!(at_most && at_least && !over, "{:?} counted {}", text, count);
        if count > 0 {
            let under = oracle(&json!({"maxLength": count - 1})).is_valid(&value);
            prop_assert!(!under, "{:?} counted {}", text, count);
        }
    }

    #[test]
    fn length_shortcuts_match_the_oracle(
        text in prop_oneof![any::<String>(), "[aé\u{800}\u{1F600}]{0,12}"],
        limit in 0u64..16,
    ) {
        let value = json!(text);
        let too_short = !oracle(&json!({"minLength": limit})).is_valid(&value);
        let too_long = !oracle(&json!({"maxLength": limit})).is_valid(&value);
        prop_assert_eq!(runtime::shorter_than(&text, limit), too_short, "{:?} minLength {}", text, limit);
        prop_assert_eq!(runtime::longer_than(&text, limit), too_long, "{:?} maxLength {}", text, limit);
    }
}

/// The length shortcuts decide from the byte length where they can (a character is one to
/// four bytes): every boundary of that reasoning, against the oracle.
#[test]
fn length_shortcuts_match_the_oracle_at_the_byte_boundaries() {
    for text in [
        "",
        "a",
        "\u{1F600}",
        "\u{1F600}\u{1F600}",
        "a\u{1F600}",
        "\u{800}\u{800}\u{800}",
        "é",
        "éé",
        "aaaa",
    ] {
        let value = json!(text);
        for limit in 0u64..10 {
            let too_short = !oracle(&json!({"minLength": limit})).is_valid(&value);
            let too_long = !oracle(&json!({"maxLength": limit})).is_valid(&value);
            assert_eq!(
                runtime::shorter_than(text, limit),
                too_short,
                "{text:?} minLength {limit}"
            );
            assert_eq!(
                runtime::longer_than(text, limit),
                too_long,
                "{text:?} maxLength {limit}"
            );
        }
    }
}

/// Small JSON values whose numbers come in several forms of the same few values.
fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        select(&["", "a", "1", "é"][..]).prop_map(|s| json!(s)),
        select(
            &[
                "0",
                "-0.0",
                "0.0",
                "1",
                "1.0",
                "-1",
                "-1.0",
                "2",
                "1e0",
                "0.5",
                "18446744073709551615",
                "18446744073709551615.0",
                "9007199254740993",
                "9007199254740992.0"
            ][..]
        )
        .prop_map(|t| Value::Number(number(t))),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((select(&["a", "b", "c"][..]), inner), 0..3).prop_map(
                |entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }
            ),
        ]
    })
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn json_equal_matches_enum_and_const(a in small_json(), b in small_json()) {
        let ours = runtime::json_equal(&a, &b);
        prop_assert_eq!(ours, oracle(&json!({"enum": [a.clone()]})).is_valid(&b), "enum {} vs {}", a, b);
        prop_assert_eq!(ours, oracle(&json!({"const": a.clone()})).is_valid(&b), "const {} vs {}", a, b);
        prop_assert_eq!(ours, oracle(&json!({"enum": [a.clone(), "zz-other", 12345]})).is_valid(&b));
        prop_assert_eq!(ours, runtime::json_equal(&b, &a));
    }

    #[test]
    fn unique_items_match_the_oracle(items in prop::collection::vec(small_json(), 0..20)) {
        let theirs = oracle(&json!({"uniqueItems": true})).is_valid(&Value::Array(items.clone()));
        prop_assert_eq!(runtime::has_unique_items(&items), theirs, "{:?}", items);
    }
}

#[test]
fn equality_edge_cases() {
    assert!(runtime::json_equal(&json!(1), &json!(1.0)));
    assert!(runtime::json_equal(&json!(0), &json!(-0.0)));
    assert!(runtime::json_equal(
        &json!({"a": 1, "b": [2]}),
        &json!({"b": [2.0], "a": 1.0})
    ));
    assert!(!runtime::json_equal(&json!(1), &json!(true)));
    assert!(!runtime::json_equal(&json!("1"), &json!(1)));
    assert!(!runtime::json_equal(
        &json!(9_007_199_254_740_993_u64),
        &json!(9_007_199_254_740_992.0)
    ));
    assert!(runtime::has_unique_items(&[
        json!(1),
        json!("1"),
        json!(true)
    ]));
    assert!(!runtime::has_unique_items(&[json!([1]), json!([1.0])]));
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

/// ECMA-262 patterns from specs and from the oracle's own tests.
const PATTERNS: &[&str] = &[
    r"^\d{4}$",
    r"^[0-9]+$",
    r"^\d{4}-\d{2}$",
    r"^[A-Za-z0-9+/_-]+={0,2}$",
    r"\w",
    r"^\w+$",
    r"\W",
    r"\s",
    r"^\s*$",
    r"^\S*$",
    r"^\S+$",
    r"\S",
    r"^\D+$",
    r"\bfoo\b",
    r"^.$",
    r"^.*$",
    r"^[^\n]+$",
    r"^[a-z]{2,3}(-[A-Z]{2})?$",
    r"^\+?[1-9]\d{1,14}$",
    r"^(get|put|post)$",
    r"^x-",
    r"^abc$",
    r"abc",
    r"^[\w.-]+@[\w-]+\.[a-z]{2,}$",
    r"^(?=.*\d)(?=.*[a-z])\w{4,}$",
    r"^(?=.{1,5}$)[a-z]",
    r"^(?=\w)\S+$",
    r"^(?=(a))\1b",
    r"^(?!\d)\w+$",
    r"(?<!a)b\s",
    r"^(\w)\1$",
    r"^(?=.*\d).*\.$",
    r"^(?!eo:)",
    r"^(a)\1$",
    r"(?<=a)b",
    r"^[\u0600-\u06FF]+$",
    r"^\p{L}+$",
    r"^[^\s]+$",
    r"[\s\S]",
    r"^\t$",
    r"^[a-z&&^b]+$",
    r"^[\w--z]+$",
    r"^\cJ$",
    r"^[0-9]{3}\.[0-9]{2}$",
    r"^$",
    r"^.{1,5}$",
    r"^[^a-z]*$",
    r"^(\d+)(\.\d+)?$",
    r"a+b",
    r"^[^!*,;{}[\]~\n]+$",
];

/// Characters for subject strings: ASCII, non-ASCII digits, letters and whitespace.
const SUBJECT_POOL: &[char] = &[
    '0',
    '1',
    '5',
    '9',
    'a',
    'b',
    'z',
    'A',
    'Z',
    'x',
    '-',
    '+',
    '/',
    '_',
    '=',
    '.',
    '@',
    ':',
    'e',
    'o',
    'g',
    't',
    'p',
    'u',
    's',
    'c',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    '\u{c}',
    '\u{85}',
    '\u{a0}',
    '\u{1680}',
    '\u{2003}',
    '\u{2028}',
    '\u{2029}',
    '\u{202f}',
    '\u{3000}',
    '\u{feff}',
    '\u{660}',
    '\u{663}',
    '\u{669}',
    '\u{6f3}',
    '\u{966}',
    '\u{ff10}',
    'é',
    'ß',
    'Σ',
    'ا',
    '\u{1F600}',
    '\u{10000}',
    '!',
    '*',
    '[',
    ']',
    '~',
];

/// The generator's recipe (see `runtime::Pattern`): split leading lookaheads when every part
/// compiles with the `regex` crate, else translate the whole pattern.
fn compile_like_the_generator(pattern: &str) -> Option<runtime::Pattern> {
    if let Some(parts) = jsonschema_regex::split_leading_lookaheads(pattern) {
        let translated: Option<Vec<String>> = parts
            .iter()
            .map(|part| {
                jsonschema_regex::to_rust_regex(part)
                    .ok()
                    .map(|t| t.into_owned())
            })
            .collect();
        if let Some(translated) = translated {
            let parts: Vec<&str> = translated.iter().map(String::as_str).collect();
            if let Ok(compiled) = runtime::compile_pattern_parts(&parts) {
                return Some(compiled);
            }
        }
    }
    let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
    runtime::compile_pattern(&translated).ok()
}

/// Compiles a pattern both ways: the runtime as the generator does, the oracle from the source.
fn compile_both(pattern: &str) -> Option<(runtime::Pattern, jsonschema::Validator)> {
    let ours = compile_like_the_generator(pattern)?;
    let theirs = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&json!({"pattern": pattern}))
        .ok()?;
    Some((ours, theirs))
}

static COMPILED: LazyLock<Vec<(&'static str, runtime::Pattern, jsonschema::Validator)>> =
    LazyLock::new(|| {
        PATTERNS
            .iter()
            .map(|pattern| {
                let (ours, theirs) = compile_both(pattern)
                    .unwrap_or_else(|| panic!("{pattern} does not compile on both sides"));
                (*pattern, ours, theirs)
            })
            .collect()
    });

/// Asserts every pattern gives the same verdict as the oracle on `text`.
fn assert_patterns_agree(text: &str) {
    for (pattern, ours, theirs) in COMPILED.iter() {
        assert_eq!(
            ours.is_match(text),
            theirs.is_valid(&json!(text)),
            "pattern {pattern} on {text:?}"
        );
    }
}

#[test]
fn patterns_match_the_oracle_on_chosen_subjects() {
    let subjects = [
        "",
        "1234",
        "١٢٣٤",
        "۱۲۳۴",
        "१२३४",
        "１２３４",
        "12345",
        "2024-01",
        "٢٠٢٤-٠١",
        "abc",
        "QUJD",
        "QUJDRA==",
        "QUJD===",
        "a+b/c_d-e=",
        " ",
        "\u{a0}",
        "\u{2003}",
        "\u{feff}",
        "\u{3000}",
        "\u{85}",
        "\u{180e}",
        "\u{200b}",
        "a b",
        "a\u{a0}b",
        "é",
        "ß",
        "\n",
        "a\n",
        "\r",
        "\u{2028}",
        "foo",
        "a foo b",
        "éfoo",
        "x-api",
        "get",
        "post",
        "gets",
        "abc\n",
        "ab12",
        "eo:bands",
        "proj:epsg",
        "aa",
        "ab",
        "ب",
        "\t",
        "\u{1F600}",
        "+12345678901",
        "a.b@c-d.io",
        "12.5",
        "12",
        "aab",
        "b",
    ];
    for text in subjects {
        assert_patterns_agree(text);
    }
}

/// The suite's `pattern` cases whose schema is a bare top-level `pattern`.
fn suite_pattern_cases(relative: &str) -> Vec<(String, Value)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/json-schema-test-suite")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let groups: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut cases = Vec::new();
    for group in groups {
        let Some(pattern) = group["schema"]["pattern"].as_str() else {
            continue;
        };
        for test in group["tests"].as_array().into_iter().flatten() {
            cases.push((pattern.to_owned(), test["data"].clone()));
        }
    }
    cases
}

#[test]
fn patterns_match_the_oracle_on_the_suite() {
    let mut checked = 0;
    for file in [
        "draft4/pattern.json",
        "draft4/optional/ecmascript-regex.json",
        "draft4/optional/non-bmp-regex.json",
    ] {
        for (pattern, data) in suite_pattern_cases(file) {
            let Some(text) = data.as_str() else {
                continue;
            };
            // Patterns the oracle itself rejects cannot be generated.
            let Some((ours, theirs)) = compile_both(&pattern) else {
                continue;
            };
            assert_eq!(
                ours.is_match(text),
                theirs.is_valid(&data),
                "{file}: pattern {pattern} on {text:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} suite pattern cases");
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn patterns_match_the_oracle(chars in prop::collection::vec(select(SUBJECT_POOL), 0..8)) {
        let text: String = chars.into_iter().collect();
        assert_patterns_agree(&text);
    }
}

#[test]
fn pattern_engines() {
    let digits =
        runtime::compile_pattern(&jsonschema_regex::to_rust_regex(r"^\d{4}$").unwrap()).unwrap();
    assert!(digits.is_match("2024"));
    assert!(!digits.is_match("٢٠٢٤"));
    let lookahead = runtime::compile_pattern(r"^(?=.*\d)\w+$").unwrap();
    assert!(lookahead.is_match("abc1"));
    assert!(!lookahead.is_match("abc"));
    assert!(runtime::compile_pattern("(").is_err());
    let parts = runtime::compile_pattern_parts(&["^(?:.*[0-9])", "^(?:[A-Za-z0-9_]+$)"]).unwrap();
    assert!(parts.is_match("abc1"));
    assert!(!parts.is_match("abc\u{663}"));
    assert_eq!(parts.try_match("abc"), Some(false));
    assert!(runtime::compile_pattern_parts(&["^(?:(a))", r"^(?:\1b)"]).is_err());
}

// ---------------------------------------------------------------------------------------------
// Sensitive and the models' serde
// ---------------------------------------------------------------------------------------------

#[test]
fn sensitive_never_prints_the_value() {
    let secret = Sensitive::new("4111111111111111".to_owned());
    for printed in [
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{secret:#?}"),
        format!("{:?}", Some(&secret)),
        format!("{:?}", vec![secret.clone()]),
    ] {
        assert!(!printed.contains("4111"), "{printed}");
        assert!(printed.contains("<redacted>"), "{printed}");
    }
    assert_eq!(secret.expose(), "4111111111111111");
    assert_eq!(secret.len(), 16);
    assert_eq!(Sensitive::from(5), Sensitive(5));
    assert_eq!(Sensitive::<u8>::default().into_inner(), 0);
    let mut seen = std::collections::HashSet::new();
    assert!(seen.insert(secret.clone()));
    assert!(!seen.insert(secret));
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
struct Card {
    pan: Sensitive<String>,
    cvv: Sensitive<Option<String>>,
}

#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct PlainCard {
    pan: String,
    cvv: Option<String>,
}

#[test]
fn sensitive_is_transparent_for_serde_and_schemars() {
    let card: Card = serde_json::from_value(json!({"pan": "4111", "cvv": null})).unwrap();
    assert_eq!(card.pan.expose(), "4111");
    assert_eq!(card.cvv.expose(), &None);
    assert_eq!(
        serde_json::to_value(&card).unwrap(),
        json!({"pan": "4111", "cvv": null})
    );
    assert!(!format!("{card:?}").contains("4111"));

    assert_eq!(
        schemars::schema_for!(Sensitive<String>),
        schemars::schema_for!(String)
    );
    assert_eq!(
        schemars::schema_for!(Sensitive<Vec<u8>>),
        schemars::schema_for!(Vec<u8>)
    );
    let card_schema = serde_json::to_value(schemars::schema_for!(Card)).unwrap();
    let plain_schema = serde_json::to_value(schemars::schema_for!(PlainCard)).unwrap();
    assert_eq!(
        card_schema["properties"]["pan"],
        plain_schema["properties"]["pan"]
    );
    assert_eq!(
        card_schema["properties"]["cvv"],
        plain_schema["properties"]["cvv"]
    );
    assert_eq!(card_schema["required"], json!(["pan"]));
    assert_eq!(
        <Sensitive<Card> as schemars::JsonSchema>::schema_name(),
        <Card as schemars::JsonSchema>::schema_name()
    );
    assert_eq!(
        <Sensitive<String> as schemars::JsonSchema>::inline_schema(),
        <String as schemars::JsonSchema>::inline_schema()
    );
}

#[cfg(feature = "utoipa")]
#[test]
fn sensitive_delegates_utoipa_schemas() {
    use utoipa::{PartialSchema, ToSchema};
    assert_eq!(
        serde_json::to_value(<Sensitive<String> as PartialSchema>::schema()).unwrap(),
        serde_json::to_value(<String as PartialSchema>::schema()).unwrap()
    );
    assert_eq!(
        <Sensitive<String> as ToSchema>::name(),
        <String as ToSchema>::name()
    );
}

/// A model as the generator writes it: `object_serde!` (`templates/object_serde.rs`) instead of
/// serde_derive, one field of each kind, a raw identifier, a renamed field and the other keys kept.
#[derive(Debug, Clone, PartialEq)]
struct Account {
    pan: Sensitive<String>,
    holder: Option<String>,
    nickname: Option<Option<String>>,
    r#type: Option<String>,
    limits: Option<Vec<u32>>,
    additional_properties: serde_json::Map<String, Value>,
}
runtime::object_serde!(Account rest additional_properties {(
    "pan" => pan: required Sensitive<String>,
    "holder" => holder: required Option<String>,
    "nick-name" => nickname: nullable Option<Option<String>>,
    "type" => r#type: optional Option<String>,
    "limits" => limits: optional Option<Vec<u32>>,
)});

/// The same model without other keys: they are ignored.
#[derive(Debug, Clone, PartialEq)]
struct Closed {
    pan: String,
}
runtime::object_serde!(Closed { ("pan" => pan: required String) });

/// A model that names no property (an `object` schema with none): every key is kept.
#[derive(Debug, Clone, PartialEq)]
struct Open {
    additional_properties: serde_json::Map<String, Value>,
}
runtime::object_serde!(Open rest additional_properties {});

/// A model of more fields than one group of slots holds (the generator groups them by 16):
/// the key of every field must reach its own slot, and a missing one must be named as
/// serde_derive names it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Wide {
    f00: u8,
    f01: Option<u8>,
    f02: u8,
    f03: u8,
    f04: u8,
    f05: u8,
    f06: u8,
    f07: u8,
    f08: u8,
    f09: u8,
    f10: u8,
    f11: u8,
    f12: u8,
    f13: u8,
    f14: u8,
    f15: Option<u8>,
    f16: u8,
    f17: Option<u8>,
    f18: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f19: Option<u8>,
}
#[derive(Debug, Clone, PartialEq)]
struct WideOurs {
    f00: u8,
    f01: Option<u8>,
    f02: u8,
    f03: u8,
    f04: u8,
    f05: u8,
    f06: u8,
    f07: u8,
    f08: u8,
    f09: u8,
    f10: u8,
    f11: u8,
    f12: u8,
    f13: u8,
    f14: u8,
    f15: Option<u8>,
    f16: u8,
    f17: Option<u8>,
    f18: u8,
    f19: Option<u8>,
}
runtime::object_serde!(WideOurs {(
    "f00" => f00: required u8, "f01" => f01: required Option<u8>, "f02" => f02: required u8,
    "f03" => f03: required u8, "f04" => f04: required u8, "f05" => f05: required u8,
    "f06" => f06: required u8, "f07" => f07: required u8, "f08" => f08: required u8,
    "f09" => f09: required u8, "f10" => f10: required u8, "f11" => f11: required u8,
    "f12" => f12: required u8, "f13" => f13: required u8, "f14" => f14: required u8,
    "f15" => f15: required Option<u8>,
) (
    "f16" => f16: required u8, "f17" => f17: required Option<u8>, "f18" => f18: required u8,
    "f19" => f19: optional Option<u8>,
)});

/// What the generator derived before `object_serde!`, the reference it must equal.
mod derived {
    use super::{Sensitive, Value};

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Account {
        pub pan: Sensitive<String>,
        pub holder: Option<String>,
        #[serde(
            rename = "nick-name",
            default,
            skip_serializing_if = "Option::is_none",
            with = "double_option"
        )]
        pub nickname: Option<Option<String>>,
        #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
        pub r#type: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limits: Option<Vec<u32>>,
        #[serde(flatten)]
        pub additional_properties: serde_json::Map<String, Value>,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Closed {
        pub pan: String,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Open {
        #[serde(flatten)]
        pub additional_properties: serde_json::Map<String, Value>,
    }

    /// The `with` module the generator used for optional nullable fields.
    mod double_option {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<T: Serialize, S: Serializer>(
            value: &Option<Option<T>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(Some(inner)) => serializer.serialize_some(inner),
                _ => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Option<T>>, D::Error> {
            Option::<T>::deserialize(deserializer).map(Some)
        }
    }
}

/// Decodes `document` both ways (from text and from a `Value`) with `object_serde!`'s model and
/// with the derived one; they must agree on the outcome, the error text and the JSON written back.
fn assert_models_agree<Ours, Derived>(document: &str) -> Option<Ours>
where
    Ours: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
    Derived: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let ours = serde_json::from_str::<Ours>(document);
    if document.starts_with('[') {
        // The one difference, on purpose: serde_derive reads a struct without `flatten` from an
        // array too (positionally); a JSON object model is never an array.
        let error = ours.expect_err(document).to_string();
        assert!(
            error.starts_with("invalid type: sequence, expected struct"),
            "{document}: {error}"
        );
        return None;
    }
    let derived = serde_json::from_str::<Derived>(document);
    match (&ours, &derived) {
        (Ok(ours), Ok(derived)) => assert_eq!(
            serde_json::to_string(ours).unwrap(),
            serde_json::to_string(derived).unwrap(),
            "{document}"
        ),
        (Err(ours), Err(derived)) => {
            assert_eq!(ours.to_string(), derived.to_string(), "{document}")
        }
        _ => panic!("{document}: object_serde! gives {ours:?}, serde_derive {derived:?}"),
    }
    if let Ok(value) = serde_json::from_str::<Value>(document) {
        let from_value = serde_json::from_value::<Ours>(value.clone()).map_err(|e| e.to_string());
        let derived_from_value =
            serde_json::from_value::<Derived>(value.clone()).map_err(|e| e.to_string());
        assert_eq!(from_value.is_ok(), derived_from_value.is_ok(), "{document}");
        if let (Err(ours), Err(derived)) = (&from_value, &derived_from_value) {
            assert_eq!(ours, derived, "{document}");
        }
        let borrowed = Ours::deserialize(&value).map_err(|e| e.to_string());
        assert_eq!(borrowed.is_ok(), from_value.is_ok(), "{document}");
    }
    ours.ok()
}

#[test]
fn object_serde_equals_serde_derive() {
    for document in [
        r#"{"pan": "1", "holder": "Ana"}"#,
        r#"{"pan": "1", "holder": null}"#,
        r#"{"pan": "1"}"#,
        r#"{"holder": "Ana"}"#,
        r#"{}"#,
        r#"{"pan": "1", "holder": "Ana", "nick-name": null}"#,
        r#"{"pan": "1", "holder": "Ana", "nick-name": "mine"}"#,
        r#"{"pan": "1", "holder": "Ana", "nick-name": 5}"#,
        r#"{"pan": "1", "type": "debit", "limits": [1, 2]}"#,
        r#"{"pan": "1", "type": null, "limits": null}"#,
        r#"{"pan": "1", "limits": [-1]}"#,
        r#"{"pan": "1", "extra": {"a": [1, {"b": null}]}, "more": 2.5, "type": "x"}"#,
        r#"{"extra": 1, "pan": "1", "pan": "2"}"#,
        r#"{"pan": "1", "nick-name": "a", "nick-name": null}"#,
        r#"{"pan": 1}"#,
        r#"{"pan": "1", "type": "aé
"}"#,
        r#"{"pan": "escaped key"}"#,
        r#"[]"#,
        r#"["1", "Ana"]"#,
        r#""pan""#,
        r#"null"#,
        r#"{"pan": "1""#,
    ] {
        assert_models_agree::<Account, derived::Account>(document);
        assert_models_agree::<Closed, derived::Closed>(document);
        assert_models_agree::<Open, derived::Open>(document);
    }
    let wide = |skip: &[&str], extra: &str| {
        let fields: Vec<String> = (0..20)
            .map(|n| format!("f{n:02}"))
            .filter(|name| !skip.contains(&name.as_str()))
            .map(|name| format!(r#""{name}": {}"#, name[1..].parse::<u8>().unwrap() + 1))
            .collect();
        format!("{{{}{extra}}}", fields.join(", "))
    };
    for document in [
        wide(&[], ""),
        wide(&["f01", "f15", "f17", "f19"], ""),
        wide(&["f18"], ""),
        wide(&["f02", "f18"], ""),
        wide(&["f16"], r#", "f16": "x""#),
        wide(&[], r#", "f17": 3"#),
        wide(&[], r#", "f00": 1"#),
        wide(&["f19"], r#", "f19": null, "other": [1]"#),
    ] {
        let ours = assert_models_agree::<WideOurs, Wide>(&document);
        if let Some(ours) = ours {
            assert_eq!(ours.f16, 17, "{document}");
        }
    }
    let account = assert_models_agree::<Account, derived::Account>(
        r#"{"pan": "4111", "holder": null, "nick-name": null, "type": "debit", "x": true}"#,
    )
    .unwrap();
    assert_eq!(account.holder, None);
    assert_eq!(account.nickname, Some(None));
    assert_eq!(account.r#type.as_deref(), Some("debit"));
    assert_eq!(account.additional_properties["x"], json!(true));
    assert!(!format!("{account:?}").contains("4111"));
}

/// A `oneOf` model and a wrapper as `models.rs` declares them.
#[derive(Debug, Clone, PartialEq)]
enum Either {
    Closed(Closed),
    Whole(u32),
    Number(f64),
    Text(String),
    List(Vec<u32>),
}
runtime::untagged_serde!(Either {
    Closed,
    Whole,
    Number,
    Text,
    List
});

#[derive(Debug, Clone, PartialEq)]
struct Wrapped(Vec<Either>);
runtime::transparent_serde!(Wrapped);

/// What serde_derive writes for them, the reference they must equal.
mod derived_union {
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(untagged)]
    pub enum Either {
        Closed(super::derived::Closed),
        Whole(u32),
        Number(f64),
        Text(String),
        List(Vec<u32>),
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(transparent)]
    pub struct Wrapped(pub Vec<Either>);
}

/// Decodes `document` from text, from a `Value` and from `&Value` with both; outcomes, error
/// texts and the JSON written back must be the same.
fn assert_same_serde<Ours, Derived>(document: &str)
where
    Ours: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
    Derived: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let written = |result: Result<String, serde_json::Error>| result.map_err(|e| e.to_string());
    let ours = serde_json::from_str::<Ours>(document).map(|v| serde_json::to_string(&v).unwrap());
    let derived =
        serde_json::from_str::<Derived>(document).map(|v| serde_json::to_string(&v).unwrap());
    assert_eq!(written(ours), written(derived), "{document}");
    if let Ok(value) = serde_json::from_str::<Value>(document) {
        let ours = serde_json::from_value::<Ours>(value.clone())
            .map(|v| serde_json::to_string(&v).unwrap());
        let derived = serde_json::from_value::<Derived>(value.clone())
            .map(|v| serde_json::to_string(&v).unwrap());
        assert_eq!(written(ours), written(derived), "{document} (from a Value)");
        let ours = Ours::deserialize(&value).map(|v| serde_json::to_string(&v).unwrap());
        let derived = Derived::deserialize(&value).map(|v| serde_json::to_string(&v).unwrap());
        assert_eq!(written(ours), written(derived), "{document} (from &Value)");
    }
}

#[test]
fn union_and_wrapper_serde_equal_serde_derive() {
    let documents = [
        r#"{"pan": "1"}"#,
        r#"{"pan": "1", "other": [1]}"#,
        r#"{"pan": 1}"#,
        r#"{}"#,
        "7",
        "-7",
        "4294967296",
        "2.5",
        "1e400",
        r#""text""#,
        r#""""#,
        "[1, 2]",
        "[-1]",
        "[1.5]",
        "[]",
        "null",
        "true",
        r#"{"pan": "1""#,
        "[1, 2",
    ];
    for document in documents {
        assert_same_serde::<Either, derived_union::Either>(document);
        let list = format!("[{document}]");
        assert_same_serde::<Wrapped, derived_union::Wrapped>(&list);
    }
    assert_same_serde::<Wrapped, derived_union::Wrapped>(r#"[{"pan": "1"}, 2, 2.5, "x", [3]]"#);
    assert_same_serde::<Wrapped, derived_union::Wrapped>(r#"{"pan": "1"}"#);
    // The variants are tried in order: `7` is `Whole`, not `Number`.
    assert_eq!(
        serde_json::from_str::<Either>("7").unwrap(),
        Either::Whole(7)
    );
}

// @generated-header
//! Runtime support for a generated validator crate: leaf checks that the generated validation
//! code calls (formats, numbers, string length, equality, patterns) plus the [`Sensitive`]
//! wrapper; then, appended by the generator, `templates/object_serde.rs` (the models' serde).
//!
//! Every check gives the same verdict as the `jsonschema` crate 0.61.2 (the reference oracle),
//! built with `default-features = false` and configured for draft 2020-12 with format
//! assertion on. The checks never panic and never allocate, apart from the two exceptions
//! documented on [`has_unique_items`] and [`Pattern::is_match`].
//!
//! The generator copies this file verbatim; it depends on `serde`, `serde_json`, `regex`,
//! `fancy-regex` and, behind the features of the same names, `schemars` and `utoipa`.

use std::cmp::Ordering;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::LazyLock;

use serde_json::{Number, Value};

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

/// `format: uuid`: 36 bytes, hyphens at 8, 13, 18 and 23, hex digits (either case) elsewhere.
/// No version or variant check. The oracle's own parser (`uuid-simd`: SIMD where the CPU has
/// it, about half the instructions of a byte loop).
#[must_use]
pub fn is_uuid(s: &str) -> bool {
    let mut parsed = [0u8; 16];
    uuid_simd::parse_hyphenated(s.as_bytes(), uuid_simd::Out::from_mut(&mut parsed)).is_ok()
}

/// The value of two ASCII digits, or `None` when either byte is not one.
fn two_digits(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Some((tens - b'0') * 10 + (ones - b'0')),
        _ => None,
    }
}

/// Gregorian leap year rule.
fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// `format: date`: exactly `YYYY-MM-DD` (ASCII digits), month 1-12, day within the month with
/// leap years (year 0000 included).
#[must_use]
pub fn is_date(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() != 10 {
        return false;
    }
    // Two overlapping words: `YYYY-MM-` and `YY-MM-DD`.
    let (Some(head), Some(tail)) = (
        digits_in(word_at(bytes, 0), const { Layout::of(b"0000-00-") }),
        digits_in(word_at(bytes, 2), const { Layout::of(b"00-00-00") }),
    ) else {
        return false;
    };
    let month = number(head, 5, 2);
    let day = number(tail, 6, 2);
    let last_day = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(number(head, 0, 4)) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last_day).contains(&day)
}

/// Eight bytes of `bytes` from `at` as an integer, the first byte lowest.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    // One load: the slice has eight bytes exactly, so the conversion cannot fail.
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default())
}

/// Eight bytes of ASCII digits (`0` in the text) and fixed separators, for [`digits_in`].
#[derive(Clone, Copy)]
struct Layout {
    /// The text as a word: a byte XORed with it is its digit's value (or 0 for a separator).
    text: u64,
    /// Per byte, what sets its high bit when added to a byte XORed with `text` and out of
    /// range: 0x76 (above 9) for a digit, 0x7F (above 0) for a separator.
    limits: u64,
}

impl Layout {
    const fn of(text: &[u8; 8]) -> Layout {
        let mut limits = [0x7F; 8];
        let mut at = 0;
        while at < 8 {
            if text[at] == b'0' {
                limits[at] = 0x76;
            }
            at += 1;
        }
        Layout {
            text: u64::from_le_bytes(*text),
            limits: u64::from_le_bytes(limits),
        }
    }
}

/// `word` read against `layout`: each digit's value in its byte (separators 0), or `None`
/// when a digit is not an ASCII digit or a separator differs. No branch per byte: a byte
/// below 0x80 plus its limit stays within its byte; one from 0x80 on sets its high bit itself.
#[inline(always)]
fn digits_in(word: u64, layout: Layout) -> Option<u64> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let values = word ^ layout.text;
    ((values | values.wrapping_add(layout.limits)) & HIGH == 0).then_some(values)
}

/// The decimal number of the `count` digit values in `values` from byte `at` on.
#[inline(always)]
fn number(values: u64, at: u32, count: u32) -> u16 {
    (at..at + count).fold(0, |number, byte| {
        number * 10 + ((values >> (8 * byte)) & 0xF) as u16
    })
}

/// How many ASCII digits `bytes` starts with: eight at a time while they last.
#[inline(always)]
fn leading_digits(bytes: &[u8]) -> usize {
    const DIGITS: Layout = Layout::of(b"00000000");
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut count = 0;
    while count + 8 <= bytes.len() {
        let values = word_at(bytes, count) ^ DIGITS.text;
        // The lowest flagged byte is exact: a carry only leaves a byte that is flagged itself.
        let other = (values | values.wrapping_add(DIGITS.limits)) & HIGH;
        if other != 0 {
            return count + (other.trailing_zeros() / 8) as usize;
        }
        count += 8;
    }
    count
        + bytes[count..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count()
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|z|+HH:MM|-HH:MM)`. A leap second (`:60`) is valid
/// only when the time is 23:59 in UTC once the offset is applied.
fn is_time(bytes: &[u8]) -> bool {
    let len = bytes.len();
    if len < 9 {
        return false;
    }
    let Some(values) = digits_in(word_at(bytes, 0), const { Layout::of(b"00:00:00") }) else {
        return false;
    };
    // Two digits each: at most 99, so the casts are exact.
    let (hour, minute, second) = (
        number(values, 0, 2) as u8,
        number(values, 3, 2) as u8,
        number(values, 6, 2) as u8,
    );
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if bytes[i] == b'.' {
        let digits = leading_digits(&bytes[9..]);
        if digits == 0 {
            return false;
        }
        i = 9 + digits;
    }
    let Some(&designator) = bytes.get(i) else {
        return false;
    };
    match designator {
        b'Z' | b'z' => i == len - 1 && (second != 60 || (hour == 23 && minute == 59)),
        b'+' | b'-' => {
            let offset = &bytes[i + 1..];
            if offset.len() != 5 || offset[2] != b':' {
                return false;
            }
            let (Some(offset_hour), Some(offset_minute)) =
                (two_digits(&offset[0..2]), two_digits(&offset[3..5]))
            else {
                return false;
            };
            if offset_hour > 23 || offset_minute > 59 {
                return false;
            }
            if second != 60 {
                return true;
            }
            // Local time minus the offset is UTC: `+` subtracts, `-` adds.
            let sign: i16 = if designator == b'+' { -1 } else { 1 };
            let mut utc_hour = i16::from(hour) + sign * i16::from(offset_hour);
            let mut utc_minute = i16::from(minute) + sign * i16::from(offset_minute);
            utc_hour += utc_minute / 60;
            utc_minute %= 60;
            if utc_minute < 0 {
                utc_minute += 60;
                utc_hour -= 1;
            }
            utc_hour = (utc_hour + 24) % 24;
            utc_hour == 23 && utc_minute == 59
        }
        _ => false,
    }
}

/// `format: date-time`: split at the first `T` or `t`; the left side must be a [`is_date`]
/// and the right side an RFC 3339 time with a mandatory offset (`Z`, `z` or `±HH:MM`),
/// optional fractional seconds of any length, and leap seconds only at 23:59 UTC.
#[must_use]
pub fn is_date_time(s: &str) -> bool {
    // A date is exactly 10 bytes with no `T`, so the first `T` must be at 10.
    let bytes = s.as_bytes();
    bytes.len() > 10
        && matches!(bytes[10], b'T' | b't')
        && is_date(&s[..10])
        && is_time(&bytes[11..])
}

/// `format: email`, as the oracle checks it (the `email_address` crate's parser with its
/// default options, then the oracle's own checks):
///
/// - an optional display name: text before the last `" <"` is ignored when the rest,
///   trimmed, ends with `>` (so `Name <a@example.com>` is valid);
/// - the local part is everything before the last `@`: 1-64 bytes, ASCII only, either a
///   dot-atom or a quoted string (`\` escapes a visible character; space and tab allowed);
///   an empty quoted local part `""` is accepted;
/// - the domain is a `[IPv4]` or `[IPv6:...]` literal, or an ASCII hostname (labels of
///   letters, digits and `-`; `xn--` labels must decode to valid IDNA labels). With the
///   oracle's `idna` feature off, non-ASCII domains are rejected.
#[must_use]
pub fn is_email(s: &str) -> bool {
    let (email, has_display) = match s.rsplit_once(" <") {
        None => (s, false),
        Some((display, rest)) => match rest.trim().strip_suffix('>') {
            Some(email) => (email, !display.trim().is_empty()),
            None => return false,
        },
    };
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    if !has_display && local.starts_with('<') {
        return false;
    }
    // The oracle rewrites a leading `""@` to `"a"@`, which only matters when that local part
    // is the whole address's own (no `" <"` split happened).
    let empty_quoted_ok = email.len() == s.len();
    is_email_local_part(local, empty_quoted_ok) && is_email_domain(domain)
}

/// The local part of an address: ASCII dot-atom or quoted string of at most 64 bytes.
fn is_email_local_part(local: &str, empty_quoted_ok: bool) -> bool {
    if local.is_empty() || local.len() > 64 || !local.is_ascii() {
        return false;
    }
    let bytes = local.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'"' && bytes[bytes.len() - 1] == b'"' {
        if bytes.len() == 2 {
            return empty_quoted_ok;
        }
        return is_quoted_content(&bytes[1..bytes.len() - 1]);
    }
    if bytes == b"\"" {
        return false;
    }
    local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&byte))
    })
}

/// RFC 5322 `qcontent` and `quoted-pair` over ASCII, plus space and tab.
fn is_quoted_content(bytes: &[u8]) -> bool {
    let mut iter = bytes.iter();
    while let Some(&byte) = iter.next() {
        let ok = match byte {
            b'\\' => iter.next().is_some_and(|next| (0x21..=0x7E).contains(next)),
            b' ' | b'\t' | 0x21 | 0x23..=0x5B | 0x5D..=0x7E => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The domain of an address: an IP literal in brackets or a hostname.
fn is_email_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 254 {
        return false;
    }
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                Ipv6Addr::from_str(&literal[5..]).is_ok()
            }
            _ => Ipv4Addr::from_str(literal).is_ok(),
        };
    }
    is_hostname(domain)
}

/// The oracle's `hostname` check (draft 2020-12): ASCII labels of letters, digits and `-`,
/// 1-63 bytes each, no leading or trailing `-`, 253 bytes at most, no trailing dot; a label
/// with `--` in positions 3-4 must be an `xn--` A-label whose Punycode decodes to a valid
/// IDNA label.
fn is_hostname(hostname: &str) -> bool {
    let bytes = hostname.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 || bytes[bytes.len() - 1] == b'.' {
        return false;
    }
    bytes.split(|&byte| byte == b'.').all(|label| {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
            || !label
                .iter()
                .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
        {
            return false;
        }
        if label.len() >= 4 && label[2] == b'-' && label[3] == b'-' {
            if label[0] != b'x' || label[1] != b'n' {
                return false;
            }
            let mut decoded = ['\0'; 64];
            return match decode_punycode(&label[4..], &mut decoded) {
                Some(count) => is_idna_label(&decoded[..count]),
                None => false,
            };
        }
        true
    })
}

/// Bias adaptation from RFC 3492 section 6.1, as the oracle computes it.
fn punycode_adapt(mut delta: u32, count: u32, first: bool) -> u32 {
    delta /= if first { 700 } else { 2 };
    delta += delta / count;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

/// Decodes a Punycode payload into `out`, returning the number of code points, or `None`
/// when it is malformed. `out` holds 64 code points, more than a 59-byte payload can yield.
fn decode_punycode(input: &[u8], out: &mut [char; 64]) -> Option<usize> {
    let (basic, encoded) = match input.iter().rposition(|&byte| byte == b'-') {
        Some(position) if position > 0 => (&input[..position], &input[position + 1..]),
        _ => (&input[..0], input),
    };
    let mut len = 0;
    for &byte in basic {
        *out.get_mut(len)? = char::from(byte);
        len += 1;
    }
    let mut code_point: u32 = 128;
    let mut index: u32 = 0;
    let mut bias: u32 = 72;
    let mut position = 0;
    while position < encoded.len() {
        let previous = index;
        let mut weight: u32 = 1;
        let mut k: u32 = 36;
        loop {
            let digit = match *encoded.get(position)? {
                byte @ b'0'..=b'9' => u32::from(byte - b'0') + 26,
                byte @ b'A'..=b'Z' => u32::from(byte - b'A'),
                byte @ b'a'..=b'z' => u32::from(byte - b'a'),
                _ => return None,
            };
            position += 1;
            index = index.checked_add(digit.checked_mul(weight)?)?;
            let threshold = if k <= bias {
                1
            } else if k >= bias.checked_add(26)? {
                26
            } else {
                k - bias
            };
            if digit < threshold {
                break;
            }
            weight = weight.checked_mul(36 - threshold)?;
            k = k.checked_add(36)?;
        }
        let count = u32::try_from(len).ok()? + 1;
        bias = punycode_adapt(index - previous, count, previous == 0);
        code_point = code_point.checked_add(index / count)?;
        index %= count;
        let character = char::from_u32(code_point)?;
        let at = index as usize;
        if len >= out.len() || at > len {
            return None;
        }
        out.copy_within(at..len, at + 1);
        out[at] = character;
        len += 1;
        index += 1;
    }
    Some(len)
}

/// Code points of the general categories RFC 5892 derives PVALID from (L*, Mn, Mc, Nd).
static PVALID_CATEGORY: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"\A[\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Mn}\p{Mc}\p{Nd}]\z").ok()
});

/// Combining marks (Mn, Mc, Me), which may not start a label.
static MARK_CATEGORY: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"\A\p{M}\z").ok());

/// Whether `c` is in the category set that `regex` matches.
fn char_in(regex: &LazyLock<Option<regex::Regex>>, c: char) -> bool {
    let mut buffer = [0; 4];
    let text = c.encode_utf8(&mut buffer);
    regex.as_ref().is_some_and(|regex| regex.is_match(text))
}

/// Virama code points that may precede a ZERO WIDTH JOINER (RFC 5892 appendix A.2).
#[rustfmt::skip]
const VIRAMAS: &[char] = &[
    '\u{094D}', '\u{09CD}', '\u{0A4D}', '\u{0ACD}', '\u{0B4D}', '\u{0BCD}', '\u{0C4D}', '\u{0CCD}',
    '\u{0D4D}', '\u{0DCA}', '\u{0E3A}', '\u{0F84}', '\u{1039}', '\u{1714}', '\u{1734}', '\u{17D2}',
    '\u{1A60}', '\u{1B44}', '\u{1BAA}', '\u{1BF2}', '\u{1BF3}', '\u{2D7F}', '\u{A806}', '\u{A8C4}',
    '\u{A953}', '\u{ABED}', '\u{10A3F}', '\u{11046}', '\u{1107F}', '\u{110B9}', '\u{11133}', '\u{111C0}',
    '\u{11235}', '\u{112EA}', '\u{1134D}', '\u{11442}', '\u{114C2}', '\u{115BF}', '\u{1163F}', '\u{116B6}',
    '\u{1172B}', '\u{11839}', '\u{119E0}', '\u{11A34}', '\u{11A47}', '\u{11A99}', '\u{11C3F}', '\u{11D44}',
    '\u{11D45}', '\u{11D97}',
];

/// The oracle's check of a decoded A-label: no leading mark, the RFC 5892 contextual rules,
/// and every non-ASCII code point PVALID by general category.
fn is_idna_label(label: &[char]) -> bool {
    if label
        .first()
        .is_some_and(|&first| char_in(&MARK_CATEGORY, first))
    {
        return false;
    }
    let mut has_katakana_middle_dot = false;
    let mut has_hiragana_katakana_han = false;
    let mut has_arabic_indic_digits = false;
    let mut has_extended_arabic_indic_digits = false;
    for (position, &current) in label.iter().enumerate() {
        let previous = position.checked_sub(1).map(|p| label[p]);
        let next = label.get(position + 1).copied();
        match current {
            '\u{200D}' if !previous.is_some_and(|p| VIRAMAS.contains(&p)) => return false,
            '\u{00B7}' if previous != Some('l') || next != Some('l') => return false,
            '\u{0375}' if !next.is_some_and(|n| ('\u{0370}'..='\u{03FF}').contains(&n)) => {
                return false;
            }
            '\u{05F3}' | '\u{05F4}'
                if !previous.is_some_and(|p| ('\u{0590}'..='\u{05FF}').contains(&p)) =>
            {
                return false;
            }
            '\u{30FB}' => has_katakana_middle_dot = true,
            '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' => {
                has_hiragana_katakana_han = true;
            }
            '\u{0660}'..='\u{0669}' => has_arabic_indic_digits = true,
            '\u{06F0}'..='\u{06F9}' => has_extended_arabic_indic_digits = true,
            '\u{0640}' | '\u{07FA}' | '\u{302E}' | '\u{302F}' | '\u{3031}' | '\u{3032}'
            | '\u{3033}' | '\u{3034}' | '\u{3035}' | '\u{303B}' => return false,
            '\u{200C}' | '\u{200D}' | '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}'
            | '\u{06FD}' | '\u{06FE}' | '\u{0F0B}' | '\u{3007}' => {}
            other if !other.is_ascii() && !char_in(&PVALID_CATEGORY, other) => return false,
            _ => {}
        }
    }
    (!has_katakana_middle_dot || has_hiragana_katakana_han)
        && !(has_arabic_indic_digits && has_extended_arabic_indic_digits)
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/// String length as `minLength`/`maxLength` count it: Unicode code points (not bytes, not
/// UTF-16 units, not grapheme clusters).
#[must_use]
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// `minLength` fails: `char_count(s) < limit`, counting only when the byte length cannot tell
/// (a character is one to four bytes).
#[must_use]
#[inline]
pub fn shorter_than(s: &str, limit: u64) -> bool {
    let bytes = s.len() as u64;
    bytes < limit || (bytes.div_ceil(4) < limit && (char_count(s) as u64) < limit)
}

/// `maxLength` fails: `char_count(s) > limit`, counting only when the byte length cannot tell.
#[must_use]
#[inline]
pub fn longer_than(s: &str, limit: u64) -> bool {
    let bytes = s.len() as u64;
    bytes > limit && (bytes.div_ceil(4) > limit || (char_count(s) as u64) > limit)
}

/// One step of a pattern matched without a regex engine: the bytes it accepts (a table over
/// every byte value, so a byte costs one load), and at least `min`, at most `max` of them in a
/// row. Built at compile time by [`step`].
pub struct Step {
    pub accepts: [bool; 256],
    pub min: u32,
    pub max: u32,
}

/// A [`Step`] from a set of ASCII bytes (bit `b` for byte `b`), as the generator writes it.
#[must_use]
pub const fn step(set: u128, min: u32, max: u32) -> Step {
    let mut accepts = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        accepts[byte] = (set >> byte) & 1 == 1;
        byte += 1;
    }
    Step { accepts, min, max }
}

/// Whether the whole of `text` matches `steps` read greedily. The generator only emits steps
/// for patterns where greedy reading gives the regex's answer (a step with a variable count
/// shares no byte with a later step), so this equals the regex on every input.
#[must_use]
#[inline]
pub fn matches_steps(steps: &[Step], text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0usize;
    for step in steps {
        // At most `max` bytes from here (`max` is often unbounded: the rest of the text).
        let end = bytes.len().min(at.saturating_add(step.max as usize));
        let start = at;
        // Four bytes per test while they all pass (one branch instead of four), then one by one.
        let accepts = &step.accepts;
        for chunk in bytes[at..end].chunks_exact(4) {
            let passed = accepts[usize::from(chunk[0])]
                & accepts[usize::from(chunk[1])]
                & accepts[usize::from(chunk[2])]
                & accepts[usize::from(chunk[3])];
            if !passed {
                break;
            }
            at += 4;
        }
        while at < end && accepts[usize::from(bytes[at])] {
            at += 1;
        }
        if at - start < step.min as usize {
            return false;
        }
    }
    at == bytes.len()
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A numeric bound from the spec, kept in the form the oracle keeps it: `U` when the JSON
/// number fits `u64`, else `I` when it fits `i64`, else `F`. Comparisons are exact across
/// the three forms, so `Limit::F(1.0)` and `Limit::U(1)` behave the same.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// A non-negative integer.
    U(u64),
    /// A negative integer.
    I(i64),
    /// Any other number.
    F(f64),
}

/// Conversions between JSON numbers and limits.
impl Limit {
    /// The limit (or instance) form of a JSON number: `u64`, then `i64`, then `f64`.
    #[must_use]
    pub fn of(n: &Number) -> Self {
        if let Some(value) = n.as_u64() {
            Self::U(value)
        } else if let Some(value) = n.as_i64() {
            Self::I(value)
        } else {
            Self::F(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    /// The integer form as `i128`, or `None` for `F`.
    fn integer(self) -> Option<i128> {
        match self {
            Self::U(value) => Some(i128::from(value)),
            Self::I(value) => Some(i128::from(value)),
            Self::F(_) => None,
        }
    }
}

/// Exact comparison of an integer with a float; `None` only for NaN.
fn compare_integer_float(integer: i128, float: f64) -> Option<Ordering> {
    /// 2^127, the first float outside `i128`.
    const BOUND: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if float.is_nan() {
        return None;
    }
    if float >= BOUND {
        return Some(Ordering::Less);
    }
    if float < -BOUND {
        return Some(Ordering::Greater);
    }
    let whole = float.trunc();
    // `whole` is an integer strictly inside the i128 range, so the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    match integer.cmp(&(whole as i128)) {
        Ordering::Equal => whole.partial_cmp(&float),
        other => Some(other),
    }
}

/// Exact ordering of two numbers in any of the three forms; `None` only with a NaN.
fn compare_exact(left: Limit, right: Limit) -> Option<Ordering> {
    match (left.integer(), right.integer(), left, right) {
        (Some(a), Some(b), _, _) => Some(a.cmp(&b)),
        (Some(a), None, _, Limit::F(b)) => compare_integer_float(a, b),
        (None, Some(b), Limit::F(a), _) => compare_integer_float(b, a).map(Ordering::reverse),
        (_, _, Limit::F(a), Limit::F(b)) => a.partial_cmp(&b),
        _ => None,
    }
}

/// Exact ordering of the instance `n` against `limit` (no rounding through `f64`: `2^53 + 1`
/// is greater than `9007199254740992.0`, `-0.0` equals `0`). `None` only for a NaN limit,
/// which no JSON document can hold.
#[must_use]
#[inline]
pub fn number_cmp(n: &Number, limit: Limit) -> Option<Ordering> {
    /// Integers up to 2^53 in magnitude are exact as `f64`.
    const EXACT: u64 = 1 << 53;
    // The common cases first: both integers, or a float against a float or an integer that
    // `f64` holds exactly.
    if let Some(value) = n.as_u64() {
        match limit {
            Limit::U(limit) => return Some(value.cmp(&limit)),
            Limit::I(limit) => return Some(i128::from(value).cmp(&i128::from(limit))),
            Limit::F(_) => {}
        }
    } else if let Some(value) = n.as_i64() {
        match limit {
            Limit::U(limit) => return Some(i128::from(value).cmp(&i128::from(limit))),
            Limit::I(limit) => return Some(value.cmp(&limit)),
            Limit::F(_) => {}
        }
    } else if let Some(value) = n.as_f64() {
        match limit {
            Limit::F(limit) => return value.partial_cmp(&limit),
            #[allow(clippy::cast_precision_loss)] // exact below 2^53
            Limit::U(limit) if limit <= EXACT => return value.partial_cmp(&(limit as f64)),
            #[allow(clippy::cast_precision_loss)]
            Limit::I(limit) if limit.unsigned_abs() <= EXACT => {
                return value.partial_cmp(&(limit as f64));
            }
            _ => {}
        }
    }
    compare_exact(Limit::of(n), limit)
}

/// `minimum`: `n >= limit`, exactly.
#[must_use]
pub fn ge(n: &Number, limit: Limit) -> bool {
    matches!(
        number_cmp(n, limit),
        Some(Ordering::Greater | Ordering::Equal)
    )
}

/// `exclusiveMinimum`: `n > limit`, exactly.
#[must_use]
pub fn gt(n: &Number, limit: Limit) -> bool {
    matches!(number_cmp(n, limit), Some(Ordering::Greater))
}

/// `maximum`: `n <= limit`, exactly.
#[must_use]
pub fn le(n: &Number, limit: Limit) -> bool {
    matches!(number_cmp(n, limit), Some(Ordering::Less | Ordering::Equal))
}

/// `exclusiveMaximum`: `n < limit`, exactly.
#[must_use]
pub fn lt(n: &Number, limit: Limit) -> bool {
    matches!(number_cmp(n, limit), Some(Ordering::Less))
}

/// `enum` whose non-string options are all integers within ±2^53 (where `f64` is exact):
/// whether `n` equals one of them as JSON equality decides (`4400.0` equals `4400`).
#[must_use]
#[inline]
pub fn integer_in(n: &Number, options: &[i64]) -> bool {
    if let Some(value) = n.as_i64() {
        options.contains(&value)
    } else if n.is_u64() {
        // Above `i64::MAX`, so above every option.
        false
    } else {
        let value = n.as_f64().unwrap_or(f64::NAN);
        #[allow(clippy::cast_precision_loss)] // exact within ±2^53
        options.iter().any(|option| *option as f64 == value)
    }
}

/// `type: integer` (draft 2020-12): an `i64`/`u64`, or a float with no fractional part
/// (`1.0` and `1e2` are integers).
#[must_use]
pub fn is_integer(n: &Number) -> bool {
    n.is_u64() || n.is_i64() || n.as_f64().is_some_and(|value| value.fract() == 0.0)
}

/// `multipleOf`, with `multiple` the schema value read as `f64` (`Number::as_f64`), exactly as
/// the oracle decides it:
///
/// - a whole `multiple` (`fract() == 0`): integer instances use integer remainder when
///   `0 < multiple <= 2^53`; other instances need `fract() == 0` and `value % multiple == 0`
///   in `f64` (floats in `[2^53, 1e16)` use their shortest decimal digits instead);
/// - a fractional `multiple`: the instance (as `f64`) must be at least `multiple` in magnitude
///   (or zero), and the division is done on the shortest decimal forms of both, in `i128`;
///   where that overflows, the oracle's `BigFraction` fallback is reproduced.
#[must_use]
pub fn is_multiple_of(n: &Number, multiple: f64) -> bool {
    if multiple.fract() == 0.0 {
        is_multiple_of_whole(n, multiple)
    } else {
        is_multiple_of_fraction(n, multiple)
    }
}

/// 2^53, the end of the range where every integer is an `f64`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// `multipleOf` with a whole divisor.
fn is_multiple_of_whole(n: &Number, multiple: f64) -> bool {
    if multiple > 0.0 && multiple <= MAX_SAFE_INTEGER {
        // Whole and within (0, 2^53], so the casts are exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let divisor = multiple as u64;
        if let Some(value) = n.as_u64() {
            return value % divisor == 0;
        }
        if let Some(value) = n.as_i64() {
            return value.unsigned_abs() % divisor == 0;
        }
        // The oracle re-reads floats printed in plain notation, which `[2^53, 1e16)` are.
        let plain = n
            .as_f64()
            .filter(|value| value.abs() >= MAX_SAFE_INTEGER && value.abs() < 1e16)
            .and_then(shortest_decimal);
        if let Some((digits, exponent)) = plain {
            // `digits * 10^exponent`, which is whole here (its fraction prints as `.0`).
            let scale = 10u128.checked_pow(exponent.unsigned_abs());
            let whole = match scale {
                Some(scale) if exponent >= 0 => u128::from(digits).checked_mul(scale),
                Some(scale) if u128::from(digits) % scale == 0 => Some(u128::from(digits) / scale),
                _ => None,
            };
            return whole.is_some_and(|whole| whole % u128::from(divisor) == 0);
        }
    }
    match n.as_f64() {
        Some(value) => value.fract() == 0.0 && value % multiple == 0.0,
        None => false,
    }
}

/// `multipleOf` with a fractional divisor.
fn is_multiple_of_fraction(n: &Number, multiple: f64) -> bool {
    let Some(value) = n.as_f64() else {
        return false;
    };
    if value == 0.0 {
        return true;
    }
    if value.abs() < multiple {
        return false;
    }
    if let Some(answer) = divides_exactly(value, multiple) {
        return answer;
    }
    fraction_quotient_is_whole(value, multiple)
}

/// A fixed-capacity byte buffer that `write!` can fill without allocating.
struct StackText<const N: usize> {
    /// The storage.
    bytes: [u8; N],
    /// How many bytes of `bytes` hold text.
    len: usize,
}

/// Appends while the text fits, failing (rather than growing) past `N` bytes.
impl<const N: usize> fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The decimal form `serde_json` prints for a finite non-zero `value` (sign dropped), as
/// `|value| = digits * 10^exponent`. The oracle reads numbers through that same printer
/// (`zmij`, shortest round-trip digits with ties to even), which `Display` for
/// `serde_json::Number` writes without allocating; `{:e}` on `f64` breaks ties upwards
/// instead (`1052224020102000.25` prints as `...000.2` here and `...000.3` there).
fn shortest_decimal(value: f64) -> Option<(u64, i32)> {
    use fmt::Write as _;
    if value == 0.0 {
        return None;
    }
    let number = Number::from_f64(value.abs())?;
    let mut text = StackText::<64> {
        bytes: [0; 64],
        len: 0,
    };
    write!(text, "{number}").ok()?;
    let text = text.bytes.get(..text.len)?;
    let (mantissa, exponent_text) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(e) => (&text[..e], &text[e + 1..]),
        None => (text, &text[..0]),
    };
    let mut digits: u64 = 0;
    let mut fraction_digits: i32 = 0;
    let mut after_point = false;
    for &byte in mantissa {
        if byte == b'.' {
            after_point = true;
            continue;
        }
        digits = digits
            .checked_mul(10)?
            .checked_add(u64::from(byte.checked_sub(b'0').filter(|d| *d <= 9)?))?;
        fraction_digits += i32::from(after_point);
    }
    let (negative, exponent_digits) = match exponent_text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, exponent_text),
    };
    let mut exponent: i32 = 0;
    for &byte in exponent_digits {
        exponent = exponent
            .checked_mul(10)?
            .checked_add(i32::from(byte.checked_sub(b'0').filter(|d| *d <= 9)?))?;
    }
    if negative {
        exponent = -exponent;
    }
    if digits == 0 {
        return None;
    }
    Some((digits, exponent - fraction_digits))
}

/// `value / multiple` is whole, computed on the shortest decimal forms in `i128`; `None`
/// where that overflows (the oracle then falls back to `BigFraction`).
fn divides_exactly(value: f64, multiple: f64) -> Option<bool> {
    let (value_digits, value_exponent) = shortest_decimal(value)?;
    let (multiple_digits, multiple_exponent) = shortest_decimal(multiple)?;
    // value = v * 10^-vd and multiple = m * 10^-md, so the quotient is
    // (v * 10^(md - s)) / (m * 10^(vd - s)) with s = min(vd, md).
    let (value_decimals, multiple_decimals) = (-value_exponent, -multiple_exponent);
    let shared = value_decimals.min(multiple_decimals);
    let scale = |digits: u64, places: i32| -> Option<i128> {
        i128::from(digits).checked_mul(10_i128.checked_pow(u32::try_from(places).ok()?)?)
    };
    let numerator = scale(value_digits, multiple_decimals - shared)?;
    let denominator = scale(multiple_digits, value_decimals - shared)?;
    if denominator == 0 {
        return None;
    }
    Some(numerator % denominator == 0)
}

/// `f64::powi(10.0, exponent)` computed the way the runtime `powi` routine does (square and
/// multiply, one rounding per step), independent of compile-time constant folding.
fn powi_ten(exponent: u32) -> f64 {
    let mut base = 10.0_f64;
    let mut remaining = exponent;
    let mut result = 1.0_f64;
    loop {
        if remaining & 1 == 1 {
            result *= base;
        }
        remaining >>= 1;
        if remaining == 0 {
            break;
        }
        base *= base;
    }
    result
}

/// The numerator of a `BigFraction` built from an `f64`: the whole part of a non-negative
/// float, which may exceed every primitive integer.
#[derive(Clone, Copy)]
struct WholeFloat(f64);

/// Arithmetic on a whole float as the exact integer it is.
impl WholeFloat {
    /// The value as `u128`, when it fits.
    fn to_u128(self) -> Option<u128> {
        /// 2^128, the first float outside `u128`.
        const U128_BOUND: f64 = 340_282_366_920_938_463_463_374_607_431_768_211_456.0;
        if self.0 < U128_BOUND {
            // Whole, non-negative and below 2^128.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(self.0 as u128)
        } else {
            None
        }
    }

    /// The value modulo `modulus` (non-zero).
    fn rem(self, modulus: u128) -> u128 {
        if let Some(small) = self.to_u128() {
            return small % modulus;
        }
        // A float at or above 2^128 is `mantissa * 2^shift` with a 53-bit mantissa.
        let bits = self.0.to_bits();
        let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
        let biased = i64::try_from((bits >> 52) & 0x7FF).unwrap_or(0);
        let shift = u32::try_from(biased - 1075).unwrap_or(0);
        let mut result = mantissa % modulus;
        for _ in 0..shift {
            result = add_mod(result, result, modulus);
        }
        result
    }
}

/// `(a + b) % modulus` for `a, b < modulus`, without overflow.
fn add_mod(a: u128, b: u128, modulus: u128) -> u128 {
    if a >= modulus - b {
        a - (modulus - b)
    } else {
        a + b
    }
}

/// Greatest common divisor.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `BigFraction::from(f64)` as the `fraction` crate builds it: scale by `10^p` until the
/// float reads as whole, then `trunc(|scaled|) / 10^p` reduced. Returns the unreduced
/// numerator and the denominator `10^p` (as the float `powi` gives it), or `None` where the
/// crate would take its string route (never for a finite JSON number in these paths).
fn fraction_of(value: f64) -> Option<(WholeFloat, u128)> {
    let mut places = 0;
    let mut scaled = value;
    loop {
        if (scaled.floor() - scaled).abs() < f64::EPSILON {
            break;
        }
        places += 1;
        if places > 400 {
            return None;
        }
        scaled = value * powi_ten(places);
        if scaled.is_infinite() {
            return None;
        }
    }
    let denominator = WholeFloat(powi_ten(places).trunc()).to_u128()?;
    Some((WholeFloat(scaled.abs().trunc()), denominator))
}

/// The oracle's last resort for a fractional `multipleOf`: whether
/// `BigFraction::from(value) / BigFraction::from(multiple)` has denominator one (a division
/// by a zero fraction yields NaN or infinity, which the oracle accepts).
fn fraction_quotient_is_whole(value: f64, multiple: f64) -> bool {
    let Some((multiple_numerator, multiple_denominator)) = fraction_of(multiple) else {
        return false;
    };
    let Some(multiple_numerator) = multiple_numerator.to_u128() else {
        return false;
    };
    if multiple_numerator == 0 {
        return true;
    }
    let Some((value_numerator, value_denominator)) = fraction_of(value) else {
        return false;
    };
    if value_numerator.0 == 0.0 {
        return true;
    }
    // Reduce both fractions; then nv/dv / (nm/dm) is whole iff dv | dm and nm | nv.
    let multiple_gcd = gcd(multiple_numerator, multiple_denominator);
    let (multiple_numerator, multiple_denominator) = (
        multiple_numerator / multiple_gcd,
        multiple_denominator / multiple_gcd,
    );
    let value_gcd = gcd(value_denominator, value_numerator.rem(value_denominator));
    let value_denominator = value_denominator / value_gcd;
    if multiple_denominator % value_denominator != 0 {
        return false;
    }
    // nv / value_gcd divisible by nm: nv divisible by nm * value_gcd, as value_gcd | nv.
    match multiple_numerator.checked_mul(value_gcd) {
        Some(modulus) => value_numerator.rem(modulus) == 0,
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Equality
// ---------------------------------------------------------------------------------------------

/// JSON Schema equality (`enum`, `const`, `uniqueItems`): numbers compare by exact value
/// (`1 == 1.0`, `-0.0 == 0`), arrays element-wise, objects by key set and values regardless of
/// key order; no cross-type equality (`1 != true`, `"1" != 1`).
#[must_use]
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => {
            compare_exact(Limit::of(a), Limit::of(b)) == Some(Ordering::Equal)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| json_equal(value, other)))
        }
        _ => false,
    }
}

/// `uniqueItems: true`: no two items are [`json_equal`]. Pairwise, so allocation-free but
/// quadratic; arrays past a few thousand items should be bounded by `maxItems` in the spec.
#[must_use]
pub fn has_unique_items(items: &[Value]) -> bool {
    items.iter().enumerate().all(|(index, item)| {
        items[index + 1..]
            .iter()
            .all(|other| !json_equal(item, other))
    })
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

/// A compiled `pattern`. Matching is a search (unanchored): the pattern's own `^`/`$` anchor it.
///
/// The generator builds it the way the oracle does, at generation time with the
/// `jsonschema-regex` crate:
///
/// 1. if `split_leading_lookaheads(p)` splits `^(?=A)(?=B)C` into parts and every part's
///    `to_rust_regex` compiles with the `regex` crate, use [`compile_pattern_parts`] (the oracle
///    matches each part on its own, with ECMA-262 meanings for `\d`, `\w`, `\s` and `.`);
/// 2. otherwise use [`compile_pattern`] on `to_rust_regex(p)`. A pattern with lookarounds or
///    backreferences comes back untranslated from `to_rust_regex`, and `fancy-regex` then gives
///    `\d`, `\w`, `\s` and `.` their Unicode meanings, exactly as in the oracle.
#[derive(Debug, Clone)]
pub struct Pattern(PatternEngine);

/// The engine behind a [`Pattern`].
#[derive(Debug, Clone)]
enum PatternEngine {
    /// The `regex` crate, for every pattern it accepts.
    Standard(regex::Regex),
    /// `fancy-regex`, for lookarounds and backreferences.
    Fancy(fancy_regex::Regex),
    /// Leading lookaheads split into parts that must all match.
    All(Box<[regex::Regex]>),
}

/// A translated pattern that no engine accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(String);

/// Names the engine error.
impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid pattern: {}", self.0)
    }
}

/// A standard error, for `?` in generated code.
impl std::error::Error for PatternError {}

/// Compiles a translated pattern (`jsonschema_regex::to_rust_regex` output): with the `regex`
/// crate when it accepts it, else with `fancy-regex` (the oracle's default engine, which also
/// takes lookarounds and backreferences). Call once, e.g. in a `LazyLock`.
///
/// # Errors
///
/// When neither engine accepts `translated`; the generator checks this ahead of time.
pub fn compile_pattern(translated: &str) -> Result<Pattern, PatternError> {
    match regex::Regex::new(translated) {
        Ok(regex) => Ok(Pattern(PatternEngine::Standard(regex))),
        Err(_) => fancy_regex::Regex::new(translated)
            .map(|regex| Pattern(PatternEngine::Fancy(regex)))
            .map_err(|error| PatternError(error.to_string())),
    }
}

/// Compiles the translated parts of a pattern split at its leading lookaheads
/// (`jsonschema_regex::split_leading_lookaheads`, each part through `to_rust_regex`): the
/// pattern matches when every part does. Call once, e.g. in a `LazyLock`.
///
/// # Errors
///
/// When the `regex` crate rejects a part; the oracle then matches the whole pattern with
/// `fancy-regex`, so the generator falls back to [`compile_pattern`].
pub fn compile_pattern_parts(translated_parts: &[&str]) -> Result<Pattern, PatternError> {
    translated_parts
        .iter()
        .map(|part| regex::Regex::new(part).map_err(|error| PatternError(error.to_string())))
        .collect::<Result<Box<[_]>, _>>()
        .map(|parts| Pattern(PatternEngine::All(parts)))
}

/// Matching.
impl Pattern {
    /// Whether the pattern matches anywhere in `s`, or `None` when `fancy-regex` hits its
    /// backtrack limit (1,000,000 steps). The oracle then validates under both outcomes and
    /// calls the instance valid only if both are valid. The engines keep per-thread scratch
    /// space, allocated on a thread's first match.
    #[must_use]
    pub fn try_match(&self, s: &str) -> Option<bool> {
        match &self.0 {
            PatternEngine::Standard(regex) => Some(regex.is_match(s)),
            PatternEngine::Fancy(regex) => regex.is_match(s).ok(),
            PatternEngine::All(parts) => Some(parts.iter().all(|part| part.is_match(s))),
        }
    }

    /// Whether the pattern matches anywhere in `s`; an unfinished `fancy-regex` match counts as
    /// no match, which equals the oracle wherever `pattern` is not under `not`.
    #[must_use]
    pub fn is_match(&self, s: &str) -> bool {
        self.try_match(s).unwrap_or(false)
    }
}

// ---------------------------------------------------------------------------------------------
// Sensitive values
// ---------------------------------------------------------------------------------------------

/// A secret: `Debug` and `Display` print `<redacted>`, never the value. Serialization,
/// deserialization and JSON Schema are those of `T`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Sensitive<T>(pub T);

/// Construction and access.
impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the code that must use it.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Prints `<redacted>`, never the value.
impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Prints `<redacted>`, never the value.
impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Reads through to the secret, as [`Sensitive::expose`] does.
impl<T> std::ops::Deref for Sensitive<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Wraps a secret.
impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

/// Serializes exactly as `T`.
impl<T: serde::Serialize> serde::Serialize for Sensitive<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Deserializes exactly as `T`.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

/// The schema, name and inlining of `T`.
#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Sensitive<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }

    // Forwarded like schemars' own wrappers (`Box<T>`), so `Sensitive<Option<T>>` fields stay
    // optional in derived schemas.
    #[allow(clippy::used_underscore_items)]
    fn _schemars_private_non_optional_json_schema(
        generator: &mut schemars::SchemaGenerator,
    ) -> schemars::Schema {
        T::_schemars_private_non_optional_json_schema(generator)
    }

    #[allow(clippy::used_underscore_items)]
    fn _schemars_private_is_option() -> bool {
        T::_schemars_private_is_option()
    }
}

/// The schema of `T`.
#[cfg(feature = "utoipa")]
impl<T: utoipa::PartialSchema> utoipa::PartialSchema for Sensitive<T> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        T::schema()
    }
}

/// The name and referenced schemas of `T`.
#[cfg(feature = "utoipa")]
impl<T: utoipa::ToSchema> utoipa::ToSchema for Sensitive<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        T::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        T::schemas(schemas);
    }
}

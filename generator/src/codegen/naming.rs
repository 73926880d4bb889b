//! Rust names for spec names: types in PascalCase, fields and functions in snake_case, always valid
//! identifiers (keywords escaped, leading digits prefixed), made unique deterministically; and
//! crate names for spec files of any name.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

/// Words Rust reserves; a field with one of these names is written `r#name`.
const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type name: `card-status` → `CardStatus`, `4XX` → `Status4xx`.
pub fn type_name(text: &str) -> String {
    let name = clean(text).to_pascal_case();
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("N{name}"),
        Some(_) if name == "Self" => "SelfType".to_owned(),
        Some(_) => name,
    }
}

/// A field or function name: `cardNumberLastFour` → `card_number_last_four`; `type` → `r#type`.
pub fn field_name(text: &str) -> String {
    let name = clean(text).to_snake_case();
    let name = match name.chars().next() {
        None => "field".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("n{name}"),
        Some(_) => name,
    };
    if ["self", "super", "crate", "Self"].contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// An enum variant name for a JSON value: `"DRIVING LICENSE"` → `DrivingLicense`.
pub fn variant_name(text: &str) -> String {
    if text.is_empty() {
        return "Empty".to_owned();
    }
    type_name(text)
}

/// The longest crate base name: `<base>-validator` then stays within crates.io's 64 characters.
pub const CRATE_BASE_MAX: usize = 64 - "-validator".len();

/// The base of a spec's crate names (`<base>-validator`, `<base>-client`, library
/// `<base>_validator`) for any file stem: `petstore-1.0.0` → `petstore-1-0-0`, `My API` →
/// `my-api`, `2fa` → `api-2fa`, `Überweisung` → `uberweisung`. Non-ASCII is transliterated
/// (deunicode) rather than dropped, so distinct names mostly stay distinct; the result always
/// passes [`check_crate_base_name`].
pub fn crate_base_name(stem: &str) -> String {
    let ascii = deunicode::deunicode(stem).to_ascii_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut name = words.join("-");
    // Cargo refuses package names that start with a digit.
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name = if name.is_empty() {
            "api".to_owned()
        } else {
            format!("api-{name}")
        };
    }
    if name.len() > CRATE_BASE_MAX {
        name.truncate(CRATE_BASE_MAX);
        name.truncate(name.trim_end_matches('-').len());
    }
    name
}

/// Whether `name` may be a crate base name as given (`--name`): lowercase ASCII letters and
/// digits in words joined by single `-`, starting with a letter, at most [`CRATE_BASE_MAX`]
/// characters; the error says why and suggests the closest valid name.
pub fn check_crate_base_name(name: &str) -> Result<(), String> {
    if crate_base_name(name) == name {
        return Ok(());
    }
    Err(format!(
        "`{name}` is not a crate base name: use lowercase ASCII letters and digits in words \
         joined by `-`, starting with a letter, at most {CRATE_BASE_MAX} characters (for \
         example `{}`)",
        crate_base_name(name)
    ))
}

/// Hands out names, adding `2`, `3`, ... when a name is already taken.
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// Reserves `name`, or the first free `name2`, `name3`, ...
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let (base, raw) = match name.strip_prefix("r#") {
            Some(base) => (base, true),
            None => (name, false),
        };
        for suffix in 2.. {
            let candidate = if raw {
                format!("{base}_{suffix}")
            } else {
                format!("{base}{suffix}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

/// FNV-1a: a stable hash (the same in every build and on every machine), for names.
pub fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The name of a `pattern`'s matcher in the validator crate (`validation::patterns`), named by
/// its source: the validator defines it, the client calls it for parameters.
pub fn pattern_function(source: &str) -> String {
    format!("pattern_{:016x}", stable_hash(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(type_name("card-status"), "CardStatus");
        assert_eq!(type_name("4XX"), "N4xx");
        assert_eq!(field_name("cardNumberLastFour"), "card_number_last_four");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("API-CLIENT-KEY"), "api_client_key");
        assert_eq!(field_name("1st"), "n1st");
        assert_eq!(variant_name("DRIVING LICENSE"), "DrivingLicense");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn crate_base_names_are_valid_for_any_file_name() {
        let cases = [
            ("upmoney", "upmoney"),
            ("nueve09", "nueve09"),
            ("petstore-1.0.0", "petstore-1-0-0"),
            (
                "open-finance-brasil-automatic-payments-2.0.0",
                "open-finance-brasil-automatic-payments-2-0-0",
            ),
            ("My API", "my-api"),
            ("2fa", "api-2fa"),
            ("__x__y", "x-y"),
            ("Überweisung", "uberweisung"),
            ("支付", "zhi-fu"),
            ("", "api"),
            ("...", "api"),
            ("DigitalOcean-public.v2", "digitalocean-public-v2"),
        ];
        for (stem, expected) in cases {
            assert_eq!(crate_base_name(stem), expected, "{stem:?}");
            assert_eq!(check_crate_base_name(expected), Ok(()), "{expected:?}");
        }
        let long = crate_base_name(&"word-".repeat(40));
        assert!(
            long.len() <= CRATE_BASE_MAX && !long.ends_with('-'),
            "{long}"
        );
        assert_eq!(check_crate_base_name(&long), Ok(()));
    }

    #[test]
    fn bad_crate_base_names_are_refused_with_a_suggestion() {
        for bad in ["My API", "2fa", "a_b", "a--b", "-a", "a-", "Caps", "ü", ""] {
            let error = check_crate_base_name(bad).unwrap_err();
            assert!(error.contains(&format!("`{bad}`")), "{error}");
            assert!(
                error.contains(&format!("`{}`", crate_base_name(bad))),
                "{error}"
            );
        }
    }

    #[test]
    fn clashing_names_get_suffixes() {
        let mut names = Names::default();
        assert_eq!(names.claim("Card"), "Card");
        assert_eq!(names.claim("Card"), "Card2");
        assert_eq!(names.claim("r#type"), "r#type");
        assert_eq!(names.claim("r#type"), "type_2");
    }
}

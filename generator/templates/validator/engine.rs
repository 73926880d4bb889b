// @generated-header
//! The validation engine, the same in every generated crate: the spec's schema nodes are data
//! (`Node` statics in `validation.rs`, one per node, named after where the node stands in the
//! spec), and these functions check a value against one of them.
//!
//! - [`ok`]: stops at the first failure and allocates nothing (the `is_valid_*` functions);
//! - [`check`]: lists every error with its instance path, schema path and kind;
//! - [`read`]: checks raw JSON bytes in one pass, building no `serde_json::Value`, with the same
//!   verdict and the same errors in the same order as parsing then [`check`].
//!
//! Every rule is decided here once; the generator only writes tables, so a crate grows by a
//! few lines per schema node, and a change to one schema changes only that schema's lines.
//! A node whose rules need a second look at a value (`allOf`, `anyOf`, `oneOf`, `not`,
//! `uniqueItems`, an `enum` with object or array options) is read into a `Value` by [`read`]
//! (only that subtree) and checked by [`check`].
#![allow(dead_code, unused_macros, unused_imports)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::error::{ErrorKind, MessageError, Path, ValidationError};
use crate::runtime::{self, Limit};

/// The JSON types a node accepts, as bits.
pub(crate) type Types = u8;
pub(crate) const NULL: Types = 1;
pub(crate) const BOOLEAN: Types = 2;
pub(crate) const OBJECT: Types = 4;
pub(crate) const ARRAY: Types = 8;
pub(crate) const NUMBER: Types = 16;
/// `integer` without `number` (with `number`, integers are numbers anyway).
pub(crate) const INTEGER: Types = 32;
pub(crate) const STRING: Types = 64;
/// No `type` keyword: every value has an accepted type.
pub(crate) const ANY: Types = 127;

/// One schema node.
pub(crate) struct Node {
    /// The verdict for this node: [`ok_of`] instantiated for it (see [`node!`]), so the
    /// optimiser sees this node's rules as constants and compiles them into straight code.
    pub ok: fn(&Value) -> bool,
    /// An object node with a `members` list: [`scan_members`] instantiated for it, the first
    /// pass of [`check`] on an object (`None`: the table is read).
    pub scan: Option<ScanFn>,
    /// The node's location in the message's JSON Schema (`/$defs/Card/properties/id`): the
    /// prefix of the schema path of every error it reports.
    pub at: &'static str,
    /// The schema paths of the keywords whose errors this node reports (`at` + `/type`, ..),
    /// written by [`node!`]: an error's path is one of these, not a string built per error.
    pub paths: &'static [&'static str],
    /// `$ref`: the node that decides instead (siblings are dropped by the converter).
    pub reference: Option<&'static Node>,
    /// The schema is `false`.
    pub forbidden: bool,
    pub types: Types,
    /// The `type` keyword as JSON, for messages.
    pub expected: &'static str,
    pub enumeration: Option<&'static Enum>,
    pub string: Option<&'static Strings>,
    pub number: Option<&'static Numbers>,
    pub object: Option<&'static Object>,
    pub array: Option<&'static Array>,
    pub logic: Option<&'static Logic>,
    /// Only `types` to check: the common leaf (`type: string`), decided without looking further.
    pub plain: bool,
    /// [`read`] buffers this node's value (see the module documentation).
    pub buffered: bool,
}

impl Node {
    /// A node that accepts everything; tables spell only what differs from it.
    pub(crate) const ANY: Node = Node {
        ok: ok_any,
        scan: None,
        at: "",
        paths: &[],
        reference: None,
        forbidden: false,
        types: ANY,
        expected: "",
        enumeration: None,
        string: None,
        number: None,
        object: None,
        array: None,
        logic: None,
        plain: false,
        buffered: false,
    };

    /// The schema path of this node's `keyword` (the node itself for `""`: a `false` schema):
    /// one of its static `paths`, or built if the tables do not list it.
    pub(crate) fn schema_path(&self, keyword: &str) -> Cow<'static, str> {
        let at = self.at;
        if keyword.is_empty() {
            return Cow::Borrowed(at);
        }
        let length = at.len() + 1 + keyword.len();
        let listed = self.paths.iter().find(|path| path.len() == length && same_name(&path[at.len() + 1..], keyword));
        match listed {
            Some(path) => Cow::Borrowed(path),
            None => Cow::Owned(format!("{at}/{keyword}")),
        }
    }
}

/// `enum`.
pub(crate) struct Enum {
    /// The options as JSON, for messages.
    pub expected: &'static str,
    pub strings: &'static [&'static str],
    pub null: bool,
    /// Every other option is an integer within ±2^53 (compared directly).
    pub integers: Option<&'static [i64]>,
    /// The other options, compared as JSON.
    pub others: Option<fn() -> &'static [Value]>,
}

/// Rules on strings.
pub(crate) struct Strings {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<&'static Pattern>,
    pub format: Option<Format>,
}

/// A `pattern`, as written and as a matcher.
pub(crate) struct Pattern {
    pub source: &'static str,
    pub is_match: fn(&str) -> bool,
}

/// The asserted formats.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Uuid,
    Date,
    DateTime,
    Email,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Email => "email",
        }
    }

    #[inline]
    fn accepts(self, text: &str) -> bool {
        match self {
            Format::Uuid => runtime::is_uuid(text),
            Format::Date => runtime::is_date(text),
            Format::DateTime => runtime::is_date_time(text),
            Format::Email => runtime::is_email(text),
        }
    }
}

/// A numeric bound, and its text as the spec writes it (for messages).
pub(crate) type Bound = Option<(Limit, &'static str)>;

/// Rules on numbers.
pub(crate) struct Numbers {
    pub minimum: Bound,
    pub maximum: Bound,
    pub exclusive_minimum: Bound,
    pub exclusive_maximum: Bound,
    pub multiple_of: Option<(f64, &'static str)>,
}

impl Numbers {
    pub(crate) const NONE: Numbers = Numbers {
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        multiple_of: None,
    };
}

/// Rules on objects.
pub(crate) struct Object {
    /// The names the node knows: its properties (in the schema's order) first, then the
    /// required names that are not properties.
    pub names: &'static [&'static str],
    /// The properties' nodes (as many as there are properties).
    pub nodes: &'static [&'static Node],
    /// Indexes into `names`, in the order of `required`.
    pub required: &'static [u16],
    /// The same as bits, when every required name is among the first 128 names (else 0 and
    /// `required` is read).
    pub required_bits: u128,
    pub additional: Additional,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// Indexes into `names` in name order, for a binary search when there are many names
    /// (empty: few names, searched in order).
    pub sorted: &'static [u16],
    /// A collision-free hash table over `names` found at generation time: `slots[name_hash(key,
    /// seed) & (len - 1)]` is the only name `key` can be (`u16::MAX`: none). Empty: not found.
    pub slots: &'static [u16],
    pub seed: u32,
}

/// Whether an object key (or an `enum` option) is the same text: lengths first, then eight-byte
/// words, so a short name costs a few integer compares and no `memcmp` call.
#[inline(always)]
fn same_name(name: &str, key: &str) -> bool {
    let (name, key) = (name.as_bytes(), key.as_bytes());
    if name.len() != key.len() {
        return false;
    }
    if name.len() < 4 {
        return name == key;
    }
    if name_ends(name) != name_ends(key) {
        return false;
    }
    // Longer than the two ends: the eight-byte words between them, still without a call.
    let mut at = 8;
    while at + 8 < name.len() {
        if name_ends(&name[at..at + 8]).0 != name_ends(&key[at..at + 8]).0 {
            return false;
        }
        at += 8;
    }
    true
}

impl Object {
    pub(crate) const NONE: Object = Object {
        names: &[],
        nodes: &[],
        required: &[],
        required_bits: 0,
        additional: Additional::Allowed,
        min_properties: None,
        max_properties: None,
        sorted: &[],
        slots: &[],
        seed: 0,
    };

    /// The index of `key` in `names`, or `usize::MAX`.
    #[inline(always)]
    fn index_of(&self, key: &str) -> usize {
        if !self.slots.is_empty() {
            let slot = name_hash(key, self.seed) as usize & (self.slots.len() - 1);
            let index = usize::from(self.slots[slot]);
            return match self.names.get(index) {
                Some(name) if same_name(name, key) => index,
                _ => usize::MAX,
            };
        }
        if self.sorted.is_empty() {
            for (index, name) in self.names.iter().enumerate() {
                if same_name(name, key) {
                    return index;
                }
            }
            return usize::MAX;
        }
        match self
            .sorted
            .binary_search_by(|&index| self.names[usize::from(index)].cmp(key))
        {
            Ok(at) => usize::from(self.sorted[at]),
            Err(_) => usize::MAX,
        }
    }

    /// [`Object::index_of`] for the bytes path: few names are compared in order (lengths
    /// first), which costs less than the hash and its comparison.
    #[inline(always)]
    fn find(&self, key: &str) -> usize {
        if self.names.len() <= FEW_NAMES {
            for (index, name) in self.names.iter().enumerate() {
                if same_name(name, key) {
                    return index;
                }
            }
            return usize::MAX;
        }
        self.index_of(key)
    }

    /// Whether `key` is one of the properties (not only a required name).
    #[inline]
    fn is_property(&self, key: &str) -> bool {
        self.index_of(key) < self.nodes.len()
    }
}

/// Up to how many names [`Object::find`] compares in order.
const FEW_NAMES: usize = 8;

/// `additionalProperties`.
pub(crate) enum Additional {
    Allowed,
    Forbidden,
    Schema(&'static Node),
}

/// Rules on arrays.
pub(crate) struct Array {
    pub items: Option<&'static Node>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
}

/// `allOf`, `anyOf`, `oneOf`, `not`.
pub(crate) struct Logic {
    pub all_of: &'static [&'static Node],
    pub any_of: &'static [&'static Node],
    pub one_of: &'static [&'static Node],
    pub not: Option<&'static Node>,
}

impl Logic {
    pub(crate) const NONE: Logic = Logic { all_of: &[], any_of: &[], one_of: &[], not: None };
}

// ---------------------------------------------------------------------------------------------
// Shared decisions
// ---------------------------------------------------------------------------------------------

/// Whether the value's JSON type is one of `types`.
#[inline(always)]
fn type_ok(types: Types, value: &Value) -> bool {
    if types == ANY {
        return true;
    }
    match value {
        Value::Null => types & NULL != 0,
        Value::Bool(_) => types & BOOLEAN != 0,
        Value::Object(_) => types & OBJECT != 0,
        Value::Array(_) => types & ARRAY != 0,
        Value::String(_) => types & STRING != 0,
        Value::Number(n) => number_type_ok(types, n),
    }
}

#[inline(always)]
fn number_type_ok(types: Types, n: &Number) -> bool {
    types & NUMBER != 0 || (types & INTEGER != 0 && runtime::is_integer(n))
}

impl Enum {
    #[inline(always)]
    fn accepts_str(&self, text: &str) -> bool {
        self.strings.iter().any(|option| same_name(option, text))
    }

    #[inline(always)]
    fn accepts_number(&self, n: &Number) -> bool {
        match (self.integers, self.others) {
            (Some(options), _) => runtime::integer_in(n, options),
            (None, Some(others)) => {
                let value = Value::Number(n.clone());
                others().iter().any(|option| runtime::json_equal(option, &value))
            }
            (None, None) => false,
        }
    }

    fn accepts_other(&self, value: &Value) -> bool {
        match self.others {
            Some(others) => others().iter().any(|option| runtime::json_equal(option, value)),
            None => false,
        }
    }

    #[inline(always)]
    fn accepts(&self, value: &Value) -> bool {
        match value {
            Value::String(text) => self.accepts_str(text),
            Value::Null => self.null,
            Value::Number(n) if self.integers.is_some() => self.accepts_number(n),
            other => self.accepts_other(other),
        }
    }
}

/// The first string rule `text` breaks, in the order errors are listed, from `first` on.
#[inline(always)]
fn string_ok(rules: &Strings, text: &str) -> bool {
    !(rules.min_length.is_some_and(|limit| runtime::shorter_than(text, limit))
        || rules.max_length.is_some_and(|limit| runtime::longer_than(text, limit))
        || rules.pattern.is_some_and(|pattern| !(pattern.is_match)(text))
        || rules.format.is_some_and(|format| !format.accepts(text)))
}

/// Every string error, through `push(keyword, kind)`.
fn string_errors(rules: &Strings, text: &str, mut push: impl FnMut(&'static str, ErrorKind)) {
    if let Some(limit) = rules.min_length
        && runtime::shorter_than(text, limit) {
            push("minLength", ErrorKind::MinLength { limit });
        }
    if let Some(limit) = rules.max_length
        && runtime::longer_than(text, limit) {
            push("maxLength", ErrorKind::MaxLength { limit });
        }
    if let Some(pattern) = rules.pattern
        && !(pattern.is_match)(text) {
            push("pattern", ErrorKind::Pattern { pattern: pattern.source });
        }
    if let Some(format) = rules.format
        && !format.accepts(text) {
            push("format", ErrorKind::Format { format: format.name() });
        }
}

#[inline(always)]
fn number_ok(rules: &Numbers, n: &Number) -> bool {
    rules.minimum.is_none_or(|(limit, _)| runtime::ge(n, limit))
        && rules.maximum.is_none_or(|(limit, _)| runtime::le(n, limit))
        && rules.exclusive_minimum.is_none_or(|(limit, _)| runtime::gt(n, limit))
        && rules.exclusive_maximum.is_none_or(|(limit, _)| runtime::lt(n, limit))
        && rules.multiple_of.is_none_or(|(multiple, _)| runtime::is_multiple_of(n, multiple))
}

fn number_errors(rules: &Numbers, n: &Number, mut push: impl FnMut(&'static str, ErrorKind)) {
    if let Some((limit, text)) = rules.minimum
        && !runtime::ge(n, limit) {
            push("minimum", ErrorKind::Minimum { limit: text });
        }
    if let Some((limit, text)) = rules.maximum
        && !runtime::le(n, limit) {
            push("maximum", ErrorKind::Maximum { limit: text });
        }
    if let Some((limit, text)) = rules.exclusive_minimum
        && !runtime::gt(n, limit) {
            push("exclusiveMinimum", ErrorKind::ExclusiveMinimum { limit: text });
        }
    if let Some((limit, text)) = rules.exclusive_maximum
        && !runtime::lt(n, limit) {
            push("exclusiveMaximum", ErrorKind::ExclusiveMaximum { limit: text });
        }
    if let Some((multiple, text)) = rules.multiple_of
        && !runtime::is_multiple_of(n, multiple) {
            push("multipleOf", ErrorKind::MultipleOf { limit: text });
        }
}

/// Follows `$ref`s to the node that decides.
#[inline]
fn target(mut node: &'static Node) -> &'static Node {
    while let Some(next) = node.reference {
        node = next;
    }
    node
}

// ---------------------------------------------------------------------------------------------
// `ok`: the verdict only
// ---------------------------------------------------------------------------------------------

/// Whether `value` conforms to `node`: stops at the first failure, allocates nothing.
#[inline]
pub(crate) fn ok(node: &'static Node, value: &Value) -> bool {
    (node.ok)(value)
}

/// A node's rules as a type, so that [`ok_of`] can be instantiated once per node.
pub(crate) trait Rules {
    /// The node's table as a constant (its `static` holds the same): [`ok_of`] reads this, so every
    /// field is known wherever `ok_of::<S>` is compiled, in this crate or in one that calls an
    /// `is_valid_*` function (a `static` of another crate would be an opaque load there).
    const DATA: Node;
    /// A `$ref` node: [`Rules::follow`] is the target's [`ok_of`].
    const REFERS: bool = false;
    /// An object node whose [`Rules::property`] is its own `match` on its property names
    /// (written by [`node!`] from its `members` list) rather than the table lookup.
    const MEMBERS: bool = false;
    /// With `MEMBERS`: the bits of [`Rules::property`]'s `seen` that the required names set.
    const REQUIRED: u64 = 0;

    /// With `REFERS`: whether `value` conforms to the target.
    #[inline(always)]
    fn follow(_value: &Value) -> bool {
        true
    }

    /// With `MEMBERS`: the property `key` names (its index in [`Object::names`]) and whether
    /// `value` conforms to it, marking the property's bit in `seen` if it is required (`None`:
    /// not a property). [`ok`] drops the index (the optimiser with it); [`check`] needs it.
    #[inline(always)]
    fn member(_key: &str, _value: &Value, _seen: &mut u64) -> Option<(usize, bool)> {
        None
    }

    /// With `MEMBERS`: whether [`Rules::string_member`] is written (a `strings` list).
    const STRINGS: bool = false;

    /// With `STRINGS`: [`Rules::member`] for a string `value`, written by [`node!`] from the
    /// node's `strings` list when other keys are allowed: it looks only for the required names
    /// and the properties that may reject a string, as every other key accepts any string
    /// (most keys are such, and they then cost no comparison of names at all).
    #[inline(always)]
    fn string_member(_key: &str, _value: &Value, _seen: &mut u64) -> Option<(usize, bool)> {
        None
    }
}

/// Declares a node: its `static` (the table every path reads), a type of the same name (in the
/// type namespace) that names it for [`ok_of`], and its `ok` function, [`ok_of`] for itself.
/// One line of data per node stays one line; the specialised code is the compiler's work.
///
/// A node that reports errors of its own lists their schema paths after its fields
/// (`reports ["/$defs/Card/type" "/$defs/Card/enum"]`), static strings ([`Node::paths`]), so
/// that an error borrows its schema path rather than building it. The generator writes them
/// whole: a `concat!` per path was a measurable part of a large crate's `cargo check`.
///
/// A `$ref` node's `ok` calls its target's `ok_of` directly. An object node may end with
/// `members REQUIRED { LENGTH { "name" BIT INDEX NODE, .. } .. }`, its properties grouped by the
/// length of their names: the `ok` path finds a key's property by a `match` on the key's length
/// (a jump table), then on its text (a few word compares), marks `BIT` (the property's bit among
/// the required names, or 0) and checks the value with the property's own `ok_of`, called
/// directly (so inlined where it is small), as specialised code would. `check` runs the same
/// `match` first ([`scan_members`]; `INDEX` is the property's place in the table), then reads
/// the table only for what failed; `read` keeps the table. A `strings { .. }` list after it (in
/// the same form) is [`Rules::string_member`]'s: the members a string value must be matched
/// against.
macro_rules! node {
    // Leaves share code: a bare `$ref` is its target's type, a node that only checks its type
    // is `Plain` of that type (most properties), so neither has rules or `ok` of its own to
    // compile. Only the static (its place in the spec, for `check` and `read`) is its own.
    ($name:ident = { at: $at:literal, reference: Some(&$target:ident), ..e::Node::ANY }) => {
        pub(crate) static $name: $crate::engine::Node =
            $crate::engine::Node { ok: $crate::engine::ok_of::<$target>, at: $at, reference: Some(&$target), ..$crate::engine::Node::ANY };
        pub(crate) type $name = $target;
    };
    ($name:ident = { at: $at:literal, types: $types:expr, expected: $expected:literal, plain: true, ..e::Node::ANY } reports [$type_path:literal]) => {
        pub(crate) type $name = $crate::engine::Plain<{ $types }>;
        pub(crate) static $name: $crate::engine::Node = $crate::engine::Node {
            ok: $crate::engine::ok_of::<$name>,
            at: $at,
            paths: &[$type_path],
            types: $types,
            expected: $expected,
            plain: true,
            ..$crate::engine::Node::ANY
        };
    };
    ($name:ident = { at: $at:literal, plain: true, ..e::Node::ANY }) => {
        pub(crate) type $name = $crate::engine::Plain<{ $crate::engine::ANY }>;
        pub(crate) static $name: $crate::engine::Node =
            $crate::engine::Node { ok: $crate::engine::ok_of::<$name>, at: $at, plain: true, ..$crate::engine::Node::ANY };
    };
    // A `$ref` in a cycle of bare references (the generator says so): a type of its own, as
    // aliases cannot go round in a cycle.
    ($name:ident = { at: $at:literal, reference: Some(&$target:ident), ..e::Node::ANY } cyclic) => {
        $crate::engine::node!(@node $name {} { at: $at, reference: Some(&$target), ..$crate::engine::Node::ANY } {
            const REFERS: bool = true;

            #[inline(always)]
            fn follow(value: &serde_json::Value) -> bool {
                $crate::engine::ok_of::<$target>(value)
            }
        });
    };
    ($name:ident = { at: $at:literal, $($field:tt)* } $(reports [$($path:literal)*])?) => {
        $crate::engine::node!(@node $name { paths: &[$($($path,)*)?], } { at: $at, $($field)* } {});
    };
    ($name:ident = { at: $at:literal, $($field:tt)* } $(reports [$($path:literal)*])? members $required:literal { $($members:tt)* } $(strings { $($strings:tt)* })?) => {
        $crate::engine::node!(@node $name {
            paths: &[$($($path,)*)?],
            scan: Some($crate::engine::scan_members::<$name>),
        } { at: $at, $($field)* } {
            const MEMBERS: bool = true;
            const REQUIRED: u64 = $required;

            #[inline(always)]
            fn member(key: &str, value: &serde_json::Value, seen: &mut u64) -> Option<(usize, bool)> {
                $crate::engine::node!(@match key value seen { $($members)* })
            }
            $(
                const STRINGS: bool = true;

                #[inline(always)]
                #[allow(unused_variables)]
                fn string_member(key: &str, value: &serde_json::Value, seen: &mut u64) -> Option<(usize, bool)> {
                    $crate::engine::node!(@match key value seen { $($strings)* })
                }
            )?
        });
    };
    (@match $key_text:ident $value:ident $seen:ident { $($length:literal { $($key:literal $bit:literal $index:literal $member:ident),* })* }) => {
        match $key_text.len() {
            $($length => match $key_text {
                $($key => {
                    *$seen |= $bit;
                    Some(($index, $crate::engine::ok_of::<$member>($value)))
                })*
                _ => None,
            },)*
            _ => None,
        }
    };
    (@node $name:ident { $($extra:tt)* } { $($field:tt)* } { $($item:tt)* }) => {
        // Spelled out again rather than `= DATA`: a schema that refers to itself would make
        // the static's value depend on a constant that points back at the static (E0391).
        pub(crate) static $name: $crate::engine::Node =
            $crate::engine::Node { ok: $crate::engine::ok_of::<$name>, $($extra)* $($field)* };
        pub(crate) enum $name {}
        impl $crate::engine::Rules for $name {
            const DATA: $crate::engine::Node = $crate::engine::Node { ok: $crate::engine::ok_of::<$name>, $($extra)* $($field)* };
            $($item)*
        }
    };
}
pub(crate) use node;

fn ok_any(_: &Value) -> bool {
    true
}

/// The rules of every node that checks only its JSON types (`TYPES`): one type per set of
/// types, shared by all such nodes (see [`node!`]).
pub(crate) enum Plain<const TYPES: Types> {}

impl<const TYPES: Types> Rules for Plain<TYPES> {
    const DATA: Node = Node { types: TYPES, plain: true, ..Node::ANY };
}

/// [`ok`] for the node `S`: every field of `S::DATA` is a constant here, so each instance is
/// the checks of that node alone (a plain string property is a tag test), as if written by
/// hand; children are reached through their own `ok`.
#[inline]
pub(crate) fn ok_of<S: Rules>(value: &Value) -> bool {
    if S::REFERS {
        return S::follow(value);
    }
    let node: &'static Node = const { &S::DATA };
    if let Some(next) = node.reference {
        return (next.ok)(value);
    }
    if node.plain {
        return type_ok(node.types, value);
    }
    ok_rules::<S>(node, value)
}

#[inline(always)]
fn ok_rules<S: Rules>(node: &'static Node, value: &Value) -> bool {
    if node.forbidden || !type_ok(node.types, value) {
        return false;
    }
    if let Some(rules) = node.enumeration
        && !rules.accepts(value) {
            return false;
        }
    match value {
        Value::String(text) => {
            if let Some(rules) = node.string
                && !string_ok(rules, text) {
                    return false;
                }
        }
        Value::Number(n) => {
            if let Some(rules) = node.number
                && !number_ok(rules, n) {
                    return false;
                }
        }
        Value::Object(map) => {
            if let Some(rules) = node.object {
                let passed = if S::MEMBERS { ok_members::<S>(rules, map) } else { ok_object(rules, map) };
                if !passed {
                    return false;
                }
            }
        }
        Value::Array(items) => {
            if let Some(rules) = node.array {
                if let Some(item) = rules.items
                    && !items.iter().all(|child| ok(item, child)) {
                        return false;
                    }
                let count = items.len() as u64;
                if rules.min_items.is_some_and(|limit| count < limit)
                    || rules.max_items.is_some_and(|limit| count > limit)
                    || (rules.unique_items && !runtime::has_unique_items(items))
                {
                    return false;
                }
            }
        }
        _ => {}
    }
    match node.logic {
        Some(logic) => ok_logic(logic, value),
        None => true,
    }
}

#[inline(always)]
fn ok_object(rules: &'static Object, map: &serde_json::Map<String, Value>) -> bool {
    // One pass over the map checks every member; `seen` marks the names found.
    let mut seen = Seen::new(rules.names.len());
    for (key, child) in map {
        let index = rules.index_of(key);
        if index < rules.nodes.len() {
            seen.set(index);
            // A plain child (most properties) is decided here, without a call.
            let node = rules.nodes[index];
            let passed = if node.plain { type_ok(node.types, child) } else { (node.ok)(child) };
            if !passed {
                return false;
            }
        } else {
            if index != usize::MAX {
                seen.set(index);
            }
            match rules.additional {
                Additional::Allowed => {}
                Additional::Forbidden => return false,
                Additional::Schema(schema) => {
                    if !ok(schema, child) {
                        return false;
                    }
                }
            }
        }
    }
    let count = map.len() as u64;
    let required = match seen {
        Seen::Few([low, high]) if rules.required_bits != 0 => {
            let bits = u128::from(low) | u128::from(high) << 64;
            bits & rules.required_bits == rules.required_bits
        }
        _ => rules.required.iter().all(|&index| seen.get(usize::from(index))),
    };
    required
        && rules.min_properties.is_none_or(|limit| count >= limit)
        && rules.max_properties.is_none_or(|limit| count <= limit)
}

/// [`ok_object`] for a node with a `members` list: the same decisions, each key found by the
/// node's own `match` ([`Rules::property`]); the generator writes `members` only when every
/// required name is a property and there are at most 64 of them.
#[inline(always)]
fn ok_members<S: Rules>(rules: &'static Object, map: &serde_json::Map<String, Value>) -> bool {
    let mut seen = 0u64;
    for (key, child) in map {
        match member::<S>(key, child, &mut seen) {
            Some((_, passed)) => {
                if !passed {
                    return false;
                }
            }
            None => match rules.additional {
                Additional::Allowed => {}
                Additional::Forbidden => return false,
                Additional::Schema(schema) => {
                    if !ok(schema, child) {
                        return false;
                    }
                }
            },
        }
    }
    let count = map.len() as u64;
    seen == S::REQUIRED
        && rules.min_properties.is_none_or(|limit| count >= limit)
        && rules.max_properties.is_none_or(|limit| count <= limit)
}

/// The member `key` names, by [`Rules::string_member`] for a string (a key it does not look
/// for is then another key or a property that accepts any string: both pass).
#[inline(always)]
fn member<S: Rules>(key: &str, value: &Value, seen: &mut u64) -> Option<(usize, bool)> {
    if S::STRINGS && matches!(value, Value::String(_)) { S::string_member(key, value, seen) } else { S::member(key, value, seen) }
}

/// [`scan_members`] for one node.
pub(crate) type ScanFn = fn(&serde_json::Map<String, Value>) -> Scan;

/// What [`scan_members`] found on one object.
#[derive(Clone, Copy)]
pub(crate) struct Scan {
    /// Bit `i`: the property at index `i` failed its `ok`; bit 63 stands for every index
    /// from 63 on (those are asked again).
    pub failed: u64,
    /// Nothing to report on this object but the failed properties: every required name is
    /// there, no other key breaks `additionalProperties`, the counts hold.
    pub rest_ok: bool,
}

/// The first pass of [`check`] on an object with a `members` list: [`ok_members`] that goes on
/// past a failure and says which properties failed, so `check` looks again only at those (a
/// property is decided once, through the node's own `match`, whether the object is valid or
/// not).
pub(crate) fn scan_members<S: Rules>(map: &serde_json::Map<String, Value>) -> Scan {
    let rules = const { S::DATA.object.expect("a members list is written for object nodes only") };
    let mut seen = 0u64;
    let mut failed = 0u64;
    let mut others_ok = true;
    for (key, child) in map {
        match member::<S>(key, child, &mut seen) {
            Some((index, passed)) => {
                if !passed {
                    failed |= 1 << index.min(63);
                }
            }
            None => match rules.additional {
                Additional::Allowed => {}
                Additional::Forbidden => others_ok = false,
                Additional::Schema(schema) => others_ok &= ok(schema, child),
            },
        }
    }
    let count = map.len() as u64;
    let rest_ok = others_ok
        && seen == S::REQUIRED
        && rules.min_properties.is_none_or(|limit| count >= limit)
        && rules.max_properties.is_none_or(|limit| count <= limit);
    Scan { failed, rest_ok }
}

#[inline(always)]
fn ok_logic(logic: &'static Logic, value: &Value) -> bool {
    logic.all_of.iter().all(|branch| ok(branch, value))
        && (logic.any_of.is_empty() || logic.any_of.iter().any(|branch| ok(branch, value)))
        && (logic.one_of.is_empty()
            || logic.one_of.iter().filter(|branch| ok(branch, value)).count() == 1)
        && logic.not.is_none_or(|not| !ok(not, value))
}

/// Which of an object's names were found: bits on the stack for up to 128 names, as two words
/// (a bit costs a word load and a bit test, where a `u128` would take two-word shifts).
enum Seen {
    Few([u64; 2]),
    Many(Vec<bool>),
}

impl Seen {
    #[inline]
    fn new(names: usize) -> Seen {
        if names <= 128 { Seen::Few([0; 2]) } else { Seen::Many(vec![false; names]) }
    }

    /// Marks `index`; returns whether it was already marked.
    #[inline]
    fn set(&mut self, index: usize) -> bool {
        match self {
            Seen::Few(words) => {
                let (word, bit) = (&mut words[index >> 6 & 1], 1u64 << (index & 63));
                let before = *word & bit != 0;
                *word |= bit;
                before
            }
            Seen::Many(flags) => std::mem::replace(&mut flags[index], true),
        }
    }

    #[inline]
    fn get(&self, index: usize) -> bool {
        match self {
            Seen::Few(words) => words[index >> 6 & 1] >> (index & 63) & 1 == 1,
            Seen::Many(flags) => flags[index],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `check`: every error
// ---------------------------------------------------------------------------------------------

/// Records an error; the first takes room for four at once (growing an empty `Vec` on its
/// first push costs more than allocating it, and [`collect`] allocates nothing up front). The
/// room is taken before the error's strings, as the allocator serves them best (measured).
#[inline(always)]
fn push(errors: &mut Vec<ValidationError>, error: impl FnOnce() -> ValidationError) {
    if errors.capacity() == 0 {
        *errors = Vec::with_capacity(4);
    }
    errors.push(error());
}

/// Every error of `value` against `node`, in a fixed order: `type`, `enum`, the string, number,
/// object (`required`, each property in the schema's order, `additionalProperties`, counts) or
/// array rules, then `allOf`, `anyOf`, `oneOf`, `not`.
pub(crate) fn check<'v>(node: &'static Node, value: &'v Value, path: &mut Path<'v>, errors: &mut Vec<ValidationError>) {
    let node = target(node);
    if node.forbidden {
        push(errors, || path.error(node, "", ErrorKind::FalseSchema));
        return;
    }
    if !type_ok(node.types, value) {
        push(errors, || path.error(node, "type", ErrorKind::Type { expected: node.expected }));
    }
    if let Some(rules) = node.enumeration
        && !rules.accepts(value) {
            push(errors, || path.error(node, "enum", ErrorKind::Enum { expected: rules.expected }));
        }
    match value {
        Value::String(text) => {
            if let Some(rules) = node.string {
                string_errors(rules, text, |keyword, kind| push(errors, || path.error(node, keyword, kind)));
            }
        }
        Value::Number(n) => {
            if let Some(rules) = node.number {
                number_errors(rules, n, |keyword, kind| push(errors, || path.error(node, keyword, kind)));
            }
        }
        Value::Object(map) => {
            if let Some(rules) = node.object {
                check_object(node, rules, map, path, errors);
            }
        }
        Value::Array(items) => {
            if let Some(rules) = node.array {
                if let Some(item) = rules.items {
                    for (index, child) in items.iter().enumerate() {
                        if ok(item, child) {
                            continue;
                        }
                        path.push_index(index);
                        check(item, child, path, errors);
                        path.pop();
                    }
                }
                let count = items.len() as u64;
                if let Some(limit) = rules.min_items.filter(|&limit| count < limit) {
                    push(errors, || path.error(node, "minItems", ErrorKind::MinItems { limit }));
                }
                if let Some(limit) = rules.max_items.filter(|&limit| count > limit) {
                    push(errors, || path.error(node, "maxItems", ErrorKind::MaxItems { limit }));
                }
                if rules.unique_items && !runtime::has_unique_items(items) {
                    push(errors, || path.error(node, "uniqueItems", ErrorKind::UniqueItems));
                }
            }
        }
        _ => {}
    }
    if let Some(logic) = node.logic {
        for branch in logic.all_of {
            if !ok(branch, value) {
                check(branch, value, path, errors);
            }
        }
        if !logic.any_of.is_empty() && !logic.any_of.iter().any(|branch| ok(branch, value)) {
            push(errors, || path.error(node, "anyOf", ErrorKind::AnyOf));
        }
        if !logic.one_of.is_empty() {
            match logic.one_of.iter().filter(|branch| ok(branch, value)).count() {
                1 => {}
                0 => push(errors, || path.error(node, "oneOf", ErrorKind::OneOfNoneValid)),
                _ => push(errors, || path.error(node, "oneOf", ErrorKind::OneOfMultipleValid)),
            }
        }
        if let Some(not) = logic.not
            && ok(not, value) {
                push(errors, || path.error(node, "not", ErrorKind::Not));
            }
    }
}

fn check_object<'v>(
    node: &'static Node,
    rules: &'static Object,
    map: &'v serde_json::Map<String, Value>,
    path: &mut Path<'v>,
    errors: &mut Vec<ValidationError>,
) {
    // A node with a `members` list decides every property in its own first pass; the table
    // below is read only when there is something to report, and asks only what failed.
    let scan = node.scan.map(|scan| scan(map));
    if let Some(Scan { failed, rest_ok: true }) = scan
        && failed >> 63 == 0
    {
        // Only properties failed (usually one): each is found again by its name and checked,
        // in the schema's order (the order of the bits), as the table path below would.
        let mut left = failed;
        while left != 0 {
            let index = left.trailing_zeros() as usize;
            left &= left - 1;
            let name = rules.names[index];
            if let Some((_, child)) = map.iter().find(|(key, _)| same_name(name, key)) {
                path.push_key(name);
                check(rules.nodes[index], child, path, errors);
                path.pop();
            }
        }
        return;
    }
    // One pass over the map finds every known name (on the stack for up to 32 names).
    let mut few: [Option<&'v Value>; 32] = [None; 32];
    let mut many: Vec<Option<&'v Value>> = Vec::new();
    let found: &mut [Option<&'v Value>] = if rules.names.len() <= few.len() {
        &mut few[..rules.names.len()]
    } else {
        many.resize(rules.names.len(), None);
        &mut many
    };
    if !found.is_empty() {
        for (key, child) in map {
            if let Some(slot) = found.get_mut(rules.index_of(key)) {
                *slot = Some(child);
            }
        }
    }
    for &index in rules.required {
        let index = usize::from(index);
        if found[index].is_none() {
            push(errors, || path.error(node, "required", ErrorKind::Required { property: rules.names[index] }));
        }
    }
    for (index, property) in rules.nodes.iter().enumerate() {
        // A member that conforms (most of them) is decided by its specialised `ok` alone
        // (faster than `check` even for a scalar that then fails and is decided twice), or
        // was in the scan.
        let failed = |child| match scan {
            Some(scan) if index < 63 => scan.failed >> index & 1 == 1,
            Some(scan) if scan.failed >> 63 == 0 => false,
            _ => !ok(property, child),
        };
        if let Some(child) = found[index]
            && failed(child) {
            path.push_key(rules.names[index]);
            check(property, child, path, errors);
            path.pop();
        }
    }
    match rules.additional {
        Additional::Allowed => {}
        Additional::Forbidden => {
            let unexpected: Vec<String> = map.keys().filter(|key| !rules.is_property(key)).cloned().collect();
            if !unexpected.is_empty() {
                push(errors, || path.error(node, "additionalProperties", ErrorKind::AdditionalProperties { unexpected }));
            }
        }
        Additional::Schema(schema) => {
            for (key, child) in map {
                if !rules.is_property(key) && !ok(schema, child) {
                    path.push_key(key);
                    check(schema, child, path, errors);
                    path.pop();
                }
            }
        }
    }
    let count = map.len() as u64;
    if let Some(limit) = rules.min_properties.filter(|&limit| count < limit) {
        push(errors, || path.error(node, "minProperties", ErrorKind::MinProperties { limit }));
    }
    if let Some(limit) = rules.max_properties.filter(|&limit| count > limit) {
        push(errors, || path.error(node, "maxProperties", ErrorKind::MaxProperties { limit }));
    }
}

/// Every error of `value` against `node`, in one pass: [`check`] decides each object's
/// properties through the node's own `match` first ([`scan_members`]), so a valid value costs
/// about what [`ok`] does, and an invalid one is not decided twice. Nothing is allocated
/// unless there is an error (the first takes room for four).
#[inline]
pub(crate) fn collect(node: &'static Node, value: &Value) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    check(node, value, &mut Path::default(), &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------------
// `read`: raw bytes in one pass
// ---------------------------------------------------------------------------------------------

/// One step of an instance path.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A location in the document being read: a linked list through the stack frames of the
/// seeds, turned into a JSON pointer only when an error is recorded.
#[derive(Clone, Copy)]
struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    seg: Seg<'a>,
}

/// The JSON pointer of a location (`""` for the root), escaped as `error::Path` does.
fn pointer(at: Option<&Loc<'_>>) -> String {
    let mut length = 0;
    let mut current = at;
    while let Some(loc) = current {
        length += match loc.seg {
            Seg::Key(key) => key.len() + 1,
            Seg::Index(_) => 4,
        };
        current = loc.parent;
    }
    let mut pointer = String::with_capacity(length);
    if let Some(loc) = at {
        write_pointer(loc, &mut pointer);
    }
    pointer
}

fn write_pointer(loc: &Loc<'_>, out: &mut String) {
    if let Some(parent) = loc.parent {
        write_pointer(parent, out);
    }
    out.push('/');
    match loc.seg {
        Seg::Key(key) => crate::error::push_escaped(out, key),
        Seg::Index(index) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{index}");
        }
    }
}

/// Whether `serde_json::Map` iterates in key order (without serde_json's `preserve_order`
/// feature) rather than in insertion order; [`check`] lists keys in map order.
static SORTED_MAPS: LazyLock<bool> = LazyLock::new(|| {
    let mut map = serde_json::Map::new();
    map.insert("b".to_owned(), Value::Null);
    map.insert("a".to_owned(), Value::Null);
    map.keys().next().is_some_and(|key| key == "a")
});

/// What one validation collects.
#[derive(Default)]
struct State {
    errors: Vec<ValidationError>,
}

impl State {
    #[cold]
    #[inline(never)]
    fn push(&mut self, at: Option<&Loc<'_>>, node: &'static Node, keyword: &'static str, kind: ErrorKind) {
        push(&mut self.errors, || ValidationError {
            instance_path: pointer(at),
            schema_path: node.schema_path(keyword),
            kind,
        });
    }

    /// Runs [`check`] on a buffered subtree found at `at`.
    fn buffered(&mut self, at: Option<&Loc<'_>>, value: &Value, node: &'static Node) {
        let start = self.errors.len();
        check(node, value, &mut Path::default(), &mut self.errors);
        if self.errors.len() > start && at.is_some() {
            let prefix = pointer(at);
            for error in &mut self.errors[start..] {
                error.instance_path.insert_str(0, &prefix);
            }
        }
    }

    fn take_since(&mut self, start: usize) -> Vec<Option<ValidationError>> {
        if self.errors.len() == start { Vec::new() } else { self.errors.drain(start..).map(Some).collect() }
    }

    /// Puts back the taken errors that were recorded in `range` (errors recorded for an
    /// earlier occurrence of a repeated key are in no range any more, and stay out).
    fn put_back(&mut self, taken: &mut [Option<ValidationError>], start: usize, range: (usize, usize)) {
        if range.1 > range.0 {
            for slot in &mut taken[range.0 - start..range.1 - start] {
                self.errors.extend(slot.take());
            }
        }
    }
}

/// Reads an object key and looks it up in a node's names: its index in them, or `usize::MAX`
/// (the key's text is then left in `other` when the node needs it). An index in a register
/// costs less to return than the text beside it.
struct KeySeed<'k, 'de> {
    rules: &'static Object,
    other: Option<&'k mut Option<Cow<'de, str>>>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, 'de> {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, 'de> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<usize, E> {
        let index = self.rules.find(key);
        if index == usize::MAX
            && let Some(other) = self.other {
                *other = Some(Cow::Borrowed(key));
            }
        Ok(index)
    }

    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        let index = self.rules.find(key);
        if index == usize::MAX
            && let Some(other) = self.other {
                *other = Some(Cow::Owned(key.to_owned()));
            }
        Ok(index)
    }
}

/// The keys of one object that are not its node's properties, when they matter: each once, in
/// the order of their first occurrence, with the errors recorded for the last one's value.
#[derive(Default)]
struct Others<'de> {
    keys: Vec<(Cow<'de, str>, (usize, usize))>,
    /// Where each key is in `keys`, once there are many.
    index: Option<HashMap<Cow<'de, str>, usize>>,
}

impl<'de> Others<'de> {
    /// The place of a key, and whether it is new.
    fn slot(&mut self, key: Cow<'de, str>) -> (usize, bool) {
        let found = if self.keys.len() <= 16 {
            self.keys.iter().position(|(known, _)| *known == key)
        } else {
            let keys = &self.keys;
            let index = self
                .index
                .get_or_insert_with(|| keys.iter().enumerate().map(|(at, (known, _))| (known.clone(), at)).collect());
            index.get(&*key).copied()
        };
        match found {
            Some(at) => (at, false),
            None => {
                if let Some(index) = &mut self.index {
                    index.insert(key.clone(), self.keys.len());
                }
                self.keys.push((key, (0, 0)));
                (self.keys.len() - 1, true)
            }
        }
    }

    /// The keys, in map order.
    fn unexpected(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.keys.iter().map(|(key, _)| key.to_string()).collect();
        if *SORTED_MAPS {
            keys.sort();
        }
        keys
    }

    /// Puts back the errors recorded for the keys' values, in map order.
    fn put_back(&mut self, state: &mut State, taken: &mut [Option<ValidationError>], start: usize) {
        if *SORTED_MAPS {
            self.keys.sort_by(|a, b| a.0.cmp(&b.0));
        }
        for (_, range) in &self.keys {
            state.put_back(taken, start, *range);
        }
    }
}

/// The errors each property's value recorded in [`State::errors`], as `(property, from, to)`
/// in reading order: noted only for a value with errors and for a repeated key (whose last
/// value replaces the earlier ones' errors), so a clean object notes nothing. Four on the stack.
#[derive(Default)]
struct Ranges {
    few: [(usize, usize, usize); 4],
    len: usize,
    more: Vec<(usize, usize, usize)>,
    repeated: bool,
}

impl Ranges {
    #[inline(always)]
    fn note(&mut self, index: usize, from: usize, to: usize, repeat: bool) {
        if to > from || repeat {
            self.push(index, from, to, repeat);
        }
    }

    #[cold]
    fn push(&mut self, index: usize, from: usize, to: usize, repeat: bool) {
        self.repeated |= repeat;
        if self.len < self.few.len() {
            self.few[self.len] = (index, from, to);
            self.len += 1;
        } else {
            self.more.push((index, from, to));
        }
    }

    fn iter(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.few[..self.len].iter().chain(&self.more).copied()
    }

    /// Whether the errors from `start` to `end` are exactly the properties' errors, already in
    /// the properties' order.
    fn ordered(&self, start: usize, end: usize) -> bool {
        if self.repeated {
            return false;
        }
        let mut next = start;
        let mut last = None;
        for (index, from, to) in self.iter() {
            if from != next || last.is_some_and(|last| index <= last) {
                return false;
            }
            next = to;
            last = Some(index);
        }
        next == end
    }

    /// Each property's last range, in the properties' order.
    fn in_order(&self) -> Vec<(usize, usize)> {
        let mut entries: Vec<(usize, usize, usize)> = self.iter().collect();
        entries.reverse();
        // Stable: a property's last range comes first among its own, and is the one kept.
        entries.sort_by_key(|entry| entry.0);
        entries.dedup_by_key(|entry| entry.0);
        entries.into_iter().map(|(_, from, to)| (from, to)).collect()
    }
}

/// Reads any JSON value and checks nothing (strings are still checked to be UTF-8 and numbers
/// to be in range, as when reading a `Value`; `serde::de::IgnoredAny` checks neither).
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Reads one value against a node at a location.
struct Seed<'a> {
    node: &'static Node,
    at: Option<&'a Loc<'a>>,
    state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let node = target(self.node);
        // One test for the three rare cases (no branch per flag on the common path).
        if node.forbidden | node.buffered | (node.plain & (node.types == ANY)) {
            return Seed { node, ..self }.rare(deserializer);
        }
        deserializer.deserialize_any(Seed { node, ..self })
    }
}

impl Seed<'_> {
    /// A `false` schema, a buffered node, or one that accepts anything.
    #[inline(never)]
    fn rare<'de, D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let node = self.node;
        if node.forbidden {
            Skip.deserialize(deserializer)?;
            self.state.push(self.at, node, "", ErrorKind::FalseSchema);
            return Ok(());
        }
        if node.buffered {
            let value = Value::deserialize(deserializer)?;
            self.state.buffered(self.at, &value, node);
            return Ok(());
        }
        Skip.deserialize(deserializer)
    }

    /// `type` and `enum` for a scalar or container of kind `kind`; `enum_ok` decides
    /// membership (containers are never members here: structured options are buffered).
    #[inline]
    fn head(&mut self, type_ok: bool, enum_ok: impl FnOnce(&Enum) -> bool) {
        let node = self.node;
        if !type_ok {
            self.state.push(self.at, node, "type", ErrorKind::Type { expected: node.expected });
        }
        if let Some(rules) = node.enumeration
            && !enum_ok(rules) {
                self.state.push(self.at, node, "enum", ErrorKind::Enum { expected: rules.expected });
            }
    }

    /// A string against a node with more than its type to check.
    #[inline(never)]
    fn string(mut self, text: &str) {
        let node = self.node;
        self.head(node.types & STRING != 0, |rules| rules.accepts_str(text));
        if let Some(rules) = node.string {
            let Seed { at, state, .. } = self;
            string_errors(rules, text, |keyword, kind| state.push(at, node, keyword, kind));
        }
    }

    fn number(mut self, n: Number) {
        let node = self.node;
        self.head(number_type_ok(node.types, &n), |rules| rules.accepts_number(&n));
        if let Some(rules) = node.number {
            let Seed { at, state, .. } = self;
            number_errors(rules, &n, |keyword, kind| state.push(at, node, keyword, kind));
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.head(self.node.types & NULL != 0, |rules| rules.null);
        Ok(())
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<(), E> {
        self.head(self.node.types & BOOLEAN != 0, |rules| rules.accepts_other(&Value::Bool(v)));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.number(Number::from(v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.number(Number::from(v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // As `Value` reads it: a float with no JSON form would be `null`.
        match Number::from_f64(v) {
            Some(n) => {
                self.number(n);
                Ok(())
            }
            None => self.visit_unit(),
        }
    }

    #[inline]
    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        let node = self.node;
        if node.plain {
            if node.types & STRING == 0 {
                self.state.push(self.at, node, "type", ErrorKind::Type { expected: node.expected });
            }
            return Ok(());
        }
        self.string(text);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let node = self.node;
        self.head(node.types & ARRAY != 0, |_| false);
        let Seed { at, state, .. } = self;
        let Some(rules) = node.array else {
            while seq.next_element_seed(Skip)?.is_some() {}
            return Ok(());
        };
        let mut count = 0usize;
        loop {
            let loc = Loc { parent: at, seg: Seg::Index(count) };
            let more = match rules.items {
                Some(item) => seq.next_element_seed(Seed { node: item, at: Some(&loc), state: &mut *state })?,
                None => seq.next_element_seed(Skip)?,
            };
            if more.is_none() {
                break;
            }
            count += 1;
        }
        let count = count as u64;
        if let Some(limit) = rules.min_items.filter(|&limit| count < limit) {
            state.push(at, node, "minItems", ErrorKind::MinItems { limit });
        }
        if let Some(limit) = rules.max_items.filter(|&limit| count > limit) {
            state.push(at, node, "maxItems", ErrorKind::MaxItems { limit });
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let node = self.node;
        self.head(node.types & OBJECT != 0, |_| false);
        let Seed { at, state, .. } = self;
        let Some(rules) = node.object else {
            while map.next_key_seed(Skip)?.is_some() {
                map.next_value_seed(Skip)?;
            }
            return Ok(());
        };
        let start = state.errors.len();
        let mut seen = Seen::new(rules.names.len());
        let mut ranges = Ranges::default();
        let counts = rules.min_properties.is_some() || rules.max_properties.is_some();
        let keep_others = counts || !matches!(rules.additional, Additional::Allowed);
        let mut count = 0usize;
        let mut others: Option<Box<Others<'de>>> = None;
        let mut other: Option<Cow<'de, str>> = None;
        while let Some(index) = map.next_key_seed(KeySeed { rules, other: keep_others.then_some(&mut other) })? {
            let name: Cow<'de, str> = if index != usize::MAX {
                let first = !seen.set(index);
                if index < rules.nodes.len() {
                    count += usize::from(first);
                    let loc = Loc { parent: at, seg: Seg::Key(rules.names[index]) };
                    let from = state.errors.len();
                    map.next_value_seed(Seed { node: rules.nodes[index], at: Some(&loc), state: &mut *state })?;
                    // A repeat replaces the errors of the earlier value.
                    ranges.note(index, from, state.errors.len(), !first);
                    continue;
                }
                // A required name that is not a property: counted as another key.
                Cow::Borrowed(rules.names[index])
            } else if let Some(text) = other.take() {
                text
            } else {
                map.next_value_seed(Skip)?;
                continue;
            };
            if !keep_others {
                map.next_value_seed(Skip)?;
                continue;
            }
            let others = others.get_or_insert_with(Box::default);
            let (slot, new) = others.slot(name);
            count += usize::from(new);
            if let Additional::Schema(schema) = rules.additional {
                let from = state.errors.len();
                {
                    let loc = Loc { parent: at, seg: Seg::Key(&others.keys[slot].0) };
                    map.next_value_seed(Seed { node: schema, at: Some(&loc), state: &mut *state })?;
                }
                others.keys[slot].1 = (from, state.errors.len());
            } else {
                map.next_value_seed(Skip)?;
            }
        }
        // The order of [`check`]: `required`, each property's errors in the schema's order,
        // `additionalProperties`, then the property counts. Members' errors are taken out and
        // put back in that order, unless they already are (and no required name is missing).
        let additional_schema = matches!(rules.additional, Additional::Schema(_));
        let reorder = state.errors.len() > start
            && (additional_schema
                || rules.required.iter().any(|&index| !seen.get(usize::from(index)))
                || !ranges.ordered(start, state.errors.len()));
        let mut taken = if reorder { state.take_since(start) } else { Vec::new() };
        for &index in rules.required {
            let index = usize::from(index);
            if !seen.get(index) {
                state.push(at, node, "required", ErrorKind::Required { property: rules.names[index] });
            }
        }
        if reorder {
            for range in ranges.in_order() {
                state.put_back(&mut taken, start, range);
            }
        }
        // Names that are required but not properties count as others for
        // `additionalProperties: false` (they are not properties).
        if let Some(others) = &mut others {
            if matches!(rules.additional, Additional::Forbidden) && !others.keys.is_empty() {
                let unexpected = others.unexpected();
                state.push(at, node, "additionalProperties", ErrorKind::AdditionalProperties { unexpected });
            }
            if additional_schema && reorder {
                others.put_back(state, &mut taken, start);
            }
        }
        let count = count as u64;
        if let Some(limit) = rules.min_properties.filter(|&limit| count < limit) {
            state.push(at, node, "minProperties", ErrorKind::MinProperties { limit });
        }
        if let Some(limit) = rules.max_properties.filter(|&limit| count > limit) {
            state.push(at, node, "maxProperties", ErrorKind::MaxProperties { limit });
        }
        Ok(())
    }
}

/// The error for bytes that are not JSON.
#[cold]
fn malformed(error: &serde_json::Error) -> MessageError {
    let (line, column) = (error.line(), error.column());
    let text = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let reason = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
    MessageError::Malformed { line, column, reason }
}

/// Validates raw JSON `bytes` against `node` in one pass; `None` only checks that the bytes
/// are JSON (a response documented without a body schema).
pub(crate) fn read(node: Option<&'static Node>, bytes: &[u8]) -> Result<(), MessageError> {
    let mut state = State::default();
    // UTF-8 is checked once for the whole text rather than string by string (which serde_json
    // does when reading bytes); text that is not UTF-8 is read as bytes, so the error is where
    // `from_slice` reports it.
    let result = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            read_with(node, &mut deserializer, &mut state).and_then(|()| deserializer.end())
        }
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            read_with(node, &mut deserializer, &mut state).and_then(|()| deserializer.end())
        }
    };
    match result {
        Ok(()) if state.errors.is_empty() => Ok(()),
        Ok(()) => Err(MessageError::Invalid(state.errors)),
        Err(error) => Err(malformed(&error)),
    }
}

fn read_with<'de, R: serde_json::de::Read<'de>>(
    node: Option<&'static Node>,
    deserializer: &mut serde_json::Deserializer<R>,
    state: &mut State,
) -> serde_json::Result<()> {
    match node {
        Some(node) => Seed { node, at: None, state }.deserialize(deserializer),
        None => Skip.deserialize(deserializer),
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points by name
// ---------------------------------------------------------------------------------------------

/// A documented response status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exact(u16),
    /// `NXX`: the first digit.
    Range(u16),
    Default,
}

impl Status {
    /// Whether a concrete status falls under this one.
    pub fn matches(self, status: u16) -> bool {
        match self {
            Status::Exact(code) => code == status,
            Status::Range(digit) => status / 100 == digit,
            Status::Default => true,
        }
    }
}

/// An operation's messages: its request body (if documented) and its responses in matching
/// order (exact codes, then ranges, then `default`), each with its body node (`None`: any body).
pub(crate) struct Operation {
    pub id: &'static str,
    pub request: Option<&'static Node>,
    pub responses: &'static [(Status, Option<&'static Node>)],
}

/// Finds an operation in a table sorted by id.
pub(crate) fn operation(table: &'static [Operation], id: &str) -> Result<&'static Operation, MessageError> {
    table
        .binary_search_by(|operation| operation.id.cmp(id))
        .map(|at| &table[at])
        .map_err(|_| MessageError::UnknownOperation(id.to_owned()))
}

impl Operation {
    /// The request body's node.
    pub(crate) fn request(&self) -> Result<&'static Node, MessageError> {
        self.request.ok_or_else(|| MessageError::NoRequestBody { operation: self.id.to_owned() })
    }

    /// The response body's node for `status` (`Ok(None)`: documented without a body schema).
    pub(crate) fn response(&self, status: u16) -> Result<Option<&'static Node>, MessageError> {
        self.responses
            .iter()
            .find(|(documented, _)| documented.matches(status))
            .map(|(_, node)| *node)
            .ok_or_else(|| MessageError::UndocumentedStatus { operation: self.id.to_owned(), status })
    }
}

/// Finds a component schema in a table sorted by name.
pub(crate) fn schema(table: &'static [(&'static str, &'static Node)], name: &str) -> Option<&'static Node> {
    table.binary_search_by(|(known, _)| (*known).cmp(name)).ok().map(|at| table[at].1)
}

/// The three entry points of one message or schema: `validate_*` (every error), `is_valid_*`
/// (allocation-free) and `validate_*_bytes` (raw JSON in one pass).
macro_rules! entry_points {
    ($doc:literal, $validate:ident, $is_valid:ident, $bytes:ident, $node:path) => {
        #[doc = $doc]
        pub fn $validate(value: &serde_json::Value) -> Result<(), Vec<crate::ValidationError>> {
            crate::engine::collect(&$node, value)
        }

        #[doc = $doc]
        #[doc = " Stops at the first failure; allocates nothing."]
        #[inline]
        pub fn $is_valid(value: &serde_json::Value) -> bool {
            // The node's type, not its static: compiled where it is called, with its rules
            // known there (see `Rules::DATA`).
            crate::engine::ok_of::<$node>(value)
        }

        #[doc = $doc]
        #[doc = " Reads the raw JSON in one pass; lists every error, or where the bytes stop being JSON."]
        pub fn $bytes(bytes: &[u8]) -> Result<(), crate::MessageError> {
            crate::engine::read(Some(&$node), bytes)
        }
    };
}
pub(crate) use entry_points;

// ---------------------------------------------------------------------------------------------
// Model boilerplate, written once: `models.rs` invokes these per type
// ---------------------------------------------------------------------------------------------

/// A string enum of the spec: the enum with its JSON spellings, `ALL`, `as_str` and `Display`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $json:literal),* $(,)? }) => {
        $(#[$meta])*
        // `Deserialize` is written below, not derived: the derive's identifier visitor, repeated
        // for every enum of a large spec, was a sizeable part of a crate's check time.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[cfg_attr(any(feature = "schemars", feature = "utoipa"), serde(rename = $json))] $variant,)*
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                // As serde_derive writes a unit variant (JSON: the string).
                serializer.serialize_unit_variant(stringify!($name), *self as u32, self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($json),*];
                deserializer.deserialize_str(crate::engine::Listed { all: &$name::ALL, names: NAMES })
            }
        }

        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: [Self; <[&str]>::len(&[$($json),*])] = [$(Self::$variant),*];

            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $json,)*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

/// Reads one of a string enum's values (the `Deserialize` of every `string_enum!` type): one
/// visitor for all of them, with serde's own message for a value not listed.
pub(crate) struct Listed<T: 'static> {
    pub all: &'static [T],
    pub names: &'static [&'static str],
}

impl<'de, T: Copy + 'static> serde::de::Visitor<'de> for Listed<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("one of")?;
        for (index, name) in self.names.iter().enumerate() {
            f.write_str(if index == 0 { " `" } else { ", `" })?;
            f.write_str(name)?;
            f.write_str("`")?;
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        match self.names.iter().position(|name| *name == value) {
            Some(index) => Ok(self.all[index]),
            None => Err(E::unknown_variant(value, self.names)),
        }
    }
}

/// A string with rules its type cannot carry (`pattern`, lengths, `format`), checked against
/// its node whenever one is built or decoded. `redacted` ones (`x-sensitive`) never show their
/// value in `Debug` or `Display`.
macro_rules! checked_string {
    ($name:ident, $node:path, $shown:ident) => {
        impl $name {
            /// Checks the value against the spec's rules for it.
            pub fn new(value: impl Into<String>) -> Result<Self, Vec<crate::ValidationError>> {
                let value = serde_json::Value::String(value.into());
                crate::engine::collect(&$node, &value)?;
                match value {
                    serde_json::Value::String(text) => Ok(Self(text)),
                    _ => unreachable!("built from a string above"),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        crate::engine::checked_string!(@show $name, $shown);

        impl TryFrom<String> for $name {
            type Error = Vec<crate::ValidationError>;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Vec<crate::ValidationError>;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(|errors| {
                    let first = errors.first().map(ToString::to_string).unwrap_or_default();
                    serde::de::Error::custom(format!("invalid {}: {first}", stringify!($name)))
                })
            }
        }
    };
    (@show $name:ident, redacted) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("<redacted>")
            }
        }
    };
    (@show $name:ident, shown) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use checked_string;

/// How to decode one message's model and what JSON Schema schemars derives for it.
pub(crate) struct Codec {
    pub decode: fn(&Value) -> Result<crate::models::Decoded, serde_json::Error>,
    #[cfg(feature = "schemars")]
    pub schema: fn() -> schemars::Schema,
}

impl Codec {
    #[cfg(feature = "schemars")]
    pub(crate) const fn of<T>() -> Codec
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + schemars::JsonSchema,
    {
        Codec { decode: decode_as::<T>, schema: schema_of::<T> }
    }

    #[cfg(not(feature = "schemars"))]
    pub(crate) const fn of<T>() -> Codec
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
    {
        Codec { decode: decode_as::<T> }
    }
}

fn decode_as<T>(value: &Value) -> Result<crate::models::Decoded, serde_json::Error>
where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let model: T = serde_json::from_value(value.clone())?;
    Ok(crate::models::Decoded { debug: format!("{model:?}"), json: serde_json::to_value(&model)? })
}

#[cfg(feature = "schemars")]
fn schema_of<T: schemars::JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>()
}

/// An operation's models: its request body's and each response's (in matching order).
pub(crate) struct Models {
    pub id: &'static str,
    pub request: Option<Codec>,
    pub responses: &'static [(Status, Option<Codec>)],
}

/// The codec of a request (`status: None`) or of the response a status selects.
pub(crate) fn codec(table: &'static [Models], id: &str, status: Option<u16>) -> Option<&'static Codec> {
    let models = &table[table.binary_search_by(|models| models.id.cmp(id)).ok()?];
    match status {
        None => models.request.as_ref(),
        Some(status) => models.responses.iter().find(|(documented, _)| documented.matches(status))?.1.as_ref(),
    }
}

// ---------------------------------------------------------------------------------------------
// Object models' serde (`templates/object_serde.rs`, appended by the generator to the runtime
// of both crates: the validator's models and the client's lenient copies use it)
// ---------------------------------------------------------------------------------------------

/// `Serialize` and `Deserialize` for a model struct, as `#[derive]` with these fields'
/// `#[serde(rename, default, skip_serializing_if, flatten)]` would write them: same JSON both
/// ways, same errors (`missing field`, `duplicate field`). Model crates of large specs spend most
/// of their `cargo check` type-checking serde code (serde_derive wrote twenty-odd functions per
/// struct), so the reading is written once, generically, in [`object_serde_support`]: a model
/// only names its fields' slots (a type) and moves the values read into the struct (one
/// non-generic function). Writing is a call per field. The struct's own attributes are left to
/// schemars and utoipa. (Helper names start with `__`, which no model name does.)
///
/// Fields come in groups of at most 16, each in parentheses: `"json name" => field_name: kind
/// Type`, where `kind` is `required` (missing is an error, or `None` for an `Option`),
/// `optional` (an `Option`, absent or `null` is `None`, skipped when `None`) or `nullable` (an
/// `Option<Option<T>>`: absent `None`, `null` `Some(None)`). `rest field_name` after the type's
/// name collects the other keys into that map; without it they are ignored.
// A spec without object models leaves it unused.
#[allow(unused_macros)]
macro_rules! object_serde {
    (@keeps) => { false };
    (@keeps $rest:ident) => { true };
    (@slots) => { () };
    (@slots ($($json:literal => $field:ident: $kind:ident $ty:ty),*)) => { ($($crate::runtime::object_serde_support::slot::$kind<$ty>,)*) };
    (@slots $group:tt $($more:tt)+) => { $crate::runtime::object_serde_support::Then<$crate::runtime::object_serde!(@slots $group), $crate::runtime::object_serde!(@slots $($more)+)> };
    (@values) => { () };
    (@values ($($json:literal => $field:ident: $kind:ident $ty:ty),*)) => { ($($field,)*) };
    (@values $group:tt $($more:tt)+) => { $crate::runtime::object_serde_support::Then($crate::runtime::object_serde!(@values $group), $crate::runtime::object_serde!(@values $($more)+)) };
    ($name:ident $(rest $rest:ident)? { $(($($json:literal => $field:ident: $kind:ident $ty:ty),* $(,)?))* }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                let mut map = $crate::runtime::object_serde_support::Entries::open(serializer);
                $($(map.$kind($json, &self.$field);)*)*
                $(map.rest(&self.$rest);)?
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                $crate::runtime::object_serde_support::deserialize(deserializer)
            }
        }

        impl<'de> $crate::runtime::object_serde_support::Model<'de> for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($($json),*),*];
            const KEEPS_OTHERS: bool = $crate::runtime::object_serde!(@keeps $($rest)?);
            type Slots = $crate::runtime::object_serde!(@slots $(($($json => $field: $kind $ty),*))*);

            #[allow(unused_variables)]
            fn build(
                values: <Self::Slots as $crate::runtime::object_serde_support::Slots<'de>>::Value,
                __others: serde_json::Map<String, serde_json::Value>,
            ) -> Self {
                let $crate::runtime::object_serde!(@values $(($($json => $field: $kind $ty),*))*) = values;
                $name { $($($field,)*)* $($rest: __others,)? }
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use object_serde;

/// The helpers that [`object_serde!`]'s expansion calls.
pub mod object_serde_support {
    use std::borrow::Cow;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, Serializer};
    use serde_json::{Map, Value};

    /// A model struct as [`object_serde!`] reads it: its name (for serde's `expected struct ..`),
    /// its fields' JSON names, whether it keeps the other keys, the slots its fields are read
    /// into (in the order of `FIELDS`) and how it is built from their values.
    pub trait Model<'de>: Sized {
        const NAME: &'static str;
        const FIELDS: &'static [&'static str];
        const KEEPS_OTHERS: bool;
        type Slots: Slots<'de>;

        fn build(values: <Self::Slots as Slots<'de>>::Value, others: Map<String, Value>) -> Self;
    }

    /// `Deserialize` of every model: one visitor, which accepts a JSON object only.
    pub fn deserialize<'de, M: Model<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<M, D::Error> {
        deserializer.deserialize_map(ModelVisitor(PhantomData))
    }

    struct ModelVisitor<M>(PhantomData<M>);

    impl<'de, M: Model<'de>> Visitor<'de> for ModelVisitor<M> {
        type Value = M;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result { write!(formatter, "struct {}", M::NAME) }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
            let mut fields = Fields { map, error: None, input: PhantomData };
            let mut slots = M::Slots::empty();
            let (mut others, mut next) = (Map::new(), 0);
            while let Some(key) = fields.key() {
                // Documents mostly list keys in the schema's order, so the field after the last one
                // read is tried first; else a linear search (`==` on `str` compares lengths first).
                let found = match M::FIELDS.get(next) {
                    Some(name) if *name == key.as_str() => Some(next),
                    _ => M::FIELDS.iter().position(|name| *name == key.as_str()),
                };
                match found {
                    Some(index) => { slots.take(index, M::FIELDS, &mut fields); next = index + 1; }
                    None => fields.other(key, M::KEEPS_OTHERS.then_some(&mut others)),
                }
            }
            match fields.error {
                Some(error) => Err(error),
                None => Ok(M::build(slots.finish(M::FIELDS)?, others)),
            }
        }
    }

    /// A model's entries as they are read. The first error is kept and ends the reading.
    pub struct Fields<'de, A: MapAccess<'de>> { map: A, error: Option<A::Error>, input: PhantomData<&'de ()> }

    impl<'de, A: MapAccess<'de>> Fields<'de, A> {
        /// The next key; `None` at the end or after an error.
        fn key(&mut self) -> Option<Key<'de>> {
            if self.error.is_some() { return None; }
            self.map.next_key::<Key<'de>>().unwrap_or_else(|error| { self.error = Some(error); None })
        }

        fn value<T: Deserialize<'de>>(&mut self) -> Option<T> {
            self.map.next_value::<T>().map_err(|error| self.error = Some(error)).ok()
        }

        /// The value of a known key, into its field's slot (a second one is serde's
        /// `duplicate field`).
        fn take<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>, name: &'static str) {
            match slot {
                Some(_) => self.error = Some(de::Error::duplicate_field(name)),
                None => *slot = self.value(),
            }
        }

        /// The value of a key the model does not name: kept in `others`, or skipped.
        fn other(&mut self, key: Key<'de>, others: Option<&mut Map<String, Value>>) {
            match others {
                Some(others) => if let Some(value) = self.value() { others.insert(key.0.into_owned(), value); },
                None => { self.value::<de::IgnoredAny>(); }
            }
        }
    }

    /// Where one field's value waits while the object is read, by the field's kind (the macro's
    /// `required`, `optional`, `nullable`), for a field of type `F`.
    #[allow(non_camel_case_types)]
    pub mod slot {
        pub struct required<F>(pub(super) Option<F>);
        pub struct optional<F>(pub(super) Option<F>);
        pub struct nullable<F>(pub(super) F);
    }

    /// One field's slot: filled from the value of its key, then finished into the field's value.
    pub trait Slot<'de> {
        type Value;
        fn empty() -> Self;
        fn take<A: MapAccess<'de>>(&mut self, name: &'static str, fields: &mut Fields<'de, A>);
        fn finish<E: de::Error>(self, name: &'static str) -> Result<Self::Value, E>;
    }

    /// `required`: serde's `missing field` if absent, unless the field is an `Option` (then
    /// `None`, as serde_derive does).
    impl<'de, F: Deserialize<'de>> Slot<'de> for slot::required<F> {
        type Value = F;
        fn empty() -> Self { slot::required(None) }
        fn take<A: MapAccess<'de>>(&mut self, name: &'static str, fields: &mut Fields<'de, A>) { fields.take(&mut self.0, name) }
        fn finish<E: de::Error>(self, name: &'static str) -> Result<F, E> { self.0.map_or_else(|| F::deserialize(Missing { name, error: PhantomData }), Ok) }
    }

    /// `optional`: absent and `null` are both `None`.
    impl<'de, T: Deserialize<'de>> Slot<'de> for slot::optional<Option<T>> {
        type Value = Option<T>;
        fn empty() -> Self { slot::optional(None) }
        fn take<A: MapAccess<'de>>(&mut self, name: &'static str, fields: &mut Fields<'de, A>) { fields.take(&mut self.0, name) }
        fn finish<E: de::Error>(self, _: &'static str) -> Result<Option<T>, E> { Ok(self.0.flatten()) }
    }

    /// `nullable`: absent `None`, `null` `Some(None)`.
    impl<'de, T: Deserialize<'de>> Slot<'de> for slot::nullable<Option<Option<T>>> {
        type Value = Option<Option<T>>;
        fn empty() -> Self { slot::nullable(None) }
        fn take<A: MapAccess<'de>>(&mut self, name: &'static str, fields: &mut Fields<'de, A>) { fields.take(&mut self.0, name) }
        fn finish<E: de::Error>(self, _: &'static str) -> Result<Option<Option<T>>, E> { Ok(self.0) }
    }

    /// A model's slots: a tuple of up to 16 slots, or `Then(tuple, more slots)` for more, so that
    /// one generic implementation per tuple size serves every model. `index` is the slot's
    /// index in `names`, the model's field names in the same order.
    pub trait Slots<'de> {
        const LEN: usize;
        type Value;
        fn empty() -> Self;
        fn take<A: MapAccess<'de>>(&mut self, index: usize, names: &[&'static str], fields: &mut Fields<'de, A>);
        fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<Self::Value, E>;
    }

    pub struct Then<G, R>(pub G, pub R);

    impl<'de, G: Slots<'de>, R: Slots<'de>> Slots<'de> for Then<G, R> {
        const LEN: usize = G::LEN + R::LEN;
        type Value = Then<G::Value, R::Value>;
        fn empty() -> Self { Then(G::empty(), R::empty()) }
        fn take<A: MapAccess<'de>>(&mut self, index: usize, names: &[&'static str], fields: &mut Fields<'de, A>) {
            match index.checked_sub(G::LEN) { None => self.0.take(index, names, fields), Some(later) => self.1.take(later, &names[G::LEN..], fields) }
        }
        fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<Self::Value, E> { Ok(Then(self.0.finish(names)?, self.1.finish(&names[G::LEN..])?)) }
    }

    /// `Slots` for the tuples of 0 to 16 slots: one size, then one more.
    macro_rules! tuples {
        ([$($slot:ident $index:tt),*] $($next:ident $next_index:tt)*) => {
            impl<'de, $($slot: Slot<'de>),*> Slots<'de> for ($($slot,)*) {
                const LEN: usize = <[&str]>::len(&[$(stringify!($index)),*]);
                type Value = ($($slot::Value,)*);
                #[allow(clippy::unused_unit)]
                fn empty() -> Self { ($($slot::empty(),)*) }
                #[allow(unused_variables)]
                fn take<A: MapAccess<'de>>(&mut self, index: usize, names: &[&'static str], fields: &mut Fields<'de, A>) {
                    match index { $($index => self.$index.take(names[$index], fields),)* _ => {} }
                }
                // In field order, so that a missing field is reported as serde_derive does.
                #[allow(unused_variables)]
                fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<Self::Value, E> { Ok(($(self.$index.finish(names[$index])?,)*)) }
            }
            tuples!(@next [$($slot $index),*] $($next $next_index)*);
        };
        (@next [$($done:tt)*]) => {};
        (@next [$($slot:ident $index:tt),*] $next:ident $next_index:tt $($rest:tt)*) => { tuples!([$($slot $index,)* $next $next_index] $($rest)*); };
    }
    tuples!([] S0 0 S1 1 S2 2 S3 3 S4 4 S5 5 S6 6 S7 7 S8 8 S9 9 S10 10 S11 11 S12 12 S13 13 S14 14 S15 15);

    /// A model's entries as they are written. The first error is kept and ends the writing.
    pub struct Entries<M: SerializeMap> { state: Result<M, M::Error> }

    impl<M: SerializeMap> Entries<M> {
        pub fn open<S: Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Self {
            Entries { state: serializer.serialize_map(None) }
        }

        pub fn required<K: Serialize + ?Sized, T: Serialize + ?Sized>(&mut self, key: &K, value: &T) {
            if let Ok(map) = &mut self.state
                && let Err(error) = map.serialize_entry(key, value)
            {
                self.state = Err(error);
            }
        }

        /// Written only when present (`Some(None)` of a `nullable` field is written as `null`).
        pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
            value.iter().for_each(|value| self.required(key, value));
        }

        pub fn nullable<T: Serialize>(&mut self, key: &'static str, value: &Option<Option<T>>) { self.optional(key, value) }

        pub fn rest(&mut self, rest: &Map<String, Value>) { rest.iter().for_each(|(key, value)| self.required(key, value)) }

        pub fn end(self) -> Result<M::Ok, M::Error> { self.state?.end() }
    }

    /// An object key, borrowed from the input when it can be.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> { pub fn as_str(&self) -> &str { &self.0 } }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Text;
            impl<'de> Visitor<'de> for Text {
                type Value = Key<'de>;
                fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result { formatter.write_str("a field name") }

                fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> { Ok(Key(Cow::Borrowed(text))) }
                fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> { Ok(Key(Cow::Owned(text.to_owned()))) }
                fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> { Ok(Key(Cow::Owned(text))) }
            }
            deserializer.deserialize_str(Text)
        }
    }

    /// The value of a required field that is absent: `None` for an `Option` (as serde_derive
    /// does), else serde's `missing field` error.
    struct Missing<E> { name: &'static str, error: PhantomData<E> }

    impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
        type Error = E;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> { Err(E::missing_field(self.name)) }
        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> { visitor.visit_none() }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
            ignored_any
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Object models' serde (`templates/object_serde.rs`, appended by the generator to the runtime
// of both crates: the validator's models and the client's lenient copies use it)
// ---------------------------------------------------------------------------------------------

/// `Serialize` and `Deserialize` for a model struct, as `#[derive]` with these fields'
/// `#[serde(rename, default, skip_serializing_if, flatten)]` would write them: same JSON both
/// ways, same errors (`missing field`, `duplicate field`). What is the same for every model
/// (the visitor, the key, the error bookkeeping) is written once in [`object_serde_support`];
/// a model's own code is a call per field to read or write it and one to finish each field,
/// with no branch of its own, because model crates of large specs spend most of their `cargo
/// check` type-checking this code (serde_derive wrote twenty-odd functions per struct). The struct's own attributes are left to schemars and
/// utoipa. (Generic and helper names start with `__`, which no model name does.)
///
/// Each field: `"json name" => field_name: kind`, where `kind` is `required` (missing is an
/// error, or `None` for an `Option`), `optional` (an `Option`, absent or `null` is `None`,
/// skipped when `None`) or `nullable` (an `Option<Option<T>>`: absent `None`, `null`
/// `Some(None)`). `rest field_name` after the type's name collects the other keys into that
/// map; without it they are ignored.
// A spec without object models leaves it unused.
#[allow(unused_macros)]
macro_rules! object_serde {
    ($name:ident $(rest $rest:ident)? { $($json:literal => $field:ident: $kind:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                let mut map = $crate::runtime::object_serde_support::Entries::open(serializer);
                $(map.$kind($json, &self.$field);)*
                $(map.rest(&self.$rest);)?
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                $crate::runtime::object_serde_support::deserialize(deserializer)
            }
        }

        impl $crate::runtime::object_serde_support::Model for $name {
            const NAME: &'static str = stringify!($name);

            fn read<'de, __A: serde::de::MapAccess<'de>>(
                mut map: $crate::runtime::object_serde_support::Fields<'de, __A>,
            ) -> Result<Self, __A::Error> {
                $(let mut $field = None;)*
                $(let mut $rest = serde_json::Map::new();)?
                while let Some(key) = map.key() {
                    match key.as_str() {
                        $($json => map.take(&mut $field, $json),)*
                        _ => map.other(key, None $(.or(Some(&mut $rest)))?),
                    }
                }
                map.finish()?;
                Ok($name {
                    $($field: $crate::runtime::object_serde_support::$kind($field, $json)?,)*
                    $($rest,)?
                })
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

    /// A model struct as [`object_serde!`] reads it: its name (for serde's `expected struct ..`)
    /// and its fields read from a map.
    pub trait Model: Sized {
        const NAME: &'static str;

        fn read<'de, A: MapAccess<'de>>(map: Fields<'de, A>) -> Result<Self, A::Error>;
    }

    /// `Deserialize` of every model: one visitor, which accepts a JSON object only.
    pub fn deserialize<'de, M: Model, D: Deserializer<'de>>(deserializer: D) -> Result<M, D::Error> {
        deserializer.deserialize_map(ModelVisitor(PhantomData))
    }

    struct ModelVisitor<M>(PhantomData<M>);

    impl<'de, M: Model> Visitor<'de> for ModelVisitor<M> {
        type Value = M;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("struct ")?;
            formatter.write_str(M::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
            M::read(Fields { map, error: None, input: PhantomData })
        }
    }

    /// A model's entries as they are read. The first error is kept and ends the reading, so
    /// that a model's code checks once, in [`Fields::finish`].
    pub struct Fields<'de, A: MapAccess<'de>> {
        map: A,
        error: Option<A::Error>,
        input: PhantomData<&'de ()>,
    }

    impl<'de, A: MapAccess<'de>> Fields<'de, A> {
        /// The next key; `None` at the end or after an error.
        pub fn key(&mut self) -> Option<Key<'de>> {
            if self.error.is_some() {
                return None;
            }
            self.map.next_key::<Key<'de>>().unwrap_or_else(|error| {
                self.error = Some(error);
                None
            })
        }

        fn value<T: Deserialize<'de>>(&mut self) -> Option<T> {
            self.map.next_value::<T>().map_err(|error| self.error = Some(error)).ok()
        }

        /// The value of a known key, into its field's slot (a second one is serde's
        /// `duplicate field`). `T` is the field's type for `required`, `Option<_>` otherwise,
        /// so that a `null` is read as the field's `None`.
        pub fn take<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>, name: &'static str) {
            if slot.is_some() {
                self.error = Some(de::Error::duplicate_field(name));
                return;
            }
            *slot = self.value();
        }

        /// The value of a key the model does not name: kept in `rest`, or skipped.
        pub fn other(&mut self, key: Key<'de>, rest: Option<&mut Map<String, Value>>) {
            match rest {
                Some(rest) => if let Some(value) = self.value() { rest.insert(key.0.into_owned(), value); },
                None => { self.value::<de::IgnoredAny>(); }
            }
        }

        /// The first error met, if any.
        pub fn finish(self) -> Result<(), A::Error> {
            self.error.map_or(Ok(()), Err)
        }
    }

    /// A `required` field's value: serde's `missing field` if absent, unless the field is an
    /// `Option` (then `None`, as serde_derive does).
    pub fn required<'de, T: Deserialize<'de>, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.map_or_else(|| T::deserialize(Missing { name, error: PhantomData }), Ok)
    }

    /// An `optional` field's value: absent and `null` are both `None`.
    pub fn optional<T, E>(slot: Option<Option<T>>, _: &'static str) -> Result<Option<T>, E> {
        Ok(slot.flatten())
    }

    /// A `nullable` field's value: absent `None`, `null` `Some(None)`.
    pub fn nullable<T, E>(slot: Option<Option<T>>, _: &'static str) -> Result<Option<Option<T>>, E> {
        Ok(slot)
    }

    /// A model's entries as they are written. The first error is kept and ends the writing.
    pub struct Entries<M: SerializeMap> {
        state: Result<M, M::Error>,
    }

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

        pub fn nullable<T: Serialize>(&mut self, key: &'static str, value: &Option<Option<T>>) {
            self.optional(key, value);
        }

        pub fn rest(&mut self, rest: &Map<String, Value>) {
            rest.iter().for_each(|(key, value)| self.required(key, value));
        }

        pub fn end(self) -> Result<M::Ok, M::Error> {
            self.state?.end()
        }
    }

    /// An object key, borrowed from the input when it can be.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> {
        pub fn as_str(&self) -> &str { &self.0 }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Text;
            impl<'de> Visitor<'de> for Text {
                type Value = Key<'de>;

                fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                    formatter.write_str("a field name")
                }

                fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> { Ok(Key(Cow::Borrowed(text))) }
                fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> { Ok(Key(Cow::Owned(text.to_owned()))) }
                fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> { Ok(Key(Cow::Owned(text))) }
            }
            deserializer.deserialize_str(Text)
        }
    }

    /// The value of a required field that is absent: `None` for an `Option` (as serde_derive
    /// does), else serde's `missing field` error.
    struct Missing<E> {
        name: &'static str,
        error: PhantomData<E>,
    }

    impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
        type Error = E;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
            Err(E::missing_field(self.name))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            visitor.visit_none()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
            ignored_any
        }
    }
}

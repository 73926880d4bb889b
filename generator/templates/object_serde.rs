// ---------------------------------------------------------------------------------------------
// Object models' serde (`templates/object_serde.rs`, appended by the generator to the runtime
// of both crates: the validator's models and the client's lenient copies use it)
// ---------------------------------------------------------------------------------------------

/// `Serialize` and `Deserialize` for a model struct, as `#[derive]` with these fields'
/// `#[serde(rename, default, skip_serializing_if, flatten)]` would write them, in three small
/// functions instead of serde_derive's twenty-odd per struct (the derive's `flatten` makes it
/// accept every kind of key): model crates of large specs spend most of their `cargo check`
/// in those. Same JSON both ways, same errors (`missing field`, `duplicate field`); the
/// struct's own attributes are left to schemars and utoipa. (Generic and helper names start
/// with `__`, which no model name does.)
///
/// Each field: `"json name" => field_name: kind`, where `kind` is `required` (missing is an
/// error, or `None` for an `Option`), `optional` (an `Option`, absent is `None`, skipped when
/// `None`) or `nullable` (an `Option<Option<T>>`: absent `None`, `null` `Some(None)`). `rest
/// field_name` after the type's name collects the other keys into that map; without it they
/// are ignored.
// A spec without object models leaves it unused.
#[allow(unused_macros)]
macro_rules! object_serde {
    ($name:ident $(rest $rest:ident)? { $($json:literal => $field:ident: $kind:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $($crate::runtime::object_serde!(@put $kind map $json self.$field);)*
                $(for (key, value) in &self.$rest {
                    map.serialize_entry(key, value)?;
                })?
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $(let mut $field = None;)*
                        $(let mut $rest = serde_json::Map::new();)?
                        while let Some(key) = map.next_key::<$crate::runtime::object_serde_support::Key<'de>>()? {
                            match key.as_str() {
                                $($json => {
                                    if $field.is_some() {
                                        return Err(serde::de::Error::duplicate_field($json));
                                    }
                                    $field = Some($crate::runtime::object_serde!(@take $kind map));
                                })*
                                _ => {
                                    $crate::runtime::object_serde!(@other map key $($rest)?);
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::object_serde!(@end $kind $field $json),)*
                            $($rest,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@put required $map:ident $json:literal $value:expr) => {
        $map.serialize_entry($json, &$value)?
    };
    (@put $kind:ident $map:ident $json:literal $value:expr) => {
        if let Some(value) = &$value {
            $map.serialize_entry($json, value)?
        }
    };
    (@take nullable $map:ident) => { Some($map.next_value()?) };
    (@take $kind:ident $map:ident) => { $map.next_value()? };
    (@end required $field:ident $json:literal) => {
        match $field {
            Some(value) => value,
            None => serde::Deserialize::deserialize($crate::runtime::object_serde_support::missing::<__A::Error>($json))?,
        }
    };
    (@end $kind:ident $field:ident $json:literal) => { $field.unwrap_or_default() };
    (@other $map:ident $key:ident $rest:ident) => {
        $rest.insert($key.into_string(), $map.next_value()?)
    };
    (@other $map:ident $key:ident) => {
        $map.next_value::<serde::de::IgnoredAny>()?
    };
}

#[allow(unused_imports)]
pub(crate) use object_serde;

/// The helpers that [`object_serde!`]'s expansion calls.
pub mod object_serde_support {
    use std::borrow::Cow;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserializer, Visitor};

    /// An object key, borrowed from the input when it can be.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> {
        pub fn as_str(&self) -> &str {
            &self.0
        }

        pub fn into_string(self) -> String {
            self.0.into_owned()
        }
    }

    impl<'de> de::Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Text;
            impl<'de> Visitor<'de> for Text {
                type Value = Key<'de>;

                fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                    formatter.write_str("a field name")
                }

                fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(text)))
                }

                fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(text.to_owned())))
                }

                fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(text)))
                }
            }
            deserializer.deserialize_str(Text)
        }
    }

    /// The value of a required field that is absent: `None` for an `Option` (as serde_derive
    /// does), else serde's `missing field` error.
    pub struct Missing<E> {
        name: &'static str,
        error: PhantomData<E>,
    }

    pub fn missing<E>(name: &'static str) -> Missing<E> {
        Missing {
            name,
            error: PhantomData,
        }
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

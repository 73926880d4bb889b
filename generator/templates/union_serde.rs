// ---------------------------------------------------------------------------------------------
// Unions' and wrappers' serde (`templates/union_serde.rs`, appended after `object_serde.rs` to
// the runtime of a crate whose models have a `oneOf`/`anyOf` union or a wrapper struct)
// ---------------------------------------------------------------------------------------------

/// `Serialize` and `Deserialize` for a one-field wrapper struct, as serde_derive's
/// `#[serde(transparent)]`: the inner value's JSON.
#[allow(unused_macros)]
macro_rules! transparent_serde {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                serde::Deserialize::deserialize(deserializer).map($name)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use transparent_serde;

/// `Serialize` and `Deserialize` for an enum of one-field variants, as serde_derive's
/// `#[serde(untagged)]`: a variant is written as its value, and read as the first variant, in
/// order, that reads the JSON value (serde's own message if none does).
#[allow(unused_macros)]
macro_rules! untagged_serde {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                match self {
                    $($name::$variant(value) => serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                $(if let Ok(inner) = serde::Deserialize::deserialize(&value) {
                    return Ok($name::$variant(inner));
                })*
                Err(serde::de::Error::custom(concat!("data did not match any variant of untagged enum ", stringify!($name))))
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use untagged_serde;

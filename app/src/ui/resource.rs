//! What every page loads from the server: a `Resource` whose first value travels inside the
//! server-rendered HTML and whose later values come from its server function.
//!
//! Leptos's default resource codec decodes the value in the HTML with `serde_json::from_str`,
//! while server functions decode their answers with `serde_json::from_slice`. The two readers
//! are different types, so the browser bundle carried two copies of every loaded type's
//! deserializer. [`JsonBytes`] decodes the HTML's copy from bytes too, so both share one.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON, written as a string and read back as bytes (see the module's note).
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A resource loaded with [`JsonBytes`]: what [`load`] makes.
pub type Loaded<T> = Resource<T, JsonBytes>;

/// `Resource::new` with [`JsonBytes`]: runs `fetcher` with `source`'s value on the server,
/// again whenever `source` changes, and hydrates from the value in the HTML.
#[track_caller]
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_survives_the_round_trip() {
        let value: Result<Vec<(String, i64)>, String> = Ok(vec![("tsr ✓".into(), -7)]);
        let encoded = <JsonBytes as Encoder<_>>::encode(&value).expect("encodes");
        let decoded: Result<Vec<(String, i64)>, String> =
            <JsonBytes as Decoder<_>>::decode(encoded.as_str()).expect("decodes");
        assert_eq!(decoded, value);
        let malformed: Result<Result<i64, String>, _> =
            <JsonBytes as Decoder<_>>::decode("{\"Ok\":");
        assert!(malformed.is_err());
    }
}

//! `application/x-www-form-urlencoded` bodies: a value's fields as `key=value` pairs, through
//! serde_qs (nested objects as `key[inner]=…`, lists repeating their key, the OpenAPI default
//! `form` style with `explode`).

use crate::Error;
use crate::body::Buffered;
use crate::call::{Call, Operation};

/// serde_qs configured for form bodies: the strict form percent-encoding, lists unindexed.
const CONFIG: serde_qs::Config =
    serde_qs::Config::new().use_form_encoding(true).array_format(serde_qs::ArrayFormat::Unindexed).max_depth(16);

/// The form encoding of `value`, which must serialize as an object (a struct or a map).
pub(crate) fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    CONFIG.serialize_string(value).map(String::into_bytes).map_err(|e| {
        Error::Encode(<serde_json::Error as serde::ser::Error>::custom(format!("as a form: {e}")))
    })
}

impl<O: Operation> Call<'_, O> {
    /// Sets a form body, sent as `content_type`.
    pub(crate) fn __form_body<T: serde::Serialize>(self, value: &T, content_type: &'static str) -> Self {
        match encode(value) {
            Ok(bytes) => self.__body(Buffered::boxed(content_type, bytes)),
            Err(e) => self.__invalid(e),
        }
    }
}

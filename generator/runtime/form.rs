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

/// How one field of a form body is written when the spec's `encoding` says (OpenAPI 3,
/// Encoding Object: the query parameter rules).
#[allow(dead_code, reason = "used only when a form body's encoding names a style")]
pub(crate) struct FieldStyle {
    pub(crate) name: &'static str,
    pub(crate) style: crate::encode::Style,
    pub(crate) explode: bool,
    pub(crate) allow_reserved: bool,
}

/// The form encoding of `value` with the fields `styles` names written in their style and the
/// others the default way, in the order the value lists its fields.
#[allow(dead_code, reason = "used only when a form body's encoding names a style")]
pub(crate) fn encode_styled<T: serde::Serialize>(value: &T, styles: &[FieldStyle]) -> Result<Vec<u8>, Error> {
    let crate::encode::Node::Object(fields) = crate::encode::Node::of(value)? else {
        return encode(value);
    };
    let mut pieces = Vec::with_capacity(fields.len());
    for (name, field) in &fields {
        let piece = match styles.iter().find(|s| s.name == name) {
            Some(s) => crate::encode::form_field(name, s.style, s.explode, field, s.allow_reserved),
            None => String::from_utf8(encode(&serde_json::json!({ name: field.to_json() }))?).unwrap_or_default(),
        };
        if !piece.is_empty() {
            pieces.push(piece);
        }
    }
    Ok(pieces.join("&").into_bytes())
}

impl<O: Operation> Call<'_, O> {
    /// Sets a form body whose fields `styles` names are written in their own style.
    #[allow(dead_code, reason = "used only when a form body's encoding names a style")]
    pub(crate) fn __form_body_styled<T: serde::Serialize>(
        self,
        value: &T,
        content_type: &'static str,
        styles: &'static [FieldStyle],
    ) -> Self {
        match encode_styled(value, styles) {
            Ok(bytes) => self.__body(Buffered::boxed(content_type, bytes)),
            Err(e) => self.__invalid(e),
        }
    }

    /// Sets a form body, sent as `content_type`.
    pub(crate) fn __form_body<T: serde::Serialize>(self, value: &T, content_type: &'static str) -> Self {
        match encode(value) {
            Ok(bytes) => self.__body(Buffered::boxed(content_type, bytes)),
            Err(e) => self.__invalid(e),
        }
    }
}

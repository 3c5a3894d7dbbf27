//! Request bodies: what each attempt of a call sends, and whether it can be sent again.

use reqwest::RequestBuilder;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

/// A request body, attached anew to every attempt of a call.
pub(crate) trait RequestBody: Send {
    /// Puts the body on one attempt's request. A stream goes to the first attempt only; a call
    /// with one is not retried (see `replayable`), so no attempt finds it used up.
    fn attach(&mut self, request: RequestBuilder) -> RequestBuilder;

    /// Whether every attempt can send the whole body again. A call whose body is not replayable
    /// is never retried: its stream went to the first attempt.
    fn replayable(&self) -> bool {
        true
    }
}

/// Bytes in memory with their media type: JSON, form and text bodies.
pub(crate) struct Buffered {
    content_type: &'static str,
    /// Shared by every attempt: a retry copies a handle, not the body.
    bytes: bytes::Bytes,
}

impl Buffered {
    /// `bytes` sent as `content_type`.
    #[allow(dead_code, reason = "used only when the spec has JSON, form or text request bodies")]
    pub(crate) fn boxed(content_type: &'static str, bytes: Vec<u8>) -> Box<dyn RequestBody> {
        Box::new(Buffered { content_type, bytes: bytes::Bytes::from(bytes) })
    }
}

impl RequestBody for Buffered {
    fn attach(&mut self, request: RequestBuilder) -> RequestBuilder {
        request.header(CONTENT_TYPE, HeaderValue::from_static(self.content_type)).body(self.bytes.clone())
    }
}

//! Raw request bodies (octet streams, images, any type that is not JSON, a form or text): from
//! memory, or from a stream that is read once.

use crate::body::RequestBody;
use crate::call::{Call, Operation};
use reqwest::RequestBuilder;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

/// The bytes of a raw request body.
///
/// From memory (`Vec<u8>`, [`bytes::Bytes`], `&'static [u8]`, `String`) the body is sent again
/// on every attempt, so the call is retried like any other. From a stream
/// ([`Binary::stream`], such as a file) it is read once, without buffering it all, and the call
/// is **not retried**: a second attempt would have nothing to send.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use bytes::Bytes;
/// # use plexy::Binary;
/// let in_memory = Binary::from(Bytes::from_static(b"%PDF-1.7 ..."));
/// let file = tokio::fs::File::open("invoice.pdf").await?;
/// let streamed = Binary::stream(reqwest::Body::from(file));
/// # let _ = (in_memory, streamed);
/// # Ok(())
/// # }
/// ```
pub struct Binary(Source);

enum Source {
    Memory(bytes::Bytes),
    Stream(Option<reqwest::Body>),
}

impl Binary {
    /// A body read once from a stream, such as `reqwest::Body::from(tokio::fs::File)` or
    /// `reqwest::Body::wrap_stream(…)`. A call with it is not retried.
    pub fn stream(body: reqwest::Body) -> Self {
        Binary(Source::Stream(Some(body)))
    }

    /// The length, when the body is in memory.
    pub fn len(&self) -> Option<usize> {
        match &self.0 {
            Source::Memory(bytes) => Some(bytes.len()),
            Source::Stream(_) => None,
        }
    }

    /// Whether the body is in memory and empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl std::fmt::Debug for Binary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::Memory(bytes) => write!(f, "Binary({} bytes)", bytes.len()),
            Source::Stream(_) => f.write_str("Binary(stream)"),
        }
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(bytes: bytes::Bytes) -> Self {
        Binary(Source::Memory(bytes))
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(Source::Memory(bytes.into()))
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary(Source::Memory(bytes::Bytes::from_static(bytes)))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(Source::Memory(text.into()))
    }
}

/// A raw body with its media type.
struct Raw {
    content_type: &'static str,
    source: Source,
}

impl RequestBody for Raw {
    fn attach(&mut self, request: RequestBuilder) -> RequestBuilder {
        let body = match &mut self.source {
            Source::Memory(bytes) => reqwest::Body::from(bytes.clone()),
            // Taken by the first attempt; the call is never retried (`replayable`).
            Source::Stream(stream) => stream.take().unwrap_or_else(|| reqwest::Body::from(Vec::new())),
        };
        request.header(CONTENT_TYPE, HeaderValue::from_static(self.content_type)).body(body)
    }

    fn replayable(&self) -> bool {
        matches!(self.source, Source::Memory(_))
    }
}

impl<O: Operation> Call<'_, O> {
    /// Sets a raw body, sent as `content_type`.
    pub(crate) fn __binary_body(self, body: Binary, content_type: &'static str) -> Self {
        self.__body(Box::new(Raw { content_type, source: body.0 }))
    }
}

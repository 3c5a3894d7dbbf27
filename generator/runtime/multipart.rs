//! `multipart/form-data` bodies: text parts, JSON parts and file parts (from memory or a
//! stream), built by the caller and attached anew to every attempt.

use crate::Error;
use crate::body::RequestBody;
use crate::call::{Call, Operation};
use reqwest::RequestBuilder;

/// A `multipart/form-data` body: named parts in order.
///
/// ```no_run
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use plexy::multipart::{Form, Part};
///
/// let form = Form::new()
///     .text("title", "Quarterly report")
///     .json("metadata", &serde_json::json!({"tags": ["finance"]}))?
///     .part("file", Part::bytes(std::fs::read("report.pdf")?).file_name("report.pdf").content_type("application/pdf"));
/// # let _ = form;
/// # Ok(())
/// # }
/// ```
///
/// Parts in memory are sent again on every attempt. A part from a stream ([`Part::stream`]) is
/// read once, so a call with one is **not retried**.
#[derive(Debug, Default)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text part (`text/plain`): strings, numbers and booleans written as text.
    pub fn text(self, name: impl Into<String>, value: impl std::fmt::Display) -> Self {
        self.part(name, Part::text(value.to_string()))
    }

    /// Adds a JSON part (`application/json`): objects, and values the spec encodes as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(self, name: impl Into<String>, value: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(value).map_err(Error::Encode)?;
        Ok(self.part(name, Part::bytes(bytes).content_type("application/json")))
    }

    /// Adds a part, such as a file. Add a part several times under one name for a list of files.
    pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
        self.parts.push((name.into(), part));
        self
    }
}

/// One part of a [`Form`]: its content, and optionally a file name and a content type.
#[derive(Debug)]
pub struct Part {
    content: Content,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum Content {
    Text(String),
    Bytes(bytes::Bytes),
    Stream(Option<reqwest::Body>, Option<u64>),
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Text(text) => write!(f, "Text({} bytes)", text.len()),
            Content::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Content::Stream(..) => f.write_str("Stream"),
        }
    }
}

impl Part {
    /// A text part.
    pub fn text(value: impl Into<String>) -> Self {
        Part { content: Content::Text(value.into()), file_name: None, content_type: None }
    }

    /// A part from bytes in memory (`application/octet-stream` unless [`Part::content_type`]
    /// says otherwise).
    pub fn bytes(bytes: impl Into<bytes::Bytes>) -> Self {
        Part { content: Content::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// A part read once from a stream, such as `reqwest::Body::from(tokio::fs::File)`; give its
    /// length when known. A call with a streamed part is not retried.
    pub fn stream(body: reqwest::Body, length: Option<u64>) -> Self {
        Part { content: Content::Stream(Some(body), length), file_name: None, content_type: None }
    }

    /// The file name the part carries (`filename=` in its `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type, such as `image/png`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The part for one attempt.
    fn for_attempt(&mut self) -> reqwest::multipart::Part {
        let part = match &mut self.content {
            Content::Text(text) => reqwest::multipart::Part::text(text.clone()),
            Content::Bytes(bytes) => {
                let length = bytes.len() as u64;
                reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), length)
            }
            Content::Stream(body, length) => {
                // Taken by the first attempt; the call is never retried (`replayable`).
                let body = body.take().unwrap_or_else(|| reqwest::Body::from(Vec::new()));
                match length {
                    Some(length) => reqwest::multipart::Part::stream_with_length(body, *length),
                    None => reqwest::multipart::Part::stream(body),
                }
            }
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part,
        };
        let content_type = match (&self.content_type, &self.content) {
            (Some(t), _) => Some(t.as_str()),
            (None, Content::Text(_)) => None,
            (None, _) => Some("application/octet-stream"),
        };
        match content_type {
            // Checked when the form was given to the call (`Form::check`).
            Some(t) => part.mime_str(t).unwrap_or_else(|_| reqwest::multipart::Part::text("")),
            None => part,
        }
    }
}

impl Form {
    /// A part's content type that is not a media type, found before anything is sent.
    fn check(&self) -> Option<Error> {
        self.parts.iter().filter_map(|(_, p)| p.content_type.as_deref()).find_map(|t| {
            let valid = reqwest::multipart::Part::text("").mime_str(t).is_ok();
            (!valid).then(|| Error::Config(format!("multipart content type `{t}` is not a valid media type")))
        })
    }
}

impl RequestBody for Form {
    fn attach(&mut self, request: RequestBuilder) -> RequestBuilder {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &mut self.parts {
            form = form.part(name.clone(), part.for_attempt());
        }
        // reqwest writes `multipart/form-data; boundary=…` itself.
        request.multipart(form)
    }

    fn replayable(&self) -> bool {
        !self.parts.iter().any(|(_, p)| matches!(p.content, Content::Stream(..)))
    }
}

impl<O: Operation> Call<'_, O> {
    /// Sets a multipart body.
    pub(crate) fn __multipart_body(self, form: Form) -> Self {
        match form.check() {
            Some(error) => self.__invalid(error),
            None => self.__body(Box::new(form)),
        }
    }
}

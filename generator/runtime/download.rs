//! A success body handed over unread, for answers too large to hold in memory (file downloads):
//! [`Call::send_streaming`](crate::Call::send_streaming) returns it as soon as the status and
//! headers arrive.

use crate::{Error, History};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A 2xx answer whose body is read piece by piece with [`Download::chunk`], never held whole.
///
/// ```no_run
/// # async fn save<O: plexy::Operation>(call: plexy::Call<'_, O>) -> Result<(), Box<dyn std::error::Error>> {
/// use std::io::Write;
/// let mut download = call.send_streaming().await?;
/// let mut file = std::fs::File::create("download.bin")?;
/// while let Some(piece) = download.chunk().await? {
///     file.write_all(&piece)?;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Download {
    /// The HTTP status (a 2xx).
    pub status: StatusCode,
    /// The response headers (`Content-Length`, `Content-Type`, …).
    pub headers: HeaderMap,
    /// The call's idempotency key and how each attempt ended (the last one is this answer).
    pub history: History,
    body: Source,
}

/// Where the rest of the body comes from.
#[derive(Debug)]
enum Source {
    /// The connection, still open.
    Open(reqwest::Response),
    /// A body already read whole (handed over once), or nothing left.
    Read(Option<bytes::Bytes>),
}

impl Download {
    /// The idempotency key the call was sent with, to send it again with the same key.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.history.idempotency_key.as_deref()
    }

    /// An answer whose body is still on the connection.
    pub(crate) fn open(status: StatusCode, headers: HeaderMap, history: History, response: reqwest::Response) -> Self {
        Download { status, headers, history, body: Source::Open(response) }
    }

    /// An answer whose body was read whole.
    pub(crate) fn read(status: StatusCode, headers: HeaderMap, history: History, body: bytes::Bytes) -> Self {
        Download { status, headers, history, body: Source::Read(Some(body)) }
    }

    /// The next piece of the body, or `None` at its end. No retry happens here: the API has
    /// answered (the call was processed), so a connection lost now is an
    /// [`Error::Connection`] whose [`Error::may_have_been_processed`] is true.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        match &mut self.body {
            // reqwest's errors print the URL, which may carry an API key: it is left out.
            Source::Open(response) => response.chunk().await.map_err(|source| Error::Connection {
                sent: true,
                source: source.without_url(),
                history: self.history.clone(),
            }),
            Source::Read(body) => Ok(body.take().filter(|b| !b.is_empty())),
        }
    }
}

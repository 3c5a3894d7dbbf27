//! A payments server on raw TCP for fault-injection tests. It has a real idempotency store, kept
//! the way the Plexy reference describes it: one charge per `Idempotency-Key`, the stored answer
//! replayed to every later request with that key, and `409 idempotency_key_in_use` while the
//! first request with the key is still being processed. Faults are injected per request, chosen
//! by a plan from the order's reference and how many requests for it came before, so a fault can
//! strike after the charge (the case a client must never turn into a second charge).
//!
//! HTTP/1.1 is written by hand on purpose: a fault such as "half the body, then a reset" cannot
//! be expressed through an HTTP server library, and the client must meet real sockets.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

/// What goes wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Nothing.
    None,
    /// Answered with this status before anything is processed (a rate limiter or a gateway in
    /// front of the API).
    Before(u16),
    /// Processed slowly: the key stays in flight this long before the charge and the answer.
    Slow(Duration),
    /// Processed (charged and stored), then the answer is lost this way.
    After(Loss),
}

/// How an answer is lost after the request was processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// The connection is reset instead of answered.
    Reset,
    /// The status line, headers and half the body, then the connection is closed.
    CloseMidBody,
    /// The status line, headers and half the body, then silence this long, then a close.
    StallMidBody(Duration),
    /// This status instead of the stored answer (a proxy failed on the way back).
    Status(u16),
    /// A reset, then the server refuses connections: for this long, or until
    /// [`PaymentsServer::come_back`] when `None`.
    ResetAndGoDown(Option<Duration>),
}

/// Decides the fault of each request from the order reference and the number of requests for
/// that reference before it (0 for the first).
pub type Plan = Arc<dyn Fn(&str, u32) -> Fault + Send + Sync>;

/// One charge the server made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub psp_reference: String,
    pub reference: String,
    pub idempotency_key: Option<String>,
}

/// One request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub reference: String,
    pub idempotency_key: Option<String>,
    pub fault: Fault,
}

/// What the idempotency store knows of a key.
enum Entry {
    /// The first request with the key is being processed.
    InFlight { fingerprint: String },
    /// The stored answer, replayed to every later request with the key.
    Done { fingerprint: String, status: u16, body: Vec<u8> },
}

#[derive(Default)]
struct State {
    entries: HashMap<String, Entry>,
    charges: Vec<Charge>,
    seen: Vec<Seen>,
    requests_per_reference: HashMap<String, u32>,
}

struct Shared {
    addr: SocketAddr,
    store_enabled: bool,
    plan: Plan,
    state: Mutex<State>,
    accepting: Mutex<Option<JoinHandle<()>>>,
}

/// The running server; it stops when dropped.
pub struct PaymentsServer {
    shared: Arc<Shared>,
}

impl PaymentsServer {
    /// Starts a server on 127.0.0.1 with an ephemeral port. `store_enabled: false` switches the
    /// idempotency store off (every request charges), for negative controls.
    pub async fn start(plan: Plan, store_enabled: bool) -> PaymentsServer {
        let listener = listen("127.0.0.1:0".parse().unwrap());
        let addr = listener.local_addr().unwrap();
        let shared =
            Arc::new(Shared { addr, store_enabled, plan, state: Mutex::default(), accepting: Mutex::new(None) });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        *lock(&shared.accepting) = Some(task);
        PaymentsServer { shared }
    }

    /// A server whose requests meet the given faults in turn, per order reference; later
    /// requests meet none.
    pub async fn with_faults(faults: Vec<Fault>) -> PaymentsServer {
        PaymentsServer::start(Arc::new(move |_, n| faults.get(n as usize).copied().unwrap_or(Fault::None)), true).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// Every charge made, in order.
    pub fn charges(&self) -> Vec<Charge> {
        lock(&self.shared.state).charges.clone()
    }

    /// Every request read, in order.
    pub fn seen(&self) -> Vec<Seen> {
        lock(&self.shared.state).seen.clone()
    }

    /// Accepts connections again after a [`Loss::ResetAndGoDown`] without a duration.
    pub fn come_back(&self) {
        come_back(&self.shared);
    }
}

impl Drop for PaymentsServer {
    fn drop(&mut self) {
        if let Some(task) = lock(&self.shared.accepting).take() {
            task.abort();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A listener that may take over the port of one that was closed a moment ago.
fn listen(addr: SocketAddr) -> tokio::net::TcpListener {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind(addr).unwrap();
    socket.listen(128).unwrap()
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        tokio::spawn(serve_connection(stream, shared.clone()));
    }
}

/// Closes the listening socket, so that new connections are refused, and waits until it is
/// closed.
async fn go_down(shared: &Arc<Shared>) {
    let task = lock(&shared.accepting).take();
    if let Some(task) = task {
        task.abort();
        let _ = task.await;
    }
}

fn come_back(shared: &Arc<Shared>) {
    let mut accepting = lock(&shared.accepting);
    if accepting.is_none() {
        *accepting = Some(tokio::spawn(accept_loop(listen(shared.addr), shared.clone())));
    }
}

/// A request: its headers (names in lower case) and body.
struct Request {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// Reads the next request of a keep-alive connection; `None` at the end of the connection.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Request { path, headers, body })
}

async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let (status, body, loss) = handle(&shared, request).await;
        let Some(loss) = loss else {
            if write_answer(&mut stream, status, &body, None).await.is_err() {
                return;
            }
            continue;
        };
        match loss {
            Loss::Reset => reset(stream),
            Loss::ResetAndGoDown(duration) => {
                go_down(&shared).await;
                reset(stream);
                if let Some(duration) = duration {
                    tokio::time::sleep(duration).await;
                    come_back(&shared);
                }
            }
            Loss::CloseMidBody => {
                let _ = write_answer(&mut stream, status, &body, Some(body.len() / 2)).await;
                let _ = stream.shutdown().await;
            }
            Loss::StallMidBody(duration) => {
                let _ = write_answer(&mut stream, status, &body, Some(body.len() / 2)).await;
                tokio::time::sleep(duration).await;
            }
            Loss::Status(lost_status) => {
                let _ = write_answer(&mut stream, lost_status, &error_body("api_error", "upstream failed"), None).await;
                continue;
            }
        }
        return;
    }
}

/// Drops the connection with a TCP reset rather than an orderly close.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Writes an answer, or only its first `cut` bytes of body.
async fn write_answer(stream: &mut TcpStream, status: u16, body: &[u8], cut: Option<usize>) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        reason(status),
        body.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body[..cut.unwrap_or(body.len())]);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Other",
    }
}

fn error_body(code: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"error": {"code": code, "message": message}})).unwrap()
}

/// Runs the store and the plan for one request: the status and body to answer with, and how
/// that answer is lost, if it is.
async fn handle(shared: &Arc<Shared>, request: Request) -> (u16, Vec<u8>, Option<Loss>) {
    if request.path != "/payments" {
        return (404, error_body("resource_missing", "no such path"), None);
    }
    let Ok(payment) = serde_json::from_slice::<Value>(&request.body) else {
        return (400, error_body("invalid_request", "the body is not JSON"), None);
    };
    let reference = payment["reference"].as_str().unwrap_or_default().to_owned();
    let key = request.headers.get("idempotency-key").cloned();
    // The key is only ever compared with the request it first came with.
    let fingerprint = String::from_utf8_lossy(&request.body).into_owned();
    let fault = {
        let mut state = lock(&shared.state);
        let count = state.requests_per_reference.entry(reference.clone()).or_insert(0);
        let fault = (shared.plan)(&reference, *count);
        *count += 1;
        state.seen.push(Seen { reference: reference.clone(), idempotency_key: key.clone(), fault });
        fault
    };
    let loss = match fault {
        Fault::After(loss) => Some(loss),
        _ => None,
    };
    if let Fault::Before(status) = fault {
        return (status, error_body("api_error", "try again later"), None);
    }
    let keyed = key.as_ref().filter(|_| shared.store_enabled);
    if let Some(key) = keyed {
        let mut state = lock(&shared.state);
        match state.entries.get(key) {
            Some(Entry::InFlight { fingerprint: first } | Entry::Done { fingerprint: first, .. })
                if *first != fingerprint =>
            {
                let body = error_body("idempotency_error", "the key was used with other parameters");
                return (409, body, None);
            }
            Some(Entry::InFlight { .. }) => {
                let body = error_body("idempotency_key_in_use", "a request with this key is being processed");
                return (409, body, None);
            }
            Some(Entry::Done { status, body, .. }) => return (*status, body.clone(), loss),
            None => {
                state.entries.insert(key.clone(), Entry::InFlight { fingerprint: fingerprint.clone() });
            }
        }
    }
    if let Fault::Slow(duration) = fault {
        tokio::time::sleep(duration).await;
    }
    let mut state = lock(&shared.state);
    let psp_reference = format!("PSP{:06}", state.charges.len() + 1);
    state.charges.push(Charge {
        psp_reference: psp_reference.clone(),
        reference: reference.clone(),
        idempotency_key: key.clone(),
    });
    let body = serde_json::to_vec(&json!({
        "pspReference": psp_reference,
        "resultCode": "Authorised",
        "merchantReference": reference,
        "amount": payment["amount"],
    }))
    .unwrap();
    if let Some(key) = keyed {
        state.entries.insert(key.clone(), Entry::Done { fingerprint, status: 200, body: body.clone() });
    }
    (200, body, loss)
}

//! Benchmark of the generated client's own cost per call: `client.create_payment(&request)`
//! against hand-written reqwest + serde_json code sending byte-identical requests (same body,
//! same headers) to the same loopback HTTP server, which answers the spec's own example.
//!
//! Run with `cargo bench -p plexy-tests --bench client_overhead` (prefix `taskset -c 1` to pin
//! it to one CPU, as the recorded numbers are). For each side it prints the median time per
//! call over several batches, and the heap allocations and bytes allocated per call on the
//! calling thread (where the client, its connection task and the decoding run; the server runs
//! on a thread of its own and is not counted). It reports, it does not assert.

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use plexy::models::{PaymentRequest, PaymentResponse};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The system allocator, counting allocations made on threads that ask for it.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            ALLOCATIONS.with(|a| a.set(a.get() + 1));
            BYTES.with(|b| b.set(b.get() + bytes as u64));
        }
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: forwarded with the caller's pointer, layout and size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const KEY: &str = "pr_test_0123456789";

/// The spec's example request of `createPayment` and its `authorised` example answer.
fn spec_examples() -> (PaymentRequest, Vec<u8>) {
    let root = xtask::codegen::workspace_root();
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join(xtask::codegen::SPEC)).unwrap()).unwrap();
    let operation = &spec["paths"]["/payments"]["post"];
    let request = &operation["requestBody"]["content"]["application/json"]["example"];
    let answer = &operation["responses"]["200"]["content"]["application/json"]["examples"]["authorised"]["value"];
    let request: PaymentRequest = serde_json::from_value(serde_json::to_value(request).unwrap()).unwrap();
    (request, serde_json::to_vec(answer).unwrap())
}

/// What the server saw of one request: its body and its headers but the per-call key.
type Seen = (Bytes, Vec<(String, String)>);

/// A loopback server on its own thread answering every POST /v2/payments with `answer`. It
/// keeps the last request it saw, so the two sides can be compared.
fn start_server(answer: Vec<u8>) -> (String, Arc<Mutex<Option<Seen>>>) {
    let last = Arc::new(Mutex::new(None));
    let seen = last.clone();
    let answer = Bytes::from(answer);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let app = Router::new().route(
                "/v2/payments",
                post(move |headers: HeaderMap, body: Bytes| {
                    let mut fields: Vec<(String, String)> = headers
                        .iter()
                        .filter(|(name, _)| *name != "idempotency-key")
                        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
                        .collect();
                    fields.sort();
                    *seen.lock().unwrap() = Some((body, fields));
                    let answer = answer.clone();
                    async move { ([(header::CONTENT_TYPE, "application/json")], answer) }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("http://{}", rx.recv().unwrap()), last)
}

/// The same call written by hand: serialise, send with the same headers, read, decode.
async fn hand_written(
    http: &reqwest::Client,
    url: &str,
    user_agent: &str,
    request: &PaymentRequest,
) -> Result<PaymentResponse, Box<dyn std::error::Error>> {
    let body = serde_json::to_vec(request)?;
    let response = http
        .post(url)
        .header("x-api-key", KEY)
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, user_agent)
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .timeout(Duration::from_secs(60))
        .body(body)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()).into());
    }
    let bytes = response.bytes().await?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// Per-call time (median over batches) and allocations of one side.
struct Measured {
    per_call: Duration,
    allocations: f64,
    bytes: f64,
}

const BATCH: u32 = 200;
const BATCHES: usize = 25;

fn main() {
    let (request, answer) = spec_examples();
    let (base, seen) = start_server(answer);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = plexy::Client::builder(KEY).base_url(format!("{base}/v2")).build().unwrap();
    let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().unwrap();
    let url = format!("{base}/v2/payments");

    // Both sides must send the same request, or the comparison means nothing.
    let generated_request = runtime.block_on(async {
        client.create_payment(&request).await.unwrap();
        seen.lock().unwrap().take().unwrap()
    });
    let user_agent = generated_request.1.iter().find(|(n, _)| n == "user-agent").unwrap().1.clone();
    let hand_request = runtime.block_on(async {
        hand_written(&http, &url, &user_agent, &request).await.unwrap();
        seen.lock().unwrap().take().unwrap()
    });
    assert_eq!(generated_request, hand_request, "the two sides do not send the same request");

    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut totals = [(0u64, 0u64); 2];
    for _ in 0..BATCHES {
        // Alternating batches, so drift on a shared machine hits both sides alike.
        for (side, (batch_times, (count, bytes))) in times.iter_mut().zip(&mut totals).enumerate() {
            let started = Instant::now();
            let (before_count, before_bytes) = (ALLOCATIONS.get(), BYTES.get());
            COUNTING.set(true);
            runtime.block_on(async {
                for _ in 0..BATCH {
                    if side == 0 {
                        black_box(client.create_payment(black_box(&request)).await.unwrap());
                    } else {
                        black_box(hand_written(&http, &url, &user_agent, black_box(&request)).await.unwrap());
                    }
                }
            });
            COUNTING.set(false);
            batch_times.push(started.elapsed() / BATCH);
            *count += ALLOCATIONS.get() - before_count;
            *bytes += BYTES.get() - before_bytes;
        }
    }
    let [mut generated, mut hand] = times;
    let measured = |times: &mut Vec<Duration>, (count, bytes): (u64, u64)| {
        times.sort();
        let calls = (BATCH as usize * BATCHES) as f64;
        Measured { per_call: times[times.len() / 2], allocations: count as f64 / calls, bytes: bytes as f64 / calls }
    };
    let generated = measured(&mut generated, totals[0]);
    let hand = measured(&mut hand, totals[1]);
    for (label, m) in [("plexy client", &generated), ("hand-written", &hand)] {
        println!(
            "{label:<13} {:>7.1} µs/call  {:>6.1} allocations/call  {:>6.1} KiB allocated/call",
            m.per_call.as_secs_f64() * 1e6,
            m.allocations,
            m.bytes / 1024.0
        );
    }
    println!("ratio         {:.3}×", generated.per_call.as_secs_f64() / hand.per_call.as_secs_f64());
}

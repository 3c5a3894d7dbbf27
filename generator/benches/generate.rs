//! Benchmark of the generator on specs of several sizes: Plexy's own and the public specs beside
//! the repository (shared/specs), from 60 KB to 3 MB. For each it prints the median time of
//! `generate`, the time of parsing the same text with serde_yaml + openapiv3 alone (the floor),
//! their ratio, the time per megabyte (flat when the cost is linear in the spec's size) and the
//! peak heap use of one run against the spec's size.
//!
//! Run with `cargo bench -p plexy-codegen`; `cargo bench -p plexy-codegen -- NAME` runs the specs
//! whose label contains NAME. It reports, it does not assert: timings on a shared machine are
//! noisy, so no test depends on them.

use mimalloc::MiMalloc;
use plexy_codegen::{Settings, generate};
use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// mimalloc, the allocator of `cargo xtask` (so that this measures generation as it runs there),
/// keeping the bytes in use and their high-water mark while `COUNTING` is on. It is on only for
/// the run that measures the peak: counters that every thread writes would slow the timed runs,
/// which allocate on every core.
struct PeakCounting;

static COUNTING: AtomicBool = AtomicBool::new(false);
// Signed: a block allocated before counting started may be freed while it is on.
static IN_USE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// Counts `change` bytes more (or fewer) in use, if counting is on.
fn count(change: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        let now = IN_USE.fetch_add(change, Ordering::Relaxed) + change;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to mimalloc unchanged; only counters are added.
unsafe impl GlobalAlloc for PeakCounting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: forwarded with the caller's layout.
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded with the caller's pointer, layout and size.
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: PeakCounting = PeakCounting;

/// The most bytes in use at once during `f`, beyond those in use before it.
fn peak_heap(f: impl FnOnce()) -> usize {
    IN_USE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    f();
    COUNTING.store(false, Ordering::SeqCst);
    PEAK.load(Ordering::Relaxed).max(0) as usize
}

/// The median of `runs` timings of `f`, after one warm-up run.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Parsing alone, as any OpenAPI tool must: text → openapiv3 (YAML and JSON alike).
fn parse_only(spec: &str) -> Option<openapiv3::OpenAPI> {
    serde_yaml::from_str(spec).ok()
}

/// Measures one spec and prints one line.
fn bench(label: &str, path: &Path) {
    let Ok(spec) = std::fs::read_to_string(path) else {
        println!("{label:<22} skipped: {} is not there", path.display());
        return;
    };
    let settings = Settings::new(label, path.display().to_string());
    let generated = match generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(e) => {
            println!("{label:<22} skipped: does not generate:\n{e}");
            return;
        }
    };
    let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
    drop(generated);
    let runs = if spec.len() > 1 << 20 { 5 } else { 15 };

    let peak = peak_heap(|| {
        black_box(generate(black_box(&spec), &settings).ok());
    });

    let generating = median(runs, || {
        black_box(generate(black_box(&spec), &settings).ok());
    });
    let parsing = median(runs, || {
        black_box(parse_only(black_box(&spec)));
    });
    let megabytes = spec.len() as f64 / 1e6;
    println!(
        "{label:<22} {:>6} KB {:>7} lines  generate {:>8.1} ms  parse {:>7.1} ms  ({:.1}×)  {:>6.1} ms/MB  peak heap {:>5.1}× spec",
        spec.len() / 1000,
        lines,
        generating.as_secs_f64() * 1e3,
        parsing.as_secs_f64() * 1e3,
        generating.as_secs_f64() / parsing.as_secs_f64(),
        generating.as_secs_f64() * 1e3 / megabytes,
        peak as f64 / spec.len() as f64,
    );
}

fn main() {
    // `cargo bench` passes `--bench`; anything else is a filter on the labels.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared/specs");
    let ladder = [
        ("plexy", root.join("spec/plexy.yaml")),
        ("xero-finance", shared.join("corpus/xero/xero-finance.yaml")),
        ("xero-payroll-au", shared.join("corpus/xero/xero-payroll-au.yaml")),
        ("box-v2025", shared.join("corpus/box/box-v2025.json")),
        ("spotify", shared.join("spotify.yaml")),
        ("xero-payroll-nz", shared.join("corpus/xero/xero-payroll-nz.yaml")),
        ("box", shared.join("corpus/box/box.json")),
        ("openai", shared.join("openai.yaml")),
    ];
    for (label, path) in &ladder {
        if filter.is_empty() || filter.iter().any(|f| label.contains(f.as_str())) {
            bench(label, path);
        }
    }
}

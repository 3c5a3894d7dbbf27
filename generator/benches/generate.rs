//! Benchmark of the generator: how long `generate` takes on Plexy's spec and on the largest
//! public spec we have (OpenAI's, 3 MB). Run with `cargo bench -p plexy-codegen`; it reports,
//! it does not assert (timings on a shared machine are noisy, so no test depends on them).

use plexy_codegen::{Settings, generate};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs `generate` on `path` `runs` times after one warm-up, and prints the median and extremes.
fn bench(label: &str, path: &Path, runs: usize) {
    let Ok(spec) = std::fs::read_to_string(path) else {
        println!("{label}: skipped, {} is not there", path.display());
        return;
    };
    let settings = Settings::new(label, path.display().to_string());
    let files = generate(&spec, &settings).map(|g| g.files.len()).unwrap_or(0);
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let _ = black_box(generate(black_box(&spec), &settings));
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label}: {} KiB of spec, {files} files; median {:?}, min {:?}, max {:?} over {runs} runs",
        spec.len() / 1024,
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    bench("plexy", &root.join("spec/plexy.yaml"), 30);
    bench("openai", &root.join("../shared/specs/openai.yaml"), 5);
}

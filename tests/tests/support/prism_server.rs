//! Starts Prism, the pinned mock server, on a spec: shared by the conformance tests.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where `cargo xtask test` installs Prism, relative to the workspace root.
const PRISM_BIN: &str = "tests/prism/node_modules/.bin/prism";
/// How long Prism may take to load the spec and listen.
const STARTUP: Duration = Duration::from_secs(60);
/// Seeds the bodies Prism generates from the schemas, so that every run sees the same ones.
const SEED: &str = "plexy-conformance";
/// Ports tried when the free port found is taken before Prism binds it.
const PORT_ATTEMPTS: usize = 3;

/// The end of Prism's log, for failure messages.
pub fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A running Prism, killed when dropped (also when the test panics).
pub struct Prism {
    child: Child,
    /// Where it listens, such as `http://127.0.0.1:4010`.
    pub base_url: String,
    /// Its log file.
    pub log: PathBuf,
}

impl Prism {
    /// Starts `prism mock --errors` on a free loopback port and waits until it accepts
    /// connections. Fails, never skips, when Prism is not installed.
    pub async fn start(root: &Path, spec: &Path) -> Prism {
        let bin = root.join(PRISM_BIN);
        assert!(
            bin.exists(),
            "Prism is not installed ({} is missing). Run `cargo xtask test`: it installs the pinned \
             Prism from tests/prism/package-lock.json with `npm ci` (needs Node.js and npm).",
            bin.display()
        );
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port();
            let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{port}.log"));
            let out = File::create(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
            let err = out.try_clone().unwrap_or_else(|e| panic!("{}: {e}", log.display()));
            let child = Command::new(&bin)
                .current_dir(root)
                .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors", "--dynamic", "false"])
                .args(["--seed", SEED])
                .arg(spec)
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| panic!("could not start {}: {e}", bin.display()));
            let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}"), log };
            if prism.wait_until_listening(port).await {
                return prism;
            }
        }
        panic!("Prism exited {PORT_ATTEMPTS} times because its port was taken");
    }

    /// True once Prism accepts connections; false when it exited because the port was taken.
    async fn wait_until_listening(&mut self, port: u16) -> bool {
        let deadline = Instant::now() + STARTUP;
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return true;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let tail = log_tail(&self.log);
                if tail.contains("EADDRINUSE") {
                    return false;
                }
                panic!("Prism exited ({status}) before listening:\n{tail}");
            }
            if Instant::now() > deadline {
                panic!("Prism did not listen on port {port} within {STARTUP:?}:\n{}", log_tail(&self.log));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that was free a moment ago: bind port 0, read the port, release it.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
    listener.local_addr().expect("the bound address").port()
}

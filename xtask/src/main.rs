//! `cargo xtask`: the project's commands. `codegen` regenerates (or with `--check` verifies) the
//! client crate; `changes` reports what a spec change means for the crate's users; `test`
//! installs the pinned tools and runs every test.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use xtask::{changes, codegen, sync};

/// Generation allocates and frees many small values on every core, which mimalloc serves faster
/// than the system allocator (xtask/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  cargo xtask codegen                 regenerate generated/ (and fixture expectations) from the specs
  cargo xtask codegen --check         change nothing; fail with a diff if anything is stale
  cargo xtask codegen --spec PATH --out DIR [--crate-name NAME]
                                      generate a standalone crate from any OpenAPI 3.0 document
  cargo xtask changes [--base GIT_REF] [--format text|markdown|json] [--deny-breaking]
  cargo xtask changes --old PATH --new PATH [--crate-name NAME] [--format …] [--deny-breaking]
                                      what the spec change (spec/plexy.yaml at GIT_REF, default
                                      HEAD, against the working tree) means for the crate's users;
                                      --deny-breaking fails on a break the crate's version hides;
                                      with two files, Rust paths name the crate as codegen --spec
                                      would (after the new file) unless --crate-name says
  cargo xtask test                    install the pinned test tools and run every test
  cargo xtask corpus                  generate every public spec in shared/specs and check all
                                      their crates (CI checks a named subset)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => parse_codegen(&args[1..]).and_then(run_codegen),
        Some("changes") => changes::parse_args(&args[1..]).map_err(|e| format!("{e}\n\n{USAGE}")).and_then(run_changes),
        Some("test") => run_tests(),
        Some("corpus") => {
            xtask::corpus::run(&codegen::workspace_root(), xtask::corpus::Scope::All).map(|s| println!("{s}"))
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", message.trim_end());
            ExitCode::FAILURE
        }
    }
}

/// What `codegen` was asked to do.
enum Codegen {
    /// Sync (or check) the repository's own targets.
    Repository { check: bool },
    /// Write a standalone crate from another spec.
    Standalone { spec: PathBuf, out: PathBuf, crate_name: String, check: bool },
}

fn parse_codegen(args: &[String]) -> Result<Codegen, String> {
    let (mut check, mut spec, mut out, mut crate_name) = (false, None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    match (spec, out) {
        (None, None) if crate_name.is_none() => Ok(Codegen::Repository { check }),
        (Some(spec), Some(out)) => {
            let crate_name = crate_name.unwrap_or_else(|| codegen::default_crate_name(&spec));
            Ok(Codegen::Standalone { spec, out, crate_name, check })
        }
        _ => Err(format!("--spec, --out and --crate-name go together (--crate-name optional)\n\n{USAGE}")),
    }
}

fn run_codegen(command: Codegen) -> Result<(), String> {
    let root = codegen::workspace_root();
    let targets = match &command {
        Codegen::Repository { .. } => codegen::targets(&root)?,
        Codegen::Standalone { spec, out, crate_name, .. } => {
            let text = codegen::read(spec)?;
            let settings = codegen::standalone_settings(spec, &text, crate_name);
            let generated = plexy_codegen::generate(&text, &settings).map_err(|d| d.to_string())?;
            vec![codegen::Target {
                dir: out.clone(),
                files: generated.files,
                summary: generated.summary,
                label: crate_name.clone(),
            }]
        }
    };
    let check = matches!(command, Codegen::Repository { check: true } | Codegen::Standalone { check: true, .. });
    let plans = xtask::plan_all(&targets)?;
    if check {
        if let Some(report) = xtask::stale_report(&plans, &root) {
            return Err(report);
        }
        println!("codegen --check: all generated files are up to date");
        return Ok(());
    }
    // One line for the run: the crate's counts, then every file of every target together (the
    // fixture expectations and error reports are the tests' view of the same generator).
    let (mut written, mut unchanged, mut deleted) = (0, 0, 0);
    for (target, plan) in targets.iter().zip(&plans) {
        sync::apply(plan).map_err(|e| format!("{}: {e}", target.dir.display()))?;
        let removed = plan.changes.iter().filter(|c| matches!(c, sync::Change::Delete { .. })).count();
        written += plan.changes.len() - removed;
        deleted += removed;
        unchanged += plan.unchanged;
    }
    let Some(main) = targets.first() else { return Ok(()) };
    let extra = if targets.len() > 1 { " (with test expectations)" } else { "" };
    println!(
        "{}: {} types, {} operations; {written} files written, {unchanged} unchanged, {deleted} deleted{extra}",
        main.label, main.summary.types, main.summary.operations
    );
    for warning in targets.iter().flat_map(|t| &t.summary.warnings) {
        println!("  warning: {warning}");
    }
    Ok(())
}

/// Prints the review report; with `--deny-breaking`, fails on a break the version does not admit.
fn run_changes(request: changes::Request) -> Result<(), String> {
    let outcome = changes::run(&codegen::workspace_root(), &request)?;
    print!("{}", outcome.printed);
    match outcome.denied {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// Installs the pinned OpenAPI validator, validates the spec, installs the pinned Prism and
/// cargo-semver-checks, then runs the whole Rust suite, slow tests included: xtask's own unit
/// tests, then the repository's workspace.
fn run_tests() -> Result<(), String> {
    let root = codegen::workspace_root();
    let validator = install_validator(&root)?;
    run(Command::new(&validator).arg(root.join(codegen::SPEC)), "openapi-spec-validator on spec/plexy.yaml")?;
    install_prism(&root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    install_semver_checks(&root, &cargo)?;
    // xtask is a workspace of its own (xtask/Cargo.toml): its unit tests are not in `--workspace`.
    run(
        Command::new(&cargo).current_dir(&root).args(["test", "--manifest-path", "xtask/Cargo.toml"]),
        "cargo test --manifest-path xtask/Cargo.toml",
    )?;
    run(
        Command::new(cargo).current_dir(&root).args(["test", "--workspace", "--", "--include-ignored"]),
        "cargo test --workspace -- --include-ignored",
    )
}

/// A virtual environment under target/ with tests/tools/requirements.txt installed (once).
fn install_validator(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/tools/venv");
    let bin = venv.join("bin/openapi-spec-validator");
    let requirements = root.join("tests/tools/requirements.txt");
    let stamp = venv.join("requirements.installed");
    let wanted = codegen::read(&requirements)?;
    if bin.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
        .ok_or("the tests need Python 3 (python3) to install openapi-spec-validator, and none was found on PATH")?;
    run(
        Command::new(python).args(["-m", "venv"]).arg(&venv),
        "creating a Python virtual environment in target/tools/venv",
    )?;
    run(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
        "pip install -r tests/tools/requirements.txt (needs the PyPI registry)",
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(bin)
}

/// The Prism mock server that tests/tests/prism.rs runs, installed with `npm ci` from the lockfile
/// in tests/prism (again whenever the lockfile changes).
fn install_prism(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let stamp = dir.join("node_modules/.plexy-lock.installed");
    let wanted = codegen::read(&dir.join("package-lock.json"))?;
    if bin.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    for tool in ["node", "npm"] {
        if !Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Err(format!(
                "the tests need Node.js (node and npm) to install the Prism mock server from \
                 tests/prism/package-lock.json, and `{tool}` was not found on PATH"
            ));
        }
    }
    run(
        Command::new("npm").current_dir(root).args(["ci", "--prefix", "tests/prism", "--no-audit", "--no-fund"]),
        "npm ci --prefix tests/prism (needs the npm registry)",
    )?;
    if !bin.exists() {
        return Err(format!("npm ci finished but {} is missing", bin.display()));
    }
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// The cargo-semver-checks release that tests/tests/changes.rs compares the review report with:
/// pinned, because its verdicts are part of what the test expects, and one that reads the rustdoc
/// JSON of the toolchain in use (0.51 supports Rust 1.93 and later).
const SEMVER_CHECKS_VERSION: &str = "0.51.0";

/// cargo-semver-checks in target/tools/bin, installed from crates.io unless that exact version
/// is already there.
fn install_semver_checks(root: &Path, cargo: &str) -> Result<(), String> {
    let tools = root.join("target/tools");
    let bin = tools.join("bin/cargo-semver-checks");
    let installed = Command::new(&bin)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().any(|w| w == SEMVER_CHECKS_VERSION));
    if installed {
        return Ok(());
    }
    run(
        Command::new(cargo)
            .current_dir(root)
            // Its manifest asks for fat LTO and one codegen unit, which makes this install the
            // slowest step of a clean test run; the tool's verdicts do not depend on them, and a
            // profile in the environment overrides the manifest's.
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .args(["install", "cargo-semver-checks", "--locked", "--version", SEMVER_CHECKS_VERSION, "--root"])
            .arg(&tools),
        &format!(
            "cargo install cargo-semver-checks {SEMVER_CHECKS_VERSION} into target/tools (needs the crates.io \
             registry; compiles for several minutes, once)"
        ),
    )
}

/// Runs a command, failing with `what` when it cannot start or does not succeed.
fn run(command: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("==> {what}");
    let started = std::time::Instant::now();
    let status = command.status().map_err(|e| format!("could not start {what}: {e}"))?;
    // How long each step took, so that a slow run shows where its time went.
    eprintln!("    ({} s)", started.elapsed().as_secs());
    if status.success() { Ok(()) } else { Err(format!("failed: {what} ({status})")) }
}

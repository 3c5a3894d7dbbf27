//! `cargo xtask changes`: the I/O around the review report. Reads the spec at a git revision
//! (or two files), asks the generator what the difference means, prints the report, and for
//! `--deny-breaking` compares the generated crate's version at the base and now.

use crate::codegen;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the two specs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// spec/plexy.yaml at a git revision against the working tree.
    Git { base: String },
    /// Two files, and the crate name for Rust paths (`None`: the one `codegen --spec` gives
    /// the new file).
    Files { old: PathBuf, new: PathBuf, crate_name: Option<String> },
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// One JSON object.
    Json,
}

/// A parsed `changes` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The specs to compare.
    pub source: Source,
    /// The output format.
    pub format: Format,
    /// Fail when the change is breaking and the crate's version does not say so.
    pub deny_breaking: bool,
}

/// Reads `changes` arguments.
pub fn parse_args(args: &[String]) -> Result<Request, String> {
    let (mut base, mut old, mut new, mut crate_name) = (None, None, None, None);
    let (mut format, mut deny_breaking) = (Format::Text, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--base" => base = Some(value("--base")?),
            "--old" => old = Some(PathBuf::from(value("--old")?)),
            "--new" => new = Some(PathBuf::from(value("--new")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--format" => {
                format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "markdown" => Format::Markdown,
                    "json" => Format::Json,
                    other => return Err(format!("--format is text, markdown or json, not `{other}`")),
                }
            }
            "--deny-breaking" => deny_breaking = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let source = match (base, old, new) {
        // The repository's spec is the `plexy` crate's: its name is not the caller's to choose.
        (_, None, None) if crate_name.is_some() => {
            return Err("--crate-name goes with --old and --new (spec/plexy.yaml is the `plexy` crate)".into());
        }
        (base, None, None) => Source::Git { base: base.unwrap_or_else(|| "HEAD".to_owned()) },
        (None, Some(old), Some(new)) => Source::Files { old, new, crate_name },
        (Some(_), _, _) => return Err("--base compares with git; --old and --new compare two files: not both".into()),
        _ => return Err("--old and --new go together".into()),
    };
    Ok(Request { source, format, deny_breaking })
}

/// What the command prints, and the failure `--deny-breaking` asks for, if any.
pub struct Outcome {
    /// The report in the asked format.
    pub printed: String,
    /// Why the run fails (only with `--deny-breaking`).
    pub denied: Option<String>,
}

/// Runs the command in the workspace at `root`.
pub fn run(root: &Path, request: &Request) -> Result<Outcome, String> {
    let (report, label) = match &request.source {
        Source::Git { base } => {
            let old = git_show(root, base, codegen::SPEC)?.ok_or_else(|| {
                format!("{} does not exist at `{base}`: there is nothing to compare with", codegen::SPEC)
            })?;
            let new = codegen::read(&root.join(codegen::SPEC))?;
            let report = plexy_codegen::changes(&old, &new, &codegen::plexy_settings(root)?);
            (report, base.clone())
        }
        Source::Files { old, new, crate_name } => {
            let (old_text, new_text) = (codegen::read(old)?, codegen::read(new)?);
            // Named and read as `codegen --spec` would generate the new file; each file is
            // named in its own errors and has its own neighbours for `$ref`s to other files.
            let crate_name = crate_name.clone().unwrap_or_else(|| codegen::default_crate_name(new));
            let settings = codegen::standalone_settings(new, &new_text, &crate_name);
            let (old_path, old_documents) = (old.display().to_string(), codegen::documents(old, &old_text));
            let old_spec = plexy_codegen::OldSpec { text: &old_text, path: &old_path, documents: &old_documents };
            (plexy_codegen::changes_from(old_spec, &new_text, &settings), old_path)
        }
    };
    let report = report.map_err(|d| d.to_string())?;
    let printed = match request.format {
        Format::Text => report.to_text(),
        Format::Markdown => report.to_markdown(),
        Format::Json => report.to_json(),
    };
    let denied = if request.deny_breaking && report.breaking { deny(root, &request.source, &label)? } else { None };
    Ok(Outcome { printed, denied })
}

/// Why a breaking change is refused: the crate's version at the base and now are semver
/// compatible (Cargo's rule: the same leftmost non-zero component), so `cargo update` would
/// hand the break to users. Two files carry no version, so a break is always refused there.
fn deny(root: &Path, source: &Source, base: &str) -> Result<Option<String>, String> {
    let Source::Git { .. } = source else {
        return Ok(Some("the change is breaking (--deny-breaking; two files carry no crate version to check)".into()));
    };
    let manifest = format!("{}/Cargo.toml", codegen::OUT);
    let Some(before) = git_show(root, base, &manifest)? else { return Ok(None) };
    let before = package_version(&before).map_err(|e| format!("{manifest} at `{base}`: {e}"))?;
    let now = package_version(&codegen::read(&root.join(&manifest))?).map_err(|e| format!("{manifest}: {e}"))?;
    if !compatible(&before, &now) {
        return Ok(None);
    }
    Ok(Some(format!(
        "the change is breaking, but the `plexy` crate's version goes from {before} to {now}, which Cargo treats \
         as compatible. Bump it to {} in [workspace.metadata.plexy] of Cargo.toml, run `cargo xtask codegen` and \
         commit both.",
        next_breaking(&before)
    )))
}

/// `[package] version` of a Cargo.toml.
pub fn package_version(manifest: &str) -> Result<semver::Version, String> {
    let doc: toml_edit::DocumentMut = manifest.parse().map_err(|e| format!("not TOML: {e}"))?;
    let text =
        doc.get("package").and_then(|p| p.get("version")).and_then(|v| v.as_str()).ok_or("no [package] version")?;
    semver::Version::parse(text).map_err(|e| format!("version `{text}`: {e}"))
}

/// Whether Cargo would take `now` as a compatible update of `before` (caret requirement).
pub fn compatible(before: &semver::Version, now: &semver::Version) -> bool {
    semver::VersionReq::parse(&format!("^{before}")).is_ok_and(|req| req.matches(now))
}

/// The smallest version after `v` that Cargo treats as incompatible with it.
pub fn next_breaking(v: &semver::Version) -> semver::Version {
    match (v.major, v.minor) {
        (0, 0) => semver::Version::new(0, 0, v.patch + 1),
        (0, minor) => semver::Version::new(0, minor + 1, 0),
        (major, _) => semver::Version::new(major + 1, 0, 0),
    }
}

/// A file's text at a git revision; `None` when the revision exists but the file does not.
fn git_show(root: &Path, base: &str, path: &str) -> Result<Option<String>, String> {
    let verify = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")])
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !verify.status.success() {
        return Err(format!(
            "`{base}` is not a commit of this repository (a shallow clone may not have it; fetch more history)"
        ));
    }
    let show = Command::new("git")
        .current_dir(root)
        .args(["show", &format!("{base}:{path}")])
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !show.status.success() {
        return Ok(None);
    }
    String::from_utf8(show.stdout).map(Some).map_err(|_| format!("{path} at `{base}` is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn cargo_compatibility_follows_the_leftmost_non_zero_component() {
        assert!(compatible(&v("0.1.0"), &v("0.1.5")));
        assert!(!compatible(&v("0.1.0"), &v("0.2.0")));
        assert!(compatible(&v("1.2.0"), &v("1.3.0")));
        assert!(!compatible(&v("1.2.0"), &v("2.0.0")));
        assert!(!compatible(&v("0.0.1"), &v("0.0.2")));
        assert_eq!(next_breaking(&v("0.1.4")), v("0.2.0"));
        assert_eq!(next_breaking(&v("1.4.2")), v("2.0.0"));
        assert_eq!(next_breaking(&v("0.0.3")), v("0.0.4"));
    }

    #[test]
    fn the_version_is_read_from_the_package_table() {
        let manifest =
            "# comment\n[package]\nname = \"plexy\"\nversion = \"0.3.1\"\n\n[dependencies]\nx = { version = \"9\" }\n";
        assert_eq!(package_version(manifest).unwrap(), v("0.3.1"));
        assert!(package_version("[dependencies]\n").is_err());
    }

    #[test]
    fn arguments() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let r = parse_args(&args("--base HEAD~1 --format json --deny-breaking")).unwrap();
        assert_eq!(r.source, Source::Git { base: "HEAD~1".into() });
        assert_eq!((r.format, r.deny_breaking), (Format::Json, true));
        assert_eq!(parse_args(&[]).unwrap().source, Source::Git { base: "HEAD".into() });
        assert!(parse_args(&args("--old a.yaml")).is_err());
        assert!(parse_args(&args("--base x --old a --new b")).is_err());
        assert!(parse_args(&args("--format html")).is_err());
        let files = parse_args(&args("--old a.yaml --new b.yaml --crate-name xero")).unwrap();
        let expected = Source::Files { old: "a.yaml".into(), new: "b.yaml".into(), crate_name: Some("xero".into()) };
        assert_eq!(files.source, expected);
        assert!(parse_args(&args("--base main --crate-name xero")).is_err());
        assert!(parse_args(&args("--crate-name xero")).is_err());
    }

    /// Two spec files in a fresh folder, with the file names asked for.
    fn two_files(test: &str, old: (&str, &str), new: (&str, &str)) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("xtask-changes-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (old_path, new_path) = (dir.join(old.0), dir.join(new.0));
        std::fs::write(&old_path, old.1).unwrap();
        std::fs::write(&new_path, new.1).unwrap();
        (old_path, new_path)
    }

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: Done.}\n";

    fn request(old: PathBuf, new: PathBuf, crate_name: Option<&str>) -> Request {
        let crate_name = crate_name.map(str::to_owned);
        Request { source: Source::Files { old, new, crate_name }, format: Format::Json, deny_breaking: false }
    }

    #[test]
    fn an_invalid_old_file_is_named_by_its_own_path() {
        let (old, new) = two_files("blame", ("bad.yaml", "openapi: 3.0.3\npaths: [\n"), ("good.yaml", SPEC));
        let error = run(Path::new("."), &request(old.clone(), new.clone(), None)).err().expect("bad.yaml fails");
        assert!(error.contains(&old.display().to_string()), "{error}");
        assert!(!error.contains(&new.display().to_string()), "{error}");
    }

    #[test]
    fn rust_paths_name_the_crate_codegen_would_generate() {
        let added = SPEC.replace(
            "paths:\n",
            "paths:\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '204': {description: Done.}\n",
        );
        let (old, new) = two_files("name", ("before.yaml", SPEC), ("xero_accounting.yaml", &added));
        let printed = run(Path::new("."), &request(old.clone(), new.clone(), None)).unwrap().printed;
        assert!(printed.contains("\"xero_accounting::Client::get_b\""), "{printed}");
        let printed = run(Path::new("."), &request(old, new, Some("xero"))).unwrap().printed;
        assert!(printed.contains("\"xero::Client::get_b\""), "{printed}");
    }
}

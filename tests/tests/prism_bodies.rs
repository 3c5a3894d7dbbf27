//! Form, multipart and raw-byte operations of public specs (shared/specs beside this
//! repository) called through their generated clients against Prism, which validates each
//! request against the spec and answers 422 when it does not fit. Slow (it builds two generated
//! crates), so it is ignored by a plain `cargo test` and run by `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::Command;
use support::prism_server::{Prism, log_tail};

mod support {
    pub mod prism_server;
}

/// Calls demoFormData (`application/x-www-form-urlencoded`) of readme's form-data.yaml.
const FORM_CALLS: &str = r#"//! Calls the spec's form operation against the Prism mock at `PRISM_URL`; fails on any error.

#[tokio::main]
async fn main() {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL names the mock");
    let client = form_data::Client::builder("unused").base_url(url).max_retries(0).build().unwrap();
    let request = form_data::models::DemoFormDataRequest::new("client-1", "a secret & more").with_scope(7);
    match client.demo_form_data(Some(&request)).await {
        Ok(token) => println!("demoFormData: {token:?}"),
        Err(e) => panic!("demoFormData: {e:?}"),
    }
}
"#;

/// Calls the multipart operation (a file and text parts) and the `image/png` upload of readme's
/// file-uploads.yaml. (Its other operation takes several files under one name, which Prism 5.14
/// reads as one value and refuses; tests/tests/wire.rs checks that encoding with multer.)
const UPLOAD_CALLS: &str = r#"//! Calls the spec's upload operations against the Prism mock at `PRISM_URL`; fails on any error.

use file_uploads::multipart::{Form, Part};

#[tokio::main]
async fn main() {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL names the mock");
    let client = file_uploads::Client::builder("unused").base_url(url).max_retries(0).build().unwrap();
    let single = Form::new()
        .text("orderId", 42)
        .text("userId", 7)
        .part("documentFile", Part::bytes(b"%PDF-1.4 test".to_vec()).file_name("order.pdf").content_type("application/pdf"));
    if let Err(e) = client.post_anything_multipart_formdata(Some(single)).await {
        panic!("POST multipart: {e:?}");
    }
    if let Err(e) = client.post_anything_image_png(Some(b"\x89PNG\r\n\x1a\n".to_vec().into())).await {
        panic!("POST image/png: {e:?}");
    }
    println!("uploads accepted");
}
"#;

/// Generates the crate of `spec` with `calls` as its example, under target/prism-specs.
fn generate(root: &Path, spec: &Path, name: &str, calls: &str) -> PathBuf {
    let text = std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut settings = plexy_codegen::Settings::new(name, spec.display().to_string());
    settings.extra_files.push(plexy_codegen::ExtraFile {
        path: "examples/prism_calls.rs".into(),
        source: "tests/tests/prism_bodies.rs".into(),
        text: calls.into(),
    });
    let generated = plexy_codegen::generate(&text, &settings).unwrap_or_else(|d| panic!("{d}"));
    assert!(generated.summary.warnings.is_empty(), "{name}: {:?}", generated.summary.warnings);
    let out = root.join("target/prism-specs").join(name);
    let plan = xtask::sync::plan(&out, &generated.files).unwrap();
    xtask::sync::apply(&plan).unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    out
}

#[tokio::test]
#[ignore = "slow: builds two generated crates; cargo xtask test runs it"]
async fn form_and_multipart_operations_of_public_specs_pass_prism() {
    let root = xtask::codegen::workspace_root();
    let specs = root.join("../shared/specs/corpus/readme/3.0");
    for (file, name, calls) in
        [("form-data.yaml", "form-data", FORM_CALLS), ("file-uploads.yaml", "file-uploads", UPLOAD_CALLS)]
    {
        let spec = specs.join(file);
        let crate_dir = generate(&root, &spec, name, calls);
        let prism = Prism::start(&root, &spec).await;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", root.join("target/real-specs-target"))
            // Nobody debugs these builds; without debug info they take a fraction of the disk.
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env("PRISM_URL", &prism.base_url)
            .args(["run", "--quiet", "--example", "prism_calls"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: Prism refused a request, or the crate did not build:\n{}\n{}\n--- end of {} ---\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            prism.log.display(),
            log_tail(&prism.log)
        );
    }
}

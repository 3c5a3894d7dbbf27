//! The generated crate's non-Rust files (Cargo.toml, README.md), rendered from askama templates
//! in `templates/`. Template structs carry the helpers, so templates stay free of logic.

use crate::ir::Api;
use askama::Template;

/// `Cargo.toml` of the generated crate.
#[derive(Template)]
#[template(path = "Cargo.toml.jinja", escape = "none")]
struct CargoToml<'a> {
    preamble: &'a str,
    name: &'a str,
    version: &'a str,
    description: String,
    standalone: bool,
    /// Whether `cargo test` runs the doc examples.
    doctests: bool,
    /// The spec declares webhooks, so the crate needs the signature-verification dependencies.
    webhooks: bool,
    /// The optional runtime the operations use, and so the dependencies it needs.
    needs: crate::ir::RuntimeNeeds,
}

impl CargoToml<'_> {
    /// reqwest with the features the operations use.
    fn reqwest_toml(&self) -> String {
        // TLS comes from the crate's own features (`rustls`, `native-tls`): reqwest's default
        // provider needs cmake.
        let mut features = vec!["\"system-proxy\""];
        if self.needs.multipart {
            features.push("\"multipart\"");
        }
        if self.needs.binary {
            features.push("\"stream\"");
        }
        format!("reqwest = {{ version = \"0.13.5\", default-features = false, features = [{}] }}", features.join(", "))
    }

    /// The description as a TOML basic string.
    fn description_toml(&self) -> String {
        let mut out = String::from("\"");
        for c in self.description.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// `README.md` of the generated crate.
#[derive(Template)]
#[template(path = "README.md.jinja", escape = "none")]
struct Readme<'a> {
    preamble: &'a str,
    title: &'a str,
    api_version: &'a str,
    description: Option<String>,
    crate_ident: String,
    /// A call of one operation, as code for the README.
    example: Option<String>,
    /// The spec declares webhooks, so the crate has a `webhooks` feature.
    webhooks: bool,
    operations: Vec<OperationRow<'a>>,
    /// The spec's relative server, which the example gives a document address for.
    relative_server: Option<&'a str>,
    /// The document address the example gives.
    document_url: &'a str,
}

/// One row of the README's operation table.
struct OperationRow<'a> {
    http_method: &'a str,
    path: &'a str,
    /// Its methods, as Markdown code spans: its own, then one per other media type.
    methods: String,
    summary: String,
}

/// Renders `Cargo.toml`.
pub fn cargo_toml(api: &Api, preamble: &str, settings: &crate::Settings) -> Result<String, String> {
    let description = format!("Typed async client for the {}", api.title.trim());
    let t = CargoToml {
        preamble: preamble.trim_end(),
        name: &settings.crate_name,
        version: &settings.crate_version,
        description,
        standalone: settings.standalone,
        doctests: settings.doctests,
        webhooks: api.webhooks.is_some(),
        needs: api.runtime_needs(),
    };
    t.render().map(|s| s + "\n").map_err(|e| format!("Cargo.toml template: {e}"))
}

/// Renders `README.md`.
pub fn readme(api: &Api, preamble: &str, name: &str, example: Option<String>) -> Result<String, String> {
    let operations = api
        .operations
        .iter()
        .map(|op| OperationRow {
            http_method: &op.http_method,
            path: &op.path,
            methods: op
                .callables()
                .iter()
                .map(|c| format!("`Client::{}`", crate::naming::ident_text(&c.op.method_name)))
                .collect::<Vec<_>>()
                .join(", "),
            summary: op.summary.as_deref().unwrap_or("").lines().next().unwrap_or("").replace('|', "\\|"),
        })
        .collect();
    let t = Readme {
        preamble: preamble.trim_end(),
        title: api.title.trim(),
        api_version: &api.version,
        description: api.description.as_ref().map(|d| d.trim().to_owned()),
        crate_ident: name.replace('-', "_"),
        example,
        webhooks: api.webhooks.is_some(),
        relative_server: api.relative_server.as_deref(),
        document_url: crate::emit::EXAMPLE_DOCUMENT_URL,
        operations,
    };
    t.render().map(|s| s + "\n").map_err(|e| format!("README.md template: {e}"))
}

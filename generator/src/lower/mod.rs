//! Stage 2: validate the parsed document and lower it into the IR (`ir::Api`), collecting every
//! problem with its JSON pointer.

mod checks;
mod evidence;
mod headers;
mod media;
mod operation;
mod params;
mod schema;
mod security;
mod webhook_payloads;
mod webhooks;

use crate::diagnostics::ErrorStore;
use crate::ir::{Api, TypeRef};

/// The lowered API and the warnings (operations left out) to show in the summary.
pub struct Lowering {
    /// The IR.
    pub api: Api,
    /// What was left out and why, one sentence each.
    pub warnings: Vec<String>,
    /// Schema pointer → the type it became and whether it may be `null` (see `Types::at`).
    pub schema_types: std::collections::BTreeMap<String, (TypeRef, bool)>,
}

/// Lowers a parsed document; problems go to `errors` and lowering goes on so all are found.
pub fn lower(doc: &openapiv3::OpenAPI, tree: &serde_json::Value, errors: &mut ErrorStore) -> Lowering {
    let mut types = schema::Types::new(doc.components.as_ref(), tree);
    types.lower_components(errors);
    let (security_schemes, primary_scheme) = security::schemes(doc);
    let lowered = operation::lower_operations(doc, &mut types, &security_schemes, primary_scheme, errors);
    let webhooks = doc.extensions.get("x-plexy-webhooks").and_then(|x| webhooks::lower_webhooks(x, &types, errors));
    let mut warnings = lowered.warnings;
    let webhook_payloads = webhook_payloads::lower_webhook_payloads(doc, tree, &mut types, errors, &mut warnings);
    let schema_types = std::mem::take(&mut types.at);
    let mut defs = std::mem::take(&mut types.defs);
    checks::check_alias_cycles(&defs, errors);
    checks::box_recursive_fields(&mut defs);
    evidence::pin_single_value_fields(&mut defs);
    evidence::fill_evidence(&mut defs);
    evidence::link_tag_fields(&mut defs);
    warnings.extend(std::mem::take(&mut types.untyped));
    let error_body = match lowered.error_bodies.len() {
        1 => lowered.error_bodies.into_iter().next(),
        _ => None::<TypeRef>,
    };
    let api = Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        base_url: doc.servers.first().and_then(server_url),
        relative_server: match doc.servers.first() {
            None => Some("/".to_owned()),
            Some(server) => server_url(server).is_none().then(|| with_defaults(server)),
        },
        server_variables: doc.servers.first().map(server_variables).unwrap_or_default(),
        // Read only when there are variables to fill.
        server_template: match doc.servers.first() {
            Some(server) if server.variables.iter().flatten().next().is_some() => server.url.clone(),
            _ => String::new(),
        },
        security_schemes,
        primary_scheme,
        types: defs,
        operations: lowered.operations,
        error_body,
        webhooks,
        webhook_payloads,
    };
    Lowering { api, warnings, schema_types }
}

/// A server's URL with its variables at their defaults; `None` for a relative URL, which only
/// the caller can resolve (the client then asks for a base URL).
pub(super) fn server_url(server: &openapiv3::Server) -> Option<String> {
    let url = with_defaults(server);
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    absolute.then(|| url.trim_end_matches('/').to_owned())
}

/// The variables of a server's URL, in the spec's order.
fn server_variables(server: &openapiv3::Server) -> Vec<crate::ir::ServerVariable> {
    let variables = server.variables.iter().flatten();
    variables
        .map(|(name, variable)| crate::ir::ServerVariable {
            name: name.clone(),
            default: variable.default.clone(),
            allowed: variable.enumeration.clone(),
        })
        .collect()
}

/// A server's URL with its variables at their defaults.
pub(super) fn with_defaults(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

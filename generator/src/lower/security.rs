//! Security: which of the spec's schemes the client can send, which one the key given to
//! `Client::builder` is for, and each operation's alternatives of schemes.

use crate::ir::{Auth, SecurityScheme};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement};

/// The schemes the client can send, in the spec's order, and the index of the primary one: the
/// first the document requires that the client can send, else the first it declares.
pub(super) fn schemes(doc: &OpenAPI) -> (Vec<SecurityScheme>, Option<usize>) {
    let declared = doc.components.iter().flat_map(|c| &c.security_schemes);
    let schemes: Vec<SecurityScheme> = declared
        .filter_map(|(name, scheme)| Some(SecurityScheme { name: name.clone(), auth: auth_of(scheme)? }))
        .collect();
    let index = |name: &String| schemes.iter().position(|s| &s.name == name);
    let required = doc.security.iter().flatten().flat_map(|alternative| alternative.keys());
    let primary = required.filter_map(index).next().or((!schemes.is_empty()).then_some(0));
    (schemes, primary)
}

/// Where a scheme's credential goes; `None` for one the client cannot send (HTTP digest, a
/// scheme of a type this reader does not know). Mutual TLS is dropped before parsing: its
/// credential is the client identity, not a request part.
fn auth_of(scheme: &ReferenceOr<openapiv3::SecurityScheme>) -> Option<Auth> {
    use openapiv3::SecurityScheme as S;
    match scheme {
        ReferenceOr::Item(S::APIKey { location, name, .. }) => Some(match location {
            APIKeyLocation::Header => Auth::ApiKeyHeader(name.clone()),
            APIKeyLocation::Query => Auth::ApiKeyQuery(name.clone()),
            APIKeyLocation::Cookie => Auth::ApiKeyCookie(name.clone()),
        }),
        ReferenceOr::Item(S::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("bearer") => Some(Auth::Bearer),
        ReferenceOr::Item(S::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic") => Some(Auth::Basic),
        ReferenceOr::Item(S::OAuth2 { .. } | S::OpenIDConnect { .. }) => Some(Auth::Bearer),
        _ => None,
    }
}

/// An operation's alternatives, from its own requirements or else the document's: each the
/// indices of the schemes it needs together, in the spec's order.
///
/// A name the client cannot send (mutual TLS, digest) needs nothing on the request, so it is
/// left out of its alternative. With no requirement anywhere, the primary scheme's credential is
/// sent when the caller has one, and nothing otherwise: what the spec does not forbid, the key
/// given to the client is for.
pub(super) fn alternatives(
    requirements: Option<&Vec<SecurityRequirement>>,
    schemes: &[SecurityScheme],
    primary: Option<usize>,
) -> Vec<Vec<usize>> {
    let Some(requirements) = requirements else {
        return primary.map(|p| vec![p]).into_iter().chain([Vec::new()]).collect();
    };
    let mut out: Vec<Vec<usize>> = Vec::new();
    for requirement in requirements {
        let alternative: Vec<usize> =
            requirement.keys().filter_map(|name| schemes.iter().position(|s| &s.name == name)).collect();
        if !out.contains(&alternative) {
            out.push(alternative);
        }
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{alternatives, schemes};

    fn doc(security: &str) -> openapiv3::OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{security}components:\n  securitySchemes:\n    \
             digest: {{type: http, scheme: digest}}\n    key: {{type: apiKey, in: query, name: api_key}}\n    \
             token: {{type: oauth2, flows: {{}}}}\n    login: {{type: http, scheme: basic}}\n"
        );
        serde_yaml::from_str(&text).expect("test document")
    }

    fn named(names: &[&str]) -> openapiv3::SecurityRequirement {
        names.iter().map(|n| ((*n).to_owned(), Vec::new())).collect()
    }

    #[test]
    fn primary_is_the_first_sendable_scheme_the_document_requires() {
        let (all, primary) = schemes(&doc("security: [{digest: []}, {login: []}]\n"));
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["key", "token", "login"], "digest cannot be sent");
        assert_eq!(primary, Some(2));
        assert_eq!(schemes(&doc("")).1, Some(0), "nothing required: the first declared");
    }

    #[test]
    fn alternatives_keep_or_and_and_in_the_spec_order() {
        let (all, primary) = schemes(&doc(""));
        let requirements = vec![named(&["token"]), named(&["key", "login"]), named(&[])];
        assert_eq!(alternatives(Some(&requirements), &all, primary), vec![vec![1], vec![0, 2], vec![]]);
        assert_eq!(alternatives(Some(&vec![]), &all, primary), vec![Vec::<usize>::new()], "security: []");
        assert_eq!(alternatives(None, &all, primary), vec![vec![0], vec![]], "no requirement anywhere");
        assert_eq!(alternatives(Some(&vec![named(&["digest"])]), &all, primary), vec![Vec::<usize>::new()]);
    }
}

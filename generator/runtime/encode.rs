//! Parameter styles: how a path, query, header or cookie value becomes text, following the
//! OpenAPI `style`, `explode` and `allowReserved` rules (RFC 6570 for paths and queries) and
//! `content` (JSON text).
#![allow(dead_code, reason = "a spec uses only some of the styles and places")]

use crate::Error;
use crate::call::{Call, Operation};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Write as _;

/// Everything but RFC 3986's unreserved characters is percent-encoded in a value.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// With `allowReserved`, RFC 3986's reserved characters go into the query as they are.
const VALUE_ALLOW_RESERVED: &AsciiSet = &VALUE
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// An OpenAPI parameter style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Query,
    Header,
    Cookie,
    /// The path segment at this index.
    Path(usize),
}

/// A parameter's value as the styles see it: text, a list, or an object with its keys in the
/// order they were written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Text(v))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Text(String::new()))
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Text(String::new()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Node>()? {
                    entries.push((key, value));
                }
                Ok(Node::Object(entries))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Node {
    /// The value's tree, keeping the field order its `Serialize` writes.
    pub(crate) fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
        let json = serde_json::to_vec(value).map_err(Error::Encode)?;
        serde_json::from_slice(&json).map_err(Error::Encode)
    }

    /// A scalar's text; a nested list or object (which no style defines) as its JSON text.
    fn text(&self) -> String {
        match self {
            Node::Text(text) => text.clone(),
            other => serde_json::to_string(&other.to_json()).unwrap_or_default(),
        }
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Text(text) => serde_json::Value::String(text.clone()),
            Node::List(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Object(entries) => {
                serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// How text is escaped in one place.
#[derive(Clone, Copy)]
enum Escape {
    /// Percent-encoded (queries and cookies), keeping reserved characters with `allowReserved`.
    Percent { allow_reserved: bool },
    /// As it is: the URL's path encoder or the header itself takes care of it.
    Raw,
}

impl Escape {
    fn apply(self, text: &str) -> String {
        match self {
            Escape::Percent { allow_reserved: false } => utf8_percent_encode(text, VALUE).to_string(),
            Escape::Percent { allow_reserved: true } => utf8_percent_encode(text, VALUE_ALLOW_RESERVED).to_string(),
            Escape::Raw => text.to_owned(),
        }
    }
}

/// The text of `value` in `style` for the parameter `name`, following the OpenAPI style table:
/// a whole query piece (`color=blue,black`, `R=100&G=200`), a path segment (`;color=blue`), or
/// a header value (`blue,black`). Values are escaped with `escape`; names and delimiters are not.
fn render(name: &str, style: Style, explode: bool, value: &Node, escape: Escape) -> String {
    let esc = |text: &str| escape.apply(text);
    let name_esc = esc(name);
    let items: Vec<String> = match value {
        Node::Text(text) => vec![esc(text)],
        Node::List(items) => items.iter().map(|i| esc(&i.text())).collect(),
        Node::Object(_) => Vec::new(),
    };
    match (style, value) {
        (Style::DeepObject, Node::Object(entries)) => {
            let mut pairs = Vec::new();
            deep_pairs(&name_esc, entries, escape, &mut pairs);
            pairs.join("&")
        }
        (_, Node::Object(entries)) => {
            let keyed: Vec<(String, String)> = entries.iter().map(|(k, v)| (esc(k), esc(&v.text()))).collect();
            let flat = || keyed.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect::<Vec<_>>();
            let pairs = |sep: &str| keyed.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(sep);
            match (style, explode) {
                (Style::Matrix, false) => format!(";{name_esc}={}", flat().join(",")),
                (Style::Matrix, true) => format!(";{}", pairs(";")),
                (Style::Label, false) => format!(".{}", flat().join(".")),
                (Style::Label, true) => format!(".{}", pairs(".")),
                (Style::Form, false) => format!("{name_esc}={}", flat().join(",")),
                (Style::Form, true) => pairs("&"),
                (Style::Simple, false) => flat().join(","),
                (Style::Simple, true) => pairs(","),
                (Style::SpaceDelimited, _) => format!("{name_esc}={}", flat().join("%20")),
                (Style::PipeDelimited, _) => format!("{name_esc}={}", flat().join("|")),
                (Style::DeepObject, _) => unreachable!("handled above"),
            }
        }
        (_, Node::Text(_)) if items[0].is_empty() => match style {
            Style::Matrix => format!(";{name_esc}"),
            Style::Label => ".".to_owned(),
            Style::Simple => String::new(),
            _ => format!("{name_esc}="),
        },
        (_, Node::List(_)) => match (style, explode) {
            (Style::Matrix, false) => format!(";{name_esc}={}", items.join(",")),
            (Style::Matrix, true) => items.iter().map(|i| format!(";{name_esc}={i}")).collect(),
            (Style::Label, _) => format!(".{}", items.join(".")),
            (Style::Form, false) => format!("{name_esc}={}", items.join(",")),
            (Style::Form | Style::DeepObject, true) if items.is_empty() => format!("{name_esc}="),
            (Style::Form | Style::DeepObject, true) => {
                items.iter().map(|i| format!("{name_esc}={i}")).collect::<Vec<_>>().join("&")
            }
            (Style::Simple, _) => items.join(","),
            (Style::SpaceDelimited, _) => format!("{name_esc}={}", items.join("%20")),
            (Style::PipeDelimited, _) => format!("{name_esc}={}", items.join("|")),
            (Style::DeepObject, false) => format!("{name_esc}={}", items.join(",")),
        },
        (_, Node::Text(_)) => match style {
            Style::Matrix => format!(";{name_esc}={}", items[0]),
            Style::Label => format!(".{}", items[0]),
            Style::Simple => items[0].clone(),
            _ => format!("{name_esc}={}", items[0]),
        },
    }
}

/// One field of a form body written in a style its `encoding` names, as a query parameter
/// would be (`name=a&name=b`, `name[key]=value`, …), its values percent-encoded.
pub(crate) fn form_field(name: &str, style: Style, explode: bool, value: &Node, allow_reserved: bool) -> String {
    render(name, style, explode, value, Escape::Percent { allow_reserved })
}

/// `name[key]=value` pairs of a deepObject, nesting brackets for nested objects and repeating
/// the key for list items.
fn deep_pairs(prefix: &str, entries: &[(String, Node)], escape: Escape, out: &mut Vec<String>) {
    for (key, value) in entries {
        let mut path = String::new();
        let _ = write!(path, "{prefix}[{}]", escape.apply(key));
        match value {
            Node::Object(inner) => deep_pairs(&path, inner, escape, out),
            Node::List(items) => out.extend(items.iter().map(|i| format!("{path}={}", escape.apply(&i.text())))),
            Node::Text(text) => out.push(format!("{path}={}", escape.apply(text))),
        }
    }
}

/// A `Cookie` header's pieces for a form-styled value: `name=value` pairs joined by `; `.
fn cookie_pairs(rendered: &str) -> String {
    rendered.split('&').collect::<Vec<_>>().join("; ")
}

impl<O: Operation> Call<'_, O> {
    /// Adds a parameter through its style.
    pub(crate) fn __styled<T: serde::Serialize + ?Sized>(
        self,
        place: Place,
        name: &'static str,
        style: Style,
        explode: bool,
        allow_reserved: bool,
        value: &T,
    ) -> Self {
        let node = match Node::of(value) {
            Ok(node) => node,
            Err(e) => return self.__invalid(e),
        };
        match place {
            Place::Query => {
                let piece = render(name, style, explode, &node, Escape::Percent { allow_reserved });
                if piece.is_empty() { self } else { self.__encoded_query(piece) }
            }
            Place::Header => self.header(name, render(name, Style::Simple, explode, &node, Escape::Raw)),
            Place::Cookie => {
                let rendered = render(name, Style::Form, explode, &node, Escape::Percent { allow_reserved: false });
                self.__encoded_cookie(cookie_pairs(&rendered))
            }
            Place::Path(index) => self.__path_segment(index, render(name, style, explode, &node, Escape::Raw)),
        }
    }

    /// Adds a parameter described by `content`: its JSON text.
    pub(crate) fn __json_param<T: serde::Serialize + ?Sized>(self, place: Place, name: &'static str, value: &T) -> Self {
        let text = match serde_json::to_string(value) {
            Ok(text) => text,
            Err(e) => return self.__invalid(Error::Encode(e)),
        };
        let escape = Escape::Percent { allow_reserved: false };
        match place {
            Place::Query => self.__encoded_query(format!("{}={}", escape.apply(name), escape.apply(&text))),
            Place::Header => self.header(name, text),
            Place::Cookie => self.__encoded_cookie(format!("{name}={}", escape.apply(&text))),
            Place::Path(index) => self.__path_segment(index, text),
        }
    }

    /// Adds a cookie whose value is plain text, percent-encoded.
    pub(crate) fn __cookie_param(self, name: &'static str, value: impl std::fmt::Display) -> Self {
        let value = value.to_string();
        self.__encoded_cookie(format!("{name}={}", utf8_percent_encode(&value, VALUE)))
    }
}

#[cfg(test)]
mod tests {
    use super::{Escape, Node, Style, render};

    /// The rows of the OpenAPI Specification 3.1.0's "Style Examples" table
    /// (<https://spec.openapis.org/oas/v3.1.0#style-examples>), for a parameter named `color`
    /// with the values `"blue"`, `["blue","black","brown"]` and `{"R":100,"G":200,"B":150}`;
    /// `None` where the table says n/a. Written out from the specification, not computed.
    /// style, explode, then the empty, string, array and object columns.
    type Row = (Style, bool, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

    const TABLE: &[Row] = &[
        (Style::Matrix, false, Some(";color"), Some(";color=blue"), Some(";color=blue,black,brown"), Some(";color=R,100,G,200,B,150")),
        (Style::Matrix, true, Some(";color"), Some(";color=blue"), Some(";color=blue;color=black;color=brown"), Some(";R=100;G=200;B=150")),
        (Style::Label, false, Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R.100.G.200.B.150")),
        (Style::Label, true, Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")),
        (Style::Form, false, Some("color="), Some("color=blue"), Some("color=blue,black,brown"), Some("color=R,100,G,200,B,150")),
        (Style::Form, true, Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")),
        (Style::Simple, false, None, Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")),
        (Style::Simple, true, None, Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")),
        (Style::SpaceDelimited, false, None, None, Some("blue%20black%20brown"), Some("R%20100%20G%20200%20B%20150")),
        (Style::PipeDelimited, false, None, None, Some("blue|black|brown"), Some("R|100|G|200|B|150")),
        (Style::DeepObject, true, None, None, None, Some("color[R]=100&color[G]=200&color[B]=150")),
    ];

    fn node(json: &str) -> Node {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn every_row_of_the_specification_style_table() {
        let values = [node(r#""""#), node(r#""blue""#), node(r#"["blue","black","brown"]"#), node(r#"{"R":100,"G":200,"B":150}"#)];
        for (style, explode, empty, string, array, object) in TABLE {
            for (value, expected) in values.iter().zip([empty, string, array, object]) {
                let Some(expected) = expected else { continue };
                // The 3.1.0 table gives only the value for the delimited styles; the query piece
                // is `color=` and that value, as 3.2.0's table writes it.
                let expected = match style {
                    Style::SpaceDelimited | Style::PipeDelimited => format!("color={expected}"),
                    _ => (*expected).to_owned(),
                };
                let escape = Escape::Percent { allow_reserved: false };
                assert_eq!(render("color", *style, *explode, value, escape), expected, "{style:?} explode={explode} {value:?}");
            }
        }
    }

    #[test]
    fn reserved_characters_are_escaped_unless_allowed() {
        let value = node(r#""a/b?c=d&e f""#);
        let strict = render("q", Style::Form, true, &value, Escape::Percent { allow_reserved: false });
        assert_eq!(strict, "q=a%2Fb%3Fc%3Dd%26e%20f");
        let allowed = render("q", Style::Form, true, &value, Escape::Percent { allow_reserved: true });
        assert_eq!(allowed, "q=a/b?c=d&e%20f");
    }
}

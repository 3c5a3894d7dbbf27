//! Value types the models use: a tri-state for fields that may be absent or `null`, strings in a
//! declared format kept exactly as sent, and the evidence that picks the member of a union that
//! has no tag to go by.

use std::fmt;

/// A field that may be absent, `null`, or a value, where absent and `null` mean different
/// things (in a PATCH, absent leaves the field alone and `null` clears it).
///
/// Absent is the default and is not written; `null` is written as `null`. The module docs show
/// it in use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not sent: the field is left out of the JSON object.
    #[default]
    Absent,
    /// Sent as JSON `null`.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (neither absent nor `null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent fields are skipped by `skip_serializing_if`; alone, absent reads as null.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only reached when the field is present: absent comes from `#[serde(default)]`.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// A type a string in a declared `format` can be read as.
pub trait Format: Sized {
    /// Reads the text, or `None` when it does not fit the format.
    fn parse_format(text: &str) -> Option<Self>;
    /// Writes the value in its format.
    fn write_format(&self) -> String;
}

impl Format for chrono::NaiveDate {
    fn parse_format(text: &str) -> Option<Self> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    fn write_format(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl Format for chrono::DateTime<chrono::FixedOffset> {
    fn parse_format(text: &str) -> Option<Self> {
        chrono::DateTime::parse_from_rfc3339(text).ok()
    }

    fn write_format(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// A string in a declared format (`date`, `date-time`): the text exactly as sent, and the typed
/// value where the text fits the format.
///
/// A value that does not fit (an API that sends `"1970-07-10"` where it declares a date-time)
/// never fails the object around it: it is kept, readable with [`as_str`](Self::as_str), and
/// written back unchanged. A value that fits is written back as it was received too, so a
/// round trip never changes an offset or a fraction of a second.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Formatted<T> {
    text: String,
    parsed: Option<T>,
}

impl<T: Format> Formatted<T> {
    /// Reads `text`, keeping it whether or not it fits the format.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let parsed = T::parse_format(&text);
        Formatted { text, parsed }
    }

    /// The typed value, or `None` when the text does not fit the format.
    pub fn get(&self) -> Option<&T> {
        self.parsed.as_ref()
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text fits the format.
    pub fn is_valid(&self) -> bool {
        self.parsed.is_some()
    }
}

impl<T: Format> From<T> for Formatted<T> {
    fn from(value: T) -> Self {
        Formatted { text: value.write_format(), parsed: Some(value) }
    }
}

impl<T> fmt::Debug for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<T> fmt::Display for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> serde::Serialize for Formatted<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, T: Format> serde::Deserialize<'de> for Formatted<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Formatted::parse)
    }
}

/// What a JSON value must show for one member of a union without a tag to be chosen. Generated
/// unions hold one per member, in the spec's order.
#[derive(Debug)]
pub struct Evidence {
    /// The JSON kinds the member accepts (`KIND_*` bits); `0` accepts any.
    pub kinds: u8,
    /// Properties the member requires.
    pub required: &'static [&'static str],
    /// Every property the member keeps; `None` when it keeps any.
    pub known: Option<&'static [&'static str]>,
    /// Properties whose value must be one of the listed values.
    pub property_values: &'static [(&'static str, &'static [Literal])],
    /// The values the member itself allows, when it is an enum.
    pub values: Option<&'static [Literal]>,
    /// For a member that is itself a union without a tag: its members' evidence, any of which
    /// will do (the fields above then say nothing).
    pub alternatives: &'static [Evidence],
}

/// A JSON value written in an [`Evidence`] table.
#[derive(Debug, Clone, Copy)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A string.
    Str(&'static str),
}

/// [`Evidence::kinds`] bit: `null`.
pub const KIND_NULL: u8 = 1;
/// [`Evidence::kinds`] bit: `true`/`false`.
pub const KIND_BOOLEAN: u8 = 1 << 1;
/// [`Evidence::kinds`] bit: a number without a fraction.
pub const KIND_INTEGER: u8 = 1 << 2;
/// [`Evidence::kinds`] bit: any number.
pub const KIND_NUMBER: u8 = 1 << 3;
/// [`Evidence::kinds`] bit: a string.
pub const KIND_STRING: u8 = 1 << 4;
/// [`Evidence::kinds`] bit: an array.
pub const KIND_ARRAY: u8 = 1 << 5;
/// [`Evidence::kinds`] bit: an object.
pub const KIND_OBJECT: u8 = 1 << 6;

impl Literal {
    fn matches(&self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, value) {
            (Literal::Null, Value::Null) => true,
            (Literal::Bool(b), Value::Bool(v)) => b == v,
            (Literal::Int(i), Value::Number(n)) => n.as_i64() == Some(*i) || n.as_f64() == Some(*i as f64),
            (Literal::Float(f), Value::Number(n)) => n.as_f64() == Some(*f),
            (Literal::Str(s), Value::String(v)) => s == v,
            _ => false,
        }
    }
}

impl Evidence {
    /// Whether `value` is of a kind the member accepts, carries its required properties, keeps
    /// every property in the member, and has allowed values where the member lists them.
    fn fits(&self, value: &serde_json::Value) -> bool {
        if !self.alternatives.is_empty() {
            return self.alternatives.iter().any(|a| a.fits(value));
        }
        if self.kinds != 0 && self.kinds & kind_of(value) == 0 {
            return false;
        }
        if let Some(values) = self.values
            && !values.iter().any(|l| l.matches(value))
        {
            return false;
        }
        let Some(object) = value.as_object() else { return true };
        self.required.iter().all(|name| object.contains_key(*name))
            && self.known.is_none_or(|known| object.keys().all(|k| known.contains(&k.as_str())))
            && self
                .property_values
                .iter()
                .all(|(name, allowed)| object.get(*name).is_none_or(|v| allowed.iter().any(|l| l.matches(v))))
    }

    /// How loosely the member fits: the properties it declares that the value leaves out. The
    /// member that fits tightest is tried first.
    fn slack(&self, value: &serde_json::Value) -> usize {
        if !self.alternatives.is_empty() {
            let fitting = self.alternatives.iter().filter(|a| a.fits(value));
            return fitting.map(|a| a.slack(value)).min().unwrap_or(usize::MAX / 2);
        }
        match (self.known, value.as_object()) {
            (Some(known), Some(object)) => known.iter().filter(|k| !object.contains_key(**k)).count(),
            (None, _) => usize::MAX / 2,
            _ => 0,
        }
    }
}

/// The members `value` may be decoded as, best first: those that fit (kind, required
/// properties, listed values, and no property dropped), the tightest fit first, ties in the
/// spec's order. The caller decodes with each in turn and keeps the value whole when none
/// succeeds.
pub fn candidates(value: &serde_json::Value, members: &[Evidence]) -> Vec<usize> {
    let mut fitting: Vec<(usize, usize)> =
        members.iter().enumerate().filter(|(_, m)| m.fits(value)).map(|(i, m)| (m.slack(value), i)).collect();
    fitting.sort_unstable();
    fitting.into_iter().map(|(_, i)| i).collect()
}

fn kind_of(value: &serde_json::Value) -> u8 {
    use serde_json::Value;
    match value {
        Value::Null => KIND_NULL,
        Value::Bool(_) => KIND_BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => KIND_INTEGER | KIND_NUMBER,
        // 1.0 is an integer to JSON Schema.
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => KIND_INTEGER | KIND_NUMBER,
        Value::Number(_) => KIND_NUMBER,
        Value::String(_) => KIND_STRING,
        Value::Array(_) => KIND_ARRAY,
        Value::Object(_) => KIND_OBJECT,
    }
}

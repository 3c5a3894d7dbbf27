//! Located problems found in a spec, collected so that one run reports all of them.

use std::fmt;

/// One problem in the input, located by a JSON pointer into the document and, when the
/// document text allows it, by line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file the problem is in, when it is not the spec itself but a file it refers to
    /// (named relative to the spec's folder).
    pub file: Option<String>,
    /// JSON pointer into the document, such as `#/components/schemas/Amount/properties/value`.
    pub pointer: String,
    /// 1-based line and column of the node the pointer names, when it could be found.
    pub location: Option<(usize, usize)>,
    /// What is wrong, as a sentence without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `pointer`; the location is filled in later from the document text.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { file: None, pointer: pointer.into(), location: None, message: message.into() }
    }

    /// The same problem, found in the file `file` that the spec refers to.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_owned());
        self
    }
}

/// Every problem found in one run, in a stable order, with the file they are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The spec's path as the caller named it (for example `spec/plexy.yaml`).
    pub file: String,
    /// The problems, sorted by pointer then message so that output never depends on discovery order.
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.items.len();
        writeln!(f, "{}: {} problem{} found", self.file, count, if count == 1 { "" } else { "s" })?;
        for d in &self.items {
            let file = d.file.as_ref().map_or_else(|| self.file.clone(), |other| sibling(&self.file, other));
            match d.location {
                Some((line, column)) => writeln!(f, "error: {file}:{line}:{column}: {}: {}", d.pointer, d.message)?,
                None => writeln!(f, "error: {file}: {}: {}", d.pointer, d.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The path of `other` (relative to the folder of `spec`) as the caller would write it.
fn sibling(spec: &str, other: &str) -> String {
    match spec.rfind('/') {
        Some(i) => format!("{}/{other}", &spec[..i]),
        None => other.to_owned(),
    }
}

/// Collects problems while a stage keeps going, so that later problems are reported too.
#[derive(Debug, Default)]
pub struct ErrorStore {
    items: Vec<Diagnostic>,
}

impl ErrorStore {
    /// Records a problem at `pointer`.
    pub fn push(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic::new(pointer, message));
    }

    /// True when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The recorded problems, sorted and without exact duplicates.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("#/paths", "/sessions/{id}"), "#/paths/~1sessions~1{id}");
        assert_eq!(child("#/x", "a~b"), "#/x/a~0b");
    }

    #[test]
    fn display_names_file_pointer_and_location() {
        let diags = Diagnostics {
            file: "spec/x.yaml".into(),
            items: vec![
                Diagnostic { file: None, pointer: "#/a".into(), location: Some((3, 5)), message: "bad".into() },
                Diagnostic::new("#/b", "worse"),
                Diagnostic::new("#/c", "elsewhere").in_file("common.yaml"),
            ],
        };
        assert_eq!(
            diags.to_string(),
            "spec/x.yaml: 3 problems found\nerror: spec/x.yaml:3:5: #/a: bad\nerror: spec/x.yaml: #/b: worse\nerror: spec/common.yaml: #/c: elsewhere\n"
        );
    }
}

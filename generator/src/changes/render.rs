//! The report as text for a terminal, markdown for a pull-request comment (verdict first,
//! breaking changes in a table, then the rest), and JSON for tools.

use super::{Change, Report, Semver};
use std::fmt::Write;

/// One line for the verdict.
fn verdict(report: &Report) -> String {
    match (report.changes.is_empty(), report.breaking) {
        (true, _) => "no change to the generated crate's API or behaviour (semver: none)".to_owned(),
        (false, true) => format!("BREAKING: release as a {} version", report.semver),
        (false, false) if report.semver == Semver::None => {
            "not breaking, and nothing in the generated crate changes (semver: none)".to_owned()
        }
        (false, false) => format!("not breaking: release as a {} version", report.semver),
    }
}

impl Report {
    /// For a terminal: the verdict, then one block per change.
    pub fn to_text(&self) -> String {
        text(self)
    }

    /// For a pull-request comment: the verdict, breaking changes in a table, behaviour notes,
    /// then the rest.
    pub fn to_markdown(&self) -> String {
        markdown(self)
    }

    /// One JSON object: `breaking`, `semver` and `changes`, each change with `pointer`, `rust`,
    /// `kind`, `breaking`, `semver`, `summary`, `reason` and `note`.
    pub fn to_json(&self) -> String {
        json(self)
    }
}

fn text(report: &Report) -> String {
    let mut out = format!("{}\n", verdict(report));
    for c in &report.changes {
        let mark = if c.breaking { "breaking" } else { c.semver.as_str() };
        let _ = writeln!(out, "\n[{mark}] {}", c.summary);
        let _ = writeln!(out, "  spec: {}", c.pointer);
        if let Some(rust) = &c.rust {
            let _ = writeln!(out, "  rust: {rust}");
        }
        if let Some(reason) = &c.reason {
            let _ = writeln!(out, "  why:  {reason}");
        }
        if let Some(note) = note(c) {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    out
}

fn markdown(report: &Report) -> String {
    let mut out = String::from("### What this spec change means for users of the crate\n\n");
    let _ = writeln!(out, "**{}**\n", verdict(report));
    let (breaking, rest): (Vec<&Change>, Vec<&Change>) = report.changes.iter().partition(|c| c.breaking);
    if !breaking.is_empty() {
        out.push_str("#### Breaking changes\n\n| Rust item | Change | Why it breaks | Spec |\n|---|---|---|---|\n");
        for c in &breaking {
            let why = [c.reason.as_deref(), note(c)].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                c.rust.as_deref().map_or_else(|| "—".to_owned(), |r| format!("`{}`", cell(r))),
                cell(&c.summary),
                cell(&why),
                cell(&c.pointer)
            );
        }
        out.push('\n');
    }
    let notes: Vec<&&Change> = rest.iter().filter(|c| c.note.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("#### Behaviour notes\n\n");
        for c in &notes {
            // The note says what behaves differently; the summary says which change does it.
            let note = c.note.as_deref().unwrap_or_default();
            let _ = writeln!(out, "- **{}** {}: {note} ({})", c.semver, c.summary, code(c));
        }
        out.push('\n');
    }
    let plain: Vec<&&Change> = rest.iter().filter(|c| c.note.is_none()).collect();
    if !plain.is_empty() {
        out.push_str("#### Other changes\n\n");
        for c in &plain {
            let _ = writeln!(out, "- **{}** {} ({})", c.semver, c.summary, code(c));
        }
        out.push('\n');
    }
    out
}

/// The note of a change unless it only repeats why the change breaks.
fn note(c: &Change) -> Option<&str> {
    c.note.as_deref().filter(|note| c.reason.as_deref() != Some(*note))
}

/// The pointer (and Rust item) of a change as inline code.
fn code(c: &Change) -> String {
    match &c.rust {
        Some(rust) => format!("`{rust}`, `{}`", c.pointer),
        None => format!("`{}`", c.pointer),
    }
}

/// Text safe inside a markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn json(report: &Report) -> String {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "pointer": c.pointer,
                "rust": c.rust,
                "kind": c.kind,
                "breaking": c.breaking,
                "semver": c.semver.as_str(),
                "summary": c.summary,
                "reason": c.reason,
                "note": c.note,
            })
        })
        .collect();
    let report = serde_json::json!({"breaking": report.breaking, "semver": report.semver.as_str(), "changes": changes});
    format!("{report:#}\n")
}

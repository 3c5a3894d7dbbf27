//! Project commands shared by the xtask binary and the test suite: what the generator makes,
//! and the one routine that syncs it to disk or checks that the disk already matches.

pub mod changes;
pub mod codegen;
pub mod corpus;
pub mod sync;

use std::path::Path;

/// Checks every target against the disk. `Ok` when all is fresh; otherwise the diff and the
/// command that fixes it.
pub fn check(root: &Path) -> Result<(), String> {
    let targets = codegen::targets(root)?;
    match stale_report(&plan_all(&targets)?, root) {
        None => Ok(()),
        Some(report) => Err(report),
    }
}

/// Compares every target with the disk, changing nothing.
pub fn plan_all(targets: &[codegen::Target]) -> Result<Vec<sync::Plan>, String> {
    targets.iter().map(|t| sync::plan(&t.dir, &t.files).map_err(|e| format!("{}: {e}", t.dir.display()))).collect()
}

/// The diff of every stale, missing or extra file and the command that fixes them, or `None`
/// when everything is fresh.
pub fn stale_report(plans: &[sync::Plan], root: &Path) -> Option<String> {
    let diff: String = plans.iter().map(|p| sync::render(&p.changes, root)).collect();
    (!diff.is_empty()).then(|| {
        format!("{diff}\nThe generated files are out of date. Run `cargo xtask codegen` and commit the result.\n")
    })
}

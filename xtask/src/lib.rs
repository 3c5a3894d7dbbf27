//! Project commands shared by the xtask binary and the test suite: what the generator makes,
//! and the one routine that syncs it to disk or checks that the disk already matches.

pub mod codegen;
pub mod sync;

use std::path::Path;

/// Checks every target against the disk. `Ok` when all is fresh; otherwise the diff and the
/// command that fixes it.
pub fn check(root: &Path) -> Result<(), String> {
    let targets = codegen::targets(root)?;
    let mut diff = String::new();
    for target in &targets {
        let plan = sync::plan(&target.dir, &target.files).map_err(|e| e.to_string())?;
        diff.push_str(&sync::render(&plan.changes, root));
    }
    if diff.is_empty() {
        Ok(())
    } else {
        Err(format!("{diff}\nThe generated files are out of date. Run `cargo xtask codegen` and commit the result.\n"))
    }
}

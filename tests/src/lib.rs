//! Cross-crate tests live in `tests/`; this library compiles the expected output of every
//! construct fixture (tests/fixtures/expected), so a fixture golden that does not compile fails
//! the build, and the fixture tests can use its types.
//!
//! The expected files are generator output: `#[rustfmt::skip]` keeps `cargo fmt` off them.
//!
//! The repository README is this crate's documentation too, so its examples are compiled as
//! doctests.
#![doc = include_str!("../../README.md")]

/// The generated crates' `values` module (tri-state nullable, formatted strings, union
/// evidence), which fixture models name as `crate::values`.
#[path = "../../generator/runtime/values.rs"]
pub mod values;

pub mod examples;

#[path = "../fixtures/expected/collisions.rs"]
#[rustfmt::skip]
pub mod collisions;
#[path = "../fixtures/expected/dates.rs"]
#[rustfmt::skip]
pub mod dates;
#[path = "../fixtures/expected/evidence.rs"]
#[rustfmt::skip]
pub mod evidence;
#[path = "../fixtures/expected/keywords.rs"]
#[rustfmt::skip]
pub mod keywords;
#[path = "../fixtures/expected/maps.rs"]
#[rustfmt::skip]
pub mod maps;
#[path = "../fixtures/expected/nullable.rs"]
#[rustfmt::skip]
pub mod nullable;
#[path = "../fixtures/expected/open_enum.rs"]
#[rustfmt::skip]
pub mod open_enum;
#[path = "../fixtures/expected/prose.rs"]
#[rustfmt::skip]
pub mod prose;
#[path = "../fixtures/expected/recursive.rs"]
#[rustfmt::skip]
pub mod recursive;
#[path = "../fixtures/expected/refs.rs"]
#[rustfmt::skip]
pub mod refs;
#[path = "../fixtures/expected/schema_31.rs"]
#[rustfmt::skip]
pub mod schema_31;
#[path = "../fixtures/expected/std_names.rs"]
#[rustfmt::skip]
pub mod std_names;
#[path = "../fixtures/expected/union.rs"]
#[rustfmt::skip]
pub mod union;

//! The integration tests, in one binary so the suite links the crate once
//! (`cargo test --test it`; one area: `cargo test --test it build::`).
//! One module per area; each keeps its own helpers private. Shared helpers live in
//! `common`; fixtures in tests/fixtures, golden files in tests/golden, and the node
//! scripts of the browser tests in tests/browser.

mod architecture;
mod asset_refs;
mod browser;
mod build;
mod chart_layout;
mod charts;
mod check;
mod checkin;
mod common;
mod compress;
mod csp;
mod diagnostics;
mod exports;
mod hostile;
mod labels;
mod large_org;
mod messages;
mod metric_csv;
mod metrics;
mod no_panic;
mod numbers;
mod practice;
mod publish;
mod review;
mod safety;
mod sample;
mod scaffold;
mod search_files;
mod serve;
mod site;
mod tag_archive;
mod trees;
mod words;

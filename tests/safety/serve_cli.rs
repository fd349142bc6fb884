//! Issue 15 regression tests: serve_cli.

#[allow(unused_imports)]
use super::*;

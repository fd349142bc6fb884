//! Issue 15 regression tests: output_rules.

#[allow(unused_imports)]
use super::*;

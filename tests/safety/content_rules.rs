//! Issue 15 regression tests: content_rules.

#[allow(unused_imports)]
use super::*;

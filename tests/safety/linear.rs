//! Issue 15 regression tests: linear.

#[allow(unused_imports)]
use super::*;

//! One page to render, as every page builder returns it.

use serde::Serialize;
use tera::Context;

/// One page to render: where, with which template, and its own data.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    pub nav: &'static str,
    pub data: Context,
}

/// A page's data as the template's context.
pub fn ctx<T: Serialize>(data: &T) -> Context {
    Context::from_serialize(data).unwrap_or_default()
}

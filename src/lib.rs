//! okrsite: a static site generator for OKR reports.
//!
//! The pipeline flows one way, a module per stage:
//! load (`content::load`) → validate + resolve (`content::resolve` → [`model::Site`])
//! → score ([`score`]) → render ([`render`]) → write ([`output`]).
//! Domain types ([`domain`]: quarters and their arithmetic, what a metric is, the
//! traffic light) and diagnostics ([`diag`]) sit below every stage and import none.

pub mod base_url;
pub mod build;
pub mod config;
pub mod content;
pub mod diag;
pub mod domain;
pub mod files;
pub mod ignore;
pub mod insight;
pub mod messages;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod score;
pub mod serve;
pub mod terms;
pub mod text;
pub mod timings;
pub mod today;

//! The cost of a `serve`-style rebuild: builds a site once with a [`Session`], then
//! rebuilds it unchanged RUNS times with the same session, as `serve` does after a
//! save, and prints each rebuild's wall time. `OKRSITE_TIMINGS=1` adds the stages.
//!
//!   cargo run --release --example rebuild -- SITE [RUNS] [OUTPUT]

use std::sync::Arc;
use std::time::Instant;

use okrsite::build::{self, BuildOptions, Session};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: rebuild SITE [RUNS] [OUTPUT]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let today = okrsite::today::today().unwrap_or_else(|e| panic!("{e}"));
    let session = Arc::new(Session::default());
    let opts = BuildOptions {
        root: root.into(),
        target: build::Target::Output {
            dir: args.get(2).map(Into::into),
            force: true,
        },
        base_url: None,
        drafts: false,
        today,
        compress: false,
        progress: None,
        session: Some(session),
    };
    for run in 0..=runs {
        let start = Instant::now();
        let built = build::build(&opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(built.checked.error_count(), 0, "the site has errors");
        let label = if run == 0 {
            "first build".to_string()
        } else {
            format!("rebuild {run}")
        };
        println!("{label:<12} {:>8.1} ms", start.elapsed().as_secs_f64() * 1e3);
    }
}

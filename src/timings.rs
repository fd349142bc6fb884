//! Stage timings on stderr when `OKRSITE_TIMINGS` is set: the profile in
//! BENCHMARKS.md is read from these. Off by default, and costs one env lookup.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("OKRSITE_TIMINGS").is_some())
}

/// Prints the time since the previous lap, labelled.
pub struct Timer {
    last: std::cell::Cell<Instant>,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            last: std::cell::Cell::new(Instant::now()),
        }
    }

    pub fn lap(&self, label: &str) {
        if enabled() {
            let now = Instant::now();
            eprintln!(
                "timing: {label:<20} {:>8.1} ms{}",
                (now - self.last.get()).as_secs_f64() * 1e3,
                resident_mb()
                    .map(|mb| format!("  ({mb} MB resident)"))
                    .unwrap_or_default()
            );
            self.last.set(now);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}

/// The process's resident memory now, in MB, where the system says (Linux's
/// `/proc/self/statm`, in pages of 4 KiB): the peak is what `bench/run.sh` measures,
/// and this says which stage makes it.
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

static TOTALS: std::sync::Mutex<Vec<(&'static str, f64)>> = std::sync::Mutex::new(Vec::new());

/// Runs `f`, adding its time to the total for `label` (summed over threads).
pub fn measure<T>(label: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let took = start.elapsed().as_secs_f64();
    if let Ok(mut totals) = TOTALS.lock() {
        match totals.iter_mut().find(|(l, _)| *l == label) {
            Some((_, t)) => *t += took,
            None => totals.push((label, took)),
        }
    }
    out
}

/// Prints and clears the totals gathered by [`measure`].
pub fn report() {
    if enabled()
        && let Ok(mut totals) = TOTALS.lock()
    {
        for (label, t) in totals.drain(..) {
            eprintln!("timing: {label:<20} {:>8.1} ms (thread time)", t * 1e3);
        }
    }
}

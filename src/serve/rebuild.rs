//! Rebuilding while serving. Each full rebuild writes a new generation of the
//! site into a folder of its own (unchanged files hard-linked from the one
//! served), then the server switches to it in one step: no request ever sees a
//! missing or half-written file. An edited retrospective is first shown on its
//! own (its review page re-rendered in place), then the full rebuild follows.
//!
//! One build runs at a time (`lock`); a newer change cancels the one running; a
//! rebuild that failed for want of resources (file descriptors, disk) is tried
//! again, so an edit is never lost to a passing shortage.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use super::served::{Change, Generation, Served};
use crate::base_url::BaseUrl;
use crate::build::{self, BuildError, BuildOptions, Target};
use crate::diag;
use crate::msg;

pub struct Builder {
    pub served: Arc<Served>,
    pub session: Arc<build::Session>,
    /// Where the generations are written.
    pub workdir: PathBuf,
    pub root: PathBuf,
    pub url: BaseUrl,
    pub drafts: bool,
    pub today: fn() -> Date,
    /// Held while a build or a quick update writes.
    lock: Mutex<()>,
    /// Set when the server stops: no build starts after it.
    closed: AtomicBool,
    next_generation: AtomicU64,
}

/// How a full rebuild ended.
#[derive(Debug, PartialEq)]
pub enum Rebuilt {
    /// Built, or stopped at a content error (shown over the pages).
    Done,
    /// A newer change came in, or the server is stopping.
    Cancelled,
    /// The file system failed (too many open files, a full disk): try again.
    Failed,
}

/// After a quick update, the full rebuild waits this long for the open tab to
/// reload first.
const AFTER_QUICK_UPDATE: Duration = Duration::from_millis(400);

/// The first retry of a failed rebuild; each next one waits twice as long, up to
/// [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_secs(1);
const MAX_RETRY: Duration = Duration::from_secs(30);

impl Builder {
    pub fn new(
        served: Arc<Served>,
        session: Arc<build::Session>,
        workdir: PathBuf,
        root: PathBuf,
        url: BaseUrl,
        drafts: bool,
        today: fn() -> Date,
    ) -> Builder {
        Builder {
            served,
            session,
            workdir,
            root,
            url,
            drafts,
            today,
            lock: Mutex::new(()),
            closed: AtomicBool::new(false),
            next_generation: AtomicU64::new(1),
        }
    }

    /// Builds the whole site into a new generation and serves it; on a content
    /// error, keeps the last good generation and shows the diagnostics over it.
    pub fn full(&self) -> Rebuilt {
        let Ok(_writing) = self.lock.lock() else {
            return Rebuilt::Failed;
        };
        if self.closed.load(Ordering::SeqCst) {
            return Rebuilt::Cancelled;
        }
        let started = Instant::now();
        let lang = build::cli_lang(&self.root);
        let current = self.served.current();
        let dir = self.workdir.join(format!(
            "generation-{}",
            self.next_generation.fetch_add(1, Ordering::Relaxed)
        ));
        let previous = current.site.as_ref().map(|g| g.dir.clone());
        let (overlay, outcome) = match build::build(&self.options(dir.clone(), previous.clone())) {
            Err(BuildError::Cancelled) => {
                eprintln!("{}", msg!("serve.superseded").render(lang));
                return Rebuilt::Cancelled;
            }
            Ok(built) if built.output.is_some() => {
                let done = msg!(
                    "serve.rebuilt",
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64()),
                    files = built.files,
                    changed = built.changed.len()
                );
                eprintln!("{}", done.render(lang));
                // After an error page or at the start every tab reloads; otherwise only
                // the tabs whose files changed.
                let change = match &previous {
                    Some(previous) if current.overlay.is_none() => Change::between(&built.changed, previous, &dir),
                    _ => Change::everything(),
                };
                self.served.publish(Some(Arc::new(Generation { dir })), None, change);
                self.served.remove_unused();
                return Rebuilt::Done;
            }
            Ok(built) => {
                let text = diag::render(&built.checked.diagnostics, &built.checked.sources, false, lang);
                eprint!("{text}");
                (text, Rebuilt::Done)
            }
            Err(e) if e.is_io_failure() => {
                let text = msg!("serve.retrying", error = e.message()).render(lang);
                eprintln!(
                    "{}",
                    msg!("cli.error", text = diag::escape_controls(&text)).render(lang)
                );
                (text, Rebuilt::Failed)
            }
            Err(e) => {
                let text = e.message().render(lang);
                eprintln!(
                    "{}",
                    msg!("cli.error", text = diag::escape_controls(&text)).render(lang)
                );
                (text, Rebuilt::Done)
            }
        };
        let change = if current.overlay.as_deref() == Some(overlay.as_str()) {
            Change::default()
        } else {
            Change::everything()
        };
        self.served.publish(None, Some(overlay.into()), change);
        outcome
    }

    /// A build of the whole site into the generation folder `dir`, hard-linking
    /// unchanged files from `previous`.
    fn options(&self, dir: PathBuf, previous: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            target: Target::Generation { dir, previous },
            base_url: Some(self.url.clone()),
            drafts: self.drafts,
            today: (self.today)(),
            // Served pages are not read from .gz / .br copies: making them would only slow edits.
            compress: false,
            progress: None,
            session: Some(self.session.clone()),
        }
    }

    /// Shows edited retrospectives at once (see [`build::rerender_retrospectives`]).
    /// Returns whether it did; every change is followed by a full rebuild anyway.
    pub fn quick(&self, changed: &[PathBuf]) -> bool {
        let started = Instant::now();
        let current = self.served.current();
        if current.overlay.is_some() || current.site.is_none() || changed.is_empty() {
            return false;
        }
        let Ok(_writing) = self.lock.lock() else {
            return false;
        };
        if self.closed.load(Ordering::SeqCst) {
            return false;
        }
        let Some(pages) = build::rerender_retrospectives(&self.session, &self.root, changed) else {
            return false;
        };
        let updated = msg!(
            "serve.updated",
            n = pages.len(),
            ms = format!("{:.0}", started.elapsed().as_secs_f64() * 1e3)
        );
        eprintln!("{}", updated.render(build::cli_lang(&self.root)));
        self.served.publish(None, None, Change::from_files(&pages));
        true
    }

    /// Stops building: the build in progress is cancelled and waited for (at
    /// most `limit`), and none starts after. Returns whether it stopped in time.
    pub fn close(&self, limit: Duration) -> bool {
        self.closed.store(true, Ordering::SeqCst);
        self.session.cancel.store(true, Ordering::SeqCst);
        let started = Instant::now();
        loop {
            match self.lock.try_lock() {
                Ok(_) | Err(std::sync::TryLockError::Poisoned(_)) => return true,
                Err(std::sync::TryLockError::WouldBlock) if started.elapsed() < limit => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(std::sync::TryLockError::WouldBlock) => return false,
            }
        }
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Runs full rebuilds as `requests` ask for them, on the calling thread,
    /// until the server stops. A request says whether a quick update already
    /// showed the change; a burst of requests makes one rebuild.
    pub fn run(&self, requests: mpsc::Receiver<bool>) {
        let mut retry: Option<Duration> = None;
        loop {
            let shown = match retry {
                Some(wait) => match requests.recv_timeout(wait) {
                    Ok(shown) => shown,
                    Err(mpsc::RecvTimeoutError::Timeout) => false,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                },
                None => match requests.recv() {
                    Ok(shown) => shown,
                    Err(_) => return,
                },
            };
            if !wait_for_quiet(&requests, shown) || self.is_closed() {
                return;
            }
            self.session.cancel.store(false, Ordering::SeqCst);
            retry = match self.full() {
                Rebuilt::Failed => Some(retry.map_or(FIRST_RETRY, |r| (r * 2).min(MAX_RETRY))),
                Rebuilt::Done | Rebuilt::Cancelled => None,
            };
        }
    }
}

/// Takes the requests already queued; after a quick update, also gives the tab
/// [`AFTER_QUICK_UPDATE`] to reload before the rebuild takes the CPU. Returns
/// false once the sender is gone.
fn wait_for_quiet(requests: &mpsc::Receiver<bool>, mut shown: bool) -> bool {
    loop {
        while let Ok(more) = requests.try_recv() {
            shown &= more;
        }
        if !shown {
            return true;
        }
        match requests.recv_timeout(AFTER_QUICK_UPDATE) {
            Ok(more) => shown &= more,
            Err(mpsc::RecvTimeoutError::Timeout) => return true,
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
}

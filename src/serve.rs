//! `okrsite serve`: build, serve over HTTP, watch the sources, rebuild on change
//! and reload open tabs. Made to be left open all day:
//!
//! - no edit is lost: folders replaced while serving are watched again
//!   ([`watch`]), files are compared by content, a rebuild that failed for want
//!   of resources is retried ([`rebuild`]);
//! - every request reads one complete generation of the site ([`served`]);
//! - one live-reload connection per browser, whatever the number of tabs
//!   ([`reload`]); connections are capped and time out ([`http`]);
//! - only requests for its own host are answered ([`host`]);
//! - SIGINT, SIGTERM and SIGHUP stop it within a second and remove its private
//!   temporary folder ([`workdir`]). A content error never stops the server:
//!   every page shows the diagnostics as an overlay until the file is fixed; before
//!   any build has succeeded, every URL answers with a page of the diagnostics
//!   ([`http`]), which reloads into the site once the content is fixed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use jiff::civil::Date;

use crate::base_url::{BaseUrl, BaseUrlError};
use crate::build;
use crate::messages::Message;
use crate::msg;

mod host;
mod http;
mod rebuild;
mod reload;
mod served;
mod watch;
mod workdir;

use host::HostPolicy;
use rebuild::Builder;
use served::Served;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    /// Only its path is used: the site is served under it.
    pub base_url: Option<BaseUrl>,
    /// Host names answered besides localhost and IP addresses.
    pub allowed_hosts: Vec<String>,
    pub drafts: bool,
    pub open: bool,
    pub today: fn() -> Date,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the site at {}: {source}", path.display())]
    Root { path: PathBuf, source: std::io::Error },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    WorkDir(#[from] workdir::WorkDirError),
    #[error("cannot handle signals: {0}")]
    Signals(std::io::Error),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("cannot serve at {addr}: {source}")]
    Url { addr: String, source: BaseUrlError },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
}

impl ServeError {
    /// The error in the command line's words (the system's own words as they are).
    pub fn message(&self) -> Message {
        match self {
            ServeError::Root { path, source } => msg!(
                "serve.error.root",
                path = path.display().to_string(),
                error = source.to_string()
            ),
            ServeError::Runtime(e) => msg!("serve.error.runtime", error = e.to_string()),
            ServeError::Signals(e) => msg!("serve.error.signals", error = e.to_string()),
            ServeError::Listen { addr, source } => {
                msg!("serve.error.listen", addr = addr.as_str(), error = source.to_string())
            }
            ServeError::Url { addr, source } => {
                msg!("serve.error.url", addr = addr.as_str(), error = source.to_string())
            }
            ServeError::WorkDir(e) => e.message(),
            ServeError::Watch(e) => e.message(),
        }
    }
}

/// How long a rebuild in progress gets to stop when the server stops. Not
/// longer: the work folder is renamed before it is removed, so a build that
/// is still running then fails its next write instead of leaving files behind.
const BUILD_STOP_LIMIT: Duration = Duration::from_millis(200);

/// How long serve spends removing its work folder when it stops; a detached
/// process removes the rest (see [`workdir::WorkDir::remove`]).
const REMOVAL_BUDGET: Duration = Duration::from_millis(400);

/// Builds once, then serves until interrupted.
pub fn serve(mut opts: ServeOptions) -> Result<(), ServeError> {
    // Watch events carry absolute paths; compare them with an absolute root.
    opts.root = opts.root.canonicalize().map_err(|source| ServeError::Root {
        path: opts.root.clone(),
        source,
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let workdir = workdir::WorkDir::create()?;
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    let base_url = opts.base_url.take().unwrap_or_default();
    let lang = build::cli_lang(&opts.root);
    let served = Arc::new(Served::new(base_url.path().to_string(), lang, stopping));
    let session = Arc::new(build::Session::default());
    let mut builder = None;
    let result = runtime.block_on(run(
        &opts,
        &base_url,
        &served,
        &session,
        workdir.path().to_path_buf(),
        &mut builder,
        stopping_tx,
    ));
    // A second signal from now on stops the process at once (the next start
    // removes what is left).
    restore_default_signals();
    runtime.shutdown_timeout(Duration::from_millis(100));
    session.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    if let Some(builder) = builder {
        builder.close(BUILD_STOP_LIMIT);
    }
    workdir.remove(REMOVAL_BUDGET);
    result
}

/// Everything between the start and the stop signal.
async fn run(
    opts: &ServeOptions,
    base_url: &BaseUrl,
    served: &Arc<Served>,
    session: &Arc<build::Session>,
    workdir: PathBuf,
    builder_out: &mut Option<Arc<Builder>>,
    stopping: tokio::sync::watch::Sender<bool>,
) -> Result<(), ServeError> {
    // Before the first build, so a signal during it still removes the folder.
    let stop = stop_signal().map_err(ServeError::Signals)?;
    tokio::pin!(stop);
    let (listener, addr) = listen(opts).await?;
    let url = public_url(base_url, addr)?;
    let builder = Arc::new(Builder::new(
        served.clone(),
        session.clone(),
        workdir,
        opts.root.clone(),
        url.clone(),
        opts.drafts,
        opts.today,
    ));
    *builder_out = Some(builder.clone());
    let (built_tx, built_rx) = tokio::sync::oneshot::channel();
    let first = builder.clone();
    std::thread::spawn(move || {
        first.full();
        let _ = built_tx.send(());
    });
    tokio::select! {
        _ = &mut stop => return Ok(()),
        _ = built_rx => {}
    }
    let _watch = start_rebuilding(&builder)?;
    let lang = served.lang;
    if !addr.ip().is_loopback() {
        let warning = if opts.drafts {
            msg!("serve.open_to_all_drafts", addr = addr.to_string())
        } else {
            msg!("serve.open_to_all", addr = addr.to_string())
        };
        eprintln!("{}", warning.render(lang));
    }
    eprintln!("{}", msg!("serve.serving", url = url.as_str()).render(lang));
    if opts.open {
        open_in_browser(&url);
    }
    let policy = HostPolicy::new(opts.allowed_hosts.iter().cloned(), lang);
    let app = router(served.clone(), Arc::new(policy));
    let stop = async move {
        stop.await;
        let _ = stopping.send(true);
    };
    http::accept_loop(listener, app, http::connection_cap(), stop).await;
    Ok(())
}

async fn listen(opts: &ServeOptions) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
    let listen = format!("{}:{}", opts.bind, opts.port);
    let listener = tokio::net::TcpListener::bind((opts.bind.as_str(), opts.port))
        .await
        .map_err(|source| ServeError::Listen {
            addr: listen.clone(),
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { addr: listen, source })?;
    Ok((listener, addr))
}

fn open_in_browser(url: &BaseUrl) {
    let _ = std::process::Command::new(if cfg!(target_os = "macos") { "open" } else { "xdg-open" })
        .arg(url.as_str())
        .spawn();
}

/// Watches the sources; each burst of changes gets a quick update (on the
/// watcher's thread, so it never waits for a rebuild), then a full rebuild on
/// the builder's thread.
fn start_rebuilding(builder: &Arc<Builder>) -> Result<watch::SourceWatch, ServeError> {
    let (requests, received) = std::sync::mpsc::channel::<bool>();
    let worker = builder.clone();
    std::thread::spawn(move || worker.run(received));
    let on_event = {
        let session = builder.session.clone();
        move || session.cancel.store(true, std::sync::atomic::Ordering::SeqCst)
    };
    let quick = builder.clone();
    let watch = watch::watch_sources(&builder.root, on_event, move |paths| {
        let shown = quick.quick(&paths);
        let _ = requests.send(shown);
    })?;
    Ok(watch)
}

fn router(served: Arc<Served>, policy: Arc<HostPolicy>) -> Router {
    let base = served.base.clone();
    Router::new()
        .route(&format!("{base}__okrsite/events"), get(reload::events))
        .route(&format!("{base}__okrsite/state"), get(reload::state))
        .route(&format!("{base}__okrsite/reload.js"), get(reload::reload_js))
        .route(&format!("{base}__okrsite/worker.js"), get(reload::worker_js))
        .route(&format!("{base}__okrsite/overlay.css"), get(reload::overlay_css))
        .fallback(get(http::file))
        .with_state(served)
        .layer(axum::middleware::from_fn_with_state(policy, http::only_own_host))
        .layer(axum::middleware::from_fn(http::content_security_policy))
}

/// The URL readers use: the bound address (a reachable one for a wildcard
/// address) with the base URL's path. The origin of an absolute base URL is the
/// published site's, not this server's, so it is not used.
fn public_url(base_url: &BaseUrl, addr: SocketAddr) -> Result<BaseUrl, ServeError> {
    let authority = host::reachable_authority(addr);
    base_url
        .with_origin("http", &authority)
        .map_err(|source| ServeError::Url {
            addr: authority,
            source,
        })
}

/// Completes on Ctrl-C, SIGTERM or SIGHUP (a closed terminal). The handlers are
/// installed when this is called, not when it is first polled.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (mut int, mut term, mut hup) = (
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
            signal(SignalKind::hangup())?,
        );
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Gives SIGINT, SIGTERM and SIGHUP back their default action (stop the
/// process): the runtime that handled them is going away, and a second Ctrl-C
/// must never be ignored.
fn restore_default_signals() {
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: setting a signal's disposition to SIG_DFL installs no handler code.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_get_the_address_they_can_reach() {
        let base = BaseUrl::parse("/okr/").unwrap();
        let url = public_url(&base, "127.0.0.1:1111".parse().unwrap()).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1111/okr/");
        let url = public_url(&base, "0.0.0.0:1111".parse().unwrap()).unwrap();
        assert!(!url.as_str().contains("0.0.0.0"), "{url}");
        let given = BaseUrl::parse("https://okr.intra.example/okr/").unwrap();
        let url = public_url(&given, "127.0.0.1:1111".parse().unwrap()).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1111/okr/");
    }
}

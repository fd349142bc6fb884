//! `okrsite serve`: build, serve over HTTP, watch the sources, rebuild on change
//! and reload open tabs. A content error never stops the server: every page then
//! shows the diagnostics as an overlay until the file is fixed.
//!
//! Live reload is a long poll (`<base>__okrsite/wait?since=N` answers when the site's
//! generation passes N), so it needs no WebSocket and works behind any proxy.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use tokio::sync::watch;

use crate::base_url::BaseUrl;
use crate::build::{self, BuildOptions};
use crate::content::diag;
use crate::render::escape_html;

mod workdir;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    /// Only its path is used: the site is served under it.
    pub base_url: Option<BaseUrl>,
    pub drafts: bool,
    pub open: bool,
    pub today: fn() -> Date,
}

struct Shared {
    out: PathBuf,
    base: String,
    /// The overlay shown on every page while the content has errors.
    overlay: Mutex<Option<String>>,
    generation: watch::Sender<u64>,
    /// Read-locked while a build or a quick update writes into `out`; serve takes
    /// it for writing before it removes its folder, so nothing writes there after.
    writing: RwLock<()>,
}

/// Builds once, then serves until interrupted.
pub fn serve(mut opts: ServeOptions) -> Result<(), String> {
    // Watch events carry absolute paths; compare them with an absolute root.
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site at {}: {e}", opts.root.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let workdir = workdir::WorkDir::create()?;
    let base_url = opts.base_url.take().unwrap_or_default();
    let base = base_url.path().to_string();
    let (tx, _) = watch::channel(0u64);
    let shared = Arc::new(Shared {
        out: workdir.site(),
        base: base.clone(),
        overlay: Mutex::new(None),
        generation: tx,
        writing: RwLock::new(()),
    });
    let session = Arc::new(build::Session::default());
    let served = (shared.clone(), session.clone());
    let result = runtime.block_on(async move {
        let (shared, session) = served;
        // Before the first build, so a signal during it still removes the folder.
        let stop = stop_signal()?;
        tokio::pin!(stop);
        let listener = tokio::net::TcpListener::bind((opts.bind.as_str(), opts.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
        let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
        let url = base_url
            .with_origin("http", &addr.to_string())
            .map_err(|e| format!("cannot serve at {addr}: {e}"))?;
        let full = {
            let shared = shared.clone();
            let session = session.clone();
            let root = opts.root.clone();
            let url = url.clone();
            let (drafts, today) = (opts.drafts, opts.today);
            move |quiet: bool| full_rebuild(&shared, &session, &root, &url, drafts, today(), quiet)
        };
        let (built_tx, built_rx) = tokio::sync::oneshot::channel();
        let first = full.clone();
        std::thread::spawn(move || {
            first(false);
            let _ = built_tx.send(());
        });
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = built_rx => {}
        }
        let quick = {
            let shared = shared.clone();
            let session = session.clone();
            let root = opts.root.clone();
            move |changed: &[PathBuf]| quick_update(&shared, &session, &root, changed)
        };
        let _watcher = watch_sources(&opts.root, session.clone(), quick, full)?;
        eprintln!("serving {url} (Ctrl-C to stop)");
        if opts.open {
            let _ = std::process::Command::new(if cfg!(target_os = "macos") { "open" } else { "xdg-open" })
                .arg(url.as_str())
                .spawn();
        }
        let app = Router::new()
            .route(&format!("{base}__okrsite/wait"), get(wait))
            .route(&format!("{base}__okrsite/reload.js"), get(reload_js))
            .fallback(get(file))
            .with_state(shared);
        accept_loop(listener, app, stop).await;
        Ok(())
    });
    // Open connections (a long poll) are dropped with the runtime.
    runtime.shutdown_background();
    // Stop the build under way (if any) and keep others from starting, then remove.
    session.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let _no_more_writes = lock_for_removal(&shared.writing, Duration::from_secs(10));
    workdir.remove();
    result
}

/// Write-locks `lock`, waiting at most `limit` (a cancelled build stops at its next stage).
fn lock_for_removal(lock: &RwLock<()>, limit: Duration) -> Option<std::sync::RwLockWriteGuard<'_, ()>> {
    let started = std::time::Instant::now();
    loop {
        match lock.try_write() {
            Ok(guard) => return Some(guard),
            Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if started.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(std::sync::TryLockError::WouldBlock) => return None,
        }
    }
}

/// A client has this long to send a request's headers; a half-sent request
/// (a slow or stalled client) is dropped after it.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves HTTP/1.1 connections until `stop` completes.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router, stop: impl std::future::Future<Output = ()>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or the client went away first.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let conn = http
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()))
            .with_upgrades();
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
}

/// Completes on Ctrl-C, SIGTERM or SIGHUP (a closed terminal). The handlers are
/// installed when this is called, not when it is first polled.
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind| signal(kind).map_err(|e| format!("cannot handle signals: {e}"));
        let (mut int, mut term, mut hup) = (
            listen(SignalKind::interrupt())?,
            listen(SignalKind::terminate())?,
            listen(SignalKind::hangup())?,
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

/// Shows an edited retrospective at once: re-renders its review page on its own and
/// reloads the browser. Returns whether it could (anything else waits for the full
/// rebuild that follows every change).
fn quick_update(shared: &Shared, session: &build::Session, root: &Path, changed: &[PathBuf]) -> bool {
    let started = std::time::Instant::now();
    let site_is_good = shared.overlay.lock().map(|o| o.is_none()).unwrap_or(false);
    if !site_is_good || changed.is_empty() {
        return false;
    }
    let rerendered = {
        let _writing = shared.writing.read();
        build::rerender_retrospectives(session, root, changed)
    };
    match rerendered {
        Some(n) => {
            eprintln!(
                "updated {n} page{} in {:.0} ms; rebuilding the rest",
                if n == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64() * 1e3
            );
            shared.generation.send_modify(|g| *g += 1);
            true
        }
        None => false,
    }
}

/// Rebuilds the whole site, re-reading only changed files and writing only changed
/// pages, so the learnings, tag and search pages follow an edit. A newer change
/// cancels it. `quiet`: the open page already shows the change (a quick update), so
/// reload only if the diagnostics changed.
fn full_rebuild(
    shared: &Shared,
    session: &Arc<build::Session>,
    root: &Path,
    url: &BaseUrl,
    drafts: bool,
    today: Date,
    quiet: bool,
) {
    let started = std::time::Instant::now();
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(shared.out.clone()),
        base_url: Some(url.clone()),
        drafts,
        today,
        progress: None,
        session: Some(session.clone()),
        force: false,
    };
    let result = {
        let _writing = shared.writing.read();
        build::build(&opts)
    };
    let overlay = match result {
        Err(build::BuildError::Cancelled) => {
            eprintln!("rebuild superseded by a newer change");
            return;
        }
        Ok(built) if built.output.is_some() => {
            eprintln!(
                "rebuilt {} files in {:.2} s",
                built.files,
                started.elapsed().as_secs_f64()
            );
            None
        }
        Ok(built) => {
            let text = diag::render(&built.checked.diagnostics, &built.checked.sources, false);
            eprint!("{text}");
            Some(text)
        }
        Err(e) => {
            eprintln!("error: {}", diag::escape_controls(&e.to_string()));
            Some(e.to_string())
        }
    };
    let overlay_changed = match shared.overlay.lock() {
        Ok(mut o) => {
            let changed = *o != overlay;
            *o = overlay;
            changed
        }
        Err(_) => true,
    };
    if !quiet || overlay_changed {
        shared.generation.send_modify(|g| *g += 1);
    }
}

type Watcher = notify::RecommendedWatcher;

/// How long the sources must be quiet before a rebuild starts: one save often
/// arrives as several events (write, rename, attributes).
const SETTLE: Duration = Duration::from_millis(30);

/// Watches content/, templates/, static/, themes/ and okrsite.toml; rebuilds on
/// change. Each change first gets `quick` (on this thread, so it never waits for a
/// rebuild), then a full rebuild on a worker thread; a change arriving during a
/// rebuild cancels it, and the next one covers both. Reads are not changes: the
/// build itself opens every file, and inotify reports that.
fn watch_sources(
    root: &Path,
    session: Arc<build::Session>,
    quick: impl Fn(&[PathBuf]) -> bool + Send + 'static,
    full: impl Fn(bool) + Send + 'static,
) -> Result<Watcher, String> {
    use notify::{EventKind, RecursiveMode, Watcher as _};
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let (full_tx, full_rx) = std::sync::mpsc::channel::<bool>();
    let config_file = root.join(crate::config::CONFIG_FILE);
    let watched: Vec<PathBuf> = ["content", "templates", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let filter = watched.clone();
    let session_for_loop = session.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if path == config_file || filter.iter().any(|d| path.starts_with(d)) {
                session.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                let _ = tx.send(path);
            }
        }
    })
    .map_err(|e| format!("cannot watch the site: {e}"))?;
    for dir in watched.iter().filter(|d| d.is_dir()) {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    }
    // The config file is watched through its folder (editors replace files on save).
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // Coalesce a burst of events into one rebuild.
            let mut paths = vec![first];
            loop {
                match rx.recv_timeout(SETTLE) {
                    Ok(p) => paths.push(p),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            paths.sort();
            paths.dedup();
            let shown = quick(&paths);
            let _ = full_tx.send(shown);
        }
    });
    std::thread::spawn(move || {
        while let Ok(mut quiet) = full_rx.recv() {
            loop {
                while let Ok(more) = full_rx.try_recv() {
                    quiet &= more;
                }
                if !quiet {
                    break;
                }
                // The open tab is reloading the quick update: leave it the CPU first.
                match full_rx.recv_timeout(Duration::from_millis(400)) {
                    Ok(more) => quiet &= more,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            session_for_loop
                .cancel
                .store(false, std::sync::atomic::Ordering::Relaxed);
            full(quiet);
        }
    });
    Ok(watcher)
}

#[derive(serde::Deserialize)]
struct Since {
    since: Option<u64>,
}

/// Answers with the site's generation once it is newer than `since` (or after 25 s).
async fn wait(State(shared): State<Arc<Shared>>, Query(q): Query<Since>) -> impl IntoResponse {
    let mut rx = shared.generation.subscribe();
    let since = q.since.unwrap_or(0);
    let _ = tokio::time::timeout(Duration::from_secs(25), rx.wait_for(|g| *g > since)).await;
    let current = *shared.generation.borrow();
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "text/plain"),
        ],
        current.to_string(),
    )
}

async fn reload_js(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let generation = *shared.generation.borrow();
    // On a change: fetch the page again and swap its <body> in (no flash, scroll kept,
    // styles not reloaded), or reload the page when it runs scripts of its own (search).
    let js = format!(
        "(function(){{var g={generation};\
function own(){{return document.querySelector('script[src]:not([src*=\"__okrsite/\"])');}}\
function swap(){{if(own()){{location.reload();return Promise.resolve();}}\
return fetch(location.href,{{cache:'no-store'}}).then(function(r){{return r.text();}}).then(function(h){{\
var d=new DOMParser().parseFromString(h,'text/html');document.title=d.title;document.body.replaceWith(d.body);}})\
.catch(function(){{location.reload();}});}}\
function poll(){{fetch('{}__okrsite/wait?since='+g,{{cache:'no-store'}}).then(function(r){{return r.text();}})\
.then(function(t){{if(+t>g){{g=+t;swap().then(poll);}}else{{poll();}}}}).catch(function(){{setTimeout(poll,1000);}});}}\
poll();}})();\n",
        shared.base
    );

    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "text/javascript"),
        ],
        js,
    )
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = percent_decode(uri.path());
    let Some(rel) = path
        .strip_prefix(&shared.base)
        .or_else(|| (path.clone() + "/").strip_prefix(&shared.base).map(|_| ""))
    else {
        return (StatusCode::NOT_FOUND, "outside the site").into_response();
    };
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    }
    let mut file = shared.out.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (StatusCode::OK, file)
    } else {
        (StatusCode::NOT_FOUND, shared.out.join("404.html"))
    };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        return (StatusCode::NOT_FOUND, overlay_page(&shared)).into_response();
    };
    let ct = content_type(&file);
    if ct.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes);
        let extra = format!(
            "{}<script src=\"{}__okrsite/reload.js\"></script>",
            overlay_html(&shared),
            shared.base
        );
        let html = match html.rfind("</body>") {
            Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
            None => format!("{html}{extra}"),
        };
        return (
            status,
            [(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "no-store")],
            html,
        )
            .into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "no-store")],
        bytes,
    )
        .into_response()
}

/// The diagnostics as a fixed panel over the page; empty when the content is fine.
fn overlay_html(shared: &Shared) -> String {
    match shared.overlay.lock().ok().and_then(|o| o.clone()) {
        None => String::new(),
        Some(text) => format!(
            "<div id=\"okrsite-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#2b0b0e;color:#ffe3e3;font:13px/1.5 ui-monospace,monospace;padding:12px 16px;z-index:99999;border-top:4px solid #d1343f\"><strong>okrsite: the content has errors; the site shows the last good build.</strong><pre style=\"white-space:pre-wrap;margin:8px 0 0\">{}</pre></div>",
            escape_html(&text)
        ),
    }
}

fn overlay_page(shared: &Shared) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>okrsite</title></head><body>{}<script src=\"{}__okrsite/reload.js\"></script></body></html>",
        overlay_html(shared),
        shared.base
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/tags/%E4%BE%A1%E6%A0%BC/"), "/tags/価格/");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }
}

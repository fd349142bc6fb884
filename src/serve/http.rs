//! The HTTP side of `serve`: connections (limits, timeouts, a clean stop), the
//! `Host` check, and the site's files with the live-reload script added to pages.

use std::future::Future;
use std::path::{Component, Path};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, watch};

use super::host::HostPolicy;
use super::served::{Served, State as SiteState};
use crate::messages::{Lang, Message};
use crate::msg;
use crate::text::escape_html;

/// A client has this long to send a request's headers, and an idle keep-alive
/// connection is closed after it too (hyper starts the same timer when it waits
/// for the next request): a stalled or idle client never holds a socket long.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long open connections get to finish when the server stops.
const STOP_GRACE: Duration = Duration::from_millis(300);

/// How long open connections get to finish when the connection cap is reached.
const SHED_GRACE: Duration = Duration::from_secs(1);

/// Serves HTTP/1.1 connections until `stop` completes, then closes them
/// (waiting at most [`STOP_GRACE`]). At most `max_connections` are open at once;
/// when that many are, the open ones are closed (requests under way get
/// [`SHED_GRACE`] to finish; browsers reconnect) and new ones wait in the listen
/// queue meanwhile.
pub async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    max_connections: usize,
    stop: impl Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let permits = Arc::new(Semaphore::new(max_connections.max(1)));
    let (shed, _) = watch::channel(0u64);
    let (closing, _) = watch::channel(false);
    // Every connection task holds a sender: the channel closes when the last ends.
    let (alive, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    tokio::pin!(stop);
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                shed.send_modify(|n| *n += 1);
                tokio::select! {
                    _ = &mut stop => break,
                    permit = permits.clone().acquire_owned() => match permit {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                }
            }
        };
        let stream = tokio::select! {
            _ = &mut stop => break,
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
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let ends = ConnectionEnds {
            shed: shed.subscribe(),
            closing: closing.subscribe(),
            _alive: alive.clone(),
            _permit: permit,
        };
        tokio::spawn(ends.serve(conn));
    }
    let _ = closing.send(true);
    drop(alive);
    let _ = tokio::time::timeout(STOP_GRACE + Duration::from_millis(50), all_closed.recv()).await;
}

type Connection = hyper::server::conn::http1::Connection<
    hyper_util::rt::TokioIo<tokio::net::TcpStream>,
    hyper_util::service::TowerToHyperService<Router>,
>;

/// What ends a connection other than its client: shedding, the stop. Holding
/// `_alive` and `_permit` until it ends counts it as open.
struct ConnectionEnds {
    shed: watch::Receiver<u64>,
    closing: watch::Receiver<bool>,
    _alive: tokio::sync::mpsc::Sender<()>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl ConnectionEnds {
    async fn serve(mut self, conn: Connection) {
        tokio::pin!(conn);
        let grace = tokio::select! {
            _ = conn.as_mut() => return,
            _ = self.shed.changed() => SHED_GRACE,
            _ = self.closing.wait_for(|c| *c) => STOP_GRACE,
        };
        // Idle connections close at once; a request under way gets `grace` to
        // finish. (A connection that has sent nothing yet counts as busy to
        // hyper, hence the deadline.)
        conn.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(grace, conn).await;
    }
}

/// How many connections may be open at once: well below the file limit, so a
/// rebuild always has descriptors left to read and write the site. Raises the
/// soft limit to the hard one first, as servers do.
pub fn connection_cap() -> usize {
    cap_for_file_limit(raise_file_limit().unwrap_or(1024))
}

/// A quarter of the descriptors and 64 more stay free for the build.
fn cap_for_file_limit(limit: u64) -> usize {
    let cap = (limit / 4 * 3).saturating_sub(64);
    cap.clamp(16, 4096) as usize
}

#[cfg(unix)]
fn raise_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        // macOS refuses more than OPEN_MAX (10240) whatever the hard limit says.
        let wanted = limit.rlim_max.min(10240);
        if wanted > limit.rlim_cur {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = wanted;
            }
        }
    }
    #[allow(clippy::unnecessary_cast, reason = "rlim_t is not u64 on every platform")]
    Some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn raise_file_limit() -> Option<u64> {
    None
}

/// Answers only requests whose `Host` the policy allows (see [`super::host`]).
pub async fn only_own_host(State(policy): State<Arc<HostPolicy>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    match host {
        Some(host) if policy.allows(host) => next.run(request).await,
        _ => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", msg!("serve.host_refused").render(policy.lang)),
        )
            .into_response(),
    }
}

/// A page, a file of the site, a redirect, or the 404 page.
pub async fn file(State(served): State<Arc<Served>>, uri: Uri) -> Response {
    let path = percent_decode(uri.path());
    let base = served.base.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        // `/okr` and `/` lead to the site at `/okr/`.
        if format!("{path}/") == base || path == "/" {
            return redirect(&with_query(base, &uri));
        }
        let note = msg!("serve.not_under_base", base = base);
        return html_response(StatusCode::NOT_FOUND, note_page(&served, &served.current(), &note));
    };
    if Path::new(rel).components().any(|c| !matches!(c, Component::Normal(_))) {
        let note = msg!("serve.bad_path");
        return html_response(StatusCode::BAD_REQUEST, note_page(&served, &served.current(), &note));
    }
    let state = served.current();
    let Some(site) = state.site.clone() else {
        // No build has succeeded yet: the diagnostics are all there is to show.
        return html_response(StatusCode::SERVICE_UNAVAILABLE, overlay_page(&served, &state));
    };
    let mut file = site.dir.join(rel);
    if file.is_dir() {
        if !rel.is_empty() && !rel.ends_with('/') {
            // Relative links in the page resolve against the folder only with the slash.
            return redirect(&with_query(&format!("{}/", uri.path()), &uri));
        }
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (StatusCode::OK, file)
    } else {
        (StatusCode::NOT_FOUND, site.dir.join("404.html"))
    };
    let content_type = content_type(&file);
    if content_type.starts_with("text/html") {
        page(&served, &state, status, &file).await
    } else {
        asset(&served, &state, status, &file, content_type).await
    }
}

/// A file other than a page, streamed, never cached (it may change with the next edit).
async fn asset(
    served: &Served,
    state: &SiteState,
    status: StatusCode,
    file: &Path,
    content_type: &'static str,
) -> Response {
    match stream_file(file).await {
        Ok((length, body)) => (
            status,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (header::CONTENT_LENGTH, HeaderValue::from(length)),
            ],
            body,
        )
            .into_response(),
        Err(_) => html_response(StatusCode::NOT_FOUND, overlay_page(served, state)),
    }
}

/// A page, with the error overlay (when the last build failed) and the live-reload
/// script added before `</body>`.
async fn page(served: &Served, state: &SiteState, status: StatusCode, file: &Path) -> Response {
    let Ok(bytes) = tokio::fs::read(file).await else {
        return html_response(StatusCode::NOT_FOUND, overlay_page(served, state));
    };
    let html = String::from_utf8_lossy(&bytes);
    let extra = format!("{}{}", overlay_html(served, state), reload_script(served, state));
    let html = match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    };
    html_response(status, html)
}

/// How much of a file a response holds in memory at a time. Each read is a
/// trip to tokio's blocking pool, so not much smaller (64 KiB cut the rate of a
/// 30 MB export by a quarter).
const CHUNK: usize = 256 * 1024;

/// A file's length and a body that reads it in chunks: a 30 MB export sent to
/// many clients at once never sits in memory once per client. A file of one
/// chunk or less is read whole. The file is open before this returns, so a
/// generation removed meanwhile does not cut it short.
async fn stream_file(path: &Path) -> std::io::Result<(u64, axum::body::Body)> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await?;
    let length = file.metadata().await?.len();
    if length <= CHUNK as u64 {
        let mut bytes = Vec::with_capacity(length as usize);
        file.read_to_end(&mut bytes).await?;
        return Ok((bytes.len() as u64, axum::body::Body::from(bytes)));
    }
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0; CHUNK];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok((length, axum::body::Body::from_stream(chunks)))
}

fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    }
}

fn with_query(path: &str, uri: &Uri) -> String {
    match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    }
}

/// The live-reload script, told which server and which change the page shows.
fn reload_script(served: &Served, state: &SiteState) -> String {
    format!(
        "<script src=\"{base}__okrsite/reload.js\" data-base=\"{base}\" data-server=\"{id}\" data-generation=\"{n}\"></script>",
        base = escape_html(&served.base),
        id = served.server_id,
        n = state.number
    )
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The diagnostics as a fixed panel over the page; empty when the content is fine.
fn overlay_html(served: &Served, state: &SiteState) -> String {
    let Some(text) = &state.overlay else {
        return String::new();
    };
    format!(
        "<div id=\"okrsite-overlay\" role=\"alert\">{}<strong>{}</strong><pre>{}</pre></div>",
        own_stylesheet(served),
        escape_html(&msg!("serve.overlay.last_good").render(served.lang)),
        escape_html(text)
    )
}

/// The page every URL shows while no build has succeeded: the diagnostics, what to
/// do, and the live-reload script, which loads the site once the content is fixed.
fn overlay_page(served: &Served, state: &SiteState) -> String {
    standalone_page(
        served,
        state,
        &msg!("serve.overlay.title"),
        &first_overlay(served, state),
    )
}

/// The diagnostics while no build has succeeded, and what to do.
fn first_overlay(served: &Served, state: &SiteState) -> String {
    let lang = served.lang;
    format!(
        "<main id=\"okrsite-overlay\" role=\"alert\"><h1>{}</h1><p>{}</p><pre>{}</pre></main>",
        escape_html(&msg!("serve.overlay.title").render(lang)),
        escape_html(&msg!("serve.overlay.first").render(lang)),
        escape_html(state.overlay.as_deref().unwrap_or(""))
    )
}

/// A short page saying `note` (a URL outside the site, a bad path), with the
/// diagnostics when the content has errors.
fn note_page(served: &Served, state: &SiteState, note: &Message) -> String {
    let text = escape_html(&note.render(served.lang));
    let diagnostics = match (&state.site, &state.overlay) {
        (None, Some(_)) => first_overlay(served, state),
        _ => overlay_html(served, state),
    };
    let body = format!("<main><p>{text}</p></main>{diagnostics}");
    standalone_page(served, state, note, &body)
}

/// A page of the server's own (not of the site), in the site's language, with the
/// live-reload script.
fn standalone_page(served: &Served, state: &SiteState, title: &Message, body: &str) -> String {
    let lang = match served.lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>{}</head><body class=\"okrsite-own\">{body}{}</body></html>",
        escape_html(&title.render(served.lang)),
        own_stylesheet(served),
        reload_script(served, state)
    )
}

/// The look of the server's own pages and of the diagnostics panel: a stylesheet
/// of the server's (`__okrsite/overlay.css`), as [`CONTENT_SECURITY_POLICY`] allows.
fn own_stylesheet(served: &Served) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{}__okrsite/overlay.css\">",
        escape_html(&served.base)
    )
}

/// The policy every response carries: what a strict intranet host sends, so a page
/// that would break there (an inline style, script or handler) breaks while writing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'";

/// Adds [`CONTENT_SECURITY_POLICY`] to every response.
pub async fn content_security_policy(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
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

    #[test]
    fn the_connection_cap_leaves_descriptors_for_the_build() {
        // 256 is macOS's default soft limit.
        assert_eq!(cap_for_file_limit(256), 128);
        assert_eq!(cap_for_file_limit(1024), 704);
        assert_eq!(cap_for_file_limit(1_048_576), 4096);
        assert_eq!(cap_for_file_limit(40), 16);
    }
}

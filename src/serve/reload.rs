//! Live reload: the scripts pages load, the event stream the shared worker
//! holds (Server-Sent Events, one per browser), and the state for short polls.
//!
//! Every message names the server (a new id at each start, so tabs reload after
//! a restart) and the change number, with the pages and stylesheets that changed:
//! a tab reloads when its own page changed, swaps its stylesheets when only they
//! did, and reloads when it missed a change.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use super::served::Served;

const RELOAD_JS: &str = include_str!("assets/reload.js");
const WORKER_JS: &str = include_str!("assets/worker.js");
const OVERLAY_CSS: &str = include_str!("assets/overlay.css");

/// How soon a browser reconnects the stream after losing it (a restart).
const RECONNECT: Duration = Duration::from_millis(500);

pub async fn reload_js() -> impl IntoResponse {
    script(RELOAD_JS)
}

pub async fn worker_js() -> impl IntoResponse {
    script(WORKER_JS)
}

/// The look of the server's own pages and of the diagnostics panel.
pub async fn overlay_css() -> impl IntoResponse {
    own_file(OVERLAY_CSS, "text/css; charset=utf-8")
}

fn script(text: &'static str) -> impl IntoResponse {
    own_file(text, "text/javascript; charset=utf-8")
}

fn own_file(text: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, content_type),
        ],
        text,
    )
}

/// The current state as one message, for short polls and tools.
pub async fn state(State(served): State<Arc<Served>>) -> impl IntoResponse {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "application/json"),
        ],
        served.message(&served.current()),
    )
}

/// The current state at once, then a message for every change, until the
/// server stops.
pub async fn events(State(served): State<Arc<Served>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = served.subscribe();
    let stopping = served.stopping.clone();
    let stream = futures_util::stream::unfold(
        (served, changes, stopping, true),
        |(served, mut changes, mut stopping, first)| async move {
            if !first {
                tokio::select! {
                    changed = changes.changed() => changed.ok()?,
                    _ = stopping.wait_for(|s| *s) => return None,
                }
            }
            if *stopping.borrow() {
                return None;
            }
            let state = changes.borrow_and_update().clone();
            let mut event = Event::default().data(served.message(&state));
            if first {
                event = event.retry(RECONNECT);
            }
            Some((Ok(event), (served, changes, stopping, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

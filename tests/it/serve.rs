//! `okrsite serve` on a free loopback port: pages over HTTP, a saved edit shows up,
//! the live-reload signal fires, a broken file shows the overlay, and the site recovers.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;

/// Stops the server when the test ends, pass or fail.
struct Server {
    child: Child,
    url: String,
    /// Everything the server printed so far.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

mod all_day;

fn start(root: &std::path::Path, extra: &[&str]) -> Server {
    start_command(serve_command(root, extra))
}

/// `okrsite serve` on a free port for the site at `root`, not started yet.
fn serve_command(root: &std::path::Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okrsite"));
    command
        .env("SOURCE_DATE_EPOCH", common::FIXTURE_EPOCH)
        .env("OKRSITE_LANG", "en")
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra);
    command
}

/// Starts the server and waits for its `serving <url>` line.
fn start_command(mut command: Command) -> Server {
    let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("serving ") {
                let _ = tx.send(rest.split(' ').next().unwrap_or("").to_string());
            }
            lines.lock().unwrap().push(line);
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server did not start");
    Server { child, url, log }
}

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut res = agent.get(url).call().unwrap();
    let status = res.status().as_u16();
    (status, res.body_mut().read_to_string().unwrap())
}

/// The first objective's title in an OKR file (unquoted).
fn first_title(okrs: &str) -> String {
    okrs.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("- title: ")
                .or_else(|| l.trim().strip_prefix("title: "))
        })
        .unwrap()
        .trim_matches('"')
        .to_string()
}

/// The live-reload state: `{"server", "generation", "pages", "css"}`.
fn state(url: &str) -> serde_json::Value {
    serde_json::from_str(&get(&format!("{url}__okrsite/state")).1).unwrap()
}

/// The messages of the live-reload event stream, as they arrive.
fn subscribe(url: &str) -> std::sync::mpsc::Receiver<serde_json::Value> {
    let (tx, rx) = std::sync::mpsc::channel();
    let url = format!("{url}__okrsite/events");
    std::thread::spawn(move || {
        let mut res = ureq::get(&url).call().unwrap();
        let reader = BufReader::new(res.body_mut().as_reader());
        for line in reader.lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(serde_json::from_str(data).unwrap()).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_reloads_shows_errors_and_recovers() {
    let site = common::site(None);
    let server = start(site.path(), &["--base-url", "/okr/"]);
    assert!(
        server.url.starts_with("http://127.0.0.1:") && server.url.ends_with("/okr/"),
        "{}",
        server.url
    );
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    let (status, html) = get(&review);
    assert_eq!(status, 200);
    assert!(html.contains("テンプレート体験が行動を誘発する"));
    assert!(html.contains("__okrsite/reload.js"), "live reload script injected");
    let generation = state(&server.url)["generation"].as_u64().unwrap();
    // Every response carries the strict policy intranet hosts send, so a page that
    // breaks under it breaks while writing.
    for path in [
        "quarters/2025-Q3/product/",
        "__okrsite/reload.js",
        "__okrsite/state",
        "no/such/page/",
        "feed.xml",
    ] {
        assert_eq!(policy(&format!("{}{path}", server.url)), "default-src 'self'", "{path}");
    }

    // The live-reload signal: an event stream whose first message is the current
    // state, then one message per change.
    let events = subscribe(&server.url);
    assert_eq!(
        events.recv_timeout(Duration::from_secs(10)).unwrap()["generation"],
        generation
    );
    let md = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        text.replace("テンプレート体験が行動を誘発する", "編集した学びが表示される"),
    )
    .unwrap();
    let fired = events
        .recv_timeout(Duration::from_secs(30))
        .expect("the reload signal fired");
    assert!(fired["generation"].as_u64().unwrap() > generation);
    assert_eq!(
        fired["pages"],
        serde_json::json!(["quarters/2025-Q3/product/index.html"]),
        "the quick update names the page it changed"
    );
    wait_until("the edit", || get(&review).1.contains("編集した学びが表示される"));

    // A broken file: the last good site stays, with the diagnostics over it.
    let teams = site.path().join("content/teams.yaml");
    let good = std::fs::read_to_string(&teams).unwrap();
    std::fs::write(&teams, format!("{good}  colour: red\n")).unwrap();
    wait_until("the overlay", || {
        let html = get(&review).1;
        html.contains("okrsite-overlay") && html.contains("content/teams.yaml") && html.contains("colour")
    });
    assert!(
        get(&review).1.contains("編集した学びが表示される"),
        "the last good build is still served"
    );

    // Fixed: the overlay goes away.
    std::fs::write(&teams, good).unwrap();
    wait_until("recovery", || !get(&review).1.contains("okrsite-overlay"));
    let (status, _) = get(&format!("{}no/such/page/", server.url));
    assert_eq!(status, 404);
    let (status, _) = get(&format!("{}../../etc/passwd", server.url));
    assert_ne!(status, 200);
}

#[test]
fn an_idle_server_stays_idle_and_every_page_follows_a_retrospective_edit() {
    let site = common::site(None);
    let server = start(site.path(), &[]);
    let generation = || state(&server.url)["generation"].as_u64().unwrap();
    let before = generation();
    // Building reads every file; reads must not count as changes (they once
    // retriggered a rebuild after every rebuild).
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(generation(), before, "no rebuild without a change");

    let md = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        text.replace("テンプレート体験が行動を誘発する", "差し替えた学びの本文"),
    )
    .unwrap();
    // The review page first (re-rendered on its own), then the pages built from
    // every retrospective, after the full rebuild.
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    wait_until("the review page", || get(&review).1.contains("差し替えた学びの本文"));
    let learnings = format!("{}learnings/", server.url);
    wait_until("the learnings page", || {
        let html = get(&learnings).1;
        html.contains("差し替えた学びの本文") && !html.contains("テンプレート体験が行動を誘発する")
    });

    // A YAML edit takes the full rebuild.
    let yaml = site.path().join("content/2025-Q3/product.yaml");
    let okrs = std::fs::read_to_string(&yaml).unwrap();
    let first_title = first_title(&okrs);
    std::fs::write(&yaml, okrs.replacen(&first_title, "編集した目標の題名", 1)).unwrap();
    wait_until("the YAML edit", || get(&review).1.contains("編集した目標の題名"));
}

/// Status, content type and body of a GET.
fn get_typed(url: &str) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut res = agent.get(url).call().unwrap();
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, content_type, res.body_mut().read_to_string().unwrap())
}

/// The `Content-Security-Policy` a response carries.
fn policy(url: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let res = agent.get(url).call().unwrap();
    let header = res.headers().get("content-security-policy");
    header.and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[test]
fn serve_started_on_broken_content_shows_the_diagnostics_as_a_page_and_recovers() {
    let site = common::site(None);
    let yaml = site.path().join("content/2025-Q3/product.yaml");
    let good = std::fs::read_to_string(&yaml).unwrap();
    // `note:` one column short of `status:` (column 13), on line 15.
    let broken = good.replace(
        "            note: 招待送信率が低い",
        "           note: 招待送信率が低い",
    );
    assert_ne!(broken, good);
    std::fs::write(&yaml, &broken).unwrap();
    let server = start(site.path(), &["--base-url", "/okr/"]);
    let events = subscribe(&server.url);
    let generation = events.recv_timeout(Duration::from_secs(10)).unwrap()["generation"].clone();
    for path in [
        "",
        "quarters/2025-Q3/product/",
        "no/such/page/",
        "assets/okrsite.css",
        "quarters",
    ] {
        let (status, content_type, html) = get_typed(&format!("{}{path}", server.url));
        assert_eq!(status, 503, "{path}");
        assert!(content_type.starts_with("text/html"), "{path}: {content_type}");
        assert!(
            html.starts_with("<!doctype html>") && html.contains("<title>okrsite: the content has errors</title>"),
            "{path}: {html}"
        );
        assert!(html.contains("content/2025-Q3/product.yaml:15:12"), "{path}: {html}");
        assert!(
            html.contains("indent `note:` to column 13, under `status:` (line 14)"),
            "{path}: {html}"
        );
        assert!(html.contains("__okrsite/reload.js"), "{path}: the live-reload script");
        assert!(
            !html.contains("<style") && !html.contains(" style="),
            "{path}: inline styles: {html}"
        );
        assert_eq!(policy(&format!("{}{path}", server.url)), "default-src 'self'", "{path}");
    }
    // Outside the base path: a page too, with the diagnostics.
    let root = server.url.trim_end_matches("okr/").to_string();
    let (status, content_type, html) = get_typed(&format!("{root}elsewhere/"));
    assert_eq!((status, content_type.starts_with("text/html")), (404, true));
    assert!(
        html.contains("the site is served under /okr/") && html.contains("product.yaml:15:12"),
        "{html}"
    );

    // Fixed: every tab is told to reload, and the site is served.
    std::fs::write(&yaml, &good).unwrap();
    let fired = events
        .recv_timeout(Duration::from_secs(60))
        .expect("the reload signal fired");
    assert_ne!(fired["generation"], generation);
    assert_eq!(fired["pages"], serde_json::Value::Null, "every page reloads");
    let (status, content_type, html) = get_typed(&format!("{}quarters/2025-Q3/product/", server.url));
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    assert!(
        html.contains("招待送信率が低い") && !html.contains("okrsite-overlay"),
        "{html}"
    );
}

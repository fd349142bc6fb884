//! A server left open all day: no edit is lost (folders replaced, same-size saves,
//! editor files), no request fails during rebuilds, only its own host is answered,
//! the sub-path redirects, many idle sockets do not starve a rebuild, and every
//! stop is quick and leaves the temporary folder as it was.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Server, common, first_title, get, serve_command, start, start_command, state, subscribe, wait_until};

const EDITED: &str = "テンプレート体験が行動を誘発する";

/// `127.0.0.1:port` of a server URL.
fn authority(url: &str) -> &str {
    url.trim_start_matches("http://").split('/').next().unwrap()
}

/// Sends `request` as it is and reads the whole answer (the request should ask
/// for `Connection: close`).
fn raw(url: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(authority(url)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get_with_host(url: &str, path: &str, host: &str) -> String {
    raw(
        url,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} holds {from}", file.display());
    std::fs::write(file, text.replace(from, to)).unwrap();
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Waits for the server to exit; how long it took.
fn wait_for_exit(server: &mut Server) -> Duration {
    let started = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not stop");
        std::thread::sleep(Duration::from_millis(5));
    }
    started.elapsed()
}

#[cfg(unix)]
fn signal(server: &Server, signal: i32) {
    // SAFETY: sends a signal to the child process this test started.
    let sent = unsafe { libc::kill(server.child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0);
}

#[test]
fn a_replaced_content_folder_and_folders_made_later_are_watched() {
    let site = common::site(None);
    let server = start(site.path(), &[]);
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    let content = site.path().join("content");
    let backup = site.path().join("backup");
    common::copy_dir(&content, &backup);

    // `rm -rf content; cp -a backup content`: the new folder is watched.
    std::fs::remove_dir_all(&content).unwrap();
    wait_until("the overlay for the missing content", || {
        get(&review).1.contains("okrsite-overlay")
    });
    common::copy_dir(&backup, &content);
    wait_until("recovery", || !get(&review).1.contains("okrsite-overlay"));
    edit(&content.join("2025-Q3/product.md"), EDITED, "置き換えた後の編集");
    wait_until("an edit in the new content/", || {
        get(&review).1.contains("置き換えた後の編集")
    });

    // A quarter folder swapped by rename (as a checkout or a sync tool does).
    let quarter = content.join("2025-Q3");
    let copy = site.path().join("quarter-copy");
    common::copy_dir(&quarter, &copy);
    std::fs::rename(&quarter, site.path().join("quarter-old")).unwrap();
    std::fs::rename(&copy, &quarter).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    edit(
        &quarter.join("product.md"),
        "置き換えた後の編集",
        "改名で入れ替えた後の編集",
    );
    wait_until("an edit in the renamed-in folder", || {
        get(&review).1.contains("改名で入れ替えた後の編集")
    });

    // static/ and templates/ created after the start.
    std::fs::create_dir(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/hello.txt"), "v1").unwrap();
    let hello = format!("{}hello.txt", server.url);
    wait_until("a file in a new static/", || get(&hello) == (200, "v1".into()));
    std::fs::write(site.path().join("static/hello.txt"), "v2").unwrap();
    wait_until("an edit in the new static/", || get(&hello) == (200, "v2".into()));
    std::fs::create_dir(site.path().join("templates")).unwrap();
    let theme_404 = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let template = std::fs::read_to_string(theme_404).unwrap();
    assert!(template.contains("{% endblock content %}"));
    let marked = template.replace(
        "{% endblock content %}",
        "<p>自前の404テンプレート</p>{% endblock content %}",
    );
    std::fs::write(site.path().join("templates/404.html"), &marked).unwrap();
    let missing = format!("{}no/such/page/", server.url);
    wait_until("a template in a new templates/", || {
        get(&missing).1.contains("自前の404テンプレート")
    });
}

/// Two same-size saves within one timestamp tick look unchanged by size and
/// mtime; so does a save whose old mtime is put back (`cp -p`, rsync, checkouts).
#[test]
fn a_same_size_save_with_the_old_mtime_is_served() {
    let site = common::site(None);
    let server = start(site.path(), &[]);
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    let yaml = site.path().join("content/2025-Q3/product.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let title = first_title(&text);
    let reversed: String = title.chars().rev().collect();
    assert_ne!(title, reversed);
    assert!(get(&review).1.contains(&title));
    let mtime = std::fs::metadata(&yaml).unwrap().modified().unwrap();
    let edited = text.replacen(&title, &reversed, 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&yaml, edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&yaml)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(std::fs::metadata(&yaml).unwrap().modified().unwrap(), mtime);
    wait_until("the same-size edit", || get(&review).1.contains(&reversed));
}

#[test]
fn editor_files_neither_rebuild_nor_break_the_site() {
    let site = common::site(None);
    let server = start(site.path(), &[]);
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    let before = state(&server.url)["generation"].as_u64().unwrap();
    let content = site.path().join("content");
    std::fs::write(content.join("2025-Q3/product.md~"), "backup: not content").unwrap();
    std::fs::write(content.join("2025-Q3/.product.md.swp"), [0u8, 1, 2]).unwrap();
    std::fs::write(content.join("4913"), "").unwrap();
    std::fs::write(content.join("#teams.yaml#"), "autosave: [").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let html = get(&review).1;
    assert!(!html.contains("okrsite-overlay"), "{html}");
    assert_eq!(state(&server.url)["generation"].as_u64().unwrap(), before);
    edit(&content.join("2025-Q3/product.md"), EDITED, "編集ファイルの後の編集");
    wait_until("a real edit", || get(&review).1.contains("編集ファイルの後の編集"));
    assert!(!get(&review).1.contains("okrsite-overlay"));
}

#[test]
fn no_request_fails_while_the_site_is_rebuilt_repeatedly() {
    let site = common::site(None);
    let server = start(site.path(), &[]);
    // The stylesheet under its fingerprinted name, as the dashboard links it.
    let dashboard = get(&server.url).1;
    let css = dashboard
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the dashboard links its stylesheet")
        .to_string();
    assert!(common::is_fingerprinted(&css, "assets/okrsite.css"), "{css}");
    let urls: Vec<String> = [
        "",
        "quarters/2025-Q3/product/",
        "quarters/2025-Q3/",
        "learnings/",
        css.as_str(),
        "api/okrs/2025-Q3.json",
    ]
    .iter()
    .map(|p| format!("{}{p}", server.url))
    .collect();
    for url in &urls {
        assert_eq!(get(url).0, 200, "{url}");
    }
    let done = Arc::new(AtomicBool::new(false));
    let (requests, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let (urls, done) = (urls.clone(), done.clone());
            let (requests, failures) = (requests.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut n = i;
                while !done.load(Ordering::Relaxed) {
                    let (status, body) = get(&urls[n % urls.len()]);
                    if status != 200 || body.is_empty() {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    requests.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            })
        })
        .collect();
    let config = site.path().join("okrsite.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let md = site.path().join("content/2025-Q3/product.md");
    let text = std::fs::read_to_string(&md).unwrap();
    let first = state(&server.url)["generation"].as_u64().unwrap();
    for round in 0..16 {
        // Rewriting the config rebuilds everything; the edits change pages.
        std::fs::write(&config, &toml).unwrap();
        std::thread::sleep(Duration::from_millis(120));
        std::fs::write(&md, text.replace(EDITED, &format!("再構築中の編集{round}"))).unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
    wait_until("the last edit", || get(&urls[1]).1.contains("再構築中の編集15"));
    done.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    assert!(state(&server.url)["generation"].as_u64().unwrap() > first);
    // Files other than pages are streamed in chunks: whole, with their length.
    let export = get(&urls[5]).1;
    assert!(export.len() > 1000);
    serde_json::from_str::<serde_json::Value>(&export).expect("the export is whole");
    let (requests, failures) = (requests.load(Ordering::Relaxed), failures.load(Ordering::Relaxed));
    assert!(requests > 100, "only {requests} requests");
    assert_eq!(failures, 0, "{failures} of {requests} requests failed");
}

#[test]
fn only_its_own_host_is_answered() {
    let site = common::site(None);
    let server = start(site.path(), &["--allow-host", "okr.test"]);
    let port = authority(&server.url).rsplit(':').next().unwrap().to_string();
    for path in ["/", "/api/okrs.json", "/__okrsite/state", "/__okrsite/events"] {
        for host in [
            format!("attacker.example:{port}"),
            "localhost.attacker.example".into(),
            String::new(),
        ] {
            let answer = get_with_host(&server.url, path, &host);
            assert!(answer.starts_with("HTTP/1.1 403"), "{path} for {host:?}: {answer}");
            assert!(
                !answer.contains("product") && !answer.contains("generation"),
                "{answer}"
            );
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("okr.test:{port}"),
    ] {
        let answer = get_with_host(&server.url, "/api/okrs.json", &host);
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

#[test]
fn the_sub_path_redirects_to_itself_and_folders_to_their_slash() {
    let site = common::site(None);
    let server = start(site.path(), &["--base-url", "/okr/"]);
    let location = |path: &str| {
        let answer = get_with_host(&server.url, path, "localhost");
        assert!(answer.starts_with("HTTP/1.1 308"), "{path}: {answer}");
        answer
            .lines()
            .find_map(|l| l.strip_prefix("location: ").or_else(|| l.strip_prefix("Location: ")))
            .unwrap()
            .to_string()
    };
    assert_eq!(location("/okr"), "/okr/");
    assert_eq!(location("/"), "/okr/");
    assert_eq!(location("/okr/quarters"), "/okr/quarters/");
    assert_eq!(location("/okr/quarters?x=1"), "/okr/quarters/?x=1");
    assert!(get_with_host(&server.url, "/other/", "localhost").starts_with("HTTP/1.1 404"));
    assert!(get_with_host(&server.url, "/okr/", "localhost").starts_with("HTTP/1.1 200"));
}

/// Ctrl-C with a stalled client and an open tab: the server stops at once and
/// removes its temporary folder.
#[cfg(unix)]
#[test]
fn sigint_with_a_half_sent_request_exits_within_a_second_and_leaves_tmpdir_as_it_was() {
    let site = common::site(None);
    let tmp = tempfile::tempdir().unwrap();
    let mut command = serve_command(site.path(), &[]);
    command.env("TMPDIR", tmp.path());
    let mut server = start_command(command);
    let made = entries(tmp.path());
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].starts_with("okrsite-serve-"), "{made:?}");
    let mut half = TcpStream::connect(authority(&server.url)).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Half: ")
        .unwrap();
    let events = subscribe(&server.url);
    events.recv_timeout(Duration::from_secs(10)).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    signal(&server, libc::SIGINT);
    let took = wait_for_exit(&mut server);
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(server.child.wait().unwrap().success());
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
    drop(half);
}

/// SIGINT, SIGTERM and SIGHUP while a rebuild of the sample site runs.
#[cfg(unix)]
#[test]
fn a_signal_during_a_rebuild_leaves_tmpdir_as_it_was() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let site = tempfile::tempdir().unwrap();
        common::copy_dir(&sample.join("content"), &site.path().join("content"));
        std::fs::copy(sample.join("okrsite.toml"), site.path().join("okrsite.toml")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let mut command = serve_command(site.path(), &[]);
        command.env("TMPDIR", tmp.path());
        let mut server = start_command(command);
        // Rewriting the config rebuilds the whole site.
        let config = site.path().join("okrsite.toml");
        std::fs::write(&config, std::fs::read(&config).unwrap()).unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let rebuilt = |server: &Server| {
            let log = server.log.lock().unwrap();
            log.iter().filter(|l| l.starts_with("rebuilt")).count()
        };
        assert_eq!(rebuilt(&server), 1, "the rebuild is still under way");
        signal(&server, sig);
        wait_for_exit(&mut server);
        assert_eq!(entries(tmp.path()), Vec::<String>::new(), "signal {sig}");
    }
}

/// A file limit of 256 (macOS's default) and 300 idle sockets: an edit still
/// rebuilds, and new requests are answered.
#[cfg(unix)]
#[test]
fn many_idle_sockets_starve_neither_the_rebuild_nor_new_requests() {
    let site = common::site(None);
    let mut command = std::process::Command::new("sh");
    command
        .env("SOURCE_DATE_EPOCH", common::FIXTURE_EPOCH)
        .env("OKRSITE_LANG", "en")
        .args(["-c", "ulimit -n 256 && exec \"$0\" serve --port 0 --root \"$1\""])
        .arg(env!("CARGO_BIN_EXE_okrsite"))
        .arg(site.path());
    let server = start_command(command);
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(authority(&server.url)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let yaml = site.path().join("content/2025-Q3/product.yaml");
    let okrs = std::fs::read_to_string(&yaml).unwrap();
    let title = first_title(&okrs);
    std::fs::write(&yaml, okrs.replacen(&title, "ソケットが多くても反映される", 1)).unwrap();
    let review = format!("{}quarters/2025-Q3/product/", server.url);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    wait_until("the edit, with 300 idle sockets open", || {
        agent
            .get(&review)
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .is_some_and(|html| html.contains("ソケットが多くても反映される"))
    });
    drop(idle);
}

/// Listening on every address: a warning, and pages link to an address other
/// machines can reach, never to 0.0.0.0.
#[test]
fn a_wildcard_bind_warns_and_publishes_a_reachable_address() {
    let site = common::site(None);
    let server = start(site.path(), &["--bind", "0.0.0.0"]);
    assert!(!server.url.contains("0.0.0.0"), "{}", server.url);
    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("warning: listening on 0.0.0.0"), "{log}");
    let port = authority(&server.url).rsplit(':').next().unwrap();
    let local = format!("http://127.0.0.1:{port}/");
    let (status, html) = get(&format!("{local}quarters/2025-Q3/product/"));
    assert_eq!(status, 200);
    assert!(html.contains(&server.url), "pages link to {}", server.url);
    assert!(!html.contains("0.0.0.0"));
}

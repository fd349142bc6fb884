//! Issue 15 regression tests: serve (its private folder, signals, slow clients),
//! `--base-url` / `base_url`, `new`, `init` and how diagnostics are printed.

#[allow(unused_imports)]
use super::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Child;

/// A running `okrsite serve` with its own temp folder; killed when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_in(root: &Path, tmp: &Path, extra: &[&str]) -> Served {
    let mut child = okrsite()
        .env("TMPDIR", tmp)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("serving ") {
                let _ = tx.send(rest.split(' ').next().unwrap_or("").to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server did not start");
    Served { child, url }
}

/// The serve folders in a temp folder.
fn serve_folders(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("okrsite-serve-"))
        .collect()
}

#[cfg(unix)]
fn send_signal(pid: u32, signal: &str) {
    let killed = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .unwrap();
    assert!(killed.success());
}

#[cfg(unix)]
fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `serve --drafts` builds a copy of the drafts into its temp folder: that folder
/// is private while serve runs and gone after SIGINT, SIGTERM and SIGHUP.
#[cfg(unix)]
#[test]
fn serve_folder_is_private_and_removed_on_int_term_and_hup() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::site(None);
    for signal in ["INT", "TERM", "HUP"] {
        let tmp = tempfile::tempdir().unwrap();
        let mut served = serve_in(site.path(), tmp.path(), &["--drafts"]);
        let folders = serve_folders(tmp.path());
        assert_eq!(folders.len(), 1, "{signal}: {folders:?}");
        let mode = std::fs::metadata(&folders[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{signal}: the serve folder is readable by others");
        assert!(
            walkdir::WalkDir::new(&folders[0]).into_iter().count() > 10,
            "{signal}: the site was not built into the serve folder"
        );
        send_signal(served.child.id(), signal);
        let status = wait_for_exit(&mut served.child);
        assert!(status.success(), "{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{signal}: serve left {left:?}");
    }
}

/// A serve killed outright cannot clean up; the next one removes what it left,
/// and nothing of another live serve or that okrsite did not name.
#[cfg(unix)]
#[test]
fn the_next_serve_removes_the_folder_of_a_killed_one() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_path_buf();
    let mut first = serve_in(site.path(), &tmp, &["--drafts"]);
    let killed = serve_folders(&tmp);
    assert_eq!(killed.len(), 1);
    send_signal(first.child.id(), "KILL");
    wait_for_exit(&mut first.child);
    assert!(killed[0].exists(), "SIGKILL cannot clean up; the test proves nothing");
    // Not okrsite's, or of a live process: kept.
    let unrelated = tmp.join("okrsite-serve-notes");
    std::fs::create_dir(&unrelated).unwrap();
    let live = tmp.join(format!("okrsite-serve-{}-live", std::process::id()));
    std::fs::create_dir(&live).unwrap();

    let second = serve_in(site.path(), &tmp, &[]);
    let now = serve_folders(&tmp);
    assert!(!killed[0].exists(), "the killed serve's folder is still there: {now:?}");
    assert!(unrelated.exists() && live.exists(), "{now:?}");
    drop(second);
}

/// A client that sends half a request and stalls is dropped within 10 s.
#[test]
fn a_client_that_stops_mid_request_is_dropped() {
    let site = common::site(None);
    let tmp = tempfile::tempdir().unwrap();
    let served = serve_in(site.path(), tmp.path(), &[]);
    let addr = served
        .url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    stream.write_all(b"GET /index.html HT").unwrap();
    let mut buf = [0u8; 1024];
    let closed = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    let waited = started.elapsed();
    assert!(closed, "the server kept the connection open for {waited:?}");
    assert!(waited < Duration::from_secs(12), "dropped only after {waited:?}");
}

#[test]
fn bad_base_urls_are_usage_errors_that_say_what_is_right() {
    let site = common::site(None);
    let bad = [
        "/:okr/",
        "/*okr/",
        "/{okr}/",
        "//evil.example/",
        "http://",
        "https:///okr/",
        "?x#y",
        "/okr/?x#y",
        "/a b/",
        "/\u{1b}[31m/",
    ];
    for url in bad {
        for command in ["serve", "build"] {
            let tmp = tempfile::tempdir().unwrap();
            let mut c = okrsite();
            c.env("TMPDIR", tmp.path())
                .args([command, "--base-url", url, "--root"])
                .arg(site.path());
            if command == "serve" {
                c.args(["--port", "0"]);
            }
            let o = c.output().unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{command} --base-url {url:?}: {err}");
            assert!(err.contains("/okr/"), "{command} {url:?}: says what is right: {err}");
            assert!(!err.contains('\u{1b}'), "{command} {url:?}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // Any case of scheme, normalised to lower case.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = okrsite()
        .args(["build", "--base-url", "HTTPS://intra.example.com/okr", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap_or_default();
    let json = std::fs::read_to_string(out.join("api/okrs.json")).unwrap();
    assert!(
        json.contains("https://intra.example.com/okr/") || feed.contains("https://intra.example.com/okr/"),
        "the absolute base URL is used, in lower case"
    );
    assert!(!json.contains("HTTPS://") && !feed.contains("HTTPS://"));
}

#[test]
fn a_bad_base_url_in_okrsite_toml_is_a_diagnostic_with_its_position() {
    let site = common::site(None);
    let toml = site.path().join("okrsite.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    let config: String = config
        .lines()
        .filter(|l| !l.trim_start().starts_with("base_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    for url in ["//evil.example/", "http://", "/okr/?x#y", "/:okr/"] {
        // First, so it is not inside a [table].
        std::fs::write(&toml, format!("base_url = \"{url}\"\n{config}")).unwrap();
        let line = 1;
        let o = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{url}: {err}");
        assert!(err.contains(&format!("okrsite.toml:{line}:1")), "{url}: {err}");
        assert!(err.contains("base_url") && err.contains("\"/okr/\""), "{url}: {err}");
    }
    std::fs::write(&toml, format!("base_url = \"HTTP://intra.example.com/okr\"\n{config}")).unwrap();
    let o = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn serve_under_a_base_path_still_serves() {
    let site = common::site(None);
    let tmp = tempfile::tempdir().unwrap();
    let served = serve_in(site.path(), tmp.path(), &["--base-url", "HTTPS://x.example/okr"]);
    assert!(served.url.ends_with("/okr/"), "{}", served.url);
    assert!(served.url.starts_with("http://127.0.0.1:"), "{}", served.url);
}

/// An ESC in content (here a metric id and an unknown key) reaches the terminal
/// escaped, in the message and in the quoted line (with colour: src/content/diag.rs).
#[test]
fn control_characters_in_content_are_escaped_in_diagnostics() {
    for (replacement, shown) in [
        (
            "metric: \"sign\\e[2J\\e]0;pwned\\aups\"",
            "sign\\u{1b}[2J\\u{1b}]0;pwned\\u{7}ups",
        ),
        ("metric: signups\n        \"\\e[31mkey\": 1", "`\\u{1b}[31mkey`"),
    ] {
        let site = common::site(None);
        let file = site.path().join("content/2025-Q3/company.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("metric: signups", replacement)).unwrap();
        let o = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
        assert!(err.contains(shown), "{shown}: {err}");
    }
}

/// A one-line YAML file of megabytes with an error: the quoted line is cut
/// around the column (it printed twice the file in carets before).
#[test]
fn a_huge_one_line_yaml_error_prints_a_short_excerpt() {
    let site = common::site(None);
    let file = site.path().join("content/metrics/huge.yaml");
    // A flow mapping on one line, with an unknown key far into it.
    let mut text = String::from("{name: 大きい, unit: \"%\", direction: increase, points: [");
    for i in 0..150_000 {
        text.push_str(&format!("{{date: 2025-07-01, value: {i}}}, "));
    }
    text.push_str("], colour: red, definition: \"");
    text.push_str(&"x".repeat(1_000_000));
    text.push_str("\"}");
    std::fs::write(&file, &text).unwrap();
    let o = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("content/metrics/huge.yaml:1:"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.len() < 20_000,
        "{} bytes of diagnostics for a {} byte file",
        err.len(),
        text.len()
    );
    // The message itself quotes a 12 MB value (a string where a map belongs).
    let text = format!(
        "{{name: x, unit: \"%\", direction: increase, definition: \"{}\"}}",
        "x".repeat(12_000_000)
    );
    std::fs::write(&file, &text).unwrap();
    let o = okrsite().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let err = stderr(&o);
    let start = &err[..err.len().min(2000)];
    assert_eq!(o.status.code(), Some(1), "{start}");
    assert!(err.contains("content/metrics/huge.yaml:1:"), "{start}");
    assert!(
        err.len() < 20_000,
        "{} bytes of diagnostics for a 12 MB file",
        err.len()
    );
}

/// `SOURCE_DATE_EPOCH` for 2026-11-21: `init`'s example quarter is 2026-Q2 (a Japanese
/// site's year starts in April).
const INIT_DAY: &str = "1795219200";

fn init_site(dir: &Path) -> PathBuf {
    let site = dir.join("okr");
    let o = okrsite()
        .env("SOURCE_DATE_EPOCH", INIT_DAY)
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

fn new_quarter(site: &Path) -> Output {
    okrsite()
        .env("SOURCE_DATE_EPOCH", INIT_DAY)
        .args(["new", "2026-Q3", "product", "--root"])
        .arg(site)
        .output()
        .unwrap()
}

/// Titles that end a comment line or a YAML value when pasted: a new line, the
/// line breaks YAML 1.1 parsers know (NEL, LS), a `#`, quotes, a control character.
#[test]
fn new_writes_titles_with_a_serializer_and_comments_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let site = init_site(dir.path());
    let kr_title = "完了率\nobjectives: [{title: injected}]\n# evil: 1\nx: \"'#y";
    let objective = "迷わせない\nnot_doing: [injected]\u{85}evil: 1\u{2028}x: 1\u{7}";
    let not_doing = "a\n- b\nevil: 1";
    let team_name = "プロダクト\ninjected: 1";
    let q3 = site.join("content/2026-Q2/product.yaml");
    let text = std::fs::read_to_string(&q3).unwrap();
    let text = text
        .replace(
            "オンボーディング完了率を45%→65%",
            &serde_json::to_string(kr_title).unwrap(),
        )
        .replace(
            "オンボーディングで迷わせない",
            &serde_json::to_string(objective).unwrap(),
        )
        .replace("新規チャネルの開拓", &serde_json::to_string(not_doing).unwrap());
    std::fs::write(&q3, text).unwrap();
    let teams = site.join("content/teams.yaml");
    let text = std::fs::read_to_string(&teams).unwrap();
    std::fs::write(
        &teams,
        text.replace("プロダクトチーム", &serde_json::to_string(team_name).unwrap()),
    )
    .unwrap();
    let o = new_quarter(&site);
    assert!(o.status.success(), "{}", stderr(&o));

    let yaml = std::fs::read_to_string(site.join("content/2026-Q3/product.yaml")).unwrap();
    // Only `objectives: []` is live; every other line is a comment.
    let parsed: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(
        parsed,
        serde_yaml::from_str::<serde_yaml::Value>("objectives: []").unwrap(),
        "{yaml}"
    );
    for line in yaml.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        assert!(
            line.is_empty() || line.starts_with('#') || line == "objectives: []",
            "{line:?} in\n{yaml}"
        );
    }
    // Uncommented, a candidate is the KR's title exactly.
    let candidate: String = yaml
        .lines()
        .skip_while(|l| !l.starts_with("#     - title:"))
        .take_while(|l| l.starts_with("#     ") && !l.starts_with("#     #"))
        .map(|l| format!("{}\n", &l["#     ".len()..]))
        .collect();
    let krs: Vec<BTreeMap<String, serde_yaml::Value>> = serde_yaml::from_str(&candidate).unwrap();
    assert_eq!(krs[0]["title"], serde_yaml::Value::from(kr_title), "{candidate}");
    assert_eq!(krs[0]["metric"], serde_yaml::Value::from("onboarding"), "{candidate}");
    let not_doing_block: String = yaml
        .lines()
        .skip_while(|l| *l != "# not_doing:")
        .map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or("")))
        .collect();
    let listed: BTreeMap<String, Vec<String>> = serde_yaml::from_str(&not_doing_block).unwrap();
    assert_eq!(listed["not_doing"], [not_doing], "{not_doing_block}");
    // The site still checks (the new review is a draft).
    let o = okrsite()
        .env("SOURCE_DATE_EPOCH", INIT_DAY)
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_symbolic_link() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let site = init_site(dir.path());
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("written-by-okrsite");
    // A dangling link where `new` writes its file.
    std::fs::create_dir(site.join("content/2026-Q3")).unwrap();
    symlink(&target, site.join("content/2026-Q3/product.yaml")).unwrap();
    let o = new_quarter(&site);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("product.yaml exists"), "{}", stderr(&o));
    assert!(!target.exists(), "new wrote through a dangling link");
    assert!(!site.join("content/2026-Q3/product.md").exists());
    // The quarter's folder a link to elsewhere.
    std::fs::remove_dir_all(site.join("content/2026-Q3")).unwrap();
    symlink(outside.path(), site.join("content/2026-Q3")).unwrap();
    let o = new_quarter(&site);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "new wrote outside content/"
    );
}

/// Years 1 and 9999 (a quarter's year is 0001–9998): `init` still writes a valid site.
#[test]
fn init_at_the_edges_of_the_calendar_writes_a_valid_quarter() {
    // 0001-01-20, 0001-05-01, 9999-06-15, 9999-12-30 (the last day SOURCE_DATE_EPOCH can name).
    for epoch in ["-62133955200", "-62124278400", "253387267200", "253402128000"] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("okr");
        let o = okrsite()
            .env("SOURCE_DATE_EPOCH", epoch)
            .arg("init")
            .arg(&site)
            .output()
            .unwrap();
        assert!(o.status.success(), "{epoch}: {}", stderr(&o));
        let o = okrsite()
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["check", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        assert!(o.status.success(), "{epoch}: {}", stderr(&o));
        assert!(stderr(&o).contains("1 quarter"), "{epoch}: {}", stderr(&o));
    }
}

#[test]
fn init_prints_a_next_command_that_a_shell_can_run() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["sp ace", "it's", "$(touch x)"] {
        let site = dir.path().join(name);
        let o = okrsite().arg("init").arg(&site).output().unwrap();
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        let command = err.split("next: ").nth(1).expect(&err).trim_end();
        let words = shlex::split(command).expect(command);
        assert_eq!(
            words,
            ["okrsite", "check", "--root", site.to_str().unwrap()],
            "{command}"
        );
    }
}

/// SIGTERM while serve is still building the site the first time (the build
/// writes into the folder): the folder is removed all the same.
#[cfg(unix)]
#[test]
fn serve_stopped_during_its_first_build_removes_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_site(dir.path());
    let tmp = tempfile::tempdir().unwrap();
    let mut child = okrsite()
        .env("TMPDIR", tmp.path())
        .args(["serve", "--drafts", "--port", "0", "--root"])
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr_pipe = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = Instant::now();
    while !serve_folders(tmp.path())
        .iter()
        .any(|f| walkdir::WalkDir::new(f).into_iter().count() > 20)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    send_signal(child.id(), "TERM");
    let status = wait_for_exit(&mut child);
    let said: Vec<String> = rx.try_iter().collect();
    assert!(
        !said.iter().any(|l| l.starts_with("serving ")),
        "the first build ended before the signal; the test proves nothing: {said:?}"
    );
    assert!(status.success(), "{status:?} {said:?}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "serve left {left:?}");
}

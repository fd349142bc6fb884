//! Load on a running `okrsite serve`: many keep-alive clients reading pages, then
//! many live-reload streams told about an edit. See BENCHMARKS.md, "serve under load".
//!
//!   cargo run --release --example serve_load -- --url http://127.0.0.1:PORT/ \
//!       --clients 200 --seconds 20 [--paths a/,b.css,c.json] [--server-pid PID] \
//!       [--reload-clients 300 --edit content/2026-Q2/team.md [--edits 3] [--settle 8]]
//!
//! Load: one OS thread per client (small stacks; 200 threads are cheap next to the
//! server's work on 2 cores, and a blocking client measures exactly one request at a
//! time per connection), each with one keep-alive HTTP/1.1 connection, GETting the
//! paths in turn (each client starts at a different one). A request's latency runs
//! from writing it to reading the last byte of its body. A non-200 answer or an I/O
//! error counts as an error (the client then reconnects). Prints requests/s, p50,
//! p99, max, errors, and the slowest second; with `--server-pid`, the server's
//! resident memory before, at most during, and after the run.
//!
//! Reload: N Server-Sent Events streams on `__okrsite/events`; once every stream has
//! its first message (the current generation), appends a unique line to `--edit`
//! and times until every stream got a message with a higher generation (the quick
//! update of the edited page). Before the next edit it waits for the full rebuild
//! that follows to end (`--wait-log`: the server's log shows one more "rebuilt in"
//! line) and for the streams to be quiet for `--settle` seconds. The
//! file is put back as it was at the end.
//!
//! The last lines are `RESULT ...` key=value lines for scripts (bench/serve-load.sh).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
#[command(about = "Load on a running okrsite serve (see BENCHMARKS.md)")]
struct Args {
    /// The URL serve printed ("serving <url>").
    #[arg(long)]
    url: String,
    /// Keep-alive clients reading pages (0: no load phase).
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// How long the load runs.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Paths under the URL, comma-separated (UTF-8; percent-encoded here).
    #[arg(long, value_delimiter = ',', default_value = "")]
    paths: Vec<String>,
    /// The server's process id: its memory is sampled during the load.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Live-reload streams (0: no reload phase).
    #[arg(long, default_value_t = 0)]
    reload_clients: usize,
    /// The source file the reload phase edits (a retrospective).
    #[arg(long)]
    edit: Option<PathBuf>,
    /// How many edits the reload phase makes.
    #[arg(long, default_value_t = 3)]
    edits: usize,
    /// Seconds without a message on any stream before the next edit.
    #[arg(long, default_value_t = 2.0)]
    settle: f64,
    /// The server's log (its stderr): before each edit, wait until it shows that
    /// the rebuild after the previous edit ended, so each edit finds the server idle.
    #[arg(long)]
    wait_log: Option<PathBuf>,
}

/// `http://host:port/base/` taken apart.
struct Target {
    authority: String,
    base: String,
}

impl Target {
    fn parse(url: &str) -> Target {
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("--url must start with http://, got {url}"));
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let base = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        Target {
            authority: authority.to_string(),
            base,
        }
    }

    fn connect(&self) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(&self.authority)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            reader: BufReader::with_capacity(64 * 1024, stream.try_clone()?),
            writer: stream,
        })
    }

    /// The request target for a site path: under the base, non-ASCII percent-encoded.
    fn request_path(&self, path: &str) -> String {
        let mut out = self.base.clone();
        for b in path.trim_start_matches('/').bytes() {
            if b.is_ascii_graphic() && b != b'%' {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// A response read to its end.
struct Answer {
    status: u16,
    body_bytes: u64,
    keep_alive: bool,
}

fn io_error(what: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what)
}

impl Conn {
    fn send(&mut self, target: &Target, path: &str, accept: &str) -> std::io::Result<()> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\nUser-Agent: okrsite-serve-load\r\n\r\n",
            target.authority
        );
        self.writer.write_all(request.as_bytes())
    }

    /// Reads the status line and headers; returns the status and the headers
    /// (names lowercased).
    fn head(&mut self) -> std::io::Result<(u16, Vec<(String, String)>)> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io_error("connection closed before the status line".into()));
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io_error(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(io_error("connection closed in the headers".into()));
            }
            let header = line.trim_end();
            if header.is_empty() {
                return Ok((status, headers));
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
    }

    /// One GET, its body read and thrown away.
    fn get(&mut self, target: &Target, path: &str) -> std::io::Result<Answer> {
        self.send(target, path, "*/*")?;
        let (status, headers) = self.head()?;
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let keep_alive = !header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let body_bytes = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            let mut chunks = Chunked::new(&mut self.reader);
            std::io::copy(&mut chunks, &mut std::io::sink())?
        } else if let Some(len) = header("content-length") {
            let len: u64 = len.parse().map_err(|_| io_error(format!("bad content-length {len}")))?;
            let copied = std::io::copy(&mut (&mut self.reader).take(len), &mut std::io::sink())?;
            if copied != len {
                return Err(io_error(format!("body cut short: {copied} of {len} bytes")));
            }
            copied
        } else if status == 204 || status == 304 {
            0
        } else {
            return Err(io_error("a response without a length".into()));
        };
        Ok(Answer {
            status,
            body_bytes,
            keep_alive,
        })
    }
}

/// A chunked body as a plain reader (ends after the last chunk and its trailers).
struct Chunked<R> {
    inner: R,
    left: u64,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn new(inner: R) -> Chunked<R> {
        Chunked {
            inner,
            left: 0,
            done: false,
        }
    }

    fn line(&mut self) -> std::io::Result<String> {
        let mut line = String::new();
        if self.inner.read_line(&mut line)? == 0 {
            return Err(io_error("connection closed in a chunked body".into()));
        }
        Ok(line.trim_end().to_string())
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            let size_line = self.line()?;
            let size = size_line.split(';').next().unwrap_or("").trim();
            let size = u64::from_str_radix(size, 16).map_err(|_| io_error(format!("bad chunk size {size_line:?}")))?;
            if size == 0 {
                // Trailers, then the empty line.
                while !self.line()?.is_empty() {}
                self.done = true;
                return Ok(0);
            }
            self.left = size;
        }
        let want = buf.len().min(self.left as usize);
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io_error("connection closed in a chunk".into()));
        }
        self.left -= n as u64;
        if self.left == 0 {
            let end = self.line()?;
            if !end.is_empty() {
                return Err(io_error(format!("chunk not followed by CRLF: {end:?}")));
            }
        }
        Ok(n)
    }
}

/// What one load client did.
#[derive(Default)]
struct ClientLog {
    latencies_us: Vec<u32>,
    bytes: u64,
    errors: Vec<String>,
    reconnects: u64,
}

fn main() {
    let args = Args::parse();
    let target = Arc::new(Target::parse(&args.url));
    if args.clients > 0 {
        load(&args, &target);
    }
    if args.reload_clients > 0 {
        let file = args.edit.clone().expect("--reload-clients needs --edit FILE");
        reload(&args, &target, &file);
    }
}

fn load(args: &Args, target: &Arc<Target>) {
    let paths: Arc<Vec<String>> = Arc::new(args.paths.iter().map(|p| target.request_path(p)).collect());
    let duration = Duration::from_secs(args.seconds);
    let per_second: Arc<Vec<AtomicU64>> = Arc::new((0..=args.seconds + 1).map(|_| AtomicU64::new(0)).collect());
    let start_line = Arc::new(Barrier::new(args.clients + 1));
    let started = Arc::new(std::sync::OnceLock::<Instant>::new());
    let mut clients = Vec::new();
    for id in 0..args.clients {
        let (target, paths, per_second, start_line, started) = (
            target.clone(),
            paths.clone(),
            per_second.clone(),
            start_line.clone(),
            started.clone(),
        );
        let client = thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                // Connected before the clock starts, so the run measures requests,
                // not 200 handshakes at once.
                let conn = target.connect();
                start_line.wait();
                let t0 = *started.wait();
                run_client(id, &target, &paths, conn, t0, duration, &per_second)
            })
            .expect("cannot start a client thread");
        clients.push(client);
    }
    let memory = args.server_pid.map(|pid| MemorySampler::start(pid, duration));
    start_line.wait();
    let t0 = Instant::now();
    started.set(t0).unwrap();
    let logs: Vec<ClientLog> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let elapsed = t0.elapsed().as_secs_f64();
    report_load(args, &logs, &per_second, elapsed);
    if let Some(memory) = memory {
        memory.report();
    }
}

fn run_client(
    id: usize,
    target: &Target,
    paths: &[String],
    first: std::io::Result<Conn>,
    t0: Instant,
    duration: Duration,
    per_second: &[AtomicU64],
) -> ClientLog {
    let mut log = ClientLog::default();
    let mut conn = match first {
        Ok(c) => Some(c),
        Err(e) => {
            log.errors.push(format!("connect: {e}"));
            None
        }
    };
    let mut i = id;
    while t0.elapsed() < duration {
        let Some(c) = conn.as_mut() else {
            log.reconnects += 1;
            match target.connect() {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    log.errors.push(format!("connect: {e}"));
                    thread::sleep(Duration::from_millis(50));
                }
            }
            continue;
        };
        let path = &paths[i % paths.len()];
        i += 1;
        let sent = Instant::now();
        match c.get(target, path) {
            Ok(answer) => {
                let took = sent.elapsed();
                log.latencies_us.push(took.as_micros().min(u32::MAX as u128) as u32);
                log.bytes += answer.body_bytes;
                let second = (sent + took - t0).as_secs() as usize;
                if let Some(slot) = per_second.get(second) {
                    slot.fetch_add(1, Ordering::Relaxed);
                }
                if answer.status != 200 {
                    log.errors.push(format!("{} {path}", answer.status));
                }
                if !answer.keep_alive {
                    conn = None;
                }
            }
            Err(e) => {
                log.errors.push(format!("{path}: {e}"));
                conn = None;
            }
        }
    }
    log
}

/// The value at quantile `q` of sorted values.
fn quantile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(us: u32) -> f64 {
    us as f64 / 1000.0
}

fn report_load(args: &Args, logs: &[ClientLog], per_second: &[AtomicU64], elapsed: f64) {
    let mut all: Vec<u32> = logs.iter().flat_map(|l| l.latencies_us.iter().copied()).collect();
    all.sort_unstable();
    let errors: Vec<&String> = logs.iter().flat_map(|l| &l.errors).collect();
    let reconnects: u64 = logs.iter().map(|l| l.reconnects).sum();
    let bytes: u64 = logs.iter().map(|l| l.bytes).sum();
    let rps = all.len() as f64 / elapsed;
    // Whole seconds only: the last one is cut short by the end of the run.
    let seconds: Vec<u64> = per_second[..args.seconds as usize]
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .collect();
    let slowest = seconds.iter().copied().min().unwrap_or(0);
    let fastest = seconds.iter().copied().max().unwrap_or(0);
    println!(
        "load: {} clients, {:.1} s, {} paths: {} requests, {:.0} requests/s, {:.1} MB/s",
        args.clients,
        elapsed,
        args.paths.len(),
        all.len(),
        rps,
        bytes as f64 / elapsed / 1e6
    );
    println!(
        "  latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, p99.9 {:.2}, max {:.2}",
        ms(quantile(&all, 0.5)),
        ms(quantile(&all, 0.9)),
        ms(quantile(&all, 0.99)),
        ms(quantile(&all, 0.999)),
        ms(all.last().copied().unwrap_or(0))
    );
    println!("  requests per whole second: slowest {slowest}, fastest {fastest}; reconnects {reconnects}");
    println!("  errors: {}", errors.len());
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for e in &errors {
        *kinds.entry(e.as_str()).or_default() += 1;
    }
    for (kind, n) in kinds.iter().take(10) {
        println!("    {n} × {kind}");
    }
    println!(
        "RESULT load clients={} seconds={:.1} requests={} rps={:.0} mb_s={:.1} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={} slowest_second={} reconnects={}",
        args.clients,
        elapsed,
        all.len(),
        rps,
        bytes as f64 / elapsed / 1e6,
        ms(quantile(&all, 0.5)),
        ms(quantile(&all, 0.99)),
        ms(all.last().copied().unwrap_or(0)),
        errors.len(),
        slowest,
        reconnects
    );
}

/// The server's resident memory, sampled every 100 ms while the load runs.
struct MemorySampler {
    pid: u32,
    before_kb: u64,
    /// The most resident memory (kB) and threads seen.
    sampler: thread::JoinHandle<(u64, u64)>,
}

fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

impl MemorySampler {
    fn start(pid: u32, duration: Duration) -> MemorySampler {
        let before_kb = status_kb(pid, "VmRSS:");
        let sampler = thread::spawn(move || {
            let end = Instant::now() + duration;
            let (mut rss, mut threads) = (0, 0);
            while Instant::now() < end {
                rss = status_kb(pid, "VmRSS:").max(rss);
                threads = status_kb(pid, "Threads:").max(threads);
                thread::sleep(Duration::from_millis(100));
            }
            (rss, threads)
        });
        MemorySampler {
            pid,
            before_kb,
            sampler,
        }
    }

    fn report(self) {
        let (max_kb, threads) = self.sampler.join().unwrap();
        let after_kb = status_kb(self.pid, "VmRSS:");
        let hwm_kb = status_kb(self.pid, "VmHWM:");
        println!(
            "  server memory MB: RSS before {:.0}, at most during {:.0}, after {:.0}; peak since start (VmHWM) {:.0}; threads at most {threads}",
            self.before_kb as f64 / 1024.0,
            max_kb as f64 / 1024.0,
            after_kb as f64 / 1024.0,
            hwm_kb as f64 / 1024.0
        );
        println!(
            "RESULT memory rss_before_mb={:.0} rss_max_mb={:.0} rss_after_mb={:.0} hwm_mb={:.0} threads_max={threads}",
            self.before_kb as f64 / 1024.0,
            max_kb as f64 / 1024.0,
            after_kb as f64 / 1024.0,
            hwm_kb as f64 / 1024.0
        );
    }
}

/// A message a live-reload stream got: which stream, which generation, when.
struct Heard {
    client: usize,
    generation: u64,
    at: Instant,
}

/// Reads one event stream, sending every message's generation, until it ends.
fn listen(client: usize, target: &Target, heard: &mpsc::Sender<Heard>, stop: &AtomicBool) -> std::io::Result<()> {
    let mut conn = target.connect()?;
    // Long enough for quiet streams (keep-alive comments come every 15 s).
    conn.writer.set_read_timeout(Some(Duration::from_secs(120)))?;
    let path = format!("{}__okrsite/events", target.base);
    conn.send(target, &path, "text/event-stream")?;
    let (status, headers) = conn.head()?;
    if status != 200 {
        return Err(io_error(format!("events answered {status}")));
    }
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let mut body: Box<dyn BufRead> = if chunked {
        Box::new(BufReader::new(Chunked::new(&mut conn.reader)))
    } else {
        Box::new(&mut conn.reader)
    };
    let mut line = String::new();
    while !stop.load(Ordering::Relaxed) {
        line.clear();
        if body.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let Some(data) = line.trim_end().strip_prefix("data:") else {
            continue;
        };
        let message: serde_json::Value =
            serde_json::from_str(data.trim()).map_err(|e| io_error(format!("bad message {data:?}: {e}")))?;
        let generation = message["generation"]
            .as_u64()
            .ok_or_else(|| io_error(format!("no generation in {data:?}")))?;
        let at = Instant::now();
        if heard.send(Heard { client, generation, at }).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

fn reload(args: &Args, target: &Arc<Target>, file: &PathBuf) {
    let original = std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let n = args.reload_clients;
    let (tx, rx) = mpsc::channel::<Heard>();
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    for client in 0..n {
        let (target, tx, stop, failed) = (target.clone(), tx.clone(), stop.clone(), failed.clone());
        thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                if let Err(e) = listen(client, &target, &tx, &stop)
                    && failed.fetch_add(1, Ordering::Relaxed) < 5
                {
                    eprintln!("live-reload stream {client}: {e}");
                }
            })
            .expect("cannot start a stream thread");
    }
    drop(tx);
    // The generation each stream last heard.
    let mut latest: Vec<Option<u64>> = vec![None; n];
    let connected = Instant::now();
    while latest.iter().any(Option::is_none) && connected.elapsed() < Duration::from_secs(30) {
        if let Ok(h) = rx.recv_timeout(Duration::from_millis(100)) {
            latest[h.client] = Some(h.generation);
        }
    }
    let open = latest.iter().filter(|g| g.is_some()).count();
    println!(
        "reload: {open} of {n} streams open in {:.2} s ({} failed)",
        connected.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    let mut rebuilds = args.wait_log.as_deref().map_or(0, rebuilds_logged);
    for edit in 1..=args.edits {
        if edit > 1 {
            rebuilds = wait_for_rebuild(args.wait_log.as_deref(), rebuilds);
        }
        settle(&rx, &mut latest, Duration::from_secs_f64(args.settle));
        let before = latest.clone();
        let mut text = original.clone();
        let marker = format!(
            "\n\nserve-load edit {edit} {}\n",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        text.extend_from_slice(marker.as_bytes());
        let t0 = Instant::now();
        std::fs::write(file, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        let mut took_us: Vec<Option<u32>> = vec![None; n];
        let waiting = |took: &[Option<u32>]| (0..n).any(|c| before[c].is_some() && took[c].is_none());
        while waiting(&took_us) && t0.elapsed() < Duration::from_secs(60) {
            let Ok(h) = rx.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            latest[h.client] = Some(h.generation);
            if before[h.client].is_some_and(|b| h.generation > b) && took_us[h.client].is_none() {
                took_us[h.client] = Some((h.at - t0).as_micros().min(u32::MAX as u128) as u32);
            }
        }
        let mut times: Vec<u32> = took_us.iter().flatten().copied().collect();
        times.sort_unstable();
        println!(
            "  edit {edit}: {} of {open} streams told in {:.0} ms at most (p50 {:.0} ms, p99 {:.0} ms)",
            times.len(),
            ms(times.last().copied().unwrap_or(0)),
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.99))
        );
        println!(
            "RESULT reload clients={n} open={open} edit={edit} told={} p50_ms={:.0} p99_ms={:.0} max_ms={:.0}",
            times.len(),
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.99)),
            ms(times.last().copied().unwrap_or(0))
        );
    }
    let rebuilds = wait_for_rebuild(args.wait_log.as_deref(), rebuilds);
    std::fs::write(file, &original).unwrap_or_else(|e| panic!("cannot restore {}: {e}", file.display()));
    wait_for_rebuild(args.wait_log.as_deref(), rebuilds);
    stop.store(true, Ordering::Relaxed);
}

/// How many full rebuilds the server's log shows as done.
fn rebuilds_logged(log: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines().filter(|l| l.starts_with("rebuilt in")).count()
}

/// Waits (at most 10 minutes) until the log shows more ended rebuilds than
/// `seen`; returns the new count. Without a log, returns at once.
fn wait_for_rebuild(log: Option<&std::path::Path>, seen: usize) -> usize {
    let Some(log) = log else { return seen };
    let started = Instant::now();
    loop {
        let now = rebuilds_logged(log);
        if now > seen || started.elapsed() > Duration::from_secs(600) {
            return now;
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// Takes messages until none came for `quiet`: the rebuild that follows an edit
/// has been announced (or there was none), so the next edit is timed on its own.
fn settle(rx: &mpsc::Receiver<Heard>, latest: &mut [Option<u64>], quiet: Duration) {
    while let Ok(h) = rx.recv_timeout(quiet) {
        latest[h.client] = Some(h.generation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_read_to_their_end_and_no_further() {
        let stream = b"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
        let mut reader = &stream[..];
        let mut body = String::new();
        Chunked::new(&mut reader).read_to_string(&mut body).unwrap();
        assert_eq!(body, "hello, world");
        assert_eq!(reader, b"NEXT", "the next response is left unread");
        let mut cut = &b"5\r\nhel"[..];
        assert!(Chunked::new(&mut cut).read_to_string(&mut String::new()).is_err());
        let mut bad = &b"zz\r\n"[..];
        assert!(Chunked::new(&mut bad).read_to_string(&mut String::new()).is_err());
    }

    #[test]
    fn paths_go_under_the_base_percent_encoded() {
        let target = Target::parse("http://127.0.0.1:8080/okr");
        assert_eq!(target.authority, "127.0.0.1:8080");
        assert_eq!(target.request_path("tags/価格/"), "/okr/tags/%E4%BE%A1%E6%A0%BC/");
        assert_eq!(target.request_path("/a b%"), "/okr/a%20b%25");
        assert_eq!(Target::parse("http://[::1]:1/").request_path(""), "/");
    }

    #[test]
    fn quantiles_are_values_seen() {
        let sorted: Vec<u32> = (1..=100).collect();
        assert_eq!(quantile(&sorted, 0.5), 50);
        assert_eq!(quantile(&sorted, 0.99), 99);
        assert_eq!(quantile(&sorted, 1.0), 100);
        assert_eq!(quantile(&[7], 0.99), 7);
        assert_eq!(quantile(&[], 0.5), 0);
    }
}

#!/usr/bin/env bash
# `okrsite serve` under load, and how fast it stops. See BENCHMARKS.md, "serve under load".
#
#   bash bench/serve-load.sh [--dir /tmp/okrsite-serve-load] [--teams 200] [--quarters 12]
#                            [--clients 200] [--seconds 20] [--reload-clients 300] [--edits 3]
#                            [--stops 2] [--sites "sample synth"]   (--stops 0: no stops)
#
# For each site (the repo's sample `content/`, copied; a synthetic one from
# examples/synth.rs, TEAMS × QUARTERS, seed 1):
#   1. starts `okrsite serve --port 0` with TMPDIR set to a fresh folder, reads its
#      `serving <url>` line;
#   2. runs examples/serve_load.rs twice, CLIENTS keep-alive clients for SECONDS
#      each: "pages", a mix of real paths (index, learnings, six review pages, a team
#      page, a tag page, the stylesheet), then "pages+json", the same mix plus the
#      JSON export api/okrs.json (32 MB on the large site); then RELOAD_CLIENTS
#      live-reload streams told about EDITS edits of one retrospective, each made
#      with the server idle (the rebuild after the previous one ended);
#   3. prints the server's peak memory (VmHWM: the builds included) and its resident
#      memory after the run, stops it with SIGINT and checks TMPDIR is empty.
# Then, on the synthetic site, stops during a rebuild: starts serve, touches
# okrsite.toml (a full rebuild), waits 0.3 s, sends the signal and times the stop
# in phases: signal → port closed (connections closed, accept loop over) → work
# folder renamed for removal (runtime shut down, build stopped) → process gone
# (folder removed), and when TMPDIR is empty (serve may hand the removal to another
# process). STOPS times each for SIGINT and SIGTERM with TMPDIR on the disk, once
# with SIGHUP, and once each for SIGINT and SIGTERM with TMPDIR on tmpfs (/dev/shm).
# Last, a control: `rm -rf` of a fresh `okrsite build` of the same site on the disk.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=/tmp/okrsite-serve-load
TEAMS=200
QUARTERS=12
CLIENTS=200
SECONDS_=20
RELOAD=300
EDITS=3
STOPS=2
SITES="sample synth"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --teams) TEAMS="$2"; shift 2 ;;
    --quarters) QUARTERS="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --reload-clients) RELOAD="$2"; shift 2 ;;
    --edits) EDITS="$2"; shift 2 ;;
    --stops) STOPS="$2"; shift 2 ;;
    --sites) SITES="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet --bin okrsite --example synth --example serve_load
mkdir -p "$DIR"
# Copies, so that a rebuild of the repo during a long run cannot swap the binaries.
for b in okrsite examples/synth examples/serve_load; do cp "target/release/$b" "$DIR/"; done
OKRSITE="$DIR/okrsite"
RESULTS="$DIR/results.txt"
: > "$RESULTS"
echo "machine: $(nproc) CPUs; $(uptime)" | tee -a "$RESULTS"

# The sites: the sample copied (the reload phase edits it), the synthetic one generated once.
rm -rf "$DIR/sample"
mkdir -p "$DIR/sample"
cp -a content okrsite.toml "$DIR/sample/"
synth="$DIR/synth-$TEAMS"
if [ ! -f "$synth/epoch" ]; then
  rm -rf "$synth"
  "$DIR/synth" --teams "$TEAMS" --quarters "$QUARTERS" --out "$synth" > "$DIR/synth.txt"
  grep -o 'SOURCE_DATE_EPOCH=[0-9]*' "$DIR/synth.txt" | cut -d= -f2 > "$synth/epoch"
fi

SERVER_PID=""
SERVER_URL=""
# A server left by a failed step is stopped with the script.
trap '[ -z "$SERVER_PID" ] || kill -INT "$SERVER_PID" 2>/dev/null || true' EXIT
# start_server ROOT TMP LOG: starts serve on ROOT with TMPDIR=TMP; sets SERVER_PID, SERVER_URL.
start_server() {
  local root="$1" tmp="$2" log="$3"
  rm -rf "$tmp"; mkdir -p "$tmp"
  TMPDIR="$tmp" "$OKRSITE" serve --port 0 --root "$root" 2> "$log" &
  SERVER_PID=$!
  for _ in $(seq 1200); do
    SERVER_URL=$(grep -o 'serving [^ ]*' "$log" | head -1 | cut -d' ' -f2 || true)
    [ -n "$SERVER_URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.25
  done
  echo "serve did not start in 300 s" >&2; cat "$log" >&2; return 1
}

status_mb() { awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# paths_of GENERATION: the request mix, one per line, site-relative.
paths_of() {
  local g="$1"
  echo ""                        # the index
  echo "learnings/"
  # Six review pages, spread over the quarters and teams.
  local reviews
  reviews=$(cd "$g" && find quarters -mindepth 3 -maxdepth 3 -name index.html | sort)
  local n
  n=$(echo "$reviews" | wc -l)
  for i in 1 2 3 4 5 6; do
    echo "$reviews" | sed -n "$(( (n * i) / 7 + 1 ))p" | sed 's/index\.html$//'
  done
  (cd "$g" && find teams -mindepth 2 -maxdepth 2 -name index.html | sort | tail -1 | sed 's/index\.html$//')
  (cd "$g" && find tags -mindepth 2 -maxdepth 2 -name index.html | sort | head -1 | sed 's/index\.html$//')
  echo "assets/okrsite.css"
  echo "api/okrs.json"
}

for site in $SITES; do
  case "$site" in
    sample) root="$DIR/sample"; unset SOURCE_DATE_EPOCH || true ;;
    synth) root="$synth"; export SOURCE_DATE_EPOCH; SOURCE_DATE_EPOCH=$(cat "$synth/epoch") ;;
    *) echo "unknown site $site" >&2; exit 2 ;;
  esac
  tmp="$DIR/tmp-$site"
  log="$DIR/serve-$site.log"
  echo "== $site: $(find "$root/content" -name '*.md' | wc -l) Markdown files; $(uptime)" | tee -a "$RESULTS"
  start_server "$root" "$tmp" "$log"
  gen=$(ls -d "$tmp"/okrsite-serve-*/generation-* | head -1)
  echo "served from $gen: $(find "$gen" -type f | wc -l) files, $(du -sm --apparent-size "$gen" | cut -f1) MB" | tee -a "$RESULTS"
  mapfile -t paths < <(paths_of "$gen")
  for p in "${paths[@]}"; do
    f="$gen/$p"; [ -d "$f" ] && f="$f/index.html"
    printf '  %-60s %8d bytes\n' "/$p" "$(stat -c %s "$f")"
  done | tee -a "$RESULTS"
  # The retrospective the reload phase edits: the one of the last review page served
  # (a published one: editing a draft changes no page, so no tab is told; a review
  # page may have no retrospective).
  retro=""
  for review in $(cd "$gen" && find quarters -mindepth 3 -maxdepth 3 -name index.html | sort -r); do
    md="$root/content/$(echo "$review" | cut -d/ -f2)/$(echo "$review" | cut -d/ -f3).md"
    if [ -f "$md" ] && ! grep -q '^draft: *true' "$md"; then retro="$md"; break; fi
  done
  echo "server RSS before the load: $(status_mb "$SERVER_PID" VmRSS) MB, peak so far $(status_mb "$SERVER_PID" VmHWM) MB" | tee -a "$RESULTS"
  pages=$(IFS=,; echo "${paths[*]}" | sed 's/,api\/okrs\.json$//')
  for mix in pages pages+json; do
    mixed="$pages"; [ "$mix" = pages+json ] && mixed="$pages,api/okrs.json"
    echo "-- $mix; $(uptime)" | tee -a "$RESULTS"
    "$DIR/serve_load" --url "$SERVER_URL" --clients "$CLIENTS" --seconds "$SECONDS_" \
      --paths "$mixed" --server-pid "$SERVER_PID" | sed "s/^RESULT \([a-z]*\)/RESULT \1 site=$site mix=$mix/" | tee -a "$RESULTS"
  done
  echo "-- reload: $retro; $(uptime)" | tee -a "$RESULTS"
  "$DIR/serve_load" --url "$SERVER_URL" --clients 0 --reload-clients "$RELOAD" --edit "$retro" \
    --edits "$EDITS" --wait-log "$log" | sed "s/^RESULT \([a-z]*\)/RESULT \1 site=$site/" | tee -a "$RESULTS"
  echo "server after the run: RSS $(status_mb "$SERVER_PID" VmRSS) MB, peak since start (VmHWM) $(status_mb "$SERVER_PID" VmHWM) MB; $(uptime)" | tee -a "$RESULTS"
  echo "RESULT after site=$site rss_mb=$(status_mb "$SERVER_PID" VmRSS) hwm_mb=$(status_mb "$SERVER_PID" VmHWM)" >> "$RESULTS"
  t0=$(date +%s%N)
  kill -INT "$SERVER_PID"
  wait "$SERVER_PID" || true
  took=$(( ($(date +%s%N) - t0) / 1000000 ))
  SERVER_PID=""
  left=$(ls -A "$tmp" | wc -l)
  # What is left may still be being removed by a process serve started: wait for it.
  for _ in $(seq 1200); do [ -z "$(ls -A "$tmp")" ] && break; sleep 0.1; done
  empty=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ -z "$(ls -A "$tmp")" ] || empty=never
  echo "stopped (idle, SIGINT) in $took ms; left in TMPDIR: $left entries; empty after $empty ms" | tee -a "$RESULTS"
  echo "RESULT idlestop site=$site ms=$took left_entries=$left empty_ms=$empty" >> "$RESULTS"
done

# The stops: a full rebuild of the large site running when the signal comes.
[ "$STOPS" -gt 0 ] || { echo "(stops skipped)" >&2; STOPS=""; }
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(cat "$synth/epoch")
[ -z "$STOPS" ] || echo "== stops on $synth during a rebuild; $(uptime)" | tee -a "$RESULTS"
[ -z "$STOPS" ] || python3 - "$OKRSITE" "$synth" "$DIR" "$STOPS" <<'EOF' | tee -a "$RESULTS"
import os, re, signal, socket, subprocess, sys, time, glob, shutil

okrsite, root, disk, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def refused(port):
    s = socket.socket()
    s.settimeout(0.05)
    try:
        s.connect(("127.0.0.1", port))
        return False
    except OSError:
        return True
    finally:
        s.close()

def tree(path):
    files = size = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for f in filenames:
            try:  # another process may be removing the folder meanwhile
                size += os.lstat(os.path.join(dirpath, f)).st_size
                files += 1
            except FileNotFoundError:
                pass
    return files, size

def one(sig, run, base):
    where = "tmpfs" if base.startswith("/dev/shm") else "disk"
    tmp = os.path.join(base, f"tmp-stop-{sig.name}-{run}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    log_path = os.path.join(disk, f"stop-{where}-{sig.name}-{run}.log")
    log = open(log_path, "w+")
    p = subprocess.Popen([okrsite, "serve", "--port", "0", "--root", root],
                         stderr=log, stdout=subprocess.DEVNULL, env={**os.environ, "TMPDIR": tmp})
    url = None
    deadline = time.time() + 300
    while url is None and time.time() < deadline:
        time.sleep(0.1)
        m = re.search(r"serving (http://[^/ ]+:(\d+)/)", open(log_path).read())
        if m:
            url, port = m.group(1), int(m.group(2))
    if url is None:
        p.kill()
        sys.exit("serve did not start:\n" + open(log_path).read())
    files, size = tree(tmp)
    time.sleep(1)
    os.utime(os.path.join(root, "okrsite.toml"))
    time.sleep(0.3)
    t0 = time.monotonic()
    p.send_signal(sig)
    closed = renamed = None
    while p.poll() is None:
        now = time.monotonic() - t0
        if closed is None and refused(port):
            closed = now
        if renamed is None and glob.glob(os.path.join(tmp, "okrsite-serve-*-removing")):
            renamed = now
        time.sleep(0.002)
    gone = time.monotonic() - t0
    left_files, left_size = tree(tmp)
    entries = os.listdir(tmp)
    # What is left may still be being removed by a process serve started: wait for it.
    while os.listdir(tmp) and time.monotonic() - t0 < 120:
        time.sleep(0.01)
    empty = time.monotonic() - t0
    empty_s = f"{empty:.3f}" if not os.listdir(tmp) else "never"
    shutil.rmtree(tmp, ignore_errors=True)
    tail = [l for l in open(log_path).read().splitlines() if not l.startswith("serving")][-2:]
    fmt = lambda t: "-" if t is None else f"{t:.3f}"
    load = open("/proc/loadavg").read().split()[0]
    print(f"{sig.name} {where} run {run} (work folder {files} files, {size / 1e6:.0f} MB; load {load}): "
          f"exit {p.returncode}, port closed {fmt(closed)} s, folder renamed {fmt(renamed)} s, "
          f"process gone {gone:.3f} s; TMPDIR entries left {len(entries)} ({left_files} files, "
          f"{left_size / 1e6:.1f} MB), TMPDIR empty after {empty_s} s; log: {' | '.join(tail)}")
    print(f"RESULT stop signal={sig.name} tmp={where} run={run} closed_s={fmt(closed)} renamed_s={fmt(renamed)} "
          f"gone_s={gone:.3f} left_entries={len(entries)} left_mb={left_size / 1e6:.1f} empty_s={empty_s} load={load}")

shm = "/dev/shm/okrsite-serve-load"
os.makedirs(shm, exist_ok=True)
for sig, count, base in [(signal.SIGINT, runs, disk), (signal.SIGTERM, runs, disk), (signal.SIGHUP, 1, disk),
                         (signal.SIGINT, 1, shm), (signal.SIGTERM, 1, shm)]:
    for run in range(1, count + 1):
        one(sig, run, base)
shutil.rmtree(shm, ignore_errors=True)

# The control: removing a fresh build of the same site on the same disk, as serve does.
out = os.path.join(disk, "rm-control")
shutil.rmtree(out, ignore_errors=True)
subprocess.run([okrsite, "build", "--root", root, "--output", out], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
files, size = tree(out)
t0 = time.monotonic()
subprocess.run(["rm", "-rf", out], check=True)
took = time.monotonic() - t0
print(f"control: rm -rf of a fresh build ({files} files, {size / 1e6:.0f} MB) on the same disk: {took:.3f} s")
print(f"RESULT rmcontrol files={files} mb={size / 1e6:.0f} s={took:.3f}")
EOF

# The tables of BENCHMARKS.md from the RESULT lines.
python3 - "$RESULTS" <<'EOF'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        kind, *pairs = line.split()[1:]
        rows[kind].append(dict(p.split("=", 1) for p in pairs))
mem = {(m["site"], m["mix"]): m for m in rows["memory"]}
print("| site | mix | clients | requests/s | MB/s | p50 ms | p99 ms | max ms | errors | slowest second | server RSS before → at most, MB | threads at most |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows["load"]:
    m = mem.get((r["site"], r["mix"]), {})
    print(f"| {r['site']} | {r['mix']} | {r['clients']} | {r['rps']} | {r['mb_s']} | {r['p50_ms']} | {r['p99_ms']} | "
          f"{r['max_ms']} | {r['errors']} | {r['slowest_second']} | {m.get('rss_before_mb')} → {m.get('rss_max_mb')} | {m.get('threads_max')} |")
print()
for r in rows["after"]:
    print(f"{r['site']}: after the run RSS {r['rss_mb']} MB, peak since start (VmHWM, the builds included) {r['hwm_mb']} MB")
print()
print("| site | streams | edit | told | p50 ms | p99 ms | max ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows["reload"]:
    print(f"| {r['site']} | {r['open']} of {r['clients']} | {r['edit']} | {r['told']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} |")
print()
print("| signal | TMPDIR on | run | port closed s | folder renamed s | process gone s | left in TMPDIR at exit | TMPDIR empty s | load |")
print("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
for r in rows["stop"]:
    print(f"| {r['signal']} | {r['tmp']} | {r['run']} | {r['closed_s']} | {r['renamed_s']} | {r['gone_s']} | "
          f"{r['left_entries']} entries, {r['left_mb']} MB | {r['empty_s']} | {r['load']} |")
for r in rows["idlestop"]:
    print(f"\n{r['site']}: idle stop (SIGINT after the run) {r['ms']} ms, {r['left_entries']} entries left in TMPDIR, "
          f"empty after {r['empty_ms']} ms")
for r in rows["rmcontrol"]:
    print(f"\nrm -rf of a fresh build ({r['files']} files, {r['mb']} MB) on the same disk: {r['s']} s")
EOF
echo "results in $RESULTS" >&2

#!/usr/bin/env bash
# The large-organisation benchmark (issue 22): what a reader downloads from a site of
# many teams. See BENCHMARKS.md, "Large organisations (issue 22)".
#
#   bash bench/large-org.sh [--teams "50 400 1600"] [--quarters 8] [--dir /tmp/okrsite-large-org]
#                           [--bin target/release/okrsite] [--no-search] [--reuse] [--measure-only]
#
# For each team count: generates the synthetic site (examples/synth.rs, seed 1, N teams ×
# 8 quarters) into DIR/N/site, builds it with --bin into DIR/N/out with the
# SOURCE_DATE_EPOCH the generator prints, and measures:
#   - the dashboard (index.html) and the latest quarter's page (quarters/<newest>/index.html):
#     HTML bytes and element count (every start tag, as document.getElementsByTagName('*')
#     counts them: Python's html.parser, so tags inside <script> and <style> are not counted);
#   - feed.xml's bytes; the largest output file; the total size and number of files;
#   - the build's wall time and peak memory (GNU time);
#   - unless --no-search, `node bench/search-browser.mjs DIR/N/out` (Chromium,
#     tests/browser's node_modules): for each query it reports as a JSON line
#     ({"query": …, "bytes": …, "requests": …}), the bytes and requests it cost. An older
#     search-browser.mjs that prints no JSON lines is read for its "with the exact count
#     N KB" per query (bytes only, requests unknown), or reported as such, never a failure.
# and prints one Markdown table, a column per team count.
#
# --bin defaults to target/release/okrsite (build it with
# `cargo build --release --bin okrsite --example synth`); pass another binary (main's, say)
# for a "before" column. --reuse keeps a site already generated in DIR/N/site;
# --measure-only measures the outputs, build times and search logs of an earlier run again.
# 1,600 teams needs several GB of memory and a minute or more.
set -euo pipefail
cd "$(dirname "$0")/.."

TEAMS="50 400 1600"
QUARTERS=8
DIR=/tmp/okrsite-large-org
BIN=target/release/okrsite
SYNTH=target/release/examples/synth
SEARCH=1
REUSE=0
MEASURE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --teams) TEAMS="$2"; shift 2 ;;
    --quarters) QUARTERS="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --synth) SYNTH="$2"; shift 2 ;;
    --no-search) SEARCH=0; shift ;;
    --reuse) REUSE=1; shift ;;
    --measure-only) MEASURE_ONLY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in "$BIN" "$SYNTH"; do
  if [ ! -x "$tool" ]; then
    echo "$tool is missing: cargo build --release --bin okrsite --example synth" >&2
    exit 2
  fi
done
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null
fi

mkdir -p "$DIR"
RESULTS="$DIR/results.jsonl"
: >"$RESULTS"
for n in $TEAMS; do
  site="$DIR/$n/site"
  out="$DIR/$n/out"
  search_log="$DIR/$n/search.txt"
  if [ "$MEASURE_ONLY" = 1 ]; then
    :
  elif [ "$REUSE" = 1 ] && [ -s "$DIR/$n/EPOCH" ]; then
    echo "== $n teams: reusing $site" >&2
  else
    rm -rf "$site"
    mkdir -p "$site"
    echo "== $n teams: generating" >&2
    "$SYNTH" --teams "$n" --quarters "$QUARTERS" --out "$site" | tee "$DIR/$n/synth.txt" >&2
    sed -n 's/.*SOURCE_DATE_EPOCH=\([0-9]*\).*/\1/p' "$DIR/$n/synth.txt" >"$DIR/$n/EPOCH"
  fi
  if [ "$MEASURE_ONLY" = 0 ]; then
  epoch=$(cat "$DIR/$n/EPOCH")
  rm -rf "$out"
  echo "== $n teams: building with $BIN" >&2
  SOURCE_DATE_EPOCH="$epoch" /usr/bin/time -f '%e %M' -o "$DIR/$n/time.txt" \
    "$BIN" build --root "$site" --output "$out" --base-url https://okr.example.com/ >"$DIR/$n/build.log" 2>&1 \
    || { cat "$DIR/$n/build.log" >&2; exit 1; }
  if [ "$SEARCH" = 1 ]; then
    echo "== $n teams: searching" >&2
    if ! node bench/search-browser.mjs "$out" >"$search_log" 2>&1; then
      echo "search-browser.mjs failed (see $search_log)" >>"$search_log"
    fi
  else
    echo "not run (--no-search)" >"$search_log"
  fi
  fi
  python3 - "$n" "$out" "$DIR/$n/time.txt" "$search_log" >>"$RESULTS" <<'PY'
import json, os, sys
from html.parser import HTMLParser

teams, out, time_file, search_log = sys.argv[1:5]

class Count(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.n = 0
    def handle_starttag(self, tag, attrs):
        self.n += 1
    def handle_startendtag(self, tag, attrs):
        self.n += 1

def page(rel):
    path = os.path.join(out, rel)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    c = Count()
    c.feed(text)
    c.close()
    return {'path': rel, 'bytes': os.path.getsize(path), 'elements': c.n}

files = []
for d, _, names in os.walk(out):
    for name in names:
        p = os.path.join(d, name)
        if not os.path.islink(p):
            files.append((os.path.getsize(p), os.path.relpath(p, out)))
files.sort(reverse=True)
quarters = sorted(q for q in os.listdir(os.path.join(out, 'quarters'))
                  if os.path.isfile(os.path.join(out, 'quarters', q, 'index.html')))
wall, rss_kb = open(time_file).read().split()[-2:]
feed = os.path.join(out, 'feed.xml')
search, search_note = [], ''
for line in open(search_log, encoding='utf-8', errors='replace'):
    line = line.strip()
    if line.startswith('JSON '):
        line = line[len('JSON '):]
    if line.startswith('{'):
        try:
            q = json.loads(line)
        except ValueError:
            continue
        if 'query' in q:
            search.append(q)
if not search:
    # An older search-browser.mjs: "later query 動画: first results … with the exact count 50.2 KB, …".
    import re
    for line in open(search_log, encoding='utf-8', errors='replace'):
        m = re.match(r'(?:first|later) query (.+?): .*with the exact count ([\d.]+) KB', line)
        if m:
            search.append({'query': m.group(1), 'bytes': round(float(m.group(2)) * 1024), 'requests': '?'})
    if search:
        search_note = 'bytes read from the older text output; requests not reported'
if not search:
    lines = [l.strip() for l in open(search_log, encoding='utf-8', errors='replace') if l.strip()]
    search_note = lines[-1] if lines else 'no output'
print(json.dumps({
    'teams': int(teams),
    'dashboard': page('index.html'),
    'quarter': page(os.path.join('quarters', quarters[-1], 'index.html')),
    'feed_bytes': os.path.getsize(feed) if os.path.exists(feed) else None,
    'largest': {'path': files[0][1], 'bytes': files[0][0]},
    'over_5mb': [p for s, p in files if s > 5 * 1024 * 1024],
    'total_bytes': sum(s for s, _ in files),
    'files': len(files),
    'build_s': float(wall),
    'max_rss_mb': int(rss_kb) / 1024,
    'search': search,
    'search_note': search_note,
}, ensure_ascii=False))
PY
done

python3 - "$RESULTS" "$BIN" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
kb = lambda b: '—' if b is None else f'{b / 1024:,.0f} KB'
mb = lambda b: f'{b / 1024 / 1024:,.1f} MB'
rows = [
    ('dashboard HTML', lambda r: kb(r['dashboard']['bytes'])),
    ('dashboard elements', lambda r: f"{r['dashboard']['elements']:,}"),
    ('latest quarter page HTML', lambda r: f"{kb(r['quarter']['bytes'])} ({r['quarter']['path'].split('/')[1]})"),
    ('latest quarter page elements', lambda r: f"{r['quarter']['elements']:,}"),
    ('feed.xml', lambda r: kb(r['feed_bytes'])),
    ('largest output file', lambda r: f"{mb(r['largest']['bytes'])} `{r['largest']['path']}`"),
    ('files over 5 MB', lambda r: str(len(r['over_5mb']))),
    ('total output', lambda r: f"{mb(r['total_bytes'])} in {r['files']:,} files"),
    ('build (wall)', lambda r: f"{r['build_s']:.1f} s"),
    ('build peak memory', lambda r: f"{r['max_rss_mb']:,.0f} MB"),
]
queries = []
for r in runs:
    for q in r['search']:
        if q['query'] not in queries:
            queries.append(q['query'])
def search_cell(r, query):
    for q in r['search']:
        if q['query'] == query:
            return f"{kb(q.get('bytes'))}, {q.get('requests', '?')} req"
    return '—'
for query in queries:
    rows.append((f'search `{query}`', lambda r, query=query: search_cell(r, query)))
print(f"binary: {sys.argv[2]}\n")
print('| | ' + ' | '.join(f"{r['teams']:,} teams" for r in runs) + ' |')
print('| --- |' + ' --- |' * len(runs))
for name, cell in rows:
    print(f'| {name} | ' + ' | '.join(cell(r) for r in runs) + ' |')
for r in runs:
    if r['search_note']:
        print(f"\nsearch at {r['teams']:,} teams: no per-query JSON lines from bench/search-browser.mjs: {r['search_note']}")
    if r['over_5mb']:
        print(f"\nfiles over 5 MB at {r['teams']:,} teams: " + ', '.join(r['over_5mb']))
PY

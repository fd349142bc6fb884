#!/usr/bin/env bash
# okrsite vs Hugo on the same machine, in one run. See BENCHMARKS.md.
#
#   bash bench/run.sh [--teams "50 200 800"] [--quarters 12] [--runs 3] [--dir /tmp/okrsite-bench]
#                     [--out /dev/shm/okrsite-bench-out]
#
# --out puts both tools' output in that folder (for example on tmpfs, to take the
# file system's inode allocation out of the comparison); by default each writes
# into its site folder on the same disk as the sources.
#
# A full build starts with no output, as on a fresh clone: the previous output is
# moved aside (renamed), and everything moved aside is deleted only after the last
# measurement. Deleting it just before the build instead (--delete) measures the file
# system more than the tools: on ext4 without a journal (this machine's root) each new
# inode is allocated past every inode deleted in the last minute, so creating N files
# right after deleting N costs time in proportion to N², and okrsite writes about
# three times as many files as the Hugo baseline.
#
# For each team count: generates the synthetic site (examples/synth.rs, seed 1),
# copies its retrospectives into a Hugo site with minimal templates (plain Markdown
# pages, tag pages), then measures, RUNS times each, with /usr/bin/time:
#   full      okrsite build / hugo with no previous output
#   no-op     the same again, the previous output in place
#   one-edit  after appending a line to one retrospective
# (every full build first, then the rebuilds: see the comment above the loops; one
# unmeasured full build of each tool per team count before its measured ones)
# and prints the median wall time, CPU time (user + system) and peak memory (max RSS)
# as a Markdown table, plus the okrsite / Hugo ratio of the full-build wall times.
# Installs Debian's hugo with apt when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

TEAMS="50 200 800"
QUARTERS=12
RUNS=3
DIR=/tmp/okrsite-bench
OUT=""
DELETE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --teams) TEAMS="$2"; shift 2 ;;
    --quarters) QUARTERS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --delete) DELETE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v hugo >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin okrsite --example synth
mkdir -p "$DIR"
# Copies, so that a rebuild of the repo during a long run cannot swap the binary.
cp target/release/okrsite "$DIR/okrsite"
cp target/release/examples/synth "$DIR/synth"
OKRSITE="$DIR/okrsite"
SYNTH="$DIR/synth"
RESULTS="$DIR/results.tsv"
: > "$RESULTS"

# measure LABEL TEAMS TOOL SCENARIO -- command...: one timed run, appended to $RESULTS.
measure() {
  local teams="$1" tool="$2" scenario="$3"
  shift 4
  local t
  /usr/bin/time -o "$DIR/time.txt" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  t=$(tail -1 "$DIR/time.txt")
  echo -e "$teams\t$tool\t$scenario\t$t" >> "$RESULTS"
  echo "  $tool $scenario: $t (wall s, user s, sys s, max RSS KB)" >&2
}

# set_aside DIR...: removes each folder (--delete) or renames it to DIR.aside.N, which
# `remove_set_aside` deletes once nothing is being measured.
set_aside() {
  local d
  for d in "$@"; do
    [ -e "$d" ] || continue
    if [ "$DELETE" = 1 ]; then rm -rf "$d"; else mv "$d" "$d.aside.$(date +%s%N)"; fi
  done
  sync
}
ASIDE_PARENTS=()
remove_set_aside() {
  local p
  for p in "${ASIDE_PARENTS[@]}"; do
    find "$p" -maxdepth 1 -name '*.aside.*' -exec rm -rf {} +
  done
}
trap remove_set_aside EXIT

hugo_site() {
  local src="$1" dst="$2"
  # Made once per synthetic site (deleting and copying 2,400 files just before a
  # measurement would slow the file creation measured next; see `set_aside`).
  [ "$dst/hugo.toml" -nt "$src/epoch" ] && return
  set_aside "$dst"
  mkdir -p "$dst/content" "$dst/layouts/_default"
  for q in "$src"/content/*-Q*; do
    mkdir -p "$dst/content/$(basename "$q")"
    cp "$q"/*.md "$dst/content/$(basename "$q")/"
  done
  cat > "$dst/hugo.toml" <<'EOF'
baseURL = "http://example.org/"
languageCode = "ja"
title = "Hugo baseline"
disableKinds = ["RSS", "sitemap"]
EOF
  cat > "$dst/layouts/_default/baseof.html" <<'EOF'
<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
EOF
  cat > "$dst/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
EOF
  cat > "$dst/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
EOF
}

# prepare N: makes the synthetic site and its Hugo copy for N teams and sets, for
# that team count, `site`, `hugo_dir`, `retro`, `hretro`, `out` and `hout`.
prepare() {
  local n="$1"
  site="$DIR/synth-$n"
  if [ ! -f "$site/epoch" ]; then
    rm -rf "$site"
    "$SYNTH" --teams "$n" --quarters "$QUARTERS" --out "$site" | tee "$DIR/synth-$n.txt" >&2
    grep -o 'SOURCE_DATE_EPOCH=[0-9]*' "$DIR/synth-$n.txt" | cut -d= -f2 > "$site/epoch"
  fi
  export SOURCE_DATE_EPOCH
  SOURCE_DATE_EPOCH=$(cat "$site/epoch")
  hugo_dir="$DIR/hugo-$n"
  hugo_site "$site" "$hugo_dir"
  # The retrospective edited in the one-edit runs: the last one in path order.
  retro=$(ls "$site"/content/*-Q*/*.md | sort | tail -1)
  hretro="$hugo_dir/content/${retro#"$site"/content/}"
  if [ -n "$OUT" ]; then
    out="$OUT/okrsite-$n"; hout="$OUT/hugo-$n"; mkdir -p "$OUT"
  else
    out="$site/public"; hout="$hugo_dir/public"
  fi
  ASIDE_PARENTS+=("$DIR" "$(dirname "$out")" "$(dirname "$hout")" "$hugo_dir")
}

# Every full build is measured before any no-op or one-edit build, of either tool
# and any team count. A rebuild deletes files (okrsite swaps in a new tree and
# removes the old one's folders; Hugo removes nothing), and on ext4 without a
# journal every inode deleted in the last minute or more (up to six while its
# inode table block is unwritten) is stepped over, one by one, by each inode
# allocated next: a full build measured right after a rebuild measures those
# deletions (about 1.3 s of system time at 200 teams). A full build is the one a
# fresh clone makes, with nothing deleted before it.
for n in $TEAMS; do
  prepare "$n"
  echo "== $n teams ($(ls "$site"/content/*-Q*/*.md | wc -l) retrospectives): full builds" >&2
  # One full build of each tool first, not measured (as hyperfine's --warmup): the
  # first build of a team count was the slowest of its runs for both tools (files
  # and binary not yet in the page cache; okrsite 1.91 s against 1.55 and 1.59 at
  # 200 teams, Hugo 0.89 against 0.79 and 0.68). Its output is set aside, not deleted.
  set_aside "$out"
  "$OKRSITE" build --root "$site" --output "$out" >/dev/null 2>&1
  set_aside "$hout" "$hugo_dir/resources"
  hugo --quiet --source "$hugo_dir" --destination "$hout" >/dev/null 2>&1
  for run in $(seq "$RUNS"); do
    set_aside "$out"
    measure "$n" okrsite full -- "$OKRSITE" build --root "$site" --output "$out"
    set_aside "$hout" "$hugo_dir/resources"
    measure "$n" hugo full -- hugo --quiet --source "$hugo_dir" --destination "$hout"
  done
done

for n in $TEAMS; do
  prepare "$n"
  echo "== $n teams: rebuilds" >&2
  cp "$retro" "$DIR/retro.orig"
  for run in $(seq "$RUNS"); do
    # The output as the sources are now (the last run's edit undone), not measured.
    "$OKRSITE" build --root "$site" --output "$out" >/dev/null 2>&1
    measure "$n" okrsite no-op -- "$OKRSITE" build --root "$site" --output "$out"
    echo "編集 $run $(date +%s%N)" >> "$retro"
    measure "$n" okrsite one-edit -- "$OKRSITE" build --root "$site" --output "$out"
    cp "$DIR/retro.orig" "$retro"
    hugo --quiet --source "$hugo_dir" --destination "$hout" >/dev/null 2>&1
    measure "$n" hugo no-op -- hugo --quiet --source "$hugo_dir" --destination "$hout"
    echo "編集 $run $(date +%s%N)" >> "$hretro"
    measure "$n" hugo one-edit -- hugo --quiet --source "$hugo_dir" --destination "$hout"
    cp "$DIR/retro.orig" "$hretro"
  done
  du -sh --apparent-size "$out" "$hout" >&2
  echo -e "$n\tokrsite\tfiles\t$(find "$out" -type f | wc -l) $(du -s --apparent-size -m "$out" | cut -f1)" >> "$RESULTS"
  echo -e "$n\thugo\tfiles\t$(find "$hout" -type f | wc -l) $(du -s --apparent-size -m "$hout" | cut -f1)" >> "$RESULTS"
done

python3 - "$RESULTS" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(list)
files = {}
for line in open(sys.argv[1]):
    teams, tool, scenario, rest = line.rstrip("\n").split("\t")
    if scenario == "files":
        files[(teams, tool)] = rest.split()
        continue
    wall, user, sys_, rss = map(float, rest.split())
    rows[(int(teams), tool, scenario)].append((wall, user + sys_, rss / 1024))
print("| teams | tool | build | wall s (median) | CPU s (median) | peak MB (median) | runs |")
print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
for key in sorted(rows, key=lambda k: (k[0], k[1] != "okrsite", ["full", "no-op", "one-edit"].index(k[2]))):
    v = rows[key]
    med = [statistics.median(x[i] for x in v) for i in range(3)]
    print(f"| {key[0]} | {key[1]} | {key[2]} | {med[0]:.2f} | {med[1]:.2f} | {med[2]:.0f} | {len(v)} |")
print()
print("| teams | okrsite full / Hugo full (wall) | okrsite files, MB | Hugo files, MB |")
print("| ---: | ---: | --- | --- |")
for t in sorted({k[0] for k in rows}):
    o = statistics.median(x[0] for x in rows[(t, "okrsite", "full")])
    h = statistics.median(x[0] for x in rows[(t, "hugo", "full")])
    fo = files.get((str(t), "okrsite"), ["?", "?"])
    fh = files.get((str(t), "hugo"), ["?", "?"])
    print(f"| {t} | {o / h:.2f}× | {fo[0]}, {fo[1]} | {fh[0]}, {fh[1]} |")
print()
# Issue 23's targets, from the medians above: okrsite within 2.0× of Hugo, a no-change
# rebuild within 0.3× of the full build, peak memory within 512 MB at 200 teams, and
# memory per team not growing with the number of teams (linear at most).
print("| teams | okrsite / Hugo (full) | no-op / full (okrsite) | peak MB (full) | peak MB per team |")
print("| ---: | ---: | ---: | ---: | ---: |")
for t in sorted({k[0] for k in rows}):
    med = lambda scenario, i, tool="okrsite": statistics.median(x[i] for x in rows[(t, tool, scenario)])
    full, noop, peak = med("full", 0), med("no-op", 0), med("full", 2)
    ratio = f"{full / med('full', 0, 'hugo'):.2f}×" if (t, "hugo", "full") in rows else "—"
    print(f"| {t} | {ratio} | {noop / full:.2f}× | {peak:.0f} | {peak / t:.2f} |")
EOF

#!/usr/bin/env bash
# Linear cost for every input shape (issue 15). See BENCHMARKS.md, "Input shapes".
#
#   bash bench/shapes.sh [--scale 1] [--only "md-stars check-learnings ..."] [--bin PATH]
#                        [--dir /tmp/okrsite-shapes] [--timeout 300]
#
# Generates each hostile shape at two sizes (N and 2N, times --scale) on top of the
# base test fixture, runs `okrsite check` and `okrsite build` (release binary, or
# --bin) under /usr/bin/time, and prints a Markdown table of wall time and peak memory
# (max RSS) with the ratio of the 2N run to the N run: linear cost shows a ratio
# near 2 (a quadratic step shows 4). A run that exceeds --timeout seconds is shown
# as "> timeout".
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=1
ONLY=""
BIN=""
DIR=/tmp/okrsite-shapes
TIMEOUT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "$BIN" ]; then
  cargo build --release --quiet --bin okrsite
  BIN=target/release/okrsite
fi
mkdir -p "$DIR"
cp "$BIN" "$DIR/okrsite"
export SOURCE_DATE_EPOCH=1761955200 NO_COLOR=1

# Shape name and its base size N (the issue's measured sizes, about).
SHAPES="md-stars:300000 md-empty-items:80000 md-empty-table:400 md-markers-line:20000
md-quotes-line:90000 md-divs:100000 mem-paragraphs:4 mem-prose:15 mem-raw-html:4 check-learnings:60000
check-unknown-metrics:8000 check-objective-warnings:5000 check-teams:4000
check-duplicate-krs:3000 check-parent-chain:20000 tags:2000
check-parent-cycle:20000 check-broken-checkins:10000 check-broken-krs:10000
check-broken-points:10000 check-aligns-to:20000 check-anchor-diagnostics:8000
check-long-line:10000 check-many-metrics:10000"

# gen SHAPE N DIR: writes a site of that shape and size into DIR.
gen() {
  rm -rf "$3"
  cp -r tests/fixtures/base "$3"
  python3 - "$1" "$2" "$3" <<'EOF'
import sys, os
shape, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
q = os.path.join(root, "content", "2025-Q3")
def retro(body):
    with open(os.path.join(q, "product.md"), "w") as f:
        f.write("---\ntitle: shapes\n---\n\n" + body)
def okrs(text):
    with open(os.path.join(q, "product.yaml"), "w") as f:
        f.write(text)
if shape == "md-stars":
    retro("a\\*" * n + "\n")
elif shape == "md-empty-items":
    retro("-\n" * n)
elif shape == "md-empty-table":  # N rows of 120 empty cells
    cols = 120
    retro("|" + " a |" * cols + "\n|" + "---|" * cols + "\n" + ("|" + " |" * cols + "\n") * n)
elif shape == "md-markers-line":
    retro("- " * n + "x\n")
elif shape == "md-quotes-line":
    retro("> " * n + "x\n")
elif shape == "md-divs":
    retro("<div>" * n + "\n")
elif shape == "mem-paragraphs":  # N MB of short paragraphs
    retro("段落 a\n\n" * (n * 1024 * 1024 // 11))
elif shape == "mem-prose":  # N MB of prose
    line = "これは長い文章の一行です。English words follow the Japanese text here. " * 2 + "\n"
    retro(line * (n * 1024 * 1024 // len(line.encode())))
elif shape == "mem-raw-html":  # N MB of raw HTML paragraphs
    retro("<p>x</p>\n\n" * (n * 1024 * 1024 // 10))
elif shape == "check-learnings":
    retro("## 学び\n" + "".join(f"- 学び{i} #t{i % 10}\n" for i in range(n)))
elif shape == "check-unknown-metrics":
    krs = "".join(f"      - id: k{i}\n        title: KR {i}\n        metric: nope-{i}\n        baseline: 0\n        target: 1\n" for i in range(n))
    okrs("objectives:\n  - id: o\n    title: O\n    key_results:\n" + krs)
elif shape == "check-objective-warnings":  # each objective has one KR: a warning each
    okrs("objectives:\n" + "".join(f"  - id: o{i}\n    title: O {i}\n    key_results:\n      - {{title: K, score: 0.5}}\n" for i in range(n)))
elif shape == "check-teams":  # every team names a parent that does not exist
    with open(os.path.join(root, "content", "teams.yaml"), "w") as f:
        f.write("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n")
        f.write("".join(f"- id: team-{i}\n  name: T{i}\n  parent: nobody-{i}\n" for i in range(n)))
elif shape == "check-duplicate-krs":
    krs = "".join(f"      - id: same\n        title: KR {i}\n        score: 0.5\n" for i in range(n))
    okrs("objectives:\n  - id: o\n    title: O\n    key_results:\n" + krs)
elif shape == "check-parent-chain":
    with open(os.path.join(root, "content", "teams.yaml"), "w") as f:
        f.write("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n- id: t0\n  name: T0\n  parent: company\n")
        f.write("".join(f"- id: t{i}\n  name: T{i}\n  parent: t{i-1}\n" for i in range(1, n)))
elif shape == "tags":  # one learning with N distinct tags
    retro("## 学び\n- 一つの学び " + " ".join(f"#tag{i}" for i in range(n)) + "\n")
elif shape == "check-parent-cycle":  # N teams in one cycle of `parent`
    with open(os.path.join(root, "content", "teams.yaml"), "w") as f:
        f.write("- id: company\n  name: C\n- id: product\n  name: P\n  parent: company\n")
        f.write("".join(f"- id: t{i}\n  name: T{i}\n  parent: t{(i + 1) % n}\n" for i in range(n)))
elif shape == "check-broken-checkins":  # N check-ins whose status is not a colour
    cis = "".join(f"          - {{date: 2025-09-15, status: blue{i}}}\n" for i in range(n))
    okrs("objectives:\n  - id: o\n    title: O\n    key_results:\n      - title: K\n        score: 0.5\n        checkins:\n" + cis)
elif shape == "check-broken-krs":  # N KRs with an unknown key each
    krs = "".join(f"      - title: KR {i}\n        score: 0.5\n        scroe{i}: 1\n" for i in range(n))
    okrs("objectives:\n  - id: o\n    title: O\n    key_results:\n" + krs)
elif shape == "check-broken-points":  # N metric points that are not numbers
    with open(os.path.join(root, "content", "metrics", "signups.yaml"), "w") as f:
        f.write("name: S\nunit: x\ndirection: increase\naggregate: sum\npoints:\n")
        f.write("".join(f"  - {{date: 2025-07-07, value: x{i}}}\n" for i in range(n)))
elif shape == "check-aligns-to":  # N objectives aligned to N objectives of one team
    okrs("objectives:\n" + "".join(f"  - id: p{i}\n    title: P\n    aligns_to: company/c{i}\n    key_results:\n      - {{title: K, score: 0.5}}\n      - {{title: L, score: 0.5}}\n" for i in range(n)))
    with open(os.path.join(q, "company.yaml"), "w") as f:
        f.write("objectives:\n" + "".join(f"  - id: c{i}\n    title: C\n    key_results:\n      - {{title: K, score: 0.5}}\n      - {{title: L, score: 0.5}}\n" for i in range(n)))
elif shape == "check-anchor-diagnostics":  # one anchor, N KRs naming unknown metrics
    krs = "".join(f"      - id: k{i}\n        title: KR {i}\n        metric: nope-{i}\n        baseline: 0\n        target: 1\n" for i in range(n))
    okrs("objectives:\n  - id: o\n    title: &t O\n    key_results:\n" + krs)
elif shape == "check-long-line":  # N objectives on one line, each KR naming an unknown metric
    okrs("objectives: [" + ", ".join(f"{{id: o{i}, title: O, key_results: [{{title: K, metric: nope{i}, baseline: 0, target: 1}}]}}" for i in range(n)) + "]\n")
elif shape == "check-many-metrics":  # N metric files, N KRs naming unknown metrics
    for i in range(n):
        with open(os.path.join(root, "content", "metrics", f"m{i}.yaml"), "w") as f:
            f.write("name: S\nunit: x\ndirection: increase\naggregate: sum\npoints: {2025-07-07: 1}\n")
    okrs("objectives:\n  - id: o\n    title: O\n    key_results:\n" + "".join(f"      - {{title: K, metric: nope{i}, baseline: 0, target: 1}}\n" for i in range(n)))
else:
    sys.exit(f"unknown shape {shape}")
EOF
}

# run LABEL CMD...: prints "wall_s peak_MB" (or "> timeout").
run() {
  /usr/bin/time -o "$DIR/time.txt" -f "%e %M" timeout "$TIMEOUT" "$@" >/dev/null 2>&1 || true
  if grep -q "status 124" "$DIR/time.txt"; then
    echo "timeout timeout"
  else
    tail -1 "$DIR/time.txt" | awk '{printf "%.2f %.0f\n", $1, $2 / 1024}'
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "timeout" || b == "timeout" || a + 0 < 0.05) print "–"; else printf "%.1f", b / a }'; }

echo "| shape | N | check s | check MB | build s | build MB | 2N check s | 2N check MB | 2N build s | 2N build MB | time ratio check / build |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for entry in $SHAPES; do
  shape=${entry%%:*}
  base=${entry##*:}
  if [ -n "$ONLY" ] && ! grep -qw -- "$shape" <<<"$ONLY"; then continue; fi
  n=$(awk -v b="$base" -v s="$SCALE" 'BEGIN { printf "%d", b * s }')
  row="| $shape | $n"
  declare -a cw=() bw=()
  for size in "$n" $((n * 2)); do
    site="$DIR/$shape-$size"
    gen "$shape" "$size" "$site"
    c=$(run "$DIR/okrsite" check --root "$site")
    b=$(run "$DIR/okrsite" build --root "$site" --output "$DIR/out")
    rm -rf "$DIR/out"
    cw+=("${c%% *}"); bw+=("${b%% *}")
    row="$row | ${c// / | } | ${b// / | }"
    echo "  $shape $size: check $c, build $b" >&2
    rm -rf "$site"
  done
  echo "$row | $(ratio "${cw[0]}" "${cw[1]}") / $(ratio "${bw[0]}" "${bw[1]}") |"
done

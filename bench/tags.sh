#!/usr/bin/env bash
# Many tags on one learning (issue 15): time, peak memory, pages and output bytes of
# `okrsite build` for one learning with N `#tags`, for each N given.
#
#   bash bench/tags.sh [--bin target/release/okrsite] [N...]     (default N: 1000 2000 4000)
#
# Every tag gets a page that shows the learning's card; the card shows 10 tags and
# "+N more", so the output grows linearly with N (it grew with N²: 2,000 tags made
# 244 MB). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/okrsite
if [ "${1:-}" = "--bin" ]; then
  bin=$2
  shift 2
fi
[ -x "$bin" ] || cargo build --release
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1000 2000 4000)

echo "| tags on one learning | wall time | peak memory | pages | output bytes |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir=$(mktemp -d)
  mkdir -p "$dir/site"
  cp -a tests/fixtures/base/. "$dir/site/"
  tags=$(seq -f "#tag%06g" 0 $((n - 1)) | tr '\n' ' ')
  printf -- "---\ntitle: t\n---\n\n## 学び\n\n- たくさんのタグ %s\n" "$tags" >"$dir/site/content/2025-Q3/product.md"
  SOURCE_DATE_EPOCH=1761955200 /usr/bin/time -f "%e %M" -o "$dir/time" \
    "$bin" build --root "$dir/site" --output "$dir/out" >/dev/null 2>&1
  read -r wall kb <"$dir/time"
  pages=$(find "$dir/out" -name '*.html' | wc -l)
  bytes=$(find "$dir/out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  echo "| $n | ${wall} s | $((kb / 1024)) MB | $pages | $bytes |"
  rm -rf "$dir"
done

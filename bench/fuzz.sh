#!/usr/bin/env bash
# Long fuzz runs of the property-test targets in tests/it/no_panic.rs (the fuzz_* tests).
#
#   bash bench/fuzz.sh [MINUTES] [TARGET...]
#
# Runs each target (default: every fuzz_* test) for MINUTES minutes (default 10; decimals
# allowed, e.g. 0.2) in release mode, in batches of random cases (a fresh seed per
# batch), and prints per target the cases executed, the failures, and the slowest case.
# A case fails on a panic, a broken output property, or taking over FUZZ_MAX_MS
# (default 1000) ms; a batch fails if it hangs (MINUTES + 5 min timeout) or exceeds
# FUZZ_MEMORY_MB (default 4096) of address space. Logs of failed batches (with the
# minimal failing input proptest shrank to) go to target/fuzz/.
#
# CI does not run this: `cargo test` runs every target with a small number of cases
# (set PROPTEST_CASES to change it).
set -uo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
shift || true
if [ "$#" -gt 0 ]; then
  # The tests live in the `no_panic` module of the one test binary (tests/it/main.rs);
  # a name given without it (`fuzz_teams_yaml`, `shapes::fuzz_huge_numbers`) gets it in front.
  targets=()
  for t in "$@"; do
    case "$t" in no_panic::*) targets+=("$t") ;; *) targets+=("no_panic::$t") ;; esac
  done
else
  # Targets in tests/it/no_panic.rs (no_panic::name), and in its modules
  # (tests/it/no_panic/<module>.rs → no_panic::module::name).
  mapfile -t targets < <(
    grep -oE '^fn (fuzz_[a-z_]+)\(\)' tests/it/no_panic.rs | sed -E 's/^fn (.*)\(\)/no_panic::\1/'
    for f in tests/it/no_panic/*.rs; do
      grep -oE '^fn (fuzz_[a-z_]+)\(\)' "$f" | sed -E "s/^fn (.*)\\(\\)/no_panic::$(basename "$f" .rs)::\\1/"
    done
  )
fi
max_ms=${FUZZ_MAX_MS:-1000}
memory_mb=${FUZZ_MEMORY_MB:-4096}
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')

echo "::: building the integration tests (tests/it/main.rs) in release"
bin=$(cargo test --release --test it --no-run 2>&1 | sed -n 's/.*Executable tests\/it\/main.rs (\(.*\))/\1/p' | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "could not build or find the integration test binary (tests/it/main.rs)" >&2
  exit 2
fi
mkdir -p target/fuzz
echo "::: ${#targets[@]} targets × ${seconds} s, at most ${max_ms} ms per case, ${memory_mb} MB"

summary=()
failed_targets=0
for target in "${targets[@]}"; do
  deadline=$(( $(date +%s) + seconds ))
  cases=0 failures=0 batches=0 slowest=0 batch=50
  started=$(date +%s.%N)
  while [ "$(date +%s)" -lt "$deadline" ]; do
    batches=$((batches + 1))
    log="target/fuzz/${target}-${batches}.log"
    batch_started=$(date +%s.%N)
    (
      ulimit -v $((memory_mb * 1024))
      OKRSITE_FUZZ_DEADLINE=$deadline OKRSITE_FUZZ_MAX_MS=$max_ms PROPTEST_CASES=$batch \
        exec timeout $((seconds + 300)) "$bin" --exact "$target" --nocapture --test-threads 1
    ) >"$log" 2>&1
    rc=$?
    line=$(grep -oE "FUZZ ${target##*::}: [0-9]+ cases, slowest [0-9]+ ms" "$log" | tail -1)
    n=$(sed -E 's/.*: ([0-9]+) cases.*/\1/' <<<"$line")
    ms=$(sed -E 's/.*slowest ([0-9]+) ms.*/\1/' <<<"$line")
    n=${n:-0} ms=${ms:-0}
    cases=$((cases + n))
    [ "$ms" -gt "$slowest" ] && slowest=$ms
    if [ "$rc" -ne 0 ]; then
      failures=$((failures + 1))
      why="exit $rc"
      [ "$rc" -eq 124 ] && why="hung (timeout)"
      echo "  $target: batch $batches FAILED ($why), log: $log"
      grep -E "panicked|minimal failing input|Test failed|FUZZ" "$log" | head -5 | sed 's/^/    /'
    else
      rm -f "$log"
    fi
    # Aim at batches of about 20 s, so a fresh seed comes often and an overrun is short.
    took=$(awk -v a="$batch_started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    left=$(( deadline - $(date +%s) ))
    batch=$(awk -v n="$n" -v t="$took" -v left="$left" 'BEGIN {
      r = (t > 0 ? n / t : 50); s = (left < 20 ? left : 20); b = int(r * s) + 1
      if (b < 10) b = 10; if (b > 200000) b = 200000; print b }')
  done
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  rate=$(awk -v n="$cases" -v t="$elapsed" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
  line=$(printf "%-40s %10d cases %5d failures  slowest %6d ms  %7s cases/s  (%d batches, %s s)" \
    "$target" "$cases" "$failures" "$slowest" "$rate" "$batches" "$elapsed")
  echo "$line"
  summary+=("$line")
  [ "$failures" -gt 0 ] && failed_targets=$((failed_targets + 1))
done

echo
echo "::: summary (${minutes} min per target, release)"
printf '%s\n' "${summary[@]}"
if [ "$failed_targets" -gt 0 ]; then
  echo "::: $failed_targets target(s) failed; see target/fuzz/"
  exit 1
fi
echo "::: no failures"

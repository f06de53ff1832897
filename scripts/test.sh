#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): install dependencies, then for the release build and the
# ASan+UBSan build: unit tests and fuzz corpora (ctest), integration tests with the real binary (pytest);
# finally the whole tree built with clang and a short libFuzzer run of every fuzz target. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

run_suite() {
  local dir=$1
  echo "=== ctest ($dir) ==="
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
  echo "=== integration tests ($dir) ==="
  BULWARK_BIN="$PWD/$dir/src/app/bulwark" /usr/bin/python3 -m pytest -q -p no:cacheprovider test/integration
}

scripts/build.sh release
run_suite build

scripts/build.sh asan
# Leak checking stays on for unit tests; the server under test is killed by signals at times.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 run_suite build-asan

if [ "${BULWARK_SKIP_FUZZ:-0}" != 1 ]; then
  scripts/build.sh fuzz
  echo "=== fuzzing (${BULWARK_FUZZ_SECONDS:-20}s per target) ==="
  while read -r name binary corpus dict; do
    work=$(mktemp -d)
    cp -r "$corpus"/. "$work"/
    "$binary" -max_total_time="${BULWARK_FUZZ_SECONDS:-20}" -print_final_stats=1 ${dict:+-dict=$dict} "$work" </dev/null \
      >"$work.log" 2>&1 || { tail -60 "$work.log"; exit 1; }
    echo "$name: $(grep -m1 'stat::number_of_executed_units' "$work.log" | awk '{print $2}') executions, no crash"
    rm -rf "$work" "$work.log"
  done < build-fuzz/fuzz_targets.txt
fi
echo "=== all tests passed ==="

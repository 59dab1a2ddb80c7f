#!/usr/bin/env bash
# Sums the surefire XML reports of both engine runs (every module's
# target/surefire-reports-continuation and target/surefire-reports-virtual-thread) and prints
#   engine continuation:   N tests, N failures, N errors, N skipped
#   engine virtual-thread: ...
#   test: N passed, N failed[, N skipped]
# passed = tests - failures - errors - skipped; failed = failures + errors.
# Exit status: 0 when nothing failed, 1 when something failed, 2 when one engine ran tests
# and the other ran none (a broken execution must not pass silently).
# Usage: scripts/test-summary.sh [repository root]
set -euo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root"

shopt -s nullglob
status=0
total_t=0 total_f=0 total_e=0 total_s=0
engines_with_tests=0 engines_without=()
for engine in continuation virtual-thread; do
  files=(*/target/surefire-reports-"$engine"/TEST-*.xml target/surefire-reports-"$engine"/TEST-*.xml)
  if [ ${#files[@]} -eq 0 ]; then
    counts="0 0 0 0"
  else
    # The <testsuite ...> start tag carries the counts; attribute order varies, so pick each by name.
    counts=$(awk '
      function attr(line, name,   m) {
        if (match(line, " " name "=\"[0-9]+\"")) {
          m = substr(line, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m + 0
        }
        return 0
      }
      FNR == 1 { insuite = 0 }
      !insuite && /<testsuite[ >]/ {
        insuite = 1
        t += attr($0, "tests"); f += attr($0, "failures"); e += attr($0, "errors"); s += attr($0, "skipped")
      }
      END { printf "%d %d %d %d\n", t, f, e, s }
    ' "${files[@]}")
  fi
  read -r t f e s <<<"$counts"
  printf 'engine %-15s %d tests, %d failures, %d errors, %d skipped\n' "$engine:" "$t" "$f" "$e" "$s"
  if [ "$t" -gt 0 ]; then engines_with_tests=$((engines_with_tests + 1)); else engines_without+=("$engine"); fi
  total_t=$((total_t + t)) total_f=$((total_f + f)) total_e=$((total_e + e)) total_s=$((total_s + s))
done

failed=$((total_f + total_e))
passed=$((total_t - failed - total_s))
line="test: $passed passed, $failed failed"
[ "$total_s" -gt 0 ] && line="$line, $total_s skipped"
echo "$line"

if [ "$failed" -gt 0 ]; then
  status=1
elif [ "$engines_with_tests" -eq 1 ]; then
  echo "test-summary: no test reports from the ${engines_without[*]} engine run, although the other engine ran tests" >&2
  status=2
elif [ "$total_t" -eq 0 ]; then
  echo "test-summary: warning: no test reports found (no tests ran)" >&2
fi
exit "$status"

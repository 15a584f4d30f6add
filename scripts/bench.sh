#!/usr/bin/env bash
# Measures Rightsdesk against its performance targets (issue 8) and prints every
# figure beside its target:
#   1. builds the UI, then the app and the bench tools in release (one cargo run);
#   2. writes three data sets (1,000 / 10,000 / 100,000 requests, ~10 timeline
#      events each; deterministic, seed 42) into encrypted databases in target/bench/;
#   3. core benchmarks on each size (list, detail, dashboard, register 1,000);
#   4. the whole app on 100,000 requests: start to the first painted list, idle
#      memory (PSS) of all its processes, whether the list is virtualised; and
#      its floor: the same app on an empty database (first-run screen).
# Results: target/bench-results.md (a summary table to paste into the README's
# Performance section, then every figure at every size) and .json.
# Run after scripts/test.sh's set-up (packages, npm ci). Options:
#   --quick      fewer samples and app starts (a smoke run)
#   --skip-app   core benchmarks only (no release build of the app)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

quick=""
app=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --skip-app) app=0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
started=$(date +%s)
export RIGHTSDESK_PASSPHRASE="${RIGHTSDESK_BENCH_PASSPHRASE:-rightsdesk-bench}"
data=target/bench
results=target/bench-results.json
mkdir -p "$data"

if [ "$app" = 1 ]; then
  step "build: UI, then app and bench tools (release)"
  npm --prefix ui run build >/dev/null
  cargo build --release --locked -p rightsdesk-app -p rightsdesk-bench
else
  step "build: bench tools (release)"
  cargo build --release --locked -p rightsdesk-bench
fi

step "data sets (seed 42)"
for n in 1000 10000 100000; do
  target/release/gen-dataset --requests "$n" --seed 42 --out "$data/$n.sqlite3" --force >"$data/$n.summary.json"
done

step "core benchmarks"
target/release/bench-core $quick --fresh --out "$results" \
  --data "$data/1000.sqlite3" --data "$data/10000.sqlite3" --data "$data/100000.sqlite3" >/dev/null

if [ "$app" = 1 ]; then
  step "whole app on 100,000 requests (release build, Xvfb + WebKitWebDriver)"
  runs=3
  [ -n "$quick" ] && runs=1
  target/release/bench-app --app target/release/rightsdesk-app --db "$data/100000.sqlite3" --size 100000 \
    --runs "$runs" --floor --out "$results" >/dev/null
fi

step "results ($(( $(date +%s) - started )) s in all)"
cat "${results%.json}.md"

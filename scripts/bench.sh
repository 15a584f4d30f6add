#!/usr/bin/env bash
# Measures Rightsdesk against its performance targets (issue 8) and prints every
# figure beside its target:
#   1. builds the UI, then the app and the bench tools in release (one cargo run);
#   2. four data sets (1,000 / 10,000 / 100,000 / 1,000,000 requests, ~10
#      timeline events each; deterministic, seed 42) in encrypted databases in
#      target/bench/, generated once and kept between runs: a set is written
#      again only when the generator's sources or the schema's migrations
#      change (their hash is kept beside it, in N.sqlite3.key);
#   3. core benchmarks on 1,000 to 100,000 (list, detail, dashboard, register
#      1,000, CSV import, export), each on a fresh copy of its kept set, and the
#      reading ones (list, one request, dashboard) on 1,000,000; and fetching
#      and filing 1,000 new mails from a Dovecot started for it (target under
#      10 s; needs dovecot-imapd, as the mailbox tests do);
#   4. the whole app on 100,000 requests: start (from exec) to the first painted
#      list, idle memory (PSS) of all its processes, whether the list is
#      virtualised; and its floor: the same app on an empty database.
# Results: target/bench-results.md (a summary table to paste into the README's
# Performance section, each target met or missed with its reason at 100,000
# and 1,000,000, how each figure grows from 1,000 to 1,000,000, then every
# figure at every size) and .json; the targets are printed again at the end.
# Run after scripts/test.sh's set-up (packages, npm ci). Options:
#   --quick      fewer samples and app starts (a smoke run)
#   --skip-app   core benchmarks only (no release build of the app)
#   --skip-million  no 1,000,000-request set (its first generation takes the
#                longest part of a run on a fresh clone; later runs reuse it)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

quick=""
app=1
sizes="1000 10000 100000 1000000"
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --skip-app) app=0 ;;
    --skip-million) sizes="1000 10000 100000" ;;
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

step "data sets (seed 42; kept in $data between runs)"
# What the sets are a function of: the generator and the schema it fills.
key=$(cat src-tauri/crates/bench/src/dataset/*.rs src-tauri/crates/bench/src/people.rs src-tauri/crates/bench/src/rng.rs \
  src-tauri/crates/bench/src/bin/gen_dataset.rs src-tauri/crates/core/src/store/migrations/*.sql src-tauri/crates/core/src/store/migrations.rs |
  sha256sum | cut -c1-16)
for n in $sizes; do
  kept="$data/$n.sqlite3"
  if [ -f "$kept" ] && [ "$(cat "$kept.key" 2>/dev/null)" = "$key" ]; then
    echo "$n requests: kept from an earlier run"
    continue
  fi
  rm -f "$kept" "$kept.key" "$kept-wal" "$kept-shm"
  t=$(date +%s)
  # The million: the requests and their timelines, which its reading benchmarks read (no data map,
  # tasks, evidence or letters, which would make it a 12 GB file and a quarter of an hour to write).
  only=""
  [ "$n" = 1000000 ] && only="--requests-only"
  target/release/gen-dataset --requests "$n" --seed 42 --out "$kept" --force $only >"$data/$n.summary.json"
  echo "$key" >"$kept.key"
  echo "$n requests: generated in $(( $(date +%s) - t )) s ($(du -m "$kept" | cut -f1) MB)"
done
# The benchmarks (and the app) may write to a register: they get copies, the kept sets stay as generated.
# The 1,000,000 set is only read (and too big to copy each run): it is used in place.
for n in 1000 10000 100000; do
  cp "$data/$n.sqlite3" "$data/run-$n.sqlite3"
  rm -f "$data/run-$n.sqlite3-wal" "$data/run-$n.sqlite3-shm"
done

step "core benchmarks"
large=()
case "$sizes" in *1000000*) large=(--large "$data/1000000.sqlite3") ;; esac
target/release/bench-core $quick --fresh --out "$results" \
  --data "$data/run-1000.sqlite3" --data "$data/run-10000.sqlite3" --data "$data/run-100000.sqlite3" \
  "${large[@]}" >/dev/null

if [ "$app" = 1 ]; then
  step "whole app on 100,000 requests (release build, Xvfb + WebKitWebDriver)"
  runs=3
  [ -n "$quick" ] && runs=1
  target/release/bench-app --app target/release/rightsdesk-app --db "$data/run-100000.sqlite3" --size 100000 \
    --runs "$runs" --floor --out "$results" >/dev/null
fi

rm -f "$data"/run-*.sqlite3 "$data"/run-*.sqlite3-wal "$data"/run-*.sqlite3-shm

step "results ($(( $(date +%s) - started )) s in all)"
cat "${results%.json}.md"
printf '\n==> Targets at 100,000 and 1,000,000 requests (%s s in all)\n' "$(( $(date +%s) - started ))"
sed -n '/^## Targets/,/^## Growth/p' "${results%.json}.md" | grep -v '^## \|^```\|^$'

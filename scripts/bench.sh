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
#      virtualised; and its floor: the same app on an empty database;
#   5. both stores side by side at 100,000 requests (issue 18): the local file and
#      a team register on a throwaway PostgreSQL 15 started here (loopback, TLS
#      with a CA generated for it, scram; stopped and removed at the end, also on
#      failure), the set moved in as `team migrate` moves it and four officers
#      added: the list's first page and one request (p50), 1,000 registrations one
#      after another and 1,000 from 4 clients at once (each a different officer;
#      checked: 1,000 distinct references, each client's events under its name,
#      the audit chain intact), each beside its store's target (bench-stores;
#      about 5 minutes, most of it the move; needs postgresql 15 and openssl).
# Results: target/bench-results.md (a summary table to paste into the README's
# Performance section, each target met or missed with its reason at 100,000
# and 1,000,000, how each figure grows from 1,000 to 1,000,000, then every
# figure at every size) and .json; the targets are printed again at the end.
# Run after scripts/test.sh's set-up (packages, npm ci). Options:
#   --quick      fewer samples and app starts (a smoke run)
#   --skip-app   core benchmarks only (no release build of the app)
#   --skip-million  no 1,000,000-request set (its first generation takes the
#                longest part of a run on a fresh clone; later runs reuse it)
#   --stores     only the store comparison (5.): the 100,000 set and bench-stores
#   --skip-stores  no store comparison
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

quick=""
app=1
core=1
stores=1
sizes="1000 10000 100000 1000000"
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --skip-app) app=0 ;;
    --skip-million) sizes="1000 10000 100000" ;;
    --stores) core=0 app=0 stores=1 ;;
    --skip-stores) stores=0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

[ "$core" = 0 ] && sizes="100000"

step() { printf '\n==> %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

# A throwaway PostgreSQL 15 for the store comparison, as tests/pg/harness.rs starts one
# (../shared/DESKTOP-TESTING.md): initdb as the postgres user in a temporary folder,
# scram-sha-256, listening on 127.0.0.1 only on a free port, TLS with a certificate for
# localhost signed by a CA generated here (clients connect with sslmode=verify-full).
# Unlike the tests' clusters it keeps the server's default durability (fsync,
# synchronous_commit on): what an IT department runs. pg_stop (the EXIT trap) stops it
# and removes the folder, whatever happened.
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=""
pg_start() {
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL 15 is not installed ($pg_bin): apt-get install postgresql" >&2; return 1; }
  pg_dir=$(mktemp -d /tmp/rightsdesk-bench-pg.XXXXXX)
  pg_password="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  (
    cd "$pg_dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Rightsdesk bench CA" -keyout ca.key -out ca.crt \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt 2>/dev/null
    rm -f ca.key server.csr server.ext ca.srl
    printf '%s\n' "$pg_password" >pw
  )
  chown -R postgres:postgres "$pg_dir"
  chmod 755 "$pg_dir"
  chmod 600 "$pg_dir/server.key"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A scram-sha-256 -U pgadmin -E UTF8 --locale=C.UTF-8 \
    --pwfile="$pg_dir/pw" >"$pg_dir/initdb.log"
  rm -f "$pg_dir/pw"
  pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 30 -o "-p $pg_port -k $pg_dir \
    -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$pg_dir/server.crt -c ssl_key_file=$pg_dir/server.key" \
    start >/dev/null </dev/null || { cat "$pg_dir/log" >&2; return 1; }
  PGPASSWORD="$pg_password" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
    "host=localhost port=$pg_port user=pgadmin dbname=postgres sslmode=verify-full sslrootcert=$pg_dir/ca.crt" \
    -c "CREATE DATABASE rightsdesk" </dev/null
  pg_url="postgresql://{user}@localhost:$pg_port/rightsdesk?sslmode=verify-full&sslrootcert=$pg_dir/ca.crt"
}
pg_stop() {
  [ -n "$pg_dir" ] || return 0
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 </dev/null || true
  fi
  rm -rf "$pg_dir"
  pg_dir=""
}
trap pg_stop EXIT
trap 'exit 130' INT TERM HUP
started=$(date +%s)
export RIGHTSDESK_PASSPHRASE="${RIGHTSDESK_BENCH_PASSPHRASE:-rightsdesk-bench}"
data=target/bench
results=target/bench-results.json
mkdir -p "$data"

if [ "$core" = 0 ]; then
  step "build: bench tools (release)"
  cargo build --release --locked -p rightsdesk-bench
elif [ "$app" = 1 ]; then
  # The data sets are written after the build, not beside it: writing them while the app built
  # was tried on a fresh clone and took longer on two CPUs (the app's part of the build 7.3
  # instead of about 4 minutes, the sets 217 instead of 143 s).
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
if [ "$core" = 1 ]; then
  for n in 1000 10000 100000; do
    cp "$data/$n.sqlite3" "$data/run-$n.sqlite3"
    rm -f "$data/run-$n.sqlite3-wal" "$data/run-$n.sqlite3-shm"
  done

  # The sets just written or copied (GBs on a fresh clone) go to disk before anything is measured:
  # left to the kernel's writeback, they competed with the benchmarks' own writes (registering
  # 1,000 took 1.07 instead of 0.87 s with 2.3 GB still dirty).
  sync
  step "core benchmarks"
  large=()
  case "$sizes" in *1000000*) large=(--large "$data/1000000.sqlite3") ;; esac
  target/release/bench-core $quick --fresh --out "$results" \
    --data "$data/run-1000.sqlite3" --data "$data/run-10000.sqlite3" --data "$data/run-100000.sqlite3" \
    "${large[@]}" >/dev/null
fi

if [ "$app" = 1 ]; then
  step "whole app on 100,000 requests (release build, Xvfb + WebKitWebDriver)"
  runs=3
  [ -n "$quick" ] && runs=1
  target/release/bench-app --app target/release/rightsdesk-app --db "$data/run-100000.sqlite3" --size 100000 \
    --runs "$runs" --floor --out "$results" >/dev/null
fi

rm -f "$data"/run-*.sqlite3 "$data"/run-*.sqlite3-wal "$data"/run-*.sqlite3-shm

stores_table=target/bench-stores.md
if [ "$stores" = 1 ]; then
  step "both stores at 100,000 requests: local file and team register (PostgreSQL 15, loopback)"
  pg_start
  RIGHTSDESK_BENCH_PG_PASSWORD="$pg_password" target/release/bench-stores $quick --data "$data/100000.sqlite3" \
    --pg-url "$pg_url" --pg-admin pgadmin --out "$stores_table" >/dev/null
  pg_stop
  printf '\nload while measuring: %s\n' "$(uptime | sed 's/.*load average/load average/')" >>"$stores_table"
fi

if [ "$core" = 1 ]; then
  step "results ($(( $(date +%s) - started )) s in all)"
  cat "${results%.json}.md"
  printf '\n==> Targets at 100,000 and 1,000,000 requests (%s s in all)\n' "$(( $(date +%s) - started ))"
  sed -n '/^## Targets/,/^## Growth/p' "${results%.json}.md" | grep -v '^## \|^```\|^$'
fi
if [ "$stores" = 1 ]; then
  printf '\n==> Both stores at 100,000 requests (%s; %s s in all)\n' "$stores_table" "$(( $(date +%s) - started ))"
  cat "$stores_table"
fi

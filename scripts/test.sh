#!/usr/bin/env bash
# Runs every test: the UI's type check and unit tests, clippy with warnings as
# errors, the workspace's Rust tests (core, CLI, app), and the end-to-end tests
# that drive the real app window (WebKitWebDriver under Xvfb). Installs what is
# missing first, so it works on a fresh Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

# A one-shot run (CI) gains nothing from incremental compilation, which would
# write gigabytes of caches beside the build.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
disk() { df -h --output=avail,target "${CARGO_TARGET_DIR:-target}" 2>/dev/null | tail -1 || true; }
mkdir -p "${CARGO_TARGET_DIR:-target}"
echo "free disk before the build: $(disk)"

step "dependencies"
scripts/install-deps.sh
if [ -f tests/holidays/requirements.txt ]; then
  python3 -m pip install --quiet --disable-pip-version-check -r tests/holidays/requirements.txt
fi
npm --prefix ui ci --no-audit --no-fund --loglevel=error

step "ui: type check, lint, format check, unit tests, build"
npm --prefix ui run typecheck
npm --prefix ui run lint
npm --prefix ui run format:check
npm --prefix ui test
npm --prefix ui run build

step "rust: build (app, CLI, tests)"
cargo build --workspace --all-targets --locked

step "rust: format (cargo fmt --check, rustfmt.toml)"
cargo fmt --all --check

step "rust: clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust: tests (unit, integration, end-to-end in the app window)"
cargo test --workspace --locked --no-fail-fast

echo "free disk after the tests: $(disk); target: $(du -sh "${CARGO_TARGET_DIR:-target}" | cut -f1)"
step "all tests passed"

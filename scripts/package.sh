#!/usr/bin/env bash
# Builds the installable Rightsdesk with the Tauri bundler: a .deb, and an
# AppImage with BUNDLES="deb,appimage" where the machine can fetch the AppImage
# tools (the bundler downloads linuxdeploy at build time; with no internet only
# the .deb builds). Not part of scripts/test.sh: a release build takes minutes.
#
#   scripts/package.sh                      # -> target/release/bundle/deb/Rightsdesk_<version>_amd64.deb
#   BUNDLES=deb,appimage scripts/package.sh
#
# Needs what scripts/run.sh needs (Rust, Node.js 20+, Debian's WebKitGTK dev
# packages) plus the Tauri CLI, which this script installs once with cargo
# (about 10 minutes on 2 cores; the npm @tauri-apps/cli is not used because
# its per-platform packages break `npm ci` on some registry mirrors).
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLES="${BUNDLES:-deb}"

if ! cargo tauri --version >/dev/null 2>&1; then
  echo "==> installing the Tauri CLI (cargo install tauri-cli, once)"
  cargo install tauri-cli --version "^2" --locked
fi

scripts/install-deps.sh
echo "==> building the UI"
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build

echo "==> building the command line tool (shipped in the .deb as /usr/bin/rightsdesk)"
cargo build --release --locked -p rightsdesk-cli

echo "==> bundling: $BUNDLES"
(cd src-tauri && cargo tauri build --bundles "$BUNDLES")

echo "==> built:"
find target/release/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' \) -print

#!/usr/bin/env bash
# Sets up what is missing on a fresh Debian/Ubuntu machine, builds the UI and
# the app, and starts Rightsdesk on its default database (created on first run
# in the platform data directory; RIGHTSDESK_DB=/path/file.sqlite3 picks another).
# On a machine without a display it starts a virtual one (Xvfb) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build
cargo build -p rightsdesk-app -p rightsdesk-cli

app="$PWD/target/debug/rightsdesk-app"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  display=":${RIGHTSDESK_XVFB_DISPLAY:-99}"
  echo "No display found: starting a virtual one (Xvfb) on $display."
  echo "The window is there, but invisible; see it with: DISPLAY=$display import -window root shot.png"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  export DISPLAY="$display"
  sleep 1
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  dbus-run-session -- "$app" "$@"
else
  "$app" "$@"
fi

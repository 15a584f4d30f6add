#!/usr/bin/env bash
# Installs the .deb that scripts/package.sh built and checks that the installed
# app starts from it: the package installs with apt (which pulls WebKitGTK and
# GTK from Debian), puts the app, the command line tool, a desktop entry and
# the icon in place, and the installed app — started as a user would start it,
# with no RIGHTSDESK_DB — opens its window under Xvfb, creates its database in
# the user's data directory (encrypted, migrated), which the installed command
# line tool then opens. Needs root (or sudo) for apt.
#
#   scripts/package.sh && scripts/verify-deb.sh [path/to/Rightsdesk_*.deb]
#
# With E2E=1 it also runs the app-window end-to-end tests against the
# installed binaries (RIGHTSDESK_APP_BIN=/usr/bin/rightsdesk-app).
set -euo pipefail
cd "$(dirname "$0")/.."

deb="${1:-$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)}"
[ -n "$deb" ] && [ -f "$deb" ] || { echo "no .deb found: run scripts/package.sh first" >&2; exit 1; }
deb="$(realpath "$deb")"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

echo "==> installing $deb (and Xvfb, xwininfo, dbus to watch it start)"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends xvfb x11-utils dbus imagemagick >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" >/dev/null
dpkg -s rightsdesk | sed -n '/^Package/p;/^Version/p;/^Depends/p'

echo "==> checking the installed files"
for f in /usr/bin/rightsdesk-app /usr/bin/rightsdesk /usr/share/applications/Rightsdesk.desktop; do
  [ -e "$f" ] || { echo "missing from the package: $f" >&2; exit 1; }
  echo "  ok $f"
done
ls /usr/share/icons/hicolor/*/apps/rightsdesk-app.png >/dev/null 2>&1 || { echo "missing: the app icon" >&2; exit 1; }
echo "  ok icon: $(ls /usr/share/icons/hicolor/*/apps/rightsdesk-app.png | tr '\n' ' ')"
grep -q '^Exec=rightsdesk-app' /usr/share/applications/Rightsdesk.desktop || { echo "desktop entry does not start rightsdesk-app" >&2; exit 1; }
/usr/bin/rightsdesk --help >/dev/null

echo "==> starting the installed app in a fresh home under Xvfb"
home="$(mktemp -d)"
trap 'kill "${app_pid:-0}" "${xvfb_pid:-0}" 2>/dev/null || true; rm -rf "$home"' EXIT
export RIGHTSDESK_PASSPHRASE="verify-deb-$$"   # no keyring daemon in a bare session
db="$home/.local/share/rightsdesk/rightsdesk.sqlite3"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$home/display" >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 50); do [ -s "$home/display" ] && break; sleep 0.2; done
display=":$(cat "$home/display")"
HOME="$home" XDG_DATA_HOME="" XDG_CONFIG_HOME="" DISPLAY="$display" \
  dbus-run-session -- /usr/bin/rightsdesk-app >"$home/app.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 1 120); do
  kill -0 "$app_pid" 2>/dev/null || { echo "the installed app exited:" >&2; tail -n 30 "$home/app.log" >&2; exit 1; }
  if [ -f "$db" ] && DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -q '"Rightsdesk"'; then
    window="$display"; break
  fi
  sleep 1
done
[ -n "$window" ] || { echo "no Rightsdesk window within 120 s" >&2; tail -n 30 "$home/app.log" >&2; exit 1; }
echo "  ok window \"Rightsdesk\" on display $window; database created at ~/.local/share/rightsdesk/"
mkdir -p target
DISPLAY="$display" import -window root target/deb-first-run.png 2>/dev/null && echo "  ok screenshot of the installed app's first window: target/deb-first-run.png"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""

# The database the installed app created on first run opens with the installed
# CLI (same key, schema migrated); it is empty until the officer loads the demo
# data or registers a request on the welcome screen.
listed="$(HOME="$home" /usr/bin/rightsdesk --db "$db" request list --json)"
echo "$listed" | python3 -c 'import json,sys; json.load(sys.stdin)' \
  || { echo "the installed CLI could not read the installed app's database" >&2; exit 1; }
echo "  ok the installed CLI opens the database the installed app created ($(echo "$listed" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') requests before the welcome screen's choice)"

if [ "${E2E:-0}" = 1 ]; then
  echo "==> app-window end-to-end tests against the installed binaries"
  RIGHTSDESK_APP_BIN=/usr/bin/rightsdesk-app RIGHTSDESK_CLI_BIN=/usr/bin/rightsdesk \
    cargo test --locked -p rightsdesk-e2e --test app_window
fi
echo "==> the .deb installs and the app starts from it"

#!/usr/bin/env bash
# Installs what Rightsdesk needs on a fresh Debian 12 / Ubuntu machine:
# the WebKitGTK build deps, Xvfb and WebKitWebDriver for the end-to-end tests,
# dbus for a private session bus (and GNOME Keyring on it, the OS keyring of
# the CLI test), Debian's aiosmtpd as the test SMTP server and Dovecot
# (dovecot-imapd) as the test IMAP server; PostgreSQL 15 (postgresql) as the
# team register's test server (tests/pg/harness.rs);
# unzip, 7-Zip and Chromium read back the answer packages in the tests;
# xdotool types into the real GTK file dialog in the end-to-end tests.
# Idempotent: packages already present are skipped.
set -euo pipefail
pkgs=(
  build-essential pkg-config libssl-dev
  libwebkit2gtk-4.1-dev
  xvfb webkit2gtk-driver dbus xauth
  xdotool
  gnome-keyring
  python3-aiosmtpd
  dovecot-imapd
  postgresql
  imagemagick
  unzip p7zip-full chromium
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null || { echo "Node.js 20+ is required (https://nodejs.org)" >&2; exit 1; }
command -v cargo >/dev/null || { echo "Rust (cargo) is required (https://rustup.rs)" >&2; exit 1; }

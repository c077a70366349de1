#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the headless browser tests (the
# docs site). Browsers that Python or npm packages download at install time
# cannot be fetched on these machines; Debian's package can. Installs with apt
# when missing (as root, or with sudo without a password); prints why not
# otherwise and exits 1, so the browser tests skip with that message.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo -n apt-get)
else
  echo "ensure_chromium: chromium is not installed and apt needs root; browser tests will be skipped" >&2
  exit 1
fi
echo "ensure_chromium: installing Debian's chromium package …" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${apt_get[@]}" install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
  "${apt_get[@]}" update -q >/dev/null 2>&1
  "${apt_get[@]}" install -y -q --no-install-recommends chromium >/dev/null 2>&1 || {
    echo "ensure_chromium: apt could not install chromium; browser tests will be skipped" >&2
    exit 1
  }
fi
command -v chromium >/dev/null 2>&1

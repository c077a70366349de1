#!/usr/bin/env bash
# Debian's Chromium for the headless browser tests and the report PDFs. When it
# cannot be installed the browser tests skip with this script's message.
exec "$(dirname "$0")/ensure_debian_package.sh" chromium chromium

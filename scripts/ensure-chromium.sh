#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; Playwright cannot download a browser here.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -n "${TRIVSEL_CHROMIUM:-}" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installerer Chromium (apt-get install chromium) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium mangler. Installér det (fx 'sudo apt-get install chromium') eller sæt TRIVSEL_CHROMIUM til stien." >&2
  exit 1
fi

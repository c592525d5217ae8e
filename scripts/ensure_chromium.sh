#!/usr/bin/env bash
# The browser tests drive Debian's chromium (never a downloaded browser). Install it when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
else
  echo "The browser tests need /usr/bin/chromium. Install it with:" >&2
  echo "  sudo apt-get install -y chromium" >&2
  echo "(without it the browser tests are skipped locally and fail on CI)" >&2
fi

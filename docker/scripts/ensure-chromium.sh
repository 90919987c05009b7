#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the console's browser tests (Playwright drives it; no
# browser is ever downloaded by a test tool). Order: CHROMIUM_PATH → /usr/bin/chromium → apt-get
# install chromium (Debian/Ubuntu, as root) → stop with a message saying what to install.
# Source it: `source docker/scripts/ensure-chromium.sh`; it exports CHROMIUM_PATH.

_gx_chromium_log() { printf '\033[36m[chromium]\033[0m %s\n' "$*" >&2; }

# Chinese text in screenshots needs a CJK font (Chromium draws boxes without one); best effort.
_gx_ensure_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    _gx_chromium_log "apt-get install fonts-wqy-microhei (Chinese text in the console's screenshots)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || true
  fi
}

gx_ensure_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then export CHROMIUM_PATH="$candidate"; _gx_ensure_cjk_font; return 0; fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    _gx_chromium_log "apt-get install chromium (for the console's browser tests)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then
      export CHROMIUM_PATH=/usr/bin/chromium
      return 0
    fi
  fi
  printf '\033[31m[chromium] No Chromium found. Install Debian'"'"'s Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary; the console tests need it.\033[0m\n' >&2
  return 1
}

gx_ensure_chromium || true

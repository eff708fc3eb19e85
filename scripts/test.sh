#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# Installs what the tests need that the .NET SDK does not bring: Debian's Chromium for the simulator's browser
# test (Playwright drives it with executablePath; no browser is downloaded), and the real OpenClaw gateway from npm.
set -uo pipefail
cd "$(dirname "$0")/.."

# fonts-nanum: Hangul in the simulator's screenshots instead of empty boxes.
if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/nanum ]; then
  echo "Installing Debian's chromium and a Korean font for the browser tests…"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-nanum >/dev/null \
    || echo "Could not install chromium; the browser test will fail and say so."
fi

# Node 24, openclaw (pinned) and our Kakao channel plugin for the tests against the real OpenClaw gateway; cached
# between runs in ~/.cache/kakaoaspire. A failure here fails those tests, which say why.
./scripts/install-openclaw.sh >/dev/null || echo "Could not install openclaw; the OpenClaw tests will fail and say so."

results="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"
rm -rf "$results"
mkdir -p "$results"

dotnet build KakaoAspire.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# Test projects run one after another: whole-app tests start the real app, which must not share 2 cores with
# another app start. Each project writes its own TRX file, so no two can overwrite each other.
status=0
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# dotnet test prints a summary per project; sum the TRX counters into the one line CI reads.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed without a failing test (a crash, a build error): never report green
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

#!/usr/bin/env bash
# CPU ranking of one running .NET service, by methods and namespaces, that works on this VM: `perf` gets no usable
# samples here, and dotnet-trace's sampled thread time counts waiting threads as much as running ones. This samples
# every managed thread for SECONDS (dotnet-trace, the dotnet-sampled-thread-time profile), converts the trace to
# Speedscope, drops the samples whose innermost frames wait (idle thread-pool workers, the socket event loop,
# StackExchange.Redis's reader threads, timers: the list is in perf/cpu-rank.py) and prints the top methods and
# namespaces, exclusive and inclusive, as shares of the running time.
#
#   # 1. in one shell, the app under the closed loop for long enough (the script builds in Release first):
#   TARGETS=app WARMUP=30 DURATION=120 RATE_DURATION=5 IDLE=1 perf/run-load.sh
#   # 2. in another, once the closed loop runs ("closed loop, 16 workers" in the first shell's log):
#   perf/cpu-profile.sh KakaoAspire.Webhook        # or KakaoAspire.AgentRouter, KakaoAspire.Edge, or a pid
#   SECONDS_TO_SAMPLE=15 TOP=30 OUT=/tmp/prof perf/cpu-profile.sh 12345
#   SHOW_WAITS=1 perf/cpu-profile.sh ...           # also list the dropped leaves, to check the filter
#
# Needs dotnet-trace (dotnet tool install -g dotnet-trace --version 10.0.750501) and python3. The sampler costs the
# traced process a few percent; the trace (~10-40 MB) and the report stay in OUT.
set -euo pipefail
export LC_ALL=C

target=${1:?usage: perf/cpu-profile.sh <pid | process name, e.g. KakaoAspire.Webhook>}
SECONDS_TO_SAMPLE=${SECONDS_TO_SAMPLE:-15}
TOP=${TOP:-30}
OUT=${OUT:-${TMPDIR:-/tmp}/kakaoaspire-cpu-$(date +%Y%m%d-%H%M%S)}
here=$(cd "$(dirname "$0")" && pwd)
trace_tool=$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")
[[ -x $trace_tool ]] || { echo "dotnet-trace not found: dotnet tool install -g dotnet-trace --version 10.0.750501" >&2; exit 2; }

if [[ $target =~ ^[0-9]+$ ]]; then
  pid=$target
  name=$(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -oE 'KakaoAspire\.[A-Za-z]+|FloorServer[^ ]* --role [a-z]+' | head -1 | tr ' ' '-' || true)
  name=${name:-pid$pid}
else
  # The service itself (its apphost or dll) built from this checkout, not the `dotnet run` that started it nor another
  # checkout's copy (several may run on a shared machine); the newest when several match.
  root=$(cd "$here/.." && pwd)
  pid=$(pgrep -nf "^(dotnet )?$root/.*/$target(\\.dll)?( |\$)" || true)
  name=$target
  [[ -n $pid ]] || { echo "no process runs /$target; start the load first (see this script's header)" >&2; exit 2; }
fi
mkdir -p "$OUT"
trace=$OUT/$name.nettrace
echo "[cpu-profile] sampling $name (pid $pid) for ${SECONDS_TO_SAMPLE}s into $trace" >&2
"$trace_tool" collect -p "$pid" --profile dotnet-sampled-thread-time \
  --duration "00:00:00:$(printf '%02d' "$SECONDS_TO_SAMPLE")" -o "$trace" >"$OUT/$name.collect.log" 2>&1 \
  || { tail -5 "$OUT/$name.collect.log" >&2; exit 1; }
# convert names its output by changing the extension of -o: give it one, so a dotted name (KakaoAspire.Webhook) stays whole.
"$trace_tool" convert --format Speedscope -o "$OUT/$name.trace" "$trace" >"$OUT/$name.convert.log" 2>&1 \
  || { tail -5 "$OUT/$name.convert.log" >&2; exit 1; }
speedscope=$OUT/$name.speedscope.json
python3 "$here/cpu-rank.py" "$speedscope" --top "$TOP" ${SHOW_WAITS:+--show-waits} | tee "$OUT/$name.ranking.txt"
echo "[cpu-profile] ranking in $OUT/$name.ranking.txt (trace: $trace, speedscope: $speedscope)" >&2

#!/usr/bin/env bash
# CPU ranking of one running .NET service with Linux perf: where its CPU goes (managed methods, the runtime, the kernel)
# and, with WAKEUPS=1, who wakes which thread how often (thread hand-offs cost tens of µs of CPU each on this kind of VM).
#
#   # 1. the app under a long closed loop, with JIT code named for perf (PERF_MAP=1: perf maps, no W^X double mapping):
#   PERF_MAP=1 TARGETS=app WARMUP=30 DURATION=90 RATE_DURATION=5 IDLE=1 perf/run-load.sh
#   # 2. in another shell, once the closed loop runs ("closed loop, 16 workers" in the first shell's log):
#   perf/cpu-profile.sh KakaoAspire.Webhook          # or KakaoAspire.AgentRouter, KakaoAspire.Edge, KakaoAspire.RedisHost, a pid
#   SECONDS_TO_SAMPLE=20 TOP=40 DEPTH=2 perf/cpu-profile.sh KakaoAspire.AgentRouter
#   WAKEUPS=1 RPS=1000 perf/cpu-profile.sh KakaoAspire.Webhook   # futex calls and context switches, per request at RPS
#
# Prints (perf/cpu-rank.py) the samples by innermost managed method, each with what its samples were doing (managed
# code, the runtime, the kernel, a futex wait or wake, a context switch), then by assembly. Samples that perf cannot
# walk back into managed code (a libc call without frame pointers) are listed by their native frame.
# Needs perf (apt-get install linux-perf) and python3; the data (a few MB) stays in OUT.
set -euo pipefail
export LC_ALL=C

target=${1:?usage: perf/cpu-profile.sh <pid | process name, e.g. KakaoAspire.Webhook>}
SECONDS_TO_SAMPLE=${SECONDS_TO_SAMPLE:-15}
TOP=${TOP:-40}
DEPTH=${DEPTH:-1}
OUT=${OUT:-${TMPDIR:-/tmp}/kakaoaspire-cpu-$(date +%Y%m%d-%H%M%S)}
here=$(cd "$(dirname "$0")" && pwd)
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 2; }

if [[ $target =~ ^[0-9]+$ ]]; then
  pid=$target
  name=pid$pid
else
  # The service itself (its apphost or dll), the newest when several match.
  pid=$(pgrep -nf "/$target(\\.dll)?( |\$)" || true)
  name=$target
  [[ -n $pid ]] || { echo "no process runs /$target; start the load first (see this script's header)" >&2; exit 2; }
fi
[[ -e /tmp/perf-$pid.map ]] || echo "note: /tmp/perf-$pid.map is missing, so JIT code shows as addresses: start the load with PERF_MAP=1" >&2
mkdir -p "$OUT"
data=$OUT/$name.data
if [[ -n ${WAKEUPS:-} ]]; then
  perf record -q -e syscalls:sys_enter_futex -e sched:sched_switch -g -p "$pid" -o "$data" -- sleep "$SECONDS_TO_SAMPLE" >/dev/null 2>&1
  perf script -i "$data" -F comm,event,trace,ip,sym,dso 2>/dev/null >"$OUT/$name.script"
  python3 "$here/cpu-rank.py" wakeups "$OUT/$name.script" "$(( ${RPS:-1} * SECONDS_TO_SAMPLE ))" "$TOP" | tee "$OUT/$name.wakeups.txt"
else
  perf record -q -F 499 -g -p "$pid" -o "$data" -- sleep "$SECONDS_TO_SAMPLE" >/dev/null 2>&1
  perf script -i "$data" -F comm,tid,ip,sym,dso 2>/dev/null >"$OUT/$name.script"
  python3 "$here/cpu-rank.py" cpu "$OUT/$name.script" "$DEPTH" "$TOP" | tee "$OUT/$name.cpu.txt"
fi
echo "data in $OUT" >&2

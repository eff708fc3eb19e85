#!/usr/bin/env bash
# Load test of the public skill path (edge -> webhook -> agent-router -> built-in agent, with Redis) against three
# references measured in the same run: the floor (the same four processes with nothing but the hops:
# perf/FloorServer and the same Garnet), a bare Kestrel skill endpoint and a minimal Express skill server.
# Loopback only; every phase is bounded in time and the script stops what it started (also on Ctrl-C).
#
#   perf/run-load.sh                      # the app as deployed, the floor, bare, Express: about 6 minutes on 2 cores
#   MODE=development perf/run-load.sh     # the app as `dotnet run --project KakaoAspire.AppHost` runs it
#   TARGETS="app app-dev floor" perf/run-load.sh
#
# Targets: app (in MODE: production, the default, or development), app-dev (development whatever MODE says),
# floor, floor3 (the floor with the app's three Redis scripts per turn instead of one pipelined round trip, not run by
# default), floor2 (floor3 with the turn start and the router's begin in one script: the design with one round trip
# fewer, not run by default), bare, express. Labels: app-closed/app-rate (production), app-dev-closed/app-dev-rate,
# floor-*, floor2-*, floor3-*, bare-*, express-*. Production = the AppHost and services in Production, no dashboard
# (AppHost:Dashboard=false), the services and Garnet on their own ports (the AppHost default); development = the http
# launch profile's setup.
#
# Per target: start, wait until it answers, then
#   1. closed loop: CONCURRENCY workers for DURATION s (after WARMUP s)   -> requests/s, p50/p99, CPU per request
#   2. open loop:   RATE requests/s for RATE_DURATION s                    -> p99 at a fixed rate, CPU per request
#   3. idle (app targets): IDLE s with no request                          -> CPU % of a core per process
# CPU is utime+stime from /proc/<pid>/stat summed over the target's processes, before and after each phase;
# peak memory is VmHWM from /proc/<pid>/status at the end; the hypervisor's steal during each loop goes to steal.tsv.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
ROOT=$PWD

MODE=${MODE:-production}
TARGETS=${TARGETS:-"app floor bare express"}
APP_PORT=${APP_PORT:-8788}
BARE_PORT=${BARE_PORT:-8790}
EXPRESS_PORT=${EXPRESS_PORT:-8791}
# The floor's edge, webhook, router and Garnet.
FLOOR_PORT=${FLOOR_PORT:-8792}
FLOOR_WEBHOOK_PORT=${FLOOR_WEBHOOK_PORT:-8793}
FLOOR_ROUTER_PORT=${FLOOR_ROUTER_PORT:-8794}
FLOOR_REDIS_PORT=${FLOOR_REDIS_PORT:-8795}
IDLE=${IDLE:-20}
CONCURRENCY=${CONCURRENCY:-16}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-20}
RATE=${RATE:-200}
RATE_DURATION=${RATE_DURATION:-20}
START_TIMEOUT=${START_TIMEOUT:-180}
case $MODE in
  production | development) ;;
  *) printf '[run-load] MODE is %s; use production or development\n' "$MODE" >&2; exit 2 ;;
esac
OUT=${OUT:-${TMPDIR:-/tmp}/kakaoaspire-perf-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
: >"$RESULTS"

CLK_TCK=$(getconf CLK_TCK)
FIXTURE=$ROOT/tests/KakaoAspire.Kakao.Tests/Fixtures/skill-request-basic.json
LOADGEN=$ROOT/perf/LoadGen/bin/Release/net10.0/LoadGen.dll
BARE=$ROOT/perf/BareSkillServer/bin/Release/net10.0/BareSkillServer.dll
FLOOR=$ROOT/perf/FloorServer/bin/Release/net10.0/FloorServer.dll
REDISHOST=$ROOT/src/KakaoAspire.RedisHost/bin/Release/net10.0/KakaoAspire.RedisHost.dll

log() { printf '[run-load] %s\n' "$*" >&2; }

# --- build --------------------------------------------------------------------------------------------------------
log "building in Release (output in $OUT/build.log)"
{
  dotnet build -c Release KakaoAspire.AppHost/KakaoAspire.AppHost.csproj -nologo -v q
  dotnet build -c Release perf/LoadGen/LoadGen.csproj -nologo -v q
  dotnet build -c Release perf/BareSkillServer/BareSkillServer.csproj -nologo -v q
  dotnet build -c Release perf/FloorServer/FloorServer.csproj -nologo -v q
  (cd perf/express-baseline && npm install --no-audit --no-fund)
} >"$OUT/build.log" 2>&1 || { log "build failed, see $OUT/build.log"; tail -20 "$OUT/build.log" >&2; exit 1; }

# --- processes ----------------------------------------------------------------------------------------------------
# "name<TAB>extended regex on the command line" per target. A service is the process whose executable or dll is
# the service (not the `dotnet run` that started it).
app_groups() {
  cat <<'EOF'
edge	/KakaoAspire\.Edge(\.dll)?( |$)
webhook	/KakaoAspire\.Webhook(\.dll)?( |$)
agent-router	/KakaoAspire\.AgentRouter(\.dll)?( |$)
friendtalk	/KakaoAspire\.FriendTalk(\.dll)?( |$)
redis	/KakaoAspire\.RedisHost(\.dll)?( |$)
EOF
}
# The orchestration Aspire adds in development: not part of the request path's budget, shown for completeness.
# (apphost) hosts the dashboard, which receives every service's OTLP telemetry; dcp runs the loopback proxies in
# front of the services' endpoints; (dotnet-run) are the `dotnet run` launchers dcp starts each service with.
orchestration_groups() {
  cat <<'EOF'
(apphost)	/KakaoAspire\.AppHost(\.dll)?( |$)
(dcp)	/dcp( |$)|/dcpctrl( |$)|/dcpproc( |$)
(dashboard)	/Aspire\.Dashboard( |$)
(dotnet-run)	dotnet run --project .*KakaoAspire\.
EOF
}
# The floor's processes carry the app's process names, so the report sets them side by side (floor-edge is the
# floor's column of the edge row, and so on).
floor_groups() {
  cat <<'EOF'
edge	/FloorServer(\.dll)? --role edge( |$)
webhook	/FloorServer(\.dll)? --role webhook( |$)
agent-router	/FloorServer(\.dll)? --role router( |$)
redis	/KakaoAspire\.RedisHost(\.dll)?( |$)
EOF
}
bare_groups() { printf 'server\t/BareSkillServer(\\.dll)?( |$)\n'; }
express_groups() { printf 'server\tnode .*perf/express-baseline/server\\.js\n'; }

descendants() { # pid -> that pid and all its descendants (dcp starts the services in sessions of their own)
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != "" && q != 0 && q != 1) { if (q == root) { print p; break } q = parent[q] } } }'
}

# Every process of the running target. Other engineers' test hosts run the same binaries on this machine, so a
# command line alone does not decide. dcp daemonizes, so for the app: the AppHost's tree, dcp's processes (they
# share the kubeconfig of the dcp that monitors our AppHost) and their children, and whatever carries our state dir.
collect_members() {
  local roots=$TARGET_PID p cmd kubeconfig=
  if [[ -n $STATE_DIR ]]; then
    for p in $(descendants "$TARGET_PID"); do
      cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
      [[ $cmd == *KakaoAspire.AppHost* ]] && roots="$roots $p"
    done
    for p in /proc/[0-9]*; do
      cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
      for r in $roots; do
        [[ $cmd == *"start-apiserver --monitor $r "* ]] && kubeconfig=$(sed -E 's/.*--kubeconfig ([^ ]+).*/\1/' <<<"$cmd")
      done
    done
    for p in /proc/[0-9]*; do
      cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
      if [[ -n $kubeconfig && $cmd == *"$kubeconfig"* ]] || [[ $cmd == *"$STATE_DIR"* ]] \
        || tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "MOLTBOT_STATE_DIR=$STATE_DIR"; then
        roots="$roots ${p#/proc/}"
      fi
    done
  fi
  MEMBERS=$(for p in $roots; do descendants "$p"; done | sort -u | tr '\n' ' ')
}

pids_matching() { # regex -> pids of the running target whose command line matches
  local regex=$1 p cmd
  for p in $MEMBERS; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
    [[ -n $cmd ]] && grep -qE -- "$regex" <<<"$cmd" && echo "$p"
  done
  return 0
}

cpu_ticks() { # all|system pids -> clock ticks summed over the processes: utime+stime (fields 14 and 15), or stime
  # alone (the kernel's share). The comm field may hold spaces, so fields are counted after its closing parenthesis.
  local which=$1 total=0 p stat rest
  shift
  for p in "$@"; do
    { stat=$(<"/proc/$p/stat"); } 2>/dev/null || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[12]))
    [[ $which == all ]] && total=$((total + f[11]))
  done
  echo "$total"
}
ticks_of() { cpu_ticks all "$@"; }

hwm_kb_of() { # pids -> the largest VmHWM in kB
  local max=0 p kb
  for p in "$@"; do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    [[ -n $kb && $kb -gt $max ]] && max=$kb
  done
  echo "$max"
}

snapshot() { # groups-file -> "name ticks" lines
  local name regex
  while IFS=$'\t' read -r name regex; do
    # shellcheck disable=SC2046
    echo "$name $(ticks_of $(pids_matching "$regex"))"
  done <"$1"
}

# --- targets ------------------------------------------------------------------------------------------------------
TARGET_PID=
STATE_DIR=
TREE=
MEMBERS=

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_answers() { # url -> waits until a skill request gets HTTP 200 with a SkillResponse
  local url=$1 deadline=$((SECONDS + START_TIMEOUT)) body
  while ((SECONDS < deadline)); do
    if ! kill -0 "$TARGET_PID" 2>/dev/null; then log "the target exited while starting"; return 1; fi
    body=$(curl -s --max-time 5 -X POST "$url" -H 'content-type: application/json' --data-binary "@$FIXTURE" || true)
    if [[ $body == *'"version":"2.0"'* ]]; then
      printf '%s\n' "$body" >"$OUT/$CURRENT-sample-response.json"
      return 0
    fi
    sleep 2
  done
  log "no answer from $url within ${START_TIMEOUT}s"
  return 1
}

start_app() { # production | development
  local mode=$1 p
  port_free "$APP_PORT" || { log "port $APP_PORT is taken; stop whatever runs there or set APP_PORT"; return 1; }
  if [[ $mode == development ]]; then
    port_free 15188 || { log "port 15188 (dashboard) is taken: another AppHost runs; stop it first"; return 1; }
  fi
  # Unproxied (the AppHost's default), the services listen on their launch profiles' ports themselves.
  for p in 5281 5282 5283; do
    port_free "$p" || { log "port $p (a service's launch profile port) is taken: another AppHost runs; stop it first"; return 1; }
  done
  STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kakaoaspire-perf-state.XXXXXX")
  # No webhook secret: the bare and express baselines check none either, and the load generator sends none.
  cat >"$STATE_DIR/moltbot.json" <<EOF
{ "channels": { "kakao": { "accounts": {
  "default": { "enabled": true, "webhookPort": $APP_PORT, "webhookPath": "/kakao/webhook", "dmPolicy": "open",
               "allowUnauthenticatedWebhook": true }
} } } }
EOF
  # Redis as the Garnet process (no container here) in both modes.
  local -a environment=(MOLTBOT_CONFIG_PATH="$STATE_DIR/moltbot.json" MOLTBOT_STATE_DIR="$STATE_DIR" Redis__Mode=process)
  if [[ $mode == development ]]; then
    # The http launch profile's environment.
    environment+=(
      ASPNETCORE_URLS=http://localhost:15188
      ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19188
      ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:20188
      ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true
      DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development)
  else
    # As deployed: Production everywhere (the AppHost passes its environment to the services), no dashboard, so no
    # OTLP endpoint either (traces are still made and sampled), and no orchestrator proxy on the request path.
    environment+=(
      AppHost__Dashboard=false AppHost__Proxies=false
      DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production)
  fi
  env "${environment[@]}" \
    setsid dotnet run -c Release --no-build --project KakaoAspire.AppHost --no-launch-profile >"$OUT/$CURRENT.log" 2>&1 &
  TARGET_PID=$!
  wait_answers "http://127.0.0.1:$APP_PORT/kakao/webhook"
}

start_floor() { # Garnet with the app's arguments, then router, webhook and edge, in one session of their own
  # $1: the Redis round trips per turn, 1 (floor), 2 (floor2) or 3 (floor3: the app's three scripts; the webhook
  # connects too).
  local p trips=${1:-1}
  for p in "$FLOOR_PORT" "$FLOOR_WEBHOOK_PORT" "$FLOOR_ROUTER_PORT" "$FLOOR_REDIS_PORT"; do
    port_free "$p" || { log "port $p is taken; set FLOOR_PORT, FLOOR_WEBHOOK_PORT, FLOOR_ROUTER_PORT, FLOOR_REDIS_PORT"; return 1; }
  done
  STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kakaoaspire-perf-state.XXXXXX")
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  # The password travels in the environment, as the AppHost passes it (never on a command line ps shows); the router
  # connects with abortConnect=false: it starts before Garnet listens and connects once it does.
  # The same gen 0 budget the AppHost gives the app's processes (KakaoAspire.AppHost/ProcessMemory.cs).
  DOTNET_GCgen0size=0x400000 KAKAOASPIRE_REDIS_PASSWORD=$password setsid bash -c '
    dotnet "$1" --port "$5" --bind 127.0.0.1 --auth Password --aof --recover --checkpointdir "$6" --logdir "$6" \
      --storage-tier --device-type RandomAccess --lua --expired-key-deletion-scan-freq 10 &
    export redis="127.0.0.1:$5,password=$KAKAOASPIRE_REDIS_PASSWORD,abortConnect=false" trips=$8
    dotnet "$2" --role router --urls "http://127.0.0.1:$4" &
    dotnet "$2" --role webhook --urls "http://127.0.0.1:$3" --downstream "http://127.0.0.1:$4" &
    dotnet "$2" --role edge --urls "http://127.0.0.1:$7" --downstream "http://127.0.0.1:$3" &
    wait' floor "$REDISHOST" "$FLOOR" "$FLOOR_WEBHOOK_PORT" "$FLOOR_ROUTER_PORT" "$FLOOR_REDIS_PORT" "$STATE_DIR" "$FLOOR_PORT" "$trips" \
    >"$OUT/$CURRENT.log" 2>&1 &
  TARGET_PID=$!
  wait_answers "http://127.0.0.1:$FLOOR_PORT/kakao/webhook"
}

start_bare() {
  port_free "$BARE_PORT" || { log "port $BARE_PORT is taken"; return 1; }
  setsid dotnet "$BARE" --urls "http://127.0.0.1:$BARE_PORT" >"$OUT/bare.log" 2>&1 &
  TARGET_PID=$!
  wait_answers "http://127.0.0.1:$BARE_PORT/kakao/webhook"
}

start_express() {
  port_free "$EXPRESS_PORT" || { log "port $EXPRESS_PORT is taken"; return 1; }
  PORT=$EXPRESS_PORT setsid node "$ROOT/perf/express-baseline/server.js" >"$OUT/express.log" 2>&1 &
  TARGET_PID=$!
  wait_answers "http://127.0.0.1:$EXPRESS_PORT/kakao/webhook"
}

stop_target() { # SIGTERM to what this script started (its own session), then wait; SIGKILL after 30 s
  [[ -z $TARGET_PID ]] && return 0
  TREE="$(descendants "$TARGET_PID" | tr '\n' ' ') $MEMBERS"
  if kill -0 "$TARGET_PID" 2>/dev/null; then
    kill -TERM -- "-$TARGET_PID" 2>/dev/null || kill -TERM "$TARGET_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 30); do kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$TARGET_PID" 2>/dev/null && kill -KILL -- "-$TARGET_PID" 2>/dev/null || true
  fi
  TARGET_PID=
  # The AppHost stops its services and dcp within ~20 s of its own exit.
  local deadline=$((SECONDS + 25)) p alive
  while ((SECONDS < deadline)); do
    alive=0
    for p in $TREE; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive == 0)) && break
    sleep 1
  done
  [[ -n $STATE_DIR ]] && rm -rf "$STATE_DIR"
  STATE_DIR=
}
trap 'stop_target' EXIT
trap 'exit 130' INT TERM

# --- one phase: load + CPU accounting -----------------------------------------------------------------------------
# CPU the hypervisor gave to other guests (the 8th number of /proc/stat's "cpu" line, both cores), in ticks. On this
# kind of VM it moves a run's figures by a third; steal.tsv says how much of it fell in each phase.
steal_ticks() { awk '/^cpu /{ print $9 }' /proc/stat; }

# EVENTS="..." (perf event names, comma-separated; EVENTS=1 for the list below): each process group's kernel events
# counted by `perf stat` during each loop, to events.tsv (target phase process event count), with its kernel CPU.
# Tracepoint counts are exact whatever the hypervisor's steal does to CPU time: syscalls and context switches per
# request rank what a process does with the kernel, which on a virtual machine is a large share of a hop's cost.
EVENTS=${EVENTS:-}
# PERF_MAP=1: every .NET process of the targets writes /tmp/perf-<pid>.map and keeps JIT code out of W^X's double
# mapping, so perf (perf/cpu-profile.sh) names managed methods. Costs a little at each JIT; off for runs of record.
if [[ -n ${PERF_MAP:-} ]]; then
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi
[[ $EVENTS == 1 ]] && EVENTS=raw_syscalls:sys_enter,context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_recvmsg,syscalls:sys_enter_recvfrom,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_sched_yield,syscalls:sys_enter_madvise,syscalls:sys_enter_mprotect,page-faults
COUNTERS=()
start_counting() { # target phase -> one perf stat per process group, in the background, and each group's stime
  local target=$1 phase=$2 name regex pids
  COUNTERS=()
  while IFS=$'\t' read -r name regex; do
    pids=$(pids_matching "$regex" | paste -sd, -)
    [[ -z $pids ]] && continue
    # shellcheck disable=SC2046
    printf '%s\t%s\n' "$pids" "$(cpu_ticks system ${pids//,/ })" >"$OUT/$target-$phase.$name.stime"
    perf stat -x $'\t' -e "$EVENTS" -p "$pids" -o "$OUT/$target-$phase.$name.perf" 2>/dev/null &
    COUNTERS+=($!)
  done <"$OUT/$target.groups"
}
stop_counting() { # target phase -> events.tsv
  local target=$1 phase=$2 f name pids before
  ((${#COUNTERS[@]})) && { kill -INT "${COUNTERS[@]}" 2>/dev/null || true; wait "${COUNTERS[@]}" 2>/dev/null || true; }
  for f in "$OUT/$target-$phase".*.perf; do
    [[ -e $f ]] || continue
    name=${f#"$OUT/$target-$phase."}; name=${name%.perf}
    IFS=$'\t' read -r pids before <"$OUT/$target-$phase.$name.stime"
    # shellcheck disable=SC2046
    printf '%s\t%s\t%s\tsystem-cpu-ms\t%s\n' "$target" "$phase" "$name" $(( ($(cpu_ticks system ${pids//,/ }) - before) * 1000 / CLK_TCK )) >>"$OUT/events.tsv"
    awk -F'\t' -v t="$target" -v ph="$phase" -v n="$name" 'NF >= 3 && $1 ~ /^[0-9]+$/ { printf "%s\t%s\t%s\t%s\t%s\n", t, ph, n, $3, $1 }' "$f" >>"$OUT/events.tsv"
  done
}

run_phase() { # target url phase loadgen-args...
  local target=$1 url=$2 phase=$3; shift 3
  local groups=$OUT/$target.groups before after line result steal
  snapshot "$groups" >"$OUT/$target-$phase.before"
  steal=$(steal_ticks)
  [[ -n $EVENTS ]] && start_counting "$target" "$phase"
  line=$(dotnet "$LOADGEN" --url "$url" --label "$target-$phase" "$@" | tee -a "$OUT/loadgen.log" | grep '^RESULT') || true
  [[ -n $EVENTS ]] && stop_counting "$target" "$phase"
  printf '%s\t%s\t%s\n' "$target" "$phase" "$(( ($(steal_ticks) - steal) * 1000 / CLK_TCK ))" >>"$OUT/steal.tsv"
  snapshot "$groups" >"$OUT/$target-$phase.after"
  [[ -z $line ]] && { log "$target-$phase: the load generator printed no result"; return 1; }
  log "$line"
  # results.tsv: target phase process cpu_ms ok rps p50 p99 max errors
  local ok rps p50 p99 max errors
  ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line"); rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$line"); p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
  max=$(sed -E 's/.* max_ms=([0-9.]+).*/\1/' <<<"$line"); errors=$(sed -E 's/.* errors=([0-9]+).*/\1/' <<<"$line")
  join "$OUT/$target-$phase.before" "$OUT/$target-$phase.after" 2>/dev/null | while read -r name b a; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$phase" "$name" \
      "$(( (a - b) * 1000 / CLK_TCK ))" "$ok" "$rps" "$p50" "$p99" "$max" "$errors" >>"$RESULTS"
  done
}

# --- idle: no request for IDLE s ------------------------------------------------------------------------------------
# The processes are matched once, before the window, and the window is timed by /proc/uptime: matching forks per
# process and takes seconds on a busy machine, which must not count as idle time.
uptime_cs() { local u; read -r u _ </proc/uptime; echo "${u/./}"; }
idle_phase() { # target -> idle.tsv: target process cpu_percent_of_one_core
  local target=$1 name regex t0 t1 i=0
  local -a names=() pids=() before=()
  while IFS=$'\t' read -r name regex; do
    names+=("$name"); pids+=("$(pids_matching "$regex" | tr '\n' ' ')")
  done <"$OUT/$target.groups"
  t0=$(uptime_cs)
  # shellcheck disable=SC2086
  for i in "${!names[@]}"; do before+=("$(ticks_of ${pids[i]})"); done
  sleep "$IDLE"
  t1=$(uptime_cs)
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2086
    awk -v t="$target" -v n="${names[i]}" -v ticks=$(($(ticks_of ${pids[i]}) - before[i])) -v hz="$CLK_TCK" -v cs=$((t1 - t0)) \
      'BEGIN { printf "%s\t%s\t%.2f\n", t, n, ticks / hz / (cs / 100) * 100 }' >>"$OUT/idle.tsv"
  done
}

: >"$OUT/rss.tsv"
: >"$OUT/idle.tsv"
: >"$OUT/steal.tsv"
: >"$OUT/events.tsv"
for CURRENT in $TARGETS; do
  # app follows MODE; app-dev is the development run under its own label, so one run can hold both.
  [[ $CURRENT == app && $MODE == development ]] && CURRENT=app-dev
  case $CURRENT in
    app | app-dev) port=$APP_PORT; { app_groups; orchestration_groups; } >"$OUT/$CURRENT.groups" ;;
    floor | floor2 | floor3) port=$FLOOR_PORT; floor_groups >"$OUT/$CURRENT.groups" ;;
    bare) port=$BARE_PORT; bare_groups >"$OUT/bare.groups" ;;
    express) port=$EXPRESS_PORT; express_groups >"$OUT/express.groups" ;;
    *) log "unknown target $CURRENT (app, app-dev, floor, floor2, floor3, bare, express)"; exit 2 ;;
  esac
  # join wants sorted keys.
  sort -o "$OUT/$CURRENT.groups" "$OUT/$CURRENT.groups"
  url=http://127.0.0.1:$port/kakao/webhook
  log "$CURRENT: starting"
  case $CURRENT in
    app) start_app production ;;
    app-dev) start_app development ;;
    floor2) start_floor 2 ;;
    floor3) start_floor 3 ;;
    *) "start_$CURRENT" ;;
  esac
  collect_members
  printf '%s\n' "$CURRENT: $(for p in $MEMBERS; do printf '%s %s\n' "$p" "$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-160)"; done)" >>"$OUT/members.log"
  log "$CURRENT: answering; warm-up ${WARMUP}s, then closed loop, $CONCURRENCY workers for ${DURATION}s"
  dotnet "$LOADGEN" --url "$url" --label "$CURRENT-warmup" --concurrency "$CONCURRENCY" --duration "$WARMUP" >>"$OUT/loadgen.log"
  run_phase "$CURRENT" "$url" closed --concurrency "$CONCURRENCY" --duration "$DURATION"
  log "$CURRENT: open loop, $RATE req/s for ${RATE_DURATION}s"
  run_phase "$CURRENT" "$url" rate --rate "$RATE" --duration "$RATE_DURATION"
  if [[ $CURRENT == app* ]]; then
    log "$CURRENT: idle, no request for ${IDLE}s"
    idle_phase "$CURRENT"
  fi
  while IFS=$'\t' read -r name regex; do
    # shellcheck disable=SC2046
    printf '%s\t%s\n' "$name" "$(( $(hwm_kb_of $(pids_matching "$regex")) / 1024 ))"
  done <"$OUT/$CURRENT.groups" | sed "s/^/$CURRENT\t/" >>"$OUT/rss.tsv"
  log "$CURRENT: stopping"
  stop_target
done

# --- report -------------------------------------------------------------------------------------------------------
OUT=$OUT RATE=$RATE CONCURRENCY=$CONCURRENCY IDLE=$IDLE \
  awk -F'\t' -f "$ROOT/perf/report.awk" "$RESULTS" "$OUT/rss.tsv" "$OUT/idle.tsv" "$OUT/steal.tsv" "$OUT/events.tsv" | tee "$OUT/report.md"
log "raw figures and logs in $OUT"

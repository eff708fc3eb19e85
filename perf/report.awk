# Turns perf/run-load.sh's results into Markdown: all targets side by side, per process, and the goals' verdicts.
# results.tsv: target phase process cpu_ms ok rps p50_ms p99_ms max_ms errors   (one line per process and phase)
# rss.tsv:     target process peak_rss_mb
# idle.tsv:    target process cpu_percent_of_one_core   (app targets, IDLE s without a request)
# steal.tsv:   target phase steal_ms   (CPU time the hypervisor took from this VM during the phase, both cores)
# events.tsv:  target phase process event count   (EVENTS=1 only: perf stat's counts during the loop)
# Processes in parentheses, e.g. (dcp), are Aspire's orchestration: shown, not counted in the request path's CPU.
# Targets: app (production), app-dev (development), floor, floor2, floor3, bare, express; a column is left out when it did not run.
# Plain POSIX awk (mawk here): files told apart by FILENAME, no gawk extensions.

FILENAME == ARGV[1] {
  t = $1; ph = $2; proc = $3
  key = t SUBSEP ph
  ok[key] = $5; rps[key] = $6; p50[key] = $7; p99[key] = $8; mx[key] = $9; err[key] = $10
  if (proc ~ /^\(/) { orch[key] += $4 } else { cpu[key] += $4 }
  pcpu[key, proc] = $4
  seen[t] = 1
  addproc(proc)
  next
}
FILENAME == ARGV[2] {
  rss[$1, $2] = $3; addproc($2)
  if ($2 !~ /^\(/ && $3 > maxrss[$1]) { maxrss[$1] = $3; maxrssproc[$1] = $2 }
  next
}
FILENAME == ARGV[3] {
  idle[$1, $2] = $3; idleseen[$1] = 1
  if ($2 !~ /^\(/) { idlesum[$1] += $3; if ($3 > idlemax[$1]) { idlemax[$1] = $3; idlemaxproc[$1] = $2 } }
  next
}
FILENAME == ARGV[4] {
  steal[$1, $2] = $3; stealseen[$1] = 1
  next
}
FILENAME == ARGV[5] {
  ev[$1, $2, $3, $4] = $5; evseen = 1
  next
}

function addproc(p) { if (!(p in procseen)) { procseen[p] = 1; procs[++np] = p } }
function us_per_req(t, ph,   k) { k = t SUBSEP ph; return ok[k] > 0 ? cpu[k] * 1000 / ok[k] : 0 }
function orch_us(t, ph,   k) { k = t SUBSEP ph; return ok[k] > 0 ? orch[k] * 1000 / ok[k] : 0 }
function ratio(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "n/a" }
function rt(t, a, b) { return (t in seen) ? ratio(a, b) : "–" }
function verdict(met) { return met ? "**met**" : "**not met**" }
function header(first,   i) {
  printf "| %s |", first
  for (i = 1; i <= nt; i++) printf " %s |", cols[i]
  printf "\n|---|"
  for (i = 1; i <= nt; i++) printf "---:|"
  printf "\n"
}
function row(label, field, fmt,   i, t, k, v) {
  printf "| %s |", label
  for (i = 1; i <= nt; i++) {
    t = cols[i]
    if (field == "rps_c") v = sprintf(fmt, rps[t, "closed"])
    else if (field == "p50_c") v = sprintf(fmt, p50[t, "closed"])
    else if (field == "p99_c") v = sprintf(fmt, p99[t, "closed"])
    else if (field == "cpu_c") v = sprintf(fmt, us_per_req(t, "closed"))
    else if (field == "rps_r") v = sprintf(fmt, rps[t, "rate"])
    else if (field == "p50_r") v = sprintf(fmt, p50[t, "rate"])
    else if (field == "p99_r") v = sprintf(fmt, p99[t, "rate"])
    else if (field == "cpu_r") v = sprintf(fmt, us_per_req(t, "rate"))
    else if (field == "err") v = sprintf(fmt, err[t, "closed"] + err[t, "rate"])
    else if (field == "orch_c") v = t ~ /^app/ ? sprintf(fmt, orch_us(t, "closed")) : "–"
    else if (field == "rss") v = maxrss[t] > 0 ? sprintf(fmt, maxrss[t]) " (" maxrssproc[t] ")" : "–"
    else if (field == "idle") v = (t in idleseen) ? sprintf(fmt, idlesum[t]) : "–"
    else if (field == "steal") v = (t in stealseen) ? sprintf(fmt, steal[t, "closed"] / 1000) " / " sprintf(fmt, steal[t, "rate"] / 1000) : "–"
    printf " %s |", v
  }
  printf "\n"
}

END {
  rate = ENVIRON["RATE"]
  # The column order, whatever order the targets ran in.
  nwanted = split("app app-dev floor floor2 floor3 bare express", wanted, " ")
  for (i = 1; i <= nwanted; i++) if (wanted[i] in seen) cols[++nt] = wanted[i]
  names["app"] = "app: the AppHost in Production, no dashboard, no dcp proxies (edge → webhook → agent-router → Redis)"
  names["app-dev"] = "app-dev: the AppHost in Development with the dashboard and dcp's proxies (`dotnet run --project KakaoAspire.AppHost`)"
  names["floor"] = "floor: perf/FloorServer, the same topology with nothing but the hops (YARP edge → webhook → router → one pipelined Redis round trip, same Garnet)"
  names["floor3"] = "floor3: the floor with the app's Redis work, three scripts in three round trips (webhook: turn start; router: begin, end) instead of one pipelined round trip"
  names["floor2"] = "floor2: floor3 with one round trip fewer, the turn start and the router's begin in one script at the webhook (router: end)"
  names["bare"] = "bare: one Kestrel endpoint with KakaoAspire.Kakao, no hops, no Redis"
  names["express"] = "express: Node/Express, one process"
  for (i = 1; i <= nt; i++) printf "- %s\n", names[cols[i]]

  printf "\n### All targets: closed loop with %s workers, open loop at %s requests/s\n\n", ENVIRON["CONCURRENCY"], rate
  header("figure")
  row("requests/s, closed loop", "rps_c", "%.0f")
  row("p50 ms, closed loop", "p50_c", "%.2f")
  row("p99 ms, closed loop", "p99_c", "%.2f")
  row("CPU µs/request, closed loop (our processes)", "cpu_c", "%.0f")
  row("CPU µs/request, closed loop (orchestration: AppHost, dcp, dashboard)", "orch_c", "%.0f")
  row("achieved requests/s, open loop", "rps_r", "%.0f")
  row("p50 ms at " rate " req/s", "p50_r", "%.2f")
  row("p99 ms at " rate " req/s", "p99_r", "%.2f")
  row("CPU µs/request at " rate " req/s (our processes)", "cpu_r", "%.0f")
  row("errors (both loops)", "err", "%d")
  row("peak RSS MB, largest process", "rss", "%d")
  row("idle CPU, % of a core (our processes, " ENVIRON["IDLE"] " s)", "idle", "%.2f")
  row("CPU taken by the hypervisor (steal), s: closed loop / open loop", "steal", "%.1f")

  printf "\n### Per process: CPU µs/request closed loop / at %s req/s · peak RSS (VmHWM) · idle %% of a core\n\n", rate
  print "The floor's processes sit in the rows of the app's process they stand for (floor-edge in the edge row, and so on);"
  print "bare and express are one process each (server).\n"
  header("process")
  for (j = 1; j <= np; j++) {
    p = procs[j]
    printf "| %s |", p
    for (i = 1; i <= nt; i++) {
      t = cols[i]; kc = t SUBSEP "closed"; kr = t SUBSEP "rate"
      if (!((kc, p) in pcpu)) { printf " |"; continue }
      # A group with no process in this run, e.g. (dashboard) in production.
      if (rss[t, p] == 0 && pcpu[kc, p] == 0 && pcpu[kr, p] == 0) { printf " – |"; continue }
      cell = sprintf("%.0f / %.0f µs · %d MB", ok[kc] > 0 ? pcpu[kc, p] * 1000 / ok[kc] : 0, ok[kr] > 0 ? pcpu[kr, p] * 1000 / ok[kr] : 0, rss[t, p])
      if ((t, p) in idle) cell = cell sprintf(" · %.2f %%", idle[t, p])
      printf " %s |", cell
    }
    printf "\n"
  }

  if (evseen) {
    printf "\n### Per process, closed loop: what each request costs in the kernel (EVENTS)\n\n"
    print "System calls / context switches / futex calls (thread wake-ups and waits) per request, and the kernel's share of the"
    print "process's CPU in µs per request. On this kind of VM a thread wake-up across cores costs tens of µs.\n"
    header("process")
    for (j = 1; j <= np; j++) {
      p = procs[j]
      if (p ~ /^\(/) continue
      printf "| %s |", p
      for (i = 1; i <= nt; i++) {
        t = cols[i]; kc = t SUBSEP "closed"
        if (!((t, "closed", p, "raw_syscalls:sys_enter") in ev) || ok[kc] == 0) { printf " |"; continue }
        printf " %.1f / %.1f / %.1f · %.0f µs |", ev[t, "closed", p, "raw_syscalls:sys_enter"] / ok[kc], ev[t, "closed", p, "context-switches"] / ok[kc], ev[t, "closed", p, "syscalls:sys_enter_futex"] / ok[kc], ev[t, "closed", p, "system-cpu-ms"] * 1000 / ok[kc]
      }
      printf "\n"
    }
  }

  if (("app" in seen) || ("app-dev" in seen)) {
  print "\n### Ratios (same run)\n"
  print "| figure | app | app-dev |"
  print "|---|---:|---:|"
  printf "| CPU µs/request, closed loop, ÷ floor's | %s | %s |\n", rt("app", us_per_req("app", "closed"), us_per_req("floor", "closed")), rt("app-dev", us_per_req("app-dev", "closed"), us_per_req("floor", "closed"))
  printf "| CPU µs/request at %s req/s, ÷ floor's | %s | %s |\n", rate, rt("app", us_per_req("app", "rate"), us_per_req("floor", "rate")), rt("app-dev", us_per_req("app-dev", "rate"), us_per_req("floor", "rate"))
  if ("floor3" in seen) {
    printf "| CPU µs/request, closed loop, ÷ floor3's (what the services add to the design's Redis work) | %s | %s |\n", rt("app", us_per_req("app", "closed"), us_per_req("floor3", "closed")), rt("app-dev", us_per_req("app-dev", "closed"), us_per_req("floor3", "closed"))
    printf "| floor3's CPU µs/request, closed loop, ÷ floor's (what the three round trips cost) | %s | |\n", rt("floor3", us_per_req("floor3", "closed"), us_per_req("floor", "closed"))
  }
  if ("floor2" in seen) {
    printf "| floor2's CPU µs/request, closed loop, ÷ floor's (what two round trips would cost) | %s | |\n", rt("floor2", us_per_req("floor2", "closed"), us_per_req("floor", "closed"))
  }
  printf "| requests/s, closed loop, ÷ floor's | %s | %s |\n", rt("app", rps["app", "closed"], rps["floor", "closed"]), rt("app-dev", rps["app-dev", "closed"], rps["floor", "closed"])
  printf "| requests/s, closed loop, ÷ Express's | %s | %s |\n", rt("app", rps["app", "closed"], rps["express", "closed"]), rt("app-dev", rps["app-dev", "closed"], rps["express", "closed"])
  printf "| requests/s, closed loop, ÷ bare's | %s | %s |\n", rt("app", rps["app", "closed"], rps["bare", "closed"]), rt("app-dev", rps["app-dev", "closed"], rps["bare", "closed"])
  printf "| p99 at %s req/s, ÷ floor's | %s | %s |\n", rate, rt("app", p99["app", "rate"], p99["floor", "rate"]), rt("app-dev", p99["app-dev", "rate"], p99["floor", "rate"])
  }

  # The goals: the app as deployed (app) against its own design's floor and Express; the developer's run (app-dev)
  # only has to be quick enough to work with.
  print "\n### Goals\n"
  print "| goal | figure | verdict |"
  print "|---|---|---|"
  a = "app" SUBSEP "closed"; f = "floor" SUBSEP "closed"; e = "express" SUBSEP "closed"; r = "app" SUBSEP "rate"
  if (("app" in seen) && ("floor" in seen))
    printf "| app CPU per request ≤ 2× the floor's (closed loop) | %.0f vs %.0f µs = %s | %s |\n", us_per_req("app", "closed"), us_per_req("floor", "closed"), ratio(us_per_req("app", "closed"), us_per_req("floor", "closed")), verdict(us_per_req("floor", "closed") > 0 && us_per_req("app", "closed") <= 2 * us_per_req("floor", "closed"))
  else print "| app CPU per request ≤ 2× the floor's (closed loop) | needs the app and floor targets | n/a |"
  if (("app" in seen) && ("express" in seen))
    printf "| app throughput ≥ 1.0× Express's (closed loop) | %.0f vs %.0f req/s = %s | %s |\n", rps[a], rps[e], ratio(rps[a], rps[e]), verdict(rps[e] > 0 && rps[a] >= rps[e])
  else print "| app throughput ≥ 1.0× Express's (closed loop) | needs the app and express targets | n/a |"
  if ("app" in seen) {
    printf "| app p99 < 20 ms at 200 req/s | p99 %.2f ms at %s req/s (achieved %.0f, %d errors) | %s |\n", p99[r], rate, rps[r], err[r], rate == 200 ? verdict(p99[r] < 20 && err[r] == 0) : "n/a (RATE is not 200)"
    over = ""
    for (j = 1; j <= np; j++) { p = procs[j]; if (p !~ /^\(/ && (("app", p) in rss) && rss["app", p] >= 150) over = over (over == "" ? "" : ", ") p " " rss["app", p] " MB" }
    printf "| every app service < 150 MB RSS | largest %d MB (%s)%s | %s |\n", maxrss["app"], maxrssproc["app"], over == "" ? "" : "; over: " over, verdict(maxrss["app"] > 0 && maxrss["app"] < 150)
    if ("app" in idleseen)
      printf "| every app service idle < 1 %% of a core | largest %s %.2f %% (all our processes together %.2f %%) over %s s | %s |\n", idlemaxproc["app"], idlemax["app"], idlesum["app"], ENVIRON["IDLE"], verdict(idlemax["app"] < 1)
  }
  if ("app-dev" in seen)
    printf "| development ≥ 1,000 req/s (closed loop) | %.0f req/s | %s |\n", rps["app-dev", "closed"], verdict(rps["app-dev", "closed"] >= 1000)
  else print "| development ≥ 1,000 req/s (closed loop) | needs the app-dev target (MODE=development or TARGETS with app-dev) | n/a |"
}

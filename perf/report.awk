# Turns perf/run-load.sh's results.tsv and rss.tsv into Markdown tables with ratios and the issue's goals.
# results.tsv: target phase process cpu_ms ok rps p50_ms p99_ms max_ms errors   (one line per process and phase)
# rss.tsv:     target process peak_rss_mb
# Processes in parentheses, e.g. (dcp), are Aspire's orchestration: shown, not counted in the request path's CPU.

FNR == NR {
  t = $1; ph = $2; proc = $3
  key = t SUBSEP ph
  ok[key] = $5; rps[key] = $6; p50[key] = $7; p99[key] = $8; mx[key] = $9; err[key] = $10
  if (proc ~ /^\(/) { orch[key] += $4 } else { cpu[key] += $4 }
  pcpu[key, proc] = $4
  if (!((t, proc) in seenproc)) { seenproc[t, proc] = 1; procs[t] = procs[t] " " proc }
  if (!(t in seen)) { seen[t] = 1; order[++n] = t }
  next
}
{ rss[$1, $2] = $3; if ($3 > maxrss[$1] && $2 !~ /^\(/) maxrss[$1] = $3 }

function us_per_req(t, ph,   k) { k = t SUBSEP ph; return ok[k] > 0 ? cpu[k] * 1000 / ok[k] : 0 }
function orch_us(t, ph,   k) { k = t SUBSEP ph; return ok[k] > 0 ? orch[k] * 1000 / ok[k] : 0 }
function ratio(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "n/a" }
function verdict(ok_) { return ok_ ? "**met**" : "**not met**" }

END {
  names["app"] = "full path (edge → webhook → agent-router → Redis)"
  names["bare"] = "bare Kestrel + KakaoAspire.Kakao"
  names["express"] = "Node/Express"

  printf "### Closed loop: %s concurrent workers\n\n", ENVIRON["CONCURRENCY"]
  print "| target | requests/s | p50 ms | p99 ms | max ms | errors | CPU µs/request (our processes) | peak RSS MB (largest process) |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= n; i++) {
    t = order[i]; k = t SUBSEP "closed"
    printf "| %s | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %d |\n", names[t], rps[k], p50[k], p99[k], mx[k], err[k], us_per_req(t, "closed"), maxrss[t]
  }
  printf "\n### Open loop: %s requests/s (latency from the scheduled send time)\n\n", ENVIRON["RATE"]
  print "| target | achieved req/s | p50 ms | p99 ms | max ms | errors | CPU µs/request (our processes) |"
  print "|---|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= n; i++) {
    t = order[i]; k = t SUBSEP "rate"
    printf "| %s | %.0f | %.2f | %.2f | %.2f | %d | %.0f |\n", names[t], rps[k], p50[k], p99[k], mx[k], err[k], us_per_req(t, "rate")
  }

  for (i = 1; i <= n; i++) {
    t = order[i]
    printf "\n### Per process: %s\n\n", names[t]
    print "| process | CPU µs/request, closed loop | CPU µs/request, open loop | peak RSS MB (VmHWM) |"
    print "|---|---:|---:|---:|"
    m = split(substr(procs[t], 2), list, " ")
    for (j = 1; j <= m; j++) {
      p = list[j]; kc = t SUBSEP "closed"; kr = t SUBSEP "rate"
      cc = ok[kc] > 0 ? pcpu[kc, p] * 1000 / ok[kc] : 0
      cr = ok[kr] > 0 ? pcpu[kr, p] * 1000 / ok[kr] : 0
      printf "| %s | %.0f | %.0f | %d |\n", p, cc, cr, rss[t, p]
    }
  }

  if (("app" in seen) && (("express" in seen) || ("bare" in seen))) {
    print "\n### Ratios (same run)\n"
    print "| figure | full path / Express | full path / bare Kestrel | bare Kestrel / Express |"
    print "|---|---:|---:|---:|"
    a = "app" SUBSEP "closed"; e = "express" SUBSEP "closed"; b = "bare" SUBSEP "closed"
    printf "| requests/s, closed loop | %s | %s | %s |\n", ratio(rps[a], rps[e]), ratio(rps[a], rps[b]), ratio(rps[b], rps[e])
    printf "| CPU µs/request, closed loop | %s | %s | %s |\n", ratio(us_per_req("app", "closed"), us_per_req("express", "closed")), ratio(us_per_req("app", "closed"), us_per_req("bare", "closed")), ratio(us_per_req("bare", "closed"), us_per_req("express", "closed"))
    a = "app" SUBSEP "rate"; e = "express" SUBSEP "rate"; b = "bare" SUBSEP "rate"
    printf "| p99 ms at %s req/s | %s | %s | %s |\n", ENVIRON["RATE"], ratio(p99[a], p99[e]), ratio(p99[a], p99[b]), ratio(p99[b], p99[e])
    printf "| CPU µs/request at %s req/s | %s | %s | %s |\n", ENVIRON["RATE"], ratio(us_per_req("app", "rate"), us_per_req("express", "rate")), ratio(us_per_req("app", "rate"), us_per_req("bare", "rate")), ratio(us_per_req("bare", "rate"), us_per_req("express", "rate"))
  }

  if ("app" in seen) {
    a = "app" SUBSEP "closed"; e = "express" SUBSEP "closed"; r = "app" SUBSEP "rate"
    print "\n### Goals (issue 7)\n"
    print "| goal | figure | verdict |"
    print "|---|---|---|"
    if ("express" in seen)
      printf "| full path ≥ 1.5× Express throughput | %.0f vs %.0f req/s = %s | %s |\n", rps[a], rps[e], ratio(rps[a], rps[e]), verdict(rps[e] > 0 && rps[a] >= 1.5 * rps[e])
    printf "| ≤ 150 µs CPU per request across our processes | %.0f µs closed loop, %.0f µs at %s req/s | %s |\n", us_per_req("app", "closed"), us_per_req("app", "rate"), ENVIRON["RATE"], verdict(us_per_req("app", "closed") <= 150 && us_per_req("app", "rate") <= 150)
    printf "| p99 < 10 ms at %s req/s | p99 %.2f ms (achieved %.0f req/s, %d errors) | %s |\n", ENVIRON["RATE"], p99[r], rps[r], err[r], verdict(p99[r] < 10 && err[r] == 0)
    printf "| every service < 150 MB RSS | largest %d MB | %s |\n", maxrss["app"], verdict(maxrss["app"] < 150)
    printf "\nOrchestration (not counted above): %.0f µs CPU/request closed loop, %.0f µs at %s req/s.\n", orch_us("app", "closed"), orch_us("app", "rate"), ENVIRON["RATE"]
  }
}

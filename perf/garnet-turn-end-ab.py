#!/usr/bin/env python3
"""Garnet's own CPU for the router's turn scripts as they were before session 11 and as they are now (the end script
with one RPUSH, a conditional LTRIM and one DEL; the begin script without a PEXPIRE of a missing generation key).
Starts Garnet (src/KakaoAspire.RedisHost, Release build) on a free port, runs each variant 4 rounds of 20,000 requests
(8 connections, 4 in flight each), prints req/s and Garnet's utime+stime per request. Round 0 is warm-up.

usage: perf/garnet-turn-end-ab.py   (needs `dotnet build -c Release src/KakaoAspire.RedisHost` first)
"""
import importlib.util, sys, os, re, time, subprocess, socket, tempfile, shutil
spec = importlib.util.spec_from_file_location("gc", os.path.join(os.path.dirname(os.path.abspath(__file__)), "garnet-cost.py")); gc = importlib.util.module_from_spec(spec); spec.loader.exec_module(gc)
TURN_STORE = "src/KakaoAspire.AgentRouter/Turns/TurnStore.cs"
# The scripts as they were before session 11's trims, and as they are in the working tree: read from the C# source
# (its raw string literals), so the "new" side is always what the router runs.
BEFORE = "fe1aaed^"


def literal(source, name):
    """The text of `const string <name> = ["Other" + ]\"\"\"...\"\"\"`, with the named constant it starts with prepended."""
    m = re.search(r"const string " + name + r' = (?:(\w+) \+ )?"""\n(.*?)\n\s*""";', source, re.S)
    return (literal(source, m.group(1)) if m.group(1) else "") + m.group(2) + "\n"


def scripts(source):
    return literal(source, "EndScript"), literal(source, "BeginScript")


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OLD_END, OLD_BEGIN = scripts(subprocess.check_output(["git", "-C", ROOT, "show", f"{BEFORE}:{TURN_STORE}"], text=True))
NEW_END, NEW_BEGIN = scripts(open(os.path.join(ROOT, TURN_STORE), encoding="utf-8").read())
ANSWER = '{"turnId":"x","agentId":"main","sessionKey":"agent:main:kakao:default:dm:u","text":"' + "답변 " * 20 + '"}'
MSG = '{"role":"user","text":"' + "안녕하세요 " * 8 + '","at":"2026-12-03T10:00:00Z"}'
def main(tag):
    state = tempfile.mkdtemp(); 
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    proc = subprocess.Popen(["dotnet", str(gc.REDISHOST), "--port", str(port), "--bind", "127.0.0.1", "--aof", "--recover",
        "--checkpointdir", state, "--logdir", state, "--storage-tier", "--device-type", "RandomAccess", "--lua",
        "--expired-key-deletion-scan-freq", "10"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try: gc.Conn(port).call("PING"); break
            except OSError: time.sleep(0.5)
        c = gc.Conn(port)
        sha = {n: c.call("SCRIPT", "LOAD", s).decode() for n, s in
               {"old end": OLD_END, "new end": NEW_END, "old begin": OLD_BEGIN, "new begin": NEW_BEGIN}.items()}
        def end(name):
            def make(i):
                u = i % 16
                return gc.resp("SET", f"lock{i}", "tok", "PX", 30000) + gc.resp("EVALSHA", sha[name], 5, f"lock{i}", f"w{i}", f"ans{tag}{name}{i}", f"run{i}",
                    f"turns{name}{u}", "tok", ANSWER, 60000, 20, 604800000, MSG, MSG), 2
            return make
        def begin(name):
            def make(i):
                u = i % 16
                return gc.resp("EVALSHA", sha[name], 5, f"bans{i}", f"brun{tag}{name}{i}", f"block{tag}{name}{i}", f"gen{u}", f"turnsnew end{u}",
                    "host", 30000, "tok", 30000, 1209600000), 1
            return make
        hz = os.sysconf("SC_CLK_TCK"); N = 20000
        for rnd in range(4):
            for name, make in [("old end", end("old end")), ("new end", end("new end")), ("old begin", begin("old begin")), ("new begin", begin("new begin"))]:
                gc.run(port, make, 2000, 8, 4)
                b, t0 = gc.cpu_ticks(proc.pid), time.monotonic()
                n = gc.run(port, make, N, 8, 4)
                a, t1 = gc.cpu_ticks(proc.pid), time.monotonic()
                print(f"{rnd} {name:<10} {n/(t1-t0):8.0f} req/s {(a-b)/hz*1e6/n:7.1f} µs/req", flush=True)
    finally:
        proc.terminate(); proc.wait(20); shutil.rmtree(state, ignore_errors=True)
main(sys.argv[1] if len(sys.argv) > 1 else "a")

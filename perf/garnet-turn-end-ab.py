#!/usr/bin/env python3
"""Garnet's own CPU for the router's turn scripts as they were before session 11 and as they are now (the end script
with one RPUSH, a conditional LTRIM and one DEL; the begin script without a PEXPIRE of a missing generation key).
Starts Garnet (src/KakaoAspire.RedisHost, Release build) on a free port, runs each variant 4 rounds of 20,000 requests
(8 connections, 4 in flight each), prints req/s and Garnet's utime+stime per request. Round 0 is warm-up.

usage: perf/garnet-turn-end-ab.py   (needs `dotnet build -c Release src/KakaoAspire.RedisHost` first)
"""
import importlib.util, sys, os, time, subprocess, socket, tempfile, shutil
spec = importlib.util.spec_from_file_location("gc", os.path.join(os.path.dirname(os.path.abspath(__file__)), "garnet-cost.py")); gc = importlib.util.module_from_spec(spec); spec.loader.exec_module(gc)
OLD_END = """
local held = ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1]
if held and #ARGV > 5 then
  for i = 6, #ARGV do redis.call('RPUSH', KEYS[5], ARGV[i]) end
  redis.call('LTRIM', KEYS[5], -tonumber(ARGV[4]), -1)
  redis.call('PEXPIRE', KEYS[5], ARGV[5])
end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[4])
if not held then return 0 end
redis.call('DEL', KEYS[1])
return 1 + redis.call('EXISTS', KEYS[2])
"""
NEW_END = """
local held = ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1]
if held and #ARGV > 5 then
  local length = redis.call('RPUSH', KEYS[5], (table.unpack or unpack)(ARGV, 6))
  if length > tonumber(ARGV[4]) then redis.call('LTRIM', KEYS[5], -tonumber(ARGV[4]), -1) end
  redis.call('PEXPIRE', KEYS[5], ARGV[5])
end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
if not held then
  redis.call('DEL', KEYS[4])
  return 0
end
redis.call('DEL', KEYS[4], KEYS[1])
return 1 + redis.call('EXISTS', KEYS[2])
"""
FN_OLD = """
local function session(generationKey, lifetime, baseTurnsKey)
  local generation = tonumber(redis.call('GET', generationKey)) or 1
  redis.call('PEXPIRE', generationKey, lifetime)
  return {'started', generation, redis.call('LRANGE', baseTurnsKey, 0, -1)}
end
"""
FN_NEW = """
local function session(generationKey, lifetime, baseTurnsKey)
  local stored = redis.call('GET', generationKey)
  local generation = tonumber(stored) or 1
  if stored then redis.call('PEXPIRE', generationKey, lifetime) end
  return {'started', generation, redis.call('LRANGE', baseTurnsKey, 0, -1)}
end
"""
BEGIN = """
local answer = redis.call('GET', KEYS[1])
if answer then return {'answered', answer} end
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {'running'} end
if not redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4], 'NX') then return {'busy'} end
return session(KEYS[4], ARGV[5], KEYS[5])
"""
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
               {"old end": OLD_END, "new end": NEW_END, "old begin": FN_OLD + BEGIN, "new begin": FN_NEW + BEGIN}.items()}
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

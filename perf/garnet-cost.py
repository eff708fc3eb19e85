#!/usr/bin/env python3
"""Garnet's own CPU per request for one Redis step sent three ways: as a Lua script (EVALSHA), as plain commands in one
pipelined batch, and as the same commands in MULTI/EXEC. It answers "does Garnet run a script much dearer than the
commands in it?" before a store is changed from one to the other.

It starts Garnet (src/KakaoAspire.RedisHost, Release build, the app's arguments, no password) on a free loopback port,
sends each variant from CONNECTIONS connections with PIPELINE requests in flight each, and reads Garnet's utime+stime
from /proc before and after: the client's own cost (this Python) is not counted.

usage: perf/garnet-cost.py [--requests 20000] [--connections 8] [--pipeline 4] [--garnet-args "--lua-transaction-mode false"]
"""
import argparse
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
REDISHOST = ROOT / "src/KakaoAspire.RedisHost/bin/Release/net10.0/KakaoAspire.RedisHost.dll"

# The webhook's turn start (Skill/TurnStartStore.cs) with its rate-limit step, as the script runs it today.
TURN_START = """
if ARGV[1] == '1' then
  redis.call('HINCRBY', KEYS[1], 'count', 1)
  redis.call('HSET', KEYS[1], 'lastAt', ARGV[2])
end
local owner = ARGV[3]
if tonumber(ARGV[4]) > 0 and not redis.call('SET', KEYS[2], owner, 'EX', ARGV[4], 'NX') then
  local first = redis.call('GET', KEYS[2])
  if first and first ~= '' then owner = first end
end
local wait = 0
if owner == ARGV[3] and tonumber(ARGV[6]) > 0 then
  local now = tonumber(ARGV[5])
  local interval = tonumber(ARGV[6])
  local burst = tonumber(ARGV[7])
  local tolerance = interval * burst
  local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
  if tat < now then tat = now end
  local next = tat + interval
  if next - now > tolerance then
    wait = next - now - tolerance
  else
    redis.call('SET', KEYS[3], tostring(next), 'PX', next - now)
  end
end
return {owner, wait, redis.call('LLEN', KEYS[4])}
"""
TRIVIAL = "return 1"


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.s.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def call(self, *args):
        self.s.sendall(resp(*args))
        return self.reply()


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def variants(sha_turn, sha_trivial):
    """name -> function(i) giving (request bytes, replies to read) for request i (a new user and turn each time)."""
    def keys(i):
        return (f"moltbot:account:default:in", f"moltbot:dedupe:kakao:msg:{i:064x}", f"moltbot:rate:kakao:default:u{i}",
                f"moltbot:held:kakao:default:u{i}")

    def evalsha(i):
        k = keys(i)
        now = int(time.time() * 1000)
        return resp("EVALSHA", sha_turn, 4, *k, 1, "2026-12-02T15:00:00.0000000+00:00", f"turn{i}", 60, now, 3000, 5), 1

    def plain(i):
        # Everything the script does when the request is new (the common case): count, claim, rate (read), held count.
        k = keys(i)
        return b"".join([
            resp("HINCRBY", k[0], "count", 1), resp("HSET", k[0], "lastAt", "2026-12-02T15:00:00.0000000+00:00"),
            resp("SET", k[1], f"turn{i}", "EX", 60, "NX"), resp("GET", k[1]), resp("GET", k[2]), resp("LLEN", k[3])]), 6

    def multi(i):
        body, n = plain(i)
        return resp("MULTI") + body + resp("EXEC"), n + 2

    def trivial(i):
        return resp("EVALSHA", sha_trivial, 0), 1

    def ping(i):
        return resp("PING"), 1

    return {"evalsha turn start": evalsha, "pipeline, same commands": plain, "multi/exec, same commands": multi,
            "evalsha 'return 1'": trivial, "ping": ping}


def run(port, make, requests, connections, pipeline):
    per = requests // connections
    errors = []

    def worker(w):
        try:
            c = Conn(port)
            sent = 0
            pending = []
            while sent < per or pending:
                while sent < per and len(pending) < pipeline:
                    data, n = make(w * per + sent)
                    c.s.sendall(data)
                    pending.append(n)
                    sent += 1
                for _ in range(pending.pop(0)):
                    c.reply()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return per * connections


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--pipeline", type=int, default=4)
    ap.add_argument("--port", type=int, default=0, help="an already running Garnet without password (else one is started)")
    ap.add_argument("--garnet-args", default="", help="more arguments for the Garnet this starts, e.g. '--lua-transaction-mode false'")
    args = ap.parse_args()

    state = tempfile.mkdtemp(prefix="garnet-cost.")
    proc = None
    try:
        port = args.port
        if not port:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            proc = subprocess.Popen(
                ["dotnet", str(REDISHOST), "--port", str(port), "--bind", "127.0.0.1", "--aof", "--recover",
                 "--checkpointdir", state, "--logdir", state, "--storage-tier", "--device-type", "RandomAccess", "--lua",
                 "--expired-key-deletion-scan-freq", "10", "--memory", "256m", "--index", "16m", *args.garnet_args.split()],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(120):
                try:
                    Conn(port).call("PING")
                    break
                except OSError:
                    time.sleep(0.5)
        pid = proc.pid if proc else int(subprocess.check_output(["pgrep", "-nf", f"--port {port}"]).split()[0])
        c = Conn(port)
        sha_turn = c.call("SCRIPT", "LOAD", TURN_START).decode()
        sha_trivial = c.call("SCRIPT", "LOAD", TRIVIAL).decode()
        hz = os.sysconf("SC_CLK_TCK")
        print(f"Garnet pid {pid}, {args.requests} requests per variant, {args.connections} connections x {args.pipeline} in flight")
        print(f"{'variant':<28} {'req/s':>9} {'Garnet CPU µs/request':>22}")
        for name, make in variants(sha_turn, sha_trivial).items():
            run(port, make, min(2000, args.requests), args.connections, args.pipeline)  # warm-up
            before, t0 = cpu_ticks(pid), time.monotonic()
            n = run(port, make, args.requests, args.connections, args.pipeline)
            after, t1 = cpu_ticks(pid), time.monotonic()
            print(f"{name:<28} {n / (t1 - t0):9.0f} {(after - before) / hz * 1e6 / n:22.1f}")
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(state, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

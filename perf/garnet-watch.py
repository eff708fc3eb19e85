#!/usr/bin/env python3
"""Logs the app's Garnet every N seconds while perf/run-load.sh runs: RSS, GC heap, the log's memory and addresses.

    python3 perf/garnet-watch.py /tmp/garnet.log 10 &
    TARGETS=app WARMUP=10 DURATION=240 perf/run-load.sh; kill %1

Finds the Redis host started with --aof (the app's, not the floor's), reads its port from the command line and its
password from its environment (root or the same user), and asks only INFO memory and INFO store. Never DBSIZE, KEYS or
SCAN: Garnet walks its whole log for them, the part on disk too, and one every few seconds takes a spilled store from
200 MB to gigabytes (docs/benchmarks.md, "Session 13").
"""
import os
import socket
import sys
import time

WANTED = ('gc_heap_bytes', 'gc_committed_bytes', 'native_allocator_bytes', 'store_mainlog_memory_size',
          'Log.HeadAddress', 'Log.SafeReadOnlyAddress', 'Log.TailAddress')


def find_garnet():
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            argv = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
            if not any(b'KakaoAspire.RedisHost' in a for a in argv) or b'--aof' not in argv:
                continue
            port = int(argv[argv.index(b'--port') + 1])
            env = open(f'/proc/{pid}/environ', 'rb').read().split(b'\0')
            password = next((e.split(b'=', 1)[1] for e in env if e.startswith(b'KAKAOASPIRE_REDIS_PASSWORD=')), None)
            return int(pid), port, password
        except (OSError, ValueError, IndexError):
            continue
    return None


def ask(sock, reader, *args):
    sock.sendall(b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args))
    line = reader.readline()
    if line.startswith(b'$'):
        return reader.read(int(line[1:]) + 2)[:-2].decode()
    return line.decode().strip()


def main():
    out = open(sys.argv[1], 'a', buffering=1)
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    start = time.time()
    while True:
        found = find_garnet()
        if not found:
            time.sleep(1)
            continue
        pid, port, password = found
        try:
            rss = next(l.split()[1] for l in open(f'/proc/{pid}/status') if l.startswith('VmRSS'))
        except (OSError, StopIteration):
            time.sleep(1)
            continue
        fields = {}
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=3) as sock:
                reader = sock.makefile('rb')
                if password:
                    ask(sock, reader, b'AUTH', password)
                for section in (b'memory', b'store'):
                    for line in ask(sock, reader, b'INFO', section).splitlines():
                        key, _, value = line.partition(':')
                        if key in WANTED:
                            fields[key] = value
        except OSError as error:
            fields['error'] = type(error).__name__
        out.write(f'{time.time() - start:7.1f} pid={pid} rss_kb={rss} ' + ' '.join(f'{k}={v}' for k, v in fields.items()) + '\n')
        time.sleep(interval)


if __name__ == '__main__':
    main()

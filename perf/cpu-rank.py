#!/usr/bin/env python3
"""Ranks `perf script` output of a .NET process (see perf/cpu-profile.sh).

  cpu-rank.py cpu SCRIPT [DEPTH] [TOP]           samples by innermost managed frame(s), with what the samples were doing
  cpu-rank.py wakeups SCRIPT REQUESTS [TOP]      futex calls and context switches per request, by thread and managed frames
"""
import collections
import re
import sys

MANAGED = '.map)'  # frames perf named from the runtime's perf map (/tmp/perf-<pid>.map)
# Plumbing between a caller and what it awaits: skipped so the frame named is the code that asked for the work.
PLUMBING = re.compile(
    r'(System\.Threading\.ExecutionContext|AsyncMethodBuilderCore::Start|AsyncTaskMethodBuilder|System\.Threading\.Monitor::'
    r'|LowLevel|System\.Threading\.Tasks\.Task::|Task`1\[|RunContinuations|RunOrScheduleAction|TrySetResult|IL_STUB'
    r'|SemaphoreSlim|ManualResetEventSlim|ThreadPoolWorkQueue::Enqueue|UnsafeQueueUserWorkItem|ThreadPool::|AwaitTaskContinuation'
    r'|TaskCompletionSource|SetExistingTaskResult|SetResult)')


def short(frame):
    frame = re.sub(r'\[(Optimized[A-Za-z0-9]*|QuickJitted|Tier[01]|Instrumented[A-Za-z0-9]*)\]', '', frame)
    frame = re.sub(r'^(instance )?[^\[]*\[[^\]]+\] ', '', frame)
    return re.sub(r'\(.*', '', frame)[:130]


def samples(path):
    for block in open(path, errors='replace').read().split('\n\n'):
        lines = [l.strip() for l in block.strip().split('\n') if l.strip()]
        if len(lines) > 1:
            yield lines[0], lines[1:]


def symbol(line):
    return line.split(' ', 1)[1] if ' ' in line else line


def leaf_kind(frames):
    leaf = frames[0]
    kernel = [f for f in frames if '[kernel' in f]
    if '[kernel' in leaf:
        if any('futex' in f for f in kernel):
            return 'futex'
        return 'switch' if any('schedule' in f for f in kernel) else 'kernel'
    if 'libcoreclr' in leaf:
        return 'runtime'
    return 'managed' if MANAGED in leaf else 'native'


def cpu(path, depth, top):
    total, by, kinds = 0, collections.Counter(), collections.defaultdict(collections.Counter)
    assemblies = collections.Counter()
    for _, frames in samples(path):
        total += 1
        managed = [short(symbol(f)) for f in frames if MANAGED in f]
        kept = [f for f in managed if not re.match(r'(System\.Threading\.ExecutionContext|System\.Runtime\.CompilerServices\.Async)', f)]
        key = ' <- '.join(kept[:depth]) if kept else '(native) ' + re.sub(r' \(.*', '', symbol(frames[-1]))[:60]
        by[key] += 1
        kinds[key][leaf_kind(frames)] += 1
        leaf = frames[0]
        if '[kernel' in leaf:
            assemblies['kernel'] += 1
        elif MANAGED in leaf:
            m = re.search(r'\[([A-Za-z0-9_.]+)\] ', symbol(leaf))
            assemblies[m.group(1) if m else 'JIT (other)'] += 1
        else:
            assemblies[re.sub(r'.*/', '', re.sub(r'\)$', '', leaf.rsplit('(', 1)[-1]))] += 1
    print(f'{total} samples')
    print('\nby innermost managed frame (what its samples were doing)')
    for key, n in by.most_common(top):
        print(f'{100.0 * n / total:5.1f}%  {key}   [{", ".join(f"{k} {v}" for k, v in kinds[key].most_common())}]')
    print('\nby where the sample landed')
    for key, n in assemblies.most_common(25):
        print(f'{100.0 * n / total:5.1f}%  {key}')


def wakeups(path, requests, top):
    counts, totals = collections.Counter(), collections.Counter()
    for head, frames in samples(path):
        thread = re.sub(r'\d+$', '#', re.split(r' (syscalls|sched):', head)[0].strip())
        if 'sys_enter_futex' in head:
            op = int(re.search(r'op: (0x[0-9a-f]+)', head).group(1), 16) & 0x7f
            kind = {0: 'futex wait', 1: 'futex wake', 9: 'futex wait', 10: 'futex wake'}.get(op, f'futex op {op}')
        elif 'sched_switch' in head:
            kind = 'preempted' if re.search(r'prev_state=R', head) else 'slept'
        else:
            continue
        kept = [short(symbol(f)) for f in frames if MANAGED in f]
        kept = [f for f in kept if not PLUMBING.search(f)]
        counts[(thread, kind, ' <- '.join(kept[:2]) or '-')] += 1
        totals[kind] += 1
    print('per request: ' + ', '.join(f'{k} {v / requests:.2f}' for k, v in totals.most_common()))
    for (thread, kind, where), n in counts.most_common(top):
        print(f'{n / requests:6.3f}  {thread:<16} {kind:<11} {where}')


if __name__ == '__main__':
    mode, path = sys.argv[1], sys.argv[2]
    if mode == 'cpu':
        cpu(path, int(sys.argv[3]) if len(sys.argv) > 3 else 1, int(sys.argv[4]) if len(sys.argv) > 4 else 40)
    else:
        wakeups(path, float(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 40)

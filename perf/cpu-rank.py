#!/usr/bin/env python3
"""CPU ranking from a dotnet-trace sampled-thread-time trace converted to Speedscope (see perf/cpu-profile.sh).

The sampler (Microsoft-DotNETCore-SampleProfiler) records every managed thread ~100 times a second whether it runs or
waits, so on its own it ranks the thread pool's idle workers, the socket event loop and StackExchange.Redis's reader
threads first. This drops every sample whose innermost frames are a wait (the WAITS patterns below, checked against
the leaf frames) and ranks what is left: the time threads spent running managed code or native code called from it
(GC on an allocating thread, JIT, syscalls that do not block). It is thread time, not CPU time, but with the waits
gone it ranks what costs CPU.

usage: cpu-rank.py trace.speedscope.json [--top 30] [--leaves 40] [--show-waits]
  --show-waits   also print the top leaves that were dropped (to check the filter against a new trace)
"""
import argparse
import collections
import json
import re
import sys

# A sample is a wait when one of its innermost WAIT_DEPTH frames matches. Checked on traces of the webhook, the
# router and the edge under the closed loop (--show-waits lists what was dropped).
WAIT_DEPTH = 4
WAITS = re.compile("|".join([
    r"LowLevelLifoSemaphore\.Wait",          # idle thread-pool workers
    r"LowLevelMonitor\.Wait",
    r"Monitor\.(Wait|ObjectWait)",
    r"WaitHandle\.(Wait|WaitOne|WaitAny|WaitAll|WaitMultiple)",
    r"WaitSubsystem\.",
    r"Thread\.(Sleep|SleepInternal|Join)",
    r"SocketAsyncEngine\.EventLoop",         # the epoll thread
    r"Interop\+Sys\.WaitForSocketEvents",
    r"Interop\+Sys\.(Poll|EPoll|Read\b|WaitPid)",
    r"DedicatedThreadPoolPipeScheduler\.(RunWorkLoop|ThreadRunWorkLoop)",  # StackExchange.Redis's own threads
    r"PortableThreadPool\+GateThread\.GateThreadStart",
    r"PortableThreadPool\+WorkerThread\.WorkerDoWork",  # only as a leaf: the worker's own spin/park loop
    r"ManualResetEventSlim\.Wait",
    r"SemaphoreSlim\.Wait\b",
    r"SpinWait\.Spin",
    r"Task\.(Wait|InternalWait|SpinThenBlockingWait)",
    r"TimerQueue\.TimerThread",
    r"WaitForPendingFinalizers|FinalizerThread|Finalizer\.",
    r"Console.*Read",
    r"EventPipe|DiagnosticServer|IpcStream|EventListener",  # the tracing itself
    r"ThreadNative::Sleep|ThreadNative::Join",
]))


def load_samples(path):
    """Yields (list of frame names, root first; weight) for every sample of every thread."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    frames = [fr.get("name", "?") for fr in doc["shared"]["frames"]]
    for profile in doc["profiles"]:
        if profile.get("type") == "sampled":
            weights = profile.get("weights") or [1] * len(profile["samples"])
            for stack, weight in zip(profile["samples"], weights):
                yield [frames[i] for i in stack], weight
        elif profile.get("type") == "evented":
            # Open/close events: each interval between two events weighs on the stack open during it.
            stack, last = [], None
            for ev in profile["events"]:
                at = ev["at"]
                if last is not None and stack and at > last:
                    yield [frames[i] for i in stack], at - last
                last = at
                if ev["type"] == "O":
                    stack.append(ev["frame"])
                elif stack:
                    # Speedscope closes the innermost frame; be lenient if the writer closes out of order.
                    if stack[-1] == ev["frame"]:
                        stack.pop()
                    elif ev["frame"] in stack:
                        del stack[len(stack) - 1 - stack[::-1].index(ev["frame"]):]


# TraceEvent ends every thread-time stack with a pseudo frame: CPU_TIME (the thread ran managed code) or
# UNMANAGED_CODE_TIME (it was in native code: waiting, or a syscall).
PSEUDO_LEAVES = ("CPU_TIME", "UNMANAGED_CODE_TIME")


def split_leaf(stack):
    """(real frames, pseudo leaf or None)."""
    if stack and stack[-1] in PSEUDO_LEAVES:
        return stack[:-1], stack[-1]
    return stack, None


def is_wait(stack):
    return any(WAITS.search(name) for name in stack[-WAIT_DEPTH:])


def method_of(name):
    """'Module!Ns.Type.Method(args)' -> 'Ns.Type.Method' (args dropped, the module kept out)."""
    name = name.split("!", 1)[-1]
    return re.sub(r"\(.*$", "", name).strip()


def namespace_of(name):
    module = name.split("!", 1)[0] if "!" in name else ""
    parts = method_of(name).split(".")
    ns = ".".join(parts[:-2]) if len(parts) > 2 else (module or parts[0])
    return ns or module or "?"


def table(title, counter, total, top):
    print(f"\n{title}")
    print(f"{'share':>7}  {'weight':>10}  name")
    for name, weight in counter.most_common(top):
        print(f"{100.0 * weight / total:6.1f}%  {weight:10.1f}  {name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--show-waits", action="store_true")
    args = ap.parse_args()

    kept_total = dropped_total = 0.0
    exclusive, inclusive, ns_exclusive, ns_inclusive = (collections.Counter() for _ in range(4))
    dropped_leaves = collections.Counter()
    all_total = managed_total = 0.0
    for stack, weight in load_samples(args.trace):
        stack, pseudo = split_leaf(stack)
        if not stack:
            continue
        all_total += weight
        if pseudo == "CPU_TIME":
            managed_total += weight
        if is_wait(stack):
            dropped_total += weight
            dropped_leaves[method_of(stack[-1])] += weight
            continue
        kept_total += weight
        exclusive[method_of(stack[-1])] += weight
        ns_exclusive[namespace_of(stack[-1])] += weight
        for m in {method_of(n) for n in stack}:
            inclusive[m] += weight
        for ns in {namespace_of(n) for n in stack}:
            ns_inclusive[ns] += weight

    if kept_total == 0:
        print("no sample left after dropping the waits", file=sys.stderr)
        return 1
    print(f"samples' weight (ms of thread time): {kept_total:.1f} running, {dropped_total:.1f} waiting (dropped); "
          f"{managed_total:.1f} in managed code (CPU_TIME) of {all_total:.1f}; shares below are of the running weight")
    # The check that the sampler works here: a service busy for S seconds of CPU should show about S*1000 running.
    print("compare the running weight with the process's CPU time over the window (/proc/<pid>/stat utime+stime): "
          "far less means the sampler only caught threads at their waits (see docs/benchmarks.md)")
    table(f"top {args.top} methods, exclusive (leaf)", exclusive, kept_total, args.top)
    table(f"top {args.top} methods, inclusive", inclusive, kept_total, args.top)
    table(f"top {args.top} namespaces, exclusive", ns_exclusive, kept_total, args.top)
    table(f"top {args.top} namespaces, inclusive", ns_inclusive, kept_total, args.top)
    if args.show_waits:
        table(f"top {args.top} dropped leaves (waits)", dropped_leaves, dropped_total, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

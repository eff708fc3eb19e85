/* What a system call and a thread wake-up cost on this machine: the unit behind perf/run-load.sh's EVENTS table.
 *   gcc -O2 -pthread perf/wakeup-cost.c -o /tmp/wakeup-cost && /tmp/wakeup-cost && taskset -c 0 /tmp/wakeup-cost
 * Two threads hand a token back and forth with futex wait/wake (what a .NET thread-pool or socket hand-off does);
 * under taskset both threads share one core, otherwise the wake-up crosses cores. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 200000
static atomic_int turn;

static double now_us(clockid_t clock) { struct timespec t; clock_gettime(clock, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static void wait_while(atomic_int *a, int v) { while (atomic_load(a) == v) syscall(SYS_futex, a, FUTEX_WAIT_PRIVATE, v, 0, 0, 0); }
static void wake(atomic_int *a) { syscall(SYS_futex, a, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0); }

static void *other(void *unused) {
  for (int i = 0; i < ROUNDS; i++) { wait_while(&turn, 0); atomic_store(&turn, 0); wake(&turn); }
  return unused;
}

int main(void) {
  double t0 = now_us(CLOCK_MONOTONIC);
  for (int i = 0; i < 1000000; i++) syscall(SYS_getppid);
  printf("system call: %.3f us\n", (now_us(CLOCK_MONOTONIC) - t0) / 1e6);

  pthread_t thread;
  double c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
  t0 = now_us(CLOCK_MONOTONIC);
  pthread_create(&thread, 0, other, 0);
  for (int i = 0; i < ROUNDS; i++) { atomic_store(&turn, 1); wake(&turn); wait_while(&turn, 1); }
  pthread_join(thread, 0);
  printf("futex hand-off there and back: %.2f us elapsed, %.2f us CPU\n",
         (now_us(CLOCK_MONOTONIC) - t0) / ROUNDS, (now_us(CLOCK_PROCESS_CPUTIME_ID) - c0) / ROUNDS);
  return 0;
}

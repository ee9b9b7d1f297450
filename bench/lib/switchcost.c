/*
 * What a context switch costs between two threads of one process against two processes, on one CPU: a byte
 * bounced over two pipes N times, both ends pinned to CPU 0 so that every hop is a switch. On a PVM guest (these
 * machines) a switch between processes also switches the address space through the hypervisor, and that is part
 * of what two workers pay that one does not (bench/results/two-workers-2026-12-02.txt). Standard C:
 *
 *     cc -O2 -pthread -o /tmp/switchcost bench/lib/switchcost.c && /tmp/switchcost && /tmp/switchcost processes
 *
 * Any argument: the peer is a forked process; none: a thread of this one.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUND_TRIPS 200000

static int ping[2], pong[2];

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* The peer: answers every byte it reads. */
static void *peer(void *unused) {
    char c;
    for (int i = 0; i < ROUND_TRIPS; i++) {
        if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) die("peer");
    }
    return unused;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    (void) argv;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) die("sched_setaffinity");
    if (pipe(ping) != 0 || pipe(pong) != 0) die("pipe");
    int processes = argc > 1;
    pid_t child = 0;
    pthread_t thread;
    if (processes) {
        child = fork();
        if (child < 0) die("fork");
        if (child == 0) {
            peer(NULL);
            _exit(0);
        }
    } else if (pthread_create(&thread, NULL, peer, NULL) != 0) {
        die("pthread_create");
    }
    char c = 'x';
    double start = now();
    for (int i = 0; i < ROUND_TRIPS; i++) {
        if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) die("main");
    }
    double elapsed = now() - start;
    printf("%s: %.2f us per round trip (two switches and four pipe calls)\n", processes ? "processes" : "threads",
           elapsed / ROUND_TRIPS * 1e6);
    if (processes) waitpid(child, NULL, 0);
    else pthread_join(thread, NULL);
    return 0;
}

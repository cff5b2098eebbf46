/*
 * Copyright (c) 2026 OVS Fastpath authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef FP_MISS_H
#define FP_MISS_H 1

/* A PMD's misses: when they go up to ofproto-dpif, and which are refused.
 *
 * An upcall runs ofproto-dpif's translation on the PMD: microseconds, the
 * time of hundreds of forwarded packets.  A port whose every packet is a
 * new flow would make the PMD spend all its time there and starve the
 * established flows of every other port it polls.  So a miss never goes up
 * from the middle of a poll:
 *
 *   - Each miss waits in the queue of its rx queue (FP_MISS_QUEUE_LEN
 *     packets, with their keys).  One that finds the queue full is refused:
 *     dropped, and counted in 'drop_upcall_limit' and the coverage counter
 *     'fp_upcall_refused'.  An rx queue whose polls are mostly refused
 *     misses is polled less often (every 2nd, 4th, ..., 64th round, only
 *     while the PMD is busy) until a poll of it refuses none: receiving,
 *     keying and looking up its packets would otherwise still take the
 *     PMD's time.
 *
 *   - After each round of polls, fp_misses_run() sends queued misses up,
 *     round-robin across the queues, for at most FP_MISS_ROUND_US.  A PMD
 *     is "busy" for FP_MISS_BUSY_MS after a poll that gave a full burst of
 *     mostly established packets: forwarding had to wait.  While busy,
 *     upcalls also stay within 1/FP_MISS_SHARE_DIV of the PMD's time.
 *
 *   - The answer to a miss serves every queued miss of the same megaflow,
 *     in the order they came, whether ofproto-dpif installed the megaflow
 *     or answered "no install" (ENOSPC): a flow that cannot be installed
 *     costs one translation per round, not one per packet.  The packets of
 *     the other megaflows keep their order too, so no packet of a
 *     microflow overtakes an older one that this PMD queued.
 *
 *   - A miss whose megaflow some other thread installed meanwhile (the
 *     other PMD of its port, or a flow put) is forwarded without an upcall
 *     before its rx queue is polled again, so that the port's next packets,
 *     which hit that megaflow, do not overtake it.
 *
 *   - A miss of a port that ofproto-dpif does not know yet (a new port:
 *     see engine/fp-upcall.h) goes back to the head of its queue, and the
 *     queue is held: its rx queue is not polled until an answer comes for
 *     that miss, asked again every FP_MISS_HOLD_MS.  Its packets wait in
 *     the queue and in the device's ring, not dropped, until ofproto-dpif
 *     knows the port.
 *
 * Queued packets hold no pointer into the datapath: their conntrack
 * connection ('md.conn', a cache) is dropped, since the PMD quiesces while
 * they wait and the connection may be freed meanwhile.  When the PMD takes
 * a new poll list, the queue of an rx queue that stays in it stays with
 * its misses; the others are emptied (their packets counted as lost), so
 * no packet outlives its port's mempool: a port leaves every poll list
 * before it is freed, and so does one whose device is set up anew.
 *
 * Only the PMD thread touches its 'struct fp_misses'. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_packet;
struct flow;
struct fp_dp;
struct fp_thread;

enum {
    FP_MISS_QUEUE_LEN = 64,     /* Misses one rx queue may have waiting. */
    FP_MISS_MAX_BACKOFF = 64,   /* Rounds between polls of a refusing queue. */
    FP_MISS_BUSY_MS = 100,      /* How long a backlogged round counts. */
    FP_MISS_ROUND_US = 100,     /* Upcall time after one round of polls. */
    FP_MISS_HOLD_MS = 1,        /* Wait before asking about a new port
                                 * again. */
};

/* Upcall time while busy: 1/FP_MISS_SHARE_DIV of the PMD's time. */
#define FP_MISS_SHARE_DIV 20

struct fp_miss;

struct fp_miss_queue {
    struct fp_miss *slots;      /* FP_MISS_QUEUE_LEN of them. */
    uint64_t used;              /* Bit i: 'slots[i]' holds a miss. */
    uint8_t order[FP_MISS_QUEUE_LEN];   /* Used slots, oldest first. */
    unsigned int n;             /* Misses waiting. */
    unsigned int backoff;       /* Poll every 'backoff'th round. */
    unsigned int skip;          /* Rounds to skip before the next. */
    unsigned int n_refused;     /* Refused in the current poll. */
    uint64_t gen;               /* The datapath's 'flow_gen' when all its
                                 * misses last missed. */
    bool blocked;               /* Another thread has its port's upcall
                                 * turn: skip it for the rest of a round. */
    long long int held_until;   /* Nonzero: ofproto-dpif did not know its
                                 * port.  Its rx queue is not polled while
                                 * misses wait, and they do not go up again
                                 * before then (msec). */
};

struct fp_misses {
    struct fp_miss_queue *queues;   /* One per rx queue polled. */
    size_t n;
    size_t next;                    /* Round-robin position. */
    struct fp_miss_queue *cur;      /* Where misses go now, or NULL. */
    bool backlog;                   /* This round had a backlogged poll. */
    long long int busy_until;       /* Busy until this time (msec). */
    int64_t tokens;                 /* Upcall cycles allowed now. */
    uint64_t last_tsc;              /* When 'tokens' were last refilled. */
};

void fp_misses_init(struct fp_misses *);
void fp_misses_set_n(struct fp_misses *, struct fp_thread *, size_t n,
                     const size_t *from);
void fp_misses_destroy(struct fp_misses *, struct fp_thread *);

bool fp_miss_queue_skip(const struct fp_misses *, const struct fp_thread *,
                        struct fp_miss_queue *);
void fp_miss_queue_polled(struct fp_misses *, struct fp_miss_queue *,
                          int n_rx, int n_missed);

bool fp_miss_defer(struct fp_thread *, struct dp_packet *,
                   const struct flow *);
void fp_miss_queue_refresh(struct fp_misses *, struct fp_dp *,
                           struct fp_thread *, struct fp_miss_queue *);
size_t fp_misses_run(struct fp_misses *, struct fp_dp *, struct fp_thread *);

#endif /* fp-miss.h */

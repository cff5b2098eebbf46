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
 * An upcall runs ofproto-dpif's translation on the PMD, tens of
 * microseconds, the time of thousands of forwarded packets.  A port whose
 * every packet is a new flow would make the PMD spend all its time there
 * and starve the established flows of every other port it polls.  So:
 *
 *   - While no port's forwarding is held up, a miss goes up at once, as
 *     it would without any of this.
 *
 *   - A PMD is "busy" for FP_MISS_BUSY_MS after a round in which some rx
 *     queue gave a full burst of mostly established packets: forwarding
 *     had to wait.  While busy, misses wait in a queue per rx queue and go
 *     up round-robin across the queues, within a budget of upcall time that
 *     grows by FP_MISS_SHARE of the time that passes.  A miss that finds
 *     its queue full is refused: dropped, and counted in 'drop_upcall_limit'
 *     and the coverage counter 'fp_upcall_refused'.  An rx queue that had
 *     misses refused is polled less often (every 2nd, 4th, ..., 64th
 *     round) until a poll of it refuses none: its cheap work (receiving,
 *     keying, looking up) would otherwise still take the PMD's time.
 *
 * A queued packet keeps its metadata and recirculation depth; it is looked
 * up again when its turn comes (an upcall before it may have installed its
 * flow).  Queues are emptied (their packets dropped, as 'lost') whenever the
 * PMD takes a new poll list, so no packet outlives its port's mempool.
 *
 * Only the PMD thread touches its 'struct fp_misses'. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_packet;
struct fp_dp;
struct fp_thread;

enum {
    FP_MISS_QUEUE_LEN = 64,     /* Misses one rx queue may have waiting. */
    FP_MISS_MAX_BACKOFF = 64,   /* Rounds between polls of a refusing queue. */
    FP_MISS_BUSY_MS = 100,      /* How long a backlogged round counts. */
};

/* Upcall time while busy: 1/FP_MISS_SHARE_DIV of the PMD's time. */
#define FP_MISS_SHARE_DIV 20

struct fp_miss_queue {
    struct dp_packet *pkts[FP_MISS_QUEUE_LEN];
    uint8_t depth[FP_MISS_QUEUE_LEN];   /* Recirculation depth of each. */
    unsigned int head;                  /* Index of the oldest. */
    unsigned int n;                     /* Packets waiting. */
    unsigned int backoff;               /* Poll every 'backoff'th round. */
    unsigned int skip;                  /* Rounds to skip before the next. */
    bool refused;                       /* Refused a miss in this poll. */
};

struct fp_misses {
    struct fp_miss_queue *queues;   /* One per rx queue polled. */
    size_t n;
    size_t next;                    /* Round-robin position. */
    struct fp_miss_queue *cur;      /* Of the rx queue being polled. */
    bool backlog;                   /* This round had a backlogged poll. */
    long long int busy_until;       /* Busy until this time (msec). */
    int64_t tokens;                 /* Upcall cycles allowed now. */
    uint64_t last_tsc;              /* When 'tokens' were last refilled. */
};

void fp_misses_init(struct fp_misses *);
void fp_misses_set_n(struct fp_misses *, struct fp_thread *, size_t n);
void fp_misses_destroy(struct fp_misses *, struct fp_thread *);

bool fp_miss_queue_skip(const struct fp_misses *, const struct fp_thread *,
                        struct fp_miss_queue *);
void fp_miss_queue_polled(struct fp_misses *, struct fp_miss_queue *,
                          int n_rx, int n_missed);

bool fp_miss_defer(struct fp_thread *, struct dp_packet *);
size_t fp_misses_run(struct fp_misses *, struct fp_dp *, struct fp_thread *);

#endif /* fp-miss.h */

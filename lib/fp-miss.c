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

#include <config.h>
#include "fp-miss.h"

#include <limits.h>
#include <rte_cycles.h>
#include "coverage.h"
#include "dp-packet.h"
#include "fp-dp-private.h"
#include "netdev.h"
#include "util.h"

COVERAGE_DEFINE(fp_upcall_refused);
COVERAGE_DEFINE(fp_upcall_deferred);

void
fp_misses_init(struct fp_misses *m)
{
    m->queues = NULL;
    m->n = 0;
    m->next = 0;
    m->cur = NULL;
    m->backlog = false;
    m->busy_until = LLONG_MIN;
    m->tokens = 0;
    m->last_tsc = rte_rdtsc();
}

static void
queue_drop_all(struct fp_miss_queue *q, struct fp_thread *t)
{
    fp_stats_add(&t->stats, FP_STAT_LOST, q->n);
    for (; q->n; q->n--) {
        dp_packet_delete(q->pkts[q->head]);
        q->head = (q->head + 1) % FP_MISS_QUEUE_LEN;
    }
}

/* Gives 'm' one empty queue per rx queue of a new poll list of 'n',
 * dropping the packets that waited in the old ones. */
void
fp_misses_set_n(struct fp_misses *m, struct fp_thread *t, size_t n)
{
    fp_misses_destroy(m, t);
    m->queues = n ? xcalloc(n, sizeof *m->queues) : NULL;
    m->n = n;
    for (size_t i = 0; i < n; i++) {
        m->queues[i].backoff = 1;
    }
    m->next = 0;
    m->cur = NULL;
}

void
fp_misses_destroy(struct fp_misses *m, struct fp_thread *t)
{
    for (size_t i = 0; i < m->n; i++) {
        queue_drop_all(&m->queues[i], t);
    }
    free(m->queues);
    m->queues = NULL;
    m->n = 0;
}

/* Returns true if the rx queue of 'q' sits this round out.  Only a busy
 * PMD skips queues: one that is not has time to poll them all. */
bool
fp_miss_queue_skip(const struct fp_misses *m, const struct fp_thread *t,
                   struct fp_miss_queue *q)
{
    if (OVS_UNLIKELY(q->skip) && t->now < m->busy_until) {
        q->skip--;
        return true;
    }
    return false;
}

/* Notes a poll of the rx queue of 'q' that received 'n_rx' packets, of
 * which 'n_missed' missed on their first pass. */
void
fp_miss_queue_polled(struct fp_misses *m, struct fp_miss_queue *q,
                     int n_rx, int n_missed)
{
    if (n_rx == NETDEV_MAX_BURST && n_missed * 2 < n_rx) {
        m->backlog = true;
    }
    if (OVS_UNLIKELY(q->refused)) {
        q->refused = false;
        q->backoff = MIN(q->backoff * 2, FP_MISS_MAX_BACKOFF);
        q->skip = q->backoff - 1;
    } else {
        q->backoff = 1;
    }
}

/* Called by the packet path for 'packet', which missed the megaflow table.
 * Returns true if it took the packet (queued or refused it), false if the
 * caller must send it up now. */
bool
fp_miss_defer(struct fp_thread *t, struct dp_packet *packet)
{
    struct fp_misses *m = t->misses;
    struct fp_miss_queue *q;
    bool busy;

    if (!m || !m->cur) {
        return false;
    }
    q = m->cur;
    busy = t->now < m->busy_until;
    if (!busy && !q->n) {
        return false;
    }
    if (q->n < FP_MISS_QUEUE_LEN) {
        unsigned int tail = (q->head + q->n) % FP_MISS_QUEUE_LEN;

        q->pkts[tail] = packet;
        q->depth[tail] = t->recirc_depth;
        q->n++;
        COVERAGE_INC(fp_upcall_deferred);
        return true;
    }
    if (!busy) {
        /* Nobody waits for the PMD: this one goes up now, out of turn. */
        return false;
    }
    q->refused = true;
    COVERAGE_INC(fp_upcall_refused);
    fp_stats_add(&t->stats, FP_STAT_DROP_UPCALL_LIMIT, 1);
    dp_packet_delete(packet);
    return true;
}

/* Returns the next queue with a packet waiting, round-robin, or NULL. */
static struct fp_miss_queue *
next_queue(struct fp_misses *m)
{
    for (size_t i = 0; i < m->n; i++) {
        struct fp_miss_queue *q = &m->queues[m->next];

        m->next = (m->next + 1) % m->n;
        if (q->n) {
            return q;
        }
    }
    return NULL;
}

/* Ends a round of polls: sends queued misses up, as many as the budget
 * allows, and works out whether the PMD is busy.  Returns how many went. */
size_t
fp_misses_run(struct fp_misses *m, struct fp_dp *dp, struct fp_thread *t)
{
    uint64_t hz = rte_get_tsc_hz();
    uint64_t now = rte_rdtsc();
    uint64_t round_end = now + hz / 10000;     /* At most 100 us here. */
    int64_t max_tokens = hz / 1000;
    struct fp_miss_queue *q;
    size_t n = 0;
    bool busy;

    if (m->backlog) {
        m->backlog = false;
        m->busy_until = t->now + FP_MISS_BUSY_MS;
    }
    busy = t->now < m->busy_until;

    m->tokens = MIN(m->tokens + (int64_t) ((now - m->last_tsc)
                                           / FP_MISS_SHARE_DIV),
                    max_tokens);
    m->last_tsc = now;

    while ((!busy || m->tokens > 0) && now < round_end
           && (q = next_queue(m))) {
        struct dp_packet *packet = q->pkts[q->head];
        int depth = q->depth[q->head];
        uint64_t end;

        q->head = (q->head + 1) % FP_MISS_QUEUE_LEN;
        q->n--;
        fp_input_miss(dp, t, packet, depth, true);
        /* The packets behind it that its upcall gave a megaflow go now, in
         * their order: the port's next packets will hit that megaflow and
         * must not overtake them. */
        while (q->n && fp_input_miss(dp, t, q->pkts[q->head],
                                     q->depth[q->head], false)) {
            q->head = (q->head + 1) % FP_MISS_QUEUE_LEN;
            q->n--;
        }
        end = rte_rdtsc();
        if (busy) {
            m->tokens -= end - now;
        }
        now = end;
        n++;
    }
    return n;
}

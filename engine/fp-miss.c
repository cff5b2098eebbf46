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

/* The queues of a PMD's misses and the budget that sends them up: see
 * engine/fp-miss.h for the rules. */

#include <config.h>
#include "fp-miss.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <rte_cycles.h>
#include "coverage.h"
#include "dp-packet.h"
#include "flow.h"
#include "fp-dp-private.h"
#include "fp-upcall.h"
#include "fp-exec.h"
#include "fp-port.h"
#include "fp-tx.h"
#include "netdev.h"
#include "util.h"

COVERAGE_DEFINE(fp_upcall_refused);
COVERAGE_DEFINE(fp_upcall_deferred);
COVERAGE_DEFINE(fp_upcall_shared);

BUILD_ASSERT_DECL(FP_MISS_QUEUE_LEN == 64);  /* One bit per slot in 'used'. */

/* A packet that missed, waiting for its upcall. */
struct fp_miss {
    struct dp_packet *packet;
    int depth;                  /* Its recirculation depth. */
    struct flow flow;           /* Its key, as miniflow_extract() gives. */
};

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
    for (unsigned int i = 0; i < q->n; i++) {
        dp_packet_delete(q->slots[q->order[i]].packet);
    }
    q->n = 0;
    q->used = 0;
}

/* Gives 'm' one queue per rx queue of a new poll list of 'n'.  The 'i'th
 * is the old queue 'from[i]', with the misses waiting in it, or a new empty
 * one if 'from[i]' is SIZE_MAX or 'from' is NULL.  The packets of the old
 * queues that no new one takes are dropped. */
void
fp_misses_set_n(struct fp_misses *m, struct fp_thread *t, size_t n,
                const size_t *from)
{
    struct fp_miss_queue *old = m->queues;
    size_t n_old = m->n;

    m->queues = n ? xcalloc(n, sizeof *m->queues) : NULL;
    m->n = n;
    for (size_t i = 0; i < n; i++) {
        struct fp_miss_queue *q = &m->queues[i];

        if (from && from[i] < n_old && old[from[i]].slots) {
            *q = old[from[i]];
            old[from[i]].slots = NULL;
            q->blocked = false;
        } else {
            q->slots = xmalloc(FP_MISS_QUEUE_LEN * sizeof *q->slots);
            q->backoff = 1;
        }
    }
    for (size_t i = 0; i < n_old; i++) {
        if (old[i].slots) {
            queue_drop_all(&old[i], t);
            free(old[i].slots);
        }
    }
    free(old);
    m->next = 0;
    m->cur = NULL;
}

void
fp_misses_destroy(struct fp_misses *m, struct fp_thread *t)
{
    for (size_t i = 0; i < m->n; i++) {
        queue_drop_all(&m->queues[i], t);
        free(m->queues[i].slots);
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
    /* A held queue's rx queue waits for an answer about its oldest miss. */
    return OVS_UNLIKELY(q->held_until) && q->n;
}

/* Notes a poll of the rx queue of 'q' that received 'n_rx' packets, of
 * which 'n_missed' missed on their first pass.  The queue backs off if
 * most of what it received was refused: a queue whose hits are most of
 * its packets is polled every round, refused misses or not. */
void
fp_miss_queue_polled(struct fp_misses *m, struct fp_miss_queue *q,
                     int n_rx, int n_missed)
{
    if (n_rx == NETDEV_MAX_BURST && n_missed * 2 < n_rx) {
        m->backlog = true;
    }
    if (OVS_UNLIKELY(q->n_refused) && q->n_refused * 2 >= n_rx) {
        q->backoff = MIN(q->backoff * 2, FP_MISS_MAX_BACKOFF);
        q->skip = q->backoff - 1;
    } else {
        q->backoff = 1;
    }
    q->n_refused = 0;
}

/* Called by the packet path for 'packet', whose key 'flow' missed the
 * megaflow table.  Returns true if it took the packet (queued or refused
 * it), false if the caller must send it up itself (a thread without miss
 * queues). */
bool
fp_miss_defer(struct fp_thread *t, struct dp_packet *packet,
              const struct flow *flow)
{
    struct fp_misses *m = t->misses;
    struct fp_miss_queue *q;

    if (!m || !m->cur) {
        return false;
    }
    q = m->cur;
    /* (Slots of misses being forwarded are used, but out of 'n'.) */
    if (OVS_LIKELY(q->n < FP_MISS_QUEUE_LEN && ~q->used)) {
        unsigned int slot = raw_ctz(~q->used);
        struct fp_miss *miss = &q->slots[slot];

        q->used |= UINT64_C(1) << slot;
        q->order[q->n++] = slot;
        miss->packet = packet;
        miss->depth = t->recirc_depth;
        miss->flow = *flow;
        /* A cache of conntrack's, which may free the connection while the
         * packet waits: ct() looks it up again. */
        packet->md.conn = NULL;
        COVERAGE_INC(fp_upcall_deferred);
        return true;
    }
    q->n_refused++;
    COVERAGE_INC(fp_upcall_refused);
    fp_drop_packet(&t->stats, packet, FP_STAT_DROP_UPCALL_LIMIT);
    return true;
}

/* Returns the next queue with a miss waiting that is not blocked,
 * round-robin, or NULL. */
static struct fp_miss_queue *
next_queue(struct fp_misses *m, long long int now)
{
    for (size_t i = 0; i < m->n; i++) {
        struct fp_miss_queue *q = &m->queues[m->next];

        m->next = (m->next + 1) % m->n;
        if (q->n && !q->blocked && now >= q->held_until) {
            return q;
        }
    }
    return NULL;
}

/* Removes the 'i'th oldest miss of 'q' from its order.  Its slot stays
 * used until queue_free_slot(). */
static void
queue_unlink(struct fp_miss_queue *q, unsigned int i)
{
    memmove(&q->order[i], &q->order[i + 1], q->n - i - 1);
    q->n--;
}

/* Puts the miss in 'slot', which queue_unlink() took out, back first. */
static void
queue_relink_first(struct fp_miss_queue *q, unsigned int slot)
{
    memmove(&q->order[1], &q->order[0], q->n);
    q->order[0] = slot;
    q->n++;
}

static void
queue_free_slot(struct fp_miss_queue *q, unsigned int slot)
{
    q->used &= ~(UINT64_C(1) << slot);
}

/* Forwards the queued 'miss' with 'actions', crediting 'flow' if nonnull. */
static void
miss_execute(struct fp_dp *dp, struct fp_thread *t, struct fp_miss *miss,
             struct fp_flow *flow, const struct nlattr *actions,
             size_t actions_len)
{
    struct dp_packet_batch one;
    struct fp_key_hint hint;

    if (flow) {
        fp_flow_credit(flow, t->flow_shard, 1, dp_packet_size(miss->packet),
                       ntohs(miss->flow.tcp_flags), t->now);
    }
    t->recirc_depth = miss->depth;
    fp_key_hint_from_flow(&hint, &miss->flow);
    dp_packet_batch_init_packet(&one, miss->packet);
    fp_execute_actions(dp, t, &one, true, &hint, actions, actions_len);
    t->recirc_depth = 0;
}

/* The words of 'struct flow' that 'wc' matches on: a queued key is of the
 * answer's megaflow if it equals the asked key in those. */
struct fp_mask_words {
    unsigned int n;
    uint8_t idx[FLOW_U64S];
};

static void
mask_words_init(struct fp_mask_words *w, const struct flow_wildcards *wc)
{
    const uint64_t *mask = (const uint64_t *) &wc->masks;

    BUILD_ASSERT_DECL(FLOW_U64S <= UINT8_MAX);
    w->n = 0;
    for (unsigned int i = 0; i < FLOW_U64S; i++) {
        if (mask[i]) {
            w->idx[w->n++] = i;
        }
    }
}

static bool
same_megaflow(const struct fp_mask_words *w, const struct flow_wildcards *wc,
              const struct flow *a_, const struct flow *b_)
{
    const uint64_t *mask = (const uint64_t *) &wc->masks;
    const uint64_t *a = (const uint64_t *) a_;
    const uint64_t *b = (const uint64_t *) b_;

    for (unsigned int i = 0; i < w->n; i++) {
        unsigned int k = w->idx[i];

        if ((a[k] ^ b[k]) & mask[k]) {
            return false;
        }
    }
    return true;
}

/* Forwards, oldest first, the misses of 'q' whose megaflow some thread
 * installed since they came; the others stay in their order.  Looks only
 * if a flow was installed since it last looked.  Returns how many went. */
static size_t
queue_forward_hits(struct fp_dp *dp, struct fp_thread *t,
                   struct fp_miss_queue *q)
{
    uint64_t gen;
    size_t n = 0;

    atomic_read_explicit(&dp->flow_gen, &gen, memory_order_acquire);
    if (gen == q->gen) {
        return 0;
    }
    q->gen = gen;
    /* Forwarding may queue recirculated misses at the end: they are looked
     * at too. */
    for (unsigned int i = 0; i < q->n; ) {
        unsigned int slot = q->order[i];
        struct fp_miss *miss = &q->slots[slot];
        const struct fp_flow_actions *actions;
        struct fp_flow *f;

        f = fp_flow_table_lookup(&dp->flows, &miss->flow);
        if (!f) {
            i++;
            continue;
        }
        actions = fp_flow_get_actions(f);
        queue_unlink(q, i);
        miss_execute(dp, t, miss, f, actions->actions, actions->size);
        queue_free_slot(q, slot);
        n++;
    }
    return n;
}

/* Before a poll of the rx queue of 'q': forwards the misses whose megaflow
 * some thread installed since they came, so that the packets of the poll
 * that hit it do not overtake them. */
void
fp_miss_queue_refresh(struct fp_misses *m, struct fp_dp *dp,
                      struct fp_thread *t, struct fp_miss_queue *q)
{
    m->cur = q;
    if (queue_forward_hits(dp, t, q)) {
        fp_thread_flush(dp, t);
    }
    m->cur = NULL;
}

/* Sends up the oldest miss of 'q', which the caller found missing with its
 * port's upcall turn taken ('port', NULL if the port is gone), gives the
 * turn back, then forwards with the answer every queued miss of the same
 * megaflow, oldest first. */
static void
queue_upcall(struct fp_dp *dp, struct fp_thread *t, struct fp_miss_queue *q,
             struct fp_port *port)
{
    unsigned int slot = q->order[0];
    struct fp_miss *miss = &q->slots[slot];
    uint8_t same[FP_MISS_QUEUE_LEN];
    struct fp_mask_words words;
    unsigned int n_same = 0;
    uint64_t gen0, gen1;
    struct fp_upcall up;
    struct fp_flow *f;

    queue_unlink(q, 0);
    atomic_read_explicit(&dp->flow_gen, &gen0, memory_order_acquire);
    t->recirc_depth = miss->depth;
    fp_upcall_miss(dp, t, miss->packet, &miss->flow, &up);
    t->recirc_depth = 0;
    fp_upcall_port_unlock(port);
    atomic_read_explicit(&dp->flow_gen, &gen1, memory_order_acquire);

    if (up.error == EBUSY) {
        /* ofproto-dpif does not know the port yet: all wait. */
        queue_relink_first(q, slot);
        q->held_until = t->now + FP_MISS_HOLD_MS;
        fp_upcall_uninit(&up);
        return;
    }
    q->held_until = 0;
    if (up.error && up.error != ENOSPC) {
        dp_packet_delete(miss->packet);
        queue_free_slot(q, slot);
        fp_upcall_uninit(&up);
        return;
    }

    /* The misses of the same megaflow leave the queue before any of them is
     * forwarded: forwarding may queue recirculated misses behind them.  A
     * slow-path answer that was not installed was for the asked packet
     * only: the others wait for answers of their own. */
    f = up.error ? NULL : fp_flow_table_lookup(&dp->flows, &miss->flow);
    if (f && gen1 == gen0 + 1 && q->gen == gen0) {
        /* The one flow installed meanwhile is this one, and the misses
         * that it covers leave the queue now: the others still miss. */
        q->gen = gen1;
    }
    mask_words_init(&words, &up.wc);
    for (unsigned int i = 0; i < q->n && (f || !up.slow); ) {
        struct fp_miss *other = &q->slots[q->order[i]];

        if (same_megaflow(&words, &up.wc, &other->flow, &miss->flow)) {
            same[n_same++] = q->order[i];
            queue_unlink(q, i);
        } else {
            i++;
        }
    }

    /* The asked packet is ofproto-dpif's to account, with the answer's
     * actions; the others are the installed megaflow's, with its actions
     * (which, on the slow path, send each packet up). */
    miss_execute(dp, t, miss, NULL, up.actions.data, up.actions.size);
    queue_free_slot(q, slot);
    for (unsigned int i = 0; i < n_same; i++) {
        const struct fp_flow_actions *actions = f ? fp_flow_get_actions(f)
                                                  : NULL;

        miss_execute(dp, t, &q->slots[same[i]], f,
                     actions ? actions->actions : up.actions.data,
                     actions ? actions->size : up.actions.size);
        queue_free_slot(q, same[i]);
    }
    if (n_same) {
        COVERAGE_ADD(fp_upcall_shared, n_same);
    }
    fp_upcall_uninit(&up);
}

/* What one turn of a queue did. */
enum queue_turn {
    TURN_HIT,           /* Its oldest misses' megaflows were there by now. */
    TURN_UPCALL,        /* Its oldest miss went up. */
    TURN_BLOCKED,       /* Another thread has its port's upcall turn. */
    TURN_GATED,         /* Megaflows came faster than the flow limit. */
};

/* Gives 'q' a turn: forwards its oldest misses if their megaflows are in
 * the table by now, else sends the oldest up. */
static enum queue_turn
queue_turn(struct fp_misses *m, struct fp_dp *dp, struct fp_thread *t,
           struct fp_miss_queue *q)
{
    enum queue_turn turn;
    struct fp_port *port;
    bool busy;

    /* Recirculated misses of the packets forwarded here wait in 'q'. */
    m->cur = q;
    if (queue_forward_hits(dp, t, q)) {
        turn = TURN_HIT;
    } else {
        port = fp_upcall_port_trylock(dp, q->slots[q->order[0]]
                                             .flow.in_port.odp_port, &busy);
        if (busy) {
            q->blocked = true;
            turn = TURN_BLOCKED;
        } else if (queue_forward_hits(dp, t, q)) {
            /* The other thread's upcall was for this one's megaflow. */
            fp_upcall_port_unlock(port);
            turn = TURN_HIT;
        } else if (!fp_upcall_gate_open(dp, t->now)) {
            fp_upcall_port_unlock(port);
            turn = TURN_GATED;
        } else {
            queue_upcall(dp, t, q, port);
            turn = TURN_UPCALL;
        }
    }
    m->cur = NULL;
    fp_thread_flush(dp, t);
    return turn;
}

/* Ends a round of polls: sends queued misses up, round-robin across the
 * queues, for at most FP_MISS_ROUND_US and, while the PMD is busy, within
 * its share of the PMD's time.  Returns how many misses it took. */
size_t
fp_misses_run(struct fp_misses *m, struct fp_dp *dp, struct fp_thread *t)
{
    uint64_t hz = fp_tsc_hz();
    uint64_t now = rte_rdtsc();
    uint64_t round_end = now + hz / (1000000 / FP_MISS_ROUND_US);
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

    for (size_t i = 0; i < m->n; i++) {
        m->queues[i].blocked = false;
    }
    while ((!busy || m->tokens > 0) && now < round_end
           && (q = next_queue(m, t->now))) {
        enum queue_turn turn = queue_turn(m, dp, t, q);
        uint64_t end;

        if (turn == TURN_GATED) {
            break;
        }
        end = rte_rdtsc();
        if (busy) {
            m->tokens -= end - now;
        }
        now = end;
        n += turn != TURN_BLOCKED;
    }
    return n;
}

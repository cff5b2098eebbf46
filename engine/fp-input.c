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

/* The path of a received batch: key each packet (a fast key, see
 * engine/fp-fastkey.h, for the most common packets, else miniflow_extract()),
 * look it up in the thread's cache and then the megaflow table, hand the
 * misses to the PMD's miss queues (engine/fp-miss.h) or, in the main thread,
 * send them up to ofproto-dpif (engine/fp-upcall.h), then execute the actions
 * once per flow for all of the batch's packets of that flow. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include <string.h>
#include "coverage.h"
#include "dpif.h"
#include "flow.h"
#include "fp-emc.h"
#include "fp-fastkey.h"
#include "fp-miss.h"
#include "fp-upcall.h"
#include "fp-input.h"
#include "fp-exec.h"
#include "fp-port.h"
#include "fp-tx.h"
#include "hash.h"
#include "netdev.h"
#include "odp-util.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_input);

COVERAGE_DEFINE(fp_upcall_gated);
COVERAGE_DEFINE(fp_recirc_too_deep);
COVERAGE_DEFINE(fp_fastkey_mismatch);

/* Deepest recirculation a packet may go through. */
enum { FP_MAX_RECIRC_DEPTH = 8 };

/* A packet's key, as miniflow_extract() makes it. */
struct fp_key {
    struct miniflow mf;
    uint64_t buf[FLOW_MAX_PACKET_U64S];
};

/* The packets of one batch that hit one flow. */
struct fp_flow_group {
    struct fp_flow *flow;
    struct dp_packet_batch batch;
    uint64_t bytes;
    uint16_t tcp_flags;
    struct fp_key_hint hint;    /* From the group's first packet. */
};

/* The groups of one batch, found by flow in a small open-addressed table
 * rather than by a search of every group for every packet. */
enum { FP_GROUP_SLOTS = 64 };
BUILD_ASSERT_DECL(FP_GROUP_SLOTS >= 2 * NETDEV_MAX_BURST);

struct fp_groups {
    struct fp_flow_group g[NETDEV_MAX_BURST];
    size_t n;
    uint8_t slot[FP_GROUP_SLOTS];   /* Index in 'g', or UINT8_MAX. */
};

static void
groups_init(struct fp_groups *gs)
{
    gs->n = 0;
    memset(gs->slot, UINT8_MAX, sizeof gs->slot);
}

/* Returns the group of 'flow', a new one (with 'hint' from 'dl_type',
 * 'tp_src' and 'tp_dst') if it has none yet. */
static inline struct fp_flow_group *
groups_find(struct fp_groups *gs, struct fp_flow *flow, ovs_be16 dl_type,
            ovs_be16 tp_src, ovs_be16 tp_dst)
{
    size_t i = ((uintptr_t) flow * UINT64_C(0x9e3779b97f4a7c15)) >> 58;
    struct fp_flow_group *g;

    BUILD_ASSERT(FP_GROUP_SLOTS == 64);
    for (;;) {
        uint8_t idx = gs->slot[i];

        if (idx == UINT8_MAX) {
            break;
        }
        if (gs->g[idx].flow == flow) {
            return &gs->g[idx];
        }
        i = (i + 1) % FP_GROUP_SLOTS;
    }
    gs->slot[i] = gs->n;
    g = &gs->g[gs->n++];
    g->flow = flow;
    dp_packet_batch_init(&g->batch);
    g->bytes = 0;
    g->tcp_flags = 0;
    g->hint.dl_type = dl_type;
    g->hint.tp_src = tp_src;
    g->hint.tp_dst = tp_dst;
    return g;
}

static inline void
group_add(struct fp_flow_group *g, struct dp_packet *packet,
          uint16_t tcp_flags)
{
    dp_packet_batch_add(&g->batch, packet);
    g->bytes += dp_packet_size(packet);
    g->tcp_flags |= tcp_flags;
}

static size_t classify(struct fp_dp *, struct fp_thread *,
                       struct dp_packet_batch *, odp_port_t in_port);
static void handle_miss(struct fp_dp *, struct fp_thread *,
                        struct dp_packet *, const struct flow *);

/* Processes 'batch', received on 'in_port'.  Returns how many of its
 * packets missed the megaflow table. */
int
fp_input_batch(struct fp_dp *dp, struct fp_thread *t,
               struct dp_packet_batch *batch, odp_port_t in_port)
{
    struct dp_packet *packet;
    size_t n_misses;

    fp_stats_add(&t->stats, FP_STAT_RX, dp_packet_batch_size(batch));
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        pkt_metadata_init(&packet->md, in_port);
    }
    n_misses = classify(dp, t, batch, in_port);
    fp_thread_flush(dp, t);
    return n_misses;
}

/* Processes again packets whose metadata (recirc_id, ct state, ...) the
 * actions have changed. */
void
fp_input_recirc(struct fp_dp *dp, struct fp_thread *t,
                struct dp_packet_batch *batch)
{
    if (t->recirc_depth >= FP_MAX_RECIRC_DEPTH) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_recirc_too_deep);
        VLOG_WARN_RL(&rl, "%s: packet recirculated too deeply, dropped",
                     dp->name);
        fp_drop_batch(&t->stats, batch, FP_STAT_DROP_RECIRC_DEPTH);
        return;
    }
    fp_stats_add(&t->stats, FP_STAT_RECIRC, dp_packet_batch_size(batch));
    t->recirc_depth++;
    (void) classify(dp, t, batch, ODPP_NONE);
    t->recirc_depth--;
}

/* The exact-match cache's hash of 'packet', whose key is 'mf': the
 * device's RSS hash if it has one, mixed with the recirculation depth so
 * that a recirculated packet does not evict its own first pass.  (Reading
 * the RSS hash, or computing and storing one, is dp_packet's API, and every
 * userspace datapath of OVS does it in these steps.) */
static inline uint32_t
emc_hash(struct dp_packet *packet, const struct miniflow *mf, int depth)
{
    uint32_t hash;

    if (OVS_LIKELY(dp_packet_rss_valid(packet))) {
        hash = dp_packet_get_rss_hash(packet);
    } else {
        hash = miniflow_hash_5tuple(mf, 0);
        dp_packet_set_rss_hash(packet, hash);
    }
    return depth ? hash_add(hash, depth) : hash;
}

/* The hash of a packet with fast key 'key': the device's RSS hash, or the
 * one that miniflow_extract() would give a TCP or UDP packet (other code,
 * lb_output for one, reads it), or a hash of the key. */
static inline uint32_t
fast_hash(struct dp_packet *packet, const union fp_fastkey *key)
{
    if (OVS_UNLIKELY(!dp_packet_rss_valid(packet))) {
        if (fp_fastkey_nw_proto(key) == IPPROTO_ICMP) {
            dp_packet_set_rss_hash(packet, fp_fastkey_hash(key));
        } else {
            dp_packet_update_rss_hash_ipv4_tcp_udp(packet);
        }
    }
    return dp_packet_get_rss_hash(packet);
}

/* How each packet of a batch was keyed. */
enum fp_key_kind {
    FP_KEY_GENERAL,             /* miniflow_extract(), in 'keys'. */
    FP_KEY_FAST,                /* A fast key, in 'fast'. */
    FP_KEY_REPEAT,              /* The same fast key as the packet before. */
};

/* Checks that the fast key that the thread has in 't->fast_flow' for
 * 'packet' is the key that miniflow_extract() gives, 'flow'. */
static void
fastkey_check(struct fp_dp *dp, struct fp_thread *t, const struct flow *flow)
{
    if (OVS_UNLIKELY(memcmp(flow, t->fast_flow, sizeof *flow))) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        char *fast = flow_to_string(t->fast_flow, NULL);
        char *full = flow_to_string(flow, NULL);

        COVERAGE_INC(fp_fastkey_mismatch);
        VLOG_ERR_RL(&rl, "%s: fast key \"%s\" differs from flow key \"%s\"",
                    dp->name, fast, full);
        free(fast);
        free(full);
    }
}

/* A fast key whose megaflow is not in the table: the packet goes on with
 * the key that miniflow_extract() gives, which must be the fast key's. */
static void
fast_miss(struct fp_dp *dp, struct fp_thread *t, struct dp_packet *packet)
{
    struct fp_key key;
    struct flow flow;

    miniflow_extract(packet, &key.mf);
    miniflow_expand(&key.mf, &flow);
    fastkey_check(dp, t, &flow);
    if (!fp_miss_defer(t, packet, &flow)) {
        handle_miss(dp, t, packet, &flow);
    }
}

/* The keys of one batch: per packet, its kind, its fast key or its
 * miniflow, and its cache hash. */
struct fp_batch_keys {
    union fp_fastkey fast[NETDEV_MAX_BURST];
    struct fp_key keys[NETDEV_MAX_BURST];
    uint8_t kind[NETDEV_MAX_BURST];
    uint32_t hashes[NETDEV_MAX_BURST];
};

/* Keys every packet of 'batch', each packet's data prefetched while the
 * one before is parsed, and each cache set prefetched for the lookups that
 * follow.  A packet with the fast key of the one before it (a train of one
 * flow) is neither hashed nor looked up. */
static inline void
key_batch(struct fp_thread *t, struct dp_packet_batch *batch,
          odp_port_t in_port, struct fp_batch_keys *bk)
{
    size_t n = dp_packet_batch_size(batch);
    bool try_fast = in_port != ODPP_NONE;

    for (size_t i = 0; i < n; i++) {
        struct dp_packet *p = batch->packets[i];

        if (i + 1 < n) {
            OVS_PREFETCH(dp_packet_data(batch->packets[i + 1]));
        }
        if (try_fast
            && fp_fastkey_parse(p, odp_to_u32(in_port), &bk->fast[i])) {
            if (i && bk->kind[i - 1] != FP_KEY_GENERAL
                && fp_fastkey_equal(&bk->fast[i], &bk->fast[i - 1])) {
                bk->kind[i] = FP_KEY_REPEAT;
                bk->hashes[i] = bk->hashes[i - 1];
                dp_packet_set_rss_hash(p, dp_packet_get_rss_hash(
                                           batch->packets[i - 1]));
            } else {
                bk->kind[i] = FP_KEY_FAST;
                bk->hashes[i] = fast_hash(p, &bk->fast[i]);
                fp_fastcache_prefetch(t->fastcache, bk->hashes[i]);
            }
        } else {
            bk->kind[i] = FP_KEY_GENERAL;
            miniflow_extract(p, &bk->keys[i].mf);
            bk->hashes[i] = emc_hash(p, &bk->keys[i].mf, t->recirc_depth);
            fp_emc_prefetch(t->emc, bk->hashes[i]);
        }
    }
}

/* Looks up each packet of 'batch' by its key in 'bk': the thread's caches,
 * then the megaflow table.  Puts each packet that hits into the group of
 * its flow in 'groups'; sends up or queues the others.  Returns how many
 * missed. */
static inline size_t
lookup_batch(struct fp_dp *dp, struct fp_thread *t,
             struct dp_packet_batch *batch, const struct fp_batch_keys *bk,
             struct fp_groups *groups)
{
    size_t n_emc_hits = 0, n_hits = 0, n_misses = 0;
    struct fp_flow *prev = NULL;      /* Flow and group of the packet */
    struct fp_flow_group *prev_g = NULL;  /* before, if it had a fast key. */
    struct dp_packet *packet;
    struct flow flow;

    groups_init(groups);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        struct fp_flow_group *g;
        struct fp_flow *f;

        if (bk->kind[i] != FP_KEY_GENERAL) {
            const union fp_fastkey *key = &bk->fast[i];

            if (bk->kind[i] == FP_KEY_REPEAT && prev) {
                /* The packet before's flow, and so its group. */
                n_emc_hits++;
                group_add(prev_g, packet, fp_fastkey_tcp_flags(key));
                continue;
            }
            f = fp_fastcache_lookup(t->fastcache, bk->hashes[i], key);
            if (f) {
                n_emc_hits++;
            } else {
                fp_fastkey_to_flow(key, t->fast_flow);
                f = fp_flow_table_lookup(&dp->flows, t->fast_flow);
                if (!f) {
                    n_misses++;
                    prev = NULL;
                    fast_miss(dp, t, packet);
                    continue;
                }
                n_hits++;
                fp_fastcache_insert(t->fastcache, bk->hashes[i], key, f);
            }
            prev = f;
            g = groups_find(groups, f, fp_fastkey_dl_type(key),
                            fp_fastkey_tp_src(key), fp_fastkey_tp_dst(key));
            prev_g = g;
            group_add(g, packet, fp_fastkey_tcp_flags(key));
            continue;
        }

        const struct miniflow *mf = &bk->keys[i].mf;

        prev = NULL;
        f = fp_emc_lookup(t->emc, bk->hashes[i], mf);
        if (f) {
            n_emc_hits++;
        } else {
            miniflow_expand(mf, &flow);
            f = fp_flow_table_lookup(&dp->flows, &flow);
            if (!f) {
                n_misses++;
                if (!fp_miss_defer(t, packet, &flow)) {
                    handle_miss(dp, t, packet, &flow);
                }
                continue;
            }
            n_hits++;
            fp_emc_insert(t->emc, bk->hashes[i], mf, f);
        }
        g = groups_find(groups, f, MINIFLOW_GET_BE16(mf, dl_type),
                        MINIFLOW_GET_BE16(mf, tp_src),
                        MINIFLOW_GET_BE16(mf, tp_dst));
        group_add(g, packet, miniflow_get_tcp_flags(mf));
    }
    fp_stats_add(&t->stats, FP_STAT_EMC_HIT, n_emc_hits);
    fp_stats_add(&t->stats, FP_STAT_MEGAFLOW_HIT, n_hits);
    fp_stats_add(&t->stats, FP_STAT_MISS, n_misses);
    return n_misses;
}

/* Credits each group's flow with its packets and runs the flow's actions
 * on them. */
static inline void
execute_groups(struct fp_dp *dp, struct fp_thread *t,
               struct fp_groups *groups)
{
    for (size_t i = 0; i < groups->n; i++) {
        struct fp_flow_group *group = &groups->g[i];
        const struct fp_flow_actions *actions;

        fp_flow_credit(group->flow, t->flow_shard,
                       dp_packet_batch_size(&group->batch),
                       group->bytes, group->tcp_flags, t->now);
        actions = fp_flow_get_actions(group->flow);
        fp_execute_actions(dp, t, &group->batch, true, &group->hint,
                           actions->actions, actions->size);
    }
}

/* Keys, looks up and executes 'batch'.  Returns how many of its packets
 * missed. */
static size_t
classify(struct fp_dp *dp, struct fp_thread *t, struct dp_packet_batch *batch,
         odp_port_t in_port)
{
    struct fp_batch_keys bk;
    struct fp_groups groups;
    size_t n_misses;

    key_batch(t, batch, in_port, &bk);
    n_misses = lookup_batch(dp, t, batch, &bk, &groups);
    execute_groups(dp, t, &groups);
    return n_misses;
}

/* Sends up 'packet', whose key 'flow' missed, from a thread without miss
 * queues (ovs-vswitchd's main thread), and executes the answer.  Consumes
 * 'packet'.  The main thread does not wait for a PMD's upcall turn on the
 * port: a PMD inside an upcall may wait for the main thread's
 * 'non_pmd_mutex' (execute()), which the main thread holds here. */
static void
handle_miss(struct fp_dp *dp, struct fp_thread *t, struct dp_packet *packet,
            const struct flow *flow)
{
    struct fp_upcall up;
    struct fp_port *port;
    bool busy;

    if (!fp_upcall_gate_open(dp, t->now)) {
        COVERAGE_INC(fp_upcall_gated);
        fp_drop_packet(&t->stats, packet, FP_STAT_DROP_UPCALL_LIMIT);
        return;
    }
    port = fp_upcall_port_trylock(dp, flow->in_port.odp_port, &busy);
    fp_upcall_miss(dp, t, packet, flow, &up);
    fp_upcall_port_unlock(port);
    if (!up.error || up.error == ENOSPC) {
        struct dp_packet_batch one;
        struct fp_key_hint hint;

        fp_key_hint_from_flow(&hint, flow);
        dp_packet_batch_init_packet(&one, packet);
        fp_execute_actions(dp, t, &one, true, &hint,
                           up.actions.data, up.actions.size);
    } else {
        if (up.error == EBUSY) {
            /* A new port's: this thread has no queue to keep it in. */
            fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        }
        dp_packet_delete(packet);
    }
    fp_upcall_uninit(&up);
}

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

/* The path of a received batch: extract each packet's key, look it up in
 * the megaflow table, send the misses up to ofproto-dpif (which answers
 * with actions and a megaflow to install), then execute the actions once
 * per flow for all of the batch's packets of that flow. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include "coverage.h"
#include "dpif.h"
#include "flow.h"
#include "fp-emc.h"
#include "hash.h"
#include "netdev.h"
#include "odp-util.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_input);

COVERAGE_DEFINE(fp_upcall_error);
COVERAGE_DEFINE(fp_upcall_disabled);
COVERAGE_DEFINE(fp_recirc_too_deep);

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

static void classify(struct fp_dp *, struct fp_thread *,
                     struct dp_packet_batch *);
static void handle_miss(struct fp_dp *, struct fp_thread *,
                        struct dp_packet *, const struct flow *);

void
fp_input_batch(struct fp_dp *dp, struct fp_thread *t,
               struct dp_packet_batch *batch, odp_port_t in_port)
{
    struct dp_packet *packet;

    fp_stats_add(&t->stats, FP_STAT_RX, dp_packet_batch_size(batch));
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        pkt_metadata_init(&packet->md, in_port);
    }
    classify(dp, t, batch);
    fp_thread_flush(dp, t);
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
        fp_stats_add(&t->stats, FP_STAT_DROP_RECIRC_DEPTH,
                     dp_packet_batch_size(batch));
        dp_packet_delete_batch(batch, true);
        return;
    }
    fp_stats_add(&t->stats, FP_STAT_RECIRC, dp_packet_batch_size(batch));
    t->recirc_depth++;
    classify(dp, t, batch);
    t->recirc_depth--;
}

/* The exact-match cache's hash of 'packet', whose key is 'mf': the
 * device's RSS hash if it has one, mixed with the recirculation depth so
 * that a recirculated packet does not evict its own first pass. */
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

static void
classify(struct fp_dp *dp, struct fp_thread *t, struct dp_packet_batch *batch)
{
    struct fp_flow_group groups[NETDEV_MAX_BURST];
    size_t n_groups = 0, n_emc_hits = 0, n_hits = 0, n_misses = 0;
    struct fp_key keys[NETDEV_MAX_BURST];
    uint32_t hashes[NETDEV_MAX_BURST];
    size_t n = dp_packet_batch_size(batch);
    struct dp_packet *packet;
    struct flow flow;

    /* First the keys of the whole batch, each packet's data prefetched
     * while the one before is parsed, and each cache set prefetched for
     * the lookups that follow. */
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n) {
            OVS_PREFETCH(dp_packet_data(batch->packets[i + 1]));
        }
        miniflow_extract(batch->packets[i], &keys[i].mf);
        hashes[i] = emc_hash(batch->packets[i], &keys[i].mf,
                             t->recirc_depth);
        fp_emc_prefetch(t->emc, hashes[i]);
    }

    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        const struct miniflow *mf = &keys[i].mf;
        struct fp_flow *f;
        size_t g;

        f = fp_emc_lookup(t->emc, hashes[i], mf);
        if (f) {
            n_emc_hits++;
        } else {
            miniflow_expand(mf, &flow);
            f = fp_flow_table_lookup(&dp->flows, &flow);
            if (!f) {
                n_misses++;
                handle_miss(dp, t, packet, &flow);
                continue;
            }
            n_hits++;
            fp_emc_insert(t->emc, hashes[i], mf, f);
        }
        for (g = 0; g < n_groups; g++) {
            if (groups[g].flow == f) {
                break;
            }
        }
        if (g == n_groups) {
            groups[g].flow = f;
            dp_packet_batch_init(&groups[g].batch);
            groups[g].bytes = 0;
            groups[g].tcp_flags = 0;
            groups[g].hint.dl_type = MINIFLOW_GET_BE16(mf, dl_type);
            groups[g].hint.tp_src = MINIFLOW_GET_BE16(mf, tp_src);
            groups[g].hint.tp_dst = MINIFLOW_GET_BE16(mf, tp_dst);
            n_groups++;
        }
        dp_packet_batch_add(&groups[g].batch, packet);
        groups[g].bytes += dp_packet_size(packet);
        groups[g].tcp_flags |= miniflow_get_tcp_flags(mf);
    }
    fp_stats_add(&t->stats, FP_STAT_EMC_HIT, n_emc_hits);
    fp_stats_add(&t->stats, FP_STAT_MEGAFLOW_HIT, n_hits);
    fp_stats_add(&t->stats, FP_STAT_MISS, n_misses);

    for (size_t g = 0; g < n_groups; g++) {
        struct fp_flow_group *group = &groups[g];
        const struct fp_flow_actions *actions;

        fp_flow_credit(group->flow, dp_packet_batch_size(&group->batch),
                       group->bytes, group->tcp_flags, t->now);
        actions = fp_flow_get_actions(group->flow);
        fp_execute_actions(dp, t, &group->batch, true, &group->hint,
                           actions->actions, actions->size);
    }
}

/* Asks ofproto-dpif what to do with 'packet', whose key is 'flow', installs
 * the megaflow it returns and executes its actions on 'packet'.  Consumes
 * 'packet'.
 *
 * The dpif's upcall_callback contract dictates the steps: the ufid is the
 * hash of the unmasked key, ENOSPC means "actions, but no flow", and the
 * flow to install carries 'put_actions' when ofproto-dpif gives them. */
static void
handle_miss(struct fp_dp *dp, struct fp_thread *t, struct dp_packet *packet,
            const struct flow *flow)
{
    uint64_t actions_stub[512 / 8], put_actions_stub[512 / 8];
    uint64_t key_stub[512 / 8], mask_stub[512 / 8];
    struct ofpbuf actions, put_actions, key, mask;
    struct dp_packet_batch one;
    struct flow_wildcards wc;
    struct fp_key_hint hint;
    ovs_u128 ufid;
    int error;

    if (fat_rwlock_tryrdlock(&dp->upcall_rwlock)) {
        COVERAGE_INC(fp_upcall_disabled);
        fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        dp_packet_delete(packet);
        return;
    }

    ofpbuf_use_stub(&actions, actions_stub, sizeof actions_stub);
    ofpbuf_use_stub(&put_actions, put_actions_stub, sizeof put_actions_stub);
    flow_wildcards_init_catchall(&wc);
    odp_flow_key_hash(flow, sizeof *flow, &ufid);
    fp_stats_add(&t->stats, FP_STAT_UPCALL, 1);
    error = dp->upcall_cb(packet, flow, &ufid, PMD_ID_NULL, DPIF_UC_MISS, NULL,
                          &actions, &wc, &put_actions, dp->upcall_aux);
    fat_rwlock_unlock(&dp->upcall_rwlock);

    if (error && error != ENOSPC) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_upcall_error);
        if (error == ENODEV) {
            /* A port that ofproto-dpif does not know yet (just added) or
             * any more (being removed): nothing is wrong. */
            VLOG_DBG_RL(&rl, "%s: upcall for a port ofproto-dpif does not "
                        "know", dp->name);
        } else {
            VLOG_WARN_RL(&rl, "%s: upcall failed (%s)", dp->name,
                         ovs_strerror(error));
        }
        fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        dp_packet_delete(packet);
        goto out;
    }

    fp_stats_add(&t->stats, FP_STAT_UPCALL_OK, 1);
    if (!error) {
        const struct ofpbuf *install = put_actions.size ? &put_actions
                                                        : &actions;
        struct odp_flow_key_parms parms = {
            .flow = flow,
            .mask = &wc.masks,
            .support = fp_odp_support,
        };

        /* ODP attributes of the megaflow, for dumps.  The datapath matches
         * the input port and recirculation id exactly, whatever
         * ofproto-dpif's wildcards say. */
        wc.masks.in_port.odp_port = u32_to_odp(UINT32_MAX);
        wc.masks.recirc_id = UINT32_MAX;
        ofpbuf_use_stub(&key, key_stub, sizeof key_stub);
        ofpbuf_use_stub(&mask, mask_stub, sizeof mask_stub);
        odp_flow_key_from_flow(&parms, &key);
        parms.key_buf = &key;
        odp_flow_key_from_mask(&parms, &mask);

        /* EEXIST: another thread installed it first.  The miss packet
         * itself is accounted by ofproto-dpif, not in the flow's
         * statistics. */
        fp_dp_flow_install(dp, flow, &wc, &ufid, key.data, key.size,
                           mask.data, mask.size,
                           install->data, install->size);
        ofpbuf_uninit(&key);
        ofpbuf_uninit(&mask);
    }

    fp_key_hint_from_flow(&hint, flow);
    dp_packet_batch_init_packet(&one, packet);
    fp_execute_actions(dp, t, &one, true, &hint,
                       actions.data, actions.size);
out:
    ofpbuf_uninit(&actions);
    ofpbuf_uninit(&put_actions);
}

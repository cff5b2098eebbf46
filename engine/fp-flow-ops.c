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

/* The datapath's flow operations, with keys, masks and actions as ODP
 * attributes.  fp_dp_flow_install() is the one way flows get into the
 * table, whether ofproto-dpif installs them through flow_put or an
 * upcall's answer does; it makes the table match exactly what the flow's
 * key and mask attributes say, which is what dumps show. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include <limits.h>
#include "coverage.h"
#include "dpif.h"
#include "fp-actions-check.h"
#include "fp-flow-ops.h"
#include "flow.h"
#include "hash.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_flows);

COVERAGE_DEFINE(fp_flow_put_bad_actions);

/* Returns true if the flow whose ODP key is 'key' matches Ethernet frames:
 * if it has no packet type, or the Ethernet one. */
static bool
key_is_ethernet(const struct nlattr *key, size_t key_len)
{
    const struct nlattr *pt = key ? nl_attr_find__(key, key_len,
                                                   OVS_KEY_ATTR_PACKET_TYPE)
                                  : NULL;

    return !pt || nl_attr_get_size(pt) != sizeof(ovs_be32)
           || nl_attr_get_be32(pt) == htonl(PT_ETH);
}

/* Whether a key or mask of 'fitness' can be installed.  "Too little" is
 * a packet that this datapath parsed no further than its key says, where
 * ofproto-dpif expected more (an MPLS label without its bottom-of-stack
 * bit, say): ofproto-dpif then puts a slow-path megaflow for the key as it
 * is, which a datapath must take, as the kernel's does (and which, in
 * process, an upcall installs from its flow, without a key to parse). */
static bool
fitness_ok(enum odp_key_fitness fitness)
{
    return fitness == ODP_FIT_PERFECT || fitness == ODP_FIT_TOO_LITTLE;
}

/* Parses a key and mask given as ODP attributes.  Returns 0 or EINVAL. */
static int
parse_key_mask(const struct nlattr *key, size_t key_len,
               const struct nlattr *mask, size_t mask_len,
               struct flow *flow, struct flow_wildcards *wc, bool probe)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    enum odp_key_fitness fitness;

    fitness = odp_flow_key_to_flow(key, key_len, flow, NULL);
    if (fitness_ok(fitness)) {
        fitness = odp_flow_key_to_mask(mask, mask_len, wc, flow, NULL);
        if (!fitness_ok(fitness) && !probe) {
            VLOG_ERR_RL(&rl, "flow mask does not fit the datapath (%s)",
                        odp_key_fitness_to_string(fitness));
        }
    } else if (!probe) {
        VLOG_ERR_RL(&rl, "flow key does not fit the datapath (%s)",
                    odp_key_fitness_to_string(fitness));
    }
    if (!fitness_ok(fitness) || flow->in_port.odp_port == ODPP_NONE) {
        return EINVAL;
    }
    return 0;
}

/* Makes 'wc' match what the ODP form of 'flow' and 'wc' says.  A key
 * without a VLAN header (or without a further one) means "untagged" in ODP,
 * whatever the mask: a megaflow that left the VLAN wildcarded must not
 * match tagged packets. */
static void
normalize_mask(const struct flow *flow, struct flow_wildcards *wc)
{
    for (int i = 0; i < FLOW_MAX_VLAN_HEADERS; i++) {
        if (!(flow->vlans[i].tci & htons(VLAN_CFI))) {
            wc->masks.vlans[i].tci |= htons(VLAN_CFI);
            break;
        }
    }
    /* Packets are classified by input port and recirculation id first:
     * the datapath matches them exactly. */
    wc->masks.in_port.odp_port = u32_to_odp(UINT32_MAX);
    wc->masks.recirc_id = UINT32_MAX;
}

/* Installs the megaflow 'flow' with 'wc', named 'ufid', whose ODP key and
 * mask attributes are 'key' and 'mask' (kept for dumps), with 'actions'.
 * Returns 0, or EEXIST if a flow of that ufid or of that match is there
 * already. */
int
fp_dp_flow_install(struct fp_dp *dp, const struct flow *flow,
                   const struct flow_wildcards *wc_, const ovs_u128 *ufid,
                   const struct nlattr *key, size_t key_len,
                   const struct nlattr *mask, size_t mask_len,
                   const struct nlattr *actions, size_t actions_len)
{
    struct flow_wildcards wc = *wc_;
    int error = 0;

    normalize_mask(flow, &wc);
    ovs_mutex_lock(&dp->flow_mutex);
    if (fp_flow_table_find_ufid(&dp->flows, ufid)
        || fp_flow_table_find_exact(&dp->flows, flow, &wc)) {
        error = EEXIST;
    } else {
        uint64_t gen;

        fp_flow_table_insert(&dp->flows, flow, &wc, ufid, key, key_len,
                             mask, mask_len, actions, actions_len);
        atomic_read_relaxed(&dp->flow_gen, &gen);
        atomic_store_explicit(&dp->flow_gen, gen + 1, memory_order_release);
    }
    ovs_mutex_unlock(&dp->flow_mutex);
    return error;
}

/* Installs, or modifies, the flow 'put' describes, as the dpif's flow_put
 * does (its flags: DPIF_FP_CREATE, DPIF_FP_MODIFY, DPIF_FP_ZERO_STATS,
 * DPIF_FP_PROBE).  'put->ufid' may be NULL: the key's hash names the flow
 * then.  Returns 0, EEXIST, ENOENT or EINVAL. */
int
fp_dp_flow_put(struct fp_dp *dp, const struct dpif_flow_put *put)
{
    bool probe = put->flags & DPIF_FP_PROBE;
    struct flow_wildcards wc;
    struct fp_flow *f;
    struct flow flow;
    ovs_u128 ufid;
    int error = 0;

    char *why;

    if (put->stats) {
        memset(put->stats, 0, sizeof *put->stats);
    }
    if (fp_actions_check(put->actions, put->actions_len,
                         key_is_ethernet(put->key, put->key_len), &why)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_flow_put_bad_actions);
        VLOG_WARN_RL(&rl, "%s: flow put refused: %s", dp->name, why);
        free(why);
        return EINVAL;
    }
    if (put->ufid) {
        ufid = *put->ufid;
    } else {
        odp_flow_key_hash(put->key, put->key_len, &ufid);
    }

    ovs_mutex_lock(&dp->flow_mutex);
    f = fp_flow_table_find_ufid(&dp->flows, &ufid);
    if (f) {
        /* A flow is known by its ufid: modifying it changes its actions
         * only, so its key need not be parsed again. */
        if (put->flags & DPIF_FP_MODIFY) {
            fp_flow_set_actions(f, put->actions, put->actions_len);
            if (put->stats) {
                fp_flow_get_stats(f, put->stats);
            }
            if (put->flags & DPIF_FP_ZERO_STATS) {
                fp_flow_clear_stats(f);
            }
        } else {
            error = EEXIST;
        }
    } else if (!(put->flags & DPIF_FP_CREATE)) {
        error = ENOENT;
    }
    ovs_mutex_unlock(&dp->flow_mutex);
    if (f || error) {
        return error;
    }

    error = parse_key_mask(put->key, put->key_len, put->mask, put->mask_len,
                           &flow, &wc, probe);
    if (!error) {
        error = fp_dp_flow_install(dp, &flow, &wc, &ufid,
                                   put->key, put->key_len,
                                   put->mask, put->mask_len,
                                   put->actions, put->actions_len);
    }
    return error;
}

static struct fp_flow *
find_flow(struct fp_dp *dp, const ovs_u128 *ufid,
          const struct nlattr *key, size_t key_len)
    OVS_REQUIRES(dp->flow_mutex)
{
    ovs_u128 hash;

    if (!ufid) {
        odp_flow_key_hash(key, key_len, &hash);
        ufid = &hash;
    }
    return fp_flow_table_find_ufid(&dp->flows, ufid);
}

/* Removes the flow named by 'ufid' (or, if it is NULL, by the hash of
 * 'key'), its final statistics in '*stats' if nonnull.  Returns 0 or
 * ENOENT. */
int
fp_dp_flow_del(struct fp_dp *dp, const ovs_u128 *ufid,
               const struct nlattr *key, size_t key_len,
               struct dpif_flow_stats *stats)
{
    struct fp_flow *f;

    ovs_mutex_lock(&dp->flow_mutex);
    f = find_flow(dp, ufid, key, key_len);
    if (f) {
        if (stats) {
            fp_flow_get_stats(f, stats);
        }
        fp_flow_table_remove(&dp->flows, f);
    }
    ovs_mutex_unlock(&dp->flow_mutex);
    return f ? 0 : ENOENT;
}

/* Fills 'out' with 'f', copying its attributes into 'buf', which must stay
 * unchanged while 'out' is in use. */
static void
answer_flow(const struct fp_flow *f, struct dpif_flow *out,
            struct ofpbuf *buf, bool terse)
{
    memset(out, 0, sizeof *out);
    if (!terse) {
        const struct fp_flow_actions *actions = fp_flow_get_actions(f);
        size_t key_ofs, mask_ofs, actions_ofs;

        /* Attributes are 4-byte aligned lengths: each part stays aligned
         * in 'buf'. */
        ofpbuf_clear(buf);
        ofpbuf_prealloc_tailroom(buf, f->key_len + f->mask_len
                                 + actions->size);
        key_ofs = buf->size;
        ofpbuf_put(buf, f->key, f->key_len);
        mask_ofs = buf->size;
        ofpbuf_put(buf, f->mask, f->mask_len);
        actions_ofs = buf->size;
        ofpbuf_put(buf, actions->actions, actions->size);
        out->key = ofpbuf_at_assert(buf, key_ofs, 0);
        out->key_len = f->key_len;
        out->mask = ofpbuf_at_assert(buf, mask_ofs, 0);
        out->mask_len = f->mask_len;
        out->actions = ofpbuf_at_assert(buf, actions_ofs, 0);
        out->actions_len = actions->size;
    }
    out->ufid = f->ufid;
    out->ufid_present = true;
    out->pmd_id = PMD_ID_NULL;
    fp_flow_get_stats(f, &out->stats);
    out->attrs.offloaded = false;
    out->attrs.dp_layer = "ovs";
}

/* Fills 'out' with the flow named by 'ufid' (or by the hash of 'key'),
 * its attributes copied into 'buf'.  Returns 0 or ENOENT. */
int
fp_dp_flow_get(struct fp_dp *dp, const ovs_u128 *ufid,
               const struct nlattr *key, size_t key_len,
               struct dpif_flow *out, struct ofpbuf *buf)
{
    struct fp_flow *f;

    ovs_mutex_lock(&dp->flow_mutex);
    f = find_flow(dp, ufid, key, key_len);
    if (f) {
        answer_flow(f, out, buf, false);
    }
    ovs_mutex_unlock(&dp->flow_mutex);
    return f ? 0 : ENOENT;
}

/* Fills up to 'max' of 'flows' with the flows after 'pos', each with its
 * attributes in the buffer of the same index of 'bufs' (without them if
 * 'terse'), and moves 'pos' past them.  Returns how many, 0 at the end.
 * Flows come from the table under RCU: one added or removed during a dump
 * may or may not show. */
int
fp_dp_flow_dump_next(struct fp_dp *dp, struct fp_flow_dump_position *pos,
                     bool terse, struct dpif_flow *flows,
                     struct ofpbuf *bufs, int max)
{
    struct cmap_position cpos = {
        .bucket = pos->bucket,
        .entry = pos->entry,
        .offset = pos->offset,
    };
    int n = 0;

    while (n < max && !pos->done) {
        struct cmap_node *node = cmap_next_position(&dp->flows.by_ufid,
                                                    &cpos);
        if (!node) {
            /* (The cmap's position starts over: remember the end.) */
            pos->done = true;
            break;
        }
        struct fp_flow *f = CONTAINER_OF(node, struct fp_flow, ufid_node);

        /* A flow removed but not yet out of the cmap is gone already. */
        if (fp_flow_is_dead(f)) {
            continue;
        }
        answer_flow(f, &flows[n], &bufs[n], terse);
        n++;
    }
    pos->bucket = cpos.bucket;
    pos->entry = cpos.entry;
    pos->offset = cpos.offset;
    return n;
}

size_t
fp_dp_flow_count(const struct fp_dp *dp)
{
    return dp->flows.n_flows;
}

/* The ufid of a flushed flow (engine/fp-upcall.h). */
struct fp_flushed {
    struct hmap_node node;      /* In 'fp_dp.flushed', by ufid hash. */
    ovs_u128 ufid;
};

/* How long the ufids of flushed flows are kept, in msec. */
enum { FP_FLUSHED_KEEP_MS = 60 * 1000 };

static void
flushed_clear(struct fp_dp *dp)
    OVS_REQUIRES(dp->flow_mutex)
{
    struct fp_flushed *fl;

    HMAP_FOR_EACH_POP (fl, node, &dp->flushed) {
        free(fl);
    }
    atomic_store_relaxed(&dp->flushed_until, LLONG_MIN);
}

/* Removes every flow, and remembers their ufids for a while: ofproto-dpif
 * keeps the ukeys of the flows that dpctl/del-flows removes behind its
 * back, and fp_dp_flow_take_flushed() tells the upcall path about them. */
void
fp_dp_flow_flush(struct fp_dp *dp)
{
    struct fp_flow *f;

    ovs_mutex_lock(&dp->flow_mutex);
    flushed_clear(dp);
    CMAP_FOR_EACH (f, ufid_node, &dp->flows.by_ufid) {
        if (!fp_flow_is_dead(f)) {
            struct fp_flushed *fl = xmalloc(sizeof *fl);

            fl->ufid = f->ufid;
            hmap_insert(&dp->flushed, &fl->node, hash_bytes(&f->ufid,
                                                            sizeof f->ufid,
                                                            0));
        }
    }
    if (!hmap_is_empty(&dp->flushed)) {
        atomic_store_relaxed(&dp->flushed_until,
                             time_msec() + FP_FLUSHED_KEEP_MS);
    }
    fp_flow_table_flush(&dp->flows);
    ovs_mutex_unlock(&dp->flow_mutex);
}

/* Returns true, once, if 'ufid' named a flow that the last flush removed,
 * less than a minute ago. */
bool
fp_dp_flow_take_flushed(struct fp_dp *dp, const ovs_u128 *ufid)
{
    struct fp_flushed *fl;
    long long int until;
    bool found = false;

    atomic_read_relaxed(&dp->flushed_until, &until);
    if (OVS_LIKELY(until < time_msec())) {
        return false;
    }
    ovs_mutex_lock(&dp->flow_mutex);
    HMAP_FOR_EACH_WITH_HASH (fl, node, hash_bytes(ufid, sizeof *ufid, 0),
                             &dp->flushed) {
        if (ovs_u128_equals(fl->ufid, *ufid)) {
            hmap_remove(&dp->flushed, &fl->node);
            free(fl);
            found = true;
            break;
        }
    }
    ovs_mutex_unlock(&dp->flow_mutex);
    return found;
}

/* Forgets the flushed flows' ufids once they are old, at 'now' (msec). */
void
fp_dp_flow_expire_flushed(struct fp_dp *dp, long long int now)
{
    long long int until;

    atomic_read_relaxed(&dp->flushed_until, &until);
    if (until != LLONG_MIN && until < now) {
        ovs_mutex_lock(&dp->flow_mutex);
        flushed_clear(dp);
        ovs_mutex_unlock(&dp->flow_mutex);
    }
}

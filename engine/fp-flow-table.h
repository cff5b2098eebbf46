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

#ifndef FP_FLOW_H
#define FP_FLOW_H 1

/* The megaflow table: wildcarded flows, as ofproto-dpif installs them.
 *
 * Flows with the same mask share a subtable, a cmap keyed by the hash of the
 * masked key words; a lookup visits the subtables (most hit first) until one
 * holds the packet's masked key.  A subtable only hashes and compares the
 * 64-bit words of 'struct flow' its mask touches, so its cost does not grow
 * with the number of flows, only with the number of distinct masks.
 *
 * Thread safety
 * =============
 *
 * Lookups and stats updates are lock-free (RCU readers).  Insertion, removal
 * and action changes must be serialised by the caller (the datapath's
 * 'flow_mutex'); removed flows are freed after an RCU grace period. */

#include <stddef.h>
#include <stdint.h>
#include "cmap.h"
#include "flow.h"
#include "openvswitch/hmap.h"
#include "openvswitch/types.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "pvector.h"
#include "util.h"

struct dpif_flow_stats;
struct nlattr;

/* A flow's actions, replaced as a whole (RCU) when the flow is modified. */
struct fp_flow_actions {
    size_t size;                /* Bytes of 'actions'. */
    struct nlattr actions[];    /* OVS_ACTION_ATTR_* attributes. */
};

/* Statistics, credited once per batch per flow (never per packet).
 *
 * Each thread that forwards packets has a shard of every flow's statistics
 * to itself (fp_flow_shard_get()), which it updates with plain loads and
 * stores: no atomic read-modify-write, whose cost on a flow per packet
 * would be most of a packet's.  Threads beyond the private shards share
 * the last one, with atomic operations.  Readers sum the shards. */
enum { FP_FLOW_SHARDS = 4 };
#define FP_FLOW_SHARD_SHARED (FP_FLOW_SHARDS - 1)

struct fp_flow_stats {
    atomic_ullong packets;
    atomic_ullong bytes;
    atomic_llong used;          /* Last use, in msec; 0 if never used. */
    atomic_uint16_t tcp_flags;
};

int fp_flow_shard_get(void);
void fp_flow_shard_put(int shard);

struct fp_subtable;

struct fp_flow {
    struct cmap_node node;      /* In 'subtable->flows'. */
    struct cmap_node ufid_node; /* In 'fp_flow_table.by_ufid'. */
    uint32_t hash;              /* Hash of the masked key words. */
    ovs_u128 ufid;
    struct fp_subtable *subtable;
    struct ovs_refcount ref_cnt; /* The table's and exact-match caches'. */
    atomic_bool dead;           /* Removed from the table. */

    OVSRCU_TYPE(struct fp_flow_actions *) actions;
    struct fp_flow_stats stats[FP_FLOW_SHARDS];
    /* What the shards held when the statistics were last cleared: written
     * by the writers of the table only. */
    atomic_ullong base_packets, base_bytes;
    atomic_llong cleared;       /* Time of the last clear, in msec. */

    /* The key and mask as installed, as OVS_KEY_ATTR_* attributes, for
     * dumps and gets. */
    struct nlattr *key;
    size_t key_len;
    struct nlattr *mask;
    size_t mask_len;

    uint64_t vals[];            /* Masked key words, one per mask word. */
};

struct fp_flow_table {
    struct cmap by_ufid;        /* All flows, by hash of 'ufid'. */
    struct pvector subtables;   /* Readers' view, busiest first. */
    struct hmap masks;          /* Writers' view: subtables by mask hash. */
    size_t n_flows;
};

void fp_flow_table_init(struct fp_flow_table *);
void fp_flow_table_destroy(struct fp_flow_table *);

struct fp_flow *fp_flow_table_lookup(const struct fp_flow_table *,
                                     const struct flow *);
struct fp_flow *fp_flow_table_find_ufid(const struct fp_flow_table *,
                                        const ovs_u128 *ufid);
struct fp_flow *fp_flow_table_find_exact(const struct fp_flow_table *,
                                         const struct flow *,
                                         const struct flow_wildcards *);
struct fp_flow *fp_flow_table_insert(struct fp_flow_table *,
                                     const struct flow *,
                                     const struct flow_wildcards *,
                                     const ovs_u128 *ufid,
                                     const struct nlattr *key, size_t key_len,
                                     const struct nlattr *mask,
                                     size_t mask_len,
                                     const struct nlattr *actions,
                                     size_t actions_len);
void fp_flow_table_remove(struct fp_flow_table *, struct fp_flow *);
void fp_flow_table_flush(struct fp_flow_table *);

bool fp_flow_try_ref(struct fp_flow *);
void fp_flow_unref(struct fp_flow *);

/* True if 'flow' was removed from its table: a cache must not use it. */
static inline bool
fp_flow_is_dead(const struct fp_flow *flow_)
{
    struct fp_flow *flow = CONST_CAST(struct fp_flow *, flow_);
    bool dead;

    atomic_read_relaxed(&flow->dead, &dead);
    return dead;
}

void fp_flow_set_actions(struct fp_flow *, const struct nlattr *actions,
                         size_t actions_len);
static inline const struct fp_flow_actions *
fp_flow_get_actions(const struct fp_flow *flow)
{
    return ovsrcu_get(struct fp_flow_actions *, &flow->actions);
}

void fp_flow_get_stats(const struct fp_flow *, struct dpif_flow_stats *);
void fp_flow_clear_stats(struct fp_flow *);
/* Adds one batch's worth of traffic to 'f''s statistics, in the shard
 * 'shard' that fp_flow_shard_get() gave the calling thread. */
static inline void
fp_flow_credit(struct fp_flow *f, int shard, uint32_t packets,
               uint64_t bytes, uint16_t tcp_flags, long long int now)
{
    struct fp_flow_stats *s = &f->stats[shard];

    if (OVS_LIKELY(shard != FP_FLOW_SHARD_SHARED)) {
        unsigned long long n;
        uint16_t flags;

        atomic_read_relaxed(&s->packets, &n);
        atomic_store_relaxed(&s->packets, n + packets);
        atomic_read_relaxed(&s->bytes, &n);
        atomic_store_relaxed(&s->bytes, n + bytes);
        atomic_store_relaxed(&s->used, now);
        atomic_read_relaxed(&s->tcp_flags, &flags);
        if ((flags | tcp_flags) != flags) {
            atomic_store_relaxed(&s->tcp_flags, flags | tcp_flags);
        }
    } else {
        unsigned long long orig;
        uint16_t orig_flags;

        atomic_add_relaxed(&s->packets, packets, &orig);
        atomic_add_relaxed(&s->bytes, bytes, &orig);
        atomic_store_relaxed(&s->used, now);
        atomic_or_relaxed(&s->tcp_flags, tcp_flags, &orig_flags);
    }
}

#endif /* fp-flow-table.h */

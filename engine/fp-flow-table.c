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

/* The megaflow table: subtables per mask, lookups, statistics: see
 * engine/fp-flow-table.h. */

#include <config.h>
#include "fp-flow-table.h"

#include <string.h>
#include "dpif.h"
#include "hash.h"
#include "openvswitch/util.h"
#include "ovs-thread.h"
#include "timeval.h"
#include "util.h"

/* All flows with one mask.  'idx' lists the 64-bit words of 'struct flow'
 * that the mask touches, 'mask' their mask bits, so that hashing and
 * comparing a key costs 'n_words' words, not FLOW_U64S. */
struct fp_subtable {
    struct hmap_node hmap_node; /* In 'fp_flow_table.masks'. */
    struct cmap flows;          /* Contains "struct fp_flow"s. */
    size_t n_flows;
    size_t n_words;
    uint8_t idx[FLOW_U64S];
    uint64_t mask[FLOW_U64S];
};

BUILD_ASSERT_DECL(FLOW_U64S <= UINT8_MAX);

static uint32_t
subtable_hash(const struct fp_subtable *st, const struct flow *flow)
{
    const uint64_t *words = (const uint64_t *) flow;
    uint32_t hash = 0;

    for (size_t i = 0; i < st->n_words; i++) {
        hash = hash_add64(hash, words[st->idx[i]] & st->mask[i]);
    }
    return hash_finish(hash, st->n_words * 8);
}

static bool
subtable_matches(const struct fp_subtable *st, const struct fp_flow *f,
                 const struct flow *flow)
{
    const uint64_t *words = (const uint64_t *) flow;

    for (size_t i = 0; i < st->n_words; i++) {
        if ((words[st->idx[i]] & st->mask[i]) != f->vals[i]) {
            return false;
        }
    }
    return true;
}

static uint32_t
ufid_hash(const ovs_u128 *ufid)
{
    return ufid->u32[0];
}

void
fp_flow_table_init(struct fp_flow_table *table)
{
    cmap_init(&table->by_ufid);
    pvector_init(&table->subtables);
    hmap_init(&table->masks);
    table->n_flows = 0;
}

/* Frees every flow and subtable at once.  The caller ensures that no reader
 * remains. */
void
fp_flow_table_destroy(struct fp_flow_table *table)
{
    if (!table) {
        return;
    }
    fp_flow_table_flush(table);
    cmap_destroy(&table->by_ufid);
    pvector_destroy(&table->subtables);
    hmap_destroy(&table->masks);
}

/* Returns the flow whose masked key matches 'flow', or NULL. */
struct fp_flow *
fp_flow_table_lookup(const struct fp_flow_table *table,
                     const struct flow *flow)
{
    struct fp_subtable *st;

    PVECTOR_FOR_EACH (st, &table->subtables) {
        uint32_t hash = subtable_hash(st, flow);
        struct fp_flow *f;

        CMAP_FOR_EACH_WITH_HASH (f, node, hash, &st->flows) {
            if (subtable_matches(st, f, flow)) {
                return f;
            }
        }
    }
    return NULL;
}

struct fp_flow *
fp_flow_table_find_ufid(const struct fp_flow_table *table,
                        const ovs_u128 *ufid)
{
    struct fp_flow *f;

    CMAP_FOR_EACH_WITH_HASH (f, ufid_node, ufid_hash(ufid), &table->by_ufid) {
        if (ovs_u128_equals(f->ufid, *ufid)) {
            return f;
        }
    }
    return NULL;
}

static void
mask_words(const struct flow_wildcards *wc, struct fp_subtable *st)
{
    const uint64_t *m = (const uint64_t *) &wc->masks;

    st->n_words = 0;
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if (m[i]) {
            st->idx[st->n_words] = i;
            st->mask[st->n_words] = m[i];
            st->n_words++;
        }
    }
}

static uint32_t
mask_hash(const struct fp_subtable *st)
{
    return hash_bytes(st->mask, st->n_words * sizeof st->mask[0],
                      hash_bytes(st->idx, st->n_words, 0));
}

static struct fp_subtable *
find_subtable(const struct fp_flow_table *table,
              const struct fp_subtable *pattern, uint32_t hash)
{
    struct fp_subtable *st;

    HMAP_FOR_EACH_WITH_HASH (st, hmap_node, hash, &table->masks) {
        if (st->n_words == pattern->n_words
            && !memcmp(st->idx, pattern->idx, st->n_words)
            && !memcmp(st->mask, pattern->mask,
                       st->n_words * sizeof st->mask[0])) {
            return st;
        }
    }
    return NULL;
}

/* Returns the flow with exactly the masked key of 'flow' under 'wc', or
 * NULL.  Writers use it to refuse a second flow for the same megaflow. */
struct fp_flow *
fp_flow_table_find_exact(const struct fp_flow_table *table,
                         const struct flow *flow,
                         const struct flow_wildcards *wc)
{
    struct fp_subtable pattern, *st;
    struct fp_flow *f;

    mask_words(wc, &pattern);
    st = find_subtable(table, &pattern, mask_hash(&pattern));
    if (!st) {
        return NULL;
    }
    CMAP_FOR_EACH_WITH_HASH (f, node, subtable_hash(st, flow), &st->flows) {
        if (subtable_matches(st, f, flow)) {
            return f;
        }
    }
    return NULL;
}

static struct fp_flow_actions *
actions_create(const struct nlattr *actions, size_t size)
{
    struct fp_flow_actions *a = xmalloc(sizeof *a + size);

    a->size = size;
    if (size) {
        memcpy(a->actions, actions, size);
    }
    return a;
}

/* Inserts a new flow.  The caller has checked that neither 'ufid' nor the
 * masked key is in the table yet. */
struct fp_flow *
fp_flow_table_insert(struct fp_flow_table *table, const struct flow *flow,
                     const struct flow_wildcards *wc, const ovs_u128 *ufid,
                     const struct nlattr *key, size_t key_len,
                     const struct nlattr *mask, size_t mask_len,
                     const struct nlattr *actions, size_t actions_len)
{
    struct fp_subtable pattern, *st;
    uint32_t hash;

    mask_words(wc, &pattern);
    hash = mask_hash(&pattern);
    st = find_subtable(table, &pattern, hash);
    if (!st) {
        st = xmemdup(&pattern, sizeof pattern);
        cmap_init(&st->flows);
        st->n_flows = 0;
        hmap_insert(&table->masks, &st->hmap_node, hash);
        pvector_insert(&table->subtables, st, 0);
    }

    const uint64_t *words = (const uint64_t *) flow;
    struct fp_flow *f = xzalloc(sizeof *f + st->n_words * sizeof f->vals[0]);
    for (size_t i = 0; i < st->n_words; i++) {
        f->vals[i] = words[st->idx[i]] & st->mask[i];
    }
    f->ufid = *ufid;
    f->subtable = st;
    ovs_refcount_init(&f->ref_cnt);
    atomic_init(&f->dead, false);
    f->key = xmemdup(key, key_len);
    f->key_len = key_len;
    f->mask = mask_len ? xmemdup(mask, mask_len) : NULL;
    f->mask_len = mask_len;
    ovsrcu_set_hidden(&f->actions, actions_create(actions, actions_len));
    f->hash = subtable_hash(st, flow);

    cmap_insert(&st->flows, &f->node, f->hash);
    cmap_insert(&table->by_ufid, &f->ufid_node, ufid_hash(ufid));
    st->n_flows++;
    table->n_flows++;

    /* Subtables with more flows are more likely to match: visit them
     * first. */
    pvector_change_priority(&table->subtables, st, st->n_flows);
    pvector_publish(&table->subtables);
    return f;
}

static void
flow_free(struct fp_flow *f)
{
    free(ovsrcu_get_protected(struct fp_flow_actions *, &f->actions));
    free(f->key);
    free(f->mask);
    free(f);
}

static void
subtable_free(struct fp_subtable *st)
{
    cmap_destroy(&st->flows);
    free(st);
}

void
fp_flow_table_remove(struct fp_flow_table *table, struct fp_flow *f)
{
    struct fp_subtable *st = f->subtable;

    ovs_assert(!fp_flow_is_dead(f));
    atomic_store_relaxed(&f->dead, true);
    cmap_remove(&st->flows, &f->node, f->hash);
    cmap_remove(&table->by_ufid, &f->ufid_node, ufid_hash(&f->ufid));
    table->n_flows--;
    if (!--st->n_flows) {
        hmap_remove(&table->masks, &st->hmap_node);
        pvector_remove(&table->subtables, st);
        pvector_publish(&table->subtables);
        ovsrcu_postpone(subtable_free, st);
    } else {
        pvector_change_priority(&table->subtables, st, st->n_flows);
        pvector_publish(&table->subtables);
    }
    fp_flow_unref(f);
}

/* Takes a reference on 'f', found under RCU, unless its last one is
 * already gone.  Returns true if it took one. */
bool
fp_flow_try_ref(struct fp_flow *f)
{
    return ovs_refcount_try_ref_rcu(&f->ref_cnt);
}

/* Drops a reference; the flow is freed, after an RCU grace period, with
 * the last one. */
void
fp_flow_unref(struct fp_flow *f)
{
    if (f && ovs_refcount_unref(&f->ref_cnt) == 1) {
        ovsrcu_postpone(flow_free, f);
    }
}

void
fp_flow_table_flush(struct fp_flow_table *table)
{
    struct fp_flow *f;

    CMAP_FOR_EACH (f, ufid_node, &table->by_ufid) {
        fp_flow_table_remove(table, f);
    }
}

void
fp_flow_set_actions(struct fp_flow *f, const struct nlattr *actions,
                    size_t actions_len)
{
    struct fp_flow_actions *old;

    old = ovsrcu_get_protected(struct fp_flow_actions *, &f->actions);
    ovsrcu_set(&f->actions, actions_create(actions, actions_len));
    ovsrcu_postpone(free, old);
}

/* Private shards that no thread has, one bit each. */
static struct ovs_mutex shard_mutex = OVS_MUTEX_INITIALIZER;
static unsigned int shards_free OVS_GUARDED_BY(shard_mutex)
    = (1u << FP_FLOW_SHARD_SHARED) - 1;

/* Returns the shard of flow statistics for a new thread that credits
 * flows: a private one if any is left, else the shared one. */
int
fp_flow_shard_get(void)
{
    int shard = FP_FLOW_SHARD_SHARED;

    ovs_mutex_lock(&shard_mutex);
    if (shards_free) {
        shard = raw_ctz(shards_free);
        shards_free &= ~(1u << shard);
    }
    ovs_mutex_unlock(&shard_mutex);
    return shard;
}

/* Gives back 'shard', once its thread no longer credits any flow. */
void
fp_flow_shard_put(int shard)
{
    if (shard != FP_FLOW_SHARD_SHARED) {
        ovs_mutex_lock(&shard_mutex);
        shards_free |= 1u << shard;
        ovs_mutex_unlock(&shard_mutex);
    }
}

static void
sum_shards(const struct fp_flow *f_, unsigned long long *packets,
           unsigned long long *bytes)
{
    struct fp_flow *f = CONST_CAST(struct fp_flow *, f_);

    *packets = *bytes = 0;
    for (int i = 0; i < FP_FLOW_SHARDS; i++) {
        unsigned long long n;

        atomic_read_relaxed(&f->stats[i].packets, &n);
        *packets += n;
        atomic_read_relaxed(&f->stats[i].bytes, &n);
        *bytes += n;
    }
}

void
fp_flow_get_stats(const struct fp_flow *f_, struct dpif_flow_stats *stats)
{
    struct fp_flow *f = CONST_CAST(struct fp_flow *, f_);
    unsigned long long packets, bytes, base;
    long long int used = 0, cleared;
    uint16_t flags = 0;

    /* A reader that sums the shards while a writer clears them can see a
     * base newer than some shard it read: never less than none. */
    sum_shards(f, &packets, &bytes);
    atomic_read_relaxed(&f->base_packets, &base);
    stats->n_packets = packets > base ? packets - base : 0;
    atomic_read_relaxed(&f->base_bytes, &base);
    stats->n_bytes = bytes > base ? bytes - base : 0;
    for (int i = 0; i < FP_FLOW_SHARDS; i++) {
        long long int u;
        uint16_t fl;

        atomic_read_relaxed(&f->stats[i].used, &u);
        used = MAX(used, u);
        atomic_read_relaxed(&f->stats[i].tcp_flags, &fl);
        flags |= fl;
    }
    atomic_read_relaxed(&f->cleared, &cleared);
    stats->used = used > cleared ? used : 0;
    stats->tcp_flags = flags;
}

/* Clears the statistics, for the writers of the table: the shards stay as
 * they are (their threads write them without atomic operations), and
 * what they hold now becomes the base that readers subtract.  The TCP
 * flags are reset in place; a thread crediting the flow at that very
 * moment may bring back the flags it had seen. */
void
fp_flow_clear_stats(struct fp_flow *f)
{
    unsigned long long packets, bytes;

    sum_shards(f, &packets, &bytes);
    atomic_store_relaxed(&f->base_packets, packets);
    atomic_store_relaxed(&f->base_bytes, bytes);
    atomic_store_relaxed(&f->cleared, time_msec());
    for (int i = 0; i < FP_FLOW_SHARDS; i++) {
        atomic_store_relaxed(&f->stats[i].tcp_flags, 0);
    }
}

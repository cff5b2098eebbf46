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

/* The bonds of the lb_output action: see engine/fp-bond.h. */

#include <config.h>
#include "fp-bond.h"

#include <errno.h>
#include "dp-packet.h"
#include "fp-dp-private.h"
#include "hash.h"
#include "ovs-rcu.h"
#include "util.h"

struct fp_bond {
    struct cmap_node node;      /* In 'fp_bonds.bonds', by id. */
    uint32_t id;
    odp_port_t members[BOND_BUCKETS];
};

void
fp_bonds_init(struct fp_bonds *bonds)
{
    ovs_mutex_init(&bonds->mutex);
    cmap_init(&bonds->bonds);
}

void
fp_bonds_destroy(struct fp_bonds *bonds)
{
    struct fp_bond *bond;

    CMAP_FOR_EACH (bond, node, &bonds->bonds) {
        ovsrcu_postpone(free, bond);
    }
    cmap_destroy(&bonds->bonds);
    ovs_mutex_destroy(&bonds->mutex);
}

static struct fp_bond *
find_bond(const struct fp_bonds *bonds, uint32_t id)
{
    struct fp_bond *bond;

    CMAP_FOR_EACH_WITH_HASH (bond, node, hash_int(id, 0), &bonds->bonds) {
        if (bond->id == id) {
            return bond;
        }
    }
    return NULL;
}

/* Adds bond 'bond_id' with 'members', one member port per bucket, or
 * replaces the bond of that id. */
int
fp_bonds_add(struct fp_bonds *bonds, uint32_t bond_id,
             const odp_port_t members[BOND_BUCKETS])
{
    struct fp_bond *bond = xmalloc(sizeof *bond), *old;

    bond->id = bond_id;
    memcpy(bond->members, members, sizeof bond->members);
    ovs_mutex_lock(&bonds->mutex);
    old = find_bond(bonds, bond_id);
    if (old) {
        cmap_replace(&bonds->bonds, &old->node, &bond->node,
                     hash_int(bond_id, 0));
        ovsrcu_postpone(free, old);
    } else {
        cmap_insert(&bonds->bonds, &bond->node, hash_int(bond_id, 0));
    }
    ovs_mutex_unlock(&bonds->mutex);
    return 0;
}

int
fp_bonds_del(struct fp_bonds *bonds, uint32_t bond_id)
{
    struct fp_bond *bond;

    ovs_mutex_lock(&bonds->mutex);
    bond = find_bond(bonds, bond_id);
    if (bond) {
        cmap_remove(&bonds->bonds, &bond->node, hash_int(bond_id, 0));
        ovsrcu_postpone(free, bond);
    }
    ovs_mutex_unlock(&bonds->mutex);
    return bond ? 0 : ENOENT;
}

static int
compare_bond_infos(const void *a_, const void *b_)
{
    const struct fp_bond_info *a = a_, *b = b_;

    return a->bond_id < b->bond_id ? -1 : a->bond_id > b->bond_id;
}

/* Returns the bonds' bucket maps by id, '*n' of them, without their
 * statistics. */
struct fp_bond_info *
fp_bonds_list(struct fp_bonds *bonds, size_t *n)
{
    struct fp_bond_info *infos;
    struct fp_bond *bond;

    ovs_mutex_lock(&bonds->mutex);
    infos = xcalloc(cmap_count(&bonds->bonds) + 1, sizeof *infos);
    *n = 0;
    CMAP_FOR_EACH (bond, node, &bonds->bonds) {
        infos[*n].bond_id = bond->id;
        memcpy(infos[*n].members, bond->members, sizeof bond->members);
        (*n)++;
    }
    ovs_mutex_unlock(&bonds->mutex);
    qsort(infos, *n, sizeof *infos, compare_bond_infos);
    return infos;
}

static struct fp_bond_stats *
find_stats(const struct cmap *stats, uint32_t bond_id)
{
    struct fp_bond_stats *s;

    CMAP_FOR_EACH_WITH_HASH (s, node, hash_int(bond_id, 0), stats) {
        if (s->bond_id == bond_id) {
            return s;
        }
    }
    return NULL;
}

/* The bond of id 'bond_id', valid until the caller quiesces, or NULL. */
const struct fp_bond *
fp_bonds_lookup(const struct fp_bonds *bonds, uint32_t bond_id)
{
    return find_bond(bonds, bond_id);
}

/* A thread's statistics of bond 'bond_id', in 'stats' (the thread's
 * 'bond_stats'), made the first time the thread sends on the bond.  Only
 * the owning thread may call this. */
struct fp_bond_stats *
fp_bond_stats_get(struct cmap *stats, uint32_t bond_id)
{
    struct fp_bond_stats *s = find_stats(stats, bond_id);

    if (OVS_UNLIKELY(!s)) {
        s = xzalloc(sizeof *s);
        s->bond_id = bond_id;
        cmap_insert(stats, &s->node, hash_int(bond_id, 0));
    }
    return s;
}

/* Returns the member port that 'packet' leaves 'bond' by, the member of the
 * bucket of the packet's hash, and counts its bytes in 's'. */
odp_port_t
fp_bond_choose(const struct fp_bond *bond, struct fp_bond_stats *s,
               const struct dp_packet *packet)
{
    uint32_t bucket = dp_packet_get_rss_hash(packet) & BOND_MASK;
    uint64_t n;

    /* Only the owning thread writes its counters. */
    atomic_read_relaxed(&s->n_bytes[bucket], &n);
    atomic_store_relaxed(&s->n_bytes[bucket], n + dp_packet_size(packet));
    return bond->members[bucket];
}

void
fp_bond_stats_init(struct cmap *stats)
{
    cmap_init(stats);
}

/* Frees a thread's bond statistics, when nothing reads them any more. */
void
fp_bond_stats_destroy(struct cmap *stats)
{
    size_t n = 0, n_max = cmap_count(stats);
    struct fp_bond_stats **all = xmalloc((n_max + 1) * sizeof *all);
    struct fp_bond_stats *s;

    CMAP_FOR_EACH (s, node, stats) {
        if (n < n_max) {
            all[n++] = s;
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(all[i]);
    }
    free(all);
    cmap_destroy(stats);
}

/* Adds one thread's byte counts of bond 'bond_id' to 'n_bytes'. */
void
fp_bond_stats_sum(const struct cmap *stats, uint32_t bond_id,
                  uint64_t n_bytes[BOND_BUCKETS])
{
    struct fp_bond_stats *s = find_stats(stats, bond_id);

    for (int i = 0; s && i < BOND_BUCKETS; i++) {
        uint64_t n;

        atomic_read_relaxed(&s->n_bytes[i], &n);
        n_bytes[i] += n;
    }
}

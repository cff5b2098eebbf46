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

#ifndef FP_BOND_H
#define FP_BOND_H 1

/* Bonds for the lb_output action: ofproto-dpif hands the datapath each
 * balance-tcp bond as a map of BOND_BUCKETS buckets to member ports, and
 * lb_output(bond) sends each packet to the member of the bucket its hash
 * falls in, without a recirculation.  ofproto-dpif rebalances the buckets
 * by the bytes each one carried, which every polling thread counts on its
 * own (no shared counter per packet) and fp_bonds_get_stats() sums.
 *
 * Bonds are found under RCU and replaced as a whole; 'mutex' serialises
 * the writers. */

#include <stdint.h>
#include "cmap.h"
#include "dpif.h"
#include "openvswitch/thread.h"
#include "openvswitch/types.h"

struct dp_packet;
struct fp_dp;
struct fp_thread;

struct fp_bonds {
    struct ovs_mutex mutex;
    struct cmap bonds;          /* Contains "struct fp_bond"s. */
};

/* One thread's byte counts of one bond's buckets. */
struct fp_bond_stats {
    struct cmap_node node;      /* In 'fp_thread.bond_stats', by id. */
    uint32_t bond_id;
    atomic_uint64_t n_bytes[BOND_BUCKETS];
};

void fp_bonds_init(struct fp_bonds *);
void fp_bonds_destroy(struct fp_bonds *);
int fp_bonds_add(struct fp_bonds *, uint32_t bond_id,
                 const odp_port_t members[BOND_BUCKETS]);
int fp_bonds_del(struct fp_bonds *, uint32_t bond_id);

struct fp_bond_info;
struct fp_bond_info *fp_bonds_list(struct fp_bonds *, size_t *n);

struct fp_bond;
const struct fp_bond *fp_bonds_lookup(const struct fp_bonds *,
                                      uint32_t bond_id);
struct fp_bond_stats *fp_bond_stats_get(struct cmap *, uint32_t bond_id);
odp_port_t fp_bond_choose(const struct fp_bond *, struct fp_bond_stats *,
                          const struct dp_packet *);

void fp_bond_stats_init(struct cmap *);
void fp_bond_stats_destroy(struct cmap *);
void fp_bond_stats_sum(const struct cmap *, uint32_t bond_id,
                       uint64_t n_bytes[BOND_BUCKETS]);

#endif /* fp-bond.h */

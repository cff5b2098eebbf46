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

#ifndef FP_PMD_H
#define FP_PMD_H 1

/* Poll-mode threads.
 *
 * One thread per core of other_config:pmd-cpu-mask (by default, the first
 * core of each NUMA node), created only while the datapath has ports with
 * PMD support.  Each owns a list of rx queues that it polls in a loop,
 * bursts of NETDEV_MAX_BURST, without taking any lock per packet.
 *
 * Reload handshake
 * ================
 *
 * The main thread never changes a PMD's poll list under it.  It hands the
 * PMD a new list (fp_pmd_set_rxqs()), raises its 'reload' flag, and waits
 * (fp_pmd_wait_reload()) until the PMD has taken the list and said so.
 * After that, the PMD holds no pointer to a queue that is not in its new
 * list, so the main thread may close the old queues once an RCU grace
 * period has passed (packets the PMD was sending hold port pointers until
 * it quiesces).
 *
 * Other threads may read a PMD (its statistics, what it polls) from the
 * datapath's 'pmd_set' under RCU: fp_pmd_stop() stops the thread at once,
 * and fp_pmd_destroy(), once the PMD is out of the set, frees the object
 * after a grace period. */

#include <stdbool.h>
#include <stddef.h>
#include "fp-dp-private.h"
#include "fp-miss.h"
#include "openvswitch/hmap.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"

/* One rx queue as a PMD polls it. */
struct fp_pmd_rxq {
    struct fp_port *port;
    struct netdev_rxq *rxq;
    int qid;
};

struct fp_pmd {
    struct fp_dp *dp;
    unsigned core_id;
    int numa_id;
    pthread_t thread;

    /* Owned by the PMD thread; others may read 'ctx.stats'. */
    struct fp_thread ctx;
    struct fp_pmd_rxq *polls;
    size_t n_polls;
    struct fp_misses misses;    /* A queue per poll, engine/fp-miss.h. */

    /* Reload handshake, see above. */
    struct ovs_mutex mutex;
    pthread_cond_t cond;
    struct fp_pmd_rxq *next OVS_GUARDED;    /* Poll list to take. */
    size_t n_next OVS_GUARDED;
    int next_txq_id OVS_GUARDED;
    bool acked OVS_GUARDED;                 /* Took the last list. */
    atomic_bool reload;
    atomic_bool exit;

    /* What the PMD polls now, for pmd-rxq-show (under 'mutex'). */
    struct fp_pmd_rxq *shown OVS_GUARDED;
    size_t n_shown OVS_GUARDED;
};

struct fp_pmd *fp_pmd_create(struct fp_dp *, unsigned core_id, int numa_id,
                             int txq_id);
void fp_pmd_stop(struct fp_pmd *);
void fp_pmd_destroy(struct fp_pmd *);
void fp_pmd_set_rxqs(struct fp_pmd *, struct fp_pmd_rxq *, size_t n,
                     int txq_id);
void fp_pmd_wait_reload(struct fp_pmd *);
struct fp_pmd_rxq *fp_pmd_get_rxqs(struct fp_pmd *, size_t *n, int *txq_id);

#endif /* fp-pmd.h */

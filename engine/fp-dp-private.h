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

#ifndef FP_DP_PRIVATE_H
#define FP_DP_PRIVATE_H 1

/* The engine's own view of a datapath: struct fp_dp, which the engine's
 * files (engine/fp-*.c) share; each module's functions are in its own
 * header (fp-port.h, fp-thread.h, fp-flow-ops.h, fp-input.h, fp-exec.h,
 * ...).  Code outside the engine uses engine/fp-datapath.h only.
 *
 * Locking
 * =======
 *
 * Acquisition order: fp_dps_mutex, 'port_mutex', a PMD's 'mutex' or
 * 'non_pmd_mutex', 'flow_mutex'.  PMD threads take no lock per packet: they
 * read ports and flows under RCU, and take 'flow_mutex' only to install the
 * megaflow an upcall returns.  The main thread's packet path (run(),
 * execute()) holds 'non_pmd_mutex'.
 *
 * The main thread holds 'port_mutex' while it waits for the PMDs to take a
 * new poll list (reconfiguration), and a PMD may be inside an upcall then:
 * ofproto-dpif calls back into the datapath from there (statistics,
 * execute()).  So nothing that an upcall can reach takes 'port_mutex':
 * statistics read the PMD set under RCU ('pmd_set'), and the packet path
 * finds ports in 'ports_rcu'. */

#include <stdbool.h>
#include <stdint.h>
#include "cmap.h"
#include "dp-packet.h"
#include "dpif.h"
#include "fat-rwlock.h"
#include "fp-flow-table.h"
#include "fp-meter.h"
#include "fp-bond.h"
#include "fp-datapath.h"
#include "fp-stats.h"
#include "fp-thread.h"
#include "openvswitch/hmap.h"
#include "odp-util.h"
#include "ovs-rcu.h"
#include "openvswitch/thread.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "seq.h"

struct conntrack;
struct fp_ct_cache;
struct fp_emc;
struct fp_fastcache;
struct fp_misses;
struct fp_pmd;
struct netdev;
struct netdev_rxq;
struct netdev_saved_flags;
struct smap;

/* The PMD threads of a datapath, by core id.  Replaced as a whole when
 * they change, freed after an RCU grace period. */
struct fp_pmd_set {
    struct fp_stats retired;    /* Counters of the PMDs gone before this
                                 * set, for dpif/show and pmd-stats-show.
                                 * Written by the main thread only. */
    size_t n;
    struct fp_pmd *pmds[];
};

struct fp_dp {
    char *name;
    char *type;                 /* dpif type, e.g. "fastpath". */
    struct ovs_refcount ref_cnt;
    bool destroyed;

    /* Ports. */
    struct ovs_mutex port_mutex;
    struct hmap ports OVS_GUARDED;  /* Contains "struct fp_port"s. */
    struct cmap ports_rcu;          /* Same ports, for packet processing. */
    struct seq *port_seq;           /* Changes when ports change. */

    /* Flows. */
    struct ovs_mutex flow_mutex;
    struct fp_flow_table flows;

    /* Counts the flows installed: a miss that waited since then may hit
     * (engine/fp-miss.c). */
    atomic_uint64_t flow_gen;

    /* Ufids of the flows that the last flush removed ("struct
     * fp_flushed"s), kept until 'flushed_until' (msec) for
     * engine/fp-upcall.c. */
    struct hmap flushed OVS_GUARDED;    /* By flow_mutex. */
    atomic_llong flushed_until;

    /* The gate on megaflows installed by upcalls (engine/fp-upcall.c):
     * other_config:flow-limit, the gate's tokens (in thousandths) as of
     * 'gate_time', all times in msec.  Read and written without a lock. */
    atomic_uint flow_limit;
    atomic_llong gate_mtokens;
    atomic_llong gate_time;
    atomic_llong gate_below_time;   /* When the datapath last reported a
                                     * flow count below the limit. */

    /* Upcalls to ofproto-dpif.  Held for writing while upcalls are
     * disabled. */
    struct fat_rwlock upcall_rwlock;
    bool upcalls_disabled;         /* Main thread: 'upcall_rwlock' held. */
    upcall_callback *upcall_cb;
    void *upcall_aux;

    /* Connection tracker for the ct() action. */
    struct conntrack *conntrack;

    /* OpenFlow meters for the meter() action. */
    struct fp_meters meters;

    /* Bonds for the lb_output() action. */
    struct fp_bonds bonds;

    /* The thread that polls ports without PMD support: the main thread of
     * ovs-vswitchd, through the dpif's run() and wait(). */
    struct ovs_mutex non_pmd_mutex;
    struct fp_thread non_pmd OVS_GUARDED;    /* By non_pmd_mutex. */

    /* Threads that send packets: tx queue ids go from 0 to this minus 1
     * (the PMDs first, then the non-PMD thread). */
    atomic_int n_tx_threads;

    /* PMD threads (engine/fp-pmd.h), changed only by the main thread with
     * 'port_mutex' held, read by anyone under RCU. */
    OVSRCU_TYPE(struct fp_pmd_set *) pmd_set;
    char *pmd_cmask OVS_GUARDED;    /* pmd-cpu-mask, by port_mutex. */
    char *pmd_cmask_refused OVS_GUARDED;   /* The last refused. */

};

/* ODP capabilities of the engine, for key and mask formatting. */
extern const struct odp_support fp_odp_support;

/* PMD threads (engine/fp-pmd.c, engine/fp-sched.c). */
const struct fp_pmd_set *fp_dp_pmds(const struct fp_dp *);

#endif /* fp-dp-private.h */

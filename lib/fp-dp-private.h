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

/* The engine's own view of a datapath: its structures and the functions
 * that its files (lib/fp-*.c) share.  Code outside the engine uses
 * lib/fp-datapath.h only.
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
#include "fp-flow.h"
#include "fp-meter.h"
#include "fp-bond.h"
#include "fp-datapath.h"
#include "fp-stats.h"
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

/* A port of the datapath. */
struct fp_port {
    struct hmap_node node;      /* In 'fp_dp.ports', by 'port_no'. */
    struct cmap_node cnode;     /* In 'fp_dp.ports_rcu', by 'port_no'. */
    odp_port_t port_no;
    char *name;                 /* Datapath port name, e.g. "vxlan_sys_4789"
                                 * for a tunnel, else the netdev's name. */
    char *type;                 /* Its netdev's type, e.g. "tap". */
    struct netdev *netdev;
    struct netdev_saved_flags *sf;
    struct netdev_rxq **rxqs;
    int n_rxq;
    int n_txq;
    bool is_pmd;                /* Polled by PMD threads. */
    bool configured;            /* A PMD port whose device has been set up
                                 * by reconfigure(). */
    int error;                  /* Why the last set-up failed, or 0. */
    atomic_bool upcall_busy;    /* A thread sends up a miss of this port
                                 * (lib/fp-upcall.h). */
    atomic_bool paused;         /* A PMD port whose device is being set up
                                 * or could not be: no thread polls it or
                                 * sends to it (lib/fp-sched.h). */
};

/* The PMD threads of a datapath, by core id.  Replaced as a whole when
 * they change, freed after an RCU grace period. */
struct fp_pmd_set {
    struct fp_stats retired;    /* Counters of the PMDs gone before this
                                 * set, for dpif/show and pmd-stats-show.
                                 * Written by the main thread only. */
    size_t n;
    struct fp_pmd *pmds[];
};

/* Tx queues the datapath asks of a PMD-capable device: one per polling
 * thread, as far as the device allows.  Threads share queues (and the
 * device serialises them) when it has fewer. */
enum { FP_MAX_TXQS = 64 };

/* Packets waiting to be sent on one port by one thread. */
struct fp_tx_pending {
    struct fp_port *port;
    struct dp_packet_batch batch;
};

/* Ports one thread may have packets pending for at once. */
enum { FP_MAX_TX_PENDING = 16 };

/* What actions need to know of the key of the packets they run on: all
 * packets of a batch given to fp_execute_actions() share it. */
struct fp_key_hint {
    ovs_be16 dl_type;           /* Ethernet type. */
    ovs_be16 tp_src, tp_dst;    /* Transport ports, for conntrack helpers. */
};

/* Per polling thread state.  Only its own thread writes it. */
struct fp_thread {
    unsigned id;                /* PMD id given to upcalls. */
    int txq_id;                 /* Tx queue this thread sends on. */
    struct fp_stats stats;
    struct fp_emc *emc;         /* Exact-match cache. */
    struct fp_fastcache *fastcache; /* The same, for fast keys. */
    struct flow *fast_flow;     /* Zero but for a fast key's fields. */
    int flow_shard;             /* Of flow statistics, lib/fp-flow.h. */
    struct fp_ct_cache *ct_cache;   /* Of lib/fp-ct.c, or NULL. */
    struct fp_misses *misses;   /* A PMD's (lib/fp-miss.h), else NULL. */

    /* The port that the last output went to, valid until the end of the
     * batch (fp_thread_flush()): RCU keeps it until the thread quiesces. */
    odp_port_t out_port_no;
    struct fp_port *out_port;
    struct cmap bond_stats;     /* Bytes sent per bond bucket, "struct
                                 * fp_bond_stats"s (lib/fp-bond.h). */
    long long int now;          /* Current time, in msec. */
    int recirc_depth;           /* Nesting of fp_input_recirc(). */

    /* Output batching: packets are queued per port while a batch is
     * processed, then sent with one call per port by fp_thread_flush(). */
    struct fp_tx_pending tx[FP_MAX_TX_PENDING];
    int n_tx;
};

struct fp_dp {
    char *name;
    const struct dpif_class *class;
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
     * (lib/fp-miss.c). */
    atomic_uint64_t flow_gen;

    /* Ufids of the flows that the last flush removed ("struct
     * fp_flushed"s), kept until 'flushed_until' (msec) for
     * lib/fp-upcall.c. */
    struct hmap flushed OVS_GUARDED;    /* By flow_mutex. */
    atomic_llong flushed_until;

    /* The gate on megaflows installed by upcalls (lib/fp-upcall.c):
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

    /* PMD threads (lib/fp-pmd.h), changed only by the main thread with
     * 'port_mutex' held, read by anyone under RCU. */
    OVSRCU_TYPE(struct fp_pmd_set *) pmd_set;
    char *pmd_cmask OVS_GUARDED;    /* pmd-cpu-mask, by port_mutex. */
    char *pmd_cmask_refused OVS_GUARDED;   /* The last refused. */

};

/* ODP capabilities of the engine, for key and mask formatting. */
extern const struct odp_support fp_odp_support;

/* Ports (lib/fp-port.c). */
struct fp_port *fp_dp_port_find(const struct fp_dp *dp, odp_port_t)
    OVS_REQUIRES(dp->port_mutex);
struct fp_port *fp_dp_port_find_by_name(const struct fp_dp *dp, const char *)
    OVS_REQUIRES(dp->port_mutex);
struct fp_port *fp_dp_port_lookup_rcu(const struct fp_dp *, odp_port_t);
struct fp_port **fp_dp_sorted_ports(const struct fp_dp *dp, size_t *n)
    OVS_REQUIRES(dp->port_mutex);
int fp_port_add(struct fp_dp *dp, struct netdev *, odp_port_t)
    OVS_REQUIRES(dp->port_mutex);
void fp_port_del(struct fp_dp *dp, struct fp_port *)
    OVS_REQUIRES(dp->port_mutex);
void fp_port_remove_failed(struct fp_dp *dp) OVS_REQUIRES(dp->port_mutex);
int fp_port_open_rxqs(struct fp_dp *, struct fp_port *);
void fp_port_close_rxqs(struct fp_port *);
void fp_port_free(struct fp_port *);

/* PMD threads (lib/fp-pmd.c, lib/fp-sched.c). */
const struct fp_pmd_set *fp_dp_pmds(const struct fp_dp *);

/* Polling threads' state (lib/fp-datapath.c). */
void fp_thread_init(struct fp_thread *, unsigned id, int txq_id);
void fp_thread_uninit(struct fp_thread *);

/* Flow installation (lib/fp-flows.c). */
int fp_dp_flow_install(struct fp_dp *, const struct flow *,
                       const struct flow_wildcards *, const ovs_u128 *ufid,
                       const struct nlattr *key, size_t key_len,
                       const struct nlattr *mask, size_t mask_len,
                       const struct nlattr *actions, size_t actions_len);
bool fp_dp_flow_take_flushed(struct fp_dp *, const ovs_u128 *ufid);
void fp_dp_flow_expire_flushed(struct fp_dp *, long long int now);

/* Packet processing (lib/fp-input.c). */
int fp_input_batch(struct fp_dp *, struct fp_thread *,
                   struct dp_packet_batch *, odp_port_t in_port);
void fp_input_recirc(struct fp_dp *, struct fp_thread *,
                     struct dp_packet_batch *);

/* Actions (lib/fp-exec.c) and output (lib/fp-tx.c). */
void fp_thread_flush(struct fp_dp *, struct fp_thread *);
void fp_execute_actions(struct fp_dp *, struct fp_thread *,
                        struct dp_packet_batch *, bool steal,
                        const struct fp_key_hint *,
                        const struct nlattr *actions, size_t actions_len);
/* Returns the port 'port_no' of 'dp' for output by 't', or NULL. */
static inline struct fp_port *
fp_thread_port(const struct fp_dp *dp, struct fp_thread *t,
               odp_port_t port_no)
{
    if (t->out_port && t->out_port_no == port_no) {
        return t->out_port;
    }
    t->out_port = fp_dp_port_lookup_rcu(dp, port_no);
    t->out_port_no = port_no;
    return t->out_port;
}

void fp_key_hint_from_flow(struct fp_key_hint *, const struct flow *);

#endif /* fp-dp-private.h */

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

#ifndef FP_DATAPATH_H
#define FP_DATAPATH_H 1

/* The engine's interface: a datapath with its ports, its flow table, its
 * upcall channel to ofproto-dpif and the threads that poll its ports.
 *
 * dpif/dpif-fastpath.c translates the dpif provider interface to this one
 * and engine/fp-unixctl.c shows what it reports; neither sees the engine's
 * structures (engine/fp-dp-private.h).  The interface speaks in ODP
 * attributes, netdevs, packets and copies of state, never in pointers
 * into the engine, so that the engine can later run in a process of its
 * own with this interface carried over a channel.
 *
 * Unless a function says otherwise, it may be called from any thread,
 * including from a PMD thread inside an upcall: ofproto-dpif calls back
 * into the datapath from there. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dpif.h"
#include "fp-stats.h"
#include "openvswitch/types.h"

struct ct_dpif_entry;
struct ct_dpif_timeout_policy;
struct ct_dpif_tuple;
struct dp_packet;
struct dpif_class;
struct dpif_flow;
struct dpif_flow_put;
struct dpif_flow_stats;
struct dpif_ipf_status;
struct flow;
struct fp_dp;
struct ipf_dump_ctx;
struct ofputil_meter_config;
struct ofputil_meter_features;
struct ofputil_meter_stats;
struct netdev;
struct nlattr;
struct odp_support;
struct ofpbuf;
struct ovs_list;
struct seq;
struct smap;
struct sset;

/* Datapaths
 * =========
 *
 * fp_dp_init() sets the engine up, once, before anything else.
 * fp_dp_open() finds the datapath called 'name' of dpif type 'type' or, with
 * 'create', makes it (with its local port, an internal port named after
 * it).  It returns 0 and a reference in '*dpp', ENODEV if there is no such
 * datapath, or EINVAL if the name is taken by another type.  Each
 * reference is dropped with fp_dp_unref().  fp_dp_destroy() drops the
 * creator's reference, once: the datapath goes with its last reference,
 * ports and threads first.
 *
 * fp_dp_run() and fp_dp_wait() belong to ovs-vswitchd's main loop: run()
 * applies pending device configuration and polls the ports that have no
 * PMD thread; wait() arranges for the poll loop to wake when either has
 * work.  fp_dp_set_config() applies other_config of the Open_vSwitch
 * table (pmd-cpu-mask, flow-limit, vhost-sock-dir,
 * fastpath-mempool-mbufs).  These three run in the main thread only. */
void fp_dp_init(void);
int fp_dp_open(const char *type, const char *name, bool create,
               struct fp_dp **dpp);
void fp_dp_unref(struct fp_dp *);
void fp_dp_destroy(struct fp_dp *);
void fp_dp_enumerate(const char *type, struct sset *names);
void fp_dp_for_each(void (*cb)(struct fp_dp *, void *aux), void *aux);
const char *fp_dp_name(const struct fp_dp *);
const char *fp_dp_type(const struct fp_dp *);
const char *fp_dp_port_open_type(const char *type);

/* Returns NULL if 'cmask' is a pmd-cpu-mask that PMDs can run on, else
 * why it is not. */
const char *fp_pmd_cmask_problem(const char *cmask);

int fp_dp_set_config(struct fp_dp *, const struct smap *other_config);
void fp_dp_run(struct fp_dp *);
void fp_dp_wait(struct fp_dp *);

/* Ports
 * =====
 *
 * fp_dp_port_add() adds 'netdev' as port '*port_nop', or as a free number
 * if that is ODPP_NONE, and says which in '*port_nop'.  Returns 0, EEXIST
 * (a port of that name is there), EBUSY (the number is taken), EFBIG (no
 * number left), or why the device could not be opened or set up.
 * fp_dp_port_del() returns 0, ENOENT or EINVAL (the local port).
 *
 * Queries fill a 'struct fp_port_info' (which may be NULL, to ask only
 * whether the port exists) with copies that fp_port_info_destroy() frees;
 * they return 0 or ENODEV.  fp_dp_port_list() returns every port by
 * number.  fp_dp_port_seq() changes whenever ports come or go. */
struct fp_port_info {
    odp_port_t port_no;
    char *name;                 /* Datapath port name. */
    char *type;                 /* Its netdev's type. */
    int n_rxq;                  /* Rx queues the datapath polls. */
    bool is_pmd;                /* Polled by PMD threads. */
};

int fp_dp_port_add(struct fp_dp *, struct netdev *, odp_port_t *port_nop);
int fp_dp_port_del(struct fp_dp *, odp_port_t port_no);
int fp_dp_port_query_by_number(struct fp_dp *, odp_port_t port_no,
                               struct fp_port_info *);
int fp_dp_port_query_by_name(struct fp_dp *, const char *name,
                             struct fp_port_info *);
struct fp_port_info *fp_dp_port_list(struct fp_dp *, size_t *n);
void fp_port_info_destroy(struct fp_port_info *);
void fp_port_info_list_free(struct fp_port_info *, size_t n);
struct seq *fp_dp_port_seq(const struct fp_dp *);

/* Flows
 * =====
 *
 * Flows are ODP keys and masks (OVS_KEY_ATTR_*) with ODP actions, named by
 * a ufid (or, without one, by the hash of the key).  fp_dp_flow_put()
 * takes the dpif's flow_put: DPIF_FP_CREATE, DPIF_FP_MODIFY,
 * DPIF_FP_ZERO_STATS, DPIF_FP_PROBE; it returns 0, EEXIST, ENOENT or
 * EINVAL (a key or mask the datapath cannot match exactly).
 * fp_dp_flow_get() fills 'flow' with copies in 'buf', which must stay
 * unchanged while 'flow' is used.  A flow dump goes through the flows in
 * the order of an opaque position that starts all zeros; each call
 * fills at most 'max' flows (each with its own buffer of 'bufs') and
 * returns how many, 0 at the end. */
int fp_dp_flow_put(struct fp_dp *, const struct dpif_flow_put *);
int fp_dp_flow_del(struct fp_dp *, const ovs_u128 *ufid,
                   const struct nlattr *key, size_t key_len,
                   struct dpif_flow_stats *);
int fp_dp_flow_get(struct fp_dp *, const ovs_u128 *ufid,
                   const struct nlattr *key, size_t key_len,
                   struct dpif_flow *flow, struct ofpbuf *buf);
void fp_dp_flow_flush(struct fp_dp *);
size_t fp_dp_flow_count(const struct fp_dp *);

struct fp_flow_dump_position {
    unsigned int bucket, entry, offset;
    bool done;                  /* Went past the last flow. */
};
int fp_dp_flow_dump_next(struct fp_dp *, struct fp_flow_dump_position *,
                         bool terse, struct dpif_flow *flows,
                         struct ofpbuf *bufs, int max);

/* Packets and upcalls
 * ===================
 *
 * fp_dp_execute() runs ODP 'actions' on a copy of 'packet', whose key is
 * 'flow' (which may be NULL), in the main thread's context; the caller
 * keeps 'packet'.  Returns 0 or EINVAL (no Ethernet header, too long).
 *
 * Misses and userspace() actions go to the callback that
 * fp_dp_register_upcall() names (ofproto-dpif's upcall_cb), which the
 * polling threads call as the dpif's upcall_callback contract says.
 * Upcalls start disabled; fp_dp_disable_upcall() waits for those under
 * way to finish.  A callback that takes a copy of the packet to answer
 * later (fastpathd's, fastpathd/fastpathd-upcall.h) returns EAGAIN: the
 * engine then drops its own packet without counting it lost; ENOBUFS
 * from it means it had no room, and the packet is lost, without a
 * warning (the callback counts and reports such drops).
 * fp_dp_odp_support() is what the engine's flow keys can carry, for keys
 * written from its 'struct flow's. */
int fp_dp_execute(struct fp_dp *, const struct dp_packet *packet,
                  const struct flow *flow,
                  const struct nlattr *actions, size_t actions_len);
void fp_dp_register_upcall(struct fp_dp *, upcall_callback *, void *aux);
const struct odp_support *fp_dp_odp_support(void);
void fp_dp_enable_upcall(struct fp_dp *);
void fp_dp_disable_upcall(struct fp_dp *);

/* Statistics and threads
 * ======================
 *
 * fp_dp_get_stats() sums the counters of every polling thread (engine/
 * fp-stats.h) since the last clear, without taking a lock that
 * reconfiguration holds.  fp_dp_thread_list() describes each polling
 * thread: the PMDs by core, then the main thread; fp_dp_clear_stats()
 * clears what pmd-stats-show reports. */
struct fp_rxq_info {
    char *port;                 /* Port name. */
    int qid;
};

struct fp_thread_info {
    bool is_pmd;                /* Else the main thread. */
    unsigned core_id;           /* PMDs only. */
    int numa_id;                /* PMDs only. */
    uint64_t stats[FP_N_STATS];
    struct fp_rxq_info *rxqs;   /* What it polls, by port name and qid. */
    size_t n_rxqs;
};

void fp_dp_get_stats(struct fp_dp *, uint64_t values[FP_N_STATS]);
struct fp_thread_info *fp_dp_thread_list(struct fp_dp *, size_t *n);
void fp_thread_info_list_free(struct fp_thread_info *, size_t n);
void fp_dp_clear_stats(struct fp_dp *);

/* Bonds for lb_output() (engine/fp-bond.h): fp_dp_bond_add() adds or
 * replaces bond 'bond_id', whose bucket i sends on port 'members[i]';
 * fp_dp_bond_del() returns 0 or ENOENT; fp_dp_bond_stats_get() fills
 * 'n_bytes' with the bytes each bucket has carried. */
int fp_dp_bond_add(struct fp_dp *, uint32_t bond_id,
                   const odp_port_t members[BOND_BUCKETS]);
int fp_dp_bond_del(struct fp_dp *, uint32_t bond_id);
int fp_dp_bond_stats_get(struct fp_dp *, uint32_t bond_id,
                         uint64_t n_bytes[BOND_BUCKETS]);

/* The bonds by id, with their maps and byte counts, for bond-show; free
 * the array. */
struct fp_bond_info {
    uint32_t bond_id;
    odp_port_t members[BOND_BUCKETS];
    uint64_t n_bytes[BOND_BUCKETS];
};
struct fp_bond_info *fp_dp_bond_list(struct fp_dp *, size_t *n);

/* Meters (engine/fp-meter.c), with the semantics of the dpif's meter_*
 * members. */
void fp_dp_meter_features(struct ofputil_meter_features *);
int fp_dp_meter_set(struct fp_dp *, uint32_t id,
                    const struct ofputil_meter_config *);
int fp_dp_meter_get(struct fp_dp *, uint32_t id,
                    struct ofputil_meter_stats *, uint16_t n_bands);
int fp_dp_meter_del(struct fp_dp *, uint32_t id,
                    struct ofputil_meter_stats *, uint16_t n_bands);

/* Connection tracking (engine/fp-datapath-ct.c): the datapath's OVS
 * userspace connection tracker and its fragment reassembly, with the
 * semantics of the dpif's ct_* and ipf_* members of the same names, in
 * the ct-dpif types.  A dump goes through an opaque 'struct fp_ct_dump'
 * from start to done. */
struct fp_ct_dump;
int fp_dp_ct_dump_start(struct fp_dp *, const uint16_t *zone, int *ptot_bkts,
                        struct fp_ct_dump **);
int fp_dp_ct_dump_next(struct fp_ct_dump *, struct ct_dpif_entry *);
int fp_dp_ct_dump_done(struct fp_ct_dump *);
int fp_dp_ct_flush(struct fp_dp *, const uint16_t *zone,
                   const struct ct_dpif_tuple *);
int fp_dp_ct_set_maxconns(struct fp_dp *, uint32_t maxconns);
int fp_dp_ct_get_maxconns(struct fp_dp *, uint32_t *maxconns);
int fp_dp_ct_get_nconns(struct fp_dp *, uint32_t *nconns);
int fp_dp_ct_set_tcp_seq_chk(struct fp_dp *, bool enabled);
int fp_dp_ct_get_tcp_seq_chk(struct fp_dp *, bool *enabled);
int fp_dp_ct_set_limits(struct fp_dp *, const uint32_t *default_limit,
                        const struct ovs_list *zone_limits);
int fp_dp_ct_get_limits(struct fp_dp *, uint32_t *default_limit,
                        const struct ovs_list *zone_limits_in,
                        struct ovs_list *zone_limits_out);
int fp_dp_ct_del_limits(struct fp_dp *, const struct ovs_list *zone_limits);
int fp_dp_ct_set_timeout_policy(struct fp_dp *,
                                const struct ct_dpif_timeout_policy *);
int fp_dp_ct_get_timeout_policy(struct fp_dp *, uint32_t tp_id,
                                struct ct_dpif_timeout_policy *);
int fp_dp_ct_del_timeout_policy(struct fp_dp *, uint32_t tp_id);
int fp_dp_ipf_set_enabled(struct fp_dp *, bool v6, bool enabled);
int fp_dp_ipf_set_min_frag(struct fp_dp *, bool v6, uint32_t min_frag);
int fp_dp_ipf_set_max_nfrags(struct fp_dp *, uint32_t max_nfrags);
int fp_dp_ipf_get_status(struct fp_dp *, struct dpif_ipf_status *);
int fp_dp_ipf_dump_start(struct fp_dp *, struct ipf_dump_ctx **);
int fp_dp_ipf_dump_next(struct fp_dp *, void *ctx, char **dump);
int fp_dp_ipf_dump_done(struct fp_dp *, void *ctx);

#endif /* fp-datapath.h */

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

/* The datapath object: its registry, life cycle, statistics and
 * upcall channel; the engine's interface is engine/fp-datapath.h. */

#include <config.h>
#include "fp-dp-private.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "conntrack.h"
#include "coverage.h"
#include "fp-ct.h"
#include "fp-emc.h"
#include "fp-fastkey.h"
#include "fp-mempool.h"
#include "fp-pmd.h"
#include "fp-sched.h"
#include "fp-unixctl.h"
#include "fp-upcall.h"
#include "fp-port.h"
#include "fp-flow-ops.h"
#include "dpif-provider.h"
#include "netdev.h"
#include "netdev-fastpath.h"
#include "netdev-vport.h"
#include "openvswitch/shash.h"
#include "ovs-numa.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_datapath);

/* Id that upcalls from the non-PMD thread carry, as in OVS. */
enum { FP_NON_PMD_ID = UINT32_MAX };

/* The engine takes every key the ODP format can express: all of
 * odp_support's flags set, its depths unlimited. */
const struct odp_support fp_odp_support = {
#define ODP_SUPPORT_FIELD(TYPE, NAME, TITLE) .NAME = (TYPE) -1,
    ODP_SUPPORT_FIELDS
#undef ODP_SUPPORT_FIELD
};

static struct ovs_mutex fp_dps_mutex = OVS_MUTEX_INITIALIZER;
static struct shash fp_dps OVS_GUARDED_BY(fp_dps_mutex)
    = SHASH_INITIALIZER(&fp_dps);

static struct fp_dp *fp_dp_ref(struct fp_dp *);
static int create_dp(const char *type, const char *name, struct fp_dp **);
static void free_dp(struct fp_dp *);
static upcall_callback refuse_upcall;

/* Sets the engine up: its ovs-appctl commands (fastpath/...). */
void
fp_dp_init(void)
{
    fp_unixctl_register();
}

/* Opens the datapath called 'name', of dpif type 'type', creating it if
 * 'create' is true and it does not exist.  Returns 0 and a new reference in
 * '*dpp', ENODEV, or EINVAL if 'name' is a datapath of another type. */
int
fp_dp_open(const char *type, const char *name, bool create,
           struct fp_dp **dpp)
{
    struct fp_dp *dp;
    int error = 0;

    ovs_mutex_lock(&fp_dps_mutex);
    dp = shash_find_data(&fp_dps, name);
    if (dp) {
        if (strcmp(dp->type, type)) {
            error = EINVAL;
        } else {
            *dpp = fp_dp_ref(dp);
        }
    } else if (create) {
        error = create_dp(type, name, dpp);
        if (!error) {
            *dpp = fp_dp_ref(*dpp);
        }
    } else {
        error = ENODEV;
    }
    ovs_mutex_unlock(&fp_dps_mutex);
    return error;
}

static struct fp_dp *
fp_dp_ref(struct fp_dp *dp)
{
    if (dp) {
        ovs_refcount_ref(&dp->ref_cnt);
    }
    return dp;
}

/* Drops a reference; the datapath goes with its last one.  The creator's
 * reference is dropped only by fp_dp_destroy(). */
void
fp_dp_unref(struct fp_dp *dp)
{
    if (dp) {
        ovs_mutex_lock(&fp_dps_mutex);
        if (ovs_refcount_unref_relaxed(&dp->ref_cnt) == 1) {
            free_dp(dp);
        }
        ovs_mutex_unlock(&fp_dps_mutex);
    }
}

void
fp_dp_destroy(struct fp_dp *dp)
{
    bool first;

    ovs_mutex_lock(&fp_dps_mutex);
    first = !dp->destroyed;
    dp->destroyed = true;
    ovs_mutex_unlock(&fp_dps_mutex);
    if (first) {
        fp_dp_unref(dp);
    }
}

/* Adds the names of the datapaths of dpif type 'type' to 'names'. */
void
fp_dp_enumerate(const char *type, struct sset *names)
{
    struct shash_node *node;

    ovs_mutex_lock(&fp_dps_mutex);
    SHASH_FOR_EACH (node, &fp_dps) {
        struct fp_dp *dp = node->data;

        if (!strcmp(dp->type, type)) {
            sset_add(names, node->name);
        }
    }
    ovs_mutex_unlock(&fp_dps_mutex);
}

/* Calls 'cb' for each datapath, holding fp_dps_mutex. */
void
fp_dp_for_each(void (*cb)(struct fp_dp *, void *aux), void *aux)
{
    struct shash_node *node;

    ovs_mutex_lock(&fp_dps_mutex);
    SHASH_FOR_EACH (node, &fp_dps) {
        cb(node->data, aux);
    }
    ovs_mutex_unlock(&fp_dps_mutex);
}

static int
create_dp(const char *type, const char *name, struct fp_dp **dpp)
    OVS_REQUIRES(fp_dps_mutex)
{
    struct netdev *netdev;
    struct fp_dp *dp;
    int error;

    dp = xzalloc(sizeof *dp);
    dp->name = xstrdup(name);
    dp->type = xstrdup(type);
    ovs_refcount_init(&dp->ref_cnt);
    ovs_mutex_init(&dp->port_mutex);
    hmap_init(&dp->ports);
    cmap_init(&dp->ports_rcu);
    dp->port_seq = seq_create();
    ovs_mutex_init(&dp->flow_mutex);
    fp_flow_table_init(&dp->flows);
    hmap_init(&dp->flushed);
    atomic_init(&dp->flow_gen, 0);
    atomic_init(&dp->flushed_until, LLONG_MIN);
    atomic_init(&dp->flow_limit, 200000);
    atomic_init(&dp->gate_mtokens, 0);
    atomic_init(&dp->gate_time, 0);
    atomic_init(&dp->gate_below_time, 0);
    fat_rwlock_init(&dp->upcall_rwlock);
    /* Upcalls stay disabled until ofproto-dpif enables them. */
    fat_rwlock_wrlock(&dp->upcall_rwlock);
    dp->upcalls_disabled = true;
    dp->conntrack = conntrack_init();
    fp_meters_init(&dp->meters);
    fp_bonds_init(&dp->bonds);
    /* Recursive: an upcall from the main thread's packet path may come back
     * through execute() (ofproto-dpif sends an ARP request for a tunnel). */
    ovs_mutex_init_recursive(&dp->non_pmd_mutex);
    fp_thread_init(&dp->non_pmd, FP_NON_PMD_ID, 0);
    atomic_init(&dp->n_tx_threads, 1);
    ovsrcu_set_hidden(&dp->pmd_set, xzalloc(sizeof(struct fp_pmd_set)));
    shash_add(&fp_dps, name, dp);

    /* The datapath's own port, as in every OVS datapath: an internal port
     * named after it, a tap device in userspace. */
    error = netdev_open(name, fp_dp_port_open_type("internal"), &netdev);
    if (!error) {
        ovs_mutex_lock(&dp->port_mutex);
        error = fp_port_add(dp, netdev, ODPP_LOCAL);
        ovs_mutex_unlock(&dp->port_mutex);
        netdev_close(netdev);
    }
    if (error) {
        VLOG_WARN("%s: could not create the local port (%s)",
                  name, ovs_strerror(error));
        free_dp(dp);
        return error;
    }
    *dpp = dp;
    return 0;
}

/* The upcall callback of a datapath being freed. */
static int
refuse_upcall(const struct dp_packet *packet OVS_UNUSED,
              const struct flow *flow OVS_UNUSED, ovs_u128 *ufid OVS_UNUSED,
              unsigned pmd_id OVS_UNUSED,
              enum dpif_upcall_type type OVS_UNUSED,
              const struct nlattr *userdata OVS_UNUSED,
              struct ofpbuf *actions OVS_UNUSED,
              struct flow_wildcards *wc OVS_UNUSED,
              struct ofpbuf *put_actions OVS_UNUSED, void *aux OVS_UNUSED)
{
    return ENODEV;
}

static void
free_dp(struct fp_dp *dp)
    OVS_REQUIRES(fp_dps_mutex)
{
    struct fp_port *port;

    shash_find_and_delete(&fp_dps, dp->name);

    /* A PMD thread that stops takes the upcall lock as it exits (the
     * fat_rwlock's per-thread slot): let them have it, with a callback
     * that refers to nothing that its owner may have freed. */
    if (dp->upcalls_disabled) {
        dp->upcall_cb = refuse_upcall;
        dp->upcall_aux = NULL;
        dp->upcalls_disabled = false;
        fat_rwlock_unlock(&dp->upcall_rwlock);
    }

    /* Without ports, reconfiguration stops every PMD; then the ports
     * go. */
    ovs_mutex_lock(&dp->port_mutex);
    HMAP_FOR_EACH (port, node, &dp->ports) {
        cmap_remove(&dp->ports_rcu, &port->cnode,
                    hash_int(odp_to_u32(port->port_no), 0));
    }
    struct hmap ports = HMAP_INITIALIZER(&ports);
    hmap_swap(&ports, &dp->ports);
    fp_sched_reconfigure(dp);
    HMAP_FOR_EACH_POP (port, node, &ports) {
        netdev_restore_flags(port->sf);
        fp_port_free(port);
    }
    hmap_destroy(&ports);
    ovs_mutex_unlock(&dp->port_mutex);

    ovs_mutex_lock(&dp->flow_mutex);
    fp_flow_table_flush(&dp->flows);
    ovs_mutex_unlock(&dp->flow_mutex);

    /* Let every RCU callback that refers to the datapath's tables run. */
    ovsrcu_synchronize();

    conntrack_destroy(dp->conntrack);
    fp_meters_destroy(&dp->meters);
    fp_bonds_destroy(&dp->bonds);
    fp_flow_table_destroy(&dp->flows);
    fp_dp_flow_expire_flushed(dp, LLONG_MAX);
    hmap_destroy(&dp->flushed);
    ovs_mutex_destroy(&dp->flow_mutex);
    seq_destroy(dp->port_seq);
    cmap_destroy(&dp->ports_rcu);
    hmap_destroy(&dp->ports);
    ovs_mutex_destroy(&dp->port_mutex);
    fat_rwlock_destroy(&dp->upcall_rwlock);
    fp_thread_uninit(&dp->non_pmd);
    ovs_mutex_destroy(&dp->non_pmd_mutex);
    free(ovsrcu_get_protected(struct fp_pmd_set *, &dp->pmd_set));
    free(dp->pmd_cmask);
    free(dp->pmd_cmask_refused);
    free(dp->name);
    free(dp->type);
    free(dp);
}

/* The PMD threads of 'dp', by core id.  Valid until the caller
 * quiesces. */
const struct fp_pmd_set *
fp_dp_pmds(const struct fp_dp *dp)
{
    return ovsrcu_get(struct fp_pmd_set *, &dp->pmd_set);
}

const char *
fp_pmd_cmask_problem(const char *cmask)
{
    const char *p = cmask;
    struct ovs_numa_dump *cores;
    bool none;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
    }
    if (!*p) {
        return "it has no digits";
    }
    for (; *p; p++) {
        if (!isxdigit((unsigned char) *p)) {
            return "it must be a hexadecimal number";
        }
    }
    cores = ovs_numa_dump_cores_with_cmask(cmask);
    none = !ovs_numa_dump_count(cores);
    ovs_numa_dump_destroy(cores);
    return none ? "it selects no core of this machine" : NULL;
}

/* Applies the settings of the Open_vSwitch table's other_config: for the
 * engine as a whole, vhost-sock-dir (fastpath-vhost ports made from now
 * on), fastpath-mempool-mbufs (mempools made from now on) and vlan-limit
 * (VLAN headers parsed into flows); for 'dp', flow-limit and pmd-cpu-mask.  A mask that no PMD could run on is refused,
 * with a warning, and the threads stay as they are: OVS would take it as
 * "no core" and stop polling every PMD port. */
int
fp_dp_set_config(struct fp_dp *dp, const struct smap *other_config)
{
    const char *cmask = smap_get(other_config, "pmd-cpu-mask");

    fp_vhost_set_sock_dir(smap_get_def(other_config, "vhost-sock-dir", ""));
    fp_mempool_set_config(smap_get(other_config, "fastpath-mempool-mbufs"));
    fp_upcall_set_flow_limit(dp, other_config);
    /* The packet parser's VLAN depth is the process's: in process,
     * ovs-vswitchd's bridge has set the same already. */
    flow_limit_vlans(smap_get_int(other_config, "vlan-limit", 1));
    if (cmask && !cmask[0]) {
        cmask = NULL;
    }
    ovs_mutex_lock(&dp->port_mutex);
    if (cmask && !nullable_string_is_equal(cmask, dp->pmd_cmask)) {
        const char *problem = fp_pmd_cmask_problem(cmask);

        if (problem) {
            if (!nullable_string_is_equal(cmask, dp->pmd_cmask_refused)) {
                VLOG_WARN("%s: other_config:pmd-cpu-mask=%s is invalid: %s;"
                          " PMD threads stay on %s", dp->name, cmask,
                          problem, dp->pmd_cmask ? dp->pmd_cmask
                                                 : "the default cores");
                free(dp->pmd_cmask_refused);
                dp->pmd_cmask_refused = xstrdup(cmask);
            }
            ovs_mutex_unlock(&dp->port_mutex);
            return 0;
        }
    }
    free(dp->pmd_cmask_refused);
    dp->pmd_cmask_refused = NULL;
    if (!nullable_string_is_equal(cmask, dp->pmd_cmask)) {
        free(dp->pmd_cmask);
        dp->pmd_cmask = nullable_xstrdup(cmask);
        VLOG_INFO("%s: pmd-cpu-mask is %s", dp->name,
                  cmask ? cmask : "unset, one PMD per NUMA node");
        fp_sched_reconfigure(dp);
        fp_port_remove_failed(dp);
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return 0;
}

/* Sums the counters of every thread of 'dp' into 'values'.  Takes no lock:
 * an upcall reaches this from a PMD while the main thread may hold
 * 'port_mutex' and wait for that PMD. */
void
fp_dp_get_stats(struct fp_dp *dp, uint64_t values[FP_N_STATS])
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);

    /* ofproto-dpif's flow limit reads the flow count here. */
    fp_upcall_note_flow_count(dp, fp_dp_flow_count(dp), time_msec());
    memset(values, 0, FP_N_STATS * sizeof values[0]);
    fp_stats_accumulate(values, &set->retired);
    fp_stats_accumulate(values, &dp->non_pmd.stats);
    for (size_t i = 0; i < set->n; i++) {
        fp_stats_accumulate(values, &set->pmds[i]->ctx.stats);
    }
}

void
fp_thread_init(struct fp_thread *t, unsigned id, int txq_id)
{
    t->id = id;
    t->txq_id = txq_id;
    fp_stats_init(&t->stats);
    t->emc = fp_emc_create();
    t->fastcache = fp_fastcache_create();
    t->fast_flow = xzalloc(sizeof *t->fast_flow);
    t->flow_shard = fp_flow_shard_get();
    t->ct_cache = NULL;
    t->misses = NULL;
    fp_bond_stats_init(&t->bond_stats);
    t->now = time_msec();
    t->recirc_depth = 0;
    t->n_tx = 0;
    t->out_port = NULL;
    t->out_port_no = ODPP_NONE;
}

void
fp_thread_uninit(struct fp_thread *t)
{
    fp_emc_destroy(t->emc);
    t->emc = NULL;
    fp_fastcache_destroy(t->fastcache);
    t->fastcache = NULL;
    free(t->fast_flow);
    t->fast_flow = NULL;
    fp_flow_shard_put(t->flow_shard);
    fp_ct_thread_uninit(t);
    fp_bond_stats_destroy(&t->bond_stats);
}

const char *
fp_dp_name(const struct fp_dp *dp)
{
    return dp->name;
}

const char *
fp_dp_type(const struct fp_dp *dp)
{
    return dp->type;
}

/* The netdev type that a port of type 'type' is opened with: an internal
 * port is a tap device, as in OVS's userspace datapath. */
const char *
fp_dp_port_open_type(const char *type)
{
    return strcmp(type, "internal") ? type : "tap";
}

static void
fill_thread_info(struct fp_thread_info *info, const struct fp_stats *stats)
{
    fp_stats_read(stats, info->stats);
}

static int
compare_rxq_infos(const void *a_, const void *b_)
{
    const struct fp_rxq_info *a = a_, *b = b_;
    int cmp = strcmp(a->port, b->port);

    return cmp ? cmp : a->qid - b->qid;
}

/* Describes the polling threads of 'dp': its PMDs by core id, then the
 * main thread, '*n' in all.  Runs in the main thread. */
struct fp_thread_info *
fp_dp_thread_list(struct fp_dp *dp, size_t *n)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    struct fp_thread_info *infos = xcalloc(set->n + 1, sizeof *infos);
    struct fp_thread_info *main_info = &infos[set->n];
    struct fp_port **ports;
    size_t n_ports;

    for (size_t i = 0; i < set->n; i++) {
        struct fp_pmd *pmd = set->pmds[i];
        struct fp_thread_info *info = &infos[i];

        info->is_pmd = true;
        info->core_id = pmd->core_id;
        info->numa_id = pmd->numa_id;
        fill_thread_info(info, &pmd->ctx.stats);
        ovs_mutex_lock(&pmd->mutex);
        info->rxqs = xcalloc(pmd->n_shown + 1, sizeof *info->rxqs);
        for (size_t q = 0; q < pmd->n_shown; q++) {
            info->rxqs[q].port = xstrdup(pmd->shown[q].port->name);
            info->rxqs[q].qid = pmd->shown[q].qid;
        }
        info->n_rxqs = pmd->n_shown;
        ovs_mutex_unlock(&pmd->mutex);
        qsort(info->rxqs, info->n_rxqs, sizeof *info->rxqs,
              compare_rxq_infos);
    }

    main_info->is_pmd = false;
    fill_thread_info(main_info, &dp->non_pmd.stats);
    ovs_mutex_lock(&dp->port_mutex);
    ports = fp_dp_sorted_ports(dp, &n_ports);
    for (size_t p = 0; p < n_ports; p++) {
        const struct fp_port *port = ports[p];

        if (port->is_pmd) {
            continue;
        }
        for (int q = 0; q < port->n_rxq; q++) {
            main_info->rxqs = xrealloc(main_info->rxqs,
                                       (main_info->n_rxqs + 1)
                                       * sizeof *main_info->rxqs);
            main_info->rxqs[main_info->n_rxqs++] = (struct fp_rxq_info) {
                .port = xstrdup(port->name),
                .qid = q,
            };
        }
    }
    free(ports);
    ovs_mutex_unlock(&dp->port_mutex);

    *n = set->n + 1;
    return infos;
}

void
fp_thread_info_list_free(struct fp_thread_info *infos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t q = 0; q < infos[i].n_rxqs; q++) {
            free(infos[i].rxqs[q].port);
        }
        free(infos[i].rxqs);
    }
    free(infos);
}

/* Clears the counters of every polling thread, as pmd-stats-clear does:
 * each keeps counting, from a new base. */
void
fp_dp_clear_stats(struct fp_dp *dp)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);

    for (size_t i = 0; i < set->n; i++) {
        fp_stats_clear(&set->pmds[i]->ctx.stats);
    }
    fp_stats_clear(&CONST_CAST(struct fp_pmd_set *, set)->retired);
    fp_stats_clear(&dp->non_pmd.stats);
}

const struct odp_support *
fp_dp_odp_support(void)
{
    return &fp_odp_support;
}

void
fp_dp_register_upcall(struct fp_dp *dp, upcall_callback *cb, void *aux)
{
    dp->upcall_aux = aux;
    dp->upcall_cb = cb;
}

void
fp_dp_enable_upcall(struct fp_dp *dp)
{
    if (dp->upcalls_disabled) {
        dp->upcalls_disabled = false;
        fat_rwlock_unlock(&dp->upcall_rwlock);
    }
}

void
fp_dp_disable_upcall(struct fp_dp *dp)
{
    if (!dp->upcalls_disabled) {
        fat_rwlock_wrlock(&dp->upcall_rwlock);
        dp->upcalls_disabled = true;
    }
}

/* Meters, with the semantics of the dpif's meter_* members. */
void
fp_dp_meter_features(struct ofputil_meter_features *features)
{
    fp_meters_get_features(features);
}

int
fp_dp_meter_set(struct fp_dp *dp, uint32_t id,
                const struct ofputil_meter_config *config)
{
    return fp_meters_set(&dp->meters, id, config);
}

int
fp_dp_meter_get(struct fp_dp *dp, uint32_t id,
                struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    return fp_meters_get(&dp->meters, id, stats, n_bands);
}

int
fp_dp_meter_del(struct fp_dp *dp, uint32_t id,
                struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    return fp_meters_del(&dp->meters, id, stats, n_bands);
}

int
fp_dp_bond_add(struct fp_dp *dp, uint32_t bond_id,
               const odp_port_t members[BOND_BUCKETS])
{
    return fp_bonds_add(&dp->bonds, bond_id, members);
}

int
fp_dp_bond_del(struct fp_dp *dp, uint32_t bond_id)
{
    return fp_bonds_del(&dp->bonds, bond_id);
}

/* Sums the bytes that every polling thread sent on each bucket of bond
 * 'bond_id' into 'n_bytes'. */
int
fp_dp_bond_stats_get(struct fp_dp *dp, uint32_t bond_id,
                     uint64_t n_bytes[BOND_BUCKETS])
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);

    memset(n_bytes, 0, BOND_BUCKETS * sizeof n_bytes[0]);
    fp_bond_stats_sum(&dp->non_pmd.bond_stats, bond_id, n_bytes);
    for (size_t i = 0; i < set->n; i++) {
        fp_bond_stats_sum(&set->pmds[i]->ctx.bond_stats, bond_id, n_bytes);
    }
    return 0;
}

struct fp_bond_info *
fp_dp_bond_list(struct fp_dp *dp, size_t *n)
{
    struct fp_bond_info *infos = fp_bonds_list(&dp->bonds, n);

    for (size_t i = 0; i < *n; i++) {
        fp_dp_bond_stats_get(dp, infos[i].bond_id, infos[i].n_bytes);
    }
    return infos;
}

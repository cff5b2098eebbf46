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

#include <config.h>
#include "fp-datapath.h"

#include <errno.h>
#include <string.h>
#include "conntrack.h"
#include "coverage.h"
#include "fp-emc.h"
#include "fp-pmd.h"
#include "fp-sched.h"
#include "dpif-provider.h"
#include "netdev.h"
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

COVERAGE_DEFINE(fp_rx_error);

/* Upper bound of batches taken from one rx queue per run() of the non-PMD
 * thread, so that one busy port cannot starve ovs-vswitchd's main loop. */
enum { FP_NON_PMD_MAX_BATCHES = 4 };

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

static int create_dp(const struct dpif_class *, const char *name,
                     struct fp_dp **);
static void free_dp(struct fp_dp *);
static int port_add__(struct fp_dp *, struct netdev *, odp_port_t)
    OVS_REQUIRES(dp->port_mutex);
static void port_del__(struct fp_dp *, struct fp_port *)
    OVS_REQUIRES(dp->port_mutex);
static odp_port_t choose_port(struct fp_dp *) OVS_REQUIRES(dp->port_mutex);
static void remove_failed_ports(struct fp_dp *) OVS_REQUIRES(dp->port_mutex);

/* Opens the datapath called 'name', creating it if 'create' is true and it
 * does not exist.  Returns 0 and a new reference in '*dpp', or ENODEV. */
int
fp_dp_open(const struct dpif_class *class, const char *name, bool create,
           struct fp_dp **dpp)
{
    struct fp_dp *dp;
    int error = 0;

    ovs_mutex_lock(&fp_dps_mutex);
    dp = shash_find_data(&fp_dps, name);
    if (dp) {
        if (dp->class != class) {
            error = EINVAL;
        } else {
            *dpp = fp_dp_ref(dp);
        }
    } else if (create) {
        error = create_dp(class, name, dpp);
        if (!error) {
            *dpp = fp_dp_ref(*dpp);
        }
    } else {
        error = ENODEV;
    }
    ovs_mutex_unlock(&fp_dps_mutex);
    return error;
}

struct fp_dp *
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

void
fp_dp_enumerate(const struct dpif_class *class, struct sset *names)
{
    struct shash_node *node;

    ovs_mutex_lock(&fp_dps_mutex);
    SHASH_FOR_EACH (node, &fp_dps) {
        struct fp_dp *dp = node->data;

        if (dp->class == class) {
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
create_dp(const struct dpif_class *class, const char *name,
          struct fp_dp **dpp)
    OVS_REQUIRES(fp_dps_mutex)
{
    struct netdev *netdev;
    struct fp_dp *dp;
    int error;

    dp = xzalloc(sizeof *dp);
    dp->name = xstrdup(name);
    dp->class = class;
    ovs_refcount_init(&dp->ref_cnt);
    ovs_mutex_init(&dp->port_mutex);
    hmap_init(&dp->ports);
    cmap_init(&dp->ports_rcu);
    dp->port_seq = seq_create();
    ovs_mutex_init(&dp->flow_mutex);
    fp_flow_table_init(&dp->flows);
    fat_rwlock_init(&dp->upcall_rwlock);
    /* Upcalls stay disabled until ofproto-dpif enables them. */
    fat_rwlock_wrlock(&dp->upcall_rwlock);
    dp->conntrack = conntrack_init();
    fp_meters_init(&dp->meters);
    /* Recursive: an upcall from the main thread's packet path may come back
     * through execute() (ofproto-dpif sends an ARP request for a tunnel). */
    ovs_mutex_init_recursive(&dp->non_pmd_mutex);
    fp_thread_init(&dp->non_pmd, FP_NON_PMD_ID, 0);
    atomic_init(&dp->n_tx_threads, 1);
    ovsrcu_set_hidden(&dp->pmd_set, xzalloc(sizeof(struct fp_pmd_set)));
    fp_stats_init(&dp->retired_stats);
    shash_add(&fp_dps, name, dp);

    /* The datapath's own port, as in every OVS datapath: an internal port
     * named after it, a tap device in userspace. */
    error = netdev_open(name, class->port_open_type(class, "internal"),
                        &netdev);
    if (!error) {
        ovs_mutex_lock(&dp->port_mutex);
        error = port_add__(dp, netdev, ODPP_LOCAL);
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

static void
free_dp(struct fp_dp *dp)
    OVS_REQUIRES(fp_dps_mutex)
{
    struct fp_port *port;

    shash_find_and_delete(&fp_dps, dp->name);

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
    fp_flow_table_destroy(&dp->flows);
    ovs_mutex_destroy(&dp->flow_mutex);
    seq_destroy(dp->port_seq);
    cmap_destroy(&dp->ports_rcu);
    hmap_destroy(&dp->ports);
    ovs_mutex_destroy(&dp->port_mutex);
    fat_rwlock_unlock(&dp->upcall_rwlock);
    fat_rwlock_destroy(&dp->upcall_rwlock);
    fp_thread_uninit(&dp->non_pmd);
    ovs_mutex_destroy(&dp->non_pmd_mutex);
    free(ovsrcu_get_protected(struct fp_pmd_set *, &dp->pmd_set));
    free(dp->pmd_cmask);
    free(dp->name);
    free(dp);
}

/* Adds 'netdev' to 'dp' as port '*port_nop', or as a free port number if
 * that is ODPP_NONE.  Returns EBUSY if the requested number is in use,
 * EEXIST if a port of that name is already there. */
int
fp_dp_port_add(struct fp_dp *dp, struct netdev *netdev, odp_port_t *port_nop)
{
    odp_port_t port_no;
    int error;

    char namebuf[NETDEV_VPORT_NAME_BUFSIZE];
    const char *name = netdev_vport_get_dpif_port(netdev, namebuf,
                                                  sizeof namebuf);

    ovs_mutex_lock(&dp->port_mutex);
    if (fp_dp_port_find_by_name(dp, name)) {
        error = EEXIST;
    } else if (*port_nop != ODPP_NONE) {
        port_no = *port_nop;
        error = fp_dp_port_find(dp, port_no) ? EBUSY : 0;
    } else {
        port_no = choose_port(dp);
        error = port_no == ODPP_NONE ? EFBIG : 0;
    }
    if (!error) {
        error = port_add__(dp, netdev, port_no);
        if (!error) {
            *port_nop = port_no;
        }
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return error;
}

int
fp_dp_port_del(struct fp_dp *dp, odp_port_t port_no)
{
    struct fp_port *port;
    int error = 0;

    ovs_mutex_lock(&dp->port_mutex);
    port = fp_dp_port_find(dp, port_no);
    if (!port) {
        error = ENOENT;
    } else if (port_no == ODPP_LOCAL) {
        error = EINVAL;
    } else {
        port_del__(dp, port);
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return error;
}

struct fp_port *
fp_dp_port_find(const struct fp_dp *dp, odp_port_t port_no)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;

    HMAP_FOR_EACH_WITH_HASH (port, node, hash_int(odp_to_u32(port_no), 0),
                             &dp->ports) {
        if (port->port_no == port_no) {
            return port;
        }
    }
    return NULL;
}

struct fp_port *
fp_dp_port_find_by_name(const struct fp_dp *dp, const char *name)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    return NULL;
}

/* Returns the port numbered 'port_no' for packet processing, or NULL.  The
 * port stays valid until the caller quiesces. */
struct fp_port *
fp_dp_port_lookup_rcu(const struct fp_dp *dp, odp_port_t port_no)
{
    struct fp_port *port;

    CMAP_FOR_EACH_WITH_HASH (port, cnode, hash_int(odp_to_u32(port_no), 0),
                             &dp->ports_rcu) {
        if (port->port_no == port_no) {
            return port;
        }
    }
    return NULL;
}

static odp_port_t
choose_port(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    for (uint32_t no = 1; no < UINT16_MAX; no++) {
        if (!fp_dp_port_find(dp, u32_to_odp(no))) {
            return u32_to_odp(no);
        }
    }
    return ODPP_NONE;
}

/* Applies the configuration that the port's netdev has pending (queue
 * counts, MTU, ...), then opens its rx queues.  Returns 0 or the reason
 * the port cannot receive. */
int
fp_port_open_rxqs(struct fp_dp *dp OVS_UNUSED, struct fp_port *port)
{
    struct netdev *netdev = port->netdev;
    int error;

    if (netdev_is_reconf_required(netdev)) {
        error = netdev_reconfigure(netdev);
        if (error && error != EOPNOTSUPP) {
            VLOG_ERR("%s: reconfiguration failed (%s)",
                     netdev_get_name(netdev), ovs_strerror(error));
            return error;
        }
    }

    port->n_rxq = netdev_n_rxq(netdev);
    port->rxqs = xcalloc(port->n_rxq, sizeof *port->rxqs);
    for (int i = 0; i < port->n_rxq; i++) {
        error = netdev_rxq_open(netdev, &port->rxqs[i], i);
        if (error == EOPNOTSUPP && !i) {
            /* Nothing to receive from (a tunnel port): packets come in
             * through tnl_pop on another port. */
            fp_port_close_rxqs(port);
            break;
        } else if (error) {
            VLOG_ERR("%s: cannot receive packets on this port (%s)",
                     netdev_get_name(netdev), ovs_strerror(error));
            fp_port_close_rxqs(port);
            return error;
        }
    }
    port->n_txq = netdev_n_txq(netdev);
    return 0;
}

void
fp_port_close_rxqs(struct fp_port *port)
{
    for (int i = 0; i < port->n_rxq; i++) {
        netdev_rxq_close(port->rxqs[i]);
    }
    free(port->rxqs);
    port->rxqs = NULL;
    port->n_rxq = 0;
}

/* Adds 'netdev' as port 'port_no'.  A PMD port's device is set up by the
 * reconfiguration that follows, once the number of sending threads is
 * known, so that it is set up once; if that fails, the port is not
 * added. */
static int
port_add__(struct fp_dp *dp, struct netdev *netdev, odp_port_t port_no)
    OVS_REQUIRES(dp->port_mutex)
{
    char namebuf[NETDEV_VPORT_NAME_BUFSIZE];
    struct fp_port *port;
    int error;

    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->name = xstrdup(netdev_vport_get_dpif_port(netdev, namebuf,
                                                    sizeof namebuf));
    port->netdev = netdev_ref(netdev);
    port->type = xstrdup(netdev_get_type(netdev));
    port->is_pmd = netdev_is_pmd(netdev);

    if (!port->is_pmd) {
        error = fp_port_open_rxqs(dp, port);
        if (error) {
            fp_port_free(port);
            return error;
        }
    }

    error = netdev_turn_flags_on(netdev, NETDEV_PROMISC, &port->sf);
    if (error == EOPNOTSUPP) {
        /* A tunnel port has no flags to turn on. */
        port->sf = NULL;
    } else if (error) {
        fp_port_free(port);
        return error;
    }

    uint32_t hash = hash_int(odp_to_u32(port_no), 0);
    hmap_insert(&dp->ports, &port->node, hash);
    cmap_insert(&dp->ports_rcu, &port->cnode, hash);
    if (port->is_pmd) {
        fp_sched_reconfigure(dp);
        error = port->error;
        if (error) {
            /* Its device could not be set up (logged): not added. */
            port_del__(dp, port);
            return error;
        }
    }
    seq_change(dp->port_seq);
    VLOG_INFO("%s: added port %s (type %s) as port %"PRIu32
              " with %d rx queue(s)", dp->name, port->name,
              port->type, odp_to_u32(port_no), port->n_rxq);
    return 0;
}

void
fp_port_free(struct fp_port *port)
{
    fp_port_close_rxqs(port);
    free(port->name);
    free(port->type);
    netdev_close(port->netdev);
    free(port);
}

static void
port_del__(struct fp_dp *dp, struct fp_port *port)
    OVS_REQUIRES(dp->port_mutex)
{
    hmap_remove(&dp->ports, &port->node);
    cmap_remove(&dp->ports_rcu, &port->cnode,
                hash_int(odp_to_u32(port->port_no), 0));
    seq_change(dp->port_seq);
    if (port->is_pmd) {
        /* The PMDs let go of the port's queues before they close. */
        fp_sched_reconfigure(dp);
    }
    netdev_restore_flags(port->sf);
    port->sf = NULL;
    VLOG_INFO("%s: removed port %s", dp->name, port->name);
    ovsrcu_postpone(fp_port_free, port);
}

/* Takes out of the datapath each port whose device failed to take new
 * configuration, as OVS's userspace datapath does: ofproto-dpif sees the
 * port go, and the bridge's next attempt to add it reports the error in
 * the Interface's 'error' column. */
static void
remove_failed_ports(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;

    HMAP_FOR_EACH_SAFE (port, node, &dp->ports) {
        if (port->error) {
            VLOG_ERR("%s: port %s cannot run (%s): removed from the "
                     "datapath", dp->name, port->name,
                     ovs_strerror(port->error));
            port_del__(dp, port);
        }
    }
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct fp_port *const *a = a_;
    const struct fp_port *const *b = b_;
    uint32_t pa = odp_to_u32((*a)->port_no), pb = odp_to_u32((*b)->port_no);

    return pa < pb ? -1 : pa > pb;
}

/* Returns the ports of 'dp' by port number, in an array of '*n' that the
 * caller frees. */
struct fp_port **
fp_dp_sorted_ports(const struct fp_dp *dp, size_t *n)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port **ports = xmalloc((hmap_count(&dp->ports) + 1)
                                     * sizeof *ports);
    struct fp_port *port;

    *n = 0;
    HMAP_FOR_EACH (port, node, &dp->ports) {
        ports[(*n)++] = port;
    }
    qsort(ports, *n, sizeof *ports, compare_ports);
    return ports;
}

/* The PMD threads of 'dp', by core id.  Valid until the caller
 * quiesces. */
const struct fp_pmd_set *
fp_dp_pmds(const struct fp_dp *dp)
{
    return ovsrcu_get(struct fp_pmd_set *, &dp->pmd_set);
}

/* Applies the datapath settings of the Open_vSwitch table's other_config:
 * pmd-cpu-mask. */
int
fp_dp_set_config(struct fp_dp *dp, const struct smap *other_config)
{
    const char *cmask = smap_get(other_config, "pmd-cpu-mask");

    ovs_mutex_lock(&dp->port_mutex);
    if (!nullable_string_is_equal(cmask, dp->pmd_cmask)) {
        free(dp->pmd_cmask);
        dp->pmd_cmask = nullable_xstrdup(cmask);
        VLOG_INFO("%s: pmd-cpu-mask is %s", dp->name,
                  cmask ? cmask : "unset, one PMD per NUMA node");
        fp_sched_reconfigure(dp);
        remove_failed_ports(dp);
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return 0;
}

/* Polls the ports that have no PMD thread of their own, from ovs-vswitchd's
 * main loop. */
void
fp_dp_run(struct fp_dp *dp)
{
    struct fp_thread *t = &dp->non_pmd;
    struct fp_port *port;

    ovs_mutex_lock(&dp->port_mutex);
    if (fp_sched_reconf_required(dp)) {
        fp_sched_reconfigure(dp);
        remove_failed_ports(dp);
    }
    ovs_mutex_unlock(&dp->port_mutex);

    ovs_mutex_lock(&dp->non_pmd_mutex);
    CMAP_FOR_EACH (port, cnode, &dp->ports_rcu) {
        if (port->is_pmd) {
            continue;
        }
        for (int i = 0; i < port->n_rxq; i++) {
            for (int n = 0; n < FP_NON_PMD_MAX_BATCHES; n++) {
                struct dp_packet_batch batch;
                int error;

                dp_packet_batch_init(&batch);
                error = netdev_rxq_recv(port->rxqs[i], &batch, NULL);
                if (error) {
                    if (error != EAGAIN && error != EOPNOTSUPP) {
                        static struct vlog_rate_limit rl
                            = VLOG_RATE_LIMIT_INIT(1, 5);

                        /* A device that went down (a veth whose peer is
                         * gone) is reported by its netdev and in the
                         * Interface's link state: not an error here. */
                        COVERAGE_INC(fp_rx_error);
                        VLOG_RL(&rl, error == ENETDOWN ? VLL_DBG : VLL_ERR,
                                "%s: rx error (%s)",
                                netdev_get_name(port->netdev),
                                ovs_strerror(error));
                    }
                    break;
                }
                t->now = time_msec();
                fp_input_batch(dp, t, &batch, port->port_no);
            }
        }
    }
    ovs_mutex_unlock(&dp->non_pmd_mutex);
}

void
fp_dp_wait(struct fp_dp *dp)
{
    struct fp_port *port;

    CMAP_FOR_EACH (port, cnode, &dp->ports_rcu) {
        if (port->is_pmd) {
            /* fp_dp_run() applies a device's new configuration. */
            netdev_wait_reconf_required(port->netdev);
            continue;
        }
        for (int i = 0; i < port->n_rxq; i++) {
            netdev_rxq_wait(port->rxqs[i]);
        }
    }
}

/* Sums the counters of every thread of 'dp' into 'values'.  Takes no lock:
 * an upcall reaches this from a PMD while the main thread may hold
 * 'port_mutex' and wait for that PMD. */
void
fp_dp_get_stats(struct fp_dp *dp, uint64_t values[FP_N_STATS])
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);

    memset(values, 0, FP_N_STATS * sizeof values[0]);
    fp_stats_accumulate(values, &dp->retired_stats);
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
    t->now = time_msec();
    t->recirc_depth = 0;
    t->n_tx = 0;
}

void
fp_thread_uninit(struct fp_thread *t)
{
    fp_emc_destroy(t->emc);
    t->emc = NULL;
}

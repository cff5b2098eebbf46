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
#include "dpif-provider.h"
#include "netdev.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
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

const struct odp_support fp_odp_support = {
    .max_vlan_headers = SIZE_MAX,
    .max_mpls_depth = SIZE_MAX,
    .recirc = true,
    .ct_state = true,
    .ct_zone = true,
    .ct_mark = true,
    .ct_label = true,
    .ct_state_nat = true,
    .ct_orig_tuple = true,
    .ct_orig_tuple6 = true,
    .nd_ext = true,
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
static int port_open_rxqs(struct fp_port *);
static void port_close_rxqs(struct fp_port *);

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
    ovs_mutex_init(&dp->non_pmd_mutex);
    fp_thread_init(&dp->non_pmd, FP_NON_PMD_ID, 0);
    atomic_init(&dp->n_tx_threads, 1);
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

    ovs_mutex_lock(&dp->port_mutex);
    HMAP_FOR_EACH_SAFE (port, node, &dp->ports) {
        port_del__(dp, port);
    }
    ovs_mutex_unlock(&dp->port_mutex);

    ovs_mutex_lock(&dp->flow_mutex);
    fp_flow_table_flush(&dp->flows);
    ovs_mutex_unlock(&dp->flow_mutex);

    /* Let every RCU callback that refers to the datapath's tables run. */
    ovsrcu_synchronize();

    conntrack_destroy(dp->conntrack);
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

    ovs_mutex_lock(&dp->port_mutex);
    if (fp_dp_port_find_by_name(dp, netdev_get_name(netdev))) {
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
        if (!strcmp(netdev_get_name(port->netdev), name)) {
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
 * counts, MTU, ...), then opens its rx queues. */
static int
port_open_rxqs(struct fp_port *port)
{
    struct netdev *netdev = port->netdev;
    int error;

    if (netdev_is_pmd(netdev)) {
        /* One tx queue per polling thread, as far as the device allows. */
        netdev_set_tx_multiq(netdev, FP_MAX_TXQS);
    }
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
        if (error) {
            VLOG_ERR("%s: cannot receive packets on this port (%s)",
                     netdev_get_name(netdev), ovs_strerror(error));
            port_close_rxqs(port);
            return error;
        }
    }
    port->n_txq = netdev_n_txq(netdev);
    return 0;
}

static void
port_close_rxqs(struct fp_port *port)
{
    for (int i = 0; i < port->n_rxq; i++) {
        netdev_rxq_close(port->rxqs[i]);
    }
    free(port->rxqs);
    port->rxqs = NULL;
    port->n_rxq = 0;
}

static int
port_add__(struct fp_dp *dp, struct netdev *netdev, odp_port_t port_no)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;
    int error;

    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->netdev = netdev_ref(netdev);
    port->type = xstrdup(netdev_get_type(netdev));

    error = port_open_rxqs(port);
    if (error) {
        goto error;
    }

    error = netdev_turn_flags_on(netdev, NETDEV_PROMISC, &port->sf);
    if (error) {
        goto error;
    }

    uint32_t hash = hash_int(odp_to_u32(port_no), 0);
    hmap_insert(&dp->ports, &port->node, hash);
    cmap_insert(&dp->ports_rcu, &port->cnode, hash);
    seq_change(dp->port_seq);
    VLOG_INFO("%s: added port %s (type %s) as port %"PRIu32
              " with %d rx queue(s)", dp->name, netdev_get_name(netdev),
              port->type, odp_to_u32(port_no), port->n_rxq);
    return 0;

error:
    port_close_rxqs(port);
    free(port->type);
    netdev_close(port->netdev);
    free(port);
    return error;
}

static void
port_free(struct fp_port *port)
{
    port_close_rxqs(port);
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
    netdev_restore_flags(port->sf);
    port->sf = NULL;
    VLOG_INFO("%s: removed port %s", dp->name,
              netdev_get_name(port->netdev));
    ovsrcu_postpone(port_free, port);
}

/* Polls the ports that have no PMD thread of their own, from ovs-vswitchd's
 * main loop. */
void
fp_dp_run(struct fp_dp *dp)
{
    struct fp_thread *t = &dp->non_pmd;
    struct fp_port *port;

    ovs_mutex_lock(&dp->non_pmd_mutex);
    CMAP_FOR_EACH (port, cnode, &dp->ports_rcu) {
        if (netdev_is_pmd(port->netdev)) {
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
                        COVERAGE_INC(fp_rx_error);
                        VLOG_ERR_RL(&rl, "%s: rx error (%s)",
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
        if (netdev_is_pmd(port->netdev)) {
            continue;
        }
        for (int i = 0; i < port->n_rxq; i++) {
            netdev_rxq_wait(port->rxqs[i]);
        }
    }
}

/* Sums the counters of every thread of 'dp' into 'sum'. */
void
fp_dp_get_stats(struct fp_dp *dp, uint64_t values[FP_N_STATS])
{
    memset(values, 0, FP_N_STATS * sizeof values[0]);
    fp_stats_accumulate(values, &dp->retired_stats);
    fp_stats_accumulate(values, &dp->non_pmd.stats);
}

void
fp_thread_init(struct fp_thread *t, unsigned id, int txq_id)
{
    t->id = id;
    t->txq_id = txq_id;
    fp_stats_init(&t->stats);
    t->now = time_msec();
    t->recirc_depth = 0;
    t->n_tx = 0;
}

void
fp_thread_uninit(struct fp_thread *t OVS_UNUSED)
{
}

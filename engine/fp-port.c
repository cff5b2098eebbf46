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

/* The ports of a datapath: adding and removing them, their rx queues, and
 * finding them, by number or name under 'port_mutex' and by number under
 * RCU for the packet path.  A PMD port's device is set up by the
 * scheduler (engine/fp-sched.c); other ports' devices here. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include <string.h>
#include "fp-sched.h"
#include "fp-port.h"
#include "netdev.h"
#include "netdev-vport.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_port);

static odp_port_t choose_port(struct fp_dp *dp) OVS_REQUIRES(dp->port_mutex);

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
        error = fp_port_add(dp, netdev, port_no);
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
        fp_port_del(dp, port);
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

/* The lowest port number that no port has, or ODPP_NONE. */
static odp_port_t
choose_port(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    size_t n;
    struct fp_port **ports = fp_dp_sorted_ports(dp, &n);
    uint32_t no = 1;            /* 0 is the local port's. */

    for (size_t i = 0; i < n && no < UINT16_MAX; i++) {
        uint32_t used = odp_to_u32(ports[i]->port_no);

        if (used > no) {
            break;
        } else if (used == no) {
            no++;
        }
    }
    free(ports);
    return no < UINT16_MAX ? u32_to_odp(no) : ODPP_NONE;
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
int
fp_port_add(struct fp_dp *dp, struct netdev *netdev, odp_port_t port_no)
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
    port->added = time_msec();
    /* Until reconfiguration sets its device up. */
    atomic_init(&port->paused, port->is_pmd);

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
            fp_port_del(dp, port);
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

void
fp_port_del(struct fp_dp *dp, struct fp_port *port)
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
void
fp_port_remove_failed(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;

    HMAP_FOR_EACH_SAFE (port, node, &dp->ports) {
        if (port->error) {
            VLOG_ERR("%s: port %s cannot run (%s): removed from the "
                     "datapath", dp->name, port->name,
                     ovs_strerror(port->error));
            fp_port_del(dp, port);
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


static void
fill_info(const struct fp_port *port, struct fp_port_info *info)
{
    info->port_no = port->port_no;
    info->name = xstrdup(port->name);
    info->type = xstrdup(port->type);
    info->n_rxq = port->n_rxq;
    info->is_pmd = port->is_pmd;
}

int
fp_dp_port_query_by_number(struct fp_dp *dp, odp_port_t port_no,
                           struct fp_port_info *info)
{
    struct fp_port *port;

    ovs_mutex_lock(&dp->port_mutex);
    port = fp_dp_port_find(dp, port_no);
    if (port && info) {
        fill_info(port, info);
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return port ? 0 : ENODEV;
}

int
fp_dp_port_query_by_name(struct fp_dp *dp, const char *name,
                         struct fp_port_info *info)
{
    struct fp_port *port;

    ovs_mutex_lock(&dp->port_mutex);
    port = fp_dp_port_find_by_name(dp, name);
    if (port && info) {
        fill_info(port, info);
    }
    ovs_mutex_unlock(&dp->port_mutex);
    return port ? 0 : ENODEV;
}

/* Returns the ports of 'dp' by number, '*n' of them, to be freed with
 * fp_port_info_list_free(). */
struct fp_port_info *
fp_dp_port_list(struct fp_dp *dp, size_t *n)
{
    struct fp_port_info *infos;
    struct fp_port **ports;

    ovs_mutex_lock(&dp->port_mutex);
    ports = fp_dp_sorted_ports(dp, n);
    infos = xcalloc(*n + 1, sizeof *infos);
    for (size_t i = 0; i < *n; i++) {
        fill_info(ports[i], &infos[i]);
    }
    free(ports);
    ovs_mutex_unlock(&dp->port_mutex);
    return infos;
}

void
fp_port_info_destroy(struct fp_port_info *info)
{
    if (info) {
        free(info->name);
        free(info->type);
    }
}

void
fp_port_info_list_free(struct fp_port_info *infos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fp_port_info_destroy(&infos[i]);
    }
    free(infos);
}

struct seq *
fp_dp_port_seq(const struct fp_dp *dp)
{
    return dp->port_seq;
}

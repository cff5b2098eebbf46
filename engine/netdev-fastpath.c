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

/* Port type "fastpath": a DPDK ethdev named by options:devargs.
 *
 * Life cycle
 * ==========
 *
 * set_config() validates the options and attaches the device the first
 * time (so that "no such device" and "already in use" reach the Interface's
 * error column at once), then records the *requested* queue counts and
 * descriptor numbers.  set_mtu() and set_tx_multiq() record requests too.
 * Any request that differs from what the device runs with calls
 * netdev_request_reconfigure(); the datapath then closes its rx queues,
 * calls reconfigure(), which stops, configures and starts the ethdev, and
 * opens the rx queues again.
 *
 * Packets
 * =======
 *
 * OVS is built with DPDK, so a dp_packet *is* an rte_mbuf followed by OVS's
 * metadata in the mbuf's private area.  rxq_recv() hands the mbufs that the
 * device filled to the datapath as they are; send() transmits mbufs as they
 * are, whatever mempool they come from, and copies only packets that are not
 * mbufs (from Linux ports, the controller, ...) into mbufs of the port's
 * mempool, counting each copy in the coverage counter fp_netdev_tx_copy.
 * Whatever the device refuses is freed and counted in tx_dropped: every
 * packet handed to send() is transmitted or freed exactly once.
 *
 * Mempools are shared by the ports of one NUMA socket and one MTU.
 *
 * Locking
 * =======
 *
 * 'fp_mutex' guards the list of devices and every member of
 * every device that configuration and status calls use.  The data path
 * (rxq_recv(), send()) takes no lock except a tx queue's spinlock when the
 * datapath says that threads share that queue; it reads members that only
 * reconfigure() changes, which the datapath calls only while it has
 * stopped using the port. */

#include <config.h>
#include "netdev-fastpath.h"

#include <errno.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "coverage.h"
#include "dp-packet.h"
#include "dpdk.h"
#include "fp-dpdk-log.h"
#include "fp-mempool.h"
#include "fp-refusal.h"
#include "netdev-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "packets.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(netdev_fastpath);

COVERAGE_DEFINE(fp_netdev_bad_config);
COVERAGE_DEFINE(fp_netdev_tx_copy);
COVERAGE_DEFINE(fp_netdev_tx_drop);
COVERAGE_DEFINE(fp_netdev_tx_nombuf);
COVERAGE_DEFINE(fp_netdev_tx_too_big);

/* The options of a "fastpath" port, named as OVS-DPDK names them. */
static const char *const fastpath_options[] = {
    "devargs", "n_rxq", "n_rxq_desc", "n_txq_desc", "tx-retries-max",
    "dpdk-lsc-interrupt", NULL,
};

enum {
    FP_MIN_MTU = 68,              /* IPv4's minimum. */
    FP_MAX_MTU = 9710,            /* Largest jumbo frame NICs commonly take,
                                   * and an mbuf data room that fits the
                                   * 16-bit length DPDK gives it. */
};

/* One tx queue's lock and byte count, on a cache line of their own. */
struct fp_txq {
    PADDED_MEMBERS(CACHE_LINE_SIZE,
        rte_spinlock_t lock;    /* Taken only when threads share the queue. */
        atomic_uint64_t tx_bytes;   /* Bytes the device took, for devices
                                     * that count packets and not bytes
                                     * (net_null).  Written by the thread
                                     * that owns the queue, or under
                                     * 'lock'. */
    );
};

struct netdev_fastpath {
    struct netdev up;
    struct ovs_list list_node;  /* In 'fp_devs', by 'fp_mutex'. */

    /* The device, once attached. */
    char *devargs;              /* What it was attached with, or NULL. */
    uint16_t port_id;           /* Valid only if 'devargs' is nonnull. */
    bool probed;                /* Attached by us: to be removed by us. */
    bool started;
    char *driver_name;
    int socket_id;
    struct eth_addr hwaddr;
    enum netdev_flags flags;
    bool lsc_capable;           /* Device can interrupt on link changes. */

    /* Configuration that the device runs with.  'up.n_rxq' and 'up.n_txq'
     * are the queue counts. */
    int mtu;
    int rxq_desc, txq_desc;
    uint32_t max_tx_len;        /* Longest packet send() transmits. */
    struct fp_mempool *mp;
    struct fp_txq *txqs;        /* 'up.n_txq' of them. */

    /* Configuration that set_config(), set_mtu(), set_tx_multiq() ask for
     * and reconfigure() applies. */
    char *req_devargs;
    int req_n_rxq, req_n_txq;
    int txq_cap;                /* Most tx queues the started device took
                                 * or would take; 0 before it started. */
    int req_rxq_desc, req_txq_desc;
    int req_mtu;
    bool req_lsc;

    struct smap options;        /* As last set, for get_config(). */
    struct fp_refusal refusal;  /* What the running port last refused. */

    /* Written by the data path. */
    atomic_uint tx_retries_max;
    atomic_uint64_t tx_dropped;
    atomic_uint64_t tx_copies;  /* Packets copied into an mbuf to send. */
    uint64_t tx_bytes_retired;  /* Of tx queues gone, by fp_mutex. */
    atomic_bool count_tx_bytes; /* Until a stats read shows that the driver
                                 * counts bytes itself: then send() stops
                                 * counting them. */
};

struct netdev_fastpath_rxq {
    struct netdev_rxq up;
    uint16_t port_id;
};

static struct ovs_mutex fp_mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_list fp_devs OVS_GUARDED_BY(fp_mutex)
    = OVS_LIST_INITIALIZER(&fp_devs);

/* The devargs whose probe last failed, by port name. */
static struct shash failed_probes OVS_GUARDED_BY(fp_mutex)
    = SHASH_INITIALIZER(&failed_probes);
static int attach(struct netdev_fastpath *, const char *devargs, char **errp)
    OVS_REQUIRES(fp_mutex);
static void detach(struct netdev_fastpath *) OVS_REQUIRES(fp_mutex);
static int device_max_mtu(const struct rte_eth_dev_info *);
static int configure_device(struct netdev_fastpath *) OVS_REQUIRES(fp_mutex);

int
fp_netdev_check_options(const char *port, const struct smap *args,
                        const char *const known[], char **errp)
{
    const struct smap_node *node;

    SMAP_FOR_EACH (node, args) {
        bool found = false;

        for (size_t i = 0; known[i]; i++) {
            if (!strcmp(node->key, known[i])) {
                found = true;
                break;
            }
        }
        if (!found) {
            COVERAGE_INC(fp_netdev_bad_config);
            *errp = xasprintf("%s: unknown option \"%s\"", port, node->key);
            return EINVAL;
        }
    }
    return 0;
}

int
fp_netdev_check_dpdk(const char *port, char **errp)
{
    if (!dpdk_available()) {
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: DPDK is not initialized: fastpath ports need "
                          "other_config:dpdk-init=true", port);
        return EOPNOTSUPP;
    }
    return 0;
}

static struct netdev_fastpath *
netdev_fastpath_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_fastpath, up);
}

static struct netdev_fastpath_rxq *
netdev_fastpath_rxq_cast(const struct netdev_rxq *rxq)
{
    return CONTAINER_OF(rxq, struct netdev_fastpath_rxq, up);
}

/* Life cycle. */

static struct netdev *
netdev_fastpath_alloc(void)
{
    struct netdev_fastpath *dev = xzalloc(sizeof *dev);

    return &dev->up;
}

static int
netdev_fastpath_construct(struct netdev *netdev)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    smap_init(&dev->options);
    dev->socket_id = SOCKET_ID_ANY;
    dev->mtu = ETH_PAYLOAD_MAX;
    dev->flags = NETDEV_UP;     /* Administratively up, as OVS-DPDK's. */
    dev->req_n_rxq = 1;
    dev->req_n_txq = 1;
    dev->req_rxq_desc = FP_DEFAULT_QUEUE_DESC;
    dev->req_txq_desc = FP_DEFAULT_QUEUE_DESC;
    dev->req_mtu = ETH_PAYLOAD_MAX;
    atomic_init(&dev->tx_retries_max, FP_DEFAULT_TX_RETRIES);
    atomic_init(&dev->tx_dropped, 0);
    atomic_init(&dev->tx_copies, 0);
    atomic_init(&dev->count_tx_bytes, true);
    /* No queues until the device is configured. */
    netdev->n_rxq = 0;
    netdev->n_txq = 0;

    ovs_mutex_lock(&fp_mutex);
    ovs_list_push_back(&fp_devs, &dev->list_node);
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

static void
netdev_fastpath_destruct(struct netdev *netdev)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    ovs_list_remove(&dev->list_node);
    detach(dev);
    ovs_mutex_unlock(&fp_mutex);
    fp_mempool_put(dev->mp);
    dev->mp = NULL;

    free_cacheline(dev->txqs);
    free(dev->req_devargs);
    free(dev->driver_name);
    smap_destroy(&dev->options);
    fp_refusal_clear(&dev->refusal);
}

static void
netdev_fastpath_dealloc(struct netdev *netdev)
{
    free(netdev_fastpath_cast(netdev));
}

/* Retires mempools whose mbufs have all come back. */
static void
netdev_fastpath_run(const struct netdev_class *class OVS_UNUSED)
{
    fp_mempool_run();
}

static void
netdev_fastpath_wait(const struct netdev_class *class OVS_UNUSED)
{
    fp_mempool_wait();
}

/* Configuration. */

static int
netdev_fastpath_get_config(const struct netdev *netdev, struct smap *args)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    smap_clone(args, &dev->options);
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

/* Parses integer option 'key' of 'args' into '*valuep', 'dflt' if it is
 * absent.  Returns 0, or EINVAL with a message in '*errp' if it is not an
 * integer between 'min' and 'max', or not a power of two when 'pow2'. */
static int
parse_int_option(const char *port, const struct smap *args, const char *key,
                 int dflt, int min, int max, bool pow2, int *valuep,
                 char **errp)
{
    const char *s = smap_get(args, key);
    int value;

    if (!s) {
        *valuep = dflt;
        return 0;
    }
    if (!str_to_int(s, 10, &value) || value < min || value > max
        || (pow2 && !is_pow2(value))) {
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: option %s=%s is invalid: it must be %s"
                          "between %d and %d", port, key, s,
                          pow2 ? "a power of two " : "", min, max);
        return EINVAL;
    }
    *valuep = value;
    return 0;
}

int
fp_netdev_parse_options(const char *port, const struct smap *args,
                        struct fp_netdev_options *opts, char **errp)
{
    int error;

    opts->devargs = smap_get(args, "devargs");
    if (!opts->devargs || !opts->devargs[0]) {
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: options:devargs is required (a PCI address "
                          "or a vdev such as net_tap0,iface=x)", port);
        return EINVAL;
    }

    error = parse_int_option(port, args, "n_rxq", 1, 1,
                             RTE_MAX_QUEUES_PER_PORT, false, &opts->n_rxq,
                             errp);
    if (!error) {
        error = parse_int_option(port, args, "n_rxq_desc",
                                 FP_DEFAULT_QUEUE_DESC, 1, FP_MAX_QUEUE_DESC,
                                 true, &opts->rxq_desc, errp);
    }
    if (!error) {
        error = parse_int_option(port, args, "n_txq_desc",
                                 FP_DEFAULT_QUEUE_DESC, 1, FP_MAX_QUEUE_DESC,
                                 true, &opts->txq_desc, errp);
    }
    if (!error) {
        error = parse_int_option(port, args, "tx-retries-max",
                                 FP_DEFAULT_TX_RETRIES, 0, FP_MAX_TX_RETRIES,
                                 false, &opts->tx_retries, errp);
    }
    opts->lsc = smap_get_bool(args, "dpdk-lsc-interrupt", false);
    return error;
}

/* A running port whose new options are refused keeps its old ones (see
 * fp-refusal.h); a new port's refusal is the bridge's Interface:error. */
static int
netdev_fastpath_set_config(struct netdev *netdev, const struct smap *args,
                           char **errp)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    const char *name = netdev_get_name(netdev);
    struct fp_netdev_options opts;
    bool running;
    int error;

    /* Unknown options first, then DPDK, then the values: the error users
     * see names the first thing to fix. */
    error = fp_netdev_check_options(name, args, fastpath_options, errp);
    if (!error) {
        error = fp_netdev_check_dpdk(name, errp);
    }
    if (!error) {
        error = fp_netdev_parse_options(name, args, &opts, errp);
    }

    ovs_mutex_lock(&fp_mutex);
    running = dev->devargs != NULL;
    if (error) {
        /* Nothing to apply. */
    } else if (!running) {
        /* Attach at once: a device that does not exist or that another port
         * uses is the error users make most. */
        error = attach(dev, opts.devargs, errp);
    } else if (strcmp(opts.devargs, dev->devargs)) {
        /* Another device for a running port: reconfigure() swaps them. */
        free(dev->req_devargs);
        dev->req_devargs = xstrdup(opts.devargs);
        netdev_request_reconfigure(netdev);
    }
    if (!error) {
        atomic_store_relaxed(&dev->tx_retries_max, opts.tx_retries);
        if (opts.n_rxq != dev->req_n_rxq
            || opts.rxq_desc != dev->req_rxq_desc
            || opts.txq_desc != dev->req_txq_desc
            || opts.lsc != dev->req_lsc || !dev->started) {
            dev->req_n_rxq = opts.n_rxq;
            dev->req_rxq_desc = opts.rxq_desc;
            dev->req_txq_desc = opts.txq_desc;
            dev->req_lsc = opts.lsc;
            netdev_request_reconfigure(netdev);
        }
        smap_destroy(&dev->options);
        smap_clone(&dev->options, args);
    }
    error = fp_refusal_end_config(&dev->refusal, netdev, running, error,
                                  errp);
    ovs_mutex_unlock(&fp_mutex);
    return error;
}

static int
netdev_fastpath_set_tx_multiq(struct netdev *netdev, unsigned int n_txq)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    n_txq = MAX(n_txq, 1);
    if (dev->req_n_txq != n_txq) {
        dev->req_n_txq = n_txq;
        /* A device that cannot have more queues than it has is not
         * restarted for the asking: a restart loses what its queues hold
         * and some drivers (net_pcap with infinite_rx) cannot set their
         * rx queues up twice. */
        if (!dev->started || MIN(n_txq, dev->txq_cap) != dev->up.n_txq) {
            netdev_request_reconfigure(netdev);
        }
    }
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

static int
netdev_fastpath_reconfigure(struct netdev *netdev)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    int error = 0;

    ovs_mutex_lock(&fp_mutex);
    if (dev->req_devargs) {
        char *devargs = dev->req_devargs;
        char *errmsg = NULL;

        dev->req_devargs = NULL;
        detach(dev);
        error = attach(dev, devargs, &errmsg);
        if (error) {
            VLOG_WARN("%s", errmsg);
        }
        free(errmsg);
        free(devargs);
    }
    if (!error) {
        error = dev->devargs ? configure_device(dev) : ENODEV;
    }
    ovs_mutex_unlock(&fp_mutex);
    netdev_change_seq_changed(netdev);
    return error;
}

/* Device attach and detach. */

static struct netdev_fastpath *
find_dev_by_port(uint16_t port_id)
    OVS_REQUIRES(fp_mutex)
{
    struct netdev_fastpath *dev;

    LIST_FOR_EACH (dev, list_node, &fp_devs) {
        if (dev->devargs && dev->port_id == port_id) {
            return dev;
        }
    }
    return NULL;
}

bool
fp_devargs_name(const char *devargs, char *name, size_t size)
{
    size_t len = strcspn(devargs, ",");

    if (len >= size) {
        return false;
    }
    memcpy(name, devargs, len);
    name[len] = '\0';
    return true;
}

/* Finds the ethdev that 'devargs' names, if it is probed already: by the
 * device name ("net_tap0" of "net_tap0,iface=x"), then by matching the
 * devargs against every port (for PCI addresses in another spelling). */
static bool
find_port(const char *devargs, uint16_t *port_idp)
{
    char name[RTE_ETH_NAME_MAX_LEN];
    struct rte_dev_iterator iter;
    uint16_t port_id;
    bool found = false;

    if (fp_devargs_name(devargs, name, sizeof name)) {
        found = !rte_eth_dev_get_port_by_name(name, port_idp);
    }
    if (!found) {
        RTE_ETH_FOREACH_MATCHING_DEV (port_id, devargs, &iter) {
            *port_idp = port_id;
            found = true;
            rte_eth_iterator_cleanup(&iter);
            break;
        }
    }
    return found;
}

static int
attach(struct netdev_fastpath *dev, const char *devargs, char **errp)
    OVS_REQUIRES(fp_mutex)
{
    const char *name = netdev_get_name(&dev->up);
    struct rte_eth_dev_info info;
    struct netdev_fastpath *owner;
    struct rte_ether_addr mac;
    bool probed = false;
    uint16_t port_id;
    int err;

    const char *failed = shash_find_data(&failed_probes, name);
    char *said = NULL;
    bool found;

    /* The bridge tries a port that failed again at each of its
     * reconfigurations: DPDK's lines about the same failure (from the
     * search as well as the probe) go to the log once, as ours do
     * (fp-refusal.h). */
    fp_dpdk_log_catch_start(failed && !strcmp(failed, devargs));
    found = find_port(devargs, &port_id);
    if (!found) {
        err = rte_dev_probe(devargs);
        said = fp_dpdk_log_catch_end();
        if (err < 0 && err != -EEXIST) {
            free(shash_replace(&failed_probes, name, xstrdup(devargs)));
        } else {
            free(shash_find_and_delete(&failed_probes, name));
        }
        if (err < 0 && err != -EEXIST) {
            /* DPDK's codes here say little (-1 from many drivers, -EFAULT
             * for a name no bus knows); what it logged says why.  Short of
             * memory, there is no such device to use. */
            int error = err == -ENOMEM ? ENOMEM : ENODEV;
            const char *args = strchr(devargs, ',');
            struct ds msg = DS_EMPTY_INITIALIZER;

            COVERAGE_INC(fp_netdev_bad_config);
            ds_put_format(&msg, "%s: could not attach DPDK device \"%s\" (%s)",
                          name, devargs, ovs_strerror(error));
            if (said) {
                ds_put_format(&msg, ": DPDK says: %s", said);
            }
            if (args && error == ENODEV) {
                /* Drivers refuse an unknown key without saying which. */
                ds_put_format(&msg, " (check the arguments \"%s\": a driver "
                              "refuses the device for an unknown key or a bad "
                              "value)", args + 1);
            }
            *errp = ds_steal_cstr(&msg);
            free(said);
            return error;
        }
        free(said);
        probed = !err;
        if (!find_port(devargs, &port_id)) {
            COVERAGE_INC(fp_netdev_bad_config);
            *errp = xasprintf("%s: devargs \"%s\" name no DPDK ethdev",
                              name, devargs);
            return ENODEV;
        }
    } else {
        free(fp_dpdk_log_catch_end());
        free(shash_find_and_delete(&failed_probes, name));
    }

    owner = find_dev_by_port(port_id);
    if (owner && owner != dev) {
        char devname[RTE_ETH_NAME_MAX_LEN];

        if (rte_eth_dev_get_name_by_port(port_id, devname)) {
            ovs_strlcpy(devname, devargs, sizeof devname);
        }
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: DPDK device %s is already in use by port %s",
                          name, devname, netdev_get_name(&owner->up));
        return EBUSY;
    }

    err = rte_eth_dev_info_get(port_id, &info);
    if (err) {
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: cannot query DPDK device \"%s\" (%s)",
                          name, devargs, rte_strerror(-err));
        return -err;
    }

    dev->devargs = xstrdup(devargs);
    dev->port_id = port_id;
    dev->probed = probed;
    dev->started = false;
    free(dev->driver_name);
    dev->driver_name = xstrdup(info.driver_name);
    atomic_store_relaxed(&dev->count_tx_bytes, true);
    dev->socket_id = rte_eth_dev_socket_id(port_id);
    if (dev->socket_id < 0) {
        /* Virtual devices belong to no socket: use the caller's. */
        dev->socket_id = rte_socket_id();
    }
    dev->lsc_capable = info.dev_flags
                       && *info.dev_flags & RTE_ETH_DEV_INTR_LSC;
    if (!rte_eth_macaddr_get(port_id, &mac)) {
        memcpy(dev->hwaddr.ea, mac.addr_bytes, ETH_ADDR_LEN);
    }
    VLOG_INFO("%s: attached DPDK device \"%s\" as port %"PRIu16
              " (driver %s, socket %d)", name, devargs, port_id,
              dev->driver_name, dev->socket_id);
    return 0;
}

static void
detach(struct netdev_fastpath *dev)
    OVS_REQUIRES(fp_mutex)
{
    const char *name = netdev_get_name(&dev->up);
    struct rte_eth_dev_info info;
    struct rte_device *rdev = NULL;
    int err;

    if (!dev->devargs) {
        return;
    }
    if (dev->started) {
        err = rte_eth_dev_stop(dev->port_id);
        if (err) {
            VLOG_WARN("%s: stopping DPDK port %"PRIu16" failed (%s)",
                      name, dev->port_id, rte_strerror(-err));
        }
        dev->started = false;
    }
    if (!rte_eth_dev_info_get(dev->port_id, &info)) {
        rdev = info.device;
    }
    rte_eth_dev_close(dev->port_id);

    if (dev->probed && rdev) {
        uint16_t port_id;
        bool others = false;

        /* Remove the device only if it has no other ethdev (a NIC with
         * several ports). */
        RTE_ETH_FOREACH_DEV_OF (port_id, rdev) {
            others = true;
        }
        if (!others) {
            err = rte_dev_remove(rdev);
            if (err < 0) {
                VLOG_WARN("%s: removing DPDK device \"%s\" failed (%s)",
                          name, dev->devargs, rte_strerror(-err));
            }
        }
    }
    VLOG_INFO("%s: detached DPDK device \"%s\"", name, dev->devargs);

    free(dev->devargs);
    dev->devargs = NULL;
    dev->probed = false;
    dev->up.n_rxq = 0;
    dev->up.n_txq = 0;
}

/* Returns the largest MTU that the device 'info' describes accepts, given
 * that DPDK checks both its MTU range and its longest frame. */
static int
device_max_mtu(const struct rte_eth_dev_info *info)
{
    uint32_t overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;

    if (info->max_mtu != UINT16_MAX && info->max_rx_pktlen > info->max_mtu) {
        overhead = info->max_rx_pktlen - info->max_mtu;
    }
    return MIN(info->max_mtu, info->max_rx_pktlen - overhead);
}

/* The bytes that the device took, as send() counted them. */
static uint64_t
own_tx_bytes(const struct netdev_fastpath *dev)
    OVS_REQUIRES(fp_mutex)
{
    uint64_t sum = dev->tx_bytes_retired;

    for (int i = 0; i < dev->up.n_txq; i++) {
        uint64_t v;

        atomic_read_relaxed(&dev->txqs[i].tx_bytes, &v);
        sum += v;
    }
    return sum;
}

static int
configure_device(struct netdev_fastpath *dev)
    OVS_REQUIRES(fp_mutex)
{
    const char *name = netdev_get_name(&dev->up);
    uint16_t port_id = dev->port_id;
    struct rte_eth_dev_info info;
    struct rte_eth_conf conf;
    struct fp_mempool *mp;
    uint16_t rxq_desc, txq_desc;
    int n_rxq, n_txq, txq_cap, max_mtu;
    int err;

    err = rte_eth_dev_info_get(port_id, &info);
    if (err) {
        VLOG_ERR("%s: cannot query DPDK port %"PRIu16" (%s)",
                 name, port_id, rte_strerror(-err));
        return -err;
    }
    n_rxq = MIN(dev->req_n_rxq, info.max_rx_queues);
    n_txq = MIN(dev->req_n_txq, info.max_tx_queues);
    txq_cap = info.max_tx_queues;
    if (!n_rxq || !n_txq) {
        VLOG_ERR("%s: device %s has no rx or no tx queue", name,
                 dev->driver_name);
        return ENODEV;
    }
    if (n_rxq < dev->req_n_rxq) {
        VLOG_WARN("%s: device %s has only %d rx queue(s), not %d", name,
                  dev->driver_name, n_rxq, dev->req_n_rxq);
    }
    max_mtu = device_max_mtu(&info);
    if (dev->req_mtu < info.min_mtu || dev->req_mtu > max_mtu) {
        COVERAGE_INC(fp_netdev_bad_config);
        VLOG_ERR("%s: MTU %d is not supported by device %s (MTU %"PRIu16
                 " to %d)", name, dev->req_mtu, dev->driver_name,
                 info.min_mtu, max_mtu);
        return EINVAL;
    }

    if (dev->started) {
        rte_eth_dev_stop(port_id);
        dev->started = false;
    }

    memset(&conf, 0, sizeof conf);
    conf.rxmode.mtu = dev->req_mtu;
    conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP
                                        | RTE_ETH_RSS_TCP)
                                       & info.flow_type_rss_offloads;
    conf.rxmode.mq_mode = (n_rxq > 1 && conf.rx_adv_conf.rss_conf.rss_hf
                           ? RTE_ETH_MQ_RX_RSS : RTE_ETH_MQ_RX_NONE);
    if (conf.rxmode.mq_mode == RTE_ETH_MQ_RX_NONE) {
        conf.rx_adv_conf.rss_conf.rss_hf = 0;
    }
    conf.intr_conf.lsc = dev->req_lsc && dev->lsc_capable;
    err = rte_eth_dev_configure(port_id, n_rxq, n_txq, &conf);
    if (err && n_txq != n_rxq) {
        /* Some devices (net_tap) want as many tx queues as rx queues:
         * threads then share tx queues, which the datapath knows from
         * n_txq. */
        VLOG_INFO("%s: device %s refuses %d rx and %d tx queue(s); trying "
                  "%d tx queue(s)", name, dev->driver_name, n_rxq, n_txq,
                  n_rxq);
        n_txq = n_rxq;
        err = rte_eth_dev_configure(port_id, n_rxq, n_txq, &conf);
        txq_cap = n_txq;
    }
    if (err) {
        VLOG_ERR("%s: device %s refuses %d rx and %d tx queue(s) with MTU "
                 "%d (%s)", name, dev->driver_name, n_rxq, n_txq,
                 dev->req_mtu, rte_strerror(-err));
        return -err;
    }

    rxq_desc = dev->req_rxq_desc;
    txq_desc = dev->req_txq_desc;
    err = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &rxq_desc, &txq_desc);
    if (err) {
        VLOG_ERR("%s: cannot fit %d rx and %d tx descriptors to device %s "
                 "(%s)", name, dev->req_rxq_desc, dev->req_txq_desc,
                 dev->driver_name, rte_strerror(-err));
        return -err;
    }

    mp = fp_mempool_get(name, dev->socket_id, dev->req_mtu,
                        fp_mempool_port_mbufs(n_rxq, n_txq, rxq_desc,
                                              txq_desc));
    if (!mp) {
        return ENOMEM;
    }
    fp_mempool_put(dev->mp);
    dev->mp = mp;

    for (int i = 0; i < n_rxq; i++) {
        err = rte_eth_rx_queue_setup(port_id, i, rxq_desc, dev->socket_id,
                                     NULL, mp->mp);
        if (err) {
            /* net_pcap with infinite_rx, for one, loads its whole file
             * into mbufs of this pool here, and says only EINVAL if they
             * are too few. */
            VLOG_ERR("%s: cannot set up rx queue %d with %"PRIu16
                     " descriptors (%s); if device %s fills its queue from "
                     "the mempool of %u mbufs, set other_config:"
                     "fastpath-mempool-mbufs to more", name, i, rxq_desc,
                     rte_strerror(-err), dev->driver_name, mp->mp->size);
            return -err;
        }
    }
    for (int i = 0; i < n_txq; i++) {
        err = rte_eth_tx_queue_setup(port_id, i, txq_desc, dev->socket_id,
                                     NULL);
        if (err) {
            VLOG_ERR("%s: cannot set up tx queue %d with %"PRIu16
                     " descriptors (%s)", name, i, txq_desc,
                     rte_strerror(-err));
            return -err;
        }
    }

    err = rte_eth_dev_start(port_id);
    if (err) {
        VLOG_ERR("%s: cannot start device %s (%s)", name, dev->driver_name,
                 rte_strerror(-err));
        return -err;
    }
    dev->started = true;
    if (dev->flags & NETDEV_PROMISC) {
        rte_eth_promiscuous_enable(port_id);
    }

    if (n_txq != dev->up.n_txq) {
        dev->tx_bytes_retired = own_tx_bytes(dev);
        free_cacheline(dev->txqs);
        dev->txqs = xzalloc_cacheline(n_txq * sizeof *dev->txqs);
        for (int i = 0; i < n_txq; i++) {
            rte_spinlock_init(&dev->txqs[i].lock);
            atomic_init(&dev->txqs[i].tx_bytes, 0);
        }
    }
    dev->up.n_rxq = n_rxq;
    dev->up.n_txq = n_txq;
    dev->txq_cap = txq_cap;
    dev->rxq_desc = rxq_desc;
    dev->txq_desc = txq_desc;
    dev->mtu = dev->req_mtu;
    dev->max_tx_len = dev->mtu + ETH_HEADER_LEN + VLAN_HEADER_LEN;
    VLOG_INFO("%s: device %s started: %d rx queue(s) of %"PRIu16
              " descriptors, %d tx queue(s) of %"PRIu16" descriptors, "
              "MTU %d", name, dev->driver_name, n_rxq, rxq_desc, n_txq,
              txq_desc, dev->mtu);
    return 0;
}

/* Packet reception. */

static struct netdev_rxq *
netdev_fastpath_rxq_alloc(void)
{
    struct netdev_fastpath_rxq *rx = xzalloc(sizeof *rx);

    return &rx->up;
}

static int
netdev_fastpath_rxq_construct(struct netdev_rxq *rxq)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(rxq->netdev);
    int error = 0;

    ovs_mutex_lock(&fp_mutex);
    if (!dev->started || rxq->queue_id >= dev->up.n_rxq) {
        error = ENODEV;
    } else {
        netdev_fastpath_rxq_cast(rxq)->port_id = dev->port_id;
    }
    ovs_mutex_unlock(&fp_mutex);
    return error;
}

static void
netdev_fastpath_rxq_destruct(struct netdev_rxq *rxq OVS_UNUSED)
{
}

static void
netdev_fastpath_rxq_dealloc(struct netdev_rxq *rxq)
{
    free(netdev_fastpath_rxq_cast(rxq));
}

static int
netdev_fastpath_rxq_recv(struct netdev_rxq *rxq,
                         struct dp_packet_batch *batch, int *qfill)
{
    struct netdev_fastpath_rxq *rx = netdev_fastpath_rxq_cast(rxq);
    struct netdev_fastpath *dev = netdev_fastpath_cast(rxq->netdev);
    uint16_t n;

    if (OVS_UNLIKELY(!(dev->flags & NETDEV_UP))) {
        /* Administratively down: the device keeps what it received. */
        if (qfill) {
            *qfill = 0;
        }
        return EAGAIN;
    }
    n = rte_eth_rx_burst(rx->port_id, rxq->queue_id,
                         (struct rte_mbuf **) batch->packets,
                         NETDEV_MAX_BURST);
    if (!n) {
        if (qfill) {
            *qfill = 0;
        }
        return EAGAIN;
    }

    /* The mbufs are the packets: give each the metadata that a new
     * dp_packet starts with. */
    for (uint16_t i = 0; i < n; i++) {
        struct dp_packet *packet = batch->packets[i];

        dp_packet_init_dpdk(packet);
        dp_packet_reset_offsets(packet);
    }
    batch->count = n;
    batch->trunc = false;
    dp_packet_batch_init_packet_fields(batch);

    if (qfill) {
        if (n == NETDEV_MAX_BURST) {
            int left = rte_eth_rx_queue_count(rx->port_id, rxq->queue_id);

            *qfill = left >= 0 ? left : -ENOTSUP;
        } else {
            *qfill = 0;
        }
    }
    return 0;
}

/* Packet transmission. */

/* Returns a new mbuf of 'dev''s mempool with a copy of 'packet', or NULL if
 * the mempool is empty. */
static struct rte_mbuf *
copy_to_mbuf(struct netdev_fastpath *dev, const struct dp_packet *packet)
{
    uint32_t size = dp_packet_size(packet);
    struct rte_mbuf *m;

    m = rte_pktmbuf_alloc(dev->mp->mp);
    if (OVS_UNLIKELY(!m)) {
        return NULL;
    }
    memcpy(rte_pktmbuf_mtod(m, void *), dp_packet_data(packet), size);
    dp_packet_set_size((struct dp_packet *) m, size);
    COVERAGE_INC(fp_netdev_tx_copy);
    return m;
}

/* Sends 'batch' on tx queue 'qid' of 'netdev', a port of type fastpath,
 * and returns how many of its packets the device took: the others were
 * dropped and counted in the port's tx_dropped. */
int
netdev_fastpath_send_counted(struct netdev *netdev, int qid,
                             struct dp_packet_batch *batch,
                             bool concurrent_txq)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    struct rte_mbuf *pkts[NETDEV_MAX_BURST];
    unsigned int n = 0, n_sent = 0, n_dropped = 0, n_too_big = 0;
    unsigned int n_copies = 0;
    unsigned int retries, max_retries;
    struct dp_packet *packet;
    uint64_t bytes = 0;
    bool count_bytes;

    if (OVS_UNLIKELY(!dev->started || !netdev->n_txq)) {
        n_dropped = dp_packet_batch_size(batch);
        dp_packet_delete_batch(batch, true);
        goto out;
    }

    dp_packet_batch_apply_cutlen(batch);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        if (OVS_UNLIKELY(dp_packet_size(packet) > dev->max_tx_len)) {
            n_too_big++;
            dp_packet_delete(packet);
        } else if (OVS_LIKELY(packet->source == DPBUF_DPDK)) {
            /* An mbuf of any mempool: the device takes it as it is. */
            bytes += dp_packet_size(packet);
            pkts[n++] = &packet->mbuf;
        } else {
            struct rte_mbuf *m = copy_to_mbuf(dev, packet);

            dp_packet_delete(packet);
            if (OVS_LIKELY(m)) {
                bytes += rte_pktmbuf_pkt_len(m);
                pkts[n++] = m;
                n_copies++;
            } else {
                COVERAGE_INC(fp_netdev_tx_nombuf);
                n_dropped++;
            }
        }
    }
    dp_packet_batch_init(batch);

    qid %= netdev->n_txq;
    atomic_read_relaxed(&dev->tx_retries_max, &max_retries);
    if (OVS_UNLIKELY(concurrent_txq)) {
        rte_spinlock_lock(&dev->txqs[qid].lock);
    }
    retries = 0;
    while (n_sent < n) {
        n_sent += rte_eth_tx_burst(dev->port_id, qid, pkts + n_sent,
                                   n - n_sent);
        if (n_sent < n && retries++ >= max_retries) {
            break;
        }
    }
    atomic_read_relaxed(&dev->count_tx_bytes, &count_bytes);
    if (OVS_UNLIKELY(count_bytes)) {
        uint64_t sum;

        /* The mbufs sent are the device's now: leave out the bytes of
         * those it refused, which are still ours. */
        for (unsigned int i = n_sent; i < n; i++) {
            bytes -= rte_pktmbuf_pkt_len(pkts[i]);
        }
        atomic_read_relaxed(&dev->txqs[qid].tx_bytes, &sum);
        atomic_store_relaxed(&dev->txqs[qid].tx_bytes, sum + bytes);
    }
    if (OVS_UNLIKELY(concurrent_txq)) {
        rte_spinlock_unlock(&dev->txqs[qid].lock);
    }

    if (OVS_UNLIKELY(n_sent < n)) {
        /* The device refused them even after retries: they are ours. */
        rte_pktmbuf_free_bulk(pkts + n_sent, n - n_sent);
        n_dropped += n - n_sent;
        COVERAGE_ADD(fp_netdev_tx_drop, n - n_sent);
        /* An overloaded device is no fault of the switch: counted (in
         * tx_dropped and the coverage counter), not warned about. */
        VLOG_DBG_RL(&rl, "%s: tx queue %d full, %u packet(s) dropped",
                    netdev_get_name(netdev), qid, n - n_sent);
    }
    if (OVS_UNLIKELY(n_too_big)) {
        COVERAGE_ADD(fp_netdev_tx_too_big, n_too_big);
        VLOG_WARN_RL(&rl, "%s: %u packet(s) longer than %"PRIu32" bytes "
                     "(MTU %d) dropped", netdev_get_name(netdev), n_too_big,
                     dev->max_tx_len, dev->mtu);
        n_dropped += n_too_big;
    }

out:
    if (OVS_UNLIKELY(n_dropped)) {
        uint64_t orig;

        atomic_add_relaxed(&dev->tx_dropped, n_dropped, &orig);
    }
    if (OVS_UNLIKELY(n_copies)) {
        uint64_t orig;

        atomic_add_relaxed(&dev->tx_copies, n_copies, &orig);
        fp_mempool_count_copies(dev->mp, n_copies);
    }
    return n_sent;
}

fp_send_counted_func *
fp_netdev_send_counted(const struct netdev *netdev)
{
    const struct netdev_class *class = netdev->netdev_class;

    return (class == &netdev_fastpath_class
            ? netdev_fastpath_send_counted
            : class == &netdev_fastpath_vhost_class
              || class == &netdev_fastpath_vhost_client_class
            ? netdev_fastpath_vhost_send_counted
            : NULL);
}

void
fp_netdev_count_tx_dropped(struct netdev *netdev, uint64_t n)
{
    const struct netdev_class *class = netdev->netdev_class;

    if (class == &netdev_fastpath_class) {
        struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
        uint64_t orig;

        atomic_add_relaxed(&dev->tx_dropped, n, &orig);
    } else if (class == &netdev_fastpath_vhost_class
               || class == &netdev_fastpath_vhost_client_class) {
        netdev_fastpath_vhost_count_tx_dropped(netdev, n);
    }
}

static int
netdev_fastpath_send(struct netdev *netdev, int qid,
                     struct dp_packet_batch *batch, bool concurrent_txq)
{
    netdev_fastpath_send_counted(netdev, qid, batch, concurrent_txq);
    return 0;
}

/* Ethernet address, MTU, flags, link. */

static int
netdev_fastpath_get_etheraddr(const struct netdev *netdev,
                              struct eth_addr *mac)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    *mac = dev->hwaddr;
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

static int
netdev_fastpath_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    int error = 0;

    ovs_mutex_lock(&fp_mutex);
    if (!eth_addr_equals(dev->hwaddr, mac)) {
        if (dev->devargs) {
            struct rte_ether_addr addr;
            int err;

            memcpy(addr.addr_bytes, mac.ea, ETH_ADDR_LEN);
            err = rte_eth_dev_default_mac_addr_set(dev->port_id, &addr);
            if (err) {
                VLOG_WARN("%s: device refuses Ethernet address "ETH_ADDR_FMT
                          " (%s)", netdev_get_name(netdev),
                          ETH_ADDR_ARGS(mac), rte_strerror(-err));
                error = -err;
            }
        }
        if (!error) {
            dev->hwaddr = mac;
            netdev_change_seq_changed(netdev);
        }
    }
    ovs_mutex_unlock(&fp_mutex);
    return error;
}

static int
netdev_fastpath_get_mtu(const struct netdev *netdev, int *mtup)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    *mtup = dev->mtu;
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

/* Records 'mtu' for reconfigure().  An MTU out of our range, or of the
 * attached device's, is refused: the port keeps the MTU it runs with. */
static int
netdev_fastpath_set_mtu(struct netdev *netdev, int mtu)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    const char *name = netdev_get_name(netdev);
    struct rte_eth_dev_info info;
    char *refusal = NULL;

    ovs_mutex_lock(&fp_mutex);
    if (mtu < FP_MIN_MTU || mtu > FP_MAX_MTU) {
        refusal = xasprintf("%s: mtu_request=%d is refused: fastpath ports "
                            "take an MTU from %d to %d (the port keeps MTU "
                            "%d)", name, mtu, FP_MIN_MTU, FP_MAX_MTU,
                            dev->mtu);
    } else if (dev->devargs && !rte_eth_dev_info_get(dev->port_id, &info)
               && (mtu < info.min_mtu || mtu > device_max_mtu(&info))) {
        refusal = xasprintf("%s: mtu_request=%d is refused: device %s takes "
                            "an MTU from %"PRIu16" to %d (the port keeps MTU "
                            "%d)", name, mtu, dev->driver_name, info.min_mtu,
                            device_max_mtu(&info), dev->mtu);
    } else if (dev->req_mtu != mtu) {
        dev->req_mtu = mtu;
        netdev_request_reconfigure(netdev);
    }
    if (refusal) {
        COVERAGE_INC(fp_netdev_bad_config);
    }
    fp_refusal_set_mtu(&dev->refusal, netdev, refusal);
    ovs_mutex_unlock(&fp_mutex);
    return refusal ? EINVAL : 0;
}

static int
netdev_fastpath_update_flags(struct netdev *netdev, enum netdev_flags off,
                             enum netdev_flags on, enum netdev_flags *old)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    enum netdev_flags flags;

    if ((on | off) & ~(NETDEV_UP | NETDEV_PROMISC)) {
        return EINVAL;
    }
    ovs_mutex_lock(&fp_mutex);
    *old = dev->flags;
    flags = (dev->flags & ~off) | on;
    if ((flags ^ dev->flags) & NETDEV_PROMISC && dev->started) {
        int err = (flags & NETDEV_PROMISC
                   ? rte_eth_promiscuous_enable(dev->port_id)
                   : rte_eth_promiscuous_disable(dev->port_id));

        if (err && err != -ENOTSUP) {
            VLOG_WARN("%s: cannot change promiscuous mode (%s)",
                      netdev_get_name(netdev), rte_strerror(-err));
        }
    }
    if (flags != dev->flags) {
        dev->flags = flags;
        netdev_change_seq_changed(netdev);
    }
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

static bool
get_link(const struct netdev_fastpath *dev, struct rte_eth_link *link)
    OVS_REQUIRES(fp_mutex)
{
    memset(link, 0, sizeof *link);
    return dev->started && !rte_eth_link_get_nowait(dev->port_id, link);
}

static int
netdev_fastpath_get_carrier(const struct netdev *netdev, bool *carrier)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    struct rte_eth_link link;

    ovs_mutex_lock(&fp_mutex);
    *carrier = get_link(dev, &link) && link.link_status == RTE_ETH_LINK_UP;
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

/* Reports the link speed as the current feature. */
static int
netdev_fastpath_get_features(const struct netdev *netdev,
                             enum netdev_features *current,
                             enum netdev_features *advertised,
                             enum netdev_features *supported,
                             enum netdev_features *peer)
{
    static const struct {
        uint32_t mbps;
        enum netdev_features half, full;
    } speeds[] = {
        { RTE_ETH_SPEED_NUM_10M, NETDEV_F_10MB_HD, NETDEV_F_10MB_FD },
        { RTE_ETH_SPEED_NUM_100M, NETDEV_F_100MB_HD, NETDEV_F_100MB_FD },
        { RTE_ETH_SPEED_NUM_1G, NETDEV_F_1GB_HD, NETDEV_F_1GB_FD },
        { RTE_ETH_SPEED_NUM_10G, NETDEV_F_10GB_FD, NETDEV_F_10GB_FD },
        { RTE_ETH_SPEED_NUM_40G, NETDEV_F_40GB_FD, NETDEV_F_40GB_FD },
        { RTE_ETH_SPEED_NUM_100G, NETDEV_F_100GB_FD, NETDEV_F_100GB_FD },
    };
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    struct rte_eth_link link;
    bool up;

    ovs_mutex_lock(&fp_mutex);
    up = get_link(dev, &link);
    ovs_mutex_unlock(&fp_mutex);

    *current = *advertised = *supported = *peer = 0;
    if (up && link.link_speed
        && link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN) {
        *current = NETDEV_F_OTHER;
        for (size_t i = 0; i < ARRAY_SIZE(speeds); i++) {
            if (speeds[i].mbps == link.link_speed) {
                *current = (link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX
                            ? speeds[i].full : speeds[i].half);
                break;
            }
        }
    }
    return 0;
}

/* Statistics and status. */

static int
netdev_fastpath_get_stats(const struct netdev *netdev,
                          struct netdev_stats *stats)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    struct rte_eth_stats rs;
    uint64_t tx_dropped;
    int err = 0;

    ovs_mutex_lock(&fp_mutex);
    memset(&rs, 0, sizeof rs);
    if (dev->devargs) {
        err = rte_eth_stats_get(dev->port_id, &rs);
    }
    if (rs.opackets && !rs.obytes) {
        /* A driver that counts packets but not bytes (net_null). */
        rs.obytes = own_tx_bytes(dev);
    } else if (rs.obytes) {
        atomic_store_relaxed(&dev->count_tx_bytes, false);
    }
    ovs_mutex_unlock(&fp_mutex);
    if (err) {
        return -err;
    }

    atomic_read_relaxed(&dev->tx_dropped, &tx_dropped);
    stats->rx_packets = rs.ipackets;
    stats->tx_packets = rs.opackets;
    stats->rx_bytes = rs.ibytes;
    stats->tx_bytes = rs.obytes;
    stats->rx_errors = rs.ierrors;
    stats->tx_errors = rs.oerrors;
    stats->rx_dropped = rs.imissed + rs.rx_nombuf;
    stats->rx_missed_errors = rs.imissed;
    stats->tx_dropped = tx_dropped;
    return 0;
}

static int
netdev_fastpath_get_status(const struct netdev *netdev, struct smap *smap)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);

    ovs_mutex_lock(&fp_mutex);
    if (dev->devargs) {
        smap_add(smap, "devargs", dev->devargs);
        smap_add(smap, "driver_name", dev->driver_name);
        smap_add_format(smap, "port_id", "%"PRIu16, dev->port_id);
        smap_add_format(smap, "numa_id", "%d", dev->socket_id);
        smap_add(smap, "started", dev->started ? "true" : "false");
    }
    fp_refusal_status(&dev->refusal, netdev, smap);
    if (dev->started) {
        smap_add_format(smap, "n_rxq", "%d", dev->up.n_rxq);
        smap_add_format(smap, "n_txq", "%d", dev->up.n_txq);
        smap_add_format(smap, "n_rxq_desc", "%d", dev->rxq_desc);
        smap_add_format(smap, "n_txq_desc", "%d", dev->txq_desc);
        smap_add_format(smap, "mtu", "%d", dev->mtu);
    }
    uint64_t tx_copies;
    atomic_read_relaxed(&dev->tx_copies, &tx_copies);
    smap_add_format(smap, "tx_copies", "%"PRIu64, tx_copies);
    if (dev->mp) {
        smap_add(smap, "mempool", dev->mp->mp->name);
        smap_add_format(smap, "mempool_in_use", "%u",
                        rte_mempool_in_use_count(dev->mp->mp));
    }
    ovs_mutex_unlock(&fp_mutex);
    return 0;
}

const struct netdev_class netdev_fastpath_class = {
    .type = "fastpath",
    .is_pmd = true,
    .run = netdev_fastpath_run,
    .wait = netdev_fastpath_wait,
    .alloc = netdev_fastpath_alloc,
    .construct = netdev_fastpath_construct,
    .destruct = netdev_fastpath_destruct,
    .dealloc = netdev_fastpath_dealloc,
    .get_config = netdev_fastpath_get_config,
    .set_config = netdev_fastpath_set_config,
    .set_tx_multiq = netdev_fastpath_set_tx_multiq,
    .reconfigure = netdev_fastpath_reconfigure,
    .send = netdev_fastpath_send,
    .set_etheraddr = netdev_fastpath_set_etheraddr,
    .get_etheraddr = netdev_fastpath_get_etheraddr,
    .get_mtu = netdev_fastpath_get_mtu,
    .set_mtu = netdev_fastpath_set_mtu,
    .get_carrier = netdev_fastpath_get_carrier,
    .get_features = netdev_fastpath_get_features,
    .get_stats = netdev_fastpath_get_stats,
    .get_status = netdev_fastpath_get_status,
    .update_flags = netdev_fastpath_update_flags,
    .rxq_alloc = netdev_fastpath_rxq_alloc,
    .rxq_construct = netdev_fastpath_rxq_construct,
    .rxq_destruct = netdev_fastpath_rxq_destruct,
    .rxq_dealloc = netdev_fastpath_rxq_dealloc,
    .rxq_recv = netdev_fastpath_rxq_recv,
};

void
fp_netdev_register_classes(void)
{
    netdev_register_provider(&netdev_fastpath_class);
    netdev_register_provider(&netdev_fastpath_vhost_class);
    netdev_register_provider(&netdev_fastpath_vhost_client_class);
}

/* Takes the three port types back, so that the detached mode's proxies
 * (dpif/netdev-fastpath-proxy.c) can have their names.  Only before any
 * device of them is open. */
void
fp_netdev_unregister_classes(void)
{
    netdev_unregister_provider(netdev_fastpath_class.type);
    netdev_unregister_provider(netdev_fastpath_vhost_class.type);
    netdev_unregister_provider(netdev_fastpath_vhost_client_class.type);
}

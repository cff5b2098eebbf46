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

/* Port types "fastpath-vhost" (vhost-user server: the socket is
 * <run directory>/<other_config:vhost-sock-dir>/<port name>) and
 * "fastpath-vhost-client" (vhost-user client of options:vhost-server-path,
 * reconnecting), on DPDK's vhost library.
 *
 * Life cycle
 * ==========
 *
 * set_config() validates the options and, the first time, registers the
 * socket, so that a bad path reaches the Interface's error column at once.
 * A guest that connects and sets up its rings asks for a reconfiguration
 * (vhost/fp-vhost-socket.c); reconfigure(), called by the datapath while
 * no thread uses the port, then gives the port one rx queue per guest tx
 * queue, a tx queue per sending thread and a mempool for its MTU, and
 * hands the guest to the data path.  The link is up from then until the
 * guest goes.
 *
 * Packets
 * =======
 *
 * rxq_recv() dequeues: the vhost library copies each frame out of guest
 * memory into an mbuf of the port's mempool, and that mbuf is the
 * dp_packet, which goes to any other port without another copy.  send()
 * enqueues: the library copies each frame into guest memory, from an mbuf
 * or from a packet in plain memory alike (it reads only the data pointer
 * and the length), and the packets are freed.  Frames longer than the MTU
 * allows, and frames for a guest that is not there or does not drain its
 * ring within options:tx-retries-max further attempts, are dropped and
 * counted in tx_dropped. */

#include <config.h>
#include "netdev-fastpath.h"
#include "fp-vhost.h"

#include <errno.h>

#include <rte_mbuf.h>
#include <rte_vhost.h>

#include "coverage.h"
#include "dp-packet.h"
#include "dpdk.h"
#include "fp-mempool.h"
#include "openvswitch/vlog.h"
#include "ovs-numa.h"
#include "ovs-rcu.h"

VLOG_DEFINE_THIS_MODULE(netdev_fastpath_vhost);

COVERAGE_DEFINE(fp_vhost_rx_runt);
COVERAGE_DEFINE(fp_vhost_tx_drop);
COVERAGE_DEFINE(fp_vhost_tx_too_big);

static const char *const vhost_options[] = {
    "tx-retries-max", NULL,
};

static const char *const vhost_client_options[] = {
    "vhost-server-path", "tx-retries-max", NULL,
};

enum {
    FP_VHOST_MIN_MTU = 68,
    FP_VHOST_MAX_MTU = 9710,
    FP_VHOST_RING_SIZE = 1024,   /* For sizing the mempool: the longest
                                  * ring a guest commonly has. */
};

/* Counters. */

static inline uint64_t
counter_read(atomic_uint64_t *c)
{
    uint64_t value;

    atomic_read_relaxed(c, &value);
    return value;
}

static inline int
int_read(atomic_int *i)
{
    int value;

    atomic_read_relaxed(i, &value);
    return value;
}

/* Life cycle. */

static struct netdev *
vhost_alloc(void)
{
    struct fp_vhost *dev = xzalloc_cacheline(sizeof *dev);

    return &dev->up;
}

static int
vhost_construct__(struct netdev *netdev, bool client)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    dev->client = client;
    ovs_list_init(&dev->node);
    dev->conn_vid = -1;
    dev->conn_numa = -1;
    dev->socket_id = SOCKET_ID_ANY;
    dev->mtu = ETH_PAYLOAD_MAX;
    dev->req_mtu = ETH_PAYLOAD_MAX;
    dev->req_n_txq = 1;
    dev->flags = NETDEV_UP;
    smap_init(&dev->options);
    atomic_init(&dev->vid, -1);
    atomic_init(&dev->tx_retries_max, FP_DEFAULT_TX_RETRIES);
    atomic_init(&dev->n_tx_map, 0);
    atomic_init(&dev->tx_dropped_unset, 0);
    for (int i = 0; i < FP_VHOST_MAX_QP; i++) {
        atomic_init(&dev->tx_map[i], 0);
    }
    /* No queues until reconfigure(). */
    netdev->n_rxq = 0;
    netdev->n_txq = 0;
    netdev_request_reconfigure(netdev);
    return 0;
}

static int
vhost_construct(struct netdev *netdev)
{
    return vhost_construct__(netdev, false);
}

static int
vhost_client_construct(struct netdev *netdev)
{
    return vhost_construct__(netdev, true);
}

/* Adds what the queues of 'dev' counted to 'stats'. */
static void
add_queue_counts(const struct fp_vhost *dev, struct netdev_stats *stats)
    OVS_REQUIRES(fp_vhost_mutex)
{
    for (int i = 0; i < dev->up.n_rxq; i++) {
        struct fp_vhost_queue *q = &dev->rxqs[i];

        stats->rx_packets += counter_read(&q->packets);
        stats->rx_bytes += counter_read(&q->bytes);
        stats->rx_dropped += counter_read(&q->dropped);
        stats->rx_errors += counter_read(&q->errors);
    }
    for (int i = 0; i < dev->up.n_txq; i++) {
        struct fp_vhost_queue *q = &dev->txqs[i];

        stats->tx_packets += counter_read(&q->packets);
        stats->tx_bytes += counter_read(&q->bytes);
        stats->tx_dropped += counter_read(&q->dropped);
        stats->tx_errors += counter_read(&q->errors);
    }
}

/* Frees the queues' counters, adding what they counted to 'base'. */
static void
free_queues(struct fp_vhost *dev)
    OVS_REQUIRES(fp_vhost_mutex)
{
    add_queue_counts(dev, &dev->base);
    free_cacheline(dev->rxqs);
    free_cacheline(dev->txqs);
    dev->rxqs = dev->txqs = NULL;
    dev->up.n_rxq = dev->up.n_txq = 0;
}

/* No thread uses the port any more (the datapath has let it go): the
 * socket can close, whatever the guest is doing. */
static void
vhost_destruct(struct netdev *netdev)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    if (fp_vhost_vid(dev) >= 0 && !dev->client) {
        VLOG_INFO("%s: removing the port while its guest is attached",
                  netdev_get_name(netdev));
    }
    fp_vhost_unregister(dev);
    ovs_mutex_lock(&fp_vhost_mutex);
    free_queues(dev);
    ovs_mutex_unlock(&fp_vhost_mutex);
    fp_mempool_put(dev->mp);
    dev->mp = NULL;
    smap_destroy(&dev->options);
    fp_refusal_clear(&dev->refusal);
}

static void
vhost_dealloc(struct netdev *netdev)
{
    free_cacheline(fp_vhost_cast(netdev));
}

static void
vhost_run(const struct netdev_class *class OVS_UNUSED)
{
    fp_vhost_run();
    fp_mempool_run();
}

static void
vhost_wait(const struct netdev_class *class OVS_UNUSED)
{
    fp_vhost_wait();
    fp_mempool_wait();
}

/* Configuration. */

static int
vhost_get_config(const struct netdev *netdev, struct smap *args)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    ovs_mutex_lock(&fp_vhost_mutex);
    smap_clone(args, &dev->options);
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

int
fp_vhost_parse_options(const char *port, const struct smap *args,
                       bool client, int *tx_retriesp,
                       const char **server_pathp, char **errp)
{
    const char *s = smap_get(args, "tx-retries-max");

    *server_pathp = NULL;
    *tx_retriesp = FP_DEFAULT_TX_RETRIES;
    if (client) {
        *server_pathp = smap_get(args, "vhost-server-path");
        if (!*server_pathp || !(*server_pathp)[0]) {
            *errp = xasprintf("%s: options:vhost-server-path is required: "
                              "the socket of the guest's vhost-user server",
                              port);
            return EINVAL;
        }
    }
    if (s && (!str_to_int(s, 10, tx_retriesp) || *tx_retriesp < 0
              || *tx_retriesp > FP_MAX_TX_RETRIES)) {
        *errp = xasprintf("%s: option tx-retries-max=%s is invalid: it must "
                          "be between 0 and %d", port, s, FP_MAX_TX_RETRIES);
        return EINVAL;
    }
    return 0;
}

/* The socket path that port 'dev' asks for: a server port's is
 * <run directory>/<vhost-sock-dir>/<port>, a client port's is its
 * options:vhost-server-path. */
static int
vhost_wanted_path(const struct fp_vhost *dev, const struct smap *args,
                  char **pathp, char **errp)
{
    if (dev->client) {
        *pathp = xstrdup(smap_get_def(args, "vhost-server-path", ""));
        return 0;
    }
    return fp_vhost_server_path(netdev_get_name(&dev->up), pathp, errp);
}

/* What set_config() does for both types once the options are parsed:
 * a new port registers its socket at the path it asks for; a running one
 * keeps the socket it has. */
static int
vhost_set_config__(struct fp_vhost *dev, const struct smap *args,
                   int retries, char **errp)
{
    const char *name = netdev_get_name(&dev->up);
    char *registered;
    char *path = NULL;
    int error;

    ovs_mutex_lock(&fp_vhost_mutex);
    registered = nullable_xstrdup(dev->path);
    ovs_mutex_unlock(&fp_vhost_mutex);

    /* A server port's socket stays where it was made, whatever
     * vhost-sock-dir says now: that applies to ports added later. */
    error = (registered && !dev->client ? 0
             : vhost_wanted_path(dev, args, &path, errp));
    if (error) {
        /* Nothing to apply. */
    } else if (!registered) {
        error = fp_vhost_check_socket_path(name, path, errp);
        if (!error) {
            error = fp_vhost_register(dev, path, errp);
        }
    } else if (path && strcmp(registered, path)) {
        *errp = xasprintf("%s: vhost-server-path of a running port cannot "
                          "change (it stays %s): delete the port and add it "
                          "again", name, registered);
        error = EBUSY;
    }
    free(registered);
    free(path);

    if (!error) {
        atomic_store_relaxed(&dev->tx_retries_max, retries);
        ovs_mutex_lock(&fp_vhost_mutex);
        smap_destroy(&dev->options);
        smap_clone(&dev->options, args);
        ovs_mutex_unlock(&fp_vhost_mutex);
    }
    return error;
}

/* Both types check, in this order, for unknown options, DPDK and the
 * values, so that the error names the first thing to fix.  A running port
 * whose new options are refused keeps its old ones (see fp-refusal.h). */
static int
vhost_set_config_common(struct netdev *netdev, const struct smap *args,
                        char **errp)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    const char *name = netdev_get_name(netdev);
    const char *unused;
    bool running;
    int retries;
    int error;

    ovs_mutex_lock(&fp_vhost_mutex);
    running = dev->path != NULL;
    ovs_mutex_unlock(&fp_vhost_mutex);

    error = fp_netdev_check_options(name, args,
                                    (dev->client ? vhost_client_options
                                     : vhost_options), errp);
    if (!error) {
        error = fp_netdev_check_dpdk(name, errp);
    }
    if (!error) {
        error = fp_vhost_parse_options(name, args, dev->client, &retries,
                                       &unused, errp);
    }
    if (!error) {
        error = vhost_set_config__(dev, args, retries, errp);
    }

    ovs_mutex_lock(&fp_vhost_mutex);
    error = fp_refusal_end_config(&dev->refusal, netdev, running, error,
                                  errp);
    ovs_mutex_unlock(&fp_vhost_mutex);
    return error;
}

static int
vhost_set_tx_multiq(struct netdev *netdev, unsigned int n_txq)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    n_txq = MAX(n_txq, 1);
    ovs_mutex_lock(&fp_vhost_mutex);
    if (dev->req_n_txq != n_txq) {
        dev->req_n_txq = n_txq;
        netdev_request_reconfigure(netdev);
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

static struct fp_vhost_queue *
alloc_queues(int n)
{
    struct fp_vhost_queue *qs = xzalloc_cacheline(MAX(n, 1) * sizeof *qs);

    for (int i = 0; i < n; i++) {
        rte_spinlock_init(&qs[i].lock);
        atomic_init(&qs[i].packets, 0);
        atomic_init(&qs[i].bytes, 0);
        atomic_init(&qs[i].dropped, 0);
        atomic_init(&qs[i].errors, 0);
    }
    return qs;
}

/* Called by the datapath while no thread uses the port: gives the data
 * path the ready guest, if there is one, with as many rx queues as the
 * guest has tx queues. */
static int
vhost_reconfigure(struct netdev *netdev)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    const char *name = netdev_get_name(netdev);
    struct fp_mempool *mp = NULL;
    int n_rxq, vid, socket_id;

    ovs_mutex_lock(&fp_vhost_mutex);
    vid = dev->conn_vid;
    n_rxq = vid >= 0 ? dev->conn_n_qp : MAX(netdev->n_rxq, 1);
    socket_id = vid >= 0 && dev->conn_numa >= 0 ? dev->conn_numa
                                                : dev->socket_id;
    if (socket_id == SOCKET_ID_ANY) {
        socket_id = rte_socket_id() == (unsigned) SOCKET_ID_ANY
                    ? 0 : (int) rte_socket_id();
    }
    if (!dev->mp || dev->mtu != dev->req_mtu
        || dev->socket_id != socket_id) {
        mp = fp_mempool_get(name, socket_id, dev->req_mtu,
                            fp_mempool_port_mbufs(n_rxq, dev->req_n_txq,
                                                  FP_VHOST_RING_SIZE,
                                                  FP_VHOST_RING_SIZE));
        if (!mp) {
            ovs_mutex_unlock(&fp_vhost_mutex);
            return ENOMEM;
        }
    }
    if (mp) {
        fp_mempool_put(dev->mp);
        dev->mp = mp;
        dev->socket_id = socket_id;
        dev->mtu = dev->req_mtu;
        dev->max_tx_len = dev->mtu + ETH_HEADER_LEN + VLAN_HEADER_LEN;
    }
    if (n_rxq != netdev->n_rxq || dev->req_n_txq != netdev->n_txq) {
        free_queues(dev);
        dev->rxqs = alloc_queues(n_rxq);
        dev->txqs = alloc_queues(dev->req_n_txq);
        netdev->n_rxq = n_rxq;
        netdev->n_txq = dev->req_n_txq;
    }
    atomic_store_relaxed(&dev->vid, vid);
    ovs_mutex_unlock(&fp_vhost_mutex);

    if (vid >= 0) {
        /* We poll the guest's tx rings: it need not kick us.  A guest gone
         * meanwhile waits for this thread (destroy_device()). */
        for (int q = 0; q < n_rxq; q++) {
            rte_vhost_enable_guest_notification(vid, 2 * q + 1, 0);
        }
        VLOG_INFO("%s: guest attached: %d rx and %d tx queue(s), MTU %d",
                  name, n_rxq, netdev->n_txq, dev->mtu);
    }
    ovs_mutex_lock(&fp_vhost_mutex);
    fp_vhost_announce(dev);
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

/* Adds 'n' to a counter of a queue that one thread uses alone, or, if
 * 'shared', that threads share. */
static inline void
counter_add(atomic_uint64_t *c, uint64_t n, bool shared)
{
    if (OVS_UNLIKELY(shared)) {
        uint64_t orig;

        atomic_add_relaxed(c, n, &orig);
    } else {
        atomic_store_relaxed(c, counter_read(c) + n);
    }
}

/* Packet reception. */

struct fp_vhost_rxq {
    struct netdev_rxq up;
};

static struct netdev_rxq *
vhost_rxq_alloc(void)
{
    struct fp_vhost_rxq *rx = xzalloc(sizeof *rx);

    return &rx->up;
}

static int
vhost_rxq_construct(struct netdev_rxq *rxq)
{
    return rxq->queue_id < rxq->netdev->n_rxq ? 0 : ENODEV;
}

static void
vhost_rxq_destruct(struct netdev_rxq *rxq OVS_UNUSED)
{
}

static void
vhost_rxq_dealloc(struct netdev_rxq *rxq)
{
    free(CONTAINER_OF(rxq, struct fp_vhost_rxq, up));
}

static int
vhost_rxq_recv(struct netdev_rxq *rxq, struct dp_packet_batch *batch,
               int *qfill)
{
    struct fp_vhost *dev = fp_vhost_cast(rxq->netdev);
    struct fp_vhost_queue *q = &dev->rxqs[rxq->queue_id];
    int vid = fp_vhost_vid(dev);
    uint64_t bytes = 0;
    int n_runts = 0;
    uint16_t n;

    if (qfill) {
        *qfill = 0;
    }
    if (OVS_UNLIKELY(vid < 0 || !(dev->flags & NETDEV_UP))) {
        return EAGAIN;
    }
    n = rte_vhost_dequeue_burst(vid, 2 * rxq->queue_id + 1, dev->mp->mp,
                                (struct rte_mbuf **) batch->packets,
                                NETDEV_MAX_BURST);
    if (!n) {
        return EAGAIN;
    }

    batch->count = 0;
    for (uint16_t i = 0; i < n; i++) {
        struct dp_packet *packet = (struct dp_packet *) batch->packets[i];
        uint32_t size = dp_packet_size(packet);

        if (OVS_UNLIKELY(size < ETH_HEADER_LEN)) {
            /* A guest's bug: nothing to switch on. */
            dp_packet_delete(packet);
            n_runts++;
            continue;
        }
        dp_packet_init_dpdk(packet);
        dp_packet_reset_offsets(packet);
        bytes += size;
        batch->packets[batch->count++] = packet;
    }
    batch->trunc = false;
    dp_packet_batch_init_packet_fields(batch);

    counter_add(&q->packets, batch->count, false);
    counter_add(&q->bytes, bytes, false);
    if (OVS_UNLIKELY(n_runts)) {
        COVERAGE_ADD(fp_vhost_rx_runt, n_runts);
        counter_add(&q->errors, n_runts, false);
        counter_add(&q->dropped, n_runts, false);
    }
    return batch->count ? 0 : EAGAIN;
}

/* Packet transmission. */

/* Sends 'batch' to the guest of vhost-user port 'netdev' on tx queue 'qid'
 * and returns how many packets the guest took; the others are counted in
 * the port's tx_dropped. */
int
netdev_fastpath_vhost_send_counted(struct netdev *netdev, int qid,
                                   struct dp_packet_batch *batch,
                                   bool concurrent_txq)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    struct rte_mbuf *pkts[NETDEV_MAX_BURST];
    unsigned int n = 0, n_sent = 0, n_too_big = 0;
    int vid = fp_vhost_vid(dev);
    unsigned int max_retries;
    struct fp_vhost_queue *q;
    struct dp_packet *packet;
    uint64_t bytes = 0;
    int n_map, vq;

    if (OVS_UNLIKELY(!netdev->n_txq)) {
        dp_packet_delete_batch(batch, true);
        return 0;
    }
    q = &dev->txqs[qid % netdev->n_txq];
    n_map = int_read(&dev->n_tx_map);
    if (OVS_UNLIKELY(vid < 0 || !n_map || !(dev->flags & NETDEV_UP))) {
        /* No guest, or none that takes packets: dropped, as a NIC with its
         * link down drops them. */
        counter_add(&q->dropped, dp_packet_batch_size(batch),
                    concurrent_txq);
        dp_packet_delete_batch(batch, true);
        return 0;
    }
    vq = int_read(&dev->tx_map[qid % n_map]);

    dp_packet_batch_apply_cutlen(batch);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        if (OVS_UNLIKELY(dp_packet_size(packet) > dev->max_tx_len)) {
            n_too_big++;
            dp_packet_delete(packet);
        } else {
            /* An mbuf, or a packet in plain memory whose rte_mbuf head
             * OVS keeps valid (data pointer, lengths, one segment): the
             * library copies from either. */
            pkts[n++] = &packet->mbuf;
        }
    }
    dp_packet_batch_init(batch);

    atomic_read_relaxed(&dev->tx_retries_max, &max_retries);
    if (OVS_UNLIKELY(concurrent_txq)) {
        rte_spinlock_lock(&q->lock);
    }
    for (unsigned int tries = 0; n_sent < n; tries++) {
        uint16_t sent = rte_vhost_enqueue_burst(vid, vq, pkts + n_sent,
                                                n - n_sent);

        n_sent += sent;
        /* A ring that took nothing will not take more at once. */
        if (!sent || tries >= max_retries) {
            break;
        }
    }
    if (OVS_UNLIKELY(concurrent_txq)) {
        rte_spinlock_unlock(&q->lock);
    }

    /* The guest has its copies: every packet goes back. */
    for (unsigned int i = 0; i < n; i++) {
        if (i < n_sent) {
            bytes += rte_pktmbuf_pkt_len(pkts[i]);
        }
        dp_packet_delete(CONTAINER_OF(pkts[i], struct dp_packet, mbuf));
    }

    counter_add(&q->packets, n_sent, concurrent_txq);
    counter_add(&q->bytes, bytes, concurrent_txq);
    if (OVS_UNLIKELY(n_sent < n || n_too_big)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        counter_add(&q->dropped, n - n_sent + n_too_big, concurrent_txq);
        if (n_sent < n) {
            COVERAGE_ADD(fp_vhost_tx_drop, n - n_sent);
        }
        if (n_too_big) {
            COVERAGE_ADD(fp_vhost_tx_too_big, n_too_big);
            counter_add(&q->errors, n_too_big, concurrent_txq);
            VLOG_WARN_RL(&rl, "%s: %u packet(s) longer than %"PRIu32" bytes "
                         "(MTU %d) dropped", netdev_get_name(netdev),
                         n_too_big, dev->max_tx_len, dev->mtu);
        }
    }
    return n_sent;
}

static int
vhost_send(struct netdev *netdev, int qid, struct dp_packet_batch *batch,
           bool concurrent_txq)
{
    netdev_fastpath_vhost_send_counted(netdev, qid, batch, concurrent_txq);
    return 0;
}

/* Ethernet address, MTU, flags, link, NUMA node. */

static int
vhost_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    ovs_mutex_lock(&fp_vhost_mutex);
    *mac = dev->hwaddr;
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

static int
vhost_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    ovs_mutex_lock(&fp_vhost_mutex);
    if (!eth_addr_equals(dev->hwaddr, mac)) {
        dev->hwaddr = mac;
        netdev_change_seq_changed(netdev);
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

static int
vhost_get_mtu(const struct netdev *netdev, int *mtup)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    ovs_mutex_lock(&fp_vhost_mutex);
    *mtup = dev->mtu;
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

/* Records 'mtu' for reconfigure(), which sizes the mempool's buffers for
 * it.  What the guest's driver uses is the guest's to set.  An MTU out of
 * range is refused: the port keeps the MTU it runs with. */
static int
vhost_set_mtu(struct netdev *netdev, int mtu)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    char *refusal = NULL;

    ovs_mutex_lock(&fp_vhost_mutex);
    if (mtu < FP_VHOST_MIN_MTU || mtu > FP_VHOST_MAX_MTU) {
        refusal = xasprintf("%s: mtu_request=%d is refused: vhost-user "
                            "ports take an MTU from %d to %d (the port keeps "
                            "MTU %d)", netdev_get_name(netdev), mtu,
                            FP_VHOST_MIN_MTU, FP_VHOST_MAX_MTU, dev->mtu);
    } else if (dev->req_mtu != mtu) {
        dev->req_mtu = mtu;
        netdev_request_reconfigure(netdev);
    }
    fp_refusal_set_mtu(&dev->refusal, netdev, refusal);
    ovs_mutex_unlock(&fp_vhost_mutex);
    return refusal ? EINVAL : 0;
}

static int
vhost_update_flags(struct netdev *netdev, enum netdev_flags off,
                   enum netdev_flags on, enum netdev_flags *old)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    if ((on | off) & ~(NETDEV_UP | NETDEV_PROMISC)) {
        return EINVAL;
    }
    ovs_mutex_lock(&fp_vhost_mutex);
    *old = dev->flags;
    dev->flags = (dev->flags & ~off) | on;
    if (dev->flags != *old) {
        netdev_change_seq_changed(netdev);
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

/* The link is up while the data path has a guest. */
static int
vhost_get_carrier(const struct netdev *netdev, bool *carrier)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    *carrier = fp_vhost_vid(dev) >= 0;
    return 0;
}

static int
vhost_get_numa_id(const struct netdev *netdev)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    int numa;

    ovs_mutex_lock(&fp_vhost_mutex);
    numa = dev->socket_id == SOCKET_ID_ANY ? NETDEV_NUMA_UNSPEC
                                           : dev->socket_id;
    ovs_mutex_unlock(&fp_vhost_mutex);
    return numa;
}

/* Statistics and status. */

static int
vhost_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);

    uint64_t unset;

    ovs_mutex_lock(&fp_vhost_mutex);
    *stats = dev->base;
    add_queue_counts(dev, stats);
    ovs_mutex_unlock(&fp_vhost_mutex);
    atomic_read_relaxed(&dev->tx_dropped_unset, &unset);
    stats->tx_dropped += unset;
    return 0;
}

void
netdev_fastpath_vhost_count_tx_dropped(struct netdev *netdev, uint64_t n)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    uint64_t orig;

    atomic_add_relaxed(&dev->tx_dropped_unset, n, &orig);
}

/* The keys of OVS-DPDK's vhost-user ports where there is one: mode,
 * socket, status, numa, features, num_of_vrings; then the queues, the MTU
 * and the mempool as fastpath ports show them. */
static int
vhost_get_status(const struct netdev *netdev, struct smap *smap)
{
    struct fp_vhost *dev = fp_vhost_cast(netdev);
    bool attached = fp_vhost_vid(dev) >= 0;

    ovs_mutex_lock(&fp_vhost_mutex);
    smap_add(smap, "mode", dev->client ? "client" : "server");
    if (dev->path) {
        smap_add(smap, "socket", dev->path);
    }
    smap_add(smap, "status", attached ? "connected" : "disconnected");
    if (attached) {
        smap_add_format(smap, "vid", "%d", dev->conn_vid);
        smap_add_format(smap, "numa", "%d", dev->conn_numa);
        smap_add_format(smap, "features", "0x%016"PRIx64,
                        dev->conn_features);
        smap_add_format(smap, "num_of_vrings", "%d", 2 * dev->conn_n_qp);
        smap_add_format(smap, "n_tx_enabled", "%d",
                        int_read(&dev->n_tx_map));
    }
    smap_add_format(smap, "n_rxq", "%d", dev->up.n_rxq);
    smap_add_format(smap, "n_txq", "%d", dev->up.n_txq);
    smap_add_format(smap, "mtu", "%d", dev->mtu);
    smap_add_format(smap, "connections", "%"PRIu64, dev->n_connects);
    fp_refusal_status(&dev->refusal, netdev, smap);
    if (dev->mp) {
        smap_add(smap, "mempool", dev->mp->mp->name);
        smap_add_format(smap, "mempool_in_use", "%u",
                        rte_mempool_in_use_count(dev->mp->mp));
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

#define FP_VHOST_CLASS_COMMON                   \
    .is_pmd = true,                             \
    .run = vhost_run,                           \
    .wait = vhost_wait,                         \
    .alloc = vhost_alloc,                       \
    .destruct = vhost_destruct,                 \
    .dealloc = vhost_dealloc,                   \
    .get_config = vhost_get_config,             \
    .set_tx_multiq = vhost_set_tx_multiq,       \
    .reconfigure = vhost_reconfigure,           \
    .send = vhost_send,                         \
    .set_etheraddr = vhost_set_etheraddr,       \
    .get_etheraddr = vhost_get_etheraddr,       \
    .get_mtu = vhost_get_mtu,                   \
    .set_mtu = vhost_set_mtu,                   \
    .get_carrier = vhost_get_carrier,           \
    .get_numa_id = vhost_get_numa_id,           \
    .get_stats = vhost_get_stats,               \
    .get_status = vhost_get_status,             \
    .update_flags = vhost_update_flags,         \
    .rxq_alloc = vhost_rxq_alloc,               \
    .rxq_construct = vhost_rxq_construct,       \
    .rxq_destruct = vhost_rxq_destruct,         \
    .rxq_dealloc = vhost_rxq_dealloc,           \
    .rxq_recv = vhost_rxq_recv

const struct netdev_class netdev_fastpath_vhost_class = {
    .type = "fastpath-vhost",
    .construct = vhost_construct,
    .set_config = vhost_set_config_common,
    FP_VHOST_CLASS_COMMON,
};

const struct netdev_class netdev_fastpath_vhost_client_class = {
    .type = "fastpath-vhost-client",
    .construct = vhost_client_construct,
    .set_config = vhost_set_config_common,
    FP_VHOST_CLASS_COMMON,
};

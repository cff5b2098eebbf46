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

#ifndef FP_VHOST_H
#define FP_VHOST_H 1

/* vhost-user ports, shared by vhost/netdev-fastpath-vhost.c (the netdev
 * classes and the data path) and vhost/fp-vhost-socket.c (the sockets and
 * the callbacks of DPDK's vhost library).
 *
 * A guest, once it has negotiated, is a vhost device with an id ('vid').
 * Its virtqueue 2q is the guest's rx ring of queue pair q, where we
 * enqueue, and 2q + 1 its tx ring, where we dequeue.  So each guest tx
 * queue is one rx queue of the netdev, and the guest rx queues that the
 * guest enables are the targets of the netdev's tx queues.
 *
 * Threads
 * =======
 *
 * The vhost library calls us from its own thread ("vhost-events").  Its
 * callbacks record what the guest negotiated under 'fp_vhost_mutex' and
 * ask for a reconfiguration; reconfigure(), which the datapath calls while
 * no thread uses the port, then gives the data path the device ('vid'),
 * its queues and its mempool.  Two things change under a running data
 * path: the tx queue map (a guest enabling or disabling rx queues), read
 * with relaxed atomics, and 'vid', which destroy_device() sets to -1 and
 * then waits out an RCU grace period, after which no thread is still in
 * a burst on the old device: the library frees it when the callback
 * returns.
 *
 * Lock order: 'fp_vhost_mutex', then the mempool module's.  No rte_vhost
 * call that can run a callback (driver register, start, unregister) or
 * take a virtqueue's lock is made with 'fp_vhost_mutex' held, because the
 * library calls the callbacks with its own locks held. */

#include "fp-refusal.h"
#include <stdbool.h>
#include <stdint.h>
#include <rte_spinlock.h>
#include "netdev-provider.h"
#include "openvswitch/list.h"
#include "openvswitch/thread.h"
#include "ovs-atomic.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

/* Most queue pairs a guest may have (DPDK 22.11's vhost library has 128). */
enum { FP_VHOST_MAX_QP = 128 };

extern struct ovs_mutex fp_vhost_mutex;

/* One queue's counters (and, for a tx queue, its lock), on a cache line of
 * its own.  A queue that one thread uses alone updates them with relaxed
 * loads and stores; a shared tx queue with atomic additions. */
struct fp_vhost_queue {
    PADDED_MEMBERS(CACHE_LINE_SIZE,
        rte_spinlock_t lock;     /* Tx: taken when threads share it. */
        atomic_uint64_t packets;
        atomic_uint64_t bytes;
        atomic_uint64_t dropped;
        atomic_uint64_t errors;  /* Rx: runt frames; tx: too long. */
    );
};

struct fp_vhost {
    struct netdev up;
    bool client;                /* Type fastpath-vhost-client.  Constant. */

    /* Under 'fp_vhost_mutex'. */
    struct ovs_list node;       /* In the registry, while 'path' is set. */
    char *path;                 /* Socket path once registered, or NULL. */
    bool closing;               /* destruct() has begun. */
    int conn_vid;               /* The ready guest's vhost device, or -1. */
    int conn_n_qp;              /* Its queue pairs... */
    int conn_numa;              /* ...the NUMA node of its memory... */
    uint64_t conn_features;     /* ...and the features it negotiated. */
    uint8_t rx_enabled[FP_VHOST_MAX_QP]; /* Guest rx rings it enabled. */
    int socket_id;              /* NUMA node of the mempool. */
    int mtu, req_mtu;
    int req_n_txq;
    enum netdev_flags flags;
    struct eth_addr hwaddr;
    struct smap options;        /* As last set, for get_config(). */
    struct fp_refusal refusal;  /* What the running port last refused. */
    uint64_t n_connects;        /* Guests that became ready. */
    bool status_changed;        /* For fp_vhost_run(). */
    long long int reannounce;   /* When to announce the change again. */

    /* The data path's, changed only by reconfigure() (below), except where
     * said. */
    atomic_int vid;             /* -1: no guest.  destroy_device() sets -1. */
    struct fp_mempool *mp;      /* Where dequeued packets go. */
    uint32_t max_tx_len;        /* Longest frame we enqueue. */
    atomic_uint tx_retries_max;
    atomic_int n_tx_map;        /* Guest rx rings enabled, and which ones */
    atomic_int tx_map[FP_VHOST_MAX_QP]; /* (virtqueue numbers): callbacks. */
    struct fp_vhost_queue *rxqs;        /* 'up.n_rxq' of them. */
    struct fp_vhost_queue *txqs;        /* 'up.n_txq' of them. */
    struct netdev_stats base;   /* What queues that went away counted. */
    atomic_uint64_t tx_dropped_unset; /* Dropped by the datapath while the
                                       * port was being set up. */
};

static inline struct fp_vhost *
fp_vhost_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct fp_vhost, up);
}

/* The data path's guest, or -1. */
static inline int
fp_vhost_vid(const struct fp_vhost *dev)
{
    int vid;

    atomic_read_relaxed(&CONST_CAST(struct fp_vhost *, dev)->vid, &vid);
    return vid;
}

/* Sockets (vhost/fp-vhost-socket.c). */
void fp_vhost_set_sock_dir(const char *subdir);
int fp_vhost_server_path(const char *port, char **pathp, char **errp);
int fp_vhost_check_socket_path(const char *port, const char *path,
                               char **errp);
int fp_vhost_register(struct fp_vhost *, const char *path, char **errp)
    OVS_EXCLUDED(fp_vhost_mutex);
void fp_vhost_unregister(struct fp_vhost *) OVS_EXCLUDED(fp_vhost_mutex);
void fp_vhost_update_tx_map(struct fp_vhost *) OVS_REQUIRES(fp_vhost_mutex);
void fp_vhost_announce(struct fp_vhost *) OVS_REQUIRES(fp_vhost_mutex);
void fp_vhost_run(void) OVS_EXCLUDED(fp_vhost_mutex);
void fp_vhost_wait(void) OVS_EXCLUDED(fp_vhost_mutex);

#endif /* fp-vhost.h */

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

/* Output queued per port while a batch is processed: see engine/fp-tx.h. */

#include <config.h>
#include "fp-tx.h"

#include <errno.h>
#include "coverage.h"
#include "netdev.h"
#include "netdev-fastpath.h"
#include "netdev-provider.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "fp-port.h"

VLOG_DEFINE_THIS_MODULE(fp_tx);

COVERAGE_DEFINE(fp_tx_error);
COVERAGE_DEFINE(fp_tx_no_send);
COVERAGE_DEFINE(fp_tx_paused);

/* Sends what 'tx' holds and counts what the device took and what it
 * refused. */
static void
tx_send(struct fp_dp *dp, struct fp_thread *t, struct fp_tx_pending *tx)
{
    struct fp_port *port = tx->port;
    struct netdev *netdev = port->netdev;
    fp_send_counted_func *send_counted;
    int n = dp_packet_batch_size(&tx->batch);
    int n_tx_threads, n_txq, qid;
    bool paused;
    int n_sent;

    if (!n) {
        return;
    }
    /* Acquire: a port that goes on after set-up shows its new device. */
    atomic_read_explicit(&port->paused, &paused, memory_order_acquire);
    if (OVS_UNLIKELY(paused)) {
        COVERAGE_INC(fp_tx_paused);
        fp_netdev_count_tx_dropped(netdev, n);
        fp_drop_batch(&t->stats, &tx->batch, FP_STAT_DROP_TX);
        return;
    }
    n_txq = MAX(port->n_txq, 1);
    qid = t->txq_id % n_txq;
    atomic_read_relaxed(&dp->n_tx_threads, &n_tx_threads);
    /* With fewer queues than threads, threads share queues and the device
     * serialises them. */
    send_counted = fp_netdev_send_counted(netdev);
    if (send_counted) {
        n_sent = send_counted(netdev, qid, &tx->batch, n_txq < n_tx_threads);
    } else {
        /* Other netdevs say only whether the whole send failed. */
        int error = netdev_send(netdev, qid, &tx->batch,
                                n_txq < n_tx_threads);

        n_sent = error && error != EAGAIN ? 0 : n;
        if (n_sent < n) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            COVERAGE_INC(fp_tx_error);
            VLOG_DBG_RL(&rl, "%s: send failed (%s)", netdev_get_name(netdev),
                        ovs_strerror(error));
        }
    }
    fp_stats_add(&t->stats, FP_STAT_TX, n_sent);
    if (OVS_UNLIKELY(n_sent < n)) {
        fp_stats_add(&t->stats, FP_STAT_DROP_TX, n - n_sent);
    }
    dp_packet_batch_init(&tx->batch);
}

/* Sends every packet that 't' has queued. */
void
fp_thread_flush(struct fp_dp *dp, struct fp_thread *t)
{
    for (int i = 0; i < t->n_tx; i++) {
        tx_send(dp, t, &t->tx[i]);
    }
    t->n_tx = 0;
    t->out_port = NULL;
}

static struct fp_tx_pending *
tx_pending(struct fp_dp *dp, struct fp_thread *t, struct fp_port *port)
{
    for (int i = 0; i < t->n_tx; i++) {
        if (t->tx[i].port == port) {
            return &t->tx[i];
        }
    }
    if (t->n_tx == FP_MAX_TX_PENDING) {
        fp_thread_flush(dp, t);
    }

    struct fp_tx_pending *tx = &t->tx[t->n_tx++];
    tx->port = port;
    dp_packet_batch_init(&tx->batch);
    return tx;
}

/* Queues the packets of 'batch', which the caller gives up, for output on
 * 'port'.  Leaves 'batch' empty. */
void
fp_tx_queue(struct fp_dp *dp, struct fp_thread *t, struct fp_port *port,
            struct dp_packet_batch *batch)
{
    struct fp_tx_pending *tx;
    struct dp_packet *packet;

    if (OVS_UNLIKELY(!port->netdev->netdev_class->send)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        /* A tunnel port sends only through tnl_push; a flow that outputs
         * to it straight (dpctl/add-flow can put one) drops. */
        COVERAGE_INC(fp_tx_no_send);
        VLOG_WARN_RL(&rl, "%s: output to port %s, which cannot send "
                     "(a tunnel port needs tnl_push): dropped", dp->name,
                     port->name);
        fp_drop_batch(&t->stats, batch, FP_STAT_DROP_UNSUPPORTED);
        return;
    }
    tx = tx_pending(dp, t, port);

    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        struct dp_packet_batch *q = &tx->batch;

        if (dp_packet_batch_is_full(q)
            || (q->count && q->packets[0]->source != packet->source)) {
            tx_send(dp, t, tx);
        }
        dp_packet_batch_add(q, packet);
    }
    dp_packet_batch_init(batch);
}

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
/* A datapath's upcalls in fastpathd (fastpathd/fastpathd-upcall.h): the
 * callback the engine's threads call, which writes each upcall as its
 * channel message into per-port queues (engine/fp-port-queues.h), and
 * their sending to the client, one port's at a time in turn. */

#include <config.h>
#include "fastpathd-upcall.h"

#include <errno.h>
#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "fp-chan.h"
#include "fp-datapath.h"
#include "fp-port-queues.h"
#include "latch.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_upcall);

COVERAGE_DEFINE(fastpathd_upcall_queued);
COVERAGE_DEFINE(fastpathd_upcall_dropped);

struct fastpathd_upcalls {
    struct fp_dp *dp;
    struct ovs_mutex mutex;
    struct fp_port_queues queues OVS_GUARDED;  /* Upcalls, as messages. */
    bool enabled OVS_GUARDED;           /* The client asked for them. */
    bool metered OVS_GUARDED;           /* Sent only against credit. */
    uint64_t credit OVS_GUARDED;        /* How many more may go. */
    struct latch wake;                  /* Set when 'queues' gain one. */
    uint64_t n_queued OVS_GUARDED;
    uint64_t n_sent OVS_GUARDED;
    uint64_t n_dropped OVS_GUARDED;
};

/* The upcall, written as the message it travels as. */
static struct ofpbuf *
upcall_create(const struct fp_dp *dp, const struct dp_packet *packet,
              const struct flow *flow, enum dpif_upcall_type type,
              const struct nlattr *userdata)
{
    struct odp_flow_key_parms parms = {
        .flow = flow,
        .support = *fp_dp_odp_support(),
    };
    struct ofpbuf *msg = ofpbuf_new(dp_packet_size(packet) + 512);
    size_t ofs;

    fp_chan_msg_start(msg, FP_CHAN_UPCALL, 0, 0);
    nl_msg_put_string(msg, FP_CHAN_A_DP_NAME, fp_dp_name(dp));
    nl_msg_put_u32(msg, FP_CHAN_A_UPCALL_TYPE, type);
    nl_msg_put_unspec(msg, FP_CHAN_A_PACKET, dp_packet_data(packet),
                      dp_packet_size(packet));
    ofs = nl_msg_start_nested(msg, FP_CHAN_A_FLOW_KEY);
    odp_flow_key_from_flow(&parms, msg);
    nl_msg_end_nested(msg, ofs);
    if (userdata) {
        nl_msg_put_unspec(msg, FP_CHAN_A_USERDATA, userdata,
                          userdata->nla_len);
    }
    fp_chan_msg_finish(msg, 0);
    return msg;
}

/* The engine's upcall callback (the dpif's upcall_callback): queues the
 * upcall and answers EAGAIN, "taken, to be answered later"; ENOBUFS if the
 * port's queue is full.  Runs on the engine's threads. */
static int
upcall_cb(const struct dp_packet *packet, const struct flow *flow,
          ovs_u128 *ufid OVS_UNUSED, unsigned pmd_id OVS_UNUSED,
          enum dpif_upcall_type type, const struct nlattr *userdata,
          struct ofpbuf *actions OVS_UNUSED,
          struct flow_wildcards *wc OVS_UNUSED,
          struct ofpbuf *put_actions OVS_UNUSED, void *aux)
{
    struct fastpathd_upcalls *u = aux;
    uint32_t port_no = odp_to_u32(flow->in_port.odp_port);
    struct ofpbuf *msg;
    bool wake;

    if (dp_packet_size(packet) > UINT16_MAX - NLA_HDRLEN) {
        return EINVAL;
    }
    /* A full queue refuses before the message is written: in a flood, the
     * queue of the flooding port is full most of the time. */
    ovs_mutex_lock(&u->mutex);
    if (fp_port_queues_is_full(&u->queues, port_no)) {
        goto full;
    }
    ovs_mutex_unlock(&u->mutex);

    /* Written outside the lock, so that the lock is held only to link. */
    msg = upcall_create(u->dp, packet, flow, type, userdata);

    ovs_mutex_lock(&u->mutex);
    wake = fp_port_queues_is_empty(&u->queues);
    if (!fp_port_queues_push(&u->queues, port_no, msg)) {
        ofpbuf_delete(msg);
        goto full;
    }
    u->n_queued++;
    ovs_mutex_unlock(&u->mutex);

    COVERAGE_INC(fastpathd_upcall_queued);
    if (wake) {
        latch_set(&u->wake);
    }
    return EAGAIN;

full:
    u->n_dropped++;
    ovs_mutex_unlock(&u->mutex);
    COVERAGE_INC(fastpathd_upcall_dropped);
    return ENOBUFS;
}

/* Makes the queues of 'dp' and registers them as its upcall callback. */
struct fastpathd_upcalls *
fastpathd_upcalls_create(struct fp_dp *dp)
{
    struct fastpathd_upcalls *u = xzalloc(sizeof *u);

    u->dp = dp;
    ovs_mutex_init(&u->mutex);
    fp_port_queues_init(&u->queues, FASTPATHD_UPCALL_QUEUE_LEN);
    latch_init(&u->wake);
    fp_dp_register_upcall(dp, upcall_cb, u);
    fp_dp_enable_upcall(dp);
    return u;
}

/* Frees 'u' once no thread can call its callback: after the engine's
 * fp_dp_disable_upcall(), which waits for the upcalls under way. */
void
fastpathd_upcalls_destroy(struct fastpathd_upcalls *u)
{
    if (u) {
        fp_dp_disable_upcall(u->dp);
        fp_port_queues_destroy(&u->queues);
        latch_destroy(&u->wake);
        ovs_mutex_destroy(&u->mutex);
        free(u);
    }
}

/* The client's dpif asks for upcalls (its recv_set), or stops asking (or
 * the client goes): then the credit ends too, and the next client's
 * dpif, if it meters, says so again. */
void
fastpathd_upcalls_set_enabled(struct fastpathd_upcalls *u, bool enabled)
{
    ovs_mutex_lock(&u->mutex);
    u->enabled = enabled;
    if (!enabled) {
        u->metered = false;
        u->credit = 0;
    }
    ovs_mutex_unlock(&u->mutex);
    latch_set(&u->wake);
}

/* The client has room for 'n' more upcalls (FP_CHAN_UPCALL_CREDIT): from
 * now on, none go beyond what it has granted. */
void
fastpathd_upcalls_add_credit(struct fastpathd_upcalls *u, uint32_t n)
{
    ovs_mutex_lock(&u->mutex);
    u->metered = true;
    u->credit += n;
    ovs_mutex_unlock(&u->mutex);
    latch_set(&u->wake);
}

/* Whether one more upcall may go to the client now. */
static bool
may_send(const struct fastpathd_upcalls *u)
    OVS_REQUIRES(u->mutex)
{
    return u->enabled && (!u->metered || u->credit);
}

/* Appends to 'tx' the queued upcalls, one port's at a time in turn, while
 * 'tx' holds less than 'max_size' bytes.  Returns how many. */
size_t
fastpathd_upcalls_send(struct fastpathd_upcalls *u, struct ofpbuf *tx,
                       size_t max_size)
{
    struct ofpbuf *msg;
    size_t n = 0;

    latch_poll(&u->wake);
    ovs_mutex_lock(&u->mutex);
    while (may_send(u) && tx->size < max_size
           && (msg = fp_port_queues_pop(&u->queues))) {
        if (u->metered) {
            u->credit--;
        }
        u->n_sent++;
        n++;
        ofpbuf_put(tx, msg->data, msg->size);
        ofpbuf_delete(msg);
    }
    ovs_mutex_unlock(&u->mutex);
    return n;
}

/* Wakes the main loop when an upcall comes into empty queues, or the
 * client's wish changes. */
void
fastpathd_upcalls_wait(struct fastpathd_upcalls *u)
{
    bool pending;

    /* Called only while the client can take more: what the last send left
     * for want of room goes now. */
    ovs_mutex_lock(&u->mutex);
    pending = may_send(u) && !fp_port_queues_is_empty(&u->queues);
    ovs_mutex_unlock(&u->mutex);
    if (pending) {
        poll_immediate_wake();
    } else {
        latch_wait(&u->wake);
    }
}

void
fastpathd_upcalls_get_stats(const struct fastpathd_upcalls *u_,
                            uint64_t *queued, uint64_t *sent,
                            uint64_t *dropped)
{
    struct fastpathd_upcalls *u = CONST_CAST(struct fastpathd_upcalls *, u_);

    ovs_mutex_lock(&u->mutex);
    *queued = u->n_queued;
    *sent = u->n_sent;
    *dropped = u->n_dropped;
    ovs_mutex_unlock(&u->mutex);
}

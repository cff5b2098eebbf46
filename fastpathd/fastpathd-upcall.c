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
 * callback the engine's threads call, the per-port queues, and their
 * sending to the client in turn. */

#include <config.h>
#include "fastpathd-upcall.h"

#include <errno.h>
#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "hash.h"
#include "fp-chan.h"
#include "fp-datapath.h"
#include "latch.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_upcall);

COVERAGE_DEFINE(fastpathd_upcall_queued);
COVERAGE_DEFINE(fastpathd_upcall_dropped);

/* One upcall, written as the message it travels as. */
struct upcall {
    struct ovs_list node;       /* In its port's 'upcalls'. */
    struct ofpbuf msg;
};

/* The upcalls of one input port. */
struct port_queue {
    struct hmap_node node;      /* In 'ports', by port number. */
    struct ovs_list ring_node;  /* In 'ring' while it holds upcalls. */
    odp_port_t port_no;
    struct ovs_list upcalls;
    size_t n;
};

struct fastpathd_upcalls {
    struct fp_dp *dp;
    struct ovs_mutex mutex;
    struct hmap ports OVS_GUARDED;      /* Of port_queue. */
    struct ovs_list ring OVS_GUARDED;   /* Ports with upcalls, in turn. */
    bool enabled OVS_GUARDED;           /* The client asked for them. */
    struct latch wake;                  /* Set when 'ring' gains a port. */
    uint64_t n_queued OVS_GUARDED;
    uint64_t n_sent OVS_GUARDED;
    uint64_t n_dropped OVS_GUARDED;
};

static struct port_queue *
port_queue_get(struct fastpathd_upcalls *u, odp_port_t port_no)
    OVS_REQUIRES(u->mutex)
{
    uint32_t hash = hash_int(odp_to_u32(port_no), 0);
    struct port_queue *q;

    HMAP_FOR_EACH_WITH_HASH (q, node, hash, &u->ports) {
        if (q->port_no == port_no) {
            return q;
        }
    }
    q = xzalloc(sizeof *q);
    q->port_no = port_no;
    ovs_list_init(&q->upcalls);
    ovs_list_init(&q->ring_node);
    hmap_insert(&u->ports, &q->node, hash);
    return q;
}

static struct upcall *
upcall_create(const struct fp_dp *dp, const struct dp_packet *packet,
              const struct flow *flow, enum dpif_upcall_type type,
              const struct nlattr *userdata)
{
    struct odp_flow_key_parms parms = {
        .flow = flow,
        .support = *fp_dp_odp_support(),
    };
    struct upcall *up = xmalloc(sizeof *up);
    size_t ofs;

    ofpbuf_init(&up->msg, dp_packet_size(packet) + 512);
    fp_chan_msg_start(&up->msg, FP_CHAN_UPCALL, 0, 0);
    nl_msg_put_string(&up->msg, FP_CHAN_A_DP_NAME, fp_dp_name(dp));
    nl_msg_put_u32(&up->msg, FP_CHAN_A_UPCALL_TYPE, type);
    nl_msg_put_unspec(&up->msg, FP_CHAN_A_PACKET, dp_packet_data(packet),
                      dp_packet_size(packet));
    ofs = nl_msg_start_nested(&up->msg, FP_CHAN_A_FLOW_KEY);
    odp_flow_key_from_flow(&parms, &up->msg);
    nl_msg_end_nested(&up->msg, ofs);
    if (userdata) {
        nl_msg_put_unspec(&up->msg, FP_CHAN_A_USERDATA, userdata,
                          userdata->nla_len);
    }
    fp_chan_msg_finish(&up->msg, 0);
    return up;
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
    struct port_queue *q;
    struct upcall *up;
    bool wake = false;

    if (dp_packet_size(packet) > UINT16_MAX - NLA_HDRLEN) {
        return EINVAL;
    }
    /* Written before the lock, so that the lock is held only to link. */
    up = upcall_create(u->dp, packet, flow, type, userdata);

    ovs_mutex_lock(&u->mutex);
    q = port_queue_get(u, flow->in_port.odp_port);
    if (q->n >= FASTPATHD_UPCALL_QUEUE_LEN) {
        u->n_dropped++;
        ovs_mutex_unlock(&u->mutex);
        COVERAGE_INC(fastpathd_upcall_dropped);
        ofpbuf_uninit(&up->msg);
        free(up);
        return ENOBUFS;
    }
    ovs_list_push_back(&q->upcalls, &up->node);
    if (!q->n++) {
        wake = ovs_list_is_empty(&u->ring);
        ovs_list_push_back(&u->ring, &q->ring_node);
    }
    u->n_queued++;
    ovs_mutex_unlock(&u->mutex);

    COVERAGE_INC(fastpathd_upcall_queued);
    if (wake) {
        latch_set(&u->wake);
    }
    return EAGAIN;
}

/* Makes the queues of 'dp' and registers them as its upcall callback. */
struct fastpathd_upcalls *
fastpathd_upcalls_create(struct fp_dp *dp)
{
    struct fastpathd_upcalls *u = xzalloc(sizeof *u);

    u->dp = dp;
    ovs_mutex_init(&u->mutex);
    hmap_init(&u->ports);
    ovs_list_init(&u->ring);
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
        struct port_queue *q;
        struct upcall *up;

        fp_dp_disable_upcall(u->dp);
        HMAP_FOR_EACH_POP (q, node, &u->ports) {
            LIST_FOR_EACH_POP (up, node, &q->upcalls) {
                ofpbuf_uninit(&up->msg);
                free(up);
            }
            free(q);
        }
        hmap_destroy(&u->ports);
        latch_destroy(&u->wake);
        ovs_mutex_destroy(&u->mutex);
        free(u);
    }
}

/* The client's dpif asks for upcalls (its recv_set), or stops asking. */
void
fastpathd_upcalls_set_enabled(struct fastpathd_upcalls *u, bool enabled)
{
    ovs_mutex_lock(&u->mutex);
    u->enabled = enabled;
    ovs_mutex_unlock(&u->mutex);
    latch_set(&u->wake);
}

/* Appends to 'tx' the queued upcalls, one port's at a time in turn, while
 * 'tx' holds less than 'max_size' bytes.  Returns how many. */
size_t
fastpathd_upcalls_send(struct fastpathd_upcalls *u, struct ofpbuf *tx,
                       size_t max_size)
{
    size_t n = 0;

    latch_poll(&u->wake);
    ovs_mutex_lock(&u->mutex);
    while (u->enabled && tx->size < max_size
           && !ovs_list_is_empty(&u->ring)) {
        struct port_queue *q = CONTAINER_OF(ovs_list_pop_front(&u->ring),
                                            struct port_queue, ring_node);
        struct upcall *up = CONTAINER_OF(ovs_list_pop_front(&q->upcalls),
                                         struct upcall, node);

        if (--q->n) {
            ovs_list_push_back(&u->ring, &q->ring_node);
        } else {
            ovs_list_init(&q->ring_node);
        }
        u->n_sent++;
        n++;
        /* The message goes out with its own copy: the lock is short. */
        ofpbuf_put(tx, up->msg.data, up->msg.size);
        ofpbuf_uninit(&up->msg);
        free(up);
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
    pending = u->enabled && !ovs_list_is_empty(&u->ring);
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

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

/* Action execution.  OVS's odp_execute_actions() walks the action list and
 * does the packet rewrites; it calls back here for the actions that need
 * the datapath: output (queued by engine/fp-tx.c), userspace, recirculation,
 * tunnels, meters and conntrack (engine/fp-ct.c).
 *
 * Ownership: a callback given 'steal' owns the batch's packets and must
 * send or free each of them; without 'steal' it must leave the caller's
 * packets as they are, working on copies if it needs to consume them.  A
 * callback that drops packets the caller still holds (a meter, a failed
 * tunnel push) frees them and empties the batch, so that nothing frees
 * them twice. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include "conntrack.h"
#include "coverage.h"
#include "flow.h"
#include "fp-ct.h"
#include "fp-tx.h"
#include "fp-exec.h"
#include "fp-input.h"
#include "fp-port.h"
#include "netdev.h"
#include "netdev-provider.h"
#include "netlink.h"
#include "odp-execute.h"
#include "odp-netlink.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_exec);

COVERAGE_DEFINE(fp_drop_no_port);
COVERAGE_DEFINE(fp_drop_unsupported);
COVERAGE_DEFINE(fp_drop_tunnel);
COVERAGE_DEFINE(fp_userspace_error);

struct fp_exec_ctx {
    struct fp_dp *dp;
    struct fp_thread *t;
    const struct fp_key_hint *hint;
};

/* Returns the port 'port_no' of 'dp' for output by 't', or NULL. */
static struct fp_port *
thread_out_port(const struct fp_dp *dp, struct fp_thread *t,
               odp_port_t port_no)
{
    if (t->out_port && t->out_port_no == port_no) {
        return t->out_port;
    }
    t->out_port = fp_dp_port_lookup_rcu(dp, port_no);
    t->out_port_no = port_no;
    return t->out_port;
}

static void exec_cb(void *ctx, struct dp_packet_batch *,
                    const struct nlattr *action, bool steal);
static void exec_output(struct fp_exec_ctx *, struct dp_packet_batch *,
                        odp_port_t, bool steal);

/* Executes 'actions' on every packet of 'batch', whose packets all have
 * the key fields in 'hint'.  With 'steal', the packets are consumed;
 * otherwise they are left to the caller. */
void
fp_execute_actions(struct fp_dp *dp, struct fp_thread *t,
                   struct dp_packet_batch *batch, bool steal,
                   const struct fp_key_hint *hint,
                   const struct nlattr *actions, size_t actions_len)
{
    struct fp_exec_ctx ctx = { .dp = dp, .t = t, .hint = hint };

    if (!actions_len) {
        if (steal) {
            fp_drop_batch(&t->stats, batch, FP_STAT_DROP_ACTION);
        }
        return;
    }
    if (steal && actions_len == NL_A_U32_SIZE
        && nl_attr_type(actions) == OVS_ACTION_ATTR_OUTPUT) {
        /* The most common actions of all, a single output, need neither
         * the interpreter nor its callback. */
        exec_output(&ctx, batch, nl_attr_get_odp_port(actions), true);
        return;
    }
    odp_execute_actions(&ctx, batch, steal, actions, actions_len, exec_cb);
}

void
fp_key_hint_from_flow(struct fp_key_hint *hint, const struct flow *flow)
{
    hint->dl_type = flow->dl_type;
    hint->tp_src = flow->tp_src;
    hint->tp_dst = flow->tp_dst;
}

static void
drop_batch(struct fp_thread *t, struct dp_packet_batch *batch, bool steal,
           enum fp_stat reason)
{
    if (steal) {
        fp_drop_batch(&t->stats, batch, reason);
    }
}

/* Returns the packets an action may consume: 'batch' itself if the
 * caller gives them up ('steal'), else copies of them in 'copy' (the
 * originals keep no cut length).  Either way truncated as a trunc() action
 * asked. */
static struct dp_packet_batch *
take_packets(struct dp_packet_batch *batch, bool steal,
             struct dp_packet_batch *copy)
{
    if (!steal) {
        dp_packet_batch_clone(copy, batch);
        dp_packet_batch_reset_cutlen(batch);
        batch = copy;
    }
    dp_packet_batch_apply_cutlen(batch);
    return batch;
}

static void
exec_output(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
            odp_port_t port_no, bool steal)
{
    struct fp_port *port = thread_out_port(ctx->dp, ctx->t, port_no);
    struct dp_packet_batch copy;

    if (!port) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        /* Normal for a moment after a port goes, until the revalidators
         * update the megaflows that output to it: counted, not warned. */
        COVERAGE_INC(fp_drop_no_port);
        VLOG_DBG_RL(&rl, "%s: output to port %"PRIu32", which does not "
                    "exist", ctx->dp->name, odp_to_u32(port_no));
        drop_batch(ctx->t, batch, steal, FP_STAT_DROP_NO_PORT);
        return;
    }

    /* Queue the packets for the port: fp_thread_flush() sends them. */
    fp_tx_queue(ctx->dp, ctx->t, port, take_packets(batch, steal, &copy));
}

/* Pushes the tunnel header in place: the actions that follow (from the
 * underlay bridge's pipeline) output the encapsulated packets. */
static void
exec_tnl_push(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
              const struct nlattr *a, bool steal)
{
    const struct ovs_action_push_tnl *data = nl_attr_get(a);
    struct fp_port *tnl;

    if (steal) {
        /* Nothing would use the result. */
        dp_packet_delete_batch(batch, true);
        return;
    }
    tnl = fp_dp_port_lookup_rcu(ctx->dp, data->tnl_port);
    dp_packet_batch_apply_cutlen(batch);
    if (!tnl || !tnl->netdev->netdev_class->push_header
        || netdev_push_header(tnl->netdev, batch, data)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_drop_tunnel);
        VLOG_WARN_RL(&rl, "%s: tunnel port %"PRIu32": cannot push tunnel "
                     "header", ctx->dp->name, odp_to_u32(data->tnl_port));
        fp_drop_batch(&ctx->t->stats, batch, FP_STAT_DROP_TUNNEL);
    }
}

/* Sends each packet on the member of bond 'bond_id' that its hash's bucket
 * names.  Without the bond (just removed), the packets are dropped. */
static void
exec_lb_output(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
               uint32_t bond_id, bool steal)
{
    const struct fp_bond *bond = fp_bonds_lookup(&ctx->dp->bonds, bond_id);
    struct fp_bond_stats *stats;
    struct dp_packet_batch copy, one;
    struct dp_packet *packet;

    if (!bond) {
        COVERAGE_INC(fp_drop_no_port);
        drop_batch(ctx->t, batch, steal, FP_STAT_DROP_NO_PORT);
        return;
    }
    stats = fp_bond_stats_get(&ctx->t->bond_stats, bond_id);
    batch = take_packets(batch, steal, &copy);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        odp_port_t member = fp_bond_choose(bond, stats, packet);
        struct fp_port *port = fp_dp_port_lookup_rcu(ctx->dp, member);

        dp_packet_batch_init_packet(&one, packet);
        if (port) {
            fp_tx_queue(ctx->dp, ctx->t, port, &one);
        } else {
            COVERAGE_INC(fp_drop_no_port);
            drop_batch(ctx->t, &one, true, FP_STAT_DROP_NO_PORT);
        }
    }
    dp_packet_batch_init(batch);
}

static void
exec_tnl_pop(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
             odp_port_t port_no, bool steal)
{
    struct fp_port *tnl = fp_dp_port_lookup_rcu(ctx->dp, port_no);
    struct dp_packet_batch copy, *b = batch;
    struct dp_packet *packet;
    size_t n;

    if (!tnl) {
        COVERAGE_INC(fp_drop_no_port);
        drop_batch(ctx->t, batch, steal, FP_STAT_DROP_NO_PORT);
        return;
    }
    if (OVS_UNLIKELY(!tnl->netdev->netdev_class->pop_header)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        /* tnl_pop() of a port that is not a tunnel (dpctl/add-flow can
         * name any port). */
        COVERAGE_INC(fp_drop_tunnel);
        VLOG_WARN_RL(&rl, "%s: tnl_pop(%s): not a tunnel port", ctx->dp->name,
                     tnl->name);
        drop_batch(ctx->t, batch, steal, FP_STAT_DROP_TUNNEL);
        return;
    }
    b = take_packets(batch, steal, &copy);
    n = dp_packet_batch_size(b);
    /* Takes the outer headers off into the packets' tunnel metadata; frees
     * the packets that do not decapsulate. */
    netdev_pop_header(tnl->netdev, b);
    fp_stats_add(&ctx->t->stats, FP_STAT_DROP_TUNNEL,
                 n - dp_packet_batch_size(b));
    if (!dp_packet_batch_is_empty(b)) {
        DP_PACKET_BATCH_FOR_EACH (i, packet, b) {
            packet->md.in_port.odp_port = port_no;
        }
        fp_input_recirc(ctx->dp, ctx->t, b);
    }
    if (steal) {
        dp_packet_batch_init(batch);
    }
}

/* Hands each packet to ofproto-dpif (a packet-in, a sample, a slow-path
 * flow) and executes the actions it answers with, if any, on the packet
 * itself: this function owns the packets it passes on (the batch's, or
 * copies of them), and each one ends in those actions or is freed here,
 * once. */
static void
exec_userspace(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
               const struct nlattr *a, bool steal)
{
    const struct nlattr *userdata;
    struct dp_packet_batch copy;
    struct dp_packet *packet;

    userdata = nl_attr_find_nested(a, OVS_USERSPACE_ATTR_USERDATA);
    batch = take_packets(batch, steal, &copy);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        uint64_t stub[512 / 8];
        struct fp_key_hint hint;
        struct ofpbuf actions;
        struct flow flow;
        ovs_u128 ufid;
        int error;

        flow_extract(packet, &flow);
        odp_flow_key_hash(&flow, sizeof flow, &ufid);
        ofpbuf_use_stub(&actions, stub, sizeof stub);

        if (fat_rwlock_tryrdlock(&ctx->dp->upcall_rwlock)) {
            error = ENODEV;
        } else {
            error = ctx->dp->upcall_cb(packet, &flow, &ufid, PMD_ID_NULL,
                                       DPIF_UC_ACTION, userdata, &actions,
                                       NULL, NULL, ctx->dp->upcall_aux);
            fat_rwlock_unlock(&ctx->dp->upcall_rwlock);
        }
        if (error == ENOBUFS) {
            /* fastpathd's queue for the client is full: it counts it. */
            fp_stats_add(&ctx->t->stats, FP_STAT_LOST, 1);
        } else if (error && error != EAGAIN && error != ENOSPC) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            COVERAGE_INC(fp_userspace_error);
            VLOG_WARN_RL(&rl, "%s: userspace action failed (%s)",
                         ctx->dp->name, ovs_strerror(error));
            fp_stats_add(&ctx->t->stats, FP_STAT_LOST, 1);
        }
        /* ENOSPC: the actions come, but no flow may be installed (which
         * ofproto-dpif always says of these upcalls).  EAGAIN: it handled
         * the packet and has no actions for it. */
        if ((!error || error == ENOSPC) && actions.size) {
            struct dp_packet_batch one;

            fp_key_hint_from_flow(&hint, &flow);
            dp_packet_batch_init_packet(&one, packet);
            fp_execute_actions(ctx->dp, ctx->t, &one, true, &hint,
                               actions.data, actions.size);
        } else {
            dp_packet_delete(packet);
        }
        ofpbuf_uninit(&actions);
    }
    dp_packet_batch_init(batch);
}

static void
exec_recirc(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
            uint32_t recirc_id, bool steal)
{
    struct dp_packet_batch copy, *b = batch;
    struct dp_packet *packet;

    if (!steal) {
        dp_packet_batch_clone(&copy, batch);
        b = &copy;
    }
    DP_PACKET_BATCH_FOR_EACH (i, packet, b) {
        packet->md.recirc_id = recirc_id;
    }
    fp_input_recirc(ctx->dp, ctx->t, b);
    if (steal) {
        dp_packet_batch_init(batch);
    }
}

static void
exec_cb(void *ctx_, struct dp_packet_batch *batch, const struct nlattr *a,
        bool steal)
{
    struct fp_exec_ctx *ctx = ctx_;
    enum ovs_action_attr type = nl_attr_type(a);

    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
        exec_output(ctx, batch, nl_attr_get_odp_port(a), steal);
        return;

    case OVS_ACTION_ATTR_USERSPACE:
        exec_userspace(ctx, batch, a, steal);
        return;

    case OVS_ACTION_ATTR_RECIRC:
        exec_recirc(ctx, batch, nl_attr_get_u32(a), steal);
        return;

    case OVS_ACTION_ATTR_CT:
        fp_ct_execute(ctx->dp, ctx->t, batch, a, ctx->hint);
        if (steal) {
            /* ct() was the last action: nothing else uses the packets. */
            dp_packet_delete_batch(batch, true);
        }
        return;

    case OVS_ACTION_ATTR_METER:
        /* Frees the packets it drops and takes them out of the batch. */
        fp_stats_add(&ctx->t->stats, FP_STAT_DROP_METER,
                     fp_meters_apply(&ctx->dp->meters, nl_attr_get_u32(a),
                                     batch, ctx->t->now));
        if (steal) {
            dp_packet_delete_batch(batch, true);
        }
        return;

    case OVS_ACTION_ATTR_TUNNEL_PUSH:
        exec_tnl_push(ctx, batch, a, steal);
        return;

    case OVS_ACTION_ATTR_TUNNEL_POP:
        exec_tnl_pop(ctx, batch, nl_attr_get_odp_port(a), steal);
        return;

    case OVS_ACTION_ATTR_LB_OUTPUT:
        exec_lb_output(ctx, batch, nl_attr_get_u32(a), steal);
        return;

    /* The rest of the ODP action enum, listed so that the compiler tells
     * of a new one: odp_execute_actions() does these itself and calls
     * back here for none of them. */
    case OVS_ACTION_ATTR_SET:
    case OVS_ACTION_ATTR_PUSH_VLAN:
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_SAMPLE:
    case OVS_ACTION_ATTR_HASH:
    case OVS_ACTION_ATTR_PUSH_MPLS:
    case OVS_ACTION_ATTR_POP_MPLS:
    case OVS_ACTION_ATTR_SET_MASKED:
    case OVS_ACTION_ATTR_TRUNC:
    case OVS_ACTION_ATTR_PUSH_ETH:
    case OVS_ACTION_ATTR_POP_ETH:
    case OVS_ACTION_ATTR_CT_CLEAR:
    case OVS_ACTION_ATTR_PUSH_NSH:
    case OVS_ACTION_ATTR_POP_NSH:
    case OVS_ACTION_ATTR_CLONE:
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
    case OVS_ACTION_ATTR_ADD_MPLS:
    case OVS_ACTION_ATTR_DROP:
    case OVS_ACTION_ATTR_UNSPEC:
    case __OVS_ACTION_ATTR_MAX:
        break;
    }

    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    COVERAGE_INC(fp_drop_unsupported);
    VLOG_WARN_RL(&rl, "%s: unsupported action type %d, packets dropped",
                 ctx->dp->name, type);
    drop_batch(ctx->t, batch, steal, FP_STAT_DROP_UNSUPPORTED);
}

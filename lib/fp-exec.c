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

/* Action execution.  OVS's odp_execute_actions() does the packet rewrites;
 * this file does the actions that need the datapath: output, userspace,
 * recirculation and conntrack. */

#include <config.h>
#include "fp-datapath.h"

#include <errno.h>
#include "conntrack.h"
#include "coverage.h"
#include "flow.h"
#include "netdev.h"
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
    ovs_be16 dl_type;
};

static void exec_cb(void *ctx, struct dp_packet_batch *,
                    const struct nlattr *action, bool steal);

/* Executes 'actions' on every packet of 'batch', whose packets all have
 * Ethernet type 'dl_type'.  With 'steal', the packets are consumed;
 * otherwise they are left to the caller. */
void
fp_execute_actions(struct fp_dp *dp, struct fp_thread *t,
                   struct dp_packet_batch *batch, bool steal,
                   ovs_be16 dl_type,
                   const struct nlattr *actions, size_t actions_len)
{
    struct fp_exec_ctx ctx = { .dp = dp, .t = t, .dl_type = dl_type };

    if (!actions_len) {
        if (steal) {
            fp_stats_add(&t->stats, FP_STAT_DROP_ACTION,
                         dp_packet_batch_size(batch));
            dp_packet_delete_batch(batch, true);
        }
        return;
    }
    odp_execute_actions(&ctx, batch, steal, actions, actions_len, exec_cb);
}

static void
drop_batch(struct fp_thread *t, struct dp_packet_batch *batch, bool steal,
           enum fp_stat reason)
{
    if (steal) {
        fp_stats_add(&t->stats, reason, dp_packet_batch_size(batch));
        dp_packet_delete_batch(batch, true);
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
tx_send(struct fp_dp *dp, struct fp_thread *t, struct fp_tx_pending *tx)
{
    struct fp_port *port = tx->port;
    int n_tx_threads, n_txq = MAX(port->n_txq, 1);
    int error;

    atomic_read_relaxed(&dp->n_tx_threads, &n_tx_threads);
    fp_stats_add(&t->stats, FP_STAT_TX, dp_packet_batch_size(&tx->batch));
    /* With fewer queues than threads, threads share queues and the device
     * serialises them. */
    error = netdev_send(port->netdev, t->txq_id % n_txq, &tx->batch,
                        n_txq < n_tx_threads);
    if (error && error != EAGAIN) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_DBG_RL(&rl, "%s: send failed (%s)",
                    netdev_get_name(port->netdev), ovs_strerror(error));
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

static void
exec_output(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
            odp_port_t port_no, bool steal)
{
    struct fp_port *port = fp_dp_port_lookup_rcu(ctx->dp, port_no);
    struct dp_packet_batch copy;
    struct fp_tx_pending *tx;
    struct dp_packet *packet;

    if (!port) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_drop_no_port);
        VLOG_WARN_RL(&rl, "%s: output to port %"PRIu32", which does not "
                     "exist", ctx->dp->name, odp_to_u32(port_no));
        drop_batch(ctx->t, batch, steal, FP_STAT_DROP_NO_PORT);
        return;
    }

    /* Queue the packets for the port: fp_thread_flush() sends them. */
    batch = take_packets(batch, steal, &copy);
    tx = tx_pending(ctx->dp, ctx->t, port);
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        if (dp_packet_batch_is_full(&tx->batch)) {
            tx_send(ctx->dp, ctx->t, tx);
        }
        dp_packet_batch_add(&tx->batch, packet);
    }
    dp_packet_batch_init(batch);
}

/* Pushes the tunnel header in place: the actions that follow (from the
 * underlay bridge's pipeline) output the encapsulated packets. */
static void
exec_tnl_push(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
              const struct nlattr *a, bool steal)
{
    const struct ovs_action_push_tnl *data = nl_attr_get(a);
    struct fp_port *tnl;
    size_t n = dp_packet_batch_size(batch);

    if (steal) {
        /* Nothing would use the result. */
        dp_packet_delete_batch(batch, true);
        return;
    }
    tnl = fp_dp_port_lookup_rcu(ctx->dp, data->tnl_port);
    dp_packet_batch_apply_cutlen(batch);
    if (!tnl || netdev_push_header(tnl->netdev, batch, data)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_drop_tunnel);
        VLOG_WARN_RL(&rl, "%s: tunnel port %"PRIu32": cannot push tunnel "
                     "header", ctx->dp->name, odp_to_u32(data->tnl_port));
        fp_stats_add(&ctx->t->stats, FP_STAT_DROP_TUNNEL, n);
        dp_packet_delete_batch(batch, true);
        dp_packet_batch_init(batch);
    }
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
        if (error == EAGAIN) {
            /* ofproto-dpif handled the packet (a packet-in, a sample) and
             * has no actions for it. */
        } else if (error && error != ENOSPC) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            COVERAGE_INC(fp_userspace_error);
            VLOG_WARN_RL(&rl, "%s: userspace action failed (%s)",
                         ctx->dp->name, ovs_strerror(error));
            fp_stats_add(&ctx->t->stats, FP_STAT_LOST, 1);
        } else if (actions.size) {
            struct dp_packet_batch one;

            dp_packet_batch_init_packet(&one, packet);
            fp_execute_actions(ctx->dp, ctx->t, &one, false, flow.dl_type,
                               actions.data, actions.size);
        }
        ofpbuf_uninit(&actions);
    }
    /* The packets (or their copies) were only lent to ofproto-dpif. */
    dp_packet_delete_batch(batch, true);
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

/* What a ct() action asks of the connection tracker. */
struct fp_ct_params {
    bool commit;
    bool force;
    uint16_t zone;
    const char *helper;
    const uint32_t *mark;       /* Value and mask, or NULL. */
    const struct ovs_key_ct_labels *labels;    /* Value and mask, or NULL. */
    struct nat_action_info_t nat;
    bool has_nat;
    uint32_t tp_id;             /* Timeout policy. */
};

static const struct nl_policy ct_policy[] = {
    [OVS_CT_ATTR_COMMIT] = { .type = NL_A_FLAG, .optional = true },
    [OVS_CT_ATTR_FORCE_COMMIT] = { .type = NL_A_FLAG, .optional = true },
    [OVS_CT_ATTR_ZONE] = { .type = NL_A_U16, .optional = true },
    [OVS_CT_ATTR_MARK] = { .type = NL_A_UNSPEC, .optional = true,
                           .min_len = 2 * sizeof(uint32_t),
                           .max_len = 2 * sizeof(uint32_t) },
    [OVS_CT_ATTR_LABELS] = { .type = NL_A_UNSPEC, .optional = true,
                             .min_len = 2 * sizeof(struct ovs_key_ct_labels),
                             .max_len = 2 * sizeof(struct ovs_key_ct_labels) },
    [OVS_CT_ATTR_HELPER] = { .type = NL_A_STRING, .optional = true },
    [OVS_CT_ATTR_NAT] = { .type = NL_A_NESTED, .optional = true },
    [OVS_CT_ATTR_EVENTMASK] = { .type = NL_A_U32, .optional = true },
    [OVS_CT_ATTR_TIMEOUT] = { .type = NL_A_STRING, .optional = true },
};

static const struct nl_policy nat_policy[] = {
    [OVS_NAT_ATTR_SRC] = { .type = NL_A_FLAG, .optional = true },
    [OVS_NAT_ATTR_DST] = { .type = NL_A_FLAG, .optional = true },
    [OVS_NAT_ATTR_IP_MIN] = { .type = NL_A_UNSPEC, .optional = true,
                              .min_len = sizeof(ovs_be32),
                              .max_len = sizeof(struct in6_addr) },
    [OVS_NAT_ATTR_IP_MAX] = { .type = NL_A_UNSPEC, .optional = true,
                              .min_len = sizeof(ovs_be32),
                              .max_len = sizeof(struct in6_addr) },
    [OVS_NAT_ATTR_PROTO_MIN] = { .type = NL_A_U16, .optional = true },
    [OVS_NAT_ATTR_PROTO_MAX] = { .type = NL_A_U16, .optional = true },
    [OVS_NAT_ATTR_PERSISTENT] = { .type = NL_A_FLAG, .optional = true },
    [OVS_NAT_ATTR_PROTO_HASH] = { .type = NL_A_FLAG, .optional = true },
    [OVS_NAT_ATTR_PROTO_RANDOM] = { .type = NL_A_FLAG, .optional = true },
};

static void
copy_addr(union ct_addr *dst, const struct nlattr *a)
{
    memset(dst, 0, sizeof *dst);
    memcpy(dst, nl_attr_get(a), nl_attr_get_size(a));
}

/* Fills 'nat' from a nested OVS_CT_ATTR_NAT.  A "nat" without a type only
 * rewrites packets of connections committed with NAT, which the conntrack
 * library does by itself; a range without an upper end is one address or
 * one port. */
static bool
parse_nat(const struct nlattr *nested, struct nat_action_info_t *nat)
{
    struct nlattr *a[ARRAY_SIZE(nat_policy)];

    memset(nat, 0, sizeof *nat);
    if (!nl_parse_nested(nested, nat_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    if (a[OVS_NAT_ATTR_SRC]) {
        nat->nat_action = NAT_ACTION_SRC;
    } else if (a[OVS_NAT_ATTR_DST]) {
        nat->nat_action = NAT_ACTION_DST;
    } else {
        return true;
    }
    if (a[OVS_NAT_ATTR_IP_MIN]) {
        copy_addr(&nat->min_addr, a[OVS_NAT_ATTR_IP_MIN]);
        copy_addr(&nat->max_addr, a[OVS_NAT_ATTR_IP_MAX]
                                  ? a[OVS_NAT_ATTR_IP_MAX]
                                  : a[OVS_NAT_ATTR_IP_MIN]);
    }
    if (a[OVS_NAT_ATTR_PROTO_MIN]) {
        nat->min_port = nl_attr_get_u16(a[OVS_NAT_ATTR_PROTO_MIN]);
        nat->max_port = a[OVS_NAT_ATTR_PROTO_MAX]
                        ? nl_attr_get_u16(a[OVS_NAT_ATTR_PROTO_MAX])
                        : nat->min_port;
        nat->nat_action |= nat->nat_action == NAT_ACTION_SRC
                           ? NAT_ACTION_SRC_PORT : NAT_ACTION_DST_PORT;
    }
    return true;
}

static bool
parse_ct(const struct nlattr *nested, struct fp_ct_params *p)
{
    struct nlattr *a[ARRAY_SIZE(ct_policy)];

    memset(p, 0, sizeof *p);
    if (!nl_parse_nested(nested, ct_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    p->force = a[OVS_CT_ATTR_FORCE_COMMIT] != NULL;
    p->commit = p->force || a[OVS_CT_ATTR_COMMIT];
    p->zone = a[OVS_CT_ATTR_ZONE] ? nl_attr_get_u16(a[OVS_CT_ATTR_ZONE]) : 0;
    p->helper = (a[OVS_CT_ATTR_HELPER]
                 ? nl_attr_get_string(a[OVS_CT_ATTR_HELPER]) : NULL);
    p->mark = a[OVS_CT_ATTR_MARK] ? nl_attr_get(a[OVS_CT_ATTR_MARK]) : NULL;
    p->labels = (a[OVS_CT_ATTR_LABELS]
                 ? nl_attr_get(a[OVS_CT_ATTR_LABELS]) : NULL);
    p->has_nat = a[OVS_CT_ATTR_NAT] != NULL;
    /* ofproto-dpif names our timeout policies by their ids, in decimal. */
    if (a[OVS_CT_ATTR_TIMEOUT]
        && !str_to_uint(nl_attr_get_string(a[OVS_CT_ATTR_TIMEOUT]), 10,
                        &p->tp_id)) {
        return false;
    }
    return !p->has_nat || parse_nat(a[OVS_CT_ATTR_NAT], &p->nat);
}

static void
exec_ct(struct fp_exec_ctx *ctx, struct dp_packet_batch *batch,
        const struct nlattr *ct, bool steal)
{
    struct fp_ct_params p;

    if (!parse_ct(ct, &p)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_drop_unsupported);
        VLOG_WARN_RL(&rl, "%s: malformed ct() action, packets dropped",
                     ctx->dp->name);
        fp_stats_add(&ctx->t->stats, FP_STAT_DROP_UNSUPPORTED,
                     dp_packet_batch_size(batch));
        if (steal) {
            dp_packet_delete_batch(batch, true);
        } else {
            /* The caller frees its packets; no later action sees them. */
            dp_packet_batch_init(batch);
        }
        return;
    }

    /* Tracks (and NATs) the packets in place: the actions after ct() see
     * the new ct_* metadata. */
    conntrack_execute(ctx->dp->conntrack, batch, ctx->dl_type, p.force,
                      p.commit, p.zone, p.mark, p.labels, 0, 0, p.helper,
                      p.has_nat ? &p.nat : NULL, ctx->t->now, p.tp_id);
    if (steal) {
        /* ct() was the last action: nothing else uses the packets. */
        dp_packet_delete_batch(batch, true);
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
        exec_ct(ctx, batch, a, steal);
        return;

    case OVS_ACTION_ATTR_METER:
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

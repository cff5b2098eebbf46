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
/* The channel's flow commands (engine/fp-chan.h): flows put, deleted,
 * flushed, read and dumped as ODP attributes, and packets executed, on
 * fastpathd's datapaths (fastpathd/fastpathd-dp.c finds them).  What a
 * client sends is checked as the engine checks ofproto-dpif's flows. */

#include <config.h>
#include "fastpathd-dp.h"

#include <errno.h>
#include <string.h>
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "fp-actions-check.h"
#include "fp-chan.h"
#include "fp-datapath.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* Flows per FLOW_DUMP reply, and the most bytes of them: a list is one
 * netlink attribute, whose length has 16 bits. */
enum { DUMP_MAX_FLOWS = 50, DUMP_MAX_SIZE = 60000 };

/* The raw attribute 'nla', or NULL and 0 without one. */
static const struct nlattr *
raw_attr(const struct nlattr *nla, size_t *len)
{
    *len = nla ? nl_attr_get_size(nla) : 0;
    return nla ? nl_attr_get(nla) : NULL;
}

/* How 'msg' names a flow: its ufid (into '*ufid', returned) or NULL, and
 * its key, or NULL and 0. */
static const ovs_u128 *
flow_name(const struct fp_chan_msg *msg, const struct nlattr **key,
          size_t *key_len, ovs_u128 *ufid)
{
    *key = raw_attr(msg->attrs[FP_CHAN_A_FLOW_KEY], key_len);
    if (msg->attrs[FP_CHAN_A_FLOW_UFID]) {
        *ufid = nl_attr_get_u128(msg->attrs[FP_CHAN_A_FLOW_UFID]);
        return ufid;
    }
    return NULL;
}

static void
flow_put(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    enum { KNOWN = DPIF_FP_CREATE | DPIF_FP_MODIFY | DPIF_FP_ZERO_STATS
                   | DPIF_FP_PROBE };
    uint32_t flags = (msg->attrs[FP_CHAN_A_FLOW_FLAGS]
                      ? nl_attr_get_u32(msg->attrs[FP_CHAN_A_FLOW_FLAGS])
                      : DPIF_FP_CREATE);
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    struct dpif_flow_stats stats;
    struct dpif_flow_put put;
    ovs_u128 ufid;
    int error;

    if (!dp) {
        return;
    }
    if (flags & ~KNOWN) {
        fastpathd_put_error(reply, msg, EINVAL,
                  xasprintf("%s: flow put flags %#"PRIx32" are unknown",
                            fp_dp_name(dp), flags & ~KNOWN));
        return;
    }
    memset(&put, 0, sizeof put);
    put.flags = flags;
    put.key = raw_attr(msg->attrs[FP_CHAN_A_FLOW_KEY], &put.key_len);
    put.mask = raw_attr(msg->attrs[FP_CHAN_A_FLOW_MASK], &put.mask_len);
    put.actions = raw_attr(msg->attrs[FP_CHAN_A_FLOW_ACTIONS],
                           &put.actions_len);
    if (msg->attrs[FP_CHAN_A_FLOW_UFID]) {
        ufid = nl_attr_get_u128(msg->attrs[FP_CHAN_A_FLOW_UFID]);
        put.ufid = &ufid;
    }
    put.pmd_id = PMD_ID_NULL;
    put.stats = &stats;
    error = fp_dp_flow_put(dp, &put);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  xasprintf("%s: flow put refused (%s)", fp_dp_name(dp),
                            (error == EINVAL
                             ? "a key, mask or actions the datapath does not "
                               "take"
                             : error == EEXIST ? "the flow exists"
                             : error == ENOENT ? "no such flow to modify"
                             : ovs_strerror(error))));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

static void
flow_del(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    struct dpif_flow_stats stats;
    const struct nlattr *key;
    const ovs_u128 *ufidp;
    ovs_u128 ufid;
    size_t key_len;
    int error;

    if (!dp) {
        return;
    }
    ufidp = flow_name(msg, &key, &key_len, &ufid);
    error = fp_dp_flow_del(dp, ufidp, key, key_len, &stats);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  xasprintf("%s: flow delete refused (%s)", fp_dp_name(dp),
                            error == ENOENT ? "no such flow"
                            : ovs_strerror(error)));
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        nl_msg_put_u64(reply, FP_CHAN_A_FLOW_PACKETS, stats.n_packets);
        nl_msg_put_u64(reply, FP_CHAN_A_FLOW_BYTES, stats.n_bytes);
        fp_chan_msg_finish(reply, start);
    }
}

static void
flow_flush(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);

    if (dp) {
        fp_dp_flow_flush(dp);
        fastpathd_put_ok(reply, msg);
    }
}

/* Appends 'flow' as an FP_CHAN_A_ITEM of a FP_CHAN_A_FLOWS list. */
static void
put_flow_item(struct ofpbuf *reply, const struct dpif_flow *flow)
{
    size_t ofs = nl_msg_start_nested(reply, FP_CHAN_A_ITEM);

    if (flow->key_len) {
        nl_msg_put_unspec(reply, FP_CHAN_A_FLOW_KEY, flow->key,
                          flow->key_len);
    }
    if (flow->mask_len) {
        nl_msg_put_unspec(reply, FP_CHAN_A_FLOW_MASK, flow->mask,
                          flow->mask_len);
    }
    if (flow->actions) {
        nl_msg_put_unspec(reply, FP_CHAN_A_FLOW_ACTIONS, flow->actions,
                          flow->actions_len);
    }
    if (flow->ufid_present) {
        nl_msg_put_u128(reply, FP_CHAN_A_FLOW_UFID, flow->ufid);
    }
    nl_msg_put_u64(reply, FP_CHAN_A_FLOW_PACKETS, flow->stats.n_packets);
    nl_msg_put_u64(reply, FP_CHAN_A_FLOW_BYTES, flow->stats.n_bytes);
    nl_msg_put_u64(reply, FP_CHAN_A_FLOW_USED, flow->stats.used);
    nl_msg_put_u16(reply, FP_CHAN_A_FLOW_TCP_FLAGS, flow->stats.tcp_flags);
    nl_msg_end_nested(reply, ofs);
}

static void
flow_get(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    const struct nlattr *key;
    struct dpif_flow flow;
    struct ofpbuf buf;
    size_t key_len, start, ofs;
    const ovs_u128 *ufidp;
    ovs_u128 ufid;
    int error;

    if (!dp) {
        return;
    }
    ofpbuf_init(&buf, 1024);
    ufidp = flow_name(msg, &key, &key_len, &ufid);
    error = fp_dp_flow_get(dp, ufidp, key, key_len, &flow, &buf);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: %s", fp_dp_name(dp),
                                      error == ENOENT ? "no such flow"
                                      : ovs_strerror(error)));
    } else {
        start = reply->size;
        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        ofs = nl_msg_start_nested(reply, FP_CHAN_A_FLOWS);
        put_flow_item(reply, &flow);
        nl_msg_end_nested(reply, ofs);
        fp_chan_msg_finish(reply, start);
    }
    ofpbuf_uninit(&buf);
}

/* The next flows of a dump from the position the client holds: the dump's
 * state lives in the client, so that a dump left unfinished costs
 * fastpathd nothing. */
static void
flow_dump(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    bool terse = msg->attrs[FP_CHAN_A_TERSE] != NULL;
    struct fp_flow_dump_position pos;
    size_t start, ofs;
    struct ofpbuf buf;
    int n = 0;

    if (!dp) {
        return;
    }
    memset(&pos, 0, sizeof pos);
    if (msg->attrs[FP_CHAN_A_DUMP_POS]) {
        const uint32_t *p = nl_attr_get(msg->attrs[FP_CHAN_A_DUMP_POS]);

        pos.bucket = p[0];
        pos.entry = p[1];
        pos.offset = p[2];
    }

    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    ofs = nl_msg_start_nested(reply, FP_CHAN_A_FLOWS);
    ofpbuf_init(&buf, 1024);
    while (n < DUMP_MAX_FLOWS && !pos.done) {
        struct fp_flow_dump_position before = pos;
        size_t item_ofs = reply->size;
        struct dpif_flow flow;

        ofpbuf_clear(&buf);
        if (!fp_dp_flow_dump_next(dp, &pos, terse, &flow, &buf, 1)) {
            continue;
        }
        put_flow_item(reply, &flow);
        if (reply->size - ofs > DUMP_MAX_SIZE) {
            /* Too much: this flow goes in the next reply, or, alone too
             * big for one (tens of KiB of actions), without its actions,
             * which ofproto-dpif then puts again. */
            reply->size = item_ofs;
            if (n) {
                pos = before;
                break;
            }
            flow.actions = NULL;
            flow.actions_len = 0;
            put_flow_item(reply, &flow);
        }
        n++;
    }
    ofpbuf_uninit(&buf);
    nl_msg_end_nested(reply, ofs);

    uint32_t next[3] = { pos.bucket, pos.entry, pos.offset };
    nl_msg_put_unspec(reply, FP_CHAN_A_DUMP_POS, next, sizeof next);
    if (pos.done) {
        nl_msg_put_flag(reply, FP_CHAN_A_DUMP_DONE);
    }
    fp_chan_msg_finish(reply, start);
}

/* A packet-out: the packet with the metadata its key gives (input port,
 * recirculation, tunnel, conntrack state), through 'actions' once. */
static void
execute(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    const struct nlattr *key, *actions;
    size_t key_len, actions_len;
    struct dp_packet *packet;
    struct flow flow;
    char *why = NULL;
    int error;

    if (!dp) {
        return;
    }
    key = raw_attr(msg->attrs[FP_CHAN_A_FLOW_KEY], &key_len);
    actions = raw_attr(msg->attrs[FP_CHAN_A_FLOW_ACTIONS], &actions_len);
    packet = dp_packet_clone_data(
        nl_attr_get(msg->attrs[FP_CHAN_A_PACKET]),
        nl_attr_get_size(msg->attrs[FP_CHAN_A_PACKET]));
    /* odp_key_to_dp_packet() takes what it knows and ignores the rest, as
     * dpif-netdev's execute does with ofproto-dpif's keys.  It zeroes the
     * metadata only up to ct_state (what a datapath's receive needs), and
     * a key may give ct_state without the zone, mark or labels: those
     * must not be what the allocator left there.  The key also says
     * whether the packet is an Ethernet frame. */
    memset(&packet->md, 0, sizeof packet->md);
    odp_key_to_dp_packet(key, key_len, packet);
    error = fp_actions_check(actions, actions_len,
                             dp_packet_is_eth(packet), &why);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: execute refused (%s)",
                                      fp_dp_name(dp), why));
        free(why);
        dp_packet_delete(packet);
        return;
    }
    flow_extract(packet, &flow);
    error = fp_dp_execute(dp, packet, &flow, actions, actions_len);
    dp_packet_delete(packet);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: execute failed (%s)",
                                      fp_dp_name(dp), ovs_strerror(error)));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

/* Carries out 'msg' if it is a flow command and appends its reply to
 * 'reply'.  Returns false if it is not one. */
bool
fastpathd_flow_handle(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    switch (msg->cmd) {
    case FP_CHAN_FLOW_PUT:
        flow_put(msg, reply);
        return true;
    case FP_CHAN_FLOW_DEL:
        flow_del(msg, reply);
        return true;
    case FP_CHAN_FLOW_FLUSH:
        flow_flush(msg, reply);
        return true;
    case FP_CHAN_FLOW_GET:
        flow_get(msg, reply);
        return true;
    case FP_CHAN_FLOW_DUMP:
        flow_dump(msg, reply);
        return true;
    case FP_CHAN_EXECUTE:
        execute(msg, reply);
        return true;
    default:
        return false;
    }
}

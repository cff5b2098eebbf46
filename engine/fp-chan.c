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

/* The channel's messages: framing, parsing and construction (see
 * engine/fp-chan.h).  Parsing trusts nothing it reads: every length is
 * checked before it is used, and the attributes go through OVS's netlink
 * policy checks, so that a malformed message is refused, never read past
 * its end. */

#include <config.h>
#include "fp-chan.h"

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "dpif.h"
#include "netlink.h"
#include "netlink-protocol.h"
#include "openvswitch/netdev.h"
#include "packets.h"
#include "openvswitch/ofpbuf.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "smap.h"
#include "util.h"

/* Every attribute is optional to the policy; what a command requires is
 * checked after it.  Names and types are not empty (a string's length
 * counts its NUL). */
static const struct nl_policy chan_policy[] = {
#define STRING(MAX) .type = NL_A_STRING, .min_len = 2, .max_len = (MAX)
    [FP_CHAN_A_VERSION] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_PID] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_NAME] = { STRING(64), .optional = true },
    [FP_CHAN_A_ERROR] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_REASON] = { .type = NL_A_STRING, .max_len = 1024,
                           .optional = true },
    [FP_CHAN_A_DP_TYPE] = { STRING(32), .optional = true },
    /* A datapath's name is its internal port's, a network device's. */
    [FP_CHAN_A_DP_NAME] = { STRING(IFNAMSIZ), .optional = true },
    [FP_CHAN_A_CREATE] = { .type = NL_A_FLAG, .optional = true },
    [FP_CHAN_A_PORT_NAME] = { STRING(256), .optional = true },
    [FP_CHAN_A_PORT_TYPE] = { STRING(32), .optional = true },
    [FP_CHAN_A_PORT_OPTIONS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_PORT_NO] = { .type = NL_A_U32, .optional = true },
    /* Keys, masks and actions go to the engine, which parses them as it
     * parses ofproto-dpif's. */
    [FP_CHAN_A_FLOW_KEY] = { .type = NL_A_UNSPEC, .optional = true },
    [FP_CHAN_A_FLOW_MASK] = { .type = NL_A_UNSPEC, .optional = true },
    [FP_CHAN_A_FLOW_ACTIONS] = { .type = NL_A_UNSPEC, .optional = true },
    [FP_CHAN_A_FLOW_UFID] = { .type = NL_A_U128, .optional = true },
    [FP_CHAN_A_FLOW_FLAGS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_FLOW_PACKETS] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_FLOW_BYTES] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_FLOW_USED] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_FLOW_TCP_FLAGS] = { .type = NL_A_U16, .optional = true },
    /* Lists: their items are checked where they are read
     * (fp_chan_parse_item()). */
    [FP_CHAN_A_FLOWS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_DUMP_POS] = { .type = NL_A_UNSPEC, .min_len = 12,
                             .max_len = 12, .optional = true },
    [FP_CHAN_A_DUMP_DONE] = { .type = NL_A_FLAG, .optional = true },
    [FP_CHAN_A_TERSE] = { .type = NL_A_FLAG, .optional = true },
    [FP_CHAN_A_PACKET] = { .type = NL_A_UNSPEC, .min_len = ETH_HEADER_LEN,
                           .max_len = UINT16_MAX, .optional = true },
    [FP_CHAN_A_UPCALL_TYPE] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_USERDATA] = { .type = NL_A_UNSPEC, .min_len = NLA_HDRLEN,
                             .optional = true },
    [FP_CHAN_A_PORTS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_CONFIG] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_N_HIT] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_N_MISSED] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_N_LOST] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_N_FLOWS] = { .type = NL_A_U64, .optional = true },
    [FP_CHAN_A_ENABLE] = { .type = NL_A_FLAG, .optional = true },
    [FP_CHAN_A_PORT_STATS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_PORT_CARRIER] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_PORT_STATUS] = { .type = NL_A_NESTED, .optional = true },
    /* Conntrack's nested attributes are checked where they are read
     * (engine/fp-chan-ct.c). */
    [FP_CHAN_A_CT_ZONE] = { .type = NL_A_U16, .optional = true },
    [FP_CHAN_A_CT_TUPLE] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_CT_DUMP_ID] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_TOT_BKTS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_ENTRIES] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_CT_MAXCONNS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_NCONNS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_TCP_SEQ_CHK] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_DEFAULT_LIMIT] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_CT_ZONE_LIMITS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_CT_TP] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_CT_TP_ID] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_IPF_V6] = { .type = NL_A_FLAG, .optional = true },
    [FP_CHAN_A_IPF_ENABLED] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_IPF_MIN_FRAG] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_IPF_MAX_NFRAGS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_IPF_STATUS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_IPF_DUMP] = { .type = NL_A_NESTED, .optional = true },
    /* Meters' nested attributes are checked where they are read
     * (engine/fp-chan-meter.c). */
    [FP_CHAN_A_METER_ID] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_METER_CONFIG] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_METER_N_BANDS] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_METER_STATS] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_METER_FEATURES] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_UPCALL_CREDIT] = { .type = NL_A_U32, .optional = true },
    [FP_CHAN_A_APPCTL_ARGV] = { .type = NL_A_NESTED, .optional = true },
    [FP_CHAN_A_APPCTL_OUTPUT] = { .type = NL_A_STRING,
                                  .max_len = FP_CHAN_APPCTL_MAX_OUTPUT,
                                  .optional = true },
    [FP_CHAN_A_APPCTL_FAILED] = { .type = NL_A_FLAG, .optional = true },
#undef STRING
};

/* Whether the nested 'options' hold only FP_CHAN_A_OPTION strings of the
 * form "key=value" with a nonempty key. */
static bool
options_are_valid(const struct nlattr *options)
{
    static const struct nl_policy option_policy = {
        .type = NL_A_STRING, .max_len = 4096,
    };
    const struct nlattr *nla;
    size_t left;

    NL_NESTED_FOR_EACH (nla, left, options) {
        const char *s;

        if (nl_attr_type(nla) != FP_CHAN_A_OPTION
            || !nl_attr_validate(nla, &option_policy)) {
            return false;
        }
        s = nl_attr_get_string(nla);
        if (s[0] == '=' || !strchr(s, '=')) {
            return false;
        }
    }
    return !left;
}

/* Adds the options of the valid nested 'options' to 'smap'. */
void
fp_chan_get_options(const struct nlattr *options, struct smap *smap)
{
    const struct nlattr *nla;
    size_t left;

    NL_NESTED_FOR_EACH (nla, left, options) {
        const char *s = nl_attr_get_string(nla);
        const char *eq = strchr(s, '=');
        char *key = xmemdup0(s, eq - s);

        smap_replace(smap, key, eq + 1);
        free(key);
    }
}

/* Appends 'smap' as attribute 'type' (FP_CHAN_A_PORT_OPTIONS or
 * FP_CHAN_A_CONFIG). */
void
fp_chan_put_options(struct ofpbuf *buf, uint16_t type, const struct smap *smap)
{
    size_t ofs = nl_msg_start_nested(buf, type);
    const struct smap_node *node;

    SMAP_FOR_EACH (node, smap) {
        char *s = xasprintf("%s=%s", node->key, node->value);

        nl_msg_put_string(buf, FP_CHAN_A_OPTION, s);
        free(s);
    }
    nl_msg_end_nested(buf, ofs);
}

/* Whether the nested 'stats' hold only u64 counters (of FP_CHAN_STAT_*
 * types or, from a later version, others, which are left out). */
static bool
stats_are_valid(const struct nlattr *stats)
{
    const struct nlattr *nla;
    size_t left;

    NL_NESTED_FOR_EACH (nla, left, stats) {
        if (nl_attr_get_size(nla) != sizeof(uint64_t)) {
            return false;
        }
    }
    return !left;
}

/* Points 'fields' at the counters of 'stats', by FP_CHAN_STAT_* type. */
static void
stat_fields(struct netdev_stats *stats,
            uint64_t *fields[FP_CHAN_STAT_MAX + 1])
{
    fields[0] = NULL;
    fields[FP_CHAN_STAT_RX_PACKETS] = &stats->rx_packets;
    fields[FP_CHAN_STAT_TX_PACKETS] = &stats->tx_packets;
    fields[FP_CHAN_STAT_RX_BYTES] = &stats->rx_bytes;
    fields[FP_CHAN_STAT_TX_BYTES] = &stats->tx_bytes;
    fields[FP_CHAN_STAT_RX_ERRORS] = &stats->rx_errors;
    fields[FP_CHAN_STAT_TX_ERRORS] = &stats->tx_errors;
    fields[FP_CHAN_STAT_RX_DROPPED] = &stats->rx_dropped;
    fields[FP_CHAN_STAT_TX_DROPPED] = &stats->tx_dropped;
}

/* Appends 'stats' as FP_CHAN_A_PORT_STATS, leaving out the counters that
 * the device does not keep (UINT64_MAX). */
void
fp_chan_put_stats(struct ofpbuf *buf, const struct netdev_stats *stats)
{
    uint64_t *fields[FP_CHAN_STAT_MAX + 1];
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_PORT_STATS);

    stat_fields(CONST_CAST(struct netdev_stats *, stats), fields);
    for (int i = 1; i <= FP_CHAN_STAT_MAX; i++) {
        if (*fields[i] != UINT64_MAX) {
            nl_msg_put_u64(buf, i, *fields[i]);
        }
    }
    nl_msg_end_nested(buf, ofs);
}

/* Sets 'stats' from the valid FP_CHAN_A_PORT_STATS 'nested': what it does
 * not carry is UINT64_MAX, OVS's "not kept", and counters of a later
 * version are left out. */
void
fp_chan_get_stats(const struct nlattr *nested, struct netdev_stats *stats)
{
    uint64_t *fields[FP_CHAN_STAT_MAX + 1];
    const struct nlattr *nla;
    size_t left;

    memset(stats, 0xff, sizeof *stats);
    stat_fields(stats, fields);
    NL_NESTED_FOR_EACH (nla, left, nested) {
        uint16_t type = nl_attr_type(nla);

        if (type >= 1 && type <= FP_CHAN_STAT_MAX) {
            *fields[type] = nl_attr_get_u64(nla);
        }
    }
}

BUILD_ASSERT_DECL(ARRAY_SIZE(chan_policy) == FP_CHAN_A_MAX + 1);

/* The name of command 'cmd', for logs and replies. */
const char *
fp_chan_cmd_name(uint16_t cmd)
{
    switch (cmd) {
    case FP_CHAN_HELLO:
        return "HELLO";
    case FP_CHAN_DP_OPEN:
        return "DP_OPEN";
    case FP_CHAN_DP_DEL:
        return "DP_DEL";
    case FP_CHAN_PORT_ADD:
        return "PORT_ADD";
    case FP_CHAN_PORT_DEL:
        return "PORT_DEL";
    case FP_CHAN_FLOW_PUT:
        return "FLOW_PUT";
    case FP_CHAN_FLOW_DEL:
        return "FLOW_DEL";
    case FP_CHAN_FLOW_FLUSH:
        return "FLOW_FLUSH";
    case FP_CHAN_FLOW_GET:
        return "FLOW_GET";
    case FP_CHAN_FLOW_DUMP:
        return "FLOW_DUMP";
    case FP_CHAN_EXECUTE:
        return "EXECUTE";
    case FP_CHAN_PORT_GET:
        return "PORT_GET";
    case FP_CHAN_DP_STATS:
        return "DP_STATS";
    case FP_CHAN_DP_SET_CONFIG:
        return "DP_SET_CONFIG";
    case FP_CHAN_UPCALL_SET:
        return "UPCALL_SET";
    case FP_CHAN_UPCALL:
        return "UPCALL";
    case FP_CHAN_PORT_STATE:
        return "PORT_STATE";
    case FP_CHAN_CT_DUMP:
        return "CT_DUMP";
    case FP_CHAN_CT_DUMP_END:
        return "CT_DUMP_END";
    case FP_CHAN_CT_FLUSH:
        return "CT_FLUSH";
    case FP_CHAN_CT_GET_CONFIG:
        return "CT_GET_CONFIG";
    case FP_CHAN_CT_SET_CONFIG:
        return "CT_SET_CONFIG";
    case FP_CHAN_CT_SET_LIMITS:
        return "CT_SET_LIMITS";
    case FP_CHAN_CT_GET_LIMITS:
        return "CT_GET_LIMITS";
    case FP_CHAN_CT_DEL_LIMITS:
        return "CT_DEL_LIMITS";
    case FP_CHAN_CT_SET_TP:
        return "CT_SET_TP";
    case FP_CHAN_CT_GET_TP:
        return "CT_GET_TP";
    case FP_CHAN_CT_DEL_TP:
        return "CT_DEL_TP";
    case FP_CHAN_IPF_SET:
        return "IPF_SET";
    case FP_CHAN_IPF_STATUS:
        return "IPF_STATUS";
    case FP_CHAN_IPF_DUMP:
        return "IPF_DUMP";
    case FP_CHAN_METER_FEATURES:
        return "METER_FEATURES";
    case FP_CHAN_METER_SET:
        return "METER_SET";
    case FP_CHAN_METER_GET:
        return "METER_GET";
    case FP_CHAN_METER_DEL:
        return "METER_DEL";
    case FP_CHAN_UPCALL_CREDIT:
        return "UPCALL_CREDIT";
    case FP_CHAN_APPCTL:
        return "APPCTL";
    default:
        return "unknown";
    }
}

/* Whether 'msg' has what its command requires. */
static bool
has_required(const struct fp_chan_msg *msg)
{
    if (msg->flags & FP_CHAN_F_REPLY) {
        return (msg->attrs[FP_CHAN_A_ERROR] || msg->cmd != FP_CHAN_HELLO
                || msg->attrs[FP_CHAN_A_VERSION]);
    }
    switch (msg->cmd) {
    case FP_CHAN_HELLO:
        return msg->attrs[FP_CHAN_A_VERSION] != NULL;
    case FP_CHAN_DP_OPEN:
        return msg->attrs[FP_CHAN_A_DP_TYPE] && msg->attrs[FP_CHAN_A_DP_NAME];
    case FP_CHAN_DP_DEL:
        return msg->attrs[FP_CHAN_A_DP_NAME] != NULL;
    case FP_CHAN_PORT_ADD:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && msg->attrs[FP_CHAN_A_PORT_NAME]
                && msg->attrs[FP_CHAN_A_PORT_TYPE]);
    case FP_CHAN_PORT_DEL:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_PORT_NO];
    case FP_CHAN_FLOW_PUT:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_FLOW_KEY];
    case FP_CHAN_FLOW_DEL:
    case FP_CHAN_FLOW_GET:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && (msg->attrs[FP_CHAN_A_FLOW_UFID]
                    || msg->attrs[FP_CHAN_A_FLOW_KEY]));
    case FP_CHAN_FLOW_FLUSH:
    case FP_CHAN_FLOW_DUMP:
    case FP_CHAN_PORT_GET:
    case FP_CHAN_DP_STATS:
    case FP_CHAN_UPCALL_SET:
        return msg->attrs[FP_CHAN_A_DP_NAME] != NULL;
    case FP_CHAN_EXECUTE:
        return (msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_PACKET]
                && msg->attrs[FP_CHAN_A_FLOW_KEY]);
    case FP_CHAN_DP_SET_CONFIG:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_CONFIG];
    case FP_CHAN_PORT_STATE:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_PORT_NAME];
    case FP_CHAN_CT_DUMP:
    case FP_CHAN_CT_FLUSH:
    case FP_CHAN_CT_GET_CONFIG:
    case FP_CHAN_CT_SET_CONFIG:
    case FP_CHAN_CT_GET_LIMITS:
    case FP_CHAN_IPF_STATUS:
    case FP_CHAN_IPF_DUMP:
    case FP_CHAN_METER_FEATURES:
        return msg->attrs[FP_CHAN_A_DP_NAME] != NULL;
    case FP_CHAN_METER_SET:
        return (msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_METER_ID]
                && msg->attrs[FP_CHAN_A_METER_CONFIG]);
    case FP_CHAN_METER_GET:
    case FP_CHAN_METER_DEL:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_METER_ID];
    case FP_CHAN_CT_DUMP_END:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && msg->attrs[FP_CHAN_A_CT_DUMP_ID]);
    case FP_CHAN_UPCALL_CREDIT:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && msg->attrs[FP_CHAN_A_UPCALL_CREDIT]);
    case FP_CHAN_APPCTL:
        return msg->attrs[FP_CHAN_A_APPCTL_ARGV] != NULL;
    case FP_CHAN_CT_SET_LIMITS:
    case FP_CHAN_CT_DEL_LIMITS:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && msg->attrs[FP_CHAN_A_CT_ZONE_LIMITS]);
    case FP_CHAN_CT_SET_TP:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_CT_TP];
    case FP_CHAN_CT_GET_TP:
    case FP_CHAN_CT_DEL_TP:
        return msg->attrs[FP_CHAN_A_DP_NAME] && msg->attrs[FP_CHAN_A_CT_TP_ID];
    case FP_CHAN_IPF_SET:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && (msg->attrs[FP_CHAN_A_IPF_ENABLED]
                    || msg->attrs[FP_CHAN_A_IPF_MIN_FRAG]
                    || msg->attrs[FP_CHAN_A_IPF_MAX_NFRAGS]));
    case FP_CHAN_UPCALL:
        return (msg->attrs[FP_CHAN_A_DP_NAME]
                && msg->attrs[FP_CHAN_A_UPCALL_TYPE]
                && msg->attrs[FP_CHAN_A_PACKET]
                && msg->attrs[FP_CHAN_A_FLOW_KEY]);
    default:
        /* A command of a later version: parsed, for the receiver to
         * refuse. */
        return true;
    }
}

/* Parses the message at the start of 'data' ('size' bytes, 4-byte
 * aligned) into 'msg'.  Returns 0 and its length in '*msg_len', EAGAIN if
 * 'data' holds only part of it, or EPROTO if it is malformed (a length
 * below the header's, beyond FP_CHAN_MAX_MSG or not a multiple of 4,
 * attributes that do not parse, or a required one missing). */
int
fp_chan_parse(const void *data, size_t size, struct fp_chan_msg *msg,
              size_t *msg_len)
{
    struct nlattr *attrs[ARRAY_SIZE(chan_policy)];
    struct nlmsghdr hdr;
    struct ofpbuf buf;

    ovs_assert(!((uintptr_t) data & (NLMSG_ALIGNTO - 1)));
    if (size < sizeof hdr) {
        return EAGAIN;
    }
    memcpy(&hdr, data, sizeof hdr);
    if (hdr.nlmsg_len < (uint32_t) NLMSG_HDRLEN
        || hdr.nlmsg_len > FP_CHAN_MAX_MSG
        || NLMSG_ALIGN(hdr.nlmsg_len) != hdr.nlmsg_len) {
        return EPROTO;
    }
    if (size < hdr.nlmsg_len) {
        return EAGAIN;
    }

    ofpbuf_use_const(&buf, data, hdr.nlmsg_len);
    if (!nl_policy_parse(&buf, NLMSG_HDRLEN, chan_policy, attrs,
                         ARRAY_SIZE(chan_policy))) {
        return EPROTO;
    }
    memset(msg, 0, sizeof *msg);
    msg->cmd = hdr.nlmsg_type;
    msg->flags = hdr.nlmsg_flags;
    msg->seq = hdr.nlmsg_seq;
    msg->pid = hdr.nlmsg_pid;
    for (size_t i = 0; i < ARRAY_SIZE(chan_policy); i++) {
        msg->attrs[i] = attrs[i];
    }
    if (!has_required(msg)
        || (msg->attrs[FP_CHAN_A_PORT_OPTIONS]
            && !options_are_valid(msg->attrs[FP_CHAN_A_PORT_OPTIONS]))
        || (msg->attrs[FP_CHAN_A_CONFIG]
            && !options_are_valid(msg->attrs[FP_CHAN_A_CONFIG]))
        || (msg->attrs[FP_CHAN_A_PORT_STATUS]
            && !options_are_valid(msg->attrs[FP_CHAN_A_PORT_STATUS]))
        || (msg->attrs[FP_CHAN_A_PORT_STATS]
            && !stats_are_valid(msg->attrs[FP_CHAN_A_PORT_STATS]))) {
        return EPROTO;
    }
    *msg_len = hdr.nlmsg_len;
    return 0;
}

/* Parses 'item', an FP_CHAN_A_ITEM of a list (FP_CHAN_A_FLOWS,
 * FP_CHAN_A_PORTS), into 'attrs' with the messages' policy.  Returns false
 * if it is malformed. */
bool
fp_chan_parse_item(const struct nlattr *item,
                   const struct nlattr *attrs[FP_CHAN_A_MAX + 1])
{
    struct nlattr *parsed[ARRAY_SIZE(chan_policy)];

    if (nl_attr_type(item) != FP_CHAN_A_ITEM
        || !nl_parse_nested(item, chan_policy, parsed,
                            ARRAY_SIZE(chan_policy))
        || (parsed[FP_CHAN_A_PORT_OPTIONS]
            && !options_are_valid(parsed[FP_CHAN_A_PORT_OPTIONS]))) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(chan_policy); i++) {
        attrs[i] = parsed[i];
    }
    return true;
}

/* Appends to 'buf' request 'seq' to put 'put' into datapath 'dp'. */
void
fp_chan_put_flow_put(struct ofpbuf *buf, uint32_t seq, const char *dp,
                     const struct dpif_flow_put *put)
{
    size_t start = buf->size;

    fp_chan_msg_start(buf, FP_CHAN_FLOW_PUT, 0, seq);
    nl_msg_put_string(buf, FP_CHAN_A_DP_NAME, dp);
    nl_msg_put_unspec(buf, FP_CHAN_A_FLOW_KEY, put->key, put->key_len);
    if (put->mask) {
        nl_msg_put_unspec(buf, FP_CHAN_A_FLOW_MASK, put->mask,
                          put->mask_len);
    }
    nl_msg_put_unspec(buf, FP_CHAN_A_FLOW_ACTIONS, put->actions,
                      put->actions_len);
    if (put->ufid) {
        nl_msg_put_u128(buf, FP_CHAN_A_FLOW_UFID, *put->ufid);
    }
    nl_msg_put_u32(buf, FP_CHAN_A_FLOW_FLAGS, put->flags);
    fp_chan_msg_finish(buf, start);
}

/* This process's id, for the header of every message it sends: a system
 * call each time would cost an upcall's PMD more than writing it does.
 * Forgotten in a child of fork() (a daemon's), which asks again. */
static atomic_int sender_pid_cache = 0;

static void
forget_sender_pid(void)
{
    atomic_store_relaxed(&sender_pid_cache, 0);
}

static uint32_t
sender_pid(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    int pid;

    if (ovsthread_once_start(&once)) {
        pthread_atfork(NULL, NULL, forget_sender_pid);
        ovsthread_once_done(&once);
    }
    atomic_read_relaxed(&sender_pid_cache, &pid);
    if (!pid) {
        pid = getpid();
        atomic_store_relaxed(&sender_pid_cache, pid);
    }
    return pid;
}

/* Starts a message of 'cmd' at the end of 'buf'; its attributes follow
 * with nl_msg_put_*(), then fp_chan_msg_finish() with the offset that
 * 'buf->size' had here. */
void
fp_chan_msg_start(struct ofpbuf *buf, uint16_t cmd, uint16_t flags,
                  uint32_t seq)
{
    struct nlmsghdr *hdr = ofpbuf_put_zeros(buf, NLMSG_HDRLEN);

    hdr->nlmsg_type = cmd;
    hdr->nlmsg_flags = flags;
    hdr->nlmsg_seq = seq;
    hdr->nlmsg_pid = sender_pid();
}

/* Writes the length of the message that starts at offset 'start'. */
void
fp_chan_msg_finish(struct ofpbuf *buf, size_t start)
{
    struct nlmsghdr *hdr = ofpbuf_at_assert(buf, start, NLMSG_HDRLEN);

    hdr->nlmsg_len = buf->size - start;
}

/* Appends to 'buf' the refusal of request 'seq' of 'cmd', with 'reason'
 * cut to the 1023 bytes that FP_CHAN_A_REASON takes. */
void
fp_chan_put_error(struct ofpbuf *buf, uint16_t cmd, uint32_t seq, int error,
                  const char *reason)
{
    /* Within the policy's bound, which counts the NUL. */
    enum { MAX_REASON = 1023 };
    size_t start = buf->size;
    char *text = xmemdup0(reason, MIN(strlen(reason), MAX_REASON));

    fp_chan_msg_start(buf, cmd, FP_CHAN_F_REPLY, seq);
    nl_msg_put_u32(buf, FP_CHAN_A_ERROR, error);
    nl_msg_put_string(buf, FP_CHAN_A_REASON, text);
    fp_chan_msg_finish(buf, start);
    free(text);
}

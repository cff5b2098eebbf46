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


/* The channel's conntrack values as nested attributes (see
 * engine/fp-chan-ct.h).  Readers use OVS's netlink policy checks, as
 * fp_chan_parse() does, so that a malformed value is refused, never read
 * past its end. */

#include <config.h>
#include "fp-chan-ct.h"

#include <string.h>
#include "ct-dpif.h"
#include "dpif-provider.h"        /* struct dpif_ipf_status. */
#include "fp-chan.h"
#include "netlink.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "svec.h"
#include "util.h"

/* Tuples. */

void
fp_chan_put_ct_tuple(struct ofpbuf *buf, uint16_t type,
                     const struct ct_dpif_tuple *t)
{
    size_t ofs = nl_msg_start_nested(buf, type);

    nl_msg_put_u16(buf, FP_CHAN_CT_TUPLE_L3_TYPE, t->l3_type);
    nl_msg_put_u8(buf, FP_CHAN_CT_TUPLE_IP_PROTO, t->ip_proto);
    nl_msg_put_unspec(buf, FP_CHAN_CT_TUPLE_SRC, &t->src, sizeof t->src);
    nl_msg_put_unspec(buf, FP_CHAN_CT_TUPLE_DST, &t->dst, sizeof t->dst);
    nl_msg_put_unspec(buf, FP_CHAN_CT_TUPLE_SRC_PORT, &t->src_port,
                      sizeof t->src_port);
    nl_msg_put_unspec(buf, FP_CHAN_CT_TUPLE_DST_PORT, &t->dst_port,
                      sizeof t->dst_port);
    nl_msg_end_nested(buf, ofs);
}

/* Sets 't' from the nested tuple 'nla'; what it leaves out is zero. */
bool
fp_chan_get_ct_tuple(const struct nlattr *nla, struct ct_dpif_tuple *t)
{
#define FIXED(N) .type = NL_A_UNSPEC, .min_len = (N), .max_len = (N)
    static const struct nl_policy policy[] = {
        [FP_CHAN_CT_TUPLE_L3_TYPE] = { .type = NL_A_U16 },
        [FP_CHAN_CT_TUPLE_IP_PROTO] = { .type = NL_A_U8 },
        [FP_CHAN_CT_TUPLE_SRC] = { FIXED(16), .optional = true },
        [FP_CHAN_CT_TUPLE_DST] = { FIXED(16), .optional = true },
        [FP_CHAN_CT_TUPLE_SRC_PORT] = { FIXED(2), .optional = true },
        [FP_CHAN_CT_TUPLE_DST_PORT] = { FIXED(2), .optional = true },
    };
#undef FIXED
    struct nlattr *a[ARRAY_SIZE(policy)];

    BUILD_ASSERT_DECL(sizeof t->src == 16 && sizeof t->dst == 16);
    memset(t, 0, sizeof *t);
    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    t->l3_type = nl_attr_get_u16(a[FP_CHAN_CT_TUPLE_L3_TYPE]);
    t->ip_proto = nl_attr_get_u8(a[FP_CHAN_CT_TUPLE_IP_PROTO]);
    if (a[FP_CHAN_CT_TUPLE_SRC]) {
        memcpy(&t->src, nl_attr_get(a[FP_CHAN_CT_TUPLE_SRC]), 16);
    }
    if (a[FP_CHAN_CT_TUPLE_DST]) {
        memcpy(&t->dst, nl_attr_get(a[FP_CHAN_CT_TUPLE_DST]), 16);
    }
    if (a[FP_CHAN_CT_TUPLE_SRC_PORT]) {
        memcpy(&t->src_port, nl_attr_get(a[FP_CHAN_CT_TUPLE_SRC_PORT]), 2);
    }
    if (a[FP_CHAN_CT_TUPLE_DST_PORT]) {
        memcpy(&t->dst_port, nl_attr_get(a[FP_CHAN_CT_TUPLE_DST_PORT]), 2);
    }
    return true;
}

/* Entries. */

/* Appends 'e' as an FP_CHAN_A_ITEM of FP_CHAN_A_CT_ENTRIES. */
void
fp_chan_put_ct_entry(struct ofpbuf *buf, const struct ct_dpif_entry *e)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_ITEM);

    fp_chan_put_ct_tuple(buf, FP_CHAN_CT_ENTRY_ORIG, &e->tuple_orig);
    fp_chan_put_ct_tuple(buf, FP_CHAN_CT_ENTRY_REPLY, &e->tuple_reply);
    if (e->tuple_parent.l3_type) {
        fp_chan_put_ct_tuple(buf, FP_CHAN_CT_ENTRY_PARENT, &e->tuple_parent);
    }
    if (e->helper.name) {
        nl_msg_put_string(buf, FP_CHAN_CT_ENTRY_HELPER, e->helper.name);
    }
    nl_msg_put_u32(buf, FP_CHAN_CT_ENTRY_ID, e->id);
    nl_msg_put_u16(buf, FP_CHAN_CT_ENTRY_ZONE, e->zone);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_PACKETS_ORIG,
                   e->counters_orig.packets);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_BYTES_ORIG, e->counters_orig.bytes);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_PACKETS_REPLY,
                   e->counters_reply.packets);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_BYTES_REPLY,
                   e->counters_reply.bytes);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_START, e->timestamp.start);
    nl_msg_put_u64(buf, FP_CHAN_CT_ENTRY_STOP, e->timestamp.stop);
    nl_msg_put_u16(buf, FP_CHAN_CT_ENTRY_PROTO, e->protoinfo.proto);
    if (e->protoinfo.proto == IPPROTO_TCP) {
        uint8_t state[6] = {
            e->protoinfo.tcp.state_orig, e->protoinfo.tcp.state_reply,
            e->protoinfo.tcp.wscale_orig, e->protoinfo.tcp.wscale_reply,
            e->protoinfo.tcp.flags_orig, e->protoinfo.tcp.flags_reply,
        };

        nl_msg_put_unspec(buf, FP_CHAN_CT_ENTRY_PROTO_STATE, state,
                          sizeof state);
    } else if (e->protoinfo.proto == IPPROTO_SCTP) {
        uint8_t state[6] = { e->protoinfo.sctp.state };
        uint32_t vtags[2] = { e->protoinfo.sctp.vtag_orig,
                              e->protoinfo.sctp.vtag_reply };

        nl_msg_put_unspec(buf, FP_CHAN_CT_ENTRY_PROTO_STATE, state,
                          sizeof state);
        nl_msg_put_unspec(buf, FP_CHAN_CT_ENTRY_SCTP_VTAGS, vtags,
                          sizeof vtags);
    }
    /* OVS's userspace connection tracker sets labels without
     * 'have_labels'. */
    if (e->have_labels || !ovs_u128_is_zero(e->labels)) {
        nl_msg_put_u128(buf, FP_CHAN_CT_ENTRY_LABELS, e->labels);
    }
    nl_msg_put_u32(buf, FP_CHAN_CT_ENTRY_STATUS, e->status);
    nl_msg_put_u32(buf, FP_CHAN_CT_ENTRY_TIMEOUT, e->timeout);
    nl_msg_put_u32(buf, FP_CHAN_CT_ENTRY_MARK, e->mark);
    nl_msg_put_u32(buf, FP_CHAN_CT_ENTRY_BKT, e->bkt);
    nl_msg_end_nested(buf, ofs);
}

static uint64_t
get_u64_or_0(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u64(nla) : 0;
}

static uint32_t
get_u32_or_0(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u32(nla) : 0;
}

/* Sets 'e' from 'item', an FP_CHAN_A_ITEM of FP_CHAN_A_CT_ENTRIES.  On
 * success the caller owns what 'e' holds (ct_dpif_entry_uninit()). */
bool
fp_chan_get_ct_entry(const struct nlattr *item, struct ct_dpif_entry *e)
{
#define OPT(TYPE) { .type = (TYPE), .optional = true }
    static const struct nl_policy policy[] = {
        [FP_CHAN_CT_ENTRY_ORIG] = { .type = NL_A_NESTED },
        [FP_CHAN_CT_ENTRY_REPLY] = { .type = NL_A_NESTED },
        [FP_CHAN_CT_ENTRY_PARENT] = OPT(NL_A_NESTED),
        [FP_CHAN_CT_ENTRY_HELPER] = { .type = NL_A_STRING, .max_len = 64,
                                      .optional = true },
        [FP_CHAN_CT_ENTRY_ID] = OPT(NL_A_U32),
        [FP_CHAN_CT_ENTRY_ZONE] = OPT(NL_A_U16),
        [FP_CHAN_CT_ENTRY_PACKETS_ORIG] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_BYTES_ORIG] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_PACKETS_REPLY] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_BYTES_REPLY] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_START] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_STOP] = OPT(NL_A_U64),
        [FP_CHAN_CT_ENTRY_PROTO] = OPT(NL_A_U16),
        [FP_CHAN_CT_ENTRY_PROTO_STATE] = { .type = NL_A_UNSPEC,
                                           .min_len = 6, .max_len = 6,
                                           .optional = true },
        [FP_CHAN_CT_ENTRY_SCTP_VTAGS] = { .type = NL_A_UNSPEC,
                                          .min_len = 8, .max_len = 8,
                                          .optional = true },
        [FP_CHAN_CT_ENTRY_LABELS] = OPT(NL_A_U128),
        [FP_CHAN_CT_ENTRY_STATUS] = OPT(NL_A_U32),
        [FP_CHAN_CT_ENTRY_TIMEOUT] = OPT(NL_A_U32),
        [FP_CHAN_CT_ENTRY_MARK] = OPT(NL_A_U32),
        [FP_CHAN_CT_ENTRY_BKT] = OPT(NL_A_U32),
    };
#undef OPT
    struct nlattr *a[ARRAY_SIZE(policy)];

    memset(e, 0, sizeof *e);
    if (nl_attr_type(item) != FP_CHAN_A_ITEM
        || !nl_parse_nested(item, policy, a, ARRAY_SIZE(policy))
        || !fp_chan_get_ct_tuple(a[FP_CHAN_CT_ENTRY_ORIG], &e->tuple_orig)
        || !fp_chan_get_ct_tuple(a[FP_CHAN_CT_ENTRY_REPLY], &e->tuple_reply)
        || (a[FP_CHAN_CT_ENTRY_PARENT]
            && !fp_chan_get_ct_tuple(a[FP_CHAN_CT_ENTRY_PARENT],
                                     &e->tuple_parent))) {
        memset(e, 0, sizeof *e);
        return false;
    }
    if (a[FP_CHAN_CT_ENTRY_HELPER]) {
        e->helper.name = xstrdup(nl_attr_get_string(
                                     a[FP_CHAN_CT_ENTRY_HELPER]));
    }
    e->id = get_u32_or_0(a[FP_CHAN_CT_ENTRY_ID]);
    e->zone = (a[FP_CHAN_CT_ENTRY_ZONE]
               ? nl_attr_get_u16(a[FP_CHAN_CT_ENTRY_ZONE]) : 0);
    e->counters_orig.packets = get_u64_or_0(a[FP_CHAN_CT_ENTRY_PACKETS_ORIG]);
    e->counters_orig.bytes = get_u64_or_0(a[FP_CHAN_CT_ENTRY_BYTES_ORIG]);
    e->counters_reply.packets
        = get_u64_or_0(a[FP_CHAN_CT_ENTRY_PACKETS_REPLY]);
    e->counters_reply.bytes = get_u64_or_0(a[FP_CHAN_CT_ENTRY_BYTES_REPLY]);
    e->timestamp.start = get_u64_or_0(a[FP_CHAN_CT_ENTRY_START]);
    e->timestamp.stop = get_u64_or_0(a[FP_CHAN_CT_ENTRY_STOP]);
    e->protoinfo.proto = (a[FP_CHAN_CT_ENTRY_PROTO]
                          ? nl_attr_get_u16(a[FP_CHAN_CT_ENTRY_PROTO]) : 0);
    if (a[FP_CHAN_CT_ENTRY_PROTO_STATE]) {
        const uint8_t *s = nl_attr_get(a[FP_CHAN_CT_ENTRY_PROTO_STATE]);

        if (e->protoinfo.proto == IPPROTO_TCP) {
            e->protoinfo.tcp.state_orig = s[0];
            e->protoinfo.tcp.state_reply = s[1];
            e->protoinfo.tcp.wscale_orig = s[2];
            e->protoinfo.tcp.wscale_reply = s[3];
            e->protoinfo.tcp.flags_orig = s[4];
            e->protoinfo.tcp.flags_reply = s[5];
        } else if (e->protoinfo.proto == IPPROTO_SCTP) {
            e->protoinfo.sctp.state = s[0];
        }
    }
    if (a[FP_CHAN_CT_ENTRY_SCTP_VTAGS]
        && e->protoinfo.proto == IPPROTO_SCTP) {
        uint32_t vtags[2];

        memcpy(vtags, nl_attr_get(a[FP_CHAN_CT_ENTRY_SCTP_VTAGS]),
               sizeof vtags);
        e->protoinfo.sctp.vtag_orig = vtags[0];
        e->protoinfo.sctp.vtag_reply = vtags[1];
    }
    if (a[FP_CHAN_CT_ENTRY_LABELS]) {
        e->labels = nl_attr_get_u128(a[FP_CHAN_CT_ENTRY_LABELS]);
        e->have_labels = true;
    }
    e->status = get_u32_or_0(a[FP_CHAN_CT_ENTRY_STATUS]);
    e->timeout = get_u32_or_0(a[FP_CHAN_CT_ENTRY_TIMEOUT]);
    e->mark = get_u32_or_0(a[FP_CHAN_CT_ENTRY_MARK]);
    e->bkt = get_u32_or_0(a[FP_CHAN_CT_ENTRY_BKT]);
    return true;
}

/* Zone limits: lists of struct ct_dpif_zone_limit. */

/* Appends 'limits' as FP_CHAN_A_CT_ZONE_LIMITS. */
void
fp_chan_put_zone_limits(struct ofpbuf *buf, const struct ovs_list *limits)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_CT_ZONE_LIMITS);
    const struct ct_dpif_zone_limit *zl;

    LIST_FOR_EACH (zl, node, limits) {
        size_t item = nl_msg_start_nested(buf, FP_CHAN_A_ITEM);

        nl_msg_put_u16(buf, FP_CHAN_CT_LIMIT_ZONE, zl->zone);
        nl_msg_put_u32(buf, FP_CHAN_CT_LIMIT_LIMIT, zl->limit);
        nl_msg_put_u32(buf, FP_CHAN_CT_LIMIT_COUNT, zl->count);
        nl_msg_end_nested(buf, item);
    }
    nl_msg_end_nested(buf, ofs);
}

/* Appends the limits of FP_CHAN_A_CT_ZONE_LIMITS 'nla' to 'limits', or, if
 * any is malformed, none. */
bool
fp_chan_get_zone_limits(const struct nlattr *nla, struct ovs_list *limits)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_CT_LIMIT_ZONE] = { .type = NL_A_U16 },
        [FP_CHAN_CT_LIMIT_LIMIT] = { .type = NL_A_U32, .optional = true },
        [FP_CHAN_CT_LIMIT_COUNT] = { .type = NL_A_U32, .optional = true },
    };
    struct ovs_list parsed = OVS_LIST_INITIALIZER(&parsed);
    const struct nlattr *item;
    size_t left;

    NL_NESTED_FOR_EACH (item, left, nla) {
        struct nlattr *a[ARRAY_SIZE(policy)];

        if (nl_attr_type(item) != FP_CHAN_A_ITEM
            || !nl_parse_nested(item, policy, a, ARRAY_SIZE(policy))) {
            ct_dpif_free_zone_limits(&parsed);
            return false;
        }
        ct_dpif_push_zone_limit(&parsed,
                                nl_attr_get_u16(a[FP_CHAN_CT_LIMIT_ZONE]),
                                get_u32_or_0(a[FP_CHAN_CT_LIMIT_LIMIT]),
                                get_u32_or_0(a[FP_CHAN_CT_LIMIT_COUNT]));
    }
    if (left) {
        ct_dpif_free_zone_limits(&parsed);
        return false;
    }
    if (!ovs_list_is_empty(&parsed)) {
        ovs_list_splice(limits, ovs_list_front(&parsed), &parsed);
    }
    return true;
}

/* Timeout policies. */

void
fp_chan_put_timeout_policy(struct ofpbuf *buf,
                           const struct ct_dpif_timeout_policy *tp)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_CT_TP);
    size_t timeouts;

    nl_msg_put_u32(buf, FP_CHAN_CT_TP_ID, tp->id);
    timeouts = nl_msg_start_nested(buf, FP_CHAN_CT_TP_TIMEOUTS);
    for (int i = 0; i < CT_DPIF_TP_ATTR_MAX; i++) {
        if (tp->present & (1u << i)) {
            nl_msg_put_u32(buf, i + 1, tp->attrs[i]);
        }
    }
    nl_msg_end_nested(buf, timeouts);
    nl_msg_end_nested(buf, ofs);
}

/* Sets 'tp' from FP_CHAN_A_CT_TP 'nla'; timeouts of a later version's
 * kinds are left out. */
bool
fp_chan_get_timeout_policy(const struct nlattr *nla,
                           struct ct_dpif_timeout_policy *tp)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_CT_TP_ID] = { .type = NL_A_U32 },
        [FP_CHAN_CT_TP_TIMEOUTS] = { .type = NL_A_NESTED, .optional = true },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];

    memset(tp, 0, sizeof *tp);
    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    tp->id = nl_attr_get_u32(a[FP_CHAN_CT_TP_ID]);
    if (a[FP_CHAN_CT_TP_TIMEOUTS]) {
        const struct nlattr *t;
        size_t left;

        NL_NESTED_FOR_EACH (t, left, a[FP_CHAN_CT_TP_TIMEOUTS]) {
            uint16_t type = nl_attr_type(t);

            if (nl_attr_get_size(t) != sizeof(uint32_t)) {
                memset(tp, 0, sizeof *tp);
                return false;
            }
            if (type >= 1 && type <= CT_DPIF_TP_ATTR_MAX) {
                tp->attrs[type - 1] = nl_attr_get_u32(t);
                tp->present |= 1u << (type - 1);
            }
        }
        if (left) {
            memset(tp, 0, sizeof *tp);
            return false;
        }
    }
    return true;
}

/* Fragment reassembly's status. */

static void
put_ipf_proto(struct ofpbuf *buf, uint16_t type,
              const struct dpif_ipf_proto_status *p)
{
    size_t ofs = nl_msg_start_nested(buf, type);

    nl_msg_put_u64(buf, FP_CHAN_IPF_ACCEPTED, p->nfrag_accepted);
    nl_msg_put_u64(buf, FP_CHAN_IPF_COMPLETED_SENT, p->nfrag_completed_sent);
    nl_msg_put_u64(buf, FP_CHAN_IPF_EXPIRED_SENT, p->nfrag_expired_sent);
    nl_msg_put_u64(buf, FP_CHAN_IPF_TOO_SMALL, p->nfrag_too_small);
    nl_msg_put_u64(buf, FP_CHAN_IPF_OVERLAP, p->nfrag_overlap);
    nl_msg_put_u64(buf, FP_CHAN_IPF_PURGED, p->nfrag_purged);
    nl_msg_put_u32(buf, FP_CHAN_IPF_MIN_FRAG_SIZE, p->min_frag_size);
    nl_msg_put_u32(buf, FP_CHAN_IPF_ENABLED, p->enabled);
    nl_msg_end_nested(buf, ofs);
}

static bool
get_ipf_proto(const struct nlattr *nla, struct dpif_ipf_proto_status *p)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_IPF_ACCEPTED] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_COMPLETED_SENT] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_EXPIRED_SENT] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_TOO_SMALL] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_OVERLAP] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_PURGED] = { .type = NL_A_U64, .optional = true },
        [FP_CHAN_IPF_MIN_FRAG_SIZE] = { .type = NL_A_U32, .optional = true },
        [FP_CHAN_IPF_ENABLED] = { .type = NL_A_U32, .optional = true },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];

    if (!nla || !nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    p->nfrag_accepted = get_u64_or_0(a[FP_CHAN_IPF_ACCEPTED]);
    p->nfrag_completed_sent = get_u64_or_0(a[FP_CHAN_IPF_COMPLETED_SENT]);
    p->nfrag_expired_sent = get_u64_or_0(a[FP_CHAN_IPF_EXPIRED_SENT]);
    p->nfrag_too_small = get_u64_or_0(a[FP_CHAN_IPF_TOO_SMALL]);
    p->nfrag_overlap = get_u64_or_0(a[FP_CHAN_IPF_OVERLAP]);
    p->nfrag_purged = get_u64_or_0(a[FP_CHAN_IPF_PURGED]);
    p->min_frag_size = get_u32_or_0(a[FP_CHAN_IPF_MIN_FRAG_SIZE]);
    p->enabled = get_u32_or_0(a[FP_CHAN_IPF_ENABLED]) != 0;
    return true;
}

void
fp_chan_put_ipf_status(struct ofpbuf *buf, const struct dpif_ipf_status *s)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_IPF_STATUS);

    put_ipf_proto(buf, FP_CHAN_IPF_V4, &s->v4);
    put_ipf_proto(buf, FP_CHAN_IPF_V6, &s->v6);
    nl_msg_put_u32(buf, FP_CHAN_IPF_NFRAG, s->nfrag);
    nl_msg_put_u32(buf, FP_CHAN_IPF_NFRAG_MAX, s->nfrag_max);
    nl_msg_end_nested(buf, ofs);
}

bool
fp_chan_get_ipf_status(const struct nlattr *nla, struct dpif_ipf_status *s)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_IPF_V4] = { .type = NL_A_NESTED },
        [FP_CHAN_IPF_V6] = { .type = NL_A_NESTED },
        [FP_CHAN_IPF_NFRAG] = { .type = NL_A_U32, .optional = true },
        [FP_CHAN_IPF_NFRAG_MAX] = { .type = NL_A_U32, .optional = true },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];

    memset(s, 0, sizeof *s);
    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))
        || !get_ipf_proto(a[FP_CHAN_IPF_V4], &s->v4)
        || !get_ipf_proto(a[FP_CHAN_IPF_V6], &s->v6)) {
        memset(s, 0, sizeof *s);
        return false;
    }
    s->nfrag = get_u32_or_0(a[FP_CHAN_IPF_NFRAG]);
    s->nfrag_max = get_u32_or_0(a[FP_CHAN_IPF_NFRAG_MAX]);
    return true;
}

/* Appends the strings of the list 'nla' (FP_CHAN_A_IPF_DUMP) to 'strings',
 * or, if any is malformed, none. */
bool
fp_chan_get_strings(const struct nlattr *nla, struct svec *strings)
{
    static const struct nl_policy string = { .type = NL_A_STRING,
                                             .max_len = 4096 };
    const struct nlattr *item;
    size_t left;

    NL_NESTED_FOR_EACH (item, left, nla) {
        if (nl_attr_type(item) != FP_CHAN_A_ITEM
            || !nl_attr_validate(item, &string)) {
            return false;
        }
    }
    if (left) {
        return false;
    }
    NL_NESTED_FOR_EACH (item, left, nla) {
        svec_add(strings, nl_attr_get_string(item));
    }
    return true;
}

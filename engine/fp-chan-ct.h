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


#ifndef FP_CHAN_CT_H
#define FP_CHAN_CT_H 1

/* The channel's conntrack values (engine/fp-chan.h, FP_CHAN_CT_* and
 * FP_CHAN_IPF_* commands): how the ct-dpif types that the dpif's ct_* and
 * ipf_* members take and give travel as nested attributes, written and
 * read by both ends.  Every reader checks what it reads and returns false
 * on anything malformed; attributes it does not know (from a later
 * version) it leaves out. */

#include <stdbool.h>
#include <stdint.h>

struct ct_dpif_entry;
struct ct_dpif_timeout_policy;
struct ct_dpif_tuple;
struct dpif_ipf_status;
struct nlattr;
struct ofpbuf;
struct ovs_list;
struct svec;

/* Inside FP_CHAN_A_CT_TUPLE and the tuples of an entry. */
enum fp_chan_ct_tuple_attr {
    FP_CHAN_CT_TUPLE_L3_TYPE = 1,   /* u16: AF_INET or AF_INET6. */
    FP_CHAN_CT_TUPLE_IP_PROTO,      /* u8. */
    FP_CHAN_CT_TUPLE_SRC,           /* 16 bytes: an IPv6 address, or an
                                     * IPv4 one in the first 4. */
    FP_CHAN_CT_TUPLE_DST,           /* The same. */
    FP_CHAN_CT_TUPLE_SRC_PORT,      /* 2 bytes: the port, or ICMP id, in
                                     * network order. */
    FP_CHAN_CT_TUPLE_DST_PORT,      /* 2 bytes: the port, or ICMP type and
                                     * code. */
};

/* Inside each item of FP_CHAN_A_CT_ENTRIES. */
enum fp_chan_ct_entry_attr {
    FP_CHAN_CT_ENTRY_ORIG = 1,      /* nested: its original tuple. */
    FP_CHAN_CT_ENTRY_REPLY,         /* nested: its reply tuple. */
    FP_CHAN_CT_ENTRY_PARENT,        /* nested: its parent's tuple. */
    FP_CHAN_CT_ENTRY_HELPER,        /* string: its helper's name. */
    FP_CHAN_CT_ENTRY_ID,            /* u32. */
    FP_CHAN_CT_ENTRY_ZONE,          /* u16. */
    FP_CHAN_CT_ENTRY_PACKETS_ORIG,  /* u64. */
    FP_CHAN_CT_ENTRY_BYTES_ORIG,    /* u64. */
    FP_CHAN_CT_ENTRY_PACKETS_REPLY, /* u64. */
    FP_CHAN_CT_ENTRY_BYTES_REPLY,   /* u64. */
    FP_CHAN_CT_ENTRY_START,         /* u64: when made, ns. */
    FP_CHAN_CT_ENTRY_STOP,          /* u64: when deleted, ns. */
    FP_CHAN_CT_ENTRY_PROTO,         /* u16: its protocol's state is
                                     * that of this IPPROTO_*. */
    FP_CHAN_CT_ENTRY_PROTO_STATE,   /* 6 bytes: TCP's state, window scale
                                     * and flags, each original then
                                     * reply; or SCTP's state. */
    FP_CHAN_CT_ENTRY_SCTP_VTAGS,    /* 2 x u32: SCTP's verification tags,
                                     * original then reply. */
    FP_CHAN_CT_ENTRY_LABELS,        /* u128. */
    FP_CHAN_CT_ENTRY_STATUS,        /* u32: CT_DPIF_STATUS_* bits. */
    FP_CHAN_CT_ENTRY_TIMEOUT,       /* u32: seconds left. */
    FP_CHAN_CT_ENTRY_MARK,          /* u32. */
    FP_CHAN_CT_ENTRY_BKT,           /* u32: its bucket. */
};

/* Inside each item of FP_CHAN_A_CT_ZONE_LIMITS. */
enum fp_chan_ct_limit_attr {
    FP_CHAN_CT_LIMIT_ZONE = 1,      /* u16. */
    FP_CHAN_CT_LIMIT_LIMIT,         /* u32. */
    FP_CHAN_CT_LIMIT_COUNT,         /* u32. */
};

/* Inside FP_CHAN_A_CT_TP. */
enum fp_chan_ct_tp_attr {
    FP_CHAN_CT_TP_ID = 1,           /* u32. */
    FP_CHAN_CT_TP_TIMEOUTS,         /* nested: u32 seconds, each of type
                                     * CT_DPIF_TP_ATTR_* + 1; those left
                                     * out are not set. */
};

/* Inside FP_CHAN_A_IPF_STATUS. */
enum fp_chan_ipf_attr {
    FP_CHAN_IPF_V4 = 1,             /* nested: FP_CHAN_IPF_PROTO_*. */
    FP_CHAN_IPF_V6,                 /* nested: the same. */
    FP_CHAN_IPF_NFRAG,              /* u32: fragments held. */
    FP_CHAN_IPF_NFRAG_MAX,          /* u32: the most that may be. */
};

/* Inside FP_CHAN_IPF_V4 and FP_CHAN_IPF_V6: the members of struct
 * dpif_ipf_proto_status. */
enum fp_chan_ipf_proto_attr {
    FP_CHAN_IPF_ACCEPTED = 1,       /* u64, as are the next five. */
    FP_CHAN_IPF_COMPLETED_SENT,
    FP_CHAN_IPF_EXPIRED_SENT,
    FP_CHAN_IPF_TOO_SMALL,
    FP_CHAN_IPF_OVERLAP,
    FP_CHAN_IPF_PURGED,
    FP_CHAN_IPF_MIN_FRAG_SIZE,      /* u32. */
    FP_CHAN_IPF_ENABLED,            /* u32: 1 or 0. */
};

void fp_chan_put_ct_tuple(struct ofpbuf *, uint16_t type,
                          const struct ct_dpif_tuple *);
bool fp_chan_get_ct_tuple(const struct nlattr *, struct ct_dpif_tuple *);

void fp_chan_put_ct_entry(struct ofpbuf *, const struct ct_dpif_entry *);
bool fp_chan_get_ct_entry(const struct nlattr *item, struct ct_dpif_entry *);

void fp_chan_put_zone_limits(struct ofpbuf *, const struct ovs_list *);
bool fp_chan_get_zone_limits(const struct nlattr *, struct ovs_list *);

void fp_chan_put_timeout_policy(struct ofpbuf *,
                                const struct ct_dpif_timeout_policy *);
bool fp_chan_get_timeout_policy(const struct nlattr *,
                                struct ct_dpif_timeout_policy *);

void fp_chan_put_ipf_status(struct ofpbuf *, const struct dpif_ipf_status *);
bool fp_chan_get_ipf_status(const struct nlattr *, struct dpif_ipf_status *);

bool fp_chan_get_strings(const struct nlattr *, struct svec *);

#endif /* fp-chan-ct.h */

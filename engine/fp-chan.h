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

#ifndef FP_CHAN_H
#define FP_CHAN_H 1

/* The messages of the channel between ovs-vswitchd's fastpath dpif and
 * fastpathd (Documentation/detached.rst, "The channel"): their framing,
 * their parser and their construction, shared by both ends.
 *
 * A message is a netlink header (struct nlmsghdr: length, command, flags,
 * sequence number, sender's pid) followed by netlink attributes, as
 * dpif-netlink speaks to the kernel, so that flows can travel as the ODP
 * attributes they already are.  A reply carries FP_CHAN_F_REPLY and the
 * request's sequence number; a refusal carries FP_CHAN_A_ERROR (an errno
 * value) and FP_CHAN_A_REASON (text for the log).  The first message on a
 * connection is FP_CHAN_HELLO, and the version it names must be the
 * daemon's. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct dpif_flow_put;
struct nlattr;
struct netdev_stats;
struct ofpbuf;
struct smap;

/* The protocol's version: a client and a daemon talk only if theirs are
 * equal. */
#define FP_CHAN_VERSION 1

/* The longest message either end accepts, header included. */
#define FP_CHAN_MAX_MSG (256 * 1024)

/* Commands (nlmsg_type).  Netlink reserves the types below 16. */
enum fp_chan_cmd {
    FP_CHAN_HELLO = 16,         /* VERSION, PID, NAME; reply: VERSION, PID,
                                 * NAME. */
    FP_CHAN_DP_OPEN,            /* DP_TYPE, DP_NAME, CREATE; reply: empty. */
    FP_CHAN_DP_DEL,             /* DP_NAME; reply: empty. */
    FP_CHAN_PORT_ADD,           /* DP_NAME, PORT_NAME, PORT_TYPE,
                                 * PORT_OPTIONS, PORT_NO; reply: PORT_NO. */
    FP_CHAN_PORT_DEL,           /* DP_NAME, PORT_NO; reply: empty. */
    FP_CHAN_FLOW_PUT,           /* DP_NAME, FLOW_KEY, FLOW_MASK,
                                 * FLOW_ACTIONS, FLOW_UFID, FLOW_FLAGS;
                                 * reply: empty. */
    FP_CHAN_FLOW_DEL,           /* DP_NAME, FLOW_UFID or FLOW_KEY; reply:
                                 * FLOW_PACKETS, FLOW_BYTES. */
    FP_CHAN_FLOW_FLUSH,         /* DP_NAME; reply: empty. */
    FP_CHAN_FLOW_GET,           /* DP_NAME, FLOW_UFID or FLOW_KEY; reply:
                                 * FLOWS with the one flow. */
    FP_CHAN_FLOW_DUMP,          /* DP_NAME, DUMP_POS, TERSE; reply: FLOWS,
                                 * DUMP_POS, DUMP_DONE. */
    FP_CHAN_EXECUTE,            /* DP_NAME, PACKET, FLOW_KEY (its metadata),
                                 * FLOW_ACTIONS; reply: empty. */
    FP_CHAN_PORT_GET,           /* DP_NAME, PORT_NAME or PORT_NO or neither
                                 * (every port); reply: PORTS. */
    FP_CHAN_DP_STATS,           /* DP_NAME; reply: N_HIT, N_MISSED, N_LOST,
                                 * N_FLOWS. */
    FP_CHAN_DP_SET_CONFIG,      /* DP_NAME, CONFIG; reply: empty. */
    FP_CHAN_UPCALL_SET,         /* DP_NAME, ENABLE; reply: empty. */
    FP_CHAN_UPCALL,             /* From fastpathd, unasked: DP_NAME,
                                 * UPCALL_TYPE, PACKET, FLOW_KEY,
                                 * USERDATA. */
    FP_CHAN_PORT_STATE,         /* DP_NAME, PORT_NAME; reply: PORT_STATS,
                                 * PORT_CARRIER, PORT_STATUS, each if the
                                 * device has it. */

    /* Connection tracking (engine/fp-chan-ct.h has the nested forms).
     * Each carries DP_NAME. */
    FP_CHAN_CT_DUMP,            /* CT_ZONE, or CT_DUMP_ID to go on with a
                                 * dump; reply: CT_DUMP_ID, CT_TOT_BKTS,
                                 * CT_ENTRIES, and DUMP_DONE once the dump
                                 * is over (fastpathd then forgets it). */
    FP_CHAN_CT_DUMP_END,        /* CT_DUMP_ID: a dump given up before its
                                 * end; reply: empty. */
    FP_CHAN_CT_FLUSH,           /* CT_ZONE, CT_TUPLE, both optional;
                                 * reply: empty. */
    FP_CHAN_CT_GET_CONFIG,      /* Reply: CT_MAXCONNS, CT_NCONNS,
                                 * CT_TCP_SEQ_CHK. */
    FP_CHAN_CT_SET_CONFIG,      /* CT_MAXCONNS, CT_TCP_SEQ_CHK, each
                                 * optional; reply: empty. */
    FP_CHAN_CT_SET_LIMITS,      /* CT_DEFAULT_LIMIT, CT_ZONE_LIMITS; reply:
                                 * empty. */
    FP_CHAN_CT_GET_LIMITS,      /* CT_ZONE_LIMITS (none: every zone);
                                 * reply: CT_DEFAULT_LIMIT,
                                 * CT_ZONE_LIMITS. */
    FP_CHAN_CT_DEL_LIMITS,      /* CT_ZONE_LIMITS; reply: empty. */
    FP_CHAN_CT_SET_TP,          /* CT_TP; reply: empty. */
    FP_CHAN_CT_GET_TP,          /* CT_TP_ID; reply: CT_TP. */
    FP_CHAN_CT_DEL_TP,          /* CT_TP_ID; reply: empty. */
    FP_CHAN_IPF_SET,            /* IPF_V6, and IPF_ENABLED, IPF_MIN_FRAG or
                                 * IPF_MAX_NFRAGS; reply: empty. */
    FP_CHAN_IPF_STATUS,         /* Reply: IPF_STATUS. */
    FP_CHAN_IPF_DUMP,           /* Reply: IPF_DUMP. */

    /* Meters (engine/fp-chan-meter.h has the nested forms).  Each carries
     * DP_NAME. */
    FP_CHAN_METER_FEATURES,     /* Reply: METER_FEATURES. */
    FP_CHAN_METER_SET,          /* METER_ID, METER_CONFIG; reply: empty. */
    FP_CHAN_METER_GET,          /* METER_ID, METER_N_BANDS; reply:
                                 * METER_STATS with up to METER_N_BANDS
                                 * bands' counters. */
    FP_CHAN_METER_DEL,          /* The same; the meter goes. */

    /* Upcall flow control. */
    FP_CHAN_UPCALL_CREDIT,      /* DP_NAME, UPCALL_CREDIT; reply: empty.
                                 * fastpathd may send that many more of the
                                 * datapath's upcalls.  From the first one
                                 * on (until upcalls are turned off or the
                                 * client goes) it sends none without
                                 * credit: the rest wait in their ports'
                                 * queues there.  A client that never sends
                                 * one gets every upcall at once. */

    /* The engine's ovs-appctl commands. */
    FP_CHAN_APPCTL,             /* APPCTL_ARGV; reply: APPCTL_OUTPUT, and
                                 * APPCTL_FAILED if the command failed (the
                                 * output then says why). */

    /* Every refusal: ERROR and REASON. */
};

/* Flags (nlmsg_flags). */
enum {
    FP_CHAN_F_REPLY = 1 << 0,   /* An answer to the request of this seq. */
};

/* Attributes. */
enum fp_chan_attr {
    FP_CHAN_A_UNSPEC,
    FP_CHAN_A_VERSION,          /* u32: the sender's FP_CHAN_VERSION. */
    FP_CHAN_A_PID,              /* u32: the sender's process id. */
    FP_CHAN_A_NAME,             /* string: the sender's program name, at
                                 * most 63 bytes. */
    FP_CHAN_A_ERROR,            /* u32: why a request is refused (errno). */
    FP_CHAN_A_REASON,           /* string: the same, for people. */
    FP_CHAN_A_DP_TYPE,          /* string: a datapath's dpif type. */
    FP_CHAN_A_DP_NAME,          /* string: a datapath's name. */
    FP_CHAN_A_CREATE,           /* flag: make it if it does not exist. */
    FP_CHAN_A_PORT_NAME,        /* string: a port's name. */
    FP_CHAN_A_PORT_TYPE,        /* string: its netdev type. */
    FP_CHAN_A_PORT_OPTIONS,     /* nested: FP_CHAN_A_OPTION, each
                                 * "key=value", its Interface options. */
    FP_CHAN_A_PORT_NO,          /* u32: an ODP port number. */
    FP_CHAN_A_FLOW_KEY,         /* OVS_KEY_ATTR_* attributes. */
    FP_CHAN_A_FLOW_MASK,        /* The same, as a mask. */
    FP_CHAN_A_FLOW_ACTIONS,     /* OVS_ACTION_ATTR_* attributes. */
    FP_CHAN_A_FLOW_UFID,        /* u128: the flow's unique id. */
    FP_CHAN_A_FLOW_FLAGS,       /* u32: DPIF_FP_* of a put. */
    FP_CHAN_A_FLOW_PACKETS,     /* u64: packets that hit the flow. */
    FP_CHAN_A_FLOW_BYTES,       /* u64: their bytes. */
    FP_CHAN_A_FLOW_USED,        /* u64: when last hit, msec (0: never). */
    FP_CHAN_A_FLOW_TCP_FLAGS,   /* u16: TCP flags seen. */
    FP_CHAN_A_FLOWS,            /* nested: FP_CHAN_A_ITEM, each nested with
                                 * FLOW_KEY, FLOW_MASK, FLOW_ACTIONS,
                                 * FLOW_UFID, FLOW_PACKETS, FLOW_BYTES,
                                 * FLOW_USED, FLOW_TCP_FLAGS. */
    FP_CHAN_A_DUMP_POS,         /* 3 x u32: where a flow dump goes on. */
    FP_CHAN_A_DUMP_DONE,        /* flag: the dump went past the last flow. */
    FP_CHAN_A_TERSE,            /* flag: flows without key, mask, actions. */
    FP_CHAN_A_PACKET,           /* A whole Ethernet frame. */
    FP_CHAN_A_UPCALL_TYPE,      /* u32: DPIF_UC_MISS or DPIF_UC_ACTION. */
    FP_CHAN_A_USERDATA,         /* The OVS_USERSPACE_ATTR_USERDATA attribute
                                 * of a userspace() action, whole. */
    FP_CHAN_A_PORTS,            /* nested: FP_CHAN_A_ITEM, each nested with
                                 * PORT_NO, PORT_NAME, PORT_TYPE. */
    FP_CHAN_A_CONFIG,           /* nested: FP_CHAN_A_OPTION, each
                                 * "key=value", other_config of the
                                 * Open_vSwitch table. */
    FP_CHAN_A_N_HIT,            /* u64: packets that hit a flow. */
    FP_CHAN_A_N_MISSED,         /* u64: packets that missed. */
    FP_CHAN_A_N_LOST,           /* u64: misses lost. */
    FP_CHAN_A_N_FLOWS,          /* u64: flows in the table. */
    FP_CHAN_A_ENABLE,           /* flag: on (without it: off). */
    FP_CHAN_A_PORT_STATS,       /* nested: FP_CHAN_STAT_*, each u64: a
                                 * port's device counters. */
    FP_CHAN_A_PORT_CARRIER,     /* u32: its link is up (1) or down (0). */
    FP_CHAN_A_PORT_STATUS,      /* nested: FP_CHAN_A_OPTION, each
                                 * "key=value": its device's status. */
    FP_CHAN_A_CT_ZONE,          /* u16: a conntrack zone. */
    FP_CHAN_A_CT_TUPLE,         /* nested: FP_CHAN_CT_TUPLE_*. */
    FP_CHAN_A_CT_DUMP_ID,       /* u32: a dump that fastpathd holds. */
    FP_CHAN_A_CT_TOT_BKTS,      /* u32: the conntrack table's buckets. */
    FP_CHAN_A_CT_ENTRIES,       /* nested: FP_CHAN_A_ITEM, each nested
                                 * FP_CHAN_CT_ENTRY_*. */
    FP_CHAN_A_CT_MAXCONNS,      /* u32: the most connections tracked. */
    FP_CHAN_A_CT_NCONNS,        /* u32: those tracked now. */
    FP_CHAN_A_CT_TCP_SEQ_CHK,   /* u32: TCP sequence numbers checked (1) or
                                 * not (0). */
    FP_CHAN_A_CT_DEFAULT_LIMIT, /* u32: connections a zone without a limit
                                 * of its own may have (0: no limit). */
    FP_CHAN_A_CT_ZONE_LIMITS,   /* nested: FP_CHAN_A_ITEM, each nested
                                 * FP_CHAN_CT_LIMIT_*. */
    FP_CHAN_A_CT_TP,            /* nested: FP_CHAN_CT_TP_*: a timeout
                                 * policy. */
    FP_CHAN_A_CT_TP_ID,         /* u32: a timeout policy's id. */
    FP_CHAN_A_IPF_V6,           /* flag: IPv6 fragments (without it:
                                 * IPv4). */
    FP_CHAN_A_IPF_ENABLED,      /* u32: reassembly on (1) or off (0). */
    FP_CHAN_A_IPF_MIN_FRAG,     /* u32: the smallest fragment taken. */
    FP_CHAN_A_IPF_MAX_NFRAGS,   /* u32: the most fragments held. */
    FP_CHAN_A_IPF_STATUS,       /* nested: FP_CHAN_IPF_*. */
    FP_CHAN_A_IPF_DUMP,         /* nested: FP_CHAN_A_ITEM, each a string:
                                 * a fragment list, as dpctl shows it. */
    FP_CHAN_A_METER_ID,         /* u32: an OpenFlow meter's datapath id. */
    FP_CHAN_A_METER_CONFIG,     /* nested: FP_CHAN_METER_CONFIG_*. */
    FP_CHAN_A_METER_N_BANDS,    /* u32: bands whose counters are wanted. */
    FP_CHAN_A_METER_STATS,      /* nested: FP_CHAN_METER_STATS_*. */
    FP_CHAN_A_METER_FEATURES,   /* nested: FP_CHAN_METER_FEATURES_*. */
    FP_CHAN_A_UPCALL_CREDIT,    /* u32: more upcalls that may be sent. */
    FP_CHAN_A_APPCTL_ARGV,      /* nested: FP_CHAN_A_ITEM, each a string:
                                 * a "fastpath/" command and its
                                 * arguments. */
    FP_CHAN_A_APPCTL_OUTPUT,    /* string: what the command printed, cut to
                                 * FP_CHAN_APPCTL_MAX_OUTPUT bytes. */
    FP_CHAN_A_APPCTL_FAILED,    /* flag: the command failed. */
    FP_CHAN_A_MAX = FP_CHAN_A_APPCTL_FAILED
};

/* The attributes inside FP_CHAN_A_PORT_STATS, the counters of struct
 * netdev_stats that a port's stand-in reports. */
enum fp_chan_stat {
    FP_CHAN_STAT_RX_PACKETS = 1,
    FP_CHAN_STAT_TX_PACKETS,
    FP_CHAN_STAT_RX_BYTES,
    FP_CHAN_STAT_TX_BYTES,
    FP_CHAN_STAT_RX_ERRORS,
    FP_CHAN_STAT_TX_ERRORS,
    FP_CHAN_STAT_RX_DROPPED,
    FP_CHAN_STAT_TX_DROPPED,
    FP_CHAN_STAT_MAX = FP_CHAN_STAT_TX_DROPPED
};

/* The one attribute inside FP_CHAN_A_PORT_OPTIONS and FP_CHAN_A_CONFIG. */
enum { FP_CHAN_A_OPTION = 1 };

/* The longest FP_CHAN_A_APPCTL_OUTPUT, with its NUL: an attribute's length
 * has 16 bits. */
enum { FP_CHAN_APPCTL_MAX_OUTPUT = 60000 };

/* The one attribute inside FP_CHAN_A_FLOWS and FP_CHAN_A_PORTS. */
enum { FP_CHAN_A_ITEM = 1 };

/* A message parsed in place: 'attrs' point into the bytes parsed. */
struct fp_chan_msg {
    uint16_t cmd;
    uint16_t flags;
    uint32_t seq;
    uint32_t pid;
    const struct nlattr *attrs[FP_CHAN_A_MAX + 1];
};

int fp_chan_parse(const void *data, size_t size, struct fp_chan_msg *,
                  size_t *msg_len);
const char *fp_chan_cmd_name(uint16_t cmd);

void fp_chan_get_options(const struct nlattr *, struct smap *);
void fp_chan_put_options(struct ofpbuf *, uint16_t type, const struct smap *);
void fp_chan_put_stats(struct ofpbuf *, const struct netdev_stats *);
void fp_chan_get_stats(const struct nlattr *, struct netdev_stats *);
bool fp_chan_parse_item(const struct nlattr *item,
                        const struct nlattr *attrs[FP_CHAN_A_MAX + 1]);

void fp_chan_put_flow_put(struct ofpbuf *, uint32_t seq, const char *dp,
                          const struct dpif_flow_put *);

void fp_chan_msg_start(struct ofpbuf *, uint16_t cmd, uint16_t flags,
                       uint32_t seq);
void fp_chan_msg_finish(struct ofpbuf *, size_t start);
void fp_chan_put_error(struct ofpbuf *, uint16_t cmd, uint32_t seq,
                       int error, const char *reason);

#endif /* fp-chan.h */

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

/* Checks the ODP actions of a flow put before the datapath takes them.
 *
 * OVS's action interpreter (odp_execute_actions()) trusts its input: an
 * attribute of the wrong length, a nested list that does not parse, a set
 * of a field it cannot set, aborts or reads out of bounds.  ofproto-dpif
 * only makes good actions, but dpctl/add-flow and dpctl/mod-flow hand the
 * datapath whatever an administrator typed, so every put is checked here,
 * as the kernel datapath checks its own.  The attribute lengths are those
 * of the ODP interface (lib/odp-netlink.h). */

#include <config.h>
#include "fp-actions-check.h"

#include <errno.h>
#include "fp-ct.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

/* Nested action lists (clone, sample, check_pkt_len) may go this deep. */
enum { FP_ACTIONS_MAX_DEPTH = 16 };

enum { VARIABLE = -1, INVALID = -2 };

/* Where the check is in an action list: how deep in nested lists, and
 * whether the packet is Ethernet at that point (push_eth and pop_eth
 * change that, and the interpreter asserts that each finds what it
 * expects). */
struct state {
    int depth;
    bool is_eth;
};

/* The length of the argument of action 'type', VARIABLE, or INVALID for a
 * type the datapath does not know. */
static int
action_len(unsigned int type)
{
    switch (type) {
    case OVS_ACTION_ATTR_OUTPUT:
    case OVS_ACTION_ATTR_LB_OUTPUT:
    case OVS_ACTION_ATTR_TUNNEL_POP:
    case OVS_ACTION_ATTR_METER:
    case OVS_ACTION_ATTR_RECIRC:
    case OVS_ACTION_ATTR_DROP:
        return sizeof(uint32_t);
    case OVS_ACTION_ATTR_POP_MPLS:
        return sizeof(ovs_be16);
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_CT_CLEAR:
    case OVS_ACTION_ATTR_POP_ETH:
    case OVS_ACTION_ATTR_POP_NSH:
        return 0;
    case OVS_ACTION_ATTR_TRUNC:
        return sizeof(struct ovs_action_trunc);
    case OVS_ACTION_ATTR_PUSH_VLAN:
        return sizeof(struct ovs_action_push_vlan);
    case OVS_ACTION_ATTR_PUSH_MPLS:
        return sizeof(struct ovs_action_push_mpls);
    case OVS_ACTION_ATTR_ADD_MPLS:
        return sizeof(struct ovs_action_add_mpls);
    case OVS_ACTION_ATTR_HASH:
        return sizeof(struct ovs_action_hash);
    case OVS_ACTION_ATTR_PUSH_ETH:
        return sizeof(struct ovs_action_push_eth);
    case OVS_ACTION_ATTR_TUNNEL_PUSH:
    case OVS_ACTION_ATTR_USERSPACE:
    case OVS_ACTION_ATTR_SET:
    case OVS_ACTION_ATTR_SET_MASKED:
    case OVS_ACTION_ATTR_SAMPLE:
    case OVS_ACTION_ATTR_CT:
    case OVS_ACTION_ATTR_CLONE:
    case OVS_ACTION_ATTR_PUSH_NSH:
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
        return VARIABLE;
    default:
        return INVALID;
    }
}

/* The length of key field 'type' that set() may rewrite, VARIABLE, or
 * INVALID if the interpreter cannot set it ('masked': as set_masked()). */
static int
settable_len(unsigned int type, bool masked)
{
    switch (type) {
    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
    case OVS_KEY_ATTR_DP_HASH:
    case OVS_KEY_ATTR_RECIRC_ID:
        return sizeof(uint32_t);
    case OVS_KEY_ATTR_ETHERNET:
        return sizeof(struct ovs_key_ethernet);
    case OVS_KEY_ATTR_IPV4:
        return sizeof(struct ovs_key_ipv4);
    case OVS_KEY_ATTR_IPV6:
        return sizeof(struct ovs_key_ipv6);
    case OVS_KEY_ATTR_TCP:
        return sizeof(struct ovs_key_tcp);
    case OVS_KEY_ATTR_UDP:
        return sizeof(struct ovs_key_udp);
    case OVS_KEY_ATTR_SCTP:
        return sizeof(struct ovs_key_sctp);
    case OVS_KEY_ATTR_MPLS:
        return sizeof(struct ovs_key_mpls);
    case OVS_KEY_ATTR_ARP:
        return sizeof(struct ovs_key_arp);
    case OVS_KEY_ATTR_ND:
        return sizeof(struct ovs_key_nd);
    case OVS_KEY_ATTR_ND_EXTENSIONS:
        return sizeof(struct ovs_key_nd_extensions);
    case OVS_KEY_ATTR_ICMP:
    case OVS_KEY_ATTR_ICMPV6:
        return masked ? INVALID : (int) sizeof(struct ovs_key_icmp);
    case OVS_KEY_ATTR_TUNNEL:
        return masked ? INVALID : VARIABLE;
    case OVS_KEY_ATTR_NSH:
        return VARIABLE;
    default:
        return INVALID;
    }
}

static int check_list(const struct nlattr *, size_t, struct state,
                      struct ds *);

/* The tunnel attributes of set(tunnel()), each of its length: OVS's parser
 * of them (odp_tun_key_from_attr()) asserts on some that are not.  Those
 * that userspace tunnels do not use are refused. */
static int
check_tunnel(const struct nlattr *key, struct ds *why)
{
    const struct nlattr *a;
    size_t left;

    NL_NESTED_FOR_EACH (a, left, key) {
        size_t len = nl_attr_get_size(a);
        bool ok;

        switch (nl_attr_type(a)) {
        case OVS_TUNNEL_KEY_ATTR_ID:
            ok = len == sizeof(ovs_be64);
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
        case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
            ok = len == sizeof(ovs_be32);
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
        case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
            ok = len == sizeof(struct in6_addr);
            break;
        case OVS_TUNNEL_KEY_ATTR_TOS:
        case OVS_TUNNEL_KEY_ATTR_TTL:
            ok = len == 1;
            break;
        case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
        case OVS_TUNNEL_KEY_ATTR_CSUM:
        case OVS_TUNNEL_KEY_ATTR_OAM:
            ok = len == 0;
            break;
        case OVS_TUNNEL_KEY_ATTR_TP_SRC:
        case OVS_TUNNEL_KEY_ATTR_TP_DST:
            ok = len == sizeof(ovs_be16);
            break;
        case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
            ok = len % 4 == 0 && len <= TLV_MAX_OPT_SIZE;
            break;
        default:
            ok = false;
            break;
        }
        if (!ok) {
            ds_put_format(why, "tunnel attribute %d in set(tunnel()) has "
                          "%"PRIuSIZE" bytes or is not supported",
                          nl_attr_type(a), len);
            return EINVAL;
        }
    }
    if (left) {
        ds_put_cstr(why, "set(tunnel()) has a truncated attribute");
        return EINVAL;
    }
    return 0;
}

/* set() or set_masked(): one key attribute, of a field the interpreter
 * can set, of its length (twice that with a mask). */
static int
check_set(const struct nlattr *a, bool masked, bool is_eth, struct ds *why)
{
    const struct nlattr *key = nl_attr_get(a);
    size_t size = nl_attr_get_size(a);
    int len;

    if (size < NLA_HDRLEN || !nl_attr_is_valid(key, size)
        || NLA_ALIGN(key->nla_len) != NLA_ALIGN(size)) {
        ds_put_cstr(why, "set() must hold exactly one attribute");
        return EINVAL;
    }
    len = settable_len(nl_attr_type(key), masked);
    if (len == INVALID) {
        ds_put_format(why, "%s() of key attribute %d is not supported",
                      masked ? "set_masked" : "set", nl_attr_type(key));
        return EINVAL;
    }
    if (len >= 0 && nl_attr_get_size(key) != (masked ? 2 : 1) * len) {
        ds_put_format(why, "key attribute %d in %s() has %"PRIuSIZE" bytes",
                      nl_attr_type(key), masked ? "set_masked" : "set",
                      nl_attr_get_size(key));
        return EINVAL;
    }
    if (nl_attr_type(key) == OVS_KEY_ATTR_ETHERNET && !is_eth) {
        ds_put_format(why, "%s(eth()) on a packet that is not Ethernet",
                      masked ? "set_masked" : "set");
        return EINVAL;
    }
    if (nl_attr_type(key) == OVS_KEY_ATTR_TUNNEL) {
        struct flow_tnl tnl;

        memset(&tnl, 0, sizeof tnl);
        if (check_tunnel(key, why)) {
            return EINVAL;
        }
        if (odp_tun_key_from_attr(key, &tnl, NULL) == ODP_FIT_ERROR) {
            ds_put_cstr(why, "set(tunnel()) does not parse");
            return EINVAL;
        }
    } else if (nl_attr_type(key) == OVS_KEY_ATTR_NSH) {
        struct ovs_key_nsh nsh, mask;

        if (odp_nsh_key_from_attr(key, &nsh, &mask, NULL) == ODP_FIT_ERROR) {
            ds_put_cstr(why, "set(nsh()) does not parse");
            return EINVAL;
        }
    }
    return 0;
}

/* A nested attribute that holds an action list. */
static int
check_nested_list(const struct nlattr *a, const struct state *st,
                  struct ds *why)
{
    struct state inner = *st;

    inner.depth++;
    return check_list(nl_attr_get(a), nl_attr_get_size(a), inner, why);
}

static int
check_sample(const struct nlattr *a, const struct state *st, struct ds *why)
{
    static const struct nl_policy policy[] = {
        [OVS_SAMPLE_ATTR_PROBABILITY] = { .type = NL_A_U32 },
        [OVS_SAMPLE_ATTR_ACTIONS] = { .type = NL_A_NESTED },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    const struct nlattr *sub;
    size_t left;

    /* The interpreter takes no other attribute than these two. */
    NL_NESTED_FOR_EACH (sub, left, a) {
        if (nl_attr_type(sub) != OVS_SAMPLE_ATTR_PROBABILITY
            && nl_attr_type(sub) != OVS_SAMPLE_ATTR_ACTIONS) {
            ds_put_cstr(why, "sample() has an unknown attribute");
            return EINVAL;
        }
    }
    if (!nl_parse_nested(a, policy, attrs, ARRAY_SIZE(attrs))) {
        ds_put_cstr(why, "sample() does not parse");
        return EINVAL;
    }
    return check_nested_list(attrs[OVS_SAMPLE_ATTR_ACTIONS], st, why);
}

static int
check_pkt_len(const struct nlattr *a, const struct state *st,
              struct ds *why)
{
    static const struct nl_policy policy[] = {
        [OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = { .type = NL_A_U16 },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = { .type = NL_A_NESTED },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL]
            = { .type = NL_A_NESTED },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];

    if (!nl_parse_nested(a, policy, attrs, ARRAY_SIZE(attrs))) {
        ds_put_cstr(why, "check_pkt_len() does not parse");
        return EINVAL;
    }
    return (check_nested_list(attrs[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER],
                              st, why)
            || check_nested_list(
                   attrs[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL],
                   st, why)) ? EINVAL : 0;
}

static int
check_userspace(const struct nlattr *a, struct ds *why)
{
    static const struct nl_policy policy[] = {
        [OVS_USERSPACE_ATTR_PID] = { .type = NL_A_U32 },
        [OVS_USERSPACE_ATTR_USERDATA] = { .type = NL_A_UNSPEC,
                                          .optional = true },
        [OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = { .type = NL_A_U32,
                                                 .optional = true },
        [OVS_USERSPACE_ATTR_ACTIONS] = { .type = NL_A_FLAG,
                                         .optional = true },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];

    if (!nl_parse_nested(a, policy, attrs, ARRAY_SIZE(attrs))) {
        ds_put_cstr(why, "userspace() does not parse");
        return EINVAL;
    }
    return 0;
}

static int
check_tnl_push(const struct nlattr *a, struct ds *why)
{
    const struct ovs_action_push_tnl *data = nl_attr_get(a);
    size_t fixed = offsetof(struct ovs_action_push_tnl, header);
    size_t size = nl_attr_get_size(a);

    if (size < fixed || data->header_len > TNL_PUSH_HEADER_SIZE
        || data->header_len > size - fixed) {
        ds_put_cstr(why, "tnl_push() has a bad header length");
        return EINVAL;
    }
    return 0;
}

/* push_nsh(): the interpreter parses its argument as one nested NSH key
 * attribute. */
static int
check_push_nsh(const struct nlattr *a, struct ds *why)
{
    uint32_t buffer[NSH_HDR_MAX_LEN / 4];
    struct nsh_hdr *nsh = ALIGNED_CAST(struct nsh_hdr *, buffer);
    const struct nlattr *key = nl_attr_get(a);
    size_t size = nl_attr_get_size(a);
    const struct nlattr *sub;
    size_t left;

    if (size < NLA_HDRLEN || !nl_attr_is_valid(key, size)) {
        ds_put_cstr(why, "push_nsh() must hold one attribute");
        return EINVAL;
    }
    NL_NESTED_FOR_EACH (sub, left, key) {
        continue;
    }
    if (left) {
        ds_put_cstr(why, "push_nsh() has a truncated attribute");
        return EINVAL;
    }
    nsh_reset_ver_flags_ttl_len(nsh);
    if (odp_nsh_hdr_from_attr(key, nsh, NSH_HDR_MAX_LEN) == ODP_FIT_ERROR) {
        ds_put_cstr(why, "push_nsh() does not parse");
        return EINVAL;
    }
    return 0;
}

static int
check_action(const struct nlattr *a, struct state *st, struct ds *why)
{
    unsigned int type = nl_attr_type(a);
    int len = action_len(type);

    if (len == INVALID) {
        ds_put_format(why, "action type %u is unknown", type);
        return EINVAL;
    }
    if (len >= 0 && nl_attr_get_size(a) != len) {
        ds_put_format(why, "action type %u has %"PRIuSIZE" bytes, not %d",
                      type, nl_attr_get_size(a), len);
        return EINVAL;
    }
    switch (type) {
    case OVS_ACTION_ATTR_SET:
        return check_set(a, false, st->is_eth, why);
    case OVS_ACTION_ATTR_SET_MASKED:
        return check_set(a, true, st->is_eth, why);
    case OVS_ACTION_ATTR_PUSH_VLAN:
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_PUSH_MPLS:
        /* They edit the Ethernet header, which the interpreter assumes
         * (as the kernel datapath refuses them without one). */
        if (!st->is_eth) {
            ds_put_format(why, "%s on a packet that is not Ethernet",
                          type == OVS_ACTION_ATTR_PUSH_MPLS ? "push_mpls()"
                          : type == OVS_ACTION_ATTR_PUSH_VLAN ? "push_vlan()"
                          : "pop_vlan()");
            return EINVAL;
        }
        return 0;
    case OVS_ACTION_ATTR_ADD_MPLS: {
        const struct ovs_action_add_mpls *mpls = nl_attr_get(a);

        /* With the L3 flag the label goes after the Ethernet header;
         * without, in front of the packet, which is then MPLS, not
         * Ethernet. */
        if (mpls->tun_flags & OVS_MPLS_L3_TUNNEL_FLAG_MASK) {
            if (!st->is_eth) {
                ds_put_cstr(why, "add_mpls() after the Ethernet header of a "
                            "packet that is not Ethernet");
                return EINVAL;
            }
        } else {
            st->is_eth = false;
        }
        return 0;
    }
    case OVS_ACTION_ATTR_SAMPLE:
        return check_sample(a, st, why);
    case OVS_ACTION_ATTR_CLONE:
        return check_nested_list(a, st, why);
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
        return check_pkt_len(a, st, why);
    case OVS_ACTION_ATTR_USERSPACE:
        return check_userspace(a, why);
    case OVS_ACTION_ATTR_TUNNEL_PUSH:
        return check_tnl_push(a, why);
    case OVS_ACTION_ATTR_PUSH_NSH:
        /* The packet, Ethernet header and all, becomes NSH's payload. */
        st->is_eth = false;
        return check_push_nsh(a, why);
    case OVS_ACTION_ATTR_PUSH_ETH:
        if (st->is_eth) {
            ds_put_cstr(why, "push_eth() on an Ethernet packet");
            return EINVAL;
        }
        st->is_eth = true;
        return 0;
    case OVS_ACTION_ATTR_POP_ETH:
        if (!st->is_eth) {
            ds_put_cstr(why, "pop_eth() on a packet that is not Ethernet");
            return EINVAL;
        }
        st->is_eth = false;
        return 0;
    case OVS_ACTION_ATTR_CT:
        if (!fp_ct_action_is_valid(a)) {
            ds_put_cstr(why, "ct() does not parse");
            return EINVAL;
        }
        return 0;
    case OVS_ACTION_ATTR_HASH: {
        const struct ovs_action_hash *hash = nl_attr_get(a);

        if (hash->hash_alg != OVS_HASH_ALG_L4
            && hash->hash_alg != OVS_HASH_ALG_SYM_L4) {
            ds_put_format(why, "hash() algorithm %"PRIu32" is unknown",
                          hash->hash_alg);
            return EINVAL;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int
check_list(const struct nlattr *actions, size_t size, struct state st,
           struct ds *why)
{
    const struct nlattr *a;
    size_t left;

    if (st.depth > FP_ACTIONS_MAX_DEPTH) {
        ds_put_format(why, "actions nested more than %d deep",
                      FP_ACTIONS_MAX_DEPTH);
        return EINVAL;
    }
    NL_ATTR_FOR_EACH (a, left, actions, size) {
        if (check_action(a, &st, why)) {
            return EINVAL;
        }
    }
    if (left) {
        ds_put_cstr(why, "an action attribute is truncated");
        return EINVAL;
    }
    return 0;
}

/* Returns 0 if the interpreter can run the 'size' bytes of ODP actions at
 * 'actions' on packets that are Ethernet frames if 'is_eth', else EINVAL
 * with the reason in '*why' (to be freed). */
int
fp_actions_check(const struct nlattr *actions, size_t size, bool is_eth,
                 char **why)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct state st = { .depth = 0, .is_eth = is_eth };
    int error = check_list(actions, size, st, &s);

    *why = error ? ds_steal_cstr(&s) : NULL;
    ds_destroy(&s);
    return error;
}

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

/* The ct() action on top of OVS's connection tracker: see engine/fp-ct.h. */

#include <config.h>
#include "fp-ct.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conntrack.h"
#include "coverage.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_ct);

COVERAGE_DEFINE(fp_drop_bad_ct);
COVERAGE_DEFINE(fp_ct_unknown_policy);

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
    /* ofproto-dpif names our timeout policies by their ids, in decimal.
     * Another name (from dpctl/add-flow) names no policy: the connection
     * gets the default one, as it does for an id that does not exist. */
    if (a[OVS_CT_ATTR_TIMEOUT]
        && !str_to_uint(nl_attr_get_string(a[OVS_CT_ATTR_TIMEOUT]), 10,
                        &p->tp_id)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_ct_unknown_policy);
        VLOG_DBG_RL(&rl, "ct(): no timeout policy \"%s\", default used",
                    nl_attr_get_string(a[OVS_CT_ATTR_TIMEOUT]));
        p->tp_id = 0;
    }
    return !p->has_nat || parse_nat(a[OVS_CT_ATTR_NAT], &p->nat);
}

/* Returns true if the ct() action 'ct' parses (engine/fp-actions-check.c asks
 * before a flow put takes it). */
bool
fp_ct_action_is_valid(const struct nlattr *ct)
{
    struct fp_ct_params p;

    return parse_ct(ct, &p);
}

/* The last ct() action that a thread parsed, as a copy of the attribute,
 * so that batch after batch of one flow's ct() is not parsed again.  The
 * parameters point into the copy, never into the flow's actions. */
enum { FP_CT_CACHE_BYTES = 256 };

struct fp_ct_cache {
    size_t len;                 /* Bytes of 'attr'; 0 if empty. */
    uint64_t attr[FP_CT_CACHE_BYTES / 8];
    struct fp_ct_params p;
};

/* Returns the parameters of 'ct', from 't''s cache or parsed anew (into
 * the cache, or into '*stack' for an attribute too big for it), or NULL
 * if 'ct' is malformed. */
static const struct fp_ct_params *
cached_params(struct fp_thread *t, const struct nlattr *ct,
              struct fp_ct_params *stack)
{
    struct fp_ct_cache *c = t->ct_cache;
    size_t len = ct->nla_len;

    if (c && c->len == len && !memcmp(c->attr, ct, len)) {
        return &c->p;
    }
    if (len > FP_CT_CACHE_BYTES) {
        return parse_ct(ct, stack) ? stack : NULL;
    }
    if (!c) {
        c = t->ct_cache = xmalloc(sizeof *c);
    }
    memcpy(c->attr, ct, len);
    if (!parse_ct((const struct nlattr *) c->attr, &c->p)) {
        c->len = 0;
        return NULL;
    }
    c->len = len;
    return &c->p;
}

/* Frees 't''s cache of ct() parameters. */
void
fp_ct_thread_uninit(struct fp_thread *t)
{
    free(t->ct_cache);
    t->ct_cache = NULL;
}

/* Runs the packets of 'batch' through the connection tracker as the ct()
 * action 'ct' asks.  The packets stay in 'batch', tracked (and NATed) in
 * place, for the actions after ct(); fragments that the tracker keeps for
 * reassembly leave it.  A malformed ct() drops the packets. */
void
fp_ct_execute(struct fp_dp *dp, struct fp_thread *t,
              struct dp_packet_batch *batch, const struct nlattr *ct,
              const struct fp_key_hint *hint)
{
    const struct fp_ct_params *p;
    struct fp_ct_params params;

    p = cached_params(t, ct, &params);
    if (!p) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_drop_bad_ct);
        VLOG_WARN_RL(&rl, "%s: malformed ct() action, packets dropped",
                     dp->name);
        fp_drop_batch(&t->stats, batch, FP_STAT_DROP_UNSUPPORTED);
        return;
    }

    /* The transport ports of the key let a helper (alg=ftp, alg=tftp)
     * recognise its control connection on a port other than the standard
     * one. */
    conntrack_execute(dp->conntrack, batch, hint->dl_type, p->force,
                      p->commit, p->zone, p->mark, p->labels, hint->tp_src,
                      hint->tp_dst, p->helper,
                      p->has_nat ? &p->nat : NULL, t->now, p->tp_id);
}

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

/* The connection tracking part of the "fastpath" dpif provider: dumps and
 * flushes, limits, TCP sequence checks, timeout policies and IP fragment
 * reassembly, all answered by OVS's userspace conntrack library that the
 * engine's ct() action uses. */

#include <config.h>
#include "dpif-fastpath-ct.h"
#include "dpif-fastpath.h"

#include <errno.h>
#include "conntrack.h"
#include "conntrack-tp.h"
#include "ct-dpif.h"
#include "dpif-provider.h"
#include "fp-datapath.h"
#include "ipf.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "util.h"

struct fp_ct_dump_state {
    struct ct_dpif_dump_state up;
    struct conntrack_dump dump;
};

int
dpif_fastpath_ct_dump_start(struct dpif *dpif,
                            struct ct_dpif_dump_state **statep,
                            const uint16_t *zone, int *ptot_bkts)
{
    struct fp_ct_dump_state *state = xzalloc(sizeof *state);

    state->up.dpif = dpif;
    conntrack_dump_start(fp_dp_conntrack(dpif_fastpath_get_dp(dpif)),
                         &state->dump, zone, ptot_bkts);
    *statep = &state->up;
    return 0;
}

int
dpif_fastpath_ct_dump_next(struct dpif *dpif OVS_UNUSED,
                           struct ct_dpif_dump_state *state_,
                           struct ct_dpif_entry *entry)
{
    struct fp_ct_dump_state *state
        = CONTAINER_OF(state_, struct fp_ct_dump_state, up);

    return conntrack_dump_next(&state->dump, entry);
}

int
dpif_fastpath_ct_dump_done(struct dpif *dpif OVS_UNUSED,
                           struct ct_dpif_dump_state *state_)
{
    struct fp_ct_dump_state *state
        = CONTAINER_OF(state_, struct fp_ct_dump_state, up);
    int error = conntrack_dump_done(&state->dump);

    free(state);
    return error;
}

static struct conntrack *
get_ct(const struct dpif *dpif)
{
    return fp_dp_conntrack(dpif_fastpath_get_dp(dpif));
}

int
dpif_fastpath_ct_flush(struct dpif *dpif, const uint16_t *zone,
                       const struct ct_dpif_tuple *tuple)
{
    if (tuple) {
        return conntrack_flush_tuple(get_ct(dpif), tuple, zone ? *zone : 0);
    }
    return conntrack_flush(get_ct(dpif), zone);
}

int
dpif_fastpath_ct_set_maxconns(struct dpif *dpif, uint32_t maxconns)
{
    return conntrack_set_maxconns(get_ct(dpif), maxconns);
}

int
dpif_fastpath_ct_get_maxconns(struct dpif *dpif, uint32_t *maxconns)
{
    return conntrack_get_maxconns(get_ct(dpif), maxconns);
}

int
dpif_fastpath_ct_get_nconns(struct dpif *dpif, uint32_t *nconns)
{
    return conntrack_get_nconns(get_ct(dpif), nconns);
}

int
dpif_fastpath_ct_set_tcp_seq_chk(struct dpif *dpif, bool enabled)
{
    return conntrack_set_tcp_seq_chk(get_ct(dpif), enabled);
}

int
dpif_fastpath_ct_get_tcp_seq_chk(struct dpif *dpif, bool *enabled)
{
    *enabled = conntrack_get_tcp_seq_chk(get_ct(dpif));
    return 0;
}

/* Zone limits.  The default limit is the library's zone DEFAULT_ZONE. */

int
dpif_fastpath_ct_set_limits(struct dpif *dpif, const uint32_t *default_limit,
                            const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    int error = 0;

    if (default_limit) {
        error = zone_limit_update(get_ct(dpif), DEFAULT_ZONE, *default_limit);
    }
    LIST_FOR_EACH (zl, node, zone_limits) {
        int err = zone_limit_update(get_ct(dpif), zl->zone, zl->limit);

        error = error ? error : err;
    }
    return error;
}

int
dpif_fastpath_ct_get_limits(struct dpif *dpif, uint32_t *default_limit,
                            const struct ovs_list *zone_limits_in,
                            struct ovs_list *zone_limits_out)
{
    struct conntrack *ct = get_ct(dpif);
    struct conntrack_zone_limit czl;

    czl = zone_limit_get(ct, DEFAULT_ZONE);
    if (czl.zone != DEFAULT_ZONE) {
        return EINVAL;
    }
    *default_limit = czl.limit;

    if (!ovs_list_is_empty(zone_limits_in)) {
        const struct ct_dpif_zone_limit *zl;

        LIST_FOR_EACH (zl, node, zone_limits_in) {
            czl = zone_limit_get(ct, zl->zone);
            ct_dpif_push_zone_limit(zone_limits_out, zl->zone, czl.limit,
                                    atomic_count_get(&czl.count));
        }
    } else {
        /* Every zone that has a limit, as the dpif's contract asks; the
         * conntrack library looks limits up by zone only, so this walks
         * the zones. */
        for (int z = MIN_ZONE; z <= MAX_ZONE; z++) {
            czl = zone_limit_get(ct, z);
            if (czl.zone == z) {
                ct_dpif_push_zone_limit(zone_limits_out, z, czl.limit,
                                        atomic_count_get(&czl.count));
            }
        }
    }
    return 0;
}

int
dpif_fastpath_ct_del_limits(struct dpif *dpif,
                            const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    int error = 0;

    LIST_FOR_EACH (zl, node, zone_limits) {
        int err = zone_limit_delete(get_ct(dpif), zl->zone);

        error = error ? error : err;
    }
    return error;
}

/* Timeout policies.  The ct() action names a policy by its id in
 * decimal, which ct_get_timeout_policy_name() tells ofproto-dpif. */

int
dpif_fastpath_ct_set_timeout_policy(struct dpif *dpif,
                                    const struct ct_dpif_timeout_policy *tp)
{
    struct timeout_policy policy;

    memset(&policy, 0, sizeof policy);
    policy.policy = *tp;
    return timeout_policy_update(get_ct(dpif), &policy);
}

int
dpif_fastpath_ct_get_timeout_policy(struct dpif *dpif, uint32_t tp_id,
                                    struct ct_dpif_timeout_policy *tp)
{
    struct timeout_policy *policy = timeout_policy_get(get_ct(dpif), tp_id);

    if (!policy) {
        return ENOENT;
    }
    *tp = policy->policy;
    return 0;
}

int
dpif_fastpath_ct_del_timeout_policy(struct dpif *dpif, uint32_t tp_id)
{
    return timeout_policy_delete(get_ct(dpif), tp_id);
}

int
dpif_fastpath_ct_get_timeout_policy_name(struct dpif *dpif OVS_UNUSED,
                                         uint32_t tp_id,
                                         uint16_t dl_type OVS_UNUSED,
                                         uint8_t nw_proto OVS_UNUSED,
                                         char **tp_name, bool *is_generic)
{
    *tp_name = xasprintf("%"PRIu32, tp_id);
    *is_generic = true;
    return 0;
}

int
dpif_fastpath_ct_get_features(struct dpif *dpif OVS_UNUSED,
                              enum ct_features *features)
{
    /* The library's NAT falls back on all-zero SNAT by itself. */
    *features = CONNTRACK_F_ZERO_SNAT;
    return 0;
}

/* IP fragment reassembly in front of the connection tracker. */

static struct ipf *
get_ipf(struct dpif *dpif)
{
    return conntrack_ipf_ctx(get_ct(dpif));
}

int
dpif_fastpath_ipf_set_enabled(struct dpif *dpif, bool v6, bool enabled)
{
    return ipf_set_enabled(get_ipf(dpif), v6, enabled);
}

int
dpif_fastpath_ipf_set_min_frag(struct dpif *dpif, bool v6, uint32_t min_frag)
{
    return ipf_set_min_frag(get_ipf(dpif), v6, min_frag);
}

int
dpif_fastpath_ipf_set_max_nfrags(struct dpif *dpif, uint32_t max_nfrags)
{
    return ipf_set_max_nfrags(get_ipf(dpif), max_nfrags);
}

/* 'struct dpif_ipf_status' and the library's 'struct ipf_status' have the
 * same members: copied one by one, not by layout. */
static void
copy_proto_status(struct dpif_ipf_proto_status *dst,
                  const struct ipf_proto_status *src)
{
    dst->nfrag_accepted = src->nfrag_accepted;
    dst->nfrag_completed_sent = src->nfrag_completed_sent;
    dst->nfrag_expired_sent = src->nfrag_expired_sent;
    dst->nfrag_too_small = src->nfrag_too_small;
    dst->nfrag_overlap = src->nfrag_overlap;
    dst->nfrag_purged = src->nfrag_purged;
    dst->min_frag_size = src->min_frag_size;
    dst->enabled = src->enabled;
}

int
dpif_fastpath_ipf_get_status(struct dpif *dpif,
                             struct dpif_ipf_status *status)
{
    struct ipf_status s;
    int error = ipf_get_status(get_ipf(dpif), &s);

    if (!error) {
        copy_proto_status(&status->v4, &s.v4);
        copy_proto_status(&status->v6, &s.v6);
        status->nfrag = s.nfrag;
        status->nfrag_max = s.nfrag_max;
    }
    return error;
}

int
dpif_fastpath_ipf_dump_start(struct dpif *dpif OVS_UNUSED,
                             struct ipf_dump_ctx **ctx)
{
    return ipf_dump_start(ctx);
}

int
dpif_fastpath_ipf_dump_next(struct dpif *dpif, void *ctx, char **dump)
{
    return ipf_dump_next(get_ipf(dpif), ctx, dump);
}

int
dpif_fastpath_ipf_dump_done(struct dpif *dpif OVS_UNUSED, void *ctx)
{
    return ipf_dump_done(ctx);
}

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

/* The datapath's connection tracker behind the engine's interface
 * (engine/fp-datapath.h, "Connection tracking"): dumps and flushes,
 * limits, TCP sequence checks, timeout policies and IP fragment
 * reassembly, answered by OVS's userspace conntrack library that the
 * ct() action (engine/fp-ct.c) uses.  Everything goes in and out as the
 * ct-dpif types, which a channel can carry. */

#include <config.h>
#include "fp-datapath.h"

#include <errno.h>
#include "conntrack.h"
#include "conntrack-tp.h"
#include "ct-dpif.h"
#include "dpif-provider.h"        /* struct dpif_ipf_status. */
#include "fp-dp-private.h"
#include "ipf.h"
#include "openvswitch/list.h"
#include "util.h"

struct fp_ct_dump {
    struct conntrack_dump dump;
};

int
fp_dp_ct_dump_start(struct fp_dp *dp, const uint16_t *zone, int *ptot_bkts,
                    struct fp_ct_dump **dumpp)
{
    struct fp_ct_dump *dump = xzalloc(sizeof *dump);

    conntrack_dump_start(dp->conntrack, &dump->dump, zone, ptot_bkts);
    *dumpp = dump;
    return 0;
}

int
fp_dp_ct_dump_next(struct fp_ct_dump *dump, struct ct_dpif_entry *entry)
{
    return conntrack_dump_next(&dump->dump, entry);
}

int
fp_dp_ct_dump_done(struct fp_ct_dump *dump)
{
    int error = conntrack_dump_done(&dump->dump);

    free(dump);
    return error;
}

int
fp_dp_ct_flush(struct fp_dp *dp, const uint16_t *zone,
               const struct ct_dpif_tuple *tuple)
{
    if (tuple) {
        return conntrack_flush_tuple(dp->conntrack, tuple, zone ? *zone : 0);
    }
    return conntrack_flush(dp->conntrack, zone);
}

int
fp_dp_ct_set_maxconns(struct fp_dp *dp, uint32_t maxconns)
{
    return conntrack_set_maxconns(dp->conntrack, maxconns);
}

int
fp_dp_ct_get_maxconns(struct fp_dp *dp, uint32_t *maxconns)
{
    return conntrack_get_maxconns(dp->conntrack, maxconns);
}

int
fp_dp_ct_get_nconns(struct fp_dp *dp, uint32_t *nconns)
{
    return conntrack_get_nconns(dp->conntrack, nconns);
}

int
fp_dp_ct_set_tcp_seq_chk(struct fp_dp *dp, bool enabled)
{
    return conntrack_set_tcp_seq_chk(dp->conntrack, enabled);
}

int
fp_dp_ct_get_tcp_seq_chk(struct fp_dp *dp, bool *enabled)
{
    *enabled = conntrack_get_tcp_seq_chk(dp->conntrack);
    return 0;
}

/* Zone limits.  The default limit is the library's zone DEFAULT_ZONE. */

int
fp_dp_ct_set_limits(struct fp_dp *dp, const uint32_t *default_limit,
                    const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    int error = 0;

    if (default_limit) {
        error = zone_limit_update(dp->conntrack, DEFAULT_ZONE, *default_limit);
    }
    LIST_FOR_EACH (zl, node, zone_limits) {
        int err = zone_limit_update(dp->conntrack, zl->zone, zl->limit);

        error = error ? error : err;
    }
    return error;
}

int
fp_dp_ct_get_limits(struct fp_dp *dp, uint32_t *default_limit,
                    const struct ovs_list *zone_limits_in,
                    struct ovs_list *zone_limits_out)
{
    struct conntrack *ct = dp->conntrack;
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
fp_dp_ct_del_limits(struct fp_dp *dp,
                    const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    int error = 0;

    LIST_FOR_EACH (zl, node, zone_limits) {
        int err = zone_limit_delete(dp->conntrack, zl->zone);

        error = error ? error : err;
    }
    return error;
}

/* Timeout policies.  The ct() action names a policy by its id in
 * decimal, which ct_get_timeout_policy_name() tells ofproto-dpif. */

int
fp_dp_ct_set_timeout_policy(struct fp_dp *dp,
                            const struct ct_dpif_timeout_policy *tp)
{
    struct timeout_policy policy;

    memset(&policy, 0, sizeof policy);
    policy.policy = *tp;
    return timeout_policy_update(dp->conntrack, &policy);
}

int
fp_dp_ct_get_timeout_policy(struct fp_dp *dp, uint32_t tp_id,
                            struct ct_dpif_timeout_policy *tp)
{
    struct timeout_policy *policy = timeout_policy_get(dp->conntrack, tp_id);

    if (!policy) {
        return ENOENT;
    }
    *tp = policy->policy;
    return 0;
}

int
fp_dp_ct_del_timeout_policy(struct fp_dp *dp, uint32_t tp_id)
{
    return timeout_policy_delete(dp->conntrack, tp_id);
}

/* IP fragment reassembly in front of the connection tracker. */

static struct ipf *
get_ipf(struct fp_dp *dp)
{
    return conntrack_ipf_ctx(dp->conntrack);
}

int
fp_dp_ipf_set_enabled(struct fp_dp *dp, bool v6, bool enabled)
{
    return ipf_set_enabled(get_ipf(dp), v6, enabled);
}

int
fp_dp_ipf_set_min_frag(struct fp_dp *dp, bool v6, uint32_t min_frag)
{
    return ipf_set_min_frag(get_ipf(dp), v6, min_frag);
}

int
fp_dp_ipf_set_max_nfrags(struct fp_dp *dp, uint32_t max_nfrags)
{
    return ipf_set_max_nfrags(get_ipf(dp), max_nfrags);
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
fp_dp_ipf_get_status(struct fp_dp *dp,
                     struct dpif_ipf_status *status)
{
    struct ipf_status s;
    int error = ipf_get_status(get_ipf(dp), &s);

    if (!error) {
        copy_proto_status(&status->v4, &s.v4);
        copy_proto_status(&status->v6, &s.v6);
        status->nfrag = s.nfrag;
        status->nfrag_max = s.nfrag_max;
    }
    return error;
}

int
fp_dp_ipf_dump_start(struct fp_dp *dp OVS_UNUSED,
                     struct ipf_dump_ctx **ctx)
{
    return ipf_dump_start(ctx);
}

int
fp_dp_ipf_dump_next(struct fp_dp *dp, void *ctx, char **dump)
{
    return ipf_dump_next(get_ipf(dp), ctx, dump);
}

int
fp_dp_ipf_dump_done(struct fp_dp *dp OVS_UNUSED, void *ctx)
{
    return ipf_dump_done(ctx);
}

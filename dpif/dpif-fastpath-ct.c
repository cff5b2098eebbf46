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

/* The connection tracking members of the "fastpath" dpif provider: each
 * hands its arguments to the engine's call of the same name
 * (engine/fp-datapath.h, "Connection tracking"), except the two that
 * only describe the conntrack library's conventions. */

#include <config.h>
#include "dpif-fastpath-ct.h"
#include "dpif-fastpath.h"

#include <errno.h>
#include "ct-dpif.h"
#include "dpif-provider.h"
#include "fp-datapath.h"
#include "util.h"

struct fp_ct_dump_state {
    struct ct_dpif_dump_state up;
    struct fp_ct_dump *dump;
};

static struct fp_dp *
dp_of(const struct dpif *dpif)
{
    return dpif_fastpath_get_dp(dpif);
}

int
dpif_fastpath_ct_dump_start(struct dpif *dpif,
                            struct ct_dpif_dump_state **statep,
                            const uint16_t *zone, int *ptot_bkts)
{
    struct fp_ct_dump_state *state = xzalloc(sizeof *state);
    int error = fp_dp_ct_dump_start(dp_of(dpif), zone, ptot_bkts,
                                    &state->dump);

    if (error) {
        free(state);
        return error;
    }
    state->up.dpif = dpif;
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

    return fp_dp_ct_dump_next(state->dump, entry);
}

int
dpif_fastpath_ct_dump_done(struct dpif *dpif OVS_UNUSED,
                           struct ct_dpif_dump_state *state_)
{
    struct fp_ct_dump_state *state
        = CONTAINER_OF(state_, struct fp_ct_dump_state, up);
    int error = fp_dp_ct_dump_done(state->dump);

    free(state);
    return error;
}

int
dpif_fastpath_ct_flush(struct dpif *dpif, const uint16_t *zone,
                       const struct ct_dpif_tuple *tuple)
{
    return fp_dp_ct_flush(dp_of(dpif), zone, tuple);
}

int
dpif_fastpath_ct_set_maxconns(struct dpif *dpif, uint32_t maxconns)
{
    return fp_dp_ct_set_maxconns(dp_of(dpif), maxconns);
}

int
dpif_fastpath_ct_get_maxconns(struct dpif *dpif, uint32_t *maxconns)
{
    return fp_dp_ct_get_maxconns(dp_of(dpif), maxconns);
}

int
dpif_fastpath_ct_get_nconns(struct dpif *dpif, uint32_t *nconns)
{
    return fp_dp_ct_get_nconns(dp_of(dpif), nconns);
}

int
dpif_fastpath_ct_set_tcp_seq_chk(struct dpif *dpif, bool enabled)
{
    return fp_dp_ct_set_tcp_seq_chk(dp_of(dpif), enabled);
}

int
dpif_fastpath_ct_get_tcp_seq_chk(struct dpif *dpif, bool *enabled)
{
    return fp_dp_ct_get_tcp_seq_chk(dp_of(dpif), enabled);
}

int
dpif_fastpath_ct_set_limits(struct dpif *dpif, const uint32_t *default_limit,
                            const struct ovs_list *zone_limits)
{
    return fp_dp_ct_set_limits(dp_of(dpif), default_limit, zone_limits);
}

int
dpif_fastpath_ct_get_limits(struct dpif *dpif, uint32_t *default_limit,
                            const struct ovs_list *zone_limits_in,
                            struct ovs_list *zone_limits_out)
{
    return fp_dp_ct_get_limits(dp_of(dpif), default_limit, zone_limits_in,
                               zone_limits_out);
}

int
dpif_fastpath_ct_del_limits(struct dpif *dpif,
                            const struct ovs_list *zone_limits)
{
    return fp_dp_ct_del_limits(dp_of(dpif), zone_limits);
}

int
dpif_fastpath_ct_set_timeout_policy(struct dpif *dpif,
                                    const struct ct_dpif_timeout_policy *tp)
{
    return fp_dp_ct_set_timeout_policy(dp_of(dpif), tp);
}

int
dpif_fastpath_ct_get_timeout_policy(struct dpif *dpif, uint32_t tp_id,
                                    struct ct_dpif_timeout_policy *tp)
{
    return fp_dp_ct_get_timeout_policy(dp_of(dpif), tp_id, tp);
}

int
dpif_fastpath_ct_del_timeout_policy(struct dpif *dpif, uint32_t tp_id)
{
    return fp_dp_ct_del_timeout_policy(dp_of(dpif), tp_id);
}

/* The ct() action names a timeout policy by its id in decimal. */
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

int
dpif_fastpath_ipf_set_enabled(struct dpif *dpif, bool v6, bool enabled)
{
    return fp_dp_ipf_set_enabled(dp_of(dpif), v6, enabled);
}

int
dpif_fastpath_ipf_set_min_frag(struct dpif *dpif, bool v6, uint32_t min_frag)
{
    return fp_dp_ipf_set_min_frag(dp_of(dpif), v6, min_frag);
}

int
dpif_fastpath_ipf_set_max_nfrags(struct dpif *dpif, uint32_t max_nfrags)
{
    return fp_dp_ipf_set_max_nfrags(dp_of(dpif), max_nfrags);
}

int
dpif_fastpath_ipf_get_status(struct dpif *dpif,
                             struct dpif_ipf_status *status)
{
    return fp_dp_ipf_get_status(dp_of(dpif), status);
}

int
dpif_fastpath_ipf_dump_start(struct dpif *dpif, struct ipf_dump_ctx **ctx)
{
    return fp_dp_ipf_dump_start(dp_of(dpif), ctx);
}

int
dpif_fastpath_ipf_dump_next(struct dpif *dpif, void *ctx, char **dump)
{
    return fp_dp_ipf_dump_next(dp_of(dpif), ctx, dump);
}

int
dpif_fastpath_ipf_dump_done(struct dpif *dpif, void *ctx)
{
    return fp_dp_ipf_dump_done(dp_of(dpif), ctx);
}

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


#ifndef DPIF_FASTPATH_CLIENT_CT_H
#define DPIF_FASTPATH_CLIENT_CT_H 1

/* The connection tracking members of the detached mode's "fastpath" dpif
 * class (dpif/dpif-fastpath-client-ct.c): each does what the member of
 * the same name in lib/dpif-provider.h of Open vSwitch says, by asking
 * fastpathd.  The two members that only describe the conntrack library's
 * conventions are the in-process class's (dpif/dpif-fastpath-ct.h). */

#include <stdbool.h>
#include <stdint.h>

struct ct_dpif_dump_state;
struct ct_dpif_entry;
struct ct_dpif_timeout_policy;
struct ct_dpif_tuple;
struct dpif;
struct dpif_ipf_status;
struct ipf_dump_ctx;
struct ovs_list;

int dpif_fastpath_client_ct_dump_start(struct dpif *,
                                       struct ct_dpif_dump_state **,
                                       const uint16_t *zone, int *ptot_bkts);
int dpif_fastpath_client_ct_dump_next(struct dpif *,
                                      struct ct_dpif_dump_state *,
                                      struct ct_dpif_entry *);
int dpif_fastpath_client_ct_dump_done(struct dpif *,
                                      struct ct_dpif_dump_state *);
int dpif_fastpath_client_ct_flush(struct dpif *, const uint16_t *zone,
                                  const struct ct_dpif_tuple *);
int dpif_fastpath_client_ct_set_maxconns(struct dpif *, uint32_t maxconns);
int dpif_fastpath_client_ct_get_maxconns(struct dpif *, uint32_t *maxconns);
int dpif_fastpath_client_ct_get_nconns(struct dpif *, uint32_t *nconns);
int dpif_fastpath_client_ct_set_tcp_seq_chk(struct dpif *, bool enabled);
int dpif_fastpath_client_ct_get_tcp_seq_chk(struct dpif *, bool *enabled);
int dpif_fastpath_client_ct_set_limits(struct dpif *,
                                       const uint32_t *default_limit,
                                       const struct ovs_list *zone_limits);
int dpif_fastpath_client_ct_get_limits(struct dpif *, uint32_t *default_limit,
                                       const struct ovs_list *zone_limits_in,
                                       struct ovs_list *zone_limits_out);
int dpif_fastpath_client_ct_del_limits(struct dpif *,
                                       const struct ovs_list *zone_limits);
int dpif_fastpath_client_ct_set_timeout_policy(
    struct dpif *, const struct ct_dpif_timeout_policy *);
int dpif_fastpath_client_ct_get_timeout_policy(
    struct dpif *, uint32_t tp_id, struct ct_dpif_timeout_policy *);
int dpif_fastpath_client_ct_del_timeout_policy(struct dpif *, uint32_t tp_id);
int dpif_fastpath_client_ipf_set_enabled(struct dpif *, bool v6, bool enabled);
int dpif_fastpath_client_ipf_set_min_frag(struct dpif *, bool v6,
                                          uint32_t min_frag);
int dpif_fastpath_client_ipf_set_max_nfrags(struct dpif *,
                                            uint32_t max_nfrags);
int dpif_fastpath_client_ipf_get_status(struct dpif *,
                                        struct dpif_ipf_status *);
int dpif_fastpath_client_ipf_dump_start(struct dpif *, struct ipf_dump_ctx **);
int dpif_fastpath_client_ipf_dump_next(struct dpif *, void *ctx, char **dump);
int dpif_fastpath_client_ipf_dump_done(struct dpif *, void *ctx);

#endif /* dpif-fastpath-client-ct.h */

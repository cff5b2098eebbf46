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


/* The connection tracking members of the detached mode's "fastpath" dpif
 * (see dpif/dpif-fastpath-client-ct.h): each becomes one of the
 * channel's FP_CHAN_CT_* or FP_CHAN_IPF_* requests, its arguments and
 * answers in the forms of engine/fp-chan-ct.h.
 *
 * A conntrack dump comes a page at a time: the first request starts it in
 * fastpathd and brings its first page, each later one the next page,
 * until fastpathd says the dump is over.  A dump given up early is ended
 * in fastpathd too.
 *
 * fastpathd's reason for a refusal goes to the log at INFO level: the
 * caller (dpctl, ofproto-dpif) reports the error itself, as it does for
 * the in-process class. */

#include <config.h>
#include "dpif-fastpath-client-ct.h"

#include <errno.h>
#include "ct-dpif.h"
#include "dpif-fastpath-client.h"
#include "dpif-provider.h"
#include "fp-chan.h"
#include "fp-chan-ct.h"
#include "fp-client.h"
#include "netlink.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "util.h"

static const char *
dp_name(const struct dpif *dpif)
{
    return dpif_fastpath_client_dp_name(dpif);
}

/* Conntrack dumps. */

struct client_ct_dump {
    struct ct_dpif_dump_state up;
    uint32_t id;                /* fastpathd's. */
    bool over;                  /* fastpathd sent the last page. */
    struct ofpbuf page;         /* The reply with the page being read. */
    const struct nlattr *next;  /* Its next entry. */
    size_t left;                /* Bytes from 'next' to the page's end. */
};

static struct client_ct_dump *
ct_dump_cast(struct ct_dpif_dump_state *state)
{
    return CONTAINER_OF(state, struct client_ct_dump, up);
}

/* Sends 'req', a CT_DUMP request, and makes its reply the page that
 * 'dump' reads.  Sets '*tot_bkts' from it, if nonnull. */
static int
dump_fetch(struct client_ct_dump *dump, struct ofpbuf *req, int *tot_bkts)
{
    const struct nlattr *entries;
    struct fp_chan_msg msg;
    int error;

    ofpbuf_clear(&dump->page);
    error = fp_client_request(req, &dump->page, &msg, VLL_INFO);
    if (error) {
        return error;
    }
    entries = msg.attrs[FP_CHAN_A_CT_ENTRIES];
    if (!msg.attrs[FP_CHAN_A_CT_DUMP_ID] || !entries) {
        return EPROTO;
    }
    dump->id = nl_attr_get_u32(msg.attrs[FP_CHAN_A_CT_DUMP_ID]);
    dump->over = msg.attrs[FP_CHAN_A_DUMP_DONE] != NULL;
    dump->next = nl_attr_get(entries);
    dump->left = nl_attr_get_size(entries);
    if (tot_bkts) {
        *tot_bkts = (msg.attrs[FP_CHAN_A_CT_TOT_BKTS]
                     ? nl_attr_get_u32(msg.attrs[FP_CHAN_A_CT_TOT_BKTS])
                     : 0);
    }
    return 0;
}

int
dpif_fastpath_client_ct_dump_start(struct dpif *dpif,
                                   struct ct_dpif_dump_state **statep,
                                   const uint16_t *zone, int *ptot_bkts)
{
    struct client_ct_dump *dump = xzalloc(sizeof *dump);
    struct ofpbuf req;
    int error;

    ofpbuf_init(&dump->page, 0);
    fp_client_request_start(&req, FP_CHAN_CT_DUMP, dp_name(dpif));
    if (zone) {
        nl_msg_put_u16(&req, FP_CHAN_A_CT_ZONE, *zone);
    }
    error = dump_fetch(dump, &req, ptot_bkts);
    if (error) {
        ofpbuf_uninit(&dump->page);
        free(dump);
        return error;
    }
    dump->up.dpif = dpif;
    *statep = &dump->up;
    return 0;
}

int
dpif_fastpath_client_ct_dump_next(struct dpif *dpif,
                                  struct ct_dpif_dump_state *state,
                                  struct ct_dpif_entry *entry)
{
    struct client_ct_dump *dump = ct_dump_cast(state);

    while (!dump->left) {
        struct ofpbuf req;
        int error;

        if (dump->over) {
            return EOF;
        }
        fp_client_request_start(&req, FP_CHAN_CT_DUMP, dp_name(dpif));
        nl_msg_put_u32(&req, FP_CHAN_A_CT_DUMP_ID, dump->id);
        error = dump_fetch(dump, &req, NULL);
        if (error) {
            /* fastpathd has no more of it to give. */
            dump->over = true;
            dump->left = 0;
            return error;
        }
    }
    if (!nl_attr_is_valid(dump->next, dump->left)
        || !fp_chan_get_ct_entry(dump->next, entry)) {
        dump->left = 0;
        return EPROTO;
    }
    dump->left -= MIN(dump->left, NLA_ALIGN(dump->next->nla_len));
    dump->next = nl_attr_next(dump->next);
    return 0;
}

int
dpif_fastpath_client_ct_dump_done(struct dpif *dpif,
                                  struct ct_dpif_dump_state *state)
{
    struct client_ct_dump *dump = ct_dump_cast(state);

    if (!dump->over) {
        struct ofpbuf req;

        fp_client_request_start(&req, FP_CHAN_CT_DUMP_END, dp_name(dpif));
        nl_msg_put_u32(&req, FP_CHAN_A_CT_DUMP_ID, dump->id);
        fp_client_request_simple(&req, VLL_DBG);
    }
    ofpbuf_uninit(&dump->page);
    free(dump);
    return 0;
}

int
dpif_fastpath_client_ct_flush(struct dpif *dpif, const uint16_t *zone,
                              const struct ct_dpif_tuple *tuple)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_FLUSH, dp_name(dpif));
    if (zone) {
        nl_msg_put_u16(&req, FP_CHAN_A_CT_ZONE, *zone);
    }
    if (tuple) {
        fp_chan_put_ct_tuple(&req, FP_CHAN_A_CT_TUPLE, tuple);
    }
    return fp_client_request_simple(&req, VLL_INFO);
}

/* Settings. */

/* Sets '*value' to the u32 attribute 'type' of fastpathd's CT_GET_CONFIG
 * reply. */
static int
get_config_u32(struct dpif *dpif, uint16_t type, uint32_t *value)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    ofpbuf_init(&reply, 256);
    fp_client_request_start(&req, FP_CHAN_CT_GET_CONFIG, dp_name(dpif));
    error = fp_client_request(&req, &reply, &msg, VLL_INFO);
    if (!error) {
        if (msg.attrs[type]) {
            *value = nl_attr_get_u32(msg.attrs[type]);
        } else {
            error = EPROTO;
        }
    }
    ofpbuf_uninit(&reply);
    return error;
}

/* Sends CT_SET_CONFIG with the u32 attribute 'type' set to 'value'. */
static int
set_config_u32(struct dpif *dpif, uint16_t type, uint32_t value)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_SET_CONFIG, dp_name(dpif));
    nl_msg_put_u32(&req, type, value);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ct_set_maxconns(struct dpif *dpif, uint32_t maxconns)
{
    return set_config_u32(dpif, FP_CHAN_A_CT_MAXCONNS, maxconns);
}

int
dpif_fastpath_client_ct_get_maxconns(struct dpif *dpif, uint32_t *maxconns)
{
    return get_config_u32(dpif, FP_CHAN_A_CT_MAXCONNS, maxconns);
}

int
dpif_fastpath_client_ct_get_nconns(struct dpif *dpif, uint32_t *nconns)
{
    return get_config_u32(dpif, FP_CHAN_A_CT_NCONNS, nconns);
}

int
dpif_fastpath_client_ct_set_tcp_seq_chk(struct dpif *dpif, bool enabled)
{
    return set_config_u32(dpif, FP_CHAN_A_CT_TCP_SEQ_CHK, enabled);
}

int
dpif_fastpath_client_ct_get_tcp_seq_chk(struct dpif *dpif, bool *enabled)
{
    uint32_t value;
    int error = get_config_u32(dpif, FP_CHAN_A_CT_TCP_SEQ_CHK, &value);

    if (!error) {
        *enabled = value != 0;
    }
    return error;
}

/* Zone limits. */

int
dpif_fastpath_client_ct_set_limits(struct dpif *dpif,
                                   const uint32_t *default_limit,
                                   const struct ovs_list *zone_limits)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_SET_LIMITS, dp_name(dpif));
    if (default_limit) {
        nl_msg_put_u32(&req, FP_CHAN_A_CT_DEFAULT_LIMIT, *default_limit);
    }
    fp_chan_put_zone_limits(&req, zone_limits);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ct_get_limits(struct dpif *dpif, uint32_t *default_limit,
                                   const struct ovs_list *zone_limits_in,
                                   struct ovs_list *zone_limits_out)
{
    const struct nlattr *limits;
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    ofpbuf_init(&reply, 1024);
    fp_client_request_start(&req, FP_CHAN_CT_GET_LIMITS, dp_name(dpif));
    fp_chan_put_zone_limits(&req, zone_limits_in);
    error = fp_client_request(&req, &reply, &msg, VLL_INFO);
    if (!error) {
        limits = msg.attrs[FP_CHAN_A_CT_ZONE_LIMITS];
        if (!msg.attrs[FP_CHAN_A_CT_DEFAULT_LIMIT] || !limits
            || !fp_chan_get_zone_limits(limits, zone_limits_out)) {
            error = EPROTO;
        } else {
            *default_limit
                = nl_attr_get_u32(msg.attrs[FP_CHAN_A_CT_DEFAULT_LIMIT]);
        }
    }
    ofpbuf_uninit(&reply);
    return error;
}

int
dpif_fastpath_client_ct_del_limits(struct dpif *dpif,
                                   const struct ovs_list *zone_limits)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_DEL_LIMITS, dp_name(dpif));
    fp_chan_put_zone_limits(&req, zone_limits);
    return fp_client_request_simple(&req, VLL_INFO);
}

/* Timeout policies. */

int
dpif_fastpath_client_ct_set_timeout_policy(
    struct dpif *dpif, const struct ct_dpif_timeout_policy *tp)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_SET_TP, dp_name(dpif));
    fp_chan_put_timeout_policy(&req, tp);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ct_get_timeout_policy(struct dpif *dpif, uint32_t tp_id,
                                           struct ct_dpif_timeout_policy *tp)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    ofpbuf_init(&reply, 256);
    fp_client_request_start(&req, FP_CHAN_CT_GET_TP, dp_name(dpif));
    nl_msg_put_u32(&req, FP_CHAN_A_CT_TP_ID, tp_id);
    /* ofproto-dpif asks for policies that may not be there: no warning. */
    error = fp_client_request(&req, &reply, &msg, VLL_DBG);
    if (!error && (!msg.attrs[FP_CHAN_A_CT_TP]
                   || !fp_chan_get_timeout_policy(msg.attrs[FP_CHAN_A_CT_TP],
                                                  tp))) {
        error = EPROTO;
    }
    ofpbuf_uninit(&reply);
    return error;
}

int
dpif_fastpath_client_ct_del_timeout_policy(struct dpif *dpif, uint32_t tp_id)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_CT_DEL_TP, dp_name(dpif));
    nl_msg_put_u32(&req, FP_CHAN_A_CT_TP_ID, tp_id);
    return fp_client_request_simple(&req, VLL_DBG);
}

/* Fragment reassembly. */

int
dpif_fastpath_client_ipf_set_enabled(struct dpif *dpif, bool v6, bool enabled)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_IPF_SET, dp_name(dpif));
    if (v6) {
        nl_msg_put_flag(&req, FP_CHAN_A_IPF_V6);
    }
    nl_msg_put_u32(&req, FP_CHAN_A_IPF_ENABLED, enabled);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ipf_set_min_frag(struct dpif *dpif, bool v6,
                                      uint32_t min_frag)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_IPF_SET, dp_name(dpif));
    if (v6) {
        nl_msg_put_flag(&req, FP_CHAN_A_IPF_V6);
    }
    nl_msg_put_u32(&req, FP_CHAN_A_IPF_MIN_FRAG, min_frag);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ipf_set_max_nfrags(struct dpif *dpif, uint32_t max_nfrags)
{
    struct ofpbuf req;

    fp_client_request_start(&req, FP_CHAN_IPF_SET, dp_name(dpif));
    nl_msg_put_u32(&req, FP_CHAN_A_IPF_MAX_NFRAGS, max_nfrags);
    return fp_client_request_simple(&req, VLL_INFO);
}

int
dpif_fastpath_client_ipf_get_status(struct dpif *dpif,
                                    struct dpif_ipf_status *status)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    ofpbuf_init(&reply, 512);
    fp_client_request_start(&req, FP_CHAN_IPF_STATUS, dp_name(dpif));
    error = fp_client_request(&req, &reply, &msg, VLL_INFO);
    if (!error && (!msg.attrs[FP_CHAN_A_IPF_STATUS]
                   || !fp_chan_get_ipf_status(msg.attrs[FP_CHAN_A_IPF_STATUS],
                                              status))) {
        error = EPROTO;
    }
    ofpbuf_uninit(&reply);
    return error;
}

/* An ipf dump: the fragment lists fastpathd sent, all in one reply. */
struct client_ipf_dump {
    struct svec lists;
    size_t next;
};

int
dpif_fastpath_client_ipf_dump_start(struct dpif *dpif,
                                    struct ipf_dump_ctx **ctx)
{
    struct client_ipf_dump *dump;
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    dump = xzalloc(sizeof *dump);
    svec_init(&dump->lists);
    ofpbuf_init(&reply, 4096);
    fp_client_request_start(&req, FP_CHAN_IPF_DUMP, dp_name(dpif));
    error = fp_client_request(&req, &reply, &msg, VLL_INFO);
    if (!error && (!msg.attrs[FP_CHAN_A_IPF_DUMP]
                   || !fp_chan_get_strings(msg.attrs[FP_CHAN_A_IPF_DUMP],
                                           &dump->lists))) {
        error = EPROTO;
    }
    ofpbuf_uninit(&reply);
    if (error) {
        svec_destroy(&dump->lists);
        free(dump);
        return error;
    }
    /* The dpif interface names the context's type, which is the conntrack
     * library's; this one is only ever handed back to the functions
     * below. */
    *ctx = (struct ipf_dump_ctx *) dump;
    return 0;
}

int
dpif_fastpath_client_ipf_dump_next(struct dpif *dpif OVS_UNUSED, void *ctx,
                                   char **list)
{
    struct client_ipf_dump *dump = ctx;

    if (dump->next >= dump->lists.n) {
        return EOF;
    }
    *list = xstrdup(dump->lists.names[dump->next++]);
    return 0;
}

int
dpif_fastpath_client_ipf_dump_done(struct dpif *dpif OVS_UNUSED, void *ctx)
{
    struct client_ipf_dump *dump = ctx;

    svec_destroy(&dump->lists);
    free(dump);
    return 0;
}

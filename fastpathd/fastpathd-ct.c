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


/* fastpathd's conntrack commands (see fastpathd/fastpathd-ct.h).  Each
 * hands its arguments, read off the channel with engine/fp-chan-ct.h, to
 * the engine's call of the same purpose and sends back what it gives.
 *
 * A conntrack dump outlives its request: the client reads it a page at a
 * time, so fastpathd keeps each dump under an id until its last page has
 * gone, the client gives it up (CT_DUMP_END), the client detaches or the
 * datapath goes.  At most MAX_DUMPS are kept; a newer one ends the
 * oldest, whose next page is then refused. */

#include <config.h>
#include "fastpathd-ct.h"

#include <errno.h>
#include <string.h>
#include "ct-dpif.h"
#include "dpif-provider.h"        /* struct dpif_ipf_status. */
#include "fastpathd-dp.h"
#include "fp-chan.h"
#include "fp-chan-ct.h"
#include "fp-datapath.h"
#include "netlink.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_ct);

/* Dumps kept at once. */
#define MAX_DUMPS 8

/* Bytes of entries or fragment lists in one reply: they go in one nested
 * attribute, whose length is 16 bits, and an entry takes a few hundred. */
#define LIST_MAX_BYTES (48 * 1024)

struct ct_dump {
    struct ovs_list node;       /* In 'dumps', oldest first. */
    uint32_t id;
    const struct fp_dp *dp;
    struct fp_ct_dump *dump;
    int tot_bkts;
};

static struct ovs_list dumps = OVS_LIST_INITIALIZER(&dumps);
static size_t n_dumps;
static uint32_t next_dump_id = 1;

static void
dump_end(struct ct_dump *d)
{
    ovs_list_remove(&d->node);
    n_dumps--;
    fp_dp_ct_dump_done(d->dump);
    free(d);
}

/* Ends the dumps of 'dp', or with NULL every dump: the datapath or the
 * client that asked for them is going. */
void
fastpathd_ct_end_dumps(const struct fp_dp *dp)
{
    struct ct_dump *d;

    LIST_FOR_EACH_SAFE (d, node, &dumps) {
        if (!dp || d->dp == dp) {
            dump_end(d);
        }
    }
}

static struct ct_dump *
dump_find(uint32_t id, const struct fp_dp *dp)
{
    struct ct_dump *d;

    LIST_FOR_EACH (d, node, &dumps) {
        if (d->id == id && d->dp == dp) {
            return d;
        }
    }
    return NULL;
}

static struct ct_dump *
dump_start(struct fp_dp *dp, const uint16_t *zone)
{
    struct ct_dump *d = xzalloc(sizeof *d);

    if (fp_dp_ct_dump_start(dp, zone, &d->tot_bkts, &d->dump)) {
        free(d);
        return NULL;
    }
    if (n_dumps >= MAX_DUMPS) {
        dump_end(CONTAINER_OF(ovs_list_front(&dumps), struct ct_dump, node));
    }
    d->id = next_dump_id++;
    d->dp = dp;
    ovs_list_push_back(&dumps, &d->node);
    n_dumps++;
    return d;
}

/* CT_DUMP: without CT_DUMP_ID, starts a dump (of CT_ZONE only, if given);
 * with it, goes on with that dump.  Either way replies with the next page
 * of entries, and ends the dump once they are all sent. */
static void
ct_dump(struct fp_dp *dp, const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const struct nlattr *id_attr = msg->attrs[FP_CHAN_A_CT_DUMP_ID];
    struct ct_dump *d;
    size_t start, entries;
    bool done = false;

    if (id_attr) {
        d = dump_find(nl_attr_get_u32(id_attr), dp);
        if (!d) {
            fastpathd_put_error(reply, msg, ESRCH,
                                xasprintf("%s: conntrack dump %"PRIu32" is "
                                          "over or was given up (at most "
                                          "%d are kept)", fp_dp_name(dp),
                                          nl_attr_get_u32(id_attr),
                                          MAX_DUMPS));
            return;
        }
    } else {
        uint16_t zone = 0;

        if (msg->attrs[FP_CHAN_A_CT_ZONE]) {
            zone = nl_attr_get_u16(msg->attrs[FP_CHAN_A_CT_ZONE]);
        }
        d = dump_start(dp, msg->attrs[FP_CHAN_A_CT_ZONE] ? &zone : NULL);
        if (!d) {
            fastpathd_put_error(reply, msg, EIO,
                                xasprintf("%s: cannot dump conntrack",
                                          fp_dp_name(dp)));
            return;
        }
    }

    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    nl_msg_put_u32(reply, FP_CHAN_A_CT_DUMP_ID, d->id);
    nl_msg_put_u32(reply, FP_CHAN_A_CT_TOT_BKTS, d->tot_bkts);
    entries = nl_msg_start_nested(reply, FP_CHAN_A_CT_ENTRIES);
    while (reply->size - entries < LIST_MAX_BYTES) {
        struct ct_dpif_entry entry;

        if (fp_dp_ct_dump_next(d->dump, &entry)) {
            done = true;
            break;
        }
        fp_chan_put_ct_entry(reply, &entry);
        ct_dpif_entry_uninit(&entry);
    }
    nl_msg_end_nested(reply, entries);
    if (done) {
        nl_msg_put_flag(reply, FP_CHAN_A_DUMP_DONE);
        dump_end(d);
    }
    fp_chan_msg_finish(reply, start);
}

static void
ct_dump_end(struct fp_dp *dp, const struct fp_chan_msg *msg,
            struct ofpbuf *reply)
{
    struct ct_dump *d = dump_find(
        nl_attr_get_u32(msg->attrs[FP_CHAN_A_CT_DUMP_ID]), dp);

    /* One already over is no error: the client may not know. */
    if (d) {
        dump_end(d);
    }
    fastpathd_put_ok(reply, msg);
}

/* Replies to 'msg' with nothing, or with the refusal of 'error' (what the
 * engine said to 'what'). */
static void
reply_error(struct fp_dp *dp, const struct fp_chan_msg *msg,
            struct ofpbuf *reply, int error, const char *what)
{
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: %s: %s", fp_dp_name(dp), what,
                                      ovs_strerror(error)));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

static void
ct_flush(struct fp_dp *dp, const struct fp_chan_msg *msg,
         struct ofpbuf *reply)
{
    const struct nlattr *zone_attr = msg->attrs[FP_CHAN_A_CT_ZONE];
    const struct nlattr *tuple_attr = msg->attrs[FP_CHAN_A_CT_TUPLE];
    struct ct_dpif_tuple tuple;
    uint16_t zone = zone_attr ? nl_attr_get_u16(zone_attr) : 0;

    if (tuple_attr && !fp_chan_get_ct_tuple(tuple_attr, &tuple)) {
        fastpathd_put_error(reply, msg, EINVAL,
                            xasprintf("%s: malformed conntrack tuple",
                                      fp_dp_name(dp)));
        return;
    }
    reply_error(dp, msg, reply,
                fp_dp_ct_flush(dp, zone_attr ? &zone : NULL,
                               tuple_attr ? &tuple : NULL),
                "conntrack flush");
}

static void
ct_get_config(struct fp_dp *dp, const struct fp_chan_msg *msg,
              struct ofpbuf *reply)
{
    uint32_t maxconns, nconns;
    bool seq_chk;
    size_t start;
    int error;

    error = fp_dp_ct_get_maxconns(dp, &maxconns);
    if (!error) {
        error = fp_dp_ct_get_nconns(dp, &nconns);
    }
    if (!error) {
        error = fp_dp_ct_get_tcp_seq_chk(dp, &seq_chk);
    }
    if (error) {
        reply_error(dp, msg, reply, error, "conntrack settings");
        return;
    }
    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    nl_msg_put_u32(reply, FP_CHAN_A_CT_MAXCONNS, maxconns);
    nl_msg_put_u32(reply, FP_CHAN_A_CT_NCONNS, nconns);
    nl_msg_put_u32(reply, FP_CHAN_A_CT_TCP_SEQ_CHK, seq_chk);
    fp_chan_msg_finish(reply, start);
}

static void
ct_set_config(struct fp_dp *dp, const struct fp_chan_msg *msg,
              struct ofpbuf *reply)
{
    const struct nlattr *maxconns = msg->attrs[FP_CHAN_A_CT_MAXCONNS];
    const struct nlattr *seq_chk = msg->attrs[FP_CHAN_A_CT_TCP_SEQ_CHK];
    int error = 0;

    if (maxconns) {
        error = fp_dp_ct_set_maxconns(dp, nl_attr_get_u32(maxconns));
    }
    if (!error && seq_chk) {
        error = fp_dp_ct_set_tcp_seq_chk(dp, nl_attr_get_u32(seq_chk) != 0);
    }
    reply_error(dp, msg, reply, error, "conntrack settings");
}

/* Reads the zone limits of 'msg' into 'limits', or refuses 'msg'. */
static bool
get_limits(struct fp_dp *dp, const struct fp_chan_msg *msg,
           struct ofpbuf *reply, struct ovs_list *limits)
{
    const struct nlattr *nla = msg->attrs[FP_CHAN_A_CT_ZONE_LIMITS];

    if (nla && !fp_chan_get_zone_limits(nla, limits)) {
        fastpathd_put_error(reply, msg, EINVAL,
                            xasprintf("%s: malformed zone limits",
                                      fp_dp_name(dp)));
        return false;
    }
    return true;
}

static void
ct_set_limits(struct fp_dp *dp, const struct fp_chan_msg *msg,
              struct ofpbuf *reply)
{
    const struct nlattr *def = msg->attrs[FP_CHAN_A_CT_DEFAULT_LIMIT];
    struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
    uint32_t default_limit = def ? nl_attr_get_u32(def) : 0;

    if (get_limits(dp, msg, reply, &limits)) {
        reply_error(dp, msg, reply,
                    fp_dp_ct_set_limits(dp, def ? &default_limit : NULL,
                                        &limits),
                    "conntrack zone limits");
    }
    ct_dpif_free_zone_limits(&limits);
}

static void
ct_get_limits(struct fp_dp *dp, const struct fp_chan_msg *msg,
              struct ofpbuf *reply)
{
    struct ovs_list in = OVS_LIST_INITIALIZER(&in);
    struct ovs_list out = OVS_LIST_INITIALIZER(&out);
    uint32_t default_limit;

    if (get_limits(dp, msg, reply, &in)) {
        int error = fp_dp_ct_get_limits(dp, &default_limit, &in, &out);

        if (error) {
            reply_error(dp, msg, reply, error, "conntrack zone limits");
        } else {
            size_t start = reply->size;

            fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
            nl_msg_put_u32(reply, FP_CHAN_A_CT_DEFAULT_LIMIT, default_limit);
            fp_chan_put_zone_limits(reply, &out);
            fp_chan_msg_finish(reply, start);
        }
    }
    ct_dpif_free_zone_limits(&in);
    ct_dpif_free_zone_limits(&out);
}

static void
ct_del_limits(struct fp_dp *dp, const struct fp_chan_msg *msg,
              struct ofpbuf *reply)
{
    struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);

    if (get_limits(dp, msg, reply, &limits)) {
        reply_error(dp, msg, reply, fp_dp_ct_del_limits(dp, &limits),
                    "conntrack zone limits");
    }
    ct_dpif_free_zone_limits(&limits);
}

static void
ct_set_tp(struct fp_dp *dp, const struct fp_chan_msg *msg,
          struct ofpbuf *reply)
{
    struct ct_dpif_timeout_policy tp;

    if (!fp_chan_get_timeout_policy(msg->attrs[FP_CHAN_A_CT_TP], &tp)) {
        fastpathd_put_error(reply, msg, EINVAL,
                            xasprintf("%s: malformed timeout policy",
                                      fp_dp_name(dp)));
        return;
    }
    reply_error(dp, msg, reply, fp_dp_ct_set_timeout_policy(dp, &tp),
                "timeout policy");
}

static void
ct_get_tp(struct fp_dp *dp, const struct fp_chan_msg *msg,
          struct ofpbuf *reply)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[FP_CHAN_A_CT_TP_ID]);
    struct ct_dpif_timeout_policy tp;
    int error = fp_dp_ct_get_timeout_policy(dp, id, &tp);

    if (error) {
        /* ofproto-dpif asks for policies that may not be there. */
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: timeout policy %"PRIu32": %s",
                                      fp_dp_name(dp), id,
                                      ovs_strerror(error)));
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        fp_chan_put_timeout_policy(reply, &tp);
        fp_chan_msg_finish(reply, start);
    }
}

static void
ct_del_tp(struct fp_dp *dp, const struct fp_chan_msg *msg,
          struct ofpbuf *reply)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[FP_CHAN_A_CT_TP_ID]);

    reply_error(dp, msg, reply, fp_dp_ct_del_timeout_policy(dp, id),
                "timeout policy");
}

static void
ipf_set(struct fp_dp *dp, const struct fp_chan_msg *msg,
        struct ofpbuf *reply)
{
    const struct nlattr *enabled = msg->attrs[FP_CHAN_A_IPF_ENABLED];
    const struct nlattr *min_frag = msg->attrs[FP_CHAN_A_IPF_MIN_FRAG];
    const struct nlattr *max_nfrags = msg->attrs[FP_CHAN_A_IPF_MAX_NFRAGS];
    bool v6 = msg->attrs[FP_CHAN_A_IPF_V6] != NULL;
    int error = 0;

    if (enabled) {
        error = fp_dp_ipf_set_enabled(dp, v6, nl_attr_get_u32(enabled) != 0);
    }
    if (!error && min_frag) {
        error = fp_dp_ipf_set_min_frag(dp, v6, nl_attr_get_u32(min_frag));
    }
    if (!error && max_nfrags) {
        error = fp_dp_ipf_set_max_nfrags(dp, nl_attr_get_u32(max_nfrags));
    }
    reply_error(dp, msg, reply, error, "fragment reassembly");
}

static void
ipf_status(struct fp_dp *dp, const struct fp_chan_msg *msg,
           struct ofpbuf *reply)
{
    struct dpif_ipf_status status;
    int error = fp_dp_ipf_get_status(dp, &status);

    if (error) {
        reply_error(dp, msg, reply, error, "fragment reassembly");
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        fp_chan_put_ipf_status(reply, &status);
        fp_chan_msg_finish(reply, start);
    }
}

/* IPF_DUMP: the fragment lists, as many as fit in one reply (about 48 kB,
 * some 300 lists); the log says how many more were left out. */
static void
ipf_dump(struct fp_dp *dp, const struct fp_chan_msg *msg,
         struct ofpbuf *reply)
{
    struct ipf_dump_ctx *ctx;
    size_t start, list, n_left_out = 0;
    char *s;
    int error = fp_dp_ipf_dump_start(dp, &ctx);

    if (error) {
        reply_error(dp, msg, reply, error, "fragment lists");
        return;
    }
    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    list = nl_msg_start_nested(reply, FP_CHAN_A_IPF_DUMP);
    while (!fp_dp_ipf_dump_next(dp, ctx, &s)) {
        if (reply->size - list + strlen(s) < LIST_MAX_BYTES) {
            nl_msg_put_string(reply, FP_CHAN_A_ITEM, s);
        } else {
            n_left_out++;
        }
        free(s);
    }
    if (n_left_out) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "%s: %zu fragment lists left out of a dump that "
                     "did not hold them all", fp_dp_name(dp), n_left_out);
    }
    nl_msg_end_nested(reply, list);
    fp_chan_msg_finish(reply, start);
    fp_dp_ipf_dump_done(dp, ctx);
}

/* Carries out 'msg' and appends its reply to 'reply'.  Returns false if
 * 'msg' is no conntrack command. */
bool
fastpathd_ct_handle(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    static const struct {
        uint16_t cmd;
        void (*handle)(struct fp_dp *, const struct fp_chan_msg *,
                       struct ofpbuf *);
    } handlers[] = {
        { FP_CHAN_CT_DUMP, ct_dump },
        { FP_CHAN_CT_DUMP_END, ct_dump_end },
        { FP_CHAN_CT_FLUSH, ct_flush },
        { FP_CHAN_CT_GET_CONFIG, ct_get_config },
        { FP_CHAN_CT_SET_CONFIG, ct_set_config },
        { FP_CHAN_CT_SET_LIMITS, ct_set_limits },
        { FP_CHAN_CT_GET_LIMITS, ct_get_limits },
        { FP_CHAN_CT_DEL_LIMITS, ct_del_limits },
        { FP_CHAN_CT_SET_TP, ct_set_tp },
        { FP_CHAN_CT_GET_TP, ct_get_tp },
        { FP_CHAN_CT_DEL_TP, ct_del_tp },
        { FP_CHAN_IPF_SET, ipf_set },
        { FP_CHAN_IPF_STATUS, ipf_status },
        { FP_CHAN_IPF_DUMP, ipf_dump },
    };

    for (size_t i = 0; i < ARRAY_SIZE(handlers); i++) {
        if (handlers[i].cmd == msg->cmd) {
            struct fp_dp *dp = fastpathd_dp_find(msg, reply);

            if (dp) {
                handlers[i].handle(dp, msg, reply);
            }
            return true;
        }
    }
    return false;
}

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

/* The dpif provider of datapath type "fastpath": what ofproto-dpif calls,
 * translated to the engine's interface (engine/fp-datapath.h). */

#include <config.h>
#include "dpif-fastpath.h"
#include "dpif-fastpath-ct.h"

#include <errno.h>
#include <string.h>
#include "conntrack.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif-provider.h"
#include "flow.h"
#include "fp-datapath.h"
#include "hash.h"
#include "netdev.h"
#include "netdev-vport.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_fastpath);

struct dpif_fastpath {
    struct dpif dpif;
    struct fp_dp *dp;
    uint64_t last_port_seq;
    uint64_t last_tnl_seq;      /* tnl_conf_seq when 'run' last read it. */
};

static struct dpif_fastpath *
dpif_fastpath_cast(const struct dpif *dpif)
{
    dpif_assert_class(dpif, &dpif_fastpath_class);
    return CONTAINER_OF(dpif, struct dpif_fastpath, dpif);
}

struct fp_dp *
dpif_fastpath_get_dp(const struct dpif *dpif)
{
    return dpif_fastpath_cast(dpif)->dp;
}

static struct fp_dp *
get_dp(const struct dpif *dpif)
{
    return dpif_fastpath_get_dp(dpif);
}

static int
dpif_fastpath_init(void)
{
    /* The engine's own set-up waits for the choice of engine
     * (datapath-shim/fp-mode.c). */
    return 0;
}

static int
dpif_fastpath_enumerate(struct sset *all_dps,
                        const struct dpif_class *dpif_class)
{
    fp_dp_enumerate(dpif_class->type, all_dps);
    return 0;
}

static const char *
dpif_fastpath_port_open_type(const struct dpif_class *class OVS_UNUSED,
                             const char *type)
{
    return fp_dp_port_open_type(type);
}

static int
dpif_fastpath_open(const struct dpif_class *class, const char *name,
                   bool create, struct dpif **dpifp)
{
    struct dpif_fastpath *dpif;
    struct fp_dp *dp;
    int error;

    error = fp_dp_open(class->type, name, create, &dp);
    if (error) {
        return error;
    }
    dpif = xzalloc(sizeof *dpif);
    uint16_t netflow_id = hash_string(name, 0);
    dpif_init(&dpif->dpif, class, name, netflow_id >> 8, netflow_id);
    dpif->dp = dp;
    dpif->last_port_seq = seq_read(fp_dp_port_seq(dp));
    dpif->last_tnl_seq = seq_read(tnl_conf_seq);
    *dpifp = &dpif->dpif;
    return 0;
}

static void
dpif_fastpath_close(struct dpif *dpif_)
{
    struct dpif_fastpath *dpif = dpif_fastpath_cast(dpif_);

    fp_dp_unref(dpif->dp);
    free(dpif);
}

static int
dpif_fastpath_destroy(struct dpif *dpif)
{
    fp_dp_destroy(get_dp(dpif));
    return 0;
}

static bool
dpif_fastpath_run(struct dpif *dpif_)
{
    struct dpif_fastpath *dpif = dpif_fastpath_cast(dpif_);
    uint64_t tnl_seq = seq_read(tnl_conf_seq);

    fp_dp_run(dpif->dp);

    /* A route, a tunnel neighbour or a tunnel port changed (tnl_conf_seq,
     * of the dpif layer): megaflows that ofproto-dpif made with the old
     * ones, such as a tunnel output dropped while the far end's MAC was
     * unknown, must be translated again.  'run' returning true is how a
     * dpif asks for that. */
    if (tnl_seq != dpif->last_tnl_seq) {
        dpif->last_tnl_seq = tnl_seq;
        return true;
    }
    return false;
}

static void
dpif_fastpath_wait(struct dpif *dpif_)
{
    struct dpif_fastpath *dpif = dpif_fastpath_cast(dpif_);

    fp_dp_wait(dpif->dp);
    seq_wait(tnl_conf_seq, dpif->last_tnl_seq);
}

static int
dpif_fastpath_get_stats(const struct dpif *dpif, struct dpif_dp_stats *stats)
{
    struct fp_dp *dp = get_dp(dpif);
    uint64_t values[FP_N_STATS];

    fp_dp_get_stats(dp, values);
    memset(stats, 0, sizeof *stats);
    stats->n_hit = values[FP_STAT_EMC_HIT] + values[FP_STAT_MEGAFLOW_HIT];
    stats->n_missed = values[FP_STAT_MISS];
    stats->n_lost = values[FP_STAT_LOST];
    stats->n_flows = fp_dp_flow_count(dp);
    stats->n_masks = UINT32_MAX;
    stats->n_mask_hit = UINT64_MAX;
    stats->n_cache_hit = UINT64_MAX;
    return 0;
}

static int
dpif_fastpath_set_config(struct dpif *dpif, const struct smap *other_config)
{
    return fp_dp_set_config(get_dp(dpif), other_config);
}

static int
dpif_fastpath_port_add(struct dpif *dpif, struct netdev *netdev,
                       odp_port_t *port_nop)
{
    return fp_dp_port_add(get_dp(dpif), netdev, port_nop);
}

static int
dpif_fastpath_port_del(struct dpif *dpif, odp_port_t port_no)
{
    return fp_dp_port_del(get_dp(dpif), port_no);
}

/* Moves the copies in 'info' into 'dpif_port'. */
static void
answer_port_query(struct fp_port_info *info, struct dpif_port *dpif_port)
{
    if (dpif_port) {
        dpif_port->name = info->name;
        dpif_port->type = info->type;
        dpif_port->port_no = info->port_no;
    } else {
        fp_port_info_destroy(info);
    }
}

static int
dpif_fastpath_port_query_by_number(const struct dpif *dpif,
                                   odp_port_t port_no,
                                   struct dpif_port *dpif_port)
{
    struct fp_port_info info;
    int error;

    error = fp_dp_port_query_by_number(get_dp(dpif), port_no, &info);
    if (!error) {
        answer_port_query(&info, dpif_port);
    }
    return error;
}

static int
dpif_fastpath_port_query_by_name(const struct dpif *dpif, const char *name,
                                 struct dpif_port *dpif_port)
{
    struct fp_port_info info;
    int error;

    error = fp_dp_port_query_by_name(get_dp(dpif), name, &info);
    if (!error) {
        answer_port_query(&info, dpif_port);
    }
    return error;
}

/* A port dump answers from a copy of the port list taken at its start. */
struct port_dump_state {
    struct fp_port_info *ports;
    size_t n, next;
    struct dpif_port port;      /* The last one answered. */
};

static int
dpif_fastpath_port_dump_start(const struct dpif *dpif, void **statep)
{
    struct port_dump_state *state = xzalloc(sizeof *state);

    state->ports = fp_dp_port_list(get_dp(dpif), &state->n);
    *statep = state;
    return 0;
}

static int
dpif_fastpath_port_dump_next(const struct dpif *dpif OVS_UNUSED,
                             void *state_, struct dpif_port *dpif_port)
{
    struct port_dump_state *state = state_;
    const struct fp_port_info *info;

    if (state->next >= state->n) {
        return EOF;
    }
    info = &state->ports[state->next++];
    state->port.name = info->name;
    state->port.type = info->type;
    state->port.port_no = info->port_no;
    *dpif_port = state->port;
    return 0;
}

static int
dpif_fastpath_port_dump_done(const struct dpif *dpif OVS_UNUSED,
                             void *state_)
{
    struct port_dump_state *state = state_;

    fp_port_info_list_free(state->ports, state->n);
    free(state);
    return 0;
}

static int
dpif_fastpath_port_poll(const struct dpif *dpif_, char **devnamep OVS_UNUSED)
{
    struct dpif_fastpath *dpif = dpif_fastpath_cast(dpif_);
    uint64_t seq = seq_read(fp_dp_port_seq(dpif->dp));

    if (seq != dpif->last_port_seq) {
        dpif->last_port_seq = seq;
        return ENOBUFS;
    }
    return EAGAIN;
}

static void
dpif_fastpath_port_poll_wait(const struct dpif *dpif_)
{
    struct dpif_fastpath *dpif = dpif_fastpath_cast(dpif_);

    seq_wait(fp_dp_port_seq(dpif->dp), dpif->last_port_seq);
}

static int
dpif_fastpath_flow_flush(struct dpif *dpif)
{
    fp_dp_flow_flush(get_dp(dpif));
    return 0;
}

/* Flow operations. */

static int
flow_put(struct fp_dp *dp, struct dpif_flow_put *put)
{
    return fp_dp_flow_put(dp, put);
}

static int
flow_del(struct fp_dp *dp, struct dpif_flow_del *del)
{
    return fp_dp_flow_del(dp, del->ufid, del->key, del->key_len,
                          del->stats);
}

static int
flow_get(struct fp_dp *dp, struct dpif_flow_get *get)
{
    return fp_dp_flow_get(dp, get->ufid, get->key, get->key_len, get->flow,
                          get->buffer);
}

static int
execute(struct fp_dp *dp, struct dpif_execute *exec)
{
    if (exec->probe) {
        /* A probe of what the datapath accepts: executing it could put a
         * made-up packet on the network. */
        size_t size = dp_packet_size(exec->packet);

        return size < ETH_HEADER_LEN || size > UINT16_MAX ? EINVAL : 0;
    }
    return fp_dp_execute(dp, exec->packet, exec->flow, exec->actions,
                         exec->actions_len);
}

static void
dpif_fastpath_operate(struct dpif *dpif, struct dpif_op **ops, size_t n_ops,
                      enum dpif_offload_type offload_type OVS_UNUSED)
{
    struct fp_dp *dp = get_dp(dpif);

    for (size_t i = 0; i < n_ops; i++) {
        struct dpif_op *op = ops[i];

        switch (op->type) {
        case DPIF_OP_FLOW_PUT:
            op->error = flow_put(dp, &op->flow_put);
            break;
        case DPIF_OP_FLOW_DEL:
            op->error = flow_del(dp, &op->flow_del);
            break;
        case DPIF_OP_FLOW_GET:
            op->error = flow_get(dp, &op->flow_get);
            break;
        case DPIF_OP_EXECUTE:
            op->error = execute(dp, &op->execute);
            break;
        }
    }
}

/* Flow dumps. */

enum { FLOW_DUMP_MAX_BATCH = 50 };

struct fp_flow_dump {
    struct dpif_flow_dump up;
    struct fp_dp *dp;
    struct ovs_mutex mutex;
    struct fp_flow_dump_position pos OVS_GUARDED;
};

struct fp_flow_dump_thread {
    struct dpif_flow_dump_thread up;
    struct fp_flow_dump *dump;
    struct ofpbuf bufs[FLOW_DUMP_MAX_BATCH];
};

static struct fp_flow_dump *
fp_flow_dump_cast(struct dpif_flow_dump *dump)
{
    return CONTAINER_OF(dump, struct fp_flow_dump, up);
}

static struct dpif_flow_dump *
dpif_fastpath_flow_dump_create(const struct dpif *dpif, bool terse,
                               struct dpif_flow_dump_types *types OVS_UNUSED)
{
    struct fp_flow_dump *dump = xzalloc(sizeof *dump);

    dpif_flow_dump_init(&dump->up, dpif);
    dump->up.terse = terse;
    dump->dp = get_dp(dpif);
    ovs_mutex_init(&dump->mutex);
    return &dump->up;
}

static int
dpif_fastpath_flow_dump_destroy(struct dpif_flow_dump *dump_)
{
    struct fp_flow_dump *dump = fp_flow_dump_cast(dump_);

    ovs_mutex_destroy(&dump->mutex);
    free(dump);
    return 0;
}

static struct dpif_flow_dump_thread *
dpif_fastpath_flow_dump_thread_create(struct dpif_flow_dump *dump_)
{
    struct fp_flow_dump_thread *thread = xzalloc(sizeof *thread);

    dpif_flow_dump_thread_init(&thread->up, dump_);
    thread->dump = fp_flow_dump_cast(dump_);
    for (int i = 0; i < FLOW_DUMP_MAX_BATCH; i++) {
        ofpbuf_init(&thread->bufs[i], 256);
    }
    return &thread->up;
}

static void
dpif_fastpath_flow_dump_thread_destroy(struct dpif_flow_dump_thread *thread_)
{
    struct fp_flow_dump_thread *thread
        = CONTAINER_OF(thread_, struct fp_flow_dump_thread, up);

    for (int i = 0; i < FLOW_DUMP_MAX_BATCH; i++) {
        ofpbuf_uninit(&thread->bufs[i]);
    }
    free(thread);
}

static int
dpif_fastpath_flow_dump_next(struct dpif_flow_dump_thread *thread_,
                             struct dpif_flow *flows, int max_flows)
{
    struct fp_flow_dump_thread *thread
        = CONTAINER_OF(thread_, struct fp_flow_dump_thread, up);
    struct fp_flow_dump *dump = thread->dump;
    int n = 0;

    /* The dump's threads share its position. */
    ovs_mutex_lock(&dump->mutex);
    n = fp_dp_flow_dump_next(dump->dp, &dump->pos, dump->up.terse, flows,
                             thread->bufs, MIN(max_flows, FLOW_DUMP_MAX_BATCH));
    ovs_mutex_unlock(&dump->mutex);
    return n;
}

/* Upcalls. */

static void
dpif_fastpath_register_upcall_cb(struct dpif *dpif, upcall_callback *cb,
                                 void *aux)
{
    fp_dp_register_upcall(get_dp(dpif), cb, aux);
}

static void
dpif_fastpath_enable_upcall(struct dpif *dpif)
{
    fp_dp_enable_upcall(get_dp(dpif));
}

static void
dpif_fastpath_disable_upcall(struct dpif *dpif)
{
    fp_dp_disable_upcall(get_dp(dpif));
}

static char *
dpif_fastpath_get_datapath_version(void)
{
    return xstrdup("<built-in>");
}

static void
dpif_fastpath_meter_get_features(const struct dpif *dpif OVS_UNUSED,
                                 struct ofputil_meter_features *features)
{
    fp_dp_meter_features(features);
}

static int
dpif_fastpath_meter_set(struct dpif *dpif, ofproto_meter_id meter_id,
                        struct ofputil_meter_config *config)
{
    return fp_dp_meter_set(get_dp(dpif), meter_id.uint32, config);
}

static int
dpif_fastpath_meter_get(const struct dpif *dpif, ofproto_meter_id meter_id,
                        struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    return fp_dp_meter_get(get_dp(dpif), meter_id.uint32, stats, n_bands);
}

static int
dpif_fastpath_meter_del(struct dpif *dpif, ofproto_meter_id meter_id,
                        struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    return fp_dp_meter_del(get_dp(dpif), meter_id.uint32, stats, n_bands);
}

static int
dpif_fastpath_bond_add(struct dpif *dpif, uint32_t bond_id,
                       odp_port_t *member_map)
{
    return fp_dp_bond_add(get_dp(dpif), bond_id, member_map);
}

static int
dpif_fastpath_bond_del(struct dpif *dpif, uint32_t bond_id)
{
    return fp_dp_bond_del(get_dp(dpif), bond_id);
}

static int
dpif_fastpath_bond_stats_get(struct dpif *dpif, uint32_t bond_id,
                             uint64_t *n_bytes)
{
    return fp_dp_bond_stats_get(get_dp(dpif), bond_id, n_bytes);
}

const struct dpif_class dpif_fastpath_class = {
    .type = "fastpath",
    .cleanup_required = true,
    .init = dpif_fastpath_init,
    .enumerate = dpif_fastpath_enumerate,
    .port_open_type = dpif_fastpath_port_open_type,
    .open = dpif_fastpath_open,
    .close = dpif_fastpath_close,
    .destroy = dpif_fastpath_destroy,
    .run = dpif_fastpath_run,
    .wait = dpif_fastpath_wait,
    .get_stats = dpif_fastpath_get_stats,
    .set_config = dpif_fastpath_set_config,
    .port_add = dpif_fastpath_port_add,
    .port_del = dpif_fastpath_port_del,
    .port_query_by_number = dpif_fastpath_port_query_by_number,
    .port_query_by_name = dpif_fastpath_port_query_by_name,
    .port_dump_start = dpif_fastpath_port_dump_start,
    .port_dump_next = dpif_fastpath_port_dump_next,
    .port_dump_done = dpif_fastpath_port_dump_done,
    .port_poll = dpif_fastpath_port_poll,
    .port_poll_wait = dpif_fastpath_port_poll_wait,
    .flow_flush = dpif_fastpath_flow_flush,
    .flow_dump_create = dpif_fastpath_flow_dump_create,
    .flow_dump_destroy = dpif_fastpath_flow_dump_destroy,
    .flow_dump_thread_create = dpif_fastpath_flow_dump_thread_create,
    .flow_dump_thread_destroy = dpif_fastpath_flow_dump_thread_destroy,
    .flow_dump_next = dpif_fastpath_flow_dump_next,
    .operate = dpif_fastpath_operate,
    .register_upcall_cb = dpif_fastpath_register_upcall_cb,
    .enable_upcall = dpif_fastpath_enable_upcall,
    .disable_upcall = dpif_fastpath_disable_upcall,
    .get_datapath_version = dpif_fastpath_get_datapath_version,
    .ct_dump_start = dpif_fastpath_ct_dump_start,
    .ct_dump_next = dpif_fastpath_ct_dump_next,
    .ct_dump_done = dpif_fastpath_ct_dump_done,
    .ct_flush = dpif_fastpath_ct_flush,
    .ct_set_maxconns = dpif_fastpath_ct_set_maxconns,
    .ct_get_maxconns = dpif_fastpath_ct_get_maxconns,
    .ct_get_nconns = dpif_fastpath_ct_get_nconns,
    .ct_set_tcp_seq_chk = dpif_fastpath_ct_set_tcp_seq_chk,
    .ct_get_tcp_seq_chk = dpif_fastpath_ct_get_tcp_seq_chk,
    .ct_set_limits = dpif_fastpath_ct_set_limits,
    .ct_get_limits = dpif_fastpath_ct_get_limits,
    .ct_del_limits = dpif_fastpath_ct_del_limits,
    .ct_set_timeout_policy = dpif_fastpath_ct_set_timeout_policy,
    .ct_get_timeout_policy = dpif_fastpath_ct_get_timeout_policy,
    .ct_del_timeout_policy = dpif_fastpath_ct_del_timeout_policy,
    .ct_get_timeout_policy_name = dpif_fastpath_ct_get_timeout_policy_name,
    .ct_get_features = dpif_fastpath_ct_get_features,
    .ipf_set_enabled = dpif_fastpath_ipf_set_enabled,
    .ipf_set_min_frag = dpif_fastpath_ipf_set_min_frag,
    .ipf_set_max_nfrags = dpif_fastpath_ipf_set_max_nfrags,
    .ipf_get_status = dpif_fastpath_ipf_get_status,
    .ipf_dump_start = dpif_fastpath_ipf_dump_start,
    .ipf_dump_next = dpif_fastpath_ipf_dump_next,
    .ipf_dump_done = dpif_fastpath_ipf_dump_done,
    .meter_get_features = dpif_fastpath_meter_get_features,
    .meter_set = dpif_fastpath_meter_set,
    .meter_get = dpif_fastpath_meter_get,
    .meter_del = dpif_fastpath_meter_del,
    .bond_add = dpif_fastpath_bond_add,
    .bond_del = dpif_fastpath_bond_del,
    .bond_stats_get = dpif_fastpath_bond_stats_get,
};

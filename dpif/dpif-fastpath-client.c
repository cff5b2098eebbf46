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
/* The dpif provider of datapath type "fastpath" in the detached mode: each
 * call goes to fastpathd over the channel (dpif/fp-client.h), as
 * dpif-netlink's go to the kernel.  It takes the place of the in-process
 * class (dpif/dpif-fastpath.c) when other_config:fastpath-engine names a
 * fastpathd (datapath-shim/fp-mode.c).
 *
 * Upcalls come as fastpathd's UPCALL messages and go to ofproto-dpif's
 * handler threads through recv(): the class has no upcall callback.  Its
 * datapaths and ports belong to fastpathd, so ofproto-dpif is told not to
 * delete them as ovs-vswitchd exits (no cleanup_required). */

#include <config.h>
#include "dpif-fastpath-client.h"

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <string.h>
#include "dp-packet.h"
#include "dpif-fastpath-client-ct.h"
#include "dpif-fastpath-client-meter.h"
#include "dpif-fastpath-ct.h"
#include "dpif-provider.h"
#include "fp-chan.h"
#include "fp-client.h"
#include "fp-unixctl.h"
#include "fp-journal.h"
#include "hash.h"
#include "netdev.h"
#include "netdev-fastpath-proxy.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "smap.h"
#include "sset.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_fastpath_client);

/* The longest that port_add holds upcalls back (see client_port_add()). */
enum { PORT_ADD_HOLD_MS = 500 };

struct dpif_client {
    struct dpif dpif;
    char *dp_name;              /* In fastpathd. */
    atomic_bool ports_changed;  /* By port_add or port_del, since the last
                                 * port_poll. */

    /* ofproto-dpif's end of flow-restore-wait (see client_flow_flush()):
     * set by recv_set(false), which only the restore window calls, and
     * turned into 'adopt_flows' by the recv_set(true) that ends it. */
    bool in_restore_window;
    bool adopt_flows;           /* The next flow_flush keeps the flows. */

    /* port_add holds the upcalls back for two run()s: ofproto-dpif's
     * type_run() runs the dpif before it puts a new port into the
     * translation's configuration, so the second one comes after
     * (fp_client_hold_upcalls()). */
    int held_runs;
};

static struct dpif_client *
dpif_client_cast(const struct dpif *dpif)
{
    dpif_assert_class(dpif, &dpif_fastpath_client_class);
    return CONTAINER_OF(dpif, struct dpif_client, dpif);
}

static const char *
dp_name(const struct dpif *dpif)
{
    return dpif_client_cast(dpif)->dp_name;
}

/* The name of 'dpif''s datapath in fastpathd, for the class's members in
 * other files. */
const char *
dpif_fastpath_client_dp_name(const struct dpif *dpif)
{
    return dp_name(dpif);
}

/* The journal (dpif/fp-journal.h). */

/* Journals a FLOW_PUT that would make 'put''s flow again: its key, mask,
 * actions and ufid, created. */
static void
journal_flow_put(const char *dp, const struct dpif_flow_put *put)
{
    struct dpif_flow_put again = {
        .flags = DPIF_FP_CREATE,
        .key = put->key, .key_len = put->key_len,
        .mask = put->mask, .mask_len = put->mask_len,
        .actions = put->actions, .actions_len = put->actions_len,
        .ufid = put->ufid, .pmd_id = put->pmd_id,
    };
    struct ofpbuf msg;
    ovs_u128 ufid;

    if (!put->ufid) {
        odp_flow_key_hash(put->key, put->key_len, &ufid);
        again.ufid = &ufid;
    }
    ofpbuf_init(&msg, 1024);
    fp_chan_put_flow_put(&msg, 0, dp, &again);
    fp_journal_put(dp, FP_JOURNAL_FLOW, again.ufid, sizeof *again.ufid,
                   &msg);
    ofpbuf_uninit(&msg);
}

static void
journal_flow_forget(const char *dp, const ovs_u128 *ufid_,
                    const struct nlattr *key, size_t key_len)
{
    ovs_u128 ufid;

    if (!ufid_) {
        odp_flow_key_hash(key, key_len, &ufid);
        ufid_ = &ufid;
    }
    fp_journal_forget(dp, FP_JOURNAL_FLOW, ufid_, sizeof *ufid_);
}

/* Starts in 'req' the PORT_ADD of port 'name' ('port_no', or any number
 * with ODPP_NONE). */
static void
port_add_request(struct ofpbuf *req, const char *dp, const char *name,
                 const char *type, const struct smap *options,
                 odp_port_t port_no)
{
    fp_client_request_start(req, FP_CHAN_PORT_ADD, dp);
    nl_msg_put_string(req, FP_CHAN_A_PORT_NAME, name);
    nl_msg_put_string(req, FP_CHAN_A_PORT_TYPE, type);
    fp_chan_put_options(req, FP_CHAN_A_PORT_OPTIONS, options);
    if (port_no != ODPP_NONE) {
        nl_msg_put_u32(req, FP_CHAN_A_PORT_NO, odp_to_u32(port_no));
    }
    fp_chan_msg_finish(req, 0);
}

/* Journals the PORT_ADD that makes port 'port_no' again. */
static void
journal_port_add(const char *dp, const char *name, const char *type,
                 const struct smap *options, odp_port_t port_no)
{
    uint32_t no = odp_to_u32(port_no);
    struct ofpbuf msg;

    port_add_request(&msg, dp, name, type, options, port_no);
    fp_journal_put(dp, FP_JOURNAL_PORT, &no, sizeof no, &msg);
    ofpbuf_uninit(&msg);
}

/* Calls 'cb' with each flow of 'dpif', whole (key, mask and actions). */
static void
for_each_flow(struct dpif *dpif,
              void (*cb)(const struct dpif_flow *, void *aux), void *aux)
{
    struct dpif_flow_dump_thread *thread;
    struct dpif_flow_dump *dump;
    struct dpif_flow flows[64];
    int n;

    dump = dpif_flow_dump_create(dpif, false, NULL);
    thread = dpif_flow_dump_thread_create(dump);
    while ((n = dpif_flow_dump_next(thread, flows, ARRAY_SIZE(flows))) > 0) {
        for (int i = 0; i < n; i++) {
            cb(&flows[i], aux);
        }
    }
    dpif_flow_dump_thread_destroy(thread);
    dpif_flow_dump_destroy(dump);
}

static void
journal_dumped_flow(const struct dpif_flow *f, void *dp)
{
    struct dpif_flow_put put = {
        .key = f->key, .key_len = f->key_len,
        .mask = f->mask, .mask_len = f->mask_len,
        .actions = f->actions, .actions_len = f->actions_len,
        .ufid = f->ufid_present ? &f->ufid : NULL,
        .pmd_id = f->pmd_id,
    };

    journal_flow_put(dp, &put);
}

/* Fills the journal of 'dp', just opened in this process, with what
 * fastpathd holds of it: the ports (but the datapath's own) with their
 * options, and the flows.  Those are what a restarted ovs-vswitchd finds
 * and adopts. */
static void
journal_seed(struct dpif *dpif)
{
    const char *dp = dp_name(dpif);
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;

    fp_client_request_start(&req, FP_CHAN_PORT_GET, dp);
    ofpbuf_init(&reply, 4096);
    if (!fp_client_request(&req, &reply, &msg, VLL_WARN)
        && msg.attrs[FP_CHAN_A_PORTS]) {
        const struct nlattr *item;
        size_t left;

        NL_NESTED_FOR_EACH (item, left, msg.attrs[FP_CHAN_A_PORTS]) {
            const struct nlattr *a[FP_CHAN_A_MAX + 1];
            struct smap options = SMAP_INITIALIZER(&options);
            uint32_t no;

            if (!fp_chan_parse_item(item, a) || !a[FP_CHAN_A_PORT_NO]
                || !a[FP_CHAN_A_PORT_NAME] || !a[FP_CHAN_A_PORT_TYPE]) {
                continue;
            }
            no = nl_attr_get_u32(a[FP_CHAN_A_PORT_NO]);
            if (no == ODPP_LOCAL) {
                continue;
            }
            if (a[FP_CHAN_A_PORT_OPTIONS]) {
                fp_chan_get_options(a[FP_CHAN_A_PORT_OPTIONS], &options);
            }
            journal_port_add(dp, nl_attr_get_string(a[FP_CHAN_A_PORT_NAME]),
                             nl_attr_get_string(a[FP_CHAN_A_PORT_TYPE]),
                             &options, u32_to_odp(no));
            smap_destroy(&options);
        }
    }
    ofpbuf_uninit(&reply);

    for_each_flow(dpif, journal_dumped_flow, CONST_CAST(char *, dp));
}

static int
client_init(void)
{
    return 0;
}

/* The datapaths this process opened in fastpathd, for dpctl. */
static struct ovs_mutex dps_mutex = OVS_MUTEX_INITIALIZER;
static struct sset opened_dps OVS_GUARDED_BY(dps_mutex)
    = SSET_INITIALIZER(&opened_dps);

static int
client_enumerate(struct sset *all_dps,
                 const struct dpif_class *class OVS_UNUSED)
{
    const char *name;

    /* Only those opened here: ofproto-dpif deletes the datapaths that
     * enumerate names and it does not use, and fastpathd's others are
     * not ovs-vswitchd's to sweep away. */
    ovs_mutex_lock(&dps_mutex);
    SSET_FOR_EACH (name, &opened_dps) {
        sset_add(all_dps, name);
    }
    ovs_mutex_unlock(&dps_mutex);
    return 0;
}

static const char *
client_port_open_type(const struct dpif_class *class OVS_UNUSED,
                      const char *type)
{
    return !strcmp(type, "internal") ? FP_PROXY_INTERNAL_TYPE : type;
}

static int
client_open(const struct dpif_class *class, const char *name, bool create,
            struct dpif **dpifp)
{
    struct dpif_client *dpif;
    struct ofpbuf req;
    int error;

    if (!name[0] || strlen(name) >= IFNAMSIZ) {
        /* The name is the internal port's network device's. */
        VLOG_WARN("%s: a fastpath datapath's name has 1 to %d bytes",
                  name, IFNAMSIZ - 1);
        return EINVAL;
    }
    error = fp_client_connect();
    if (error) {
        return error;
    }
    fp_client_request_start(&req, FP_CHAN_DP_OPEN, name);
    nl_msg_put_string(&req, FP_CHAN_A_DP_TYPE, class->type);
    if (create) {
        nl_msg_put_flag(&req, FP_CHAN_A_CREATE);
    }
    error = fp_client_request_simple(&req, create ? VLL_WARN : VLL_DBG);
    if (error) {
        return error;
    }

    dpif = xzalloc(sizeof *dpif);
    uint16_t netflow_id = hash_string(name, 0);
    dpif_init(&dpif->dpif, class, name, netflow_id >> 8, netflow_id);
    dpif->dp_name = xstrdup(name);
    atomic_init(&dpif->ports_changed, true);
    ovs_mutex_lock(&dps_mutex);
    sset_add(&opened_dps, name);
    ovs_mutex_unlock(&dps_mutex);
    if (!fp_journal_has_dp(name)) {
        struct ofpbuf again;

        ofpbuf_init(&again, 128);
        fp_chan_msg_start(&again, FP_CHAN_DP_OPEN, 0, 0);
        nl_msg_put_string(&again, FP_CHAN_A_DP_NAME, name);
        nl_msg_put_string(&again, FP_CHAN_A_DP_TYPE, class->type);
        nl_msg_put_flag(&again, FP_CHAN_A_CREATE);
        fp_chan_msg_finish(&again, 0);
        fp_journal_put(name, FP_JOURNAL_DP, "", 0, &again);
        ofpbuf_uninit(&again);
        journal_seed(&dpif->dpif);
    }
    *dpifp = &dpif->dpif;
    return 0;
}

static void
client_close(struct dpif *dpif_)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);

    free(dpif->dp_name);
    free(dpif);
}

static int
client_destroy(struct dpif *dpif)
{
    struct ofpbuf req;

    ovs_mutex_lock(&dps_mutex);
    sset_find_and_delete(&opened_dps, dp_name(dpif));
    ovs_mutex_unlock(&dps_mutex);
    fp_journal_forget_dp(dp_name(dpif));
    fp_client_request_start(&req, FP_CHAN_DP_DEL, dp_name(dpif));
    return fp_client_request_simple(&req, VLL_WARN);
}

static bool
client_run(struct dpif *dpif_)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);

    if (dpif->held_runs && !--dpif->held_runs) {
        fp_client_hold_upcalls(dpif->dp_name, 0);
    }
    /* After a reconnection, what ofproto-dpif knows of the flows is to be
     * checked again. */
    return fp_client_run();
}

static void
client_wait(struct dpif *dpif OVS_UNUSED)
{
    fp_client_wait();
}

static uint64_t
get_u64_attr(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u64(nla) : 0;
}

static uint64_t
get_u64(const struct fp_chan_msg *msg, int attr)
{
    return get_u64_attr(msg->attrs[attr]);
}

static int
client_get_stats(const struct dpif *dpif, struct dpif_dp_stats *stats)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    memset(stats, 0, sizeof *stats);
    stats->n_masks = UINT32_MAX;
    stats->n_mask_hit = UINT64_MAX;
    stats->n_cache_hit = UINT64_MAX;
    fp_client_request_start(&req, FP_CHAN_DP_STATS, dp_name(dpif));
    ofpbuf_init(&reply, 256);
    error = fp_client_request(&req, &reply, &msg, VLL_DBG);
    if (!error) {
        stats->n_hit = get_u64(&msg, FP_CHAN_A_N_HIT);
        stats->n_missed = get_u64(&msg, FP_CHAN_A_N_MISSED);
        stats->n_lost = get_u64(&msg, FP_CHAN_A_N_LOST);
        stats->n_flows = get_u64(&msg, FP_CHAN_A_N_FLOWS);
    }
    ofpbuf_uninit(&reply);
    return error;
}

/* The datapath settings go to fastpathd; DPDK's own (dpdk-*) are
 * fastpathd's command line's (Documentation/detached.rst). */
static int
client_set_config(struct dpif *dpif, const struct smap *other_config)
{
    struct smap config = SMAP_INITIALIZER(&config);
    const struct smap_node *node;
    struct ofpbuf req;
    size_t total = 0;
    int error;

    SMAP_FOR_EACH (node, other_config) {
        size_t len = strlen(node->key) + 1 + strlen(node->value);

        /* What the parser takes (see check_port()); the engine reads only
         * short keys. */
        if (strncmp(node->key, "dpdk-", 5) && node->key[0]
            && !strchr(node->key, '=') && len <= 4095
            && total + NLA_ALIGN(NLA_HDRLEN + len + 1) <= 60000) {
            smap_add(&config, node->key, node->value);
            total += NLA_ALIGN(NLA_HDRLEN + len + 1);
        }
    }
    fp_client_request_start(&req, FP_CHAN_DP_SET_CONFIG, dp_name(dpif));
    fp_chan_put_options(&req, FP_CHAN_A_CONFIG, &config);
    smap_destroy(&config);
    fp_chan_msg_finish(&req, 0);
    /* Journaled whether or not this fastpathd takes it: a new one may. */
    fp_journal_put(dp_name(dpif), FP_JOURNAL_CONFIG, "", 0, &req);
    error = fp_client_request_simple(&req, VLL_WARN);
    return error == ENOTCONN ? 0 : error;
}

/* What the channel's parser takes of a port (engine/fp-chan.c): names of
 * at most 255 bytes, options "key=value" of a nonempty key and at most
 * 4095 bytes each, and in all less than a netlink attribute's 64 KiB.
 * Anything else would be a malformed message, for which fastpathd closes
 * the connection: refused here, with the reason in the log. */
static int
check_port(const char *name, const struct smap *options)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const struct smap_node *node;
    size_t total = 0;

    if (!name[0] || strlen(name) > 255) {
        VLOG_WARN_RL(&rl, "%s: port name too long for fastpathd (at most "
                     "255 bytes)", name);
        return EINVAL;
    }
    SMAP_FOR_EACH (node, options) {
        size_t len = strlen(node->key) + 1 + strlen(node->value);

        if (!node->key[0] || strchr(node->key, '=') || len > 4095) {
            VLOG_WARN_RL(&rl, "%s: option \"%s\" cannot go to fastpathd "
                         "(an empty key, a key with \"=\" or more than "
                         "4095 bytes)", name, node->key);
            return EINVAL;
        }
        total += NLA_ALIGN(NLA_HDRLEN + len + 1);
    }
    if (total > 60000) {
        VLOG_WARN_RL(&rl, "%s: options too long for fastpathd", name);
        return EINVAL;
    }
    return 0;
}

/* Adds to 'options' the settings of tunnel port 'netdev' that OVS's
 * tunnels' get_config leaves out (netdev-vport.c writes back only some of
 * what set_config takes), so that fastpathd's device of the port is set up
 * as the bridge's is. */
static void
add_tunnel_options(const struct netdev *netdev, struct smap *options)
{
    const struct netdev_tunnel_config *cfg = netdev_get_tunnel_config(netdev);

    if (!cfg) {
        return;
    }
    if (cfg->exts && !strcmp(netdev_get_type(netdev), "vxlan")) {
        bool gbp = cfg->exts & (1 << OVS_VXLAN_EXT_GBP);
        bool gpe = cfg->exts & (1 << OVS_VXLAN_EXT_GPE);

        smap_replace(options, "exts",
                     gbp && gpe ? "gbp,gpe" : gbp ? "gbp" : "gpe");
    }
    if (cfg->set_egress_pkt_mark) {
        smap_replace_nocopy(options, "egress_pkt_mark",
                            xasprintf("%"PRIu32, cfg->egress_pkt_mark));
    }
    if (!strncmp(netdev_get_type(netdev), "erspan", 6)
        || !strncmp(netdev_get_type(netdev), "ip6erspan", 9)) {
        smap_replace_nocopy(options, "erspan_ver", cfg->erspan_ver_flow
                            ? xstrdup("flow")
                            : xasprintf("%"PRIu8, cfg->erspan_ver));
        smap_replace_nocopy(options, "erspan_idx", cfg->erspan_idx_flow
                            ? xstrdup("flow")
                            : xasprintf("0x%"PRIx32, cfg->erspan_idx));
        smap_replace_nocopy(options, "erspan_dir", cfg->erspan_dir_flow
                            ? xstrdup("flow")
                            : xasprintf("%"PRIu8, cfg->erspan_dir));
        smap_replace_nocopy(options, "erspan_hwid", cfg->erspan_hwid_flow
                            ? xstrdup("flow")
                            : xasprintf("0x%"PRIx8, cfg->erspan_hwid));
    }
}

static int
client_port_add(struct dpif *dpif_, struct netdev *netdev,
                odp_port_t *port_nop)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    struct smap options = SMAP_INITIALIZER(&options);
    const char *type = netdev_get_type(netdev);
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    netdev_get_config(netdev, &options);
    add_tunnel_options(netdev, &options);
    error = check_port(netdev_get_name(netdev), &options);
    if (error) {
        smap_destroy(&options);
        return error;
    }
    if (!strcmp(type, FP_PROXY_INTERNAL_TYPE)) {
        type = "internal";
    }
    port_add_request(&req, dpif->dp_name, netdev_get_name(netdev), type,
                     &options, *port_nop);
    /* ofproto-dpif's main thread maps the port after this returns, two
     * run()s later.  The hold covers the request (fastpathd polls the port
     * before it replies, and the reply of a DPDK device that starts may
     * take a while) and starts again from the reply; a port added through
     * another dpif handle (dpctl) has no run() to end it: the time limit
     * does. */
    fp_client_hold_upcalls(dpif->dp_name, PORT_ADD_HOLD_MS);
    dpif->held_runs = 2;
    ofpbuf_init(&reply, 256);
    error = fp_client_request(&req, &reply, &msg, VLL_WARN);
    fp_client_hold_upcalls(dpif->dp_name, PORT_ADD_HOLD_MS);
    if (!error) {
        *port_nop = (msg.attrs[FP_CHAN_A_PORT_NO]
                     ? u32_to_odp(nl_attr_get_u32(msg.attrs[FP_CHAN_A_PORT_NO]))
                     : ODPP_NONE);
        atomic_store_relaxed(&dpif->ports_changed, true);
        if (*port_nop != ODPP_NONE) {
            journal_port_add(dpif->dp_name, netdev_get_name(netdev), type,
                             &options, *port_nop);
        }
    }
    smap_destroy(&options);
    ofpbuf_uninit(&reply);
    return error;
}

static int
client_port_del(struct dpif *dpif_, odp_port_t port_no)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    struct ofpbuf req;
    int error;

    fp_client_request_start(&req, FP_CHAN_PORT_DEL, dpif->dp_name);
    nl_msg_put_u32(&req, FP_CHAN_A_PORT_NO, odp_to_u32(port_no));
    error = fp_client_request_simple(&req, VLL_WARN);
    if (!error || error == ENOENT) {
        uint32_t no = odp_to_u32(port_no);

        fp_journal_forget(dpif->dp_name, FP_JOURNAL_PORT, &no, sizeof no);
    }
    if (!error) {
        atomic_store_relaxed(&dpif->ports_changed, true);
    }
    return error;
}

/* Fills 'port' from a PORTS item, with copies.  Returns false if the item
 * lacks what a port has. */
static bool
parse_port(const struct nlattr *item, struct dpif_port *port)
{
    const struct nlattr *a[FP_CHAN_A_MAX + 1];
    const char *type;

    if (!fp_chan_parse_item(item, a) || !a[FP_CHAN_A_PORT_NO]
        || !a[FP_CHAN_A_PORT_NAME] || !a[FP_CHAN_A_PORT_TYPE]) {
        return false;
    }
    type = nl_attr_get_string(a[FP_CHAN_A_PORT_TYPE]);
    port->port_no = u32_to_odp(nl_attr_get_u32(a[FP_CHAN_A_PORT_NO]));
    port->name = xstrdup(nl_attr_get_string(a[FP_CHAN_A_PORT_NAME]));
    /* fastpathd's internal ports are taps, and so are their stand-ins
     * here (FP_PROXY_INTERNAL_TYPE). */
    port->type = xstrdup(type);
    return true;
}

/* Asks for one port (by 'name' or 'port_no') or, with neither, every port,
 * and returns them in '*ports'. */
static int
port_get(const struct dpif *dpif, const char *name, odp_port_t port_no,
         struct dpif_port **ports, size_t *n_ports)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    *ports = NULL;
    *n_ports = 0;
    fp_client_request_start(&req, FP_CHAN_PORT_GET, dp_name(dpif));
    if (name) {
        nl_msg_put_string(&req, FP_CHAN_A_PORT_NAME, name);
    } else if (port_no != ODPP_NONE) {
        nl_msg_put_u32(&req, FP_CHAN_A_PORT_NO, odp_to_u32(port_no));
    }
    ofpbuf_init(&reply, 4096);
    error = fp_client_request(&req, &reply, &msg, VLL_OFF);
    if (!error && msg.attrs[FP_CHAN_A_PORTS]) {
        const struct nlattr *item;
        size_t left, allocated = 0;

        NL_NESTED_FOR_EACH (item, left, msg.attrs[FP_CHAN_A_PORTS]) {
            if (*n_ports >= allocated) {
                *ports = x2nrealloc(*ports, &allocated, sizeof **ports);
            }
            if (parse_port(item, &(*ports)[*n_ports])) {
                (*n_ports)++;
            }
        }
    }
    ofpbuf_uninit(&reply);
    if (!error && (name || port_no != ODPP_NONE) && !*n_ports) {
        error = ENODEV;
    }
    return error == ENOENT ? ENODEV : error;
}

static void
ports_free(struct dpif_port *ports, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dpif_port_destroy(&ports[i]);
    }
    free(ports);
}

static int
port_query(const struct dpif *dpif, const char *name, odp_port_t port_no,
           struct dpif_port *dpif_port)
{
    struct dpif_port *ports;
    size_t n;
    int error;

    error = port_get(dpif, name, port_no, &ports, &n);
    if (!error) {
        if (dpif_port) {
            *dpif_port = ports[0];
            for (size_t i = 1; i < n; i++) {
                dpif_port_destroy(&ports[i]);
            }
            free(ports);
        } else {
            ports_free(ports, n);
        }
    }
    return error;
}

static int
client_port_query_by_number(const struct dpif *dpif, odp_port_t port_no,
                            struct dpif_port *dpif_port)
{
    return port_query(dpif, NULL, port_no, dpif_port);
}

static int
client_port_query_by_name(const struct dpif *dpif, const char *name,
                          struct dpif_port *dpif_port)
{
    return port_query(dpif, name, ODPP_NONE, dpif_port);
}

struct port_dump_state {
    struct dpif_port *ports;
    size_t n, next;
};

static int
client_port_dump_start(const struct dpif *dpif, void **statep)
{
    struct port_dump_state *state = xzalloc(sizeof *state);

    port_get(dpif, NULL, ODPP_NONE, &state->ports, &state->n);
    *statep = state;
    return 0;
}

static int
client_port_dump_next(const struct dpif *dpif OVS_UNUSED, void *state_,
                      struct dpif_port *port)
{
    struct port_dump_state *state = state_;

    if (state->next >= state->n) {
        return EOF;
    }
    *port = state->ports[state->next++];
    return 0;
}

static int
client_port_dump_done(const struct dpif *dpif OVS_UNUSED, void *state_)
{
    struct port_dump_state *state = state_;

    ports_free(state->ports, state->n);
    free(state);
    return 0;
}

static int
client_port_poll(const struct dpif *dpif_, char **devnamep OVS_UNUSED)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    bool changed;

    atomic_read_relaxed(&dpif->ports_changed, &changed);
    if (changed) {
        atomic_store_relaxed(&dpif->ports_changed, false);
        return ENOBUFS;
    }
    return EAGAIN;
}

static void
client_port_poll_wait(const struct dpif *dpif_)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    bool changed;

    atomic_read_relaxed(&dpif->ports_changed, &changed);
    if (changed) {
        poll_immediate_wake();
    }
}

/* Whether 'flow' recirculates or matches a recirculation id: the ids are
 * the last ovs-vswitchd's, and ofproto-dpif deletes such flows rather than
 * adopting them (ukey_create_from_dpif_flow()). */
static bool
flow_recirculates(const struct dpif_flow *flow)
{
    const struct nlattr *a;
    size_t left;

    NL_ATTR_FOR_EACH (a, left, flow->key, flow->key_len) {
        if (nl_attr_type(a) == OVS_KEY_ATTR_RECIRC_ID
            && nl_attr_get_size(a) == sizeof(uint32_t)
            && nl_attr_get_u32(a)) {
            return true;
        }
    }
    NL_ATTR_FOR_EACH (a, left, flow->actions, flow->actions_len) {
        if (nl_attr_type(a) == OVS_ACTION_ATTR_RECIRC) {
            return true;
        }
    }
    return false;
}

/* The ufids of the flows that recirculate, by pass: [0] the first passes
 * (recirc_id 0, a recirc action), [1] the later ones. */
struct recirc_ufids {
    ovs_u128 *ufids[2];
    size_t n[2], allocated[2];
};

static void
note_recirculating_flow(const struct dpif_flow *f, void *r_)
{
    struct recirc_ufids *r = r_;

    if (f->ufid_present && flow_recirculates(f)) {
        const struct nlattr *rid = nl_attr_find__(f->key, f->key_len,
                                                  OVS_KEY_ATTR_RECIRC_ID);
        int pass = (rid && nl_attr_get_size(rid) == sizeof(uint32_t)
                    && nl_attr_get_u32(rid)) ? 1 : 0;

        if (r->n[pass] >= r->allocated[pass]) {
            r->ufids[pass] = x2nrealloc(r->ufids[pass], &r->allocated[pass],
                                        sizeof *r->ufids[pass]);
        }
        r->ufids[pass][r->n[pass]++] = f->ufid;
    }
}

/* Deletes the flows of 'dpif' that recirculate, those that send packets
 * to a second pass first, so that a packet meets either both passes' old
 * flows or none: left to the revalidators, which delete them one by one,
 * a packet could find its first pass's flow and not its second's, and be
 * dropped for a recirculation id that the new ovs-vswitchd does not know.
 * Without them, the packets take the upcall path, late but not lost.
 * Returns how many it deleted. */
static size_t
delete_recirculating_flows(struct dpif *dpif)
{
    struct recirc_ufids r;
    size_t n_deleted = 0;

    memset(&r, 0, sizeof r);
    for_each_flow(dpif, note_recirculating_flow, &r);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r.n[pass]; i++) {
            if (!dpif_flow_del(dpif, NULL, 0, &r.ufids[pass][i], PMD_ID_NULL,
                               NULL)) {
                n_deleted++;
            }
        }
        free(r.ufids[pass]);
    }
    return n_deleted;
}

/* ofproto-dpif (OVS 3.1, type_run()) flushes the datapath's flows at the
 * end of flow-restore-wait, just after it asks for upcalls.  After a
 * restart those are the flows that carry the established traffic, which a
 * flush would send to the miss path all at once, past what the queues
 * hold.  So that one flush keeps them: the revalidators find them in their
 * next dump, as flows that no ukey knows, and adopt them (translate them
 * against the restored OpenFlow tables, then keep, modify or delete them).
 * It deletes only those that recirculate, which ofproto-dpif cannot adopt
 * (see delete_recirculating_flows()).  Any other flush, dpctl/del-flows
 * included, empties the table. */
static int
client_flow_flush(struct dpif *dpif_)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    struct ofpbuf req;
    int error;

    if (dpif->adopt_flows) {
        struct dpif_dp_stats stats;
        size_t n_deleted;

        dpif->adopt_flows = false;
        n_deleted = delete_recirculating_flows(dpif_);
        if (!dpif_get_dp_stats(dpif_, &stats)) {
            VLOG_INFO("%s: flow-restore-wait ended: the %"PRIu64" flows in "
                      "fastpathd stay, for the revalidators to adopt, "
                      "instead of being flushed (%"PRIuSIZE" that "
                      "recirculate deleted)", dpif->dp_name, stats.n_flows,
                      n_deleted);
        }
        return 0;
    }
    fp_client_request_start(&req, FP_CHAN_FLOW_FLUSH, dpif->dp_name);
    error = fp_client_request_simple(&req, VLL_WARN);
    if (!error) {
        fp_journal_forget_kind(dpif->dp_name, FP_JOURNAL_FLOW);
    }
    return error;
}

/* Fills 'flow' from a FLOWS item, pointing into the item.  Returns false
 * if it is malformed.  (Attribute to member, the way every dpif that reads
 * netlink fills struct dpif_flow.) */
static bool
parse_flow(const struct nlattr *item, struct dpif_flow *flow)
{
    const struct nlattr *a[FP_CHAN_A_MAX + 1];

    if (!fp_chan_parse_item(item, a)) {
        return false;
    }
    memset(flow, 0, sizeof *flow);
    if (a[FP_CHAN_A_FLOW_KEY]) {
        flow->key = nl_attr_get(a[FP_CHAN_A_FLOW_KEY]);
        flow->key_len = nl_attr_get_size(a[FP_CHAN_A_FLOW_KEY]);
    }
    if (a[FP_CHAN_A_FLOW_MASK]) {
        flow->mask = nl_attr_get(a[FP_CHAN_A_FLOW_MASK]);
        flow->mask_len = nl_attr_get_size(a[FP_CHAN_A_FLOW_MASK]);
    }
    if (a[FP_CHAN_A_FLOW_ACTIONS]) {
        flow->actions = nl_attr_get(a[FP_CHAN_A_FLOW_ACTIONS]);
        flow->actions_len = nl_attr_get_size(a[FP_CHAN_A_FLOW_ACTIONS]);
    }
    if (a[FP_CHAN_A_FLOW_UFID]) {
        flow->ufid = nl_attr_get_u128(a[FP_CHAN_A_FLOW_UFID]);
        flow->ufid_present = true;
    }
    flow->pmd_id = PMD_ID_NULL;
    flow->stats.n_packets = get_u64_attr(a[FP_CHAN_A_FLOW_PACKETS]);
    flow->stats.n_bytes = get_u64_attr(a[FP_CHAN_A_FLOW_BYTES]);
    flow->stats.used = get_u64_attr(a[FP_CHAN_A_FLOW_USED]);
    flow->stats.tcp_flags = (a[FP_CHAN_A_FLOW_TCP_FLAGS]
                             ? nl_attr_get_u16(a[FP_CHAN_A_FLOW_TCP_FLAGS])
                             : 0);
    flow->attrs.offloaded = false;
    flow->attrs.dp_layer = "ovs";
    return true;
}

/* Flow dumps.  The position lives here, shared by the dump's threads;
 * each thread keeps the last reply, which its flows point into, and
 * hands out what a caller asking for fewer flows left. */
struct client_flow_dump {
    struct dpif_flow_dump up;
    struct ovs_mutex mutex;
    uint32_t pos[3] OVS_GUARDED;
    bool done OVS_GUARDED;
};

struct client_flow_dump_thread {
    struct dpif_flow_dump_thread up;
    struct client_flow_dump *dump;
    struct ofpbuf reply;
    const struct nlattr *next_item; /* Not yet handed out, in 'reply'. */
    size_t left;
};

static struct client_flow_dump *
client_flow_dump_cast(struct dpif_flow_dump *dump)
{
    return CONTAINER_OF(dump, struct client_flow_dump, up);
}

static struct dpif_flow_dump *
client_flow_dump_create(const struct dpif *dpif, bool terse,
                        struct dpif_flow_dump_types *types OVS_UNUSED)
{
    struct client_flow_dump *dump = xzalloc(sizeof *dump);

    dpif_flow_dump_init(&dump->up, dpif);
    dump->up.terse = terse;
    ovs_mutex_init(&dump->mutex);
    return &dump->up;
}

static int
client_flow_dump_destroy(struct dpif_flow_dump *dump_)
{
    struct client_flow_dump *dump = client_flow_dump_cast(dump_);

    ovs_mutex_destroy(&dump->mutex);
    free(dump);
    return 0;
}

static struct dpif_flow_dump_thread *
client_flow_dump_thread_create(struct dpif_flow_dump *dump_)
{
    struct client_flow_dump_thread *thread = xzalloc(sizeof *thread);

    dpif_flow_dump_thread_init(&thread->up, dump_);
    thread->dump = client_flow_dump_cast(dump_);
    ofpbuf_init(&thread->reply, 65536);
    return &thread->up;
}

static void
client_flow_dump_thread_destroy(struct dpif_flow_dump_thread *thread_)
{
    struct client_flow_dump_thread *thread
        = CONTAINER_OF(thread_, struct client_flow_dump_thread, up);

    ofpbuf_uninit(&thread->reply);
    free(thread);
}

/* Fetches the dump's next reply into 'thread'.  Returns false at the end
 * of the dump or on an error. */
static bool
fetch_flows(struct client_flow_dump_thread *thread)
{
    struct client_flow_dump *dump = thread->dump;
    struct fp_chan_msg msg;
    struct ofpbuf req;
    bool ok = false;

    ovs_mutex_lock(&dump->mutex);
    if (!dump->done) {
        fp_client_request_start(&req, FP_CHAN_FLOW_DUMP, dp_name(dump->up.dpif));
        nl_msg_put_unspec(&req, FP_CHAN_A_DUMP_POS, dump->pos,
                          sizeof dump->pos);
        if (dump->up.terse) {
            nl_msg_put_flag(&req, FP_CHAN_A_TERSE);
        }
        if (fp_client_request(&req, &thread->reply, &msg, VLL_WARN)
            || !msg.attrs[FP_CHAN_A_DUMP_POS]) {
            dump->done = true;
        } else {
            memcpy(dump->pos, nl_attr_get(msg.attrs[FP_CHAN_A_DUMP_POS]),
                   sizeof dump->pos);
            dump->done = msg.attrs[FP_CHAN_A_DUMP_DONE] != NULL;
            if (msg.attrs[FP_CHAN_A_FLOWS]) {
                thread->next_item = nl_attr_get(msg.attrs[FP_CHAN_A_FLOWS]);
                thread->left = nl_attr_get_size(msg.attrs[FP_CHAN_A_FLOWS]);
                ok = true;
            }
        }
    }
    ovs_mutex_unlock(&dump->mutex);
    return ok;
}

static int
client_flow_dump_next(struct dpif_flow_dump_thread *thread_,
                      struct dpif_flow *flows, int max_flows)
{
    struct client_flow_dump_thread *thread
        = CONTAINER_OF(thread_, struct client_flow_dump_thread, up);
    int n = 0;

    /* The flows handed out before point into 'reply': fetch only when the
     * last reply is used up, and then return what it gives. */
    if (!thread->left) {
        while (fetch_flows(thread) && !thread->left) {
            continue;
        }
    }
    while (n < max_flows && thread->left >= NLA_HDRLEN) {
        const struct nlattr *item = thread->next_item;
        size_t len = NLA_ALIGN(item->nla_len);

        if (item->nla_len < NLA_HDRLEN || len > thread->left) {
            thread->left = 0;
            break;
        }
        thread->next_item = ALIGNED_CAST(const struct nlattr *,
                                         (const char *) item + len);
        thread->left -= len;
        if (parse_flow(item, &flows[n])) {
            n++;
        }
    }
    if (thread->left < NLA_HDRLEN) {
        thread->left = 0;
    }
    return n;
}

/* Flow operations.  Each is a request, made by its *_request() function,
 * and its reply read by its *_done() function; client_operate() sends a
 * batch's requests together (fp_client_transact_batch()). */

static void
flow_put_request(struct ofpbuf *req, const char *dp,
                 const struct dpif_flow_put *put)
{
    ofpbuf_init(req, 1024);
    fp_chan_put_flow_put(req, 0, dp, put);
}

static int
flow_put_done(const char *dp, struct dpif_flow_put *put, int error,
              const struct fp_chan_msg *msg)
{
    if (error && error != EEXIST && error != ENOENT
        && !(put->flags & DPIF_FP_PROBE) && msg->attrs[FP_CHAN_A_REASON]) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_WARN_RL(&rl, "fastpathd: %s",
                     nl_attr_get_string(msg->attrs[FP_CHAN_A_REASON]));
    }
    if (put->stats) {
        memset(put->stats, 0, sizeof *put->stats);
    }
    if (!error && !(put->flags & DPIF_FP_PROBE)) {
        journal_flow_put(dp, put);
    }
    return error;
}

/* The request of a FLOW_DEL or a FLOW_GET: the flow by ufid or key. */
static void
flow_id_request(struct ofpbuf *req, uint16_t cmd, const char *dp,
                const ovs_u128 *ufid, const struct nlattr *key,
                size_t key_len)
{
    fp_client_request_start(req, cmd, dp);
    if (ufid) {
        nl_msg_put_u128(req, FP_CHAN_A_FLOW_UFID, *ufid);
    }
    if (key) {
        nl_msg_put_unspec(req, FP_CHAN_A_FLOW_KEY, key, key_len);
    }
    fp_chan_msg_finish(req, 0);
}

static int
flow_del_done(const char *dp, struct dpif_flow_del *del, int error,
              const struct fp_chan_msg *msg)
{
    if (!error || error == ENOENT) {
        journal_flow_forget(dp, del->ufid, del->key, del->key_len);
    }
    if (del->stats) {
        memset(del->stats, 0, sizeof *del->stats);
        if (!error) {
            del->stats->n_packets = get_u64(msg, FP_CHAN_A_FLOW_PACKETS);
            del->stats->n_bytes = get_u64(msg, FP_CHAN_A_FLOW_BYTES);
        }
    }
    return error;
}

static int
flow_get_done(struct dpif_flow_get *get, int error,
              const struct fp_chan_msg *msg)
{
    const struct nlattr *flows = msg->attrs[FP_CHAN_A_FLOWS];
    struct dpif_flow *flow = get->flow;

    if (error) {
        return error;
    }
    if (!flows || nl_attr_get_size(flows) < NLA_HDRLEN
        || !parse_flow(nl_attr_get(flows), flow)) {
        return EPROTO;
    }
    if (get->buffer->source == OFPBUF_STACK
        && ofpbuf_tailroom(get->buffer) < (flow->key_len + flow->mask_len
                                           + flow->actions_len
                                           + 3 * NLA_ALIGNTO)) {
        /* The caller's buffer cannot grow (a stack buffer of
         * DPIF_FLOW_BUFSIZE bytes). */
        return ENOBUFS;
    }
    /* Copied into the caller's buffer, which the flow must point into. */
    flow->key = ofpbuf_put(get->buffer, flow->key, flow->key_len);
    ofpbuf_put_zeros(get->buffer, PAD_SIZE(flow->key_len, NLA_ALIGNTO));
    flow->mask = ofpbuf_put(get->buffer, flow->mask, flow->mask_len);
    ofpbuf_put_zeros(get->buffer, PAD_SIZE(flow->mask_len, NLA_ALIGNTO));
    flow->actions = ofpbuf_put(get->buffer, flow->actions,
                               flow->actions_len);
    return 0;
}

/* Makes the request of 'exec' in 'req' and returns true, or returns false
 * with what becomes of it in '*error' if it needs none. */
static bool
execute_request(struct ofpbuf *req, const char *dp,
                const struct dpif_execute *exec, int *error)
{
    size_t size = dp_packet_size(exec->packet);
    size_t ofs;

    if (size < ETH_HEADER_LEN || size > UINT16_MAX - 1024) {
        *error = EINVAL;
        return false;
    }
    if (exec->probe) {
        /* A probe of what the datapath accepts: executing it could put a
         * made-up packet on the network. */
        *error = 0;
        return false;
    }
    fp_client_request_start(req, FP_CHAN_EXECUTE, dp);
    nl_msg_put_unspec(req, FP_CHAN_A_PACKET, dp_packet_data(exec->packet),
                      size);
    /* The packet's metadata as an ODP key, as dpif-netlink sends it to
     * the kernel. */
    ofs = nl_msg_start_nested(req, FP_CHAN_A_FLOW_KEY);
    odp_key_from_dp_packet(req, exec->packet);
    if (dp_packet_is_eth(exec->packet)) {
        /* What says "an Ethernet frame" in a key; its fields are the
         * packet's own. */
        struct ovs_key_ethernet eth;

        memset(&eth, 0, sizeof eth);
        nl_msg_put_unspec(req, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
    } else {
        /* A packet without Ethernet header: its type is its ethertype, as
         * a key says it. */
        nl_msg_put_be16(req, OVS_KEY_ATTR_ETHERTYPE,
                        pt_ns_type_be(exec->packet->packet_type));
    }
    nl_msg_end_nested(req, ofs);
    nl_msg_put_unspec(req, FP_CHAN_A_FLOW_ACTIONS, exec->actions,
                      exec->actions_len);
    fp_chan_msg_finish(req, 0);
    return true;
}

static int
execute_done(int error, const struct fp_chan_msg *msg)
{
    if (error && msg->attrs[FP_CHAN_A_REASON]) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_WARN_RL(&rl, "fastpathd: %s",
                     nl_attr_get_string(msg->attrs[FP_CHAN_A_REASON]));
    }
    return error;
}

/* Makes the request of 'op' in 'req' and returns true, or sets op->error
 * and returns false for an operation that needs none.  The switch over
 * the four operation types is the dpif API's (dpif-provider.h), as in
 * every provider. */
static bool
op_request(const char *dp, struct dpif_op *op, struct ofpbuf *req)
{
    switch (op->type) {
    case DPIF_OP_FLOW_PUT:
        flow_put_request(req, dp, &op->flow_put);
        return true;
    case DPIF_OP_FLOW_DEL:
        flow_id_request(req, FP_CHAN_FLOW_DEL, dp, op->flow_del.ufid,
                        op->flow_del.key, op->flow_del.key_len);
        return true;
    case DPIF_OP_FLOW_GET:
        flow_id_request(req, FP_CHAN_FLOW_GET, dp, op->flow_get.ufid,
                        op->flow_get.key, op->flow_get.key_len);
        return true;
    case DPIF_OP_EXECUTE:
        return execute_request(req, dp, &op->execute, &op->error);
    }
    OVS_NOT_REACHED();
}

static void
op_done(const char *dp, struct dpif_op *op, int error,
        const struct fp_chan_msg *msg)
{
    switch (op->type) {
    case DPIF_OP_FLOW_PUT:
        op->error = flow_put_done(dp, &op->flow_put, error, msg);
        break;
    case DPIF_OP_FLOW_DEL:
        op->error = flow_del_done(dp, &op->flow_del, error, msg);
        break;
    case DPIF_OP_FLOW_GET:
        op->error = flow_get_done(&op->flow_get, error, msg);
        break;
    case DPIF_OP_EXECUTE:
        op->error = execute_done(error, msg);
        break;
    }
}

/* Requests sent together: at most this many, and past this many bytes no
 * more are added. */
enum {
    OP_BATCH_MAX = 64,
    OP_BATCH_BYTES = 256 * 1024,
};

/* The operations go in order, in batches whose requests travel together:
 * fastpathd takes them in that order (ofproto-dpif's handlers put a flow
 * before they execute its packet). */
static void
client_operate(struct dpif *dpif, struct dpif_op **ops, size_t n_ops,
               enum dpif_offload_type offload_type OVS_UNUSED)
{
    const char *dp = dp_name(dpif);
    struct ofpbuf *reqs = xmalloc(OP_BATCH_MAX * sizeof *reqs);
    struct ofpbuf *replies = xmalloc(OP_BATCH_MAX * sizeof *replies);
    struct ofpbuf *req_ptrs[OP_BATCH_MAX], *reply_ptrs[OP_BATCH_MAX];
    struct fp_chan_msg *msgs = xmalloc(OP_BATCH_MAX * sizeof *msgs);
    size_t op_of[OP_BATCH_MAX];
    int errors[OP_BATCH_MAX];

    for (size_t i = 0; i < n_ops; ) {
        size_t n = 0, bytes = 0;

        for (; i < n_ops && n < OP_BATCH_MAX && bytes < OP_BATCH_BYTES;
             i++) {
            if (!op_request(dp, ops[i], &reqs[n])) {
                continue;
            }
            if (reqs[n].size > FP_CHAN_MAX_MSG) {
                /* Alone too big for the channel: the others go. */
                struct fp_chan_msg none;

                memset(&none, 0, sizeof none);
                ofpbuf_uninit(&reqs[n]);
                op_done(dp, ops[i], EMSGSIZE, &none);
            } else {
                bytes += reqs[n].size;
                req_ptrs[n] = &reqs[n];
                ofpbuf_init(&replies[n], 256);
                reply_ptrs[n] = &replies[n];
                op_of[n++] = i;
            }
        }
        if (!n) {
            continue;
        }
        fp_client_transact_batch(req_ptrs, n, reply_ptrs, msgs, errors);
        for (size_t j = 0; j < n; j++) {
            op_done(dp, ops[op_of[j]], errors[j], &msgs[j]);
            ofpbuf_uninit(&reqs[j]);
            ofpbuf_uninit(&replies[j]);
        }
    }
    free(msgs);
    free(replies);
    free(reqs);
}

/* Upcalls. */

static int
client_recv_set(struct dpif *dpif_, bool enable)
{
    struct dpif_client *dpif = dpif_client_cast(dpif_);
    bool ends_restore_window = enable && dpif->in_restore_window;
    struct ofpbuf req;
    int error;

    if (!enable) {
        dpif->in_restore_window = true;
    }

    /* Remembered first: a reconnection asks again. */
    fp_client_note_upcalls(dpif->dp_name, enable);
    fp_client_request_start(&req, FP_CHAN_UPCALL_SET, dpif->dp_name);
    if (enable) {
        nl_msg_put_flag(&req, FP_CHAN_A_ENABLE);
    }
    error = fp_client_request_simple(&req, VLL_WARN);
    if (!error && enable) {
        fp_client_start_upcalls(dpif->dp_name);
    }
    if (ends_restore_window) {
        /* ofproto-dpif flushes next only if this succeeded. */
        dpif->in_restore_window = false;
        dpif->adopt_flows = !error;
    }
    return error;
}

static int
client_handlers_set(struct dpif *dpif OVS_UNUSED,
                    uint32_t n_handlers OVS_UNUSED)
{
    /* Every handler reads the one queue of the datapath. */
    return 0;
}

/* Sets the type of 'packet' from its key, as a key says it (the API's
 * contract, which dpif-netlink follows for the kernel's upcalls): an
 * Ethernet frame if it has OVS_KEY_ATTR_ETHERNET, otherwise a packet of
 * its OVS_KEY_ATTR_ETHERTYPE that starts at its L3 header (one that a
 * decap() left without Ethernet, for one). */
static void
set_packet_type(struct dp_packet *packet, const struct nlattr *key,
                size_t key_len)
{
    const struct nlattr *ethertype;

    if (nl_attr_find__(key, key_len, OVS_KEY_ATTR_ETHERNET)) {
        packet->packet_type = htonl(PT_ETH);
        return;
    }
    ethertype = nl_attr_find__(key, key_len, OVS_KEY_ATTR_ETHERTYPE);
    packet->packet_type = PACKET_TYPE_BE(
        OFPHTN_ETHERTYPE,
        ethertype && nl_attr_get_size(ethertype) == sizeof(ovs_be16)
        ? ntohs(nl_attr_get_be16(ethertype)) : 0);
    dp_packet_set_l3(packet, dp_packet_data(packet));
}

static int
client_recv(struct dpif *dpif, uint32_t handler_id OVS_UNUSED,
            struct dpif_upcall *upcall, struct ofpbuf *buf)
{
    struct fp_chan_msg msg;
    int error;

    for (;;) {
        const struct nlattr *key;
        uint32_t type;

        error = fp_client_recv_upcall(dp_name(dpif), buf, &msg);
        if (error) {
            return error;
        }
        type = nl_attr_get_u32(msg.attrs[FP_CHAN_A_UPCALL_TYPE]);
        if (type != DPIF_UC_MISS && type != DPIF_UC_ACTION) {
            continue;
        }
        memset(upcall, 0, sizeof *upcall);
        upcall->type = type;
        key = msg.attrs[FP_CHAN_A_FLOW_KEY];
        upcall->key = CONST_CAST(struct nlattr *, nl_attr_get(key));
        upcall->key_len = nl_attr_get_size(key);
        /* ofproto-dpif names flows by ufid; the kernel's datapath hashes
         * the key the same way. */
        odp_flow_key_hash(upcall->key, upcall->key_len, &upcall->ufid);
        if (type == DPIF_UC_ACTION && msg.attrs[FP_CHAN_A_USERDATA]) {
            const struct nlattr *ud = msg.attrs[FP_CHAN_A_USERDATA];

            /* A whole attribute, whose length must be its size. */
            if (nl_attr_get_size(ud) < NLA_HDRLEN
                || ((const struct nlattr *) nl_attr_get(ud))->nla_len
                   > nl_attr_get_size(ud)) {
                continue;
            }
            upcall->userdata = CONST_CAST(struct nlattr *, nl_attr_get(ud));
        }
        /* The caller may change the packet and grow it: a stub over the
         * attribute, header included for headroom, as dpif-netlink does
         * with the kernel's upcalls (the API's contract). */
        const struct nlattr *pkt = msg.attrs[FP_CHAN_A_PACKET];

        dp_packet_use_stub(&upcall->packet, CONST_CAST(struct nlattr *, pkt),
                           pkt->nla_len);
        dp_packet_set_data(&upcall->packet,
                           CONST_CAST(void *, nl_attr_get(pkt)));
        dp_packet_set_size(&upcall->packet, nl_attr_get_size(pkt));
        set_packet_type(&upcall->packet, upcall->key, upcall->key_len);
        return 0;
    }
}

static void
client_recv_wait(struct dpif *dpif, uint32_t handler_id OVS_UNUSED)
{
    fp_client_recv_wait(dp_name(dpif));
}

static void
client_recv_purge(struct dpif *dpif)
{
    fp_client_purge_upcalls(dp_name(dpif));
}

static char *
client_get_datapath_version(void)
{
    return xstrdup("fastpathd");
}


const struct dpif_class dpif_fastpath_client_class = {
    .type = "fastpath",
    .cleanup_required = false,
    .init = client_init,
    .enumerate = client_enumerate,
    .port_open_type = client_port_open_type,
    .open = client_open,
    .close = client_close,
    .destroy = client_destroy,
    .run = client_run,
    .wait = client_wait,
    .get_stats = client_get_stats,
    .set_config = client_set_config,
    .port_add = client_port_add,
    .port_del = client_port_del,
    .port_query_by_number = client_port_query_by_number,
    .port_query_by_name = client_port_query_by_name,
    .port_dump_start = client_port_dump_start,
    .port_dump_next = client_port_dump_next,
    .port_dump_done = client_port_dump_done,
    .port_poll = client_port_poll,
    .port_poll_wait = client_port_poll_wait,
    .flow_flush = client_flow_flush,
    .flow_dump_create = client_flow_dump_create,
    .flow_dump_destroy = client_flow_dump_destroy,
    .flow_dump_thread_create = client_flow_dump_thread_create,
    .flow_dump_thread_destroy = client_flow_dump_thread_destroy,
    .flow_dump_next = client_flow_dump_next,
    .operate = client_operate,
    .recv_set = client_recv_set,
    .handlers_set = client_handlers_set,
    .recv = client_recv,
    .recv_wait = client_recv_wait,
    .recv_purge = client_recv_purge,
    .get_datapath_version = client_get_datapath_version,
    .ct_dump_start = dpif_fastpath_client_ct_dump_start,
    .ct_dump_next = dpif_fastpath_client_ct_dump_next,
    .ct_dump_done = dpif_fastpath_client_ct_dump_done,
    .ct_flush = dpif_fastpath_client_ct_flush,
    .ct_set_maxconns = dpif_fastpath_client_ct_set_maxconns,
    .ct_get_maxconns = dpif_fastpath_client_ct_get_maxconns,
    .ct_get_nconns = dpif_fastpath_client_ct_get_nconns,
    .ct_set_tcp_seq_chk = dpif_fastpath_client_ct_set_tcp_seq_chk,
    .ct_get_tcp_seq_chk = dpif_fastpath_client_ct_get_tcp_seq_chk,
    .ct_set_limits = dpif_fastpath_client_ct_set_limits,
    .ct_get_limits = dpif_fastpath_client_ct_get_limits,
    .ct_del_limits = dpif_fastpath_client_ct_del_limits,
    .ct_set_timeout_policy = dpif_fastpath_client_ct_set_timeout_policy,
    .ct_get_timeout_policy = dpif_fastpath_client_ct_get_timeout_policy,
    .ct_del_timeout_policy = dpif_fastpath_client_ct_del_timeout_policy,
    .ct_get_timeout_policy_name = dpif_fastpath_ct_get_timeout_policy_name,
    .ct_get_features = dpif_fastpath_ct_get_features,
    .ipf_set_enabled = dpif_fastpath_client_ipf_set_enabled,
    .ipf_set_min_frag = dpif_fastpath_client_ipf_set_min_frag,
    .ipf_set_max_nfrags = dpif_fastpath_client_ipf_set_max_nfrags,
    .ipf_get_status = dpif_fastpath_client_ipf_get_status,
    .ipf_dump_start = dpif_fastpath_client_ipf_dump_start,
    .ipf_dump_next = dpif_fastpath_client_ipf_dump_next,
    .ipf_dump_done = dpif_fastpath_client_ipf_dump_done,
    .meter_get_features = dpif_fastpath_client_meter_get_features,
    .meter_set = dpif_fastpath_client_meter_set,
    .meter_get = dpif_fastpath_client_meter_get,
    .meter_del = dpif_fastpath_client_meter_del,
};

/* Asks fastpathd for the counters ('stats'), link ('carrier') and status of
 * its port 'port_name', for the port's stand-in: each of them may be NULL,
 * and what fastpathd does not report stays as it was (counters it does not
 * report are UINT64_MAX).  The port is in the datapath of every fastpath
 * bridge, which ofproto-dpif names "ovs-" and the type (its backer).
 * Returns 0, or an error if fastpathd cannot be reached or has no such
 * port. */
int
dpif_fastpath_client_port_state(const char *port_name,
                                struct netdev_stats *stats, bool *carrier,
                                struct smap *status)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    fp_client_request_start(&req, FP_CHAN_PORT_STATE, "ovs-fastpath");
    nl_msg_put_string(&req, FP_CHAN_A_PORT_NAME, port_name);
    ofpbuf_init(&reply, 1024);
    error = fp_client_request(&req, &reply, &msg, VLL_OFF);
    if (!error) {
        if (stats) {
            if (msg.attrs[FP_CHAN_A_PORT_STATS]) {
                fp_chan_get_stats(msg.attrs[FP_CHAN_A_PORT_STATS], stats);
            } else {
                memset(stats, 0xff, sizeof *stats);
            }
        }
        if (carrier && msg.attrs[FP_CHAN_A_PORT_CARRIER]) {
            *carrier = nl_attr_get_u32(msg.attrs[FP_CHAN_A_PORT_CARRIER]);
        }
        if (status && msg.attrs[FP_CHAN_A_PORT_STATUS]) {
            fp_chan_get_options(msg.attrs[FP_CHAN_A_PORT_STATUS], status);
        }
    }
    ofpbuf_uninit(&reply);
    return error;
}

/* Runs the engine's ovs-appctl command 'argv' in fastpathd (APPCTL),
 * appending its output to 'out'.  Returns 0, EINVAL if the command failed
 * (its output says why), or another error if fastpathd did not answer
 * (then 'out' says so).  Blocks for the round trip, as the dpctl commands
 * do, no longer than a request may wait. */
static int
run_in_engine(int argc, const char *argv[], struct ds *out)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    size_t ofs;
    int error;

    ofpbuf_init(&req, 256);
    fp_chan_msg_start(&req, FP_CHAN_APPCTL, 0, 0);
    ofs = nl_msg_start_nested(&req, FP_CHAN_A_APPCTL_ARGV);
    for (int i = 0; i < argc; i++) {
        nl_msg_put_string(&req, FP_CHAN_A_ITEM, argv[i]);
    }
    nl_msg_end_nested(&req, ofs);
    ofpbuf_init(&reply, 4096);
    error = fp_client_request(&req, &reply, &msg, VLL_OFF);
    if (!error && msg.attrs[FP_CHAN_A_APPCTL_OUTPUT]) {
        ds_put_cstr(out,
                    nl_attr_get_string(msg.attrs[FP_CHAN_A_APPCTL_OUTPUT]));
        error = msg.attrs[FP_CHAN_A_APPCTL_FAILED] ? EINVAL : 0;
    } else if (error == EOPNOTSUPP) {
        ds_put_cstr(out, "this fastpathd is too old to take ovs-appctl "
                    "commands from ovs-vswitchd: ask it with \"ovs-appctl "
                    "-t fastpathd\"");
    } else {
        error = error ? error : EPROTO;
        ds_put_format(out, "fastpathd did not answer (%s): see \"ovs-appctl "
                      "fastpath/show\"", ovs_strerror(error));
    }
    ofpbuf_uninit(&reply);
    return error;
}

/* The engine's "fastpath/" commands but fastpath/show, handed to
 * fastpathd, so that they answer through ovs-vswitchd as in process. */
static void
client_unixctl_forward(struct unixctl_conn *conn, int argc, const char *argv[],
                       void *aux OVS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (run_in_engine(argc, argv, &out)) {
        unixctl_command_reply_error(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    ds_destroy(&out);
}

/* fastpath/show: the channel's state, then, while attached, what the
 * engine's fastpath/show says there. */
static void
client_unixctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux OVS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    fp_client_show(&out);
    if (fp_client_is_connected()) {
        struct ds engine = DS_EMPTY_INITIALIZER;

        int error = run_in_engine(argc, argv, &engine);

        if (error == EINVAL) {
            unixctl_command_reply_error(conn, ds_cstr(&engine));
            ds_destroy(&engine);
            ds_destroy(&out);
            return;
        }
        ds_put_format(&out, "%s%s", ds_cstr(&engine), error ? "\n" : "");
        ds_destroy(&engine);
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

/* Sets ovs-vswitchd up for the detached mode with fastpathd at 'path'. */
void
dpif_fastpath_client_activate(const char *path)
{
    fp_client_configure(path);
    unixctl_command_register("fastpath/show", "[-s] [dp]", 0, 2,
                             client_unixctl_show, NULL);
    fp_unixctl_register_forwarded(client_unixctl_forward, "fastpath/show");
}

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

/* The channel's datapath commands (engine/fp-chan.h), carried out on the
 * engine (engine/fp-datapath.h).  fastpathd holds the references of every
 * datapath a client made (the creator's and an opener's, as the engine
 * hands out), so that a datapath outlives the client's connection: only
 * DP_DEL, or fastpathd's exit, destroys it. */

#include <config.h>
#include "fastpathd-dp.h"

#include <errno.h>
#include "fastpathd-ct.h"
#include "fastpathd-upcall.h"
#include "dpif.h"
#include "fp-chan.h"
#include "fp-datapath.h"
#include "netdev.h"
#include "netdev-provider.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_dp);

/* A datapath with fastpathd's reference and its upcall queues. */
struct dp_entry {
    struct fp_dp *dp;
    struct fastpathd_upcalls *upcalls;
};

/* The datapaths, by name, of struct dp_entry. */
static struct shash dps = SHASH_INITIALIZER(&dps);

/* The one dpif type whose datapaths the engine runs. */
#define DP_TYPE "fastpath"

void
fastpathd_put_ok(struct ofpbuf *reply, const struct fp_chan_msg *msg)
{
    size_t start = reply->size;

    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    fp_chan_msg_finish(reply, start);
}

/* Appends the refusal of 'msg' with 'error' and 'reason', which it
 * frees. */
void
fastpathd_put_error(struct ofpbuf *reply, const struct fp_chan_msg *msg,
                    int error, char *reason)
{
    fp_chan_put_error(reply, msg->cmd, msg->seq, error, reason);
    free(reason);
}

static void
dp_open(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *type = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_TYPE]);
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    bool create = msg->attrs[FP_CHAN_A_CREATE] != NULL;
    struct dp_entry *e;
    struct fp_dp *dp;
    int error;

    if (strcmp(type, DP_TYPE)) {
        fastpathd_put_error(reply, msg, EAFNOSUPPORT,
                  xasprintf("%s: fastpathd runs datapaths of type "
                            DP_TYPE", not %s", name, type));
        return;
    }
    if (shash_find(&dps, name)) {
        fastpathd_put_ok(reply, msg);
        return;
    }
    if (!create) {
        fastpathd_put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
        return;
    }
    error = fp_dp_open(type, name, true, &dp);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  xasprintf("%s: cannot create the datapath (%s)", name,
                            ovs_strerror(error)));
        return;
    }
    e = xmalloc(sizeof *e);
    e->dp = dp;
    e->upcalls = fastpathd_upcalls_create(dp);
    shash_add(&dps, name, e);
    VLOG_INFO("%s@%s: created for the client", type, name);
    fastpathd_put_ok(reply, msg);
}

/* The upcall queues go first (their destruction waits for the callbacks
 * under way and stops new ones), then the datapath. */
static void
dp_entry_destroy(struct dp_entry *e)
{
    fastpathd_ct_end_dumps(e->dp);
    fastpathd_upcalls_destroy(e->upcalls);
    fp_dp_destroy(e->dp);
    fp_dp_unref(e->dp);
    free(e);
}

static void
dp_del(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    struct dp_entry *e = shash_find_and_delete(&dps, name);

    if (!e) {
        fastpathd_put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
        return;
    }
    VLOG_INFO("%s@%s: deleted by the client", fp_dp_type(e->dp), name);
    dp_entry_destroy(e);
    fastpathd_put_ok(reply, msg);
}

static struct dp_entry *
find_entry(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    struct dp_entry *e = shash_find_data(&dps, name);

    if (!e) {
        fastpathd_put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
    }
    return e;
}

/* The datapath that 'msg' names, or NULL after a refusal in 'reply'. */
struct fp_dp *
fastpathd_dp_find(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct dp_entry *e = find_entry(msg, reply);

    return e ? e->dp : NULL;
}

/* Opens the port's device in fastpathd, as ovs-vswitchd's bridge would
 * (netdev_open, then set_config with the Interface's options), and adds
 * it; the engine keeps its own reference to the device. */
static void
port_add(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_PORT_NAME]);
    const char *type = nl_attr_get_string(msg->attrs[FP_CHAN_A_PORT_TYPE]);
    odp_port_t port_no = (msg->attrs[FP_CHAN_A_PORT_NO]
                          ? u32_to_odp(nl_attr_get_u32(
                                           msg->attrs[FP_CHAN_A_PORT_NO]))
                          : ODPP_NONE);
    struct smap options = SMAP_INITIALIZER(&options);
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    const struct shash_node *node;
    struct netdev *netdev;
    char *errp = NULL;
    int error;

    if (!dp) {
        return;
    }
    /* Before the device is opened: netdev_open() of a name in use hands
     * back that port's device, which set_config() would then change. */
    SHASH_FOR_EACH (node, &dps) {
        const struct dp_entry *other = node->data;

        if (!fp_dp_port_query_by_name(other->dp, name, NULL)) {
            fastpathd_put_error(reply, msg, EEXIST,
                      xasprintf("%s: a port of that name is in datapath %s",
                                name, node->name));
            return;
        }
    }
    if (msg->attrs[FP_CHAN_A_PORT_OPTIONS]) {
        fp_chan_get_options(msg->attrs[FP_CHAN_A_PORT_OPTIONS], &options);
    }
    /* "internal" is a port type, not a device type: the engine makes it a
     * tap, as its dpif's port_open_type says. */
    error = netdev_open(name, fp_dp_port_open_type(type), &netdev);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  xasprintf("%s: cannot open a device of type %s (%s)",
                            name, type, ovs_strerror(error)));
        smap_destroy(&options);
        return;
    }
    error = netdev_set_config(netdev, &options, &errp);
    if (!error) {
        /* A type without options of its own may still have said why it
         * ignored them: netdev_set_config() has logged it. */
        free(errp);
        error = fp_dp_port_add(dp, netdev, &port_no);
        errp = (error
                ? xasprintf("%s: cannot add the port (%s)", name,
                            error == EBUSY ? "its port number is taken"
                            : ovs_strerror(error))
                : NULL);
    }
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  errp ? errp : xasprintf("%s: %s", name,
                                          ovs_strerror(error)));
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        nl_msg_put_u32(reply, FP_CHAN_A_PORT_NO, odp_to_u32(port_no));
        fp_chan_msg_finish(reply, start);
    }
    netdev_close(netdev);
    smap_destroy(&options);
}

static void
port_del(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    uint32_t port_no = nl_attr_get_u32(msg->attrs[FP_CHAN_A_PORT_NO]);
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    int error;

    if (!dp) {
        return;
    }
    error = fp_dp_port_del(dp, u32_to_odp(port_no));
    if (error) {
        fastpathd_put_error(reply, msg, error,
                  xasprintf("%s: port %"PRIu32": %s", fp_dp_name(dp),
                            port_no, (error == ENOENT ? "no such port"
                                      : error == EINVAL
                                      ? "the datapath's own port stays"
                                      : ovs_strerror(error))));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

static void
put_port_item(struct ofpbuf *reply, const struct fp_port_info *info)
{
    size_t ofs = nl_msg_start_nested(reply, FP_CHAN_A_ITEM);

    nl_msg_put_u32(reply, FP_CHAN_A_PORT_NO, odp_to_u32(info->port_no));
    nl_msg_put_string(reply, FP_CHAN_A_PORT_NAME, info->name);
    nl_msg_put_string(reply, FP_CHAN_A_PORT_TYPE, info->type);
    /* The options as the device took them, for a client that makes the
     * port again in a new fastpathd (dpif/fp-journal.h). */
    struct netdev *netdev = netdev_from_name(info->name);
    if (netdev) {
        struct smap options = SMAP_INITIALIZER(&options);

        if (!netdev_get_config(netdev, &options) && !smap_is_empty(&options)) {
            fp_chan_put_options(reply, FP_CHAN_A_PORT_OPTIONS, &options);
        }
        smap_destroy(&options);
        netdev_close(netdev);
    }
    nl_msg_end_nested(reply, ofs);
}

/* One port by name or number, or, with neither, every port. */
static void
port_get(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const struct nlattr *name = msg->attrs[FP_CHAN_A_PORT_NAME];
    const struct nlattr *no = msg->attrs[FP_CHAN_A_PORT_NO];
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    struct fp_port_info *list, one;
    size_t start, ofs, n;
    int error = 0;

    if (!dp) {
        return;
    }
    if (name || no) {
        error = (name
                 ? fp_dp_port_query_by_name(dp, nl_attr_get_string(name),
                                            &one)
                 : fp_dp_port_query_by_number(dp,
                                              u32_to_odp(nl_attr_get_u32(no)),
                                              &one));
        if (error) {
            fastpathd_put_error(reply, msg, error,
                                xasprintf("%s: no such port", fp_dp_name(dp)));
            return;
        }
        list = xmemdup(&one, sizeof one);
        n = 1;
    } else {
        list = fp_dp_port_list(dp, &n);
    }

    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    ofs = nl_msg_start_nested(reply, FP_CHAN_A_PORTS);
    for (size_t i = 0; i < n; i++) {
        size_t item_ofs = reply->size;

        put_port_item(reply, &list[i]);
        if (reply->size - ofs > 60000) {
            /* A list is one netlink attribute, of 16-bit length: some
             * 1,000 ports fit. */
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            reply->size = item_ofs;
            VLOG_WARN_RL(&rl, "%s: port list cut at %"PRIuSIZE" of %"
                         PRIuSIZE" ports", fp_dp_name(dp), i, n);
            break;
        }
    }
    nl_msg_end_nested(reply, ofs);
    fp_chan_msg_finish(reply, start);
    fp_port_info_list_free(list, n);
}

/* A port's device counters, link and status, for its stand-in in the
 * client (dpif/netdev-fastpath-proxy.c), which shows them where the
 * in-process mode's device would: Interface statistics, link_state and
 * status, and OpenFlow's port stats and state. */
static void
port_state(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_PORT_NAME]);
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    struct smap status = SMAP_INITIALIZER(&status);
    struct netdev_stats stats;
    struct netdev *netdev;
    size_t start;

    if (!dp) {
        return;
    }
    netdev = (fp_dp_port_query_by_name(dp, name, NULL)
              ? NULL : netdev_from_name(name));
    if (!netdev) {
        fastpathd_put_error(reply, msg, ENODEV,
                            xasprintf("%s: no port %s", fp_dp_name(dp),
                                      name));
        return;
    }
    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    if (!netdev_get_stats(netdev, &stats)) {
        fp_chan_put_stats(reply, &stats);
    }
    nl_msg_put_u32(reply, FP_CHAN_A_PORT_CARRIER, netdev_get_carrier(netdev));
    if (!netdev_get_status(netdev, &status) && !smap_is_empty(&status)) {
        fp_chan_put_options(reply, FP_CHAN_A_PORT_STATUS, &status);
    }
    fp_chan_msg_finish(reply, start);
    smap_destroy(&status);
    netdev_close(netdev);
}

static void
dp_stats(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    uint64_t values[FP_N_STATS];
    size_t start;

    if (!dp) {
        return;
    }
    fp_dp_get_stats(dp, values);
    start = reply->size;
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    nl_msg_put_u64(reply, FP_CHAN_A_N_HIT,
                   values[FP_STAT_EMC_HIT] + values[FP_STAT_MEGAFLOW_HIT]);
    nl_msg_put_u64(reply, FP_CHAN_A_N_MISSED, values[FP_STAT_MISS]);
    nl_msg_put_u64(reply, FP_CHAN_A_N_LOST, values[FP_STAT_LOST]);
    nl_msg_put_u64(reply, FP_CHAN_A_N_FLOWS, fp_dp_flow_count(dp));
    fp_chan_msg_finish(reply, start);
}

/* The datapath settings of the Open_vSwitch table's other_config
 * (pmd-cpu-mask, flow-limit, ...), as the dpif's set_config passes
 * them. */
static void
dp_set_config(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct smap config = SMAP_INITIALIZER(&config);
    struct fp_dp *dp = fastpathd_dp_find(msg, reply);
    int error;

    if (!dp) {
        return;
    }
    fp_chan_get_options(msg->attrs[FP_CHAN_A_CONFIG], &config);
    error = fp_dp_set_config(dp, &config);
    smap_destroy(&config);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: settings refused (%s)",
                                      fp_dp_name(dp), ovs_strerror(error)));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

static void
upcall_set(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct dp_entry *e = find_entry(msg, reply);

    if (e) {
        fastpathd_upcalls_set_enabled(e->upcalls,
                                      msg->attrs[FP_CHAN_A_ENABLE] != NULL);
        fastpathd_put_ok(reply, msg);
    }
}

static void
upcall_credit(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct dp_entry *e = find_entry(msg, reply);

    if (e) {
        fastpathd_upcalls_add_credit(
            e->upcalls, nl_attr_get_u32(msg->attrs[FP_CHAN_A_UPCALL_CREDIT]));
        fastpathd_put_ok(reply, msg);
    }
}

/* Carries out 'msg' and appends its reply to 'reply'.  Returns false if
 * 'msg' is no datapath command. */
bool
fastpathd_dp_handle(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    switch (msg->cmd) {
    case FP_CHAN_DP_OPEN:
        dp_open(msg, reply);
        return true;
    case FP_CHAN_DP_DEL:
        dp_del(msg, reply);
        return true;
    case FP_CHAN_PORT_ADD:
        port_add(msg, reply);
        return true;
    case FP_CHAN_PORT_DEL:
        port_del(msg, reply);
        return true;
    case FP_CHAN_PORT_GET:
        port_get(msg, reply);
        return true;
    case FP_CHAN_PORT_STATE:
        port_state(msg, reply);
        return true;
    case FP_CHAN_DP_STATS:
        dp_stats(msg, reply);
        return true;
    case FP_CHAN_DP_SET_CONFIG:
        dp_set_config(msg, reply);
        return true;
    case FP_CHAN_UPCALL_SET:
        upcall_set(msg, reply);
        return true;
    case FP_CHAN_UPCALL_CREDIT:
        upcall_credit(msg, reply);
        return true;
    default:
        return (fastpathd_flow_handle(msg, reply)
                || fastpathd_ct_handle(msg, reply)
                || fastpathd_meter_handle(msg, reply));
    }
}

/* Destroys every datapath, as fastpathd exits. */
void
fastpathd_dp_destroy_all(void)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &dps) {
        struct dp_entry *e = node->data;

        shash_delete(&dps, node);
        dp_entry_destroy(e);
    }
}

/* Appends to 'tx' the upcalls of every datapath, while 'tx' holds less
 * than 'max_size' bytes. */
void
fastpathd_dp_send_upcalls(struct ofpbuf *tx, size_t max_size)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dps) {
        struct dp_entry *e = node->data;

        fastpathd_upcalls_send(e->upcalls, tx, max_size);
    }
}

/* For fastpathd/show: each datapath's upcalls. */
void
fastpathd_dp_show(struct ds *ds)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dps) {
        struct dp_entry *e = node->data;
        uint64_t queued, sent, dropped;

        fastpathd_upcalls_get_stats(e->upcalls, &queued, &sent, &dropped);
        ds_put_format(ds, "%s: upcalls %"PRIu64" waiting, %"PRIu64" sent, "
                      "%"PRIu64" dropped (queue full)\n", node->name,
                      queued - sent, sent, dropped);
    }
}

/* Stops the upcalls of every datapath, as their client goes. */
void
fastpathd_dp_disable_upcalls(void)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dps) {
        struct dp_entry *e = node->data;

        fastpathd_upcalls_set_enabled(e->upcalls, false);
    }
}

void
fastpathd_dp_wait_upcalls(void)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dps) {
        struct dp_entry *e = node->data;

        fastpathd_upcalls_wait(e->upcalls);
    }
}

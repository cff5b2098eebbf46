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
#include "dpif.h"
#include "fp-chan.h"
#include "fp-datapath.h"
#include "netdev.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_dp);

/* The datapaths, by name, each with fastpathd's reference. */
static struct shash dps = SHASH_INITIALIZER(&dps);

/* The one dpif type whose datapaths the engine runs. */
#define DP_TYPE "fastpath"

static void
put_ok(struct ofpbuf *reply, const struct fp_chan_msg *msg)
{
    size_t start = reply->size;

    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    fp_chan_msg_finish(reply, start);
}

static void
put_error(struct ofpbuf *reply, const struct fp_chan_msg *msg, int error,
          char *reason)
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
    struct fp_dp *dp;
    int error;

    if (strcmp(type, DP_TYPE)) {
        put_error(reply, msg, EAFNOSUPPORT,
                  xasprintf("%s: fastpathd runs datapaths of type "
                            DP_TYPE", not %s", name, type));
        return;
    }
    if (shash_find(&dps, name)) {
        put_ok(reply, msg);
        return;
    }
    if (!create) {
        put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
        return;
    }
    error = fp_dp_open(type, name, true, &dp);
    if (error) {
        put_error(reply, msg, error,
                  xasprintf("%s: cannot create the datapath (%s)", name,
                            ovs_strerror(error)));
        return;
    }
    shash_add(&dps, name, dp);
    VLOG_INFO("%s@%s: created for the client", type, name);
    put_ok(reply, msg);
}

static void
dp_del(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    struct fp_dp *dp = shash_find_and_delete(&dps, name);

    if (!dp) {
        put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
        return;
    }
    VLOG_INFO("%s@%s: deleted by the client", fp_dp_type(dp), name);
    fp_dp_destroy(dp);
    fp_dp_unref(dp);
    put_ok(reply, msg);
}

/* The datapath that 'msg' names, or NULL after a refusal in 'reply'. */
static struct fp_dp *
find_dp(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    const char *name = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    struct fp_dp *dp = shash_find_data(&dps, name);

    if (!dp) {
        put_error(reply, msg, ENODEV,
                  xasprintf("%s: no such datapath", name));
    }
    return dp;
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
    struct fp_dp *dp = find_dp(msg, reply);
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
        if (!fp_dp_port_query_by_name(node->data, name, NULL)) {
            put_error(reply, msg, EEXIST,
                      xasprintf("%s: a port of that name is in datapath %s",
                                name, node->name));
            return;
        }
    }
    if (msg->attrs[FP_CHAN_A_PORT_OPTIONS]) {
        fp_chan_get_options(msg->attrs[FP_CHAN_A_PORT_OPTIONS], &options);
    }
    error = netdev_open(name, type, &netdev);
    if (error) {
        put_error(reply, msg, error,
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
        put_error(reply, msg, error,
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
    struct fp_dp *dp = find_dp(msg, reply);
    int error;

    if (!dp) {
        return;
    }
    error = fp_dp_port_del(dp, u32_to_odp(port_no));
    if (error) {
        put_error(reply, msg, error,
                  xasprintf("%s: port %"PRIu32": %s", fp_dp_name(dp),
                            port_no, (error == ENOENT ? "no such port"
                                      : error == EINVAL
                                      ? "the datapath's own port stays"
                                      : ovs_strerror(error))));
    } else {
        put_ok(reply, msg);
    }
}

/* The raw attribute 'nla', or NULL and 0 without one. */
static const struct nlattr *
raw_attr(const struct nlattr *nla, size_t *len)
{
    *len = nla ? nl_attr_get_size(nla) : 0;
    return nla ? nl_attr_get(nla) : NULL;
}

static void
flow_put(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    enum { KNOWN = DPIF_FP_CREATE | DPIF_FP_MODIFY | DPIF_FP_ZERO_STATS
                   | DPIF_FP_PROBE };
    uint32_t flags = (msg->attrs[FP_CHAN_A_FLOW_FLAGS]
                      ? nl_attr_get_u32(msg->attrs[FP_CHAN_A_FLOW_FLAGS])
                      : DPIF_FP_CREATE);
    struct fp_dp *dp = find_dp(msg, reply);
    struct dpif_flow_stats stats;
    struct dpif_flow_put put;
    ovs_u128 ufid;
    int error;

    if (!dp) {
        return;
    }
    if (flags & ~KNOWN) {
        put_error(reply, msg, EINVAL,
                  xasprintf("%s: flow put flags %#"PRIx32" are unknown",
                            fp_dp_name(dp), flags & ~KNOWN));
        return;
    }
    memset(&put, 0, sizeof put);
    put.flags = flags;
    put.key = raw_attr(msg->attrs[FP_CHAN_A_FLOW_KEY], &put.key_len);
    put.mask = raw_attr(msg->attrs[FP_CHAN_A_FLOW_MASK], &put.mask_len);
    put.actions = raw_attr(msg->attrs[FP_CHAN_A_FLOW_ACTIONS],
                           &put.actions_len);
    if (msg->attrs[FP_CHAN_A_FLOW_UFID]) {
        ufid = nl_attr_get_u128(msg->attrs[FP_CHAN_A_FLOW_UFID]);
        put.ufid = &ufid;
    }
    put.pmd_id = PMD_ID_NULL;
    put.stats = &stats;
    error = fp_dp_flow_put(dp, &put);
    if (error) {
        put_error(reply, msg, error,
                  xasprintf("%s: flow put refused (%s)", fp_dp_name(dp),
                            (error == EINVAL
                             ? "a key, mask or actions the datapath does not "
                               "take"
                             : error == EEXIST ? "the flow exists"
                             : error == ENOENT ? "no such flow to modify"
                             : ovs_strerror(error))));
    } else {
        put_ok(reply, msg);
    }
}

static void
flow_del(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = find_dp(msg, reply);
    struct dpif_flow_stats stats;
    const struct nlattr *key;
    ovs_u128 ufid;
    size_t key_len;
    int error;

    if (!dp) {
        return;
    }
    key = raw_attr(msg->attrs[FP_CHAN_A_FLOW_KEY], &key_len);
    if (msg->attrs[FP_CHAN_A_FLOW_UFID]) {
        ufid = nl_attr_get_u128(msg->attrs[FP_CHAN_A_FLOW_UFID]);
    }
    error = fp_dp_flow_del(dp, (msg->attrs[FP_CHAN_A_FLOW_UFID]
                                ? &ufid : NULL), key, key_len, &stats);
    if (error) {
        put_error(reply, msg, error,
                  xasprintf("%s: flow delete refused (%s)", fp_dp_name(dp),
                            error == ENOENT ? "no such flow"
                            : ovs_strerror(error)));
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        nl_msg_put_u64(reply, FP_CHAN_A_FLOW_PACKETS, stats.n_packets);
        nl_msg_put_u64(reply, FP_CHAN_A_FLOW_BYTES, stats.n_bytes);
        fp_chan_msg_finish(reply, start);
    }
}

static void
flow_flush(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    struct fp_dp *dp = find_dp(msg, reply);

    if (dp) {
        fp_dp_flow_flush(dp);
        put_ok(reply, msg);
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
    case FP_CHAN_FLOW_PUT:
        flow_put(msg, reply);
        return true;
    case FP_CHAN_FLOW_DEL:
        flow_del(msg, reply);
        return true;
    case FP_CHAN_FLOW_FLUSH:
        flow_flush(msg, reply);
        return true;
    default:
        return false;
    }
}

/* Destroys every datapath, as fastpathd exits. */
void
fastpathd_dp_destroy_all(void)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &dps) {
        struct fp_dp *dp = node->data;

        shash_delete(&dps, node);
        fp_dp_destroy(dp);
        fp_dp_unref(dp);
    }
}

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


/* fastpathd's meter commands (FP_CHAN_METER_*): OpenFlow meters that
 * ovs-vswitchd sets, reads and deletes in fastpathd's datapaths, carried
 * out by the engine (engine/fp-datapath.h, "Meters"). */

#include <config.h>

#include <errno.h>
#include <string.h>
#include "fastpathd-dp.h"
#include "fp-chan.h"
#include "fp-chan-meter.h"
#include "fp-datapath.h"
#include "netlink.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

static void
meter_features(struct fp_dp *dp OVS_UNUSED, const struct fp_chan_msg *msg,
               struct ofpbuf *reply)
{
    struct ofputil_meter_features features;
    size_t start = reply->size;

    fp_dp_meter_features(&features);
    fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    fp_chan_put_meter_features(reply, &features);
    fp_chan_msg_finish(reply, start);
}

static void
meter_set(struct fp_dp *dp, const struct fp_chan_msg *msg,
          struct ofpbuf *reply)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[FP_CHAN_A_METER_ID]);
    struct ofputil_meter_config config;
    int error;

    if (!fp_chan_get_meter_config(msg->attrs[FP_CHAN_A_METER_CONFIG],
                                  &config)) {
        fastpathd_put_error(reply, msg, EINVAL,
                            xasprintf("%s: meter %"PRIu32": malformed "
                                      "settings", fp_dp_name(dp), id));
        return;
    }
    config.meter_id = id;
    error = fp_dp_meter_set(dp, id, &config);
    free(config.bands);
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: meter %"PRIu32": %s",
                                      fp_dp_name(dp), id,
                                      ovs_strerror(error)));
    } else {
        fastpathd_put_ok(reply, msg);
    }
}

/* METER_GET and METER_DEL: both answer the meter's counters. */
static void
meter_get_or_del(struct fp_dp *dp, const struct fp_chan_msg *msg,
                 struct ofpbuf *reply)
{
    const struct nlattr *n_attr = msg->attrs[FP_CHAN_A_METER_N_BANDS];
    uint32_t id = nl_attr_get_u32(msg->attrs[FP_CHAN_A_METER_ID]);
    uint16_t n_bands = n_attr ? MIN(nl_attr_get_u32(n_attr), UINT16_MAX) : 0;
    struct ofputil_meter_band_stats *bands;
    struct ofputil_meter_stats stats;
    int error;

    memset(&stats, 0, sizeof stats);
    bands = xcalloc(n_bands ? n_bands : 1, sizeof *bands);
    stats.meter_id = id;
    stats.bands = bands;
    error = (msg->cmd == FP_CHAN_METER_GET
             ? fp_dp_meter_get(dp, id, &stats, n_bands)
             : fp_dp_meter_del(dp, id, &stats, n_bands));
    if (error) {
        fastpathd_put_error(reply, msg, error,
                            xasprintf("%s: meter %"PRIu32": %s",
                                      fp_dp_name(dp), id,
                                      ovs_strerror(error)));
    } else {
        size_t start = reply->size;

        fp_chan_msg_start(reply, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
        fp_chan_put_meter_stats(reply, &stats);
        fp_chan_msg_finish(reply, start);
    }
    free(bands);
}

/* Carries out 'msg' and appends its reply to 'reply'.  Returns false if
 * 'msg' is no meter command. */
bool
fastpathd_meter_handle(const struct fp_chan_msg *msg, struct ofpbuf *reply)
{
    void (*handle)(struct fp_dp *, const struct fp_chan_msg *,
                   struct ofpbuf *);
    struct fp_dp *dp;

    switch (msg->cmd) {
    case FP_CHAN_METER_FEATURES:
        handle = meter_features;
        break;
    case FP_CHAN_METER_SET:
        handle = meter_set;
        break;
    case FP_CHAN_METER_GET:
    case FP_CHAN_METER_DEL:
        handle = meter_get_or_del;
        break;
    default:
        return false;
    }
    dp = fastpathd_dp_find(msg, reply);
    if (dp) {
        handle(dp, msg, reply);
    }
    return true;
}

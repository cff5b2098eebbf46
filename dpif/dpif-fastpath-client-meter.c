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


/* The meter members of the detached mode's "fastpath" dpif (see
 * dpif/dpif-fastpath-client-meter.h): each is one of the channel's
 * FP_CHAN_METER_* requests, its values in the forms of
 * engine/fp-chan-meter.h.  A meter set is journaled (dpif/fp-journal.h),
 * so that a new fastpathd gets it again before the flows that use it. */

#include <config.h>
#include "dpif-fastpath-client-meter.h"

#include <errno.h>
#include <string.h>
#include "dpif-fastpath-client.h"
#include "fp-chan.h"
#include "fp-chan-meter.h"
#include "fp-client.h"
#include "fp-journal.h"
#include "netlink.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* The datapath's meter features, as fastpathd's engine reports them; a
 * fastpathd too old to say has none, and ofproto-dpif then offers no
 * meters. */
void
dpif_fastpath_client_meter_get_features(
    const struct dpif *dpif, struct ofputil_meter_features *features)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;

    memset(features, 0, sizeof *features);
    ofpbuf_init(&reply, 256);
    fp_client_request_start(&req, FP_CHAN_METER_FEATURES,
                            dpif_fastpath_client_dp_name(dpif));
    if (!fp_client_request(&req, &reply, &msg, VLL_INFO)
        && msg.attrs[FP_CHAN_A_METER_FEATURES]
        && !fp_chan_get_meter_features(msg.attrs[FP_CHAN_A_METER_FEATURES],
                                       features)) {
        memset(features, 0, sizeof *features);
    }
    ofpbuf_uninit(&reply);
}

int
dpif_fastpath_client_meter_set(struct dpif *dpif, ofproto_meter_id meter_id,
                               struct ofputil_meter_config *config)
{
    const char *dp = dpif_fastpath_client_dp_name(dpif);
    uint32_t id = meter_id.uint32;
    struct ofpbuf req, journal;
    int error;

    fp_client_request_start(&req, FP_CHAN_METER_SET, dp);
    nl_msg_put_u32(&req, FP_CHAN_A_METER_ID, id);
    fp_chan_put_meter_config(&req, config);
    fp_chan_msg_finish(&req, 0);
    ofpbuf_init(&journal, req.size);
    ofpbuf_put(&journal, req.data, req.size);
    error = fp_client_request_simple(&req, VLL_INFO);
    if (!error) {
        fp_journal_put(dp, FP_JOURNAL_METER, &id, sizeof id, &journal);
    }
    ofpbuf_uninit(&journal);
    return error;
}

/* METER_GET or METER_DEL ('cmd') of meter 'id', with the counters of up
 * to 'n_bands' bands into 'stats', if nonnull. */
static int
meter_stats_request(const struct dpif *dpif, uint16_t cmd, uint32_t id,
                    struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct fp_chan_msg msg;
    struct ofpbuf req, reply;
    int error;

    ofpbuf_init(&reply, 256);
    fp_client_request_start(&req, cmd, dpif_fastpath_client_dp_name(dpif));
    nl_msg_put_u32(&req, FP_CHAN_A_METER_ID, id);
    nl_msg_put_u32(&req, FP_CHAN_A_METER_N_BANDS, stats ? n_bands : 0);
    error = fp_client_request(&req, &reply, &msg, VLL_INFO);
    if (!error && stats
        && (!msg.attrs[FP_CHAN_A_METER_STATS]
            || !fp_chan_get_meter_stats(msg.attrs[FP_CHAN_A_METER_STATS],
                                        stats, n_bands))) {
        error = EPROTO;
    }
    ofpbuf_uninit(&reply);
    return error;
}

int
dpif_fastpath_client_meter_get(const struct dpif *dpif,
                               ofproto_meter_id meter_id,
                               struct ofputil_meter_stats *stats,
                               uint16_t n_bands)
{
    return meter_stats_request(dpif, FP_CHAN_METER_GET, meter_id.uint32,
                               stats, n_bands);
}

int
dpif_fastpath_client_meter_del(struct dpif *dpif, ofproto_meter_id meter_id,
                               struct ofputil_meter_stats *stats,
                               uint16_t n_bands)
{
    const char *dp = dpif_fastpath_client_dp_name(dpif);
    uint32_t id = meter_id.uint32;

    fp_journal_forget(dp, FP_JOURNAL_METER, &id, sizeof id);
    return meter_stats_request(dpif, FP_CHAN_METER_DEL, id, stats, n_bands);
}

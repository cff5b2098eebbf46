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


#ifndef FP_CHAN_METER_H
#define FP_CHAN_METER_H 1

/* The channel's meter values (engine/fp-chan.h, FP_CHAN_METER_*
 * commands): OpenFlow meters' settings, counters and the datapath's
 * meter features as nested attributes, written and read by both ends.
 * Readers check what they read and return false on anything malformed;
 * attributes of a later version they leave out. */

#include <stdbool.h>
#include <stdint.h>

struct nlattr;
struct ofpbuf;
struct ofputil_meter_config;
struct ofputil_meter_features;
struct ofputil_meter_stats;

/* Inside FP_CHAN_A_METER_CONFIG. */
enum fp_chan_meter_config_attr {
    FP_CHAN_METER_CONFIG_FLAGS = 1, /* u32: OFPMF13_*. */
    FP_CHAN_METER_CONFIG_BANDS,     /* nested: an FP_CHAN_A_ITEM per band,
                                     * nested FP_CHAN_METER_BAND_*. */
};

enum fp_chan_meter_band_attr {
    FP_CHAN_METER_BAND_TYPE = 1,    /* u32: OFPMBT13_*. */
    FP_CHAN_METER_BAND_RATE,        /* u32: kbps or packets a second. */
    FP_CHAN_METER_BAND_BURST,       /* u32. */
    FP_CHAN_METER_BAND_PREC_LEVEL,  /* u32. */
};

/* Inside FP_CHAN_A_METER_STATS.  (The flows that use a meter are
 * ofproto-dpif's to count.) */
enum fp_chan_meter_stats_attr {
    FP_CHAN_METER_STATS_PACKETS = 1, /* u64: packets into it. */
    FP_CHAN_METER_STATS_BYTES,      /* u64: their bytes. */
    FP_CHAN_METER_STATS_DURATION,   /* 2 x u32: its age, seconds and ns. */
    FP_CHAN_METER_STATS_BANDS,      /* nested: an FP_CHAN_A_ITEM per band,
                                     * 2 x u64: packets and bytes it
                                     * took. */
};

/* Inside FP_CHAN_A_METER_FEATURES, as struct ofputil_meter_features. */
enum fp_chan_meter_features_attr {
    FP_CHAN_METER_FEATURES_MAX_METERS = 1,  /* u32. */
    FP_CHAN_METER_FEATURES_BAND_TYPES,      /* u32. */
    FP_CHAN_METER_FEATURES_CAPABILITIES,    /* u32. */
    FP_CHAN_METER_FEATURES_MAX_BANDS,       /* u32. */
    FP_CHAN_METER_FEATURES_MAX_COLOR,       /* u32. */
};

void fp_chan_put_meter_config(struct ofpbuf *,
                              const struct ofputil_meter_config *);
bool fp_chan_get_meter_config(const struct nlattr *,
                              struct ofputil_meter_config *);

void fp_chan_put_meter_stats(struct ofpbuf *,
                             const struct ofputil_meter_stats *);
bool fp_chan_get_meter_stats(const struct nlattr *,
                             struct ofputil_meter_stats *, uint16_t n_bands);

void fp_chan_put_meter_features(struct ofpbuf *,
                                const struct ofputil_meter_features *);
bool fp_chan_get_meter_features(const struct nlattr *,
                                struct ofputil_meter_features *);

#endif /* fp-chan-meter.h */

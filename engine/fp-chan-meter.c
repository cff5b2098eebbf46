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


/* The channel's meter values as nested attributes (see
 * engine/fp-chan-meter.h), read with OVS's netlink policy checks. */

#include <config.h>
#include "fp-chan-meter.h"

#include <string.h>
#include "fp-chan.h"
#include "netlink.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* More bands than any meter may have: a reader refuses the rest. */
#define MAX_BANDS 255

void
fp_chan_put_meter_config(struct ofpbuf *buf,
                         const struct ofputil_meter_config *config)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_METER_CONFIG);
    size_t bands;

    nl_msg_put_u32(buf, FP_CHAN_METER_CONFIG_FLAGS, config->flags);
    bands = nl_msg_start_nested(buf, FP_CHAN_METER_CONFIG_BANDS);
    for (size_t i = 0; i < config->n_bands; i++) {
        const struct ofputil_meter_band *b = &config->bands[i];
        size_t item = nl_msg_start_nested(buf, FP_CHAN_A_ITEM);

        nl_msg_put_u32(buf, FP_CHAN_METER_BAND_TYPE, b->type);
        nl_msg_put_u32(buf, FP_CHAN_METER_BAND_RATE, b->rate);
        nl_msg_put_u32(buf, FP_CHAN_METER_BAND_BURST, b->burst_size);
        nl_msg_put_u32(buf, FP_CHAN_METER_BAND_PREC_LEVEL, b->prec_level);
        nl_msg_end_nested(buf, item);
    }
    nl_msg_end_nested(buf, bands);
    nl_msg_end_nested(buf, ofs);
}

/* Sets 'config' from FP_CHAN_A_METER_CONFIG 'nla'.  On success the caller
 * frees 'config->bands'. */
bool
fp_chan_get_meter_config(const struct nlattr *nla,
                         struct ofputil_meter_config *config)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_METER_CONFIG_FLAGS] = { .type = NL_A_U32 },
        [FP_CHAN_METER_CONFIG_BANDS] = { .type = NL_A_NESTED },
    };
    static const struct nl_policy band_policy[] = {
        [FP_CHAN_METER_BAND_TYPE] = { .type = NL_A_U32 },
        [FP_CHAN_METER_BAND_RATE] = { .type = NL_A_U32 },
        [FP_CHAN_METER_BAND_BURST] = { .type = NL_A_U32, .optional = true },
        [FP_CHAN_METER_BAND_PREC_LEVEL] = { .type = NL_A_U32,
                                            .optional = true },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];
    const struct nlattr *item;
    size_t left, n = 0;

    memset(config, 0, sizeof *config);
    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    config->flags = nl_attr_get_u32(a[FP_CHAN_METER_CONFIG_FLAGS]);
    NL_NESTED_FOR_EACH (item, left, a[FP_CHAN_METER_CONFIG_BANDS]) {
        n++;
    }
    if (left || n > MAX_BANDS) {
        return false;
    }
    config->bands = xcalloc(n ? n : 1, sizeof *config->bands);
    NL_NESTED_FOR_EACH (item, left, a[FP_CHAN_METER_CONFIG_BANDS]) {
        struct ofputil_meter_band *b = &config->bands[config->n_bands];
        struct nlattr *ba[ARRAY_SIZE(band_policy)];

        if (nl_attr_type(item) != FP_CHAN_A_ITEM
            || !nl_parse_nested(item, band_policy, ba,
                                ARRAY_SIZE(band_policy))) {
            free(config->bands);
            memset(config, 0, sizeof *config);
            return false;
        }
        b->type = nl_attr_get_u32(ba[FP_CHAN_METER_BAND_TYPE]);
        b->rate = nl_attr_get_u32(ba[FP_CHAN_METER_BAND_RATE]);
        b->burst_size = (ba[FP_CHAN_METER_BAND_BURST]
                         ? nl_attr_get_u32(ba[FP_CHAN_METER_BAND_BURST])
                         : 0);
        b->prec_level = (ba[FP_CHAN_METER_BAND_PREC_LEVEL]
                         ? nl_attr_get_u32(ba[FP_CHAN_METER_BAND_PREC_LEVEL])
                         : 0);
        config->n_bands++;
    }
    return true;
}

void
fp_chan_put_meter_stats(struct ofpbuf *buf,
                        const struct ofputil_meter_stats *stats)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_METER_STATS);
    uint32_t duration[2] = { stats->duration_sec, stats->duration_nsec };
    size_t bands;

    nl_msg_put_u64(buf, FP_CHAN_METER_STATS_PACKETS, stats->packet_in_count);
    nl_msg_put_u64(buf, FP_CHAN_METER_STATS_BYTES, stats->byte_in_count);
    nl_msg_put_unspec(buf, FP_CHAN_METER_STATS_DURATION, duration,
                      sizeof duration);
    bands = nl_msg_start_nested(buf, FP_CHAN_METER_STATS_BANDS);
    for (size_t i = 0; i < stats->n_bands; i++) {
        uint64_t counts[2] = { stats->bands[i].packet_count,
                               stats->bands[i].byte_count };

        nl_msg_put_unspec(buf, FP_CHAN_A_ITEM, counts, sizeof counts);
    }
    nl_msg_end_nested(buf, bands);
    nl_msg_end_nested(buf, ofs);
}

/* Sets the counters of 'stats' from FP_CHAN_A_METER_STATS 'nla', those of
 * up to 'n_bands' bands into 'stats->bands', which has room for that
 * many.  Leaves its meter id and flow count alone. */
bool
fp_chan_get_meter_stats(const struct nlattr *nla,
                        struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_METER_STATS_PACKETS] = { .type = NL_A_U64 },
        [FP_CHAN_METER_STATS_BYTES] = { .type = NL_A_U64 },
        [FP_CHAN_METER_STATS_DURATION] = { .type = NL_A_UNSPEC,
                                           .min_len = 8, .max_len = 8,
                                           .optional = true },
        [FP_CHAN_METER_STATS_BANDS] = { .type = NL_A_NESTED,
                                        .optional = true },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];
    const struct nlattr *item;
    size_t left;

    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    stats->packet_in_count = nl_attr_get_u64(a[FP_CHAN_METER_STATS_PACKETS]);
    stats->byte_in_count = nl_attr_get_u64(a[FP_CHAN_METER_STATS_BYTES]);
    stats->duration_sec = stats->duration_nsec = 0;
    if (a[FP_CHAN_METER_STATS_DURATION]) {
        uint32_t duration[2];

        memcpy(duration, nl_attr_get(a[FP_CHAN_METER_STATS_DURATION]),
               sizeof duration);
        stats->duration_sec = duration[0];
        stats->duration_nsec = duration[1];
    }
    stats->n_bands = 0;
    if (a[FP_CHAN_METER_STATS_BANDS]) {
        NL_NESTED_FOR_EACH (item, left, a[FP_CHAN_METER_STATS_BANDS]) {
            uint64_t counts[2];

            if (nl_attr_type(item) != FP_CHAN_A_ITEM
                || nl_attr_get_size(item) != sizeof counts) {
                return false;
            }
            if (stats->n_bands < n_bands) {
                memcpy(counts, nl_attr_get(item), sizeof counts);
                stats->bands[stats->n_bands].packet_count = counts[0];
                stats->bands[stats->n_bands].byte_count = counts[1];
                stats->n_bands++;
            }
        }
        if (left) {
            return false;
        }
    }
    return true;
}

void
fp_chan_put_meter_features(struct ofpbuf *buf,
                           const struct ofputil_meter_features *f)
{
    size_t ofs = nl_msg_start_nested(buf, FP_CHAN_A_METER_FEATURES);

    nl_msg_put_u32(buf, FP_CHAN_METER_FEATURES_MAX_METERS, f->max_meters);
    nl_msg_put_u32(buf, FP_CHAN_METER_FEATURES_BAND_TYPES, f->band_types);
    nl_msg_put_u32(buf, FP_CHAN_METER_FEATURES_CAPABILITIES,
                   f->capabilities);
    nl_msg_put_u32(buf, FP_CHAN_METER_FEATURES_MAX_BANDS, f->max_bands);
    nl_msg_put_u32(buf, FP_CHAN_METER_FEATURES_MAX_COLOR, f->max_color);
    nl_msg_end_nested(buf, ofs);
}

bool
fp_chan_get_meter_features(const struct nlattr *nla,
                           struct ofputil_meter_features *f)
{
    static const struct nl_policy policy[] = {
        [FP_CHAN_METER_FEATURES_MAX_METERS] = { .type = NL_A_U32 },
        [FP_CHAN_METER_FEATURES_BAND_TYPES] = { .type = NL_A_U32 },
        [FP_CHAN_METER_FEATURES_CAPABILITIES] = { .type = NL_A_U32 },
        [FP_CHAN_METER_FEATURES_MAX_BANDS] = { .type = NL_A_U32 },
        [FP_CHAN_METER_FEATURES_MAX_COLOR] = { .type = NL_A_U32 },
    };
    struct nlattr *a[ARRAY_SIZE(policy)];

    memset(f, 0, sizeof *f);
    if (!nl_parse_nested(nla, policy, a, ARRAY_SIZE(policy))) {
        return false;
    }
    f->max_meters = nl_attr_get_u32(a[FP_CHAN_METER_FEATURES_MAX_METERS]);
    f->band_types = nl_attr_get_u32(a[FP_CHAN_METER_FEATURES_BAND_TYPES]);
    f->capabilities
        = nl_attr_get_u32(a[FP_CHAN_METER_FEATURES_CAPABILITIES]);
    f->max_bands = MIN(nl_attr_get_u32(a[FP_CHAN_METER_FEATURES_MAX_BANDS]),
                       UINT8_MAX);
    f->max_color = MIN(nl_attr_get_u32(a[FP_CHAN_METER_FEATURES_MAX_COLOR]),
                       UINT8_MAX);
    return true;
}

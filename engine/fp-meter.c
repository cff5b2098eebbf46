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

/* OpenFlow meters with drop bands: see engine/fp-meter.h. */

#include <config.h>
#include "fp-meter.h"

#include <errno.h>
#include "dp-packet.h"
#include "hash.h"
#include "openflow/openflow.h"
#include "ovs-rcu.h"
#include "timeval.h"
#include "util.h"

/* Bucket units: bits for kbps meters (a kbit/s is a bit per msec),
 * thousandths of a packet for pktps meters (a packet/s is one per msec). */
struct fp_meter_band {
    uint32_t rate;              /* Bucket units per msec. */
    uint64_t capacity;          /* Bucket units. */
    uint64_t bucket;            /* Bucket units. */
    uint64_t packets;           /* Dropped by this band. */
    uint64_t bytes;
};

struct fp_meter {
    struct cmap_node node;      /* In 'fp_meters.meters'. */
    uint32_t id;
    uint16_t flags;
    long long int created;      /* msec. */

    struct ovs_mutex mutex;
    long long int filled OVS_GUARDED;   /* Last refill, msec. */
    uint64_t packets_in OVS_GUARDED;
    uint64_t bytes_in OVS_GUARDED;
    uint16_t n_bands;
    struct fp_meter_band bands[] OVS_GUARDED;
};

static const uint16_t supported_flags = OFPMF13_KBPS | OFPMF13_PKTPS
                                        | OFPMF13_BURST | OFPMF13_STATS;

void
fp_meters_init(struct fp_meters *ms)
{
    ovs_mutex_init(&ms->mutex);
    cmap_init(&ms->meters);
}

static void
meter_free(struct fp_meter *m)
{
    ovs_mutex_destroy(&m->mutex);
    free(m);
}

void
fp_meters_destroy(struct fp_meters *ms)
{
    struct fp_meter *m;

    CMAP_FOR_EACH (m, node, &ms->meters) {
        cmap_remove(&ms->meters, &m->node, hash_int(m->id, 0));
        ovsrcu_postpone(meter_free, m);
    }
    cmap_destroy(&ms->meters);
    ovs_mutex_destroy(&ms->mutex);
}

void
fp_meters_get_features(struct ofputil_meter_features *features)
{
    features->max_meters = FP_MAX_METERS;
    features->band_types = 1 << OFPMBT13_DROP;
    features->capabilities = supported_flags;
    features->max_bands = FP_MAX_BANDS;
    features->max_color = 0;
}

static struct fp_meter *
lookup(const struct fp_meters *ms, uint32_t id)
{
    struct fp_meter *m;

    CMAP_FOR_EACH_WITH_HASH (m, node, hash_int(id, 0), &ms->meters) {
        if (m->id == id) {
            return m;
        }
    }
    return NULL;
}

int
fp_meters_set(struct fp_meters *ms, uint32_t id,
              const struct ofputil_meter_config *config)
{
    bool pktps = config->flags & OFPMF13_PKTPS;
    struct fp_meter *m, *old;

    if (id >= FP_MAX_METERS) {
        return EFBIG;
    }
    if (config->flags & ~supported_flags
        || !(config->flags & (OFPMF13_KBPS | OFPMF13_PKTPS))
        || (config->flags & OFPMF13_KBPS && pktps)) {
        return EBADF;
    }
    if (config->n_bands > FP_MAX_BANDS) {
        return EOPNOTSUPP;
    }
    for (size_t i = 0; i < config->n_bands; i++) {
        if (config->bands[i].type != OFPMBT13_DROP
            || !config->bands[i].rate) {
            return ENODEV;
        }
    }

    m = xzalloc(sizeof *m + config->n_bands * sizeof m->bands[0]);
    m->id = id;
    m->flags = config->flags;
    m->created = time_msec();
    ovs_mutex_init(&m->mutex);
    m->filled = m->created;
    m->n_bands = config->n_bands;
    for (size_t i = 0; i < config->n_bands; i++) {
        const struct ofputil_meter_band *b = &config->bands[i];
        uint64_t burst = config->flags & OFPMF13_BURST && b->burst_size
                         ? b->burst_size : b->rate;

        m->bands[i].rate = b->rate;
        /* A second's worth of the rate, or the burst size: in kbits for
         * kbps meters, in packets for pktps meters. */
        m->bands[i].capacity = burst * 1000;
        m->bands[i].bucket = m->bands[i].capacity;
    }

    ovs_mutex_lock(&ms->mutex);
    old = lookup(ms, id);
    if (old) {
        cmap_replace(&ms->meters, &old->node, &m->node, hash_int(id, 0));
        ovsrcu_postpone(meter_free, old);
    } else {
        cmap_insert(&ms->meters, &m->node, hash_int(id, 0));
    }
    ovs_mutex_unlock(&ms->mutex);
    return 0;
}

static void
get_stats(struct fp_meter *m, struct ofputil_meter_stats *stats,
          uint16_t n_bands)
{
    long long int age = time_msec() - m->created;

    ovs_mutex_lock(&m->mutex);
    stats->packet_in_count = m->packets_in;
    stats->byte_in_count = m->bytes_in;
    stats->n_bands = MIN(n_bands, m->n_bands);
    for (size_t i = 0; i < stats->n_bands; i++) {
        stats->bands[i].packet_count = m->bands[i].packets;
        stats->bands[i].byte_count = m->bands[i].bytes;
    }
    ovs_mutex_unlock(&m->mutex);
    stats->duration_sec = age / 1000;
    stats->duration_nsec = (age % 1000) * 1000 * 1000;
}

int
fp_meters_get(struct fp_meters *ms, uint32_t id,
              struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct fp_meter *m = lookup(ms, id);

    if (!m) {
        return ENOENT;
    }
    if (stats) {
        get_stats(m, stats, n_bands);
    }
    return 0;
}

int
fp_meters_del(struct fp_meters *ms, uint32_t id,
              struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct fp_meter *m;
    int error = 0;

    ovs_mutex_lock(&ms->mutex);
    m = lookup(ms, id);
    if (m) {
        if (stats) {
            get_stats(m, stats, n_bands);
        }
        cmap_remove(&ms->meters, &m->node, hash_int(id, 0));
        ovsrcu_postpone(meter_free, m);
    } else {
        error = ENOENT;
    }
    ovs_mutex_unlock(&ms->mutex);
    return error;
}

/* Applies meter 'id' to 'batch': removes (and frees) the packets the meter
 * drops.  Returns how many it dropped.  A meter that does not exist lets
 * every packet through. */
size_t
fp_meters_apply(struct fp_meters *ms, uint32_t id,
                struct dp_packet_batch *batch, long long int now)
{
    struct fp_meter *m = lookup(ms, id);
    size_t n = dp_packet_batch_size(batch), dropped = 0;
    struct dp_packet *packet;
    bool pktps;
    size_t i;

    if (!m) {
        return 0;
    }
    pktps = m->flags & OFPMF13_PKTPS;

    ovs_mutex_lock(&m->mutex);
    if (now > m->filled) {
        uint64_t elapsed = now - m->filled;

        for (size_t b = 0; b < m->n_bands; b++) {
            struct fp_meter_band *band = &m->bands[b];

            band->bucket = MIN(band->capacity,
                               band->bucket + elapsed * band->rate);
        }
        m->filled = now;
    }

    DP_PACKET_BATCH_REFILL_FOR_EACH (i, n, packet, batch) {
        uint32_t size = dp_packet_size(packet);
        uint64_t cost = pktps ? 1000 : (uint64_t) size * 8;
        struct fp_meter_band *hit = NULL;

        m->packets_in++;
        m->bytes_in += size;
        /* Each band judges the packet alone: it takes its cost from every
         * band that has it, and the exceeded band of highest rate, if
         * any, drops it (OpenFlow's rule, and OVS-DPDK's counts). */
        for (size_t b = 0; b < m->n_bands; b++) {
            struct fp_meter_band *band = &m->bands[b];

            if (band->bucket >= cost) {
                band->bucket -= cost;
            } else if (!hit || band->rate > hit->rate) {
                hit = band;
            }
        }
        if (hit) {
            hit->packets++;
            hit->bytes += size;
            dp_packet_delete(packet);
            dropped++;
        } else {
            dp_packet_batch_refill(batch, packet, i);
        }
    }
    ovs_mutex_unlock(&m->mutex);
    return dropped;
}

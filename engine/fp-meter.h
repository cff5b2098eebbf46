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

#ifndef FP_METER_H
#define FP_METER_H 1

/* OpenFlow meters with drop bands, as token buckets.
 *
 * Each band has a bucket that fills at the band's rate up to its burst
 * size (one second's worth without OFPMF13_BURST).  A packet takes its
 * cost from every band whose bucket holds it; if some band's bucket is
 * short, the packet is dropped and counted on the exceeded band of highest
 * rate.  A meter is
 * applied to a whole batch under the meter's mutex: one lock per batch,
 * none per packet.  Meters are found under RCU; set and delete take
 * 'mutex'. */

#include <stdint.h>
#include "cmap.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/thread.h"

struct dp_packet_batch;

/* Meter ids go from 0 to FP_MAX_METERS - 1. */
enum { FP_MAX_METERS = 65536 };
enum { FP_MAX_BANDS = 8 };

struct fp_meters {
    struct ovs_mutex mutex;     /* Serialises set and delete. */
    struct cmap meters;         /* Contains "struct fp_meter"s. */
};

void fp_meters_init(struct fp_meters *);
void fp_meters_destroy(struct fp_meters *);
void fp_meters_get_features(struct ofputil_meter_features *);
int fp_meters_set(struct fp_meters *, uint32_t id,
                  const struct ofputil_meter_config *);
int fp_meters_get(struct fp_meters *, uint32_t id,
                  struct ofputil_meter_stats *, uint16_t n_bands);
int fp_meters_del(struct fp_meters *, uint32_t id,
                  struct ofputil_meter_stats *, uint16_t n_bands);
size_t fp_meters_apply(struct fp_meters *, uint32_t id,
                       struct dp_packet_batch *, long long int now_ms);

#endif /* fp-meter.h */

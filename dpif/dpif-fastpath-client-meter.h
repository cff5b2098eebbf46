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


#ifndef DPIF_FASTPATH_CLIENT_METER_H
#define DPIF_FASTPATH_CLIENT_METER_H 1

/* The meter members of the detached mode's "fastpath" dpif class
 * (dpif/dpif-fastpath-client-meter.c): each does what the member of the
 * same name in lib/dpif-provider.h of Open vSwitch says, by asking
 * fastpathd. */

#include <stdint.h>
#include "openvswitch/ofp-meter.h"

struct dpif;

void dpif_fastpath_client_meter_get_features(
    const struct dpif *, struct ofputil_meter_features *);
int dpif_fastpath_client_meter_set(struct dpif *, ofproto_meter_id,
                                   struct ofputil_meter_config *);
int dpif_fastpath_client_meter_get(const struct dpif *, ofproto_meter_id,
                                   struct ofputil_meter_stats *,
                                   uint16_t n_bands);
int dpif_fastpath_client_meter_del(struct dpif *, ofproto_meter_id,
                                   struct ofputil_meter_stats *,
                                   uint16_t n_bands);

#endif /* dpif-fastpath-client-meter.h */

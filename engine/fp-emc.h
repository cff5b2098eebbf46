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

#ifndef FP_EMC_H
#define FP_EMC_H 1

/* The exact-match cache: the first level of the flow cache, one per
 * polling thread, in front of the megaflow table.
 *
 * It maps a packet's whole key (its miniflow) to the megaflow that matched
 * it last time, so that a packet of a known microflow costs one hash probe
 * and one key compare, not a megaflow lookup.  Two-way set associative;
 * each entry holds a reference on its flow, so the flow's memory outlives
 * its removal from the megaflow table until the entry is evicted (a
 * removed flow is seen as 'dead' and never returned).  Only the owning
 * thread touches its cache: no locks, no atomics on a hit. */

#include <stdint.h>
#include "flow.h"

struct fp_emc;
struct fp_flow;

struct fp_emc *fp_emc_create(void);
void fp_emc_destroy(struct fp_emc *);
struct fp_flow *fp_emc_lookup(const struct fp_emc *, uint32_t hash,
                              const struct miniflow *);
void fp_emc_prefetch(const struct fp_emc *, uint32_t hash);
void fp_emc_insert(struct fp_emc *, uint32_t hash, const struct miniflow *,
                   struct fp_flow *);

#endif /* fp-emc.h */

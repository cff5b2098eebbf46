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

#ifndef FP_INPUT_H
#define FP_INPUT_H 1

/* The path of a received batch (engine/fp-input.c): keys, cache and
 * megaflow lookups, misses; and the second pass of recirculated packets. */

#include "fp-dp-private.h"

int fp_input_batch(struct fp_dp *, struct fp_thread *,
                   struct dp_packet_batch *, odp_port_t in_port);
void fp_input_recirc(struct fp_dp *, struct fp_thread *,
                     struct dp_packet_batch *);

#endif /* fp-input.h */

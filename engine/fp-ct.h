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

#ifndef FP_CT_H
#define FP_CT_H 1

/* The ct() action: its attributes parsed, and the packets handed to OVS's
 * connection tracker (lib/conntrack.h). */

#include "fp-dp-private.h"

struct nlattr;

void fp_ct_execute(struct fp_dp *, struct fp_thread *,
                   struct dp_packet_batch *, const struct nlattr *ct,
                   const struct fp_key_hint *);
void fp_ct_thread_uninit(struct fp_thread *);
bool fp_ct_action_is_valid(const struct nlattr *ct);

#endif /* fp-ct.h */

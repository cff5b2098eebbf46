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


#ifndef FASTPATHD_CT_H
#define FASTPATHD_CT_H 1

/* The channel's conntrack and fragment reassembly commands
 * (FP_CHAN_CT_*, FP_CHAN_IPF_*), carried out on the engine's connection
 * tracker (engine/fp-datapath.h, "Connection tracking"). */

#include <stdbool.h>

struct fp_chan_msg;
struct fp_dp;
struct ofpbuf;

bool fastpathd_ct_handle(const struct fp_chan_msg *, struct ofpbuf *reply);
void fastpathd_ct_end_dumps(const struct fp_dp *);

#endif /* fastpathd-ct.h */

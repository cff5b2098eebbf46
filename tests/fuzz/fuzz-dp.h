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

#ifndef FUZZ_DP_H
#define FUZZ_DP_H 1

/* A fastpath datapath for fuzz harnesses, in the harness's own process:
 * no ovs-vswitchd, no DPDK, no PMD thread.  Its ports are netdev-dummy
 * devices ("dummy" type, the local port too): port 1 "p1", the input, and
 * port 2 "p2", the output; port 3 is a VXLAN tunnel port, for tnl_pop.
 * The upcall callback answers every miss with output to port 2 and a
 * megaflow on the input port and Ethernet type. */

#include <stddef.h>
#include <stdint.h>

struct dp_packet;
struct fp_dp;
struct ofpbuf;

struct fp_dp *fuzz_dp_get(void);
void fuzz_dp_receive(struct fp_dp *, const uint8_t *data, size_t size);
void fuzz_dp_put(struct fp_dp *, const char *key_mask,
                 const struct ofpbuf *actions);
void fuzz_dp_put_string(struct fp_dp *, const char *key_mask,
                        const char *actions);
void fuzz_dp_reset(struct fp_dp *);

#endif /* fuzz-dp.h */

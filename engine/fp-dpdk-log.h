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

/* DPDK's log, which OVS's lib/dpdk.c sends to the vlog module "dpdk" (so
 * "ovs-appctl vlog/set dpdk:file:warn" and the like apply to it), with two
 * things of ours on top:
 *
 *   - What DPDK logs as a warning or an error while a thread of ours calls
 *     it can be caught, so that a refused device says in Interface:error
 *     what DPDK said rather than only an errno, and kept out of the log
 *     when the bridge tries again what failed already.
 *
 *   - The vhost library's connection chatter (some 30 INFO lines for each
 *     guest that connects) is left out unless the user asked DPDK for it
 *     with --log-level=lib.vhost.config:info in other_config:dpdk-extra. */

#ifndef FP_DPDK_LOG_H
#define FP_DPDK_LOG_H 1

#include <stdbool.h>

void fp_dpdk_log_init(void);

void fp_dpdk_log_catch_start(bool quiet);
char *fp_dpdk_log_catch_end(void);

#endif /* fp-dpdk-log.h */

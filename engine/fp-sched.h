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

#ifndef FP_SCHED_H
#define FP_SCHED_H 1

/* Scheduling: which PMD threads exist, which rx queues each one polls, and
 * when the devices of PMD ports get their pending configuration.
 *
 * fp_sched_reconfigure() is the one place where this changes.  While the
 * PMD set stays, it pauses only the ports whose devices need setting up:
 * the PMDs let go of their rx queues, every thread drops what it would send
 * to them ('paused' in struct fp_port), and the other ports forward on
 * while the devices are set up (a new mempool, a device start).  When the
 * PMD set changes, every device gets a new number of tx queues: all PMDs
 * pause, the set is replaced, the devices are set up, and the PMDs get new
 * poll lists.  A device is set up only when it has never been, failed, or
 * its netdev asks for it (netdev_is_reconf_required()): setting a device up
 * again when nothing changed can fail (net_pcap's infinite_rx queue) or
 * lose packets. */

#include <stdbool.h>
#include "fp-dp-private.h"

void fp_sched_reconfigure(struct fp_dp *dp) OVS_REQUIRES(dp->port_mutex);
bool fp_sched_reconf_required(const struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex);

#endif /* fp-sched.h */

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

#ifndef FP_UPCALL_H
#define FP_UPCALL_H 1

/* Asking ofproto-dpif about a miss, and installing the megaflow it answers
 * with.
 *
 * Three rules keep ofproto-dpif's view of the datapath (its ukeys, one per
 * flow it installed) and the table in step, whatever the traffic:
 *
 *   - Misses of one input port go up one at a time (fp_upcall_port_trylock()).
 *     Megaflows match the input port exactly, so only the threads that
 *     poll one port's rx queues can miss the same new megaflow at once.
 *     Were two of them to ask, each for a microflow of its own, ofproto-dpif
 *     would make a ukey for each and only the first could be installed: the
 *     other ukey would stay, flowless, until a purge, and its microflow
 *     would get "no install" answers from then on.
 *
 *   - Megaflows come from upcalls at most at twice 'flow-limit' a second,
 *     in bursts of a fifth of it (fp_upcall_gate_open()).  ofproto-dpif reads
 *     the datapath's flow count at most every 100 ms; without the gate, a
 *     flood installs thousands in that time, and past twice the limit its
 *     revalidators delete every megaflow, the established ones too.  While
 *     the table is at the limit and every count that ofproto-dpif read in
 *     the last 200 ms was too, it installs nothing: upcalls then go through
 *     a closed gate, and their answers ("no install") forward the packets.
 *     In the detached mode an upcall is charged as fastpathd takes it: its
 *     megaflow, if any, comes later, by a flow put from ovs-vswitchd.
 *
 *   - A flow deleted by dpctl/del-flows keeps its ukey in ofproto-dpif
 *     (OVS 3.1 drops such a ukey only on a purge), which then answers its
 *     next upcall "no install" (ENOSPC), packet after packet.  If the flow
 *     was flushed (engine/fp-flow-ops.c remembers for a minute) and the table
 *     holds fewer flows than the limit (so that the answer cannot be the
 *     limit's), the datapath installs the answer anyway, under the same
 *     ufid: the ukey has its flow back and revalidates it as before.
 *
 * A port's packets may miss before ofproto-dpif knows the port: the PMDs
 * poll it from the moment the datapath adds it, and ofproto-dpif learns of
 * it in its next run after the bridge's reconfiguration, milliseconds to
 * seconds later.  Its upcalls then fail with ENODEV.  For FP_PORT_NEW_MS
 * after the port came, fp_upcall_miss() says EBUSY instead for a packet as
 * the port received it (not recirculated: a decapsulated packet that no
 * tunnel port matches is ENODEV for good), and a PMD keeps the packet and
 * the rest in the port's queue (engine/fp-miss.h); only past that are they
 * dropped, as for a port that ofproto-dpif never knew (one added by
 * dpctl/add-if) or knows no more (one being removed). */

#include <stdbool.h>
#include <stdint.h>
#include "flow.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/types.h"

struct dp_packet;
struct fp_dp;
struct fp_port;
struct fp_thread;
struct smap;

/* ofproto-dpif's answer to one miss. */
struct fp_upcall {
    int error;                  /* 0: installed (or was there already);
                                 * ENOSPC: actions, but nothing installed;
                                 * EBUSY: ofproto-dpif does not know the
                                 * input port yet (fp_upcall_miss());
                                 * else failed, no actions. */
    struct ofpbuf actions;      /* What to do with the packet. */
    struct flow_wildcards wc;   /* The megaflow's mask, when 'error' is 0
                                 * or ENOSPC; it matches the input port and
                                 * recirculation id exactly. */
    bool slow;                  /* Slow path: 'actions' were for the asked
                                 * packet only, and the megaflow sends each
                                 * of its packets up. */
    uint64_t actions_stub[512 / 8];
};

/* How long a new port's misses may wait for ofproto-dpif to know it. */
enum { FP_PORT_NEW_MS = 10000 };

int fp_upcall_miss(struct fp_dp *, struct fp_thread *, struct dp_packet *,
                   const struct flow *, struct fp_upcall *);
void fp_upcall_uninit(struct fp_upcall *);

struct fp_port *fp_upcall_port_trylock(struct fp_dp *, odp_port_t in_port,
                                       bool *busy);
void fp_upcall_port_unlock(struct fp_port *);

bool fp_upcall_gate_open(const struct fp_dp *, long long int now);
void fp_upcall_gate_charge(struct fp_dp *, long long int now);
void fp_upcall_note_flow_count(struct fp_dp *, size_t n_flows,
                               long long int now);
void fp_upcall_set_flow_limit(struct fp_dp *, const struct smap *);

#endif /* fp-upcall.h */

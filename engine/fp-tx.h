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

#ifndef FP_TX_H
#define FP_TX_H 1

/* Output batching.  While a thread processes a received batch, the packets
 * that actions output are queued per port; fp_thread_flush() then sends
 * each port's queue with one call.
 *
 * A queue holds packets of one kind only: all mbufs, or all packets in
 * plain memory (clones that the action library made for an output that is
 * not the last action, packets from the controller).  Netdevs such as
 * OVS's "dpdk" type look at the first packet of a batch to decide how to
 * send all of it, so a packet of the other kind first sends what is
 * queued. */

#include "fp-dp-private.h"

struct fp_port;

/* Sends what 't' has queued, one call per port. */
void fp_thread_flush(struct fp_dp *, struct fp_thread *);
void fp_tx_queue(struct fp_dp *, struct fp_thread *, struct fp_port *,
                 struct dp_packet_batch *);

#endif /* fp-tx.h */

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
#ifndef FASTPATHD_UPCALL_H
#define FASTPATHD_UPCALL_H 1

/* A datapath's misses and userspace() actions in fastpathd, on their way
 * to the client.
 *
 * The engine calls fastpathd's upcall callback on a PMD thread, as it calls
 * ofproto-dpif's in the in-process mode.  Here the callback never waits for
 * anyone: it writes the upcall as the channel message it will travel as
 * (packet, ODP key and, for an action, its userdata) into the queue of the
 * packet's input port, and answers that the packet is taken.  The main
 * thread sends the queues out to the attached client, one upcall per port
 * in turn, so that a port whose every packet misses cannot hold back the
 * others, and only while the client reads and, once it has sent credit
 * (FP_CHAN_UPCALL_CREDIT), only as many as it has room for: what the
 * client has not taken
 * waits here, up to FASTPATHD_UPCALL_QUEUE_LEN per port, and what comes
 * past that is dropped and counted.  While no client is attached, or its
 * dpif has not asked for upcalls yet, they wait the same way: a client
 * that comes back answers them late, not never. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fp_dp;
struct ofpbuf;

enum { FASTPATHD_UPCALL_QUEUE_LEN = 256 };

struct fastpathd_upcalls *fastpathd_upcalls_create(struct fp_dp *);
void fastpathd_upcalls_destroy(struct fastpathd_upcalls *);
void fastpathd_upcalls_set_enabled(struct fastpathd_upcalls *, bool);
void fastpathd_upcalls_add_credit(struct fastpathd_upcalls *, uint32_t);
size_t fastpathd_upcalls_send(struct fastpathd_upcalls *, struct ofpbuf *tx,
                              size_t max_size);
void fastpathd_upcalls_wait(struct fastpathd_upcalls *);
void fastpathd_upcalls_get_stats(const struct fastpathd_upcalls *,
                                 uint64_t *queued, uint64_t *sent,
                                 uint64_t *dropped);

#endif /* fastpathd-upcall.h */

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

#ifndef FP_PORT_QUEUES_H
#define FP_PORT_QUEUES_H 1

/* Messages that wait, a bounded queue per input port, taken one port's
 * message at a time in turn: a port whose misses come by the thousand
 * delays another port's next message by one, not by thousands.  Both ends
 * of the channel keep their upcalls so (fastpathd until it sends them,
 * ovs-vswitchd until its handlers take them).
 *
 * A port's queue exists while it holds a message, so ports that come and
 * go leave nothing behind.  Not thread-safe: the owner holds its lock. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"

struct ofpbuf;

struct fp_port_queues {
    struct hmap ports;          /* Of the ports' queues, by port number. */
    struct ovs_list turns;      /* The ports that hold messages, in turn. */
    size_t n;                   /* Messages of all ports. */
    size_t max_per_port;
};

void fp_port_queues_init(struct fp_port_queues *, size_t max_per_port);
void fp_port_queues_clear(struct fp_port_queues *);
void fp_port_queues_destroy(struct fp_port_queues *);

bool fp_port_queues_push(struct fp_port_queues *, uint32_t port_no,
                         struct ofpbuf *);
struct ofpbuf *fp_port_queues_pop(struct fp_port_queues *);
bool fp_port_queues_is_full(const struct fp_port_queues *, uint32_t port_no);

static inline bool
fp_port_queues_is_empty(const struct fp_port_queues *q)
{
    return !q->n;
}

#endif /* fp-port-queues.h */

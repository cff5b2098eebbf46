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
/* Per-port bounded message queues, taken in turn (engine/fp-port-queues.h).
 * The messages are ofpbufs linked through their own 'list_node'. */

#include <config.h>
#include "fp-port-queues.h"

#include "hash.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* The messages of one input port. */
struct port_queue {
    struct hmap_node node;      /* In 'ports' of its fp_port_queues. */
    struct ovs_list turn_node;  /* In 'turns' of its fp_port_queues. */
    uint32_t port_no;
    struct ovs_list msgs;       /* Of struct ofpbuf, oldest first. */
    size_t n;
};

void
fp_port_queues_init(struct fp_port_queues *q, size_t max_per_port)
{
    ovs_assert(max_per_port > 0);   /* A made queue gets a message. */
    hmap_init(&q->ports);
    ovs_list_init(&q->turns);
    q->n = 0;
    q->max_per_port = max_per_port;
}

/* Frees every message that waits. */
void
fp_port_queues_clear(struct fp_port_queues *q)
{
    struct ofpbuf *msg;

    while ((msg = fp_port_queues_pop(q))) {
        ofpbuf_delete(msg);
    }
}

void
fp_port_queues_destroy(struct fp_port_queues *q)
{
    if (q) {
        fp_port_queues_clear(q);
        hmap_destroy(&q->ports);
    }
}

/* The queue of 'port_no', or NULL if it has none. */
static struct port_queue *
port_queue_find(const struct fp_port_queues *q, uint32_t port_no)
{
    struct port_queue *pq;

    HMAP_FOR_EACH_WITH_HASH (pq, node, hash_int(port_no, 0), &q->ports) {
        if (pq->port_no == port_no) {
            return pq;
        }
    }
    return NULL;
}

/* The queue of 'port_no', made if it has none. */
static struct port_queue *
port_queue_get(struct fp_port_queues *q, uint32_t port_no)
{
    struct port_queue *pq = port_queue_find(q, port_no);

    if (pq) {
        return pq;
    }
    pq = xmalloc(sizeof *pq);
    pq->port_no = port_no;
    ovs_list_init(&pq->msgs);
    pq->n = 0;
    hmap_insert(&q->ports, &pq->node, hash_int(port_no, 0));
    ovs_list_push_back(&q->turns, &pq->turn_node);
    return pq;
}

/* Queues 'msg' behind the earlier messages of 'port_no' and takes it over.
 * Returns false, and leaves 'msg' to the caller, if that port's queue is
 * full. */
bool
fp_port_queues_push(struct fp_port_queues *q, uint32_t port_no,
                    struct ofpbuf *msg)
{
    struct port_queue *pq = port_queue_get(q, port_no);

    if (pq->n >= q->max_per_port) {
        return false;
    }
    ovs_list_push_back(&pq->msgs, &msg->list_node);
    pq->n++;
    q->n++;
    return true;
}

/* Takes the oldest message of the port whose turn it is, and gives the
 * turn to the next port.  Returns NULL if none waits; the caller frees the
 * message with ofpbuf_delete(). */
struct ofpbuf *
fp_port_queues_pop(struct fp_port_queues *q)
{
    struct port_queue *pq;
    struct ofpbuf *msg;

    if (ovs_list_is_empty(&q->turns)) {
        return NULL;
    }
    pq = CONTAINER_OF(ovs_list_pop_front(&q->turns), struct port_queue,
                      turn_node);
    msg = CONTAINER_OF(ovs_list_pop_front(&pq->msgs), struct ofpbuf,
                       list_node);
    q->n--;
    if (--pq->n) {
        ovs_list_push_back(&q->turns, &pq->turn_node);
    } else {
        hmap_remove(&q->ports, &pq->node);
        free(pq);
    }
    return msg;
}

/* Whether a message of 'port_no' would find its queue full. */
bool
fp_port_queues_is_full(const struct fp_port_queues *q, uint32_t port_no)
{
    const struct port_queue *pq = port_queue_find(q, port_no);

    return pq && pq->n >= q->max_per_port;
}

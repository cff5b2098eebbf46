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

#ifndef FP_THREAD_H
#define FP_THREAD_H 1

/* The state of one polling thread (a PMD, or the main thread for the ports
 * without PMD support): its counters, caches, miss queues and the output
 * it has pending.  Only its own thread writes it. */

#include <stdint.h>
#include "cmap.h"
#include "dp-packet.h"
#include "fp-stats.h"
#include "openvswitch/types.h"

struct flow;
struct fp_ct_cache;
struct fp_emc;
struct fp_fastcache;
struct fp_misses;
struct fp_port;

/* Tx queues the datapath asks of a PMD-capable device: one per polling
 * thread, as far as the device allows.  Threads share queues (and the
 * device serialises them) when it has fewer. */
enum { FP_MAX_TXQS = 64 };

/* Packets waiting to be sent on one port by one thread. */
struct fp_tx_pending {
    struct fp_port *port;
    struct dp_packet_batch batch;
};

/* Ports one thread may have packets pending for at once. */
enum { FP_MAX_TX_PENDING = 16 };

/* What actions need to know of the key of the packets they run on: all
 * packets of a batch given to fp_execute_actions() share it. */
struct fp_key_hint {
    ovs_be16 dl_type;           /* Ethernet type. */
    ovs_be16 tp_src, tp_dst;    /* Transport ports, for conntrack helpers. */
};

/* Per polling thread state.  Only its own thread writes it. */
struct fp_thread {
    unsigned id;                /* PMD id given to upcalls. */
    int txq_id;                 /* Tx queue this thread sends on. */
    struct fp_stats stats;
    struct fp_emc *emc;         /* Exact-match cache. */
    struct fp_fastcache *fastcache; /* The same, for fast keys. */
    struct flow *fast_flow;     /* Zero but for a fast key's fields. */
    int flow_shard;             /* Of flow statistics (fp-flow-table.h). */
    struct fp_ct_cache *ct_cache;   /* Of engine/fp-ct.c, or NULL. */
    struct fp_misses *misses;   /* A PMD's (engine/fp-miss.h), else NULL. */

    /* The port that the last output went to, valid until the end of the
     * batch (fp_thread_flush()): RCU keeps it until the thread quiesces. */
    odp_port_t out_port_no;
    struct fp_port *out_port;
    struct cmap bond_stats;     /* Bytes sent per bond bucket, "struct
                                 * fp_bond_stats"s (engine/fp-bond.h). */
    long long int now;          /* Current time, in msec. */
    int recirc_depth;           /* Nesting of fp_input_recirc(). */

    /* Output batching: packets are queued per port while a batch is
     * processed, then sent with one call per port by fp_thread_flush(). */
    struct fp_tx_pending tx[FP_MAX_TX_PENDING];
    int n_tx;
};

/* Polling threads' state (engine/fp-datapath.c). */
void fp_thread_init(struct fp_thread *, unsigned id, int txq_id);
void fp_thread_uninit(struct fp_thread *);

#endif /* fp-thread.h */

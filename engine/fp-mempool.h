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

#ifndef FP_MEMPOOL_H
#define FP_MEMPOOL_H 1

/* Mempools of mbufs, shared by the ports of one NUMA socket and one MTU,
 * whatever their type (DPDK ethdev, vhost-user).
 *
 * A port takes a mempool with fp_mempool_get() when it configures its
 * device and gives it back with fp_mempool_put().  A mempool that no port
 * uses any more may still have mbufs out (in a device's tx ring, in a
 * batch of a polling thread, in another port's queue): it is retired, and
 * fp_mempool_run() frees it once every mbuf is back.
 *
 * Every function here takes the module's own mutex; callers may hold
 * their own locks, which come first in the order. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/list.h"
#include "ovs-atomic.h"

struct rte_mempool;

struct fp_mempool {
    struct ovs_list node;       /* In the list of used or retired pools. */
    struct rte_mempool *mp;
    int socket_id;
    int mtu;
    int n_users;                /* Ports that use it; 0 once retired. */
    atomic_uint64_t n_copies;   /* Packets copied into its mbufs to be
                                 * sent. */
    long long int full_since;   /* Retired: when a sweep first found all
                                 * its mbufs back (msec), or 0. */
};

/* Bytes a frame takes beyond its MTU in an rx buffer: Ethernet header, two
 * VLAN tags (QinQ) and the CRC that some devices store. */
enum { FP_FRAME_OVERHEAD = 14 + 2 * 4 + 4 };

struct ds;

unsigned fp_mempool_port_mbufs(int n_rxq, int n_txq, int rxq_desc,
                               int txq_desc);
void fp_mempool_show(struct ds *);
struct fp_mempool *fp_mempool_get(const char *port, int socket_id, int mtu,
                                  unsigned n_mbufs);
void fp_mempool_put(struct fp_mempool *);
void fp_mempool_set_config(const char *fastpath_mempool_mbufs);
void fp_mempool_count_copies(struct fp_mempool *, unsigned n);

void fp_mempool_run(void);
void fp_mempool_wait(void);

#endif /* fp-mempool.h */

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

#ifndef FP_PORT_H
#define FP_PORT_H 1

/* A port of a datapath, and adding, removing and finding ports
 * (engine/fp-port.c). */

#include <stdbool.h>
#include "fp-dp-private.h"
#include "openvswitch/hmap.h"
#include "ovs-atomic.h"

struct netdev;
struct netdev_rxq;
struct netdev_saved_flags;

/* A port of the datapath. */
struct fp_port {
    struct hmap_node node;      /* In 'fp_dp.ports', by 'port_no'. */
    struct cmap_node cnode;     /* In 'fp_dp.ports_rcu', by 'port_no'. */
    odp_port_t port_no;
    char *name;                 /* Datapath port name, e.g. "vxlan_sys_4789"
                                 * for a tunnel, else the netdev's name. */
    char *type;                 /* Its netdev's type, e.g. "tap". */
    struct netdev *netdev;
    struct netdev_saved_flags *sf;
    struct netdev_rxq **rxqs;
    int n_rxq;
    int n_txq;
    bool is_pmd;                /* Polled by PMD threads. */
    bool configured;            /* A PMD port whose device has been set up
                                 * by reconfigure(). */
    int error;                  /* Why the last set-up failed, or 0. */
    atomic_bool upcall_busy;    /* A thread sends up a miss of this port
                                 * (engine/fp-upcall.h). */
    atomic_bool paused;         /* A PMD port whose device is being set up
                                 * or could not be: no thread polls it or
                                 * sends to it (engine/fp-sched.h). */
    long long int added;        /* When it was added (msec). */
};

struct fp_port *fp_dp_port_find(const struct fp_dp *dp, odp_port_t)
    OVS_REQUIRES(dp->port_mutex);
struct fp_port *fp_dp_port_find_by_name(const struct fp_dp *dp, const char *)
    OVS_REQUIRES(dp->port_mutex);
struct fp_port *fp_dp_port_lookup_rcu(const struct fp_dp *, odp_port_t);
struct fp_port **fp_dp_sorted_ports(const struct fp_dp *dp, size_t *n)
    OVS_REQUIRES(dp->port_mutex);
int fp_port_add(struct fp_dp *dp, struct netdev *, odp_port_t)
    OVS_REQUIRES(dp->port_mutex);
void fp_port_del(struct fp_dp *dp, struct fp_port *)
    OVS_REQUIRES(dp->port_mutex);
void fp_port_remove_failed(struct fp_dp *dp) OVS_REQUIRES(dp->port_mutex);
int fp_port_open_rxqs(struct fp_dp *, struct fp_port *);
void fp_port_close_rxqs(struct fp_port *);
void fp_port_free(struct fp_port *);

#endif /* fp-port.h */

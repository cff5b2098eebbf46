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

/* Which PMD threads run, what each polls, and when devices are
 * set up: see engine/fp-sched.h. */

#include <config.h>
#include "fp-sched.h"

#include <errno.h>
#include "fp-pmd.h"
#include "fp-port.h"
#include "netdev.h"
#include "openvswitch/vlog.h"
#include "ovs-numa.h"
#include "ovs-rcu.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_sched);

static struct ovs_numa_dump *wanted_cores(const struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex);
static struct fp_pmd_set *update_pmd_set(struct fp_dp *dp,
                                         struct ovs_numa_dump *cores)
    OVS_REQUIRES(dp->port_mutex);
static void setup_devices(struct fp_dp *dp) OVS_REQUIRES(dp->port_mutex);
static void assign_rxqs(struct fp_dp *dp, const struct fp_pmd_set *)
    OVS_REQUIRES(dp->port_mutex);
static void unpoll_paused_ports(const struct fp_pmd_set *);

static bool
port_is_paused(const struct fp_port *port)
{
    bool paused;

    atomic_read_relaxed(&CONST_CAST(struct fp_port *, port)->paused,
                        &paused);
    return paused;
}

/* Whether 'set' runs exactly on 'cores' (NULL for none). */
static bool
pmd_set_matches(const struct fp_pmd_set *set,
                const struct ovs_numa_dump *cores)
{
    if (!cores || set->n != ovs_numa_dump_count(cores)) {
        return !cores && !set->n;
    }
    for (size_t i = 0; i < set->n; i++) {
        if (!ovs_numa_dump_contains_core(cores, set->pmds[i]->numa_id,
                                         set->pmds[i]->core_id)) {
            return false;
        }
    }
    return true;
}

/* Marks each PMD port whose device must be set up (never was, failed, or
 * asks for it) as paused: no thread polls or sends to it until it is set
 * up.  Returns how many there are. */
static size_t
pause_changing_ports(struct fp_dp *dp, int n_tx_threads)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;
    size_t n = 0;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (!port->is_pmd) {
            continue;
        }
        /* Asks for nothing when the count is the one the device has. */
        netdev_set_tx_multiq(port->netdev, n_tx_threads);
        if (!port->configured || netdev_is_reconf_required(port->netdev)) {
            atomic_store(&port->paused, true);
            n++;
        }
    }
    return n;
}

/* Brings the PMD threads in line with pmd-cpu-mask and the ports, gives
 * pending configuration to the devices of PMD ports and spreads their rx
 * queues over the PMDs.  A port whose device cannot be set up keeps
 * 'error' set, no rx queue and 'paused'; the caller decides what becomes
 * of it. */
void
fp_sched_reconfigure(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    struct ovs_numa_dump *cores = wanted_cores(dp);

    if (pmd_set_matches(set, cores)) {
        /* The same PMDs go on, and so does every port whose device stays
         * as it is: only the changing ones stop, while their devices are
         * set up (a new mempool can take a second). */
        ovs_numa_dump_destroy(cores);
        if (pause_changing_ports(dp, set->n + 1)) {
            unpoll_paused_ports(set);
            /* Every PMD has acknowledged a new list, so none sends to a
             * paused port any more; the main thread's context (also used
             * by PMDs in upcalls) is done with them once it lets go of
             * this. */
            ovs_mutex_lock(&dp->non_pmd_mutex);
            ovs_mutex_unlock(&dp->non_pmd_mutex);
            setup_devices(dp);
        }
        assign_rxqs(dp, set);
        return;
    }

    /* The PMDs change, and with them the number of tx queues of every
     * device.  Nothing polls a PMD port from here on... */
    for (size_t i = 0; i < set->n; i++) {
        fp_pmd_set_rxqs(set->pmds[i], NULL, 0, set->pmds[i]->ctx.txq_id);
    }
    for (size_t i = 0; i < set->n; i++) {
        fp_pmd_wait_reload(set->pmds[i]);
    }

    set = update_pmd_set(dp, cores);

    /* ...and with the main thread's packet path held off, nothing sends to
     * one either: their devices can change. */
    ovs_mutex_lock(&dp->non_pmd_mutex);
    atomic_store_relaxed(&dp->n_tx_threads, (int) set->n + 1);
    dp->non_pmd.txq_id = set->n;
    pause_changing_ports(dp, set->n + 1);
    setup_devices(dp);
    ovs_mutex_unlock(&dp->non_pmd_mutex);

    assign_rxqs(dp, set);
}

/* Whether a PMD port's device asks to be set up again. */
bool
fp_sched_reconf_required(const struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    const struct fp_port *port;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (port->is_pmd && netdev_is_reconf_required(port->netdev)) {
            return true;
        }
    }
    return false;
}

/* The cores that PMD threads should run on, or NULL for none: none while
 * the datapath has no PMD port. */
static struct ovs_numa_dump *
wanted_cores(const struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    const struct fp_port *port;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (port->is_pmd) {
            if (dp->pmd_cmask && dp->pmd_cmask[0]) {
                return ovs_numa_dump_cores_with_cmask(dp->pmd_cmask);
            }
            /* Without a mask, as OVS does: the first core of each NUMA
             * node. */
            return ovs_numa_dump_n_cores_per_numa(1);
        }
    }
    return NULL;
}

static int
compare_pmds(const void *a_, const void *b_)
{
    const struct fp_pmd *const *a = a_;
    const struct fp_pmd *const *b = b_;

    return (*a)->core_id < (*b)->core_id ? -1 : (*a)->core_id > (*b)->core_id;
}

/* Adds the counters of 'stats' to those of 'retired'. */
static void
retire_stats(struct fp_stats *retired, const struct fp_stats *stats)
{
    uint64_t values[FP_N_STATS];

    fp_stats_read(stats, values);
    for (int i = 0; i < FP_N_STATS; i++) {
        fp_stats_add(retired, i, values[i]);
    }
}

/* Publishes the set of PMDs on 'cores' (which it frees), keeping the PMDs
 * that run there already, and stops the others.  Returns the new set. */
static struct fp_pmd_set *
update_pmd_set(struct fp_dp *dp, struct ovs_numa_dump *cores)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_pmd_set *old = CONST_CAST(struct fp_pmd_set *,
                                        fp_dp_pmds(dp));
    size_t n_cores = cores ? ovs_numa_dump_count(cores) : 0;
    struct fp_pmd_set *set;

    set = xmalloc(sizeof *set + (old->n + n_cores) * sizeof set->pmds[0]);
    set->n = 0;
    for (size_t i = 0; i < old->n; i++) {
        struct fp_pmd *pmd = old->pmds[i];

        if (cores && ovs_numa_dump_contains_core(cores, pmd->numa_id,
                                                 pmd->core_id)) {
            set->pmds[set->n++] = pmd;
        }
    }
    if (cores) {
        const struct ovs_numa_info_core *core;

        FOR_EACH_CORE_ON_DUMP (core, cores) {
            bool running = false;

            for (size_t i = 0; i < set->n; i++) {
                running |= set->pmds[i]->core_id == core->core_id;
            }
            if (!running) {
                VLOG_INFO("%s: creating PMD thread on core %u (NUMA node "
                          "%d)", dp->name, core->core_id, core->numa_id);
                set->pmds[set->n++] = fp_pmd_create(dp, core->core_id,
                                                    core->numa_id, 0);
            }
        }
        ovs_numa_dump_destroy(cores);
    }
    qsort(set->pmds, set->n, sizeof set->pmds[0], compare_pmds);

    /* The PMDs that leave stop first, and their final counters go into the
     * new set's 'retired' before it is published: a reader of either set
     * counts each PMD once. */
    size_t n_gone = 0;
    struct fp_pmd **gone = xmalloc((old->n + 1) * sizeof *gone);

    fp_stats_copy(&set->retired, &old->retired);
    for (size_t i = 0; i < old->n; i++) {
        struct fp_pmd *pmd = old->pmds[i];
        bool kept = false;

        for (size_t j = 0; j < set->n; j++) {
            kept |= set->pmds[j] == pmd;
        }
        if (!kept) {
            VLOG_INFO("%s: removing PMD thread on core %u", dp->name,
                      pmd->core_id);
            fp_pmd_stop(pmd);
            retire_stats(&set->retired, &pmd->ctx.stats);
            gone[n_gone++] = pmd;
        }
    }
    ovsrcu_set(&dp->pmd_set, set);

    /* Readers may still see the old set: what leaves it is freed after a
     * grace period. */
    for (size_t i = 0; i < n_gone; i++) {
        fp_pmd_destroy(gone[i]);
    }
    free(gone);
    ovsrcu_postpone(free, old);
    return set;
}

/* Gives each paused port's device its pending configuration and opens its
 * rx queues; a port whose device took it goes on. */
static void
setup_devices(struct fp_dp *dp)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_port *port;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (!port->is_pmd || !port_is_paused(port)) {
            continue;
        }
        fp_port_close_rxqs(port);
        port->error = fp_port_open_rxqs(dp, port);
        port->configured = !port->error;
        if (port->configured) {
            atomic_store(&port->paused, false);
        }
    }
}

static bool
rxqs_have(const struct fp_pmd_rxq *list, size_t n,
          const struct netdev_rxq *rxq)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i].rxq == rxq) {
            return true;
        }
    }
    return false;
}

static bool
rxqs_equal(const struct fp_pmd_rxq *a, size_t n_a,
           const struct fp_pmd_rxq *b, size_t n_b)
{
    if (n_a != n_b) {
        return false;
    }
    for (size_t i = 0; i < n_a; i++) {
        if (a[i].port != b[i].port || a[i].rxq != b[i].rxq
            || a[i].qid != b[i].qid) {
            return false;
        }
    }
    return true;
}

/* Waits until each PMD of 'set' for which 'reloads' is true has taken the
 * list handed to it (a PMD that was handed none would not answer). */
static void
wait_reloads(const struct fp_pmd_set *set, const bool *reloads)
{
    for (size_t i = 0; i < set->n; i++) {
        if (reloads[i]) {
            fp_pmd_wait_reload(set->pmds[i]);
        }
    }
}

/* Takes the rx queues of paused ports out of the PMDs' poll lists, moving
 * no other queue, and waits until every PMD has taken its list: also those
 * that poll none of them, which may be sending to one.  A PMD acknowledges
 * between two turns of its loop, with nothing left to send, and reads
 * 'paused' before each send after that. */
static void
unpoll_paused_ports(const struct fp_pmd_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        size_t n_old, n = 0;
        int txq_id;
        struct fp_pmd_rxq *list = fp_pmd_get_rxqs(set->pmds[i], &n_old,
                                                  &txq_id);

        for (size_t j = 0; j < n_old; j++) {
            if (!port_is_paused(list[j].port)) {
                list[n++] = list[j];
            }
        }
        fp_pmd_set_rxqs(set->pmds[i], list, n, txq_id);
    }
    for (size_t i = 0; i < set->n; i++) {
        fp_pmd_wait_reload(set->pmds[i]);
    }
}

/* Gives the i'th PMD of 'set' the poll list 'lists[i]' of 'n_lists[i]'
 * (taking the lists) and waits until all have taken them.  No rx queue is
 * polled by two PMDs at once (a DPDK rx queue is one thread's): each PMD
 * first lets go of the queues that it loses, and only once all have do the
 * PMDs get the queues they gain.  A PMD whose list stays is not
 * reloaded. */
static void
hand_out_rxqs(const struct fp_pmd_set *set, struct fp_pmd_rxq **lists,
              size_t *n_lists)
{
    bool *same = xcalloc(set->n + 1, sizeof *same);
    bool *reloads = xcalloc(set->n + 1, sizeof *reloads);

    for (size_t i = 0; i < set->n; i++) {
        size_t n_old, n_kept = 0;
        int txq_id;
        struct fp_pmd_rxq *old = fp_pmd_get_rxqs(set->pmds[i], &n_old,
                                                 &txq_id);

        same[i] = (txq_id == (int) i
                   && rxqs_equal(old, n_old, lists[i], n_lists[i]));
        for (size_t j = 0; j < n_old; j++) {
            if (rxqs_have(lists[i], n_lists[i], old[j].rxq)) {
                old[n_kept++] = old[j];
            }
        }
        reloads[i] = n_kept < n_old;
        if (reloads[i]) {
            fp_pmd_set_rxqs(set->pmds[i], old, n_kept, txq_id);
        } else {
            free(old);
        }
    }
    wait_reloads(set, reloads);

    for (size_t i = 0; i < set->n; i++) {
        reloads[i] = !same[i];
        if (same[i]) {
            free(lists[i]);
        } else {
            fp_pmd_set_rxqs(set->pmds[i], lists[i], n_lists[i], i);
        }
    }
    wait_reloads(set, reloads);
    free(reloads);
    free(same);
}

/* Spreads the rx queues of PMD ports: each to the least loaded PMD of the
 * port's NUMA node, or of any node if that one has none, then hands every
 * PMD its list and waits until all have taken them. */
static void
assign_rxqs(struct fp_dp *dp, const struct fp_pmd_set *set)
    OVS_REQUIRES(dp->port_mutex)
{
    struct fp_pmd_rxq **lists = xcalloc(set->n + 1, sizeof *lists);
    size_t *n_lists = xcalloc(set->n + 1, sizeof *n_lists);
    size_t n_unpolled = 0, n_ports;
    struct fp_port **ports = fp_dp_sorted_ports(dp, &n_ports);

    for (size_t p = 0; p < n_ports; p++) {
        struct fp_port *port = ports[p];
        int numa_id;

        if (!port->is_pmd || port_is_paused(port)) {
            continue;
        }
        numa_id = netdev_get_numa_id(port->netdev);
        for (int q = 0; q < port->n_rxq; q++) {
            size_t best = SIZE_MAX;

            for (int pass = 0; pass < 2 && best == SIZE_MAX; pass++) {
                for (size_t i = 0; i < set->n; i++) {
                    if (pass == 0 && numa_id != OVS_NUMA_UNSPEC
                        && set->pmds[i]->numa_id != numa_id) {
                        continue;
                    }
                    if (best == SIZE_MAX || n_lists[i] < n_lists[best]) {
                        best = i;
                    }
                }
            }
            if (best == SIZE_MAX) {
                n_unpolled++;
                continue;
            }
            lists[best] = xrealloc(lists[best],
                                   (n_lists[best] + 1) * sizeof *lists[best]);
            lists[best][n_lists[best]++] = (struct fp_pmd_rxq) {
                .port = port,
                .rxq = port->rxqs[q],
                .qid = q,
            };
        }
    }
    if (n_unpolled) {
        VLOG_WARN("%s: no PMD thread to poll %"PRIuSIZE" rx queue(s): check "
                  "other_config:pmd-cpu-mask", dp->name, n_unpolled);
    }

    hand_out_rxqs(set, lists, n_lists);
    free(lists);
    free(n_lists);
    free(ports);
}

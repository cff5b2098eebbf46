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

/* The PMD threads: their loop and the reload handshake: see
 * engine/fp-pmd.h. */

#include <config.h>
#include "fp-pmd.h"

#include <errno.h>
#include <rte_cycles.h>
#include "coverage.h"
#include "dpdk.h"
#include "netdev.h"
#include "openvswitch/vlog.h"
#include "ovs-numa.h"
#include "ovs-rcu.h"
#include "timeval.h"
#include "util.h"
#include "fp-input.h"
#include "fp-port.h"

VLOG_DEFINE_THIS_MODULE(fp_pmd);

COVERAGE_DEFINE(fp_pmd_rx_error);

/* A PMD quiesces (RCU) every FP_PMD_QUIESCE_TURNS turns of its loop, and
 * at least every FP_PMD_QUIESCE_MS: ofproto-dpif's main thread waits for
 * every thread to quiesce whenever it commits a new translation
 * configuration (a port, an MTU, a flow table change), and so does a
 * reconfiguration of the datapath, while the ports wait to be polled. */
enum {
    FP_PMD_QUIESCE_TURNS = 1024,
    FP_PMD_QUIESCE_MS = 10,
};

static void *pmd_main(void *);

struct fp_pmd *
fp_pmd_create(struct fp_dp *dp, unsigned core_id, int numa_id, int txq_id)
{
    struct fp_pmd *pmd = xzalloc_cacheline(sizeof *pmd);

    pmd->dp = dp;
    pmd->core_id = core_id;
    pmd->numa_id = numa_id;
    fp_thread_init(&pmd->ctx, core_id, txq_id);
    fp_misses_init(&pmd->misses);
    pmd->ctx.misses = &pmd->misses;
    ovs_mutex_init(&pmd->mutex);
    xpthread_cond_init(&pmd->cond, NULL);
    pmd->next_txq_id = txq_id;
    atomic_init(&pmd->reload, false);
    atomic_init(&pmd->exit, false);
    pmd->thread = ovs_thread_create("fp_pmd", pmd_main, pmd);
    return pmd;
}

static void
pmd_free(struct fp_pmd *pmd)
{
    free(pmd->next);
    free(pmd->shown);
    xpthread_cond_destroy(&pmd->cond);
    ovs_mutex_destroy(&pmd->mutex);
    fp_thread_uninit(&pmd->ctx);
    free_cacheline(pmd);
}

/* Stops the PMD thread.  Its object stays, and readers under RCU may go
 * on reading it (its final counters) until fp_pmd_destroy(). */
void
fp_pmd_stop(struct fp_pmd *pmd)
{
    atomic_store(&pmd->exit, true);
    fp_pmd_set_rxqs(pmd, NULL, 0, pmd->ctx.txq_id);
    xpthread_join(pmd->thread, NULL);
}

/* Frees 'pmd', stopped by fp_pmd_stop(), once readers under RCU are done
 * with it.  The caller has removed it from its datapath's PMD set.
 * Accepts NULL. */
void
fp_pmd_destroy(struct fp_pmd *pmd)
{
    if (pmd) {
        ovsrcu_postpone(pmd_free, pmd);
    }
}

/* Hands 'pmd' a new poll list (it takes ownership of 'rxqs') and the tx
 * queue id to send on.  The PMD switches to them at its next reload
 * check; fp_pmd_wait_reload() waits for that. */
void
fp_pmd_set_rxqs(struct fp_pmd *pmd, struct fp_pmd_rxq *rxqs, size_t n,
                int txq_id)
{
    ovs_mutex_lock(&pmd->mutex);
    free(pmd->next);
    pmd->next = rxqs;
    pmd->n_next = n;
    pmd->next_txq_id = txq_id;
    pmd->acked = false;
    atomic_store(&pmd->reload, true);
    ovs_mutex_unlock(&pmd->mutex);
}

void
fp_pmd_wait_reload(struct fp_pmd *pmd)
{
    ovs_mutex_lock(&pmd->mutex);
    while (!pmd->acked) {
        ovs_mutex_cond_wait(&pmd->cond, &pmd->mutex);
    }
    ovs_mutex_unlock(&pmd->mutex);
}

/* Returns a copy (that the caller frees) of the poll list last handed to
 * 'pmd', which it polls once fp_pmd_wait_reload() has returned, and stores
 * its length in '*n' and the tx queue id that came with it in '*txq_id'. */
struct fp_pmd_rxq *
fp_pmd_get_rxqs(struct fp_pmd *pmd, size_t *n, int *txq_id)
{
    struct fp_pmd_rxq *rxqs;

    ovs_mutex_lock(&pmd->mutex);
    *n = pmd->n_next;
    *txq_id = pmd->next_txq_id;
    rxqs = pmd->n_next ? xmemdup(pmd->next, *n * sizeof *rxqs) : NULL;
    ovs_mutex_unlock(&pmd->mutex);
    return rxqs;
}

/* Returns, for each rx queue of the PMD's next poll list, its place in the
 * current one or SIZE_MAX: misses waiting for an rx queue that stays keep
 * waiting.  A port in both lists lived in between: one that is removed
 * leaves the lists, with this PMD's acknowledgement, before it is freed. */
static size_t *
pmd_rxqs_kept(const struct fp_pmd *pmd)
    OVS_REQUIRES(pmd->mutex)
{
    size_t *from = xmalloc((pmd->n_next + 1) * sizeof *from);

    for (size_t i = 0; i < pmd->n_next; i++) {
        from[i] = SIZE_MAX;
        for (size_t j = 0; j < pmd->n_polls; j++) {
            if (pmd->polls[j].rxq == pmd->next[i].rxq) {
                from[i] = j;
                break;
            }
        }
    }
    return from;
}

/* Takes the poll list that the main thread handed over.  Returns true if
 * the thread must exit. */
static bool
pmd_reload(struct fp_pmd *pmd)
{
    size_t *from;
    bool exit;

    ovs_mutex_lock(&pmd->mutex);
    from = pmd_rxqs_kept(pmd);
    free(pmd->polls);
    pmd->n_polls = pmd->n_next;
    pmd->polls = pmd->n_next
                 ? xmemdup(pmd->next, pmd->n_next * sizeof *pmd->next)
                 : NULL;
    free(pmd->shown);
    pmd->shown = pmd->n_next
                 ? xmemdup(pmd->next, pmd->n_next * sizeof *pmd->next)
                 : NULL;
    pmd->n_shown = pmd->n_next;
    pmd->ctx.txq_id = pmd->next_txq_id;
    fp_misses_set_n(&pmd->misses, &pmd->ctx, pmd->n_polls, from);
    free(from);
    atomic_store(&pmd->reload, false);
    atomic_read(&pmd->exit, &exit);
    pmd->acked = true;
    xpthread_cond_signal(&pmd->cond);
    ovs_mutex_unlock(&pmd->mutex);
    return exit;
}

/* Polls 'q', the 'idx'th rx queue of the poll list. */
static int
pmd_poll_rxq(struct fp_pmd *pmd, struct fp_pmd_rxq *q, size_t idx)
{
    struct fp_miss_queue *mq = &pmd->misses.queues[idx];
    struct dp_packet_batch batch;
    int error;

    if (fp_miss_queue_skip(&pmd->misses, &pmd->ctx, mq)) {
        return 0;
    }
    if (OVS_UNLIKELY(mq->n)) {
        fp_miss_queue_refresh(&pmd->misses, pmd->dp, &pmd->ctx, mq);
    }
    dp_packet_batch_init(&batch);
    error = netdev_rxq_recv(q->rxq, &batch, NULL);
    if (!error) {
        int n = dp_packet_batch_size(&batch);
        int n_missed;

        pmd->misses.cur = mq;
        n_missed = fp_input_batch(pmd->dp, &pmd->ctx, &batch,
                                  q->port->port_no);
        pmd->misses.cur = NULL;
        fp_miss_queue_polled(&pmd->misses, mq, n, n_missed);
        return n;
    }
    if (error != EAGAIN && error != EOPNOTSUPP) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        COVERAGE_INC(fp_pmd_rx_error);
        VLOG_ERR_RL(&rl, "core %u: %s: rx error (%s)", pmd->core_id,
                    netdev_get_name(q->port->netdev), ovs_strerror(error));
    }
    return 0;
}

static void *
pmd_main(void *pmd_)
{
    struct fp_pmd *pmd = pmd_;
    struct fp_thread *t = &pmd->ctx;
    uint64_t quiesce_tsc = fp_tsc_hz() / 1000 * FP_PMD_QUIESCE_MS;
    uint64_t next_quiesce = rte_rdtsc() + quiesce_tsc;
    bool dpdk_attached = false;
    unsigned int turns = 0;

    ovs_numa_thread_setaffinity_core(pmd->core_id);
    if (dpdk_available()) {
        /* A DPDK lcore id gives the thread mempool caches. */
        dpdk_attached = dpdk_attach_thread(pmd->core_id);
    }
    VLOG_INFO("PMD thread on core %u (NUMA node %d) started",
              pmd->core_id, pmd->numa_id);

    for (;;) {
        uint64_t start = rte_rdtsc(), end;
        int n_rx = 0;
        bool reload;

        t->now = time_msec();
        for (size_t i = 0; i < pmd->n_polls; i++) {
            n_rx += pmd_poll_rxq(pmd, &pmd->polls[i], i);
        }
        n_rx += fp_misses_run(&pmd->misses, pmd->dp, t);
        end = rte_rdtsc();
        fp_stats_add(&t->stats,
                     n_rx ? FP_STAT_BUSY_CYCLES : FP_STAT_IDLE_CYCLES,
                     end - start);

        /* One turn of the loop takes at most FP_MISS_ROUND_US of upcalls
         * and a round of polls, but turns of upcalls are long: the clock
         * says when to quiesce too. */
        if (++turns >= FP_PMD_QUIESCE_TURNS || end >= next_quiesce) {
            turns = 0;
            ovsrcu_quiesce();
            /* Hands this thread's coverage counts to coverage/show. */
            coverage_try_clear();
            next_quiesce = rte_rdtsc() + quiesce_tsc;
        }
        atomic_read_relaxed(&pmd->reload, &reload);
        if (OVS_UNLIKELY(reload)) {
            ovsrcu_quiesce();
            if (pmd_reload(pmd)) {
                break;
            }
        }
    }

    free(pmd->polls);
    pmd->polls = NULL;
    pmd->n_polls = 0;
    fp_misses_destroy(&pmd->misses, t);
    if (dpdk_attached) {
        dpdk_detach_thread();
    }
    VLOG_INFO("PMD thread on core %u stopped", pmd->core_id);
    return NULL;
}

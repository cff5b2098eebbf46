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

/* The mbuf mempools that ports share per NUMA socket and MTU: see
 * engine/fp-mempool.h. */

#include <config.h>
#include "fp-mempool.h"
#include "fp-miss.h"

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dp-packet.h"
#include "netdev-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "timeval.h"
#include "fp-unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_mempool);

static struct ovs_mutex mp_mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_list mempools OVS_GUARDED_BY(mp_mutex)
    = OVS_LIST_INITIALIZER(&mempools);
/* Mempools that no port uses any more but that still have mbufs out:
 * freed once every mbuf is back. */
static struct ovs_list mempools_retired OVS_GUARDED_BY(mp_mutex)
    = OVS_LIST_INITIALIZER(&mempools_retired);

/* other_config:fastpath-mempool-mbufs: the size of new mempools, or 0 to
 * size them from the first port's need. */
static unsigned int configured_mbufs OVS_GUARDED_BY(mp_mutex);

static struct fp_mempool *mempool_get__(const char *port, int socket_id,
                                        int mtu, unsigned n_mbufs)
    OVS_REQUIRES(mp_mutex);
static void mempool_sweep(void) OVS_REQUIRES(mp_mutex);

/* How long a retired mempool must look full before it is freed, in msec. */
enum { FP_MEMPOOL_FULL_MS = 100 };

/* Mbufs that one port can hold at once, from its queue configuration:
 *
 *     n_rxq * rxq_desc             filled rx descriptors
 *   + n_txq * txq_desc             mbufs in tx rings, not yet completed
 *   + n_rxq * NETDEV_MAX_BURST     bursts that polling threads process
 *   + n_rxq * FP_MISS_QUEUE_LEN    misses waiting for an upcall
 *   + (n_rxq + 1) * 1.5 * cache    mempool caches of the threads that take
 *                                  mbufs from it (DPDK lets a per-thread
 *                                  cache grow to 1.5 times its size)
 *
 * A mempool is shared by the ports of a socket and MTU, and the mbufs that
 * one port receives sit in *other* ports' tx rings, so the pool gets twice
 * the first port's need, within [FP_MP_MIN_MBUFS, FP_MP_MAX_MBUFS]. */
enum {
    FP_MP_CACHE = 256,
    FP_MP_MIN_MBUFS = 4096,
    FP_MP_MAX_MBUFS = 65536,
    FP_MP_MAX_CONFIGURED = 16 * 1024 * 1024,
};

unsigned
fp_mempool_port_mbufs(int n_rxq, int n_txq, int rxq_desc, int txq_desc)
{
    return n_rxq * rxq_desc + n_txq * txq_desc
           + n_rxq * (NETDEV_MAX_BURST + FP_MISS_QUEUE_LEN)
           + (n_rxq + 1) * FP_MP_CACHE * 3 / 2;
}

/* Applies other_config:fastpath-mempool-mbufs, 'value' (NULL if unset): the
 * number of mbufs of each mempool created from now on, from
 * FP_MP_MIN_MBUFS to FP_MP_MAX_CONFIGURED.  Existing pools stay as they
 * are, but ports configured later only share one of at least that size. */
void
fp_mempool_set_config(const char *value)
{
    unsigned long long n = 0;

    if (value && (!str_to_ullong(value, 10, &n) || n < FP_MP_MIN_MBUFS
                  || n > FP_MP_MAX_CONFIGURED)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "other_config:fastpath-mempool-mbufs=%s is invalid:"
                     " it must be an integer from %d to %d; mempools are "
                     "sized automatically", value, FP_MP_MIN_MBUFS,
                     FP_MP_MAX_CONFIGURED);
        n = 0;
    }
    ovs_mutex_lock(&mp_mutex);
    if (n != configured_mbufs) {
        configured_mbufs = n;
        if (n) {
            VLOG_INFO("new mempools have %llu mbufs", n);
        } else {
            VLOG_INFO("new mempools are sized from the ports' queues");
        }
    }
    ovs_mutex_unlock(&mp_mutex);
}

/* Sets up each mbuf of a new mempool as a dp_packet whose data is DPDK's,
 * so that dp_packet_delete() gives it back to its mempool. */
static void
init_mbuf(struct rte_mempool *mp OVS_UNUSED, void *aux OVS_UNUSED,
          void *mbuf, unsigned idx OVS_UNUSED)
{
    dp_packet_init_dpdk(mbuf);
}

/* The mbuf's private area holds what 'struct dp_packet' has beyond its
 * 'struct rte_mbuf', rounded up so that every mbuf, and so every data
 * buffer that follows it, starts on a cache line: DPDK places the private
 * area right after the rte_mbuf and the data room right after that. */
#define FP_MBUF_PRIV_SIZE \
    ROUND_UP(sizeof(struct dp_packet) - sizeof(struct rte_mbuf), \
             RTE_CACHE_LINE_SIZE)
BUILD_ASSERT_DECL(FP_MBUF_PRIV_SIZE % RTE_MBUF_PRIV_ALIGN == 0);
BUILD_ASSERT_DECL(sizeof(struct rte_mbuf) % RTE_CACHE_LINE_SIZE == 0);
BUILD_ASSERT_DECL(RTE_PKTMBUF_HEADROOM % RTE_CACHE_LINE_SIZE == 0);

/* Data room of an mbuf for 'mtu': DPDK's headroom, then the longest frame
 * rounded up to 1 kB, the unit in which many NICs size rx buffers (a
 * buffer that is not a multiple of it is used as the multiple below, and a
 * full-size frame would then need two buffers). */
static uint16_t
mbuf_data_room(int mtu)
{
    return RTE_PKTMBUF_HEADROOM + ROUND_UP(mtu + FP_FRAME_OVERHEAD, 1024);
}

/* Returns a mempool for the ports of 'socket_id' with 'mtu', made for at
 * least 'n_mbufs' (see fp_mempool_port_mbufs()) if there is none yet, or
 * NULL if DPDK has no memory for one (logged, for port 'port'). */
struct fp_mempool *
fp_mempool_get(const char *port, int socket_id, int mtu, unsigned n_mbufs)
{
    struct fp_mempool *mp;

    fp_unixctl_register();
    ovs_mutex_lock(&mp_mutex);
    mp = mempool_get__(port, socket_id, mtu, n_mbufs);
    ovs_mutex_unlock(&mp_mutex);
    return mp;
}

static struct fp_mempool *
mempool_get__(const char *port, int socket_id, int mtu, unsigned n_mbufs)
    OVS_REQUIRES(mp_mutex)
{
    static unsigned int serial;
    struct fp_mempool *mp;

    /* A pool made before the configured size grew is not reused: the
     * ports that come after get a pool of the new size. */
    LIST_FOR_EACH (mp, node, &mempools) {
        if (mp->socket_id == socket_id && mp->mtu == mtu
            && mp->mp->size >= configured_mbufs) {
            mp->n_users++;
            return mp;
        }
    }
    LIST_FOR_EACH (mp, node, &mempools_retired) {
        if (mp->socket_id == socket_id && mp->mtu == mtu
            && mp->mp->size >= configured_mbufs) {
            ovs_list_remove(&mp->node);
            ovs_list_push_back(&mempools, &mp->node);
            mp->n_users = 1;
            return mp;
        }
    }

    n_mbufs = (configured_mbufs ? configured_mbufs
               : MIN(MAX(2 * n_mbufs, FP_MP_MIN_MBUFS), FP_MP_MAX_MBUFS));
    mp = xzalloc(sizeof *mp);
    atomic_init(&mp->n_copies, 0);
    mp->socket_id = socket_id;
    mp->mtu = mtu;
    /* Ask for less if memory is short, down to the minimum. */
    for (;;) {
        char mp_name[RTE_MEMPOOL_NAMESIZE];

        snprintf(mp_name, sizeof mp_name, "fp_mp%u_s%d_m%d",
                 serial++, socket_id, mtu);
        mp->mp = rte_pktmbuf_pool_create(mp_name, n_mbufs, FP_MP_CACHE,
                                         FP_MBUF_PRIV_SIZE,
                                         mbuf_data_room(mtu), socket_id);
        if (mp->mp) {
            VLOG_INFO("%s: created mempool %s of %u mbufs (MTU %d, socket "
                      "%d)", port, mp_name, n_mbufs, mtu, socket_id);
            break;
        }
        if (rte_errno != ENOMEM || n_mbufs / 2 < FP_MP_MIN_MBUFS) {
            VLOG_ERR("%s: cannot create a mempool of %u mbufs for MTU %d on "
                     "socket %d (%s)", port, n_mbufs, mtu, socket_id,
                     rte_strerror(rte_errno));
            free(mp);
            return NULL;
        }
        n_mbufs /= 2;
    }
    rte_mempool_obj_iter(mp->mp, init_mbuf, NULL);
    mp->n_users = 1;
    ovs_list_push_back(&mempools, &mp->node);
    return mp;
}

/* Drops a port's use of 'mp'.  Accepts NULL. */
void
fp_mempool_put(struct fp_mempool *mp)
{
    if (!mp) {
        return;
    }
    ovs_mutex_lock(&mp_mutex);
    if (!--mp->n_users) {
        ovs_list_remove(&mp->node);
        ovs_list_push_back(&mempools_retired, &mp->node);
        mp->full_since = 0;
    }
    mempool_sweep();
    ovs_mutex_unlock(&mp_mutex);
}

/* Counts 'n' packets copied into mbufs of 'mp' to be sent. */
void
fp_mempool_count_copies(struct fp_mempool *mp, unsigned n)
{
    uint64_t orig;

    atomic_add_relaxed(&mp->n_copies, n, &orig);
}

/* Frees retired mempools whose mbufs have all come back. */
void
fp_mempool_run(void)
{
    ovs_mutex_lock(&mp_mutex);
    mempool_sweep();
    ovs_mutex_unlock(&mp_mutex);
}

/* Wakes the poll loop in time to free retired mempools. */
void
fp_mempool_wait(void)
{
    bool retired;

    ovs_mutex_lock(&mp_mutex);
    retired = !ovs_list_is_empty(&mempools_retired);
    ovs_mutex_unlock(&mp_mutex);
    if (retired) {
        poll_timer_wait(100);
    }
}

static void
mempool_sweep(void)
    OVS_REQUIRES(mp_mutex)
{
    struct fp_mempool *mp;

    long long int now = time_msec();

    LIST_FOR_EACH_SAFE (mp, node, &mempools_retired) {
        /* With no port left to take mbufs from it, the pool's count can
         * only grow: once full, no mbuf of it is anywhere else.  But the
         * count sums the ring and the threads' caches without a lock, and
         * an mbuf that moves from a cache to the ring meanwhile is counted
         * twice: the pool must look full on two sweeps some time apart. */
        if (!rte_mempool_full(mp->mp)) {
            mp->full_since = 0;
        } else if (!mp->full_since) {
            mp->full_since = now;
        } else if (now - mp->full_since >= FP_MEMPOOL_FULL_MS) {
            VLOG_INFO("freed mempool %s", mp->mp->name);
            ovs_list_remove(&mp->node);
            rte_mempool_free(mp->mp);
            free(mp);
        }
    }
}

static void
mempool_format(struct ds *s, const struct fp_mempool *mp)
{
    uint64_t n_copies;

    atomic_read_relaxed(&CONST_CAST(struct fp_mempool *, mp)->n_copies,
                        &n_copies);
    ds_put_format(s, "%s: socket %d, MTU %d, %u mbufs, %u in use, "
                  "%d port(s), %"PRIu64" copies\n", mp->mp->name,
                  mp->socket_id, mp->mtu, mp->mp->size,
                  rte_mempool_in_use_count(mp->mp), mp->n_users, n_copies);
}

/* fastpath/mempool-show: every mempool, the retired ones last. */
void
fp_mempool_show(struct ds *s)
{
    struct fp_mempool *mp;

    ovs_mutex_lock(&mp_mutex);
    LIST_FOR_EACH (mp, node, &mempools) {
        mempool_format(s, mp);
    }
    LIST_FOR_EACH (mp, node, &mempools_retired) {
        ds_put_cstr(s, "retired ");
        mempool_format(s, mp);
    }
    ovs_mutex_unlock(&mp_mutex);
}

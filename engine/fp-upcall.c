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

/* One miss sent up to ofproto-dpif and its answer installed, with the
 * three rules of engine/fp-upcall.h: one upcall at a time per input port,
 * megaflows no faster than the flow limit, and flushed flows reinstalled
 * under their old ufid. */

#include <config.h>
#include "fp-upcall.h"

#include <errno.h>
#include "coverage.h"
#include "dp-packet.h"
#include "fp-dp-private.h"
#include "fp-port.h"
#include "fp-flow-ops.h"
#include "odp-util.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_upcall);

COVERAGE_DEFINE(fp_upcall_error);
COVERAGE_DEFINE(fp_upcall_disabled);
COVERAGE_DEFINE(fp_upcall_reinstalled);
COVERAGE_DEFINE(fp_upcall_install_exists);
COVERAGE_DEFINE(fp_upcall_taken);
COVERAGE_DEFINE(fp_upcall_port_new);

/* ofproto-dpif's default flow limit (OFPROTO_FLOW_LIMIT_DEFAULT). */
enum { FP_FLOW_LIMIT_DEFAULT = 200000 };

static bool below_flow_limit(const struct fp_dp *);
static int install_answer(struct fp_dp *, const struct flow *,
                          const struct flow_wildcards *, const ovs_u128 *ufid,
                          const struct ofpbuf *actions);

/* Asks ofproto-dpif what to do with 'packet', whose key is 'flow', and
 * installs the megaflow it answers with.  Fills 'up' with the answer,
 * which the caller executes on 'packet' (still the caller's) and then
 * frees with fp_upcall_uninit().  Returns 'up->error'.
 *
 * The dpif's upcall_callback contract dictates the steps: the ufid is the
 * hash of the unmasked key, ENOSPC means "actions, but no flow", and the
 * flow to install carries 'put_actions' when ofproto-dpif gives them. */
static void charge_taken(struct fp_dp *, long long int now);
static bool port_is_new(const struct fp_dp *, const struct flow *,
                        long long int now);

int
fp_upcall_miss(struct fp_dp *dp, struct fp_thread *t,
               struct dp_packet *packet, const struct flow *flow,
               struct fp_upcall *up)
{
    uint64_t put_actions_stub[512 / 8];
    struct ofpbuf put_actions;
    ovs_u128 ufid;
    int error;

    ofpbuf_use_stub(&up->actions, up->actions_stub, sizeof up->actions_stub);
    flow_wildcards_init_catchall(&up->wc);
    up->slow = false;
    if (fat_rwlock_tryrdlock(&dp->upcall_rwlock)) {
        COVERAGE_INC(fp_upcall_disabled);
        fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        return up->error = ENOTCONN;
    }

    ofpbuf_use_stub(&put_actions, put_actions_stub, sizeof put_actions_stub);
    odp_flow_key_hash(flow, sizeof *flow, &ufid);
    fp_stats_add(&t->stats, FP_STAT_UPCALL, 1);
    error = dp->upcall_cb(packet, flow, &ufid, PMD_ID_NULL, DPIF_UC_MISS, NULL,
                          &up->actions, &up->wc, &put_actions,
                          dp->upcall_aux);
    fat_rwlock_unlock(&dp->upcall_rwlock);

    if (error == EAGAIN || error == ENOBUFS) {
        /* The callback took a copy to answer later (fastpathd's), or had
         * no room left to (which it counts and shows itself). */
        if (error == EAGAIN) {
            COVERAGE_INC(fp_upcall_taken);
            charge_taken(dp, t->now);
        } else {
            fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        }
        ofpbuf_uninit(&put_actions);
        return up->error = error;
    }
    if (error && error != ENOSPC) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        if (error == ENODEV && !t->recirc_depth
            && port_is_new(dp, flow, t->now)) {
            COVERAGE_INC(fp_upcall_port_new);
            ofpbuf_uninit(&put_actions);
            return up->error = EBUSY;
        }
        COVERAGE_INC(fp_upcall_error);
        if (error == ENODEV) {
            /* A port that ofproto-dpif does not know any more (being
             * removed) or never knew (dpctl/add-if), or a decapsulated
             * packet that no tunnel port matches: nothing is wrong. */
            VLOG_DBG_RL(&rl, "%s: upcall for a port ofproto-dpif does not "
                        "know", dp->name);
        } else {
            VLOG_WARN_RL(&rl, "%s: upcall failed (%s)", dp->name,
                         ovs_strerror(error));
        }
        fp_stats_add(&t->stats, FP_STAT_LOST, 1);
        ofpbuf_uninit(&put_actions);
        return up->error = error;
    }

    fp_stats_add(&t->stats, FP_STAT_UPCALL_OK, 1);
    up->slow = put_actions.size != 0;
    /* The datapath matches the input port and recirculation id exactly,
     * whatever ofproto-dpif's wildcards say. */
    up->wc.masks.in_port.odp_port = u32_to_odp(UINT32_MAX);
    up->wc.masks.recirc_id = UINT32_MAX;
    if (!error || (error == ENOSPC && below_flow_limit(dp)
                   && fp_dp_flow_take_flushed(dp, &ufid))) {
        const struct ofpbuf *install = up->slow ? &put_actions
                                                : &up->actions;
        int install_error = install_answer(dp, flow, &up->wc, &ufid,
                                           install);

        if (!install_error) {
            fp_upcall_gate_charge(dp, t->now);
            if (error) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

                /* ENOSPC for a flow that dpctl/del-flows flushed: its ukey
                 * is still there (see engine/fp-upcall.h). */
                COVERAGE_INC(fp_upcall_reinstalled);
                VLOG_DBG_RL(&rl, "%s: flushed flow reinstalled under its "
                            "ufid", dp->name);
                error = 0;
            }
        } else if (install_error == EEXIST) {
            /* Another thread (a flow put, or the main thread, which does
             * not wait for a PMD's port lock) installed it first. */
            COVERAGE_INC(fp_upcall_install_exists);
        }
    }
    ofpbuf_uninit(&put_actions);
    return up->error = error;
}

void
fp_upcall_uninit(struct fp_upcall *up)
{
    ofpbuf_uninit(&up->actions);
}

/* Returns true if the input port of 'flow' came into 'dp' less than
 * FP_PORT_NEW_MS before 'now' (msec).  The caller asks only about a packet
 * as its port received it: a recirculated one (a tunnel's, decapsulated)
 * may be unknown to ofproto-dpif for good (no tunnel matches it), and its
 * queue is its underlay port's. */
static bool
port_is_new(const struct fp_dp *dp, const struct flow *flow,
            long long int now)
{
    const struct fp_port *port;

    port = fp_dp_port_lookup_rcu(dp, flow->in_port.odp_port);
    return port && now - port->added < FP_PORT_NEW_MS;
}

/* Returns true if 'dp' has fewer flows than ofproto-dpif's flow limit:
 * then an ENOSPC answer for a flushed flow cannot be the limit's.  (Its
 * dynamic limit may be lower, when its dumps are slow: then a flushed flow
 * may come back over it, at most once each.) */
static bool
below_flow_limit(const struct fp_dp *dp_)
{
    struct fp_dp *dp = CONST_CAST(struct fp_dp *, dp_);
    unsigned int limit;

    atomic_read_relaxed(&dp->flow_limit, &limit);
    return fp_dp_flow_count(dp) < limit;
}

/* Installs the megaflow 'flow' with 'wc' as 'ufid', with 'actions', and
 * its ODP key and mask for dumps.  Returns 0 or EEXIST. */
static int
install_answer(struct fp_dp *dp, const struct flow *flow,
               const struct flow_wildcards *wc, const ovs_u128 *ufid,
               const struct ofpbuf *actions)
{
    uint64_t key_stub[512 / 8], mask_stub[512 / 8];
    struct odp_flow_key_parms parms = {
        .flow = flow,
        .mask = &wc->masks,
        .support = fp_odp_support,
    };
    struct ofpbuf key, mask;
    int error;

    if (fp_flow_table_find_ufid(&dp->flows, ufid)) {
        return EEXIST;
    }
    ofpbuf_use_stub(&key, key_stub, sizeof key_stub);
    ofpbuf_use_stub(&mask, mask_stub, sizeof mask_stub);
    odp_flow_key_from_flow(&parms, &key);
    parms.key_buf = &key;
    odp_flow_key_from_mask(&parms, &mask);
    error = fp_dp_flow_install(dp, flow, wc, ufid, key.data, key.size,
                               mask.data, mask.size,
                               actions->data, actions->size);
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
    return error;
}

/* Takes the upcall turn of input port 'in_port' of 'dp' for the calling
 * thread.  Returns the port, to give to fp_upcall_port_unlock(), or NULL
 * if there is no such port (then there is no turn to take).  Sets '*busy'
 * to true, and returns NULL, if another thread has the turn. */
struct fp_port *
fp_upcall_port_trylock(struct fp_dp *dp, odp_port_t in_port, bool *busy)
{
    struct fp_port *port = fp_dp_port_lookup_rcu(dp, in_port);
    bool expected = false;

    *busy = false;
    if (!port) {
        return NULL;
    }
    if (!atomic_compare_exchange_strong(&port->upcall_busy, &expected,
                                        true)) {
        *busy = true;
        return NULL;
    }
    return port;
}

/* Gives back the turn that fp_upcall_port_trylock() took.  Accepts NULL. */
void
fp_upcall_port_unlock(struct fp_port *port)
{
    if (port) {
        atomic_store_explicit(&port->upcall_busy, false,
                              memory_order_release);
    }
}

/* The gate is a token bucket of megaflows, in thousandths: twice
 * 'flow-limit' a second, at most a fifth of it at once (and at least one).
 * In the 100 ms that ofproto-dpif's view of the flow count may lag, 40% of
 * the limit may come on top of it. */
static long long int
gate_tokens(const struct fp_dp *dp_, long long int now, unsigned int *limitp)
{
    struct fp_dp *dp = CONST_CAST(struct fp_dp *, dp_);
    long long int tokens, time, max;
    unsigned int limit;

    atomic_read_relaxed(&dp->flow_limit, &limit);
    atomic_read_relaxed(&dp->gate_mtokens, &tokens);
    atomic_read_relaxed(&dp->gate_time, &time);
    limit = MAX(limit, 10);
    max = MAX((long long int) limit * 200, 1000);
    tokens += MIN(MAX(now - time, 0), 1000) * limit * 2;
    *limitp = limit;
    return MIN(tokens, max);
}

/* How long every flow count that the datapath reports must have been at
 * the limit for ofproto-dpif's view of it (read at most every 100 ms) to
 * be at the limit too, in msec. */
enum { FP_GATE_VIEW_MS = 200 };

/* Returns true if an upcall may go at 'now' (msec): if it may install a
 * megaflow, or if ofproto-dpif would install none. */
bool
fp_upcall_gate_open(const struct fp_dp *dp_, long long int now)
{
    struct fp_dp *dp = CONST_CAST(struct fp_dp *, dp_);
    long long int below;
    unsigned int limit;

    if (gate_tokens(dp, now, &limit) > 0) {
        return true;
    }
    atomic_read_relaxed(&dp->gate_below_time, &below);
    return !below_flow_limit(dp) && now - below > FP_GATE_VIEW_MS;
}

/* Notes that the datapath reported 'n_flows' flows at 'now' (msec), as
 * ofproto-dpif reads them for its flow limit. */
void
fp_upcall_note_flow_count(struct fp_dp *dp, size_t n_flows,
                          long long int now)
{
    unsigned int limit;

    atomic_read_relaxed(&dp->flow_limit, &limit);
    if (n_flows < limit) {
        atomic_store_relaxed(&dp->gate_below_time, now);
    }
}

/* Counts a megaflow that an upcall installed at 'now'.  Threads that
 * charge at once may lose a charge: the gate is a bound, not a count. */
void
fp_upcall_gate_charge(struct fp_dp *dp, long long int now)
{
    unsigned int limit;
    long long int tokens = gate_tokens(dp, now, &limit);

    long long int time;

    /* A thread's clock may be behind the last charge's. */
    atomic_read_relaxed(&dp->gate_time, &time);
    atomic_store_relaxed(&dp->gate_mtokens, tokens - 1000);
    atomic_store_relaxed(&dp->gate_time, MAX(now, time));
}

/* Charges the gate for an upcall that fastpathd's callback took at 'now'
 * (msec), to answer later: its answer may install a megaflow, by a flow put
 * that the gate does not see.  One that went through a gate open only
 * because ofproto-dpif would install nothing is not charged: at the limit,
 * thousands of such upcalls would keep the gate shut long after the table
 * had room again. */
static void
charge_taken(struct fp_dp *dp, long long int now)
{
    unsigned int limit;

    if (gate_tokens(dp, now, &limit) > 0) {
        fp_upcall_gate_charge(dp, now);
    }
}

/* Takes other_config:flow-limit, ofproto-dpif's limit on datapath flows,
 * for the gate. */
void
fp_upcall_set_flow_limit(struct fp_dp *dp, const struct smap *other_config)
{
    atomic_store_relaxed(&dp->flow_limit,
                         smap_get_uint(other_config, "flow-limit",
                                       FP_FLOW_LIMIT_DEFAULT));
}

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

/* The main thread's packet path: ovs-vswitchd's main loop polls the ports
 * that have no PMD thread (tap and Linux ports) through the dpif's run()
 * and wait(), and executes the packets that ofproto-dpif sends
 * (packet-out, ARP and ND for tunnels).  Its state is the datapath's
 * 'non_pmd' thread, under 'non_pmd_mutex'. */

#include <config.h>
#include "fp-dp-private.h"

#include <errno.h>
#include <string.h>
#include "coverage.h"
#include "flow.h"
#include "fp-sched.h"
#include "fp-input.h"
#include "fp-exec.h"
#include "fp-port.h"
#include "fp-flow-ops.h"
#include "fp-tx.h"
#include "netdev.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_main_thread);

COVERAGE_DEFINE(fp_rx_error);

/* Upper bound of batches taken from one rx queue per run() of the main
 * thread, so that one busy port cannot starve ovs-vswitchd's main loop. */
enum { FP_NON_PMD_MAX_BATCHES = 4 };

/* Polls the ports that have no PMD thread of their own, from ovs-vswitchd's
 * main loop. */
void
fp_dp_run(struct fp_dp *dp)
{
    struct fp_thread *t = &dp->non_pmd;
    struct fp_port *port;

    fp_dp_flow_expire_flushed(dp, time_msec());
    ovs_mutex_lock(&dp->port_mutex);
    if (fp_sched_reconf_required(dp)) {
        fp_sched_reconfigure(dp);
    }
    /* Also those that failed in a reconfiguration for another port. */
    fp_port_remove_failed(dp);
    ovs_mutex_unlock(&dp->port_mutex);

    ovs_mutex_lock(&dp->non_pmd_mutex);
    CMAP_FOR_EACH (port, cnode, &dp->ports_rcu) {
        if (port->is_pmd) {
            continue;
        }
        for (int i = 0; i < port->n_rxq; i++) {
            for (int n = 0; n < FP_NON_PMD_MAX_BATCHES; n++) {
                struct dp_packet_batch batch;
                int error;

                dp_packet_batch_init(&batch);
                error = netdev_rxq_recv(port->rxqs[i], &batch, NULL);
                if (error) {
                    if (error != EAGAIN && error != EOPNOTSUPP) {
                        static struct vlog_rate_limit rl
                            = VLOG_RATE_LIMIT_INIT(1, 5);

                        /* A device that went down (a veth whose peer is
                         * gone) is reported by its netdev and in the
                         * Interface's link state: not an error here. */
                        COVERAGE_INC(fp_rx_error);
                        VLOG_RL(&rl, error == ENETDOWN ? VLL_DBG : VLL_ERR,
                                "%s: rx error (%s)",
                                netdev_get_name(port->netdev),
                                ovs_strerror(error));
                    }
                    break;
                }
                t->now = time_msec();
                fp_input_batch(dp, t, &batch, port->port_no);
            }
        }
    }
    ovs_mutex_unlock(&dp->non_pmd_mutex);
}

void
fp_dp_wait(struct fp_dp *dp)
{
    struct fp_port *port;

    CMAP_FOR_EACH (port, cnode, &dp->ports_rcu) {
        if (port->is_pmd) {
            /* fp_dp_run() applies a device's new configuration. */
            netdev_wait_reconf_required(port->netdev);
            continue;
        }
        for (int i = 0; i < port->n_rxq; i++) {
            netdev_rxq_wait(port->rxqs[i]);
        }
    }
}


/* Executes 'actions' on a copy of 'packet' in the main thread's context.
 * ofproto-dpif calls this from the main thread (packet-out) and from PMDs
 * inside upcalls (an ARP request for a tunnel's far end): they share the
 * main thread's state under 'non_pmd_mutex'. */
int
fp_dp_execute(struct fp_dp *dp, const struct dp_packet *packet,
              const struct flow *flow,
              const struct nlattr *actions, size_t actions_len)
{
    struct fp_thread *t = &dp->non_pmd;
    struct dp_packet_batch batch;
    struct fp_key_hint hint;
    struct dp_packet *copy;

    if (dp_packet_size(packet) < ETH_HEADER_LEN
        || dp_packet_size(packet) > UINT16_MAX) {
        return EINVAL;
    }
    memset(&hint, 0, sizeof hint);
    copy = dp_packet_clone(packet);
    if (flow) {
        fp_key_hint_from_flow(&hint, flow);
        if (!dp_packet_rss_valid(copy)) {
            /* Actions (hash, output to a multi-queue port) expect the
             * hash that packets received by the datapath always have. */
            dp_packet_set_rss_hash(copy, flow_hash_5tuple(flow, 0));
        }
    }

    ovs_mutex_lock(&dp->non_pmd_mutex);
    t->now = time_msec();
    dp_packet_batch_init_packet(&batch, copy);
    fp_execute_actions(dp, t, &batch, true, &hint, actions, actions_len);
    fp_thread_flush(dp, t);
    ovs_mutex_unlock(&dp->non_pmd_mutex);
    return 0;
}

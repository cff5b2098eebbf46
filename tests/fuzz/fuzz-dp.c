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

#include <config.h>
#include "fuzz-dp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conntrack.h"
#include "dp-packet.h"
#include "dpif-fastpath.h"
#include "dpif-provider.h"
#include "flow.h"
#include "fp-datapath.h"
#include "fp-dp-private.h"
#include "fp-input.h"
#include "netdev.h"
#include "dummy.h"
#include "odp-execute.h"
#include "odp-util.h"
#include "ovs-rcu.h"
#include "ovs-router.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

/* ofproto-dpif's part: output to port 2, a megaflow on the input port and
 * the Ethernet type (the datapath adds the recirculation id). */
static int
fuzz_upcall(const struct dp_packet *packet OVS_UNUSED,
            const struct flow *flow, ovs_u128 *ufid OVS_UNUSED,
            unsigned pmd_id OVS_UNUSED, enum dpif_upcall_type type,
            const struct nlattr *userdata OVS_UNUSED,
            struct ofpbuf *actions, struct flow_wildcards *wc,
            struct ofpbuf *put_actions OVS_UNUSED, void *aux OVS_UNUSED)
{
    if (type == DPIF_UC_MISS) {
        nl_msg_put_odp_port(actions, OVS_ACTION_ATTR_OUTPUT, u32_to_odp(2));
        wc->masks.in_port.odp_port = u32_to_odp(UINT32_MAX);
        wc->masks.dl_type = OVS_BE16_MAX;
        /* An odd Ethernet type: actions, but no flow, as over the flow
         * limit. */
        return ntohs(flow->dl_type) & 1 ? ENOSPC : 0;
    }
    return 0;
}

static void
add_port(struct fp_dp *dp, const char *name, const char *type,
         const char *option, const char *value, uint32_t port_no)
{
    odp_port_t no = u32_to_odp(port_no);
    struct netdev *netdev;

    if (netdev_open(name, type, &netdev)) {
        ovs_abort(0, "%s: cannot open a %s device", name, type);
    }
    if (option) {
        struct smap args = SMAP_INITIALIZER(&args);

        smap_add(&args, option, value);
        netdev_set_config(netdev, &args, NULL);
        smap_destroy(&args);
    }
    if (fp_dp_port_add(dp, netdev, &no)) {
        ovs_abort(0, "%s: cannot add it to the datapath", name);
    }
    netdev_close(netdev);
}

struct fp_dp *
fuzz_dp_get(void)
{
    static struct fp_dp *dp;

    if (!dp) {
        if (!getenv("FUZZ_VERBOSE")) {
            vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        }
        struct sset types = SSET_INITIALIZER(&types);

        /* What ovs-vswitchd sets up before any datapath: the dpif layer
         * (its tunnel configuration seq, which route changes bump), the
         * route table that tunnel ports look up, the action
         * implementations. */
        dp_enumerate_types(&types);
        sset_destroy(&types);
        netdev_dummy_register(DUMMY_OVERRIDE_NONE);
        ovs_router_init();
        odp_execute_init();     /* As bridge_init() does. */
        if (fp_dp_open("fastpath", "fuzz", true, &dp)) {
            ovs_abort(0, "cannot create the datapath");
        }
        add_port(dp, "p1", "dummy", NULL, NULL, 1);
        add_port(dp, "p2", "dummy", NULL, NULL, 2);
        add_port(dp, "vxlan_sys_4789", "vxlan", "remote_ip", "flow", 3);
        fp_dp_register_upcall(dp, fuzz_upcall, NULL);
        fp_dp_enable_upcall(dp);
    }
    return dp;
}

/* Puts the flow whose key and mask are 'key_mask' (in the syntax of
 * dpctl/add-flow) with the ODP 'actions'.  Aborts if the key does not
 * parse or the datapath refuses the flow. */
void
fuzz_dp_put(struct fp_dp *dp, const char *key_mask,
            const struct ofpbuf *actions)
{
    struct dpif_flow_put put;
    struct ofpbuf key, mask;
    char *error = NULL;

    ofpbuf_init(&key, 0);
    ofpbuf_init(&mask, 0);
    if (odp_flow_from_string(key_mask, NULL, &key, &mask, &error)) {
        ovs_abort(0, "%s: does not parse (%s)", key_mask,
                  error ? error : "?");
    }
    memset(&put, 0, sizeof put);
    put.flags = DPIF_FP_CREATE;
    put.key = key.data;
    put.key_len = key.size;
    put.mask = mask.data;
    put.mask_len = mask.size;
    put.actions = actions->data;
    put.actions_len = actions->size;
    put.pmd_id = PMD_ID_NULL;
    if (fp_dp_flow_put(dp, &put)) {
        ovs_abort(0, "%s: the datapath refuses it", key_mask);
    }
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
}

/* The same, with 'actions' in the syntax of dpctl/add-flow. */
void
fuzz_dp_put_string(struct fp_dp *dp, const char *key_mask,
                   const char *actions)
{
    struct ofpbuf acts;

    ofpbuf_init(&acts, 0);
    if (odp_actions_from_string(actions, NULL, &acts)) {
        ovs_abort(0, "%s: does not parse", actions);
    }
    fuzz_dp_put(dp, key_mask, &acts);
    ofpbuf_uninit(&acts);
}

/* Sends the frame of 'size' bytes at 'data' into the datapath as if port 1
 * had received it. */
void
fuzz_dp_receive(struct fp_dp *dp, const uint8_t *data, size_t size)
{
    struct dp_packet_batch batch;
    struct dp_packet *packet;

    packet = dp_packet_new_with_headroom(size, 128);
    dp_packet_put(packet, data, size);
    dp_packet_batch_init_packet(&batch, packet);

    ovs_mutex_lock(&dp->non_pmd_mutex);
    dp->non_pmd.now = time_msec();
    fp_input_batch(dp, &dp->non_pmd, &batch, u32_to_odp(1));
    ovs_mutex_unlock(&dp->non_pmd_mutex);
}

/* Forgets connections, so that every input starts from the same state,
 * and lets RCU free what the input deleted (a polling thread quiesces as
 * often). */
void
fuzz_dp_reset(struct fp_dp *dp)
{
    conntrack_flush(dp->conntrack, NULL);
    ovsrcu_quiesce();
}

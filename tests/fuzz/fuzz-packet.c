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

/* Fuzz harness: frames received on a port, through the whole receive path
 * (fast key or miniflow_extract(), both caches, the megaflow table,
 * upcalls) and the actions of a fixed set of megaflows: conntrack with NAT,
 * recirculation, VLAN and MPLS push and pop, tunnel pop, clone, sample,
 * hash, userspace, output.  Misses go to the harness's upcall callback
 * (lib: tests/fuzz/fuzz-dp.c).  Each input is up to four frames, each prefixed
 * by its length (one byte, times 8, plus one byte), received one after the
 * other. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include "fuzz-dp.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ethernet addresses, wildcarded. */
#define ETH "eth(src=00:00:00:00:00:00/00:00:00:00:00:00," \
            "dst=00:00:00:00:00:00/00:00:00:00:00:00),"
#define IP4 ETH "eth_type(0x0800),ipv4(frag=no)"

static const char *const flows[][2] = {
    {"recirc_id(0),in_port(1)," ETH "eth_type(0x0800),"
     "ipv4(proto=6,frag=no),tcp(src=0/0,dst=0/0)",
     "ct(zone=1),recirc(1)"},
    {"recirc_id(1),in_port(1),ct_state(0x21/0x21)," IP4,
     "ct(commit,zone=1,nat(src=10.1.1.240-10.1.1.250)),"
     "push_vlan(vid=5,pcp=0),2"},
    {"recirc_id(1),in_port(1),ct_state(0x22/0x22)," IP4,
     "ct(commit,zone=1,mark=0x1/0x1),clone(push_vlan(vid=7,pcp=0),2),2"},
    {"recirc_id(0),in_port(1)," ETH "eth_type(0x8100),vlan(vid=5,pcp=0),"
     "encap(eth_type(0x0800),ipv4(frag=no))",
     "pop_vlan,recirc(2)"},
    {"recirc_id(3),in_port(1)," IP4, "sample(sample=50.0%,actions(2)),2"},
    {"recirc_id(0),in_port(1)," ETH "eth_type(0x0800),"
     "ipv4(proto=17,frag=no),udp(src=0/0,dst=4789)",
     "tnl_pop(3)"},
    {"recirc_id(4),in_port(3)," IP4, "2"},
    {"recirc_id(0),in_port(1)," ETH "eth_type(0x86dd),ipv6(frag=no)",
     "userspace(pid=0,userdata(01020304)),2"},
};

/* The flows whose actions OVS's parser does not read.  MPLS: IPv4 after
 * recirculation 2 gets a label and goes out; a frame with label 100 loses
 * it and recirculates.  Hash: what tnl_pop decapsulated is hashed and
 * recirculates. */
static void
put_coded_flows(struct fp_dp *dp)
{
    struct ovs_action_hash hash = { .hash_alg = OVS_HASH_ALG_L4 };
    struct ovs_action_push_mpls push = {
        .mpls_lse = htonl((100 << 12) | (1 << 8) | 64),
        .mpls_ethertype = htons(ETH_TYPE_MPLS),
    };
    struct ofpbuf acts;

    ofpbuf_init(&acts, 0);
    nl_msg_put_unspec(&acts, OVS_ACTION_ATTR_PUSH_MPLS, &push, sizeof push);
    nl_msg_put_odp_port(&acts, OVS_ACTION_ATTR_OUTPUT, u32_to_odp(2));
    fuzz_dp_put(dp, "recirc_id(2),in_port(1)," IP4, &acts);

    ofpbuf_clear(&acts);
    nl_msg_put_be16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(ETH_TYPE_IP));
    nl_msg_put_u32(&acts, OVS_ACTION_ATTR_RECIRC, 3);
    fuzz_dp_put(dp, "recirc_id(0),in_port(1)," ETH "eth_type(0x8847),"
                "mpls(label=100/0xfffff,tc=0/0,ttl=0/0,bos=1/0)", &acts);

    ofpbuf_clear(&acts);
    nl_msg_put_unspec(&acts, OVS_ACTION_ATTR_HASH, &hash, sizeof hash);
    nl_msg_put_u32(&acts, OVS_ACTION_ATTR_RECIRC, 4);
    fuzz_dp_put(dp, "recirc_id(0),in_port(3)," IP4, &acts);
    ofpbuf_uninit(&acts);
}

static void
setup(struct fp_dp **dpp)
{
    *dpp = fuzz_dp_get();
    for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
        fuzz_dp_put_string(*dpp, flows[i][0], flows[i][1]);
    }
    put_coded_flows(*dpp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fp_dp *dp;

    if (!dp) {
        setup(&dp);
    }
    for (int i = 0; i < 4 && size >= 2; i++) {
        size_t len = MIN(data[0] * 8 + data[1], size - 2);

        fuzz_dp_receive(dp, data + 2, len);
        data += 2 + len;
        size -= 2 + len;
    }
    fuzz_dp_reset(dp);
    return 0;
}

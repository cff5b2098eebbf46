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

/* The fast key of the most common packets and its cache: see
 * engine/fp-fastkey.h. */

#include <config.h>
#include "fp-fastkey.h"

#include <string.h>
#include "dp-packet.h"
#include "flow.h"
#include "fp-bigmem.h"
#include "fp-flow-table.h"
#include "util.h"

BUILD_ASSERT_DECL(sizeof(union fp_fastkey) == 5 * sizeof(uint64_t));

/* Parses 'packet', just received on port 'in_port', into '*key' and sets
 * its layer offsets, if it is of the shape that a fast key describes
 * whole (see fp-fastkey.h).  Returns false, with 'packet' untouched,
 * otherwise.
 *
 * What miniflow_extract() would take from such a packet dictates the
 * checks: the IPv4 total length bounds the layer 4 header, and anything
 * past it is layer 2 padding. */
bool
fp_fastkey_parse(struct dp_packet *packet, uint32_t in_port,
                 union fp_fastkey *key)
{
    const struct eth_header *eth = dp_packet_data(packet);
    uint32_t size = dp_packet_size(packet);
    const struct ip_header *ip = (const void *) (eth + 1);
    const void *l4 = ip + 1;
    uint32_t tot_len, l4_size, pad;

    if (OVS_UNLIKELY(packet->packet_type != htonl(PT_ETH)
                     || size < ETH_HEADER_LEN + IP_HEADER_LEN
                     || eth->eth_type != htons(ETH_TYPE_IP)
                     || ip->ip_ihl_ver != IP_IHL_VER(5, IP_VERSION)
                     || IP_IS_FRAGMENT(ip->ip_frag_off))) {
        return false;
    }
    tot_len = ntohs(ip->ip_tot_len);
    if (OVS_UNLIKELY(tot_len < IP_HEADER_LEN
                     || tot_len > size - ETH_HEADER_LEN)) {
        return false;
    }
    pad = size - ETH_HEADER_LEN - tot_len;
    if (OVS_UNLIKELY(pad > UINT16_MAX)) {
        return false;
    }
    l4_size = tot_len - IP_HEADER_LEN;

    uint16_t tp_src, tp_dst, tcp_flags = 0;
    switch (ip->ip_proto) {
    case IPPROTO_UDP: {
        const struct udp_header *udp = l4;

        if (OVS_UNLIKELY(l4_size < UDP_HEADER_LEN)) {
            return false;
        }
        tp_src = ntohs(udp->udp_src);
        tp_dst = ntohs(udp->udp_dst);
        break;
    }
    case IPPROTO_TCP: {
        const struct tcp_header *tcp = l4;
        uint32_t hdr_len;

        if (OVS_UNLIKELY(l4_size < TCP_HEADER_LEN)) {
            return false;
        }
        hdr_len = TCP_OFFSET(tcp->tcp_ctl) * 4;
        if (OVS_UNLIKELY(hdr_len < TCP_HEADER_LEN || hdr_len > l4_size)) {
            return false;
        }
        tp_src = ntohs(tcp->tcp_src);
        tp_dst = ntohs(tcp->tcp_dst);
        tcp_flags = ntohs(TCP_FLAGS_BE16(tcp->tcp_ctl));
        break;
    }
    case IPPROTO_ICMP: {
        const struct icmp_header *icmp = l4;

        if (OVS_UNLIKELY(l4_size < ICMP_HEADER_LEN)) {
            return false;
        }
        tp_src = icmp->icmp_type;
        tp_dst = icmp->icmp_code;
        break;
    }
    default:
        return false;
    }

    const uint8_t *frame = (const uint8_t *) eth;
    uint64_t w0, w1, w2;

    memcpy(&w0, frame, sizeof w0);
    memcpy(&w1, frame + 6, sizeof w1);
    memcpy(&w2, frame + ETH_HEADER_LEN + 12, sizeof w2);   /* Addresses. */
    key->w[0] = w0;
    key->w[1] = w1;
    key->w[2] = w2;
    key->w[3] = (ip->ip_tos | (uint32_t) ip->ip_ttl << 8
                 | (uint32_t) ip->ip_proto << 16
                 | (uint64_t) tcp_flags << 32);
    key->w[4] = tp_src | (uint32_t) tp_dst << 16 | (uint64_t) in_port << 32;

    packet->l2_pad_size = pad;
    packet->l2_5_ofs = UINT16_MAX;
    packet->l3_ofs = ETH_HEADER_LEN;
    packet->l4_ofs = ETH_HEADER_LEN + IP_HEADER_LEN;
    return true;
}

/* Writes the fields of 'key' into 'flow', whose every other byte must be
 * zero (and stays so): then 'flow' is the packet's flow key. */
void
fp_fastkey_to_flow(const union fp_fastkey *key, struct flow *flow)
{
    flow->in_port.odp_port = u32_to_odp(key->w[4] >> 32);
    flow->packet_type = htonl(PT_ETH);
    memcpy(&flow->dl_dst, &key->bytes[0], sizeof flow->dl_dst);
    memcpy(&flow->dl_src, &key->bytes[8], sizeof flow->dl_src);
    flow->dl_type = fp_fastkey_dl_type(key);
    memcpy(&flow->nw_src, &key->bytes[16], sizeof flow->nw_src);
    memcpy(&flow->nw_dst, &key->bytes[20], sizeof flow->nw_dst);
    flow->nw_tos = key->w[3];
    flow->nw_ttl = key->w[3] >> 8;
    flow->nw_proto = fp_fastkey_nw_proto(key);
    flow->tp_src = fp_fastkey_tp_src(key);
    flow->tp_dst = fp_fastkey_tp_dst(key);
    flow->tcp_flags = htons(fp_fastkey_tcp_flags(key));
}

/* The fast cache. */

struct fp_fastcache *
fp_fastcache_create(void)
{
    return fp_bigmem_alloc(sizeof(struct fp_fastcache));
}

void
fp_fastcache_destroy(struct fp_fastcache *fc)
{
    if (!fc) {
        return;
    }
    for (size_t i = 0; i < FP_FASTCACHE_ENTRIES; i++) {
        fp_flow_unref(fc->entries[i].e.flow);
    }
    fp_bigmem_free(fc, sizeof *fc);
}

/* Caches 'flow' for 'key'.  Replaces an empty or dead entry of the two the
 * key may use, or else, now and then, the first. */
void
fp_fastcache_insert(struct fp_fastcache *fc, uint32_t hash,
                    const union fp_fastkey *key, struct fp_flow *flow)
{
    struct fp_fastcache_entry *e = fp_fastcache_slot(fc, hash, 0);

    if (e->flow && !fp_flow_is_dead(e->flow)) {
        struct fp_fastcache_entry *e1 = fp_fastcache_slot(fc, hash, 1);

        if (!e1->flow || fp_flow_is_dead(e1->flow)) {
            e = e1;
        } else if (++fc->n_conflicts % FP_FASTCACHE_REPLACE_EVERY) {
            return;
        }
    }
    if (e->flow != flow) {
        if (!fp_flow_try_ref(flow)) {
            return;
        }
        fp_flow_unref(e->flow);
        e->flow = flow;
    }
    e->hash = hash;
    e->key = *key;
}

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

#ifndef FP_FASTKEY_H
#define FP_FASTKEY_H 1

/* The fast key: the whole flow key of the most common packet, in 40 bytes.
 *
 * A packet just received from a port, untagged Ethernet carrying IPv4 with
 * no options and not a fragment, and TCP, UDP or ICMP with its whole
 * header, has a flow key that is all zeros but for the fields below.  For
 * such a packet the datapath parses just these fields, straight into a
 * fixed layout, instead of running miniflow_extract(): the key is five
 * words to hash and compare, and it fills a 'struct flow' by writing a
 * dozen fields into one whose other bytes stay zero.  Any other packet
 * (and any packet whose metadata is not that of a port's first pass) takes
 * the general path.
 *
 * The fast cache maps fast keys to megaflows, one per polling thread, as
 * the exact-match cache (engine/fp-emc.h) does for general keys, with the same
 * rules: two-way set associative, a reference on each cached flow, a dead
 * flow never returned, only the owning thread touches it. */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "fp-flow-table.h"
#include "openvswitch/types.h"
#include "packets.h"
#include "util.h"

struct dp_packet;
struct flow;
struct fp_flow;

/* Built in registers and stored a whole word at a time (a word assembled
 * from narrower stores cannot be forwarded to the loads that compare it):
 *
 *   w[0]  Ethernet header bytes 0 to 7 (destination, start of source)
 *   w[1]  Ethernet header bytes 6 to 13 (source, type)
 *   w[2]  IPv4 source and destination, as in the header
 *   w[3]  TOS in bits 0-7, TTL in bits 8-15, protocol in bits 16-23, TCP
 *         flags (host order) in bits 32-47
 *   w[4]  layer 4 source (or ICMP type) in bits 0-15, destination (or
 *         ICMP code) in bits 16-31, both in host order; input port in bits
 *         32-63
 *
 * The first three words keep the packet's byte order in memory. */
union fp_fastkey {
    uint64_t w[5];
    uint8_t bytes[40];
};

bool fp_fastkey_parse(struct dp_packet *, uint32_t in_port,
                      union fp_fastkey *);
void fp_fastkey_to_flow(const union fp_fastkey *, struct flow *);

static inline ovs_be16
fp_fastkey_dl_type(const union fp_fastkey *k)
{
    ovs_be16 dl_type;

    memcpy(&dl_type, &k->bytes[14], sizeof dl_type);
    return dl_type;
}

static inline uint8_t
fp_fastkey_nw_proto(const union fp_fastkey *k)
{
    return k->w[3] >> 16;
}

static inline ovs_be16
fp_fastkey_tp_src(const union fp_fastkey *k)
{
    return htons(k->w[4]);
}

static inline ovs_be16
fp_fastkey_tp_dst(const union fp_fastkey *k)
{
    return htons(k->w[4] >> 16);
}

/* TCP flags, in host order. */
static inline uint16_t
fp_fastkey_tcp_flags(const union fp_fastkey *k)
{
    return k->w[3] >> 32;
}

static inline bool
fp_fastkey_equal(const union fp_fastkey *a, const union fp_fastkey *b)
{
    return !((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1])
             | (a->w[2] ^ b->w[2]) | (a->w[3] ^ b->w[3])
             | (a->w[4] ^ b->w[4]));
}

/* A hash for the cache only: independent multiplies, then a fold. */
static inline uint32_t
fp_fastkey_hash(const union fp_fastkey *k)
{
    uint64_t h = (k->w[0] * UINT64_C(0x9e3779b97f4a7c15)
                  + k->w[1] * UINT64_C(0xc2b2ae3d27d4eb4f)
                  + k->w[2] * UINT64_C(0x165667b19e3779f9)
                  + k->w[3] * UINT64_C(0xd6e8feb86659fd93)
                  + k->w[4] * UINT64_C(0xff51afd7ed558ccd));

    h ^= h >> 31;
    h *= UINT64_C(0x94d049bb133111eb);
    return h ^ (h >> 32);
}

/* The fast cache, here so that its lookups inline into the caller. */

/* 16 MB, but only the pages that entries were ever written to are
 * resident, and on huge pages (engine/fp-bigmem.h). */
enum { FP_FASTCACHE_ENTRIES = 262144 };

/* When both of a key's entries hold live flows, one miss in this many
 * replaces one: with more flows than entries, the cache keeps a stable
 * share of them instead of churning (and paying two atomic reference
 * count updates) on every miss. */
enum { FP_FASTCACHE_REPLACE_EVERY = 8 };
BUILD_ASSERT_DECL(IS_POW2(FP_FASTCACHE_ENTRIES));

struct fp_fastcache_entry {
    union fp_fastkey key;
    struct fp_flow *flow;       /* Holds a reference; NULL if empty. */
    uint32_t hash;
};

/* One cache line per entry: a lookup touches one line per way. */
struct fp_fastcache {
    PADDED_MEMBERS(CACHE_LINE_SIZE, struct fp_fastcache_entry e;)
        entries[FP_FASTCACHE_ENTRIES];
    unsigned int n_conflicts;   /* Inserts that found both entries live. */
};

struct fp_fastcache *fp_fastcache_create(void);
void fp_fastcache_destroy(struct fp_fastcache *);
void fp_fastcache_insert(struct fp_fastcache *, uint32_t hash,
                         const union fp_fastkey *, struct fp_flow *);

static inline struct fp_fastcache_entry *
fp_fastcache_slot(const struct fp_fastcache *fc_, uint32_t hash, int way)
{
    struct fp_fastcache *fc = CONST_CAST(struct fp_fastcache *, fc_);
    uint32_t idx = way ? (hash >> 16) ^ (hash << 3) : hash;

    return &fc->entries[idx & (FP_FASTCACHE_ENTRIES - 1)].e;
}

static inline bool
fp_fastcache_entry_matches(const struct fp_fastcache_entry *e, uint32_t hash,
                   const union fp_fastkey *key)
{
    return e->hash == hash && e->flow && fp_fastkey_equal(&e->key, key);
}

/* Returns the live flow cached for 'key', whose hash is 'hash', or NULL. */
static inline struct fp_flow *
fp_fastcache_lookup(const struct fp_fastcache *fc, uint32_t hash,
                    const union fp_fastkey *key)
{
    const struct fp_fastcache_entry *e = fp_fastcache_slot(fc, hash, 0);

    if (!fp_fastcache_entry_matches(e, hash, key)) {
        e = fp_fastcache_slot(fc, hash, 1);
        if (!fp_fastcache_entry_matches(e, hash, key)) {
            return NULL;
        }
    }
    return fp_flow_is_dead(e->flow) ? NULL : e->flow;
}

static inline void
fp_fastcache_prefetch(const struct fp_fastcache *fc, uint32_t hash)
{
    OVS_PREFETCH(fp_fastcache_slot(fc, hash, 0));
}

#endif /* fp-fastkey.h */

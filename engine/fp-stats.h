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

#ifndef FP_STATS_H
#define FP_STATS_H 1

/* Per-thread packet counters, and the one table of drop reasons.
 *
 * Each polling thread owns a 'struct fp_stats' and is its only writer:
 * counters are bumped with relaxed loads and stores, never a locked
 * read-modify-write.  Readers (appctl, dpif/show) read them relaxed.
 * "Clearing" records the current values as a base that readers subtract,
 * so that the owner's counters are never written by another thread.  The
 * base is atomic too: a clear and a read may run at the same time in any
 * two threads, and neither takes a lock. */

#include <stdint.h>
#include "dp-packet.h"
#include "ovs-atomic.h"

#define FP_STATS                                                        \
    FP_STAT(RX,           "rx",            "packets received")          \
    FP_STAT(RECIRC,       "recirc",        "packets recirculated")      \
    FP_STAT(EMC_HIT,      "emc_hit",       "exact match cache hits")    \
    FP_STAT(MEGAFLOW_HIT, "megaflow_hit",  "megaflow hits")             \
    FP_STAT(MISS,         "miss",          "misses")                    \
    FP_STAT(UPCALL,       "upcall",        "upcalls")                   \
    FP_STAT(UPCALL_OK,    "upcall_ok",     "upcalls that succeeded")    \
    FP_STAT(LOST,         "lost",          "lost (upcall failed or "    \
            "upcalls disabled)")                                        \
    FP_STAT(TX,           "tx",            "packets sent")              \
    FP_STAT(DROP_NO_PORT, "drop_no_port",  "drops: output port gone")   \
    FP_STAT(DROP_TX,      "drop_tx",       "drops: refused by device")  \
    FP_STAT(DROP_RECIRC_DEPTH, "drop_recirc_depth",                     \
            "drops: recirculation too deep")                            \
    FP_STAT(DROP_UNSUPPORTED, "drop_unsupported",                       \
            "drops: unsupported action")                                \
    FP_STAT(DROP_ACTION,  "drop_action",   "drops: by flow actions")    \
    FP_STAT(DROP_METER,   "drop_meter",    "drops: by meters")          \
    FP_STAT(DROP_TUNNEL,  "drop_tunnel",                                \
            "drops: tunnel push or pop failed")                         \
    FP_STAT(DROP_UPCALL_LIMIT, "drop_upcall_limit",                     \
            "drops: misses refused, upcall budget spent")               \
    FP_STAT(BUSY_CYCLES,  "busy_cycles",   "cycles processing packets") \
    FP_STAT(IDLE_CYCLES,  "idle_cycles",   "cycles polling idle")

enum fp_stat {
#define FP_STAT(ENUM, NAME, DESC) FP_STAT_##ENUM,
    FP_STATS
#undef FP_STAT
    FP_N_STATS
};

struct fp_stats {
    atomic_uint64_t counters[FP_N_STATS];
    atomic_uint64_t base[FP_N_STATS];  /* Values at the last clear. */
};

const char *fp_stat_name(enum fp_stat);
const char *fp_stat_description(enum fp_stat);

void fp_stats_init(struct fp_stats *);
void fp_stats_read(const struct fp_stats *, uint64_t values[FP_N_STATS]);
void fp_stats_clear(struct fp_stats *);
void fp_stats_accumulate(uint64_t sum[FP_N_STATS], const struct fp_stats *);
void fp_stats_copy(struct fp_stats *dst, const struct fp_stats *src);

uint64_t fp_tsc_hz(void);

/* Adds 'n' to counter 'idx'.  Only the owning thread may call this. */
static inline void
fp_stats_add(struct fp_stats *s, enum fp_stat idx, uint64_t n)
{
    uint64_t v;

    atomic_read_relaxed(&s->counters[idx], &v);
    atomic_store_relaxed(&s->counters[idx], v + n);
}

/* The one way the engine drops packets: counted under 'reason' in the
 * owning thread's counters, then freed ('batch' is left empty). */
static inline void
fp_drop_packet(struct fp_stats *s, struct dp_packet *packet,
               enum fp_stat reason)
{
    fp_stats_add(s, reason, 1);
    dp_packet_delete(packet);
}

static inline void
fp_drop_batch(struct fp_stats *s, struct dp_packet_batch *batch,
              enum fp_stat reason)
{
    fp_stats_add(s, reason, dp_packet_batch_size(batch));
    dp_packet_delete_batch(batch, true);    /* Also empties 'batch'. */
}

#endif /* fp-stats.h */

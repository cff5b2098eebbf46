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

/* Per-thread packet counters and the drop reasons: see engine/fp-stats.h. */

#include <config.h>
#include "fp-stats.h"

#include <string.h>
#include <rte_cycles.h>
#include "ovs-thread.h"
#include "timeval.h"
#include "util.h"

static const char *const stat_names[FP_N_STATS] = {
#define FP_STAT(ENUM, NAME, DESC) [FP_STAT_##ENUM] = NAME,
    FP_STATS
#undef FP_STAT
};

static const char *const stat_descriptions[FP_N_STATS] = {
#define FP_STAT(ENUM, NAME, DESC) [FP_STAT_##ENUM] = DESC,
    FP_STATS
#undef FP_STAT
};

const char *
fp_stat_name(enum fp_stat idx)
{
    return idx < FP_N_STATS ? stat_names[idx] : "unknown";
}

const char *
fp_stat_description(enum fp_stat idx)
{
    return idx < FP_N_STATS ? stat_descriptions[idx] : "unknown";
}

void
fp_stats_init(struct fp_stats *s)
{
    for (int i = 0; i < FP_N_STATS; i++) {
        atomic_init(&s->counters[i], 0);
        atomic_init(&s->base[i], 0);
    }
}

/* Reads the counters as they are since the last clear. */
void
fp_stats_read(const struct fp_stats *s_, uint64_t values[FP_N_STATS])
{
    struct fp_stats *s = CONST_CAST(struct fp_stats *, s_);

    for (int i = 0; i < FP_N_STATS; i++) {
        uint64_t v, base;

        atomic_read_relaxed(&s->counters[i], &v);
        atomic_read_relaxed(&s->base[i], &base);
        /* A clear that runs beside this read may have moved the base past
         * the value read first. */
        values[i] = v > base ? v - base : 0;
    }
}

void
fp_stats_clear(struct fp_stats *s)
{
    for (int i = 0; i < FP_N_STATS; i++) {
        uint64_t v;

        atomic_read_relaxed(&s->counters[i], &v);
        atomic_store_relaxed(&s->base[i], v);
    }
}

/* Adds the counters of 's' (since the last clear) to 'sum'. */
void
fp_stats_accumulate(uint64_t sum[FP_N_STATS], const struct fp_stats *s)
{
    uint64_t values[FP_N_STATS];

    fp_stats_read(s, values);
    for (int i = 0; i < FP_N_STATS; i++) {
        sum[i] += values[i];
    }
}

/* Makes 'dst', which no thread writes yet, a copy of 'src' (its counters
 * and its base). */
void
fp_stats_copy(struct fp_stats *dst, const struct fp_stats *src_)
{
    struct fp_stats *src = CONST_CAST(struct fp_stats *, src_);

    for (int i = 0; i < FP_N_STATS; i++) {
        uint64_t v;

        atomic_read_relaxed(&src->counters[i], &v);
        atomic_init(&dst->counters[i], v);
        atomic_read_relaxed(&src->base[i], &v);
        atomic_init(&dst->base[i], v);
    }
}

/* Returns the cycles a second of the TSC, which the cycle counters and the
 * PMDs' clocks count: DPDK's figure, or, where DPDK is not started (tests
 * of dummy PMD ports), one measured once against the monotonic clock. */
uint64_t
fp_tsc_hz(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    static uint64_t hz;

    if (ovsthread_once_start(&once)) {
        hz = rte_get_tsc_hz();
        if (!hz) {
            long long int t0 = time_usec(), t1;
            uint64_t c0 = rte_rdtsc(), c1;

            xnanosleep_no_quiesce(10 * 1000 * 1000);
            t1 = time_usec();
            c1 = rte_rdtsc();
            hz = (c1 - c0) * 1000000 / MAX(t1 - t0, 1);
        }
        ovsthread_once_done(&once);
    }
    return hz;
}

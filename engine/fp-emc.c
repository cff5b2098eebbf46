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

/* The exact-match cache of each polling thread: see engine/fp-emc.h. */

#include <config.h>
#include "fp-emc.h"

#include <string.h>
#include "fp-bigmem.h"
#include "fp-flow-table.h"
#include "util.h"

/* Sets of the cache; a key may sit in one of two, chosen by two slices of
 * its hash. */
enum { FP_EMC_SETS = 8192 };
BUILD_ASSERT_DECL(IS_POW2(FP_EMC_SETS));

/* Keys with more 64-bit words than this (rare: deep tunnel or IPv6
 * extension metadata) skip the cache and go to the megaflow table. */
enum { FP_EMC_KEY_U64S = 24 };

struct fp_emc_entry {
    uint32_t hash;
    uint32_t n_values;
    struct fp_flow *flow;       /* Holds a reference; NULL if empty. */
    struct flowmap map;
    uint64_t values[FP_EMC_KEY_U64S];
};

struct fp_emc {
    struct fp_emc_entry entries[FP_EMC_SETS];
};

struct fp_emc *
fp_emc_create(void)
{
    return fp_bigmem_alloc(sizeof(struct fp_emc));
}

void
fp_emc_destroy(struct fp_emc *emc)
{
    if (!emc) {
        return;
    }
    for (size_t i = 0; i < FP_EMC_SETS; i++) {
        fp_flow_unref(emc->entries[i].flow);
    }
    fp_bigmem_free(emc, sizeof *emc);
}

static inline struct fp_emc_entry *
slot(const struct fp_emc *emc_, uint32_t hash, int way)
{
    struct fp_emc *emc = CONST_CAST(struct fp_emc *, emc_);
    uint32_t idx = way ? hash >> 16 : hash;

    return &emc->entries[idx & (FP_EMC_SETS - 1)];
}

static inline bool
entry_matches(const struct fp_emc_entry *e, uint32_t hash,
              const struct miniflow *mf, size_t n_values)
{
    const uint64_t *values;

    if (e->hash != hash || e->n_values != n_values
        || !flowmap_equal(e->map, mf->map)) {
        return false;
    }
    /* Word by word: keys are a dozen words, a call to memcmp() costs
     * more than comparing them. */
    values = miniflow_get_values(mf);
    for (size_t i = 0; i < n_values; i++) {
        if (e->values[i] != values[i]) {
            return false;
        }
    }
    return e->flow != NULL;
}

/* Returns the live flow cached for key 'mf' (whose hash is 'hash'), or
 * NULL. */
struct fp_flow *
fp_emc_lookup(const struct fp_emc *emc, uint32_t hash,
              const struct miniflow *mf)
{
    size_t n_values = miniflow_n_values(mf);
    const struct fp_emc_entry *e = slot(emc, hash, 0);

    if (!entry_matches(e, hash, mf, n_values)) {
        e = slot(emc, hash, 1);
        if (!entry_matches(e, hash, mf, n_values)) {
            return NULL;
        }
    }
    return fp_flow_is_dead(e->flow) ? NULL : e->flow;
}

/* Prefetches the first set that key hash 'hash' may sit in. */
void
fp_emc_prefetch(const struct fp_emc *emc, uint32_t hash)
{
    OVS_PREFETCH(slot(emc, hash, 0));
}

/* Caches 'flow' for key 'mf'.  Replaces an empty or dead entry of the two
 * the key may use, or else the first. */
void
fp_emc_insert(struct fp_emc *emc, uint32_t hash, const struct miniflow *mf,
              struct fp_flow *flow)
{
    size_t n_values = miniflow_n_values(mf);
    struct fp_emc_entry *e = slot(emc, hash, 0);

    if (n_values > FP_EMC_KEY_U64S) {
        return;
    }
    if (e->flow && !fp_flow_is_dead(e->flow)) {
        struct fp_emc_entry *e1 = slot(emc, hash, 1);

        if (!e1->flow || fp_flow_is_dead(e1->flow)) {
            e = e1;
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
    e->n_values = n_values;
    e->map = mf->map;
    memcpy(e->values, miniflow_get_values(mf),
           n_values * sizeof e->values[0]);
}

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
/* The detached mode's journal of each datapath (dpif/fp-journal.h): a
 * hash map per kind of entry, whole requests as values. */

#include <config.h>
#include "fp-journal.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "ovs-thread.h"
#include "sset.h"
#include "util.h"

struct journal_entry {
    struct hmap_node node;
    uint8_t id[16];
    size_t id_len;
    struct ofpbuf msg;
};

struct journal {
    struct hmap entries[FP_JOURNAL_N_KINDS];
};

static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct shash journals OVS_GUARDED_BY(mutex)
    = SHASH_INITIALIZER(&journals);

static struct journal *
journal_find(const char *dp, bool create)
    OVS_REQUIRES(mutex)
{
    struct journal *j = shash_find_data(&journals, dp);

    if (!j && create) {
        j = xmalloc(sizeof *j);
        for (int i = 0; i < FP_JOURNAL_N_KINDS; i++) {
            hmap_init(&j->entries[i]);
        }
        shash_add(&journals, dp, j);
    }
    return j;
}

static struct journal_entry *
entry_find(struct hmap *map, const void *id, size_t id_len, uint32_t hash)
    OVS_REQUIRES(mutex)
{
    struct journal_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, hash, map) {
        if (e->id_len == id_len && !memcmp(e->id, id, id_len)) {
            return e;
        }
    }
    return NULL;
}

static void
entry_free(struct journal_entry *e)
{
    ofpbuf_uninit(&e->msg);
    free(e);
}

static void
clear_kind(struct journal *j, enum fp_journal_kind kind)
    OVS_REQUIRES(mutex)
{
    struct journal_entry *e;

    HMAP_FOR_EACH_POP (e, node, &j->entries[kind]) {
        entry_free(e);
    }
}

void
fp_journal_put(const char *dp, enum fp_journal_kind kind,
               const void *id, size_t id_len, const struct ofpbuf *msg)
{
    uint32_t hash = hash_bytes(id, id_len, kind);
    struct journal_entry *e;
    struct journal *j;

    ovs_assert(id_len <= sizeof e->id);
    ovs_mutex_lock(&mutex);
    j = journal_find(dp, true);
    e = entry_find(&j->entries[kind], id, id_len, hash);
    if (e) {
        ofpbuf_clear(&e->msg);
        ofpbuf_put(&e->msg, msg->data, msg->size);
    } else {
        e = xmalloc(sizeof *e);
        memcpy(e->id, id, id_len);
        e->id_len = id_len;
        ofpbuf_init(&e->msg, msg->size);
        ofpbuf_put(&e->msg, msg->data, msg->size);
        hmap_insert(&j->entries[kind], &e->node, hash);
    }
    ovs_mutex_unlock(&mutex);
}

void
fp_journal_forget(const char *dp, enum fp_journal_kind kind,
                  const void *id, size_t id_len)
{
    struct journal *j;

    ovs_mutex_lock(&mutex);
    j = journal_find(dp, false);
    if (j) {
        struct journal_entry *e = entry_find(&j->entries[kind], id, id_len,
                                             hash_bytes(id, id_len, kind));
        if (e) {
            hmap_remove(&j->entries[kind], &e->node);
            entry_free(e);
        }
    }
    ovs_mutex_unlock(&mutex);
}

void
fp_journal_forget_kind(const char *dp, enum fp_journal_kind kind)
{
    struct journal *j;

    ovs_mutex_lock(&mutex);
    j = journal_find(dp, false);
    if (j) {
        clear_kind(j, kind);
    }
    ovs_mutex_unlock(&mutex);
}

void
fp_journal_forget_dp(const char *dp)
{
    struct journal *j;

    ovs_mutex_lock(&mutex);
    j = shash_find_and_delete(&journals, dp);
    if (j) {
        for (int i = 0; i < FP_JOURNAL_N_KINDS; i++) {
            clear_kind(j, i);
            hmap_destroy(&j->entries[i]);
        }
        free(j);
    }
    ovs_mutex_unlock(&mutex);
}

bool
fp_journal_has_dp(const char *dp)
{
    return fp_journal_count(dp, FP_JOURNAL_DP) > 0;
}

size_t
fp_journal_count(const char *dp, enum fp_journal_kind kind)
{
    struct journal *j;
    size_t n;

    ovs_mutex_lock(&mutex);
    j = journal_find(dp, false);
    n = j ? hmap_count(&j->entries[kind]) : 0;
    ovs_mutex_unlock(&mutex);
    return n;
}

void
fp_journal_dps(struct sset *names)
{
    struct shash_node *node;

    ovs_mutex_lock(&mutex);
    SHASH_FOR_EACH (node, &journals) {
        sset_add(names, node->name);
    }
    ovs_mutex_unlock(&mutex);
}

struct port_ref {
    uint32_t port_no;
    const struct ofpbuf *msg;
};

static int
compare_port_refs(const void *a_, const void *b_)
{
    const struct port_ref *a = a_, *b = b_;

    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

struct ofpbuf **
fp_journal_get(const char *dp, size_t *n)
{
    struct ofpbuf **msgs = NULL;
    struct journal *j;

    *n = 0;
    ovs_mutex_lock(&mutex);
    j = journal_find(dp, false);
    if (j) {
        size_t total = 0;

        for (int i = 0; i < FP_JOURNAL_N_KINDS; i++) {
            total += hmap_count(&j->entries[i]);
        }
        msgs = xmalloc(MAX(total, 1) * sizeof *msgs);
        for (int i = 0; i < FP_JOURNAL_N_KINDS; i++) {
            const struct journal_entry *e;

            if (i == FP_JOURNAL_PORT) {
                size_t n_ports = hmap_count(&j->entries[i]), k = 0;
                struct port_ref *refs = xmalloc(MAX(n_ports, 1)
                                                * sizeof *refs);

                HMAP_FOR_EACH (e, node, &j->entries[i]) {
                    uint32_t port_no;

                    memcpy(&port_no, e->id, sizeof port_no);
                    refs[k].port_no = port_no;
                    refs[k++].msg = &e->msg;
                }
                qsort(refs, n_ports, sizeof *refs, compare_port_refs);
                for (k = 0; k < n_ports; k++) {
                    msgs[(*n)++] = ofpbuf_clone(refs[k].msg);
                }
                free(refs);
            } else {
                HMAP_FOR_EACH (e, node, &j->entries[i]) {
                    msgs[(*n)++] = ofpbuf_clone(&e->msg);
                }
            }
        }
    }
    ovs_mutex_unlock(&mutex);
    return msgs;
}

void
fp_journal_free(struct ofpbuf **msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpbuf_delete(msgs[i]);
    }
    free(msgs);
}

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
#ifndef FP_JOURNAL_H
#define FP_JOURNAL_H 1

/* What ovs-vswitchd holds in each of fastpathd's datapaths, in the
 * detached mode: the request that makes the datapath, its settings, its
 * meters under their ids, its flows under their ufids and its ports under
 * their numbers, each kept as the channel request that would make it
 * again.  A fastpathd that starts anew has none of it; the client
 * (dpif/fp-client.c) then sends the journal of each datapath that
 * fastpathd lacks, in that order (meters before the flows that use them,
 * flows before the ports, whose traffic would otherwise miss, from the
 * moment the port polls, until they are in),
 * so that ofproto-dpif's ports, meters and ukeys are true again without
 * its knowing.
 *
 * Thread safe: handlers and revalidators write flows concurrently. */

#include <stdbool.h>
#include <stddef.h>

struct ofpbuf;
struct sset;

enum fp_journal_kind {
    FP_JOURNAL_DP,              /* One entry: DP_OPEN with CREATE. */
    FP_JOURNAL_CONFIG,          /* One entry: DP_SET_CONFIG. */
    FP_JOURNAL_METER,           /* METER_SET, by meter id. */
    FP_JOURNAL_FLOW,            /* FLOW_PUT with CREATE, by ufid. */
    FP_JOURNAL_PORT,            /* PORT_ADD with PORT_NO, by port number. */
    FP_JOURNAL_N_KINDS
};

/* 'id' names the entry within its kind (at most 16 bytes); 'msg' is a
 * finished channel message, copied. */
void fp_journal_put(const char *dp, enum fp_journal_kind,
                    const void *id, size_t id_len, const struct ofpbuf *msg);
void fp_journal_forget(const char *dp, enum fp_journal_kind,
                       const void *id, size_t id_len);
void fp_journal_forget_kind(const char *dp, enum fp_journal_kind);
void fp_journal_forget_dp(const char *dp);
bool fp_journal_has_dp(const char *dp);
size_t fp_journal_count(const char *dp, enum fp_journal_kind);

void fp_journal_dps(struct sset *names);

/* Copies of the entries of 'dp', in the order they are to be sent again
 * (kinds in order, ports by number); to free with fp_journal_free(). */
struct ofpbuf **fp_journal_get(const char *dp, size_t *n);
void fp_journal_free(struct ofpbuf **, size_t n);

#endif /* fp-journal.h */

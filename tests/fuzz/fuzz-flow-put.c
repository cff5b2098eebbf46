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

/* Fuzz harness: flow puts from netlink attributes, as dpctl/add-flow and
 * dpctl/mod-flow send them (any administrator can).  An input is a flags
 * byte, then the key, the mask and the actions, each a big-endian 16-bit
 * length and that many bytes of ODP attributes.  The put creates or
 * modifies the flow (flags bit 0: modify too); a flow that the datapath
 * takes is then read back, a frame composed from its key goes through it,
 * and it is deleted.  The actions include ct() with NAT, meters,
 * recirculation, tunnels, and everything else ODP has.
 *
 * With FUZZ_SEEDS_FROM=FILE and FUZZ_SEEDS_TO=DIR in the environment, it
 * first writes DIR/seed-N for the Nth line "KEY_AND_MASK ACTIONS" of FILE
 * (dpctl/add-flow syntax, separated by a tab). */

#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "fp-datapath.h"
#include "fuzz-dp.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put_chunk(FILE *f, const struct ofpbuf *b)
{
    uint8_t len[2] = { b->size >> 8, b->size & 0xff };

    fwrite(len, 1, 2, f);
    fwrite(b->data, 1, b->size, f);
}

static void
write_seeds(const char *from, const char *to)
{
    FILE *in = fopen(from, "r");
    char line[4096];
    int n = 0;

    if (!in) {
        ovs_fatal(errno, "%s", from);
    }
    while (fgets(line, sizeof line, in)) {
        struct ofpbuf key, mask, acts;
        char *tab = strchr(line, '\t');
        char *error = NULL;
        char path[4096];
        FILE *out;

        if (!tab || line[0] == '#') {
            continue;
        }
        *tab = '\0';
        tab[strcspn(tab + 1, "\n") + 1] = '\0';
        ofpbuf_init(&key, 0);
        ofpbuf_init(&mask, 0);
        ofpbuf_init(&acts, 0);
        if (odp_flow_from_string(line, NULL, &key, &mask, &error)
            || odp_actions_from_string(tab + 1, NULL, &acts)) {
            ovs_fatal(0, "%s: line %d does not parse (%s)", from, n + 1,
                      error ? error : "actions");
        }
        snprintf(path, sizeof path, "%s/seed-%d", to, ++n);
        out = fopen(path, "w");
        if (!out) {
            ovs_fatal(errno, "%s", path);
        }
        fputc(1, out);
        put_chunk(out, &key);
        put_chunk(out, &mask);
        put_chunk(out, &acts);
        fclose(out);
        ofpbuf_uninit(&key);
        ofpbuf_uninit(&mask);
        ofpbuf_uninit(&acts);
    }
    fclose(in);
}

int
LLVMFuzzerInitialize(int *argc OVS_UNUSED, char ***argv OVS_UNUSED)
{
    const char *from = getenv("FUZZ_SEEDS_FROM");
    const char *to = getenv("FUZZ_SEEDS_TO");

    if (from && to) {
        write_seeds(from, to);
    }
    return 0;
}

/* Takes the next chunk of '*data' into '*chunk' and '*len'.  Returns false
 * if there is not that much. */
static bool
next_chunk(const uint8_t **data, size_t *size, const struct nlattr **chunk,
           size_t *len)
{
    if (*size < 2) {
        return false;
    }
    *len = ((*data)[0] << 8) | (*data)[1];
    if (*len > *size - 2) {
        return false;
    }
    *chunk = (const struct nlattr *) (*data + 2);
    *data += 2 + *len;
    *size -= 2 + *len;
    return true;
}

/* Sends a frame whose headers are those of 'key' through the datapath. */
static void
send_matching_frame(struct fp_dp *dp, const struct nlattr *key,
                    size_t key_len)
{
    struct dp_packet packet;
    struct flow flow;

    if (odp_flow_key_to_flow(key, key_len, &flow, NULL) == ODP_FIT_ERROR) {
        return;
    }
    dp_packet_init(&packet, 0);
    flow_compose(&packet, &flow, NULL, 0);
    fuzz_dp_receive(dp, dp_packet_data(&packet), dp_packet_size(&packet));
    dp_packet_uninit(&packet);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fp_dp *dp = fuzz_dp_get();
    const struct nlattr *key, *mask, *actions;
    size_t key_len, mask_len, actions_len;
    struct dpif_flow_put put;
    uint8_t flags;

    if (!size) {
        return 0;
    }
    flags = *data++;
    size--;
    if (!next_chunk(&data, &size, &key, &key_len)
        || !next_chunk(&data, &size, &mask, &mask_len)
        || !next_chunk(&data, &size, &actions, &actions_len)) {
        return 0;
    }

    /* The bytes are copied so that ASan sees any read past their end. */
    void *k = xmemdup(key, key_len);
    void *m = xmemdup(mask, mask_len);
    void *a = xmemdup(actions, actions_len);

    memset(&put, 0, sizeof put);
    put.flags = DPIF_FP_CREATE | (flags & 1 ? DPIF_FP_MODIFY : 0);
    put.key = k;
    put.key_len = key_len;
    put.mask = m;
    put.mask_len = mask_len;
    put.actions = a;
    put.actions_len = actions_len;
    put.pmd_id = PMD_ID_NULL;
    if (!fp_dp_flow_put(dp, &put)) {
        uint64_t stub[1024 / 8];
        struct dpif_flow flow;
        struct ofpbuf buf;

        ofpbuf_use_stub(&buf, stub, sizeof stub);
        fp_dp_flow_get(dp, NULL, k, key_len, &flow, &buf);
        ofpbuf_uninit(&buf);
        send_matching_frame(dp, k, key_len);
        fp_dp_flow_del(dp, NULL, k, key_len, NULL);
    }
    fp_dp_flow_flush(dp);
    fuzz_dp_reset(dp);
    free(k);
    free(m);
    free(a);
    return 0;
}

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

/* Fuzz harness: the parser of the channel between ovs-vswitchd and
 * fastpathd (engine/fp-chan.c), fed the bytes a client could send, as
 * fastpathd reads them: message after message from one buffer.
 *
 * Beyond "no crash, no read past the end", it checks that a parsed
 * message lies within the bytes given, that its attributes lie within the
 * message and have the sizes their types say, that "need more" is said
 * only when the bytes end before the message does, and that a HELLO, a
 * refusal and port options built from what was parsed parse back to the
 * same values, that a refusal with the input as its reason parses, and
 * that the items of flow and port lists (which ovs-vswitchd reads in
 * fastpathd's replies) parse within their item, and that the conntrack
 * values that decode (tuples, entries, zone limits, timeout policies,
 * fragment status) and meter values (settings, counters, features)
 * encode and decode again to the same values. */

#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ct-dpif.h"
#include "dpif-provider.h"
#include "fp-chan.h"
#include "fp-chan-ct.h"
#include "fp-chan-meter.h"
#include "netlink.h"
#include "netlink-protocol.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "fuzz-check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 'nla' lies within [start, start + len). */
static void
check_within(const struct nlattr *nla, const uint8_t *start, size_t len)
{
    const uint8_t *p = (const uint8_t *) nla;

    CHECK(p >= start + NLMSG_HDRLEN);
    CHECK(p + nla->nla_len <= start + len);
}

/* Builds, from 'msg', a HELLO and a refusal, and checks that they parse
 * back to what went in. */
static void
check_round_trip(const struct fp_chan_msg *msg)
{
    const char *name = (msg->attrs[FP_CHAN_A_NAME]
                        ? nl_attr_get_string(msg->attrs[FP_CHAN_A_NAME])
                        : "x");
    uint32_t version = (msg->attrs[FP_CHAN_A_VERSION]
                        ? nl_attr_get_u32(msg->attrs[FP_CHAN_A_VERSION])
                        : 0);
    struct fp_chan_msg back;
    struct ofpbuf buf;
    size_t start, len;

    ofpbuf_init(&buf, 0);
    start = buf.size;
    fp_chan_msg_start(&buf, FP_CHAN_HELLO, 0, msg->seq);
    nl_msg_put_u32(&buf, FP_CHAN_A_VERSION, version);
    nl_msg_put_string(&buf, FP_CHAN_A_NAME, name);
    fp_chan_msg_finish(&buf, start);
    fp_chan_put_error(&buf, msg->cmd, msg->seq, EPROTO, name);

    CHECK(!fp_chan_parse(buf.data, buf.size, &back, &len));
    CHECK(back.cmd == FP_CHAN_HELLO && back.seq == msg->seq);
    CHECK(nl_attr_get_u32(back.attrs[FP_CHAN_A_VERSION]) == version);
    CHECK(!strcmp(nl_attr_get_string(back.attrs[FP_CHAN_A_NAME]), name));

    CHECK(!fp_chan_parse((uint8_t *) buf.data + len, buf.size - len, &back,
                         &len));
    CHECK(back.cmd == msg->cmd && back.flags == FP_CHAN_F_REPLY);
    CHECK(nl_attr_get_u32(back.attrs[FP_CHAN_A_ERROR]) == EPROTO);
    CHECK(!strcmp(nl_attr_get_string(back.attrs[FP_CHAN_A_REASON]), name));
    ofpbuf_uninit(&buf);
}

/* Port options read from 'options' have nonempty keys, and written again
 * read back the same. */
static void
check_options(const struct nlattr *options)
{
    struct smap smap = SMAP_INITIALIZER(&smap);
    struct smap back = SMAP_INITIALIZER(&back);
    const struct smap_node *node;
    struct fp_chan_msg msg;
    struct ofpbuf buf;
    size_t start, len;

    fp_chan_get_options(options, &smap);
    SMAP_FOR_EACH (node, &smap) {
        CHECK(node->key[0] && !strchr(node->key, '='));
    }

    ofpbuf_init(&buf, 0);
    start = buf.size;
    fp_chan_msg_start(&buf, FP_CHAN_PORT_ADD, 0, 1);
    nl_msg_put_string(&buf, FP_CHAN_A_DP_NAME, "dp");
    nl_msg_put_string(&buf, FP_CHAN_A_PORT_NAME, "p");
    nl_msg_put_string(&buf, FP_CHAN_A_PORT_TYPE, "t");
    fp_chan_put_options(&buf, FP_CHAN_A_PORT_OPTIONS, &smap);
    fp_chan_msg_finish(&buf, start);
    CHECK(!fp_chan_parse(buf.data, buf.size, &msg, &len));
    fp_chan_get_options(msg.attrs[FP_CHAN_A_PORT_OPTIONS], &back);
    CHECK(smap_equal(&smap, &back));
    ofpbuf_uninit(&buf);
    smap_destroy(&smap);
    smap_destroy(&back);
}

/* Every item of the list 'list' that parses has its attributes within
 * itself. */
static void
check_items(const struct nlattr *list)
{
    const struct nlattr *item;
    size_t left;

    NL_NESTED_FOR_EACH (item, left, list) {
        const struct nlattr *a[FP_CHAN_A_MAX + 1];

        if (fp_chan_parse_item(item, a)) {
            const uint8_t *start = nl_attr_get(item);

            for (size_t i = 0; i <= FP_CHAN_A_MAX; i++) {
                if (a[i]) {
                    const uint8_t *p = (const uint8_t *) a[i];

                    CHECK(p >= start);
                    CHECK(p + a[i]->nla_len
                          <= start + nl_attr_get_size(item));
                }
            }
        }
    }
}

/* The conntrack values of 'msg' (engine/fp-chan-ct.h) that decode encode
 * again to the same values. */
static void
check_ct(const struct fp_chan_msg *msg)
{
    const struct nlattr *nla;
    struct ofpbuf buf;
    size_t left;

    ofpbuf_init(&buf, 0);
    if (msg->attrs[FP_CHAN_A_CT_TUPLE]) {
        struct ct_dpif_tuple t, back;

        if (fp_chan_get_ct_tuple(msg->attrs[FP_CHAN_A_CT_TUPLE], &t)) {
            fp_chan_put_ct_tuple(&buf, FP_CHAN_A_CT_TUPLE, &t);
            CHECK(fp_chan_get_ct_tuple(buf.data, &back));
            CHECK(!memcmp(&t, &back, sizeof t));
        }
    }
    if (msg->attrs[FP_CHAN_A_CT_ENTRIES]) {
        NL_NESTED_FOR_EACH (nla, left, msg->attrs[FP_CHAN_A_CT_ENTRIES]) {
            struct ct_dpif_entry e, back;
            struct ds a = DS_EMPTY_INITIALIZER;
            struct ds b = DS_EMPTY_INITIALIZER;

            if (!fp_chan_get_ct_entry(nla, &e)) {
                continue;
            }
            ofpbuf_clear(&buf);
            fp_chan_put_ct_entry(&buf, &e);
            CHECK(fp_chan_get_ct_entry(buf.data, &back));
            ct_dpif_format_entry(&e, &a, true, true);
            ct_dpif_format_entry(&back, &b, true, true);
            CHECK(!strcmp(ds_cstr(&a), ds_cstr(&b)));
            ds_destroy(&a);
            ds_destroy(&b);
            ct_dpif_entry_uninit(&e);
            ct_dpif_entry_uninit(&back);
        }
    }
    if (msg->attrs[FP_CHAN_A_CT_ZONE_LIMITS]) {
        struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
        struct ovs_list back = OVS_LIST_INITIALIZER(&back);

        if (fp_chan_get_zone_limits(msg->attrs[FP_CHAN_A_CT_ZONE_LIMITS],
                                    &limits)) {
            struct ds a = DS_EMPTY_INITIALIZER;
            struct ds b = DS_EMPTY_INITIALIZER;

            ofpbuf_clear(&buf);
            fp_chan_put_zone_limits(&buf, &limits);
            CHECK(fp_chan_get_zone_limits(buf.data, &back));
            ct_dpif_format_zone_limits(0, &limits, &a);
            ct_dpif_format_zone_limits(0, &back, &b);
            CHECK(!strcmp(ds_cstr(&a), ds_cstr(&b)));
            ds_destroy(&a);
            ds_destroy(&b);
        }
        ct_dpif_free_zone_limits(&limits);
        ct_dpif_free_zone_limits(&back);
    }
    if (msg->attrs[FP_CHAN_A_CT_TP]) {
        struct ct_dpif_timeout_policy tp, back;

        if (fp_chan_get_timeout_policy(msg->attrs[FP_CHAN_A_CT_TP], &tp)) {
            ofpbuf_clear(&buf);
            fp_chan_put_timeout_policy(&buf, &tp);
            CHECK(fp_chan_get_timeout_policy(buf.data, &back));
            CHECK(!memcmp(&tp, &back, sizeof tp));
        }
    }
    if (msg->attrs[FP_CHAN_A_IPF_STATUS]) {
        struct dpif_ipf_status st, back;

        if (fp_chan_get_ipf_status(msg->attrs[FP_CHAN_A_IPF_STATUS], &st)) {
            ofpbuf_clear(&buf);
            fp_chan_put_ipf_status(&buf, &st);
            CHECK(fp_chan_get_ipf_status(buf.data, &back));
            CHECK(!memcmp(&st, &back, sizeof st));
        }
    }
    if (msg->attrs[FP_CHAN_A_IPF_DUMP]) {
        struct svec lists = SVEC_EMPTY_INITIALIZER;

        fp_chan_get_strings(msg->attrs[FP_CHAN_A_IPF_DUMP], &lists);
        svec_destroy(&lists);
    }
    ofpbuf_uninit(&buf);
}

/* The meter values of 'msg' (engine/fp-chan-meter.h) that decode encode
 * again to the same values. */
static void
check_meter(const struct fp_chan_msg *msg)
{
    struct ofpbuf buf;

    ofpbuf_init(&buf, 0);
    if (msg->attrs[FP_CHAN_A_METER_CONFIG]) {
        struct ofputil_meter_config c, back;

        if (fp_chan_get_meter_config(msg->attrs[FP_CHAN_A_METER_CONFIG],
                                     &c)) {
            fp_chan_put_meter_config(&buf, &c);
            CHECK(fp_chan_get_meter_config(buf.data, &back));
            CHECK(c.flags == back.flags && c.n_bands == back.n_bands);
            CHECK(!memcmp(c.bands, back.bands,
                          c.n_bands * sizeof *c.bands));
            free(c.bands);
            free(back.bands);
        }
    }
    if (msg->attrs[FP_CHAN_A_METER_STATS]) {
        struct ofputil_meter_band_stats bands[4], back_bands[4];
        struct ofputil_meter_stats st = { .bands = bands };
        struct ofputil_meter_stats back = { .bands = back_bands };

        memset(bands, 0, sizeof bands);
        memset(back_bands, 0, sizeof back_bands);
        if (fp_chan_get_meter_stats(msg->attrs[FP_CHAN_A_METER_STATS], &st,
                                    ARRAY_SIZE(bands))) {
            ofpbuf_clear(&buf);
            fp_chan_put_meter_stats(&buf, &st);
            CHECK(fp_chan_get_meter_stats(buf.data, &back,
                                          ARRAY_SIZE(back_bands)));
            CHECK(st.packet_in_count == back.packet_in_count
                  && st.byte_in_count == back.byte_in_count
                  && st.n_bands == back.n_bands
                  && !memcmp(bands, back_bands, sizeof bands));
        }
    }
    if (msg->attrs[FP_CHAN_A_METER_FEATURES]) {
        struct ofputil_meter_features f, back;

        if (fp_chan_get_meter_features(msg->attrs[FP_CHAN_A_METER_FEATURES],
                                       &f)) {
            ofpbuf_clear(&buf);
            fp_chan_put_meter_features(&buf, &f);
            CHECK(fp_chan_get_meter_features(buf.data, &back));
            CHECK(!memcmp(&f, &back, sizeof f));
        }
    }
    ofpbuf_uninit(&buf);
}

/* A refusal whose reason is the input, however long, parses: the reason is
 * cut to what the policy takes. */
static void
check_long_reason(const uint8_t *data, size_t size)
{
    char *reason = xmemdup0((const char *) data, size);
    struct fp_chan_msg msg;
    struct ofpbuf buf;
    size_t len;

    ofpbuf_init(&buf, 0);
    fp_chan_put_error(&buf, FP_CHAN_HELLO, 1, EBUSY, reason);
    CHECK(!fp_chan_parse(buf.data, buf.size, &msg, &len));
    CHECK(len == buf.size);
    CHECK(!strncmp(nl_attr_get_string(msg.attrs[FP_CHAN_A_REASON]), reason,
                   1023));
    ofpbuf_uninit(&buf);
    free(reason);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* fastpathd parses from a buffer of its own, 4-byte aligned. */
    uint8_t *copy = xmemdup(data, size ? size : 1);
    size_t ofs = 0;

    check_long_reason(data, size);
    for (;;) {
        struct fp_chan_msg msg;
        size_t len = 0;
        int error = fp_chan_parse(copy + ofs, size - ofs, &msg, &len);

        if (error == EAGAIN) {
            uint32_t declared;

            if (size - ofs >= sizeof declared) {
                memcpy(&declared, copy + ofs, sizeof declared);
                CHECK(size - ofs >= NLMSG_HDRLEN ? declared > size - ofs
                                                 : true);
            }
            break;
        } else if (error) {
            CHECK(error == EPROTO);
            break;
        }
        CHECK(len >= NLMSG_HDRLEN && len % 4 == 0 && len <= size - ofs);
        for (size_t i = 0; i <= FP_CHAN_A_MAX; i++) {
            if (msg.attrs[i]) {
                check_within(msg.attrs[i], copy + ofs, len);
            }
        }
        if (msg.cmd == FP_CHAN_HELLO && !(msg.flags & FP_CHAN_F_REPLY)) {
            CHECK(msg.attrs[FP_CHAN_A_VERSION]);
        }
        check_round_trip(&msg);
        if (msg.attrs[FP_CHAN_A_PORT_OPTIONS]) {
            check_options(msg.attrs[FP_CHAN_A_PORT_OPTIONS]);
        }
        if (msg.attrs[FP_CHAN_A_CONFIG]) {
            check_options(msg.attrs[FP_CHAN_A_CONFIG]);
        }
        if (msg.attrs[FP_CHAN_A_FLOWS]) {
            check_items(msg.attrs[FP_CHAN_A_FLOWS]);
        }
        if (msg.attrs[FP_CHAN_A_PORTS]) {
            check_items(msg.attrs[FP_CHAN_A_PORTS]);
        }
        check_ct(&msg);
        check_meter(&msg);
        ofs += len;
    }
    free(copy);
    return 0;
}

int
LLVMFuzzerInitialize(int *argc OVS_UNUSED, char ***argv OVS_UNUSED)
{
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    return 0;
}

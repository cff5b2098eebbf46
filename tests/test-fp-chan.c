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

/* test-fp-chan: a client of fastpathd's channel for the tests, for the
 * commands whose attributes are ODP flows, which it writes from the
 * strings of ovs-dpctl's syntax with OVS's own parsers:
 *
 *     test-fp-chan SOCKET STEP...
 *
 * It says HELLO, then carries out each STEP and prints the reply:
 *
 *     flow-put DP KEY_MASK ACTIONS   (DPIF_FP_CREATE)
 *     flow-del DP KEY_MASK           (by the key's hash, as fastpathd
 *                                     names a flow put without a ufid)
 *     flow-flush DP
 *
 * tests/fp-chan.py speaks the rest of the protocol. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dpif.h"
#include "fp-chan.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "util.h"

static void
send_msg(struct stream *stream, const struct ofpbuf *buf)
{
    size_t ofs = 0;

    while (ofs < buf->size) {
        int n = stream_send(stream, (const char *) buf->data + ofs,
                            buf->size - ofs);

        if (n == -EAGAIN) {
            stream_run(stream);
            stream_send_wait(stream);
            poll_block();
        } else if (n < 0) {
            ovs_fatal(-n, "send");
        } else {
            ofs += n;
        }
    }
}

/* Receives one message and prints it. */
static void
receive_and_print(struct stream *stream)
{
    struct ofpbuf rx;
    struct fp_chan_msg msg;
    size_t len;

    ofpbuf_init(&rx, 4096);
    for (;;) {
        int error = fp_chan_parse(rx.data, rx.size, &msg, &len);
        int n;

        if (!error) {
            break;
        } else if (error != EAGAIN) {
            ovs_fatal(0, "malformed reply");
        }
        ofpbuf_prealloc_tailroom(&rx, 4096);
        n = stream_recv(stream, ofpbuf_tail(&rx), ofpbuf_tailroom(&rx));
        if (n == -EAGAIN) {
            stream_run(stream);
            stream_recv_wait(stream);
            poll_block();
        } else if (n <= 0) {
            printf("closed\n");
            exit(EXIT_FAILURE);
        } else {
            rx.size += n;
        }
    }

    printf("reply %s seq=%"PRIu32, fp_chan_cmd_name(msg.cmd), msg.seq);
    if (msg.attrs[FP_CHAN_A_ERROR]) {
        printf(" error=%s reason=%s",
               ovs_strerror(nl_attr_get_u32(msg.attrs[FP_CHAN_A_ERROR])),
               nl_attr_get_string(msg.attrs[FP_CHAN_A_REASON]));
    }
    if (msg.attrs[FP_CHAN_A_FLOW_PACKETS]) {
        printf(" packets=%"PRIu64" bytes=%"PRIu64,
               nl_attr_get_u64(msg.attrs[FP_CHAN_A_FLOW_PACKETS]),
               nl_attr_get_u64(msg.attrs[FP_CHAN_A_FLOW_BYTES]));
    }
    printf("\n");
    ofpbuf_uninit(&rx);
}

static void
parse_flow(const char *s, struct ofpbuf *key, struct ofpbuf *mask)
{
    char *error = NULL;

    if (odp_flow_from_string(s, NULL, key, mask, &error)) {
        ovs_fatal(0, "%s: %s", s, error ? error : "does not parse");
    }
}

int
main(int argc, char *argv[])
{
    struct stream *stream;
    struct ofpbuf buf;
    size_t start;
    uint32_t seq = 1;
    int error;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    if (argc < 2) {
        ovs_fatal(0, "usage: %s SOCKET STEP...", argv[0]);
    }
    char *name = xasprintf("unix:%s", argv[1]);
    error = stream_open_block(stream_open(name, &stream, 0), -1, &stream);
    if (error) {
        ovs_fatal(error, "%s", name);
    }
    free(name);

    ofpbuf_init(&buf, 0);
    start = buf.size;
    fp_chan_msg_start(&buf, FP_CHAN_HELLO, 0, seq++);
    nl_msg_put_u32(&buf, FP_CHAN_A_VERSION, FP_CHAN_VERSION);
    nl_msg_put_string(&buf, FP_CHAN_A_NAME, "test-fp-chan");
    fp_chan_msg_finish(&buf, start);
    send_msg(stream, &buf);
    receive_and_print(stream);

    for (int i = 2; i < argc; i++) {
        const char *step = argv[i];

        ofpbuf_clear(&buf);
        if (!strcmp(step, "flow-put") && i + 3 < argc) {
            struct ofpbuf key, mask, actions;
            struct dpif_flow_put put;

            ofpbuf_init(&key, 0);
            ofpbuf_init(&mask, 0);
            ofpbuf_init(&actions, 0);
            parse_flow(argv[i + 2], &key, &mask);
            if (odp_actions_from_string(argv[i + 3], NULL, &actions)) {
                ovs_fatal(0, "%s: does not parse", argv[i + 3]);
            }
            memset(&put, 0, sizeof put);
            put.flags = DPIF_FP_CREATE;
            put.key = key.data;
            put.key_len = key.size;
            put.mask = mask.data;
            put.mask_len = mask.size;
            put.actions = actions.data;
            put.actions_len = actions.size;
            fp_chan_put_flow_put(&buf, seq++, argv[i + 1], &put);
            ofpbuf_uninit(&key);
            ofpbuf_uninit(&mask);
            ofpbuf_uninit(&actions);
            i += 3;
        } else if (!strcmp(step, "flow-del") && i + 2 < argc) {
            struct ofpbuf key, mask;

            ofpbuf_init(&key, 0);
            ofpbuf_init(&mask, 0);
            parse_flow(argv[i + 2], &key, &mask);
            start = buf.size;
            fp_chan_msg_start(&buf, FP_CHAN_FLOW_DEL, 0, seq++);
            nl_msg_put_string(&buf, FP_CHAN_A_DP_NAME, argv[i + 1]);
            nl_msg_put_unspec(&buf, FP_CHAN_A_FLOW_KEY, key.data, key.size);
            fp_chan_msg_finish(&buf, start);
            ofpbuf_uninit(&key);
            ofpbuf_uninit(&mask);
            i += 2;
        } else if (!strcmp(step, "flow-flush") && i + 1 < argc) {
            start = buf.size;
            fp_chan_msg_start(&buf, FP_CHAN_FLOW_FLUSH, 0, seq++);
            nl_msg_put_string(&buf, FP_CHAN_A_DP_NAME, argv[i + 1]);
            fp_chan_msg_finish(&buf, start);
            i += 1;
        } else {
            ovs_fatal(0, "%s: unknown step or missing arguments", step);
        }
        send_msg(stream, &buf);
        receive_and_print(stream);
    }
    ofpbuf_uninit(&buf);
    stream_close(stream);
    return 0;
}

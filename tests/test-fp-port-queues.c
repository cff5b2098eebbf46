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

/* test-fp-port-queues: drives engine/fp-port-queues.c from the command
 * line, for the tests:
 *
 *     test-fp-port-queues MAX_PER_PORT STEP...
 *
 * where STEP is PORT=TEXT (queue TEXT for input port PORT; prints "full"
 * if that port's queue refuses it), PORT? (print "full" or "room" for
 * input port PORT), "-" (take the next message in turn and print it, or
 * "empty"), "*" (take them all, one line each) or "clear".  Every step's output goes on its own line; at the end the
 * queues are destroyed, so that the sanitizers see any leak. */

#include <config.h>
#include "fp-port-queues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* Takes the next message; prints it, or "empty".  Returns false if none
 * waited. */
static bool
pop_and_print(struct fp_port_queues *q)
{
    struct ofpbuf *msg = fp_port_queues_pop(q);

    if (!msg) {
        printf("empty\n");
        return false;
    }
    printf("%.*s\n", (int) msg->size, (const char *) msg->data);
    ofpbuf_delete(msg);
    return true;
}

int
main(int argc, char *argv[])
{
    struct fp_port_queues q;
    int i;

    set_program_name(argv[0]);
    if (argc < 2 || atoi(argv[1]) <= 0) {
        ovs_fatal(0, "usage: %s MAX_PER_PORT STEP...", argv[0]);
    }
    fp_port_queues_init(&q, atoi(argv[1]));
    for (i = 2; i < argc; i++) {
        const char *step = argv[i];
        const char *eq = strchr(step, '=');

        if (!strcmp(step, "-")) {
            pop_and_print(&q);
        } else if (!strcmp(step, "*")) {
            while (!fp_port_queues_is_empty(&q)) {
                pop_and_print(&q);
            }
        } else if (!strcmp(step, "clear")) {
            fp_port_queues_clear(&q);
        } else if (step[0] && step[strlen(step) - 1] == '?') {
            printf("%s\n", fp_port_queues_is_full(&q, strtoul(step, NULL, 10))
                            ? "full" : "room");
        } else if (eq) {
            struct ofpbuf *msg = ofpbuf_clone_data(eq + 1, strlen(eq + 1));

            if (!fp_port_queues_push(&q, strtoul(step, NULL, 10), msg)) {
                printf("full\n");
                ofpbuf_delete(msg);
            }
        } else {
            ovs_fatal(0, "%s: unknown step", step);
        }
    }
    printf("%"PRIuSIZE" left\n", q.n);
    fp_port_queues_destroy(&q);
    return 0;
}

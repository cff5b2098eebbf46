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

/* Catches what DPDK logs during one of our calls, and quiets the vhost
 * library's INFO lines: see fp-dpdk-log.h. */

#include <config.h>
#include "fp-dpdk-log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_log.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_dpdk_log);

/* The stream that DPDK logged to before ours: OVS's, into vlog.  Set once;
 * neither it nor ours is ever closed, since any thread may be logging. */
static FILE *next_stream;

/* Where this thread's warnings and errors go while it catches them, and
 * whether they go to the log as well. */
static __thread struct ds *caught;
static __thread bool caught_quiet;

/* Most of what one catch keeps: DPDK may log a line per device it tried. */
enum { FP_DPDK_LOG_CATCH_MAX = 512 };

static ssize_t
write_through(void *aux OVS_UNUSED, const char *buf, size_t size)
{
    if (caught && rte_log_cur_msg_loglevel() <= RTE_LOG_WARNING
        && caught->length < FP_DPDK_LOG_CATCH_MAX) {
        ds_put_buffer(caught, buf, size);
    }
    if (!caught || !caught_quiet) {
        fwrite(buf, 1, size, next_stream);
    }
    return size;
}

/* Puts our stream in front of OVS's and quiets the vhost library, once.
 * Call it after DPDK is initialized. */
void
fp_dpdk_log_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        static const cookie_io_functions_t funcs = { .write = write_through };
        FILE *stream;
        int vhost;

        next_stream = rte_log_get_stream();
        stream = fopencookie(NULL, "w", funcs);
        if (stream) {
            setbuf(stream, NULL);
            rte_openlog_stream(stream);
        } else {
            VLOG_WARN("cannot catch DPDK's log messages (%s): refused "
                      "devices will say less", ovs_strerror(errno));
        }

        /* DPDK's default level for it is INFO: anything else is the
         * user's choice (--log-level in dpdk-extra), which stays. */
        vhost = rte_log_register("lib.vhost.config");
        if (vhost >= 0 && rte_log_get_level(vhost) == RTE_LOG_INFO) {
            rte_log_set_level(vhost, RTE_LOG_WARNING);
            VLOG_INFO("DPDK's vhost library logs warnings and errors only; "
                      "other_config:dpdk-extra=--log-level=lib.vhost.config:"
                      "info shows its steps");
        }
        ovsthread_once_done(&once);
    }
}

/* Starts keeping what DPDK logs as a warning or an error from this thread,
 * until fp_dpdk_log_catch_end().  If 'quiet', nothing that this thread
 * makes DPDK log meanwhile goes to the log: for a call that failed before
 * and whose failure the caller has logged already. */
void
fp_dpdk_log_catch_start(bool quiet)
{
    fp_dpdk_log_init();
    if (!caught) {
        caught = xmalloc(sizeof *caught);
        ds_init(caught);
    }
    ds_clear(caught);
    caught_quiet = quiet;
}

/* Returns what DPDK logged as a warning or an error from this thread since
 * fp_dpdk_log_catch_start(), one line per message separated by "; ", or
 * NULL if nothing.  The caller frees it. */
char *
fp_dpdk_log_catch_end(void)
{
    struct ds *ds = caught;
    struct ds out = DS_EMPTY_INITIALIZER;
    char *save_ptr = NULL;

    caught = NULL;
    if (!ds) {
        return NULL;
    }
    for (char *line = strtok_r(ds_cstr(ds), "\n", &save_ptr); line;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        line += strspn(line, " \t");
        if (*line && !strstr(ds_cstr(&out), line)) {
            ds_put_format(&out, "%s%s", out.length ? "; " : "", line);
        }
    }
    ds_destroy(ds);
    free(ds);
    return out.length ? ds_steal_cstr(&out) : (ds_destroy(&out), NULL);
}

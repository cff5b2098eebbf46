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

/* Fuzz harness: the parsers of what users write in the database for our
 * ports and datapath.  An input is text: its first line is a port name,
 * each other line an option "key=value" (or a key alone, with an empty
 * value).  The same options go to every parser, each of which ignores
 * what is not its own:
 *
 *   - a fastpath port's options (devargs and the device name in it, n_rxq,
 *     n_rxq_desc, n_txq_desc, tx-retries-max, dpdk-lsc-interrupt);
 *   - a vhost-user server's and a client's (tx-retries-max,
 *     vhost-server-path), and the socket path: other_config:vhost-sock-dir
 *     and the port's name, then the check of the directory and length;
 *   - other_config:pmd-cpu-mask and fastpath-mempool-mbufs.
 *
 * Beyond "no crash", it checks that a parser either succeeds with values
 * in their ranges or fails with a message that starts with the port's
 * name, and that a socket path never leaves the run directory. */

#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <rte_ethdev.h>
#include "dirs.h"
#include "fp-datapath.h"
#include "fp-mempool.h"
#include "fp-vhost.h"
#include "netdev-fastpath.h"
#include "openvswitch/vlog.h"
#include "ovs-numa.h"
#include "smap.h"
#include "util.h"
#include "fuzz-check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const all_options[] = {
    "devargs", "n_rxq", "n_rxq_desc", "n_txq_desc", "tx-retries-max",
    "dpdk-lsc-interrupt", "vhost-server-path", NULL,
};

/* A parser's result: 'error' and 'msg' agree, and the message names
 * 'port'.  Frees 'msg'. */
static void
check_result(const char *port, int error, char *msg)
{
    if (error) {
        size_t len = strlen(port);

        CHECK(msg);
        CHECK(!strncmp(msg, port, len) && msg[len] == ':');
    } else {
        CHECK(!msg);
    }
    free(msg);
}

static bool
in_range(int value, int min, int max)
{
    return value >= min && value <= max;
}

static void
fuzz_fastpath_port(const char *port, const struct smap *args)
{
    struct fp_netdev_options opts;
    char *msg = NULL;
    int error;

    error = fp_netdev_check_options(port, args, all_options, &msg);
    check_result(port, error, msg);

    msg = NULL;
    error = fp_netdev_parse_options(port, args, &opts, &msg);
    check_result(port, error, msg);
    if (!error) {
        char name[RTE_ETH_NAME_MAX_LEN];

        CHECK(opts.devargs && opts.devargs[0]);
        CHECK(in_range(opts.n_rxq, 1, RTE_MAX_QUEUES_PER_PORT));
        CHECK(in_range(opts.rxq_desc, 1, FP_MAX_QUEUE_DESC)
              && is_pow2(opts.rxq_desc));
        CHECK(in_range(opts.txq_desc, 1, FP_MAX_QUEUE_DESC)
              && is_pow2(opts.txq_desc));
        CHECK(in_range(opts.tx_retries, 0, FP_MAX_TX_RETRIES));
        if (fp_devargs_name(opts.devargs, name, sizeof name)) {
            size_t len = strlen(name);

            CHECK(!strncmp(name, opts.devargs, len));
            CHECK(opts.devargs[len] == ',' || opts.devargs[len] == '\0');
        } else {
            CHECK(strcspn(opts.devargs, ",") >= sizeof name);
        }
    }
}

/* Whether 'path' has a component "..". */
static bool
has_dotdot(const char *path)
{
    for (const char *p = path; (p = strstr(p, "..")); p++) {
        if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0')) {
            return true;
        }
    }
    return false;
}

static void
fuzz_vhost_port(const char *port, const struct smap *args)
{
    const char *server_path;
    char *path = NULL;
    char *msg = NULL;
    int retries;
    int error;

    for (int client = 0; client < 2; client++) {
        msg = NULL;
        error = fp_vhost_parse_options(port, args, client, &retries,
                                       &server_path, &msg);
        check_result(port, error, msg);
        if (!error) {
            CHECK(in_range(retries, 0, FP_MAX_TX_RETRIES));
            CHECK(client ? server_path && server_path[0] : !server_path);
        }
        if (!error && client) {
            msg = NULL;
            error = fp_vhost_check_socket_path(port, server_path, &msg);
            check_result(port, error, msg);
        }
    }

    msg = NULL;
    fp_vhost_set_sock_dir(smap_get_def(args, "vhost-sock-dir", ""));
    error = fp_vhost_server_path(port, &path, &msg);
    check_result(port, error, msg);
    if (!error) {
        const char *rundir = ovs_rundir();
        size_t rlen = strlen(rundir);
        size_t plen = strlen(port);
        size_t len = strlen(path);

        /* <rundir>/[<subdir>/]<port>, and nothing climbs out of it. */
        CHECK(!strncmp(path, rundir, rlen) && path[rlen] == '/');
        CHECK(len > rlen + plen && path[len - plen - 1] == '/'
              && !strcmp(path + len - plen, port));
        CHECK(!has_dotdot(path + rlen));
        CHECK(!strchr(port, '/'));

        msg = NULL;
        error = fp_vhost_check_socket_path(port, path, &msg);
        check_result(port, error, msg);
    }
    free(path);
}

static void
fuzz_other_config(const struct smap *args)
{
    const char *cmask = smap_get(args, "pmd-cpu-mask");

    if (cmask) {
        const char *p = cmask;

        if (!fp_pmd_cmask_problem(cmask)) {
            /* Taken: hexadecimal digits, after an optional 0x. */
            if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
                p += 2;
            }
            CHECK(*p);
            for (; *p; p++) {
                CHECK(isxdigit((unsigned char) *p));
            }
        }
    }
    fp_mempool_set_config(smap_get(args, "fastpath-mempool-mbufs"));
}

int
LLVMFuzzerInitialize(int *argc OVS_UNUSED, char ***argv OVS_UNUSED)
{
    char dir[] = "/tmp/fuzz-options-XXXXXX";
    char *sub;

    if (!getenv("FUZZ_VERBOSE")) {
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    }
    /* A run directory of our own, with a subdirectory "s" for
     * vhost-sock-dir=s to find. */
    if (!mkdtemp(dir)) {
        ovs_fatal(errno, "mkdtemp");
    }
    sub = xasprintf("%s/s", dir);
    if (mkdir(sub, 0700)) {
        ovs_fatal(errno, "%s", sub);
    }
    free(sub);
    setenv("OVS_RUNDIR", dir, 1);
    ovs_numa_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct smap args = SMAP_INITIALIZER(&args);
    const char *end = (const char *) data + size;
    const char *p = (const char *) data;
    char *port = NULL;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        size_t len = (nl ? nl : end) - p;
        char *line = xmemdup0(p, len);

        /* A NUL byte ends the line, as it would in the database's C
         * strings. */
        if (!port) {
            port = line;
        } else {
            char *eq = strchr(line, '=');

            if (eq) {
                *eq = '\0';
            }
            smap_replace(&args, line, eq ? eq + 1 : "");
            free(line);
        }
        p += len + 1;
    }
    if (port) {
        fuzz_fastpath_port(port, &args);
        fuzz_vhost_port(port, &args);
    }
    fuzz_other_config(&args);

    free(port);
    smap_destroy(&args);
    return 0;
}

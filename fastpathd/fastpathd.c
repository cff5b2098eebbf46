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

/* fastpathd: the engine (engine/libfpengine.a) as a daemon of its own, the
 * process of the detached mode (Documentation/detached.rst).  It starts
 * DPDK from its command line, runs the engine's main-thread work and
 * answers the engine's commands (fastpath/show, ...) on its unixctl
 * socket, with Open vSwitch's daemon conventions (--detach, --pidfile,
 * --monitor, --log-file).  DPDK's settings are the dpdk-* keys of OVS's
 * other_config, given on the command line: they apply once, at start, and
 * ovs-vswitchd's database never restarts DPDK under running ports. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "dpdk.h"
#include "flow.h"
#include "dpif.h"
#include "fastpathd-chan.h"
#include "fastpathd-dp.h"
#include "fatal-signal.h"
#include "fp-datapath.h"
#include "netdev.h"
#include "netdev-fastpath.h"
#include "odp-execute.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-numa.h"
#include "smap.h"
#include "sset.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd);

static char *parse_options(int argc, char *argv[], struct smap *dpdk,
                           char **chan_pathp);
OVS_NO_RETURN static void usage(void);
static unixctl_cb_func fastpathd_exit;
static unixctl_cb_func fastpathd_show;

static void
run_dp(struct fp_dp *dp, void *aux OVS_UNUSED)
{
    fp_dp_run(dp);
}

static void
wait_dp(struct fp_dp *dp, void *aux OVS_UNUSED)
{
    fp_dp_wait(dp);
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct fastpathd_chan *chan;
    struct smap dpdk = SMAP_INITIALIZER(&dpdk);
    char *unixctl_path, *chan_path;
    bool exiting = false;
    int error;

    ovs_cmdl_proctitle_init(argc, argv);
    set_program_name(argv[0]);
    unixctl_path = parse_options(argc, argv, &dpdk, &chan_path);
    fatal_ignore_sigpipe();

    daemonize_start(true);
    error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        ovs_fatal(error, "cannot create the control socket %s",
                  unixctl_path ? unixctl_path : "in the run directory");
    }
    unixctl_command_register("exit", "", 0, 0, fastpathd_exit, &exiting);

    /* The channel before DPDK, so that a second fastpathd stops before it
     * touches anything. */
    error = fastpathd_chan_open(chan_path, &chan);
    if (error == EADDRINUSE) {
        ovs_fatal(0, "%s: another fastpathd listens there", chan_path);
    } else if (error) {
        ovs_fatal(error, "%s: cannot listen", chan_path);
    }
    unixctl_command_register("fastpathd/show", "", 0, 0, fastpathd_show,
                             chan);

    /* "try", so that DPDK's refusal comes back here instead of aborting
     * inside dpdk_init(). */
    smap_replace(&dpdk, "dpdk-init", "try");
    dpdk_init(&dpdk);
    if (!dpdk_available()) {
        const char *extra = smap_get_def(&dpdk, "dpdk-extra", "");

        ovs_fatal(0, "DPDK did not start with the settings given: the log "
                  "says why%s", (strstr(extra, "--no-huge")
                                 && !strstr(extra, "--legacy-mem")
                                 ? " (with --no-huge, add --legacy-mem: "
                                   "OVS's DPDK start adds --in-memory "
                                   "otherwise, which DPDK refuses with "
                                   "--no-huge)" : ""));
    }
    ovs_numa_init();            /* The cores PMD threads may run on. */
    /* Tunnel ports look their egress up in the routing table as their
     * options are set (their status' tunnel_egress_iface).  OVS's dpif
     * layer sets that table up, with what it signals changes through, the
     * first time it is asked for anything: here, its types.  The tunnel
     * class's run then follows the kernel's routes. */
    struct sset dp_types = SSET_INITIALIZER(&dp_types);
    dp_enumerate_types(&dp_types);
    sset_destroy(&dp_types);
    /* OVS's action implementations (set_masked, push_vlan and pop_vlan
     * have no other): ovs-vswitchd's bridge sets them up as it starts. */
    odp_execute_init();
    /* How many VLAN headers a flow key holds: ovs-vswitchd's bridge sets
     * it from other_config:vlan-limit (1 by default, as here) before its
     * datapath probes, and the datapath must parse packets and keys alike;
     * set_config takes the key as it comes. */
    flow_limit_vlans(1);
    fp_dp_init();
    /* The engine's port types; OVS's own (system, tap, ...) register
     * themselves. */
    fp_netdev_register_classes();
    daemonize_complete();
    vlog_enable_async();
    VLOG_INFO("fastpathd %s (Open vSwitch %s): the engine runs, without "
              "datapaths until a client creates them", FP_PACKAGE_VERSION,
              VERSION);

    while (!exiting) {
        fastpathd_chan_run(chan);
        fp_dp_for_each(run_dp, NULL);
        netdev_run();
        unixctl_server_run(unixctl);

        fastpathd_chan_wait(chan);
        fp_dp_for_each(wait_dp, NULL);
        netdev_wait();
        unixctl_server_wait(unixctl);
        if (exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }
    /* What is logged from here on is written before the process ends:
     * the asynchronous writer's pending lines would be lost at exit. */
    vlog_disable_async();
    VLOG_INFO("fastpathd exits");
    fastpathd_chan_close(chan);
    fastpathd_dp_destroy_all();
    unixctl_server_destroy(unixctl);
    free(chan_path);
    smap_destroy(&dpdk);
    free(unixctl_path);
    return 0;
}

static void
fastpathd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
fastpathd_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *chan)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    fastpathd_chan_show(chan, &ds);
    fastpathd_dp_show(&ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* The other_config keys that OVS's dpdk_init() reads, with what each is
 * for. */
static const char *const dpdk_keys[][2] = {
    {"dpdk-extra", "more EAL arguments, as one string"},
    {"dpdk-lcore-mask", "the EAL's cores (-c)"},
    {"dpdk-socket-mem", "huge page memory per NUMA node, in MB"},
    {"dpdk-alloc-mem", "huge page memory, in MB"},
    {"dpdk-socket-limit", "most huge page memory per NUMA node, in MB"},
    {"dpdk-hugepage-dir", "the hugetlbfs mount to use"},
};

/* Checks the setting 'arg' (KEY=VALUE) and adds it to 'dpdk'.  Returns
 * NULL, or why it is refused (the caller frees it). */
static char *
parse_setting(const char *arg, struct smap *dpdk)
{
    const char *eq = strchr(arg, '=');
    char *key;

    if (!eq || eq == arg) {
        return xasprintf("\"%s\" is not a setting: settings are KEY=VALUE",
                         arg);
    }
    key = xmemdup0(arg, eq - arg);
    for (size_t i = 0; i < ARRAY_SIZE(dpdk_keys); i++) {
        if (!strcmp(key, dpdk_keys[i][0])) {
            smap_replace(dpdk, key, eq + 1);
            free(key);
            return NULL;
        }
    }
    if (!strcmp(key, "dpdk-init")) {
        free(key);
        return (!strcmp(eq + 1, "true") ? NULL
                : xstrdup("dpdk-init: fastpathd always starts DPDK"));
    }

    char *error = xasprintf("%s is not a setting of fastpathd, which takes "
                            "only the dpdk-* keys; the datapaths' settings "
                            "(pmd-cpu-mask, vhost-sock-dir, ...) stay in the "
                            "Open_vSwitch table", key);
    free(key);
    return error;
}

/* Parses the command line: options, then KEY=VALUE settings into 'dpdk'.
 * Returns the unixctl socket's path, or NULL for the default one, and
 * the channel's socket in '*chan_pathp'. */
static char *
parse_options(int argc, char *argv[], struct smap *dpdk, char **chan_pathp)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_CHANNEL,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"channel", required_argument, NULL, OPT_CHANNEL},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);
    char *unixctl_path = NULL;

    *chan_pathp = xasprintf("%s/fastpathd.sock", ovs_rundir());
    /* A getopt_long() loop with a switch: the form that OVS's option
     * handler macros (DAEMON_OPTION_HANDLERS, VLOG_OPTION_HANDLERS) are
     * cases of. */
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);

        if (c == -1) {
            break;
        }
        switch (c) {
        case 'h':
            free(short_options);
            usage();

        case 'V':
            free(short_options);
            ovs_print_version(0, 0);
            printf("OVS Fastpath %s\n", FP_PACKAGE_VERSION);
            print_dpdk_version();
            exit(EXIT_SUCCESS);

        case OPT_UNIXCTL:
            free(unixctl_path);
            unixctl_path = xstrdup(optarg);
            break;

        case OPT_CHANNEL:
            if (strncmp(optarg, "unix:", 5) || !optarg[5]) {
                ovs_fatal(0, "--channel=%s: the channel is a Unix socket, "
                          "unix:PATH", optarg);
            }
            free(*chan_pathp);
            *chan_pathp = abs_file_name(ovs_rundir(), optarg + 5);
            break;

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS

        case '?':
            free(short_options);
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    for (int i = optind; i < argc; i++) {
        char *error = parse_setting(argv[i], dpdk);

        if (error) {
            ovs_fatal(0, "%s (use --help for the settings)", error);
        }
    }
    return unixctl_path;
}

static void
usage(void)
{
    printf("%s: the OVS Fastpath engine as a daemon of its own\n"
           "usage: %s [OPTIONS] [KEY=VALUE]...\n"
           "\nSettings (the dpdk-* keys of the Open_vSwitch table's "
           "other_config column):\n", program_name, program_name);
    for (size_t i = 0; i < ARRAY_SIZE(dpdk_keys); i++) {
        printf("  %-22s  %s\n", dpdk_keys[i][0], dpdk_keys[i][1]);
    }
    printf("\nOther options:\n"
           "  --channel=unix:PATH     the channel's socket (default: "
           "%s/fastpathd.sock)\n"
           "  --unixctl=SOCKET        override the control socket's path\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           ovs_rundir());
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}

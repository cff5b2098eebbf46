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

/* fp-floor: the floor of a forwarding benchmark.
 *
 * The program is a small DPDK application that forwards every packet
 * received on one ethdev port to another, with a plain rx burst, tx burst
 * loop on the main lcore and no switching at all, so that it measures what
 * the devices alone cost.  The EAL arguments create the two devices: the
 * first port is the source, the second the sink.  After a warm-up, it
 * counts packets and the TSC cycles of the loop iterations that received
 * any, and prints one line of results on stdout, its only output there. */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define MAX_BURST 64            /* Upper bound accepted for --burst. */
#define RX_DESC 1024            /* Rx ring size asked of each port. */
#define TX_DESC 1024            /* Tx ring size asked of each port. */
#define POOL_CACHE 256u         /* Per lcore mempool cache. */
#define MIN_MBUFS 64            /* Lower bound accepted for --mbufs. */
#define MAX_SECONDS 1e6         /* Upper bound for --seconds, --warmup. */
#define POOL_NAME "fp_floor_pool"

/* What the command line asked for. */
struct options {
    double seconds;             /* --seconds. */
    double warmup;              /* --warmup. */
    unsigned int mbufs;         /* --mbufs. */
    unsigned int burst;         /* --burst. */
};

/* What one forwarding run counted. */
struct counters {
    uint64_t rx;                /* Packets received. */
    uint64_t tx;                /* Packets sent. */
    uint64_t busy;              /* TSC cycles of iterations that received. */
    uint64_t start;             /* TSC when the run started. */
    uint64_t end;               /* TSC when it ended. */
};

/* A port and how far its setup got. */
struct port {
    uint16_t id;
    const char *role;           /* "source" or "sink", for messages. */
    char name[RTE_ETH_NAME_MAX_LEN];
    bool configured;
    bool started;
};

static volatile sig_atomic_t stop_requested;

static void
warn_msg(const char *format, ...)
{
    va_list args;

    fputs("fp-floor: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

static void
signal_handler(int signum __rte_unused)
{
    stop_requested = 1;
}

static void
usage(FILE *stream)
{
    fprintf(stream,
"usage: fp-floor [EAL args] -- [options]\n"
"\n"
"Forwards every packet received on the first ethdev port (the source) to\n"
"the second (the sink), which the EAL arguments create, e.g.\n"
"  --no-pci --in-memory --vdev net_pcap0,rx_pcap=FILE,infinite_rx=1\n"
"  --vdev net_null0,no-rx=1\n"
"and prints on stdout:\n"
"  pps=N cycles_per_packet=X rx=N tx=N\n"
"\n"
"Options:\n"
"  --seconds SEC          measure this long (default 5)\n"
"  --warmup SEC           forward this long first, uncounted (default 2)\n"
"  --mbufs N              mbufs in the pool (default 262144)\n"
"  --burst N              packets per rx burst, 1..%d (default 32)\n"
"  --help                 print this message\n", MAX_BURST);
}

/* Parses 'arg' as an unsigned integer in [min, max] into '*value'.
 * Returns true if successful. */
static bool
parse_uint(const char *arg, unsigned long long min, unsigned long long max,
           unsigned int *value)
{
    unsigned long long x;
    char *end;

    if (arg[0] < '0' || arg[0] > '9') {
        return false;
    }
    errno = 0;
    x = strtoull(arg, &end, 10);
    if (errno || *end != '\0' || x < min || x > max) {
        return false;
    }
    *value = x;
    return true;
}

/* Parses 'arg' as a number of seconds in [min, MAX_SECONDS] into '*value'.
 * Returns true if successful. */
static bool
parse_seconds(const char *arg, double min, double *value)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !isfinite(x)
        || x < min || x > MAX_SECONDS) {
        return false;
    }
    *value = x;
    return true;
}

enum {
    OPT_SECONDS = UCHAR_MAX + 1,
    OPT_WARMUP,
    OPT_MBUFS,
    OPT_BURST,
    OPT_HELP,
};

/* Parses the application options in 'argv' (argv[0] is the program name)
 * into 'opts'.  Returns 0 if successful, 1 on a bad command line, or -1 if
 * --help was given. */
static int
parse_options(int argc, char *argv[], struct options *opts)
{
    static const struct option long_options[] = {
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"mbufs", required_argument, NULL, OPT_MBUFS},
        {"burst", required_argument, NULL, OPT_BURST},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int index;
    int c;

    opts->seconds = 5.0;
    opts->warmup = 2.0;
    opts->mbufs = 262144;
    opts->burst = 32;

    optind = 1;
    opterr = 0;
    for (;;) {
        const char *name;
        bool ok = true;

        index = -1;
        c = getopt_long(argc, argv, "+:", long_options, &index);
        if (c == -1) {
            break;
        }
        name = (index >= 0 ? long_options[index].name
                : optind > 0 && optind <= argc ? argv[optind - 1] : "?");

        switch (c) {
        case OPT_SECONDS:
            ok = parse_seconds(optarg, 0.001, &opts->seconds);
            break;
        case OPT_WARMUP:
            ok = parse_seconds(optarg, 0.0, &opts->warmup);
            break;
        case OPT_MBUFS:
            ok = parse_uint(optarg, MIN_MBUFS, UINT_MAX, &opts->mbufs);
            break;
        case OPT_BURST:
            ok = parse_uint(optarg, 1, MAX_BURST, &opts->burst);
            break;
        case OPT_HELP:
            usage(stdout);
            return -1;
        case ':':
            warn_msg("option %s needs an argument (use --help for help)",
                     name);
            return 1;
        default:
            warn_msg("unknown option %s (use --help for help)", name);
            return 1;
        }
        if (!ok) {
            warn_msg("bad value \"%s\" for --%s (use --help for help)",
                     optarg, name);
            return 1;
        }
    }
    if (optind < argc) {
        warn_msg("unexpected argument \"%s\" (use --help for help)",
                 argv[optind]);
        return 1;
    }
    return 0;
}

/* Returns the NUMA socket of 'port', or SOCKET_ID_ANY if it has none. */
static int
port_socket(uint16_t port)
{
    int socket = rte_eth_dev_socket_id(port);

    return socket >= 0 ? socket : SOCKET_ID_ANY;
}

/* Configures 'p' with one rx and one tx queue, the rx queue taking its
 * mbufs from 'pool' of 'n_mbufs'.  Returns 0 if successful, otherwise
 * -1. */
static int
setup_port(struct port *p, struct rte_mempool *pool, unsigned int n_mbufs)
{
    struct rte_eth_dev_info info;
    struct rte_eth_conf conf;
    uint16_t n_rxd = RX_DESC;
    uint16_t n_txd = TX_DESC;
    int socket = port_socket(p->id);
    int error;

    error = rte_eth_dev_info_get(p->id, &info);
    if (error) {
        warn_msg("%s port %s: cannot get device info (%s)",
                 p->role, p->name, rte_strerror(-error));
        return -1;
    }

    memset(&conf, 0, sizeof conf);
    error = rte_eth_dev_configure(p->id, 1, 1, &conf);
    if (error) {
        warn_msg("%s port %s: cannot configure 1 rx and 1 tx queue (%s)",
                 p->role, p->name, rte_strerror(-error));
        return -1;
    }
    p->configured = true;

    error = rte_eth_dev_adjust_nb_rx_tx_desc(p->id, &n_rxd, &n_txd);
    if (error) {
        warn_msg("%s port %s: cannot adjust ring sizes (%s)",
                 p->role, p->name, rte_strerror(-error));
        return -1;
    }

    error = rte_eth_rx_queue_setup(p->id, 0, n_rxd, socket, NULL, pool);
    if (error) {
        warn_msg("%s port %s: cannot set up rx queue of %"PRIu16" "
                 "descriptors (%s)", p->role, p->name, n_rxd,
                 rte_strerror(-error));
        if (info.driver_name && !strcmp(info.driver_name, "net_pcap")) {
            /* With infinite_rx, net_pcap copies the whole file into mbufs
             * of this pool here. */
            warn_msg("(with infinite_rx, the pcap file may have more frames "
                     "than --mbufs %u allows)", n_mbufs);
        }
        return -1;
    }

    error = rte_eth_tx_queue_setup(p->id, 0, n_txd, socket, NULL);
    if (error) {
        warn_msg("%s port %s: cannot set up tx queue of %"PRIu16" "
                 "descriptors (%s)", p->role, p->name, n_txd,
                 rte_strerror(-error));
        return -1;
    }
    return 0;
}

/* Starts 'p'.  Returns 0 if successful, otherwise -1. */
static int
start_port(struct port *p)
{
    int error = rte_eth_dev_start(p->id);

    if (error) {
        warn_msg("%s port %s: cannot start (%s)",
                 p->role, p->name, rte_strerror(-error));
        return -1;
    }
    p->started = true;
    return 0;
}

/* Stops and closes 'p', as far as it was set up. */
static void
close_port(struct port *p)
{
    int error;

    if (p->started) {
        error = rte_eth_dev_stop(p->id);
        if (error) {
            warn_msg("%s port %s: cannot stop (%s)",
                     p->role, p->name, rte_strerror(-error));
        }
        p->started = false;
    }
    if (p->configured) {
        error = rte_eth_dev_close(p->id);
        if (error) {
            warn_msg("%s port %s: cannot close (%s)",
                     p->role, p->name, rte_strerror(-error));
        }
        p->configured = false;
    }
}

/* Forwards packets from queue 0 of port 'src' to queue 0 of port 'dst',
 * up to 'burst' at a time, for 'cycles' TSC cycles or until a signal
 * arrives.  Fills in 'c'.
 *
 * An iteration's time runs from the TSC reading that ends the previous
 * one, just before its rx burst, to the reading after its tx burst and
 * free, so each iteration reads the TSC once. */
static void
forward(uint16_t src, uint16_t dst, uint16_t burst, uint64_t cycles,
        struct counters *c)
{
    struct rte_mbuf *pkts[MAX_BURST];
    uint64_t rx = 0, tx = 0, busy = 0;
    uint64_t before = rte_rdtsc();
    uint64_t end = before + cycles;

    c->start = before;
    while (before < end && !stop_requested) {
        uint16_t n = rte_eth_rx_burst(src, 0, pkts, burst);
        uint64_t after;

        if (n) {
            uint16_t sent = rte_eth_tx_burst(dst, 0, pkts, n);

            if (sent < n) {
                rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
            }
            after = rte_rdtsc();
            busy += after - before;
            rx += n;
            tx += sent;
        } else {
            after = rte_rdtsc();
        }
        before = after;
    }
    c->end = before;
    c->rx = rx;
    c->tx = tx;
    c->busy = busy;
}

/* Prints the results in 'c' as one line on 'stream'. */
static void
print_results(const struct counters *c, FILE *stream)
{
    double seconds = (double) (c->end - c->start) / rte_get_tsc_hz();
    uint64_t pps = seconds > 0 ? (uint64_t) (c->tx / seconds + 0.5) : 0;
    double cpp = c->rx ? (double) c->busy / c->rx : 0.0;

    fprintf(stream, "pps=%"PRIu64" cycles_per_packet=%.1f rx=%"PRIu64" "
            "tx=%"PRIu64"\n", pps, cpp, c->rx, c->tx);
}

/* Returns the TSC cycles in 'seconds'. */
static uint64_t
seconds_to_cycles(double seconds)
{
    return (uint64_t) (seconds * rte_get_tsc_hz());
}

int
main(int argc, char *argv[])
{
    struct port ports[2] = {
        { .role = "source" },
        { .role = "sink" },
    };
    struct counters counters;
    struct rte_mempool *pool = NULL;
    struct options opts;
    struct sigaction sa;
    FILE *results;
    char **eal_argv;
    unsigned int cache;
    uint16_t port_id;
    int n_ports;
    int eal_argc;
    int status = EXIT_FAILURE;
    int socket;
    int ret;
    int i;

    /* Split the command line at "--": EAL arguments before, ours after. */
    for (eal_argc = 1; eal_argc < argc; eal_argc++) {
        if (!strcmp(argv[eal_argc], "--")) {
            break;
        }
    }
    if (eal_argc < argc) {
        /* getopt_long() wants argv[0]; "--" stands in for it. */
        ret = parse_options(argc - eal_argc, &argv[eal_argc], &opts);
    } else {
        char *no_args[] = { argv[0], NULL };

        ret = parse_options(1, no_args, &opts);
    }
    if (ret) {
        return ret < 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }

    /* DPDK writes some messages, e.g. its usage, to stdout: send them to
     * stderr, keeping the real stdout for our results. */
    ret = dup(STDOUT_FILENO);
    results = ret >= 0 ? fdopen(ret, "w") : NULL;
    if (!results || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        warn_msg("cannot redirect stdout (%s)", strerror(errno));
        return EXIT_FAILURE;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* The EAL may reorder and rewrite its arguments: give it a copy. */
    eal_argv = calloc(eal_argc + 1, sizeof *eal_argv);
    if (!eal_argv) {
        warn_msg("out of memory");
        return EXIT_FAILURE;
    }
    memcpy(eal_argv, argv, eal_argc * sizeof *eal_argv);

    /* The first signal ends the run, a second one kills. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* Send DPDK's log to stderr. */
    rte_openlog_stream(stderr);

    ret = rte_eal_init(eal_argc, eal_argv);
    if (ret < 0) {
        warn_msg("cannot initialize DPDK EAL (%s)", rte_strerror(rte_errno));
        free(eal_argv);
        return EXIT_FAILURE;
    }
    if (ret < eal_argc - 1) {
        warn_msg("unexpected EAL argument \"%s\"", eal_argv[ret + 1]);
        goto out;
    }

    n_ports = rte_eth_dev_count_avail();
    if (n_ports != 2) {
        warn_msg("need exactly 2 ethdev ports (source and sink), found %d%s",
                 n_ports, n_ports < 2 ? "; did a --vdev fail to probe?" : "");
        goto out;
    }
    i = 0;
    RTE_ETH_FOREACH_DEV (port_id) {
        ports[i].id = port_id;
        if (rte_eth_dev_get_name_by_port(port_id, ports[i].name)) {
            snprintf(ports[i].name, sizeof ports[i].name, "%"PRIu16,
                     port_id);
        }
        i++;
    }

    /* The source port allocates all the mbufs, so put them near it. */
    socket = port_socket(ports[0].id);
    /* A mempool must hold at least 1.5 times its cache size. */
    cache = RTE_MIN(POOL_CACHE, opts.mbufs / 3 * 2);
    pool = rte_pktmbuf_pool_create(POOL_NAME, opts.mbufs, cache, 0,
                                   RTE_MBUF_DEFAULT_BUF_SIZE, socket);
    if (!pool) {
        warn_msg("cannot create a pool of %u mbufs (%s); use fewer --mbufs "
                 "or give the EAL more memory", opts.mbufs,
                 rte_strerror(rte_errno));
        goto out;
    }

    for (i = 0; i < 2; i++) {
        if (setup_port(&ports[i], pool, opts.mbufs)) {
            goto out;
        }
    }
    for (i = 0; i < 2; i++) {
        if (start_port(&ports[i])) {
            goto out;
        }
    }
    /* Let a physical source port take frames for any address; virtual
     * devices may not support this, which does not matter. */
    rte_eth_promiscuous_enable(ports[0].id);

    memset(&counters, 0, sizeof counters);
    forward(ports[0].id, ports[1].id, opts.burst,
            seconds_to_cycles(opts.warmup), &counters);
    if (!stop_requested) {
        forward(ports[0].id, ports[1].id, opts.burst,
                seconds_to_cycles(opts.seconds), &counters);
    } else {
        memset(&counters, 0, sizeof counters);
    }
    print_results(&counters, results);
    if (fflush(results)) {
        warn_msg("cannot write results (%s)", strerror(errno));
    } else {
        status = EXIT_SUCCESS;
    }

out:
    for (i = 0; i < 2; i++) {
        close_port(&ports[i]);
    }
    rte_mempool_free(pool);
    rte_eal_cleanup();
    free(eal_argv);
    fclose(results);
    return status;
}

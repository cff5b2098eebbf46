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

/* fp-guest: a stand-in for a virtual machine attached to a vhost-user
 * socket.
 *
 * The program is a small DPDK application that creates one virtio-user
 * device (the same virtio-net front end a QEMU guest presents) on a
 * vhost-user socket, sends generated or recorded frames through it, and
 * counts, records or reflects whatever it receives.  Everything runs on
 * the main lcore.  Its only output on stdout is the final statistics, so
 * that tests and benchmarks can parse it. */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#define BURST 32                /* Packets per rx or tx burst. */
#define MAX_QUEUES 128          /* Upper bound accepted for --queues. */
#define MAX_VIRTIO_QUEUES 8     /* DPDK 22.11 virtio-user's limit. */
#define MAX_QUEUE_SIZE 32768    /* Upper bound accepted for --queue-size. */
#define MIN_FRAME 60            /* Smallest --size (no CRC). */
#define MAX_FRAME 1518          /* Largest --size (no CRC). */
#define MAX_PCAP_FRAME 9728     /* Largest frame accepted from --pcap-in. */
#define UDP_SRC_PORT_BASE 1024  /* Source port of flow 0. */
#define UDP_DST_PORT 9          /* The "discard" port. */
#define PORTS_PER_ADDR (65536 - UDP_SRC_PORT_BASE)
#define MAX_FLOWS UINT32_MAX
#define POOL_HEADROOM 4096      /* Spare mbufs beyond the rings' needs. */
#define POOL_CACHE 256
#define MAX_MEM_REGIONS 8       /* vhost-user limit on shared memory files. */
#define EAL_ARGS_MAX 256        /* Most EAL arguments accepted, plus 2. */

#define VIRTIO_USER_NAME "net_virtio_user0"
#define VHOST_NAME "net_vhost0"

/* What the command line asked for. */
struct options {
    const char *socket;         /* --socket. */
    bool server;                /* --server. */
    bool backend;               /* --backend. */
    unsigned int queues;        /* --queues. */
    unsigned int queue_size;    /* --queue-size. */
    bool mrg_rxbuf;             /* Cleared by --no-mrg-rxbuf. */
    struct rte_ether_addr mac;  /* --mac. */
    struct rte_ether_addr dst_mac;  /* --dst-mac. */
    struct rte_ether_addr src_mac;  /* --src-mac. */
    bool src_mac_set;
    uint64_t send_count;        /* --send-count. */
    uint64_t prime;             /* --prime. */
    const char *prime_file;     /* --prime-file. */
    double rate;                /* --rate, 0 for unlimited. */
    double duration;            /* --duration, negative when not given. */
    double linger;              /* --linger. */
    double connect_timeout;     /* --connect-timeout. */
    double start_delay;         /* --start-delay. */
    const char *start_file;     /* --start-file. */
    const char *pcap_in;        /* --pcap-in. */
    const char *pcap_out;       /* --pcap-out. */
    const char *stats_file;     /* --stats. */
    const char *gap_log;        /* --gap-log. */
    unsigned int size;          /* --size. */
    unsigned int flows;         /* --flows. */
    bool echo;                  /* --echo. */
    bool wait_link;             /* --wait-link. */
    unsigned int idle_sleep;    /* --idle-sleep, in microseconds. */
};

/* One frame read from --pcap-in. */
struct pcap_frame {
    uint8_t *data;
    uint32_t len;
    uint32_t hash;              /* Flow hash, chooses the tx queue. */
};

/* Packets handed to a tx queue that it has not taken yet. */
struct txbuf {
    struct rte_mbuf *pkts[BURST];
    unsigned int head;          /* First packet not yet sent. */
    unsigned int n;             /* Number of packets not yet sent. */
};

/* Per queue pair state. */
struct queue {
    uint64_t rx_packets;
    uint64_t rx_bytes;
    uint64_t tx_packets;
    uint64_t tx_bytes;
    struct txbuf send;          /* Generated or replayed packets. */
    struct txbuf echo;          /* Packets being reflected. */
};

/* The whole program state. */
struct guest {
    struct options opts;
    struct rte_mempool *pool;
    uint16_t port;
    bool port_created;
    bool port_started;
    bool socket_created;        /* In server mode, remove socket at exit. */
    bool link_up;
    unsigned int link_downs;    /* Times the link went from up to down. */
    struct queue *queues;
    uint64_t end;               /* TSC time to exit, from --duration. */

    /* Sending. */
    uint64_t generated;         /* Packets built so far. */
    uint64_t primed;            /* Of those, by --prime. */
    uint8_t frame_template[MAX_FRAME];
    struct pcap_frame *frames;  /* Contents of --pcap-in. */
    size_t n_frames;

    /* Receiving. */
    uint64_t last_rx;           /* TSC time of the last frame, 0 before. */
    FILE *gap_log;              /* --gap-log, open. */
    pcap_t *pcap_dead;
    pcap_dumper_t *dumper;
    uint8_t *copy_buf;          /* Linearizes chained mbufs for pcap. */

    bool stats_error_reported;
};

static volatile sig_atomic_t stop_requested;

static void
warn_msg(const char *format, ...)
{
    va_list args;

    fputs("fp-guest: ", stderr);
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
"usage: fp-guest [EAL args] -- --socket PATH [options]\n"
"\n"
"Device:\n"
"  --socket PATH          vhost-user socket (required)\n"
"  --server               create the socket and wait for the switch\n"
"  --backend              use net_vhost (act as the switch side)\n"
"  --queues N             queue pairs (default 1)\n"
"  --queue-size N         ring size (default 256)\n"
"  --no-mrg-rxbuf         disable mergeable rx buffers\n"
"  --mac MAC              device MAC (default 52:54:00:00:00:01)\n"
"  --connect-timeout SEC  wait for socket and link (default 10)\n"
"  --wait-link            do not send before the link is up\n"
"Sending:\n"
"  --send-count N         packets to send (default 0)\n"
"  --rate PPS             packets per second (default 0: unlimited)\n"
"  --duration SEC         run this long, then exit\n"
"  --linger SEC           keep running after sending (default 1)\n"
"  --start-file FILE      do not send before FILE exists\n"
"  --prime N              once the link is up, send N frames 10 ms apart\n"
"                         before the others (not counted in --send-count)\n"
"  --prime-file FILE      do not send those before FILE exists\n"
"  --start-delay SEC      wait after link up and FILE before sending\n"
"                         (default 0)\n"
"  --pcap-in FILE         send the frames of FILE, cycling\n"
"  --size BYTES           generated frame size, 60..1518 (default 64)\n"
"  --dst-mac MAC          generated frames' destination\n"
"                         (default ff:ff:ff:ff:ff:ff)\n"
"  --src-mac MAC          generated frames' source (default --mac)\n"
"  --flows N              distinct UDP flows (default 1)\n"
"Receiving:\n"
"  --pcap-out FILE        record received frames in FILE\n"
"  --echo                 send received frames back on the same queue\n"
"  --gap-log FILE         append each silence over 20 ms between frames\n"
"Other:\n"
"  --stats FILE           rewrite FILE with statistics every 100 ms\n"
"  --idle-sleep USEC      sleep this long when idle (default 0)\n"
"  --help                 print this message\n");
}

/* Parses 'arg' as an unsigned integer in [min, max] into '*value'.
 * Returns true if successful. */
static bool
parse_uint(const char *arg, uint64_t min, uint64_t max, uint64_t *value)
{
    unsigned long long x;
    char *end;

    if (arg[0] == '-' || arg[0] == '\0') {
        return false;
    }
    errno = 0;
    x = strtoull(arg, &end, 0);
    if (errno || *end != '\0' || x < min || x > max) {
        return false;
    }
    *value = x;
    return true;
}

/* Parses 'arg' as a finite, nonnegative number into '*value'.  Returns true
 * if successful. */
static bool
parse_double(const char *arg, double *value)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !isfinite(x) || x < 0) {
        return false;
    }
    *value = x;
    return true;
}

enum {
    OPT_SOCKET = UCHAR_MAX + 1,
    OPT_SERVER,
    OPT_BACKEND,
    OPT_QUEUES,
    OPT_QUEUE_SIZE,
    OPT_NO_MRG_RXBUF,
    OPT_MAC,
    OPT_SEND_COUNT,
    OPT_RATE,
    OPT_DURATION,
    OPT_LINGER,
    OPT_CONNECT_TIMEOUT,
    OPT_START_DELAY,
    OPT_START_FILE,
    OPT_PRIME,
    OPT_PRIME_FILE,
    OPT_PCAP_IN,
    OPT_PCAP_OUT,
    OPT_SIZE,
    OPT_DST_MAC,
    OPT_SRC_MAC,
    OPT_FLOWS,
    OPT_ECHO,
    OPT_WAIT_LINK,
    OPT_STATS,
    OPT_IDLE_SLEEP,
    OPT_GAP_LOG,
    OPT_HELP,
};

/* Parses the application options in 'argv' (argv[0] is the program name)
 * into 'opts'.  Returns 0 if successful, 1 on a bad command line, or -1 if
 * --help was given. */
static int
parse_options(int argc, char *argv[], struct options *opts)
{
    static const struct option long_options[] = {
        {"socket", required_argument, NULL, OPT_SOCKET},
        {"server", no_argument, NULL, OPT_SERVER},
        {"backend", no_argument, NULL, OPT_BACKEND},
        {"queues", required_argument, NULL, OPT_QUEUES},
        {"queue-size", required_argument, NULL, OPT_QUEUE_SIZE},
        {"no-mrg-rxbuf", no_argument, NULL, OPT_NO_MRG_RXBUF},
        {"mac", required_argument, NULL, OPT_MAC},
        {"send-count", required_argument, NULL, OPT_SEND_COUNT},
        {"rate", required_argument, NULL, OPT_RATE},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"linger", required_argument, NULL, OPT_LINGER},
        {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
        {"start-delay", required_argument, NULL, OPT_START_DELAY},
        {"start-file", required_argument, NULL, OPT_START_FILE},
        {"prime", required_argument, NULL, OPT_PRIME},
        {"prime-file", required_argument, NULL, OPT_PRIME_FILE},
        {"pcap-in", required_argument, NULL, OPT_PCAP_IN},
        {"pcap-out", required_argument, NULL, OPT_PCAP_OUT},
        {"size", required_argument, NULL, OPT_SIZE},
        {"dst-mac", required_argument, NULL, OPT_DST_MAC},
        {"src-mac", required_argument, NULL, OPT_SRC_MAC},
        {"flows", required_argument, NULL, OPT_FLOWS},
        {"echo", no_argument, NULL, OPT_ECHO},
        {"wait-link", no_argument, NULL, OPT_WAIT_LINK},
        {"stats", required_argument, NULL, OPT_STATS},
        {"idle-sleep", required_argument, NULL, OPT_IDLE_SLEEP},
        {"gap-log", required_argument, NULL, OPT_GAP_LOG},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    uint64_t value;
    int index;
    int c;

    memset(opts, 0, sizeof *opts);
    opts->queues = 1;
    opts->queue_size = 256;
    opts->mrg_rxbuf = true;
    rte_ether_unformat_addr("52:54:00:00:00:01", &opts->mac);
    memset(&opts->dst_mac, 0xff, sizeof opts->dst_mac);
    opts->duration = -1.0;
    opts->linger = 1.0;
    opts->connect_timeout = 10.0;
    opts->size = 64;
    opts->flows = 1;

    optind = 1;
    opterr = 0;
    for (;;) {
        const char *name;
        bool ok = true;

        index = -1;
        c = getopt_long(argc, argv, ":", long_options, &index);
        if (c == -1) {
            break;
        }
        name = (index >= 0 ? long_options[index].name
                : optind > 0 && optind <= argc ? argv[optind - 1] : "?");

        switch (c) {
        case OPT_SOCKET:
            opts->socket = optarg;
            break;
        case OPT_SERVER:
            opts->server = true;
            break;
        case OPT_BACKEND:
            opts->backend = true;
            break;
        case OPT_QUEUES:
            ok = parse_uint(optarg, 1, MAX_QUEUES, &value);
            opts->queues = value;
            break;
        case OPT_QUEUE_SIZE:
            ok = (parse_uint(optarg, 16, MAX_QUEUE_SIZE, &value)
                  && rte_is_power_of_2(value));
            opts->queue_size = value;
            break;
        case OPT_NO_MRG_RXBUF:
            opts->mrg_rxbuf = false;
            break;
        case OPT_MAC:
            ok = !rte_ether_unformat_addr(optarg, &opts->mac);
            break;
        case OPT_SEND_COUNT:
            ok = parse_uint(optarg, 0, UINT64_MAX, &opts->send_count);
            break;
        case OPT_RATE:
            ok = parse_double(optarg, &opts->rate);
            break;
        case OPT_DURATION:
            ok = parse_double(optarg, &opts->duration);
            break;
        case OPT_LINGER:
            ok = parse_double(optarg, &opts->linger);
            break;
        case OPT_CONNECT_TIMEOUT:
            ok = parse_double(optarg, &opts->connect_timeout);
            break;
        case OPT_START_DELAY:
            ok = parse_double(optarg, &opts->start_delay);
            break;
        case OPT_START_FILE:
            opts->start_file = optarg;
            break;
        case OPT_PRIME:
            ok = parse_uint(optarg, 0, UINT64_MAX, &opts->prime);
            break;
        case OPT_PRIME_FILE:
            opts->prime_file = optarg;
            break;
        case OPT_PCAP_IN:
            opts->pcap_in = optarg;
            break;
        case OPT_PCAP_OUT:
            opts->pcap_out = optarg;
            break;
        case OPT_SIZE:
            ok = parse_uint(optarg, MIN_FRAME, MAX_FRAME, &value);
            opts->size = value;
            break;
        case OPT_DST_MAC:
            ok = !rte_ether_unformat_addr(optarg, &opts->dst_mac);
            break;
        case OPT_SRC_MAC:
            ok = !rte_ether_unformat_addr(optarg, &opts->src_mac);
            opts->src_mac_set = true;
            break;
        case OPT_FLOWS:
            ok = parse_uint(optarg, 1, MAX_FLOWS, &value);
            opts->flows = value;
            break;
        case OPT_ECHO:
            opts->echo = true;
            break;
        case OPT_WAIT_LINK:
            opts->wait_link = true;
            break;
        case OPT_STATS:
            opts->stats_file = optarg;
            break;
        case OPT_IDLE_SLEEP:
            ok = parse_uint(optarg, 0, 1000000, &value);
            opts->idle_sleep = value;
            break;
        case OPT_GAP_LOG:
            opts->gap_log = optarg;
            break;
        case OPT_HELP:
            usage(stdout);
            return -1;
        case ':':
            warn_msg("option %s requires an argument", argv[optind - 1]);
            return 1;
        default:
            warn_msg("unknown option %s (try --help)", name);
            return 1;
        }
        if (!ok) {
            warn_msg("invalid value \"%s\" for --%s", optarg, name);
            return 1;
        }
    }
    if (optind < argc) {
        warn_msg("unexpected argument \"%s\"", argv[optind]);
        return 1;
    }

    if (!opts->socket) {
        warn_msg("--socket is required (application options go after "
                 "\"--\")");
        return 1;
    }
    if (strlen(opts->socket) >= sizeof ((struct sockaddr_un *) 0)->sun_path) {
        warn_msg("socket path %s is too long", opts->socket);
        return 1;
    }
    if (strchr(opts->socket, ',')) {
        warn_msg("socket path %s must not contain a comma", opts->socket);
        return 1;
    }
    if (!opts->backend && opts->queues > MAX_VIRTIO_QUEUES) {
        warn_msg("virtio-user supports at most %d queue pairs",
                 MAX_VIRTIO_QUEUES);
        return 1;
    }
    if (!opts->src_mac_set) {
        opts->src_mac = opts->mac;
    }
    return 0;
}

/* Returns the TSC time 'seconds' after TSC time 'now', saturating instead of
 * overflowing. */
static uint64_t
cycles_after(uint64_t now, double seconds)
{
    double cycles = seconds * (double) rte_get_tsc_hz();

    if (cycles >= (double) (UINT64_MAX - now)) {
        return UINT64_MAX;
    }
    return now + (uint64_t) cycles;
}

static void
sleep_ms(unsigned int ms)
{
    struct timespec ts = {
        .tv_sec = ms / 1000,
        .tv_nsec = (long) (ms % 1000) * 1000000,
    };

    nanosleep(&ts, NULL);
}

/* Writes the statistics lines to 'stream'. */
static void
print_stats(const struct guest *g, FILE *stream)
{
    uint64_t tx_packets = 0, tx_bytes = 0, rx_packets = 0, rx_bytes = 0;
    struct rte_eth_stats dev;
    unsigned int q;

    for (q = 0; q < g->opts.queues; q++) {
        tx_packets += g->queues[q].tx_packets;
        tx_bytes += g->queues[q].tx_bytes;
        rx_packets += g->queues[q].rx_packets;
        rx_bytes += g->queues[q].rx_bytes;
    }

    fprintf(stream, "link %s\n", g->link_up ? "up" : "down");
    fprintf(stream, "link_downs %u\n", g->link_downs);
    fprintf(stream, "tx_packets %"PRIu64"\n", tx_packets);
    fprintf(stream, "tx_bytes %"PRIu64"\n", tx_bytes);
    fprintf(stream, "rx_packets %"PRIu64"\n", rx_packets);
    fprintf(stream, "rx_bytes %"PRIu64"\n", rx_bytes);
    for (q = 0; q < g->opts.queues; q++) {
        fprintf(stream, "rxq%u_packets %"PRIu64"\n",
                q, g->queues[q].rx_packets);
    }
    for (q = 0; q < g->opts.queues; q++) {
        fprintf(stream, "txq%u_packets %"PRIu64"\n",
                q, g->queues[q].tx_packets);
    }
    /* What the virtio driver itself dropped on receive: frames the switch
     * sent that never reached rx_packets. */
    if (!rte_eth_stats_get(g->port, &dev)) {
        fprintf(stream, "rx_errors %"PRIu64"\n", dev.ierrors);
        fprintf(stream, "rx_nombuf %"PRIu64"\n", dev.rx_nombuf);
        fprintf(stream, "rx_missed %"PRIu64"\n", dev.imissed);
    }
}

/* Atomically replaces the --stats file, if any, with the current
 * statistics. */
static void
write_stats_file(struct guest *g)
{
    const char *path = g->opts.stats_file;
    char tmp[PATH_MAX];
    FILE *stream;
    int n;

    if (!path) {
        return;
    }

    n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (n < 0 || (size_t) n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        goto error;
    }
    stream = fopen(tmp, "w");
    if (!stream) {
        goto error;
    }
    print_stats(g, stream);
    if (fclose(stream) || rename(tmp, path)) {
        goto error;
    }
    return;

error:
    if (!g->stats_error_reported) {
        warn_msg("%s: cannot write statistics (%s)", path, strerror(errno));
        g->stats_error_reported = true;
    }
}

/* Minimum silence between two received frames for --gap-log. */
#define GAP_LOG_MIN_MS 20

/* Called as frames arrive: with --gap-log, a silence since the last ones
 * of more than GAP_LOG_MIN_MS becomes a line "START MS": when it began, in
 * seconds since the epoch, and how long it lasted, in milliseconds. */
static void
note_rx(struct guest *g)
{
    uint64_t now = rte_get_tsc_cycles();

    if (g->gap_log && g->last_rx) {
        double ms = (double) (now - g->last_rx) * 1000 / rte_get_tsc_hz();

        if (ms > GAP_LOG_MIN_MS) {
            struct timespec ts;

            clock_gettime(CLOCK_REALTIME, &ts);
            fprintf(g->gap_log, "%.3f %.1f\n",
                    ts.tv_sec + ts.tv_nsec / 1e9 - ms / 1000, ms);
            fflush(g->gap_log);
        }
    }
    g->last_rx = now;
}

/* Refreshes g->link_up from the device. */
static void
update_link(struct guest *g)
{
    struct rte_eth_link link;
    bool was_up = g->link_up;

    memset(&link, 0, sizeof link);
    if (!g->port_started || rte_eth_link_get_nowait(g->port, &link)) {
        g->link_up = false;
    } else {
        g->link_up = link.link_status == RTE_ETH_LINK_UP;
    }
    if (was_up && !g->link_up) {
        g->link_downs++;
    }
}

/* Hash function (FNV-1a) used to spread replayed frames over queues. */
static uint32_t
hash_bytes(uint32_t hash, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        hash = (hash ^ p[i]) * 16777619u;
    }
    return hash;
}

/* Returns a hash of the flow of the 'len'-byte Ethernet frame 'p': its IP
 * addresses, protocol and ports when it is IPv4 or IPv6, otherwise its
 * Ethernet header.  Frames of one flow thus always use the same queue. */
static uint32_t
frame_flow_hash(const uint8_t *p, uint32_t len)
{
    uint32_t hash = 2166136261u;
    uint32_t ofs = 12;
    uint32_t l4 = 0;
    uint16_t type;
    uint8_t proto;

    if (len < 14) {
        return hash_bytes(hash, p, len);
    }
    type = (p[ofs] << 8) | p[ofs + 1];
    while ((type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ)
           && len >= ofs + 6) {
        ofs += 4;
        type = (p[ofs] << 8) | p[ofs + 1];
    }
    ofs += 2;

    if (type == RTE_ETHER_TYPE_IPV4 && len >= ofs + 20) {
        const uint8_t *ip = p + ofs;
        uint32_t ihl = (ip[0] & 0x0f) * 4;
        bool first_fragment = !((ip[6] & 0x1f) | ip[7]);

        proto = ip[9];
        hash = hash_bytes(hash, &proto, 1);
        hash = hash_bytes(hash, ip + 12, 8);
        if (first_fragment && ihl >= 20) {
            l4 = ofs + ihl;
        }
    } else if (type == RTE_ETHER_TYPE_IPV6 && len >= ofs + 40) {
        const uint8_t *ip = p + ofs;

        proto = ip[6];
        hash = hash_bytes(hash, &proto, 1);
        hash = hash_bytes(hash, ip + 8, 32);
        l4 = ofs + 40;
    } else {
        return hash_bytes(hash, p, 14);
    }

    if (l4 && len >= l4 + 4
        && (proto == IPPROTO_TCP || proto == IPPROTO_UDP
            || proto == IPPROTO_SCTP)) {
        hash = hash_bytes(hash, p + l4, 4);
    }
    return hash;
}

/* Reads every frame of --pcap-in into memory.  Returns 0 if successful,
 * otherwise a positive errno value. */
static int
load_pcap(struct guest *g)
{
    const char *path = g->opts.pcap_in;
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *hdr;
    size_t allocated = 0;
    bool truncated = false;
    const u_char *data;
    pcap_t *pcap;
    int error = 0;
    int ret;

    pcap = pcap_open_offline(path, errbuf);
    if (!pcap) {
        warn_msg("%s: %s", path, errbuf);
        return EINVAL;
    }
    if (pcap_datalink(pcap) != DLT_EN10MB) {
        warn_msg("%s: not an Ethernet capture (link type %d)",
                 path, pcap_datalink(pcap));
        error = EINVAL;
        goto out;
    }

    while ((ret = pcap_next_ex(pcap, &hdr, &data)) == 1) {
        struct pcap_frame *frame;

        if (hdr->caplen == 0 || hdr->caplen > MAX_PCAP_FRAME) {
            warn_msg("%s: frame %zu has unsupported length %"PRIu32,
                     path, g->n_frames + 1, (uint32_t) hdr->caplen);
            error = EINVAL;
            goto out;
        }
        if (hdr->caplen < hdr->len) {
            truncated = true;
        }
        if (g->n_frames >= allocated) {
            size_t n = allocated ? allocated * 2 : 64;
            struct pcap_frame *frames;

            frames = realloc(g->frames, n * sizeof *frames);
            if (!frames) {
                error = ENOMEM;
                goto out;
            }
            g->frames = frames;
            allocated = n;
        }
        frame = &g->frames[g->n_frames];
        frame->data = malloc(hdr->caplen);
        if (!frame->data) {
            error = ENOMEM;
            goto out;
        }
        memcpy(frame->data, data, hdr->caplen);
        frame->len = hdr->caplen;
        frame->hash = frame_flow_hash(frame->data, frame->len);
        g->n_frames++;
    }
    if (ret == -1) {
        warn_msg("%s: %s", path, pcap_geterr(pcap));
        error = EINVAL;
    } else if (!g->n_frames) {
        warn_msg("%s: capture contains no frames", path);
        error = EINVAL;
    } else if (truncated) {
        warn_msg("%s: some frames were truncated in the capture; sending "
                 "them as captured", path);
    }

out:
    if (error == ENOMEM) {
        warn_msg("%s: out of memory", path);
    }
    pcap_close(pcap);
    return error;
}

/* Fills in g->frame_template: the headers and payload shared by all
 * generated frames.  Per packet fields are set by build_frame(). */
static void
init_frame_template(struct guest *g)
{
    uint8_t *p = g->frame_template;
    struct rte_ether_hdr *eth = (struct rte_ether_hdr *) p;
    struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (eth + 1);
    struct rte_udp_hdr *udp = (struct rte_udp_hdr *) (ip + 1);
    uint8_t *payload = (uint8_t *) (udp + 1);
    unsigned int size = g->opts.size;
    unsigned int i;

    memset(p, 0, sizeof g->frame_template);
    rte_ether_addr_copy(&g->opts.dst_mac, &eth->dst_addr);
    rte_ether_addr_copy(&g->opts.src_mac, &eth->src_addr);
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

    ip->version_ihl = RTE_IPV4_VHL_DEF;
    ip->total_length = rte_cpu_to_be_16(size - sizeof *eth);
    ip->time_to_live = 64;
    ip->next_proto_id = IPPROTO_UDP;
    ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
    ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 2));

    udp->src_port = rte_cpu_to_be_16(UDP_SRC_PORT_BASE);
    udp->dst_port = rte_cpu_to_be_16(UDP_DST_PORT);
    udp->dgram_len = rte_cpu_to_be_16(size - sizeof *eth - sizeof *ip);
    udp->dgram_cksum = 0;

    for (i = 0; payload + i < p + size; i++) {
        payload[i] = i;
    }
}

/* Returns the tx queue for packet number 'seq'. */
static unsigned int
packet_queue(const struct guest *g, uint64_t seq)
{
    if (g->frames) {
        return g->frames[seq % g->n_frames].hash % g->opts.queues;
    }
    return (seq % g->opts.flows) % g->opts.queues;
}

/* Makes 'm' into packet number 'seq'.  Returns false if it does not fit. */
static bool
build_frame(struct guest *g, struct rte_mbuf *m, uint64_t seq)
{
    const uint8_t *src;
    uint32_t len;
    uint8_t *p;

    if (g->frames) {
        const struct pcap_frame *frame = &g->frames[seq % g->n_frames];

        src = frame->data;
        len = frame->len;
    } else {
        src = g->frame_template;
        len = g->opts.size;
    }

    p = (uint8_t *) rte_pktmbuf_append(m, len);
    if (!p) {
        return false;
    }
    memcpy(p, src, len);

    if (!g->frames) {
        struct rte_ether_hdr *eth = (struct rte_ether_hdr *) p;
        struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (eth + 1);
        struct rte_udp_hdr *udp = (struct rte_udp_hdr *) (ip + 1);
        uint64_t seq_be = rte_cpu_to_be_64(seq);
        uint32_t flow = seq % g->opts.flows;

        ip->packet_id = rte_cpu_to_be_16((uint16_t) seq);
        ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1)
                                        + flow / PORTS_PER_ADDR);
        ip->hdr_checksum = 0;
        ip->hdr_checksum = rte_ipv4_cksum(ip);
        udp->src_port = rte_cpu_to_be_16(UDP_SRC_PORT_BASE
                                         + flow % PORTS_PER_ADDR);
        memcpy(udp + 1, &seq_be, sizeof seq_be);
    }
    return true;
}

/* Offers the packets in 'b' to tx queue 'q'.  Returns the number of packets
 * that the queue took. */
static unsigned int
flush_txbuf(struct guest *g, unsigned int q, struct txbuf *b)
{
    struct queue *queue = &g->queues[q];
    uint64_t bytes = 0;
    unsigned int sent;
    unsigned int i;

    if (!b->n) {
        return 0;
    }

    /* A driver may free packets as soon as it has taken them, so count the
     * bytes of those that it does not take instead. */
    for (i = 0; i < b->n; i++) {
        bytes += rte_pktmbuf_pkt_len(b->pkts[b->head + i]);
    }
    sent = rte_eth_tx_burst(g->port, q, &b->pkts[b->head], b->n);
    for (i = sent; i < b->n; i++) {
        bytes -= rte_pktmbuf_pkt_len(b->pkts[b->head + i]);
    }

    queue->tx_packets += sent;
    queue->tx_bytes += bytes;
    b->head += sent;
    b->n -= sent;
    if (!b->n) {
        b->head = 0;
    }
    return sent;
}

static void
drop_txbuf(struct txbuf *b)
{
    if (b->n) {
        rte_pktmbuf_free_bulk(&b->pkts[b->head], b->n);
    }
    b->head = b->n = 0;
}

/* Returns true if some queue still holds generated packets not sent. */
static bool
send_pending(const struct guest *g)
{
    unsigned int q;

    for (q = 0; q < g->opts.queues; q++) {
        if (g->queues[q].send.n) {
            return true;
        }
    }
    return false;
}

/* Builds the next burst of packets to send, if the previous one is out and
 * the rate allows, and hands each to its queue.  'elapsed' is the number of
 * TSC cycles since sending began.  Returns the number of packets built. */
static unsigned int
generate(struct guest *g, uint64_t elapsed)
{
    struct rte_mbuf *pkts[BURST];
    uint64_t done = g->generated - g->primed;
    uint64_t n = g->opts.send_count - done;
    unsigned int i;

    if (!n || send_pending(g)) {
        return 0;
    }
    if (g->opts.rate > 0) {
        double allowed = (double) elapsed / (double) rte_get_tsc_hz()
                         * g->opts.rate + 1.0;

        if ((double) done >= allowed) {
            return 0;
        }
        if ((double) (done + n) > allowed) {
            n = (uint64_t) allowed - done;
        }
    }
    n = RTE_MIN(n, (uint64_t) BURST);
    if (!n || rte_pktmbuf_alloc_bulk(g->pool, pkts, n)) {
        /* Out of mbufs for the moment: the rings hold them.  Try again. */
        return 0;
    }

    for (i = 0; i < n; i++) {
        uint64_t seq = g->generated + i;
        struct txbuf *b = &g->queues[packet_queue(g, seq)].send;

        if (!build_frame(g, pkts[i], seq)) {
            /* Cannot happen: the pool's data room fits the largest frame. */
            rte_pktmbuf_free(pkts[i]);
            continue;
        }
        b->pkts[b->n++] = pkts[i];
    }
    g->generated += n;
    return n;
}

/* Builds the next --prime frame, if one is due at 'now' ('*next' says
 * when), for the queue its sequence number picks.  Returns 1 if it built
 * one, else 0. */
static unsigned int
generate_prime(struct guest *g, uint64_t now, uint64_t *next)
{
    struct rte_mbuf *pkt;
    struct txbuf *b;

    if (g->primed >= g->opts.prime || now < *next || send_pending(g)
        || rte_pktmbuf_alloc_bulk(g->pool, &pkt, 1)) {
        return 0;
    }
    b = &g->queues[packet_queue(g, g->generated)].send;
    if (!build_frame(g, pkt, g->generated)) {
        rte_pktmbuf_free(pkt);
        return 0;
    }
    b->pkts[b->n++] = pkt;
    g->generated++;
    g->primed++;
    *next = now + rte_get_tsc_hz() / 100;
    return 1;
}

/* Appends the 'n' packets in 'pkts' to the --pcap-out file. */
static void
record_packets(struct guest *g, struct rte_mbuf **pkts, unsigned int n)
{
    struct pcap_pkthdr hdr;
    struct timeval now;
    unsigned int i;

    gettimeofday(&now, NULL);
    for (i = 0; i < n; i++) {
        uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);
        const void *data;

        len = RTE_MIN(len, (uint32_t) UINT16_MAX);
        data = rte_pktmbuf_read(pkts[i], 0, len, g->copy_buf);
        if (!data) {
            continue;
        }
        hdr.ts = now;
        hdr.caplen = len;
        hdr.len = len;
        pcap_dump((u_char *) g->dumper, &hdr, data);
    }
}

/* Polls every rx queue once, and flushes packets waiting for tx.  Returns
 * the number of packets received and sent. */
static unsigned int
poll_queues(struct guest *g)
{
    unsigned int work = 0;
    unsigned int q;

    for (q = 0; q < g->opts.queues; q++) {
        struct queue *queue = &g->queues[q];
        struct rte_mbuf *pkts[BURST];
        unsigned int n, i;

        work += flush_txbuf(g, q, &queue->echo);
        work += flush_txbuf(g, q, &queue->send);

        /* While reflected packets are still waiting, leave new ones in the
         * ring, so that the sender sees backpressure instead of drops. */
        if (queue->echo.n) {
            continue;
        }

        n = rte_eth_rx_burst(g->port, q, pkts, BURST);
        if (!n) {
            continue;
        }
        work += n;
        queue->rx_packets += n;
        note_rx(g);
        for (i = 0; i < n; i++) {
            queue->rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
        }
        if (g->dumper) {
            record_packets(g, pkts, n);
        }
        if (g->opts.echo) {
            memcpy(queue->echo.pkts, pkts, n * sizeof pkts[0]);
            queue->echo.head = 0;
            queue->echo.n = n;
            work += flush_txbuf(g, q, &queue->echo);
        } else {
            rte_pktmbuf_free_bulk(pkts, n);
        }
    }
    return work;
}

/* Returns true if the program should stop what it waits for and exit,
 * because of a signal or because --duration is over. */
static bool
time_is_up(const struct guest *g)
{
    return stop_requested || rte_get_tsc_cycles() >= g->end;
}

/* Runs the main loop until it is time to exit.  Returns the exit status. */
static int
run(struct guest *g)
{
    const struct options *o = &g->opts;
    uint64_t hz = rte_get_tsc_hz();
    uint64_t start = rte_get_tsc_cycles();
    uint64_t link_deadline = cycles_after(start, o->connect_timeout);
    uint64_t send_start = UINT64_MAX;
    uint64_t exit_at = UINT64_MAX;
    uint64_t next_link = start;
    uint64_t next_stats = start;
    bool waiting_link = o->wait_link;
    bool waiting_file = o->start_file != NULL;
    bool waiting_prime_file = o->prime_file != NULL;

    uint64_t drain_end = 0;
    uint64_t next_prime = 0;

    for (;;) {
        uint64_t now = rte_get_tsc_cycles();
        unsigned int work;

        if (now >= g->end || now >= exit_at) {
            break;
        }
        /* Stopped by a signal: send nothing more, but keep polling 50 ms,
         * so that the switch takes what is already in the rings and the
         * counters say what it got. */
        if (stop_requested && !drain_end) {
            drain_end = cycles_after(now, 0.05);
        }
        if (drain_end && now >= drain_end) {
            break;
        }

        if (now >= next_link) {
            update_link(g);
            next_link = now + hz / 100;
            if (waiting_link && g->link_up) {
                waiting_link = false;
            } else if (waiting_link && now >= link_deadline) {
                warn_msg("%s: link did not come up within %g s",
                         o->socket, o->connect_timeout);
                return EXIT_FAILURE;
            }
            if (waiting_file && !access(o->start_file, F_OK)) {
                waiting_file = false;
            }
            if (waiting_prime_file && !access(o->prime_file, F_OK)) {
                waiting_prime_file = false;
            }
            if (send_start == UINT64_MAX && !waiting_link && !waiting_file) {
                send_start = cycles_after(now, o->start_delay);
            }
        }
        if (now >= next_stats) {
            write_stats_file(g);
            if (g->dumper) {
                pcap_dump_flush(g->dumper);
            }
            next_stats = now + hz / 10;
        }

        work = poll_queues(g);
        if (g->link_up && g->primed < o->prime && !drain_end) {
            if (!waiting_prime_file) {
                work += generate_prime(g, now, &next_prime);
            }
        } else if (g->primed >= o->prime && now >= send_start
                   && !drain_end) {
            work += generate(g, now - send_start);

            /* With a fixed amount to send and no --duration, exit --linger
             * seconds after the last packet is out. */
            if (exit_at == UINT64_MAX && o->send_count && o->duration < 0
                && g->generated - g->primed == o->send_count
                && !send_pending(g)) {
                exit_at = cycles_after(now, o->linger);
            }
        }

        if (!work && o->idle_sleep) {
            usleep(o->idle_sleep);
        }
    }
    return EXIT_SUCCESS;
}

/* Arranges for SIGALRM to arrive in 'seconds' seconds. */
static void
set_alarm(double seconds)
{
    struct itimerval it;

    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = seconds;
    it.it_value.tv_usec = (seconds - (double) it.it_value.tv_sec) * 1e6;
    if (!it.it_value.tv_sec && !it.it_value.tv_usec) {
        it.it_value.tv_usec = 1;
    }
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Cancels the alarm set by set_alarm(), if it is still pending. */
static void
cancel_alarm(void)
{
    struct itimerval it;

    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Waits until 'deadline' for the socket to appear.  Returns 0 if it did,
 * ECANCELED if time_is_up(), otherwise ETIMEDOUT. */
static int
wait_for_socket(const struct guest *g, uint64_t deadline)
{
    struct stat st;

    for (;;) {
        if (!stat(g->opts.socket, &st) && S_ISSOCK(st.st_mode)) {
            return 0;
        }
        if (time_is_up(g)) {
            return ECANCELED;
        }
        if (rte_get_tsc_cycles() >= deadline) {
            return ETIMEDOUT;
        }
        sleep_ms(10);
    }
}

/* Creates the DPDK device on the vhost-user socket.  Returns 0 if
 * successful, ECANCELED if time_is_up() first, otherwise another positive
 * errno value. */
static int
create_port(struct guest *g)
{
    const struct options *o = &g->opts;
    const char *name = o->backend ? VHOST_NAME : VIRTIO_USER_NAME;
    uint64_t deadline = cycles_after(rte_get_tsc_cycles(),
                                     o->connect_timeout);
    char args[PATH_MAX + 256];
    int error;

    if (o->backend) {
        snprintf(args, sizeof args, "iface=%s,queues=%u%s",
                 o->socket, o->queues, o->server ? "" : ",client=1");
    } else {
        char mac[RTE_ETHER_ADDR_FMT_SIZE];

        rte_ether_format_addr(mac, sizeof mac, &o->mac);
        snprintf(args, sizeof args,
                 "path=%s,queues=%u,queue_size=%u,mac=%s,mrg_rxbuf=%d%s",
                 o->socket, o->queues, o->queue_size, mac,
                 o->mrg_rxbuf ? 1 : 0, o->server ? ",server=1" : "");
    }

    if (o->server) {
        struct stat st;

        /* A socket left behind by an earlier run would make bind() fail.
         * Only a socket is removed, never another kind of file. */
        if (!stat(o->socket, &st) && S_ISSOCK(st.st_mode)
            && unlink(o->socket)) {
            warn_msg("%s: cannot remove stale socket (%s)",
                     o->socket, strerror(errno));
        }
        g->socket_created = true;
    } else {
        error = wait_for_socket(g, deadline);
        if (error == ETIMEDOUT) {
            warn_msg("%s: vhost-user socket did not appear within %g s",
                     o->socket, o->connect_timeout);
        }
        if (error) {
            return error;
        }
    }

    for (;;) {
        error = rte_eal_hotplug_add("vdev", name, args);
        if (!error) {
            break;
        }
        error = error < 0 ? -error : error;
        if (time_is_up(g)) {
            return ECANCELED;
        }
        if (o->server || rte_get_tsc_cycles() >= deadline) {
            warn_msg("%s: cannot attach %s device to vhost-user socket "
                     "(see the DPDK log above)", o->socket, name);
            return error;
        }

        /* The socket exists but nobody accepts connections on it yet. */
        sleep_ms(100);
    }

    error = rte_eth_dev_get_port_by_name(name, &g->port);
    if (error) {
        warn_msg("%s: device was created but has no port", name);
        rte_eal_hotplug_remove("vdev", name);
        return ENODEV;
    }
    g->port_created = true;
    return 0;
}

/* Distinct files that back DPDK's memory, gathered by count_mem_fd(). */
struct mem_fds {
    int fds[MAX_MEM_REGIONS + 1];
    unsigned int n;
};

/* rte_memseg_walk() callback that adds the file behind 'ms' to 'mem_fds_'.
 * Stops the walk once there are too many. */
static int
count_mem_fd(const struct rte_memseg_list *msl __rte_unused,
             const struct rte_memseg *ms, void *mem_fds_)
{
    struct mem_fds *m = mem_fds_;
    unsigned int i;
    int fd;

    fd = rte_memseg_get_fd_thread_unsafe(ms);
    if (fd < 0) {
        /* Anonymous memory, which cannot be shared at all. */
        m->n = MAX_MEM_REGIONS + 1;
        return 1;
    }
    for (i = 0; i < m->n; i++) {
        if (m->fds[i] == fd) {
            return 0;
        }
    }
    m->fds[m->n++] = fd;
    return m->n > MAX_MEM_REGIONS;
}

/* virtio-user shares all of DPDK's memory with the vhost-user backend, one
 * file per region, and vhost-user allows only a few regions.  Returns 0 if
 * the memory layout fits, otherwise EINVAL after explaining the problem. */
static int
check_memory_layout(void)
{
    struct mem_fds m;

    memset(&m, 0, sizeof m);
    rte_memseg_walk(count_mem_fd, &m);
    if (m.n > MAX_MEM_REGIONS) {
        warn_msg("DPDK memory is not in at most %d shareable files, so "
                 "vhost-user cannot map it: use the EAL option "
                 "--single-file-segments (or --no-huge), and neither "
                 "--legacy-mem nor --huge-unlink", MAX_MEM_REGIONS);
        return EINVAL;
    }
    return 0;
}

/* Creates the mbuf pool.  Returns 0 if successful, otherwise a positive
 * errno value. */
static int
create_pool(struct guest *g)
{
    const struct options *o = &g->opts;
    uint32_t max_frame = o->size;
    uint32_t data_room;
    unsigned int n;
    size_t i;

    for (i = 0; i < g->n_frames; i++) {
        max_frame = RTE_MAX(max_frame, g->frames[i].len);
    }
    data_room = RTE_MAX((uint32_t) RTE_MBUF_DEFAULT_BUF_SIZE,
                        RTE_PKTMBUF_HEADROOM + max_frame);

    /* Every rx and tx descriptor may hold an mbuf, plus our tx buffers. */
    n = o->queues * (o->queue_size * 2 + BURST * 2) + POOL_HEADROOM;
    g->pool = rte_pktmbuf_pool_create("fp_guest_pool", n, POOL_CACHE, 0,
                                      data_room, rte_socket_id());
    if (!g->pool) {
        warn_msg("cannot create pool of %u mbufs (%s); are enough "
                 "hugepages reserved?", n, rte_strerror(rte_errno));
        return rte_errno ? rte_errno : ENOMEM;
    }
    return 0;
}

/* Configures and starts the port.  Returns 0 if successful, otherwise a
 * positive errno value. */
static int
start_port(struct guest *g)
{
    const struct options *o = &g->opts;
    uint16_t nb_rxd = o->queue_size;
    uint16_t nb_txd = o->queue_size;
    struct rte_eth_dev_info info;
    struct rte_eth_conf conf;
    int socket_id;
    unsigned int q;
    int error;

    error = rte_eth_dev_info_get(g->port, &info);
    if (error) {
        warn_msg("cannot get device information (%s)", rte_strerror(-error));
        return -error;
    }
    if (o->queues > info.max_rx_queues || o->queues > info.max_tx_queues) {
        warn_msg("device supports at most %u queues, %u requested",
                 RTE_MIN(info.max_rx_queues, info.max_tx_queues), o->queues);
        return EINVAL;
    }

    memset(&conf, 0, sizeof conf);
    if (info.dev_flags && *info.dev_flags & RTE_ETH_DEV_INTR_LSC) {
        /* Like a guest kernel, take link status change interrupts. */
        conf.intr_conf.lsc = 1;
    }
    error = rte_eth_dev_configure(g->port, o->queues, o->queues, &conf);
    if (error) {
        warn_msg("cannot configure device (%s)", rte_strerror(-error));
        return -error;
    }
    error = rte_eth_dev_adjust_nb_rx_tx_desc(g->port, &nb_rxd, &nb_txd);
    if (error) {
        warn_msg("cannot adjust ring sizes (%s)", rte_strerror(-error));
        return -error;
    }

    socket_id = rte_eth_dev_socket_id(g->port);
    if (socket_id < 0) {
        socket_id = (int) rte_socket_id();
    }
    for (q = 0; q < o->queues; q++) {
        error = rte_eth_rx_queue_setup(g->port, q, nb_rxd, socket_id, NULL,
                                       g->pool);
        if (error) {
            warn_msg("cannot set up rx queue %u (%s)",
                     q, rte_strerror(-error));
            return -error;
        }
        error = rte_eth_tx_queue_setup(g->port, q, nb_txd, socket_id, NULL);
        if (error) {
            warn_msg("cannot set up tx queue %u (%s)",
                     q, rte_strerror(-error));
            return -error;
        }
    }

    error = rte_eth_dev_start(g->port);
    if (error) {
        warn_msg("cannot start device (%s)", rte_strerror(-error));
        return -error;
    }
    g->port_started = true;
    return 0;
}

/* Opens the --pcap-out file.  Returns 0 if successful, otherwise a positive
 * errno value. */
static int
open_pcap_out(struct guest *g)
{
    g->copy_buf = malloc(UINT16_MAX + 1);
    if (!g->copy_buf) {
        warn_msg("out of memory");
        return ENOMEM;
    }
    g->pcap_dead = pcap_open_dead(DLT_EN10MB, UINT16_MAX);
    if (!g->pcap_dead) {
        warn_msg("cannot initialize libpcap");
        return ENOMEM;
    }
    g->dumper = pcap_dump_open(g->pcap_dead, g->opts.pcap_out);
    if (!g->dumper) {
        warn_msg("%s: %s", g->opts.pcap_out, pcap_geterr(g->pcap_dead));
        return EINVAL;
    }
    return 0;
}

/* Copies the 'argc' EAL arguments in 'argv' into 'eal_argv', which has room
 * for EAL_ARGS_MAX, adding --single-file-segments unless virtio-user's
 * memory is fine without it or the option would conflict.  Returns the new
 * number of arguments. */
static int
make_eal_args(const struct guest *g, char *argv[], int argc,
              char *eal_argv[])
{
    static char sfs[] = "--single-file-segments";
    bool add = !g->opts.backend;
    int i;

    for (i = 0; i < argc; i++) {
        const char *arg = argv[i];

        eal_argv[i] = argv[i];
        if (!strcmp(arg, sfs) || !strcmp(arg, "--no-huge")
            || !strcmp(arg, "--legacy-mem")
            || !strncmp(arg, "--huge-unlink", strlen("--huge-unlink"))) {
            add = false;
        }
    }

    /* Without it, each hugepage is a file of its own, and vhost-user takes
     * only MAX_MEM_REGIONS files. */
    if (add) {
        eal_argv[argc++] = sfs;
    }
    eal_argv[argc] = NULL;
    return argc;
}

/* Releases everything, except the EAL. */
static void
cleanup(struct guest *g)
{
    size_t i;

    if (g->queues) {
        unsigned int q;

        for (q = 0; q < g->opts.queues; q++) {
            drop_txbuf(&g->queues[q].send);
            drop_txbuf(&g->queues[q].echo);
        }
    }
    if (g->dumper) {
        pcap_dump_flush(g->dumper);
        pcap_dump_close(g->dumper);
        g->dumper = NULL;
    }
    if (g->pcap_dead) {
        pcap_close(g->pcap_dead);
        g->pcap_dead = NULL;
    }
    if (g->port_created) {
        if (g->port_started) {
            rte_eth_dev_stop(g->port);
            g->port_started = false;
        }
        rte_eth_dev_close(g->port);
        g->port_created = false;
    }
    if (g->pool) {
        rte_mempool_free(g->pool);
        g->pool = NULL;
    }
    if (g->socket_created) {
        struct stat st;

        if (!stat(g->opts.socket, &st) && S_ISSOCK(st.st_mode)) {
            unlink(g->opts.socket);
        }
        g->socket_created = false;
    }

    for (i = 0; i < g->n_frames; i++) {
        free(g->frames[i].data);
    }
    free(g->frames);
    g->frames = NULL;
    g->n_frames = 0;
    free(g->copy_buf);
    g->copy_buf = NULL;
    free(g->queues);
    g->queues = NULL;
}

int
main(int argc, char *argv[])
{
    static struct guest guest;
    struct guest *g = &guest;
    struct sigaction sa;
    sigset_t signals;
    char *eal_argv[EAL_ARGS_MAX];
    char **app_argv;
    char *runtime_dir;
    int saved_stdout;
    int app_argc;
    int eal_argc;
    int status;
    int error;
    int i;

    /* "--help" or "-h" anywhere, with or without "--" before it, asks for
     * our usage. */
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_SUCCESS;
        }
    }

    /* Split the command line at "--": EAL arguments before, ours after. */
    for (eal_argc = 1; eal_argc < argc; eal_argc++) {
        if (!strcmp(argv[eal_argc], "--")) {
            break;
        }
    }
    if (eal_argc > EAL_ARGS_MAX - 2) {
        warn_msg("too many EAL arguments");
        return EXIT_FAILURE;
    }
    app_argv = calloc(argc + 1, sizeof *app_argv);
    if (!app_argv) {
        warn_msg("out of memory");
        return EXIT_FAILURE;
    }
    app_argv[0] = argv[0];
    app_argc = 1;
    for (i = eal_argc + 1; i < argc; i++) {
        app_argv[app_argc++] = argv[i];
    }
    status = parse_options(app_argc, app_argv, &g->opts);
    if (status) {
        free(app_argv);
        return status < 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }

    g->queues = calloc(g->opts.queues, sizeof *g->queues);
    if (!g->queues) {
        warn_msg("out of memory");
        return EXIT_FAILURE;
    }
    if (g->opts.pcap_in && load_pcap(g)) {
        return EXIT_FAILURE;
    }
    init_frame_template(g);

    /* A vhost-user peer that dies leaves a socket that raises SIGPIPE on the
     * next message, e.g. when the device is stopped.  Report EPIPE
     * instead. */
    signal(SIGPIPE, SIG_IGN);

    /* Keep DPDK's log off stdout, which carries only our statistics. */
    rte_openlog_stream(stderr);

    /* Block the signals we handle while the EAL creates its threads, so that
     * these threads inherit the mask and the signals always reach the main
     * thread, where they interrupt a blocking system call. */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);

    for (i = 1; i < eal_argc; i++) {
        if (!strcmp(argv[i], "--in-memory")) {
            for (int j = 1; j < eal_argc; j++) {
                if (!strcmp(argv[j], "--no-huge")) {
                    warn_msg("--no-huge and --in-memory do not go together "
                             "(DPDK takes --no-huge as legacy memory): use "
                             "--no-huge --no-shconf, or hugepages with "
                             "--in-memory, to leave nothing behind");
                    return EXIT_FAILURE;
                }
            }
        }
    }

    /* The EAL prints its usage to stdout when it refuses its arguments:
     * send stdout to stderr meanwhile. */
    eal_argc = make_eal_args(g, argv, eal_argc, eal_argv);
    fflush(stdout);
    saved_stdout = dup(STDOUT_FILENO);
    if (saved_stdout >= 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    error = rte_eal_init(eal_argc, eal_argv) < 0 ? rte_errno : 0;
    fflush(stdout);
    if (saved_stdout >= 0) {
        dup2(saved_stdout, STDOUT_FILENO);
        close(saved_stdout);
    }
    if (error) {
        warn_msg("cannot initialize DPDK EAL (%s): see the EAL arguments "
                 "in fp-guest(1)", rte_strerror(error));
        return EXIT_FAILURE;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    pthread_sigmask(SIG_UNBLOCK, &signals, NULL);

    /* --duration counts from here. */
    g->end = (g->opts.duration >= 0
              ? cycles_after(rte_get_tsc_cycles(), g->opts.duration)
              : UINT64_MAX);

    /* Let a test see at once that the stand-in started. */
    write_stats_file(g);

    error = create_pool(g);
    if (!error && !g->opts.backend) {
        error = check_memory_layout();
    }
    if (!error) {
        /* In server mode, virtio-user waits in accept() for the switch to
         * connect.  Only a signal ends that wait, so raise one when
         * --duration is over. */
        if (g->opts.server && g->opts.duration >= 0) {
            uint64_t now = rte_get_tsc_cycles();

            set_alarm(now < g->end
                      ? (double) (g->end - now) / rte_get_tsc_hz() : 0);
        }
        error = create_port(g);
        cancel_alarm();
    }
    if (!error) {
        error = start_port(g);
    }
    if (!error && g->opts.pcap_out) {
        error = open_pcap_out(g);
    }
    if (!error && g->opts.gap_log) {
        g->gap_log = fopen(g->opts.gap_log, "a");
        if (!g->gap_log) {
            warn_msg("%s: %s", g->opts.gap_log, strerror(errno));
            error = errno;
        }
    }
    if (!error) {
        status = run(g);
    } else {
        /* Being stopped while waiting for the other side is no error. */
        status = error == ECANCELED ? EXIT_SUCCESS : EXIT_FAILURE;
    }

    update_link(g);
    write_stats_file(g);
    print_stats(g, stdout);
    fflush(stdout);
    if (g->gap_log) {
        fclose(g->gap_log);
    }
    cleanup(g);
    /* DPDK leaves its runtime directory; an empty one (--no-shconf, or
     * --in-memory) goes. */
    runtime_dir = strdup(rte_eal_get_runtime_dir());
    rte_eal_cleanup();
    if (runtime_dir) {
        rmdir(runtime_dir);
        free(runtime_dir);
    }
    free(app_argv);
    return status;
}

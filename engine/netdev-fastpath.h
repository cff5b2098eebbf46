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

#ifndef NETDEV_FASTPATH_H
#define NETDEV_FASTPATH_H 1

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct dp_packet_batch;
struct netdev;
struct smap;

/* Port types of OVS Fastpath. */
extern const struct netdev_class netdev_fastpath_class;        /* DPDK. */
extern const struct netdev_class netdev_fastpath_vhost_class;  /* Server. */
extern const struct netdev_class netdev_fastpath_vhost_client_class;

/* Registers the three with OVS's netdev library, once, in whichever
 * program runs the engine (ovs-vswitchd or fastpathd). */
void fp_netdev_register_classes(void);
void fp_netdev_unregister_classes(void);

/* Checks 'args' against the options that 'known' (a NULL-terminated list)
 * names.  Returns 0, or EINVAL with a message in '*errp' naming the first
 * unknown option. */
int fp_netdev_check_options(const char *port, const struct smap *args,
                            const char *const known[], char **errp);

/* Returns 0 if DPDK is initialised, otherwise EOPNOTSUPP with a message
 * for port 'port' in '*errp'. */
int fp_netdev_check_dpdk(const char *port, char **errp);

/* Limits of the options of fastpath ports. */
enum {
    FP_DEFAULT_QUEUE_DESC = 2048, /* Rx or tx descriptors per queue. */
    FP_MAX_QUEUE_DESC = 4096,
    FP_DEFAULT_TX_RETRIES = 8,    /* Tx bursts tried after a partial one. */
    FP_MAX_TX_RETRIES = 32,
};

/* The options of a "fastpath" port, as set_config() parses them before it
 * touches the device. */
struct fp_netdev_options {
    const char *devargs;        /* Nonempty; points into the parsed smap. */
    int n_rxq;
    int rxq_desc, txq_desc;     /* Powers of two. */
    int tx_retries;
    bool lsc;                   /* dpdk-lsc-interrupt. */
};

/* Parses the options of fastpath port 'port' from 'args' into '*opts',
 * ignoring options it does not know.  Returns 0, or EINVAL with a message
 * in '*errp' naming the option and the values it takes. */
int fp_netdev_parse_options(const char *port, const struct smap *args,
                            struct fp_netdev_options *opts, char **errp);

/* Copies the device name that 'devargs' starts with (up to the first ',')
 * into 'name', of 'size' bytes.  Returns false if it does not fit. */
bool fp_devargs_name(const char *devargs, char *name, size_t size);

/* Parses the options of a vhost-user port: tx-retries-max and, for a
 * client ('client'), vhost-server-path into '*server_pathp' (pointing into
 * 'args').  Returns 0 or EINVAL with a message in '*errp'
 * (vhost/netdev-fastpath-vhost.c). */
int fp_vhost_parse_options(const char *port, const struct smap *args,
                           bool client, int *tx_retriesp,
                           const char **server_pathp, char **errp);

/* Records other_config:vhost-sock-dir, the directory under OVS's run
 * directory where fastpath-vhost ports put their sockets
 * (vhost/fp-vhost-socket.c). */
void fp_vhost_set_sock_dir(const char *subdir);

/* Sends 'batch' on a port of type fastpath, as netdev_send() would, and
 * returns how many packets the device took; it counts the rest in the
 * port's tx_dropped. */
int netdev_fastpath_send_counted(struct netdev *, int qid,
                                 struct dp_packet_batch *,
                                 bool concurrent_txq);

/* The same for vhost-user ports (types fastpath-vhost and
 * fastpath-vhost-client): returns how many packets the guest took. */
int netdev_fastpath_vhost_send_counted(struct netdev *, int qid,
                                       struct dp_packet_batch *,
                                       bool concurrent_txq);

/* A send, as netdev_send(), that returns how many packets the device took
 * and counts the others in the port's tx_dropped. */
typedef int fp_send_counted_func(struct netdev *, int qid,
                                 struct dp_packet_batch *,
                                 bool concurrent_txq);

/* Returns the counted send of 'netdev' if it is of one of our port types,
 * otherwise NULL (other netdevs say only whether a whole send failed). */
fp_send_counted_func *fp_netdev_send_counted(const struct netdev *);

/* Counts in the port's tx_dropped 'n' packets that the datapath dropped
 * instead of sending them on 'netdev' (its device was being set up).
 * Netdevs of other types than ours count nothing. */
void fp_netdev_count_tx_dropped(struct netdev *, uint64_t n);
void netdev_fastpath_vhost_count_tx_dropped(struct netdev *, uint64_t n);

#endif /* netdev-fastpath.h */

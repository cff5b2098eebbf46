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
/* The port types of the detached mode in ovs-vswitchd: stand-ins for
 * ports whose devices live in fastpathd.
 *
 * The bridge opens a device for every Interface and gives it its options
 * before the dpif adds it.  In the detached mode fastpathd owns the
 * device: the stand-in here only keeps the options, which the client dpif
 * (dpif/dpif-fastpath-client.c) sends with PORT_ADD, where fastpathd
 * opens the real one.  The "tap" stand-in, which takes the place of OVS's
 * "tap" class, stands for a bridge's internal port and for a port of type
 * "tap", a tap device that fastpathd made: the stand-in reads and sets its
 * MAC, MTU and flags in the kernel and reads its IP addresses there, as
 * the bridge and the tunnels' code expect of an internal port.
 *
 * The other stand-ins show their device as fastpathd sees it: counters
 * asked for when read, link and status polled every second (the bridge
 * and ofproto-dpif read the link on every pass of their loops), and a
 * change of either makes the stand-in's change_seq move, so that
 * Interface link_state, link_resets and status, and OpenFlow's port
 * state, follow the device.  While fastpathd cannot be reached they keep
 * what it said last. */

#include <config.h>
#include "netdev-fastpath-proxy.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include "dpif-fastpath-client.h"
#include "netdev-provider.h"
#include "openvswitch/list.h"
#include "netdev.h"
#include "openvswitch/netdev.h"
#include "openvswitch/poll-loop.h"
#include "ovs-thread.h"
#include "route-table.h"
#include "packets.h"
#include "socket-util.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(netdev_fastpath_proxy);

/* How often the link and status of the ports' stand-ins are asked for,
 * and, of a fastpathd too old to answer, how often it is tried again (it
 * may have been upgraded). */
#define STATE_POLL_MS 1000
#define STATE_UNSUPPORTED_POLL_MS 60000

struct netdev_proxy {
    struct netdev up;
    struct smap options;        /* The Interface's, for PORT_ADD. */
    struct eth_addr mac;        /* Others: as the bridge set them. */
    enum netdev_flags flags;

    /* A port's stand-in: the device's state, as fastpathd said last. */
    struct ovs_list poll_node;  /* In 'polled', or 'internals'. */
    bool carrier;
    long long int carrier_resets;
    struct smap status;
};

/* The ports' stand-ins, whose state is polled, and the internal ports'
 * (see internal_run()). */
static struct ovs_mutex poll_mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_list polled OVS_GUARDED_BY(poll_mutex)
    = OVS_LIST_INITIALIZER(&polled);
static struct ovs_list internals OVS_GUARDED_BY(poll_mutex)
    = OVS_LIST_INITIALIZER(&internals);
static long long int next_poll OVS_GUARDED_BY(poll_mutex);

static struct netdev_proxy *
netdev_proxy_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_proxy, up);
}

static struct netdev *
proxy_alloc(void)
{
    struct netdev_proxy *p = xzalloc(sizeof *p);

    return &p->up;
}

static int
proxy_construct(struct netdev *netdev)
{
    struct netdev_proxy *p = netdev_proxy_cast(netdev);

    smap_init(&p->options);
    smap_init(&p->status);
    p->flags = NETDEV_UP;
    p->carrier = true;
    ovs_mutex_lock(&poll_mutex);
    if (strcmp(netdev_get_type(netdev), FP_PROXY_INTERNAL_TYPE)) {
        ovs_list_push_back(&polled, &p->poll_node);
        next_poll = 0;
    } else {
        ovs_list_push_back(&internals, &p->poll_node);
    }
    ovs_mutex_unlock(&poll_mutex);
    return 0;
}

static void
proxy_destruct(struct netdev *netdev)
{
    struct netdev_proxy *p = netdev_proxy_cast(netdev);

    ovs_mutex_lock(&poll_mutex);
    ovs_list_remove(&p->poll_node);
    ovs_mutex_unlock(&poll_mutex);
    smap_destroy(&p->options);
    smap_destroy(&p->status);
}

static void
proxy_dealloc(struct netdev *netdev)
{
    free(netdev_proxy_cast(netdev));
}

static int
proxy_set_config(struct netdev *netdev, const struct smap *args,
                 char **errp OVS_UNUSED)
{
    struct netdev_proxy *p = netdev_proxy_cast(netdev);

    /* fastpathd checks them as it adds the port. */
    smap_destroy(&p->options);
    smap_clone(&p->options, args);
    return 0;
}

static int
proxy_get_config(const struct netdev *netdev, struct smap *args)
{
    smap_clone(args, &netdev_proxy_cast(netdev)->options);
    return 0;
}

/* A bridge's internal port is a tap device that fastpathd holds open; its
 * address, MTU and flags are the kernel's, read and set by ioctl on the
 * device's name (a second netdev of that name cannot be opened here: the
 * stand-in has it). */
static int
tap_ioctl(const struct netdev *netdev, struct ifreq *ifr, unsigned long cmd,
          const char *cmd_name)
{
    return af_inet_ifreq_ioctl(netdev_get_name(netdev), ifr, cmd, cmd_name);
}

static int internal_get_etheraddr(const struct netdev *, struct eth_addr *);

static int
internal_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct eth_addr old;
    struct ifreq ifr;

    /* Setting it again would wake every listener of the kernel's link
     * changes, the bridge among them, which would set it again. */
    if (!internal_get_etheraddr(netdev, &old) && eth_addr_equals(old, mac)) {
        return 0;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, &mac, ETH_ADDR_LEN);
    return tap_ioctl(netdev, &ifr, SIOCSIFHWADDR, "SIOCSIFHWADDR");
}

static int
internal_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct ifreq ifr;
    int error;

    memset(&ifr, 0, sizeof ifr);
    error = tap_ioctl(netdev, &ifr, SIOCGIFHWADDR, "SIOCGIFHWADDR");
    if (!error) {
        memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ADDR_LEN);
    }
    return error;
}

static int
internal_get_mtu(const struct netdev *netdev, int *mtu)
{
    struct ifreq ifr;
    int error;

    memset(&ifr, 0, sizeof ifr);
    error = tap_ioctl(netdev, &ifr, SIOCGIFMTU, "SIOCGIFMTU");
    if (!error) {
        *mtu = ifr.ifr_mtu;
    }
    return error;
}

static int
internal_set_mtu(struct netdev *netdev, int mtu)
{
    struct ifreq ifr;
    int old;

    if (!internal_get_mtu(netdev, &old) && old == mtu) {
        return 0;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_mtu = mtu;
    return tap_ioctl(netdev, &ifr, SIOCSIFMTU, "SIOCSIFMTU");
}

static int
internal_get_ifindex(const struct netdev *netdev)
{
    unsigned int ifindex = if_nametoindex(netdev_get_name(netdev));

    return ifindex ? ifindex : -ENODEV;
}

static int
internal_get_carrier(const struct netdev *netdev, bool *carrier)
{
    struct ifreq ifr;
    int error;

    memset(&ifr, 0, sizeof ifr);
    error = tap_ioctl(netdev, &ifr, SIOCGIFFLAGS, "SIOCGIFFLAGS");
    *carrier = !error && (ifr.ifr_flags & IFF_RUNNING);
    return error;
}

/* The device's addresses, which the tunnels' code asks for (the local
 * end points that tunnel packets are popped for), as OVS's own Linux
 * devices answer them. */
static int
internal_get_addr_list(const struct netdev *netdev, struct in6_addr **addr,
                       struct in6_addr **mask, int *n_addr)
{
    return netdev_get_addrs(netdev_get_name(netdev), addr, mask, n_addr);
}

/* OVS's Linux devices move their change_seq when the kernel says their
 * addresses changed; the tunnels' code reads the addresses again then.
 * A change of address changes the routing table too: the internal ports'
 * stand-ins move theirs when it changes. */
static void
internal_run(const struct netdev_class *class OVS_UNUSED)
{
    static uint64_t route_seq;
    uint64_t seq = route_table_get_change_seq();

    if (seq != route_seq) {
        struct netdev_proxy *p;

        route_seq = seq;
        ovs_mutex_lock(&poll_mutex);
        LIST_FOR_EACH (p, poll_node, &internals) {
            netdev_change_seq_changed(&p->up);
        }
        ovs_mutex_unlock(&poll_mutex);
    }
}

static int
internal_update_flags(struct netdev *netdev, enum netdev_flags off,
                      enum netdev_flags on, enum netdev_flags *old_flags)
{
    struct ifreq ifr;
    int error, flags;

    memset(&ifr, 0, sizeof ifr);
    error = tap_ioctl(netdev, &ifr, SIOCGIFFLAGS, "SIOCGIFFLAGS");
    if (error) {
        *old_flags = 0;
        return error;
    }
    flags = ifr.ifr_flags;
    *old_flags = ((flags & IFF_UP ? NETDEV_UP : 0)
                  | (flags & IFF_PROMISC ? NETDEV_PROMISC : 0)
                  | (flags & IFF_LOOPBACK ? NETDEV_LOOPBACK : 0));
    if (on & NETDEV_UP) {
        flags |= IFF_UP;
    }
    if (off & NETDEV_UP) {
        flags &= ~IFF_UP;
    }
    if (on & NETDEV_PROMISC) {
        flags |= IFF_PROMISC;
    }
    if (off & NETDEV_PROMISC) {
        flags &= ~IFF_PROMISC;
    }
    if (flags == ifr.ifr_flags) {
        return 0;
    }
    ifr.ifr_flags = flags;
    return tap_ioctl(netdev, &ifr, SIOCSIFFLAGS, "SIOCSIFFLAGS");
}

/* The DPDK and vhost-user ports' stand-ins keep what the bridge sets;
 * the devices are fastpathd's. */
static int
proxy_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    netdev_proxy_cast(netdev)->mac = mac;
    return 0;
}

static int
proxy_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    *mac = netdev_proxy_cast(netdev)->mac;
    return 0;
}

/* Asks fastpathd for the link and status of 'p''s device, and moves its
 * change_seq if either changed.  Returns 0 or an error. */
static int
poll_state(struct netdev_proxy *p)
    OVS_REQUIRES(poll_mutex)
{
    struct smap status = SMAP_INITIALIZER(&status);
    bool carrier = p->carrier;
    int error;

    error = dpif_fastpath_client_port_state(netdev_get_name(&p->up), NULL,
                                            &carrier, &status);
    if (!error
        && (carrier != p->carrier || !smap_equal(&status, &p->status))) {
        if (carrier != p->carrier) {
            p->carrier = carrier;
            p->carrier_resets++;
        }
        hmap_swap(&status.map, &p->status.map);
        netdev_change_seq_changed(&p->up);
    }
    smap_destroy(&status);
    return error;
}

static void
proxy_run(const struct netdev_class *netdev_class OVS_UNUSED)
{
    ovs_mutex_lock(&poll_mutex);
    if (time_msec() >= next_poll) {
        long long int interval = STATE_POLL_MS;
        struct netdev_proxy *p;

        LIST_FOR_EACH (p, poll_node, &polled) {
            if (poll_state(p) == EOPNOTSUPP) {
                interval = STATE_UNSUPPORTED_POLL_MS;
                break;
            }
        }
        next_poll = time_msec() + interval;
    }
    ovs_mutex_unlock(&poll_mutex);
}

static void
proxy_wait(const struct netdev_class *netdev_class OVS_UNUSED)
{
    ovs_mutex_lock(&poll_mutex);
    if (!ovs_list_is_empty(&polled)) {
        poll_timer_wait_until(next_poll);
    }
    ovs_mutex_unlock(&poll_mutex);
}

static int
proxy_get_carrier(const struct netdev *netdev, bool *carrier)
{
    ovs_mutex_lock(&poll_mutex);
    *carrier = netdev_proxy_cast(netdev)->carrier;
    ovs_mutex_unlock(&poll_mutex);
    return 0;
}

static long long int
proxy_get_carrier_resets(const struct netdev *netdev)
{
    long long int resets;

    ovs_mutex_lock(&poll_mutex);
    resets = netdev_proxy_cast(netdev)->carrier_resets;
    ovs_mutex_unlock(&poll_mutex);
    return resets;
}

static int
proxy_get_status(const struct netdev *netdev, struct smap *status)
{
    ovs_mutex_lock(&poll_mutex);
    smap_clone(status, &netdev_proxy_cast(netdev)->status);
    ovs_mutex_unlock(&poll_mutex);
    return 0;
}

/* The counters are read when asked for (every few seconds by the bridge,
 * and for OpenFlow's port stats). */
static int
proxy_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    return dpif_fastpath_client_port_state(netdev_get_name(netdev), stats,
                                           NULL, NULL);
}

static int
proxy_update_flags(struct netdev *netdev, enum netdev_flags off,
                   enum netdev_flags on, enum netdev_flags *old_flags)
{
    struct netdev_proxy *p = netdev_proxy_cast(netdev);

    *old_flags = p->flags;
    p->flags = (p->flags | on) & ~off;
    return 0;
}

#define PROXY_CLASS(TYPE)                       \
    .type = TYPE,                               \
    .alloc = proxy_alloc,                       \
    .construct = proxy_construct,               \
    .destruct = proxy_destruct,                 \
    .dealloc = proxy_dealloc,                   \
    .get_config = proxy_get_config,             \
    .set_config = proxy_set_config

#define PORT_PROXY_CLASS(TYPE)                  \
    PROXY_CLASS(TYPE),                          \
    .run = proxy_run,                           \
    .wait = proxy_wait,                         \
    .set_etheraddr = proxy_set_etheraddr,       \
    .get_etheraddr = proxy_get_etheraddr,       \
    .get_carrier = proxy_get_carrier,           \
    .get_carrier_resets = proxy_get_carrier_resets, \
    .get_status = proxy_get_status,             \
    .get_stats = proxy_get_stats,               \
    .update_flags = proxy_update_flags

static const struct netdev_class proxy_classes[] = {
    { PORT_PROXY_CLASS("fastpath") },
    { PORT_PROXY_CLASS("fastpath-vhost") },
    { PORT_PROXY_CLASS("fastpath-vhost-client") },
    {
        PROXY_CLASS(FP_PROXY_INTERNAL_TYPE),
        .set_etheraddr = internal_set_etheraddr,
        .get_etheraddr = internal_get_etheraddr,
        .get_mtu = internal_get_mtu,
        .set_mtu = internal_set_mtu,
        .get_ifindex = internal_get_ifindex,
        .get_carrier = internal_get_carrier,
        .get_addr_list = internal_get_addr_list,
        .run = internal_run,
        .update_flags = internal_update_flags,
    },
};

/* Registers the stand-ins, the "tap" one in place of OVS's (called before
 * any device is open). */
void
netdev_fastpath_proxy_register(void)
{
    int error = netdev_unregister_provider(FP_PROXY_INTERNAL_TYPE);

    if (error) {
        VLOG_ERR("cannot take back OVS's \"%s\" device class (%s): internal "
                 "ports may not work", FP_PROXY_INTERNAL_TYPE,
                 ovs_strerror(error));
    }
    for (size_t i = 0; i < ARRAY_SIZE(proxy_classes); i++) {
        netdev_register_provider(&proxy_classes[i]);
    }
}

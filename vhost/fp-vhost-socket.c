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

/* The sockets of vhost-user ports and the callbacks of DPDK's vhost
 * library: which port a socket belongs to, what a guest negotiated, and
 * the wait that makes a vanished guest safe for the data path.  See
 * vhost/fp-vhost.h for the threads and the locks. */

#include <config.h>
#include "fp-vhost.h"

#include <errno.h>
#include <libgen.h>
#include <linux/virtio_net.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_vhost.h>

#include "connectivity.h"
#include "dirs.h"
#include "fp-dpdk-log.h"
#include "netdev-fastpath.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "openvswitch/poll-loop.h"
#include "ovs-thread.h"
#include "seq.h"
#include "timeval.h"

VLOG_DEFINE_THIS_MODULE(fp_vhost_socket);

struct ovs_mutex fp_vhost_mutex = OVS_MUTEX_INITIALIZER;

/* Signalled when a grace period that a callback waits for ends, and when a
 * port starts to close. */
static pthread_cond_t fp_vhost_cond = PTHREAD_COND_INITIALIZER;

/* The ports whose socket is registered with the vhost library. */
static struct ovs_list registry OVS_GUARDED_BY(fp_vhost_mutex)
    = OVS_LIST_INITIALIZER(&registry);

/* other_config:vhost-sock-dir, as the datapath last read it. */
static char *sock_subdir OVS_GUARDED_BY(fp_vhost_mutex);

/* Offloads that we do not give guests: the data path neither completes
 * partial checksums nor segments, so a guest must send finished frames and
 * get finished frames. */
#define FP_VHOST_NO_FEATURES ((1ULL << VIRTIO_NET_F_CSUM)        \
                              | (1ULL << VIRTIO_NET_F_GUEST_CSUM)  \
                              | (1ULL << VIRTIO_NET_F_HOST_TSO4)   \
                              | (1ULL << VIRTIO_NET_F_HOST_TSO6)   \
                              | (1ULL << VIRTIO_NET_F_HOST_ECN)    \
                              | (1ULL << VIRTIO_NET_F_HOST_UFO)    \
                              | (1ULL << VIRTIO_NET_F_GUEST_TSO4)  \
                              | (1ULL << VIRTIO_NET_F_GUEST_TSO6)  \
                              | (1ULL << VIRTIO_NET_F_GUEST_ECN)   \
                              | (1ULL << VIRTIO_NET_F_GUEST_UFO))

static int new_device(int vid);
static void destroy_device(int vid);
static int vring_state_changed(int vid, uint16_t queue_id, int enable);

static const struct rte_vhost_device_ops vhost_ops = {
    .new_device = new_device,
    .destroy_device = destroy_device,
    .vring_state_changed = vring_state_changed,
};

/* Whether 's' has a path component "..". */
static bool
has_dotdot(const char *s)
{
    for (const char *p = strstr(s, ".."); p; p = strstr(p + 1, "..")) {
        if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/')) {
            return true;
        }
    }
    return false;
}

/* Whether 'subdir' keeps sockets inside the run directory. */
static bool
sock_dir_is_valid(const char *subdir)
{
    return subdir[0] != '/' && !has_dotdot(subdir);
}

/* Records other_config:vhost-sock-dir, a directory relative to OVS's run
 * directory where the sockets of fastpath-vhost ports go.  Ports created
 * afterwards use it; running ports keep their sockets.  A value that would
 * put sockets outside the run directory is logged once, here, and makes
 * new fastpath-vhost ports fail (fp_vhost_server_path()) until it is
 * mended. */
void
fp_vhost_set_sock_dir(const char *subdir)
{
    subdir = subdir ? subdir : "";
    ovs_mutex_lock(&fp_vhost_mutex);
    if (!sock_subdir || strcmp(sock_subdir, subdir)) {
        free(sock_subdir);
        sock_subdir = xstrdup(subdir);
        if (!sock_dir_is_valid(subdir)) {
            VLOG_WARN("other_config:vhost-sock-dir=\"%s\" is refused: it "
                      "must be a path relative to the run directory %s, "
                      "without \"..\"; running vhost-user ports keep their "
                      "sockets, and new fastpath-vhost ports fail until it "
                      "is mended", subdir, ovs_rundir());
        }
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
}

static int
path_error(char **errp, int error, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);

static int
path_error(char **errp, int error, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    *errp = xvasprintf(format, args);
    va_end(args);
    return error;
}

/* Makes the socket path of fastpath-vhost port 'port' in '*pathp' (which
 * the caller frees): <run directory>/<vhost-sock-dir>/<port>.  Returns 0,
 * or EINVAL with a message in '*errp' if the port's name or the socket
 * directory would put it outside the run directory. */
int
fp_vhost_server_path(const char *port, char **pathp, char **errp)
{
    char *subdir;

    *pathp = NULL;
    if (!port[0] || strchr(port, '/') || !strcmp(port, ".")
        || !strcmp(port, "..")) {
        return path_error(errp, EINVAL, "%s: not a valid name for a "
                          "fastpath-vhost port: its socket is named after "
                          "it, so it must not contain '/' or be \".\" or "
                          "\"..\"", port);
    }

    ovs_mutex_lock(&fp_vhost_mutex);
    subdir = xstrdup(sock_subdir ? sock_subdir : "");
    ovs_mutex_unlock(&fp_vhost_mutex);
    if (!sock_dir_is_valid(subdir)) {
        int error = path_error(errp, EINVAL, "%s: other_config:vhost-sock-"
                               "dir=\"%s\" would put the socket outside the "
                               "run directory %s: it must be a relative "
                               "path without \"..\"", port, subdir,
                               ovs_rundir());
        free(subdir);
        return error;
    }
    *pathp = (subdir[0]
              ? xasprintf("%s/%s/%s", ovs_rundir(), subdir, port)
              : xasprintf("%s/%s", ovs_rundir(), port));
    free(subdir);
    return 0;
}

/* Checks that a vhost-user socket can be at 'path' (for port 'port'):
 * short enough for a Unix socket, in a directory that exists. */
int
fp_vhost_check_socket_path(const char *port, const char *path, char **errp)
{
    struct sockaddr_un sun;
    struct stat st;
    char *copy, *dir;
    int error = 0;

    if (!path[0]) {
        return path_error(errp, EINVAL, "%s: the vhost-user socket path is "
                          "empty", port);
    }
    if (strlen(path) >= sizeof sun.sun_path) {
        return path_error(errp, ENAMETOOLONG, "%s: vhost-user socket path "
                          "%s is longer than a Unix socket's %"PRIuSIZE
                          " bytes", port, path, sizeof sun.sun_path - 1);
    }
    copy = xstrdup(path);
    dir = dirname(copy);
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        error = path_error(errp, ENOENT, "%s: directory %s of vhost-user "
                           "socket %s does not exist", port, dir, path);
    }
    free(copy);
    return error;
}

/* Removes a socket file that a switch before us left at 'path', if no one
 * listens on it any more. */
static void
remove_stale_socket(const char *path)
{
    struct sockaddr_un sun;
    struct stat st;
    int fd;

    if (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
        return;
    }
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        return;
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    ovs_strlcpy(sun.sun_path, path, sizeof sun.sun_path);
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun)
        && errno == ECONNREFUSED) {
        VLOG_INFO("removing stale vhost-user socket %s", path);
        unlink(path);
    }
    close(fd);
}

static struct fp_vhost *
find_by_path(const char *path)
    OVS_REQUIRES(fp_vhost_mutex)
{
    struct fp_vhost *dev;

    LIST_FOR_EACH (dev, node, &registry) {
        if (!strcmp(dev->path, path)) {
            return dev;
        }
    }
    return NULL;
}

/* Registers 'path' with the vhost library for 'dev' (as a server, or as a
 * reconnecting client for client ports) and starts listening or
 * connecting.  Returns 0 or an error with a message in '*errp'. */
int
fp_vhost_register(struct fp_vhost *dev, const char *path, char **errp)
    OVS_EXCLUDED(fp_vhost_mutex)
{
    const char *name = netdev_get_name(&dev->up);
    uint64_t flags = RTE_VHOST_USER_LINEARBUF_SUPPORT;
    struct fp_vhost *owner;
    const char *step;
    int err;

    fp_dpdk_log_init();
    if (dev->client) {
        flags |= RTE_VHOST_USER_CLIENT;
    } else {
        remove_stale_socket(path);
    }

    ovs_mutex_lock(&fp_vhost_mutex);
    owner = find_by_path(path);
    if (!owner) {
        /* Claimed now, so that callbacks find the port from the first
         * message on. */
        dev->path = xstrdup(path);
        ovs_list_push_back(&registry, &dev->node);
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    if (owner) {
        return path_error(errp, EBUSY, "%s: vhost-user socket %s is already "
                          "used by port %s", name, path,
                          netdev_get_name(&owner->up));
    }

    /* The library copies every argument; it calls no callback until the
     * driver starts, and then from its own thread. */
    step = "register";
    err = rte_vhost_driver_register(path, flags);
    if (!err) {
        step = "configure";
        err = (rte_vhost_driver_disable_features(path, FP_VHOST_NO_FEATURES)
               || rte_vhost_driver_callback_register(path, &vhost_ops));
        if (!err) {
            step = dev->client ? "connect to" : "listen on";
            err = rte_vhost_driver_start(path);
        }
        if (err) {
            rte_vhost_driver_unregister(path);
        }
    }
    if (err) {
        ovs_mutex_lock(&fp_vhost_mutex);
        ovs_list_remove(&dev->node);
        free(dev->path);
        dev->path = NULL;
        ovs_mutex_unlock(&fp_vhost_mutex);
        return path_error(errp, EIO, "%s: the vhost library could not %s "
                          "socket %s (see the log's dpdk lines)", name, step,
                          path);
    }
    VLOG_INFO("%s: vhost-user %s socket %s", name,
              dev->client ? "client of" : "server on", path);
    return 0;
}

/* Unregisters the socket of 'dev', if it has one, and removes the file of
 * a server socket.  Once it returns, no callback refers to 'dev'.  The
 * caller makes sure that no thread uses the port's data path. */
void
fp_vhost_unregister(struct fp_vhost *dev)
    OVS_EXCLUDED(fp_vhost_mutex)
{
    char *path;

    ovs_mutex_lock(&fp_vhost_mutex);
    path = dev->path;
    /* A destroy_device() callback for this port that waits for a grace
     * period may stop waiting (nothing uses the port), and must: the
     * unregistration below waits for the callback to return. */
    dev->closing = true;
    xpthread_cond_broadcast(&fp_vhost_cond);
    ovs_mutex_unlock(&fp_vhost_mutex);
    if (!path) {
        return;
    }

    if (rte_vhost_driver_unregister(path)) {
        VLOG_WARN("%s: the vhost library did not know socket %s",
                  netdev_get_name(&dev->up), path);
    }
    if (!dev->client && unlink(path) && errno != ENOENT) {
        VLOG_WARN("%s: could not remove socket %s (%s)",
                  netdev_get_name(&dev->up), path, ovs_strerror(errno));
    }

    ovs_mutex_lock(&fp_vhost_mutex);
    ovs_list_remove(&dev->node);
    dev->path = NULL;
    ovs_mutex_unlock(&fp_vhost_mutex);
    VLOG_INFO("%s: vhost-user socket %s closed", netdev_get_name(&dev->up),
              path);
    free(path);
}

/* Publishes which guest rx rings the netdev's tx queues send to: the
 * enabled ones of the ready guest, in order.  A send that reads a map
 * being changed may pick a ring that was just disabled, which the library
 * refuses: the packets are counted as dropped. */
void
fp_vhost_update_tx_map(struct fp_vhost *dev)
    OVS_REQUIRES(fp_vhost_mutex)
{
    int n = 0;

    if (dev->conn_vid >= 0) {
        for (int q = 0; q < dev->conn_n_qp; q++) {
            if (dev->rx_enabled[q]) {
                atomic_store_relaxed(&dev->tx_map[n++], 2 * q);
            }
        }
    }
    atomic_store_relaxed(&dev->n_tx_map, n);
}

/* Notes that 'dev''s status or link changed, for fp_vhost_run() to tell
 * the bridge from the main thread: netdev_change_seq_changed() is not safe
 * against the main thread's own calls.  Wakes the main thread. */
static void
status_changed(struct fp_vhost *dev)
    OVS_REQUIRES(fp_vhost_mutex)
{
    dev->status_changed = true;
    seq_change(connectivity_seq_get());
}

/* In the main thread: tells the bridge that 'dev''s status or link changed,
 * now and once more a little later.  The bridge writes what it reads to the
 * database, and when a guest attaches during the bridge's first
 * transaction the later write ("up") can be taken for no change and
 * dropped, against a copy of the row that does not show the first write
 * ("down") yet; the second announcement finds the copy up to date. */
void
fp_vhost_announce(struct fp_vhost *dev)
    OVS_REQUIRES(fp_vhost_mutex)
{
    enum { FP_VHOST_REANNOUNCE_MS = 500 };

    netdev_change_seq_changed(&dev->up);
    dev->reannounce = time_msec() + FP_VHOST_REANNOUNCE_MS;
}

/* In the main thread: announces the changes that the vhost library's
 * callbacks made, and the second announcements that are due. */
void
fp_vhost_run(void)
{
    long long int now = time_msec();
    struct fp_vhost *dev;

    ovs_mutex_lock(&fp_vhost_mutex);
    LIST_FOR_EACH (dev, node, &registry) {
        if (dev->status_changed) {
            dev->status_changed = false;
            fp_vhost_announce(dev);
        } else if (dev->reannounce && now >= dev->reannounce) {
            dev->reannounce = 0;
            netdev_change_seq_changed(&dev->up);
        }
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
}

void
fp_vhost_wait(void)
{
    struct fp_vhost *dev;

    ovs_mutex_lock(&fp_vhost_mutex);
    LIST_FOR_EACH (dev, node, &registry) {
        if (dev->reannounce) {
            poll_timer_wait_until(dev->reannounce);
        }
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
}

/* Finds the port whose socket the vhost device 'vid' came through. */
static struct fp_vhost *
find_by_vid(int vid)
    OVS_REQUIRES(fp_vhost_mutex)
{
    char path[PATH_MAX];

    if (rte_vhost_get_ifname(vid, path, sizeof path)) {
        return NULL;
    }
    return find_by_path(path);
}

/* Callbacks of the vhost library, from its thread. */

/* A guest has set up its rings: the port can use it once reconfigured. */
static int
new_device(int vid)
{
    uint64_t features = 0;
    struct fp_vhost *dev;
    int n_qp, numa;

    n_qp = rte_vhost_get_vring_num(vid) / 2;
    numa = rte_vhost_get_numa_node(vid);
    rte_vhost_get_negotiated_features(vid, &features);
    if (n_qp < 1 || n_qp > FP_VHOST_MAX_QP) {
        VLOG_ERR("vhost device %d: %d queue pair(s) is not supported "
                 "(1 to %d)", vid, n_qp, FP_VHOST_MAX_QP);
        return -1;
    }
    ovs_mutex_lock(&fp_vhost_mutex);
    dev = find_by_vid(vid);
    if (dev && !dev->closing) {
        dev->conn_vid = vid;
        dev->conn_n_qp = n_qp;
        dev->conn_numa = numa;
        dev->conn_features = features;
        dev->n_connects++;
        fp_vhost_update_tx_map(dev);
        netdev_request_reconfigure(&dev->up);
        VLOG_INFO("%s: guest ready: vhost device %d, %d queue pair(s), "
                  "NUMA node %d, features 0x%016"PRIx64,
                  netdev_get_name(&dev->up), vid, n_qp, numa, features);
    } else {
        dev = NULL;
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    if (!dev) {
        VLOG_WARN("vhost device %d: no fastpath-vhost port has its socket",
                  vid);
        return -1;
    }
    return 0;
}

/* Ends a grace period that destroy_device() waits for. */
struct grace {
    struct ovs_refcount ref;
    bool done;
};

static void
grace_unref(struct grace *g)
{
    if (ovs_refcount_unref(&g->ref) == 1) {
        free(g);
    }
}

static void
grace_end(struct grace *g)
{
    ovs_mutex_lock(&fp_vhost_mutex);
    g->done = true;
    xpthread_cond_broadcast(&fp_vhost_cond);
    ovs_mutex_unlock(&fp_vhost_mutex);
    grace_unref(g);
}

/* The guest went away (or is about to renegotiate): when this returns, the
 * library frees the device, so no thread may still be in a burst on it.
 * The data path reads 'vid' once per burst and quiesces between bursts, so
 * a grace period after 'vid' is -1 is enough.
 *
 * The wait is not ovsrcu_synchronize(): that would wait for the main
 * thread, and the main thread may itself wait for this callback, in
 * rte_vhost_driver_unregister() for the same port.  The port has started
 * closing then, which means no thread uses it, and the wait ends early. */
static void
destroy_device(int vid)
{
    struct fp_vhost *dev;
    struct grace *g;
    bool was_used;

    ovs_mutex_lock(&fp_vhost_mutex);
    dev = find_by_vid(vid);
    if (!dev || dev->conn_vid != vid) {
        ovs_mutex_unlock(&fp_vhost_mutex);
        return;
    }
    dev->conn_vid = -1;
    memset(dev->rx_enabled, 0, sizeof dev->rx_enabled);
    fp_vhost_update_tx_map(dev);
    was_used = fp_vhost_vid(dev) >= 0;
    atomic_store_relaxed(&dev->vid, -1);
    status_changed(dev);
    VLOG_INFO("%s: guest gone: vhost device %d", netdev_get_name(&dev->up),
              vid);
    if (!was_used || dev->closing) {
        ovs_mutex_unlock(&fp_vhost_mutex);
        return;
    }
    ovs_mutex_unlock(&fp_vhost_mutex);

    g = xmalloc(sizeof *g);
    ovs_refcount_init(&g->ref);
    ovs_refcount_ref(&g->ref);
    g->done = false;
    ovsrcu_postpone(grace_end, g);
    /* Hands 'g' to the RCU thread; this thread holds nothing under RCU. */
    ovsrcu_quiesce_start();

    ovs_mutex_lock(&fp_vhost_mutex);
    while (!g->done && !dev->closing) {
        ovs_mutex_cond_wait(&fp_vhost_cond, &fp_vhost_mutex);
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    grace_unref(g);
}

/* The guest enabled or disabled a ring.  The library says a guest is ready
 * once its first queue pair is, so a guest with more queue pairs sets the
 * others up afterwards: each new one asks for a reconfiguration, which
 * gives the port an rx queue for it.  An rx ring (even number) of the
 * guest's that is enabled is a target for the port's tx queues; a disabled
 * tx ring only gives the data path nothing to dequeue.  The library calls
 * this with the device's virtqueue locks held. */
static int
vring_state_changed(int vid, uint16_t queue_id, int enable)
{
    int qp = queue_id / 2;
    struct fp_vhost *dev;

    if (qp >= FP_VHOST_MAX_QP) {
        return 0;
    }
    ovs_mutex_lock(&fp_vhost_mutex);
    dev = find_by_vid(vid);
    if (dev && !dev->closing) {
        const char *name = netdev_get_name(&dev->up);

        if (dev->conn_vid == vid && enable && qp >= dev->conn_n_qp) {
            dev->conn_n_qp = qp + 1;
            netdev_request_reconfigure(&dev->up);
            VLOG_INFO("%s: guest has %d queue pair(s)", name, qp + 1);
        }
        if (!(queue_id % 2)) {
            dev->rx_enabled[qp] = enable != 0;
            fp_vhost_update_tx_map(dev);
            status_changed(dev);
            VLOG_INFO("%s: guest %s its rx queue %d", name,
                      enable ? "enabled" : "disabled", qp);
        }
    }
    ovs_mutex_unlock(&fp_vhost_mutex);
    return 0;
}

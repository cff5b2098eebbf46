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
/* ovs-vswitchd's end of the channel to fastpathd (dpif/fp-client.h). */

#include <config.h>
#include "fp-client.h"
#include "fp-journal.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "coverage.h"
#include "fp-port-queues.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "socket-util.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_client);

COVERAGE_DEFINE(fp_client_upcall_dropped);

/* How long a request may wait for its reply before the connection is
 * given up: fastpathd answers from its main loop, in microseconds. */
#define REPLY_TIMEOUT_MS 5000

/* How often a lost connection is tried again. */
#define RECONNECT_MS 1000

/* The upcalls of one datapath, waiting for its dpif's recv(): a queue per
 * input port, taken from one upcall per port in turn, so that a port whose
 * new flows come by the thousand (before their megaflow is in) delays
 * another port's next upcall by one, not by thousands. */
struct upcall_queue {
    struct fp_port_queues upcalls;  /* Messages, by input port. */
    uint64_t n_dropped;
    bool enabled;               /* The dpif asked for upcalls (recv_set). */
    bool metered;               /* fastpathd sends them against credit. */
    unsigned int owed;          /* Taken or dropped since the last credit. */
    long long int held_until;   /* recv() takes none before (msec). */
    struct seq *seq;            /* Changes as a message comes. */
};

/* Two locks: 'mutex' for the socket, held for a request's whole round
 * trip, and 'queue_mutex' for the upcall queues, held only to link and
 * unlink, so that recv() never waits for a request (it only tries
 * 'mutex').  Order: 'mutex', then 'queue_mutex'. */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_mutex queue_mutex = OVS_MUTEX_INITIALIZER;
static char *path;                                /* Set once, first. */
static int fd OVS_GUARDED_BY(mutex) = -1;
static int wait_fd OVS_GUARDED_BY(queue_mutex) = -1;  /* 'fd', for waits. */
static uint32_t next_seq OVS_GUARDED_BY(mutex) = 1;
static struct ofpbuf rx OVS_GUARDED_BY(mutex);  /* Read, not yet parsed. */
static struct shash queues OVS_GUARDED_BY(queue_mutex)
    = SHASH_INITIALIZER(&queues);
static char *daemon_desc OVS_GUARDED_BY(mutex);   /* From HELLO's reply. */
static char *last_error OVS_GUARDED_BY(mutex);    /* Why not connected. */
static bool credit_refused OVS_GUARDED_BY(mutex); /* An older fastpathd. */
static long long int next_try OVS_GUARDED_BY(mutex);

/* Sets the socket of fastpathd, once, before any other call. */
void
fp_client_configure(const char *path_)
{
    ovs_mutex_lock(&mutex);
    ovs_assert(!path);
    path = xstrdup(path_);
    ofpbuf_init(&rx, 65536);
    ovs_mutex_unlock(&mutex);
}

const char *
fp_client_path(void)
{
    return path;
}

static void
set_error(char *error)
    OVS_REQUIRES(mutex)
{
    free(last_error);
    last_error = error;
}

static void
set_fd(int new_fd)
    OVS_REQUIRES(mutex)
{
    struct shash_node *node;

    fd = new_fd;
    ovs_mutex_lock(&queue_mutex);
    wait_fd = new_fd;
    /* Handlers that wait on the old socket wake to wait on the new one. */
    SHASH_FOR_EACH (node, &queues) {
        struct upcall_queue *q = node->data;

        seq_change(q->seq);
    }
    ovs_mutex_unlock(&queue_mutex);
}

static void
disconnect(const char *why)
    OVS_REQUIRES(mutex)
{
    if (fd >= 0) {
        VLOG_ERR("lost fastpathd at %s (%s): the fastpath datapaths do "
                 "not answer until it is back", path, why);
        close(fd);
        set_fd(-1);
        set_error(xasprintf("connection lost (%s)", why));
        next_try = time_msec() + RECONNECT_MS;
    }
    ofpbuf_clear(&rx);
}

/* Reads what the socket has into 'rx', waiting up to 'timeout' ms (0: not
 * at all).  Returns 0, EAGAIN (nothing came) or why the connection
 * failed. */
static int
fill_rx(int timeout)
    OVS_REQUIRES(mutex)
{
    ssize_t n;

    if (timeout) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int retval;

        do {
            retval = poll(&pfd, 1, timeout);
        } while (retval < 0 && errno == EINTR);
        if (!retval) {
            return ETIMEDOUT;
        }
    }
    ofpbuf_prealloc_tailroom(&rx, 65536);
    do {
        n = recv(fd, ofpbuf_tail(&rx), ofpbuf_tailroom(&rx), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno;
    } else if (!n) {
        return ECONNRESET;
    }
    rx.size += n;
    return 0;
}

static struct upcall_queue *
queue_get(const char *dp_name)
    OVS_REQUIRES(queue_mutex)
{
    struct upcall_queue *q = shash_find_data(&queues, dp_name);

    if (!q) {
        q = xzalloc(sizeof *q);
        fp_port_queues_init(&q->upcalls, FP_CLIENT_UPCALL_QUEUE_LEN);
        q->seq = seq_create();
        shash_add(&queues, dp_name, q);
    }
    return q;
}

/* The input port of upcall 'msg', from its key (UINT32_MAX if none). */
static uint32_t
upcall_port(const struct fp_chan_msg *msg)
{
    const struct nlattr *key = msg->attrs[FP_CHAN_A_FLOW_KEY];
    const struct nlattr *in_port;

    in_port = (key
               ? nl_attr_find__(nl_attr_get(key), nl_attr_get_size(key),
                                OVS_KEY_ATTR_IN_PORT)
               : NULL);
    return (in_port && nl_attr_get_size(in_port) == sizeof(uint32_t)
            ? nl_attr_get_u32(in_port) : UINT32_MAX);
}

/* Sets aside the upcall 'msg', 'len' bytes at the front of 'rx', in the
 * queue of its input port. */
static void
queue_upcall(const struct fp_chan_msg *msg, size_t len)
    OVS_REQUIRES(mutex)
{
    const char *dp = nl_attr_get_string(msg->attrs[FP_CHAN_A_DP_NAME]);
    struct ofpbuf *copy = ofpbuf_clone_data(rx.data, len);
    struct upcall_queue *q;

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp);
    if (fp_port_queues_push(&q->upcalls, upcall_port(msg), copy)) {
        seq_change(q->seq);
    } else {
        q->n_dropped++;
        q->owed++;
        COVERAGE_INC(fp_client_upcall_dropped);
        ofpbuf_delete(copy);
    }
    ovs_mutex_unlock(&queue_mutex);
}

/* Requests sent together, whose replies come back in any order among the
 * upcalls: request i has sequence number 'first_seq' + i, and its reply
 * goes to 'replies[i]'. */
struct batch {
    uint32_t first_seq;
    size_t n;
    struct ofpbuf **replies;
    bool *replied;
    size_t n_replied;
};

/* Parses the messages at the front of 'rx': upcalls are set aside, the
 * replies to the requests of 'b' (if nonnull) are copied to their places.
 * Returns EAGAIN once 'rx' holds no more whole messages, EPROTO for a
 * malformed one. */
static int
dispatch(struct batch *b)
    OVS_REQUIRES(mutex)
{
    int error;

    for (;;) {
        struct fp_chan_msg m;
        size_t len;

        error = fp_chan_parse(rx.data, rx.size, &m, &len);
        if (error) {
            break;
        }
        if (m.cmd == FP_CHAN_UPCALL && !(m.flags & FP_CHAN_F_REPLY)) {
            queue_upcall(&m, len);
        } else if (b && m.flags & FP_CHAN_F_REPLY
                   && m.seq - b->first_seq < b->n
                   && !b->replied[m.seq - b->first_seq]) {
            size_t i = m.seq - b->first_seq;

            ofpbuf_clear(b->replies[i]);
            ofpbuf_put(b->replies[i], rx.data, len);
            b->replied[i] = true;
            b->n_replied++;
        }
        /* Anything else (a reply whose request timed out) is dropped. */
        ofpbuf_pull(&rx, len);
    }
    if (error == EAGAIN && ofpbuf_headroom(&rx)) {
        ofpbuf_shift(&rx, -(int) ofpbuf_headroom(&rx));
    }
    return error;
}

/* Sends the 'n' requests of 'requests' (setting their sequence numbers)
 * in one stream, without waiting for replies in between, and reads until
 * every reply has come: fastpathd handles requests in the order they
 * come, so this is the same as sending them one after the other, less
 * a round trip per request.  While the requests are going out, what comes
 * in is read too, so that neither end waits for the other with full
 * buffers.  Reply i is left in 'replies[i]', parsed into 'msgs[i]', and
 * its error (0, or the errno of a refusal whose reason 'msgs[i]' may say)
 * in 'errors[i]'.  Returns 0, or ENOTCONN or EMSGSIZE for the whole batch
 * (then 'errors' holds that too). */
static int
transact_batch__(struct ofpbuf **requests, size_t n,
                 struct ofpbuf **replies, struct fp_chan_msg *msgs,
                 int *errors)
    OVS_REQUIRES(mutex)
{
    long long int deadline = time_msec() + REPLY_TIMEOUT_MS;
    struct batch b = { .n = n, .replies = replies };
    struct ofpbuf out;
    size_t sent = 0;
    int error = 0;

    for (size_t i = 0; i < n; i++) {
        memset(&msgs[i], 0, sizeof msgs[i]);
        errors[i] = fd < 0 ? ENOTCONN : EMSGSIZE;
        if (fd < 0 || requests[i]->size > FP_CHAN_MAX_MSG) {
            error = errors[i];
        }
    }
    if (error) {
        for (size_t i = 0; i < n; i++) {
            errors[i] = error;
        }
        return error;
    }

    /* Sequence numbers are never 0 (upcalls have 0) and do not wrap within
     * a batch. */
    if (next_seq == 0 || next_seq > UINT32_MAX - n) {
        next_seq = 1;
    }
    b.first_seq = next_seq;
    next_seq += n;
    b.replied = xcalloc(n, sizeof *b.replied);
    ofpbuf_init(&out, 0);
    for (size_t i = 0; i < n; i++) {
        struct nlmsghdr *hdr = requests[i]->data;

        hdr->nlmsg_seq = b.first_seq + i;
        ofpbuf_put(&out, requests[i]->data, requests[i]->size);
    }

    while (b.n_replied < n) {
        bool progress = false;
        int retval;

        if (sent < out.size) {
            ssize_t k = send(fd, (uint8_t *) out.data + sent,
                             out.size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

            if (k > 0) {
                sent += k;
                progress = true;
            } else if (errno != EAGAIN && errno != EINTR) {
                error = errno;
                break;
            }
        }
        retval = fill_rx(0);
        if (!retval) {
            progress = true;
        } else if (retval != EAGAIN) {
            error = retval;
            break;
        }
        error = dispatch(&b);
        if (error != EAGAIN) {
            break;
        }
        error = 0;
        if (!progress && b.n_replied < n) {
            struct pollfd pfd = {
                .fd = fd,
                .events = POLLIN | (sent < out.size ? POLLOUT : 0),
            };
            long long int left = deadline - time_msec();

            if (left <= 0) {
                error = ETIMEDOUT;
                break;
            }
            if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
                error = errno;
                break;
            }
        }
    }
    ofpbuf_uninit(&out);
    free(b.replied);

    if (error) {
        disconnect(error == EPROTO ? "malformed message from fastpathd"
                   : error == ETIMEDOUT ? "no reply within 5 s"
                   : ovs_strerror(error));
        for (size_t i = 0; i < n; i++) {
            errors[i] = ENOTCONN;
        }
        return ENOTCONN;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len;

        /* Parsed once already, in dispatch(). */
        fp_chan_parse(replies[i]->data, replies[i]->size, &msgs[i], &len);
        errors[i] = 0;
        if (msgs[i].attrs[FP_CHAN_A_ERROR]) {
            errors[i] = nl_attr_get_u32(msgs[i].attrs[FP_CHAN_A_ERROR]);
            if (!errors[i]) {
                errors[i] = EPROTO;
            }
        }
    }
    return 0;
}

/* Sends 'request', whose sequence number it sets, and waits for its
 * reply, which it leaves in 'reply' parsed into 'msg'.  Returns 0, the
 * errno of a refusal (whose reason the caller may read in 'msg'), or
 * ENOTCONN. */
static int
transact__(struct ofpbuf *request, struct ofpbuf *reply,
           struct fp_chan_msg *msg)
    OVS_REQUIRES(mutex)
{
    int error;

    transact_batch__(&request, 1, &reply, msg, &error);
    return error;
}

int
fp_client_transact(struct ofpbuf *request, struct ofpbuf *reply,
                   struct fp_chan_msg *msg)
{
    int error;

    ovs_mutex_lock(&mutex);
    error = transact__(request, reply, msg);
    ovs_mutex_unlock(&mutex);
    return error;
}

/* Sends the 'n' requests of 'requests' together and waits for all their
 * replies: see transact_batch__(). */
int
fp_client_transact_batch(struct ofpbuf **requests, size_t n,
                         struct ofpbuf **replies, struct fp_chan_msg *msgs,
                         int *errors)
{
    int error;

    ovs_mutex_lock(&mutex);
    error = transact_batch__(requests, n, replies, msgs, errors);
    ovs_mutex_unlock(&mutex);
    return error;
}

/* Starts in 'req' a request of 'cmd' about datapath 'dp'. */
void
fp_client_request_start(struct ofpbuf *req, uint16_t cmd, const char *dp)
{
    ofpbuf_init(req, 256);
    fp_chan_msg_start(req, cmd, 0, 0);
    nl_msg_put_string(req, FP_CHAN_A_DP_NAME, dp);
}

/* Sends 'req', which it frees, and leaves the reply in 'reply' parsed into
 * 'msg'.  Logs a refusal's reason at 'level' (or not, with VLL_OFF). */
int
fp_client_request(struct ofpbuf *req, struct ofpbuf *reply,
                  struct fp_chan_msg *msg, enum vlog_level level)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    int error;

    fp_chan_msg_finish(req, 0);
    error = fp_client_transact(req, reply, msg);
    ofpbuf_uninit(req);
    if (error && level != VLL_OFF && msg->attrs[FP_CHAN_A_REASON]
        && !vlog_should_drop(&this_module, level, &rl)) {
        vlog(&this_module, level, "fastpathd: %s",
             nl_attr_get_string(msg->attrs[FP_CHAN_A_REASON]));
    }
    return error;
}

/* fp_client_request() of a request whose reply carries nothing to read. */
int
fp_client_request_simple(struct ofpbuf *req, enum vlog_level level)
{
    struct fp_chan_msg msg;
    struct ofpbuf reply;
    int error;

    ofpbuf_init(&reply, 256);
    error = fp_client_request(req, &reply, &msg, level);
    ofpbuf_uninit(&reply);
    return error;
}

/* Gives fastpathd credit for 'n' more upcalls of 'dp_name'.  An older
 * fastpathd, which refuses the command, sends every upcall at once, as
 * before: then no credit goes again on this connection. */
static void
grant_credit(const char *dp_name, uint32_t n)
    OVS_REQUIRES(mutex)
{
    struct ofpbuf request, reply;
    struct fp_chan_msg msg;
    int error;

    if (credit_refused || fd < 0) {
        return;
    }
    ofpbuf_init(&request, 128);
    ofpbuf_init(&reply, 128);
    fp_chan_msg_start(&request, FP_CHAN_UPCALL_CREDIT, 0, 0);
    nl_msg_put_string(&request, FP_CHAN_A_DP_NAME, dp_name);
    nl_msg_put_u32(&request, FP_CHAN_A_UPCALL_CREDIT, n);
    fp_chan_msg_finish(&request, 0);
    error = transact__(&request, &reply, &msg);
    if (error == EOPNOTSUPP) {
        credit_refused = true;
        VLOG_INFO("%s does not take upcall credit (an older fastpathd): it "
                  "sends every upcall as it comes", daemon_desc);
    }
    ofpbuf_uninit(&request);
    ofpbuf_uninit(&reply);
}

/* Starts the credit of 'dp_name''s upcalls, whose dpif has just asked for
 * them: as many as one port's queue here holds, so that none is dropped
 * here, whatever port they come from. */
static void
start_credit(const char *dp_name)
    OVS_REQUIRES(mutex)
{
    struct upcall_queue *q;

    ovs_mutex_lock(&queue_mutex);
    queue_get(dp_name)->owed = 0;
    ovs_mutex_unlock(&queue_mutex);

    grant_credit(dp_name, FP_CLIENT_UPCALL_WINDOW);

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp_name);
    q->metered = !credit_refused && fd >= 0;
    ovs_mutex_unlock(&queue_mutex);
}

/* For a dpif that has just asked fastpathd for its upcalls: the upcalls
 * come against credit from now on. */
void
fp_client_start_upcalls(const char *dp_name)
{
    ovs_mutex_lock(&mutex);
    start_credit(dp_name);
    ovs_mutex_unlock(&mutex);
}

/* Gives back the credit of the upcalls of 'dp_name' that recv() took (or
 * that were dropped): at once when none is left waiting, else once half
 * of the window has gone, so that fastpathd is never kept waiting while
 * the handlers have room. */
static void
return_credit(const char *dp_name)
{
    struct upcall_queue *q;
    unsigned int n = 0;

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp_name);
    if (q->metered && q->owed
        && (q->owed >= FP_CLIENT_UPCALL_WINDOW / 2
            || fp_port_queues_is_empty(&q->upcalls))) {
        n = q->owed;
        q->owed = 0;
    }
    ovs_mutex_unlock(&queue_mutex);
    if (n) {
        ovs_mutex_lock(&mutex);
        grant_credit(dp_name, n);
        ovs_mutex_unlock(&mutex);
    }
}

/* Asks again for the upcalls of the datapaths whose dpif asked before:
 * fastpathd stops them when a connection goes, and ofproto-dpif asks only
 * once. */
static void
restore_upcalls(void)
    OVS_REQUIRES(mutex)
{
    struct sset names = SSET_INITIALIZER(&names);
    struct shash_node *node;
    const char *name;

    ovs_mutex_lock(&queue_mutex);
    SHASH_FOR_EACH (node, &queues) {
        const struct upcall_queue *q = node->data;

        if (q->enabled) {
            sset_add(&names, node->name);
        }
    }
    ovs_mutex_unlock(&queue_mutex);

    SSET_FOR_EACH (name, &names) {
        struct ofpbuf request, reply;
        struct fp_chan_msg msg;

        ofpbuf_init(&request, 128);
        ofpbuf_init(&reply, 128);
        fp_chan_msg_start(&request, FP_CHAN_UPCALL_SET, 0, 0);
        nl_msg_put_string(&request, FP_CHAN_A_DP_NAME, name);
        nl_msg_put_flag(&request, FP_CHAN_A_ENABLE);
        fp_chan_msg_finish(&request, 0);
        memset(&msg, 0, sizeof msg);
        if (transact__(&request, &reply, &msg) && fd >= 0) {
            VLOG_WARN("%s: upcalls not restored after reconnecting", name);
        } else {
            start_credit(name);
        }
        ofpbuf_uninit(&request);
        ofpbuf_uninit(&reply);
    }
    sset_destroy(&names);
}

/* Gives a fastpathd that lacks a datapath of this process (one started
 * anew) that datapath again from its journal (dpif/fp-journal.h): the
 * datapath, its settings, its ports under their numbers and its flows
 * under their ufids, so that what ofproto-dpif knows is true again. */
static void
replay_journals(void)
    OVS_REQUIRES(mutex)
{
    struct sset names = SSET_INITIALIZER(&names);
    const char *name;

    fp_journal_dps(&names);
    SSET_FOR_EACH (name, &names) {
        size_t n_refused = 0, n_ports, n_flows, n;
        struct ofpbuf request, reply;
        struct fp_chan_msg msg;
        struct ofpbuf **msgs;
        int error;

        if (!fp_journal_has_dp(name)) {
            continue;
        }
        ofpbuf_init(&request, 128);
        ofpbuf_init(&reply, 256);
        fp_chan_msg_start(&request, FP_CHAN_DP_OPEN, 0, 0);
        nl_msg_put_string(&request, FP_CHAN_A_DP_NAME, name);
        nl_msg_put_string(&request, FP_CHAN_A_DP_TYPE, "fastpath");
        fp_chan_msg_finish(&request, 0);
        memset(&msg, 0, sizeof msg);
        error = transact__(&request, &reply, &msg);
        ofpbuf_uninit(&request);
        if (error != ENODEV) {
            /* There (the same fastpathd), or no answer. */
            ofpbuf_uninit(&reply);
            continue;
        }

        n_ports = fp_journal_count(name, FP_JOURNAL_PORT);
        n_flows = fp_journal_count(name, FP_JOURNAL_FLOW);
        msgs = fp_journal_get(name, &n);
        for (size_t i = 0; i < n && fd >= 0; i++) {
            memset(&msg, 0, sizeof msg);
            error = transact__(msgs[i], &reply, &msg);
            if (error && fd >= 0) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

                n_refused++;
                VLOG_WARN_RL(&rl, "%s: fastpathd refused a request made "
                             "again: %s", name,
                             (msg.attrs[FP_CHAN_A_REASON]
                              ? nl_attr_get_string(msg.attrs[FP_CHAN_A_REASON])
                              : ovs_strerror(error)));
            }
        }
        fp_journal_free(msgs, n);
        ofpbuf_uninit(&reply);
        VLOG_WARN("%s: fastpathd did not have this datapath (it started "
                  "anew): made it again with %"PRIuSIZE" ports and "
                  "%"PRIuSIZE" flows, %"PRIuSIZE" requests refused",
                  name, n_ports, n_flows, n_refused);
    }
    sset_destroy(&names);
}

/* Records whether the dpif of 'dp_name' asked for its upcalls, for
 * reconnections. */
void
fp_client_note_upcalls(const char *dp_name, bool enabled)
{
    ovs_mutex_lock(&queue_mutex);
    queue_get(dp_name)->enabled = enabled;
    ovs_mutex_unlock(&queue_mutex);
}

static int
connect__(void)
    OVS_REQUIRES(mutex)
{
    struct ofpbuf request, reply;
    struct fp_chan_msg msg;
    int error;

    if (fd >= 0) {
        return 0;
    }
    next_try = time_msec() + RECONNECT_MS;
    error = make_unix_socket(SOCK_STREAM, false, NULL, path);
    if (error < 0) {
        error = -error;
        set_error(xasprintf("cannot connect to %s (%s)", path,
                            ovs_strerror(error)));
        return error;
    }
    set_fd(error);
    ofpbuf_clear(&rx);
    credit_refused = false;

    ofpbuf_init(&request, 128);
    ofpbuf_init(&reply, 128);
    fp_chan_msg_start(&request, FP_CHAN_HELLO, 0, 0);
    nl_msg_put_u32(&request, FP_CHAN_A_VERSION, FP_CHAN_VERSION);
    nl_msg_put_u32(&request, FP_CHAN_A_PID, getpid());
    nl_msg_put_string(&request, FP_CHAN_A_NAME, program_name);
    fp_chan_msg_finish(&request, 0);
    memset(&msg, 0, sizeof msg);
    error = transact__(&request, &reply, &msg);
    if (error) {
        const char *reason = (msg.attrs[FP_CHAN_A_REASON]
                              ? nl_attr_get_string(msg.attrs[FP_CHAN_A_REASON])
                              : ovs_strerror(error));

        set_error(xasprintf("fastpathd at %s refused us: %s", path, reason));
        VLOG_ERR("%s", last_error);
        if (fd >= 0) {
            close(fd);
            set_fd(-1);
        }
    } else {
        free(daemon_desc);
        daemon_desc = xasprintf(
            "%s (pid %"PRIu32")",
            (msg.attrs[FP_CHAN_A_NAME]
             ? nl_attr_get_string(msg.attrs[FP_CHAN_A_NAME]) : "fastpathd"),
            (msg.attrs[FP_CHAN_A_PID]
             ? nl_attr_get_u32(msg.attrs[FP_CHAN_A_PID]) : 0));
        set_error(NULL);
        VLOG_INFO("attached to %s at %s, channel protocol version %d",
                  daemon_desc, path, FP_CHAN_VERSION);
        replay_journals();
        restore_upcalls();
    }
    ofpbuf_uninit(&request);
    ofpbuf_uninit(&reply);
    return error;
}

/* Connects to fastpathd, if not connected.  Returns 0 or why not. */
int
fp_client_connect(void)
{
    int error;

    ovs_mutex_lock(&mutex);
    error = connect__();
    ovs_mutex_unlock(&mutex);
    return error;
}

bool
fp_client_is_connected(void)
{
    bool connected;

    ovs_mutex_lock(&mutex);
    connected = fd >= 0;
    ovs_mutex_unlock(&mutex);
    return connected;
}

/* Tries a lost connection again, at most every RECONNECT_MS.  Returns
 * true if it connected again. */
bool
fp_client_run(void)
{
    bool reconnected = false;

    ovs_mutex_lock(&mutex);
    if (fd < 0 && path && time_msec() >= next_try) {
        reconnected = !connect__();
    }
    ovs_mutex_unlock(&mutex);
    return reconnected;
}

void
fp_client_wait(void)
{
    ovs_mutex_lock(&mutex);
    if (fd < 0 && path) {
        poll_timer_wait_until(next_try);
    }
    ovs_mutex_unlock(&mutex);
}

/* Pops the oldest upcall of 'dp_name' into 'msg_buf' and parses it into
 * 'msg'.  Returns 0 or EAGAIN. */
static int
pop_upcall(const char *dp_name, struct ofpbuf *msg_buf,
           struct fp_chan_msg *msg)
{
    struct ofpbuf *qm = NULL;
    struct upcall_queue *q;
    size_t len;
    int error;

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp_name);
    if (time_msec() >= q->held_until) {
        qm = fp_port_queues_pop(&q->upcalls);
        q->owed += qm != NULL;
    }
    ovs_mutex_unlock(&queue_mutex);
    if (!qm) {
        return EAGAIN;
    }
    ofpbuf_clear(msg_buf);
    ofpbuf_put(msg_buf, qm->data, qm->size);
    ofpbuf_delete(qm);
    error = fp_chan_parse(msg_buf->data, msg_buf->size, msg, &len);
    return error ? EAGAIN : 0;
}

/* Takes the oldest upcall of datapath 'dp_name' into 'msg_buf', parsed
 * into 'msg'.  Returns 0 or EAGAIN (none waits).  Never waits for a
 * request under way: then whoever holds the socket sets the upcalls
 * aside, and their queue's seq wakes recv_wait(). */
int
fp_client_recv_upcall(const char *dp_name, struct ofpbuf *msg_buf,
                      struct fp_chan_msg *msg)
{
    int error;

    if (!pop_upcall(dp_name, msg_buf, msg)) {
        return_credit(dp_name);
        return 0;
    }
    if (!ovs_mutex_trylock(&mutex)) {
        if (fd >= 0) {
            /* Read what has come, without waiting. */
            int retval = fill_rx(0);

            if (!retval || retval == EAGAIN) {
                retval = dispatch(NULL);
            }
            if (retval != EAGAIN) {
                disconnect(retval == EPROTO
                           ? "malformed message from fastpathd"
                           : ovs_strerror(retval));
            }
        }
        ovs_mutex_unlock(&mutex);
    }
    error = pop_upcall(dp_name, msg_buf, msg);
    return_credit(dp_name);
    return error;
}

/* Wakes the caller's poll loop when an upcall of 'dp_name' may be
 * there. */
void
fp_client_recv_wait(const char *dp_name)
{
    struct upcall_queue *q;

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp_name);
    bool waiting = !fp_port_queues_is_empty(&q->upcalls);

    if (waiting && time_msec() >= q->held_until) {
        poll_immediate_wake();
    } else {
        if (waiting) {
            poll_timer_wait_until(q->held_until);
        }
        seq_wait(q->seq, seq_read(q->seq));
        if (wait_fd >= 0) {
            poll_fd_wait(wait_fd, POLLIN);
        }
    }
    ovs_mutex_unlock(&queue_mutex);
}

/* Holds the upcalls of 'dp_name' back from recv() for at most
 * 'max_ms' ms, or lets them go (max_ms 0).  A port that fastpathd polls
 * from its PORT_ADD on may send misses before ofproto-dpif, which learns
 * its number from the reply, has mapped it: ofproto-dpif would drop
 * those ("unassociated datapath port"). */
void
fp_client_hold_upcalls(const char *dp_name, int max_ms)
{
    struct upcall_queue *q;

    ovs_mutex_lock(&queue_mutex);
    q = queue_get(dp_name);
    q->held_until = max_ms ? time_msec() + max_ms : 0;
    if (!max_ms) {
        seq_change(q->seq);
    }
    ovs_mutex_unlock(&queue_mutex);
}

/* Drops the upcalls of 'dp_name' that wait. */
void
fp_client_purge_upcalls(const char *dp_name)
{
    ovs_mutex_lock(&queue_mutex);
    fp_port_queues_clear(&queue_get(dp_name)->upcalls);
    ovs_mutex_unlock(&queue_mutex);
}

/* For fastpath/show: where fastpathd is and whether we are attached. */
void
fp_client_show(struct ds *ds)
{
    struct shash_node *node;

    ovs_mutex_lock(&mutex);
    ds_put_format(ds, "engine: fastpathd at unix:%s, channel protocol "
                  "version %d\n", path, FP_CHAN_VERSION);
    if (fd >= 0) {
        ds_put_format(ds, "  attached to %s\n", daemon_desc);
    } else {
        ds_put_format(ds, "  not attached: %s\n",
                      last_error ? last_error : "not tried yet");
    }
    ovs_mutex_lock(&queue_mutex);
    SHASH_FOR_EACH (node, &queues) {
        const struct upcall_queue *q = node->data;

        ds_put_format(ds, "  %s: %"PRIuSIZE" upcalls waiting, %"PRIu64
                      " dropped\n", node->name, q->upcalls.n, q->n_dropped);
    }
    ovs_mutex_unlock(&queue_mutex);
    ovs_mutex_unlock(&mutex);
}

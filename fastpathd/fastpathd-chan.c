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

/* fastpathd's end of the channel.  It listens on a Unix socket made under
 * umask 077, so that only its owner can connect.  Any number of
 * connections may say HELLO, but one client at a time is attached: the
 * others are refused with the name and pid of the one that is.  A
 * connection that sends a malformed message, or anything before its
 * HELLO, or is not attached within 10 s, is closed; nothing else
 * notices.  The attached client's commands go to fastpathd-dp.c. */

#include <config.h>
#include "fastpathd-chan.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fastpathd-ct.h"
#include "fastpathd-dp.h"
#include "fp-chan.h"
#include "fp-unixctl.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fastpathd_chan);

/* Connections, the attached client's included, beyond which new ones are
 * closed at once. */
#define MAX_CONNS 16

/* How long a connection may stay without being attached. */
#define HELLO_TIMEOUT_MS 10000

/* Upcalls go out while the client has less than this waiting to be sent:
 * the rest wait in their ports' queues (fastpathd/fastpathd-upcall.h). */
#define UPCALL_TX_LIMIT (64 * 1024)

struct chan_conn {
    struct ovs_list node;       /* In 'conns' of struct fastpathd_chan. */
    struct stream *stream;
    struct ofpbuf rx;           /* Received, not yet parsed. */
    struct ofpbuf tx;           /* To send. */
    bool closing;               /* Close once 'tx' is sent. */
    char *name;                 /* From its HELLO, once attached. */
    uint32_t pid;
    long long int opened_at;
    long long int attached_at;  /* Or 0. */
};

struct fastpathd_chan {
    char *path;
    struct pstream *listener;
    struct ovs_list conns;
    size_t n_conns;
    struct chan_conn *client;   /* The attached one, or NULL. */
    long long int accept_paused_until;
};

/* Returns true if a process listens at 'path' already. */
static bool
someone_listens(const char *path)
{
    char *name = xasprintf("unix:%s", path);
    struct stream *stream;
    int error;

    error = stream_open_block(stream_open(name, &stream, 0), 1000, &stream);
    free(name);
    if (!error) {
        stream_close(stream);
    }
    return !error;
}

/* Listens on the Unix socket 'path'.  Returns 0, EADDRINUSE if another
 * fastpathd listens there, or why the socket could not be made. */
int
fastpathd_chan_open(const char *path, struct fastpathd_chan **chanp)
{
    struct fastpathd_chan *chan;
    struct pstream *listener;
    mode_t old_umask;
    char *name;
    int error;

    if (someone_listens(path)) {
        return EADDRINUSE;
    }
    name = xasprintf("punix:%s", path);
    old_umask = umask(0077);
    error = pstream_open(name, &listener, 0);
    umask(old_umask);
    free(name);
    if (error) {
        return error;
    }

    chan = xzalloc(sizeof *chan);
    chan->path = xstrdup(path);
    chan->listener = listener;
    ovs_list_init(&chan->conns);
    *chanp = chan;
    return 0;
}

static void
conn_destroy(struct fastpathd_chan *chan, struct chan_conn *conn,
             const char *why)
{
    if (conn == chan->client) {
        VLOG_INFO("client %s (pid %"PRIu32") detached: %s", conn->name,
                  conn->pid, why);
        chan->client = NULL;
        /* The next client asks for upcalls when it is ready for them. */
        fastpathd_dp_disable_upcalls();
        fastpathd_ct_end_dumps(NULL);
    }
    ovs_list_remove(&conn->node);
    chan->n_conns--;
    stream_close(conn->stream);
    ofpbuf_uninit(&conn->rx);
    ofpbuf_uninit(&conn->tx);
    free(conn->name);
    free(conn);
}

void
fastpathd_chan_close(struct fastpathd_chan *chan)
{
    if (chan) {
        struct chan_conn *conn;

        LIST_FOR_EACH_SAFE (conn, node, &chan->conns) {
            conn_destroy(chan, conn, "fastpathd exits");
        }
        pstream_close(chan->listener);
        free(chan->path);
        free(chan);
    }
}

/* Refuses 'msg' with 'error' and 'reason'; with 'close', closes the
 * connection once the refusal is sent. */
static void
refuse(struct chan_conn *conn, const struct fp_chan_msg *msg, int error,
       bool close, const char *reason)
{
    fp_chan_put_error(&conn->tx, msg->cmd, msg->seq, error, reason);
    conn->closing = conn->closing || close;
}

static void
handle_hello(struct fastpathd_chan *chan, struct chan_conn *conn,
             const struct fp_chan_msg *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    uint32_t version = nl_attr_get_u32(msg->attrs[FP_CHAN_A_VERSION]);
    const char *name = (msg->attrs[FP_CHAN_A_NAME]
                        ? nl_attr_get_string(msg->attrs[FP_CHAN_A_NAME])
                        : "a client");
    uint32_t pid = (msg->attrs[FP_CHAN_A_PID]
                    ? nl_attr_get_u32(msg->attrs[FP_CHAN_A_PID]) : 0);
    char *reason;

    if (conn == chan->client) {
        refuse(conn, msg, EISCONN, false, "this client is attached already");
        return;
    }
    if (version != FP_CHAN_VERSION) {
        reason = xasprintf("fastpathd speaks channel protocol version %d, "
                           "%s (pid %"PRIu32") version %"PRIu32": run an "
                           "ovs-vswitchd and a fastpathd that speak the "
                           "same version", FP_CHAN_VERSION, name, pid,
                           version);
        VLOG_WARN_RL(&rl, "refused %s", reason);
        refuse(conn, msg, EPROTONOSUPPORT, true, reason);
        free(reason);
        return;
    }
    if (chan->client) {
        long long int secs = (time_msec() - chan->client->attached_at) / 1000;

        reason = xasprintf("another client is attached to fastpathd: %s "
                           "(pid %"PRIu32"), for %lld s", chan->client->name,
                           chan->client->pid, secs);
        VLOG_WARN_RL(&rl, "refused %s (pid %"PRIu32"): %s", name, pid,
                     reason);
        refuse(conn, msg, EBUSY, true, reason);
        free(reason);
        return;
    }

    size_t start = conn->tx.size;

    conn->name = xstrdup(name);
    conn->pid = pid;
    conn->attached_at = time_msec();
    chan->client = conn;
    VLOG_INFO("client %s (pid %"PRIu32") attached, channel protocol "
              "version %d", name, pid, FP_CHAN_VERSION);

    fp_chan_msg_start(&conn->tx, FP_CHAN_HELLO, FP_CHAN_F_REPLY, msg->seq);
    nl_msg_put_u32(&conn->tx, FP_CHAN_A_VERSION, FP_CHAN_VERSION);
    nl_msg_put_u32(&conn->tx, FP_CHAN_A_PID, getpid());
    nl_msg_put_string(&conn->tx, FP_CHAN_A_NAME, "fastpathd");
    fp_chan_msg_finish(&conn->tx, start);
}

/* The most arguments an APPCTL may carry, the command's name included. */
#define APPCTL_MAX_ARGS 16

/* Runs the engine's ovs-appctl command that 'msg' carries for the client's
 * ovs-vswitchd, as fastpathd's own unixctl server would, and answers with
 * its output. */
static void
handle_appctl(struct chan_conn *conn, const struct fp_chan_msg *msg)
{
    const char *argv[APPCTL_MAX_ARGS];
    const struct nlattr *item;
    struct ds out = DS_EMPTY_INITIALIZER;
    size_t left, start;
    int argc = 0;
    int error;

    NL_NESTED_FOR_EACH (item, left, msg->attrs[FP_CHAN_A_APPCTL_ARGV]) {
        size_t len = nl_attr_get_size(item);

        if (nl_attr_type(item) != FP_CHAN_A_ITEM || !len
            || ((const char *) nl_attr_get(item))[len - 1]
            || argc >= APPCTL_MAX_ARGS) {
            refuse(conn, msg, EINVAL, false, "APPCTL_ARGV holds no more than "
                   "16 strings and nothing else");
            return;
        }
        argv[argc++] = nl_attr_get_string(item);
    }
    error = fp_unixctl_run(argc, argv, &out);
    if (out.length >= FP_CHAN_APPCTL_MAX_OUTPUT) {
        static const char cut[] = "\n(cut here: ovs-appctl -t fastpathd "
                                  "gives the rest)\n";

        ds_truncate(&out, FP_CHAN_APPCTL_MAX_OUTPUT - sizeof cut);
        ds_put_cstr(&out, cut);
    }
    start = conn->tx.size;
    fp_chan_msg_start(&conn->tx, msg->cmd, FP_CHAN_F_REPLY, msg->seq);
    nl_msg_put_string(&conn->tx, FP_CHAN_A_APPCTL_OUTPUT, ds_cstr(&out));
    if (error) {
        nl_msg_put_flag(&conn->tx, FP_CHAN_A_APPCTL_FAILED);
    }
    fp_chan_msg_finish(&conn->tx, start);
    ds_destroy(&out);
}

static void
handle_msg(struct fastpathd_chan *chan, struct chan_conn *conn,
           const struct fp_chan_msg *msg)
{
    if (msg->cmd == FP_CHAN_HELLO && !(msg->flags & FP_CHAN_F_REPLY)) {
        handle_hello(chan, conn, msg);
    } else if (conn != chan->client) {
        refuse(conn, msg, EPROTO, true, "the first message must be HELLO");
    } else if (msg->flags & FP_CHAN_F_REPLY) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        /* Answering would start a ping-pong with a client as confused. */
        VLOG_WARN_RL(&rl, "%s (pid %"PRIu32") sent a reply to %s, which "
                     "fastpathd never asked: ignored", conn->name, conn->pid,
                     fp_chan_cmd_name(msg->cmd));
    } else if (msg->cmd == FP_CHAN_APPCTL) {
        handle_appctl(conn, msg);
    } else if (!fastpathd_dp_handle(msg, &conn->tx)) {
        char *reason = xasprintf("%s (command %"PRIu16") is not part of "
                                 "channel protocol version %d",
                                 fp_chan_cmd_name(msg->cmd), msg->cmd,
                                 FP_CHAN_VERSION);

        refuse(conn, msg, EOPNOTSUPP, false, reason);
        free(reason);
    }
}

/* Most messages handled per connection per run of the main loop, so that
 * no client keeps fastpathd from its other work. */
#define MAX_MSGS_PER_RUN 64

/* Whether 'conn' should stop reading until its replies have gone out. */
static bool
conn_backlogged(const struct chan_conn *conn)
{
    return conn->tx.size > FP_CHAN_MAX_MSG;
}

/* Moves what 'b' holds back to the start of its allocation, so that what
 * was pulled off its front is used again. */
static void
compact(struct ofpbuf *b)
{
    if (!b->size) {
        ofpbuf_clear(b);
    } else if (ofpbuf_headroom(b)) {
        ofpbuf_shift(b, -(int) ofpbuf_headroom(b));
    }
}

/* Receives and handles what 'conn' sent, up to MAX_MSGS_PER_RUN messages.
 * Returns NULL, or why 'conn' must be closed now. */
static const char *
conn_receive(struct fastpathd_chan *chan, struct chan_conn *conn)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    for (int n_msgs = 0; ; ) {
        struct fp_chan_msg msg;
        size_t len;
        int error;

        error = fp_chan_parse(conn->rx.data, conn->rx.size, &msg, &len);
        if (error == EPROTO) {
            VLOG_WARN_RL(&rl, "%s: malformed message: connection closed",
                         stream_get_name(conn->stream));
            return "malformed message";
        } else if (error == EAGAIN) {
            int n;

            if (conn->closing || conn_backlogged(conn)) {
                return NULL;
            }
            compact(&conn->rx);
            ofpbuf_prealloc_tailroom(&conn->rx, 4096);
            n = stream_recv(conn->stream, ofpbuf_tail(&conn->rx),
                            ofpbuf_tailroom(&conn->rx));
            if (n == -EAGAIN) {
                return NULL;
            } else if (n <= 0) {
                return n ? ovs_strerror(-n) : "connection closed";
            }
            conn->rx.size += n;
        } else if (n_msgs++ >= MAX_MSGS_PER_RUN || conn_backlogged(conn)) {
            /* More next time round; the wait functions wake us for it. */
            return NULL;
        } else {
            if (!conn->closing) {
                handle_msg(chan, conn, &msg);
            }
            ofpbuf_pull(&conn->rx, len);
        }
    }
}

/* Whether 'conn' holds a whole message it has not handled. */
static bool
conn_has_msg(const struct chan_conn *conn)
{
    struct fp_chan_msg msg;
    size_t len;

    return !conn->closing && !conn_backlogged(conn)
           && fp_chan_parse(conn->rx.data, conn->rx.size, &msg, &len)
              != EAGAIN;
}

/* Sends what 'conn' has queued.  Returns NULL, or why 'conn' must be
 * closed now. */
static const char *
conn_send(struct chan_conn *conn)
{
    while (conn->tx.size) {
        int n = stream_send(conn->stream, conn->tx.data, conn->tx.size);

        if (n == -EAGAIN) {
            return NULL;
        } else if (n < 0) {
            return ovs_strerror(-n);
        }
        ofpbuf_pull(&conn->tx, n);
    }
    compact(&conn->tx);
    return conn->closing ? "refused" : NULL;
}

void
fastpathd_chan_run(struct fastpathd_chan *chan)
{
    struct chan_conn *conn;
    struct stream *stream;

    while (time_msec() >= chan->accept_paused_until) {
        int error = pstream_accept(chan->listener, &stream);

        if (error) {
            if (error != EAGAIN) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

                /* Out of file descriptors, say: try again later rather
                 * than spin on a listener that stays readable. */
                VLOG_WARN_RL(&rl, "%s: accept failed (%s)", chan->path,
                             ovs_strerror(error));
                chan->accept_paused_until = time_msec() + 1000;
            }
            break;
        }
        if (chan->n_conns >= MAX_CONNS) {
            stream_close(stream);
            continue;
        }
        conn = xzalloc(sizeof *conn);
        conn->stream = stream;
        conn->opened_at = time_msec();
        ofpbuf_init(&conn->rx, 4096);
        ofpbuf_init(&conn->tx, 0);
        ovs_list_push_back(&chan->conns, &conn->node);
        chan->n_conns++;
    }

    if (chan->client && !chan->client->closing) {
        fastpathd_dp_send_upcalls(&chan->client->tx, UPCALL_TX_LIMIT);
    }
    LIST_FOR_EACH_SAFE (conn, node, &chan->conns) {
        const char *why;

        stream_run(conn->stream);
        why = conn_receive(chan, conn);
        if (!why) {
            why = conn_send(conn);
        }
        if (!why && conn != chan->client
            && time_msec() >= conn->opened_at + HELLO_TIMEOUT_MS) {
            why = "not attached within 10 s";
        }
        if (why) {
            conn_destroy(chan, conn, why);
        }
    }
}

void
fastpathd_chan_wait(struct fastpathd_chan *chan)
{
    const struct chan_conn *conn;

    if (time_msec() >= chan->accept_paused_until) {
        pstream_wait(chan->listener);
    } else {
        poll_timer_wait_until(chan->accept_paused_until);
    }
    if (chan->client && !chan->client->closing
        && chan->client->tx.size < UPCALL_TX_LIMIT) {
        fastpathd_dp_wait_upcalls();
    }
    LIST_FOR_EACH (conn, node, &chan->conns) {
        stream_run_wait(conn->stream);
        if (conn->tx.size) {
            stream_send_wait(conn->stream);
        }
        if (conn_has_msg(conn)) {
            poll_immediate_wake();
        } else if (!conn->closing && !conn_backlogged(conn)) {
            stream_recv_wait(conn->stream);
        }
        if (conn != chan->client) {
            poll_timer_wait_until(conn->opened_at + HELLO_TIMEOUT_MS);
        }
    }
}

void
fastpathd_chan_show(const struct fastpathd_chan *chan, struct ds *ds)
{
    ds_put_format(ds, "channel: unix:%s, protocol version %d\n", chan->path,
                  FP_CHAN_VERSION);
    if (chan->client) {
        ds_put_format(ds, "client: %s (pid %"PRIu32"), attached for %lld s\n",
                      chan->client->name, chan->client->pid,
                      (time_msec() - chan->client->attached_at) / 1000);
    } else {
        ds_put_cstr(ds, "client: none\n");
    }
}

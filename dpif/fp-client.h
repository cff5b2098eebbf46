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
#ifndef FP_CLIENT_H
#define FP_CLIENT_H 1

/* ovs-vswitchd's connection to fastpathd in the detached mode
 * (Documentation/detached.rst): one per process, shared by every
 * datapath and thread.
 *
 * Requests go one thread's at a time (a mutex): fp_client_transact() sends
 * one and reads until its reply, so that any thread may ask;
 * fp_client_transact_batch() sends many at once and reads until all
 * their replies have come (the flow operations of a handler's or a
 * revalidator's batch: one round trip, not one each).  Upcalls, which
 * fastpathd sends unasked, are set aside while it reads, in a queue per
 * datapath and input port; the dpif's recv() takes one upcall per port in
 * turn (each port's queue is bounded: past FP_CLIENT_UPCALL_QUEUE_LEN they
 * are dropped and counted), and fastpathd sends no more than recv() has
 * made room for (FP_CLIENT_UPCALL_WINDOW).  If fastpathd
 * goes away, every request fails with ENOTCONN and the log says so once;
 * fp_client_run() then tries again every second, and asks again for the
 * upcalls that the dpifs had asked for. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fp-chan.h"
#include "openvswitch/vlog.h"

struct ds;
struct ofpbuf;

/* Upcalls one input port may have waiting in ovs-vswitchd. */
enum { FP_CLIENT_UPCALL_QUEUE_LEN = 256 };

/* Upcalls of a datapath that fastpathd may send before recv() has taken
 * some (FP_CHAN_UPCALL_CREDIT): no more than one port's queue holds, so
 * that the queues here never overflow; the rest wait in fastpathd, in its
 * ports' queues, and are dropped there, fairly, if they must be. */
enum { FP_CLIENT_UPCALL_WINDOW = FP_CLIENT_UPCALL_QUEUE_LEN };

void fp_client_configure(const char *path);
const char *fp_client_path(void);
int fp_client_connect(void);
bool fp_client_is_connected(void);
bool fp_client_run(void);
void fp_client_wait(void);

int fp_client_transact(struct ofpbuf *request, struct ofpbuf *reply,
                       struct fp_chan_msg *msg);
int fp_client_transact_batch(struct ofpbuf **requests, size_t n,
                             struct ofpbuf **replies,
                             struct fp_chan_msg *msgs, int *errors);

/* Requests as the dpif makes them: started with the datapath's name,
 * finished and sent, the refusal's reason logged at 'level'. */
void fp_client_request_start(struct ofpbuf *, uint16_t cmd, const char *dp);
int fp_client_request(struct ofpbuf *request, struct ofpbuf *reply,
                      struct fp_chan_msg *, enum vlog_level);
int fp_client_request_simple(struct ofpbuf *request, enum vlog_level);

int fp_client_recv_upcall(const char *dp_name, struct ofpbuf *msg_buf,
                          struct fp_chan_msg *);
void fp_client_recv_wait(const char *dp_name);
void fp_client_purge_upcalls(const char *dp_name);
void fp_client_hold_upcalls(const char *dp_name, int max_ms);
void fp_client_note_upcalls(const char *dp_name, bool enabled);
void fp_client_start_upcalls(const char *dp_name);

void fp_client_show(struct ds *);

#endif /* fp-client.h */

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

#ifndef FASTPATHD_DP_H
#define FASTPATHD_DP_H 1

/* The channel's datapath commands, carried out on the engine. */

#include <stdbool.h>
#include <stddef.h>

struct ds;
struct fp_chan_msg;
struct fp_dp;
struct ofpbuf;

bool fastpathd_dp_handle(const struct fp_chan_msg *, struct ofpbuf *reply);
void fastpathd_dp_destroy_all(void);
void fastpathd_dp_send_upcalls(struct ofpbuf *tx, size_t max_size);
void fastpathd_dp_wait_upcalls(void);
void fastpathd_dp_disable_upcalls(void);
void fastpathd_dp_show(struct ds *);

/* For the other command modules (fastpathd-flow.c, fastpathd-meter.c). */
struct fp_dp *fastpathd_dp_find(const struct fp_chan_msg *,
                                struct ofpbuf *reply);
void fastpathd_put_ok(struct ofpbuf *reply, const struct fp_chan_msg *);
void fastpathd_put_error(struct ofpbuf *reply, const struct fp_chan_msg *,
                         int error, char *reason);
bool fastpathd_flow_handle(const struct fp_chan_msg *, struct ofpbuf *reply);
bool fastpathd_meter_handle(const struct fp_chan_msg *, struct ofpbuf *reply);

#endif /* fastpathd-dp.h */

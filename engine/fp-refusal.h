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

/* Settings that a running port refused.
 *
 * OVS's bridge deletes a running port whose set_config() fails, and writes
 * Interface:error only for a port that it could not create: a netdev cannot
 * put text there for a port that runs.  So a port of ours that refuses new
 * settings keeps its old ones, returns success, and keeps the reason here;
 * get_status() shows it as Interface:status:error until the setting is
 * mended, and the log says it once, when it first appears. */

#ifndef FP_REFUSAL_H
#define FP_REFUSAL_H 1

#include <stdbool.h>

struct netdev;
struct smap;

/* What set_config() and set_mtu() last refused; NULL where nothing.
 * Guarded by the mutex of the port type that holds it. */
struct fp_refusal {
    char *config;
    char *mtu;
};

int fp_refusal_end_config(struct fp_refusal *, struct netdev *,
                          bool running, int error, char **errp);
void fp_refusal_set_mtu(struct fp_refusal *, struct netdev *, char *msg);
void fp_refusal_clear(struct fp_refusal *);
void fp_refusal_status(const struct fp_refusal *, const struct netdev *,
                       struct smap *);

void fp_refusal_log(const char *port, const char *topic,
                    const char *msg);

#endif /* fp-refusal.h */

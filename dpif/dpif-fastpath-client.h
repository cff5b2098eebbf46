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
#ifndef DPIF_FASTPATH_CLIENT_H
#define DPIF_FASTPATH_CLIENT_H 1

#include <stdbool.h>

/* The "fastpath" dpif of the detached mode: a client of fastpathd
 * (dpif/dpif-fastpath-client.c). */

extern const struct dpif_class dpif_fastpath_client_class;

void dpif_fastpath_client_activate(const char *path);

struct dpif;
const char *dpif_fastpath_client_dp_name(const struct dpif *);

struct netdev_stats;
struct smap;
int dpif_fastpath_client_port_state(const char *port_name,
                                    struct netdev_stats *, bool *carrier,
                                    struct smap *status);

#endif /* dpif-fastpath-client.h */

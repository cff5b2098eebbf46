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
#ifndef NETDEV_FASTPATH_PROXY_H
#define NETDEV_FASTPATH_PROXY_H 1

/* The detached mode's stand-ins, in ovs-vswitchd, for the devices of
 * fastpathd's ports (dpif/netdev-fastpath-proxy.c). */

/* The type that the detached mode opens a bridge's internal ports as, and
 * ports of type "tap": both are fastpathd's tap devices, and the stand-in
 * takes the place of OVS's own "tap" class, which would open a second
 * handle on them. */
#define FP_PROXY_INTERNAL_TYPE "tap"

void netdev_fastpath_proxy_register(void);

#endif /* netdev-fastpath-proxy.h */

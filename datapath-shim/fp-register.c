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

/* Joins OVS Fastpath to ovs-vswitchd: registers the "fastpath" dpif
 * provider and our netdev providers before main() runs, so that they are
 * there when the bridge reads its configuration. */

#include <config.h>

#include "dpif-fastpath.h"
#include "dpif.h"
#include "netdev-fastpath.h"
#include "util.h"

OVS_CONSTRUCTOR(fp_register_providers)
{
    dp_register_provider(&dpif_fastpath_class);
    fp_netdev_register_classes();
}

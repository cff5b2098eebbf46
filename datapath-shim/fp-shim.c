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

/* Link-time answers for the places where Open vSwitch asks whether a
 * datapath is its own userspace one.  ofproto-dpif (libofproto) asks
 * libopenvswitch through these functions; ovs-vswitchd is linked with
 * -Wl,--wrap=NAME for each, so the calls land here and we answer "yes"
 * for the fastpath datapath too, without editing OVS. */

#include <config.h>

#include "dpif-fastpath.h"
#include "dpif-fastpath-client.h"
#include "dpif-provider.h"

bool __real_dpif_supports_tnl_push_pop(const struct dpif *);
bool __wrap_dpif_supports_tnl_push_pop(const struct dpif *);
bool __real_dpif_supports_explicit_drop_action(const struct dpif *);
bool __wrap_dpif_supports_explicit_drop_action(const struct dpif *);
bool __real_dpif_supports_lb_output_action(const struct dpif *);
bool __wrap_dpif_supports_lb_output_action(const struct dpif *);

static bool
is_fastpath(const struct dpif *dpif)
{
    return (dpif->dpif_class == &dpif_fastpath_class
            || dpif->dpif_class == &dpif_fastpath_client_class);
}

/* Native tunnelling: the engine executes tnl_push and tnl_pop. */
bool
__wrap_dpif_supports_tnl_push_pop(const struct dpif *dpif)
{
    return is_fastpath(dpif) || __real_dpif_supports_tnl_push_pop(dpif);
}

/* Explicit drop actions: OVS's action library executes and counts them. */
bool
__wrap_dpif_supports_explicit_drop_action(const struct dpif *dpif)
{
    return is_fastpath(dpif)
           || __real_dpif_supports_explicit_drop_action(dpif);
}

/* lb_output: the engine keeps the bonds' bucket maps and executes it. */
bool
__wrap_dpif_supports_lb_output_action(const struct dpif *dpif)
{
    return is_fastpath(dpif) || __real_dpif_supports_lb_output_action(dpif);
}

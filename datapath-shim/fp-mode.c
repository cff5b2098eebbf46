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
/* Which engine ovs-vswitchd's "fastpath" datapaths use: the one in this
 * process, or fastpathd's (the detached mode), chosen once, from
 * other_config:fastpath-engine, before the bridge opens any datapath or
 * port.
 *
 * The bridge reads the Open_vSwitch table's other_config first in
 * dpdk_init(), on every turn of its main loop and before any bridge is
 * made; this file stands in front of it (the link's --wrap=dpdk_init)
 * to read the key at that moment.  In the detached mode the "fastpath"
 * dpif class and the three port types are swapped for their channel
 * clients (dpif/dpif-fastpath-client.c, dpif/netdev-fastpath-proxy.c)
 * while nothing uses them yet.  The choice holds until ovs-vswitchd
 * restarts: a change later is logged and ignored. */

#include <config.h>

#include <string.h>
#include "dpif-fastpath.h"
#include "dpif-fastpath-client.h"
#include "dpif-provider.h"
#include "fp-datapath.h"
#include "netdev-fastpath.h"
#include "netdev-fastpath-proxy.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_mode);

struct smap;

void __real_dpdk_init(const struct smap *);
void __wrap_dpdk_init(const struct smap *);

/* The other_config value chosen, NULL for in-process. */
static char *engine;

static void
choose(const char *value)
{
    const char *path;

    if (!value || !strcmp(value, "in-process")) {
        fp_dp_init();
        VLOG_DBG("fastpath datapaths run in this process");
        return;
    }
    if (strncmp(value, "unix:", 5) || !value[5]) {
        VLOG_ERR("other_config:fastpath-engine=%s: not \"in-process\" or "
                 "\"unix:PATH\" (the socket of fastpathd): the fastpath "
                 "datapaths run in this process", value);
        fp_dp_init();
        return;
    }
    path = value + 5;
    engine = xstrdup(value);
    if (dp_unregister_provider(dpif_fastpath_class.type)) {
        VLOG_ERR("cannot take the fastpath datapath class back: the "
                 "fastpath datapaths run in this process");
        fp_dp_init();
        return;
    }
    fp_netdev_unregister_classes();
    netdev_fastpath_proxy_register();
    dp_register_provider(&dpif_fastpath_client_class);
    dpif_fastpath_client_activate(path);
    VLOG_INFO("fastpath datapaths run in fastpathd at %s (detached mode)",
              path);
}

void
__wrap_dpdk_init(const struct smap *other_config)
{
    static bool chosen;
    const char *value = smap_get(other_config, "fastpath-engine");

    if (!chosen) {
        chosen = true;
        choose(value);
    } else if (!nullable_string_is_equal(value, engine)
               && !(value && !strcmp(value, "in-process") && !engine)) {
        static bool warned;

        if (!warned) {
            warned = true;
            VLOG_WARN("other_config:fastpath-engine changed: the new value "
                      "takes effect when ovs-vswitchd restarts");
        }
    }
    __real_dpdk_init(other_config);
}

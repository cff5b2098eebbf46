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

/* Port type "fastpath": a DPDK ethdev named by options:devargs.
 *
 * This first version validates the configuration and reports in the
 * Interface's error column what keeps the port from opening; the ethdev
 * data path itself is still to come. */

#include <config.h>
#include "netdev-fastpath.h"

#include <errno.h>
#include "coverage.h"
#include "dpdk.h"
#include "netdev-provider.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(netdev_fastpath);

COVERAGE_DEFINE(fp_netdev_bad_config);

/* The options of a "fastpath" port, named as OVS-DPDK names them. */
static const char *const fastpath_options[] = {
    "devargs", "n_rxq", "n_rxq_desc", "n_txq_desc", "tx-retries-max",
    "dpdk-lsc-interrupt", NULL,
};

int
fp_netdev_check_options(const char *port, const struct smap *args,
                        const char *const known[], char **errp)
{
    const struct smap_node *node;

    SMAP_FOR_EACH (node, args) {
        bool found = false;

        for (size_t i = 0; known[i]; i++) {
            if (!strcmp(node->key, known[i])) {
                found = true;
                break;
            }
        }
        if (!found) {
            COVERAGE_INC(fp_netdev_bad_config);
            *errp = xasprintf("%s: unknown option \"%s\"", port, node->key);
            VLOG_WARN("%s", *errp);
            return EINVAL;
        }
    }
    return 0;
}

int
fp_netdev_check_dpdk(const char *port, char **errp)
{
    if (!dpdk_available()) {
        COVERAGE_INC(fp_netdev_bad_config);
        *errp = xasprintf("%s: DPDK is not initialized: fastpath ports need "
                          "other_config:dpdk-init=true", port);
        VLOG_WARN("%s", *errp);
        return EOPNOTSUPP;
    }
    return 0;
}

struct netdev_fastpath {
    struct netdev up;
    struct smap options;        /* As last set, for get_config(). */
};

static struct netdev_fastpath *
netdev_fastpath_cast(const struct netdev *netdev)
{
    return CONTAINER_OF(netdev, struct netdev_fastpath, up);
}

static struct netdev *
netdev_fastpath_alloc(void)
{
    struct netdev_fastpath *dev = xzalloc(sizeof *dev);

    return &dev->up;
}

static int
netdev_fastpath_construct(struct netdev *netdev)
{
    smap_init(&netdev_fastpath_cast(netdev)->options);
    return 0;
}

static void
netdev_fastpath_destruct(struct netdev *netdev)
{
    smap_destroy(&netdev_fastpath_cast(netdev)->options);
}

static void
netdev_fastpath_dealloc(struct netdev *netdev)
{
    free(netdev_fastpath_cast(netdev));
}

static int
netdev_fastpath_get_config(const struct netdev *netdev, struct smap *args)
{
    smap_clone(args, &netdev_fastpath_cast(netdev)->options);
    return 0;
}

static int
netdev_fastpath_set_config(struct netdev *netdev, const struct smap *args,
                           char **errp)
{
    struct netdev_fastpath *dev = netdev_fastpath_cast(netdev);
    const char *name = netdev_get_name(netdev);
    int error;

    error = fp_netdev_check_options(name, args, fastpath_options, errp);
    if (!error) {
        error = fp_netdev_check_dpdk(name, errp);
    }
    if (!error && !smap_get(args, "devargs")) {
        *errp = xasprintf("%s: options:devargs is required (a PCI address "
                          "or a vdev such as net_tap0,iface=x)", name);
        VLOG_WARN("%s", *errp);
        error = EINVAL;
    }
    if (!error) {
        *errp = xasprintf("%s: DPDK ethdev ports (type fastpath) are not "
                          "supported by this build yet", name);
        VLOG_WARN("%s", *errp);
        error = EOPNOTSUPP;
    }
    if (!error) {
        smap_destroy(&dev->options);
        smap_clone(&dev->options, args);
    }
    return error;
}

const struct netdev_class netdev_fastpath_class = {
    .type = "fastpath",
    .is_pmd = true,
    .alloc = netdev_fastpath_alloc,
    .construct = netdev_fastpath_construct,
    .destruct = netdev_fastpath_destruct,
    .dealloc = netdev_fastpath_dealloc,
    .get_config = netdev_fastpath_get_config,
    .set_config = netdev_fastpath_set_config,
};

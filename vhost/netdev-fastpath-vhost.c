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

/* Port types "fastpath-vhost" (vhost-user server, socket in the vhost
 * socket directory) and "fastpath-vhost-client" (vhost-user client of
 * options:vhost-server-path).
 *
 * This first version validates the configuration and says, in the
 * Interface's error column, why the port cannot open; the vhost-user data
 * path on DPDK's vhost library is still to come. */

#include <config.h>
#include "netdev-fastpath.h"

#include <errno.h>
#include "netdev-provider.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(netdev_fastpath_vhost);

static const char *const vhost_options[] = {
    "n_rxq_desc", "n_txq_desc", "tx-retries-max", NULL,
};

static const char *const vhost_client_options[] = {
    "vhost-server-path", "n_rxq_desc", "n_txq_desc", "tx-retries-max",
    "dq-zero-copy", NULL,
};

struct netdev_fastpath_vhost {
    struct netdev up;
};

static struct netdev *
vhost_alloc(void)
{
    struct netdev_fastpath_vhost *dev = xzalloc(sizeof *dev);

    return &dev->up;
}

static int
vhost_construct(struct netdev *netdev OVS_UNUSED)
{
    return 0;
}

static void
vhost_destruct(struct netdev *netdev OVS_UNUSED)
{
}

static void
vhost_dealloc(struct netdev *netdev)
{
    free(CONTAINER_OF(netdev, struct netdev_fastpath_vhost, up));
}

static int
not_yet(const char *name, char **errp)
{
    *errp = xasprintf("%s: vhost-user ports are not supported by this "
                      "build yet", name);
    VLOG_WARN("%s", *errp);
    return EOPNOTSUPP;
}

static int
vhost_set_config(struct netdev *netdev, const struct smap *args, char **errp)
{
    const char *name = netdev_get_name(netdev);
    int error;

    error = fp_netdev_check_options(name, args, vhost_options, errp);
    if (!error) {
        error = fp_netdev_check_dpdk(name, errp);
    }
    return error ? error : not_yet(name, errp);
}

static int
vhost_client_set_config(struct netdev *netdev, const struct smap *args,
                        char **errp)
{
    const char *name = netdev_get_name(netdev);
    int error;

    error = fp_netdev_check_options(name, args, vhost_client_options, errp);
    if (!error) {
        error = fp_netdev_check_dpdk(name, errp);
    }
    if (!error && !smap_get(args, "vhost-server-path")) {
        *errp = xasprintf("%s: options:vhost-server-path is required", name);
        VLOG_WARN("%s", *errp);
        error = EINVAL;
    }
    return error ? error : not_yet(name, errp);
}

const struct netdev_class netdev_fastpath_vhost_class = {
    .type = "fastpath-vhost",
    .is_pmd = true,
    .alloc = vhost_alloc,
    .construct = vhost_construct,
    .destruct = vhost_destruct,
    .dealloc = vhost_dealloc,
    .set_config = vhost_set_config,
};

const struct netdev_class netdev_fastpath_vhost_client_class = {
    .type = "fastpath-vhost-client",
    .is_pmd = true,
    .alloc = vhost_alloc,
    .construct = vhost_construct,
    .destruct = vhost_destruct,
    .dealloc = vhost_dealloc,
    .set_config = vhost_client_set_config,
};

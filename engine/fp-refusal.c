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

/* Keeps what a running port refused, for Interface:status:error (see
 * fp-refusal.h for why it is not Interface:error), and logs each refusal
 * once rather than at every reconfiguration of the bridge. */

#include <config.h>
#include "fp-refusal.h"

#include <string.h>

#include "netdev-provider.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(fp_refusal);

/* The message last logged about each port name.  The bridge creates a
 * port that failed again at every reconfiguration, with a new netdev each
 * time, so this outlives the netdevs. */
static struct ovs_mutex log_mutex = OVS_MUTEX_INITIALIZER;
static struct shash last_logged OVS_GUARDED_BY(log_mutex)
    = SHASH_INITIALIZER(&last_logged);

/* Logs 'msg' about setting 'topic' ("config", "mtu", ...) of port 'port'
 * unless it is what was last logged about that.  A null 'msg' forgets the
 * last message, so that the same mistake made again later is logged
 * again. */
void
fp_refusal_log(const char *port, const char *topic, const char *msg)
{
    char *key = xasprintf("%s %s", port, topic);
    char *last;

    ovs_mutex_lock(&log_mutex);
    last = shash_find_data(&last_logged, key);
    if (!msg) {
        free(shash_find_and_delete(&last_logged, key));
    } else if (!last || strcmp(last, msg)) {
        VLOG_WARN("%s", msg);
        free(shash_replace(&last_logged, key, xstrdup(msg)));
    }
    ovs_mutex_unlock(&log_mutex);
    free(key);
}

/* Replaces '*slot' by 'msg' (taken; NULL for none).  Returns true if it
 * changed. */
static bool
replace(char **slot, char *msg)
{
    if (msg == *slot || (msg && *slot && !strcmp(msg, *slot))) {
        free(msg);
        return false;
    }
    free(*slot);
    *slot = msg;
    return true;
}

/* Ends set_config() of 'netdev', which failed with 'error' (and a message
 * in '*errp') or succeeded with 0.  A port that is 'running' keeps its old
 * settings: the refusal goes to 'r' and the function returns 0, so that the
 * bridge keeps the port.  A new port's error is returned as it is, for the
 * bridge to put in Interface:error.  Either way the message is logged once
 * per port, however often the bridge tries again. */
int
fp_refusal_end_config(struct fp_refusal *r, struct netdev *netdev,
                      bool running, int error, char **errp)
{
    const char *name = netdev_get_name(netdev);

    if (!error) {
        fp_refusal_log(name, "config", NULL);
        if (replace(&r->config, NULL)) {
            netdev_change_seq_changed(netdev);
        }
        return 0;
    }
    fp_refusal_log(name, "config", *errp);
    if (!running) {
        return error;
    }
    if (replace(&r->config, xasprintf("%s (the port keeps its previous "
                                      "settings)", *errp))) {
        netdev_change_seq_changed(netdev);
    }
    free(*errp);
    *errp = NULL;
    return 0;
}

/* Records that set_mtu() refused the MTU with 'msg' (taken), or that it
 * took it if 'msg' is NULL. */
void
fp_refusal_set_mtu(struct fp_refusal *r, struct netdev *netdev, char *msg)
{
    fp_refusal_log(netdev_get_name(netdev), "mtu", msg);
    if (replace(&r->mtu, msg)) {
        netdev_change_seq_changed(netdev);
    }
}

void
fp_refusal_clear(struct fp_refusal *r)
{
    free(r->config);
    free(r->mtu);
    r->config = r->mtu = NULL;
}

/* Adds key "error" to 'smap' if 'r' holds a refusal.  The MTU's counts
 * only while the user still asks for an MTU (mtu_request is set): the
 * bridge does not call set_mtu() when it is removed. */
void
fp_refusal_status(const struct fp_refusal *r, const struct netdev *netdev,
                  struct smap *smap)
{
    const char *mtu = (netdev_mtu_is_user_config(CONST_CAST(struct netdev *,
                                                            netdev))
                       ? r->mtu : NULL);

    if (r->config && mtu) {
        smap_add_format(smap, "error", "%s; %s", r->config, mtu);
    } else if (r->config || mtu) {
        smap_add(smap, "error", r->config ? r->config : mtu);
    }
}

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

/* The "fastpath/..." ovs-appctl commands, documented in
 * lib/fp-unixctl.man. */

#include <config.h>
#include "fp-unixctl.h"

#include "dpif-provider.h"
#include "fp-datapath.h"
#include "fp-pmd.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-thread.h"
#include "unixctl.h"
#include "util.h"

struct show_aux {
    struct ds *ds;
    const char *dp_name;        /* Only this datapath, if nonnull. */
    bool found;
};

static bool
wanted(struct show_aux *aux, const struct fp_dp *dp)
{
    if (aux->dp_name && strcmp(aux->dp_name, dp->name)) {
        return false;
    }
    aux->found = true;
    return true;
}

/* Describes which threads poll 'port'. */
static void
put_pollers(struct ds *ds, struct fp_dp *dp, const struct fp_port *port)
    OVS_REQUIRES(dp->port_mutex)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    bool any = false;

    if (!port->n_rxq) {
        ds_put_cstr(ds, "none");
        return;
    }
    if (!netdev_is_pmd(port->netdev)) {
        ds_put_cstr(ds, "main thread");
        return;
    }
    for (size_t p = 0; p < set->n; p++) {
        struct fp_pmd *pmd = set->pmds[p];

        ovs_mutex_lock(&pmd->mutex);
        for (size_t i = 0; i < pmd->n_shown; i++) {
            if (pmd->shown[i].port == port) {
                ds_put_format(ds, "%spmd core %u", any ? ", " : "",
                              pmd->core_id);
                any = true;
                break;
            }
        }
        ovs_mutex_unlock(&pmd->mutex);
    }
    if (!any) {
        ds_put_cstr(ds, "none");
    }
}

static void
show_dp(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    struct fp_port **ports;
    uint64_t values[FP_N_STATS];
    size_t n;

    if (!wanted(aux, dp)) {
        return;
    }
    fp_dp_get_stats(dp, values);
    ds_put_format(aux->ds, "%s@%s:\n", dp->class->type, dp->name);
    ds_put_format(aux->ds, "  flows: %"PRIuSIZE"\n", dp->flows.n_flows);
    ds_put_format(aux->ds, "  lookups: hit:%"PRIu64" missed:%"PRIu64
                  " lost:%"PRIu64"\n",
                  values[FP_STAT_EMC_HIT] + values[FP_STAT_MEGAFLOW_HIT],
                  values[FP_STAT_MISS], values[FP_STAT_LOST]);
    ovs_mutex_lock(&dp->port_mutex);
    ports = fp_dp_sorted_ports(dp, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fp_port *port = ports[i];

        ds_put_format(aux->ds, "  port %"PRIu32": %s (%s)",
                      odp_to_u32(port->port_no),
                      port->name, port->type);
        ds_put_format(aux->ds, " rxq: %d, polled by ", port->n_rxq);
        put_pollers(aux->ds, dp, port);
        ds_put_char(aux->ds, '\n');
    }
    free(ports);
    ovs_mutex_unlock(&dp->port_mutex);
}

static int
compare_rxqs(const void *a_, const void *b_)
{
    const struct fp_pmd_rxq *a = a_, *b = b_;
    int cmp = strcmp(a->port->name,
                     b->port->name);

    return cmp ? cmp : a->qid - b->qid;
}

static void
show_rxqs(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    struct fp_port **ports;
    size_t n;

    if (!wanted(aux, dp)) {
        return;
    }
    ovs_mutex_lock(&dp->port_mutex);
    for (size_t p = 0; p < set->n; p++) {
        struct fp_pmd *pmd = set->pmds[p];

        ds_put_format(aux->ds, "%s@%s pmd thread numa_id %d core_id %u:\n",
                      dp->class->type, dp->name, pmd->numa_id, pmd->core_id);
        ovs_mutex_lock(&pmd->mutex);
        qsort(pmd->shown, pmd->n_shown, sizeof *pmd->shown, compare_rxqs);
        for (size_t i = 0; i < pmd->n_shown; i++) {
            ds_put_format(aux->ds, "  port: %-16s queue-id: %2d\n",
                          pmd->shown[i].port->name,
                          pmd->shown[i].qid);
        }
        ovs_mutex_unlock(&pmd->mutex);
    }

    ds_put_format(aux->ds, "%s@%s main thread:\n", dp->class->type,
                  dp->name);
    ports = fp_dp_sorted_ports(dp, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fp_port *port = ports[i];

        if (netdev_is_pmd(port->netdev)) {
            continue;
        }
        for (int q = 0; q < port->n_rxq; q++) {
            ds_put_format(aux->ds, "  port: %-16s queue-id: %2d\n",
                          port->name, q);
        }
    }
    free(ports);
    ovs_mutex_unlock(&dp->port_mutex);
}

static void
show_thread_stats(struct ds *ds, const char *title, const struct fp_stats *s,
                  bool with_cycles)
{
    uint64_t v[FP_N_STATS];
    uint64_t lookups;

    fp_stats_read(s, v);
    lookups = v[FP_STAT_EMC_HIT] + v[FP_STAT_MEGAFLOW_HIT] + v[FP_STAT_MISS];
    ds_put_format(ds, "%s:\n", title);
    ds_put_format(ds, "  packets received: %"PRIu64"\n", v[FP_STAT_RX]);
    ds_put_format(ds, "  packet recirculations: %"PRIu64"\n",
                  v[FP_STAT_RECIRC]);
    ds_put_format(ds, "  avg. datapath passes per packet: %.02f\n",
                  v[FP_STAT_RX] ? (double) lookups / v[FP_STAT_RX] : 0.0);
    ds_put_format(ds, "  exact match hits: %"PRIu64"\n",
                  v[FP_STAT_EMC_HIT]);
    ds_put_format(ds, "  megaflow hits: %"PRIu64"\n",
                  v[FP_STAT_MEGAFLOW_HIT]);
    ds_put_format(ds, "  miss with success upcall: %"PRIu64"\n",
                  v[FP_STAT_UPCALL_OK]);
    ds_put_format(ds, "  miss with failed upcall: %"PRIu64"\n",
                  v[FP_STAT_LOST]);
    ds_put_format(ds, "  packets sent: %"PRIu64"\n", v[FP_STAT_TX]);
    for (int i = FP_STAT_DROP_NO_PORT; i <= FP_STAT_DROP_TUNNEL; i++) {
        ds_put_format(ds, "  %s: %"PRIu64"\n", fp_stat_description(i),
                      v[i]);
    }
    if (with_cycles) {
        uint64_t idle = v[FP_STAT_IDLE_CYCLES], busy = v[FP_STAT_BUSY_CYCLES];
        uint64_t total = idle + busy;

        ds_put_format(ds, "  idle cycles: %"PRIu64" (%.02f%%)\n", idle,
                      total ? idle * 100.0 / total : 0.0);
        ds_put_format(ds, "  processing cycles: %"PRIu64" (%.02f%%)\n",
                      busy, total ? busy * 100.0 / total : 0.0);
        ds_put_format(ds, "  avg processing cycles per packet: %.02f "
                      "(%"PRIu64"/%"PRIu64")\n",
                      v[FP_STAT_RX] ? (double) busy / v[FP_STAT_RX] : 0.0,
                      busy, v[FP_STAT_RX]);
    }
}

static void
show_pmd_stats(struct fp_dp *dp, void *aux_)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    struct show_aux *aux = aux_;
    char *title;

    if (!wanted(aux, dp)) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct fp_pmd *pmd = set->pmds[i];

        title = xasprintf("%s@%s pmd thread numa_id %d core_id %u",
                          dp->class->type, dp->name, pmd->numa_id,
                          pmd->core_id);
        show_thread_stats(aux->ds, title, &pmd->ctx.stats, true);
        free(title);
    }

    title = xasprintf("%s@%s main thread", dp->class->type, dp->name);
    show_thread_stats(aux->ds, title, &dp->non_pmd.stats, false);
    free(title);
}

static void
clear_pmd_stats(struct fp_dp *dp, void *aux_)
{
    const struct fp_pmd_set *set = fp_dp_pmds(dp);
    struct show_aux *aux = aux_;

    if (!wanted(aux, dp)) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        fp_stats_clear(&set->pmds[i]->ctx.stats);
    }
    fp_stats_clear(&dp->retired_stats);
    fp_stats_clear(&dp->non_pmd.stats);
}

/* Runs 'cb' on every datapath, or on the one named by argv[1], and replies
 * with what it wrote. */
static void
run_command(struct unixctl_conn *conn, int argc, const char *argv[],
            void (*cb)(struct fp_dp *, void *))
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct show_aux aux = {
        .ds = &ds,
        .dp_name = argc > 1 ? argv[1] : NULL,
        .found = false,
    };

    fp_dp_for_each(cb, &aux);
    if (aux.dp_name && !aux.found) {
        unixctl_command_reply_error(conn, "no such datapath");
    } else {
        unixctl_command_reply(conn, ds_cstr(&ds));
    }
    ds_destroy(&ds);
}

static void
cmd_show(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux OVS_UNUSED)
{
    run_command(conn, argc, argv, show_dp);
}

static void
cmd_pmd_stats_show(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux OVS_UNUSED)
{
    run_command(conn, argc, argv, show_pmd_stats);
}

static void
cmd_pmd_stats_clear(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux OVS_UNUSED)
{
    run_command(conn, argc, argv, clear_pmd_stats);
}

static void
cmd_pmd_rxq_show(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux OVS_UNUSED)
{
    run_command(conn, argc, argv, show_rxqs);
}

void
fp_unixctl_register(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        unixctl_command_register("fastpath/show", "[dp]", 0, 1,
                                 cmd_show, NULL);
        unixctl_command_register("fastpath/pmd-stats-show", "[dp]", 0, 1,
                                 cmd_pmd_stats_show, NULL);
        unixctl_command_register("fastpath/pmd-stats-clear", "[dp]", 0, 1,
                                 cmd_pmd_stats_clear, NULL);
        unixctl_command_register("fastpath/pmd-rxq-show", "[dp]", 0, 1,
                                 cmd_pmd_rxq_show, NULL);
        ovsthread_once_done(&once);
    }
}

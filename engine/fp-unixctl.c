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
 * engine/fp-unixctl.man. */

#include <config.h>
#include "fp-unixctl.h"

#include <errno.h>
#include <string.h>

#include "ct-dpif.h"
#include "fp-datapath.h"
#include "fp-mempool.h"
#include "netdev-provider.h"
#include "openvswitch/dynamic-string.h"
#include "ovs-thread.h"
#include "unixctl.h"
#include "util.h"

struct show_aux {
    struct ds *ds;
    const char *dp_name;        /* Only this datapath, if nonnull. */
    bool with_stats;            /* fastpath/show -s: the ports' counters. */
    bool found;
};

/* Whether 'name' names 'dp', as "ovs-fastpath" or, as the dpctl commands and
 * dpif/show write it, "fastpath@ovs-fastpath". */
static bool
names_dp(const char *name, const struct fp_dp *dp)
{
    const char *type = fp_dp_type(dp);
    size_t type_len = strlen(type);

    if (!strncmp(name, type, type_len) && name[type_len] == '@') {
        name += type_len + 1;
    }
    return !strcmp(name, fp_dp_name(dp));
}

static bool
wanted(struct show_aux *aux, const struct fp_dp *dp)
{
    if (aux->dp_name && !names_dp(aux->dp_name, dp)) {
        return false;
    }
    aux->found = true;
    return true;
}

/* Says which threads of 'threads' poll 'port'. */
static void
put_pollers(struct ds *ds, const struct fp_port_info *port,
            const struct fp_thread_info *threads, size_t n_threads)
{
    bool any = false;

    if (!port->n_rxq) {
        ds_put_cstr(ds, "none");
        return;
    }
    if (!port->is_pmd) {
        ds_put_cstr(ds, "main thread");
        return;
    }
    for (size_t t = 0; t < n_threads; t++) {
        const struct fp_thread_info *thread = &threads[t];

        for (size_t q = 0; thread->is_pmd && q < thread->n_rxqs; q++) {
            if (!strcmp(thread->rxqs[q].port, port->name)) {
                ds_put_format(ds, "%spmd core %u", any ? ", " : "",
                              thread->core_id);
                any = true;
                break;
            }
        }
    }
    if (!any) {
        ds_put_cstr(ds, "none");
    }
}

static void
put_counter(struct ds *ds, const char *name, uint64_t value)
{
    if (value == UINT64_MAX) {
        ds_put_format(ds, " %s:?", name);
    } else {
        ds_put_format(ds, " %s:%"PRIu64, name, value);
    }
}

/* The counters of the device of port 'name', as its netdev keeps them
 * (UINT64_MAX, which a device without that counter reports, as "?"). */
static void
put_port_stats(struct ds *ds, const char *name)
{
    struct netdev *netdev = netdev_from_name(name);
    struct netdev_stats s;

    if (!netdev || netdev_get_stats(netdev, &s)) {
        ds_put_cstr(ds, "    (no counters)\n");
        netdev_close(netdev);
        return;
    }
    ds_put_cstr(ds, "    RX");
    put_counter(ds, "packets", s.rx_packets);
    put_counter(ds, "bytes", s.rx_bytes);
    put_counter(ds, "errors", s.rx_errors);
    put_counter(ds, "dropped", s.rx_dropped);
    ds_put_cstr(ds, "\n    TX");
    put_counter(ds, "packets", s.tx_packets);
    put_counter(ds, "bytes", s.tx_bytes);
    put_counter(ds, "errors", s.tx_errors);
    put_counter(ds, "dropped", s.tx_dropped);
    ds_put_char(ds, '\n');
    netdev_close(netdev);
}

static void
show_dp(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    struct fp_thread_info *threads;
    struct fp_port_info *ports;
    uint64_t values[FP_N_STATS];
    size_t n_ports, n_threads;

    if (!wanted(aux, dp)) {
        return;
    }
    fp_dp_get_stats(dp, values);
    ds_put_format(aux->ds, "%s@%s:\n", fp_dp_type(dp), fp_dp_name(dp));
    ds_put_format(aux->ds, "  flows: %"PRIuSIZE"\n", fp_dp_flow_count(dp));
    ds_put_format(aux->ds, "  lookups: hit:%"PRIu64" missed:%"PRIu64
                  " lost:%"PRIu64"\n",
                  values[FP_STAT_EMC_HIT] + values[FP_STAT_MEGAFLOW_HIT],
                  values[FP_STAT_MISS], values[FP_STAT_LOST]);
    ports = fp_dp_port_list(dp, &n_ports);
    threads = fp_dp_thread_list(dp, &n_threads);
    for (size_t i = 0; i < n_ports; i++) {
        const struct fp_port_info *port = &ports[i];

        ds_put_format(aux->ds, "  port %"PRIu32": %s (%s)",
                      odp_to_u32(port->port_no), port->name, port->type);
        ds_put_format(aux->ds, " rxq: %d, polled by ", port->n_rxq);
        put_pollers(aux->ds, port, threads, n_threads);
        ds_put_char(aux->ds, '\n');
        if (aux->with_stats) {
            put_port_stats(aux->ds, port->name);
        }
    }
    fp_thread_info_list_free(threads, n_threads);
    fp_port_info_list_free(ports, n_ports);
}

/* The title of a thread in pmd-rxq-show and pmd-stats-show. */
static void
put_thread_title(struct ds *ds, const struct fp_dp *dp,
                 const struct fp_thread_info *thread)
{
    ds_put_format(ds, "%s@%s ", fp_dp_type(dp), fp_dp_name(dp));
    if (thread->is_pmd) {
        ds_put_format(ds, "pmd thread numa_id %d core_id %u",
                      thread->numa_id, thread->core_id);
    } else {
        ds_put_cstr(ds, "main thread");
    }
    ds_put_cstr(ds, ":\n");
}

static void
show_rxqs(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    struct fp_thread_info *threads;
    size_t n;

    if (!wanted(aux, dp)) {
        return;
    }
    threads = fp_dp_thread_list(dp, &n);
    for (size_t t = 0; t < n; t++) {
        put_thread_title(aux->ds, dp, &threads[t]);
        for (size_t q = 0; q < threads[t].n_rxqs; q++) {
            ds_put_format(aux->ds, "  port: %-16s queue-id: %2d\n",
                          threads[t].rxqs[q].port, threads[t].rxqs[q].qid);
        }
    }
    fp_thread_info_list_free(threads, n);
}

static void
show_thread_stats(struct ds *ds, const uint64_t v[FP_N_STATS],
                  bool with_cycles)
{
    uint64_t lookups;

    lookups = v[FP_STAT_EMC_HIT] + v[FP_STAT_MEGAFLOW_HIT] + v[FP_STAT_MISS];
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
    for (int i = FP_STAT_DROP_NO_PORT; i <= FP_STAT_DROP_UPCALL_LIMIT; i++) {
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
    struct show_aux *aux = aux_;
    struct fp_thread_info *threads;
    size_t n;

    if (!wanted(aux, dp)) {
        return;
    }
    threads = fp_dp_thread_list(dp, &n);
    for (size_t t = 0; t < n; t++) {
        put_thread_title(aux->ds, dp, &threads[t]);
        show_thread_stats(aux->ds, threads[t].stats, threads[t].is_pmd);
    }
    fp_thread_info_list_free(threads, n);
}

static void
clear_pmd_stats(struct fp_dp *dp, void *aux_)
{
    if (wanted(aux_, dp)) {
        fp_dp_clear_stats(dp);
    }
}

static void
show_bonds(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    struct fp_bond_info *bonds;
    size_t n;

    if (!wanted(aux, dp)) {
        return;
    }
    bonds = fp_dp_bond_list(dp, &n);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(aux->ds, "%s@%s bond-id %"PRIu32":\n", fp_dp_type(dp),
                      fp_dp_name(dp), bonds[i].bond_id);
        for (int b = 0; b < BOND_BUCKETS; b++) {
            ds_put_format(aux->ds, "  bucket %3d: port %"PRIu32", %"PRIu64
                          " bytes\n", b, odp_to_u32(bonds[i].members[b]),
                          bonds[i].n_bytes[b]);
        }
    }
    free(bonds);
}

/* The connection tracker's entries, as dpctl/dump-conntrack prints them:
 * in the detached mode, fastpathd has no dpctl commands of its own. */
static void
dump_conntrack(struct fp_dp *dp, void *aux_)
{
    struct show_aux *aux = aux_;
    struct fp_ct_dump *dump;
    struct ct_dpif_entry entry;
    int tot_bkts;

    if (!wanted(aux, dp)
        || fp_dp_ct_dump_start(dp, NULL, &tot_bkts, &dump)) {
        return;
    }
    while (!fp_dp_ct_dump_next(dump, &entry)) {
        ct_dpif_format_entry(&entry, aux->ds, false, false);
        ds_put_char(aux->ds, '\n');
        ct_dpif_entry_uninit(&entry);
    }
    fp_dp_ct_dump_done(dump);
}

static void
list_dp(struct fp_dp *dp, void *ds_)
{
    struct ds *ds = ds_;

    ds_put_format(ds, "%s%s@%s", ds->length ? ", " : "", fp_dp_type(dp),
                  fp_dp_name(dp));
}

/* Runs 'cb' on every datapath, or on the one named by argv[1], writing to
 * 'out'.  Returns false, with the reason in 'out', if there is no such
 * datapath. */
static bool
run_on_dps(int argc, const char *argv[], bool with_stats,
           void (*cb)(struct fp_dp *, void *), struct ds *out)
{
    struct show_aux aux = {
        .ds = out,
        .dp_name = argc > 1 ? argv[1] : NULL,
        .with_stats = with_stats,
        .found = false,
    };

    fp_dp_for_each(cb, &aux);
    if (aux.dp_name && !aux.found) {
        struct ds names = DS_EMPTY_INITIALIZER;

        fp_dp_for_each(list_dp, &names);
        ds_clear(out);
        ds_put_format(out, "no fastpath datapath is named \"%s\" (%s%s)",
                      aux.dp_name,
                      (names.length ? "the fastpath datapaths are: "
                       : "there is no fastpath datapath"),
                      ds_cstr(&names));
        ds_destroy(&names);
        return false;
    }
    return true;
}

static bool
cmd_show(int argc, const char *argv[], struct ds *out)
{
    bool with_stats = argc > 1 && !strcmp(argv[1], "-s");

    if (with_stats) {
        argc--;
        argv++;
    }
    if (argc > 2) {
        ds_put_cstr(out, "usage: fastpath/show [-s] [dp]");
        return false;
    }
    return run_on_dps(argc, argv, with_stats, show_dp, out);
}

static bool
cmd_mempool_show(int argc OVS_UNUSED, const char *argv[] OVS_UNUSED,
                 struct ds *out)
{
    fp_mempool_show(out);
    return true;
}

/* The commands.  Each writes its answer, or why it failed, to 'out':
 * through 'run', or, for a command whose one argument is an optional
 * datapath, by 'per_dp' on each datapath it names. */
struct command {
    const char *name;
    const char *usage;
    int min_args, max_args;
    bool (*run)(int argc, const char *argv[], struct ds *out);
    void (*per_dp)(struct fp_dp *, void *aux);
};

static const struct command commands[] = {
    { "fastpath/show", "[-s] [dp]", 0, 2, cmd_show, NULL },
    { "fastpath/pmd-stats-show", "[dp]", 0, 1, NULL, show_pmd_stats },
    { "fastpath/pmd-stats-clear", "[dp]", 0, 1, NULL, clear_pmd_stats },
    { "fastpath/pmd-rxq-show", "[dp]", 0, 1, NULL, show_rxqs },
    { "fastpath/bond-show", "[dp]", 0, 1, NULL, show_bonds },
    { "fastpath/dump-conntrack", "[dp]", 0, 1, NULL, dump_conntrack },
    { "fastpath/mempool-show", "", 0, 0, cmd_mempool_show, NULL },
};

/* Runs the command argv[0] with its 'argc' - 1 arguments, as ovs-appctl
 * would, writing its answer to 'out'.  Returns 0, or an error (its reason
 * in 'out'): ENOENT if there is no such command, EINVAL for the wrong
 * number of arguments or a failure of the command. */
int
fp_unixctl_run(int argc, const char *argv[], struct ds *out)
{
    for (size_t i = 0; argc > 0 && i < ARRAY_SIZE(commands); i++) {
        const struct command *c = &commands[i];

        if (!strcmp(argv[0], c->name)) {
            if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
                ds_put_format(out, "\"%s\" command takes %d to %d "
                              "arguments", c->name, c->min_args,
                              c->max_args);
                return EINVAL;
            }
            return (c->run ? c->run(argc, argv, out)
                    : run_on_dps(argc, argv, false, c->per_dp, out))
                   ? 0 : EINVAL;
        }
    }
    ds_put_format(out, "\"%s\" is not a command of the fastpath engine",
                  argc > 0 ? argv[0] : "");
    return ENOENT;
}

static void
run_here(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux OVS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (fp_unixctl_run(argc, argv, &out)) {
        unixctl_command_reply_error(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    ds_destroy(&out);
}

/* Registers every command (once) with 'cb', or, where 'skip' names one,
 * every other. */
static void
register_all(unixctl_cb_func *cb, const char *skip)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
            const struct command *c = &commands[i];

            if (!skip || strcmp(skip, c->name)) {
                unixctl_command_register(c->name, c->usage, c->min_args,
                                         c->max_args, cb, NULL);
            }
        }
        ovsthread_once_done(&once);
    }
}

void
fp_unixctl_register(void)
{
    register_all(run_here, NULL);
}

/* For ovs-vswitchd in the detached mode, where the engine runs in
 * fastpathd: registers every command but 'skip' (its own) with 'forward',
 * which hands it to fastpathd.  Whichever of the two registrations comes
 * first is the only one. */
void
fp_unixctl_register_forwarded(unixctl_cb_func *forward, const char *skip)
{
    register_all(forward, skip);
}

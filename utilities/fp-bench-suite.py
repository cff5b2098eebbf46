#! /usr/bin/python3
# Copyright (c) 2026 OVS Fastpath authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""The benchmark suite: OVS Fastpath against OVS-DPDK, scenario by scenario.

Runs our ovs-vswitchd with one PMD thread, and for each scenario each
datapath in turn (datapath_type=netdev with OVS's dpdk and dpdkvhostuser
ports, datapath_type=fastpath with ours) on the same devices and traffic,
then the floor (utilities/fp-floor: the same devices, no switch).  Then,
unless --datapaths leaves it out, every scenario again on the same bridge with its
engine in fastpathd (the detached mode): ovs-vswitchd and fastpathd are
restarted for that.  Prints a table, writes bench.csv and bench.png into
--out.  See Documentation/benchmarks.rst.
"""

import argparse
import atexit
import csv
import os
import re
import statistics
import struct
import subprocess
import sys
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATAPATHS = ("netdev", "fastpath")
# The detached mode: datapath_type=fastpath, the engine in fastpathd.
DETACHED = "fastpathd"
LABEL = {"netdev": "ovs-dpdk", "fastpath": "fastpath", "floor": "floor",
         DETACHED: "fastpathd"}


def log(msg):
    print("%s: %s" % (os.path.basename(sys.argv[0]), msg), file=sys.stderr,
          flush=True)


# Traffic.
#
# Flow i (from 0) of a scenario with G masks is in group g = i % G; every
# header field that a rule may match differs from flow to flow, so a rule
# on any subset of them picks out one flow.

MATCH_FIELDS = ("nw_src", "nw_dst", "tp_src", "tp_dst", "nw_ttl")


def ip4(n):
    return "%d.%d.%d.%d" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def flow_fields(i, groups):
    return {
        "dl_dst": "02:00:00:00:%02x:%02x" % (i % groups >> 8,
                                             i % groups & 255),
        "nw_src": (10 << 24) + 1 + i,
        "nw_dst": (172 << 24) + (16 << 16) + i,
        "tp_src": 1024 + i % 60000,
        "tp_dst": 5001 + i % 4000,
        "nw_ttl": 1 + (i // groups) % 250,
    }


def checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def frame(i, groups, size):
    f = flow_fields(i, groups)
    payload = bytes(size - 14 - 20 - 8)
    udp = struct.pack("!HHHH", f["tp_src"], f["tp_dst"], 8 + len(payload), 0)
    ip = struct.pack("!BBHHHBBHII", 0x45, 0, 20 + len(udp) + len(payload),
                     0, 0, f["nw_ttl"], 17, 0, f["nw_src"], f["nw_dst"])
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = bytes.fromhex(f["dl_dst"].replace(":", "") + "020000000001"
                        + "0800")
    return eth + ip + udp + payload


def write_pcap(path, flows, groups, size):
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(flows):
            data = frame(i, groups, size)
            out.write(struct.pack("<IIII", 0, 0, len(data), len(data)))
            out.write(data)


def field_sets(groups):
    """The field sets of 'groups' masks: distinct non-empty subsets of
    MATCH_FIELDS, the larger first."""
    subsets = [[f for b, f in enumerate(MATCH_FIELDS) if m >> b & 1]
               for m in range(1, 1 << len(MATCH_FIELDS))]
    subsets.sort(key=lambda s: -len(s))
    return subsets[:groups]


def rules_per_flow(flows, groups):
    """One OpenFlow rule per flow: with one mask, on nw_src and tp_src; with
    G masks, group g's rules match its Ethernet destination and its own
    field set."""
    sets = [["nw_src", "tp_src"]] if groups == 1 else field_sets(groups)
    lines = []
    for i in range(flows):
        f = flow_fields(i, groups)
        match = ["udp"]
        if groups > 1:
            match.append("dl_dst=%s" % f["dl_dst"])
        for name in sets[i % groups]:
            v = f[name]
            match.append("%s=%s" % (name, ip4(v) if name.startswith("nw_s")
                                    or name.startswith("nw_d") else v))
        lines.append("in_port=1,%s,actions=output:2" % ",".join(match))
    return lines


class Scenario:
    def __init__(self, name, desc, source="pcap", flows=1, groups=1,
                 size=64, rules=None, warmup=3, floor=True, config=(),
                 flood=None):
        self.name, self.desc = name, desc
        # Flows of a "pcap-flood" source's flood.
        self.flood = FLOOD_FLOWS if flood is None else flood
        self.source, self.flows, self.groups, self.size = (source, flows,
                                                           groups, size)
        self.rules = rules or ["in_port=1,actions=output:2"]
        self.warmup, self.floor = warmup, floor and source == "pcap"
        self.config = config    # Open_vSwitch other_config keys to set.

    def pcap(self, rundir):
        return os.path.join(rundir, "%d-%d-%d.pcap" % (self.flows,
                                                        self.groups,
                                                        self.size))


CT_RULES = ["table=0,in_port=1,udp,actions=ct(commit,table=1)",
            "table=1,ct_state=+trk+est,udp,actions=output:2",
            "table=1,ct_state=+trk+new,udp,actions=output:2"]
# A hash over the 5-tuple makes ofproto-dpif match it exactly, so each new
# 5-tuple is a new megaflow, set up by an upcall.
SETUP_RULES = ["in_port=1,udp,actions=multipath(symmetric_l3l4+udp,1024,hrw,2,0,"
               "NXM_NX_REG0[0..1]),output:2"]
# The upcall flood: port 1 brings one established flow, port 3 brings
# FLOOD_FLOWS flows that the same multipath hash makes megaflows of their
# own; with the flow limit far below FLOOD_FLOWS, nearly every packet of
# port 3 misses.  Port 3's packets go to a sink of their own (port 4), so
# that port 2 counts the established flow only.
FLOOD_FLOWS = 20000
FLOOD_RULES = ["in_port=1,actions=output:2",
               "in_port=3,udp,actions=multipath(symmetric_l3l4+udp,1024,hrw,"
               "2,0,NXM_NX_REG0[0..1]),output:4"]


# The other shape of flood: FLOOD_RULE_FLOWS flows on port 3, each with a
# rule of its own and so a megaflow of its own, far more of them than the
# flow limit allows.
FLOOD_RULE_FLOWS = 5000


def flood_rules_per_flow():
    lines = ["in_port=1,actions=output:2"]
    for i in range(FLOOD_RULE_FLOWS):
        f = flow_fields(i, 1)
        lines.append("in_port=3,udp,nw_src=%s,tp_src=%d,actions=output:4"
                     % (ip4(f["nw_src"]), f["tp_src"]))
    return lines


def scenarios():
    return [
        Scenario("1-flow", "1 flow, 1 rule"),
        Scenario("1k-flows", "1,000 flows, a rule each", flows=1000,
                 rules="per-flow"),
        Scenario("100k-flows", "100,000 flows, a rule each", flows=100000,
                 rules="per-flow", warmup=20),
        Scenario("1k-10-masks", "1,000 flows, 10 masks", flows=1000,
                 groups=10, rules="per-flow"),
        Scenario("1k-30-masks", "1,000 flows, 30 masks", flows=1000,
                 groups=30, rules="per-flow"),
        Scenario("conntrack", "10,000 connections, ct(commit), +est",
                 flows=10000, rules=CT_RULES, warmup=5),
        Scenario("guest-guest", "vhost-user guest to guest, 8 flows",
                 source="vhost-pair"),
        # Flows idle for 1 s are deleted: the table holds about a second's
        # new flows, below the flow limit, and each packet is an upcall
        # that installs a flow.
        Scenario("flow-setup", "every packet a new flow (upcalls)",
                 source="vhost-new-flows", rules=SETUP_RULES,
                 config=(("max-idle", "1000"),)),
        Scenario("1-flow-1518", "1 flow, 1518-byte frames", size=1518),
        # Compare with 1-flow: the share of its rate that the established
        # flow keeps while another port floods the PMD with misses.
        Scenario("upcall-flood", "1 flow, and another port's %d flows "
                 "that miss (flow-limit=1000)" % FLOOD_FLOWS,
                 source="pcap-flood", rules=FLOOD_RULES, floor=False,
                 config=(("flow-limit", "1000"),)),
        Scenario("upcall-flood-rules", "1 flow, and another port's %d "
                 "flows with a rule each (flow-limit=200)" % FLOOD_RULE_FLOWS,
                 source="pcap-flood", rules=flood_rules_per_flow(),
                 floor=False, flood=FLOOD_RULE_FLOWS,
                 config=(("flow-limit", "200"),)),
    ]


# The switch.

class Switch:
    """ovsdb-server and our ovs-vswitchd; if 'detached', fastpathd too, which
    holds the engine and DPDK (ovs-vswitchd then starts no DPDK: the
    detached phase has no OVS-DPDK bridge)."""

    def __init__(self, builddir, rundir, pmd_mask, socket_mem,
                 detached=False):
        self.builddir, self.rundir = builddir, rundir
        self.pmd_mask, self.socket_mem = pmd_mask, socket_mem
        self.detached = detached
        self.ovs = None
        with open(os.path.join(builddir, "Makefile")) as f:
            for line in f:
                if line.startswith("OVS_BUILDDIR = "):
                    self.ovs = line.split("=", 1)[1].strip()
        if not self.ovs:
            sys.exit("%s is not a configured build" % builddir)
        self.env = dict(os.environ, OVS_RUNDIR=rundir, OVS_LOGDIR=rundir,
                        OVS_DBDIR=rundir)
        self.env["PATH"] = "%s/utilities:%s/ovsdb:%s" % (self.ovs, self.ovs,
                                                          os.environ["PATH"])

    def run(self, *args, check=True, input=None):
        p = subprocess.run(args, env=self.env, input=input,
                           capture_output=True, text=True)
        if check and p.returncode:
            raise RuntimeError("%s: %s" % (" ".join(args[:3]),
                                           p.stderr.strip()))
        return p.stdout

    def vsctl(self, *args):
        return self.run("ovs-vsctl", "--timeout=60", *args)

    def appctl(self, *args):
        return self.run("ovs-appctl", "--timeout=60", *args)

    def start(self):
        os.makedirs(self.rundir, exist_ok=True)
        for name in ("conf.db", "ovs-vswitchd.log", "ovsdb-server.log",
                     "fastpathd.log"):
            try:
                os.unlink(os.path.join(self.rundir, name))
            except FileNotFoundError:
                pass
        if self.detached:
            chan = os.path.join(self.rundir, "fastpathd.sock")
            self.run("%s/fastpathd/fastpathd" % self.builddir, "--detach",
                     "--no-chdir", "--pidfile", "--log-file",
                     "--channel=unix:%s" % chan,
                     "dpdk-extra=--no-pci --file-prefix=fpsuite-fpd",
                     "dpdk-socket-mem=%d" % self.socket_mem)
            engine = ("other_config:fastpath-engine=unix:%s" % chan,)
        else:
            engine = ("other_config:dpdk-init=true",
                      "other_config:dpdk-extra=--no-pci "
                      "--file-prefix=fpsuite",
                      "other_config:dpdk-socket-mem=%d" % self.socket_mem)
        db = os.path.join(self.rundir, "conf.db")
        self.run("ovsdb-tool", "create", db,
                 "%s/vswitchd/vswitch.ovsschema" % self.ovs)
        self.run("ovsdb-server", "--detach", "--no-chdir", "--pidfile",
                 "--log-file", "--remote=punix:%s/db.sock" % self.rundir, db)
        self.run("ovs-vsctl", "--no-wait", "init", "--", "set",
                 "Open_vSwitch", ".", *engine,
                 "other_config:pmd-cpu-mask=%s" % self.pmd_mask,
                 "other_config:fastpath-mempool-mbufs=262144",
                 "other_config:flow-limit=200000")
        self.run("%s/vswitchd/ovs-vswitchd" % self.builddir, "--detach",
                 "--no-chdir", "--pidfile", "--log-file",
                 "unix:%s/db.sock" % self.rundir)

    def stop(self):
        self.run("ovs-appctl", "-t", "ovs-vswitchd", "exit", "--cleanup",
                 check=False)
        self.run("ovs-appctl", "-t", "fastpathd", "exit", check=False)
        self.run("ovs-appctl", "-t", "ovsdb-server", "exit", check=False)

    def engine_appctl(self, *args):
        """A fastpath/* command of the engine's: fastpathd's in the detached
        mode, ovs-vswitchd's otherwise."""
        if self.detached:
            return self.run("ovs-appctl", "--timeout=60", "-t", "fastpathd",
                            *args)
        return self.appctl(*args)


def pmd_cycles(text):
    """The PMD thread's processing cycles per packet, from pmd-stats-show:
    the busiest thread's (the main thread also has a block)."""
    best = (0, 0.0)
    for m in re.finditer(r"avg processing cycles per packet: ([0-9.]+) "
                         r"\(\d+/(\d+)\)", text):
        best = max(best, (int(m.group(2)), float(m.group(1))))
    return best[1]


def tx_packets(sw, br, ofport):
    """The port's tx counter, read from the device now (the database's
    statistics column lags by up to 5 s)."""
    out = sw.run("ovs-ofctl", "dump-ports", br, str(ofport))
    return int(re.search(r"tx pkts=(\d+)", out).group(1))


def guest_counter(path, key):
    try:
        with open(path) as f:
            for line in f:
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
    except FileNotFoundError:
        pass
    return 0


def stop_processes(procs):
    """Stops the guest stand-ins 'procs' (SIGTERM, then SIGKILL after
    10 s)."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


class Run:
    """One scenario on one datapath: the bridge, its ports and sources."""

    def __init__(self, sw, args, sc, dp, serial):
        self.sw, self.args, self.sc, self.dp = sw, args, sc, dp
        self.n = serial
        self.br = "br-%s" % dp
        self.dp_type = "fastpath" if dp == DETACHED else dp
        self.guests = []
        if dp == "netdev":
            self.dpdk, self.vhost, self.opt = "dpdk", "dpdkvhostuser", \
                "dpdk-devargs"
            self.appctl = "dpif-netdev"
        else:
            self.dpdk, self.vhost, self.opt = "fastpath", "fastpath-vhost", \
                "devargs"
            self.appctl = "fastpath"

    def guest(self, name, *opts):
        stats = os.path.join(self.sw.rundir, "%s.stats" % name)
        try:
            os.unlink(stats)
        except FileNotFoundError:
            pass
        cmd = [os.path.join(self.sw.builddir, "utilities", "fp-guest"),
               "--in-memory", "-m", "128", "--no-pci", "--no-telemetry",
               "-l", "0", "--log-level=error", "--file-prefix=fps-%s" % name,
               "--", "--socket", os.path.join(self.sw.rundir, name),
               "--duration", "3600", "--stats", stats] + list(opts)
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.guests.append(p)
        return stats

    def add_port(self, name, ofport, type_, *options):
        self.sw.vsctl("add-port", self.br, name, "--", "set", "Interface",
                      name, "type=%s" % type_, "ofport_request=%d" % ofport,
                      *options)
        err = self.sw.vsctl("get", "Interface", name, "error").strip()
        if err not in ("", "[]"):
            raise RuntimeError("%s: %s: %s" % (self.dp, name, err))

    def wait_link(self, *ports):
        deadline = time.time() + 15
        for port in ports:
            while self.sw.vsctl("get", "Interface", port,
                                "link_state").strip() != "up":
                if time.time() > deadline:
                    raise RuntimeError("%s: %s: no link" % (self.dp, port))
                time.sleep(0.1)

    def setup(self):
        sc, n = self.sc, self.n
        for key, value in sc.config:
            self.sw.vsctl("set", "Open_vSwitch", ".",
                          "other_config:%s=%s" % (key, value))
        self.sw.vsctl("add-br", self.br, "--", "set", "bridge", self.br,
                      "datapath_type=%s" % self.dp_type,
                      "fail-mode=secure")
        rules = (rules_per_flow(sc.flows, sc.groups)
                 if sc.rules == "per-flow" else sc.rules)
        self.sw.run("ovs-ofctl", "add-flows", self.br, "-",
                    input="\n".join(rules) + "\n")
        if "flow-limit" not in dict(sc.config):
            self.sw.appctl("upcall/set-flow-limit", "200000")

        if sc.source == "pcap":
            self.add_port("sink%d" % n, 2, self.dpdk,
                          "options:%s=net_null%d,no-rx=1" % (self.opt, n))
            self.add_port("src%d" % n, 1, self.dpdk,
                          "options:%s=net_pcap%d,rx_pcap=%s,infinite_rx=1"
                          % (self.opt, n, sc.pcap(self.sw.rundir)))
            self.count = lambda: tx_packets(self.sw, self.br, 2)
        elif sc.source == "pcap-flood":
            flood = Scenario("", "", flows=sc.flood)
            self.add_port("sink%d" % n, 2, self.dpdk,
                          "options:%s=net_null%d,no-rx=1" % (self.opt, n))
            self.add_port("fsink%d" % n, 4, self.dpdk,
                          "options:%s=net_null%d,no-rx=1"
                          % (self.opt, n + 10000))
            self.add_port("src%d" % n, 1, self.dpdk,
                          "options:%s=net_pcap%d,rx_pcap=%s,infinite_rx=1"
                          % (self.opt, n, sc.pcap(self.sw.rundir)))
            time.sleep(1)
            self.add_port("flood%d" % n, 3, self.dpdk,
                          "options:%s=net_pcap%d,rx_pcap=%s,infinite_rx=1"
                          % (self.opt, n + 10000,
                             flood.pcap(self.sw.rundir)))
            self.count = lambda: tx_packets(self.sw, self.br, 2)
        elif sc.source == "vhost-pair":
            self.add_port("vma%d" % n, 1, self.vhost)
            self.add_port("vmb%d" % n, 2, self.vhost)
            # Both stand-ins share core 0: a sender that never yields would
            # starve the receiver, whose ring would overflow.  So the sender
            # offers a fixed load and both sleep when they have nothing to
            # do; compare the PMD's cycles per packet.
            stats = self.guest("vmb%d" % n, "--queue-size", "1024",
                               "--idle-sleep", "20")
            self.guest("vma%d" % n, "--flows", "8", "--send-count",
                       "1000000000000", "--rate", str(self.args.g2g_rate),
                       "--idle-sleep", "20")
            self.wait_link("vma%d" % n, "vmb%d" % n)
            self.count = lambda: guest_counter(stats, "rx_packets")
        elif sc.source == "vhost-new-flows":
            self.add_port("sink%d" % n, 2, self.dpdk,
                          "options:%s=net_null%d,no-rx=1" % (self.opt, n))
            self.add_port("vma%d" % n, 1, self.vhost)
            self.guest("vma%d" % n, "--flows", "4294967295", "--send-count",
                       "1000000000000")
            self.wait_link("vma%d" % n)
            self.count = lambda: tx_packets(self.sw, self.br, 2)

    def measure(self, seconds):
        """Returns (packets/s, cycles/packet, megaflows) over 'seconds'."""
        if self.dp == "netdev":
            stats = self.sw.appctl
        else:
            stats = self.sw.engine_appctl
        stats("%s/pmd-stats-clear" % self.appctl)
        c0, t0 = self.count(), time.time()
        time.sleep(seconds)
        c1, t1 = self.count(), time.time()
        cpp = pmd_cycles(stats("%s/pmd-stats-show" % self.appctl))
        flows = [int(x) for x in re.findall(r"flows\s*:\s*\(current (\d+)\)",
                                            self.sw.appctl("upcall/show"))]
        return (c1 - c0) / (t1 - t0), cpp, max(flows, default=-1)

    def teardown(self):
        stop_processes(self.guests)
        self.sw.vsctl("--if-exists", "del-br", self.br)
        for key, _ in self.sc.config:
            self.sw.vsctl("remove", "Open_vSwitch", ".", "other_config",
                          key)


def run_floor(args, sc, rundir):
    """The same source and sink devices forwarding with no switch."""
    floor = os.path.join(args.builddir, "utilities", "fp-floor")
    out = subprocess.run(
        [floor, "--no-pci", "--in-memory", "-m", "1024", "-l",
         str(args.pmd_core), "--no-telemetry", "--log-level=error",
         "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % sc.pcap(rundir),
         "--vdev", "net_null0,no-rx=1", "--", "--seconds",
         str(args.seconds), "--warmup", "2"],
        capture_output=True, text=True)
    m = re.search(r"pps=(\d+) cycles_per_packet=([0-9.]+)", out.stdout)
    if not m:
        raise RuntimeError("fp-floor: %s" % out.stderr.strip())
    return float(m.group(1)), float(m.group(2)), 0


NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages"


def restore_hugepages(before):
    """Gives back the hugepages reserved beyond 'before'."""
    try:
        with open(NR_HUGEPAGES) as f:
            now = int(f.read())
        if now > before:
            with open(NR_HUGEPAGES, "w") as f:
                f.write("%d\n" % before)
            log("hugepages: %d reserved again, as before the run" % before)
    except OSError as e:
        log("hugepages: could not give back those reserved (%s)" % e)


def median(values):
    return statistics.median(values) if values else 0.0


def write_plot(path, results, scs):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("no matplotlib (apt-get install python3-matplotlib): no plot")
        return
    curve = [sc for sc in scs if sc.source == "pcap" and sc.groups == 1
             and sc.size == 64 and sc.rules != CT_RULES]
    curve.sort(key=lambda sc: sc.flows)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    for who, style in (("floor", "k:"), ("netdev", "s-"),
                       ("fastpath", "o-")):
        pts = [(sc.flows, median(results[sc.name][who]["pps"]) / 1e6)
               for sc in curve if results[sc.name].get(who, {}).get("pps")]
        if pts:
            ax1.plot([p[0] for p in pts], [p[1] for p in pts], style,
                     label=LABEL[who])
    ax1.set_xscale("log")
    ax1.set_xlabel("flows (one OpenFlow rule and megaflow each)")
    ax1.set_ylabel("Mpps forwarded, 64-byte frames")
    ax1.set_title("Mpps against flow count")
    ax1.legend()
    ax1.grid(True, alpha=0.3)
    names = [sc.name for sc in scs]
    ratios = []
    for n in names:
        fp = median(results[n].get("fastpath", {}).get("pps", []))
        ovs = median(results[n].get("netdev", {}).get("pps", []))
        ratios.append(fp / ovs if fp and ovs else 0)
    ax2.bar(range(len(names)), ratios, 0.6, color="tab:orange")
    ax2.axhline(1.0, color="tab:blue", linestyle="--", label="OVS-DPDK")
    ax2.set_xticks(range(len(names)))
    ax2.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
    ax2.set_ylabel("fastpath packets/s over OVS-DPDK's")
    ax2.set_title("every scenario, same run")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def print_table(results, scs, args):
    print("%-12s %9s %9s %9s %6s %8s %8s %8s %6s %6s %s" % (
        "scenario", "floor", "ovs-dpdk", "fastpath", "ratio", "floor", "ovs",
        "fp", "ratio", "/floor", "megaflows"))
    print("%-12s %9s %9s %9s %6s %8s %8s %8s %6s %6s" % (
        "", "Mpps", "Mpps", "Mpps", "", "c/p", "c/p", "c/p", "", ""))
    for sc in scs:
        res = results[sc.name]
        pps = {w: median(res[w]["pps"]) for w in res}
        cpp = {w: median(res[w]["cpp"]) for w in res}

        def fmt(d, w, scale, form):
            return form % (d[w] / scale) if w in d else "-"
        ratio = (pps["fastpath"] / pps["netdev"]
                 if pps.get("fastpath") and pps.get("netdev") else 0)
        cratio = (cpp["fastpath"] / cpp["netdev"]
                  if cpp.get("fastpath") and cpp.get("netdev") else 0)
        flows = ("%d/%d" % (median(res["netdev"]["flows"]),
                            median(res["fastpath"]["flows"]))
                 if "netdev" in res and "fastpath" in res else "-")
        fratio = ("%5.2fx" % (cpp["fastpath"] / cpp["floor"])
                  if cpp.get("fastpath") and cpp.get("floor") else "-")
        print("%-12s %9s %9s %9s %5.2fx %8s %8s %8s %5.2fx %6s %s" % (
            sc.name, fmt(pps, "floor", 1e6, "%.2f"),
            fmt(pps, "netdev", 1e6, "%.2f"),
            fmt(pps, "fastpath", 1e6, "%.2f"), ratio,
            fmt(cpp, "floor", 1, "%.1f"), fmt(cpp, "netdev", 1, "%.1f"),
            fmt(cpp, "fastpath", 1, "%.1f"), cratio, fratio, flows))
    print("medians of %d x %g s; ratios: fastpath over ovs-dpdk; c/p: PMD "
          "cycles per packet; /floor: fastpath's c/p over the floor's; "
          "megaflows: ovs-dpdk/fastpath" % (args.reps, args.seconds))


def run_phase(args, rundir, scs, dps, detached, results):
    """Starts the switch (detached or not) and measures each scenario of
    'scs' on each datapath of 'dps', adding to 'results'.  Repetitions
    alternate between the datapaths (A B, then B A, ...), each on a bridge
    set up anew, so that a drift in the machine's speed (it is a VM) weighs
    on all alike."""
    sw = Switch(args.builddir, rundir, hex(1 << args.pmd_core), 1024,
                detached)
    sw.stop()
    sw.start()
    serial = 0
    try:
        for sc in scs:
            for rep in range(args.reps):
                for dp in dps if rep % 2 == 0 else dps[::-1]:
                    serial += 1
                    log("%s: %s (%s), repetition %d of %d, %g s"
                        % (sc.name, LABEL[dp], sc.desc, rep + 1, args.reps,
                           args.seconds))
                    run = Run(sw, args, sc, dp, serial)
                    try:
                        run.setup()
                        time.sleep(sc.warmup)
                        pps, cpp, flows = run.measure(args.seconds)
                        r = results[sc.name].setdefault(
                            dp, {"pps": [], "cpp": [], "flows": []})
                        r["pps"].append(pps)
                        r["cpp"].append(cpp)
                        r["flows"].append(flows)
                    except RuntimeError as e:
                        log("%s: %s: %s" % (sc.name, LABEL[dp], e))
                    finally:
                        run.teardown()
    finally:
        sw.stop()


def print_detached_table(results, scs):
    """The detached mode against in-process: the same engine, so the same
    cycles per packet are expected; flow-setup's rate is the channel's
    cost (each miss goes up to ovs-vswitchd and its flow comes back)."""
    print()
    print("%-12s %9s %9s %6s %8s %8s %6s" % (
        "scenario", "fastpath", "fastpathd", "ratio", "fp", "fpd", "ratio"))
    print("%-12s %9s %9s %6s %8s %8s %6s" % (
        "", "Mpps", "Mpps", "", "c/p", "c/p", ""))
    for sc in scs:
        res = results[sc.name]
        pps = {w: median(res[w]["pps"]) for w in res}
        cpp = {w: median(res[w]["cpp"]) for w in res}

        def cell(d, w, scale, form):
            return form % (d[w] / scale) if d.get(w) else "-"

        def ratio(d):
            return ("%5.2fx" % (d[DETACHED] / d["fastpath"])
                    if d.get(DETACHED) and d.get("fastpath") else "-")
        print("%-12s %9s %9s %6s %8s %8s %6s" % (
            sc.name, cell(pps, "fastpath", 1e6, "%.3f"),
            cell(pps, DETACHED, 1e6, "%.3f"), ratio(pps),
            cell(cpp, "fastpath", 1, "%.1f"), cell(cpp, DETACHED, 1, "%.1f"),
            ratio(cpp)))
    print("ratios: fastpathd (the detached mode) over fastpath in-process; "
          "measured in a phase of its own, after the others")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.environ.get(
        "FP_BUILDDIR", os.path.join(SRCDIR, "_build")))
    ap.add_argument("--out", help="directory of the CSV and the plot "
                    "(default BUILDDIR/bench-suite)")
    ap.add_argument("--seconds", type=float, default=5,
                    help="measured seconds per repetition (default 5)")
    ap.add_argument("--reps", type=int, default=3,
                    help="repetitions per datapath (default 3)")
    ap.add_argument("--scenarios", help="comma-separated names (default "
                    "all): " + ",".join(sc.name for sc in scenarios()))
    ap.add_argument("--pmd-core", type=int, default=1)
    ap.add_argument("--g2g-rate", type=int, default=2000000,
                    help="packets/s the guest-guest sender offers "
                    "(default 2000000)")
    ap.add_argument("--no-floor", action="store_true")
    ap.add_argument("--datapaths", default=",".join(DATAPATHS + (DETACHED,)),
                    help="comma-separated, of %s (default all; %s is the "
                    "detached mode)" % (", ".join(DATAPATHS + (DETACHED,)),
                                        DETACHED))
    args = ap.parse_args()

    scs = scenarios()
    if args.scenarios:
        wanted = args.scenarios.split(",")
        unknown = set(wanted) - {sc.name for sc in scs}
        if unknown:
            sys.exit("unknown scenario(s): %s" % ", ".join(sorted(unknown)))
        scs = [sc for sc in scs if sc.name in wanted]
    rundir = os.path.join(args.builddir, "bench-suite")
    out = args.out or rundir
    os.makedirs(rundir, exist_ok=True)
    os.makedirs(out, exist_ok=True)
    if os.geteuid():
        sys.exit("run as root (hugepages, DPDK)")
    # The hugepages reserved here go back when the suite ends.
    with open(NR_HUGEPAGES) as f:
        atexit.register(restore_hugepages, int(f.read()))
    subprocess.run(["sh", os.path.join(SRCDIR, "utilities",
                                       "fp-hugepages.sh"), "1536"],
                   check=True)

    for sc in scs:
        if sc.source == "pcap-flood":
            flood = Scenario("", "", flows=sc.flood)
            if not os.path.exists(flood.pcap(rundir)):
                write_pcap(flood.pcap(rundir), sc.flood, 1, 64)
        if (sc.source.startswith("pcap")
                and not os.path.exists(sc.pcap(rundir))):
            write_pcap(sc.pcap(rundir), sc.flows, sc.groups, sc.size)

    results = {sc.name: {} for sc in scs}
    if not args.no_floor:
        for sc in scs:
            if sc.floor:
                log("%s: floor" % sc.name)
                r = [run_floor(args, sc, rundir)
                     for _ in range(min(args.reps, 3))]
                results[sc.name]["floor"] = {"pps": [x[0] for x in r],
                                             "cpp": [x[1] for x in r],
                                             "flows": [0]}

    dps = args.datapaths.split(",")
    unknown = set(dps) - set(DATAPATHS + (DETACHED,))
    if unknown:
        sys.exit("unknown datapath(s): %s" % ", ".join(sorted(unknown)))
    attached = tuple(dp for dp in DATAPATHS if dp in dps)
    if attached:
        run_phase(args, rundir, scs, attached, False, results)
    if DETACHED in dps:
        run_phase(args, rundir, scs, (DETACHED,), True, results)

    csv_path = os.path.join(out, "bench.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "datapath", "repetition", "pps",
                    "cycles_per_packet", "megaflows"])
        for sc in scs:
            for who in ("floor",) + DATAPATHS + (DETACHED,):
                r = results[sc.name].get(who)
                for i in range(len(r["pps"]) if r else 0):
                    w.writerow([sc.name, LABEL[who], i + 1,
                                "%.0f" % r["pps"][i], "%.1f" % r["cpp"][i],
                                r["flows"][min(i, len(r["flows"]) - 1)]])
    png = os.path.join(out, "bench.png")
    write_plot(png, results, scs)

    print_table(results, scs, args)
    if DETACHED in dps:
        print_detached_table(results, scs)
    print("CSV: %s" % csv_path)
    if os.path.exists(png):
        print("plot: %s" % png)


if __name__ == "__main__":
    main()

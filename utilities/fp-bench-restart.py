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

"""The restart benchmark: what restarting ovs-vswitchd costs two guests.

For each setup in turn, two guest stand-ins (utilities/fp-guest, vhost-user
servers) are attached to vhost-user client ports of one bridge, and one
sends to the other through an OpenFlow rule at a steady rate while
ovs-vswitchd is restarted the way "ovs-ctl restart" does it
(flow-restore-wait, exit, start, the rules again, flow-restore-wait off).
The setups:

  ovs-dpdk   datapath_type=netdev, dpdkvhostuserclient ports
  fastpath   datapath_type=fastpath in ovs-vswitchd, fastpath-vhost-client
  fastpathd  the same bridge, its engine in fastpathd (the detached mode)

Reported per setup: frames sent and received (the guests' own counters,
read once the sender has stopped), and each outage the receiver saw (its
--gap-log: silences over 20 ms).  See Documentation/benchmarks.rst.
"""

import argparse
import atexit
import csv
import importlib.util
import os
import subprocess
import sys
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETUPS = ("ovs-dpdk", "fastpath", "fastpathd")

# The suite's switch and guest helpers.
_spec = importlib.util.spec_from_file_location(
    "fp_bench_suite", os.path.join(SRCDIR, "utilities", "fp-bench-suite.py"))
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)


def wait_until(what, cond, timeout=30):
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            raise RuntimeError("timed out waiting for %s" % what)
        time.sleep(0.05)


def exited(pid):
    """Whether process 'pid' has exited.  A zombie has: on a machine whose
    init reaps orphans late (this project's VM: every 2 s or so), it stays
    one long after its exit, which a restart must not count."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rpartition(")")[2].split()[0] in "ZX"
    except FileNotFoundError:
        return True


class RestartRun:
    """One setup: its daemons, its bridge, its two guests."""

    def __init__(self, args, setup):
        self.args, self.setup = args, setup
        self.rundir = os.path.join(args.builddir, "bench-restart", setup)
        self.sw = suite.Switch(args.builddir, self.rundir,
                               hex(1 << args.pmd_core), args.socket_mem)
        self.guests = []
        self.path = lambda name: os.path.join(self.rundir, name)

    def vswitchd(self):
        self.sw.run("%s/vswitchd/ovs-vswitchd" % self.args.builddir,
                    "--detach", "--no-chdir", "--pidfile", "--log-file",
                    "unix:%s" % self.path("db.sock"))

    def guest(self, name, *opts):
        cmd = [os.path.join(self.args.builddir, "utilities", "fp-guest"),
               "--in-memory", "-m", "128", "--no-pci", "--no-telemetry",
               "-l", "0", "--log-level=error", "--file-prefix=fpbr-%s" % name,
               "--", "--server", "--socket", self.path("%s.sock" % name),
               "--duration", "3600", "--idle-sleep", "20",
               "--stats", self.path("%s.stats" % name)] + list(opts)
        self.guests.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))

    def counter(self, name, key):
        return suite.guest_counter(self.path("%s.stats" % name), key)

    def start(self):
        os.makedirs(self.rundir, exist_ok=True)
        for name in os.listdir(self.rundir):
            os.unlink(self.path(name))
        sw = self.sw
        if self.setup == "fastpathd":
            sw.run("%s/fastpathd/fastpathd" % self.args.builddir, "--detach",
                   "--no-chdir", "--pidfile", "--log-file",
                   "--channel=unix:%s" % self.path("fastpathd.sock"),
                   "dpdk-extra=--no-pci --file-prefix=fpbr-fpd",
                   "dpdk-socket-mem=%d" % self.args.socket_mem)
            engine = ["other_config:fastpath-engine=unix:%s"
                      % self.path("fastpathd.sock")]
        else:
            engine = ["other_config:dpdk-init=true",
                      "other_config:dpdk-extra=--no-pci --file-prefix=fpbr",
                      "other_config:dpdk-socket-mem=%d"
                      % self.args.socket_mem]
        db = self.path("conf.db")
        sw.run("ovsdb-tool", "create", db,
               "%s/vswitchd/vswitch.ovsschema" % sw.ovs)
        sw.run("ovsdb-server", "--detach", "--no-chdir", "--pidfile",
               "--log-file", "--remote=punix:%s" % self.path("db.sock"), db)
        sw.run("ovs-vsctl", "--no-wait", "init", "--", "set", "Open_vSwitch",
               ".", "other_config:pmd-cpu-mask=%s" % sw.pmd_mask, *engine)
        self.vswitchd()

        dp, port_type = (("netdev", "dpdkvhostuserclient")
                         if self.setup == "ovs-dpdk"
                         else ("fastpath", "fastpath-vhost-client"))
        self.guest("g2", "--queue-size", "4096",
                   "--gap-log", self.path("g2.gaps"))
        self.guest("g1", "--prime", "20", "--prime-file", self.path("prime"),
                   "--send-count", "1000000000000",
                   "--rate", str(self.args.rate),
                   "--start-file", self.path("go"))
        sw.vsctl("add-br", "br0", "--", "set", "bridge", "br0",
                 "datapath_type=%s" % dp, "fail-mode=secure")
        for ofport, name in ((1, "g1"), (2, "g2")):
            sw.vsctl("add-port", "br0", "vm%d" % ofport, "--", "set",
                     "Interface", "vm%d" % ofport, "type=%s" % port_type,
                     "ofport_request=%d" % ofport,
                     "options:vhost-server-path=%s"
                     % self.path("%s.sock" % name))
        sw.run("ovs-ofctl", "add-flow", "br0", "in_port=1,actions=2")
        wait_until("the guests' links",
                   lambda: all(sw.vsctl("get", "Interface", p,
                                    "link_state").strip() == "up"
                           for p in ("vm1", "vm2")))
        # The flow first, 20 frames 10 ms apart, then the steady stream.
        open(self.path("prime"), "w").close()
        wait_until("the primed flow",
                   lambda: self.counter("g2", "rx_packets") >= 20)
        open(self.path("go"), "w").close()

    def restart(self):
        """Restarts ovs-vswitchd as ovs-ctl restart does.  Returns how long
        the old one took to exit and the new one to start (--detach
        returns once it is ready), in ms."""
        sw = self.sw
        sw.vsctl("set", "Open_vSwitch", ".",
                 "other_config:flow-restore-wait=true")
        flows = sw.run("ovs-ofctl", "dump-flows", "--no-names", "--no-stats",
                       "br0")
        with open(self.path("br0.flows"), "w") as f:
            f.write(flows)
        t0 = time.time()
        self.exit("ovs-vswitchd")
        t1 = time.time()
        self.vswitchd()
        t2 = time.time()
        sw.run("ovs-ofctl", "replace-flows", "br0", self.path("br0.flows"))
        sw.vsctl("set", "Open_vSwitch", ".",
                 "other_config:flow-restore-wait=false")
        return (t1 - t0) * 1000, (t2 - t1) * 1000

    def gaps(self, since, until):
        out = []
        try:
            with open(self.path("g2.gaps")) as f:
                for line in f:
                    start, ms = (float(x) for x in line.split())
                    if since <= start + ms / 1000 and start <= until:
                        out.append(ms)
        except FileNotFoundError:
            pass
        return out

    def run(self):
        """Returns (sent, received, [outage ms of each restart])."""
        time.sleep(self.args.settle)
        outages = []
        for i in range(self.args.restarts):
            t0 = time.time()
            exit_ms, start_ms = self.restart()
            time.sleep(self.args.settle)
            outages.append(sum(self.gaps(t0, time.time())))
            suite.log("%s: restart %d: %.0f ms without frames (the exit "
                      "took %.0f ms, the start %.0f ms)"
                      % (self.setup, i + 1, outages[-1], exit_ms, start_ms))
        self.guests[1].terminate()          # g1, the sender.
        self.guests[1].wait(timeout=10)
        time.sleep(1)
        return (self.counter("g1", "tx_packets"),
                self.counter("g2", "rx_packets"), outages)

    def exit(self, daemon, *args):
        """Tells 'daemon' to exit, if it runs, and waits until it has."""
        try:
            with open(self.path("%s.pid" % daemon)) as f:
                pid = int(f.read())
        except (FileNotFoundError, ValueError):
            return
        self.sw.run("ovs-appctl", "-t", daemon, "exit", *args, check=False)
        wait_until("the exit of %s" % daemon, lambda: exited(pid))

    def stop(self):
        suite.stop_processes(self.guests)
        self.exit("ovs-vswitchd", "--cleanup")
        self.exit("fastpathd")
        self.exit("ovsdb-server")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.environ.get(
        "FP_BUILDDIR", os.path.join(SRCDIR, "_build")))
    ap.add_argument("--out", help="directory of the CSV (default "
                    "BUILDDIR/bench-restart)")
    ap.add_argument("--setups", default=",".join(SETUPS),
                    help="comma-separated (default %s)" % ",".join(SETUPS))
    ap.add_argument("--restarts", type=int, default=3)
    ap.add_argument("--rate", type=int, default=20000,
                    help="frames a second the sender offers (default 20000)")
    ap.add_argument("--settle", type=float, default=3,
                    help="seconds of traffic before and after each restart "
                    "(default 3)")
    ap.add_argument("--pmd-core", type=int, default=1)
    ap.add_argument("--socket-mem", type=int, default=512,
                    help="MB of hugepages for DPDK (default 512)")
    args = ap.parse_args()

    setups = args.setups.split(",")
    unknown = set(setups) - set(SETUPS)
    if unknown:
        sys.exit("unknown setup(s): %s" % ", ".join(sorted(unknown)))
    if os.geteuid():
        sys.exit("run as root (hugepages, DPDK)")
    out = args.out or os.path.join(args.builddir, "bench-restart")
    os.makedirs(out, exist_ok=True)
    with open(suite.NR_HUGEPAGES) as f:
        atexit.register(suite.restore_hugepages, int(f.read()))
    subprocess.run(["sh", os.path.join(SRCDIR, "utilities",
                                       "fp-hugepages.sh"), "1024"],
                   check=True)

    results = {}
    for setup in setups:
        suite.log("%s: %d restarts of ovs-vswitchd, %d frames a second"
            % (setup, args.restarts, args.rate))
        run = RestartRun(args, setup)
        try:
            run.start()
            results[setup] = run.run()
        except RuntimeError as e:
            suite.log("%s: %s (its logs: %s)" % (setup, e, run.rundir))
        finally:
            run.stop()

    csv_path = os.path.join(out, "bench-restart.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["setup", "sent", "received", "lost"]
                   + ["outage_ms_%d" % (i + 1) for i in range(args.restarts)])
        for setup, (sent, got, outages) in results.items():
            w.writerow([setup, sent, got, sent - got]
                       + ["%.0f" % ms for ms in outages])

    print("%-10s %10s %10s %8s  %s" % ("setup", "sent", "received", "lost",
                                       "outage per restart (ms)"))
    for setup, (sent, got, outages) in results.items():
        print("%-10s %10d %10d %8d  %s"
              % (setup, sent, got, sent - got,
                 " ".join("%.0f" % ms for ms in outages)))
    print("CSV: %s" % csv_path)
    return 0 if len(results) == len(setups) else 1


if __name__ == "__main__":
    sys.exit(main())

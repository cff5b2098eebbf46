#! /bin/sh
# OVS Fastpath quick start, for a fresh Debian 12 machine, as root.
#
#   utilities/fp-quickstart.sh run    installs what is missing, builds, then
#                                     starts ovsdb-server and our ovs-vswitchd
#                                     with a fastpath bridge forwarding
#                                     between two network namespaces, then
#                                     guests on vhost-user ports, then the
#                                     same switch in the detached mode
#                                     (fastpathd), restarted under guest
#                                     traffic
#   utilities/fp-quickstart.sh test   installs what is missing, builds, then
#                                     runs the test suite (make check),
#                                     the upgrade test (make check-upgrade),
#                                     OVS's system traffic tests on fastpath
#                                     (make check-system-fastpath), OVN on
#                                     fastpath chassis (make
#                                     check-ovn-fastpath), the test suite
#                                     again on a build with ASan
#                                     and UBSan (make check-sanitizers),
#                                     and a short run of the fuzz harnesses
#                                     (make check-fuzz)
#   utilities/fp-quickstart.sh bench  installs what is missing (and
#                                     python3-matplotlib), builds, then runs
#                                     the benchmark suite (make bench,
#                                     about 12 minutes)
#   utilities/fp-quickstart.sh build  installs what is missing, then builds
#   utilities/fp-quickstart.sh stop   stops what "run" started
#
# The build goes to $FP_BUILDDIR (default: _build in the source tree).

set -e

usage() {
    sed -n '2,30s/^# \{0,1\}//p' "$0"
    exit 1
}

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FP_BUILDDIR:-$srcdir/_build}
rundir=$builddir/run
jobs=${FP_JOBS:-$(nproc)}

# Every Debian package the build, the tests and the demo need (the second
# half for OVS's system traffic tests: make check-system-fastpath and
# make check-system-userspace).  gcc, from build-essential, brings the ASan
# and UBSan run-time libraries of make check-sanitizers (libasan8,
# libubsan1, libgcc-12-dev); clang and its run-time libraries (libFuzzer)
# build the fuzz harnesses of make check-fuzz.
PACKAGES="build-essential autoconf automake libtool pkg-config
          openvswitch-source libdpdk-dev dpdk libnuma-dev libssl-dev
          libcap-ng-dev libpcap-dev python3 iproute2 iputils-ping procps
          netcat-openbsd arping tcpdump socat conntrack iperf3 ethtool
          python3-scapy python3-pyftpdlib lftp curl clang libclang-rt-dev
          python3-docutils"

# Debian's OVN, for make check-ovn-fastpath.  It depends on Debian's
# openvswitch-switch, whose services must not start: this machine's switch
# is ours.  So these are installed with invoke-rc.d told to start nothing
# (a policy-rc.d that refuses, for the time of the install).
OVN_PACKAGES="ovn-central ovn-host"

log() {
    echo "fp-quickstart: $*"
}

# Prints " P" for each Debian package P of the arguments that is not
# installed.
missing_packages() {
    for p; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
                | grep -q "install ok installed"; then
            printf ' %s' "$p"
        fi
    done
}

install_packages() {
    missing=$(missing_packages $PACKAGES)
    if [ -n "$missing" ]; then
        if [ "$(id -u)" != 0 ]; then
            log "packages missing:$missing; run as root to install them" >&2
            exit 1
        fi
        log "installing:$missing"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    fi
    if [ "${FP_SKIP_OVN:-no}" != yes ]; then
        install_ovn
    fi
}

install_ovn() {
    missing=$(missing_packages $OVN_PACKAGES)
    if [ -z "$missing" ] || [ "$(id -u)" != 0 ]; then
        return 0
    fi
    log "installing:$missing (their services are not started)"
    # A policy-rc.d of the machine's own (containers have one) stays as it
    # is, and decides.
    own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        own_policy=yes
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing || true
    fi
    if [ -n "$own_policy" ]; then
        rm -f /usr/sbin/policy-rc.d
    fi
}

build() {
    if [ ! -f "$srcdir/configure" ]; then
        log "generating configure"
        (cd "$srcdir" && ./boot.sh)
    fi
    mkdir -p "$builddir"
    if [ ! -f "$builddir/Makefile" ]; then
        log "configuring (this also unpacks and configures Open vSwitch)"
        (cd "$builddir" && "$srcdir/configure")
    fi
    log "building with $jobs jobs"
    make -C "$builddir" -j"$jobs"
}

# Prints "N passed, N failed, N skipped" from the test suite's output.
summarize_tests() {
    passed=$(grep -cE '^ *[0-9]+: .* ok$' "$1" || true)
    failed=$(grep -cE '^ *[0-9]+: .* FAILED' "$1" || true)
    skipped=$(grep -cE '^ *[0-9]+: .* skipped' "$1" || true)
    echo "$passed passed, $failed failed, $skipped skipped"
}

# run_suite TARGET OUTPUT [TESTSUITEFLAGS]
#
# Runs "make TARGET" in the build tree, its output also in OUTPUT; fails if
# make does.
run_suite() {
    start=$(date +%s)
    { make -C "$builddir" "$1" TESTSUITEFLAGS="$3"; echo $? > "$2.rc"; } 2>&1 \
        | tee "$2"
    echo "make $1: $(( $(date +%s) - start )) s" >> "$builddir/check-times"
    test "$(cat "$2.rc")" = 0
}

# Whether the checkout has the commit that make check-upgrade starts from
# (FP_UPGRADE_FROM, the previous one by default), fetching one more commit
# into a shallow clone.
have_upgrade_base() {
    from=${FP_UPGRADE_FROM:-HEAD~1}
    git -C "$srcdir" rev-parse --verify -q "$from^{commit}" >/dev/null \
        2>&1 && return 0
    if [ "$(git -C "$srcdir" rev-parse --is-shallow-repository \
            2>/dev/null)" = true ]; then
        git -C "$srcdir" fetch -q --deepen=1 >/dev/null 2>&1 || true
    fi
    git -C "$srcdir" rev-parse --verify -q "$from^{commit}" >/dev/null 2>&1
}

# show_failures MARKER
#
# For each test that failed in a suite run after the file MARKER was made
# (autotest keeps only the directories of failed tests), prints the end of
# the test's log, then what the failed check ran and printed, so that
# whoever reads only the end of the output knows which check failed and
# why.
show_failures() {
    find "$builddir" -path '*testsuite.dir/[0-9]*/*testsuite.log' \
         -newer "$1" 2>/dev/null | sort | head -5 | while read -r tlog; do
        # "FAILED (file.at:LINE)" names the check, whose command and output
        # start at the first line that has "file.at:LINE: "; a wait that
        # timed out names a line of OVS's macros and logs "wait failed".
        where=$(sed -n 's/.*FAILED (\(.*\.at:[0-9]*\)).*/\1/p' "$tlog" \
                | tail -n 1)
        start=$(grep -n -F "$where: " "$tlog" | head -n 1 | cut -d: -f1)
        case $where in
            ovs-macros.at:*|'')
                start=$(grep -n ': wait failed after' "$tlog" | tail -n 1 \
                        | cut -d: -f1)
                start=${start:+$((start - 1))}
                ;;
        esac
        echo "=== the end of $tlog ==="
        tail -n 20 "$tlog"
        if [ -n "$start" ]; then
            echo "=== the failed check, in $tlog ==="
            sed -n "$start,$((start + 24))p" "$tlog"
        fi
    done
}

# The unit suite on a build of ours with AddressSanitizer and
# UndefinedBehaviorSanitizer, in $builddir/sanitizers (make
# check-sanitizers, about 20 minutes: a sanitized run fails where a plain
# one would, and also on a memory error), or, with FP_SKIP_SANITIZERS=yes,
# on the plain build (make check, about 16 minutes); both with
# FP_PLAIN_CHECK=yes.  Then, unless FP_SKIP_UPGRADE=yes, the
# upgrade test (make check-upgrade: the previous commit's ovs-vswitchd and
# fastpathd, built in $builddir/upgrade, about 3 minutes, then taken over
# by this tree's ovs-vswitchd), then, unless FP_SKIP_SYSTEM_TESTS=yes, Open
# vSwitch's system traffic tests on a fastpath bridge (about 19 minutes),
# then, unless FP_SKIP_OVN=yes, OVN on fastpath chassis (about 2 minutes;
# skipped if Debian's OVN is not installed); then, unless FP_SKIP_FUZZ=yes,
# each fuzz harness in $builddir/fuzz on FP_FUZZ_RUNS inputs (15,000) from
# libFuzzer seed FP_FUZZ_SEED (1), within FP_FUZZ_SECONDS (30): the same
# inputs on every run and every machine.
# The summary counts the tests of all four suites.
run_tests() {
    status=0
    : > "$builddir/check-start.stamp"
    : > "$builddir/check-times"
    : > "$builddir/check.out"
    : > "$builddir/check-upgrade.out"
    : > "$builddir/check-system.out"
    : > "$builddir/check-ovn.out"
    : > "$builddir/check-sanitizers.out"
    if [ "${FP_SKIP_SANITIZERS:-no}" != yes ]; then
        run_suite check-sanitizers "$builddir/check-sanitizers.out" \
            "$TESTSUITEFLAGS" || status=1
    fi
    if [ "${FP_SKIP_SANITIZERS:-no}" = yes ] \
       || [ "${FP_PLAIN_CHECK:-no}" = yes ]; then
        run_suite check "$builddir/check.out" "$TESTSUITEFLAGS" || status=1
    fi
    if [ "${FP_SKIP_UPGRADE:-no}" != yes ]; then
        if have_upgrade_base; then
            run_suite check-upgrade "$builddir/check-upgrade.out" || status=1
        else
            log "no earlier commit in this checkout: the upgrade test" \
                "(make check-upgrade) needs one, and is left out"
        fi
    fi
    if [ "${FP_SKIP_SYSTEM_TESTS:-no}" != yes ]; then
        run_suite check-system-fastpath "$builddir/check-system.out" \
            "$SYSTEM_TESTSUITEFLAGS" || status=1
    fi
    if [ "${FP_SKIP_OVN:-no}" != yes ]; then
        run_suite check-ovn-fastpath "$builddir/check-ovn.out" \
            "$OVN_TESTSUITEFLAGS" || status=1
    fi
    if [ "${FP_SKIP_FUZZ:-no}" != yes ]; then
        rm -f "$builddir/check-fuzz.failed"
        start=$(date +%s)
        { make -C "$builddir" check-fuzz \
              FUZZ_SECONDS="${FP_FUZZ_SECONDS:-30}" \
              FUZZ_SEED="${FP_FUZZ_SEED:-1}" \
              FUZZ_RUNS="${FP_FUZZ_RUNS:-15000}" \
              || : > "$builddir/check-fuzz.failed"; } 2>&1 \
            | tee "$builddir/check-fuzz.out"
        echo "make check-fuzz: $(( $(date +%s) - start )) s" \
            >> "$builddir/check-times"
        if [ -f "$builddir/check-fuzz.failed" ]; then
            log "make check-fuzz failed: see $builddir/check-fuzz.out"
            status=1
        fi
    fi
    cat "$builddir/check.out" "$builddir/check-upgrade.out" \
        "$builddir/check-system.out" "$builddir/check-ovn.out" \
        "$builddir/check-sanitizers.out" > "$builddir/check-all.out"
    show_failures "$builddir/check-start.stamp"
    cat "$builddir/check-times"
    summarize_tests "$builddir/check-all.out"
    return $status
}

ovs() {
    # OVS's own programs, from the Open vSwitch build tree.
    prog=$1; shift
    for dir in utilities ovsdb; do
        if [ -x "$builddir/ovs/$dir/$prog" ]; then
            "$builddir/ovs/$dir/$prog" "$@"
            return
        fi
    done
    "$prog" "$@"
}

stop_switch() {
    export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
    if [ -f "$rundir/ovs-vswitchd.pid" ]; then
        ovs ovs-appctl -t ovs-vswitchd exit --cleanup >/dev/null 2>&1 || true
    fi
    if [ -f "$rundir/fastpathd.pid" ]; then
        ovs ovs-appctl -t fastpathd exit >/dev/null 2>&1 || true
    fi
    if [ -f "$rundir/ovsdb-server.pid" ]; then
        ovs ovs-appctl -t ovsdb-server exit >/dev/null 2>&1 || true
    fi
    for ns in fp-demo0 fp-demo1; do
        ip netns del $ns 2>/dev/null || true
    done
    # What earlier versions left behind, and the hugepages reserved for the
    # switch.
    rm -rf /var/run/dpdk/fp-demo*
    if [ -f "$rundir/nr_hugepages.before" ]; then
        cat "$rundir/nr_hugepages.before" > /proc/sys/vm/nr_hugepages \
            2>/dev/null || true
        rm -f "$rundir/nr_hugepages.before"
    fi
}

# explain_drops FILE
#
# Says, for each nonzero drop counter of fastpath/pmd-stats-show's output
# in FILE, what it counts and why it happened here.
explain_drops() {
    sed -n 's/^ *\(drops: [^:]*\): \([1-9][0-9]*\)$/\2 \1/p; s/^ *\(lost[^:]*\): \([1-9][0-9]*\)$/\2 \1/p' "$1" |
    while read -r n what; do
        case $what in
        "drops: refused by device")
            echo "    $n frames: the receiving device did not take them. Here that is"
            echo "    guest g2, whose rx ring was full: it shares core 0 with guest g1"
            echo "    and ovs-vswitchd's main thread, and did not empty its ring in"
            echo "    time (the same frames are port 2's tx drop= in dump-ports"
            echo "    below). A guest on a core of its own takes them all." ;;
        "drops: misses refused, upcall budget spent")
            echo "    $n packets: new flows that came faster than the upcall budget"
            echo "    lets them go up to ovs-vswitchd (see man ovs-vswitchd, UPCALL BUDGET)." ;;
        lost*)
            echo "    $n packets: misses that could not go up (upcalls off while the"
            echo "    bridge was being set up)." ;;
        *)
            echo "    $n packets: $what (see man ovs-vswitchd, fastpath/pmd-stats-show)." ;;
        esac
    done
}

# The datapath's real job: bridge br1, whose PMD thread forwards between two
# vhost-user ports with guest stand-ins (utilities/fp-guest, a virtio-user
# front end as QEMU's virtio-net is) and a DPDK port (net_null sink).  Guest
# g1 sends 2,000,000 frames of 8 flows over 2 queue pairs at 500,000 frames
# a second (both guests share a core); each goes to guest g2 and to the
# DPDK port, without a copy on the host but the vhost library's into and
# out of guest memory.
run_vhost_demo() {
    guest=$builddir/utilities/fp-guest
    if ! sh "$srcdir/utilities/fp-hugepages.sh" 256; then
        log "no hugepages for the guest stand-ins: skipping the vhost demo"
        return
    fi
    ovs ovs-vsctl add-br br1 -- set bridge br1 datapath_type=fastpath \
        -- add-port br1 vm1 -- set Interface vm1 type=fastpath-vhost \
               ofport_request=1 \
        -- add-port br1 vm2 -- set Interface vm2 type=fastpath-vhost \
               ofport_request=2 \
        -- add-port br1 dpdk0 -- set Interface dpdk0 type=fastpath \
               options:devargs=net_null0,no-rx=1 ofport_request=3
    ovs ovs-ofctl add-flow br1 in_port=1,actions=2,3
    ovs ovs-ofctl add-flow br1 in_port=2,actions=1
    ovs ovs-appctl fastpath/pmd-stats-clear >/dev/null

    eal="--in-memory -m 128 --no-pci --no-telemetry -l 0 --log-level=error"
    "$guest" $eal --file-prefix=fp-demo-g2 -- --socket "$rundir/vm2" \
        --queues 2 --duration 30 --stats "$rundir/g2.stats" \
        --start-file "$rundir/go" --idle-sleep 20 >/dev/null &
    g2=$!
    "$guest" $eal --file-prefix=fp-demo-g1 -- --socket "$rundir/vm1" \
        --queues 2 --flows 8 --send-count 2000000 --rate 500000 \
        --duration 30 \
        --start-file "$rundir/go" --stats "$rundir/g1.stats" \
        >/dev/null &
    g1=$!
    rm -f "$rundir/go"
    for i in $(seq 100); do
        if [ "$(ovs ovs-vsctl get Interface vm1 link_state)" = up ] &&
           [ "$(ovs ovs-vsctl get Interface vm2 link_state)" = up ]; then
            break
        fi
        sleep 0.1
    done
    log "guests g1 and g2 attached to vhost-user ports vm1 and vm2 of br1"
    touch "$rundir/go"
    for i in $(seq 300); do
        grep -q '^tx_packets 2000000$' "$rundir/g1.stats" 2>/dev/null \
            && break
        sleep 0.1
    done
    sleep 1
    kill "$g1" "$g2" 2>/dev/null
    wait "$g1" "$g2" 2>/dev/null
    log "guest g1 sent, guest g2 received (their own counters)"
    grep -E '^(tx|rx)_packets' "$rundir/g1.stats" | sed 's/^/    g1 /'
    grep -E '^(tx|rx)_packets' "$rundir/g2.stats" | sed 's/^/    g2 /'
    log "ovs-appctl fastpath/pmd-stats-show"
    ovs ovs-appctl fastpath/pmd-stats-show | tee "$rundir/pmd-stats.txt"
    if [ -n "$(explain_drops "$rundir/pmd-stats.txt")" ]; then
        log "what the nonzero drop counters above count"
        explain_drops "$rundir/pmd-stats.txt"
    else
        log "no drops: every frame g1 sent reached g2 and dpdk0"
    fi
    log "ovs-ofctl dump-ports br1 (vm1, vm2, dpdk0)"
    ovs ovs-ofctl dump-ports br1
    log "copies: the DPDK port's tx_copies and the mempools' copies"
    ovs ovs-vsctl get Interface dpdk0 status:tx_copies
    ovs ovs-appctl fastpath/mempool-show
}

# restart_vswitchd: restarts ovs-vswitchd as ovs-ctl restart does
# (flow-restore-wait, exit, start, the rules again, flow-restore-wait off).
restart_vswitchd() {
    ovs ovs-vsctl set Open_vSwitch . other_config:flow-restore-wait=true
    for br in br0 br1; do
        ovs ovs-ofctl dump-flows --no-names --no-stats $br \
            | sed -n 's/^ *\(.*actions=.*\)$/\1/p' > "$rundir/$br.flows"
    done
    pid=$(cat "$rundir/ovs-vswitchd.pid")
    ovs ovs-appctl -t ovs-vswitchd exit
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    "$builddir/vswitchd/ovs-vswitchd" --disable-system --detach --no-chdir \
        --pidfile --log-file -vconsole:off "unix:$rundir/db.sock"
    ovs ovs-ofctl replace-flows br0 "$rundir/br0.flows"
    ovs ovs-ofctl replace-flows br1 "$rundir/br1.flows"
    ovs ovs-vsctl set Open_vSwitch . other_config:flow-restore-wait=false
}

# The detached mode: the engine in fastpathd, ovs-vswitchd its client.  The
# switch of the demos above starts again that way (the same bridges and
# ports, now fastpathd's), then guest g1 sends to guest g2 while
# ovs-vswitchd is restarted three times; the guests' own counters show
# what arrived.
run_detached_demo() {
    guest=$builddir/utilities/fp-guest
    if [ ! -e "$rundir/vm1" ]; then
        return
    fi
    log "the detached mode: ovs-vswitchd stops, fastpathd starts, ovs-vswitchd attaches to it"
    ovs ovs-appctl -t ovs-vswitchd exit --cleanup
    while [ -e "$rundir/ovs-vswitchd.pid" ]; do sleep 0.05; done
    "$builddir/fastpathd/fastpathd" --detach --no-chdir --pidfile \
        --log-file -vconsole:off --channel="unix:$rundir/fastpathd.sock" \
        "dpdk-extra=--no-pci --no-telemetry --in-memory --file-prefix=fp-demo-fpd" \
        dpdk-socket-mem=256
    ovs ovs-vsctl --no-wait remove Open_vSwitch . other_config dpdk-init \
        -- set Open_vSwitch . \
        other_config:fastpath-engine="unix:$rundir/fastpathd.sock"
    "$builddir/vswitchd/ovs-vswitchd" --disable-system --detach --no-chdir \
        --pidfile --log-file -vconsole:off "unix:$rundir/db.sock"
    ovs ovs-appctl fastpath/show
    ovs ovs-appctl -t fastpathd fastpath/show

    eal="--in-memory -m 128 --no-pci --no-telemetry -l 0 --log-level=error"
    rm -f "$rundir/go" "$rundir/prime" "$rundir/g1.stats" "$rundir/g2.stats"
    "$guest" $eal --file-prefix=fp-demo-g2 -- --socket "$rundir/vm2" \
        --queue-size 4096 --duration 60 --stats "$rundir/g2.stats" \
        --idle-sleep 20 >/dev/null &
    g2=$!
    "$guest" $eal --file-prefix=fp-demo-g1 -- --socket "$rundir/vm1" \
        --prime 20 --prime-file "$rundir/prime" --idle-sleep 20 \
        --send-count 100000000 --rate 20000 --duration 60 \
        --start-file "$rundir/go" --stats "$rundir/g1.stats" >/dev/null &
    g1=$!
    # Once fastpathd has both guests, g1's first 20 frames, 10 ms apart,
    # set its flow up; then it sends.
    for i in $(seq 100); do
        [ "$(grep -c 'guest attached' "$rundir/fastpathd.log")" -ge 2 ] \
            && break
        sleep 0.1
    done
    touch "$rundir/prime"
    for i in $(seq 100); do
        grep -q '^rx_packets 20$' "$rundir/g2.stats" 2>/dev/null && break
        sleep 0.1
    done
    touch "$rundir/go"
    sleep 2
    log "guests g1 and g2 after 2 s of 20,000 frames a second (their own counters)"
    grep '^tx_packets' "$rundir/g1.stats" | sed 's/^/    g1 /'
    grep '^rx_packets' "$rundir/g2.stats" | sed 's/^/    g2 /'
    for i in 1 2 3; do
        log "restart $i of ovs-vswitchd, as ovs-ctl restart does it"
        restart_vswitchd
        sleep 1
    done
    kill -TERM "$g1"
    wait "$g1" 2>/dev/null || true
    sleep 1
    kill -TERM "$g2"
    wait "$g2" 2>/dev/null || true
    log "guests g1 and g2 after the three restarts (their own counters)"
    grep -E '^(tx_packets|link_downs)' "$rundir/g1.stats" | sed 's/^/    g1 /'
    grep -E '^(rx_packets|link_downs)' "$rundir/g2.stats" | sed 's/^/    g2 /'
    sent=$(sed -n 's/^tx_packets //p' "$rundir/g1.stats")
    got=$(sed -n 's/^rx_packets //p' "$rundir/g2.stats")
    log "g1 sent $sent frames, g2 received $got: $((sent - got)) lost across the restarts"
    ovs ovs-appctl fastpath/show
}

run_switch() {
    stop_switch
    mkdir -p "$rundir"
    rm -f "$rundir/conf.db"
    export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
    ovs ovsdb-tool create "$rundir/conf.db" \
        "$builddir/ovs/vswitchd/vswitch.ovsschema"
    ovs ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$rundir/db.sock" "$rundir/conf.db"
    ovs ovs-vsctl --no-wait init
    # DPDK for the PMD ports of the vhost demo; no PCI scan (no NIC here).
    # --in-memory: nothing of DPDK's is left in /var/run/dpdk afterwards.
    ovs ovs-vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
        "other_config:dpdk-extra=--no-pci --no-telemetry --in-memory" \
        other_config:dpdk-socket-mem=256
    if [ "$(nproc)" -ge 2 ]; then
        # The PMD thread on core 1; the guest stand-ins run on core 0.
        ovs ovs-vsctl --no-wait set Open_vSwitch . \
            other_config:pmd-cpu-mask=2
    fi
    cat /proc/sys/vm/nr_hugepages > "$rundir/nr_hugepages.before"
    sh "$srcdir/utilities/fp-hugepages.sh" 256 || true
    # --disable-system: this switch has fastpath bridges only (dpctl/*
    # would otherwise look for kernel datapaths, and warn that there are
    # none where the kernel module is not loaded).
    "$builddir/vswitchd/ovs-vswitchd" --disable-system --detach --no-chdir \
        --pidfile --log-file "unix:$rundir/db.sock"

    ovs ovs-vsctl add-br br0 -- set bridge br0 datapath_type=fastpath
    ovs ovs-ofctl add-flow br0 actions=normal
    i=0
    for ns in fp-demo0 fp-demo1; do
        ip netns add $ns
        ip link add fp-veth$i type veth peer name eth0 netns $ns
        ip link set fp-veth$i up
        ip netns exec $ns ip link set lo up
        ip netns exec $ns ip link set eth0 up
        ip netns exec $ns ip addr add 10.0.0.$((i + 1))/24 dev eth0
        ovs ovs-vsctl add-port br0 fp-veth$i
        i=$((i + 1))
    done

    log "ping from namespace fp-demo0 to fp-demo1 through the fastpath bridge"
    ip netns exec fp-demo0 ping -c 3 -i 0.3 10.0.0.2
    log "ovs-appctl dpif/show"
    ovs ovs-appctl dpif/show
    log "ovs-appctl dpctl/dump-flows"
    ovs ovs-appctl dpctl/dump-flows
    log "ovs-appctl fastpath/pmd-stats-show"
    ovs ovs-appctl fastpath/pmd-stats-show

    run_vhost_demo
    run_detached_demo

    cat <<EOF

The switch keeps running.  To talk to it:
    export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
    export PATH=$builddir/ovs/utilities:$builddir/ovs/ovsdb:\$PATH
    ovs-vsctl show
To stop it: $0 stop
EOF
}

case $1 in
    run)
        install_packages
        build
        run_switch
        ;;
    test)
        install_packages
        build
        run_tests
        ;;
    bench)
        PACKAGES="$PACKAGES python3-matplotlib"
        install_packages
        build
        make -C "$builddir" bench
        ;;
    build)
        install_packages
        build
        ;;
    stop)
        stop_switch
        ;;
    *)
        usage
        ;;
esac

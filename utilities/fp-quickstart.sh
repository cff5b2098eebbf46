#! /bin/sh
# OVS Fastpath quick start, for a fresh Debian 12 machine, as root.
#
#   utilities/fp-quickstart.sh run    installs what is missing, builds, then
#                                     starts ovsdb-server and our ovs-vswitchd
#                                     with a fastpath bridge forwarding
#                                     between two network namespaces
#   utilities/fp-quickstart.sh test   installs what is missing, builds, then
#                                     runs the test suite (make check) and
#                                     OVS's system traffic tests on fastpath
#                                     (make check-system-fastpath)
#   utilities/fp-quickstart.sh stop   stops what "run" started
#
# The build goes to $FP_BUILDDIR (default: _build in the source tree).

set -e

usage() {
    sed -n '2,14s/^# \{0,1\}//p' "$0"
    exit 1
}

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FP_BUILDDIR:-$srcdir/_build}
rundir=$builddir/run
jobs=${FP_JOBS:-$(nproc)}

# Every Debian package the build, the tests and the demo need (the second
# half for OVS's system traffic tests: make check-system-fastpath and
# make check-system-userspace).
PACKAGES="build-essential autoconf automake libtool pkg-config
          openvswitch-source libdpdk-dev dpdk libnuma-dev libssl-dev
          libcap-ng-dev libpcap-dev python3 iproute2 iputils-ping procps
          netcat-openbsd arping tcpdump socat conntrack iperf3 ethtool
          python3-scapy python3-pyftpdlib lftp curl"

log() {
    echo "fp-quickstart: $*"
}

install_packages() {
    missing=
    for p in $PACKAGES; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
                | grep -q "install ok installed"; then
            missing="$missing $p"
        fi
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" != 0 ]; then
            log "packages missing:$missing; run as root to install them" >&2
            exit 1
        fi
        log "installing:$missing"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
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
    { make -C "$builddir" "$1" TESTSUITEFLAGS="$3"; echo $? > "$2.rc"; } 2>&1 \
        | tee "$2"
    test "$(cat "$2.rc")" = 0
}

# The unit suite (make check), then, unless FP_SKIP_SYSTEM_TESTS=yes, Open
# vSwitch's system traffic tests on a fastpath bridge (about 15 minutes).
run_tests() {
    status=0
    : > "$builddir/check-system.out"
    run_suite check "$builddir/check.out" "$TESTSUITEFLAGS" || status=1
    if [ "${FP_SKIP_SYSTEM_TESTS:-no}" != yes ]; then
        run_suite check-system-fastpath "$builddir/check-system.out" \
            "$SYSTEM_TESTSUITEFLAGS" || status=1
    fi
    cat "$builddir/check.out" "$builddir/check-system.out" \
        > "$builddir/check-all.out"
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
    if [ -f "$rundir/ovsdb-server.pid" ]; then
        ovs ovs-appctl -t ovsdb-server exit >/dev/null 2>&1 || true
    fi
    for ns in fp-demo0 fp-demo1; do
        ip netns del $ns 2>/dev/null || true
    done
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
    "$builddir/vswitchd/ovs-vswitchd" --detach --no-chdir --pidfile \
        --log-file "unix:$rundir/db.sock"

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
    stop)
        stop_switch
        ;;
    *)
        usage
        ;;
esac

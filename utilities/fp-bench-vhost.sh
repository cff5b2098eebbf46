#! /bin/sh
# Usage: fp-bench-vhost.sh [SECONDS]
#
# vhost-user benchmark: OVS Fastpath against OVS's own userspace datapath
# (OVS-DPDK), in the same ovs-vswitchd binary, with the same guest
# stand-ins (utilities/fp-guest, DPDK virtio-user) and the same traffic,
# one PMD thread on core 1, the stand-in on core 0.  Two scenarios of
# 64-byte frames, 8 flows:
#
#   guest-to-dpdk    a guest sends as fast as it can to a net_null sink
#   dpdk-to-guest    a net_pcap source (infinite_rx) sends to a guest
#
# (Guest to guest needs a core for each stand-in besides the PMD's: on a
# 2-core machine the sender starves the receiver, and the figure measures
# the stand-ins, not the switch.  FP_BENCH_SCENARIOS=guest-to-guest runs it
# anyway.)
#
# For each: packets per second forwarded (from the sink's counter: the DPDK
# sink's tx packets, or what the receiving guest counted) and processing
# cycles per packet (the PMD's counters), for each datapath, then the
# ratios.  Run as root after a build; it reserves hugepages.

set -e

seconds=${1:-10}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FP_BUILDDIR:-$srcdir/_build}
rundir=$builddir/bench-vhost
ovs=$(sed -n 's/^OVS_BUILDDIR = //p' "$builddir/Makefile")
guest=$builddir/utilities/fp-guest
eal="--in-memory -m 128 --no-pci --no-telemetry -l 0 --log-level=error"

PATH=$ovs/utilities:$ovs/ovsdb:$PATH
export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
. "$srcdir/utilities/fp-bench-lib.sh"

log() {
    echo "fp-bench-vhost: $*" >&2
}

cleanup() {
    pkill -f "file-prefix=fpbv-" 2>/dev/null || true
    bench_stop_switch
}

# stat FILE COUNTER: a guest stand-in's counter.
stat() {
    sed -n "s/^$2 //p" "$1" 2>/dev/null | head -n 1
}

# wait_link PORT...: until each Interface's link is up (10 s at most).
wait_link() {
    for port in "$@"; do
        for i in $(seq 100); do
            [ "$(ovs-vsctl get Interface $port link_state)" = up ] && break
            sleep 0.1
        done
    done
}

# run DATAPATH SCENARIO N
#
# Runs with ports and stand-ins numbered N.  Prints "packets/s cycles-per-packet" for one datapath and scenario.
run() {
    dp=$1 scenario=$2 n=$3
    if [ "$dp" = netdev ]; then
        vhost=dpdkvhostuser dpdk=dpdk opt=dpdk-devargs appctl=dpif-netdev
    else
        vhost=fastpath-vhost dpdk=fastpath opt=devargs appctl=fastpath
    fi
    br=br-$dp
    ovs-vsctl add-br $br -- set bridge $br datapath_type=$dp
    case $scenario in
        guest-to-dpdk)
            ovs-vsctl add-port $br vm$n -- set Interface vm$n type=$vhost \
                    ofport_request=1 \
                -- add-port $br sink$n -- set Interface sink$n type=$dpdk \
                    ofport_request=2 "options:$opt=net_null$n,no-rx=1"
            ;;
        dpdk-to-guest)
            ovs-vsctl add-port $br vm$n -- set Interface vm$n type=$vhost \
                    ofport_request=2
            ;;
        guest-to-guest)
            ovs-vsctl add-port $br vm$n -- set Interface vm$n type=$vhost \
                    ofport_request=1 \
                -- add-port $br vmb$n -- set Interface vmb$n type=$vhost \
                    ofport_request=2
            ;;
    esac
    ovs-ofctl del-flows $br
    ovs-ofctl add-flow $br in_port=1,actions=output:2

    case $scenario in
        guest-to-dpdk|guest-to-guest)
            "$guest" $eal --file-prefix=fpbv-tx$n -- \
                --socket "$rundir/vm$n" --flows 8 \
                --send-count 1000000000000 --duration 3600 \
                --stats "$rundir/tx$n.stats" >/dev/null 2>&1 &
            ;;
    esac
    case $scenario in
        dpdk-to-guest)
            "$guest" $eal --file-prefix=fpbv-rx$n -- \
                --socket "$rundir/vm$n" --duration 3600 \
                --stats "$rundir/rx$n.stats" >/dev/null 2>&1 &
            wait_link vm$n
            ovs-vsctl add-port $br src$n -- set Interface src$n \
                type=$dpdk ofport_request=1 \
                "options:$opt=net_pcap$n,rx_pcap=$rundir/bench.pcap,infinite_rx=1"
            ;;
        guest-to-guest)
            "$guest" $eal --file-prefix=fpbv-rx$n -- \
                --socket "$rundir/vmb$n" --duration 3600 \
                --stats "$rundir/rx$n.stats" >/dev/null 2>&1 &
            ;;
    esac
    wait_link $(ovs-vsctl list-ifaces $br | grep vm)
    sleep 3

    ovs-appctl $appctl/pmd-stats-clear >/dev/null
    if [ "$scenario" = guest-to-dpdk ]; then
        c0=$(ovs-ofctl dump-ports $br 2 | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p')
    else
        c0=$(stat "$rundir/rx$n.stats" rx_packets)
    fi
    sleep "$seconds"
    if [ "$scenario" = guest-to-dpdk ]; then
        c1=$(ovs-ofctl dump-ports $br 2 | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p')
    else
        c1=$(stat "$rundir/rx$n.stats" rx_packets)
    fi
    cycles=$(ovs-appctl $appctl/pmd-stats-show \
             | sed -n 's/.*avg processing cycles per packet: \([0-9.]*\).*/\1/p' \
             | head -n 1)
    pkill -f "file-prefix=fpbv-" 2>/dev/null || true
    sleep 0.5
    ovs-vsctl del-br $br
    echo "$(( (c1 - c0) / seconds )) ${cycles:-0}"
}

trap cleanup EXIT
cleanup
sh "$srcdir/utilities/fp-hugepages.sh" 512
rm -f "$rundir"/*.stats
bench_start_switch fpbv 0x2
python3 "$srcdir/tests/fp-pcap.py" flows "$rundir/bench.pcap" 8

printf '%-15s %-9s %14s %22s\n' scenario datapath packets/s \
    "cycles/packet (PMD)"
n=0
for scenario in ${FP_BENCH_SCENARIOS:-guest-to-dpdk dpdk-to-guest}; do
    n=$((n + 2))
    set -- $(run netdev $scenario $((n - 1)))
    ovs_pps=$1 ovs_cpp=$2
    set -- $(run fastpath $scenario $n)
    fp_pps=$1 fp_cpp=$2
    printf '%-15s %-9s %14s %22s\n' $scenario ovs-dpdk "$ovs_pps" "$ovs_cpp"
    printf '%-15s %-9s %14s %22s\n' $scenario fastpath "$fp_pps" "$fp_cpp"
    awk -v s=$scenario -v a="$fp_pps" -v b="$ovs_pps" -v c="$fp_cpp" \
        -v d="$ovs_cpp" 'BEGIN {
        printf "%-15s fastpath/ovs-dpdk: %.2fx packets/s, %.2fx cycles/packet\n",
               s, b ? a / b : 0, d ? c / d : 0 }'
done

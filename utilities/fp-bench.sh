#! /bin/sh
# Usage: fp-bench.sh [SECONDS] [FLOWS]
#
# Forwarding benchmark: OVS Fastpath against OVS's own userspace datapath
# (OVS-DPDK), in the same ovs-vswitchd binary, on the same ports and the
# same traffic.  A net_pcap device replays 64-byte UDP frames of FLOWS
# flows (default 1) without end (infinite_rx) into one PMD thread, which
# forwards them by an OpenFlow rule to a net_null sink.  Each datapath runs
# for SECONDS (default 10) after a warm-up; the script prints packets per
# second (from the sink's tx counter) and processing cycles per packet (from
# the PMD counters), then the ratios.  Run as root after a build (see
# utilities/fp-quickstart.sh); it reserves 1 GB of hugepages.

set -e

seconds=${1:-10}
flows=${2:-1}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FP_BUILDDIR:-$srcdir/_build}
rundir=$builddir/bench
ovs=$(sed -n 's/^OVS_BUILDDIR = //p' "$builddir/Makefile")
pmd_mask=${FP_BENCH_PMD_MASK:-0x2}

PATH=$ovs/utilities:$ovs/ovsdb:$PATH
export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
. "$srcdir/utilities/fp-bench-lib.sh"

log() {
    echo "fp-bench: $*" >&2
}

cleanup() {
    bench_stop_switch
}

# Writes a pcap of 'flows' 64-byte UDP frames (source ports 1024 on).
make_pcap() {
    /usr/bin/python3 - "$1" "$flows" <<'EOF'
import struct
import sys

path, flows = sys.argv[1], int(sys.argv[2])


def checksum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


with open(path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(flows):
        udp = struct.pack("!HHHH", 1024 + i % 60000, 5001, 8 + 18, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + 18, 0, 0, 64,
                         17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        frame = (bytes.fromhex("020000000002020000000001") + b"\x08\x00"
                 + ip + udp + bytes(18))
        f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)))
        f.write(frame)
EOF
}

# run DATAPATH PORT_TYPE DEVARGS_OPTION INDEX
#
# Prints "Mpps cycles-per-packet" for one datapath.
run() {
    dp=$1 type=$2 opt=$3 idx=$4
    ovs-vsctl add-br br-$dp -- set bridge br-$dp datapath_type=$dp \
        -- add-port br-$dp src$idx -- set Interface src$idx type=$type \
           ofport_request=1 \
           "options:$opt=net_pcap$idx,rx_pcap=$rundir/bench.pcap,infinite_rx=1" \
        -- add-port br-$dp sink$idx -- set Interface sink$idx type=$type \
           ofport_request=2 "options:$opt=net_null$idx,no-rx=1"
    ovs-ofctl del-flows br-$dp
    ovs-ofctl add-flow br-$dp in_port=1,actions=output:2
    for port in src$idx sink$idx; do
        err=$(ovs-vsctl get Interface $port error 2>/dev/null || true)
        case $err in
            ""|"[]") ;;
            *) log "$dp: $port: $err"; return 1 ;;
        esac
    done

    if [ "$dp" = netdev ]; then
        appctl=dpif-netdev
    else
        appctl=fastpath
    fi
    sleep 3
    ovs-appctl $appctl/pmd-stats-clear >/dev/null
    tx0=$(ovs-vsctl get Interface sink$idx statistics:tx_packets)
    sleep "$seconds"
    tx1=$(ovs-vsctl get Interface sink$idx statistics:tx_packets)
    cycles=$(ovs-appctl $appctl/pmd-stats-show \
             | sed -n 's/.*avg processing cycles per packet: \([0-9.]*\).*/\1/p' \
             | head -n 1)
    ovs-vsctl del-br br-$dp
    echo "$(( (tx1 - tx0) / seconds )) $cycles"
}

trap cleanup EXIT
cleanup
bench_reserve_hugepages 512
bench_start_switch fpbench "$pmd_mask"
make_pcap "$rundir/bench.pcap"

log "OVS-DPDK (datapath_type=netdev, type=dpdk ports), $seconds s, $flows flow(s)"
set -- $(run netdev dpdk dpdk-devargs 0)
ovs_pps=$1 ovs_cpp=$2
log "fastpath (datapath_type=fastpath, type=fastpath ports)"
set -- $(run fastpath fastpath devargs 1)
fp_pps=$1 fp_cpp=$2

printf '%-10s %14s %22s\n' datapath packets/s "cycles/packet (PMD)"
printf '%-10s %14s %22s\n' ovs-dpdk "$ovs_pps" "$ovs_cpp"
printf '%-10s %14s %22s\n' fastpath "$fp_pps" "$fp_cpp"
awk -v a="$fp_pps" -v b="$ovs_pps" -v c="$fp_cpp" -v d="$ovs_cpp" 'BEGIN {
    printf "fastpath/ovs-dpdk: %.2fx packets/s, %.2fx cycles/packet\n",
           b ? a / b : 0, d ? c / d : 0 }'

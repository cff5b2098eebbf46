# Shell functions of the benchmarks and the soak (utilities/fp-bench*.sh,
# utilities/fp-soak.sh), sourced after they set $builddir, $ovs (the Open
# vSwitch build tree), $rundir and OVS_RUNDIR, OVS_LOGDIR and OVS_DBDIR.

# bench_reserve_hugepages N
#
# Makes sure that at least N hugepages (2 MB) are reserved and that
# hugetlbfs is mounted.
bench_reserve_hugepages() {
    if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt "$1" ]; then
        echo "$1" > /proc/sys/vm/nr_hugepages
    fi
    if ! grep -q hugetlbfs /proc/mounts; then
        mkdir -p /dev/hugepages
        mount -t hugetlbfs nodev /dev/hugepages
    fi
}

# Stops the switch that bench_start_switch started.
bench_stop_switch() {
    ovs-appctl -t ovs-vswitchd exit --cleanup >/dev/null 2>&1 || true
    ovs-appctl -t ovsdb-server exit >/dev/null 2>&1 || true
}

# bench_start_switch FILE_PREFIX PMD_MASK
#
# Starts ovsdb-server with a new database in $rundir and our ovs-vswitchd
# with DPDK (512 MB of hugepages, no PCI scan, DPDK file prefix
# FILE_PREFIX) and PMD threads on PMD_MASK.
bench_start_switch() {
    mkdir -p "$rundir"
    rm -f "$rundir"/conf.db "$rundir"/*.log
    ovsdb-tool create "$rundir/conf.db" "$ovs/vswitchd/vswitch.ovsschema"
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$rundir/db.sock" "$rundir/conf.db"
    ovs-vsctl --no-wait init -- set Open_vSwitch . \
        other_config:dpdk-init=true \
        other_config:dpdk-extra="--no-pci --file-prefix=$1" \
        other_config:dpdk-socket-mem=512 \
        other_config:pmd-cpu-mask="$2"
    "$builddir/vswitchd/ovs-vswitchd" --detach --no-chdir --pidfile \
        --log-file "unix:$rundir/db.sock" 2>>"$rundir/ovs-vswitchd.stderr"
}

#! /bin/sh
# Usage: fp-hugepages.sh N
#
# Makes sure that N free 2 MB hugepages and a hugetlbfs mount are there, for
# the DPDK processes of tests that need shared memory (the guest stand-in:
# vhost-user maps its memory into ovs-vswitchd).  Reserves more pages if it
# must.  Exits nonzero if it cannot, so that the caller can skip.
want=$1
nr=/proc/sys/vm/nr_hugepages
free=`awk '/^HugePages_Free:/ {print $2}' /proc/meminfo`
total=`cat $nr 2>/dev/null` || exit 1
if test "${free:-0}" -lt "$want"; then
    echo $((total + want - free)) > $nr 2>/dev/null || exit 1
    free=`awk '/^HugePages_Free:/ {print $2}' /proc/meminfo`
    test "${free:-0}" -ge "$want" || exit 1
fi
if ! grep -q '^[^ ]* [^ ]* hugetlbfs ' /proc/mounts; then
    mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages \
        || exit 1
fi
exit 0

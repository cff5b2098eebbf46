#! /bin/sh
# ovs-vsctl for Open vSwitch's system tests on fastpath bridges.
#
# Most of OVS's system tests make their bridges through the datapath macros
# (ADD_BR, OVS_TRAFFIC_VSWITCHD_START), which tests/system-fastpath-macros.at
# points at the fastpath datapath.  A few tests of the userspace suite
# (system-userspace-packet-type-aware.at, system-interface.at) name the
# userspace datapath themselves, "datapath_type=netdev"; run on fastpath,
# as the rest of the suite, they would leave those bridges on OVS's own
# datapath and test nothing of ours.  So this script, installed as
# ovs-vsctl in front of the real one for check-system-fastpath, turns that
# argument into datapath_type=fastpath and passes every other argument as
# it is.  (datapath_type=dummy, of the non-local endpoint test, stays.)
#
# The real ovs-vsctl is FP_REAL_VSCTL, set where the script is installed.
: "${FP_REAL_VSCTL:?not set}"
for arg; do
    shift
    case $arg in
        datapath_type=netdev) set -- "$@" datapath_type=fastpath ;;
        *) set -- "$@" "$arg" ;;
    esac
done
exec "$FP_REAL_VSCTL" "$@"

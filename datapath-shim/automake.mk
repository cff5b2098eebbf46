# Our ovs-vswitchd: OVS's vswitchd objects and libraries, our engine, DPDK.
sbin_PROGRAMS += vswitchd/ovs-vswitchd
vswitchd_ovs_vswitchd_SOURCES = datapath-shim/fp-register.c
vswitchd_ovs_vswitchd_LDADD = \
	$(OVS_VSWITCHD_OBJS) \
	lib/libfastpath.a \
	$(OVS_STATIC_LIBS) \
	$(OVS_LIBS)
vswitchd_ovs_vswitchd_LDFLAGS = $(OVS_DPDK_LDFLAGS)
EXTRA_vswitchd_ovs_vswitchd_DEPENDENCIES = $(OVS_STATIC_LIBS)

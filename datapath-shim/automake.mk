# Our ovs-vswitchd: OVS's vswitchd objects and libraries, our engine, DPDK.
sbin_PROGRAMS += vswitchd/ovs-vswitchd
vswitchd_ovs_vswitchd_SOURCES = \
	datapath-shim/fp-mode.c \
	datapath-shim/fp-register.c \
	datapath-shim/fp-shim.c
vswitchd_ovs_vswitchd_LDADD = \
	$(OVS_VSWITCHD_OBJS) \
	dpif/libfpdpif.a \
	engine/libfpengine.a \
	$(OVS_STATIC_LIBS) \
	$(OVS_LIBS)
vswitchd_ovs_vswitchd_LDFLAGS = \
	-Wl,--wrap=dpif_supports_tnl_push_pop \
	-Wl,--wrap=dpif_supports_explicit_drop_action \
	-Wl,--wrap=dpif_supports_lb_output_action \
	-Wl,--wrap=dpdk_init \
	$(OVS_DPDK_LDFLAGS)
EXTRA_vswitchd_ovs_vswitchd_DEPENDENCIES = $(OVS_STATIC_LIBS)

EXTRA_DIST += utilities/fp-quickstart.sh utilities/fp-bench.sh \
	utilities/fp-bench-vhost.sh utilities/fp-bench-lib.sh \
	utilities/fp-hugepages.sh utilities/fp-qemu-guest.sh \
	utilities/fp-guest.rst

# The guest stand-in: a DPDK program of its own (no Open vSwitch code), a
# virtio-user front end on a vhost-user socket, for tests and benchmarks.
bin_PROGRAMS += utilities/fp-guest
utilities_fp_guest_SOURCES = utilities/fp-guest.c
utilities_fp_guest_CPPFLAGS =
utilities_fp_guest_CFLAGS = $(DPDK_CFLAGS) -Wall -Wextra
utilities_fp_guest_LDADD = $(DPDK_LIBS) -lpcap
if HAVE_RST2MAN
man_MANS += utilities/fp-guest.1
utilities/fp-guest.1: $(srcdir)/utilities/fp-guest.rst
	$(AM_V_GEN)$(MKDIR_P) utilities && $(RST2MAN) $< > $@.tmp && mv $@.tmp $@
CLEANFILES += utilities/fp-guest.1
endif

# The floor of the benchmarks: the same DPDK devices forwarding with a plain
# rx-to-tx loop, no switch.
noinst_PROGRAMS += utilities/fp-floor
utilities_fp_floor_SOURCES = utilities/fp-floor.c
utilities_fp_floor_CPPFLAGS =
utilities_fp_floor_CFLAGS = $(DPDK_CFLAGS) -Wall -Wextra
utilities_fp_floor_LDADD = $(DPDK_LIBS)

# The benchmark suite against OVS-DPDK (Documentation/benchmarks.rst); as
# root, never part of "make check".
EXTRA_DIST += utilities/fp-bench-suite.py
BENCHFLAGS =
bench: all
	/usr/bin/python3 $(top_srcdir)/utilities/fp-bench-suite.py \
		--builddir $(abs_top_builddir) $(BENCHFLAGS)
.PHONY: bench

# The restart benchmark (Documentation/benchmarks.rst, "Restarting
# ovs-vswitchd"): OVS-DPDK, fastpath and fastpathd; as root.
EXTRA_DIST += utilities/fp-bench-restart.py
bench-restart: all
	/usr/bin/python3 $(top_srcdir)/utilities/fp-bench-restart.py \
		--builddir $(abs_top_builddir) $(BENCHFLAGS)
.PHONY: bench-restart

# The soak (Documentation/reliability.rst): all of the churn at once under
# traffic for SOAK_SECONDS, memory compared at the start and the end; as
# root, never part of "make check".
EXTRA_DIST += utilities/fp-soak.sh
SOAK_SECONDS = 600
soak: all
	FP_BUILDDIR=$(abs_top_builddir) $(SHELL) \
		$(top_srcdir)/utilities/fp-soak.sh $(SOAK_SECONDS)
.PHONY: soak

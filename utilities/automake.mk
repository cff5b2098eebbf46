EXTRA_DIST += utilities/fp-quickstart.sh utilities/fp-bench.sh \
	utilities/fp-bench-vhost.sh utilities/fp-bench-lib.sh \
	utilities/fp-hugepages.sh utilities/fp-qemu-guest.sh \
	utilities/fp-guest.rst

# The guest stand-in: a DPDK program of its own (no Open vSwitch code), a
# virtio-user front end on a vhost-user socket, for tests and benchmarks.
noinst_PROGRAMS += utilities/fp-guest
utilities_fp_guest_SOURCES = utilities/fp-guest.c
utilities_fp_guest_CPPFLAGS =
utilities_fp_guest_CFLAGS = $(DPDK_CFLAGS) -Wall -Wextra
utilities_fp_guest_LDADD = $(DPDK_LIBS) -lpcap

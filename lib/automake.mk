# The engine and the dpif provider: lib/libfastpath.a.
noinst_LIBRARIES += lib/libfastpath.a
lib_libfastpath_a_SOURCES = \
	lib/dpif-fastpath-ct.c \
	lib/dpif-fastpath-ct.h \
	lib/dpif-fastpath.c \
	lib/dpif-fastpath.h \
	lib/fp-actions-check.c \
	lib/fp-actions-check.h \
	lib/fp-datapath.c \
	lib/fp-datapath.h \
	lib/fp-dp-private.h \
	lib/fp-emc.c \
	lib/fp-emc.h \
	lib/fp-bigmem.c \
	lib/fp-bigmem.h \
	lib/fp-bond.c \
	lib/fp-bond.h \
	lib/fp-ct.c \
	lib/fp-ct.h \
	lib/fp-exec.c \
	lib/fp-fastkey.c \
	lib/fp-fastkey.h \
	lib/fp-flows.c \
	lib/fp-flow.c \
	lib/fp-flow.h \
	lib/fp-input.c \
	lib/fp-main-thread.c \
	lib/fp-meter.c \
	lib/fp-meter.h \
	lib/fp-mempool.c \
	lib/fp-mempool.h \
	lib/fp-miss.c \
	lib/fp-miss.h \
	lib/fp-pmd.c \
	lib/fp-pmd.h \
	lib/fp-port.c \
	lib/fp-sched.c \
	lib/fp-sched.h \
	lib/fp-stats.c \
	lib/fp-stats.h \
	lib/fp-tx.c \
	lib/fp-tx.h \
	lib/fp-upcall.c \
	lib/fp-upcall.h \
	lib/fp-unixctl.c \
	lib/fp-unixctl.h \
	lib/netdev-fastpath.c \
	lib/netdev-fastpath.h

MAN_FRAGMENTS += lib/fp-unixctl.man
EXTRA_DIST += lib/fp-unixctl.man

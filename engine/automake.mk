# The engine: datapaths, ports and their devices (DPDK and vhost-user), the
# megaflow table, PMD threads, upcalls, conntrack and meters.  It needs
# libopenvswitch and DPDK, never libofproto: engine/libfpengine.a.
noinst_LIBRARIES += engine/libfpengine.a
engine_libfpengine_a_SOURCES = \
	engine/fp-actions-check.c \
	engine/fp-actions-check.h \
	engine/fp-bigmem.c \
	engine/fp-bigmem.h \
	engine/fp-bond.c \
	engine/fp-bond.h \
	engine/fp-chan.c \
	engine/fp-chan.h \
	engine/fp-chan-ct.c \
	engine/fp-chan-ct.h \
	engine/fp-chan-meter.c \
	engine/fp-chan-meter.h \
	engine/fp-ct.c \
	engine/fp-ct.h \
	engine/fp-datapath.c \
	engine/fp-datapath-ct.c \
	engine/fp-datapath.h \
	engine/fp-dpdk-log.c \
	engine/fp-dpdk-log.h \
	engine/fp-dp-private.h \
	engine/fp-emc.c \
	engine/fp-emc.h \
	engine/fp-exec.c \
	engine/fp-exec.h \
	engine/fp-fastkey.c \
	engine/fp-fastkey.h \
	engine/fp-flow-table.c \
	engine/fp-flow-table.h \
	engine/fp-flow-ops.c \
	engine/fp-flow-ops.h \
	engine/fp-input.c \
	engine/fp-input.h \
	engine/fp-main-thread.c \
	engine/fp-mempool.c \
	engine/fp-mempool.h \
	engine/fp-meter.c \
	engine/fp-meter.h \
	engine/fp-miss.c \
	engine/fp-miss.h \
	engine/fp-pmd.c \
	engine/fp-pmd.h \
	engine/fp-port.c \
	engine/fp-port-queues.c \
	engine/fp-port-queues.h \
	engine/fp-port.h \
	engine/fp-refusal.c \
	engine/fp-refusal.h \
	engine/fp-sched.c \
	engine/fp-sched.h \
	engine/fp-stats.c \
	engine/fp-stats.h \
	engine/fp-thread.h \
	engine/fp-tx.c \
	engine/fp-tx.h \
	engine/fp-unixctl.c \
	engine/fp-unixctl.h \
	engine/fp-upcall.c \
	engine/fp-upcall.h \
	engine/netdev-fastpath.c \
	engine/netdev-fastpath.h

MAN_FRAGMENTS += engine/fp-unixctl.man
EXTRA_DIST += engine/fp-unixctl.man

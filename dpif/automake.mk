# The dpif provider of datapath type "fastpath": what ofproto-dpif calls,
# on top of the engine's interface (engine/fp-datapath.h): dpif/libfpdpif.a.
noinst_LIBRARIES += dpif/libfpdpif.a
dpif_libfpdpif_a_SOURCES = \
	dpif/dpif-fastpath-ct.c \
	dpif/dpif-fastpath-ct.h \
	dpif/dpif-fastpath.c \
	dpif/dpif-fastpath.h \
	dpif/dpif-fastpath-client.c \
	dpif/dpif-fastpath-client-ct.c \
	dpif/dpif-fastpath-client-ct.h \
	dpif/dpif-fastpath-client-meter.c \
	dpif/dpif-fastpath-client-meter.h \
	dpif/dpif-fastpath-client.h \
	dpif/fp-client.c \
	dpif/fp-client.h \
	dpif/fp-journal.c \
	dpif/fp-journal.h \
	dpif/netdev-fastpath-proxy.c \
	dpif/netdev-fastpath-proxy.h

# fastpathd: the engine as a daemon of its own, for the detached mode
# (Documentation/detached.rst).  It links the engine, libopenvswitch and
# DPDK, never libofproto.
sbin_PROGRAMS += fastpathd/fastpathd
fastpathd_fastpathd_SOURCES = \
	fastpathd/fastpathd.c \
	fastpathd/fastpathd-chan.c \
	fastpathd/fastpathd-chan.h \
	fastpathd/fastpathd-ct.c \
	fastpathd/fastpathd-ct.h \
	fastpathd/fastpathd-dp.c \
	fastpathd/fastpathd-dp.h \
	fastpathd/fastpathd-flow.c \
	fastpathd/fastpathd-meter.c \
	fastpathd/fastpathd-upcall.c \
	fastpathd/fastpathd-upcall.h
fastpathd_fastpathd_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFP_PACKAGE_VERSION='"$(PACKAGE_VERSION)"'
fastpathd_fastpathd_LDADD = \
	engine/libfpengine.a \
	$(OVS_ENGINE_LIBS) \
	$(OVS_LIBS)
fastpathd_fastpathd_LDFLAGS = $(OVS_DPDK_LDFLAGS)
EXTRA_fastpathd_fastpathd_DEPENDENCIES = $(OVS_ENGINE_LIBS)

# Its man page: ours, with OVS's sections on the daemon, logging and
# control options and ours on the fastpath/* commands expanded into it by
# OVS's own tool, as OVS builds its man pages.
man_MANS += fastpathd/fastpathd.8
EXTRA_DIST += fastpathd/fastpathd.8.in
# The run and log directories are those that OVS's build compiled into
# lib/dirs.c.
fastpathd/fastpathd.8: $(srcdir)/fastpathd/fastpathd.8.in \
		$(srcdir)/engine/fp-unixctl.man ovs-built.stamp
	$(AM_V_GEN)$(MKDIR_P) fastpathd && \
	rundir=`sed -n 's/.*"\(.*\)", "OVS_RUNDIR".*/\1/p' $(OVS_BUILDDIR)/lib/dirs.c` && \
	logdir=`sed -n 's/.*"\(.*\)", "OVS_LOGDIR".*/\1/p' $(OVS_BUILDDIR)/lib/dirs.c` && \
	test -n "$$rundir" && test -n "$$logdir" && \
	PYTHONPATH=$(OVS_SRCDIR)/python $(OVS_PYTHON3) \
	    $(OVS_SRCDIR)/build-aux/soexpand.py \
	    -I$(srcdir) -I$(OVS_SRCDIR) < $(srcdir)/fastpathd/fastpathd.8.in | \
	sed -e "s,[@]RUNDIR[@],$$rundir,g" \
	    -e "s,[@]LOGDIR[@],$$logdir,g" \
	    -e 's,[@]VERSION[@],$(VERSION),g' > $@.tmp && \
	grep -q '^\.SS "FASTPATH DATAPATH COMMANDS"' $@.tmp && mv $@.tmp $@
CLEANFILES += fastpathd/fastpathd.8

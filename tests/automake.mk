# The autotest suite, in Open vSwitch's style.  OVS's own test macros
# (tests/ovs-macros.at, tests/ofproto-macros.at, ...) are included from the
# Open vSwitch source tree, not copied.

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/fastpath-macros.at \
	tests/fastpath-basic.at \
	tests/fastpath-traffic.at \
	tests/fastpath-ofproto.at \
	tests/fastpath-pmd.at \
	tests/fastpath-tunnel.at \
	tests/fastpath-dpdk.at \
	tests/fastpath-engine.at \
	tests/fastpath-reconfig.at \
	tests/fastpath-vhost.at \
	tests/fastpath-upcall.at \
	tests/fastpath-detached.at
EXTRA_DIST += $(TESTSUITE_AT) tests/atlocal.in tests/fp-isolate.sh \
	tests/fp-chan.py \
	tests/fp-sendpkt.py tests/fp-pcap.py tests/fp-tcp-stream.py
# A client of fastpathd's channel for the flow commands (tests/fp-chan.py
# speaks the rest).
noinst_PROGRAMS += tests/test-fp-chan
tests_test_fp_chan_SOURCES = tests/test-fp-chan.c
tests_test_fp_chan_LDADD = engine/libfpengine.a $(OVS_ENGINE_LIBS) $(OVS_LIBS)
tests_test_fp_chan_LDFLAGS = $(OVS_DPDK_LDFLAGS)
# Drives the per-port upcall queues of both ends of the channel.
noinst_PROGRAMS += tests/test-fp-port-queues
tests_test_fp_port_queues_SOURCES = tests/test-fp-port-queues.c
tests_test_fp_port_queues_LDADD = engine/libfpengine.a $(OVS_ENGINE_LIBS) \
	$(OVS_LIBS)
tests_test_fp_port_queues_LDFLAGS = $(OVS_DPDK_LDFLAGS)

TESTSUITE = tests/testsuite
DISTCLEANFILES += tests/atconfig tests/atlocal

AUTOTEST = $(AUTOM4TE) -l autotest
AUTOM4TE = autom4te

# Our ovs-vswitchd first, then OVS's programs.
AUTOTEST_PATH = $(abs_top_builddir)/vswitchd:$(abs_top_builddir)/fastpathd:$(abs_top_builddir)/tests:$(abs_top_builddir)/utilities:$(OVS_BUILDDIR)/utilities:$(OVS_BUILDDIR)/ovsdb:$(OVS_BUILDDIR)/vtep:$(OVS_BUILDDIR)/tests

tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN)(echo 'm4_define([AT_PACKAGE_NAME], [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME], [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION], [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING], [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])') \
	  > $@.tmp && mv $@.tmp $@
CLEANFILES += tests/package.m4

$(TESTSUITE): tests/package.m4 $(TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I tests -I $(srcdir) -I $(OVS_SRCDIR) \
	  -o $@.tmp $(srcdir)/tests/testsuite.at && mv $@.tmp $@
CLEANFILES += $(TESTSUITE)

# As root, the suite runs in network and mount namespaces of its own, so
# that its tap devices (ovs-fastpath, br0) and named network namespaces
# never meet those of a switch or another test run beside it.
check-local: tests/atconfig tests/atlocal $(TESTSUITE) $(sbin_PROGRAMS)
	@if test "`id -u`" = 0 && unshare -n true 2>/dev/null; then \
	    set -- $(SHELL) $(srcdir)/tests/fp-isolate.sh; \
	else \
	    set --; \
	fi; \
	"$$@" $(SHELL) '$(TESTSUITE)' -C tests \
	    AUTOTEST_PATH='$(AUTOTEST_PATH)' $(FP_UPGRADE_ENV) $(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean

# make check-system-fastpath: Open vSwitch's own system tests of its
# userspace datapath (system-traffic.at and the four files that OVS's
# check-system-userspace runs after it, from the OVS source tree, included
# at build time, never copied) on fastpath bridges, through our datapath macros file in the
# place of OVS's system-userspace-macros.at.  As OVS runs its system tests:
# as root, one test at a time; and here in network and mount namespaces of
# their own (tests/fp-isolate.sh).  RECHECK=yes runs the failures again.
SYSTEM_FASTPATH_TESTSUITE_AT = \
	tests/system-fastpath-testsuite.at \
	tests/system-fastpath-macros.at \
	tests/system-fastpath-skips.at
SYSTEM_FASTPATH_OVS_AT = \
	$(OVS_SRCDIR)/tests/ovs-macros.at \
	$(OVS_SRCDIR)/tests/ovsdb-macros.at \
	$(OVS_SRCDIR)/tests/ofproto-macros.at \
	$(OVS_SRCDIR)/tests/system-common-macros.at \
	$(OVS_SRCDIR)/tests/system-traffic.at \
	$(OVS_SRCDIR)/tests/system-layer3-tunnels.at \
	$(OVS_SRCDIR)/tests/system-interface.at \
	$(OVS_SRCDIR)/tests/system-userspace-packet-type-aware.at \
	$(OVS_SRCDIR)/tests/system-route.at
EXTRA_DIST += $(SYSTEM_FASTPATH_TESTSUITE_AT) tests/fp-python-env.sh \
	tests/fp-system-vsctl.sh
SYSTEM_FASTPATH_TESTSUITE = tests/system-fastpath-testsuite

$(SYSTEM_FASTPATH_TESTSUITE): tests/package.m4 $(SYSTEM_FASTPATH_TESTSUITE_AT) \
		$(SYSTEM_FASTPATH_OVS_AT)
	$(AM_V_GEN)$(AUTOTEST) -I tests -I $(srcdir) -I $(OVS_SRCDIR) \
	  -o $@.tmp $(srcdir)/tests/system-fastpath-testsuite.at && mv $@.tmp $@
CLEANFILES += $(SYSTEM_FASTPATH_TESTSUITE)

# Both system targets need root: fail early and say so.
FP_NEED_ROOT = \
	if test "`id -u`" != 0; then \
	    echo "$@: the system tests run as root" >&2; exit 1; \
	fi

# The suite's ovs-vsctl: tests/fp-system-vsctl.sh in front of OVS's.
tests/system-bin/ovs-vsctl: $(srcdir)/tests/fp-system-vsctl.sh
	@mkdir -p tests/system-bin
	$(AM_V_GEN)sed '/^: "$${FP_REAL_VSCTL/i\
FP_REAL_VSCTL=$(OVS_BUILDDIR)/utilities/ovs-vsctl' \
	    $(srcdir)/tests/fp-system-vsctl.sh > $@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
CLEANFILES += tests/system-bin/ovs-vsctl

check-system-fastpath: all tests/atconfig tests/atlocal \
		$(SYSTEM_FASTPATH_TESTSUITE) tests/system-bin/ovs-vsctl
	@$(FP_NEED_ROOT)
	set $(SHELL) $(srcdir)/tests/fp-isolate.sh \
	    $(SHELL) '$(SYSTEM_FASTPATH_TESTSUITE)' -C tests \
	    AUTOTEST_PATH='$(abs_builddir)/tests/system-bin:$(AUTOTEST_PATH)'; \
	"$$@" $(TESTSUITEFLAGS) -j1 || \
	    (test X'$(RECHECK)' = Xyes && "$$@" --recheck)

# make check-system-detached: the same suite with the switch in the
# detached mode (fastpathd, then ovs-vswitchd attached to it); not part of
# the README's test command (Documentation/detached.rst has its results).
check-system-detached:
	$(MAKE) check-system-fastpath \
	    TESTSUITEFLAGS='FP_DETACHED=yes $(TESTSUITEFLAGS)'

# make check-ovn-fastpath: OVN on fastpath chassis (tests/ovn-fastpath.at),
# with Debian's OVN: as root, one test at a time, in namespaces of their
# own.  Without OVN installed its tests are skipped.
OVN_FASTPATH_TESTSUITE_AT = \
	tests/ovn-fastpath-testsuite.at \
	tests/ovn-fastpath-macros.at \
	tests/ovn-fastpath.at
EXTRA_DIST += $(OVN_FASTPATH_TESTSUITE_AT) tests/fp-dhcp-probe.py
OVN_FASTPATH_TESTSUITE = tests/ovn-fastpath-testsuite

$(OVN_FASTPATH_TESTSUITE): tests/package.m4 $(OVN_FASTPATH_TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I tests -I $(srcdir) -I $(OVS_SRCDIR) \
	  -o $@.tmp $(srcdir)/tests/ovn-fastpath-testsuite.at && mv $@.tmp $@
CLEANFILES += $(OVN_FASTPATH_TESTSUITE)

check-ovn-fastpath: all tests/atconfig tests/atlocal $(OVN_FASTPATH_TESTSUITE)
	@$(FP_NEED_ROOT)
	set $(SHELL) $(srcdir)/tests/fp-isolate.sh \
	    $(SHELL) '$(OVN_FASTPATH_TESTSUITE)' -C tests \
	    AUTOTEST_PATH='$(AUTOTEST_PATH)'; \
	"$$@" $(TESTSUITEFLAGS) -j1 || \
	    (test X'$(RECHECK)' = Xyes && "$$@" --recheck)

# make check-detached: the unit suite with the switch of every test that
# starts one through FP_VSWITCHD_START in the detached mode (fastpathd,
# then ovs-vswitchd attached to it); not part of the README's test command
# (Documentation/detached.rst has its results).
check-detached:
	$(MAKE) check TESTSUITEFLAGS='FP_DETACHED=yes $(TESTSUITEFLAGS)'

# make check-ovn-detached: the same OVN tests, each chassis' engine in a
# fastpathd of its own (the detached mode); not part of the README's test
# command (Documentation/detached.rst has its results).
check-ovn-detached:
	$(MAKE) check-ovn-fastpath \
	    TESTSUITEFLAGS='FP_DETACHED=yes $(TESTSUITEFLAGS)'

# make check-system-userspace: OVS's own check-system-userspace, in the OVS
# build tree, isolated the same way, so that its results and ours can be
# compared on one machine.  Its tests get the Python interpreter ours get
# (tests/fp-python-env.sh), as assignments on the testsuite's command line,
# which win over OVS's atlocal.
check-system-userspace:
	@$(FP_NEED_ROOT)
	py=`$(SHELL) $(srcdir)/tests/fp-python-env.sh $(OVS_SRCDIR)`; \
	$(SHELL) $(srcdir)/tests/fp-isolate.sh \
	    $(MAKE) -C $(OVS_BUILDDIR) check-system-userspace \
	    TESTSUITEFLAGS="$$py $(TESTSUITEFLAGS)" RECHECK='$(RECHECK)'

clean-local: clean-system-fastpath
clean-system-fastpath:
	test ! -f '$(SYSTEM_FASTPATH_TESTSUITE)' || \
	    $(SHELL) '$(SYSTEM_FASTPATH_TESTSUITE)' -C tests --clean
	test ! -f '$(OVN_FASTPATH_TESTSUITE)' || \
	    $(SHELL) '$(OVN_FASTPATH_TESTSUITE)' -C tests --clean

.PHONY: check-system-fastpath check-system-detached check-system-userspace \
	clean-system-fastpath \
	check-ovn-fastpath check-ovn-detached check-detached

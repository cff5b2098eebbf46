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
	tests/fastpath-dpdk.at
EXTRA_DIST += $(TESTSUITE_AT) tests/atlocal.in tests/fp-isolate.sh \
	tests/fp-sendpkt.py tests/fp-pcap.py
TESTSUITE = tests/testsuite
DISTCLEANFILES += tests/atconfig tests/atlocal

AUTOTEST = $(AUTOM4TE) -l autotest
AUTOM4TE = autom4te

# Our ovs-vswitchd first, then OVS's programs.
AUTOTEST_PATH = $(abs_top_builddir)/vswitchd:$(OVS_BUILDDIR)/utilities:$(OVS_BUILDDIR)/ovsdb:$(OVS_BUILDDIR)/vtep:$(OVS_BUILDDIR)/tests

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
	    AUTOTEST_PATH='$(AUTOTEST_PATH)' $(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean

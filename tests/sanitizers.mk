# make check-sanitizers: the unit suite (make check) on a build of our code
# with AddressSanitizer and UndefinedBehaviorSanitizer.
#
# The first run configures a second build tree, sanitizers/ in this one,
# with --enable-sanitizers and this tree's Open vSwitch (which is not
# rebuilt, nor sanitized); every run then builds it and runs its
# "make check", with TESTSUITEFLAGS passed on.  A sanitizer report fails the
# test that caused it: tests/atlocal sends the reports to asan.PID and
# ubsan.PID in the test's directory, and the AT_CLEANUP of OVS's
# tests/ovs-macros.at fails the test when there is one.
SANITIZERS_BUILDDIR = sanitizers
EXTRA_DIST += tests/lsan.supp

check-sanitizers: ovs-built.stamp
	@if test "`cd $(srcdir) && pwd`" = "`pwd`"; then \
	    echo "$@: needs a build tree apart from the source tree" \
	         "(mkdir _build && cd _build && ../configure)" >&2; \
	    exit 1; \
	fi
	@if test ! -f $(SANITIZERS_BUILDDIR)/Makefile; then \
	    echo "configuring $(SANITIZERS_BUILDDIR)/ with --enable-sanitizers"; \
	    mkdir -p $(SANITIZERS_BUILDDIR) && \
	    (cd $(SANITIZERS_BUILDDIR) && \
	     $(abs_top_srcdir)/configure --enable-sanitizers \
	        --with-ovs-source='$(OVS_SRCDIR)' \
	        --with-ovs-build='$(OVS_BUILDDIR)' \
	        CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)') || exit 1; \
	fi
	$(MAKE) -C $(SANITIZERS_BUILDDIR)
	$(MAKE) -C $(SANITIZERS_BUILDDIR) check TESTSUITEFLAGS='$(TESTSUITEFLAGS)'

distclean-local: distclean-sanitizers
distclean-sanitizers:
	rm -rf $(SANITIZERS_BUILDDIR)

.PHONY: check-sanitizers distclean-sanitizers

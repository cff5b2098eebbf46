# make check-upgrade: the upgrade test of the detached mode.  An
# ovs-vswitchd and a fastpathd built from an earlier commit of this project
# (FP_UPGRADE_FROM, a git revision, from make or the environment: the
# previous commit unless told) run a switch under traffic; then this
# tree's ovs-vswitchd takes over the running fastpathd, as an upgrade of
# the package would do it, and hands it back (a downgrade).
#
# The earlier commit is exported with "git archive" into upgrade/src in
# this build tree (the source tree's checkout is not touched), configured
# against this tree's Open vSwitch and built in upgrade/build; a second run
# for the same commit builds nothing again.  The test itself is in the unit
# suite (keyword "upgrade"), which skips it unless FP_UPGRADE_BUILDDIR names
# such a build.
FP_UPGRADE_FROM ?= HEAD~1
UPGRADE_BUILDDIR = upgrade

check-upgrade: all tests/atconfig tests/atlocal $(TESTSUITE)
	@rev=`cd $(srcdir) && git rev-parse --verify -q '$(FP_UPGRADE_FROM)^{commit}'` || { \
	    echo "$@: $(FP_UPGRADE_FROM) is not a commit of a git checkout" \
	         "in $(srcdir)" >&2; \
	    exit 1; \
	}; \
	if test "`cat $(UPGRADE_BUILDDIR)/commit 2>/dev/null`" != $$rev; then \
	    echo "$@: building $(FP_UPGRADE_FROM) ($$rev) in $(UPGRADE_BUILDDIR)/"; \
	    rm -rf $(UPGRADE_BUILDDIR) && \
	    mkdir -p $(UPGRADE_BUILDDIR)/src $(UPGRADE_BUILDDIR)/build && \
	    (cd $(srcdir) && git archive $$rev) | \
	        tar -x -C $(UPGRADE_BUILDDIR)/src && \
	    (cd $(UPGRADE_BUILDDIR)/src && ./boot.sh) >/dev/null 2>&1 && \
	    (cd $(UPGRADE_BUILDDIR)/build && \
	     ../src/configure --with-ovs-source='$(OVS_SRCDIR)' \
	        --with-ovs-build='$(OVS_BUILDDIR)' \
	        CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' >/dev/null) && \
	    $(MAKE) -C $(UPGRADE_BUILDDIR)/build \
	        vswitchd/ovs-vswitchd fastpathd/fastpathd && \
	    echo $$rev > $(UPGRADE_BUILDDIR)/commit || exit 1; \
	fi
	$(MAKE) check-local TESTSUITEFLAGS='-k upgrade $(TESTSUITEFLAGS)' \
	    FP_UPGRADE_ENV='FP_UPGRADE_BUILDDIR=$(abs_builddir)/$(UPGRADE_BUILDDIR)/build'

distclean-local: distclean-upgrade
distclean-upgrade:
	rm -rf $(UPGRADE_BUILDDIR)

.PHONY: check-upgrade distclean-upgrade

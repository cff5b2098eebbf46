# make check-fuzz: the fuzz harnesses of tests/fuzz/, libFuzzer under
# AddressSanitizer and UndefinedBehaviorSanitizer, FUZZ_SECONDS each.
#
# The first run configures a build tree of its own, fuzz/ in this one, with
# clang and coverage instrumentation for our code and this tree's Open
# vSwitch (not rebuilt, not instrumented).  Every run builds the harnesses
# there, runs each once on the inputs that crashed it before
# (tests/fuzz/regress/), then fuzzes it from its seed corpus.  A crash, a
# leak or a sanitizer report fails the target and leaves the input in
# fuzz/tests/fuzz/<harness>-crash-*: add it to tests/fuzz/regress/.
FUZZ_BUILDDIR = fuzz
FUZZ_HARNESSES = fuzz-packet fuzz-flow-put fuzz-options fuzz-chan
FUZZ_SECONDS = 30
# A seed for libFuzzer (-seed): with one, a run explores the same inputs
# each time (the test command's short run is reproducible); without, a new
# sequence each time.
FUZZ_SEED =
# With a number of inputs (-runs) as well, the run is the same on every
# machine, however fast: the test command's is.
FUZZ_RUNS =
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_CC = clang

EXTRA_DIST += \
	tests/fuzz/automake.mk \
	tests/fuzz/fuzz-chan.c \
	tests/fuzz/fuzz-check.h \
	tests/fuzz/fuzz-dp.c \
	tests/fuzz/fuzz-dp.h \
	tests/fuzz/fuzz-flow-put.c \
	tests/fuzz/fuzz-options.c \
	tests/fuzz/fuzz-packet.c \
	tests/fuzz/flow-put-seeds.txt \
	tests/fuzz/gen-packet-seeds.py \
	tests/fuzz/corpus \
	tests/fuzz/regress

check-fuzz: ovs-built.stamp
	@if test "`cd $(srcdir) && pwd`" = "`pwd`"; then \
	    echo "$@: needs a build tree apart from the source tree" >&2; \
	    exit 1; \
	fi
	@if test ! -f $(FUZZ_BUILDDIR)/Makefile; then \
	    echo "configuring $(FUZZ_BUILDDIR)/ with $(FUZZ_CC)"; \
	    mkdir -p $(FUZZ_BUILDDIR) && \
	    (cd $(FUZZ_BUILDDIR) && \
	     $(abs_top_srcdir)/configure \
	        --with-ovs-source='$(OVS_SRCDIR)' \
	        --with-ovs-build='$(OVS_BUILDDIR)' \
	        CC='$(FUZZ_CC)' CFLAGS='$(FUZZ_CFLAGS)') || exit 1; \
	fi
	$(MAKE) -C $(FUZZ_BUILDDIR) fuzz-harnesses
	$(MAKE) -C $(FUZZ_BUILDDIR) fuzz-run FUZZ_SECONDS='$(FUZZ_SECONDS)' \
	    FUZZ_SEED='$(FUZZ_SEED)' FUZZ_RUNS='$(FUZZ_RUNS)'

# In the fuzz tree: the harnesses, linked with libFuzzer.
fuzz-harnesses: $(FUZZ_HARNESSES:%=tests/fuzz/%)

tests/fuzz/fuzz-%: $(top_srcdir)/tests/fuzz/fuzz-%.c \
		$(top_srcdir)/tests/fuzz/fuzz-dp.c \
		$(top_srcdir)/tests/fuzz/fuzz-dp.h \
		$(top_srcdir)/tests/fuzz/fuzz-check.h dpif/libfpdpif.a \
		engine/libfpengine.a
	@mkdir -p tests/fuzz
	$(AM_V_CCLD)$(CC) $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz \
	    $(OVS_EXTRA_CFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-$*.c \
	    $(top_srcdir)/tests/fuzz/fuzz-dp.c \
	    dpif/libfpdpif.a engine/libfpengine.a $(OVS_STATIC_LIBS) $(OVS_LIBS)
CLEANFILES += $(FUZZ_HARNESSES:%=tests/fuzz/%)

fuzz-run: fuzz-harnesses
	@set -e; \
	for h in $(FUZZ_HARNESSES); do \
	    name=`echo $$h | sed 's/^fuzz-//'`; \
	    corpus=tests/fuzz/corpus-$$name; \
	    rm -rf $$corpus && mkdir -p $$corpus; \
	    if test -d $(top_srcdir)/tests/fuzz/corpus/$$name; then \
	        cp $(top_srcdir)/tests/fuzz/corpus/$$name/* $$corpus; \
	    fi; \
	    regress=`ls $(top_srcdir)/tests/fuzz/regress/$$name/* 2>/dev/null || true`; \
	    if test -n "$$regress"; then \
	        echo "$$h: the inputs of tests/fuzz/regress/$$name"; \
	        tests/fuzz/$$h $$regress > tests/fuzz/$$h-regress.log 2>&1 \
	            || { cat tests/fuzz/$$h-regress.log; exit 1; }; \
	    fi; \
	    echo "$$h: fuzzing for $(FUZZ_SECONDS) s"; \
	    FUZZ_SEEDS_FROM=$(top_srcdir)/tests/fuzz/flow-put-seeds.txt \
	    FUZZ_SEEDS_TO=$$corpus \
	    tests/fuzz/$$h -max_total_time=$(FUZZ_SECONDS) \
	        $(FUZZ_SEED:%=-seed=%) $(FUZZ_RUNS:%=-runs=%) \
	        -artifact_prefix=tests/fuzz/$$h- $$corpus \
	        > tests/fuzz/$$h.log 2>&1 \
	        || { tail -60 tests/fuzz/$$h.log; exit 1; }; \
	    tail -1 tests/fuzz/$$h.log; \
	done

distclean-local: distclean-fuzz
distclean-fuzz:
	rm -rf $(FUZZ_BUILDDIR)

.PHONY: check-fuzz fuzz-harnesses fuzz-run distclean-fuzz
